//! Shared by the server's test binaries: a store built from the real bundled Drenthe data the
//! way `leefbaar import` builds it, and the application state read from it.

use std::path::PathBuf;
use std::sync::Arc;

use leefbaar_server::AppState;
use leefbaar_store::{ImportBatch, SqliteReadPool, SqliteStore, Store as _};

/// A path relative to the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The bundled data imported into a fresh store in a temporary directory (kept alive by the
/// returned guard), with a fixed import date so snapshots are stable.
pub fn bundled_state() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leefbaar.sqlite");
    let mut bundle =
        leefbaar_ingest::load_manifest(&repo_path("data/drenthe/manifest.toml")).unwrap();
    for source in &mut bundle.sources {
        "2026-01-01T00:00:00Z".clone_into(&mut source.imported_at);
    }
    let catalogue =
        leefbaar_indicators::parse_catalogue(leefbaar_indicators::DEFAULT_CATALOGUE).unwrap();
    let computed = leefbaar_indicators::compute(&catalogue, &bundle.areas, &bundle.facts);
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .import(&ImportBatch {
            sources: bundle.sources,
            areas: bundle.areas,
            indicators: catalogue.indicators().to_vec(),
            observations: computed.observations,
            postcodes: bundle.postcodes,
        })
        .unwrap();
    drop(store);
    let pool = SqliteReadPool::open(&path, 2).unwrap();
    (dir, AppState::load(Arc::new(pool)).unwrap())
}
