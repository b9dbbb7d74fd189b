//! The population projection: the cohort-component projection of every municipality
//! (`leefbaar-projection`) run from the bundle's inputs (`[projection]`), as facts of the
//! `projected_*` base variables for the store, and prepared for serving: the province's
//! municipalities, the province and the bundle's regions with variants, intervals, krimp
//! classes and pyramids ([`ProjectionMonitor`]).

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_ingest::{ProjectionSpec, RegionSpec};
use leefbaar_model::{AreaCode, CellValue, Fact, Method, Source, SourceRow, Year};
use leefbaar_projection::{
    AgeSexTable, BootstrapParams, BundledTables, Classification, HeadshipMode, Interval,
    N_BUNDLED_FILES, NetherlandsSetup, ProjectionError, ProjectionOutputs, ProjectionSetup, Region,
    Sex, Variant, YearOutput, classify_series, informal_care_potential, netherlands_setup,
    projection_outputs,
};

use crate::error::MonitorError;

/// The source id the projection's facts carry.
pub const SOURCE_ID: &str = "projection_leefbaar";

/// The base year of the bundled projection inputs.
pub const BASE_YEAR: u16 = 2020;

/// The horizon of the stored and served projection.
pub const HORIZON: u16 = 2040;

/// What every projection output says about itself.
pub const SCENARIO_NOTE: &str = "A scenario, not a forecast: cohort-component projection from 1 January 2020 through the registered totals of 2022–2024, with national rates and national net migration as published by UN WPP 2024 (estimates, then the median path) and each municipality's deviation from yearly 2012–2023 residuals; the ex-ante 2020 → 2024 back-test of the method was within ±2 % for 8 of Drenthe's 12 municipalities and missed by up to −2.95 % (Midden-Drenthe), NL mean absolute error 1.41 % (data/projection/README.md)";

/// Reads the projection inputs in `dir` into the national set-up (every municipality of the
/// base year's division, with its province).
pub fn national_setup(dir: &Path) -> Result<NetherlandsSetup, MonitorError> {
    let texts: [String; N_BUNDLED_FILES] = BundledTables::FILES
        .map(|name| fs_err::read_to_string(dir.join(name)))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .try_into()
        .expect("one text per file");
    let tables = BundledTables::from_texts(&texts);
    netherlands_setup(&tables, HeadshipMode::NationalTrend).map_err(|source| {
        MonitorError::Projection {
            dir: dir.to_owned(),
            source: Box::new(source),
        }
    })
}

/// The province a projection is served for, with its municipalities in the base year's
/// division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Its code (`PV22`).
    pub code: AreaCode,
    /// Its name.
    pub name: String,
    /// Its municipalities in the projection's base year.
    pub members: Vec<AreaCode>,
}

impl Province {
    /// The province `code` of the national set-up, named `name`; `None` when the set-up has
    /// no municipality in it.
    pub fn of(setup: &NetherlandsSetup, code: &AreaCode, name: &str) -> Option<Province> {
        let members: Vec<AreaCode> = setup
            .setup
            .areas
            .iter()
            .filter(|area| setup.provinces.get(&area.code) == Some(code))
            .map(|area| area.code.clone())
            .collect();
        (!members.is_empty()).then(|| Province {
            code: code.clone(),
            name: name.to_owned(),
            members,
        })
    }
}

/// What a projected area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectedKind {
    /// A municipality of the base year's division.
    Municipality,
    /// The monitored province.
    Province,
    /// A region of the bundle.
    Region,
}

impl ProjectedKind {
    /// `municipality`, `province` or `region`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectedKind::Municipality => "municipality",
            ProjectedKind::Province => "province",
            ProjectedKind::Region => "region",
        }
    }
}

/// A national projection run: every municipality, and the regions asked for.
pub struct NationalRun {
    /// Variants, regions and intervals.
    pub outputs: ProjectionOutputs,
    /// Municipality names of the base year.
    pub names: BTreeMap<AreaCode, String>,
    /// The regions summed.
    pub regions: Vec<Region>,
    /// The horizon.
    pub horizon: Year,
    /// Years from the base year whose migration is registered.
    pub known_years: u16,
}

/// The names of the municipalities of the set-up's base-year division, by code.
pub fn municipality_names(setup: &NetherlandsSetup) -> BTreeMap<AreaCode, String> {
    setup
        .setup
        .areas
        .iter()
        .map(|area| (area.code.clone(), area.name.clone()))
        .collect()
}

