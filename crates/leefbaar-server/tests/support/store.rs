//! Shared by the server's test binaries: a store built from the real bundled Drenthe data by
//! the library pipeline `leefbaar import` runs (`leefbaar_monitor::import_bundle`), and the
//! application state read from it with the monitors `leefbaar serve` prepares.

use std::path::PathBuf;
use std::sync::Arc;

use leefbaar_monitor::{ImportOptions, Monitors, PrepareOptions, import_bundle};
use leefbaar_server::{AppState, HttpSettings, StatePool};
use leefbaar_store::{PgReadPool, PgStore, SqliteReadPool, StoreLocation};

/// A path relative to the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The bundled data imported into a fresh store in a temporary directory (kept alive by the
/// returned guard), with a fixed import date so snapshots are stable, and its monitors (reach
/// by straight line, the projection with 200 bootstrap runs) prepared as `leefbaar serve`
/// prepares them.
///
/// With `LEEFBAAR_TEST_POSTGRES` set (a throw-away database, as `.ci/run` starts one), the
/// store is a schema of its own in that PostgreSQL database instead of an SQLite file: the same
/// tests and snapshots then check that both backends serve byte-identical responses.
///
/// It is built on a thread of its own: the PostgreSQL client runs its own small runtime, which
/// may not start inside the async test that first asks for the state.
pub fn bundled_state() -> (tempfile::TempDir, AppState) {
    std::thread::spawn(build_bundled_state).join().unwrap()
}

fn build_bundled_state() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let location = match std::env::var("LEEFBAAR_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
    {
        Some(url) => {
            let schema = format!(
                "server_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            StoreLocation::Postgres(PgStore::create_schema(&url, &schema).unwrap())
        }
        None => StoreLocation::Sqlite(dir.path().join("leefbaar.sqlite")),
    };
    let mut options = ImportOptions::new(repo_path("data/drenthe/manifest.toml"), location.clone());
    options.cache_dir = Some(dir.path().to_path_buf());
    import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {}).unwrap();
    let pool: Arc<dyn StatePool> = match &location {
        StoreLocation::Sqlite(path) => Arc::new(SqliteReadPool::open(path, 2).unwrap()),
        StoreLocation::Postgres(url) => Arc::new(PgReadPool::connect(url, 2).unwrap()),
    };
    let mut record = None;
    pool.with_store(&mut |store| record = Some(store.latest_import().unwrap()));
    let record = record.unwrap();
    let monitors = Monitors::prepare(
        record,
        "Drenthe",
        &PrepareOptions {
            cache_dir: dir.path().to_path_buf(),
            projection_runs: 200,
        },
    );
    assert!(monitors.left_out.is_empty(), "{:?}", monitors.left_out);
    // A test machine is slower than a server and shared with builds: the first request for the
    // data release builds it (a debug build, every indicator's Parquet) and may take longer than
    // the 30 s a request gets in production, whose limit `tests/http.rs` checks on its own.
    let settings = HttpSettings {
        request_timeout: std::time::Duration::from_mins(10),
        ..HttpSettings::default()
    };
    let state = AppState::load(pool)
        .unwrap()
        .with_monitors(monitors)
        .with_http(settings);
    (dir, state)
}
