//! Assembly of a projection for every Dutch municipality from the bundled tables in
//! `data/projection/`, and the 2020 → 2024 back-test against the registered population.
//!
//! Where each number comes from:
//!
//! - **Base population** (1 January 2020, 355 municipalities): CBS population by single age
//!   (both sexes), ages 100–105 added into 100+. Split by sex with the male share of each
//!   5-year group on 1 January 2021 (CBS postcode table): for Drenthe from the municipality's
//!   own PC4 areas, for the other municipalities the national share (PC2 rows). A year's
//!   shift in the reference date moves a few persons across group edges; the share itself
//!   barely changes.
//! - **Rates**: UN WPP 2024 via [`crate::wpp_rates`]; fertility variants scale the ASFR by
//!   WPP's low/high TFR divided by its median (for years before 2024, which WPP reports as
//!   estimates without variants, the 2024 ratio).
//! - **Migration**: [`crate::estimate_migration`] from KWB 2019 age groups, the 2020 single
//!   ages and KWB totals 2012, 2017–2019 (only pairs with unchanged boundaries).
//! - **Bootstrap, national component**: WPP 2024 net migration of the Netherlands 1990–2019,
//!   as deviations from its 1990–2019 mean (years after 2019 would leak into the back-test).
//! - **Households**: KWB 2019 households / residents per municipality; by default trended with
//!   the national change of that ratio 2012–2019 (households per resident rose as households
//!   got smaller), or held constant.

use std::collections::{BTreeMap, BTreeSet};

use leefbaar_model::{AreaCode, Year};

use crate::error::ProjectionError;
use crate::households::Headship;
use crate::migration::{MigrationEstimate, ResidualInputs, estimate_migration};
use crate::rates::RateSchedule;
use crate::scenario::{AreaInputs, ProjectionSetup};
use crate::sources::{
    KwbRow, LineageRow, WppTables, cbs_kwb_2019_age_groups, cbs_kwb_series, cbs_lineage,
    cbs_sex_shares, cbs_single_age_both_sexes, split_by_sex, wpp_net_migration, wpp_rates, wpp_tfr,
};

/// The bundled tables, as text (the caller reads the files; see `data/projection/SOURCE.md`).
#[derive(Debug, Clone, Copy)]
pub struct BundledTables<'a> {
    /// UN WPP 2024 tables.
    pub wpp: WppTables<'a>,
    /// `cbs_population_single_age_2020.csv`.
    pub single_age_2020: &'a str,
    /// `cbs_population_postcode_age5_sex_2021.csv`.
    pub postcode_2021: &'a str,
    /// `cbs_pc4_drenthe_gemeente_lookup_2021.csv`.
    pub pc4_lookup_2021: &'a str,
    /// `cbs_kwb_gemeenten_2012_2024.csv`.
    pub kwb_series: &'a str,
    /// `cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv`.
    pub kwb_2019_age_groups: &'a str,
    /// `cbs_gemeenten_lineage_2012_2024.csv`.
    pub lineage: &'a str,
}

impl<'a> BundledTables<'a> {
    /// The files behind each table, relative to `data/projection/`, in the order
    /// [`BundledTables::from_texts`] takes their contents.
    pub const FILES: [&'static str; 11] = [
        "wpp2024/nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv",
        "wpp2024/nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv",
        "wpp2024/nl_sex_ratio_at_birth_annual_2015_2045.csv",
        "wpp2024/nl_tfr_annual_2015_2045.csv",
        "wpp2024/nl_net_migration_annual_1990_2045.csv",
        "cbs_population_single_age_2020.csv",
        "cbs_population_postcode_age5_sex_2021.csv",
        "cbs_pc4_drenthe_gemeente_lookup_2021.csv",
        "cbs_kwb_gemeenten_2012_2024.csv",
        "cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv",
        "cbs_gemeenten_lineage_2012_2024.csv",
    ];

    /// The tables from the contents of [`BundledTables::FILES`], in that order, so callers
    /// that read the files keep one list of names.
    pub fn from_texts(texts: &'a [String; 11]) -> BundledTables<'a> {
        BundledTables {
            wpp: WppTables {
                mx: &texts[0],
                asfr: &texts[1],
                srb: &texts[2],
                tfr: &texts[3],
                net_migration: &texts[4],
            },
            single_age_2020: &texts[5],
            postcode_2021: &texts[6],
            pc4_lookup_2021: &texts[7],
            kwb_series: &texts[8],
            kwb_2019_age_groups: &texts[9],
            lineage: &texts[10],
        }
    }
}

/// How households per resident evolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeadshipMode {
    /// Held at the 2019 ratio.
    Constant,
    /// The 2019 ratio, changed each year by the national relative change of 2012–2019.
    #[default]
    NationalTrend,
}

/// Something legal but noteworthy found while assembling inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The area concerned, if one.
    pub area: Option<AreaCode>,
    /// What was found, as a sentence without a trailing full stop.
    pub message: String,
}

