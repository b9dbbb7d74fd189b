//! Assembly of a projection for every Dutch municipality from the bundled tables in
//! `data/projection/`, the validation back-tests (bases 2017–2019 → 2020) and the 2020 → 2024
//! back-test against the registered population.
//!
//! Where each number comes from:
//!
//! - **Base population** (1 January 2020, 355 municipalities): CBS population by single age
//!   (both sexes), ages 100–105 added into 100+. Split by sex with the male share of each
//!   5-year group on 1 January 2021 (CBS postcode table): for Drenthe from the municipality's
//!   own PC4 areas, for the other municipalities the national share (PC2 rows). A year's
//!   shift in the reference date moves a few persons across group edges; the share itself
//!   barely changes.
//! - **Rates**: UN WPP 2024 via [`crate::wpp_rates`] (years 2015–2044 bundled; earlier years
//!   of the residual method use 2015's). [`RateBasis::Published`] applies them as published;
//!   [`RateBasis::KnownAtBase`] (back-tests) holds the rates of the year before the base.
//!   Fertility variants scale the ASFR by WPP's low/high TFR divided by its median (for years
//!   before 2024, which WPP reports as estimates without variants, the 2024 ratio).
//! - **Migration**: residuals per pair of KWB years (2012, 2017–2019) and the 2020 table,
//!   only pairs with unchanged boundaries; the level rule and the age profile are described
//!   at [`netherlands_setup_with`], the settings at [`MigrationParams`].
//! - **Bootstrap**: the national component steps through WPP's year-to-year changes of net
//!   migration of the Netherlands, 1991 … the year before the latest data (later years would
//!   leak into the back-tests); the regional and municipal components draw past out-of-sample
//!   forecast errors of provinces and of municipalities of similar size.
//! - **Households**: KWB households / residents per municipality of the latest year the set-up
//!   may use (2019 for a forecast from 2020, 2024 for a projection made today); by default
//!   trended with the national change of that ratio since 2012 (households per resident rose as
//!   households got smaller), or held constant.

use std::collections::{BTreeMap, BTreeSet};

use leefbaar_model::{AreaCode, Year};

use crate::engine::project;
use crate::error::ProjectionError;
use crate::households::Headship;
use crate::migration::{
    MigrationEstimate, backcast_one_year, mean, migration_profile, residual_per_year,
    scale_to_groups, shift_to_level, standard_deviation,
};
use crate::rates::RateSchedule;
use crate::scenario::{AreaInputs, ProjectionSetup};
use crate::sources::{
    KwbRow, LineageRow, WppTables, cbs_kwb_2019_age_groups, cbs_kwb_series, cbs_lineage,
    cbs_provinces, cbs_sex_shares, cbs_single_age_both_sexes, split_by_sex, wpp_net_migration,
    wpp_rates, wpp_tfr,
};
use crate::table::AgeSexTable;

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
    /// `cbs_gemeenten_provincie_2024.csv`.
    pub provinces_2024: &'a str,
}

impl<'a> BundledTables<'a> {
    /// The files behind each table, relative to `data/projection/`, in the order
    /// [`BundledTables::from_texts`] takes their contents.
    pub const FILES: [&'static str; N_BUNDLED_FILES] = [
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
        "cbs_gemeenten_provincie_2024.csv",
    ];

    /// The tables from the contents of [`BundledTables::FILES`], in that order, so callers
    /// that read the files keep one list of names.
    pub fn from_texts(texts: &'a [String; N_BUNDLED_FILES]) -> BundledTables<'a> {
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
            provinces_2024: &texts[11],
        }
    }
}

/// How households per resident evolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeadshipMode {
    /// Held at the ratio of the latest KWB year used (see [`SetupParams`]).
    Constant,
    /// That ratio, changed each year by its national relative change since 2012.
    #[default]
    NationalTrend,
}

/// Which demographic rates a set-up applies from its base year on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateBasis {
    /// Everything as published today: UN WPP 2024 rates (estimates to 2023, including the
    /// excess mortality of 2020–2022; median projection after), the registered KWB totals
    /// after the base year (their residual migration fills the years up to the latest, see
    /// [`crate::ProjectionSetup::known_years`]) and WPP's national net migration year by year
    /// (estimates, then the median projection) instead of a level held. For projections made
    /// today.
    #[default]
    Published,
    /// What was known on 1 January of the base year: every year from the base year on gets
    /// the rates of the year before it (mortality of the WPP period containing that year,
    /// fertility of that year). For back-tests, which must not use later rates.
    KnownAtBase,
}

