//! The citizens' panel on the wire: the `data` of `/api/v1/survey*` and the `--json` output of
//! `leefbaar survey`, one shape everywhere, made from the panel's published estimates
//! (`leefbaar_monitor::survey`): shares in percent, everything rounded for publication, a
//! suppressed cell without value, interval or n.

use leefbaar_monitor::survey::{Differences, Estimates, SurveyMonitor};
use leefbaar_survey::{Estimate, Label, Published, QuestionKind, Suppression};
use serde::Serialize;

/// Text in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

impl From<&Label> for Text {
    fn from(label: &Label) -> Text {
        Text {
            nl: label.nl.clone(),
            en: label.en.clone(),
        }
    }
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerInfo {
    /// The code used in `answer` fields.
    pub code: String,
    /// Dutch label.
    pub nl: String,
    /// English label.
    pub en: String,
}

/// One question of the panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionInfo {
    /// Its id (`question=`).
    pub id: String,
    /// The question text.
    pub label: Text,
    /// `number`, `single` or `multiple`.
    pub kind: &'static str,
    /// What its estimates are: `mean` (number questions) or `share` (choice questions).
    pub estimate: &'static str,
    /// Lowest valid answer of a number question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest valid answer of a number question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The options of a choice question.
    pub answers: Vec<AnswerInfo>,
    /// Respondents who answered it (`null` when fewer than 10).
    pub answered: Option<u64>,
}

/// The raking report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weighting {
    /// Always `raking`.
    pub method: &'static str,
    /// The margins raked to.
    pub margins: Vec<String>,
    /// Cycles over all margins until convergence.
    pub iterations: usize,
    /// The largest relative margin error left.
    pub max_margin_error: f64,
    /// Smallest final weight (persons per respondent).
    pub min_weight: f64,
    /// Largest final weight.
    pub max_weight: f64,
    /// Smallest ratio of final to design weight.
    pub min_adjustment: f64,
    /// Largest ratio of final to design weight.
    pub max_adjustment: f64,
    /// Respondents whose weight ended on a bound.
    pub n_at_bounds: usize,
    /// Kish's design effect of unequal weighting.
    pub design_effect: f64,
    /// Kish's effective sample size of the whole panel.
    pub effective_n: f64,
}

/// The thresholds applied to everything published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureInfo {
    /// No count below this.
    pub min_count: u64,
    /// No estimate on fewer respondents than this.
    pub min_respondents: u64,
}

/// `data` of `GET /api/v1/survey`: what the panel is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyInfo {
    /// The survey's id.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// Whether the answers are synthetic.
    pub synthetic: bool,
    /// Present when synthetic: says so in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Respondents.
    pub respondents: Option<u64>,
    /// The questions.
    pub questions: Vec<QuestionInfo>,
    /// Accepted values of `by=`.
    pub groupings: Vec<String>,
    /// How the weights were made.
    pub weighting: Weighting,
    /// Disclosure-control thresholds.
    pub disclosure: DisclosureInfo,
}

/// One published estimate: shown with its interval and n, or suppressed with neither.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateCell {
    /// The group's code (`PV20`, `GM0106`, `65+`, `heavy`), or `all` for the whole panel.
    pub group: String,
    /// The group's name where it is an area with a known name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The answer code of a share; `null` for a mean.
    pub answer: Option<String>,
    /// The estimate (a mean on the question's scale, or a share in percent); `null` when
    /// suppressed.
    pub value: Option<f64>,
    /// Whether the cell is withheld.
    pub suppressed: bool,
    /// Why: `primary` (fewer than 10 respondents) or `secondary` (it would reveal another).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<&'static str>,
    /// Taylor-linearised standard error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard_error: Option<f64>,
    /// Lower end of the 95 % interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_high: Option<f64>,
    /// Respondents behind the estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// Kish's effective sample size of the group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_n: Option<f64>,
}

