//! Runs over many areas: variants (low / medium / high), bootstrapped intervals, and the
//! projected indicators per area and year.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, Year};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::engine::{Trajectory, project, project_one_year};
use crate::error::ProjectionError;
use crate::households::{Classification, Headship, classify};
use crate::migration::MigrationEstimate;
use crate::rates::RateSchedule;
use crate::table::AgeSexTable;

/// Everything needed to project one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaInputs {
    /// The area code (a municipality, in the base year's division).
    pub code: AreaCode,
    /// The area name.
    pub name: String,
    /// Population on 1 January of the base year.
    pub base: AgeSexTable,
    /// Net migration, medium level and per observed year.
    pub migration: MigrationEstimate,
    /// Households per resident.
    pub headship: Headship,
    /// The region (for the Netherlands, the province) whose migration shock the area shares
    /// in [`bootstrap`]: every area of a region draws the same error from
    /// [`ProjectionSetup::regional_errors`]; `None` for none.
    pub region: Option<AreaCode>,
}

/// A projection set-up for many areas sharing national rates.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionSetup {
    /// The year of the base populations (1 January).
    pub base_year: Year,
    /// National rates, medium fertility.
    pub schedule: RateSchedule,
    /// National rates with low fertility.
    pub low_fertility: RateSchedule,
    /// National rates with high fertility.
    pub high_fertility: RateSchedule,
    /// Past year-to-year changes of national net migration, centred on their mean (persons
    /// per year). [`bootstrap`] accumulates them into a random-walk path of the national
    /// level's deviation from the medium and shares it out like the base population, a
    /// shock common to all areas; empty for none. Scaling them by a factor scales that
    /// shock (a caller projecting a subset of areas scales by the subset's population share).
    pub national_migration_deviations: Vec<f64>,
    /// Calendar years from the base year on whose net migration is already registered (the
    /// production set-up jumps off in 2020 but knows the totals of 2022–2024): every variant
    /// and bootstrap run takes the medium path (`MigrationEstimate::path`) in those years, and
    /// the variants and the bootstrap spread begin after them. 0 for a forecast from the base.
    pub known_years: u16,
    /// Past out-of-sample forecast errors of regions' net migration per resident per year
    /// (for the Netherlands, of provinces' deviations from the national rate), centred;
    /// [`bootstrap`] draws one per region and block, common to the region's areas, so that
    /// regional sums get the spread regions showed. Empty for none.
    pub regional_errors: Vec<f64>,
    /// The areas.
    pub areas: Vec<AreaInputs>,
}

/// A projection variant: fertility and migration both low, medium or high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// Low fertility (UN WPP low) and migration one standard deviation of the observed
    /// annual totals below the medium level.
    Low,
    /// Medium fertility and the medium migration level.
    Medium,
    /// High fertility (UN WPP high) and migration one standard deviation above the medium.
    High,
}

impl Variant {
    /// All variants, low to high.
    pub const ALL: [Variant; 3] = [Variant::Low, Variant::Medium, Variant::High];

    /// The stable identifier: `low`, `medium`, `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Low => "low",
            Variant::Medium => "medium",
            Variant::High => "high",
        }
    }
}

/// The projected indicators of one area in one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearOutput {
    /// The year (1 January).
    pub year: Year,
    /// Residents.
    pub population: f64,
    /// Residents aged 65 and older.
    pub aged_65_plus: f64,
    /// Residents aged 80 and older.
    pub aged_80_plus: f64,
    /// Residents aged 75 and older.
    pub aged_75_plus: f64,
    /// Residents aged 85 and older.
    pub aged_85_plus: f64,
    /// Residents aged 50 to 74: the potential informal carers of PBL/SCP's
    /// *mantelzorgpotentieel*, counted per person aged 85 and older.
    pub aged_50_74: f64,
    /// Children aged 4 to 11: the ages of primary school (groups 1–8).
    pub aged_4_11: f64,
    /// Young people aged 12 to 17: the ages of secondary school.
    pub aged_12_17: f64,
    /// Private households.
    pub households: f64,
    /// Potential labour force: residents aged 20 to 66 (completed years, so under 67).
    ///
    /// The state pension age (AOW) is 66 y 4 m in 2020–2021 and 67 from 2024, then tied to
    /// life expectancy; 20–66 is the fixed CBS-style band, not the pension age of each year.
    pub labour_force_20_66: f64,
}

