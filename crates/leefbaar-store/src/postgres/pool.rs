//! [`PgReadPool`]: the server's read-only connections to one PostgreSQL database.

use crate::pool::ReadPool;
use crate::{PgStore, StoreError};

/// Read-only connections to one PostgreSQL database (see [`ReadPool`]).
pub type PgReadPool = ReadPool<PgStore>;

impl ReadPool<PgStore> {
    /// Opens `size` read-only connections (at least one) to a migrated database at `url`, and
    /// starts the watcher that keeps the latest import's key in memory
    /// ([`ReadPool::watched_import_key`]; `postgres/watch.rs`).
    pub fn connect(url: &str, size: usize) -> Result<PgReadPool, StoreError> {
        let pool = ReadPool::from_connections(size, || PgStore::connect_read_only(url))?;
        let watched = super::watch::start(url, &super::describe(url))?;
        Ok(pool.with_watched_import_key(watched))
    }
}