/// How each municipality's yearly net migration is set (see [`netherlands_setup_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LevelRule {
    /// The mean of the municipality's own annual residuals (every calendar year weighs the
    /// same). The first version of the model; kept as the reference of the validation.
    OwnHistory,
    /// A national level, shared out like the population, plus the municipality's own
    /// deviation from the national rate per resident (recency-weighted).
    #[default]
    NationalShare,
}

/// Settings of the migration assumption, chosen on the validation back-test (bases 2017,
/// 2018 and 2019 projected to 2020, with only data up to each base year; see
/// `data/projection/README.md`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MigrationParams {
    /// How the level is set.
    pub rule: LevelRule,
    /// [`LevelRule::NationalShare`]: the national level is the mean of WPP's net migration of
    /// the Netherlands over this many calendar years before the base year (1 takes the last
    /// year alone).
    pub national_window_years: u16,
    /// [`LevelRule::NationalShare`]: in the mean of the municipality's deviations, each
    /// calendar year weighs this much relative to the year after it (1 weighs all years the
    /// same; 0.5 halves the weight per year back).
    pub recency_decay: f64,
}

impl Default for MigrationParams {
    /// The settings that won the validation back-test (README, "Validation"): the national
    /// level of the last year before the base, municipal deviations weighted 0.5 per year
    /// back.
    fn default() -> MigrationParams {
        MigrationParams {
            rule: LevelRule::NationalShare,
            national_window_years: 1,
            recency_decay: 0.5,
        }
    }
}

/// How many files [`BundledTables::FILES`] names.
pub const N_BUNDLED_FILES: usize = 12;

/// What a national set-up is built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SetupParams {
    /// The jump-off year (1 January): 2020, the year of the single-age table, or 2017–2019 for
    /// the validation back-test, whose base populations are reconstructed (see
    /// [`netherlands_setup_with`]).
    pub base_year: Year,
    /// How households per resident evolve.
    pub headship_mode: HeadshipMode,
    /// Which rates apply from the base year on.
    pub rates: RateBasis,
    /// How net migration is set.
    pub migration: MigrationParams,
}

impl SetupParams {
    /// The production set-up: base 2020, everything published ([`RateBasis::Published`]:
    /// rates, registered totals to 2024, WPP's national migration path), municipal deviations
    /// weighted equally.
    pub fn production(headship_mode: HeadshipMode) -> SetupParams {
        SetupParams {
            base_year: Year::new(2020).expect("2020 is in range"),
            headship_mode,
            rates: RateBasis::Published,
            // Equal weights for the municipal deviations, not the validated 0.5: the
            // validation covers horizons of one to three years, where the latest years
            // predict best, but over twenty years a recency weighting carries a short swing
            // forward as a trend (Noordenveld's fall of 2017–2019 becomes −24 % by 2040 with
            // 0.5, −1.7 % with equal weights over 2012–2019).
            migration: MigrationParams {
                recency_decay: 1.0,
                ..MigrationParams::default()
            },
        }
    }

    /// An ex-ante back-test set-up from `base_year`: only rates and migration data known on
    /// 1 January of that year.
    pub fn ex_ante(base_year: Year, migration: MigrationParams) -> SetupParams {
        SetupParams {
            base_year,
            headship_mode: HeadshipMode::NationalTrend,
            rates: RateBasis::KnownAtBase,
            migration,
        }
    }
}

/// Something legal but noteworthy found while assembling inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The area concerned, if one.
    pub area: Option<AreaCode>,
    /// What was found, as a sentence without a trailing full stop.
    pub message: String,
}

/// The national migration level a set-up assumes, and what it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalMigration {
    /// Mean WPP net migration of the Netherlands over the window before the base year.
    ///
    /// # Units
    /// Persons per year.
    pub wpp_level: f64,
    /// The sum of the municipalities' medium net migration (what the projection applies).
    ///
    /// # Units
    /// Persons per year.
    pub projected: f64,
    /// The national residual per year (the sum of the municipalities' residuals, scaled to
    /// all municipalities) for each observed calendar year.
    ///
    /// # Units
    /// Persons per year.
    pub residual_by_year: BTreeMap<u16, f64>,
}

/// The national set-up, with the tables the back-test needs and the findings.
#[derive(Debug, Clone)]
pub struct NetherlandsSetup {
    /// The projection inputs for all municipalities of 2020 (for a base year before 2020,
    /// those whose boundaries did not change between the base year and 2020).
    pub setup: ProjectionSetup,
    /// KWB rows by year and code.
    pub kwb: BTreeMap<(u16, AreaCode), KwbRow>,
    /// The boundary lineage rows.
    pub lineage: Vec<LineageRow>,
    /// Registered residents on 1 January 2020 per municipality (the single-age table), the
    /// target of the validation back-test.
    pub registered_2020: BTreeMap<AreaCode, f64>,
    /// The national migration level assumed.
    pub national_migration: NationalMigration,
    /// Findings (fallbacks used, pairs of years skipped).
    pub findings: Vec<Finding>,
    /// The province of each municipality of the set-up ([`province_of_2020`]).
    pub provinces: BTreeMap<AreaCode, AreaCode>,
}

