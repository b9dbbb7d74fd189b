//! Raking (iterative proportional fitting) of design weights to population margins, with
//! bounded weights.
//!
//! # References
//! - Deville, J.-C., Särndal, C.-E. and Sautory, O. (1993). Generalized raking procedures in
//!   survey sampling. *JASA* 88(423), 1013–1020. doi:10.1080/01621459.1993.10476369
//! - Deville, J.-C. and Särndal, C.-E. (1992). Calibration estimators in survey sampling.
//!   *JASA* 87(418), 376–382. doi:10.1080/01621459.1992.10475217
//! - Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, ch. 7 (`rake`,
//!   `calibrate(..., bounds = )`, `trimWeights`).

use std::collections::BTreeMap;

use crate::{Panel, RakeError, Respondent};

/// One population margin: a classification of respondents and the population total of each
/// category.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    /// The margin's name, used in errors and reports (`province × age group × sex`).
    pub name: String,
    /// Category labels, sorted.
    pub categories: Vec<String>,
    /// Population total per category (persons).
    pub totals: Vec<f64>,
    /// For each respondent, the index of its category.
    membership: Vec<usize>,
}

impl Margin {
    /// A margin over the panel: `key` puts each respondent in a category, `totals` gives each
    /// category's population.
    ///
    /// Fails when a respondent's category has no total, or when a category with population
    /// above zero has no respondents (raking cannot give weight to nobody).
    pub fn from_panel(
        name: &str,
        panel: &Panel,
        totals: &BTreeMap<String, f64>,
        key: impl Fn(&Respondent) -> String,
    ) -> Result<Margin, RakeError> {
        let categories: Vec<String> = totals.keys().cloned().collect();
        let mut membership = Vec::with_capacity(panel.len());
        let mut counts = vec![0_usize; categories.len()];
        for respondent in &panel.respondents {
            let category = key(respondent);
            let Ok(index) = categories.binary_search(&category) else {
                return Err(RakeError::UnknownCategory {
                    margin: name.to_owned(),
                    respondent: respondent.id.clone(),
                    category,
                });
            };
            counts[index] += 1;
            membership.push(index);
        }
        for ((category, total), count) in totals.iter().zip(&counts) {
            if !(total.is_finite() && *total >= 0.0) {
                return Err(RakeError::Invalid(format!(
                    "margin `{name}`, category `{category}`: total {total} is not a non-negative number"
                )));
            }
            if *count == 0 && *total > 0.0 {
                return Err(RakeError::EmptyCell {
                    margin: name.to_owned(),
                    category: category.clone(),
                    population: *total,
                });
            }
        }
        Ok(Margin {
            name: name.to_owned(),
            categories,
            totals: totals.values().copied().collect(),
            membership,
        })
    }

    /// The category index of each respondent.
    pub fn membership(&self) -> &[usize] {
        &self.membership
    }

    /// The population total of the margin.
    pub fn total(&self) -> f64 {
        self.totals.iter().sum()
    }
}

/// How to rake.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakeParams {
    /// Lowest allowed ratio of final to design weight (`g`); 0 for none.
    pub lower_bound: f64,
    /// Highest allowed ratio of final to design weight; `f64::INFINITY` for none.
    pub upper_bound: f64,
    /// Trimming: no final weight above this multiple of the mean final weight
    /// (population / n); `None` for no trimming.
    pub max_weight_ratio: Option<f64>,
    /// Stop when every category's relative error |Σw − N| / N is below this.
    pub tolerance: f64,
    /// Give up after this many cycles over all margins.
    pub max_iterations: usize,
}

impl Default for RakeParams {
    /// Unbounded raking (classical IPF, as R's `rake`), tolerance 1e-12, at most 1,000 cycles.
    fn default() -> RakeParams {
        RakeParams {
            lower_bound: 0.0,
            upper_bound: f64::INFINITY,
            max_weight_ratio: None,
            tolerance: 1e-12,
            max_iterations: 1000,
        }
    }
}

/// How raking went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakeReport {
    /// Cycles over all margins until convergence.
    pub iterations: usize,
    /// The largest relative margin error |Σw − N| / N left (absolute for N = 0).
    pub max_margin_error: f64,
    /// The smallest final weight (persons per respondent).
    pub min_weight: f64,
    /// The largest final weight (persons per respondent).
    pub max_weight: f64,
    /// The smallest ratio of final to design weight.
    pub min_adjustment: f64,
    /// The largest ratio of final to design weight.
    pub max_adjustment: f64,
    /// Respondents whose weight ended on a bound.
    pub n_at_bounds: usize,
    /// Kish's design effect due to unequal weighting, n Σw² / (Σw)².
    pub kish_design_effect: f64,
    /// Kish's effective sample size, (Σw)² / Σw².
    pub effective_n: f64,
}