impl YearOutput {
    /// The indicators of a population table in `year`.
    ///
    /// # Units
    /// Persons and households.
    pub fn of(table: &AgeSexTable, headship: &Headship, year: Year) -> YearOutput {
        let population = table.total();
        YearOutput {
            year,
            population,
            aged_65_plus: table.total_between(65, usize::MAX),
            aged_80_plus: table.total_between(80, usize::MAX),
            aged_75_plus: table.total_between(75, usize::MAX),
            aged_85_plus: table.total_between(85, usize::MAX),
            aged_50_74: table.total_between(50, 74),
            aged_4_11: table.total_between(4, 11),
            aged_12_17: table.total_between(12, 17),
            households: headship.households(population, year),
            labour_force_20_66: table.total_between(20, 66),
        }
    }

    fn add(&mut self, other: &YearOutput) {
        self.population += other.population;
        self.aged_65_plus += other.aged_65_plus;
        self.aged_80_plus += other.aged_80_plus;
        self.aged_75_plus += other.aged_75_plus;
        self.aged_85_plus += other.aged_85_plus;
        self.aged_50_74 += other.aged_50_74;
        self.aged_4_11 += other.aged_4_11;
        self.aged_12_17 += other.aged_12_17;
        self.households += other.households;
        self.labour_force_20_66 += other.labour_force_20_66;
    }
}

/// A user-defined region: a name and its member areas.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The region's name, e.g. `Oost-Drenthe`.
    pub name: String,
    /// Member area codes.
    pub members: Vec<AreaCode>,
}

impl ProjectionSetup {
    /// A set-up from parsed tables: base populations, one year of net migration per area,
    /// and households per resident per area. Every area with a base population must appear
    /// in `migration` and `headship`. Low and high fertility equal the medium schedule, and
    /// the single migration table serves every variant.
    pub fn from_tables(
        base_year: Year,
        schedule: RateSchedule,
        populations: BTreeMap<AreaCode, AgeSexTable>,
        migration: &BTreeMap<AreaCode, AgeSexTable>,
        headship: &BTreeMap<AreaCode, Headship>,
    ) -> Result<ProjectionSetup, ProjectionError> {
        let mut areas = Vec::with_capacity(populations.len());
        for (code, base) in populations {
            let missing = |table| ProjectionError::AreaMissingFromRates {
                area: code.to_string(),
                table,
            };
            let migrants = migration
                .get(&code)
                .ok_or_else(|| missing("migration table"))?;
            let headship = *headship
                .get(&code)
                .ok_or_else(|| missing("headship table"))?;
            for (what, n_ages) in [
                ("migration table", migrants.n_ages()),
                ("rate schedule", schedule.n_ages()),
            ] {
                if n_ages != base.n_ages() {
                    return Err(ProjectionError::AgeCountMismatch {
                        what: format!("the {what} of {code}"),
                        found: n_ages,
                        expected: base.n_ages(),
                    });
                }
            }
            let total = migrants.total();
            areas.push(AreaInputs {
                name: code.to_string(),
                code,
                base,
                migration: MigrationEstimate {
                    medium: migrants.clone(),
                    low: migrants.clone(),
                    high: migrants.clone(),
                    by_year: vec![(base_year.get(), migrants.clone())],
                    forecast_errors: Vec::new(),
                    annual_totals: vec![(base_year.get(), total)],
                    natural_increase_rate: 0.0,
                    path: Vec::new(),
                },
                headship,
                region: None,
            });
        }
        Ok(ProjectionSetup {
            base_year,
            national_migration_deviations: Vec::new(),
            known_years: 0,
            regional_errors: Vec::new(),
            low_fertility: schedule.clone(),
            high_fertility: schedule.clone(),
            schedule,
            areas,
        })
    }

    fn schedule_of(&self, variant: Variant) -> &RateSchedule {
        match variant {
            Variant::Low => &self.low_fertility,
            Variant::Medium => &self.schedule,
            Variant::High => &self.high_fertility,
        }
    }

