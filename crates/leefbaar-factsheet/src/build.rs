//! From model values (areas, indicator definitions, observations, sources, boundaries) to a
//! [`FactsheetData`]. Pure: the caller reads the store.
//!
//! Which indicators a sheet shows is the catalogue's say, not this file's: every indicator with
//! a fact-sheet flag ([`FactsheetUse`]) for the sheet's theme ([`FactsheetUse::sheet_id`] equal
//! to [`Theme::id`]) is a candidate tile (by position, the first eight with a
//! value), a member of one of the charts this file draws and titles ([`FactsheetChart`]), or a
//! ranking. What stays here is the prose: chart titles and descriptions, and the sentences on
//! what a sheet lacks, which name the figures they explain.
//!
//! A municipality's sheet and a district's use the same template but not the same data:
//! Leefbaar has CBS figures for districts for 2024 only and projects population per
//! municipality, so a district sheet has no series over the years and no projection. It
//! compares the district with its municipality as well as the province and the country, ranks
//! it among the municipality's districts and shows reach of facilities where it was measured;
//! what it lacks is said in the generated text ([`FactsheetData::gaps`]) rather than left out
//! silently.

use std::collections::{BTreeMap, BTreeSet};

use leefbaar_model::{
    Area, AreaLevel, FactsheetChart, FactsheetUse, IndicatorDef, Observation, Source,
};

use crate::present::{and_list, capitalise, level_name, level_plural};
use crate::{
    Chart, ChartKind, ChartSeries, FactsheetData, FactsheetError, KeyFigure, Lang, SeriesRole,
    SourceNote, Theme,
};

/// What [`build`] needs, read by the caller.
#[derive(Debug, Clone, Copy)]
pub struct BuildInput<'a> {
    /// The area of the sheet.
    pub area: &'a Area,
    /// For a district or neighbourhood sheet: its municipality, compared with.
    pub municipality: Option<&'a Area>,
    /// Its province, compared with.
    pub province: Option<&'a Area>,
    /// The Netherlands, compared with.
    pub country: Option<&'a Area>,
    /// The area the map inset places the sheet's area in: the province for a municipality,
    /// the municipality for a district.
    pub map_parent: Option<&'a Area>,
    /// The areas of the map inset with their boundaries: the areas of the sheet's level in
    /// `map_parent`, the sheet's area among them. Empty: no inset and no ranking.
    pub map_areas: &'a [Area],
    /// The catalogue: the sheet shows the indicators that carry a fact-sheet flag
    /// ([`IndicatorDef::factsheet`]).
    pub indicators: &'a [IndicatorDef],
    /// Observations of the flagged indicators for the area, its municipality, the province,
    /// the country and the areas of the map inset, any years.
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
    /// The notice of a synthetic source of the theme's figures, shown at the top of the sheet
    /// ([`FactsheetData::notice`]); the caller reads it from the bundle (the Hartveilig sheet's
    /// from `[aed].synthetic_notice`).
    pub notice: Option<&'a str>,
}

type Series<'a> = BTreeMap<(&'a str, &'a str), BTreeMap<u16, f64>>;

