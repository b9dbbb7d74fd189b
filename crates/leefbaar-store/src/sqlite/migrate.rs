//! Versioned schema migrations, recorded in SQLite's `PRAGMA user_version`.
//!
//! Each migration is a SQL file under `src/migrations/NNNN_name.sql`, compiled into the binary,
//! and applied in its own transaction together with the version stamp, so a crash mid-way
//! leaves the file at the previous version rather than half-migrated. `user_version` lives in
//! the database header: no bookkeeping table can disagree with it.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// One step of the schema.
pub(crate) struct Migration {
    /// The version the database has after this step; versions count up from 1.
    pub(crate) version: i64,
    /// The file name under `src/migrations/`.
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "read by the test that every migration file is listed"
        )
    )]
    pub(crate) file: &'static str,
    /// The SQL.
    pub(crate) sql: &'static str,
    /// Whether the step rebuilds a large table, so that upgrading a store leaves the old
    /// table's pages free inside the file; they are given back by a VACUUM after the step.
    pub(crate) vacuum_after: bool,
}

/// All migrations, oldest first. Append only: a released migration is never edited.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        file: "0001_initial.sql",
        sql: include_str!("../migrations/0001_initial.sql"),
        vacuum_after: false,
    },
    Migration {
        version: 2,
        file: "0002_postcodes.sql",
        sql: include_str!("../migrations/0002_postcodes.sql"),
        vacuum_after: false,
    },
    Migration {
        version: 3,
        file: "0003_notes.sql",
        sql: include_str!("../migrations/0003_notes.sql"),
        vacuum_after: true,
    },
    Migration {
        version: 4,
        file: "0004_imports.sql",
        sql: include_str!("../migrations/0004_imports.sql"),
        vacuum_after: false,
    },
    Migration {
        version: 5,
        file: "0005_postcode_areas_and_places.sql",
        sql: include_str!("../migrations/0005_postcode_areas_and_places.sql"),
        vacuum_after: true,
    },
    Migration {
        version: 6,
        file: "0006_factsheet_flags.sql",
        sql: include_str!("../migrations/0006_factsheet_flags.sql"),
        vacuum_after: false,
    },
    Migration {
        version: 7,
        file: "0007_factsheet_sheet.sql",
        sql: include_str!("../migrations/0007_factsheet_sheet.sql"),
        vacuum_after: false,
    },
];

/// The schema version this build writes and reads.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// The `user_version` of the database.
pub(crate) fn version(connection: &Connection) -> rusqlite::Result<i64> {
    connection.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn too_new(path: &Path, found: i64) -> StoreError {
    StoreError::SchemaTooNew {
        path: path.to_owned(),
        found,
        known: SCHEMA_VERSION,
    }
}

/// Brings the database to [`SCHEMA_VERSION`], or refuses one from a newer build.
pub(crate) fn migrate(connection: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let open_error = |source| StoreError::Open {
        path: path.to_owned(),
        source,
    };
    let found = version(connection).map_err(open_error)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(path, found));
    }
    let mut vacuum = false;
    for migration in MIGRATIONS.iter().filter(|m| m.version > found) {
        // IMMEDIATE takes the write lock before reading the version again, so two processes
        // opening a new file at once apply each migration exactly once.
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(open_error)?;
        let current = version(&transaction).map_err(open_error)?;
        if current > SCHEMA_VERSION {
            return Err(too_new(path, current));
        }
        if current >= migration.version {
            continue;
        }
        transaction
            .execute_batch(migration.sql)
            .map_err(open_error)?;
        // Migrations run with foreign keys off, so that a table others refer to can be
        // rebuilt; what they leave must still satisfy every reference.
        let violations: i64 = transaction
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .map_err(open_error)?;
        if violations > 0 {
            return Err(StoreError::Migration {
                path: path.to_owned(),
                version: migration.version,
                message: format!("{violations} rows would refer to rows that are not there"),
            });
        }
        transaction
            .pragma_update(None, "user_version", migration.version)
            .and_then(|()| transaction.commit())
            .map_err(open_error)?;
        // A new file (version 0) has nothing to give back.
        vacuum |= migration.vacuum_after && found > 0;
    }
    if vacuum {
        // Without it an upgraded store keeps the rebuilt table's old pages as free space (the
        // Drenthe demo grew from 39 to 56 MB instead of shrinking to 23 MB). VACUUM cannot run
        // inside a transaction, so it follows the committed steps; if it fails, the store is
        // migrated all the same, only larger than it need be, and the error is reported.
        connection.execute_batch("VACUUM").map_err(open_error)?;
    }
    Ok(())
}

/// Checks that a database opened read-only has exactly this build's schema.
pub(crate) fn check(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = version(connection).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    match found.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Greater => Err(too_new(path, found)),
        std::cmp::Ordering::Less => Err(StoreError::SchemaTooOld {
            path: path.to_owned(),
            found,
            known: SCHEMA_VERSION,
        }),
        std::cmp::Ordering::Equal => Ok(()),
    }
}
