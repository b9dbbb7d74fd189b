//! The value a fact sheet is rendered from.

use crate::{FactsheetError, Lang};

/// The theme of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Livability: population, age, households, density, projection, reach.
    Leefbaarheid,
    /// Heart safety: AED coverage by moment of the week, AEDs and citizen responders.
    Hartveilig,
    /// Care: the ageing population to 2040, the informal-care potential, people with dementia
    /// and published health figures.
    Zorg,
}

impl Theme {
    /// Every theme, in the order sheets are offered.
    pub const ALL: [Theme; 3] = [Theme::Leefbaarheid, Theme::Hartveilig, Theme::Zorg];

    /// Parses a theme id.
    pub fn parse(text: &str) -> Result<Theme, FactsheetError> {
        Theme::ALL
            .into_iter()
            .find(|theme| theme.id() == text)
            .ok_or_else(|| FactsheetError::UnknownTheme(text.to_owned()))
    }

    /// The theme's id, as in URLs and file names, and as the catalogue's `factsheet.sheet`
    /// names the sheet an indicator is on ([`leefbaar_model::FactsheetUse::sheet_id`]).
    pub fn id(self) -> &'static str {
        match self {
            Theme::Leefbaarheid => "leefbaarheid",
            Theme::Hartveilig => "hartveilig",
            Theme::Zorg => "zorg",
        }
    }

    /// The theme's title.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Theme::Leefbaarheid => lang.pick("Leefbaarheid", "Livability"),
            Theme::Hartveilig => lang.pick("Hartveilig", "Heart-safe (AED coverage)"),
            Theme::Zorg => lang.pick("Zorg", "Care"),
        }
    }
}

/// One key-figure tile: the area's value next to the province and the Netherlands.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigure {
    /// The indicator id in the catalogue.
    pub indicator: String,
    /// The label in the sheet's language.
    pub label: String,
    /// The unit symbol in the sheet's language (may be empty).
    pub unit: String,
    /// Decimals to show.
    pub decimals: u8,
    /// The year of the value.
    pub year: u16,
    /// The area's value.
    pub value: f64,
    /// The municipality's value in the same year (district and neighbourhood sheets).
    pub municipality: Option<f64>,
    /// The province's value in the same year.
    pub province: Option<f64>,
    /// The Netherlands' value in the same year.
    pub country: Option<f64>,
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Lines over the categories (years).
    Line,
    /// Grouped bars per category.
    Bars,
    /// One bar per area of the parent, sorted, the sheet's area highlighted (see
    /// [`Chart::highlight`]) and the parent's value as a reference line.
    Ranking,
}

/// Whose values a series holds; the role fixes its colour and dash pattern, so that the
/// province looks the same on a municipality's sheet and on a district's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesRole {
    /// The sheet's area.
    Area,
    /// The municipality of a district or neighbourhood.
    Municipality,
    /// The province.
    Province,
    /// The Netherlands.
    Country,
    /// Other areas (the bars of a ranking).
    Other,
}

/// One series of a chart: one value per category, or a gap.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    /// The series name (an area).
    pub name: String,
    /// Whose values these are.
    pub role: SeriesRole,
    /// One value per category.
    pub values: Vec<Option<f64>>,
}

/// A chart with its text alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// A stable id (used for element ids).
    pub id: String,
    /// The title.
    pub title: String,
    /// A one-sentence description for screen readers.
    pub description: String,
    /// The unit symbol of the values.
    pub unit: String,
    /// Decimals in the data table.
    pub decimals: u8,
    /// Lines or bars.
    pub kind: ChartKind,
    /// The category labels (years or age groups).
    pub categories: Vec<String>,
    /// The series, the area first.
    pub series: Vec<ChartSeries>,
    /// For [`ChartKind::Ranking`]: the category of the sheet's area.
    pub highlight: Option<usize>,
    /// Horizontal reference lines, e.g. the municipality's value over its districts' bars;
    /// each series holds one value.
    pub references: Vec<ChartSeries>,
}

/// One area drawn in a [`MapInset`].
#[derive(Debug, Clone, PartialEq)]
pub struct MapShape {
    /// The area code.
    pub code: String,
    /// The area name.
    pub name: String,
    /// Whether this is the sheet's area (filled).
    pub selected: bool,
    /// The outline as SVG path data in the inset's units (projected and simplified).
    pub d: String,
    /// For a selected area too small to see: the centre of a ring drawn around it.
    pub marker: Option<(f64, f64)>,
}

/// The map inset: the sheet's area among the other areas of its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct MapInset {
    /// The title (the accessible name), e.g. "Map: location of Lariks in Assen".
    pub title: String,
    /// The text alternative: what is filled and what is outlined.
    pub description: String,
    /// The visible caption, e.g. "Lariks in Assen".
    pub caption: String,
    /// The width in SVG user units.
    pub width: f64,
    /// The height in SVG user units.
    pub height: f64,
    /// The areas, the selected one last.
    pub shapes: Vec<MapShape>,
}

/// A source in the footer.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceNote {
    /// The table or file.
    pub table: String,
    /// The licence.
    pub licence: String,
    /// The attribution.
    pub attribution: String,
}

/// Everything one fact sheet shows, in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct FactsheetData {
    /// The area code.
    pub code: String,
    /// The area name.
    pub name: String,
    /// The area level's name in the sheet's language ("gemeente").
    pub level: String,
    /// The municipality compared with (district and neighbourhood sheets).
    pub municipality: Option<String>,
    /// The province compared with.
    pub province: Option<String>,
    /// The country compared with.
    pub country: String,
    /// The theme.
    pub theme: Theme,
    /// The year of the key figures.
    pub year: u16,
    /// The language.
    pub lang: Lang,
    /// The date the sheet was made (ISO 8601), given by the caller.
    pub date: String,
    /// The notice of a synthetic source of the sheet's figures (e.g. the bundle's
    /// `[aed].synthetic_notice`), shown at the top of the sheet; `None` for real data.
    pub notice: Option<String>,
    /// The map inset, when the store has boundaries of the area and its neighbours.
    pub map: Option<MapInset>,
    /// 4–8 key-figure tiles.
    pub key_figures: Vec<KeyFigure>,
    /// Sentences saying which figures of the theme the sheet lacks for this area and why
    /// (e.g. no projection for districts); part of the generated text.
    pub gaps: Vec<String>,
    /// 2–4 charts.
    pub charts: Vec<Chart>,
    /// The sources of the figures.
    pub sources: Vec<SourceNote>,
    /// Method notes in the sheet's language.
    pub notes: Vec<String>,
}

impl FactsheetData {
    /// The key figure of an indicator, when on the sheet.
    pub fn figure(&self, indicator: &str) -> Option<&KeyFigure> {
        self.key_figures.iter().find(|f| f.indicator == indicator)
    }
}