/// A value by indicator, area and year.
type Lookup<'a> = dyn Fn(&str, Option<&str>, u16) -> Option<f64> + 'a;

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
    let level = input.area.level();
    let gm = input.municipality.map(|a| a.code.as_str());
    let prov = input.province.map(|a| a.code.as_str());
    let nl = input.country.map(|a| a.code.as_str());
    let get = |id: &str, area: Option<&str>, year: u16| {
        area.and_then(|a| series.get(&(id, a)))
            .and_then(|s| s.get(&year))
            .copied()
    };
    let latest_year = |id: &str, area: &str| {
        series
            .get(&(id, area))
            .and_then(|s| s.keys().next_back().copied())
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

    // The indicators flagged for this theme's sheet in catalogue order, with their flags.
    let flagged: Vec<(&IndicatorDef, &FactsheetUse)> = input
        .indicators
        .iter()
        .filter_map(|d| Some((d, d.factsheet.as_ref()?)))
        .filter(|(_, f)| f.sheet_id() == input.theme.id())
        .collect();
    let latest = |id: &str| flagged.iter().any(|(d, f)| d.id == id && f.latest);
    let mut tiles: Vec<(u16, &IndicatorDef)> = flagged
        .iter()
        .filter_map(|(d, f)| Some((f.tile?, *d)))
        .collect();
    // Stable: tiles at the same position keep catalogue order.
    tiles.sort_by_key(|(position, _)| *position);

    let mut key_figures = Vec::new();
    // Tiles the area lacks before the sheet is full: they would have been shown, so the text
    // says why they are not.
    let mut missing_tiles = Vec::new();
    for (_, d) in tiles {
        if key_figures.len() == 8 {
            break;
        }
        let id = d.id.as_str();
        let year = if latest(id) {
            latest_year(id, code)
        } else {
            Some(input.year)
        };
        let Some(value) = year.and_then(|year| get(id, Some(code), year)) else {
            missing_tiles.push(id);
            continue;
        };
        let year = year.unwrap_or(input.year);
        key_figures.push(KeyFigure {
            indicator: id.to_owned(),
            label: label(id),
            unit: d.unit.symbol(lang.code()).to_owned(),
            decimals: d.decimals,
            year,
            value,
            municipality: get(id, gm, year),
            province: get(id, prov, year),
            country: get(id, nl, year),
        });
    }
    if key_figures.is_empty() {
        return Err(FactsheetError::NoThemeData {
            area: code.to_owned(),
            theme: input.theme.id(),
        });
    }
    let gaps = gaps(input, &missing_tiles, &|id| {
        // A figure is only missing if a larger area has it (in the sheet's year, or in any
        // year for model outputs): a store without a projection at all, or a year in which CBS
        // published no dwelling stock, is not a gap of this sheet.
        let latest = latest(id);
        [gm, prov].into_iter().flatten().any(|a| {
            series
                .get(&(id, a))
                .is_some_and(|s| latest || s.contains_key(&input.year))
        })
    });

    let country_name = match (lang, input.country) {
        // The store names the country in Dutch; an English sheet uses the English name.
        (Lang::Nl, Some(a)) => a.name.clone(),
        (Lang::Nl, None) => "Nederland".to_owned(),
        (Lang::En, _) => "Netherlands".to_owned(),
    };
    let names: Vec<(&str, String, SeriesRole)> = [
        (Some(code), input.area.name.clone(), SeriesRole::Area),
        (
            gm,
            input
                .municipality
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            SeriesRole::Municipality,
        ),
        (
            prov,
            input.province.map(|a| a.name.clone()).unwrap_or_default(),
            SeriesRole::Province,
        ),
        (nl, country_name.clone(), SeriesRole::Country),
    ]
    .into_iter()
    .filter_map(|(c, name, role)| c.map(|c| (c, name, role)))
    .collect();
    // One series per compared area over `categories`, leaving out areas without any value.
    let series_of = |values: &dyn Fn(&str) -> Vec<Option<f64>>| -> Vec<ChartSeries> {
        names
            .iter()
            .map(|(c, name, role)| ChartSeries {
                name: name.clone(),
                role: *role,
                values: values(c),
            })
            .filter(|s| s.values.iter().any(Option::is_some))
            .collect()
    };
    let years_of = |id: &str| -> Vec<u16> {
        series
            .get(&(id, code))
            .map(|s| {
                s.keys()
                    .copied()
                    .filter(|&y| y <= input.year || latest(id))
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
            series: series_of(&|c| {
                let values: Vec<Option<f64>> = years.iter().map(|&y| get(id, Some(c), y)).collect();
                match values.iter().flatten().next() {
                    Some(&first) if index && first != 0.0 => values
                        .iter()
                        .map(|v| v.map(|v| v / first * 100.0))
                        .collect(),
                    _ => values,
                }
            }),
            highlight: None,
            references: Vec::new(),
        })
    };
    let area_name = &input.area.name;
    let compared = compared_with(input, lang);
    let mut charts = Vec::new();
    for chart in FactsheetChart::ALL {
        let members: Vec<(&IndicatorDef, &FactsheetUse)> = flagged
            .iter()
            .filter(|(_, f)| f.chart == Some(chart))
            .copied()
            .collect();
        let Some(&(first, _)) = members.first() else {
            continue;
        };
        let id = first.id.as_str();
        let chart_id = format!("chart-{}", chart.as_str().replace('_', "-"));
        // A chart of one indicator over the years: its title, its description, and whether
        // each series is indexed to its first year.
        let line = match chart {
            FactsheetChart::Population => Some((
                lang.pick(
                    "Inwoners, index 2012 = 100",
                    "Inhabitants, index 2012 = 100",
                ),
                match lang {
                    Lang::Nl => format!(
                        "Lijndiagram: het aantal inwoners van {area_name} per jaar als index (2012 = 100), naast {compared}."
                    ),
                    Lang::En => format!(
                        "Line chart: the number of inhabitants of {area_name} per year as an index (2012 = 100), next to {compared}."
                    ),
                },
                false,
            )),
            FactsheetChart::Households => Some((
                lang.pick("Gemiddelde huishoudensgrootte", "Average household size"),
                match lang {
                    Lang::Nl => format!(
                        "Lijndiagram: het gemiddeld aantal personen per huishouden in {area_name} per jaar, naast {compared}."
                    ),
                    Lang::En => format!(
                        "Line chart: the average number of persons per household in {area_name} per year, next to {compared}."
                    ),
                },
                false,
            )),
            FactsheetChart::Projection => Some((
                lang.pick(
                    "Inwoners volgens de prognose, index eerste jaar = 100",
                    "Projected inhabitants, index first year = 100",
                ),
                match lang {
                    Lang::Nl => format!(
                        "Lijndiagram: het geprognosticeerde aantal inwoners van {area_name} per jaar als index (eerste prognosejaar = 100), naast {compared}."
                    ),
                    Lang::En => format!(
                        "Line chart: the projected number of inhabitants of {area_name} per year as an index (first projection year = 100), next to {compared}."
                    ),
                },
                true,
            )),
            FactsheetChart::InformalCare => Some((
                lang.pick(
                    "Mantelzorgpotentieel: inwoners 50–74 per inwoner 85+",
                    "Informal-care potential: inhabitants 50–74 per inhabitant 85+",
                ),
                match lang {
                    Lang::Nl => format!(
                        "Lijndiagram: het aantal inwoners van 50 tot en met 74 jaar per inwoner van 85 jaar of ouder in {area_name} per jaar volgens de prognose, naast {compared}."
                    ),
                    Lang::En => format!(
                        "Line chart: the number of inhabitants aged 50 to 74 per inhabitant aged 85 or over in {area_name} per year according to the projection, next to {compared}."
                    ),
                },
                false,
            )),
            FactsheetChart::Dementia => Some((
                lang.pick(
                    "Mensen met dementie (schatting), index 2024 = 100",
                    "People with dementia (estimate), index 2024 = 100",
                ),
                match lang {
                    Lang::Nl => format!(
                        "Lijndiagram: het geschatte aantal mensen met dementie in {area_name} per jaar als index (2024 = 100), naast {compared}."
                    ),
                    Lang::En => format!(
                        "Line chart: the estimated number of people with dementia in {area_name} per year as an index (2024 = 100), next to {compared}."
                    ),
                },
                false,
            )),
            FactsheetChart::Age | FactsheetChart::Reach | FactsheetChart::AedCoverage => None,
        };
        if let Some((title, description, index)) = line {
            charts.extend(over_years(
                id,
                &chart_id,
                title.to_owned(),
                description,
                index,
            ));
            continue;
        }
        // Otherwise a bar per member and compared area.
        // A bar per member in the sheet's year, or, for model outputs, in the latest
        // year the area has a value of a member.
        let year = if members.iter().any(|(_, f)| f.latest) {
            members
                .iter()
                .filter_map(|(d, _)| latest_year(&d.id, code))
                .max()
        } else {
            Some(input.year)
        };
        let Some(year) = year.filter(|&year| {
            members
                .iter()
                .any(|(d, _)| get(&d.id, Some(code), year).is_some())
        }) else {
            continue;
        };
        let labels: Vec<String> = members
            .iter()
            .map(|(d, f)| {
                f.label
                    .as_ref()
                    .unwrap_or(&d.name)
                    .in_language(lang.code())
                    .to_owned()
            })
            .collect();
        let (title, description) = if chart == FactsheetChart::AedCoverage {
            (
                match lang {
                    Lang::Nl => format!("Inwoners met een AED binnen bereik {year}, %"),
                    Lang::En => format!("Inhabitants with an AED within reach {year}, %"),
                },
                match lang {
                    Lang::Nl => format!(
                        "Staafdiagram: het aandeel inwoners van {area_name} met een beschikbare AED binnen bereik, per moment van de week, naast {compared}."
                    ),
                    Lang::En => format!(
                        "Bar chart: the share of inhabitants of {area_name} with an available AED within reach, per moment of the week, next to {compared}."
                    ),
                },
            )
        } else if chart == FactsheetChart::Age {
            (
                match lang {
                    Lang::Nl => format!("Leeftijdsopbouw {year}, % van de inwoners"),
                    Lang::En => format!("Age structure {year}, % of inhabitants"),
                },
                match lang {
                    Lang::Nl => format!(
                        "Staafdiagram: het aandeel inwoners per leeftijdsgroep in {area_name}, naast {compared}."
                    ),
                    Lang::En => format!(
                        "Bar chart: the share of inhabitants per age group in {area_name}, next to {compared}."
                    ),
                },
            )
        } else {
            let kinds = and_list(&labels, lang);
            let unit = first.unit.symbol(lang.code());
            (
                match lang {
                    Lang::Nl => format!(
                        "Gemiddelde afstand tot de dichtstbijzijnde voorziening {year}, {unit}"
                    ),
                    Lang::En => format!("Average distance to the nearest facility {year}, {unit}"),
                },
                match lang {
                    Lang::Nl => format!(
                        "Staafdiagram: de gemiddelde afstand van de inwoners van {area_name} tot de dichtstbijzijnde {kinds} (benadering), naast {compared}."
                    ),
                    Lang::En => format!(
                        "Bar chart: the average distance from the inhabitants of {area_name} to the nearest {kinds} (approximate), next to {compared}."
                    ),
                },
            )
        };
        charts.push(Chart {
            id: chart_id,
            title,
            description,
            unit: first.unit.symbol(lang.code()).to_owned(),
            decimals: first.decimals,
            kind: ChartKind::Bars,
            categories: labels.iter().map(|l| capitalise(l)).collect(),
            series: series_of(&|c| {
                members
                    .iter()
                    .map(|(d, _)| get(&d.id, Some(c), year))
                    .collect()
            }),
            highlight: None,
            references: Vec::new(),
        });
    }
    let mut rankings: Vec<(u16, &IndicatorDef)> = flagged
        .iter()
        .filter_map(|(d, f)| Some((f.ranking?, *d)))
        .collect();
    rankings.sort_by_key(|(position, _)| *position);
    for (_, d) in rankings {
        charts.extend(ranking(input, &get, d));
    }
    charts.truncate(4);

    let map = crate::map::inset(input.area, input.map_parent, input.map_areas, lang);
    let on_sheet: BTreeSet<&str> = flagged.iter().map(|(d, _)| d.id.as_str()).collect();
    let sources = sources(input, code, &on_sheet, map.is_some());
    let mut notes = vec![
        lang.pick(
            "Aandelen, dichtheden en gemiddelden zijn op elk niveau opnieuw berekend uit hun teller en noemer, nooit gemiddeld over gebieden.",
            "Shares, densities and means are recomputed at every level from their numerator and denominator, never averaged across areas.",
        )
        .to_owned(),
    ];
    if key_figures
        .iter()
        .any(|f| f.indicator == "inhabitants_change_5y")
    {
        notes.push(
            lang.pick(
                "Bevolkingsgroei in 5 jaar: (inwoners in het jaar / inwoners 5 jaar eerder − 1) × 100.",
                "Population change over 5 years: (inhabitants in the year / inhabitants 5 years before − 1) × 100.",
            )
            .to_owned(),
        );
    }
    if level >= AreaLevel::District {
        notes.push(
            lang.pick(
                "Wijkcijfers: CBS Kerncijfers wijken en buurten 2024. CBS publiceert leeftijdsgroepen per wijk als hele procenten; de aantallen zijn daaruit teruggerekend.",
                "District figures: CBS Key figures for districts and neighbourhoods 2024. CBS publishes age groups per district as whole percentages; the counts are reconstructed from them.",
            )
            .to_owned(),
        );
    }
    notes.push(
        match input.theme {
            Theme::Leefbaarheid => lang.pick(
                "De prognose en de afstanden tot voorzieningen zijn modeluitkomsten van Leefbaar (benadering).",
                "The projection and the distances to facilities are Leefbaar model outputs (approximate).",
            ),
            Theme::Hartveilig => lang.pick(
                "De AED-dekking is een modeluitkomst van Leefbaar: hemelsbreed, met de inwoners gespreid over hun deel van de 1 km-cel, naar de openingstijden van de AED's (benadering).",
                "AED coverage is a Leefbaar model output: straight line, the inhabitants spread over their part of the 1 km cell, by the AEDs' opening hours (approximate).",
            ),
            Theme::Zorg => lang.pick(
                "De zorgvraag is een modeluitkomst van Leefbaar: de bevolkingsprognose naar leeftijd en geslacht, en voor dementie die prognose maal de prevalentie naar leeftijd en geslacht uit Europees bevolkingsonderzoek (EuroCoDe, Alzheimer Europe), constant verondersteld. Gezondheidscijfers zijn gepubliceerde cijfers met hun bron.",
                "Care demand is a Leefbaar model output: the population projection by age and sex, and for dementia that projection times the prevalence by age and sex from European population studies (EuroCoDe, Alzheimer Europe), held constant. Health figures are published figures with their source.",
            ),
        }
        .to_owned(),
    );
    if map.is_some() {
        notes.push(
            lang.pick(
                "Kaart: vereenvoudigde grenzen in een vlakke projectie (lengtegraden geschaald met de cosinus van de breedte).",
                "Map: simplified boundaries in a flat projection (longitudes scaled by the cosine of the latitude).",
            )
            .to_owned(),
        );
    }
    Ok(FactsheetData {
        code: code.to_owned(),
        name: input.area.name.clone(),
        level: level_name(level, lang).to_owned(),
        municipality: input.municipality.map(|a| a.name.clone()),
        province: input.province.map(|a| a.name.clone()),
        country: country_name,
        theme: input.theme,
        year: input.year,
        lang,
        date: input.date.to_owned(),
        notice: input.notice.map(str::to_owned),
        map,
        key_figures,
        gaps,
        charts,
        sources,
        notes,
    })
}

