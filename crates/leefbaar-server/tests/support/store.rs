//! Shared by the server's test binaries: a store built from the real bundled Drenthe data by
//! the library pipeline `leefbaar import` runs (`leefbaar_monitor::import_bundle`), and the
//! application state read from it with the monitors `leefbaar serve` prepares.

use std::path::PathBuf;
use std::sync::Arc;

use leefbaar_monitor::{ImportOptions, Monitors, PrepareOptions, import_bundle};
use leefbaar_server::AppState;
use leefbaar_store::SqliteReadPool;

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
pub fn bundled_state() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leefbaar.sqlite");
    let options = ImportOptions::new(repo_path("data/drenthe/manifest.toml"), &path);
    import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {}).unwrap();
    let pool = SqliteReadPool::open(&path, 2).unwrap();
    let record = pool.with(leefbaar_store::Store::latest_import).unwrap();
    let monitors = Monitors::prepare(
        record,
        "Drenthe",
        &PrepareOptions {
            cache_dir: dir.path().to_path_buf(),
            projection_runs: 200,
        },
    );
    assert!(monitors.left_out.is_empty(), "{:?}", monitors.left_out);
    let state = AppState::load(Arc::new(pool))
        .unwrap()
        .with_monitors(monitors);
    (dir, state)
}
