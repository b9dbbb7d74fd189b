//! Errors of the monitors: a bundle that cannot be read, prepared or imported. Every record
//! problem names its file, line and field; errors of the engines are wrapped with what was
//! being done.

use std::fmt;
use std::path::PathBuf;

/// Why a monitor could not read, prepare or import a bundle.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MonitorError {
    /// The manifest or one of its tables is malformed.
    #[error(transparent)]
    Ingest(#[from] leefbaar_ingest::ImportError),
    /// A record of a monitor's input file is malformed.
    #[error("{file}, line {line}{}: {message}", FieldPart(field.as_deref()))]
    Record {
        /// The file.
        file: PathBuf,
        /// The 1-based line (1 is the header).
        line: u64,
        /// The column concerned, if one.
        field: Option<String>,
        /// What is wrong, and what was expected.
        message: String,
    },
    /// A file could not be read (the message names the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// An AED register could not be read (the message names file, line and field).
    #[error(transparent)]
    Aed(#[from] leefbaar_aed::AedError),
    /// The bundle's catalogue, or the entries generated from its manifest, are not valid.
    #[error(transparent)]
    Catalogue(#[from] leefbaar_indicators::CatalogueError),
    /// The reach engine refused its inputs.
    #[error("preparing reach: {0}")]
    Network(#[from] leefbaar_network::NetworkError),
    /// The projection could not be set up or run.
    #[error("projecting the population from {dir}: {source}")]
    Projection {
        /// The projection's input folder.
        dir: PathBuf,
        /// What went wrong (boxed: it is large, and rare).
        source: Box<leefbaar_projection::ProjectionError>,
    },
    /// The citizens' panel could not be read or weighted.
    #[error(transparent)]
    Survey(#[from] SurveyError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] leefbaar_store::StoreError),
    /// A hospital scenario names a hospital the bundle lacks.
    #[error("no hospital `{0}`")]
    UnknownHospital(String),
    /// The bundle and the options do not fit together (e.g. a province the bundle lacks).
    #[error("{0}")]
    Bundle(String),
}

/// `, field `x`` when there is a field.
struct FieldPart<'a>(Option<&'a str>);

impl fmt::Display for FieldPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(field) => write!(f, ", field `{field}`"),
            None => Ok(()),
        }
    }
}

/// A record problem in `file` at `line`.
pub(crate) fn record(
    file: &std::path::Path,
    line: u64,
    field: Option<&str>,
    message: impl Into<String>,
) -> MonitorError {
    MonitorError::Record {
        file: file.to_owned(),
        line,
        field: field.map(str::to_owned),
        message: message.into(),
    }
}

/// A panel could not be read or weighted; nothing is published.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SurveyError {
    /// A file is malformed.
    #[error(transparent)]
    Import(#[from] leefbaar_survey::ImportError),
    /// The margins cannot be met.
    #[error("weighting the panel: {0}")]
    Rake(#[from] leefbaar_survey::RakeError),
    /// The weights cannot be used for estimates.
    #[error("estimating from the panel: {0}")]
    Estimate(#[from] leefbaar_survey::EstimateError),
}
