//! Weighted means and shares with Taylor-linearised standard errors, by domain; crosstabs;
//! differences between groups and between surveys.
//!
//! # The estimator, exactly
//! The design is single-stage, with replacement, optionally stratified; each respondent is its
//! own primary sampling unit, and the final (raked) weights are treated as fixed. For a domain
//! `d` (respondents in the domain who answered the question) the estimate is the ratio
//!
//! ```text
//! R̂ = Σ_{i∈d} w_i y_i / Σ_{i∈d} w_i
//! ```
//!
//! (a mean; for a share `y_i` is 0/1). Its linearised variable is
//! `z_i = 1{i∈d} w_i (y_i − R̂) / Σ_{j∈d} w_j`, zero outside the domain, and
//!
//! ```text
//! v̂(R̂) = Σ_h n_h / (n_h − 1) Σ_{i∈h} (z_i − z̄_h)²
//! ```
//!
//! where `h` runs over strata, `n_h` counts all respondents of stratum `h` (in and out of the
//! domain) and `z̄_h` is their mean of `z`. A stratum with one respondent adds nothing (R's
//! `survey.lonely.psu = "certainty"`). No finite population correction is applied. The 95 %
//! confidence interval is `R̂ ± t_{0.975, df} · se` with `df = n − H` (respondents minus strata),
//! the design degrees of freedom. This is what R's `svymean(~y, svydesign(ids = ~1, strata =
//! ~h, weights = ~w))` and samplics' `TaylorEstimator` compute with the same final weights; it
//! does not take the variance reduction of calibration into account (R's `calibrate()` objects
//! do), so for raked weights it is slightly conservative.
//!
//! # References
//! - Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software*
//!   9(8). doi:10.18637/jss.v009.i08
//! - Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, §2.2 and appendix C.
//! - Wolter, K. (2007). *Introduction to Variance Estimation*, ch. 6 (Taylor series).

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::{
    Answer, CountTable, DisclosureRule, EstimateError, Panel, ProtectedTable, Published,
    QuestionKind, Respondent, Suppression,
};

/// A subset of respondents: an area, a group, a damage class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// A label for tables (`PV22`, `65+`, `heavy`).
    pub label: String,
    members: Vec<bool>,
}

impl Domain {
    /// Whether respondent `k` is in the domain.
    pub fn contains(&self, k: usize) -> bool {
        self.members[k]
    }

    /// The respondents in both domains.
    #[must_use]
    pub fn and(&self, other: &Domain) -> Domain {
        Domain {
            label: format!("{} & {}", self.label, other.label),
            members: self
                .members
                .iter()
                .zip(&other.members)
                .map(|(a, b)| *a && *b)
                .collect(),
        }
    }
}

/// A weighted estimate with its uncertainty. Only a [`Published`] estimate leaves the crate.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Estimate {
    /// The estimate: a mean in the question's scale, or a share as a fraction 0–1.
    pub value: f64,
    /// Its Taylor-linearised standard error.
    pub standard_error: f64,
    /// Lower end of the 95 % confidence interval.
    pub ci_low: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci_high: f64,
    /// Design degrees of freedom used for the interval (respondents minus strata).
    pub degrees_of_freedom: f64,
    /// Kish's effective sample size of the domain, (Σw)² / Σw².
    pub effective_n: f64,
    /// The estimated population of the domain, Σw (persons).
    pub population: f64,
}

/// A difference between two estimates with its test.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Difference {
    /// First minus second.
    pub value: f64,
    /// Standard error of the difference.
    pub standard_error: f64,
    /// Lower end of the 95 % confidence interval.
    pub ci_low: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci_high: f64,
    /// The test statistic, value / standard error (t, or z when `degrees_of_freedom` is infinite).
    pub statistic: f64,
    /// Degrees of freedom of the reference distribution (infinite: standard normal).
    pub degrees_of_freedom: f64,
    /// Two-sided p-value of "no difference".
    pub p_value: f64,
    /// Respondents behind the first estimate.
    pub n_first: u64,
    /// Respondents behind the second estimate.
    pub n_second: u64,
}

