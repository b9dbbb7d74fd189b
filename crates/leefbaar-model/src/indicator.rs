//! Declared indicators: what is measured, in which unit, and how it aggregates.
//!
//! Indicators are declared in a catalogue file (see `leefbaar-indicators`), not coded; these
//! types are the parsed form every crate shares.

use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// Text in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalizedText {
    /// Dutch, the default language of the product.
    pub nl: String,
    /// English.
    pub en: String,
}

impl LocalizedText {
    /// The text in `language` (`"en"` gives English, anything else Dutch).
    pub fn in_language(&self, language: &str) -> &str {
        if language == "en" { &self.en } else { &self.nl }
    }
}

/// The unit of an indicator's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A number of persons.
    Persons,
    /// A number of households.
    Households,
    /// A number of dwellings.
    Dwellings,
    /// A number of business establishments.
    Businesses,
    /// A number of vehicles.
    Vehicles,
    /// A number of something else, named in the indicator's description.
    Count,
    /// Percent (0–100).
    Percent,
    /// Percentage points, for changes of a percentage.
    PercentagePoints,
    /// Per 1,000 of the denominator (usually inhabitants).
    Per1000,
    /// Per square kilometre of land.
    PerKm2,
    /// Kilometres.
    Km,
    /// Square kilometres.
    Km2,
    /// Minutes of travel time (and person-minutes as totals).
    Minutes,
    /// Thousands of euros.
    ThousandEuro,
    /// Persons per household.
    PersonsPerHousehold,
    /// Persons of one group per person of another (the informal-care potential: residents
    /// 50–74 per resident 85+).
    PersonsPerPerson,
    /// Years (of life expectancy).
    Years,
    /// An index, the base year = 100.
    Index,
    /// A score on the publisher's own scale (the Leefbaarometer's deviation from its national
    /// reference), named in the indicator's description; not a count, so it does not add up.
    Score,
    /// An ordinal class number (the Leefbaarometer's 1–9, CBS's urbanity 1–5): an order, not
    /// an amount, so neither summed nor averaged.
    Class,
}

impl Unit {
    /// All units, for documentation and validation.
    pub const ALL: [Unit; 20] = [
        Unit::Persons,
        Unit::Households,
        Unit::Dwellings,
        Unit::Businesses,
        Unit::Vehicles,
        Unit::Count,
        Unit::Percent,
        Unit::PercentagePoints,
        Unit::Per1000,
        Unit::PerKm2,
        Unit::Km,
        Unit::Km2,
        Unit::Minutes,
        Unit::ThousandEuro,
        Unit::PersonsPerHousehold,
        Unit::PersonsPerPerson,
        Unit::Years,
        Unit::Index,
        Unit::Score,
        Unit::Class,
    ];
    const EXPECTED: &'static str = "persons, households, dwellings, businesses, vehicles, count, percent, percentage_points, per_1000, per_km2, km, km2, minutes, thousand_euro, persons_per_household, persons_per_person, years, index, score, class";

