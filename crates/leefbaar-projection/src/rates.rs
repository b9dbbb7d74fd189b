//! Demographic rates for one year (survival, fertility, sex ratio at birth), the schedule of
//! rates over the projection years, and the graduation of abridged tables into single years.

use leefbaar_model::Year;

use crate::table::{BySex, Sex};

/// The rates a projection step applies, all for one calendar year.
///
/// `survival.male[x]` is the probability that a man aged `x` (completed years) on 1 January is
/// alive on the next 1 January (then aged `x + 1`); the last entry is the open class, whose
/// survivors stay in it. `birth_survival` is the share of the year's births alive on the next
/// 1 January (then aged 0). `fertility[x]` is births per woman aged `x` per year.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// Survival probability from age `x` on 1 January to age `x + 1` a year later, per sex.
    pub survival: BySex<Vec<f64>>,
    /// Share of births surviving to the end of their calendar year, per sex.
    pub birth_survival: BySex<f64>,
    /// Age-specific fertility rates (births per woman per year) by age in completed years.
    pub fertility: Vec<f64>,
    /// Male births per female birth (≈ 1.05).
    pub sex_ratio_at_birth: f64,
}

impl Rates {
    /// The number of age classes of the rates.
    pub fn n_ages(&self) -> usize {
        self.fertility.len()
    }

    /// The total fertility rate: the sum of the age-specific rates.
    ///
    /// # Units
    /// Children per woman.
    pub fn total_fertility(&self) -> f64 {
        self.fertility.iter().sum()
    }

    /// A copy with every fertility rate multiplied by `factor` (a fertility variant).
    #[must_use]
    pub fn with_fertility_factor(&self, factor: f64) -> Rates {
        let mut rates = self.clone();
        for rate in &mut rates.fertility {
            *rate *= factor;
        }
        rates
    }
}

/// Rates by calendar year: a step from year `t` to `t + 1` uses the entry of the latest year
/// not after `t` (or the first entry when `t` precedes them all).
#[derive(Debug, Clone, PartialEq)]
pub struct RateSchedule {
    entries: Vec<(Year, Rates)>,
}

impl RateSchedule {
    /// A schedule from entries in any order; `None` when empty or the entries differ in ages.
    pub fn new(mut entries: Vec<(Year, Rates)>) -> Option<RateSchedule> {
        entries.sort_by_key(|(year, _)| *year);
        entries.dedup_by_key(|(year, _)| *year);
        let n_ages = entries.first()?.1.n_ages();
        entries
            .iter()
            .all(|(_, rates)| {
                rates.n_ages() == n_ages
                    && rates.survival.male.len() == n_ages
                    && rates.survival.female.len() == n_ages
            })
            .then_some(RateSchedule { entries })
    }

    /// A schedule holding one set of rates for every year.
    pub fn constant(rates: Rates) -> RateSchedule {
        RateSchedule {
            entries: vec![(Year::new(1900).expect("1900 is in range"), rates)],
        }
    }

    /// The rates for the step that starts on 1 January of `year`.
    pub fn for_year(&self, year: Year) -> &Rates {
        let index = self.entries.partition_point(|(start, _)| *start <= year);
        &self.entries[index.saturating_sub(1)].1
    }

    /// The number of age classes.
    pub fn n_ages(&self) -> usize {
        self.entries[0].1.n_ages()
    }

    /// The years and rates, oldest first.
    pub fn entries(&self) -> &[(Year, Rates)] {
        &self.entries
    }

    /// A copy with fertility multiplied by `factor(year)` for each entry.
    #[must_use]
    pub fn with_fertility_factors(&self, factor: impl Fn(Year) -> f64) -> RateSchedule {
        RateSchedule {
            entries: self
                .entries
                .iter()
                .map(|(year, rates)| (*year, rates.with_fertility_factor(factor(*year))))
                .collect(),
        }
    }
}

/// An age group of an abridged table: first age, width in years (`None` for the open group),
/// and the group's rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AbridgedRate {
    /// First age of the group.
    pub age_start: usize,
    /// Width in years; `None` for the last, open group.
    pub width: Option<usize>,
    /// The group's rate (per person-year).
    pub rate: f64,
}

/// How [`graduate`] interpolates between group midpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// Linear in the logarithm of the rate (death rates rise exponentially with age).
    LogLinear,
    /// Linear in the rate (fertility, which has zeros at the edges).
    Linear,
}

