//! Errors: malformed input tables (naming table, line and field) and inconsistent projection
//! inputs (naming the area).

/// A problem in an input table; the table name is what the caller passed (usually the path).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The CSV reader failed (bad quoting, wrong number of fields, invalid UTF-8).
    #[error("{table}: {source}")]
    Csv {
        /// The table being read.
        table: String,
        /// What the CSV reader reported (it includes the position).
        #[source]
        source: csv::Error,
    },
    /// A required column is absent from the header.
    #[error("{table}: missing column `{column}`")]
    MissingColumn {
        /// The table being read.
        table: String,
        /// The column that was expected.
        column: String,
    },
    /// A field does not hold what its column promises.
    #[error("{table}, line {line}, field `{field}`: expected {expected}, found `{found}`")]
    BadValue {
        /// The table being read.
        table: String,
        /// The 1-based line in the file.
        line: u64,
        /// The column name.
        field: String,
        /// What the column should hold.
        expected: &'static str,
        /// The text found.
        found: String,
    },
    /// A count (persons) below zero.
    #[error("{table}, line {line}, field `{field}`: a count cannot be negative, found {found}")]
    NegativeCount {
        /// The table being read.
        table: String,
        /// The 1-based line in the file.
        line: u64,
        /// The column name.
        field: String,
        /// The value found.
        found: f64,
    },
    /// A probability outside `0..=1`.
    #[error(
        "{table}, line {line}, field `{field}`: a probability must lie in 0..=1, found {found}"
    )]
    ProbabilityOutOfRange {
        /// The table being read.
        table: String,
        /// The 1-based line in the file.
        line: u64,
        /// The column name.
        field: String,
        /// The value found.
        found: f64,
    },
    /// Ages of one area and sex do not run 0, 1, 2, … in file order.
    #[error(
        "{table}, line {line}, field `age`: ages out of order for {group}: expected {expected}, found `{found}`"
    )]
    AgeOutOfOrder {
        /// The table being read.
        table: String,
        /// The 1-based line in the file.
        line: u64,
        /// The area and sex (or year and sex) whose ages are out of order.
        group: String,
        /// The age that should come next.
        expected: String,
        /// The age found.
        found: String,
    },
    /// A group stops before the last (open) age.
    #[error("{table}: {group} has ages 0..{found}, expected 0..{expected} with the last open")]
    IncompleteAges {
        /// The table being read.
        table: String,
        /// The area and sex (or year and sex) concerned.
        group: String,
        /// The number of ages found.
        found: usize,
        /// The number of ages expected.
        expected: usize,
    },
}

/// Projection inputs that do not fit together.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectionError {
    /// An area with a base population has no entry in a rate or migration table.
    #[error("{area} has a base population but is missing from the {table}")]
    AreaMissingFromRates {
        /// The area code.
        area: String,
        /// Which table lacks it.
        table: &'static str,
    },
    /// Two tables disagree on the number of ages.
    #[error("{what} has {found} ages, expected {expected}")]
    AgeCountMismatch {
        /// Which table.
        what: String,
        /// Its number of ages.
        found: usize,
        /// The number of ages of the base population.
        expected: usize,
    },
    /// A national set-up was asked for a base year the bundled tables cannot give.
    #[error("base year {found} is outside 2017–2020, the years the bundled tables reconstruct")]
    BaseYearOutOfRange {
        /// The base year asked for.
        found: u16,
    },
    /// The rate schedule is empty.
    #[error("the rate schedule holds no year")]
    NoRates,
    /// An input table failed to parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
}
