//! [`ReadPool`]: read-only store connections shared by the server's request handlers.
//!
//! A connection (SQLite's or PostgreSQL's) serves one thread at a time, and opening one per
//! request would cost a schema read or a network handshake each time. The pool keeps `size`
//! read-only connections and lends them out; a handler that finds none free waits on a
//! condition variable. Std only: the pool is small, connections are lent for the length of one
//! query, and a dependency would buy nothing. SQLite's WAL mode and PostgreSQL's MVCC let these
//! readers run while an import writes.

use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::{SqliteStore, StoreError};

/// A fixed set of read-only stores, `Send + Sync`, for sharing in an `Arc`.
#[derive(Debug)]
pub struct ReadPool<S> {
    size: usize,
    idle: Mutex<Vec<S>>,
    returned: Condvar,
    watched: Option<Arc<WatchedImportKey>>,
}

/// Read-only connections to one SQLite file.
///
/// ```
/// use leefbaar_store::{SqliteReadPool, SqliteStore, Store};
///
/// let directory = tempfile::tempdir().unwrap();
/// let path = directory.path().join("leefbaar.sqlite");
/// SqliteStore::open(&path).unwrap(); // creates and migrates the file
/// let pool = SqliteReadPool::open(&path, 4).unwrap();
/// let sources = pool.with(|store| store.sources()).unwrap();
/// assert!(sources.is_empty());
/// ```
pub type SqliteReadPool = ReadPool<SqliteStore>;

impl ReadPool<SqliteStore> {
    /// Opens `size` read-only connections (at least one) to an existing, migrated database.
    pub fn open(path: impl AsRef<Path>, size: usize) -> Result<SqliteReadPool, StoreError> {
        let path = path.as_ref();
        ReadPool::from_connections(size, || SqliteStore::open_read_only(path))
    }
}

impl<S> ReadPool<S> {
    /// A pool of `size` connections (at least one), each made by `connect`.
    pub(crate) fn from_connections(
        size: usize,
        connect: impl Fn() -> Result<S, StoreError>,
    ) -> Result<ReadPool<S>, StoreError> {
        let size = size.max(1);
        let idle = (0..size)
            .map(|_| connect())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ReadPool {
            size,
            idle: Mutex::new(idle),
            returned: Condvar::new(),
            watched: None,
        })
    }

    /// The pool with a key that a watcher (PostgreSQL's, `postgres/watch.rs`) keeps current.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn with_watched_import_key(mut self, watched: Arc<WatchedImportKey>) -> Self {
        self.watched = Some(watched);
        self
    }

    /// The latest import's key (`Store::import_key`) without a query, when this pool has a
    /// watcher that vouches for it now; `None` when it has none (SQLite, which answers the
    /// query in microseconds) or the watcher has lost its connection, and the caller asks the
    /// store.
    pub fn watched_import_key(&self) -> Option<WatchedKey> {
        self.watched.as_ref().and_then(|watched| watched.get())
    }

    /// The number of connections.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `f` with a connection, waiting until one is free.
    ///
    /// This blocks the thread; in an async server call it from `spawn_blocking`.
    pub fn with<R>(&self, f: impl FnOnce(&S) -> R) -> R {
        f(&self.checkout())
    }

    /// Borrows a connection until the guard is dropped, waiting until one is free.
    pub fn checkout(&self) -> PooledStore<'_, S> {
        let mut idle = self.lock();
        loop {
            if let Some(store) = idle.pop() {
                return PooledStore {
                    pool: self,
                    store: Some(store),
                };
            }
            idle = self
                .returned
                .wait(idle)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Borrows a connection if one is idle now, without waiting: for a query short enough to
    /// run on an async worker (the server's import key), which must never block it.
    pub fn try_checkout(&self) -> Option<PooledStore<'_, S>> {
        let store = self.lock().pop()?;
        Some(PooledStore {
            pool: self,
            store: Some(store),
        })
    }

    /// The idle list. The lock is held only to push or pop, never while a query runs, so a
    /// poisoned lock still guards a consistent list and is used as is.
    fn lock(&self) -> MutexGuard<'_, Vec<S>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    fn idle_count(&self) -> usize {
        self.lock().len()
    }
}

impl<S> Drop for ReadPool<S> {
    fn drop(&mut self) {
        if let Some(watched) = &self.watched {
            watched.stop();
        }
    }
}

/// A key a watcher vouches for: what `Store::import_key` would answer now (`None` before the
/// first import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchedKey(pub Option<i64>);

/// The latest import's key as a watcher last saw it, or "unknown" while it cannot vouch for it
/// (not yet connected, connection lost). One atomic, so a reader never sees a key together
/// with a stale "known".
#[derive(Debug)]
pub(crate) struct WatchedImportKey {
    key: AtomicI64,
    stopped: AtomicBool,
}

impl WatchedImportKey {
    /// Import keys are row ids from 1 up, so two values outside them mean "no import yet"
    /// and "unknown".
    const NO_IMPORT: i64 = 0;
    const UNKNOWN: i64 = i64::MIN;