/// Builds the production set-up (base 1 January 2020, published WPP rates, default
/// migration settings) for every municipality of 2020.
///
/// # Units
/// Persons, households, rates as in [`crate::Rates`].
pub fn netherlands_setup(
    tables: &BundledTables<'_>,
    headship_mode: HeadshipMode,
) -> Result<NetherlandsSetup, ProjectionError> {
    netherlands_setup_with(tables, &SetupParams::production(headship_mode))
}

/// One municipality's inputs before the national level is known.
struct Prepared {
    code: AreaCode,
    name: String,
    base: AgeSexTable,
    profile: AgeSexTable,
    natural_increase_rate: f64,
    residuals: Vec<Residual>,
    households_ratio: f64,
    /// The KWB year of `households_ratio`.
    households_year: u16,
}

/// One calendar year's residual net migration of one municipality.
struct Residual {
    /// The calendar year.
    calendar: u16,
    /// Net migrants in that year (the mean of its pair of KWB years).
    per_year: f64,
    /// Registered residents at the start of the pair.
    population: f64,
    /// The year the pair ends: the residual is known from 1 January of that year.
    known_from: u16,
}

/// A forecast error's origin (1 January) and the calendar year it missed.
type ErrorKey = (u16, u16);

/// One municipality's residents, province and forecast errors in persons by key.
type KeyedErrors<'a> = (f64, Option<&'a AreaCode>, Vec<(ErrorKey, f64)>);

/// The registered totals and reconstructed populations of one municipality of 2020.
struct AreaHistory {
    /// 1 January populations by year, oldest first, ending with 2020; only years linked to
    /// 2020 by unchanged boundaries.
    populations: Vec<(u16, AgeSexTable)>,
}

impl AreaHistory {
    fn population(&self, year: u16) -> Option<&AgeSexTable> {
        self.populations
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, table)| table)
    }
}

