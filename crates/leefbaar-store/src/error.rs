//! Errors of the store.

use std::path::PathBuf;

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file could not be opened or migrated.
    #[error("store {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer Leefbaar.
    #[error("store {path} has schema version {found}, this Leefbaar knows up to {known}; upgrade Leefbaar")]
    SchemaTooNew {
        /// The database file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A query failed.
    #[error("store query failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored row could not be read back into a model type (a corrupt or foreign database).
    #[error("store holds an invalid {what}: {detail}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A batch refers to something that is neither in the batch nor in the store.
    #[error("import refers to unknown {what} `{id}`")]
    UnknownReference {
        /// The kind of thing (area, indicator, source).
        what: &'static str,
        /// Its id.
        id: String,
    },
}
