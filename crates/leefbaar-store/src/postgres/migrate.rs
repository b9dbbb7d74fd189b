//! Versioned schema migrations for PostgreSQL, recorded in the one-row table `leefbaar_schema`.
//!
//! PostgreSQL's DDL is transactional, so each migration and its version stamp commit together,
//! as in SQLite. Two instances starting at once against a new database take an advisory lock
//! first, so each migration is applied exactly once. The migrations are PostgreSQL's own
//! (`postgres/migrations/`): the SQLite history rebuilds tables in ways PostgreSQL does not need.

use postgres::Client;

use crate::StoreError;

/// All migrations, oldest first: (version, SQL). Append only.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_import_notify.sql")),
];

/// The schema version this build writes and reads.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The lock that serialises migrations between processes.
const MIGRATION_LOCK: i64 = 0x4c45_4546_0000;

/// The recorded version; 0 for a database Leefbaar has not written yet.
pub(crate) fn version(client: &mut Client) -> Result<i64, StoreError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('leefbaar_schema') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let row = client.query_opt("SELECT version FROM leefbaar_schema", &[])?;
    Ok(match row {
        Some(row) => row.try_get(0)?,
        None => 0,
    })
}

fn too_new(location: &str, found: i64) -> StoreError {
    StoreError::SchemaTooNew {
        path: location.into(),
        found,
        known: SCHEMA_VERSION,
    }
}

/// Brings the database to [`SCHEMA_VERSION`], or refuses one from a newer build.
pub(crate) fn migrate(client: &mut Client, location: &str) -> Result<(), StoreError> {
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    transaction.batch_execute(
        "CREATE TABLE IF NOT EXISTS leefbaar_schema (
             version BIGINT NOT NULL,
             only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row)
         )",
    )?;
    let found: i64 = match transaction.query_opt("SELECT version FROM leefbaar_schema", &[])? {
        Some(row) => row.try_get(0)?,
        None => 0,
    };
    if found > SCHEMA_VERSION {
        return Err(too_new(location, found));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(version, _)| *version > found) {
        transaction.batch_execute(sql)?;
        transaction.execute(
            "INSERT INTO leefbaar_schema (version) VALUES ($1)
             ON CONFLICT (only_row) DO UPDATE SET version = excluded.version",
            &[version],
        )?;
    }
    transaction.commit()?;
    Ok(())
}

/// Checks that a database opened read-only has exactly this build's schema.
pub(crate) fn check(client: &mut Client, location: &str) -> Result<(), StoreError> {
    let found = version(client)?;
    match found.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Greater => Err(too_new(location, found)),
        std::cmp::Ordering::Less => Err(StoreError::SchemaTooOld {
            path: location.into(),
            found,
            known: SCHEMA_VERSION,
        }),
        std::cmp::Ordering::Equal => Ok(()),
    }
}