    /// Projects every area to 1 January of `horizon` in one variant; one output per year from
    /// the base year on.
    ///
    /// # Units
    /// Persons and households.
    ///
    /// # References
    /// See [`crate::project`].
    pub fn run(
        &self,
        variant: Variant,
        horizon: Year,
    ) -> Result<BTreeMap<AreaCode, Vec<YearOutput>>, ProjectionError> {
        let mut outputs = BTreeMap::new();
        for area in &self.areas {
            let trajectory = self.trajectory(area, variant, horizon)?;
            let per_year = trajectory
                .populations
                .iter()
                .enumerate()
                .map(|(offset, table)| {
                    let year = year_after(self.base_year, offset);
                    YearOutput::of(table, &area.headship, year)
                })
                .collect();
            outputs.insert(area.code.clone(), per_year);
        }
        Ok(outputs)
    }

    /// The population of one area (one of [`Self::areas`] or a copy) by age and sex for every
    /// 1 January from the base year to `horizon`, in one variant: the variant's migration,
    /// moved along the area's path (`MigrationEstimate::in_year`), and the medium path in the
    /// [`Self::known_years`].
    ///
    /// # Units
    /// Persons.
    pub fn trajectory(
        &self,
        area: &AreaInputs,
        variant: Variant,
        horizon: Year,
    ) -> Result<Trajectory, ProjectionError> {
        let n_years = horizon.get().saturating_sub(self.base_year.get());
        let migration = &area.migration;
        let variant_table = match variant {
            Variant::Low => &migration.low,
            Variant::Medium => &migration.medium,
            Variant::High => &migration.high,
        };
        let path: Vec<AgeSexTable> = (0..usize::from(n_years))
            .map(|step| {
                let table = if step < usize::from(self.known_years) {
                    &migration.medium
                } else {
                    variant_table
                };
                migration.in_year(table, step, &area.base)
            })
            .collect();
        let refs: Vec<&AgeSexTable> = path.iter().collect();
        let schedule = self.schedule_of(variant);
        project(&area.base, self.base_year, n_years, schedule, &refs)
    }
}

impl ProjectionSetup {
    /// Projects every area at the medium variant with net migration aligned to national
    /// totals: in each year with a target, the difference between the target and the sum of
    /// the areas' medium migration is shared out in proportion to each area's base
    /// population, and within an area in proportion to its base population by age and sex
    /// (the same rate everywhere). Years without a target keep the medium migration.
    ///
    /// This is the top-down step of regional forecasts that follow a national one (PEARL
    /// follows CBS's national forecast). With *realised* national totals it is a hindsight
    /// diagnostic: it separates the error of the national migration level from the error of
    /// its distribution over municipalities.
    ///
    /// # Units
    /// Persons and households; `national_net_migration` in persons per calendar year.
    ///
    /// # References
    /// CBS/PBL (2022), *PEARL: regionale bevolkings- en huishoudensprognose, methode*,
    /// alignment to the national forecast.
    pub fn run_aligned(
        &self,
        horizon: Year,
        national_net_migration: &BTreeMap<u16, f64>,
    ) -> Result<BTreeMap<AreaCode, Vec<YearOutput>>, ProjectionError> {
        let n_years = horizon.get().saturating_sub(self.base_year.get());
        let medium_total: f64 = self
            .areas
            .iter()
            .map(|area| area.migration.medium.total())
            .sum();
        let base_total: f64 = self.areas.iter().map(|area| area.base.total()).sum();
        // The targets become each area's path (`MigrationEstimate::path`), which `run` already
        // shares out over ages and sexes like the base population.
        let mut aligned = self.clone();
        for area in &mut aligned.areas {
            let own = area.migration.medium.total();
            let area_total = area.base.total();
            area.migration.path = (0..n_years)
                .map(
                    |step| match national_net_migration.get(&(self.base_year.get() + step)) {
                        Some(target) if base_total > 0.0 => {
                            own + area_total * (target - medium_total) / base_total
                        }
                        _ => own,
                    },
                )
                .collect();
        }
        aligned.run(Variant::Medium, horizon)
    }
}

fn year_after(base: Year, offset: usize) -> Year {
    let offset = u16::try_from(offset).expect("projection horizon below 65,536 years");
    Year::new(base.get() + offset).expect("projection years stay in Year::RANGE")
}