/// A crosstab of a grouping against a single-choice question: row shares, with the respondent
/// counts behind them protected as a table with totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Crosstab {
    /// Row labels (the domains).
    pub rows: Vec<String>,
    /// Column labels (the answer codes).
    pub columns: Vec<String>,
    /// `shares[row][column]`: the weighted share of the row's respondents giving that answer.
    /// Suppressed where the respondent count behind the cell is suppressed.
    pub shares: Vec<Vec<Published<Estimate>>>,
    /// The unweighted respondent counts with primary and secondary suppression.
    pub counts: ProtectedTable,
}

/// Estimates from one panel with one set of final weights.
#[derive(Debug, Clone)]
pub struct Estimator<'a> {
    panel: &'a Panel,
    weights: Vec<f64>,
    strata: Vec<usize>,
    stratum_sizes: Vec<usize>,
    rule: DisclosureRule,
}

/// Linearisation result before disclosure control.
struct Linearised {
    value: f64,
    z: Vec<f64>,
    n: u64,
    weight_sum: f64,
    weight_square_sum: f64,
}

impl<'a> Estimator<'a> {
    /// An unstratified estimator with the given final weights.
    pub fn new(
        panel: &'a Panel,
        weights: &[f64],
        rule: DisclosureRule,
    ) -> Result<Estimator<'a>, EstimateError> {
        if weights.len() != panel.len() {
            return Err(EstimateError::LengthMismatch {
                what: "weights",
                found: weights.len(),
                expected: panel.len(),
            });
        }
        if let Some((respondent, weight)) = panel
            .respondents
            .iter()
            .zip(weights)
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(EstimateError::BadWeight {
                respondent: respondent.id.clone(),
                weight: *weight,
            });
        }
        Ok(Estimator {
            panel,
            weights: weights.to_vec(),
            strata: vec![0; panel.len()],
            stratum_sizes: vec![panel.len()],
            rule,
        })
    }

    /// The same estimator with strata given by `key` (e.g. the municipality or province).
    #[must_use]
    pub fn with_strata(mut self, key: impl Fn(&Respondent) -> String) -> Estimator<'a> {
        let keys: Vec<String> = self.panel.respondents.iter().map(key).collect();
        let mut labels = keys.clone();
        labels.sort();
        labels.dedup();
        self.strata = keys
            .iter()
            .map(|k| labels.binary_search(k).expect("label from the same keys"))
            .collect();
        self.stratum_sizes = vec![0; labels.len()];
        for &h in &self.strata {
            self.stratum_sizes[h] += 1;
        }
        self
    }

    /// The disclosure rule applied to every estimate.
    pub fn rule(&self) -> &DisclosureRule {
        &self.rule
    }

    /// The final weights.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Design degrees of freedom: respondents minus strata.
    pub fn degrees_of_freedom(&self) -> f64 {
        (self.panel.len() - self.stratum_sizes.len()).max(1) as f64
    }

    /// All respondents.
    pub fn everyone(&self) -> Domain {
        Domain {
            label: "all".to_owned(),
            members: vec![true; self.panel.len()],
        }
    }

    /// The respondents for which `test` holds.
    pub fn domain(&self, label: &str, test: impl Fn(&Respondent) -> bool) -> Domain {
        Domain {
            label: label.to_owned(),
            members: self.panel.respondents.iter().map(test).collect(),
        }
    }

    /// A partition of all respondents by `key`, sorted by key.
    pub fn partition(&self, key: impl Fn(&Respondent) -> String) -> Vec<Domain> {
        let keys: Vec<String> = self.panel.respondents.iter().map(key).collect();
        partition_of(&keys)
    }

    /// A partition of all respondents by a key given per respondent (in panel order), such as
    /// the province from [`crate::provinces_of`]; sorted by key.
    pub fn partition_by_keys(&self, keys: &[String]) -> Result<Vec<Domain>, EstimateError> {
        if keys.len() != self.panel.len() {
            return Err(EstimateError::LengthMismatch {
                what: "keys",
                found: keys.len(),
                expected: self.panel.len(),
            });
        }
        Ok(partition_of(keys))
    }

    /// A partition of all respondents by their answer to a single-choice question, in option
    /// order; respondents without an answer are in no part.
    pub fn partition_by_answer(&self, question: &str) -> Result<Vec<Domain>, EstimateError> {
        let (index, options) = self.choice_question(question, false)?;
        Ok(options
            .iter()
            .enumerate()
            .map(|(option, code)| Domain {
                label: code.clone(),
                members: self
                    .panel
                    .respondents
                    .iter()
                    .map(|r| r.answers[index] == Answer::Choice(option))
                    .collect(),
            })
            .collect())
    }

    fn question(&self, question: &str) -> Result<usize, EstimateError> {
        self.panel
            .schema
            .question_index(question)
            .ok_or_else(|| EstimateError::UnknownQuestion(question.to_owned()))
    }

    fn choice_question(
        &self,
        question: &str,
        allow_multiple: bool,
    ) -> Result<(usize, Vec<String>), EstimateError> {
        let index = self.question(question)?;
        let kind = &self.panel.schema.questions[index].kind;
        match kind {
            QuestionKind::Single(options) => {
                Ok((index, options.iter().map(|o| o.code.clone()).collect()))
            }
            QuestionKind::Multiple(options) if allow_multiple => {
                Ok((index, options.iter().map(|o| o.code.clone()).collect()))
            }
            _ => Err(EstimateError::WrongKind {
                question: question.to_owned(),
                kind: kind.as_str(),
                wanted: if allow_multiple {
                    "shares need a choice question"
                } else {
                    "this needs a single-choice question"
                },
            }),
        }
    }

    fn check_domain(&self, domain: &Domain) -> Result<(), EstimateError> {
        if domain.members.len() == self.panel.len() {
            Ok(())
        } else {
            Err(EstimateError::LengthMismatch {
                what: "domain",
                found: domain.members.len(),
                expected: self.panel.len(),
            })
        }
    }

    /// `y` and the base (domain ∧ answered) of a mean.
    fn mean_variable(
        &self,
        question: &str,
        domain: &Domain,
    ) -> Result<(Vec<f64>, Vec<bool>), EstimateError> {
        self.check_domain(domain)?;
        let index = self.question(question)?;
        let kind = &self.panel.schema.questions[index].kind;
        if !matches!(kind, QuestionKind::Number { .. }) {
            return Err(EstimateError::WrongKind {
                question: question.to_owned(),
                kind: kind.as_str(),
                wanted: "a mean needs a number question",
            });
        }
        let mut y = Vec::with_capacity(self.panel.len());
        let mut base = Vec::with_capacity(self.panel.len());
        for (k, respondent) in self.panel.respondents.iter().enumerate() {
            if let Answer::Number(value) = respondent.answers[index] {
                y.push(value);
                base.push(domain.contains(k));
            } else {
                y.push(0.0);
                base.push(false);
            }
        }
        Ok((y, base))
    }

    /// `y` (0/1) and the base of a share.
    fn share_variable(
        &self,
        question: &str,
        code: &str,
        domain: &Domain,
    ) -> Result<(Vec<f64>, Vec<bool>), EstimateError> {
        self.check_domain(domain)?;
        let (index, options) = self.choice_question(question, true)?;
        let Some(option) = options.iter().position(|c| c == code) else {
            return Err(EstimateError::UnknownAnswer {
                question: question.to_owned(),
                code: code.to_owned(),
            });
        };
        let mut y = Vec::with_capacity(self.panel.len());
        let mut base = Vec::with_capacity(self.panel.len());
        for (k, respondent) in self.panel.respondents.iter().enumerate() {
            let (value, answered) = match &respondent.answers[index] {
                Answer::Choice(chosen) => (f64::from(u8::from(*chosen == option)), true),
                Answer::Choices(chosen) => (f64::from(u8::from(chosen.contains(&option))), true),
                Answer::Missing | Answer::Number(_) => (0.0, false),
            };
            y.push(value);
            base.push(answered && domain.contains(k));
        }
        Ok((y, base))
    }

    fn linearise(&self, y: &[f64], base: &[bool]) -> Option<Linearised> {
        let mut weight_sum = 0.0;
        let mut weighted_y = 0.0;
        let mut weight_square_sum = 0.0;
        let mut n = 0_u64;
        for k in 0..y.len() {
            if base[k] {
                let w = self.weights[k];
                weight_sum += w;
                weighted_y += w * y[k];
                weight_square_sum += w * w;
                n += 1;
            }
        }
        if n == 0 || weight_sum <= 0.0 {
            return None;
        }
        let value = weighted_y / weight_sum;
        let z = (0..y.len())
            .map(|k| {
                if base[k] {
                    self.weights[k] * (y[k] - value) / weight_sum
                } else {
                    0.0
                }
            })
            .collect();
        Some(Linearised {
            value,
            z,
            n,
            weight_sum,
            weight_square_sum,
        })
    }

    /// The stratified with-replacement variance of the total of `z`.
    fn variance(&self, z: &[f64]) -> f64 {
        let n_strata = self.stratum_sizes.len();
        let mut sums = vec![0.0; n_strata];
        for (value, &h) in z.iter().zip(&self.strata) {
            sums[h] += value;
        }
        let means: Vec<f64> = sums
            .iter()
            .zip(&self.stratum_sizes)
            .map(|(sum, &size)| sum / size as f64)
            .collect();
        let mut squares = vec![0.0; n_strata];
        for (value, &h) in z.iter().zip(&self.strata) {
            let deviation = value - means[h];
            squares[h] += deviation * deviation;
        }
        squares
            .iter()
            .zip(&self.stratum_sizes)
            .filter(|(_, size)| **size > 1)
            .map(|(square, &size)| size as f64 / (size as f64 - 1.0) * square)
            .sum()
    }

    fn publish(&self, linearised: Option<Linearised>) -> Published<Estimate> {
        let Some(linearised) = linearised else {
            return Published::estimate_of_nobody();
        };
        let standard_error = self.variance(&linearised.z).sqrt();
        let df = self.degrees_of_freedom();
        let half_width = t_quantile(0.975, df) * standard_error;
        let estimate = Estimate {
            value: linearised.value,
            standard_error,
            ci_low: linearised.value - half_width,
            ci_high: linearised.value + half_width,
            degrees_of_freedom: df,
            effective_n: linearised.weight_sum * linearised.weight_sum
                / linearised.weight_square_sum,
            population: linearised.weight_sum,
        };
        Published::estimate(estimate, linearised.n, &self.rule)
    }

    /// The weighted mean of a number question over the domain's respondents who answered it.
    ///
    /// # Units
    /// The question's own scale (a rating 1–10).
    ///
    /// # References
    /// Lumley (2010) §2.2; see the module documentation for the variance estimator.
    pub fn mean(
        &self,
        question: &str,
        domain: &Domain,
    ) -> Result<Published<Estimate>, EstimateError> {
        let (y, base) = self.mean_variable(question, domain)?;
        Ok(self.publish(self.linearise(&y, &base)))
    }

    /// The weighted share of the domain's respondents who answered `question` with `code`
    /// (for a multiple-choice question: who chose it).
    ///
    /// # Units
    /// A fraction 0–1.
    pub fn share(
        &self,
        question: &str,
        code: &str,
        domain: &Domain,
    ) -> Result<Published<Estimate>, EstimateError> {
        let (y, base) = self.share_variable(question, code, domain)?;
        Ok(self.publish(self.linearise(&y, &base)))
    }

    /// The share of every answer code, in option order.
    pub fn shares(
        &self,
        question: &str,
        domain: &Domain,
    ) -> Result<Vec<(String, Published<Estimate>)>, EstimateError> {
        let (_, options) = self.choice_question(question, true)?;
        options
            .into_iter()
            .map(|code| {
                let estimate = self.share(question, &code, domain)?;
                Ok((code, estimate))
            })
            .collect()
    }

    /// Means for each domain of a partition, protected against recovery by subtraction.
    ///
    /// The parent (all domains together) is public too, and the domains' populations are
    /// public (they are the raking margins), so one suppressed domain could be recovered as
    /// `(W·R̂ − Σ W_d R̂_d) / W_s`. When exactly one domain is suppressed, the shown domain with
    /// the fewest respondents is suppressed too (secondary suppression).
    pub fn mean_by(
        &self,
        question: &str,
        partition: &[Domain],
    ) -> Result<Vec<(String, Published<Estimate>)>, EstimateError> {
        let estimates = partition
            .iter()
            .map(|domain| Ok((domain.label.clone(), self.mean(question, domain)?)))
            .collect::<Result<Vec<_>, EstimateError>>()?;
        Ok(protect_partition(estimates))
    }

    /// Shares of one answer code for each domain of a partition, protected like
    /// [`Estimator::mean_by`].
    pub fn share_by(
        &self,
        question: &str,
        code: &str,
        partition: &[Domain],
    ) -> Result<Vec<(String, Published<Estimate>)>, EstimateError> {
        let estimates = partition
            .iter()
            .map(|domain| Ok((domain.label.clone(), self.share(question, code, domain)?)))
            .collect::<Result<Vec<_>, EstimateError>>()?;
        Ok(protect_partition(estimates))
    }

    /// Row shares of a single-choice question for each row domain, with the respondent counts
    /// behind the cells protected as a table with totals ([`CountTable::protect`]); a share is
    /// suppressed wherever its count is, and a whole row wherever its total is (a shown share's
    /// n is the row total). Shares in a row add up to one, so a row never has exactly one
    /// suppressed share: the counts table's secondary suppression already puts a second one in
    /// any row whose total is shown.
    pub fn crosstab(&self, rows: &[Domain], question: &str) -> Result<Crosstab, EstimateError> {
        let (index, options) = self.choice_question(question, false)?;
        for domain in rows {
            self.check_domain(domain)?;
        }
        let mut counts = vec![vec![0_u64; options.len()]; rows.len()];
        for (row, domain) in rows.iter().enumerate() {
            for (k, respondent) in self.panel.respondents.iter().enumerate() {
                if let (true, Answer::Choice(option)) =
                    (domain.contains(k), &respondent.answers[index])
                {
                    counts[row][*option] += 1;
                }
            }
        }
        let table = CountTable::new(
            rows.iter().map(|d| d.label.clone()).collect(),
            options.clone(),
            counts,
        )
        .protect(&self.rule);
        let mut shares = Vec::with_capacity(rows.len());
        for (row, domain) in rows.iter().enumerate() {
            let mut row_shares = Vec::with_capacity(options.len());
            for (column, code) in options.iter().enumerate() {
                let mut estimate = self.share(question, code, domain)?;
                // A shown share carries the row's n, which is the row total of the counts: where
                // that total is withheld, so is every share of the row.
                let reason = table.cells[row][column]
                    .suppression()
                    .or(table.row_totals[row].suppression());
                if let Some(reason) = reason {
                    if reason == Suppression::Primary && !estimate.is_suppressed() {
                        estimate = Published::suppressed(Suppression::Primary);
                    } else {
                        estimate.suppress_secondary();
                    }
                }
                row_shares.push(estimate);
            }
            shares.push(row_shares);
        }
        Ok(Crosstab {
            rows: rows.iter().map(|d| d.label.clone()).collect(),
            columns: options,
            shares,
            counts: table,
        })
    }

    /// The difference of a mean between two domains of this survey (first minus second), with
    /// a t test.
    ///
    /// The domains may overlap; the variance uses the linearised variable `z_a − z_b`, so the
    /// covariance between the two estimates is included. Suppressed unless both domains have
    /// enough respondents; the published n is the smaller of the two.
    pub fn difference_of_means(
        &self,
        question: &str,
        first: &Domain,
        second: &Domain,
    ) -> Result<Published<Difference>, EstimateError> {
        let (y, base_first) = self.mean_variable(question, first)?;
        let (_, base_second) = self.mean_variable(question, second)?;
        Ok(self.difference(&y, &base_first, &y, &base_second))
    }

    /// The difference of a share between two domains of this survey (first minus second), with
    /// a t test; see [`Estimator::difference_of_means`].
    ///
    /// # Units
    /// Fractions 0–1 (a difference of 0.1 is 10 percentage points).
    pub fn difference_of_shares(
        &self,
        question: &str,
        code: &str,
        first: &Domain,
        second: &Domain,
    ) -> Result<Published<Difference>, EstimateError> {
        let (y_first, base_first) = self.share_variable(question, code, first)?;
        let (y_second, base_second) = self.share_variable(question, code, second)?;
        Ok(self.difference(&y_first, &base_first, &y_second, &base_second))
    }

    fn difference(
        &self,
        y_first: &[f64],
        base_first: &[bool],
        y_second: &[f64],
        base_second: &[bool],
    ) -> Published<Difference> {
        let (Some(first), Some(second)) = (
            self.linearise(y_first, base_first),
            self.linearise(y_second, base_second),
        ) else {
            return Published::estimate_of_nobody();
        };
        let z: Vec<f64> = first.z.iter().zip(&second.z).map(|(a, b)| a - b).collect();
        let standard_error = self.variance(&z).sqrt();
        let difference = make_difference(
            first.value - second.value,
            standard_error,
            self.degrees_of_freedom(),
            first.n,
            second.n,
        );
        Published::estimate(difference, first.n.min(second.n), &self.rule)
    }
}

