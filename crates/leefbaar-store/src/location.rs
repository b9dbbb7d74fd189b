//! [`StoreLocation`]: where a store lives, chosen by what the user wrote — a file path for the
//! embedded SQLite store, a `postgres://` URL for a shared PostgreSQL database.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{SqliteStore, Store, StoreError};

/// Where a store lives.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// An SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its connection URL (which may hold a password: it is never
    /// printed; see [`StoreLocation`]'s `Display`).
    Postgres(String),
}

impl StoreLocation {
    /// A `postgres://` or `postgresql://` URL names a PostgreSQL database; anything else is the
    /// path of an SQLite file.
    pub fn parse(text: &str) -> StoreLocation {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            StoreLocation::Postgres(text.to_owned())
        } else {
            StoreLocation::Sqlite(PathBuf::from(text))
        }
    }

    /// Opens the store for reading and writing, creating and migrating it as needed.
    pub fn open(&self) -> Result<Box<dyn Store + Send>, StoreError> {
        match self {
            StoreLocation::Sqlite(path) => Ok(Box::new(SqliteStore::open(path)?)),
            #[cfg(feature = "postgres")]
            StoreLocation::Postgres(url) => Ok(Box::new(crate::PgStore::connect(url)?)),
            #[cfg(not(feature = "postgres"))]
            StoreLocation::Postgres(_) => Err(StoreError::NoPostgres {
                location: self.to_string(),
            }),
        }
    }

    /// Whether there is a store to read: the file exists (a database server is asked only
    /// when connecting, so a URL always counts as present).
    pub fn exists(&self) -> bool {
        match self {
            StoreLocation::Sqlite(path) => path.is_file(),
            StoreLocation::Postgres(_) => true,
        }
    }

    /// The SQLite file's directory, where prepared road graphs are cached beside the store;
    /// `None` for a database server.
    pub fn directory(&self) -> Option<&Path> {
        match self {
            StoreLocation::Sqlite(path) => Some(
                path.parent()
                    .filter(|parent| !parent.as_os_str().is_empty())
                    .unwrap_or(Path::new(".")),
            ),
            StoreLocation::Postgres(_) => None,
        }
    }
}

impl From<PathBuf> for StoreLocation {
    fn from(path: PathBuf) -> StoreLocation {
        StoreLocation::Sqlite(path)
    }
}

impl From<&PathBuf> for StoreLocation {
    fn from(path: &PathBuf) -> StoreLocation {
        StoreLocation::Sqlite(path.clone())
    }
}

impl From<&Path> for StoreLocation {
    fn from(path: &Path) -> StoreLocation {
        StoreLocation::Sqlite(path.to_owned())
    }
}

/// The path, or the URL without its password.
impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Sqlite(path) => write!(f, "{}", path.display()),
            #[cfg(feature = "postgres")]
            StoreLocation::Postgres(url) => f.write_str(&crate::postgres::describe(url)),
            #[cfg(not(feature = "postgres"))]
            StoreLocation::Postgres(_) => f.write_str("postgres://…"),
        }
    }
}

impl fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreLocation({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_postgres_and_anything_else_a_file() {
        assert_eq!(
            StoreLocation::parse("postgresql://u@h/d"),
            StoreLocation::Postgres("postgresql://u@h/d".to_owned())
        );
        assert_eq!(
            StoreLocation::parse("data/leefbaar.sqlite"),
            StoreLocation::Sqlite(PathBuf::from("data/leefbaar.sqlite"))
        );
        assert_eq!(
            StoreLocation::parse("leefbaar.sqlite").directory(),
            Some(Path::new("."))
        );
        assert_eq!(StoreLocation::parse("postgres://u@h/d").directory(), None);
    }
}
