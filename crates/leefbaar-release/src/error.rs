//! Errors of building and writing a release.

use std::path::PathBuf;

/// Why a release could not be built or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReleaseError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] leefbaar_store::StoreError),
    /// The store records no import, so there is nothing to name or date a release by.
    #[error(
        "the store records no import of a bundle; a release is named and dated by its import (run `leefbaar import` or `leefbaar demo` first)"
    )]
    NoImport,
    /// A stored boundary is not valid GeoJSON.
    #[error("the boundary of area {area} is not valid GeoJSON: {detail}")]
    BadBoundary {
        /// The area code.
        area: String,
        /// What the JSON parser said.
        detail: String,
    },
    /// A table could not be written as CSV.
    #[error("writing {path}: {source}")]
    Csv {
        /// The file inside the release.
        path: String,
        /// What went wrong.
        #[source]
        source: csv::Error,
    },
    /// A table could not be written as Parquet.
    #[error("writing {path}: {source}")]
    Parquet {
        /// The file inside the release.
        path: String,
        /// What went wrong.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// The archive could not be written.
    #[error("writing the zip archive, at {path}: {source}")]
    Zip {
        /// The file being added.
        path: String,
        /// What went wrong.
        #[source]
        source: zip::result::ZipError,
    },
    /// A file could not be read or written (`fs_err` names the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The target directory is not empty.
    #[error("{} is not empty; a release is written into an empty directory", path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
}