/// Projects every municipality of `setup` to `horizon` with `runs` bootstrap runs, and the
/// regions `regions`.
pub fn run_national(
    setup: &NetherlandsSetup,
    horizon: Year,
    runs: usize,
    regions: Vec<Region>,
) -> Result<NationalRun, ProjectionError> {
    let params = BootstrapParams {
        runs,
        ..BootstrapParams::default()
    };
    let names = municipality_names(setup);
    let outputs = projection_outputs(&setup.setup, horizon, &params, &regions)?;
    Ok(NationalRun {
        outputs,
        names,
        regions,
        horizon,
        known_years: setup.setup.known_years,
    })
}

/// The projection as facts of the `projected_*` variables, one per municipality and year
/// (medium variant, with the low and high variants' population).
pub fn facts(run: &NationalRun) -> Vec<Fact> {
    let mut facts = Vec::new();
    let variants = &run.outputs.variants;
    let medium = &variants[&Variant::Medium];
    for (code, series) in medium {
        for (index, output) in series.iter().enumerate() {
            let low = &variants[&Variant::Low][code][index];
            let high = &variants[&Variant::High][code][index];
            // The care ages of the low and high variants too, so the informal-care potential
            // has its variants recomputed from sums like the medium one.
            let values = [
                ("projected_inhabitants", output.population),
                ("projected_inhabitants_low", low.population),
                ("projected_inhabitants_high", high.population),
                ("projected_65_plus", output.aged_65_plus),
                ("projected_80_plus", output.aged_80_plus),
                ("projected_75_plus", output.aged_75_plus),
                ("projected_85_plus", output.aged_85_plus),
                ("projected_85_plus_low", low.aged_85_plus),
                ("projected_85_plus_high", high.aged_85_plus),
                ("projected_50_74", output.aged_50_74),
                ("projected_50_74_low", low.aged_50_74),
                ("projected_50_74_high", high.aged_50_74),
                ("projected_4_11", output.aged_4_11),
                ("projected_4_11_low", low.aged_4_11),
                ("projected_4_11_high", high.aged_4_11),
                ("projected_12_17", output.aged_12_17),
                ("projected_12_17_low", low.aged_12_17),
                ("projected_12_17_high", high.aged_12_17),
                ("projected_households", output.households),
                ("projected_labour_force", output.labour_force_20_66),
            ];
            for (variable, value) in values {
                facts.push(Fact {
                    area: code.clone(),
                    year: output.year,
                    variable: variable.to_owned(),
                    value: CellValue::Value(value),
                    method: Method::Projected,
                    rows: Vec::<SourceRow>::new(),
                });
            }
        }
    }
    facts
}

/// The source record of the projection's facts.
pub fn source(spec: &ProjectionSpec, imported_at: &str) -> Source {
    Source {
        id: SOURCE_ID.to_owned(),
        file: spec.file.clone(),
        table: "Leefbaar cohort-component projection from 1 January 2020 (CBS population, UN WPP 2024 rates, residual migration)".to_owned(),
        licence: "CC BY 4.0".to_owned(),
        attribution: "Bron: CBS, UN WPP 2024; bewerking Leefbaar".to_owned(),
        imported_at: imported_at.to_owned(),
    }
}

/// A classification with its numbers, rounded to whole persons and households.
#[derive(Debug, Clone, Copy, PartialEq)]
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

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn pct(fraction: f64) -> f64 {
    (fraction * 10_000.0).round() / 100.0
}

/// The classification per variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classes {
    /// Medium variant (the headline class).
    pub medium: ClassNumbers,
    /// Low variant.
    pub low: ClassNumbers,
    /// High variant.
    pub high: ClassNumbers,
}

/// One year of an area's projection, rounded to whole persons.
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// Residents aged 75 and older, medium variant.
    pub aged_75_plus: f64,
    /// Residents aged 85 and older, medium variant.
    pub aged_85_plus: f64,
    /// Residents aged 50–74, medium variant.
    pub aged_50_74: f64,
    /// Residents 50–74 per resident 85+ (two decimals): the variants and the bootstrap band.
    pub informal_care_potential: CarePotential,
}

/// The informal-care potential of one year in every variant and its bootstrap band, each
/// the ratio of its own sums (the band's ends are quantiles of the runs' ratios).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarePotential {
    /// Medium variant.
    pub medium: f64,
    /// Low variant.
    pub low: f64,
    /// High variant.
    pub high: f64,
    /// Lower end of the bootstrap interval (10th percentile of the runs' ratios).
    pub lower: f64,
    /// Upper end of the bootstrap interval (90th percentile).
    pub upper: f64,
}