/// The difference between estimates from two independent surveys (two years, or two
/// separately drawn panels), first minus second, with a z test.
///
/// The variance is the sum of the two variances (independent samples). Suppressed if either
/// estimate is.
pub fn difference_between_surveys(
    first: &Published<Estimate>,
    second: &Published<Estimate>,
    rule: &DisclosureRule,
) -> Published<Difference> {
    let (Some(a), Some(b), Some(n_first), Some(n_second)) =
        (first.value(), second.value(), first.n(), second.n())
    else {
        return Published::suppressed(Suppression::Primary);
    };
    let standard_error = a.standard_error.hypot(b.standard_error);
    let difference = make_difference(
        a.value - b.value,
        standard_error,
        f64::INFINITY,
        n_first,
        n_second,
    );
    Published::estimate(difference, n_first.min(n_second), rule)
}

fn make_difference(
    value: f64,
    standard_error: f64,
    df: f64,
    n_first: u64,
    n_second: u64,
) -> Difference {
    let statistic = if standard_error > 0.0 {
        value / standard_error
    } else if value == 0.0 {
        0.0
    } else {
        f64::INFINITY.copysign(value)
    };
    let p_value = 2.0 * (1.0 - cdf(statistic.abs(), df));
    let half_width = t_quantile(0.975, df) * standard_error;
    Difference {
        value,
        standard_error,
        ci_low: value - half_width,
        ci_high: value + half_width,
        statistic,
        degrees_of_freedom: df,
        p_value: p_value.clamp(0.0, 1.0),
        n_first,
        n_second,
    }
}

