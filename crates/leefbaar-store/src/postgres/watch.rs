//! Keeps the key of the latest import (`Store::import_key`) of one PostgreSQL database in
//! memory, so `serve` need not read it on every request: one round trip each, which on a busy
//! server was most of PostgreSQL's tail latency (p99 500 ms at 16 connections against 3 ms on
//! SQLite, where the same read is in-process).
//!
//! A thread of its own holds one connection that `LISTEN`s on the channel every import
//! announces on when it commits (migration `0002_import_notify.sql`). It reads the key after
//! `LISTEN` (so an import between the two is heard of), takes each announcement for its own
//! schema, and every [`HEARTBEAT`] without one reads the key again: that finds a dead
//! connection and corrects anything missed. While it is not connected and listening, the key is
//! "unknown" and the server asks the store as before, so the watcher can make a request faster
//! but not staler than PostgreSQL's delivery of a notification (milliseconds), or, when the
//! connection dies without a word (a network partition), one heartbeat.
//!
//! A read replica cannot `LISTEN` (a standby refuses it), and its data may lag the primary
//! that announces, so on a replica the watcher stays "unknown" and every request reads the key
//! from the replica itself, which is right for the data it then serves.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator as _;

use crate::StoreError;
use crate::pool::WatchedImportKey;

/// The channel of migration `0002_import_notify.sql`.
const CHANNEL: &str = "leefbaar_import";

/// How long the watcher waits for an announcement before it reads the key itself.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(5);

/// How long it waits before connecting again after a failure; a standby, which refuses
/// `LISTEN` for as long as it is one, is asked again only after the longer wait.
const RETRY: Duration = Duration::from_secs(1);
const RETRY_REFUSED: Duration = Duration::from_mins(1);

/// The application name of the watcher's session, followed by its schema, so an operator
/// (and a test) can find it in `pg_stat_activity`.
pub(crate) const APPLICATION_NAME: &str = "leefbaar-import-watch";

/// Starts the watcher of the database at `url` on a thread of its own; it ends when `key` is
/// stopped (the pool's drop), at its next heartbeat.
pub(crate) fn start(url: &str, location: &str) -> Result<Arc<WatchedImportKey>, StoreError> {
    let key = Arc::new(WatchedImportKey::unknown());
    let watched = Arc::clone(&key);
    let (url, thread_location) = (url.to_owned(), location.to_owned());
    thread::Builder::new()
        .name("import-watch".to_owned())
        .spawn(move || watch(&url, &thread_location, &watched))
        .map_err(|source| StoreError::Watch {
            location: location.to_owned(),
            source,
        })?;
    Ok(key)
}

fn watch(url: &str, location: &str, key: &WatchedImportKey) {
    while !key.is_stopped() {
        let outcome =
            listen(url, location).and_then(|(client, schema)| follow(client, &schema, key));
        key.forget();
        let wait = match outcome {
            Err(Refused::Listen) => RETRY_REFUSED,
            Err(Refused::Connection) | Ok(()) => RETRY,
        };
        sleep_unless_stopped(wait, key);
    }
}

enum Refused {
    /// The server would not `LISTEN` (a standby); asking again soon would not change that.
    Listen,
    /// No connection, or it broke.
    Connection,
}

/// A connection listening on the channel, and the schema whose imports it follows.
fn listen(url: &str, location: &str) -> Result<(Client, String), Refused> {
    let mut client = super::open_client(url, location, true).map_err(|_| Refused::Connection)?;
    let schema: String = client
        .query_one("SELECT current_schema()", &[])
        .and_then(|row| row.try_get(0))
        .map_err(|_| Refused::Connection)?;
    client
        .execute(
            "SELECT set_config('application_name', $1, false)",
            &[&format!("{APPLICATION_NAME} {schema}")],
        )
        .map_err(|_| Refused::Connection)?;
    client
        .batch_execute(&format!("LISTEN {CHANNEL}"))
        .map_err(|error| match error.as_db_error() {
            Some(_) => Refused::Listen,
            None => Refused::Connection,
        })?;
    Ok((client, schema))
}

/// Reads the key, then follows the announcements until the connection fails or the watcher
/// is stopped.
fn follow(mut client: Client, schema: &str, key: &WatchedImportKey) -> Result<(), Refused> {
    loop {
        // Unknown while the reading is under way: on a connection that died without a word
        // the reading hangs, and the server must not trust the last key meanwhile. So a key is
        // never trusted for longer than one heartbeat after its connection was lost.
        key.forget();
        key.set(read_key(&mut client)?);
        if key.is_stopped() {
            return Ok(());
        }
        let mut notifications = client.notifications();
        let mut heard = notifications.timeout_iter(HEARTBEAT);
        while let Some(notification) = heard.next().map_err(|_| Refused::Connection)? {
            if let Some(announced) = announced_key(notification.payload(), schema) {
                // Keys only grow; an announcement overtaken by a later one changes nothing.
                if key
                    .get()
                    .and_then(|known| known.0)
                    .is_none_or(|known| announced > known)
                {
                    key.set(Some(announced));
                }
            }
        }
    }
}

fn read_key(client: &mut Client) -> Result<Option<i64>, Refused> {
    client
        .query_one("SELECT max(id) FROM imports", &[])
        .and_then(|row| row.try_get(0))
        .map_err(|_| Refused::Connection)
}

/// The key in a payload `"{schema} {key}"` of `schema`'s imports; `None` for another schema's.
fn announced_key(payload: &str, schema: &str) -> Option<i64> {
    let (announced_schema, key) = payload.rsplit_once(' ')?;
    (announced_schema == schema)
        .then(|| key.parse().ok())
        .flatten()
}

fn sleep_unless_stopped(wait: Duration, key: &WatchedImportKey) {
    let step = Duration::from_millis(200);
    let mut waited = Duration::ZERO;
    while waited < wait && !key.is_stopped() {
        thread::sleep(step);
        waited += step;
    }
}

#[cfg(test)]
mod tests {
    use super::announced_key;

    #[test]
    fn an_announcement_is_taken_for_its_own_schema_only() {
        assert_eq!(announced_key("public 7", "public"), Some(7));
        assert_eq!(announced_key("test_1_2 12", "test_1_2"), Some(12));
        assert_eq!(announced_key("other 7", "public"), None);
        assert_eq!(announced_key("public seven", "public"), None);
        assert_eq!(announced_key("public", "public"), None);
    }
}