/// The projection of one municipality or region.
#[derive(Debug, Clone)]
pub struct AreaProjection {
    /// A municipality code, the province's code (`PV22`) or a region's id (`oost-drenthe`).
    pub id: String,
    /// The name.
    pub name: String,
    /// What the area is.
    pub kind: ProjectedKind,
    /// The member municipalities of a province or region.
    pub members: Vec<AreaCode>,
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
#[derive(Debug, Clone, PartialEq)]
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
}

/// The projection a server publishes: the province's municipalities, the province and the
/// bundle's regions, with variants, intervals, classes and pyramids.
#[derive(Debug, Clone)]
pub struct ProjectionMonitor {
    base_year: u16,
    horizon: u16,
    runs: usize,
    areas: Vec<AreaProjection>,
}

impl ProjectionMonitor {
    /// Projects the municipalities `members` of `setup` (the national set-up) to `horizon`
    /// with `runs` bootstrap runs, and sums them to the province and to `regions` (those whose
    /// members are all among `members`).
    ///
    /// The bootstrap over the province alone gives the same intervals as over every
    /// municipality: the national migration shock is shared out per resident of the
    /// Netherlands, so it is scaled by the province's share before the other areas are
    /// dropped, and the draws do not depend on the areas.
    pub fn new(
        setup: &ProjectionSetup,
        province: &Province,
        regions: &[RegionSpec],
        horizon: Year,
        runs: usize,
    ) -> Result<ProjectionMonitor, ProjectionError> {
        let national_base: f64 = setup.areas.iter().map(|area| area.base.total()).sum();
        let areas: Vec<_> = setup
            .areas
            .iter()
            .filter(|area| province.members.contains(&area.code))
            .cloned()
            .collect();
        let province_base: f64 = areas.iter().map(|area| area.base.total()).sum();
        let share = if national_base > 0.0 {
            province_base / national_base
        } else {
            0.0
        };
        let province_setup = ProjectionSetup {
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
        let mut regions: Vec<(String, String, ProjectedKind, Region)> = std::iter::once((
            province.code.to_string(),
            province.name.clone(),
            ProjectedKind::Province,
            Region {
                name: province.name.clone(),
                members: province.members.clone(),
            },
        ))
        .chain(
            regions
                .iter()
                .filter(|region| region.members.iter().all(|m| province.members.contains(m)))
                .map(|region| {
                    (
                        region.id.clone(),
                        region.name.clone(),
                        ProjectedKind::Region,
                        Region {
                            name: region.name.clone(),
                            members: region.members.clone(),
                        },
                    )
                }),
        )
        .collect();
        // The engine keys regions by name; a region named like the province would merge them.
        regions.dedup_by(|b, a| a.3.name == b.3.name);
        let region_list: Vec<Region> = regions.iter().map(|r| r.3.clone()).collect();
        let params = BootstrapParams {
            runs,
            ..BootstrapParams::default()
        };
        let outputs = projection_outputs(&province_setup, horizon, &params, &region_list)?;
        let mut tables = BTreeMap::new();
        for area in &province_setup.areas {
            let trajectory = province_setup.trajectory(area, Variant::Medium, horizon)?;
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
                    let care_band = interval
                        .get(index)
                        .map_or([f64::NAN; 3], |i| i.informal_care_potential);
                    let potential = |output: Option<&YearOutput>| {
                        output.map_or(f64::NAN, |o| {
                            round2(informal_care_potential(o.aged_50_74, o.aged_85_plus))
                        })
                    };
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
                        aged_75_plus: output.aged_75_plus.round(),
                        aged_85_plus: output.aged_85_plus.round(),
                        aged_50_74: output.aged_50_74.round(),
                        informal_care_potential: CarePotential {
                            medium: potential(Some(output)),
                            low: potential(low.get(index)),
                            high: potential(high.get(index)),
                            lower: round2(care_band[0]),
                            upper: round2(care_band[2]),
                        },
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
                id: id.clone(),
                name: name.clone(),
                kind: *kind,
                members: region.members.clone(),
                series,
                classes,
                base,
                horizon: end,
            });
        }
        for area in &province_setup.areas {
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
                kind: ProjectedKind::Municipality,
                members: Vec::new(),
                series,
                classes,
                base,
                horizon: end,
            });
        }
        Ok(ProjectionMonitor {
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

    /// Every projected area: the province, the regions, then the municipalities by code.
    pub fn areas(&self) -> &[AreaProjection] {
        &self.areas
    }

    /// One area by id (the province's code, a region's id in any case, or a municipality
    /// code).
    pub fn area(&self, id: &str) -> Option<&AreaProjection> {
        self.areas
            .iter()
            .find(|area| area.id.eq_ignore_ascii_case(id))
    }
}