/// "the province and the Netherlands", or with the municipality first for a district.
fn compared_with(input: &BuildInput<'_>, lang: Lang) -> String {
    match (lang, input.municipality) {
        (Lang::Nl, Some(m)) => format!("de gemeente {}, de provincie en Nederland", m.name),
        (Lang::En, Some(m)) => format!(
            "the municipality of {}, the province and the Netherlands",
            m.name
        ),
        (Lang::Nl, None) => "de provincie en Nederland".to_owned(),
        (Lang::En, None) => "the province and the Netherlands".to_owned(),
    }
}

/// The sentences on figures the sheet lacks: `missing` are the tiles without a value for the
/// area, `elsewhere` says whether a larger area has the indicator.
fn gaps(input: &BuildInput<'_>, missing: &[&str], elsewhere: &dyn Fn(&str) -> bool) -> Vec<String> {
    let lang = input.lang;
    let name = &input.area.name;
    let sub_municipal = input.area.level() >= AreaLevel::District;
    let missing: Vec<&str> = missing.iter().copied().filter(|id| elsewhere(id)).collect();
    let mut out = Vec::new();
    if sub_municipal && missing.contains(&"inhabitants_change_5y") {
        out.push(
            lang.pick(
                "Bevolkingsgroei is er niet per wijk: Leefbaar heeft CBS-cijfers voor wijken alleen van 2024.",
                "Population change is not available for districts: Leefbaar has CBS figures for districts for 2024 only.",
            )
            .to_owned(),
        );
    }
    if sub_municipal && missing.iter().any(|id| id.starts_with("projected")) {
        out.push(
            lang.pick(
                "De bevolkingsprognose is er per gemeente, niet per wijk.",
                "The population projection is made per municipality, not per district.",
            )
            .to_owned(),
        );
    }
    if missing.iter().any(|id| id.starts_with("reach")) {
        out.push(match (lang, sub_municipal) {
            (Lang::Nl, true) => format!("De afstand tot voorzieningen is voor {name} niet berekend: Leefbaar meet vanuit één punt per postcodegebied (PC4) en er ligt geen zo'n punt in deze wijk."),
            (Lang::En, true) => format!("Distances to facilities are not available for {name}: Leefbaar measures them from one point per postcode area (PC4), and no such point lies in this district."),
            (Lang::Nl, false) => format!("De afstand tot voorzieningen is voor {name} niet berekend."),
            (Lang::En, false) => format!("Distances to facilities are not available for {name}."),
        });
    }
    for id in &missing {
        let explained = (sub_municipal
            && (*id == "inhabitants_change_5y" || id.starts_with("projected")))
            || id.starts_with("reach");
        if explained {
            continue;
        }
        let label = input
            .indicators
            .iter()
            .find(|d| d.id == *id)
            .map_or(*id, |d| d.name.in_language(lang.code()));
        out.push(match lang {
            Lang::Nl => format!("{label}: geen cijfer voor {name} in {}.", input.year),
            Lang::En => format!("{label}: no figure for {name} in {}.", input.year),
        });
    }
    out
}