/// Sums area outputs into a region's outputs, year by year; `None` when a member is missing.
pub fn region_outputs(
    outputs: &BTreeMap<AreaCode, Vec<YearOutput>>,
    region: &Region,
) -> Option<Vec<YearOutput>> {
    let mut sum: Option<Vec<YearOutput>> = None;
    for member in &region.members {
        let series = outputs.get(member)?;
        match &mut sum {
            None => sum = Some(series.clone()),
            Some(total) => {
                for (acc, value) in total.iter_mut().zip(series) {
                    acc.add(value);
                }
            }
        }
    }
    sum
}

/// Classifies a series of outputs between two of its years (e.g. 2020 and 2040).
pub fn classify_series(series: &[YearOutput], from: Year, to: Year) -> Option<Classification> {
    let at = |year: Year| series.iter().find(|output| output.year == year);
    let (first, last) = (at(from)?, at(to)?);
    Some(classify(
        from,
        to,
        (first.population, last.population),
        (first.households, last.households),
    ))
}

/// The default block length of the bootstrap, in years (see [`bootstrap`]).
pub const BLOCK_YEARS: u16 = 5;

/// Settings of the migration bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapParams {
    /// Number of stochastic runs (1,000 by default).
    pub runs: usize,
    /// The seed of the ChaCha8 generator; the same seed gives the same intervals.
    pub seed: u64,
    /// The lower quantile of the interval (0.1 by default).
    pub lower: f64,
    /// The upper quantile of the interval (0.9 by default).
    pub upper: f64,
    /// Block length in years: an area's own draw (a past forecast error or an observed year) is
    /// kept this long, and the national random walk takes this many consecutive past changes
    /// before jumping to another start (a moving-block bootstrap; 1 draws every year anew, the
    /// horizon keeps one draw for the whole run).
    pub block_years: u16,
}

impl Default for BootstrapParams {
    fn default() -> BootstrapParams {
        BootstrapParams {
            runs: 1000,
            seed: 42,
            lower: 0.1,
            upper: 0.9,
            block_years: BLOCK_YEARS,
        }
    }
}

/// The interval of one area (or region) in one year: each indicator at the lower quantile,
/// the median and the upper quantile of the runs (quantiles per indicator, so the lower ends
/// need not come from the same run).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The year.
    pub year: Year,
    /// Residents.
    pub population: [f64; 3],
    /// Residents aged 65 and older.
    pub aged_65_plus: [f64; 3],
    /// Residents aged 80 and older.
    pub aged_80_plus: [f64; 3],
    /// Private households.
    pub households: [f64; 3],
    /// Residents aged 20–66.
    pub labour_force_20_66: [f64; 3],
    /// Residents aged 75 and older.
    pub aged_75_plus: [f64; 3],
    /// Residents aged 85 and older.
    pub aged_85_plus: [f64; 3],
    /// Residents aged 50–74.
    pub aged_50_74: [f64; 3],
    /// Residents aged 4–11 (primary-school ages).
    pub aged_4_11: [f64; 3],
    /// Residents aged 12–17 (secondary-school ages).
    pub aged_12_17: [f64; 3],
    /// The informal-care potential (residents 50–74 per resident 85+): the quantiles of each
    /// run's own ratio, not the ratio of the quantiles, since few residents aged 85+ and many
    /// aged 50–74 do not come from the same run.
    pub informal_care_potential: [f64; 3],
}

/// The indicators recorded per run: population, 65+, 80+, households, 20–66, 75+, 85+, 50–74,
/// 4–11, 12–17.
const N_RECORDED: usize = 10;

fn recorded(output: &YearOutput) -> [f64; N_RECORDED] {
    [
        output.population,
        output.aged_65_plus,
        output.aged_80_plus,
        output.households,
        output.labour_force_20_66,
        output.aged_75_plus,
        output.aged_85_plus,
        output.aged_50_74,
        output.aged_4_11,
        output.aged_12_17,
    ]
}

/// Residents 50–74 per resident 85+; NaN where no one is 85 or older.
pub fn informal_care_potential(aged_50_74: f64, aged_85_plus: f64) -> f64 {
    if aged_85_plus > 0.0 {
        aged_50_74 / aged_85_plus
    } else {
        f64::NAN
    }
}

