//! Errors of the survey crate: bad input files (with line and field), weighting or
//! estimation requests that cannot be met, and partitions that disclosure control cannot read.

use std::fmt;

/// One problem found in an input file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The 1-based line in the file (the CSV header is line 1); 0 when the problem concerns the
    /// file as a whole.
    pub line: u64,
    /// The column or key the problem is in.
    pub field: String,
    /// What is wrong, starting with what was expected.
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, field `{}`: {}",
            self.line, self.field, self.message
        )
    }
}

/// Reading a schema or a respondent file failed; nothing was imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The schema (TOML) does not parse or describes an impossible questionnaire.
    #[error("{file}: bad survey schema: {message}")]
    Schema {
        /// The name of the schema file as the caller gave it.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A CSV file (respondents, population cells, CBS tables) has problems; all of them are
    /// listed, not just the first.
    #[error("{file}: {count} problem(s), first: {first}", count = problems.len(), first = first_problem(problems))]
    Rows {
        /// The name of the file as the caller gave it.
        file: String,
        /// Every problem found, in file order (never empty).
        problems: Vec<ImportProblem>,
    },
}

fn first_problem(problems: &[ImportProblem]) -> String {
    problems
        .first()
        .map_or_else(|| "none".to_owned(), ToString::to_string)
}

/// Raking cannot produce weights for the margins asked for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RakeError {
    /// A category has a population above zero but no respondent to carry it.
    #[error(
        "margin `{margin}`, category `{category}`: population {population} but no respondents; merge it with a neighbouring category"
    )]
    EmptyCell {
        /// The margin's name.
        margin: String,
        /// The category without respondents.
        category: String,
        /// Its population total.
        population: f64,
    },
    /// A respondent falls in a category the margin has no population total for.
    #[error(
        "margin `{margin}`: respondent `{respondent}` is in category `{category}`, which has no population total"
    )]
    UnknownCategory {
        /// The margin's name.
        margin: String,
        /// The respondent id.
        respondent: String,
        /// The category the respondent is in.
        category: String,
    },
    /// Two margins disagree about the population total.
    #[error(
        "margins `{first}` ({first_total}) and `{second}` ({second_total}) have different totals"
    )]
    InconsistentTotals {
        /// The first margin.
        first: String,
        /// Its total.
        first_total: f64,
        /// The margin that disagrees.
        second: String,
        /// Its total.
        second_total: f64,
    },
    /// The weight bounds make a category's population total unreachable.
    #[error(
        "margin `{margin}`, category `{category}`: population {population} is outside what the weight bounds allow ({lowest} to {highest})"
    )]
    BoundsTooTight {
        /// The margin's name.
        margin: String,
        /// The category.
        category: String,
        /// Its population total.
        population: f64,
        /// The smallest total the bounds allow.
        lowest: f64,
        /// The largest total the bounds allow.
        highest: f64,
    },
    /// The iterations ran out before every margin was met.
    #[error(
        "raking did not converge in {iterations} iterations (largest relative margin error {max_error:e})"
    )]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// The largest relative margin error left.
        max_error: f64,
    },
    /// The inputs are malformed (lengths differ, a weight is not positive, bad parameters).
    #[error("invalid raking input: {0}")]
    Invalid(String),
}

/// An estimate was asked for something the panel does not have.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EstimateError {
    /// No question has this id.
    #[error("no question `{0}` in the schema")]
    UnknownQuestion(String),
    /// The question has no answer with this code.
    #[error("question `{question}` has no answer code `{code}`")]
    UnknownAnswer {
        /// The question id.
        question: String,
        /// The code asked for.
        code: String,
    },
    /// A mean was asked of a categorical question, or a share of a numeric one.
    #[error("question `{question}` is {kind}; {wanted}")]
    WrongKind {
        /// The question id.
        question: String,
        /// What kind of question it is.
        kind: &'static str,
        /// What the request needs.
        wanted: &'static str,
    },
    /// A weight is negative or not a number.
    #[error(
        "the weight of respondent `{respondent}` is {weight}; weights must be finite and not negative"
    )]
    BadWeight {
        /// The respondent id.
        respondent: String,
        /// The weight found.
        weight: f64,
    },
    /// The weights, strata or domain do not match the number of respondents.
    #[error("length mismatch: {what} has {found} entries, the panel has {expected} respondents")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Its length.
        found: usize,
        /// The number of respondents.
        expected: usize,
    },
}

/// A partition handed to disclosure control does not fit together; nothing is published.
///
/// These are mistakes of the caller (a parent naming a group that does not exist, a row of
/// cells of the wrong length), never properties of the data: data that needs suppression is
/// suppressed, not refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisclosureError {
    /// A parent names a group the partition does not have.
    #[error(
        "parent `{parent}`: expected groups 0 to {last}, found group {group}",
        last = groups.saturating_sub(1)
    )]
    UnknownGroup {
        /// The parent's label.
        parent: String,
        /// The group index it names.
        group: usize,
        /// How many groups the partition has.
        groups: usize,
    },
    /// A parent names the same group twice, so its total would count the group twice.
    #[error("parent `{parent}`: expected every group once, found group {group} twice")]
    RepeatedGroup {
        /// The parent's label.
        parent: String,
        /// The group index named twice.
        group: usize,
    },
    /// A parent withholds a column the table does not have.
    #[error(
        "parent `{parent}`: expected columns 0 to {last}, found withheld column {column}",
        last = columns.saturating_sub(1)
    )]
    UnknownColumn {
        /// The parent's label.
        parent: String,
        /// The column index it withholds.
        column: usize,
        /// How many columns the table has.
        columns: usize,
    },
    /// The table has another number of rows than the partition has groups.
    #[error("{what}: expected one row per group ({expected}), found {found}")]
    RowCount {
        /// Which input (`cells` or `counts`).
        what: &'static str,
        /// The number of groups.
        expected: usize,
        /// The number of rows.
        found: usize,
    },
    /// A row has another number of cells than the first row.
    #[error("{what}, group {group}: expected {expected} cells like the first row, found {found}")]
    RowLength {
        /// Which input (`cells` or `counts`).
        what: &'static str,
        /// The group of the row.
        group: usize,
        /// The length of the first row.
        expected: usize,
        /// The length of this row.
        found: usize,
    },
    /// A withheld value follows from the parents' published figures whatever else of the
    /// table is withheld (a parent of a single group, or crossed parents, that show what the
    /// group's suppression hides): the parents' own tables must withhold a figure too.
    #[error(
        "group {group}{}: withheld, but the parents' published figures give it away; withhold a parent's figure with it",
        column.map(|c| format!(", column {c}")).unwrap_or_default()
    )]
    GivenAwayByParents {
        /// The group.
        group: usize,
        /// The column, where cells are withheld one by one (shares).
        column: Option<usize>,
    },
    /// The counts behind a group's shares do not add up to its n.
    #[error("group {group}: expected counts adding up to its n ({n}), found {sum}")]
    CountsDoNotAddUp {
        /// The group.
        group: usize,
        /// The group's n.
        n: u64,
        /// The sum of its counts.
        sum: u64,
    },
}