/// A bar per area of the map inset with a value of `id` in the sheet's year, sorted from high to
/// low, the sheet's area highlighted and the parent's value as a reference line; `None` with
/// fewer than three such areas.
fn ranking(input: &BuildInput<'_>, get: &Lookup<'_>, def: &IndicatorDef) -> Option<Chart> {
    let lang = input.lang;
    let parent = input.map_parent?;
    let id = def.id.as_str();
    let what = def.name.in_language(lang.code());
    let mut bars: Vec<(&Area, f64)> = input
        .map_areas
        .iter()
        .filter_map(|a| get(id, Some(a.code.as_str()), input.year).map(|v| (a, v)))
        .collect();
    if bars.len() < 3 {
        return None;
    }
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
    let highlight = bars.iter().position(|(a, _)| a.code == input.area.code)?;
    let kind = level_plural(input.area.level(), lang);
    let unit = def.unit.symbol(lang.code()).to_owned();
    let area_name = &input.area.name;
    let parent_name = &parent.name;
    let rank = highlight + 1;
    let count = bars.len();
    let reference = get(id, Some(parent.code.as_str()), input.year).map(|value| ChartSeries {
        name: parent_name.clone(),
        role: if parent.level() == AreaLevel::Municipality {
            SeriesRole::Municipality
        } else {
            SeriesRole::Province
        },
        values: vec![Some(value)],
    });
    Some(Chart {
        id: format!("chart-rank-{}", id.replace('_', "-")),
        title: match lang {
            Lang::Nl => format!("{what} in de {kind} van {parent_name}, {}", input.year),
            Lang::En => format!("{what} in the {kind} of {parent_name}, {}", input.year),
        },
        description: match lang {
            Lang::Nl => format!(
                "Staafdiagram: {} per {} van {parent_name}, van hoog naar laag; {area_name} staat op plaats {rank} van {count}{}.",
                decapitalise(what),
                level_name(input.area.level(), lang),
                if reference.is_some() {
                    format!(", de lijn is {parent_name} als geheel")
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "Bar chart: {} per {} of {parent_name}, from high to low; {area_name} ranks {rank} of {count}{}.",
                decapitalise(what),
                level_name(input.area.level(), lang),
                if reference.is_some() {
                    format!(", the line is {parent_name} as a whole")
                } else {
                    String::new()
                }
            ),
        },
        unit,
        decimals: def.decimals,
        kind: ChartKind::Ranking,
        categories: bars.iter().map(|(a, _)| a.name.clone()).collect(),
        series: vec![ChartSeries {
            name: match lang {
                Lang::Nl => format!("Andere {kind}"),
                Lang::En => format!("Other {kind}"),
            },
            role: SeriesRole::Other,
            values: bars.iter().map(|(_, v)| Some(*v)).collect(),
        }],
        highlight: Some(highlight),
        references: reference.into_iter().collect(),
    })
}

/// `what` with a lowercase first letter, for the middle of a sentence; a leading abbreviation
/// ("AED's", "WOZ") keeps its capitals.
fn decapitalise(what: &str) -> String {
    let mut chars = what.chars();
    match (chars.next(), chars.next()) {
        (Some(first), second) if !second.is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(what.chars().skip(1)).collect()
        }
        _ => what.to_owned(),
    }
}