/// Bootstrap intervals per area and per region.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapResult {
    /// The settings used.
    pub params: BootstrapParams,
    /// Intervals per area, one per year from the base year on.
    pub areas: BTreeMap<AreaCode, Vec<Interval>>,
    /// Intervals per region, by region name.
    pub regions: BTreeMap<String, Vec<Interval>>,
}

/// Intervals from bootstrapped migration: a national path common to all areas plus each
/// area's own observed deviations, drawn in blocks.
///
/// - **National component.** The national level's deviation from the medium follows a
///   random walk: each projection year adds one past year-to-year change of national net
///   migration (`ProjectionSetup::national_migration_deviations`; for the Netherlands the
///   changes of WPP's series 1991 … base year − 1, centred on their mean). Within a block
///   of `block_years` the changes are taken as a run of consecutive past years, starting at
///   a random year (circular), because a rise tends to be followed by a rise (the lag-1
///   autocorrelation of the Dutch changes 1991–2019 is +0.47). The deviation is shared out
///   over the areas like the base population: a shock such as the immigration peak of 2022.
/// - **Area component.** With past forecast errors (`MigrationEstimate::forecast_errors`, the
///   Dutch set-up), each block draws one error per resident for the area alone (mixed with
///   its code) plus one from [`ProjectionSetup::regional_errors`] drawn once per region (mixed
///   with the region's code), so the areas of a region err together and regional sums get
///   the spread regions showed. Without errors, each block draws one observed calendar year
///   with replacement, the **same draw for every area**, and each area gets its own deviation
///   of that year from its medium (`MigrationEstimate::by_year`). Blocks model the
///   persistence of local regimes (housing programmes, reception centres).
/// - **Known years** ([`ProjectionSetup::known_years`]) vary in no run; the national walk
///   and the draws begin after them, and every run follows the area's path
///   (`MigrationEstimate::path`).
///
/// The default block of 5 years is a judgement; the coverage of the resulting 80 % band is
/// reported on the validation back-tests (bases 2017–2019 → 2020) and the 2020 → 2024 test
/// (see `data/projection/README.md`). Fertility and mortality stay at the medium rates.
/// The interval is the `lower`–`upper` quantile range of the runs, per area, per region and
/// year. The generator is ChaCha8 seeded with `params.seed`; the draws do not depend on the
/// areas, so results do not depend on the number of threads, the order of areas, or which
/// other areas are projected.
///
/// # Units
/// Persons and households.
///
/// # References
/// Efron and Tibshirani (1993), *An Introduction to the Bootstrap* (moving blocks, §8.6);
/// Rayer, Smith and Tayman (2009), "Empirical prediction intervals for county population
/// forecasts", *Population Research and Policy Review* 28 (intervals from past forecast
/// errors); for bootstrapped migration in regional projections, e.g. Wilson (2012), "Forecast
/// accuracy and uncertainty of Australian Bureau of Statistics state and territory population
/// projections", *IJF*.
pub fn bootstrap(
    setup: &ProjectionSetup,
    horizon: Year,
    params: &BootstrapParams,
    regions: &[Region],
) -> BootstrapResult {
    let n_years = usize::from(horizon.get().saturating_sub(setup.base_year.get()));
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let block = usize::from(params.block_years.max(1));
    let changes = &setup.national_migration_deviations;
    // Per run and year: a draw for the area's observed year and the national level's
    // deviation from its medium, a random walk whose steps are past year-to-year changes
    // taken in runs of `block` consecutive years (circular), so that momentum in the
    // national series (its changes are positively autocorrelated) survives.
    let draws: Vec<Vec<(u64, f64)>> = (0..params.runs)
        .map(|_| {
            let mut path: Vec<(u64, f64)> = Vec::with_capacity(n_years);
            let mut level = 0.0;
            let mut start = 0;
            let mut municipal = 0;
            let known = usize::from(setup.known_years);
            for step in 0..n_years {
                // Registered years vary in no run; the spread starts after them.
                let Some(step) = step.checked_sub(known) else {
                    path.push((0, 0.0));
                    continue;
                };
                if step % block == 0 {
                    municipal = rng.random::<u64>();
                    start = if changes.is_empty() {
                        0
                    } else {
                        pick(rng.random::<u64>(), changes.len())
                    };
                }
                if !changes.is_empty() {
                    level += changes[(start + step % block) % changes.len()];
                }
                path.push((municipal, level));
            }
            path
        })
        .collect();
    let national_base: f64 = setup.areas.iter().map(|area| area.base.total()).sum();
    let n_points = n_years + 1;
    let mut region_values: Vec<Vec<Vec<[f64; N_RECORDED]>>> =
        vec![vec![vec![[0.0; N_RECORDED]; params.runs]; n_points]; regions.len()];
    let mut areas = BTreeMap::new();
    let mut values = vec![vec![[0.0; N_RECORDED]; params.runs]; n_points];
    for area in &setup.areas {
        let n_ages = area.base.n_ages();
        let mut current = AgeSexTable::zeros(n_ages);
        let mut next = AgeSexTable::zeros(n_ages);
        let mut migrants = AgeSexTable::zeros(n_ages);
        // The national shock is shared out like the base population (same rate everywhere).
        let mut per_national_migrant = area.base.clone();
        per_national_migrant.scale(if national_base > 0.0 {
            1.0 / national_base
        } else {
            0.0
        });
        // The path moves every run alike, in units of `per_national_migrant` too; computed
        // once per area, not in every run (`path_shift` sums the medium table).
        let area_total = area.base.total();
        let path: Vec<f64> = (0..n_years)
            .map(|step| {
                if area_total > 0.0 {
                    area.migration.path_shift(step) * national_base / area_total
                } else {
                    0.0
                }
            })
            .collect();
        let options = &area.migration.by_year;
        let errors = &area.migration.forecast_errors;
        let area_key = area_key(&area.code);
        // Mixed with the region's code (salted, so a region never shares a stream with an
        // area of the same code): every area of the region draws the same error.
        let region_key = area
            .region
            .as_ref()
            .filter(|_| !setup.regional_errors.is_empty())
            .map(|region| self::area_key(region) ^ REGION_SALT);
        for (run, draw) in draws.iter().enumerate() {
            current.clone_from(&area.base);
            let headship = &area.headship;
            let record =
                |values: &mut Vec<Vec<[f64; N_RECORDED]>>, offset: usize, table: &AgeSexTable| {
                    let year = year_after(setup.base_year, offset);
                    values[offset][run] = recorded(&YearOutput::of(table, headship, year));
                };
            record(&mut values, 0, &current);
            for (step, (u, national)) in draw.iter().enumerate() {
                let year = year_after(setup.base_year, step);
                let known = step < usize::from(setup.known_years);
                // The area's own deviation: a past forecast error per resident, drawn for
                // this area alone (mixed with its code, so the draw does not depend on which
                // other areas are projected); or, without errors, an observed year.
                let own_per_resident = if known {
                    migrants.clone_from(&area.migration.medium);
                    0.0
                } else if errors.is_empty() {
                    migrants.clone_from(&options[pick(*u, options.len())].1);
                    0.0
                } else {
                    migrants.clone_from(&area.migration.medium);
                    let regional = region_key.map_or(0.0, |key| {
                        let regional = &setup.regional_errors;
                        regional[pick(split_mix(*u ^ key), regional.len())]
                    });
                    // Per resident of the area, in units of `per_national_migrant`.
                    (errors[pick(split_mix(*u ^ area_key), errors.len())] + regional)
                        * national_base
                };
                let extra = national + own_per_resident + path[step];
                if extra != 0.0 {
                    for sex in crate::table::Sex::BOTH {
                        for (cell, unit) in migrants
                            .counts_mut(sex)
                            .iter_mut()
                            .zip(per_national_migrant.counts(sex))
                        {
                            *cell += extra * unit;
                        }
                    }
                }
                project_one_year(
                    &current,
                    setup.schedule.for_year(year),
                    &migrants,
                    &mut next,
                );
                std::mem::swap(&mut current, &mut next);
                record(&mut values, step + 1, &current);
            }
        }
        for (region, sums) in regions.iter().zip(region_values.iter_mut()) {
            if region.members.contains(&area.code) {
                for (point, runs) in values.iter().enumerate() {
                    for (run, recorded) in runs.iter().enumerate() {
                        for (sum, value) in sums[point][run].iter_mut().zip(recorded) {
                            *sum += value;
                        }
                    }
                }
            }
        }
        areas.insert(
            area.code.clone(),
            intervals(&mut values, setup.base_year, params),
        );
    }
    let regions = regions
        .iter()
        .zip(region_values.iter_mut())
        .map(|(region, sums)| {
            (
                region.name.clone(),
                intervals(sums, setup.base_year, params),
            )
        })
        .collect();
    BootstrapResult {
        params: *params,
        areas,
        regions,
    }
}

