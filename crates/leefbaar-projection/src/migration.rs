//! Net migration by age and sex per municipality, estimated with the residual method.
//!
//! No bundled table counts migrants per municipality, so migration is what is left of the
//! change between two registered populations after births and deaths, estimated with the
//! national rates:
//!
//! 1. **Age profile, 2019 → 2020.** The 2019 population is known only in five age groups
//!    (KWB 2019: 0–14, 15–24, 25–44, 45–64, 65+). Within each group it is spread over single
//!    ages and sexes like the 2020 population one year older, divided by the survival
//!    probability (the cohort a year earlier). That population is projected one year with the
//!    2019 national rates and no migration; the difference from the registered 2020 population,
//!    summed per age group, is the group's residual. Each group's residual is turned into a
//!    rate per 2020 resident, the rates are smoothed over single ages with a 5-year moving
//!    average (so the step between groups does not survive), applied to the 2020 population
//!    by age and sex, converted from end-of-year residuals to mid-year migrants
//!    (`M = 2R/(1 + s)`), and rescaled so the total residual is kept exactly.
//! 2. **Level.** [`estimate_migration`] keeps the first version's simple rule: for each pair
//!    of KWB years (2012 → 2017, 2017 → 2018, 2018 → 2019, 2019 → 2020) whose boundaries did
//!    not change (same code, ≥ 98 % of area both ways in the overlay lineage), the total
//!    residual is `P(t+k) − P(t)·(1 + n)^k`, with `n` the natural increase rate of step 1,
//!    spread evenly over the `k` years; the level is the mean over the calendar years; low
//!    and high sit one standard deviation of the annual totals below and above it.
//!    The national assembly ([`crate::netherlands_setup_with`]) replaces both parts: each
//!    pair's residual uses the rates of each of its years on a reconstructed population
//!    ([`backcast_one_year`], [`residual_per_year`]), because one rate for 2012–2019
//!    overstated the natural decline of ageing municipalities in 2012–2016; and the level is a
//!    national level shared out like the population plus the municipality's recency-weighted
//!    deviation, because a mean over 2012–2019 averaged a national series that rose from
//!    15,000 to 109,000 (see `data/projection/README.md` for the diagnosis and validation).
//! 3. A different level is reached by adding the difference to the profile in proportion to
//!    the population ([`shift_to_level`]: the same rate at every age and sex), so the age
//!    profile of step 1 stays the age profile of the *deviation* from it.
//!
//! Assumptions, stated plainly: births in the residual are national fertility applied to the
//! municipality's women, so a municipality with higher fertility shows extra "infant
//! migration" (which carries its excess births into the projection); the within-group detail
//! of 2019 comes from 2020 itself. Back-tests use only the years up to their base (for the
//! 2020 → 2024 test, 2012–2020, so the 2022 peak of immigration is absent on purpose); a
//! projection made today also takes the registered totals of 2022–2024 (see
//! [`crate::netherlands_setup_with`]). (An earlier version weighted 2017–2020 only;
//! Noordenveld, whose population fell 5 % in 2017–2019 after growing in 2012–2017, was then
//! projected 9 % too low for 2024.)

use leefbaar_model::Year;

use crate::engine::project_one_year;
use crate::rates::{RateSchedule, Rates};
use crate::table::{AgeSexTable, Sex};

/// The five KWB age groups as inclusive age ranges (the last open).
pub const KWB_AGE_GROUPS: [(usize, usize); 5] = [(0, 14), (15, 24), (25, 44), (45, 64), (65, 100)];

