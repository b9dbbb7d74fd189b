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
//! 2. **Level, 2012 → 2020.** For each pair of KWB years (2012 → 2017, 2017 → 2018,
//!    2018 → 2019, 2019 → 2020) whose boundaries did not change (same code, ≥ 98 % of area
//!    both ways in the overlay lineage), the total residual is `P(t+k) − P(t)·(1 + n)^k`,
//!    with `n` the municipality's natural increase rate from the first step, spread evenly
//!    over the `k` years. Going back from 2020, the series stops at the first pair with a
//!    boundary change. The medium level is the mean over the available calendar years; each
//!    year's level is kept for the bootstrap; the low and high variants sit one standard
//!    deviation of the annual totals below and above the mean. (A first version used
//!    2017–2020 only; Noordenveld, whose population fell 5 % in 2017–2019 after growing in
//!    2012–2017, was then projected 9 % too low for 2024 and −40 % to 2040.)
//! 3. A different level is reached by adding the difference to the profile in proportion to
//!    the 2020 population (the same rate at every age and sex), so the age profile of step 1
//!    stays the age profile of the *deviation* from it.
//!
//! Assumptions, stated plainly: births in the residual are national fertility applied to the
//! municipality's women, so a municipality with higher fertility shows extra "infant
//! migration" (which carries its excess births into the projection); the within-group detail
//! of 2019 comes from 2020 itself; only 2012–2020 is used, so the 2022 peak of immigration
//! (refugees from Ukraine) is absent — on purpose, because the back-test jumps off in 2020.

use crate::engine::project_one_year;
use crate::rates::Rates;
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
    /// Total net migration per observed pair of years `(first year, persons)`.
    pub annual_totals: Vec<(u16, f64)>,
    /// Natural increase per resident per year from the 2019 → 2020 step.
    pub natural_increase_rate: f64,
}

impl MigrationEstimate {
    /// Zero migration (for areas without data, or a closed-population variant).
    pub fn zero(n_ages: usize) -> MigrationEstimate {
        MigrationEstimate {
            medium: AgeSexTable::zeros(n_ages),
            low: AgeSexTable::zeros(n_ages),
            high: AgeSexTable::zeros(n_ages),
            by_year: vec![(0, AgeSexTable::zeros(n_ages))],
            annual_totals: vec![(0, 0.0)],
            natural_increase_rate: 0.0,
        }
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
    let rates = inputs.rates_2019;
    let n_ages = population.n_ages();
    let open = n_ages - 1;
    let group_of = |age: usize| {
        KWB_AGE_GROUPS
            .iter()
            .position(|(from, to)| age >= *from && (age <= *to || *to >= open))
            .unwrap_or(KWB_AGE_GROUPS.len() - 1)
    };

    // Reconstruct 1 January 2019 by single age: the 2020 cohort one year older, unsurvived,
    // scaled to the KWB 2019 group counts.
    let mut population_2019 = AgeSexTable::zeros(n_ages);
    for sex in Sex::BOTH {
        let survival = rates.survival.of(sex);
        let later = population.counts(sex);
        let earlier = population_2019.counts_mut(sex);
        for age in 0..n_ages {
            let (cohort_later, share) = match age {
                a if a + 1 < open => (later[a + 1], 1.0),
                _ => (later[open], 0.5),
            };
            earlier[age] = cohort_later * share / survival[age].max(1e-6);
        }
    }
    let mut group_sums = [0.0; 5];
    for age in 0..n_ages {
        group_sums[group_of(age)] += population_2019.both_sexes(age);
    }
    for sex in Sex::BOTH {
        for (age, value) in population_2019.counts_mut(sex).iter_mut().enumerate() {
            let group = group_of(age);
            *value *= if group_sums[group] > 0.0 {
                inputs.groups_2019[group] / group_sums[group]
            } else {
                0.0
            };
        }
    }

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
    let profile_total = profile.total();

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
        annual_totals.push((2019, profile_total));
    }
    let mean_total =
        annual_totals.iter().map(|(_, total)| total).sum::<f64>() / annual_totals.len() as f64;
    let population_total = population.total();
    let at_level = |level: f64| {
        let mut table = profile.clone();
        if population_total > 0.0 {
            let mut shift = population.clone();
            shift.scale((level - profile_total) / population_total);
            table.add(&shift);
        }
        table
    };
    let spread = if annual_totals.len() > 1 {
        let squares: f64 = annual_totals
            .iter()
            .map(|(_, total)| (total - mean_total).powi(2))
            .sum();
        (squares / (annual_totals.len() - 1) as f64).sqrt()
    } else {
        0.0
    };
    MigrationEstimate {
        medium: at_level(mean_total),
        low: at_level(mean_total - spread),
        high: at_level(mean_total + spread),
        by_year: annual_totals
            .iter()
            .map(|(year, total)| (*year, at_level(*total)))
            .collect(),
        annual_totals,
        natural_increase_rate,
    }
}
