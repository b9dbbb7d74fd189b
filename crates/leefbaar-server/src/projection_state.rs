//! The population projection a server publishes: run once at start for Drenthe's
//! municipalities, the province (`PV22`) and the region Oost-Drenthe (`oost-drenthe`), then
//! served by `/api/v1/projection*` and drawn on the area pages.
//!
//! [`ProjectionData::new`] takes the national set-up of `leefbaar-projection` (the binary reads
//! the files), keeps Drenthe's areas, and holds per area the low / medium / high series, the
//! bootstrap interval per year, the krimp classification of each variant with the numbers
//! behind it, and the population by single age and sex in the base year and at the horizon
//! (medium variant). [`AppState::with_projection`] attaches it; without one the projection
//! routes answer 404 and the area pages leave the section out.
//!
//! The bootstrap over Drenthe alone gives the same intervals as over every municipality: the
//! national migration shock is shared out per resident of the Netherlands, so it is scaled by
//! Drenthe's share before the other areas are dropped, and the draws do not depend on the
//! areas.

use std::collections::BTreeMap;
use std::sync::Arc;

use leefbaar_model::{AreaCode, Year};
use leefbaar_projection::{
    ANTICIPEER_FALL, AgeSexTable, BootstrapParams, Classification, DRENTHE, GROWTH_RISE, Interval,
    KRIMP_HOUSEHOLD_FALL, KRIMP_POPULATION_FALL, OOST_DRENTHE, ProjectionError, ProjectionSetup,
    Region, Sex, Variant, YearOutput, classify_series, projection_outputs,
};
use serde::Serialize;

use crate::AppState;

/// The id of the province of Drenthe among the projected areas.
pub const DRENTHE_ID: &str = "PV22";
/// The id of the region Oost-Drenthe (Aa en Hunze, Borger-Odoorn, Coevorden, Emmen).
pub const OOST_DRENTHE_ID: &str = "oost-drenthe";

/// What every projection output says about itself.
pub const SCENARIO_NOTE: &str = "A scenario, not a forecast: cohort-component projection from 1 January 2020 through the registered totals of 2022–2024, with national rates and national net migration as published by UN WPP 2024 (estimates, then the median path) and each municipality's deviation from yearly 2012–2023 residuals; the ex-ante 2020 → 2024 back-test of the method was within ±2 % for 8 of Drenthe's 12 municipalities and missed by up to −2.95 % (Midden-Drenthe), NL mean absolute error 1.41 % (data/projection/README.md)";

/// The krimp criteria, as the API states them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Criteria {
    /// Krimp: population falls at least this many percent…
    pub krimp_population_fall_pct: f64,
    /// …and households at least this many percent.
    pub krimp_household_fall_pct: f64,
    /// Anticipeer: population or households fall at least this many percent.
    pub anticipeer_fall_pct: f64,
    /// Growth: population rises at least this many percent (Leefbaar's choice).
    pub growth_rise_pct: f64,
    /// The rule in words.
    pub rule: &'static str,
}

/// The criteria of [`leefbaar_projection::classify`].
pub const CRITERIA: Criteria = Criteria {
    krimp_population_fall_pct: KRIMP_POPULATION_FALL * 100.0,
    krimp_household_fall_pct: KRIMP_HOUSEHOLD_FALL * 100.0,
    anticipeer_fall_pct: ANTICIPEER_FALL * 100.0,
    growth_rise_pct: GROWTH_RISE * 100.0,
    rule: "krimp: population −12.5 % and households −5 % or more; anticipeer: population or households −2.5 % or more; growth: population +2.5 % or more; otherwise stable",
};

/// A classification with its numbers, rounded to whole persons and households.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassNumbers {
    /// `krimp`, `anticipeer`, `stable` or `growth`.
    pub class: &'static str,
    /// The first year compared.
    pub from_year: u16,
    /// The last year compared.
    pub to_year: u16,
    /// Residents in `from_year`.
    pub population_from: f64,
    /// Residents in `to_year`.
    pub population_to: f64,
    /// Relative change in percent (two decimals).
    pub population_change_pct: f64,
    /// Households in `from_year`.
    pub households_from: f64,
    /// Households in `to_year`.
    pub households_to: f64,
    /// Relative change in percent (two decimals).
    pub households_change_pct: f64,
}