/// Estimated net migration of one municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationEstimate {
    /// Net migrants per year by age at the end of the year and sex, at the medium level.
    pub medium: AgeSexTable,
    /// The same profile at the mean minus one standard deviation of the annual totals (the
    /// low variant); equal to `medium` when only one year is observed.
    pub low: AgeSexTable,
    /// The same profile at the mean plus one standard deviation (the high variant).
    pub high: AgeSexTable,
    /// The same profile at each observed year's level: `(first year of the pair, table)`.
    pub by_year: Vec<(u16, AgeSexTable)>,
    /// Past out-of-sample errors of net-migration forecasts for areas like this one, per
    /// resident per year (see [`crate::netherlands_setup_with`]); [`crate::bootstrap`] draws
    /// the area's own deviation from them. Empty to draw from `by_year` instead.
    pub forecast_errors: Vec<f64>,
    /// Total net migration per observed pair of years `(first year, persons)`.
    pub annual_totals: Vec<(u16, f64)>,
    /// Natural increase per resident per year from the 2019 → 2020 step.
    pub natural_increase_rate: f64,
    /// Total net migration of the medium variant per calendar year from the base year on,
    /// where it is not `medium`'s total: first the years already registered after the base
    /// (see [`crate::ProjectionSetup::known_years`]), then the medium level following a
    /// national path. The last entry holds after the path ends; empty keeps `medium` in every
    /// year. Other variants and bootstrap runs move by the same amount (see
    /// [`MigrationEstimate::in_year`]).
    ///
    /// # Units
    /// Persons per year.
    pub path: Vec<f64>,
}

impl MigrationEstimate {
    /// Zero migration (for areas without data, or a closed-population variant).
    pub fn zero(n_ages: usize) -> MigrationEstimate {
        MigrationEstimate {
            medium: AgeSexTable::zeros(n_ages),
            low: AgeSexTable::zeros(n_ages),
            high: AgeSexTable::zeros(n_ages),
            by_year: vec![(0, AgeSexTable::zeros(n_ages))],
            forecast_errors: Vec::new(),
            annual_totals: vec![(0, 0.0)],
            natural_increase_rate: 0.0,
            path: Vec::new(),
        }
    }

    /// How far the medium level of `step` years after the base lies from `medium`'s total:
    /// the path's value (or its last value) minus that total, 0 without a path.
    ///
    /// # Units
    /// Persons per year.
    pub fn path_shift(&self, step: usize) -> f64 {
        self.path
            .get(step)
            .or(self.path.last())
            .map_or(0.0, |total| total - self.medium.total())
    }

    /// Net migration of `variant_table` (`medium`, `low`, `high` or a bootstrap draw) in the
    /// year `step` years after the base: the table moved by [`Self::path_shift`], the same
    /// rate at every age and sex of `base` (as [`shift_to_level`]).
    ///
    /// # Units
    /// Persons per year, by age at the end of the year.
    pub fn in_year(
        &self,
        variant_table: &AgeSexTable,
        step: usize,
        base: &AgeSexTable,
    ) -> AgeSexTable {
        let shift = self.path_shift(step);
        let mut table = variant_table.clone();
        let base_total = base.total();
        if shift != 0.0 && base_total > 0.0 {
            let mut extra = base.clone();
            extra.scale(shift / base_total);
            table.add(&extra);
        }
        table
    }
}

/// What the residual method needs for one municipality.
#[derive(Debug, Clone, Copy)]
pub struct ResidualInputs<'a> {
    /// Registered population on 1 January 2020 by single age and sex.
    pub population_2020: &'a AgeSexTable,
    /// Registered population on 1 January 2019 in the five [`KWB_AGE_GROUPS`].
    pub groups_2019: &'a [f64; 5],
    /// National rates for the year 2019.
    pub rates_2019: &'a Rates,
    /// Totals on 1 January for years with unchanged boundaries, ending with 2020, e.g.
    /// `[(2012, …), (2017, …), (2018, …), (2019, …), (2020, …)]`.
    pub totals: &'a [(u16, f64)],
}