/// The sources of the figures on the sheet: the files the area's values of the indicators
/// `on_sheet` (those flagged for its theme) were read from (their provenance rows), the
/// indicator's declared source for model outputs without rows, and the boundaries when there
/// is a map. Observations of another theme's indicators do not credit their source here.
fn sources(
    input: &BuildInput<'_>,
    code: &str,
    on_sheet: &BTreeSet<&str>,
    with_map: bool,
) -> Vec<SourceNote> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for o in input.observations {
        if o.area.as_str() != code
            || o.value.value().is_none()
            || !on_sheet.contains(o.indicator.as_str())
        {
            continue;
        }
        if o.provenance.rows.is_empty() {
            if let Some(d) = input.indicators.iter().find(|d| d.id == o.indicator) {
                ids.insert(d.source.as_str());
            }
        } else {
            ids.extend(o.provenance.rows.iter().map(|r| r.source.as_str()));
        }
    }
    let mut notes: Vec<SourceNote> = ids
        .iter()
        .filter_map(|id| input.sources.iter().find(|s| s.id == *id))
        .map(|s| SourceNote {
            table: s.table.clone(),
            licence: s.licence.clone(),
            attribution: s.attribution.clone(),
        })
        .collect();
    // The store keeps boundaries per area without their file; like the dashboard, the map
    // credits Kadaster / CBS unless a boundary file with that attribution is listed already.
    if with_map && !notes.iter().any(|n| n.attribution.starts_with("Kadaster")) {
        notes.push(SourceNote {
            table: input
                .lang
                .pick("Kaart: gebiedsgrenzen", "Map: area boundaries")
                .to_owned(),
            licence: "CC BY 4.0".to_owned(),
            attribution: "Kadaster / CBS".to_owned(),
        });
    }
    notes
}

