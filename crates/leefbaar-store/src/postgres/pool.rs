//! [`PgReadPool`]: the server's read-only connections to one PostgreSQL database.

use crate::pool::ReadPool;
use crate::{PgStore, StoreError};

/// Read-only connections to one PostgreSQL database (see [`ReadPool`]).
pub type PgReadPool = ReadPool<PgStore>;

impl ReadPool<PgStore> {
    /// Opens `size` read-only connections (at least one) to a migrated database at `url`.
    pub fn connect(url: &str, size: usize) -> Result<PgReadPool, StoreError> {
        ReadPool::from_connections(size, || PgStore::connect_read_only(url))
    }
}