/// Estimates net migration by age and sex with the residual method (see the module docs).
///
/// # Units
/// Persons per year, by age at the end of the year.
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography*, §6.2 (intercensal residual estimates
/// of net migration, forward survival); Rogers (1995), *Multiregional Demography*, on
/// smoothing migration age schedules.
pub fn estimate_migration(inputs: &ResidualInputs<'_>) -> MigrationEstimate {
    let population = inputs.population_2020;
    let (profile, natural_increase_rate) =
        migration_profile(population, inputs.groups_2019, inputs.rates_2019);

    // Yearly totals and levels.
    let mut annual_totals = Vec::new();
    for pair in inputs.totals.windows(2) {
        let ((year, before), (next_year, after)) = (pair[0], pair[1]);
        // A pair several years apart (2012 → 2017) gives its mean annual residual once for
        // every year it spans, so each calendar year weighs the same in the mean and the
        // bootstrap (the spread within such a period is not observed).
        let span = next_year.saturating_sub(year);
        if span == 0 {
            continue;
        }
        let growth = (1.0 + natural_increase_rate).powi(i32::from(span));
        let per_year = (after - before * growth) / f64::from(span);
        for offset in 0..span {
            annual_totals.push((year + offset, per_year));
        }
    }
    if annual_totals.is_empty() {
        annual_totals.push((2019, profile.total()));
    }
    let totals: Vec<f64> = annual_totals.iter().map(|(_, total)| *total).collect();
    let mean_total = mean(&totals);
    let spread = standard_deviation(&totals);
    MigrationEstimate {
        medium: shift_to_level(&profile, population, mean_total),
        low: shift_to_level(&profile, population, mean_total - spread),
        high: shift_to_level(&profile, population, mean_total + spread),
        by_year: annual_totals
            .iter()
            .map(|(year, total)| (*year, shift_to_level(&profile, population, *total)))
            .collect(),
        forecast_errors: Vec::new(),
        annual_totals,
        natural_increase_rate,
        path: Vec::new(),
    }
}

/// The mean of `values` (0 for none).
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// The sample standard deviation of `values` (0 for fewer than two).
pub(crate) fn standard_deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let centre = mean(values);
    let squares: f64 = values.iter().map(|value| (value - centre).powi(2)).sum();
    (squares / (values.len() - 1) as f64).sqrt()
}

/// A migration table at another total: `profile` plus `(level − profile total)` migrants
/// shared out like `population` (the same rate at every age and sex), so the profile's age
/// pattern stays the pattern of the deviation from it.
///
/// # Units
/// Persons per year; `level` is the total net migration per year.
pub fn shift_to_level(profile: &AgeSexTable, population: &AgeSexTable, level: f64) -> AgeSexTable {
    let mut table = profile.clone();
    let population_total = population.total();
    if population_total > 0.0 {
        let mut shift = population.clone();
        shift.scale((level - profile.total()) / population_total);
        table.add(&shift);
    }
    table
}

/// The population of 1 January of year `t` from that of `t + 1`, reverse-survived with the
/// rates of year `t` and without migration: each cohort one year younger, divided by its
/// survival probability. The open class of `t + 1` is split half and half between the last
/// closed age and the open class of `t`; births during `t` (age 0 at `t + 1`) drop out.
///
/// # Units
/// Persons.
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography*, §6.2 (reverse survival).
pub fn backcast_one_year(later: &AgeSexTable, rates: &Rates) -> AgeSexTable {
    let n_ages = later.n_ages();
    let open = n_ages - 1;
    let mut earlier = AgeSexTable::zeros(n_ages);
    for sex in Sex::BOTH {
        let survival = rates.survival.of(sex);
        let later = later.counts(sex);
        let earlier = earlier.counts_mut(sex);
        for age in 0..n_ages {
            let (cohort_later, share) = match age {
                a if a + 1 < open => (later[a + 1], 1.0),
                _ => (later[open], 0.5),
            };
            earlier[age] = cohort_later * share / survival[age].max(1e-6);
        }
    }
    earlier
}

/// Net migration per year between two registered populations: the registered total of the
/// later year minus the earlier population projected without migration (with the rates of
/// each year of `schedule`), divided by the number of years.
///
/// Migrants' own births and deaths within the period are ignored (second order).
///
/// # Units
/// Persons per year.
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography*, §6.2 (forward-survival residual).
pub fn residual_per_year(
    earlier: &AgeSexTable,
    year: Year,
    later_total: f64,
    span: u16,
    schedule: &RateSchedule,
) -> f64 {
    if span == 0 {
        return 0.0;
    }
    let no_migration = AgeSexTable::zeros(earlier.n_ages());
    let mut current = earlier.clone();
    let mut next = AgeSexTable::zeros(earlier.n_ages());
    for step in 0..span {
        let rates = Year::new(year.get() + step).map_or_else(
            |_| schedule.for_year(year),
            |this_year| schedule.for_year(this_year),
        );
        project_one_year(&current, rates, &no_migration, &mut next);
        std::mem::swap(&mut current, &mut next);
    }
    (later_total - current.total()) / f64::from(span)
}