/// Final weights with the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Raked {
    /// One final weight per respondent (persons represented).
    pub weights: Vec<f64>,
    /// How raking went.
    pub report: RakeReport,
}

/// Rakes `design_weights` to `margins` within the bounds of `params`.
///
/// Each step sets one margin exactly: for each of its categories it finds the factor `f`
/// with Σ clamp(w·f, lo, hi) = N over the category's respondents, where `lo = L·d` and
/// `hi = min(U·d, r·N/n)` (bounds relative to the design weight `d`, and the trimming cap). The
/// left side is piecewise linear and non-decreasing in `f`, so the factor is found exactly by a
/// sweep over its breakpoints. Without bounds this is classical IPF (Deville, Särndal and
/// Sautory's raking ratio); with bounds it is raking with the bounds enforced in every step,
/// which converges to bounded weights meeting all margins whenever such weights are reachable.
///
/// # Units
/// Weights and totals are persons; the report's errors are relative.
///
/// # References
/// Deville, Särndal and Sautory (1993); Lumley (2010) §7.2.
pub fn rake(
    design_weights: &[f64],
    margins: &[Margin],
    params: &RakeParams,
) -> Result<Raked, RakeError> {
    let n = design_weights.len();
    if n == 0 || margins.is_empty() {
        return Err(RakeError::Invalid(
            "no respondents or no margins".to_owned(),
        ));
    }
    if let Some(weight) = design_weights
        .iter()
        .find(|w| !(w.is_finite() && **w > 0.0))
    {
        return Err(RakeError::Invalid(format!(
            "design weight {weight} is not positive"
        )));
    }
    if !(params.lower_bound >= 0.0 && params.lower_bound <= 1.0 && params.upper_bound >= 1.0) {
        return Err(RakeError::Invalid(
            "bounds must satisfy 0 <= lower <= 1 <= upper".to_owned(),
        ));
    }
    for margin in margins {
        if margin.membership.len() != n {
            return Err(RakeError::Invalid(format!(
                "margin `{}` covers {} respondents, not {n}",
                margin.name,
                margin.membership.len()
            )));
        }
    }
    let population = margins[0].total();
    for margin in &margins[1..] {
        let total = margin.total();
        if (total - population).abs() > 1e-9 * population.max(1.0) {
            return Err(RakeError::InconsistentTotals {
                first: margins[0].name.clone(),
                first_total: population,
                second: margin.name.clone(),
                second_total: total,
            });
        }
    }
    let cap = params
        .max_weight_ratio
        .map_or(f64::INFINITY, |ratio| ratio * population / n as f64);
    let lower: Vec<f64> = design_weights
        .iter()
        .map(|d| params.lower_bound * d)
        .collect();
    let upper: Vec<f64> = design_weights
        .iter()
        .map(|d| (params.upper_bound * d).min(cap))
        .collect();
    if let Some(k) = (0..n).find(|&k| upper[k] < lower[k]) {
        return Err(RakeError::Invalid(format!(
            "the trimming cap {cap} is below the lower bound {} of respondent {k}",
            lower[k]
        )));
    }
    // The members of each category, once.
    let members: Vec<Vec<Vec<usize>>> = margins
        .iter()
        .map(|margin| {
            let mut lists = vec![Vec::new(); margin.categories.len()];
            for (respondent, &category) in margin.membership.iter().enumerate() {
                lists[category].push(respondent);
            }
            lists
        })
        .collect();
    for (margin, lists) in margins.iter().zip(&members) {
        for ((category, &total), list) in margin.categories.iter().zip(&margin.totals).zip(lists) {
            let lowest: f64 = list.iter().map(|&k| lower[k]).sum();
            let highest: f64 = list.iter().map(|&k| upper[k]).sum();
            if total < lowest * (1.0 - 1e-12) || total > highest * (1.0 + 1e-12) {
                return Err(RakeError::BoundsTooTight {
                    margin: margin.name.clone(),
                    category: category.clone(),
                    population: total,
                    lowest,
                    highest,
                });
            }
        }
    }

    let mut weights: Vec<f64> = (0..n)
        .map(|k| design_weights[k].clamp(lower[k], upper[k]))
        .collect();
    let mut max_error = f64::INFINITY;
    let mut iterations = 0;
    while iterations < params.max_iterations {
        iterations += 1;
        for (margin, lists) in margins.iter().zip(&members) {
            for (&total, list) in margin.totals.iter().zip(lists) {
                let factor = solve_factor(list, &weights, &lower, &upper, total);
                for &k in list {
                    weights[k] = (weights[k] * factor).clamp(lower[k], upper[k]);
                }
            }
        }
        max_error = margin_error(&weights, margins, &members);
        if max_error < params.tolerance {
            break;
        }
    }
    if max_error >= params.tolerance {
        return Err(RakeError::NotConverged {
            iterations,
            max_error,
        });
    }
    let report = report(
        &weights,
        design_weights,
        &lower,
        &upper,
        iterations,
        max_error,
    );
    Ok(Raked { weights, report })
}

