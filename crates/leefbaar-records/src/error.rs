//! Errors of the records engine: a schema that cannot be used, and the problems of an import,
//! every one named by file, line, field, what was found and what was expected.

use std::fmt;
use std::fmt::Write as _;

/// A schema file that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}, line {line}{}: {message}", field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default())]
pub struct SchemaError {
    /// The schema file as named by the caller.
    pub file: String,
    /// The 1-based line of the problem (1 when the whole file is concerned).
    pub line: usize,
    /// The field (or kind, or code list) concerned, if any.
    pub field: Option<String>,
    /// What is wrong, as a phrase without a trailing full stop.
    pub message: String,
}

/// One bad value or record in a records file.
///
/// Displays as ``pupils.csv, line 12, field `advice`: expected one of vmbo-b, havo, found `hvo` ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// The records file as named by the caller.
    pub file: String,
    /// The 1-based line (the header is line 1).
    pub line: u64,
    /// The column concerned, if any.
    pub field: Option<String>,
    /// What was found (shortened when long).
    pub found: String,
    /// What was expected, as a phrase.
    pub expected: String,
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}", self.file, self.line)?;
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": expected {}, found `{}`", self.expected, self.found)
    }
}

/// Why an import returned nothing: every problem of every file, in one pass.
///
/// At most [`RecordsErrors::MAX_PER_FILE`] problems are kept per file, so that a file with a
/// wrong column in a million lines does not produce a million messages; `omitted` counts the
/// rest per file and the message says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.problems, .omitted))]
pub struct RecordsErrors {
    /// The problems kept, file by file in the order the files were given, then by line.
    pub problems: Vec<RecordProblem>,
    /// Per file, how many further problems were found but not kept.
    pub omitted: Vec<(String, u64)>,
}

impl RecordsErrors {
    /// The number of problems kept per file.
    pub const MAX_PER_FILE: usize = 100;

    /// Whether there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty() && self.omitted.is_empty()
    }
}

fn render(problems: &[RecordProblem], omitted: &[(String, u64)]) -> String {
    let total = problems.len() as u64 + omitted.iter().map(|(_, n)| n).sum::<u64>();
    let mut text = format!("{total} problems in the records, nothing imported");
    for problem in problems {
        let _ = write!(text, "\n  {problem}");
    }
    for (file, n) in omitted {
        let _ = write!(
            text,
            "\n  {file}: {n} more problems not listed (at most {} per file are)",
            RecordsErrors::MAX_PER_FILE
        );
    }
    text
}

/// Why figures could not be computed from valid records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AggregateError {
    /// A figure names a kind the schema does not have.
    #[error("figure `{figure}`: the schema has no record kind `{kind}`")]
    UnknownKind {
        /// The figure's id.
        figure: String,
        /// The kind named.
        kind: String,
    },
    /// A figure names a field that is not a code field of its kind (or of the linked kind).
    #[error("figure `{figure}`: `{path}` is not a code field of `{kind}`{}", if *.link { " (through a link)" } else { "" })]
    NotACodeField {
        /// The figure's id.
        figure: String,
        /// The kind the path starts at.
        kind: String,
        /// The path as written (`father.low_income`).
        path: String,
        /// Whether the path goes through a link.
        link: bool,
    },
    /// A record's area is not in the area tree (the import checks this, so only records
    /// aggregated over another tree than the one they were imported with get here).
    #[error("area `{area}` is not in the area tree")]
    UnknownArea {
        /// The area code.
        area: String,
    },
    /// The shared disclosure control refused its input (a bug in this crate).
    #[error("disclosure control: {0}")]
    Disclosure(String),
}