/// The national set-up, with the tables the back-test needs and the findings.
#[derive(Debug, Clone)]
pub struct NetherlandsSetup {
    /// The projection inputs for all municipalities of 2020.
    pub setup: ProjectionSetup,
    /// KWB rows by year and code.
    pub kwb: BTreeMap<(u16, AreaCode), KwbRow>,
    /// The boundary lineage rows.
    pub lineage: Vec<LineageRow>,
    /// Findings (fallbacks used, pairs of years skipped).
    pub findings: Vec<Finding>,
}

/// Builds the projection set-up for every municipality of 1 January 2020.
///
/// # Units
/// Persons, households, rates as in [`crate::Rates`].
pub fn netherlands_setup(
    tables: &BundledTables<'_>,
    headship_mode: HeadshipMode,
) -> Result<NetherlandsSetup, ProjectionError> {
    let base_year = Year::new(2020).expect("2020 is in range");
    let rates = wpp_rates(&tables.wpp, 2019..=2044)?;
    let schedule = RateSchedule::new(rates.clone()).ok_or(ProjectionError::NoRates)?;
    let tfr = wpp_tfr(&tables.wpp)?;
    let first_variant = tfr
        .values()
        .find(|(median, low, high)| low != median || high != median)
        .map_or((1.0, 1.0), |(median, low, high)| {
            (low / median, high / median)
        });
    let factor = |year: Year, pick_high: bool| {
        let (low, high) = match tfr.get(&year.get()) {
            Some((median, low, high)) if low != median || high != median => {
                (low / median, high / median)
            }
            _ => first_variant,
        };
        if pick_high { high } else { low }
    };
    let low_fertility = schedule.with_fertility_factors(|year| factor(year, false));
    let high_fertility = schedule.with_fertility_factors(|year| factor(year, true));
    let rates_2019 = schedule
        .for_year(Year::new(2019).expect("2019 is in range"))
        .clone();

    let single_age =
        cbs_single_age_both_sexes("cbs_population_single_age_2020.csv", tables.single_age_2020)?;
    let shares = cbs_sex_shares(
        "cbs_population_postcode_age5_sex_2021.csv",
        tables.postcode_2021,
        "cbs_pc4_drenthe_gemeente_lookup_2021.csv",
        tables.pc4_lookup_2021,
    )?;
    let kwb = cbs_kwb_series("cbs_kwb_gemeenten_2012_2024.csv", tables.kwb_series)?;
    let groups_2019 = cbs_kwb_2019_age_groups(
        "cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv",
        tables.kwb_2019_age_groups,
    )?;
    let lineage = cbs_lineage("cbs_gemeenten_lineage_2012_2024.csv", tables.lineage)?;

    let stable = |code: &AreaCode, year: u16, next: u16| {
        lineage.iter().any(|row| {
            row.year_old == year
                && row.year_new == next
                && row.code_old == *code
                && row.code_new == *code
                && row.share_of_old >= 0.98
                && row.share_of_new >= 0.98
        })
    };
    let national_ratio = |year: u16| {
        let (households, people) = kwb
            .iter()
            .filter(|((y, code), _)| *y == year && code.as_str() != "GM0998")
            .fold((0.0, 0.0), |(h, p), (_, row)| {
                (h + row.households.unwrap_or(0.0), p + row.inhabitants)
            });
        households / people
    };
    let annual_change = match headship_mode {
        HeadshipMode::Constant => 0.0,
        HeadshipMode::NationalTrend => {
            (national_ratio(2019) / national_ratio(2012)).powf(1.0 / 7.0) - 1.0
        }
    };

    let mut findings = Vec::new();
    let mut areas = Vec::new();
    for (code, both_sexes) in &single_age {
        let kwb_2019 = kwb.get(&(2019, code.clone())).ok_or_else(|| {
            ProjectionError::AreaMissingFromRates {
                area: code.to_string(),
                table: "KWB 2019 series (households, totals)",
            }
        })?;
        let male_share = if let Some(own) = shares.by_municipality.get(&kwb_2019.name) {
            own
        } else {
            &shares.national
        };
        let base = split_by_sex(both_sexes, male_share);
        let groups =
            groups_2019
                .get(code)
                .ok_or_else(|| ProjectionError::AreaMissingFromRates {
                    area: code.to_string(),
                    table: "KWB 2019 age groups",
                })?;
        let mut totals = vec![(2019, kwb_2019.inhabitants), (2020, base.total())];
        for (year, next) in [(2018, 2019), (2017, 2018), (2012, 2017)] {
            match kwb.get(&(year, code.clone())) {
                Some(row) if stable(code, year, next) => totals.insert(0, (year, row.inhabitants)),
                _ => {
                    findings.push(Finding {
                        area: Some(code.clone()),
                        message: format!(
                            "boundaries changed between {year} and {next}; migration levels from {next} on only"
                        ),
                    });
                    break;
                }
            }
        }
        let migration = if base.total() > 0.0 {
            estimate_migration(&ResidualInputs {
                population_2020: &base,
                groups_2019: groups,
                rates_2019: &rates_2019,
                totals: &totals,
            })
        } else {
            MigrationEstimate::zero(base.n_ages())
        };
        let ratio = kwb_2019.households.unwrap_or(0.0) / kwb_2019.inhabitants.max(1.0);
        areas.push(AreaInputs {
            code: code.clone(),
            name: kwb_2019.name.clone(),
            base,
            migration,
            headship: Headship {
                base_year: Year::new(2019).expect("2019 is in range"),
                ratio,
                annual_change,
            },
        });
    }
    let national = wpp_net_migration(&tables.wpp)?;
    let history: Vec<f64> = national
        .range(1990..=2019)
        .map(|(_, value)| *value)
        .collect();
    let history_mean = history.iter().sum::<f64>() / history.len().max(1) as f64;
    let national_migration_deviations = history.iter().map(|value| value - history_mean).collect();
    Ok(NetherlandsSetup {
        setup: ProjectionSetup {
            base_year,
            schedule,
            low_fertility,
            high_fertility,
            national_migration_deviations,
            areas,
        },
        kwb,
        lineage,
        findings,
    })
}