impl ClassNumbers {
    fn of(classification: &Classification) -> ClassNumbers {
        ClassNumbers {
            class: classification.class.as_str(),
            from_year: classification.from_year.get(),
            to_year: classification.to_year.get(),
            population_from: classification.population.0.round(),
            population_to: classification.population.1.round(),
            population_change_pct: pct(classification.population_change()),
            households_from: classification.households.0.round(),
            households_to: classification.households.1.round(),
            households_change_pct: pct(classification.household_change()),
        }
    }
}

fn pct(fraction: f64) -> f64 {
    (fraction * 10_000.0).round() / 100.0
}

/// The classification per variant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Classes {
    /// Medium variant (the headline class).
    pub medium: ClassNumbers,
    /// Low variant.
    pub low: ClassNumbers,
    /// High variant.
    pub high: ClassNumbers,
}

/// One year of an area's projection, rounded to whole persons.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// The year (1 January).
    pub year: u16,
    /// Residents, medium variant.
    pub medium: f64,
    /// Residents, low variant.
    pub low: f64,
    /// Residents, high variant.
    pub high: f64,
    /// Lower end of the bootstrap interval (10th percentile).
    pub lower: f64,
    /// Median of the bootstrap runs.
    pub median: f64,
    /// Upper end of the bootstrap interval (90th percentile).
    pub upper: f64,
    /// Households, medium variant.
    pub households: f64,
    /// Residents aged 65 and older, medium variant.
    pub aged_65_plus: f64,
    /// Residents aged 80 and older, medium variant.
    pub aged_80_plus: f64,
    /// Residents aged 20–66, medium variant.
    pub labour_force_20_66: f64,
}

/// The projection of one municipality or region.
#[derive(Debug, Clone)]
pub struct AreaProjection {
    /// A municipality code, `PV22` or `oost-drenthe`.
    pub id: String,
    /// The name.
    pub name: String,
    /// `municipality`, `province` or `region`.
    pub kind: &'static str,
    /// The member municipalities of a province or region.
    pub members: Vec<String>,
    /// One point per year, base year to horizon.
    pub series: Vec<SeriesPoint>,
    /// The classification per variant.
    pub classes: Classes,
    /// Population by single age and sex in the base year.
    pub base: AgeSexTable,
    /// Population by single age and sex at the horizon, medium variant.
    pub horizon: AgeSexTable,
}

/// One row of a population pyramid (whole persons).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PyramidRow {
    /// `0`, `0-4`, …, `100+` (or `95+` for 5-year groups).
    pub age: String,
    /// The first age of the row.
    pub from_age: usize,
    /// The last age of the row; `None` for the open class.
    pub to_age: Option<usize>,
    /// Men in the base year.
    pub male_from: f64,
    /// Women in the base year.
    pub female_from: f64,
    /// Men at the horizon (medium variant).
    pub male_to: f64,
    /// Women at the horizon (medium variant).
    pub female_to: f64,
}

/// The age width of a pyramid's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeGroups {
    /// Single years 0–99 and 100+.
    Single,
    /// 0–4, 5–9, …, 90–94 and 95+.
    Five,
}

impl AgeGroups {
    /// `single` or `5`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroups::Single => "single",
            AgeGroups::Five => "5",
        }
    }
}

impl AreaProjection {
    /// The population pyramid of the base year and the horizon.
    pub fn pyramid(&self, groups: AgeGroups) -> Vec<PyramidRow> {
        let n_ages = self.base.n_ages();
        let (width, open_from) = match groups {
            AgeGroups::Single => (1, n_ages - 1),
            AgeGroups::Five => (5, 95.min(n_ages - 1)),
        };
        let sum = |table: &AgeSexTable, sex: Sex, from: usize, to: usize| -> f64 {
            table.counts(sex)[from..=to].iter().sum::<f64>().round()
        };
        let mut rows = Vec::new();
        let mut from = 0;
        while from < n_ages {
            let open = from >= open_from;
            let to = if open {
                n_ages - 1
            } else {
                (from + width - 1).min(n_ages - 1)
            };
            let age = match (open, width) {
                (true, _) => format!("{from}+"),
                (false, 1) => from.to_string(),
                (false, _) => format!("{from}-{to}"),
            };
            rows.push(PyramidRow {
                age,
                from_age: from,
                to_age: (!open).then_some(to),
                male_from: sum(&self.base, Sex::Male, from, to),
                female_from: sum(&self.base, Sex::Female, from, to),
                male_to: sum(&self.horizon, Sex::Male, from, to),
                female_to: sum(&self.horizon, Sex::Female, from, to),
            });
            from = to + 1;
        }
        rows
    }

