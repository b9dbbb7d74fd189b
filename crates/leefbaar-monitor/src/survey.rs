//! The citizens' panel: read and raked once from the bundle's `[survey]` files, then every table
//! of estimates cut from it, already through disclosure control.
//!
//! [`SurveyMonitor`] holds the panel, its raked weights and the raking report. Estimates come
//! from `leefbaar-survey` as [`Published`] values, the crate's primary and partition-level
//! secondary suppression applied; every table then goes through the crate's one
//! disclosure-control mechanism for nested partitions ([`NestedPartition`]), because the
//! province estimates (and the whole panel's) are published too: municipalities are protected
//! within each province as well as within the panel, so no suppressed cell follows by
//! subtraction from the totals of another grouping. A difference between two groups is withheld
//! whenever either group's estimate is ([`protect_difference`]), so a difference cannot undo a
//! suppression either.
//!
//! Results are [`Published`] values with their n ([`Estimates`], [`Differences`]); the server's
//! wire types and the command line present them (rounded, in percent, with names).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use leefbaar_ingest::SurveySpec;
use leefbaar_survey::{
    Answer, Difference, DisclosureError, DisclosureRule, Domain, Estimate, EstimateError,
    Estimator, NestedPartition, Panel, Parent, Published, Question, QuestionKind, RakeParams,
    RakeReport, Schema, parse_population, protect_difference, provinces_of, rake, standard_margins,
};

use crate::error::MonitorError;
pub use crate::error::SurveyError;

/// The three files of a panel, as text, with the names errors should use.
#[derive(Debug, Clone, Copy)]
pub struct SurveyInput<'a> {
    /// The questionnaire file's name.
    pub schema_file: &'a str,
    /// The questionnaire (TOML).
    pub schema: &'a str,
    /// The respondent file's name.
    pub panel_file: &'a str,
    /// The respondents (CSV).
    pub panel: &'a [u8],
    /// The margins file's name.
    pub margins_file: &'a str,
    /// Population cells (CSV: province, municipality, age group, sex, population).
    pub margins: &'a [u8],
    /// Present when the answers are synthetic: what every output then says about them (the
    /// bundle's manifest gives it).
    pub synthetic_notice: Option<&'a str>,
}

/// What a panel whose questionnaire marks it as generated says when the manifest gives no
/// notice of its own.
const GENERATED_NOTICE: &str = "SYNTHETIC data: this panel's questionnaire marks it as generated; no person gave these answers.";

/// A request the panel cannot answer: which parameter, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{parameter}` {message}")]
pub struct QueryError {
    /// The parameter at fault (`question`, `by`, `a`, `b`).
    pub parameter: &'static str,
    /// What is wrong, starting with what is allowed.
    pub message: String,
}

fn query_error(parameter: &'static str, message: String) -> QueryError {
    QueryError { parameter, message }
}

/// How respondents are split into groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grouping {
    /// By province (of the respondent's municipality).
    Province,
    /// By municipality; protected within each province as well as overall.
    Municipality,
    /// By age group.
    AgeGroup,
    /// By sex.
    Sex,
    /// By the answer to a single-choice question (e.g. `quake_damage`).
    Answer(String),
}

impl Grouping {
    /// The name used in `by=` and `--by`.
    pub fn as_str(&self) -> &str {
        match self {
            Grouping::Province => "province",
            Grouping::Municipality => "municipality",
            Grouping::AgeGroup => "age_group",
            Grouping::Sex => "sex",
            Grouping::Answer(question) => question,
        }
    }
}

/// A panel, read and raked, ready to publish estimates.
#[derive(Debug)]
pub struct SurveyMonitor {
    panel: Panel,
    weights: Vec<f64>,
    report: RakeReport,
    margin_names: Vec<String>,
    /// The province of each respondent, in panel order.
    provinces: Vec<String>,
    /// Present when the answers are synthetic.
    notice: Option<String>,
    rule: DisclosureRule,
    /// Protected tables by (question index, grouping), computed once: they depend on nothing
    /// but the panel, and there are at most questions × groupings of them.
    cache: Mutex<HashMap<(usize, String), ProtectedRows>>,
}

/// For each group of a partition: its label and one published estimate per answer.
type ProtectedRows = Vec<(String, Vec<Published<Estimate>>)>;

/// The groups of a `by=` and the parents whose estimates are also published (the whole panel,
/// and for municipalities each province), for [`NestedPartition`].
struct Partition {
    domains: Vec<Domain>,
    /// `all` over every group, and for municipalities each province over its municipalities.
    parents: Vec<Parent>,
}