/// `data` of `GET /api/v1/survey/estimates`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateTable {
    /// The survey's id.
    pub survey: String,
    /// Whether the answers are synthetic.
    pub synthetic: bool,
    /// Present when synthetic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// The question id.
    pub question: String,
    /// The question text.
    pub label: Text,
    /// `mean` or `share`.
    pub estimate: &'static str,
    /// `percent` for shares, `scale` for means (the question's own scale).
    pub unit: &'static str,
    /// The grouping, `null` for the whole panel only.
    pub by: Option<String>,
    /// The whole panel (one cell per answer for shares).
    pub total: Vec<EstimateCell>,
    /// One cell per group (and answer), groups in order.
    pub cells: Vec<EstimateCell>,
}

/// One published difference between two groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferenceCell {
    /// The answer code of a share; `null` for a mean.
    pub answer: Option<String>,
    /// `a` minus `b` (percentage points for shares); `null` when suppressed.
    pub value: Option<f64>,
    /// Whether the difference is withheld.
    pub suppressed: bool,
    /// Why: `primary` or `secondary` (one of the groups' estimates is withheld).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<&'static str>,
    /// Standard error of the difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standard_error: Option<f64>,
    /// Lower end of the 95 % interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_high: Option<f64>,
    /// The t statistic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic: Option<f64>,
    /// Design degrees of freedom.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degrees_of_freedom: Option<f64>,
    /// Two-sided p-value of "no difference".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    /// Respondents in `a`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_a: Option<u64>,
    /// Respondents in `b`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_b: Option<u64>,
}

/// `data` of `GET /api/v1/survey/difference`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifferenceTable {
    /// The survey's id.
    pub survey: String,
    /// Whether the answers are synthetic.
    pub synthetic: bool,
    /// Present when synthetic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// The question id.
    pub question: String,
    /// The question text.
    pub label: Text,
    /// `percentage points` for shares, `scale` for means.
    pub unit: &'static str,
    /// The grouping.
    pub by: String,
    /// The first group.
    pub a: String,
    /// The second group.
    pub b: String,
    /// One difference per answer (one for a mean).
    pub differences: Vec<DifferenceCell>,
}

/// Rounds for publication: estimates to 4 decimals (1e-6 of a share as a fraction).
fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10_f64.powi(decimals);
    (value * factor).round() / factor
}

fn suppression_name(reason: Suppression) -> &'static str {
    match reason {
        Suppression::Primary => "primary",
        Suppression::Secondary => "secondary",
    }
}

fn cell(
    group: &str,
    name: Option<String>,
    answer: Option<&str>,
    published: &Published<Estimate>,
    scale: f64,
) -> EstimateCell {
    let shown = published.value();
    let map = |f: fn(&Estimate) -> f64| shown.map(|e| round(f(e) * scale, 4));
    EstimateCell {
        group: group.to_owned(),
        name,
        answer: answer.map(str::to_owned),
        value: map(|e| e.value),
        suppressed: published.is_suppressed(),
        suppression: published.suppression().map(suppression_name),
        standard_error: map(|e| e.standard_error),
        ci_low: map(|e| e.ci_low),
        ci_high: map(|e| e.ci_high),
        n: published.n(),
        effective_n: shown.map(|e| round(e.effective_n, 1)),
    }
}

impl SurveyInfo {
    /// What `GET /api/v1/survey` shows.
    pub fn of(survey: &SurveyMonitor) -> SurveyInfo {
        let schema = survey.schema();
        let questions = schema
            .questions
            .iter()
            .enumerate()
            .map(|(index, question)| {
                let (min, max) = match question.kind {
                    QuestionKind::Number { min, max } => (Some(min), Some(max)),
                    _ => (None, None),
                };
                QuestionInfo {
                    id: question.id.clone(),
                    label: Text::from(&question.label),
                    kind: question.kind.as_str(),
                    estimate: estimate_kind(&question.kind),
                    min,
                    max,
                    answers: question
                        .kind
                        .options()
                        .iter()
                        .map(|o| AnswerInfo {
                            code: o.code.clone(),
                            nl: o.nl.clone(),
                            en: o.en.clone(),
                        })
                        .collect(),
                    answered: survey.answered(index).value().copied(),
                }
            })
            .collect();
        SurveyInfo {
            id: schema.id.clone(),
            title: Text::from(&schema.title),
            synthetic: survey.is_synthetic(),
            notice: survey.notice().map(str::to_owned),
            respondents: survey.respondents().value().copied(),
            questions,
            groupings: survey.groupings(),
            weighting: Weighting::of(survey),
            disclosure: DisclosureInfo {
                min_count: survey.rule().min_count,
                min_respondents: survey.rule().min_respondents,
            },
        }
    }
}

