//! Errors of the reach engine: each names the file, and where it applies the record.

use std::path::PathBuf;

/// What went wrong while reading a road network, a cache file or input records.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// The file could not be opened or read (the `fs_err` message names the path).
    #[error("{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a readable OpenStreetMap PBF file (truncated, or another format).
    #[error("{}: not a readable OpenStreetMap PBF file: {message}", path.display())]
    Pbf {
        /// The file.
        path: PathBuf,
        /// What the PBF reader reported.
        message: String,
    },
    /// The file was read but holds no road usable by the profile.
    #[error("{}: no {profile} roads found", path.display())]
    NoRoads {
        /// The file.
        path: PathBuf,
        /// The profile (`car`, `bicycle`, `foot`).
        profile: String,
    },
    /// A cache file is damaged, from another version, or not a cache file.
    #[error("{}: not a usable network cache: {reason}", path.display())]
    BadCache {
        /// The file.
        path: PathBuf,
        /// Why it was rejected.
        reason: String,
    },
    /// A record has a coordinate that is missing, not a number or outside WGS84 ranges.
    #[error("{what} `{record}`: bad coordinate lon={lon}, lat={lat}")]
    BadCoordinate {
        /// `origin` or `facility`.
        what: &'static str,
        /// The record's id.
        record: String,
        /// The longitude given.
        lon: f64,
        /// The latitude given.
        lat: f64,
    },
    /// A scenario names a facility that does not exist.
    #[error("scenario: no facility `{id}` of kind `{kind}`")]
    UnknownFacility {
        /// The kind searched.
        kind: String,
        /// The id given.
        id: String,
    },
}
