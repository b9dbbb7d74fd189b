//! Every problem with AED inputs names its file and the line (CSV) or OSM node id, and the field.

use std::path::PathBuf;

/// An AED input that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum AedError {
    /// A file could not be opened or read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// An `.osm.pbf` file is not valid.
    #[error("{}: not a readable OpenStreetMap PBF file: {message}", path.display())]
    Pbf {
        /// The file.
        path: PathBuf,
        /// What the PBF reader said.
        message: String,
    },
    /// A record of a register CSV is wrong.
    #[error("{}, line {line}, field `{field}`: {message}", path.display())]
    Record {
        /// The file.
        path: PathBuf,
        /// Its line (1 is the header).
        line: u64,
        /// The column.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The road network could not be used.
    #[error(transparent)]
    Network(#[from] leefbaar_network::NetworkError),
}

/// A problem with one OpenStreetMap defibrillator that does not stop the reading: OSM data is
/// entered by many hands, so a bad tag leaves that tag unused and is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsmFinding {
    /// The file.
    pub path: PathBuf,
    /// `node/<id>`.
    pub osm: String,
    /// The tag.
    pub field: String,
    /// What is wrong and what was done.
    pub message: String,
}

impl std::fmt::Display for OsmFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {}, tag `{}`: {}",
            self.path.display(),
            self.osm,
            self.field,
            self.message
        )
    }
}