#[cfg(test)]
mod tests {
    use leefbaar_model::{
        AreaCode, CellValue, IndicatorKind, LocalizedText, Provenance, Unit, Year,
    };

    use super::*;

    fn area(code: &str, name: &str, parent: Option<&str>) -> Area {
        Area {
            code: AreaCode::parse(code).unwrap(),
            name: name.to_owned(),
            parent: parent.map(|p| AreaCode::parse(p).unwrap()),
            first_year: Year::new(2012).unwrap(),
            last_year: Year::new(2024).unwrap(),
            geometry_geojson: None,
        }
    }

    /// A definition as the catalogue gives it, named by its id.
    fn def(id: &str, unit: Unit, factsheet: FactsheetUse) -> IndicatorDef {
        IndicatorDef {
            id: id.to_owned(),
            name: LocalizedText {
                nl: id.to_owned(),
                en: id.to_owned(),
            },
            description: LocalizedText::default(),
            theme: "population".to_owned(),
            unit,
            kind: IndicatorKind::Count {
                variable: id.to_owned(),
            },
            decimals: 1,
            source: "test".to_owned(),
            factsheet: Some(factsheet),
        }
    }

    /// The indicators the tests use, flagged as the shipped catalogue and the reach entries
    /// generated from the Drenthe manifest flag them.
    fn flagged() -> Vec<IndicatorDef> {
        let tile = |tile| FactsheetUse {
            tile: Some(tile),
            ..FactsheetUse::default()
        };
        let reach = |tile, en: &str| FactsheetUse {
            tile,
            latest: true,
            chart: Some(FactsheetChart::Reach),
            label: Some(LocalizedText {
                nl: en.to_owned(),
                en: en.to_owned(),
            }),
            ranking: None,
            sheet: None,
        };
        vec![
            def("inhabitants", Unit::Persons, tile(1)),
            def("inhabitants_change_5y", Unit::Percent, tile(2)),
            def("share_65_plus", Unit::Percent, tile(3)),
            def(
                "projected_inhabitants_change_20y",
                Unit::Percent,
                FactsheetUse {
                    latest: true,
                    ..tile(7)
                },
            ),
            def("households", Unit::Households, tile(9)),
            def(
                "reach_distance_primary_school",
                Unit::Km,
                reach(Some(8), "primary school"),
            ),
            def("reach_distance_hospital", Unit::Km, reach(None, "hospital")),
        ]
    }

    /// Builds the English sheet of `code` (a district of Assen, or Assen) with the catalogue
    /// `indicators` from observations given as `indicator,area,year,value` lines.
    fn sheet(code: &str, indicators: &[IndicatorDef], observations: &str) -> FactsheetData {
        sheet_of(Theme::Leefbaarheid, code, indicators, observations).unwrap()
    }