/// Builds a projection set-up for every municipality of 2020 from the bundled tables.
///
/// **Base population.** For 2020, the single-age table split by sex (module docs). For an
/// earlier base year (validation), the 2020 table reverse-survived year by year with the
/// rates of each year ([`crate::backcast_one_year`]) and scaled to the registered total of
/// the year (to the five KWB age groups for 2019). Cohort sizes within a municipality then
/// come from 2020, a year or three after the base: a small leak that moves the natural
/// increase of the validation, not the migration level it selects.
///
/// **Residuals.** For each pair of KWB years up to the base year with unchanged boundaries
/// (2012 → 2017, 2017 → 2018, 2018 → 2019, 2019 → 2020), the municipality's net migration per
/// calendar year is the registered later total minus the earlier (reconstructed) population
/// projected without migration with the national rates of each year
/// ([`crate::residual_per_year`]); a pair over several years gives each of its calendar
/// years the same value.
///
/// **Level** ([`MigrationParams`]). With [`LevelRule::NationalShare`], each calendar year's
/// national residual rate per resident `ρ(t)` (the sum over municipalities with data in that
/// year divided by their population) splits each municipality's residual into a national
/// part `P_i ρ(t)` and its own deviation `d_i(t)`. The level is
/// `d̂_i + P_i/P · N̂`: the recency-weighted mean deviation plus the municipality's
/// population share of the national level `N̂`, WPP's mean net migration over the window
/// before the base year. The national level thereby follows the latest years (net migration
/// of the Netherlands rose from 15,000 in 2012 to 109,000 in 2019), while municipal
/// differences use the whole observed record.
///
/// **Age and sex.** The profile of the 2019 → 2020 step ([`crate::estimate_migration`],
/// step 1) moved to the level; for base years before 2020 that profile is used too (another
/// leak of age detail, not of levels).
///
/// **Variants.** Low and high put the level one standard deviation of the municipality's
/// observed annual residuals below and above the medium.
///
/// **Registered years after the base** ([`RateBasis::Published`] only). For the KWB years after
/// 2020 (2022, 2023, 2024) linked by unchanged boundaries, the residual of each pair is taken
/// the same way, forward: the table of the earlier year projected with that residual
/// (profile-shaped) and scaled to the registered total becomes the next earlier year. Those
/// calendar years enter the deviations and the forecast errors like the earlier ones, and
/// they are the first years of each municipality's `path`; the level is set as on 1 January
/// of the latest KWB year. After them the `path` is the municipality's own part plus its
/// population share of WPP's national net migration of each year (estimates to 2023, the
/// median projection after), so the national level is not held at one year's value.
///
/// **Bootstrap inputs.** `by_year` holds the medium table plus each observed year's own
/// deviation from the mean (`d_i(t) − d̂_i`; with [`LevelRule::OwnHistory`], the year's
/// residual minus the mean). The national component is the year-to-year change of WPP's
/// net migration over 1991 … base year − 1, centred on its mean
/// ([`ProjectionSetup::national_migration_deviations`]), accumulated by [`crate::bootstrap`]
/// into a path of the national level. The forecast errors (the level rule re-run at each
/// earlier origin against the later years) are split into the province's part
/// ([`province_of_2020`]; the sum over its municipalities per resident, pooled over provinces
/// and centred: [`ProjectionSetup::regional_errors`]) and the municipality's remainder
/// (pooled over five size classes and centred per class: `forecast_errors`).
///
/// # Units
/// Persons, households, rates as in [`crate::Rates`].
///
/// # References
/// Smith, Tayman and Swanson (2013), *A Practitioner's Guide to State and Local Population
/// Projections*, ch. 6–7 (residual migration, shares of a national total); Wilson (2012) on
/// base periods of recent years.
pub fn netherlands_setup_with(
    tables: &BundledTables<'_>,
    params: &SetupParams,
) -> Result<NetherlandsSetup, ProjectionError> {
    let base_year = params.base_year;
    let base = base_year.get();
    if !(2017..=2020).contains(&base) {
        return Err(ProjectionError::BaseYearOutOfRange { found: base });
    }
    let year = |value: u16| Year::new(value).expect("a year between 2012 and 2044");
    let published = wpp_rates(&tables.wpp, 2015..=2044)?;
    let schedule_entries = match params.rates {
        RateBasis::Published => published.clone(),
        RateBasis::KnownAtBase => published
            .iter()
            .filter(|(y, _)| y.get() < base)
            .cloned()
            .collect(),
    };
    let schedule = RateSchedule::new(schedule_entries).ok_or(ProjectionError::NoRates)?;
    let kwb = cbs_kwb_series("cbs_kwb_gemeenten_2012_2024.csv", tables.kwb_series)?;
    // The last 1 January whose registered totals the set-up may use: the base for a forecast
    // made then; for a projection made today, the latest KWB year (2024), so the years
    // between the base and it carry their registered migration.
    let data_until = match params.rates {
        RateBasis::KnownAtBase => base,
        RateBasis::Published => kwb.keys().map(|(y, _)| *y).max().unwrap_or(base).max(base),
    };
    let known_years = data_until - base;
    // Residuals describe the past, so they use the published estimates of each past year in
    // every basis (years before 2015, the first WPP year bundled, get the 2015 rates).
    let history_schedule = RateSchedule::new(published).ok_or(ProjectionError::NoRates)?;
    let tfr = wpp_tfr(&tables.wpp)?;
    let first_variant = tfr
        .values()
        .find(|(median, low, high)| low != median || high != median)
        .map_or((1.0, 1.0), |(median, low, high)| {
            (low / median, high / median)
        });
    let factor = |year: Year, pick_high: bool| {
        if (base..data_until).contains(&year.get()) {
            // Registered years after the base: births happened, whatever the variant.
            return 1.0;
        }
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
    let rates_2019 = history_schedule.for_year(year(2019)).clone();

    let single_age =
        cbs_single_age_both_sexes("cbs_population_single_age_2020.csv", tables.single_age_2020)?;
    let shares = cbs_sex_shares(
        "cbs_population_postcode_age5_sex_2021.csv",
        tables.postcode_2021,
        "cbs_pc4_drenthe_gemeente_lookup_2021.csv",
        tables.pc4_lookup_2021,
    )?;
    let groups_2019 = cbs_kwb_2019_age_groups(
        "cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv",
        tables.kwb_2019_age_groups,
    )?;
    let lineage = cbs_lineage("cbs_gemeenten_lineage_2012_2024.csv", tables.lineage)?;
    let provinces_2024 = cbs_provinces("cbs_gemeenten_provincie_2024.csv", tables.provinces_2024)?;
    let provinces: BTreeMap<AreaCode, AreaCode> = single_age
        .keys()
        .filter_map(|code| {
            Some((
                code.clone(),
                province_of_2020(code, &lineage, &provinces_2024)?,
            ))
        })
        .collect();

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
    let national_total = |year: u16| -> f64 {
        kwb.iter()
            .filter(|((y, code), _)| *y == year && code.as_str() != "GM0998")
            .map(|(_, row)| row.inhabitants)
            .sum()
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
    // Households: the ratio of the last KWB year up to the latest data (2019 for a forecast
    // from 2020, 2024 for a projection made today), trended by the national change since 2012.
    let headship_year = kwb
        .keys()
        .map(|(y, _)| *y)
        .filter(|y| *y <= data_until && *y > 2012)
        .max()
        .unwrap_or(2019);
    let annual_change = match params.headship_mode {
        HeadshipMode::Constant => 0.0,
        HeadshipMode::NationalTrend => {
            (national_ratio(headship_year) / national_ratio(2012))
                .powf(1.0 / f64::from(headship_year - 2012))
                - 1.0
        }
    };

    let registered_2020: BTreeMap<AreaCode, f64> = single_age
        .iter()
        .map(|(code, counts)| (code.clone(), counts.iter().sum()))
        .collect();
    let mut findings = Vec::new();

    // Per municipality: reconstructed populations, the migration profile, residuals.
    let mut prepared = Vec::new();
    for (code, both_sexes) in &single_age {
        let kwb_2019 = kwb.get(&(2019, code.clone())).ok_or_else(|| {
            ProjectionError::AreaMissingFromRates {
                area: code.to_string(),
                table: "KWB 2019 series (households, totals)",
            }
        })?;
        let male_share = shares
            .by_municipality
            .get(&kwb_2019.name)
            .unwrap_or(&shares.national);
        let population_2020 = split_by_sex(both_sexes, male_share);
        let groups =
            groups_2019
                .get(code)
                .ok_or_else(|| ProjectionError::AreaMissingFromRates {
                    area: code.to_string(),
                    table: "KWB 2019 age groups",
                })?;
        // Years linked to 2020 by unchanged boundaries, newest first.
        let mut years = vec![2020, 2019];
        for (earlier, later) in [(2018, 2019), (2017, 2018), (2012, 2017)] {
            if kwb.contains_key(&(earlier, code.clone())) && stable(code, earlier, later) {
                years.push(earlier);
            } else {
                if earlier < base {
                    findings.push(Finding {
                        area: Some(code.clone()),
                        message: format!(
                            "boundaries changed between {earlier} and {later}; migration levels from {later} on only"
                        ),
                    });
                }
                break;
            }
        }
        if !years.contains(&base) {
            findings.push(Finding {
                area: Some(code.clone()),
                message: format!(
                    "boundaries changed between {base} and 2020; left out of a projection from {base}"
                ),
            });
            continue;
        }
        // Reconstruct each year back from 2020 and scale it to the registered population.
        let mut history = AreaHistory {
            populations: vec![(2020, population_2020.clone())],
        };
        let mut current = population_2020.clone();
        let oldest = *years.last().expect("2019 at least");
        for calendar in (oldest..2020).rev() {
            current = backcast_one_year(&current, history_schedule.for_year(year(calendar)));
            if calendar == 2019 {
                scale_to_groups(&mut current, groups);
            } else if let Some(row) = kwb.get(&(calendar, code.clone()))
                && years.contains(&calendar)
                && current.total() > 0.0
            {
                current.scale(row.inhabitants / current.total());
            }
            if years.contains(&calendar) {
                history.populations.insert(0, (calendar, current.clone()));
            }
        }
        let (profile, natural_increase_rate) =
            migration_profile(&population_2020, groups, &rates_2019);
        // Registered years after 2020 (a projection made today): each KWB year linked by
        // unchanged boundaries, its table carried forward from the year before with that
        // pair's residual migration and scaled to the registered total (the forward twin of
        // the reconstruction above). The 2020 division equals 2019's, hence the 2019 overlay.
        for (overlay_from, from, to) in [(2019, 2020, 2022), (2022, 2022, 2023), (2023, 2023, 2024)]
        {
            let Some(row) = kwb.get(&(to, code.clone())) else {
                break;
            };
            if to > data_until || !stable(code, overlay_from, to) {
                break;
            }
            let earlier = history
                .population(from)
                .expect("the previous year was added")
                .clone();
            let span = to - from;
            let per_year = residual_per_year(
                &earlier,
                year(from),
                row.inhabitants,
                span,
                &history_schedule,
            );
            let migrants = shift_to_level(&profile, &earlier, per_year);
            let mut later = project(&earlier, year(from), span, &history_schedule, &[&migrants])?
                .populations
                .pop()
                .expect("a projected year");
            if later.total() > 0.0 {
                later.scale(row.inhabitants / later.total());
            }
            history.populations.push((to, later));
        }
        let mut residuals = Vec::new();
        for pair in history.populations.windows(2) {
            let ((from, earlier), (to, later)) = (&pair[0], &pair[1]);
            if *to > data_until {
                break;
            }
            let span = to - from;
            let per_year =
                residual_per_year(earlier, year(*from), later.total(), span, &history_schedule);
            for calendar in *from..*to {
                residuals.push(Residual {
                    calendar,
                    per_year,
                    population: earlier.total(),
                    known_from: *to,
                });
            }
        }
        let base_population = history
            .population(base)
            .expect("the base year is among the years")
            .clone();
        // The municipality's own latest year with unchanged boundaries (a merged one's code is
        // gone after the merger).
        let (households_year, households_row) = history
            .populations
            .iter()
            .rev()
            .map(|(y, _)| *y)
            .filter(|y| *y <= headship_year)
            .find_map(|y| Some((y, kwb.get(&(y, code.clone()))?)))
            .unwrap_or((2019, kwb_2019));
        prepared.push(Prepared {
            code: code.clone(),
            name: kwb_2019.name.clone(),
            base: base_population,
            profile,
            natural_increase_rate,
            residuals,
            households_ratio: households_row.households.unwrap_or(0.0)
                / households_row.inhabitants.max(1.0),
            households_year,
        });
    }

    // The national residual rate per resident of each calendar year.
    let mut rate_by_year: BTreeMap<u16, (f64, f64)> = BTreeMap::new();
    for area in &prepared {
        for residual in &area.residuals {
            let entry = rate_by_year.entry(residual.calendar).or_default();
            entry.0 += residual.per_year;
            entry.1 += residual.population;
        }
    }
    let national_rate = |calendar: u16| {
        rate_by_year.get(&calendar).map_or(
            0.0,
            |(sum, people)| if *people > 0.0 { sum / people } else { 0.0 },
        )
    };
    let national_base = if base == 2020 {
        registered_2020.values().sum()
    } else {
        national_total(base)
    };
    let national = wpp_net_migration(&tables.wpp)?;
    let window = params.migration.national_window_years.max(1);
    let window_values: Vec<f64> = national
        .range(data_until.saturating_sub(window)..data_until)
        .map(|(_, value)| *value)
        .collect();
    let wpp_level = mean(&window_values);

    let decay = params.migration.recency_decay;
    // Each area's deviations from the national rate per calendar year, and what it is known
    // from.
    let deviations_of = |area: &Prepared| -> Vec<(u16, f64, u16)> {
        area.residuals
            .iter()
            .map(|r| {
                let deviation = match params.migration.rule {
                    LevelRule::OwnHistory => r.per_year,
                    LevelRule::NationalShare => {
                        r.per_year - r.population * national_rate(r.calendar)
                    }
                };
                (r.calendar, deviation, r.known_from)
            })
            .collect()
    };
    // The level's own part as a forecaster on 1 January of `origin` would have set it.
    let own_part = |deviations: &[(u16, f64, u16)], origin: u16| -> Option<f64> {
        let known: Vec<&(u16, f64, u16)> = deviations
            .iter()
            .filter(|(_, _, known_from)| *known_from <= origin)
            .collect();
        if known.is_empty() {
            return None;
        }
        let weights: Vec<f64> = known
            .iter()
            .map(|(calendar, _, _)| match params.migration.rule {
                LevelRule::OwnHistory => 1.0,
                LevelRule::NationalShare => decay.powi(i32::from(origin - 1 - calendar)),
            })
            .collect();
        let total: f64 = weights.iter().sum();
        Some(
            known
                .iter()
                .zip(&weights)
                .map(|((_, deviation, _), weight)| weight * deviation)
                .sum::<f64>()
                / total,
        )
    };
    // Out-of-sample errors: at each origin between pairs (a year some pair ends, before the
    // latest data), the own part from the pairs known then against each later calendar year
    // known by the latest data; keyed by (origin, calendar year), in persons.
    let errors_of = |deviations: &[(u16, f64, u16)]| -> Vec<(ErrorKey, f64)> {
        let mut errors = Vec::new();
        let mut origins: Vec<u16> = deviations.iter().map(|(_, _, known)| *known).collect();
        origins.dedup();
        for origin in origins.into_iter().filter(|origin| *origin < data_until) {
            let Some(forecast) = own_part(deviations, origin) else {
                continue;
            };
            for (calendar, deviation, _) in deviations {
                if *calendar >= origin {
                    errors.push(((origin, *calendar), deviation - forecast));
                }
            }
        }
        errors
    };
    // Split each error into the province's part (the sum over its municipalities with that
    // key, per resident) and the municipality's remainder: municipalities of one province err
    // together (Drenthe as a whole took more migrants after 2019 than its past suggested), and
    // independent draws per municipality would make the bands of regional sums too narrow.
    let keyed: Vec<KeyedErrors<'_>> = prepared
        .iter()
        .map(|area| {
            (
                area.base.total(),
                provinces.get(&area.code),
                errors_of(&deviations_of(area)),
            )
        })
        .filter(|(population, _, errors)| *population > 0.0 && !errors.is_empty())
        .collect();
    // (province, key) → (sum of errors, residents).
    let mut by_province: BTreeMap<(&AreaCode, ErrorKey), (f64, f64)> = BTreeMap::new();
    for (population, province, errors) in &keyed {
        if let Some(province) = province {
            for (key, error) in errors {
                let entry = by_province.entry((*province, *key)).or_default();
                entry.0 += error;
                entry.1 += population;
            }
        }
    }
    let province_error = |province: Option<&AreaCode>, key: ErrorKey| -> f64 {
        province
            .and_then(|p| by_province.get(&(p, key)))
            .map_or(0.0, |(sum, people)| sum / people)
    };
    let regional: Vec<f64> = by_province
        .values()
        .map(|(sum, people)| sum / people)
        .collect();
    let regional_centre = mean(&regional);
    let regional_errors: Vec<f64> = regional
        .iter()
        .map(|error| error - regional_centre)
        .collect();
    // Pool the remainders by size: five classes of base population with equal numbers of
    // areas that have errors (small municipalities' migration varies more per resident).
    let mut sized: Vec<(f64, Vec<f64>)> = keyed
        .iter()
        .map(|(population, province, errors)| {
            let remainders = errors
                .iter()
                .map(|(key, error)| error / population - province_error(*province, *key))
                .collect();
            (*population, remainders)
        })
        .collect();
    sized.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n_classes = sized.len().min(5);
    let class_bounds: Vec<(f64, Vec<f64>)> = (0..n_classes)
        .map(|class| {
            let from = class * sized.len() / n_classes;
            let to = (class + 1) * sized.len() / n_classes;
            let pooled: Vec<f64> = sized[from..to]
                .iter()
                .flat_map(|(_, errors)| errors.iter().copied())
                .collect();
            // Centred, so the band spreads around the medium: a class's mean error is a bias
            // of the past rule (e.g. the smaller municipalities gained on the cities after
            // 2019), and the medium stays the one point forecast.
            let centre = mean(&pooled);
            (
                sized[to - 1].0,
                pooled.iter().map(|error| error - centre).collect(),
            )
        })
        .collect();
    let pooled_errors = |population: f64| -> Vec<f64> {
        class_bounds
            .iter()
            .find(|(upper, _)| population <= *upper)
            .or(class_bounds.last())
            .map(|(_, errors)| errors.clone())
            .unwrap_or_default()
    };

    let mut areas = Vec::with_capacity(prepared.len());
    let mut projected_total = 0.0;
    for area in prepared {
        let totals: Vec<f64> = area.residuals.iter().map(|r| r.per_year).collect();
        let population = area.base.total();
        let share = if national_base > 0.0 {
            population / national_base
        } else {
            0.0
        };
        let own = deviations_of(&area);
        let own_mean = own_part(&own, data_until);
        let (level, deviations): (f64, Vec<(u16, f64)>) = match own_mean {
            // No pair of years before the base with unchanged boundaries: the national level
            // alone (the 2019 → 2020 profile total would leak data after the base).
            None => (share * wpp_level, vec![(base - 1, 0.0)]),
            Some(own_mean) => {
                let level = match params.migration.rule {
                    LevelRule::OwnHistory => own_mean,
                    LevelRule::NationalShare => own_mean + share * wpp_level,
                };
                let deviations = own
                    .iter()
                    .map(|(calendar, deviation, _)| (*calendar, deviation - own_mean))
                    .collect();
                (level, deviations)
            }
        };
        let spread = standard_deviation(&totals);
        let shift = |total: f64| shift_to_level(&area.profile, &area.base, total);
        projected_total += level;
        let migration = if population > 0.0 {
            MigrationEstimate {
                medium: shift(level),
                low: shift(level - spread),
                high: shift(level + spread),
                by_year: deviations
                    .iter()
                    .map(|(calendar, deviation)| (*calendar, shift(level + deviation)))
                    .collect(),
                forecast_errors: pooled_errors(population),
                annual_totals: area
                    .residuals
                    .iter()
                    .map(|r| (r.calendar, r.per_year))
                    .collect(),
                natural_increase_rate: area.natural_increase_rate,
                path: match params.rates {
                    RateBasis::KnownAtBase => Vec::new(),
                    RateBasis::Published => {
                        let national_part = |calendar: u16| match params.migration.rule {
                            LevelRule::OwnHistory => 0.0,
                            LevelRule::NationalShare => {
                                share * national.get(&calendar).copied().unwrap_or(wpp_level)
                            }
                        };
                        let own = level - national_part(data_until.saturating_sub(1));
                        let last_wpp = national.keys().next_back().copied().unwrap_or(base);
                        (base..=last_wpp.max(data_until))
                            .map(|calendar| {
                                area.residuals
                                    .iter()
                                    .find(|r| r.calendar == calendar)
                                    .map_or_else(|| own + national_part(calendar), |r| r.per_year)
                            })
                            .collect()
                    }
                },
            }
        } else {
            MigrationEstimate::zero(area.base.n_ages())
        };
        areas.push(AreaInputs {
            region: provinces.get(&area.code).cloned(),
            code: area.code,
            name: area.name,
            base: area.base,
            migration,
            headship: Headship {
                base_year: year(area.households_year),
                ratio: area.households_ratio,
                annual_change,
            },
        });
    }
    let residual_by_year = rate_by_year
        .keys()
        .map(|calendar| (*calendar, national_rate(*calendar) * national_base))
        .collect();
    let changes: Vec<f64> = national
        .range(1991..data_until)
        .filter_map(|(calendar, value)| Some(value - national.get(&(calendar - 1))?))
        .collect();
    let mean_change = mean(&changes);
    let national_migration_deviations = changes.iter().map(|change| change - mean_change).collect();
    Ok(NetherlandsSetup {
        setup: ProjectionSetup {
            base_year,
            schedule,
            low_fertility,
            high_fertility,
            national_migration_deviations,
            known_years,
            regional_errors,
            areas,
        },
        kwb,
        lineage,
        registered_2020,
        national_migration: NationalMigration {
            wpp_level,
            projected: projected_total,
            residual_by_year,
        },
        findings,
        provinces,
    })
}

/// One municipality of 2024 in the back-test.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestRow {
    /// The code in the target year (2024 in [`backtest_2024`], 2020 in [`backtest_2020`]).
    pub code: AreaCode,
    /// The name in the target year.
    pub name: String,
    /// The municipalities of the base year whose projections were added up.
    pub predecessors: Vec<AreaCode>,
    /// Projected residents on 1 January of the target year.
    pub projected: f64,
    /// Registered residents on 1 January of the target year.
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

/// Compares projected 2020 populations with the registered 1 January 2020 (the single-age
/// table): the validation back-test from a base year before 2020. Only municipalities of the
/// projection take part (those whose boundaries did not change between the base year and
/// 2020); names are those of KWB 2019.
pub fn backtest_2020(
    projected_2020: &BTreeMap<AreaCode, f64>,
    registered_2020: &BTreeMap<AreaCode, f64>,
    kwb: &BTreeMap<(u16, AreaCode), KwbRow>,
) -> Backtest {
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    for (code, observed) in registered_2020 {
        match projected_2020.get(code) {
            Some(projected) if *observed > 0.0 => rows.push(BacktestRow {
                code: code.clone(),
                name: kwb
                    .get(&(2019, code.clone()))
                    .map(|row| row.name.clone())
                    .unwrap_or_default(),
                predecessors: vec![code.clone()],
                projected: *projected,
                observed: *observed,
            }),
            _ => excluded.push((
                code.clone(),
                "boundaries changed between the base year and 2020".to_owned(),
            )),
        }
    }
    Backtest { rows, excluded }
}

/// The province of a municipality of the 2020 division: the province of its main successor in
/// 2024, followed through the overlay lineage 2019 → 2022 → 2023 → 2024 (the part with the
/// largest share of its area; no municipality changed province in those years). `None` when
/// the lineage or the province table lacks it.
pub fn province_of_2020(
    code: &AreaCode,
    lineage: &[LineageRow],
    provinces_2024: &BTreeMap<AreaCode, AreaCode>,
) -> Option<AreaCode> {
    let mut current = code.clone();
    for (from, to) in [(2019, 2022), (2022, 2023), (2023, 2024)] {
        current = lineage
            .iter()
            .filter(|row| row.year_old == from && row.year_new == to && row.code_old == current)
            .max_by(|a, b| a.share_of_old.total_cmp(&b.share_of_old))?
            .code_new
            .clone();
    }
    provinces_2024.get(&current).cloned()
}
