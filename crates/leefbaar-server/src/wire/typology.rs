//! The typology on the wire: every municipality's bubble with its numbers, and every area's
//! bubble shares, whole persons and percentages with two decimals; the `data` of
//! `/api/v1/typology` and of `leefbaar typology --json`.

use leefbaar_monitor::typology::{AreaShares, BubbleShare, CHANGES, MunicipalityClass, Typology};
use serde::Serialize;

use super::projection::{CRITERIA, Criteria};

/// A degree of urbanisation.
#[derive(Debug, Clone, Serialize)]
pub struct DegreeWire {
    id: String,
    name_nl: String,
    name_en: String,
    /// The urbanity codes it groups.
    urbanity: Vec<u8>,
}

/// One bubble's id and its two parts.
#[derive(Debug, Clone, Serialize)]
pub struct BubbleWire {
    id: String,
    change: &'static str,
    degree: String,
}

/// A municipality's class.
#[derive(Debug, Clone, Serialize)]
pub struct MunicipalityWire {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its province's code.
    pub province: String,
    /// `change-degree`, e.g. `krimp-rural`.
    pub bubble: String,
    /// The change class, medium variant.
    pub change: &'static str,
    /// The change class, low variant.
    pub change_low: &'static str,
    /// The change class, high variant.
    pub change_high: &'static str,
    /// The degree of urbanisation's id.
    pub degree: String,
    /// CBS's urbanity code (1 very strongly urban … 5 not urban).
    pub urbanity: u8,
    /// Residents in the first year.
    pub population_from: u64,
    /// Residents in the last year, medium variant.
    pub population_to: u64,
    /// Change of residents in percent.
    pub population_change_pct: f64,
    /// Change of households in percent.
    pub households_change_pct: f64,
}

impl MunicipalityWire {
    /// The wire form of `municipality`.
    pub fn of(typology: &Typology, municipality: &MunicipalityClass) -> MunicipalityWire {
        MunicipalityWire {
            code: municipality.code.to_string(),
            name: municipality.name.clone(),
            province: municipality.province.to_string(),
            bubble: typology.bubble_id(municipality),
            change: municipality.change.as_str(),
            change_low: municipality.change_low.as_str(),
            change_high: municipality.change_high.as_str(),
            degree: typology.degrees[municipality.degree].id.clone(),
            urbanity: municipality.urbanity,
            population_from: municipality.population_from,
            population_to: municipality.population_to,
            population_change_pct: municipality.population_change_pct,
            households_change_pct: municipality.households_change_pct,
        }
    }
}

/// One bubble of an area.
#[derive(Debug, Clone, Serialize)]
pub struct BubbleShareWire {
    /// `change-degree`.
    pub bubble: String,
    /// The change class.
    pub change: &'static str,
    /// The degree's id.
    pub degree: String,
    /// Municipalities in the bubble.
    pub municipalities: usize,
    /// Their residents in the first year.
    pub population_from: u64,
    /// Their residents in the last year.
    pub population_to: u64,
    /// Their share of the area's residents in the first year, percent.
    pub share_from_pct: f64,
    /// Their share of the area's residents in the last year, percent.
    pub share_to_pct: f64,
}

impl BubbleShareWire {
    fn of(typology: &Typology, bubble: &BubbleShare) -> BubbleShareWire {
        let degree = typology.degrees[bubble.degree].id.clone();
        BubbleShareWire {
            bubble: format!("{}-{degree}", bubble.change.as_str()),
            change: bubble.change.as_str(),
            degree,
            municipalities: bubble.municipalities,
            population_from: bubble.population_from,
            population_to: bubble.population_to,
            share_from_pct: bubble.share_from_pct,
            share_to_pct: bubble.share_to_pct,
        }
    }
}

/// An area's bubbles.
#[derive(Debug, Clone, Serialize)]
pub struct AreaSharesWire {
    /// `NL01` or a province code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// `country` or `province`.
    pub level: &'static str,
    /// Whether it is the monitored province.
    pub monitored: bool,
    /// Its municipalities.
    pub municipalities: usize,
    /// Its residents in the first year.
    pub population_from: u64,
    /// Its residents in the last year.
    pub population_to: u64,
    /// Every bubble, growing and most urban first.
    pub bubbles: Vec<BubbleShareWire>,
}

impl AreaSharesWire {
    /// The wire form of `area`.
    pub fn of(typology: &Typology, area: &AreaShares) -> AreaSharesWire {
        AreaSharesWire {
            code: area.code.to_string(),
            name: area.name.clone(),
            level: area.code.level().as_str(),
            monitored: area.monitored,
            municipalities: area.municipalities,
            population_from: area.population_from,
            population_to: area.population_to,
            bubbles: area
                .bubbles
                .iter()
                .map(|bubble| BubbleShareWire::of(typology, bubble))
                .collect(),
        }
    }
}

/// The whole typology.
#[derive(Debug, Clone, Serialize)]
pub struct TypologyWire {
    from_year: u16,
    to_year: u16,
    /// What the classes and shares are made of, in words.
    method: &'static str,
    criteria: Criteria,
    changes: Vec<&'static str>,
    degrees: Vec<DegreeWire>,
    bubbles: Vec<BubbleWire>,
    /// The Netherlands, then the provinces.
    areas: Vec<AreaSharesWire>,
    municipalities: Vec<MunicipalityWire>,
}

/// The method in one sentence, for `data.method` and the CLI.
pub const METHOD: &str = "bubble = projected change class 2024–2040 (medium variant, the projection's krimp criteria; the projection of the 2020 division carried to the 2024 division through the lineage) × degree of urbanisation (CBS stedelijkheid from the omgevingsadressendichtheid, grouped as the bundle's [typology] declares); shares are residents in the bubble over residents of the area, summed in whole persons";

impl TypologyWire {
    /// The wire form of `typology`.
    pub fn of(typology: &Typology) -> TypologyWire {
        TypologyWire {
            from_year: typology.from_year,
            to_year: typology.to_year,
            method: METHOD,
            criteria: CRITERIA,
            changes: CHANGES.iter().map(|c| c.as_str()).collect(),
            degrees: typology
                .degrees
                .iter()
                .map(|degree| DegreeWire {
                    id: degree.id.clone(),
                    name_nl: degree.name.nl.clone(),
                    name_en: degree.name.en.clone(),
                    urbanity: degree.codes.clone(),
                })
                .collect(),
            bubbles: CHANGES
                .iter()
                .flat_map(|change| {
                    typology.degrees.iter().map(|degree| BubbleWire {
                        id: format!("{}-{}", change.as_str(), degree.id),
                        change: change.as_str(),
                        degree: degree.id.clone(),
                    })
                })
                .collect(),
            areas: typology
                .areas
                .iter()
                .map(|area| AreaSharesWire::of(typology, area))
                .collect(),
            municipalities: typology
                .municipalities
                .iter()
                .map(|m| MunicipalityWire::of(typology, m))
                .collect(),
        }
    }
}
