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