/// Single-year rates for ages `0..n_ages` from an abridged table, preserving group means.
///
/// Each closed group's rate is placed at its midpoint; single ages get the value interpolated
/// (log-linearly or linearly) between neighbouring midpoints, held flat beyond the first and
/// last midpoints; then every single age of a group is multiplied by one factor so that the
/// group's arithmetic mean of single-year rates equals the published group rate. The open group
/// gives its rate to all ages from its start on. Ages below the first group get 0.
///
/// Equal weights are an approximation of exposure weights (which decline slightly with age
/// inside a group); for death rates under 0.1 the difference is far below the rounding of the
/// source.
///
/// # Units
/// The same unit as the input rates (per person-year).
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography*, §3.4 (graduation of abridged rates);
/// a simple, mean-preserving variant of what United Nations WPP does with its abridged tables.
pub fn graduate(groups: &[AbridgedRate], n_ages: usize, interpolation: Interpolation) -> Vec<f64> {
    let closed: Vec<(f64, f64)> = groups
        .iter()
        .filter_map(|group| {
            group
                .width
                .map(|width| (group.age_start as f64 + width as f64 / 2.0, group.rate))
        })
        .collect();
    let transform = |rate: f64| match interpolation {
        Interpolation::LogLinear => rate.max(1e-12).ln(),
        Interpolation::Linear => rate,
    };
    let back = |value: f64| match interpolation {
        Interpolation::LogLinear => value.exp(),
        Interpolation::Linear => value.max(0.0),
    };
    let interpolate = |age_mid: f64| -> f64 {
        let Some(first) = closed.first() else {
            return 0.0;
        };
        let last = closed[closed.len() - 1];
        if age_mid <= first.0 {
            return first.1;
        }
        if age_mid >= last.0 {
            return last.1;
        }
        let upper = closed.partition_point(|(mid, _)| *mid < age_mid);
        let (x0, y0) = closed[upper - 1];
        let (x1, y1) = closed[upper];
        let weight = (age_mid - x0) / (x1 - x0);
        back(transform(y0) + weight * (transform(y1) - transform(y0)))
    };
    let mut single = vec![0.0; n_ages];
    for group in groups {
        let start = group.age_start.min(n_ages);
        let end = match group.width {
            // Saturating: an absurd age in a file must not overflow (found by fuzzing).
            Some(width) => group.age_start.saturating_add(width).min(n_ages),
            None => n_ages,
        };
        if start >= end {
            continue;
        }
        if group.width.is_none() {
            single[start..end].fill(group.rate);
            continue;
        }
        let mut sum = 0.0;
        for (age, value) in single.iter_mut().enumerate().take(end).skip(start) {
            *value = interpolate(age as f64 + 0.5);
            sum += *value;
        }
        let mean = sum / (end - start) as f64;
        let factor = if mean > 0.0 { group.rate / mean } else { 0.0 };
        for value in &mut single[start..end] {
            *value *= factor;
        }
    }
    single
}

/// Survival probabilities for a projection step from single-year central death rates.
///
/// Builds a period life table: `q_x = m_x / (1 + (1 − a_x) m_x)` with `a_x = 0.5` except at age
/// 0, where `a_0` follows Coale and Demeny's West model (`0.045 + 2.684 m_0` for men,
/// `0.053 + 2.800 m_0` for women below `m_0 = 0.107`; 0.330 and 0.350 above it). Person-years `L_x = l_{x+1} + a_x d_x`; the open class
/// has `L = l / m`. Then the survival ratio from age `x` to `x + 1` is `L_{x+1} / L_x`, from the
/// last closed age into the open class `T_ω / T_{ω−1}`, within the open class `exp(−m_ω)`
/// (constant hazard), and for births of the year `L_0 / l_0`.
///
/// Returns the survival probabilities by age (length of `mx`) and the birth survival.
///
/// # Units
/// `mx` in deaths per person-year; results are probabilities (0..=1).
///
/// # References
/// Preston, Heuveline and Guillot (2001), *Demography: Measuring and Modeling Population
/// Processes*, §3.2 (life table), Table 3.3 (`a_0`), §6.3 (survival ratios `L_{x+n}/L_x` and
/// `T_{x+n}/T_x` for the open interval in a cohort-component projection).
pub fn survival_from_mx(mx: &[f64], sex: Sex) -> (Vec<f64>, f64) {
    let n_ages = mx.len();
    let open = n_ages - 1;
    // Above m_0 = 0.107 the model holds a_0 constant; the linear form would exceed 1 for
    // m_0 above ~0.35 and make the births' survival exceed 1.
    let a0 = match (sex, mx[0] >= 0.107) {
        (Sex::Male, false) => 0.045 + 2.684 * mx[0],
        (Sex::Male, true) => 0.330,
        (Sex::Female, false) => 0.053 + 2.800 * mx[0],
        (Sex::Female, true) => 0.350,
    };
    let mut survivors = vec![0.0; n_ages + 1];
    let mut person_years = vec![0.0; n_ages];
    survivors[0] = 1.0;
    for age in 0..open {
        let a = if age == 0 { a0 } else { 0.5 };
        let q = (mx[age] / (1.0 + (1.0 - a) * mx[age])).min(1.0);
        let deaths = survivors[age] * q;
        survivors[age + 1] = survivors[age] - deaths;
        person_years[age] = survivors[age + 1] + a * deaths;
    }
    person_years[open] = if mx[open] > 0.0 {
        survivors[open] / mx[open]
    } else {
        0.0
    };
    let mut survival = vec![0.0; n_ages];
    for age in 0..open.saturating_sub(1) {
        survival[age] = ratio(person_years[age + 1], person_years[age]);
    }
    let last_closed = open - 1;
    survival[last_closed] = ratio(
        person_years[open],
        person_years[last_closed] + person_years[open],
    );
    survival[open] = (-mx[open]).exp();
    (survival, person_years[0])
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        (numerator / denominator).clamp(0.0, 1.0)
    } else {
        0.0
    }
}
