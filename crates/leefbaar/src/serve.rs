//! `leefbaar serve`: the dashboard and the read-only API over the store, with the live models
//! (reach scenarios, the projection, the citizens' panel) prepared from exactly the bundle the
//! store was imported from.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use leefbaar_monitor::{Monitors, PrepareOptions};
use leefbaar_server::{AppState, HttpSettings, StatePool};
use leefbaar_store::{
    AreaFilter, PgReadPool, PgStore, SqliteReadPool, SqliteStore, StoreError, StoreLocation,
};

use crate::cli::{ListenArgs, ServeArgs};
use crate::global::GlobalArgs;
use crate::paths;

pub fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<()> {
    serve(
        &paths::store(global),
        &paths::data_dir(global.data_dir.as_deref()),
        &args.listen,
    )
}

/// Bootstrap runs of the served projection's interval (the command line's default is 1,000;
/// 200 keep the server's start short and the band within a few hundred persons of it).
const PROJECTION_RUNS: usize = 200;

/// Read connections: enough to keep both cores and the blocking pool busy.
const READERS: usize = 8;

/// Serves the store; prepared models are cached in `cache_dir`.
pub fn serve(store: &StoreLocation, cache_dir: &Path, listen: &ListenArgs) -> anyhow::Result<()> {
    if !store.exists() {
        anyhow::bail!("there is no store at {store}: unable to open database");
    }
    let pool = open_pool(store)?;
    let monitors = prepare_monitors(pool.as_ref(), cache_dir)?;
    let state = AppState::load(pool).with_context(|| format!("reading {store}"))?;
    let state = state
        .with_monitors(monitors)
        .with_http(http_settings(listen));
    // The peer's address reaches the rate limit through `ConnectInfo`.
    let app = leefbaar_server::router(state)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
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
        // Stops accepting on SIGINT or SIGTERM and lets the requests in flight finish.
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// The command line's limits as the server's settings.
fn http_settings(listen: &ListenArgs) -> HttpSettings {
    HttpSettings {
        rate_limit_per_second: listen.rate_limit,
        rate_burst: listen.rate_burst,
        request_timeout: std::time::Duration::from_secs(listen.request_timeout),
        trust_forwarded_for: listen.trust_forwarded_for,
        response_cache_bytes: listen.cache_mb.saturating_mul(1024 * 1024),
        ..HttpSettings::default()
    }
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM (what systemd and container runtimes send).
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// The monitors of the store's bundle; what cannot be prepared is logged with its reason and
/// left out (the server serves everything else).
fn prepare_monitors(pool: &dyn StatePool, cache_dir: &Path) -> anyhow::Result<Monitors> {
    let mut read = None;
    pool.with_store(&mut |store| {
        read = Some((|| -> Result<_, StoreError> {
            let record = store.latest_import()?;
            let name = match &record {
                Some(record) => store
                    .areas(&AreaFilter {
                        codes: vec![record.province.clone()],
                        ..AreaFilter::default()
                    })?
                    .first()
                    .map_or_else(|| record.province.to_string(), |area| area.name.clone()),
                None => String::new(),
            };
            Ok((record, name))
        })());
    });
    let (record, province_name) = read.expect("with_store runs the closure")?;
    let started = std::time::Instant::now();
    let monitors = Monitors::prepare(
        record,
        &province_name,
        &PrepareOptions {
            cache_dir: cache_dir.to_path_buf(),
            projection_runs: PROJECTION_RUNS,
        },
    );
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "monitors prepared"
    );
    for left_out in &monitors.left_out {
        tracing::warn!("serving without {}: {}", left_out.what, left_out.reason.en);
    }
    Ok(monitors)
}

/// The read pool over the store. An SQLite file written by an older Leefbaar is upgraded first:
/// the read-only connections cannot migrate it, so it is opened once for writing (each
/// migration is a transaction) and then pooled. A PostgreSQL database is connected to once for
/// writing only when it still needs migrating (under an advisory lock, so instances starting
/// together agree).
fn open_pool(store: &StoreLocation) -> anyhow::Result<Arc<dyn StatePool>> {
    match store {
        StoreLocation::Sqlite(path) => Ok(Arc::new(open_sqlite_pool(path)?)),
        StoreLocation::Postgres(url) => {
            // Read-only first, so that a read replica (which refuses every write) serves too.
            let pool = match PgReadPool::connect(url, READERS) {
                Err(StoreError::SchemaTooOld { .. }) => {
                    PgStore::connect(url)
                        .with_context(|| format!("migrating the store {store}"))?;
                    PgReadPool::connect(url, READERS)
                }
                opened => opened,
            }
            .with_context(|| format!("opening the store {store}"))?;
            Ok(Arc::new(pool))
        }
    }
}

fn open_sqlite_pool(store_path: &Path) -> anyhow::Result<SqliteReadPool> {
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
        let pool = open_sqlite_pool(&path).unwrap();
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
