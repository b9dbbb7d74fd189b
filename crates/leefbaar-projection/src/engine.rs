//! The cohort-component step: survive, add net migration, add births; and a run over years.

use leefbaar_model::Year;

use crate::error::ProjectionError;
use crate::rates::{RateSchedule, Rates};
use crate::table::{AgeSexTable, BySex, Sex};

/// What one step produced besides the new population.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StepTotals {
    /// Live births during the year, per sex (before infant mortality).
    pub births: BySex<f64>,
    /// Persons removed because net out-migration exceeded a cohort (cells clamped at zero).
    pub migration_shortfall: f64,
}

/// Projects a population on 1 January of year `t` to 1 January of `t + 1`, writing into `end`.
///
/// Conventions, per sex, with `P` the start population, `s` the survival probabilities of
/// [`Rates`], `M` the year's net migration indexed by **age at the end of the step** (so `M[0]`
/// are infants born during the year):
///
/// - Ages 1 … ω−1: `end[x] = s[x−1]·(P[x−1] + M[x]/2) + M[x]/2`. Net migrants move mid-year:
///   half of them are exposed to the cohort's mortality for the year, half arrive alive at
///   the end (the usual mid-interval convention).
/// - The open class ω: `end[ω] = s[ω−1]·P[ω−1] + s[ω]·P[ω] + M[ω]·(1 + s[ω])/2`.
/// - Births: `B = Σ_x f[x] · (W_start[x] + W_end[x]) / 2`, the fertility rates applied to the
///   mean number of women of each age during the year (start and end of the step, after
///   survival and migration). Age 0 uses the start count (its fertility is zero in practice).
///   Boys are `B·srb/(1 + srb)`, girls `B/(1 + srb)`.
/// - Age 0: `end[0] = s_birth·(B + M[0]/2) + M[0]/2`.
/// - A cell that would turn negative (more out-migrants than people) is set to 0, and the
///   missing persons are reported in [`StepTotals::migration_shortfall`].
///
/// The rates and migration must have the population's number of ages (checked by
/// [`project`]; this hot-loop function only debug-asserts it).
///
/// # Units
/// Persons (expected values, fractional); rates as in [`Rates`].
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography*, chapter 6 (cohort-component
/// projection; migrants counted at mid-interval, births from the average female population).
pub fn project_one_year(
    start: &AgeSexTable,
    rates: &Rates,
    net_migration: &AgeSexTable,
    end: &mut AgeSexTable,
) -> StepTotals {
    let n_ages = start.n_ages();
    debug_assert_eq!(rates.n_ages(), n_ages);
    debug_assert_eq!(net_migration.n_ages(), n_ages);
    debug_assert_eq!(end.n_ages(), n_ages);
    let open = n_ages - 1;
    let mut shortfall = 0.0;
    for sex in Sex::BOTH {
        let before = start.counts(sex);
        let survival = rates.survival.of(sex);
        let migrants = net_migration.counts(sex);
        let after = end.counts_mut(sex);
        for age in 1..open {
            let s = survival[age - 1];
            after[age] = s * (before[age - 1] + migrants[age] / 2.0) + migrants[age] / 2.0;
        }
        after[open] = survival[open - 1] * before[open - 1]
            + survival[open] * before[open]
            + migrants[open] * (1.0 + survival[open]) / 2.0;
        for value in &mut after[1..] {
            if *value < 0.0 {
                shortfall -= *value;
                *value = 0.0;
            }
        }
    }
    let women_start = start.counts(Sex::Female);
    let women_end = end.counts(Sex::Female);
    let mut births = rates.fertility[0] * women_start[0];
    for age in 1..n_ages {
        births += rates.fertility[age] * (women_start[age] + women_end[age]) / 2.0;
    }
    let srb = rates.sex_ratio_at_birth;
    let births = BySex {
        male: births * srb / (1.0 + srb),
        female: births / (1.0 + srb),
    };
    for sex in Sex::BOTH {
        let s = *rates.birth_survival.of(sex);
        let infants = net_migration.get(sex, 0);
        let mut value = s * (births.of(sex) + infants / 2.0) + infants / 2.0;
        if value < 0.0 {
            shortfall -= value;
            value = 0.0;
        }
        end.counts_mut(sex)[0] = value;
    }
    StepTotals {
        births,
        migration_shortfall: shortfall,
    }
}

/// A projected population: one table per 1 January from the base year on.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The year of the first table (the jump-off population).
    pub base_year: Year,
    /// Populations on 1 January of `base_year`, `base_year + 1`, ….
    pub populations: Vec<AgeSexTable>,
    /// What each step produced (one fewer than `populations`).
    pub steps: Vec<StepTotals>,
}

impl Trajectory {
    /// The population on 1 January of `year`, if projected.
    pub fn population_in(&self, year: Year) -> Option<&AgeSexTable> {
        let offset = year.get().checked_sub(self.base_year.get())?;
        self.populations.get(usize::from(offset))
    }

    /// The last year projected.
    pub fn last_year(&self) -> Year {
        let steps = u16::try_from(self.steps.len()).expect("fewer than 65,536 steps");
        Year::new(self.base_year.get() + steps).expect("projection stays within Year::RANGE")
    }
}

/// Projects `base` (1 January of `base_year`) for `n_years` yearly steps.
///
/// Step `i` (from `base_year + i`) uses `schedule.for_year(base_year + i)` and
/// `migration[min(i, migration.len() − 1)]`: pass one table for constant migration, or one per
/// year for a path (as the bootstrap does).
///
/// # Units
/// Persons; see [`project_one_year`] for the conventions.
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography*, chapter 6.
pub fn project(
    base: &AgeSexTable,
    base_year: Year,
    n_years: u16,
    schedule: &RateSchedule,
    migration: &[&AgeSexTable],
) -> Result<Trajectory, ProjectionError> {
    let n_ages = base.n_ages();
    if schedule.n_ages() != n_ages {
        return Err(ProjectionError::AgeCountMismatch {
            what: "the rate schedule".to_owned(),
            found: schedule.n_ages(),
            expected: n_ages,
        });
    }
    if let Some(table) = migration.iter().find(|table| table.n_ages() != n_ages) {
        return Err(ProjectionError::AgeCountMismatch {
            what: "the migration table".to_owned(),
            found: table.n_ages(),
            expected: n_ages,
        });
    }
    let zero = AgeSexTable::zeros(n_ages);
    let mut populations = Vec::with_capacity(usize::from(n_years) + 1);
    let mut steps = Vec::with_capacity(usize::from(n_years));
    populations.push(base.clone());
    for step in 0..n_years {
        let year = Year::new(base_year.get() + step).map_err(|_| ProjectionError::NoRates)?;
        let rates = schedule.for_year(year);
        let migrants = migration
            .get(usize::from(step))
            .or(migration.last())
            .copied()
            .unwrap_or(&zero);
        let mut end = AgeSexTable::zeros(n_ages);
        let totals = project_one_year(&populations[usize::from(step)], rates, migrants, &mut end);
        populations.push(end);
        steps.push(totals);
    }
    Ok(Trajectory {
        base_year,
        populations,
        steps,
    })
}
