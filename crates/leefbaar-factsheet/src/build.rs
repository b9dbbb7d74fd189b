//! From model values (areas, indicator definitions, observations, sources) to a
//! [`FactsheetData`]. Pure: the caller reads the store.

use std::collections::BTreeMap;

use leefbaar_model::{Area, AreaLevel, IndicatorDef, Observation, Source};

use crate::{
    Chart, ChartKind, ChartSeries, FactsheetData, FactsheetError, KeyFigure, Lang, SourceNote,
    Theme,
};

/// Every indicator a Leefbaarheid sheet may use; the caller reads these for the area, its
/// province and the Netherlands, all years.
pub const INDICATORS: &[&str] = &[
    "inhabitants",
    "inhabitants_change_5y",
    "share_65_plus",
    "share_0_14",
    "share_15_24",
    "share_25_44",
    "share_45_64",
    "households",
    "household_size",
    "population_density",
    "inhabitants_index_2012",
    "projected_inhabitants",
    "projected_inhabitants_change_20y",
    "reach_distance_primary_school",
];

/// The tiles in order; the first eight present are shown. `true`: the value may come from the
/// indicator's latest year (model outputs) rather than the sheet's year.
const TILES: &[(&str, bool)] = &[
    ("inhabitants", false),
    ("inhabitants_change_5y", false),
    ("share_65_plus", false),
    ("share_0_14", false),
    ("household_size", false),
    ("population_density", false),
    ("projected_inhabitants_change_20y", true),
    ("reach_distance_primary_school", true),
    ("households", false),
];

/// What [`build`] needs, read by the caller.
#[derive(Debug, Clone, Copy)]
pub struct BuildInput<'a> {
    /// The area of the sheet.
    pub area: &'a Area,
    /// Its province, compared with.
    pub province: Option<&'a Area>,
    /// The Netherlands, compared with.
    pub country: Option<&'a Area>,
    /// The catalogue (at least [`INDICATORS`]).
    pub indicators: &'a [IndicatorDef],
    /// Observations of [`INDICATORS`] for the area, the province and the country, any years.
    pub observations: &'a [Observation],
    /// The sources of the store.
    pub sources: &'a [Source],
    /// The theme.
    pub theme: Theme,
    /// The year of the key figures.
    pub year: u16,
    /// The language.
    pub lang: Lang,
    /// The date the sheet is made (ISO 8601).
    pub date: &'a str,
}

type Series<'a> = BTreeMap<(&'a str, &'a str), BTreeMap<u16, f64>>;

fn level_name(level: AreaLevel, lang: Lang) -> &'static str {
    match (level, lang) {
        (_, Lang::Nl) => level.dutch_name(),
        (AreaLevel::Country, Lang::En) => "country",
        (AreaLevel::Province, Lang::En) => "province",
        (AreaLevel::Municipality, Lang::En) => "municipality",
        (AreaLevel::District, Lang::En) => "district",
        (AreaLevel::Neighbourhood, Lang::En) => "neighbourhood",
    }
}