    pub(crate) fn unknown() -> WatchedImportKey {
        WatchedImportKey {
            key: AtomicI64::new(Self::UNKNOWN),
            stopped: AtomicBool::new(false),
        }
    }

    pub(crate) fn get(&self) -> Option<WatchedKey> {
        match self.key.load(Ordering::Acquire) {
            Self::UNKNOWN => None,
            Self::NO_IMPORT => Some(WatchedKey(None)),
            key => Some(WatchedKey(Some(key))),
        }
    }

    pub(crate) fn set(&self, key: Option<i64>) {
        self.key
            .store(key.unwrap_or(Self::NO_IMPORT), Ordering::Release);
    }

    pub(crate) fn forget(&self) {
        self.key.store(Self::UNKNOWN, Ordering::Release);
    }

    /// Asks the watcher to end; it does at its next heartbeat.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.forget();
    }

    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }
}

/// A connection lent by [`ReadPool::checkout`]; it goes back to the pool on drop, also when
/// the borrower panics, so a failing handler does not shrink the pool.
#[derive(Debug)]
pub struct PooledStore<'pool, S> {
    pool: &'pool ReadPool<S>,
    // `Option` so that `drop` can move the store back; it is `Some` until then.
    store: Option<S>,
}

impl<S> Deref for PooledStore<'_, S> {
    type Target = S;
    fn deref(&self) -> &S {
        self.store
            .as_ref()
            .expect("a pooled store is present until dropped")
    }
}

impl<S> Drop for PooledStore<'_, S> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool.lock().push(store);
            self.pool.returned.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use leefbaar_model::AreaLevel;

    use super::*;
    use crate::contract::drenthe_batch;
    use crate::{AreaFilter, ObservationFilter, Store};

    fn pool_on_drenthe(size: usize) -> (tempfile::TempDir, SqliteReadPool) {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("leefbaar.sqlite");
        let mut store = SqliteStore::open(&path).unwrap();
        store.import(&drenthe_batch()).unwrap();
        // Closing the writer checkpoints the WAL; readers must cope with that too.
        drop(store);
        let pool = SqliteReadPool::open(&path, size).unwrap();
        (directory, pool)
    }

    #[test]
    fn try_checkout_lends_an_idle_connection_and_never_waits() {
        let (_directory, pool) = pool_on_drenthe(1);
        let lent = pool.try_checkout().expect("the one connection is idle");
        assert!(lent.import_key().unwrap().is_none());
        assert!(
            pool.try_checkout().is_none(),
            "none is idle while it is lent"
        );
        drop(lent);
        assert!(pool.try_checkout().is_some());
    }

    #[test]
    fn the_pool_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SqliteReadPool>();
        assert_send_sync::<Arc<SqliteReadPool>>();
    }

    #[test]
    fn several_threads_query_through_a_smaller_pool_and_never_exceed_its_size() {
        let (_directory, pool) = pool_on_drenthe(2);
        let pool = Arc::new(pool);
        let in_use = Arc::new(AtomicUsize::new(0));
        let most_in_use = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (pool, in_use, most_in_use) = (
                    Arc::clone(&pool),
                    Arc::clone(&in_use),
                    Arc::clone(&most_in_use),
                );
                std::thread::spawn(move || {
                    let mut counts = Vec::new();
                    for _ in 0..20 {
                        counts.push(pool.with(|store| {
                            let now = in_use.fetch_add(1, Ordering::SeqCst) + 1;
                            most_in_use.fetch_max(now, Ordering::SeqCst);
                            let filter = ObservationFilter {
                                level: Some(AreaLevel::Municipality),
                                ..ObservationFilter::default()
                            };
                            let count = store.observations(&filter).unwrap().len();
                            in_use.fetch_sub(1, Ordering::SeqCst);
                            count
                        }));
                    }
                    counts
                })
            })
            .collect();
        for thread in threads {
            let counts = thread.join().unwrap();
            assert!(counts.iter().all(|&count| count == counts[0] && count > 0));
        }
        assert!(most_in_use.load(Ordering::SeqCst) <= 2);
        assert_eq!(pool.idle_count(), 2);
    }

    #[test]
    fn a_panicking_borrower_gives_its_connection_back() {
        let (_directory, pool) = pool_on_drenthe(1);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.with(|_store| panic!("a handler failed"))
        }));
        assert!(outcome.is_err());
        assert_eq!(pool.idle_count(), 1);
        let areas = pool.with(|store| store.areas(&AreaFilter::default()).unwrap());
        assert!(!areas.is_empty());
    }

    #[test]
    fn pooled_connections_cannot_write() {
        let (_directory, pool) = pool_on_drenthe(1);
        let guard = pool.checkout();
        let outcome = guard
            .connection_for_tests()
            .execute("DELETE FROM sources", []);
        assert!(outcome.is_err(), "{outcome:?}");
    }

    #[test]
    fn a_pool_on_a_missing_file_is_an_open_error() {
        let directory = tempfile::tempdir().unwrap();
        let outcome = SqliteReadPool::open(directory.path().join("absent.sqlite"), 2);
        assert!(
            matches!(outcome, Err(StoreError::Open { .. })),
            "{outcome:?}"
        );
    }
}