    /// The summary row of `/api/v1/projection`.
    pub fn summary(&self) -> ProjectionSummary {
        let last = self.series.last().copied();
        ProjectionSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            members: self.members.clone(),
            class: self.classes.medium.class,
            class_low: self.classes.low.class,
            class_high: self.classes.high.class,
            population_from: self.classes.medium.population_from,
            population_to: self.classes.medium.population_to,
            population_change_pct: self.classes.medium.population_change_pct,
            households_change_pct: self.classes.medium.households_change_pct,
            interval_to: last.map(|point| [point.lower, point.upper]),
        }
    }
}

/// One area of `/api/v1/projection`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectionSummary {
    /// A municipality code, `PV22` or `oost-drenthe`.
    pub id: String,
    /// The name.
    pub name: String,
    /// `municipality`, `province` or `region`.
    pub kind: &'static str,
    /// Member municipalities of a province or region.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// The class of the medium variant.
    pub class: &'static str,
    /// The class of the low variant.
    pub class_low: &'static str,
    /// The class of the high variant.
    pub class_high: &'static str,
    /// Residents in the base year.
    pub population_from: f64,
    /// Residents at the horizon, medium variant.
    pub population_to: f64,
    /// Population change in percent, medium variant.
    pub population_change_pct: f64,
    /// Household change in percent, medium variant.
    pub households_change_pct: f64,
    /// The 80 % interval of the residents at the horizon.
    pub interval_to: Option<[f64; 2]>,
}

/// The prepared projection of Drenthe.
#[derive(Debug, Clone)]
pub struct ProjectionData {
    base_year: u16,
    horizon: u16,
    runs: usize,
    areas: Vec<AreaProjection>,
}