/// Builds the sheet of one area; fails when the area has no inhabitants in `year`.
pub fn build(input: &BuildInput<'_>) -> Result<FactsheetData, FactsheetError> {
    let lang = input.lang;
    let mut series: Series<'_> = BTreeMap::new();
    for o in input.observations {
        if let Some(value) = o.value.value() {
            series
                .entry((o.indicator.as_str(), o.area.as_str()))
                .or_default()
                .insert(o.year.get(), value);
        }
    }
    let code = input.area.code.as_str();
    let prov = input.province.map(|a| a.code.as_str());
    let nl = input.country.map(|a| a.code.as_str());
    let get = |id: &str, area: Option<&str>, year: u16| {
        area.and_then(|a| series.get(&(id, a)))
            .and_then(|s| s.get(&year))
            .copied()
    };
    if get("inhabitants", Some(code), input.year).is_none() {
        return Err(FactsheetError::NoData {
            area: code.to_owned(),
            year: input.year,
        });
    }
    let def = |id: &str| input.indicators.iter().find(|d| d.id == id);
    let label = |id: &str| {
        def(id).map_or_else(
            || id.to_owned(),
            |d| d.name.in_language(lang.code()).to_owned(),
        )
    };

    let mut key_figures = Vec::new();
    for &(id, latest) in TILES {
        if key_figures.len() == 8 {
            break;
        }
        let Some(d) = def(id) else { continue };
        let year = if latest {
            series
                .get(&(id, code))
                .and_then(|s| s.keys().next_back().copied())
        } else {
            Some(input.year)
        };
        let Some(year) = year else { continue };
        let Some(value) = get(id, Some(code), year) else {
            continue;
        };
        key_figures.push(KeyFigure {
            indicator: id.to_owned(),
            label: label(id),
            unit: d.unit.symbol(lang.code()).to_owned(),
            decimals: d.decimals,
            year,
            value,
            province: get(id, prov, year),
            country: get(id, nl, year),
        });
    }

    let names: Vec<(Option<&str>, String)> = [
        (Some(code), input.area.name.clone()),
        (
            prov,
            input.province.map(|a| a.name.clone()).unwrap_or_default(),
        ),
        (
            nl,
            lang.pick(
                &input.country.map(|a| a.name.clone()).unwrap_or_default(),
                "Netherlands",
            )
            .to_owned(),
        ),
    ]
    .into_iter()
    .filter(|(c, _)| c.is_some())
    .collect();
    let years_of = |id: &str| -> Vec<u16> {
        series
            .get(&(id, code))
            .map(|s| {
                s.keys()
                    .copied()
                    .filter(|&y| y <= input.year || id.starts_with("projected"))
                    .collect()
            })
            .unwrap_or_default()
    };
    // `index`: each series divided by its first value × 100, so areas of any size share a scale.
    let over_years = |id: &str,
                      chart_id: &str,
                      title: String,
                      description: String,
                      index: bool|
     -> Option<Chart> {
        let years = years_of(id);
        if years.len() < 2 {
            return None;
        }
        let d = def(id)?;
        Some(Chart {
            id: chart_id.to_owned(),
            title,
            description,
            unit: if index {
                "index".to_owned()
            } else {
                d.unit.symbol(lang.code()).to_owned()
            },
            decimals: if index { 1 } else { d.decimals },
            kind: ChartKind::Line,
            categories: years.iter().map(u16::to_string).collect(),
            series: names
                .iter()
                .map(|(c, name)| ChartSeries {
                    name: name.clone(),
                    values: {
                        let values: Vec<Option<f64>> =
                            years.iter().map(|&y| get(id, *c, y)).collect();
                        match values.iter().flatten().next() {
                            Some(&first) if index && first != 0.0 => values
                                .iter()
                                .map(|v| v.map(|v| v / first * 100.0))
                                .collect(),
                            _ => values,
                        }
                    },
                })
                .filter(|s| s.values.iter().any(Option::is_some))
                .collect(),
        })
    };
    let area_name = &input.area.name;
    let mut charts = Vec::new();
    charts.extend(over_years(
        "inhabitants_index_2012",
        "chart-population",
        lang.pick("Inwoners, index 2012 = 100", "Inhabitants, index 2012 = 100").to_owned(),
        match lang {
            Lang::Nl => format!("Lijndiagram: het aantal inwoners van {area_name} per jaar als index (2012 = 100), naast de provincie en Nederland."),
            Lang::En => format!("Line chart: the number of inhabitants of {area_name} per year as an index (2012 = 100), next to the province and the Netherlands."),
        },
        false,
    ));
    let ages = [
        ("share_0_14", "0–14"),
        ("share_15_24", "15–24"),
        ("share_25_44", "25–44"),
        ("share_45_64", "45–64"),
        ("share_65_plus", "65+"),
    ];
    if ages
        .iter()
        .any(|(id, _)| get(id, Some(code), input.year).is_some())
    {
        charts.push(Chart {
            id: "chart-age".to_owned(),
            title: match lang {
                Lang::Nl => format!("Leeftijdsopbouw {}, % van de inwoners", input.year),
                Lang::En => format!("Age structure {}, % of inhabitants", input.year),
            },
            description: match lang {
                Lang::Nl => format!("Staafdiagram: het aandeel inwoners per leeftijdsgroep in {area_name}, naast de provincie en Nederland."),
                Lang::En => format!("Bar chart: the share of inhabitants per age group in {area_name}, next to the province and the Netherlands."),
            },
            unit: "%".to_owned(),
            decimals: 1,
            kind: ChartKind::Bars,
            categories: ages.iter().map(|(_, l)| (*l).to_owned()).collect(),
            series: names
                .iter()
                .map(|(c, name)| ChartSeries {
                    name: name.clone(),
                    values: ages.iter().map(|(id, _)| get(id, *c, input.year)).collect(),
                })
                .filter(|s| s.values.iter().any(Option::is_some))
                .collect(),
        });
    }
    charts.extend(over_years(
        "household_size",
        "chart-households",
        lang.pick("Gemiddelde huishoudensgrootte", "Average household size").to_owned(),
        match lang {
            Lang::Nl => format!("Lijndiagram: het gemiddeld aantal personen per huishouden in {area_name} per jaar, naast de provincie en Nederland."),
            Lang::En => format!("Line chart: the average number of persons per household in {area_name} per year, next to the province and the Netherlands."),
        },
        false,
    ));
    charts.extend(over_years(
        "projected_inhabitants",
        "chart-projection",
        lang.pick("Inwoners volgens de prognose, index eerste jaar = 100", "Projected inhabitants, index first year = 100").to_owned(),
        match lang {
            Lang::Nl => format!("Lijndiagram: het geprognosticeerde aantal inwoners van {area_name} per jaar als index (eerste prognosejaar = 100), naast de provincie en Nederland."),
            Lang::En => format!("Line chart: the projected number of inhabitants of {area_name} per year as an index (first projection year = 100), next to the province and the Netherlands."),
        },
        true,
    ));
    charts.truncate(4);

    let mut source_ids: Vec<&str> = INDICATORS
        .iter()
        .filter(|id| series.contains_key(&(**id, code)))
        .filter_map(|id| def(id).map(|d| d.source.as_str()))
        .collect();
    source_ids.sort_unstable();
    source_ids.dedup();
    let sources = source_ids
        .iter()
        .filter_map(|id| input.sources.iter().find(|s| s.id == *id))
        .map(|s| SourceNote {
            table: s.table.clone(),
            licence: s.licence.clone(),
            attribution: s.attribution.clone(),
        })
        .collect();
    let notes = vec![
        lang.pick(
            "Aandelen, dichtheden en gemiddelden zijn op elk niveau opnieuw berekend uit hun teller en noemer, nooit gemiddeld over gebieden.",
            "Shares, densities and means are recomputed at every level from their numerator and denominator, never averaged across areas.",
        )
        .to_owned(),
        lang.pick(
            "Bevolkingsgroei in 5 jaar: (inwoners in het jaar / inwoners 5 jaar eerder − 1) × 100.",
            "Population change over 5 years: (inhabitants in the year / inhabitants 5 years before − 1) × 100.",
        )
        .to_owned(),
        lang.pick(
            "De prognose en de afstand tot de basisschool zijn modeluitkomsten van Leefbaar (benadering).",
            "The projection and the distance to a primary school are Leefbaar model outputs (approximate).",
        )
        .to_owned(),
    ];
    Ok(FactsheetData {
        code: code.to_owned(),
        name: input.area.name.clone(),
        level: level_name(input.area.level(), lang).to_owned(),
        province: input.province.map(|a| a.name.clone()),
        // The store names the country in Dutch; an English sheet uses the English name.
        country: match (lang, input.country) {
            (Lang::Nl, Some(a)) => a.name.clone(),
            (Lang::Nl, None) => "Nederland".to_owned(),
            (Lang::En, _) => "Netherlands".to_owned(),
        },
        theme: input.theme,
        year: input.year,
        lang,
        date: input.date.to_owned(),
        key_figures,
        charts,
        sources,
        notes,
    })
}