/// The mechanism refused a table: a withheld estimate follows from published parents.
fn disclosure_error(error: &DisclosureError) -> QueryError {
    query_error(
        "by",
        format!("cannot be published for this question: {error}"),
    )
}

impl SurveyMonitor {
    /// Reads the schema, the respondents and the margins, and rakes the design weights to
    /// `province × age group × sex` and `municipality` (`leefbaar_survey::standard_margins`,
    /// default `RakeParams`).
    pub fn from_input(input: SurveyInput<'_>) -> Result<SurveyMonitor, SurveyError> {
        let schema = Schema::from_toml(input.schema_file, input.schema)?;
        let panel = Panel::from_csv(schema, input.panel_file, input.panel)?;
        let cells = parse_population(input.margins_file, input.margins)?;
        let margins = standard_margins(&panel, &cells)?;
        let raked = rake(&panel.design_weights(), &margins, &RakeParams::default())?;
        // `standard_margins` has checked that every municipality has a province.
        let provinces = provinces_of(&panel, &cells)
            .into_iter()
            .map(|p| p.map(|p| p.to_string()).unwrap_or_default())
            .collect();
        let rule = DisclosureRule::default();
        Estimator::new(&panel, &raked.weights, rule)?;
        let notice = input.synthetic_notice.map(str::to_owned).or_else(|| {
            panel
                .schema
                .id
                .contains("synthetic")
                .then(|| GENERATED_NOTICE.to_owned())
        });
        Ok(SurveyMonitor {
            margin_names: margins.iter().map(|m| m.name.clone()).collect(),
            panel,
            weights: raked.weights,
            report: raked.report,
            provinces,
            notice,
            rule,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Reads the bundle's panel files and rakes them ([`SurveyMonitor::from_input`]).
    pub fn load(spec: &SurveySpec) -> Result<SurveyMonitor, MonitorError> {
        let name = |path: &Path| path.display().to_string();
        let schema = fs_err::read_to_string(&spec.schema)?;
        let panel = fs_err::read(&spec.panel)?;
        let margins = fs_err::read(&spec.margins)?;
        SurveyMonitor::from_input(SurveyInput {
            schema_file: &name(&spec.schema),
            schema: &schema,
            panel_file: &name(&spec.panel),
            panel: &panel,
            margins_file: &name(&spec.margins),
            margins: &margins,
            synthetic_notice: spec.synthetic_notice.as_deref(),
        })
        .map_err(MonitorError::from)
    }

    /// Whether the answers are synthetic.
    pub fn is_synthetic(&self) -> bool {
        self.notice.is_some()
    }

    /// What a synthetic panel says about itself in every output.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The disclosure rule applied.
    pub fn rule(&self) -> &DisclosureRule {
        &self.rule
    }

    /// The margins the weights were raked to.
    pub fn margin_names(&self) -> &[String] {
        &self.margin_names
    }

    /// Respondents in the panel, as published (withheld when fewer than the rule allows).
    pub fn respondents(&self) -> Published<u64> {
        Published::count(self.panel.len() as u64, &self.rule)
    }

    /// Respondents who answered question `index`, as published.
    pub fn answered(&self, index: usize) -> Published<u64> {
        let answered = self
            .panel
            .respondents
            .iter()
            .filter(|r| r.answers[index] != Answer::Missing)
            .count() as u64;
        Published::count(answered, &self.rule)
    }

    /// Whether any respondent lives in a municipality of `province` (a CBS code).
    pub fn has_respondents_in(&self, province: &str) -> bool {
        self.provinces.iter().any(|p| p == province)
    }

    /// The questionnaire.
    pub fn schema(&self) -> &Schema {
        &self.panel.schema
    }

    /// The raking report.
    pub fn report(&self) -> &RakeReport {
        &self.report
    }

    /// The estimator: final weights, strata by municipality (the design stratifies by
    /// municipality), the disclosure rule.
    fn estimator(&self) -> Estimator<'_> {
        Estimator::new(&self.panel, &self.weights, self.rule)
            .expect("weights checked when loading")
            .with_strata(|r| r.area.to_string())
    }

    /// The accepted `by=` values: the background variables and the single-choice questions.
    pub fn groupings(&self) -> Vec<String> {
        let mut names: Vec<String> = ["province", "municipality", "age_group", "sex"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        names.extend(
            self.schema()
                .questions
                .iter()
                .filter(|q| matches!(q.kind, QuestionKind::Single(_)))
                .map(|q| q.id.clone()),
        );
        names
    }

    /// Parses a `by=` value.
    pub fn grouping(&self, text: &str) -> Result<Grouping, QueryError> {
        match text {
            "province" => Ok(Grouping::Province),
            "municipality" => Ok(Grouping::Municipality),
            "age_group" => Ok(Grouping::AgeGroup),
            "sex" => Ok(Grouping::Sex),
            _ if self.groupings().iter().any(|g| g == text) => {
                Ok(Grouping::Answer(text.to_owned()))
            }
            _ => Err(query_error(
                "by",
                format!(
                    "must be one of {}, found `{text}`",
                    self.groupings().join(", ")
                ),
            )),
        }
    }

    fn question_index(&self, id: &str) -> Result<usize, QueryError> {
        self.schema().question_index(id).ok_or_else(|| {
            let known: Vec<&str> = self
                .schema()
                .questions
                .iter()
                .map(|q| q.id.as_str())
                .collect();
            query_error(
                "question",
                format!("must be one of {}, found `{id}`", known.join(", ")),
            )
        })
    }

    fn partition(
        &self,
        estimator: &Estimator<'_>,
        grouping: &Grouping,
    ) -> Result<Partition, QueryError> {
        let schema = self.schema();
        let domains = match grouping {
            Grouping::Province => estimator
                .partition_by_keys(&self.provinces)
                .expect("one province per respondent"),
            Grouping::Municipality => estimator.partition(|r| r.area.to_string()),
            Grouping::AgeGroup => estimator.partition(|r| schema.age_groups[r.age_group].clone()),
            Grouping::Sex => estimator.partition(|r| schema.sexes[r.sex].clone()),
            Grouping::Answer(question) => estimator
                .partition_by_answer(question)
                .map_err(|e| query_error("by", e.to_string()))?,
        };
        let mut parents = vec![Parent::new("all", (0..domains.len()).collect())];
        if *grouping == Grouping::Municipality {
            // Province estimates are published too: each province is a parent of its
            // municipalities.
            let province_of: Vec<&str> = domains
                .iter()
                .map(|domain| {
                    let k = (0..self.panel.len())
                        .find(|&k| domain.contains(k))
                        .expect("a part of a partition has members");
                    self.provinces[k].as_str()
                })
                .collect();
            parents.extend(Parent::by_key(&province_of));
        }
        Ok(Partition { domains, parents })
    }

    /// Respondents in `domain` who answered question `index` (the n of its estimates).
    fn answered_in(&self, index: usize, domain: &Domain) -> u64 {
        self.panel
            .respondents
            .iter()
            .enumerate()
            .filter(|(k, r)| domain.contains(*k) && r.answers[index] != Answer::Missing)
            .count() as u64
    }

    /// Estimates of `question` (a mean, or the share of every answer) for the whole panel
    /// and, with `by`, for each group, with every suppression applied.
    pub fn estimates(&self, question: &str, by: Option<&str>) -> Result<Estimates<'_>, QueryError> {
        let index = self.question_index(question)?;
        let grouping = by.map(|text| self.grouping(text)).transpose()?;
        let estimator = self.estimator();
        let q = &self.schema().questions[index];
        let codes = answer_codes(&q.kind);
        let everyone = estimator.everyone();
        let total = if matches!(q.kind, QuestionKind::Single(_)) {
            Self::total_shares(&estimator, question)?
        } else {
            codes
                .iter()
                .map(|code| {
                    estimate_one(&estimator, question, code.as_deref(), &everyone)
                        .map_err(|e| query_error("question", e.to_string()))
                })
                .collect::<Result<_, _>>()?
        };
        let groups = match &grouping {
            Some(grouping) => self.protected(&estimator, index, &codes, grouping)?,
            None => Vec::new(),
        };
        Ok(Estimates {
            question: q,
            codes,
            grouping,
            total,
            groups,
        })
    }

    /// For each group of `grouping`: its label and one estimate per code, protected across
    /// the partition and its published parents.
    fn protected(
        &self,
        estimator: &Estimator<'_>,
        index: usize,
        codes: &[Option<String>],
        grouping: &Grouping,
    ) -> Result<ProtectedRows, QueryError> {
        let key = (index, grouping.as_str().to_owned());
        if let Some(rows) = self.cache.lock().expect("cache lock").get(&key) {
            return Ok(rows.clone());
        }
        let rows = self.compute_protected(estimator, index, codes, grouping)?;
        self.cache
            .lock()
            .expect("cache lock")
            .insert(key, rows.clone());
        Ok(rows)
    }

    fn compute_protected(
        &self,
        estimator: &Estimator<'_>,
        index: usize,
        codes: &[Option<String>],
        grouping: &Grouping,
    ) -> Result<ProtectedRows, QueryError> {
        let question = self.schema().questions[index].id.as_str();
        let partition = self.partition(estimator, grouping)?;
        if matches!(self.schema().questions[index].kind, QuestionKind::Single(_)) {
            return self.protected_shares(estimator, index, partition);
        }
        let fail = |e: EstimateError| query_error("question", e.to_string());
        // Per code: the crate's estimates with its partition-level protection.
        let mut columns: Vec<Vec<(String, Published<Estimate>)>> = Vec::new();
        for code in codes {
            columns.push(match code {
                None => estimator
                    .mean_by(question, &partition.domains)
                    .map_err(fail)?,
                Some(code) => estimator
                    .share_by(question, code, &partition.domains)
                    .map_err(fail)?,
            });
        }
        let n: Vec<u64> = partition
            .domains
            .iter()
            .map(|d| self.answered_in(index, d))
            .collect();
        // One row per group, one estimate per code.
        let mut cells: Vec<Vec<Published<Estimate>>> = vec![Vec::new(); partition.domains.len()];
        for column in columns {
            for (row, (_, published)) in cells.iter_mut().zip(column) {
                row.push(published);
            }
        }
        let cells = NestedPartition::new(n, partition.parents)
            .and_then(|nested| nested.protect_estimates(cells, &self.rule))
            .map_err(|e| disclosure_error(&e))?;
        Ok(partition
            .domains
            .into_iter()
            .map(|d| d.label)
            .zip(cells)
            .collect())
    }

    /// Respondents in `domain` per answer of single-choice question `index`.
    fn answer_counts(&self, index: usize, domain: &Domain, n_codes: usize) -> Vec<u64> {
        let mut counts = vec![0; n_codes];
        for (k, respondent) in self.panel.respondents.iter().enumerate() {
            if let (true, Answer::Choice(option)) = (domain.contains(k), &respondent.answers[index])
            {
                counts[*option] += 1;
            }
        }
        counts
    }

    /// The whole panel's shares of a single-choice question, with the respondent count behind
    /// each share protected like a crosstab row (a share whose count is below 10 is withheld).
    fn total_shares(
        estimator: &Estimator<'_>,
        question: &str,
    ) -> Result<Vec<Published<Estimate>>, QueryError> {
        let mut crosstab = estimator
            .crosstab(&[estimator.everyone()], question)
            .map_err(|e| query_error("question", e.to_string()))?;
        Ok(crosstab.shares.remove(0))
    }

    /// Shares of a single-choice question per group, through the crate's crosstab: a share is
    /// withheld where the respondent count behind it is below 10, and the counts table gets
    /// secondary suppression against its row and column totals. A weighted share times its n
    /// is close to that count, and a row of shares adds up to one, so the crosstab's shares
    /// then go through [`NestedPartition::protect_shares`] with the respondent counts, under
    /// the published parents (the whole panel; for municipalities each province) with the
    /// shares their own tables withhold.
    fn protected_shares(
        &self,
        estimator: &Estimator<'_>,
        index: usize,
        partition: Partition,
    ) -> Result<ProtectedRows, QueryError> {
        let question = self.schema().questions[index].id.as_str();
        let fail = |e: EstimateError| query_error("question", e.to_string());
        let crosstab = estimator
            .crosstab(&partition.domains, question)
            .map_err(fail)?;
        let n_codes = crosstab.columns.len();
        let counts: Vec<Vec<u64>> = partition
            .domains
            .iter()
            .map(|d| self.answer_counts(index, d, n_codes))
            .collect();
        // Which parents' shares of each answer are published.
        let provinces = if partition.parents.len() > 1 {
            let provinces = self.partition(estimator, &Grouping::Province)?;
            let table = estimator
                .crosstab(&provinces.domains, question)
                .map_err(fail)?;
            Some((provinces, table))
        } else {
            None
        };
        let mut parents = Vec::with_capacity(partition.parents.len());
        for parent in partition.parents {
            let shown: Vec<bool> = if parent.label() == "all" {
                Self::total_shares(estimator, question)?
                    .iter()
                    .map(|s| !s.is_suppressed())
                    .collect()
            } else {
                let (provinces, table) = provinces.as_ref().expect("provinces for municipalities");
                let p = provinces
                    .domains
                    .iter()
                    .position(|d| d.label == parent.label())
                    .expect("every municipality's province is a province group");
                table.shares[p].iter().map(|s| !s.is_suppressed()).collect()
            };
            let withheld = (0..n_codes).filter(|&c| !shown[c]);
            parents.push(parent.with_withheld_columns(withheld));
        }
        let n: Vec<u64> = counts.iter().map(|row| row.iter().sum()).collect();
        let shares = NestedPartition::new(n, parents)
            .and_then(|nested| nested.protect_shares(crosstab.shares, &counts, &self.rule))
            .map_err(|e| disclosure_error(&e))?;
        Ok(partition
            .domains
            .into_iter()
            .map(|d| d.label)
            .zip(shares)
            .collect())
    }

    /// The difference of `question` between groups `a` and `b` of `by` (a minus b), per
    /// answer for a choice question; withheld when either group's estimate is withheld in the
    /// table [`SurveyMonitor::estimates`] publishes for the same question and grouping.
    pub fn difference(
        &self,
        question: &str,
        by: &str,
        a: &str,
        b: &str,
    ) -> Result<Differences<'_>, QueryError> {
        let index = self.question_index(question)?;
        let grouping = self.grouping(by)?;
        if a == b {
            return Err(query_error(
                "b",
                format!("must be another group than `a`, found `{b}` twice"),
            ));
        }
        let estimator = self.estimator();
        let q = &self.schema().questions[index];
        let codes = answer_codes(&q.kind);
        let partition = self.partition(&estimator, &grouping)?;
        let labels: Vec<&str> = partition.domains.iter().map(|d| d.label.as_str()).collect();
        let find = |parameter: &'static str, label: &str| {
            labels.iter().position(|l| *l == label).ok_or_else(|| {
                query_error(
                    parameter,
                    format!(
                        "must be a group of `by={by}`: one of {}, found `{label}`",
                        labels.join(", ")
                    ),
                )
            })
        };
        let (ia, ib) = (find("a", a)?, find("b", b)?);
        let protected = self.protected(&estimator, index, &codes, &grouping)?;
        let fail = |e: EstimateError| query_error("question", e.to_string());
        let mut cells = Vec::with_capacity(codes.len());
        for (c, code) in codes.iter().enumerate() {
            let (da, db) = (&partition.domains[ia], &partition.domains[ib]);
            let published = match code {
                None => estimator.difference_of_means(question, da, db),
                Some(code) => estimator.difference_of_shares(question, code, da, db),
            }
            .map_err(fail)?;
            cells.push(protect_difference(
                published,
                &protected[ia].1[c],
                &protected[ib].1[c],
            ));
        }
        Ok(Differences {
            question: q,
            codes,
            grouping,
            a: a.to_owned(),
            b: b.to_owned(),
            cells,
        })
    }
}