/// Separates the draws of a region from those of an area with the same code.
const REGION_SALT: u64 = 0x5245_4749_4f4e_0001;

/// A stable 64-bit key of an area code (FNV-1a), mixed into the area's own draws.
fn area_key(code: &AreaCode) -> u64 {
    code.as_str()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// SplitMix64's finaliser: a uniform `u64` from any `u64` (Steele, Lea and Flood 2014).
fn split_mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Maps a uniform `u64` onto `0..len` by multiply-shift (no modulo bias worth noting).
fn pick(uniform: u64, len: usize) -> usize {
    let len = u128::try_from(len).expect("few options");
    usize::try_from((u128::from(uniform) * len) >> 64).expect("below len")
}

/// Quantiles per year of runs (sorts `values` in place).
fn intervals(
    values: &mut [Vec<[f64; N_RECORDED]>],
    base_year: Year,
    params: &BootstrapParams,
) -> Vec<Interval> {
    values
        .iter_mut()
        .enumerate()
        .map(|(offset, runs)| {
            let of = |index: usize| {
                let mut column: Vec<f64> = runs.iter().map(|value| value[index]).collect();
                quantiles(&mut column, params)
            };
            // Region sums were added up per run before this point, so each run's ratio is a
            // ratio of sums, never a mean of the members' ratios.
            let mut potential: Vec<f64> = runs
                .iter()
                .map(|value| informal_care_potential(value[7], value[6]))
                .collect();
            Interval {
                year: year_after(base_year, offset),
                population: of(0),
                aged_65_plus: of(1),
                aged_80_plus: of(2),
                households: of(3),
                labour_force_20_66: of(4),
                aged_75_plus: of(5),
                aged_85_plus: of(6),
                aged_50_74: of(7),
                aged_4_11: of(8),
                aged_12_17: of(9),
                informal_care_potential: quantiles(&mut potential, params),
            }
        })
        .collect()
}

/// All outputs of a projection: every variant per area and year, and the bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionOutputs {
    /// Per variant, per area, one output per year from the base year to the horizon.
    pub variants: BTreeMap<Variant, BTreeMap<AreaCode, Vec<YearOutput>>>,
    /// Per variant, per region, the sums of the member areas.
    pub region_variants: BTreeMap<Variant, BTreeMap<String, Vec<YearOutput>>>,
    /// Bootstrap intervals around the medium variant, per area and region.
    pub intervals: BootstrapResult,
}