/// Step 1 of the module docs: the age-sex profile of one year's net migration from the
/// 2019 → 2020 step, and the natural increase rate of that step.
pub(crate) fn migration_profile(
    population: &AgeSexTable,
    groups_2019: &[f64; 5],
    rates: &Rates,
) -> (AgeSexTable, f64) {
    let n_ages = population.n_ages();
    let open = n_ages - 1;
    let group_of = |age: usize| kwb_group_of(age, open);

    // Reconstruct 1 January 2019 by single age: the 2020 cohort one year older, unsurvived,
    // scaled to the KWB 2019 group counts.
    let mut population_2019 = backcast_one_year(population, rates);
    scale_to_groups(&mut population_2019, groups_2019);

    // Project 2019 one year without migration and take the residual per group.
    let mut expected = AgeSexTable::zeros(n_ages);
    project_one_year(
        &population_2019,
        rates,
        &AgeSexTable::zeros(n_ages),
        &mut expected,
    );
    let start_total = population_2019.total();
    let natural_increase_rate = if start_total > 0.0 {
        (expected.total() - start_total) / start_total
    } else {
        0.0
    };
    let mut residual = [0.0; 5];
    let mut registered = [0.0; 5];
    for age in 0..n_ages {
        residual[group_of(age)] += population.both_sexes(age) - expected.both_sexes(age);
        registered[group_of(age)] += population.both_sexes(age);
    }
    let total_residual: f64 = residual.iter().sum();

    // Rates per resident, smoothed over single ages.
    let step_rates: Vec<f64> = (0..n_ages)
        .map(|age| {
            let group = group_of(age);
            if registered[group] > 0.0 {
                residual[group] / registered[group]
            } else {
                0.0
            }
        })
        .collect();
    let smoothed: Vec<f64> = (0..n_ages)
        .map(|age| {
            let from = age.saturating_sub(2);
            let to = (age + 2).min(open);
            step_rates[from..=to].iter().sum::<f64>() / (to - from + 1) as f64
        })
        .collect();
    let mut profile = AgeSexTable::zeros(n_ages);
    let mut as_residual = 0.0;
    for sex in Sex::BOTH {
        let survival = rates.survival.of(sex);
        for age in 0..n_ages {
            let s = if age == 0 {
                *rates.birth_survival.of(sex)
            } else {
                survival[age - 1]
            };
            let migrants = 2.0 * smoothed[age] * population.get(sex, age) / (1.0 + s);
            profile.counts_mut(sex)[age] = migrants;
            as_residual += migrants * (1.0 + s) / 2.0;
        }
    }
    if as_residual.abs() > 1e-9 {
        profile.scale(total_residual / as_residual);
    }
    (profile, natural_increase_rate)
}

/// The index in [`KWB_AGE_GROUPS`] of `age`; the last group also takes every age from `open`
/// (the open class) on.
fn kwb_group_of(age: usize, open: usize) -> usize {
    KWB_AGE_GROUPS
        .iter()
        .position(|(from, to)| age >= *from && (age <= *to || *to >= open))
        .unwrap_or(KWB_AGE_GROUPS.len() - 1)
}

/// Scales each of the five [`KWB_AGE_GROUPS`] of `table` (both sexes) to the given counts.
pub(crate) fn scale_to_groups(table: &mut AgeSexTable, groups: &[f64; 5]) {
    let n_ages = table.n_ages();
    let open = n_ages - 1;
    let group_of = |age: usize| kwb_group_of(age, open);
    let mut group_sums = [0.0; 5];
    for age in 0..n_ages {
        group_sums[group_of(age)] += table.both_sexes(age);
    }
    for sex in Sex::BOTH {
        for (age, value) in table.counts_mut(sex).iter_mut().enumerate() {
            let group = group_of(age);
            *value *= if group_sums[group] > 0.0 {
                groups[group] / group_sums[group]
            } else {
                0.0
            };
        }
    }
}