/// The largest relative error over all categories of all margins.
fn margin_error(weights: &[f64], margins: &[Margin], members: &[Vec<Vec<usize>>]) -> f64 {
    let mut worst: f64 = 0.0;
    for (margin, lists) in margins.iter().zip(members) {
        for (&total, list) in margin.totals.iter().zip(lists) {
            let sum: f64 = list.iter().map(|&k| weights[k]).sum();
            let error = if total > 0.0 {
                (sum - total).abs() / total
            } else {
                sum.abs()
            };
            worst = worst.max(error);
        }
    }
    worst
}

/// The factor `f` with Σ clamp(w·f, lo, hi) = target over `list`.
///
/// The sum is `constant + slope·f` between breakpoints (where a weight leaves its lower bound
/// or reaches its upper bound), so a sweep over the sorted breakpoints finds the segment that
/// holds the target and solves it exactly.
fn solve_factor(list: &[usize], weights: &[f64], lower: &[f64], upper: &[f64], target: f64) -> f64 {
    // Events: (breakpoint, respondent, leaves the lower bound?).
    let mut events: Vec<(f64, usize, bool)> = Vec::with_capacity(2 * list.len());
    let mut constant = 0.0;
    let mut slope = 0.0;
    for &k in list {
        if weights[k] <= 0.0 {
            // A zero weight stays at its (zero) lower bound whatever the factor.
            constant += lower[k];
            continue;
        }
        constant += lower[k];
        events.push((lower[k] / weights[k], k, true));
        if upper[k].is_finite() {
            events.push((upper[k] / weights[k], k, false));
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)));
    let mut last_point = 0.0;
    for (point, k, leaves_lower) in events {
        if slope > 0.0 && constant + slope * point >= target {
            return (target - constant) / slope;
        }
        if slope == 0.0 && constant >= target {
            return last_point;
        }
        if leaves_lower {
            constant -= lower[k];
            slope += weights[k];
        } else {
            slope -= weights[k];
            constant += upper[k];
        }
        last_point = point;
    }
    if slope > 0.0 {
        (target - constant) / slope
    } else {
        last_point
    }
}

fn report(
    weights: &[f64],
    design_weights: &[f64],
    lower: &[f64],
    upper: &[f64],
    iterations: usize,
    max_margin_error: f64,
) -> RakeReport {
    let n = weights.len() as f64;
    let sum: f64 = weights.iter().sum();
    let sum_of_squares: f64 = weights.iter().map(|w| w * w).sum();
    let adjustments: Vec<f64> = weights
        .iter()
        .zip(design_weights)
        .map(|(w, d)| w / d)
        .collect();
    let n_at_bounds = (0..weights.len())
        .filter(|&k| {
            let near = |bound: f64| (weights[k] - bound).abs() <= 1e-12 * bound.abs().max(1.0);
            (lower[k] > 0.0 && near(lower[k])) || (upper[k].is_finite() && near(upper[k]))
        })
        .count();
    RakeReport {
        iterations,
        max_margin_error,
        min_weight: weights.iter().copied().fold(f64::INFINITY, f64::min),
        max_weight: weights.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        min_adjustment: adjustments.iter().copied().fold(f64::INFINITY, f64::min),
        max_adjustment: adjustments
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max),
        n_at_bounds,
        kish_design_effect: n * sum_of_squares / (sum * sum),
        effective_n: sum * sum / sum_of_squares,
    }
}