/// Estimates of one question, as published: the whole panel and, with a grouping, each group.
#[derive(Debug, Clone)]
pub struct Estimates<'a> {
    /// The question.
    pub question: &'a Question,
    /// What the estimates are cut by: `None` alone for a mean, every option's code for shares.
    pub codes: Vec<Option<String>>,
    /// The grouping, if one was asked for.
    pub grouping: Option<Grouping>,
    /// The whole panel: one estimate per code.
    pub total: Vec<Published<Estimate>>,
    /// Per group: its label and one estimate per code, in order.
    pub groups: Vec<(String, Vec<Published<Estimate>>)>,
}

/// The difference of one question between two groups, as published.
#[derive(Debug, Clone)]
pub struct Differences<'a> {
    /// The question.
    pub question: &'a Question,
    /// What the differences are cut by (as in [`Estimates::codes`]).
    pub codes: Vec<Option<String>>,
    /// The grouping of `a` and `b`.
    pub grouping: Grouping,
    /// The first group.
    pub a: String,
    /// The second group.
    pub b: String,
    /// One difference (`a` minus `b`) per code.
    pub cells: Vec<Published<Difference>>,
}

/// What a question's estimates are cut by: `None` alone for a mean, every option's code for
/// shares.
fn answer_codes(kind: &QuestionKind) -> Vec<Option<String>> {
    match kind {
        QuestionKind::Number { .. } => vec![None],
        kind => kind
            .options()
            .iter()
            .map(|o| Some(o.code.clone()))
            .collect(),
    }
}

fn estimate_one(
    estimator: &Estimator<'_>,
    question: &str,
    code: Option<&str>,
    domain: &Domain,
) -> Result<Published<Estimate>, EstimateError> {
    match code {
        None => estimator.mean(question, domain),
        Some(code) => estimator.share(question, code, domain),
    }
}