/// The standard normal (infinite `df`) or Student t cumulative distribution function.
fn cdf(x: f64, df: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { 1.0 } else { 0.0 };
    }
    if df.is_finite() {
        StudentsT::new(0.0, 1.0, df).expect("df > 0").cdf(x)
    } else {
        Normal::new(0.0, 1.0).expect("unit normal").cdf(x)
    }
}

/// The `p` quantile of the standard normal (infinite `df`) or Student t distribution.
fn t_quantile(p: f64, df: f64) -> f64 {
    if df.is_finite() {
        StudentsT::new(0.0, 1.0, df).expect("df > 0").inverse_cdf(p)
    } else {
        Normal::new(0.0, 1.0).expect("unit normal").inverse_cdf(p)
    }
}

fn partition_of(keys: &[String]) -> Vec<Domain> {
    let mut labels = keys.to_vec();
    labels.sort();
    labels.dedup();
    labels
        .into_iter()
        .map(|label| Domain {
            members: keys.iter().map(|k| *k == label).collect(),
            label,
        })
        .collect()
}

/// Secondary suppression over a partition whose parent total is published.
fn protect_partition(
    mut estimates: Vec<(String, Published<Estimate>)>,
) -> Vec<(String, Published<Estimate>)> {
    let suppressed = estimates.iter().filter(|(_, e)| e.is_suppressed()).count();
    if suppressed == 1
        && let Some(smallest) = (0..estimates.len())
            .filter(|&k| !estimates[k].1.is_suppressed())
            .min_by_key(|&k| (estimates[k].1.n(), k))
    {
        estimates[smallest].1.suppress_secondary();
    }
    estimates
}

impl<T> Published<T> {
    /// An estimate over an empty domain: there is nothing to show, and saying "0 respondents"
    /// would itself be a count below the threshold.
    fn estimate_of_nobody() -> Published<T> {
        Published::suppressed(Suppression::Primary)
    }
}