impl Weighting {
    /// The raking report as published.
    pub fn of(survey: &SurveyMonitor) -> Weighting {
        let r = survey.report();
        Weighting {
            method: "raking",
            margins: survey.margin_names().to_vec(),
            iterations: r.iterations,
            max_margin_error: r.max_margin_error,
            min_weight: round(r.min_weight, 4),
            max_weight: round(r.max_weight, 4),
            min_adjustment: round(r.min_adjustment, 6),
            max_adjustment: round(r.max_adjustment, 6),
            n_at_bounds: r.n_at_bounds,
            design_effect: round(r.kish_design_effect, 6),
            effective_n: round(r.effective_n, 1),
        }
    }
}

impl EstimateTable {
    /// The table of `estimates`; `name` names a group that is an area (`PV20` → Groningen).
    pub fn of(
        survey: &SurveyMonitor,
        estimates: &Estimates<'_>,
        name: &dyn Fn(&str) -> Option<String>,
    ) -> EstimateTable {
        let q = estimates.question;
        let scale = if estimates.codes[0].is_some() {
            100.0
        } else {
            1.0
        };
        let total = estimates
            .codes
            .iter()
            .zip(&estimates.total)
            .map(|(code, published)| cell("all", name("all"), code.as_deref(), published, scale))
            .collect();
        let mut cells = Vec::new();
        for (label, row) in &estimates.groups {
            for (code, published) in estimates.codes.iter().zip(row) {
                cells.push(cell(label, name(label), code.as_deref(), published, scale));
            }
        }
        EstimateTable {
            survey: survey.schema().id.clone(),
            synthetic: survey.is_synthetic(),
            notice: survey.notice().map(str::to_owned),
            question: q.id.clone(),
            label: Text::from(&q.label),
            estimate: estimate_kind(&q.kind),
            unit: if scale > 1.0 { "percent" } else { "scale" },
            by: estimates.grouping.as_ref().map(|g| g.as_str().to_owned()),
            total,
            cells,
        }
    }
}

impl DifferenceTable {
    /// The table of `differences`.
    pub fn of(survey: &SurveyMonitor, differences: &Differences<'_>) -> DifferenceTable {
        let q = differences.question;
        let scale = if differences.codes[0].is_some() {
            100.0
        } else {
            1.0
        };
        let cells = differences
            .codes
            .iter()
            .zip(&differences.cells)
            .map(|(code, published)| {
                let shown = published.value();
                let map = |f: fn(&leefbaar_survey::Difference) -> f64, s: f64| {
                    shown.map(|d| round(f(d) * s, 4))
                };
                DifferenceCell {
                    answer: code.clone(),
                    value: map(|d| d.value, scale),
                    suppressed: published.is_suppressed(),
                    suppression: published.suppression().map(suppression_name),
                    standard_error: map(|d| d.standard_error, scale),
                    ci_low: map(|d| d.ci_low, scale),
                    ci_high: map(|d| d.ci_high, scale),
                    statistic: map(|d| d.statistic, 1.0),
                    degrees_of_freedom: shown.map(|d| d.degrees_of_freedom),
                    p_value: shown.map(|d| d.p_value),
                    n_a: shown.map(|d| d.n_first),
                    n_b: shown.map(|d| d.n_second),
                }
            })
            .collect();
        DifferenceTable {
            survey: survey.schema().id.clone(),
            synthetic: survey.is_synthetic(),
            notice: survey.notice().map(str::to_owned),
            question: q.id.clone(),
            label: Text::from(&q.label),
            unit: if scale > 1.0 {
                "percentage points"
            } else {
                "scale"
            },
            by: differences.grouping.as_str().to_owned(),
            a: differences.a.clone(),
            b: differences.b.clone(),
            differences: cells,
        }
    }
}

fn estimate_kind(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Number { .. } => "mean",
        _ => "share",
    }
}
