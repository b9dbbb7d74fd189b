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
    /// The directory for a new database file could not be created.
    #[error("store: {0}")]
    Io(#[from] std::io::Error),
    /// A read-only open found a database that still needs migrating (or no schema at all).
    #[error(
        "store {path} has schema version {found}, this Leefbaar needs {known}; open it once for writing (e.g. by importing) to migrate it"
    )]
    SchemaTooOld {
        /// The database file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The version this build needs.
        known: i64,
    },
    /// The database was written by a newer Leefbaar.
    #[error(
        "store {path} has schema version {found}, this Leefbaar knows up to {known}; upgrade Leefbaar"
    )]
    SchemaTooNew {
        /// The database file.
        path: PathBuf,
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// A migration would leave the database inconsistent; it was rolled back.
    #[error("store {path}: migration to schema version {version} refused: {message}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The version the migration leads to.
        version: i64,
        /// What is wrong.
        message: String,
    },
    /// A query failed.
    #[error("store query failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL database could not be reached.
    #[cfg(feature = "postgres")]
    #[error("store {location}: {source}")]
    Connect {
        /// The database, without its password.
        location: String,
        /// What the client said.
        #[source]
        source: postgres::Error,
    },
    /// The thread that follows a PostgreSQL database's imports could not be started.
    #[cfg(feature = "postgres")]
    #[error("store {location}: cannot start the import watcher: {source}")]
    Watch {
        /// The database, without its password.
        location: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A PostgreSQL query failed.
    #[cfg(feature = "postgres")]
    #[error("store query failed: {}", postgres_detail(.0))]
    Postgres(#[from] postgres::Error),
    /// This build has no PostgreSQL backend (built without the `postgres` feature).
    #[error(
        "store {location}: this Leefbaar was built without PostgreSQL support (cargo feature `postgres`)"
    )]
    NoPostgres {
        /// The database, as given.
        location: String,
    },
    /// A stored row could not be read back into a model type (a corrupt or foreign database).
    #[error("store holds an invalid {what}: {detail}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A batch holds a value the store cannot represent faithfully; nothing was written.
    #[error("cannot store {what} `{id}`: {reason}")]
    Unstorable {
        /// The kind of thing (observation, source row).
        what: &'static str,
        /// Which one.
        id: String,
        /// Why not.
        reason: &'static str,
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

/// The server's own message of a database error (the client's `Display` says only "db error").
#[cfg(feature = "postgres")]
fn postgres_detail(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => error.to_string(),
    }
}
