//! `leefbaar serve`: the dashboard and the read-only API over the store.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use leefbaar_server::AppState;
use leefbaar_store::{SqliteReadPool, SqliteStore, StoreError};

use crate::cli::{GlobalArgs, ListenArgs, ServeArgs};
use crate::paths;

pub fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<()> {
    let store_path = paths::data_dir(global.data_dir.as_deref()).join(paths::STORE_FILE);
    serve(&store_path, &args.listen, Some(&args.network))
}

/// Read connections: enough to keep both cores and the blocking pool busy.
const READERS: usize = 8;

/// Serves the store; `reach` (`None`: without the reach routes) says how the reach model is
/// measured.
pub fn serve(
    store_path: &Path,
    listen: &ListenArgs,
    reach: Option<&crate::reach::NetworkArgs>,
) -> anyhow::Result<()> {
    if !store_path.exists() {
        anyhow::bail!(
            "there is no store at {}: unable to open database",
            store_path.display()
        );
    }
    let pool = open_pool(store_path)?;
    let state = AppState::load(Arc::new(pool))
        .with_context(|| format!("reading {}", store_path.display()))?;
    let state = crate::survey::with_bundled_panel(state);
    let state = crate::reach::with_bundled_reach(state, reach, store_path);
    let state = crate::project::with_bundled_projection(state);
    let app = leefbaar_server::router(state);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let address = format!("{}:{}", listen.host, listen.port);
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .with_context(|| format!("listening on {address}"))?;
        let bound = listener.local_addr()?;
        // The e2e tests read the bound address from this line; keep its shape.
        tracing::info!("listening on http://{bound}/");
        println!("Leefbaar serves the monitor at http://{bound}/ (Ctrl-C stops)");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("serving")
    })
}

/// The read pool over `store_path`, after upgrading a store written by an older Leefbaar: the
/// read-only connections cannot migrate it, so it is opened once for writing (each migration is
/// a transaction) and then pooled.
fn open_pool(store_path: &Path) -> anyhow::Result<SqliteReadPool> {
    match SqliteReadPool::open(store_path, READERS) {
        Err(StoreError::SchemaTooOld { found, known, .. }) => {
            SqliteStore::open(store_path).with_context(|| {
                format!(
                    "upgrading the store {} from schema {found} to {known}",
                    store_path.display()
                )
            })?;
            tracing::info!(found, known, "upgraded the store's schema");
            SqliteReadPool::open(store_path, READERS)
        }
        opened => opened,
    }
    .with_context(|| format!("opening the store {}", store_path.display()))
}

#[cfg(test)]
mod tests {
    use leefbaar_store::Store as _;

    use super::*;

    /// A store of schema version 2 (before notes had their own table), as an older Leefbaar
    /// left it, with one observation.
    fn old_store(path: &Path) {
        let connection = rusqlite::Connection::open(path).unwrap();
        connection
            .execute_batch(include_str!(
                "../../leefbaar-store/src/migrations/0001_initial.sql"
            ))
            .unwrap();
        connection
            .execute_batch(include_str!(
                "../../leefbaar-store/src/migrations/0002_postcodes.sql"
            ))
            .unwrap();
        connection.pragma_update(None, "user_version", 2).unwrap();
    }

    #[test]
    fn serving_an_older_store_upgrades_it_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("leefbaar.sqlite");
        old_store(&path);
        assert!(matches!(
            SqliteReadPool::open(&path, 1),
            Err(StoreError::SchemaTooOld { found: 2, .. })
        ));
        let pool = open_pool(&path).unwrap();
        let store = pool.checkout();
        assert!(store.indicators().unwrap().is_empty());
        let current = SqliteStore::open_in_memory()
            .unwrap()
            .schema_version()
            .unwrap();
        assert_eq!(
            SqliteStore::open(&path).unwrap().schema_version().unwrap(),
            current
        );
    }
}
