//! Tests of [`PgStore`] beyond the contract every backend keeps (`crate::contract`), and the
//! per-test databases the contract tests use: a schema of its own for each test, in the
//! throw-away database `LEEFBAAR_TEST_POSTGRES` names.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{PgReadPool, PgStore};
use crate::contract::{TestStore, drenthe_batch, row_counts};
use crate::{AreaFilter, Store, StoreError};

/// The database the PostgreSQL tests use, if the environment names one.
pub(crate) fn database_url() -> Option<String> {
    std::env::var("LEEFBAAR_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The URL of a new, empty schema in the test database.
pub(crate) fn fresh_schema() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = database_url().expect("LEEFBAAR_TEST_POSTGRES is set");
    let schema = format!(
        "test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    PgStore::create_schema(&url, &schema).unwrap()
}

/// A new, empty, migrated store in a schema of its own.
pub(crate) fn fresh_store() -> PgStore {
    PgStore::connect(&fresh_schema()).unwrap()
}

impl TestStore for PgStore {
    fn count_rows(&self, table: &str) -> i64 {
        self.client
            .borrow_mut()
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .unwrap()
            .get(0)
    }

    fn note_texts(&self) -> Vec<String> {
        self.client
            .borrow_mut()
            .query("SELECT text FROM notes ORDER BY text", &[])
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect()
    }
}

/// Skips a test when no database is named (the contract tests have run on SQLite).
macro_rules! needs_database {
    () => {
        if database_url().is_none() {
            return;
        }
    };
}

#[test]
fn ci_runs_the_postgres_tests_against_a_database() {
    // `.ci/run` starts a cluster and sets the variable; without it every PostgreSQL test
    // above would pass without having run.
    if std::env::var_os("LEEFBAAR_CI_POSTGRES").is_some() {
        assert!(
            database_url().is_some(),
            "LEEFBAAR_CI_POSTGRES is set but LEEFBAAR_TEST_POSTGRES is not"
        );
    }
}

#[test]
fn connecting_twice_migrates_once_and_keeps_the_data() {
    needs_database!();
    let url = fresh_schema();
    let mut store = PgStore::connect(&url).unwrap();
    store.import(&drenthe_batch()).unwrap();
    let before = row_counts(&store);
    drop(store);
    let again = PgStore::connect(&url).unwrap();
    assert_eq!(row_counts(&again), before);
    assert_eq!(again.schema_version().unwrap(), PgStore::SCHEMA_VERSION);
}

#[test]
fn a_database_stamped_with_a_future_version_is_refused() {
    needs_database!();
    let url = fresh_schema();
    let store = PgStore::connect(&url).unwrap();
    store
        .execute_for_tests("UPDATE leefbaar_schema SET version = 99")
        .unwrap();
    let outcome = PgStore::connect(&url);
    assert!(
        matches!(outcome, Err(StoreError::SchemaTooNew { found: 99, .. })),
        "{outcome:?}"
    );
    let outcome = PgStore::connect_read_only(&url);
    assert!(
        matches!(outcome, Err(StoreError::SchemaTooNew { found: 99, .. })),
        "{outcome:?}"
    );
}

#[test]
fn a_read_only_connection_to_an_empty_database_asks_for_a_migration() {
    needs_database!();
    let outcome = PgStore::connect_read_only(&fresh_schema());
    assert!(
        matches!(outcome, Err(StoreError::SchemaTooOld { found: 0, .. })),
        "{outcome:?}"
    );
}

#[test]
fn pooled_connections_read_but_cannot_write() {
    needs_database!();
    let url = fresh_schema();
    PgStore::connect(&url)
        .unwrap()
        .import(&drenthe_batch())
        .unwrap();
    let pool = PgReadPool::connect(&url, 2).unwrap();
    let areas = pool.with(|store| store.areas(&AreaFilter::default()).unwrap());
    assert_eq!(areas.len(), 8);
    let written = pool.with(|store| store.execute_for_tests("DELETE FROM sources"));
    let error = written.unwrap_err();
    assert!(
        error.to_string().contains("read-only")
            || error
                .as_db_error()
                .is_some_and(|db| db.message().contains("read-only")),
        "{error:?}"
    );
}

#[test]
fn a_password_never_appears_in_the_description_of_a_database() {
    let described = super::describe("postgres://leefbaar:s3cret@db.example:5433/monitor");
    assert_eq!(described, "postgres://leefbaar@db.example:5433/monitor");
    assert!(!super::describe("postgres://u:s3cret@h/d?sslmode=disable").contains("s3cret"));
}

#[test]
fn an_unreachable_database_is_a_connect_error_naming_it_without_its_password() {
    let outcome = PgStore::connect("postgres://leefbaar:s3cret@127.0.0.1:1/none");
    let error = outcome.unwrap_err();
    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("postgres://leefbaar@127.0.0.1:1/none"),
        "{message}"
    );
    assert!(!message.contains("s3cret"), "{message}");
}

/// Waits up to `limit` for the pool's watcher to vouch for `expected`.
fn watched_becomes(pool: &PgReadPool, expected: Option<i64>, limit: std::time::Duration) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if pool.watched_import_key() == Some(crate::WatchedKey(expected)) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

/// The Drenthe batch recorded as an import of a bundle: what gives a new import key.
fn recorded_import() -> crate::ImportBatch {
    crate::ImportBatch {
        bundle: Some(crate::contract::bundle_import(
            "2024.1",
            "2026-01-01T00:00:00Z",
        )),
        ..drenthe_batch()
    }
}

#[test]
fn the_pool_hears_of_every_import_without_asking_for_its_key() {
    needs_database!();
    let url = fresh_schema();
    let mut writer = PgStore::connect(&url).unwrap();
    let pool = PgReadPool::connect(&url, 1).unwrap();
    let second = std::time::Duration::from_secs(1);
    assert!(
        watched_becomes(&pool, None, 3 * second),
        "no import yet: {:?}",
        pool.watched_import_key()
    );
    for _ in 0..2 {
        writer.import(&recorded_import()).unwrap();
        let key = writer.import_key().unwrap();
        assert!(key.is_some());
        // Well inside the heartbeat: the announcement, not the watcher's own reading, told it.
        assert!(
            watched_becomes(&pool, key, second),
            "import {key:?} not heard: {:?}",
            pool.watched_import_key()
        );
    }
}

#[test]
fn an_import_in_another_schema_of_the_database_is_not_taken_for_this_ones() {
    needs_database!();
    let (here, there) = (fresh_schema(), fresh_schema());
    let mut writer_here = PgStore::connect(&here).unwrap();
    writer_here.import(&recorded_import()).unwrap();
    let key_here = writer_here.import_key().unwrap();
    let pool = PgReadPool::connect(&here, 1).unwrap();
    assert!(watched_becomes(
        &pool,
        key_here,
        std::time::Duration::from_secs(3)
    ));
    let mut writer_there = PgStore::connect(&there).unwrap();
    for _ in 0..3 {
        writer_there.import(&recorded_import()).unwrap();
    }
    // Identity keys are per table, so the other schema's keys overlap this one's; what would
    // be wrong is any change at all.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(pool.watched_import_key(), Some(crate::WatchedKey(key_here)));
}

#[test]
fn a_watcher_whose_connection_is_killed_says_unknown_then_reconnects_and_hears_again() {
    needs_database!();
    let url = fresh_schema();
    let mut writer = PgStore::connect(&url).unwrap();
    writer.import(&recorded_import()).unwrap();
    let pool = PgReadPool::connect(&url, 1).unwrap();
    let second = std::time::Duration::from_secs(1);
    assert!(watched_becomes(
        &pool,
        writer.import_key().unwrap(),
        3 * second
    ));
    let schema: String = writer
        .client
        .borrow_mut()
        .query_one("SELECT current_schema()", &[])
        .unwrap()
        .get(0);
    let killed: Vec<bool> = writer
        .client
        .borrow_mut()
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&format!("{} {schema}", super::watch::APPLICATION_NAME)],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(killed, [true], "this pool's one watcher");
    let started = std::time::Instant::now();
    while pool.watched_import_key().is_some() && started.elapsed() < 2 * second {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(
        pool.watched_import_key(),
        None,
        "unknown once its connection is gone"
    );
    writer.import(&recorded_import()).unwrap();
    let key = writer.import_key().unwrap();
    // Until it is listening again it vouches for nothing, and the server asks the store; once
    // back, it has the import made while it was away.
    let limit = super::watch::HEARTBEAT + 4 * second;
    assert!(
        watched_becomes(&pool, key, limit),
        "after {limit:?}: {:?}, expected {key:?}",
        pool.watched_import_key()
    );
    writer.import(&recorded_import()).unwrap();
    assert!(watched_becomes(
        &pool,
        writer.import_key().unwrap(),
        2 * second
    ));
}