    /// The stable identifier used in catalogue files, the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Persons => "persons",
            Unit::Households => "households",
            Unit::Dwellings => "dwellings",
            Unit::Businesses => "businesses",
            Unit::Vehicles => "vehicles",
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::PercentagePoints => "percentage_points",
            Unit::Per1000 => "per_1000",
            Unit::PerKm2 => "per_km2",
            Unit::Km => "km",
            Unit::Km2 => "km2",
            Unit::Minutes => "minutes",
            Unit::ThousandEuro => "thousand_euro",
            Unit::PersonsPerHousehold => "persons_per_household",
            Unit::PersonsPerPerson => "persons_per_person",
            Unit::Years => "years",
            Unit::Index => "index",
            Unit::Score => "score",
            Unit::Class => "class",
        }
    }

    /// A short symbol or word to print after a value.
    pub fn symbol(self, language: &str) -> &'static str {
        let english = language == "en";
        match self {
            Unit::Persons => {
                if english {
                    "persons"
                } else {
                    "personen"
                }
            }
            Unit::Households => {
                if english {
                    "households"
                } else {
                    "huishoudens"
                }
            }
            Unit::Dwellings => {
                if english {
                    "dwellings"
                } else {
                    "woningen"
                }
            }
            Unit::Businesses => {
                if english {
                    "establishments"
                } else {
                    "vestigingen"
                }
            }
            Unit::Vehicles => {
                if english {
                    "vehicles"
                } else {
                    "voertuigen"
                }
            }
            Unit::Count | Unit::Index | Unit::Score | Unit::Class => "",
            Unit::Percent => "%",
            Unit::PercentagePoints => {
                if english {
                    "pp"
                } else {
                    "%-punt"
                }
            }
            Unit::Per1000 => "‰",
            Unit::PerKm2 => "/km²",
            Unit::Km => "km",
            Unit::Km2 => "km²",
            Unit::Minutes => "min",
            Unit::ThousandEuro => "× €1.000",
            Unit::PersonsPerHousehold => {
                if english {
                    "persons/household"
                } else {
                    "personen/huishouden"
                }
            }
            Unit::PersonsPerPerson => {
                if english {
                    "per person"
                } else {
                    "per persoon"
                }
            }
            Unit::Years => {
                if english {
                    "years"
                } else {
                    "jaar"
                }
            }
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Unit {
    type Err = ModelError;
    fn from_str(text: &str) -> Result<Unit, ModelError> {
        Unit::ALL
            .into_iter()
            .find(|unit| unit.as_str() == text)
            .ok_or_else(|| ModelError::BadUnit {
                found: text.to_owned(),
                expected: Self::EXPECTED,
            })
    }
}

/// How an indicator is computed from base variables, and therefore how it aggregates.
///
/// Counts and sums add up over areas. Every ratio (share, rate, mean) is recomputed at each
/// level from its aggregated numerator and denominator, never averaged over areas. A published
/// value that is not a count (a score, a class) is shown where it was published and never
/// aggregated.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorKind {
    /// A count of persons or things (`variable`), summed over areas.
    Count {
        /// The base variable counted.
        variable: String,
    },
    /// A sum of a quantity such as area in km², summed over areas.
    Sum {
        /// The base variable summed.
        variable: String,
    },
    /// `100 × numerator / denominator`.
    Share {
        /// The base variable of the part.
        numerator: String,
        /// The base variable of the whole.
        denominator: String,
    },
    /// `per × numerator / denominator`, e.g. cars per 1,000 inhabitants or persons per km².
    Rate {
        /// The base variable counted.
        numerator: String,
        /// The base variable it is related to.
        denominator: String,
        /// The multiplier (1,000 for per mille, 1 for per km²).
        per: f64,
    },
    /// `total / count`, e.g. persons in households per household.
    Mean {
        /// The base variable of the summed quantity.
        total: String,
        /// The base variable of the number of units.
        count: String,
    },
    /// The change of another indicator over `years` years, in its own unit or relative (%).
    Change {
        /// The indicator whose change is measured.
        of: String,
        /// The number of years between the two values.
        years: u16,
        /// `true` for percent change, `false` for the difference in the indicator's unit.
        relative: bool,
    },
    /// Another indicator as an index, its value in `base_year` = 100.
    Index {
        /// The indicator indexed.
        of: String,
        /// The year whose value is 100.
        base_year: u16,
    },
    /// A value published per area that does not add up over areas (a livability score or
    /// class): shown at the level it was published at, never summed or averaged, so a
    /// province or the country without a published value of its own has none.
    Published {
        /// The (non-additive) base variable shown.
        variable: String,
    },
}

impl IndicatorKind {
    /// The stable identifier of the kind used in the API and docs.
    pub fn as_str(&self) -> &'static str {
        match self {
            IndicatorKind::Count { .. } => "count",
            IndicatorKind::Sum { .. } => "sum",
            IndicatorKind::Share { .. } => "share",
            IndicatorKind::Rate { .. } => "rate",
            IndicatorKind::Mean { .. } => "mean",
            IndicatorKind::Change { .. } => "change",
            IndicatorKind::Index { .. } => "index",
            IndicatorKind::Published { .. } => "published",
        }
    }

    /// A human-readable formula, e.g. `100 × inhabitants_65_plus / inhabitants`.
    pub fn formula(&self) -> String {
        match self {
            IndicatorKind::Count { variable } | IndicatorKind::Sum { variable } => {
                format!("Σ {variable}")
            }
            IndicatorKind::Share {
                numerator,
                denominator,
            } => format!("100 × Σ {numerator} / Σ {denominator}"),
            IndicatorKind::Rate {
                numerator,
                denominator,
                per,
            } => format!("{per} × Σ {numerator} / Σ {denominator}"),
            IndicatorKind::Mean { total, count } => format!("Σ {total} / Σ {count}"),
            IndicatorKind::Change {
                of,
                years,
                relative: true,
            } => format!("100 × ({of}(t) − {of}(t−{years})) / {of}(t−{years})"),
            IndicatorKind::Change {
                of,
                years,
                relative: false,
            } => format!("{of}(t) − {of}(t−{years})"),
            IndicatorKind::Index { of, base_year } => {
                format!("100 × {of}(t) / {of}({base_year})")
            }
            IndicatorKind::Published { variable } => format!("{variable} as published"),
        }
    }
}