    /// [`sheet`] in `theme`, or why there is none.
    fn sheet_of(
        theme: Theme,
        code: &str,
        indicators: &[IndicatorDef],
        observations: &str,
    ) -> Result<FactsheetData, FactsheetError> {
        let province = area("PV22", "Drenthe", None);
        let assen = area("GM0106", "Assen", Some("PV22"));
        let lariks = area("WK010601", "Lariks", Some("GM0106"));
        let sheet_area = if code == "GM0106" { &assen } else { &lariks };
        let observations: Vec<Observation> = observations
            .trim()
            .lines()
            .map(|line| {
                let fields: Vec<&str> = line.trim().split(',').collect();
                Observation {
                    indicator: fields[0].to_owned(),
                    area: AreaCode::parse(fields[1]).unwrap(),
                    year: Year::new(fields[2].parse().unwrap()).unwrap(),
                    value: CellValue::Value(fields[3].parse().unwrap()),
                    provenance: Provenance::default(),
                }
            })
            .collect();
        build(&BuildInput {
            area: sheet_area,
            municipality: (code != "GM0106").then_some(&assen),
            province: Some(&province),
            country: None,
            map_parent: None,
            map_areas: &[],
            indicators,
            observations: &observations,
            sources: &[],
            theme,
            year: 2024,
            lang: Lang::En,
            date: "2026-01-01",
            notice: None,
        })
    }

    /// The summary and the chart ids of [`sheet`] with the [`flagged`] catalogue.
    fn check_sheet(code: &str, observations: &str) -> (String, Vec<String>) {
        let data = sheet(code, &flagged(), observations);
        let charts = data.charts.iter().map(|c| c.id.clone()).collect();
        (crate::summary(&data), charts)
    }

    #[test]
    fn a_district_without_reach_or_projection_says_so() {
        let (text, charts) = check_sheet(
            "WK010601",
            "
inhabitants,WK010601,2024,5385
inhabitants,GM0106,2024,69701
inhabitants_change_5y,GM0106,2024,2.0
projected_inhabitants_change_20y,GM0106,2040,-1.0
reach_distance_primary_school,GM0106,2024,0.74
",
        );
        assert_eq!(
            text,
            "Lariks, a district of Assen, had 5,385 inhabitants in 2024. \
             Population change is not available for districts: Leefbaar has CBS figures for districts for 2024 only. \
             The population projection is made per municipality, not per district. \
             Distances to facilities are not available for Lariks: Leefbaar measures them from one point per postcode area (PC4), and no such point lies in this district."
        );
        assert!(charts.is_empty(), "{charts:?}");
    }

    #[test]
    fn a_district_with_reach_is_compared_with_its_municipality() {
        let (text, charts) = check_sheet(
            "WK010601",
            "
inhabitants,WK010601,2024,5385
reach_distance_primary_school,WK010601,2024,0.68
reach_distance_primary_school,GM0106,2024,0.74
reach_distance_primary_school,PV22,2024,1.11
reach_distance_hospital,WK010601,2024,3.2
",
        );
        assert_eq!(
            text,
            "Lariks, a district of Assen, had 5,385 inhabitants in 2024. \
             Inhabitants live on average 0.7 km from the nearest primary school (Assen 0.7 km, Drenthe 1.1 km)."
        );
        assert_eq!(charts, ["chart-reach"]);
    }

    #[test]
    fn a_store_without_a_projection_is_not_a_gap_of_the_sheet() {
        let (text, _) = check_sheet(
            "GM0106",
            "
inhabitants,GM0106,2024,69701
inhabitants_change_5y,GM0106,2024,2.0
inhabitants_change_5y,PV22,2024,2.4
",
        );
        assert_eq!(
            text,
            "The population of Assen grew by 2.0 % between 2019 and 2024, more slowly than Drenthe (+2.4 %)."
        );
    }

    /// A new monitor's indicator reaches the sheets by its catalogue entry alone: flagged as
    /// the first tile in a bundle's catalogue extension, it is on the sheet, after the built-in
    /// first tile (ties keep catalogue order). See: issue "Monitors as plug-ins".
    #[test]
    fn an_indicator_a_catalogue_extension_flags_as_a_tile_is_on_the_sheet() {
        let extension = r#"
[[indicator]]
id = "share_80_plus_of_65_plus"
kind = "share"
numerator = "inhabitants_80_plus"
denominator = "inhabitants_65_plus"
unit = "percent"
decimals = 1
theme = "age"
source = "kwb_gemeenten_2012_2024"
name = { nl = "Aandeel 80+ onder de 65-plussers", en = "Share aged 80+ among those aged 65+" }
description = { nl = "d", en = "d" }
factsheet = { tile = 1 }
"#;
        let catalogue = leefbaar_indicators::default_catalogue()
            .extend("bundle/catalogue.toml", extension)
            .unwrap();
        let observations = "
inhabitants,GM0106,2024,69701
share_80_plus_of_65_plus,GM0106,2024,24.5
share_80_plus_of_65_plus,PV22,2024,22.1
";
        let data = sheet("GM0106", catalogue.indicators(), observations);
        let tiles: Vec<&str> = data
            .key_figures
            .iter()
            .map(|f| f.indicator.as_str())
            .collect();
        assert_eq!(tiles, ["inhabitants", "share_80_plus_of_65_plus"]);
        let figure = data.figure("share_80_plus_of_65_plus").unwrap();
        assert_eq!(figure.label, "Share aged 80+ among those aged 65+");
        assert_eq!((figure.value, figure.province), (24.5, Some(22.1)));
        // Without the flag, the same catalogue entry stays off the sheet.
        let unflagged = leefbaar_indicators::default_catalogue()
            .extend(
                "bundle/catalogue.toml",
                &extension.replace("factsheet = { tile = 1 }", ""),
            )
            .unwrap();
        let data = sheet("GM0106", unflagged.indicators(), observations);
        assert!(data.figure("share_80_plus_of_65_plus").is_none());
    }