/// Runs the three variants and the bootstrap for every area and region.
///
/// # Units
/// Persons and households.
///
/// # References
/// See [`ProjectionSetup::run`] and [`bootstrap`].
pub fn projection_outputs(
    setup: &ProjectionSetup,
    horizon: Year,
    params: &BootstrapParams,
    regions: &[Region],
) -> Result<ProjectionOutputs, ProjectionError> {
    let mut variants = BTreeMap::new();
    let mut region_variants = BTreeMap::new();
    for variant in Variant::ALL {
        let outputs = setup.run(variant, horizon)?;
        let by_region = regions
            .iter()
            .filter_map(|region| Some((region.name.clone(), region_outputs(&outputs, region)?)))
            .collect();
        region_variants.insert(variant, by_region);
        variants.insert(variant, outputs);
    }
    Ok(ProjectionOutputs {
        variants,
        region_variants,
        intervals: bootstrap(setup, horizon, params, regions),
    })
}

fn quantiles(values: &mut [f64], params: &BootstrapParams) -> [f64; 3] {
    values.sort_unstable_by(f64::total_cmp);
    [
        quantile(values, params.lower),
        quantile(values, 0.5),
        quantile(values, params.upper),
    ]
}

/// The `q` quantile of sorted values, linear between order statistics (type 7, as R's default).
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the position lies in 0..len"
)]
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lower = position.floor();
    let weight = position - lower;
    let index = lower as usize;
    let upper = (index + 1).min(sorted.len() - 1);
    sorted[index] + weight * (sorted[upper] - sorted[index])
}