/// A declared indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    /// Stable identifier, lowercase with underscores (`share_65_plus`).
    pub id: String,
    /// Short name for menus and chart titles.
    pub name: LocalizedText,
    /// One or two sentences: what is counted, with the source's definition.
    pub description: LocalizedText,
    /// Theme for grouping in menus (`population`, `housing`, ...).
    pub theme: String,
    /// Unit of the values.
    pub unit: Unit,
    /// How it is computed and aggregated.
    pub kind: IndicatorKind,
    /// Decimals to show.
    pub decimals: u8,
    /// The id of the [`Source`](crate::Source) its base variables come from.
    pub source: String,
    /// Whether and how fact sheets show it (the catalogue's `factsheet` field); `None`: not on
    /// fact sheets.
    pub factsheet: Option<FactsheetUse>,
}

/// How an indicator appears on fact sheets, declared in the catalogue (`factsheet = { tile = 3
/// }`), so that a sheet shows whatever indicators carry it and a new monitor's indicators reach
/// the sheets by a catalogue entry rather than a code change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FactsheetUse {
    /// A key-figure tile at this position (1 first): tiles are ordered by it, ties in
    /// catalogue order, and the first eight with a value for the area are shown.
    pub tile: Option<u16>,
    /// The value may come from the indicator's latest year rather than the sheet's (model
    /// outputs such as the projection and reach, computed for one year or for the future).
    pub latest: bool,
    /// A member of this chart.
    pub chart: Option<FactsheetChart>,
    /// Its short label in the chart (a bar's category); the indicator's name when `None`.
    pub label: Option<LocalizedText>,
    /// A ranking chart at this position (1 first, after the other charts): the area among the
    /// other areas of its parent in the sheet's year.
    pub ranking: Option<u16>,
    /// The sheet (a fact-sheet theme id, such as `hartveilig`) the indicator appears on;
    /// `None`: the livability sheet ([`FactsheetUse::DEFAULT_SHEET`]).
    pub sheet: Option<String>,
}

impl FactsheetUse {
    /// The sheet of an indicator whose flag names none: livability.
    pub const DEFAULT_SHEET: &'static str = "leefbaarheid";

    /// The id of the sheet the indicator appears on.
    pub fn sheet_id(&self) -> &str {
        self.sheet.as_deref().unwrap_or(Self::DEFAULT_SHEET)
    }
}

/// A chart of a fact sheet. The sheet writes each chart's title and text and draws it; the
/// catalogue says which indicators it draws ([`FactsheetUse::chart`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactsheetChart {
    /// The number of inhabitants over the years: one indicator, a line per compared area.
    Population,
    /// The age structure in the sheet's year: a bar per member and compared area.
    Age,
    /// The average household size over the years: one indicator, a line per compared area.
    Households,
    /// The projected number of inhabitants, indexed to its first year: one indicator.
    Projection,
    /// The average distance to the nearest facility: a bar per member (facility kind).
    Reach,
    /// The share of inhabitants with an AED within reach by moment of the week (24/7, day,
    /// evening, night, Saturday): a bar per member.
    AedCoverage,
    /// The informal-care potential over the years: one indicator, a line per compared area.
    InformalCare,
    /// The estimated people with dementia as an index over the years: one indicator.
    Dementia,
}

impl FactsheetChart {
    /// All charts, in the order a sheet draws them.
    pub const ALL: [FactsheetChart; 8] = [
        FactsheetChart::Population,
        FactsheetChart::Age,
        FactsheetChart::Households,
        FactsheetChart::Projection,
        FactsheetChart::Reach,
        FactsheetChart::AedCoverage,
        FactsheetChart::InformalCare,
        FactsheetChart::Dementia,
    ];
    const EXPECTED: &'static str =
        "population, age, households, projection, reach, aed_coverage, informal_care, dementia";

    /// The identifier used in catalogue files and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            FactsheetChart::Population => "population",
            FactsheetChart::Age => "age",
            FactsheetChart::Households => "households",
            FactsheetChart::Projection => "projection",
            FactsheetChart::Reach => "reach",
            FactsheetChart::AedCoverage => "aed_coverage",
            FactsheetChart::InformalCare => "informal_care",
            FactsheetChart::Dementia => "dementia",
        }
    }

    /// Whether the chart draws one indicator over the years (a line) rather than a bar per
    /// member.
    pub fn is_single(self) -> bool {
        matches!(
            self,
            FactsheetChart::Population
                | FactsheetChart::Households
                | FactsheetChart::Projection
                | FactsheetChart::InformalCare
                | FactsheetChart::Dementia
        )
    }
}

impl fmt::Display for FactsheetChart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FactsheetChart {
    type Err = ModelError;
    fn from_str(text: &str) -> Result<FactsheetChart, ModelError> {
        FactsheetChart::ALL
            .into_iter()
            .find(|chart| chart.as_str() == text)
            .ok_or_else(|| ModelError::BadFactsheetChart {
                found: text.to_owned(),
                expected: Self::EXPECTED,
            })
    }
}
