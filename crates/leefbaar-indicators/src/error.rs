//! Errors of the catalogue parser: a TOML syntax error, or every rule the catalogue breaks.
//!
//! The engine itself has no errors: awkward data (a zero denominator, a missing part) becomes a
//! [`Finding`](crate::Finding) that travels with the result.

use std::fmt;

/// Why a catalogue text was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// The text is not TOML, or a table has the wrong shape (a missing or unknown key, a value
    /// of the wrong type).
    #[error("{file}, line {line}: {message}")]
    Syntax {
        /// The file: `catalogue` for the built-in one, else the name the caller gave.
        file: String,
        /// The 1-based line of the offending text (1 if the parser gave no position).
        line: usize,
        /// The parser's message, without its excerpt of the text.
        message: String,
    },
    /// The catalogue is well-formed TOML but breaks rules; every problem found is listed.
    #[error("{}", ProblemList(file, problems))]
    Invalid {
        /// The file: `catalogue` for the built-in one, else the name the caller gave.
        file: String,
        /// All problems, in the order of the file.
        problems: Vec<CatalogueProblem>,
    },
}

impl CatalogueError {
    /// The same error naming `file` instead (a catalogue parsed from text is called
    /// `catalogue`).
    #[must_use]
    pub fn in_file(self, file: &str) -> CatalogueError {
        match self {
            CatalogueError::Syntax { line, message, .. } => CatalogueError::Syntax {
                file: file.to_owned(),
                line,
                message,
            },
            CatalogueError::Invalid { problems, .. } => CatalogueError::Invalid {
                file: file.to_owned(),
                problems,
            },
        }
    }
}

