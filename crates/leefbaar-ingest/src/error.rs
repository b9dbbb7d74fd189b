//! Errors of the importer: one enum for everything that can stop an import, and [`Problem`], one
//! finding in a file, so that a malformed file is reported with *all* its problems at once.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Position {
    /// A 1-based line of a text table (the header is line 1).
    Line(u64),
    /// A feature of a GeoJSON FeatureCollection: its 0-based index and, if it could be read,
    /// its area code.
    Feature {
        /// The 0-based index in the `features` array.
        index: usize,
        /// The code property of the feature, if present.
        code: Option<String>,
    },
    /// The file as a whole (for example a JSON syntax error or a missing member).
    File,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::Feature {
                index,
                code: Some(code),
            } => write!(f, "feature {index} (`{code}`)"),
            Position::Feature { index, code: None } => write!(f, "feature {index}"),
            Position::File => f.write_str("whole file"),
        }
    }
}

/// One thing wrong in an input file: where, in which field, what was expected and what was found.
///
/// Displays as ``line 118, field `aantal_inwoners`: expected a number, found `12a` ``; the file
/// name is added by [`ImportError::Invalid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the problem is.
    pub position: Position,
    /// The column, property or manifest key concerned, if any.
    pub field: Option<String>,
    /// What was found, quoted in the message (shortened if long).
    pub found: String,
    /// What was expected, as a phrase (`a number`, `UTF-8 text`).
    pub expected: String,
}

impl Problem {
    /// A problem on a line of a table.
    pub(crate) fn at_line(
        line: u64,
        field: Option<&str>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Problem {
        Problem {
            position: Position::Line(line),
            field: field.map(str::to_owned),
            found: found.into(),
            expected: expected.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.position)?;
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(
            f,
            ": expected {}, found `{}`",
            self.expected,
            shorten(&self.found)
        )
    }
}

/// Long findings (a whole header line, a cut-off row) are shortened so a message stays one line.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 120;
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX_CHARS).collect();
        format!("{head}…")
    }
}

/// The findings of one file, for [`ImportError::Invalid`]'s message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems {
    /// The problems, in file order, at most [`Problems::LIMIT`].
    pub list: Vec<Problem>,
    /// How many further problems were found but not kept.
    pub omitted: usize,
}

impl Problems {
    /// The number of problems kept per file; the rest are only counted, because after fifty
    /// the cause is clear and a longer list hides it.
    pub const LIMIT: usize = 50;

    pub(crate) fn new() -> Problems {
        Problems {
            list: Vec::new(),
            omitted: 0,
        }
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        if self.list.len() < Self::LIMIT {
            self.list.push(problem);
        } else {
            self.omitted += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The error for `file`, used when a problem makes reading further pointless.
    pub(crate) fn into_error(self, file: &str) -> ImportError {
        ImportError::Invalid {
            file: file.to_owned(),
            problems: self,
        }
    }

    /// `Ok(())` if nothing was found, else the error for `file`.
    pub(crate) fn into_result(self, file: &str) -> Result<(), ImportError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ImportError::Invalid {
                file: file.to_owned(),
                problems: self,
            })
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n_found = self.list.len() + self.omitted;
        if n_found > 1 {
            write!(f, "{n_found} problems")?;
            if self.omitted > 0 {
                write!(f, " (the first {} listed)", self.list.len())?;
            }
        }
        Ok(())
    }
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read; the IO error names the path (via `fs_err`).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The file is larger than the importer accepts.
    #[error("{file}: expected at most {limit} bytes, found {size} bytes")]
    TooLarge {
        /// The file as given.
        file: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file was read but its content is malformed; every problem found is listed.
    #[error("{}", display_invalid(file, problems))]
    Invalid {
        /// The file as given.
        file: String,
        /// What is wrong, with positions.
        problems: Problems,
    },
    /// The manifest itself is not valid TOML or misses a key.
    #[error("{file}: {message}")]
    Manifest {
        /// The manifest file.
        file: PathBuf,
        /// The TOML parser's message (which names line and column).
        message: String,
    },
}

impl ImportError {
    /// The problems of an [`ImportError::Invalid`], empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ImportError::Invalid { problems, .. } => &problems.list,
            _ => &[],
        }
    }
}

fn display_invalid(file: &str, problems: &Problems) -> String {
    let mut text = String::new();
    let summary = problems.to_string();
    if !summary.is_empty() {
        text = format!("{file}: {summary}\n");
    }
    let lines: Vec<String> = problems
        .list
        .iter()
        .map(|problem| format!("{file}, {problem}"))
        .collect();
    text.push_str(&lines.join("\n"));
    text
}