/// One municipality of 2024 in the back-test.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestRow {
    /// The 2024 code.
    pub code: AreaCode,
    /// The 2024 name.
    pub name: String,
    /// The 2020 municipalities whose projections were added up.
    pub predecessors: Vec<AreaCode>,
    /// Projected residents on 1 January 2024.
    pub projected: f64,
    /// Registered residents on 1 January 2024 (KWB 2024).
    pub observed: f64,
}

impl BacktestRow {
    /// Relative error `projected / observed − 1`.
    pub fn error(&self) -> f64 {
        self.projected / self.observed - 1.0
    }
}

/// The back-test result: comparable municipalities and those left out, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// Municipalities of 2024 compared.
    pub rows: Vec<BacktestRow>,
    /// Municipalities of 2024 left out, with why.
    pub excluded: Vec<(AreaCode, String)>,
}

impl Backtest {
    /// Mean absolute percentage error over the compared municipalities.
    ///
    /// # Units
    /// Percent.
    pub fn mape(&self) -> f64 {
        100.0 * self.rows.iter().map(|row| row.error().abs()).sum::<f64>() / self.rows.len() as f64
    }
}

/// Compares projected 2024 populations (by 2020 code) with KWB 2024.
///
/// The 2020 division equals the 2019 one. Each 2020 municipality is followed through the
/// overlay lineage 2019 → 2022 → 2023 → 2024 while ≥ 90 % of its area goes to one successor
/// (a whole merger or an unchanged code). A 2024 municipality is compared when its population
/// is the sum of such whole predecessors; it is left out when any part of a *split* 2020
/// municipality (≥ 3 % of its area, so not a generalisation sliver) went into it, e.g.
/// Haaren, divided in 2021 between Boxtel, Oisterwijk, Tilburg and Vught.
pub fn backtest_2024(
    projected_2024: &BTreeMap<AreaCode, f64>,
    kwb: &BTreeMap<(u16, AreaCode), KwbRow>,
    lineage: &[LineageRow],
) -> Backtest {
    const STEPS: [(u16, u16); 3] = [(2019, 2022), (2022, 2023), (2023, 2024)];
    let mut destination: BTreeMap<AreaCode, AreaCode> = BTreeMap::new();
    let mut touched_by_split: BTreeSet<AreaCode> = BTreeSet::new();
    for code in projected_2024.keys() {
        let mut current = vec![code.clone()];
        let mut whole = true;
        for (from, to) in STEPS {
            let mut next = Vec::new();
            for old in &current {
                let rows: Vec<&LineageRow> = lineage
                    .iter()
                    .filter(|row| {
                        row.year_old == from && row.year_new == to && row.code_old == *old
                    })
                    .collect();
                if let Some(main) = rows.iter().find(|row| row.share_of_old >= 0.9) {
                    next.push(main.code_new.clone());
                } else {
                    whole = false;
                    next.extend(
                        rows.iter()
                            .filter(|row| row.share_of_old >= 0.03)
                            .map(|row| row.code_new.clone()),
                    );
                }
            }
            next.sort();
            next.dedup();
            current = next;
        }
        if whole && current.len() == 1 {
            destination.insert(code.clone(), current[0].clone());
        } else {
            touched_by_split.extend(current);
        }
    }
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    for ((year, code), row) in kwb {
        if *year != 2024 || code.as_str() == "GM0998" {
            continue;
        }
        if touched_by_split.contains(code) {
            excluded.push((
                code.clone(),
                "received part of a municipality split after 2020".to_owned(),
            ));
            continue;
        }
        let predecessors: Vec<AreaCode> = destination
            .iter()
            .filter(|(_, to)| *to == code)
            .map(|(from, _)| from.clone())
            .collect();
        if predecessors.is_empty() {
            excluded.push((
                code.clone(),
                "no 2020 predecessor found in the lineage".to_owned(),
            ));
            continue;
        }
        let projected = predecessors.iter().map(|from| projected_2024[from]).sum();
        rows.push(BacktestRow {
            code: code.clone(),
            name: row.name.clone(),
            predecessors,
            projected,
            observed: row.inhabitants,
        });
    }
    Backtest { rows, excluded }
}