impl ProjectionData {
    /// Projects Drenthe's municipalities of `setup` (the national set-up) to `horizon` with
    /// `runs` bootstrap runs, and sums them to Drenthe and Oost-Drenthe.
    pub fn new(
        setup: &ProjectionSetup,
        horizon: Year,
        runs: usize,
    ) -> Result<ProjectionData, ProjectionError> {
        let national_base: f64 = setup.areas.iter().map(|area| area.base.total()).sum();
        let areas: Vec<_> = setup
            .areas
            .iter()
            .filter(|area| DRENTHE.contains(&area.code.as_str()))
            .cloned()
            .collect();
        let drenthe_base: f64 = areas.iter().map(|area| area.base.total()).sum();
        let share = if national_base > 0.0 {
            drenthe_base / national_base
        } else {
            0.0
        };
        let drenthe_setup = ProjectionSetup {
            base_year: setup.base_year,
            schedule: setup.schedule.clone(),
            low_fertility: setup.low_fertility.clone(),
            high_fertility: setup.high_fertility.clone(),
            national_migration_deviations: setup
                .national_migration_deviations
                .iter()
                .map(|deviation| deviation * share)
                .collect(),
            known_years: setup.known_years,
            regional_errors: setup.regional_errors.clone(),
            areas,
        };
        let code = |text: &str| AreaCode::parse(text).expect("a valid code");
        let regions = [
            (
                DRENTHE_ID,
                "Drenthe",
                "province",
                Region {
                    name: "Drenthe".to_owned(),
                    members: DRENTHE.iter().map(|c| code(c)).collect(),
                },
            ),
            (
                OOST_DRENTHE_ID,
                "Oost-Drenthe",
                "region",
                Region {
                    name: "Oost-Drenthe".to_owned(),
                    members: OOST_DRENTHE.iter().map(|c| code(c)).collect(),
                },
            ),
        ];
        let region_list: Vec<Region> = regions.iter().map(|r| r.3.clone()).collect();
        let params = BootstrapParams {
            runs,
            ..BootstrapParams::default()
        };
        let outputs = projection_outputs(&drenthe_setup, horizon, &params, &region_list)?;
        let mut tables = BTreeMap::new();
        for area in &drenthe_setup.areas {
            let trajectory = drenthe_setup.trajectory(area, Variant::Medium, horizon)?;
            let last = trajectory
                .populations
                .last()
                .cloned()
                .unwrap_or_else(|| area.base.clone());
            tables.insert(area.code.clone(), (area.base.clone(), last));
        }
        let from = setup.base_year;
        let build = |series: [&[YearOutput]; 3], interval: &[Interval]| {
            let [low, medium, high] = series;
            let points = medium
                .iter()
                .enumerate()
                .map(|(index, output)| {
                    let band = interval.get(index).map_or([f64::NAN; 3], |i| i.population);
                    SeriesPoint {
                        year: output.year.get(),
                        medium: output.population.round(),
                        low: low.get(index).map_or(f64::NAN, |o| o.population).round(),
                        high: high.get(index).map_or(f64::NAN, |o| o.population).round(),
                        lower: band[0].round(),
                        median: band[1].round(),
                        upper: band[2].round(),
                        households: output.households.round(),
                        aged_65_plus: output.aged_65_plus.round(),
                        aged_80_plus: output.aged_80_plus.round(),
                        labour_force_20_66: output.labour_force_20_66.round(),
                    }
                })
                .collect();
            let class = |series: &[YearOutput]| {
                classify_series(series, from, horizon).map(|c| ClassNumbers::of(&c))
            };
            Some((
                points,
                Classes {
                    medium: class(medium)?,
                    low: class(low)?,
                    high: class(high)?,
                },
            ))
        };
        let mut result = Vec::new();
        for (id, name, kind, region) in &regions {
            let pick = |variant| outputs.region_variants[&variant].get(&region.name);
            let (Some(low), Some(medium), Some(high), Some(interval)) = (
                pick(Variant::Low),
                pick(Variant::Medium),
                pick(Variant::High),
                outputs.intervals.regions.get(&region.name),
            ) else {
                continue;
            };
            let Some((series, classes)) = build([low, medium, high], interval) else {
                continue;
            };
            let mut base = AgeSexTable::zeros(setup.schedule.n_ages());
            let mut end = base.clone();
            for member in &region.members {
                if let Some((b, e)) = tables.get(member) {
                    base.add(b);
                    end.add(e);
                }
            }
            result.push(AreaProjection {
                id: (*id).to_owned(),
                name: (*name).to_owned(),
                kind,
                members: region.members.iter().map(ToString::to_string).collect(),
                series,
                classes,
                base,
                horizon: end,
            });
        }
        for area in &drenthe_setup.areas {
            let pick = |variant| outputs.variants[&variant].get(&area.code);
            let (Some(low), Some(medium), Some(high), Some(interval)) = (
                pick(Variant::Low),
                pick(Variant::Medium),
                pick(Variant::High),
                outputs.intervals.areas.get(&area.code),
            ) else {
                continue;
            };
            let Some((series, classes)) = build([low, medium, high], interval) else {
                continue;
            };
            let (base, end) = tables[&area.code].clone();
            result.push(AreaProjection {
                id: area.code.to_string(),
                name: area.name.clone(),
                kind: "municipality",
                members: Vec::new(),
                series,
                classes,
                base,
                horizon: end,
            });
        }
        Ok(ProjectionData {
            base_year: from.get(),
            horizon: horizon.get(),
            runs,
            areas: result,
        })
    }

    /// The base year.
    pub fn base_year(&self) -> u16 {
        self.base_year
    }

    /// The horizon.
    pub fn horizon(&self) -> u16 {
        self.horizon
    }

    /// The number of bootstrap runs.
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// Every projected area: Drenthe, Oost-Drenthe, then the municipalities by code.
    pub fn areas(&self) -> &[AreaProjection] {
        &self.areas
    }

    /// One area by id (`PV22`, `oost-drenthe` in any case, or a municipality code).
    pub fn area(&self, id: &str) -> Option<&AreaProjection> {
        self.areas
            .iter()
            .find(|area| area.id.eq_ignore_ascii_case(id))
    }
}

impl AppState {
    /// The same state with a prepared projection (`/api/v1/projection*`, the projection
    /// section of `/gebied/{code}`).
    #[must_use]
    pub fn with_projection(mut self, projection: ProjectionData) -> AppState {
        self.projection = Some(Arc::new(projection));
        self
    }

    /// The projection, if one is attached.
    pub(crate) fn projection(&self) -> Option<&ProjectionData> {
        self.projection.as_deref()
    }
}