    /// The care sheet takes its tiles and charts from the shipped catalogue's `sheet = "zorg"`
    /// flags, values from the projection's last year, and says how the informal-care
    /// potential moved since the chart's first year. See: issue #15.
    #[test]
    fn the_care_sheet_shows_the_projected_care_demand_and_says_where_it_goes() {
        let indicators = leefbaar_indicators::default_catalogue()
            .indicators()
            .to_vec();
        let observations = "
informal_care_potential,GM0106,2020,14.0
informal_care_potential,GM0106,2040,6.3
informal_care_potential,PV22,2040,5.8
projected_share_85_plus,GM0106,2040,4.8
projected_dementia,GM0106,2040,1837
projected_dementia_index_2024,GM0106,2024,100
projected_dementia_index_2024,GM0106,2040,151.2
inhabitants,GM0106,2024,69701
";
        let data = sheet_of(Theme::Zorg, "GM0106", &indicators, observations).unwrap();
        let tiles: Vec<&str> = data
            .key_figures
            .iter()
            .map(|f| f.indicator.as_str())
            .collect();
        assert_eq!(
            tiles,
            [
                "projected_share_85_plus",
                "informal_care_potential",
                "projected_dementia",
                "projected_dementia_index_2024"
            ]
        );
        let charts: Vec<&str> = data.charts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(charts, ["chart-informal-care", "chart-dementia"]);
        let text = crate::summary(&data);
        assert!(
            text.contains("Assen will have 6.3 inhabitants aged 50 to 74 per inhabitant aged 85 or over in 2040, against 14.0 in 2020 (Drenthe 5.8)."),
            "{text}"
        );
        assert!(
            text.contains("an estimated 1,837 inhabitants of Assen will have dementia in 2040 (index 151.2, 2024 = 100)."),
            "{text}"
        );
        // The livability sheet shows none of the care tiles.
        let livability =
            sheet_of(Theme::Leefbaarheid, "GM0106", &indicators, observations).unwrap();
        assert!(livability.figure("informal_care_potential").is_none());
    }

    /// Each sheet shows the indicators flagged for it: an AED tile flagged for the Hartveilig
    /// sheet is not on the livability sheet, and the Hartveilig sheet shows no livability tile.
    /// See: issue #14.
    #[test]
    fn each_theme_shows_the_indicators_flagged_for_its_sheet() {
        let mut indicators = flagged();
        indicators.push(def(
            "aed_share_uncovered_24_7",
            Unit::Percent,
            FactsheetUse {
                tile: Some(1),
                sheet: Some("hartveilig".to_owned()),
                ..FactsheetUse::default()
            },
        ));
        let observations = "
inhabitants,GM0106,2024,69701
aed_share_uncovered_24_7,GM0106,2024,12.5
aed_share_uncovered_24_7,PV22,2024,10.0
";
        let tiles = |data: &FactsheetData| -> Vec<String> {
            data.key_figures
                .iter()
                .map(|f| f.indicator.clone())
                .collect()
        };
        let livability = sheet_of(Theme::Leefbaarheid, "GM0106", &indicators, observations);
        assert_eq!(tiles(&livability.unwrap()), ["inhabitants"]);
        let hartveilig = sheet_of(Theme::Hartveilig, "GM0106", &indicators, observations).unwrap();
        assert_eq!(tiles(&hartveilig), ["aed_share_uncovered_24_7"]);
        assert_eq!(
            crate::summary(&hartveilig),
            "In Assen, 12.5 % of the inhabitants have no AED within reach that is available day and night (Drenthe 10.0 %)."
        );
        // Without any of its figures for the area, there is no Hartveilig sheet, and it says
        // so rather than showing an empty sheet.
        let error = sheet_of(
            Theme::Hartveilig,
            "GM0106",
            &indicators,
            "inhabitants,GM0106,2024,69701",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "area GM0106 has no figures of the theme `hartveilig`"
        );
    }

    #[test]
    fn themes_are_parsed_by_their_ids_and_unknown_ones_are_named() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.id()).unwrap(), theme);
        }
        assert_eq!(
            Theme::parse("onderwijs").unwrap_err().to_string(),
            "unknown theme `onderwijs`; known: leefbaarheid, hartveilig"
        );
    }
}