/// Formats a list of problems as a count followed by one problem per line.
struct ProblemList<'a>(&'a str, &'a [CatalogueProblem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.1.len();
        write!(
            f,
            "{} has {count} problem{}",
            self.0,
            if count == 1 { "" } else { "s" }
        )?;
        for problem in self.1 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// One broken rule in a catalogue, naming the line, the item and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueProblem {
    /// An id is not lowercase ASCII letters, digits and underscores starting with a letter.
    #[error(
        "line {line}: {item} `{found}`: id must be lowercase letters, digits and `_`, starting with a letter"
    )]
    BadId {
        /// Line of the id.
        line: usize,
        /// `source`, `variable` or `indicator`.
        item: &'static str,
        /// The id as written.
        found: String,
    },
    /// Two items of the same sort share an id.
    #[error("line {line}: {item} `{id}` is declared twice (first on line {first_line})")]
    DuplicateId {
        /// Line of the second declaration.
        line: usize,
        /// `source`, `variable` or `indicator`.
        item: &'static str,
        /// The repeated id.
        id: String,
        /// Line of the first declaration.
        first_line: usize,
    },
    /// A unit is not one of [`Unit::as_str`](leefbaar_model::Unit::as_str)'s spellings, or does
    /// not fit the indicator's kind.
    #[error("line {line}: {item} `{id}`, field `unit`: {message}")]
    BadUnit {
        /// Line of the unit.
        line: usize,
        /// `variable` or `indicator`.
        item: &'static str,
        /// The variable or indicator id.
        id: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An indicator sums, or divides sums of, a variable declared `additive = false` (a score or
    /// a class), or shows a count with kind `published`: the variable's additivity and the
    /// indicator's kind disagree.
    #[error(
        "line {line}: indicator `{indicator}`, field `{field}`: variable `{variable}` {message}"
    )]
    Additivity {
        /// Line of the reference.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The field holding the reference.
        field: &'static str,
        /// The variable referred to.
        variable: String,
        /// What disagrees and what to use instead.
        message: String,
    },
    /// `kind` names no indicator kind.
    #[error(
        "line {line}: indicator `{indicator}`, field `kind`: `{found}` is not a kind (expected one of: count, sum, share, rate, mean, change, index, published)"
    )]
    BadKind {
        /// Line of the kind.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The kind as written.
        found: String,
    },
    /// A field the kind needs is absent.
    #[error(
        "line {line}: indicator `{indicator}`, field `{field}`: kind `{kind}` needs this field"
    )]
    MissingField {
        /// Line of the indicator's id.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The indicator's kind.
        kind: &'static str,
        /// The absent field.
        field: &'static str,
    },
    /// A field is present that the kind does not use.
    #[error(
        "line {line}: indicator `{indicator}`, field `{field}`: kind `{kind}` does not use this field"
    )]
    UnexpectedField {
        /// Line of the field.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The indicator's kind.
        kind: &'static str,
        /// The superfluous field.
        field: &'static str,
    },
    /// A numeric parameter is out of range.
    #[error("line {line}: indicator `{indicator}`, field `{field}`: {message}")]
    BadValue {
        /// Line of the field.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A field refers to a base variable that is not declared.
    #[error("line {line}: indicator `{indicator}`, field `{field}`: unknown variable `{found}`")]
    UnknownVariable {
        /// Line of the reference.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The field holding the reference.
        field: &'static str,
        /// The id referred to.
        found: String,
    },
    /// `of` refers to an indicator that is not declared.
    #[error("line {line}: indicator `{indicator}`, field `of`: unknown indicator `{found}`")]
    UnknownIndicator {
        /// Line of the reference.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The id referred to.
        found: String,
    },
    /// `source` refers to a source that is not declared.
    #[error("line {line}: indicator `{indicator}`, field `source`: unknown source `{found}`")]
    UnknownSource {
        /// Line of the reference.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// The id referred to.
        found: String,
    },
    /// An extension declares an id its base catalogue has, without saying it replaces it.
    #[error(
        "line {line}: {item} `{id}` is already in the catalogue this one extends; add `replace = true` to replace it on purpose, or choose another id"
    )]
    AlreadyDeclared {
        /// Line of the id.
        line: usize,
        /// `source`, `variable` or `indicator`.
        item: &'static str,
        /// The id.
        id: String,
    },
    /// `replace = true` on an id the base catalogue does not have.
    #[error(
        "line {line}: {item} `{id}`, field `replace`: there is no {item} `{id}` to replace (remove `replace`)"
    )]
    NothingToReplace {
        /// Line of the field.
        line: usize,
        /// `source`, `variable` or `indicator`.
        item: &'static str,
        /// The id.
        id: String,
    },
    /// A name or description is empty in one language.
    #[error("line {line}: indicator `{indicator}`, field `{field}.{language}`: text is empty")]
    EmptyText {
        /// Line of the indicator's id.
        line: usize,
        /// The indicator id.
        indicator: String,
        /// `name` or `description`.
        field: &'static str,
        /// `nl` or `en`.
        language: &'static str,
    },
    /// Change and index indicators refer to each other in a circle.
    #[error("line {line}: indicator `{indicator}`, field `of`: cycle {cycle}")]
    Cycle {
        /// Line of the `of` field of the first indicator in the cycle.
        line: usize,
        /// The first indicator of the cycle in file order.
        indicator: String,
        /// The cycle written out, e.g. `a → b → a`.
        cycle: String,
    },
}

impl CatalogueProblem {
    /// The line the problem is on, for sorting.
    pub fn line(&self) -> usize {
        match self {
            CatalogueProblem::BadId { line, .. }
            | CatalogueProblem::DuplicateId { line, .. }
            | CatalogueProblem::AlreadyDeclared { line, .. }
            | CatalogueProblem::NothingToReplace { line, .. }
            | CatalogueProblem::BadUnit { line, .. }
            | CatalogueProblem::Additivity { line, .. }
            | CatalogueProblem::BadKind { line, .. }
            | CatalogueProblem::MissingField { line, .. }
            | CatalogueProblem::UnexpectedField { line, .. }
            | CatalogueProblem::BadValue { line, .. }
            | CatalogueProblem::UnknownVariable { line, .. }
            | CatalogueProblem::UnknownIndicator { line, .. }
            | CatalogueProblem::UnknownSource { line, .. }
            | CatalogueProblem::EmptyText { line, .. }
            | CatalogueProblem::Cycle { line, .. } => *line,
        }
    }
}
