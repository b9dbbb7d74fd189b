//! Crash safety (issue #18): the real `leefbaar` binary is killed with SIGKILL at seeded random
//! moments of a large import (the bundled Drenthe bundle, 270,000 observations) and while `serve`
//! answers requests. Afterwards the store must open with `SqliteStore::open` (migrations and
//! all), pass `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, and hold either none of
//! the killed import (the store as it was before, byte for byte in every row) or all of it (the
//! same rows as an uninterrupted import); a fresh import into the same data directory, and a
//! new `serve` on the same store, must then work.
//!
//! Fifty imports take minutes, so `cargo test` kills seven imports and two servers (about a
//! minute with the debug binary), and `.ci/run` runs the full fifty and eight against the
//! release binary it builds anyway:
//! `LEEFBAAR_BIN=/abs/path/target/release/leefbaar LEEFBAAR_CRASH_KILLS=50 cargo test --test
//! crash -- --nocapture` (without `LEEFBAAR_BIN` the debug binary of this build is used). The seed is fixed and
//! printed; `LEEFBAAR_CRASH_SEED=N` replays another. The moments are reproducible, where a kill
//! lands in the import is not quite: it depends on the machine's load.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use leefbaar_store::{SqliteStore, Store as _};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// The seed of the kill moments (the number), unless `LEEFBAAR_CRASH_SEED` says otherwise.
const SEED: u64 = 18;

/// Imports killed: `LEEFBAAR_CRASH_KILLS` (`.ci/run`: 50), else 7, enough for one fresh import
/// after a kill (`REIMPORT_EVERY`) while `cargo test` stays quick.
fn import_kills() -> usize {
    std::env::var("LEEFBAAR_CRASH_KILLS").map_or(7, |kills| {
        kills
            .parse()
            .expect("LEEFBAAR_CRASH_KILLS is a whole number")
    })
}

/// After every this-many killed imports, a fresh import runs in the same data directory, on the
/// files exactly as the kill left them (a stale lock, `-wal` or `-shm` must not stop it). Seven
/// alternates between the two starting points.
const REIMPORT_EVERY: usize = 7;

/// The share of the kill moments spread over the import's reading and computing, before it
/// opens the store.
const BEFORE_WRITING_SHARE: f64 = 0.4;

/// The share spread over its transaction, up to the commit; the rest fall after the commit,
/// while SQLite copies the write-ahead log into the store and the process ends.
const WRITING_SHARE: f64 = 0.4;

/// How much of the time from the commit to the end the last kills aim at: that window is a few
/// hundred milliseconds, and an import that ran faster than the timed one would end before
/// its kill (it is then checked all the same, and counted apart).
const AFTER_COMMIT_REACH: f64 = 0.7;

/// Servers killed: one for every six imports killed, at least two (8 for the CI's 50).
fn serve_kills() -> usize {
    (import_kills() / 6).max(2)
}

/// How long after a server starts listening its kills are spread (its startup comes before).
const SERVING: Duration = Duration::from_secs(2);

/// Requests per second the request loop makes at most: below `serve`'s default rate limit (50
/// per second), so every request is answered rather than refused with `429`.
const REQUESTS_PER_SECOND: u32 = 40;

const STORE_FILE: &str = "leefbaar.sqlite";

/// The two tests time the binary; run side by side they would slow each other's imports down.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `LEEFBAAR_BIN` (a relative path is taken from the repository's root), else this build's.
fn binary() -> PathBuf {
    std::env::var_os("LEEFBAAR_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_leefbaar")),
        |path| repo_root().join(path),
    )
}

fn seed() -> u64 {
    std::env::var("LEEFBAAR_CRASH_SEED").map_or(SEED, |seed| {
        seed.parse().expect("LEEFBAAR_CRASH_SEED is a whole number")
    })
}

fn leefbaar(data_dir: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .current_dir(repo_root())
        .env_remove("LEEFBAAR_DATA_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--no-progress");
    command
}

fn import_command(data_dir: &Path) -> Command {
    let mut command = leefbaar(data_dir);
    command
        .args(["import", "data/drenthe/manifest.toml"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// An uninterrupted import; its stderr when it fails.
fn import(data_dir: &Path) -> Result<(), String> {
    let output = leefbaar(data_dir)
        .args(["import", "data/drenthe/manifest.toml"])
        .output()
        .unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the import failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// SplitMix64: a few lines instead of a dependency, and the same numbers on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// One table's rows, as a count and two digests of its rows in any order: of every column, and of
/// every column but `imported_at` (which differs between two imports of the same bundle).
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableState {
    rows: usize,
    full: u64,
    stable: u64,
}

/// Every table of a store (SQLite's `sqlite_sequence` included), by name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot(BTreeMap<String, TableState>);

impl Snapshot {
    fn read(connection: &Connection) -> rusqlite::Result<Snapshot> {
        let tables: Vec<String> = connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut states = BTreeMap::new();
        for table in tables {
            let mut statement = connection.prepare(&format!("SELECT * FROM \"{table}\""))?;
            let volatile: Vec<bool> = statement
                .column_names()
                .iter()
                .map(|name| *name == "imported_at")
                .collect();
            // Rows are hashed one by one and the hashes added, so the digest does not depend on
            // the order SQLite returns them in.
            let (mut count, mut full, mut stable) = (0, 0_u64, 0_u64);
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let mut full_row = DefaultHasher::new();
                let mut stable_row = DefaultHasher::new();
                for (index, &is_volatile) in volatile.iter().enumerate() {
                    let value = row.get_ref(index)?;
                    hash_value(value, &mut full_row);
                    if !is_volatile {
                        hash_value(value, &mut stable_row);
                    }
                }
                count += 1;
                full = full.wrapping_add(full_row.finish());
                stable = stable.wrapping_add(stable_row.finish());
            }
            states.insert(
                table,
                TableState {
                    rows: count,
                    full,
                    stable,
                },
            );
        }
        Ok(Snapshot(states))
    }

    fn same_as(&self, other: &Snapshot) -> bool {
        self == other
    }

    fn same_rows_as(&self, other: &Snapshot) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| a == b && x.rows == y.rows && x.stable == y.stable)
    }

    /// The data tables (all but the import history) hold the same rows as `other`'s.
    fn same_data_as(&self, other: &Snapshot) -> bool {
        let data = |snapshot: &Snapshot| -> Vec<(String, usize, u64)> {
            snapshot
                .0
                .iter()
                .filter(|(table, _)| *table != "imports" && *table != "sqlite_sequence")
                .map(|(table, state)| (table.clone(), state.rows, state.stable))
                .collect()
        };
        data(self) == data(other)
    }

    fn rows(&self, table: &str) -> usize {
        self.0.get(table).map_or(0, |state| state.rows)
    }

    /// How this snapshot differs from `expected`, table by table.
    fn differences(&self, expected: &Snapshot) -> String {
        let mut differences = Vec::new();
        for (table, expected_state) in &expected.0 {
            match self.0.get(table) {
                None => differences.push(format!("{table} missing")),
                Some(state) if state.rows != expected_state.rows => differences.push(format!(
                    "{table}: {} rows, expected {}",
                    state.rows, expected_state.rows
                )),
                Some(state) if state.stable != expected_state.stable => {
                    differences.push(format!("{table}: other contents in {} rows", state.rows));
                }
                Some(_) => {}
            }
        }
        for table in self
            .0
            .keys()
            .filter(|table| !expected.0.contains_key(*table))
        {
            differences.push(format!("{table} unexpected"));
        }
        if differences.is_empty() {
            "only `imported_at` differs".to_owned()
        } else {
            differences.join("; ")
        }
    }
}

fn hash_value(value: ValueRef<'_>, hasher: &mut DefaultHasher) {
    match value {
        ValueRef::Null => 0_u8.hash(hasher),
        ValueRef::Integer(number) => (1_u8, number).hash(hasher),
        ValueRef::Real(number) => (2_u8, number.to_bits()).hash(hasher),
        ValueRef::Text(bytes) => (3_u8, bytes).hash(hasher),
        ValueRef::Blob(bytes) => (4_u8, bytes).hash(hasher),
    }
}

/// Opens the store the way every command does, checks it with SQLite's own checks and the one
/// reference SQLite cannot check (observations name their note by id), and reads its rows.
fn check_store(store: &Path) -> Result<Snapshot, String> {
    let opened = SqliteStore::open(store).map_err(|error| format!("it does not open: {error}"))?;
    let version = opened
        .schema_version()
        .map_err(|error| format!("its schema version is unreadable: {error}"))?;
    if version != SqliteStore::SCHEMA_VERSION {
        return Err(format!(
            "it has schema {version}, not {}",
            SqliteStore::SCHEMA_VERSION
        ));
    }
    opened
        .latest_import()
        .map_err(|error| format!("its latest import is unreadable: {error}"))?;
    drop(opened);
    let query_error = |error: rusqlite::Error| format!("a check fails to run: {error}");
    let connection = Connection::open(store).map_err(query_error)?;
    let integrity: Vec<String> = connection
        .prepare("PRAGMA integrity_check")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(query_error)?;
    if integrity != ["ok"] {
        return Err(format!("PRAGMA integrity_check says {integrity:?}"));
    }
    let count = |sql: &str| -> Result<i64, String> {
        connection
            .query_row(sql, [], |row| row.get(0))
            .map_err(query_error)
    };
    let violations = count("SELECT count(*) FROM pragma_foreign_key_check")?;
    if violations > 0 {
        return Err(format!(
            "PRAGMA foreign_key_check finds {violations} rows referring to rows that are not there"
        ));
    }
    let orphans =
        count("SELECT count(*) FROM observations WHERE note_id NOT IN (SELECT id FROM notes)")?;
    if orphans > 0 {
        return Err(format!(
            "{orphans} observations name a note that is not there"
        ));
    }
    Snapshot::read(&connection).map_err(query_error)
}

/// Copies the data directory's files (the store, its `-wal`, `-shm` or `-journal`) as they are,
/// so that checking the copy leaves the original exactly as the kill left it.
fn copy_dir(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).unwrap();
    for entry in fs_err::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs_err::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A data directory holding only a completed store, closed cleanly (no `-wal` beside it).
fn completed_copy(completed: &Path, to: &Path) {
    assert!(
        !completed.join(format!("{STORE_FILE}-wal")).exists(),
        "a cleanly closed store leaves no -wal file"
    );
    fs_err::create_dir_all(to).unwrap();
    fs_err::copy(completed.join(STORE_FILE), to.join(STORE_FILE)).unwrap();
}

/// When an uninterrupted import opened the store (its `-wal` file appeared), about when it
/// committed (its `-wal` file last grew) and when it ended.
#[derive(Debug, Clone, Copy)]
struct ImportTiming {
    writing: Duration,
    committed: Duration,
    finished: Duration,
}

impl ImportTiming {
    /// The moment of kill `index` of `count`: one random moment in each of `count` strata of
    /// equal width, so the moments cover the import from its first milliseconds to its end; the
    /// first strata spread over reading and computing, the next over the transaction, the last
    /// over what follows the commit.
    fn moment(self, index: usize, count: usize, rng: &mut Rng) -> Duration {
        let fraction = (index as f64 + rng.unit()) / count as f64;
        let within = |start: Duration, end: Duration, from: f64, share: f64| {
            start + end.saturating_sub(start).mul_f64((fraction - from) / share)
        };
        if fraction < BEFORE_WRITING_SHARE {
            within(Duration::ZERO, self.writing, 0.0, BEFORE_WRITING_SHARE)
        } else if fraction < BEFORE_WRITING_SHARE + WRITING_SHARE {
            within(
                self.writing,
                self.committed,
                BEFORE_WRITING_SHARE,
                WRITING_SHARE,
            )
        } else {
            let after = BEFORE_WRITING_SHARE + WRITING_SHARE;
            let end = self.committed
                + (self.finished.saturating_sub(self.committed)).mul_f64(AFTER_COMMIT_REACH);
            within(self.committed, end, after, 1.0 - after)
        }
    }
}

fn timed_import(data_dir: &Path) -> ImportTiming {
    let wal = data_dir.join(format!("{STORE_FILE}-wal"));
    let started = Instant::now();
    let mut child = import_command(data_dir).spawn().unwrap();
    let mut writing = None;
    let (mut wal_length, mut committed) = (0, Duration::ZERO);
    loop {
        if let Ok(metadata) = fs_err::metadata(&wal) {
            writing.get_or_insert_with(|| started.elapsed());
            if metadata.len() > wal_length {
                wal_length = metadata.len();
                committed = started.elapsed();
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the reference import failed: {status}");
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    ImportTiming {
        writing: writing.expect("the import opened the store (its -wal file appeared)"),
        committed,
        finished: started.elapsed(),
    }
}

/// Where a killed import left the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// None of the import: the store as before.
    None,
    /// All of it.
    All,
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_none_of_it_in_a_consistent_store() {
    let import_kills = import_kills();
    let _one_at_a_time = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let seed = seed();
    let mut rng = Rng(seed);
    println!(
        "crash test: {import_kills} imports killed with SIGKILL, seed {seed} (LEEFBAAR_CRASH_SEED={seed} replays the moments), binary {}",
        binary().display()
    );
    let test_started = Instant::now();
    let work = tempfile::tempdir().unwrap();

    // References: a new store, one uninterrupted import into an empty directory, and a second
    // one on top of a copy of the first, each timed.
    let empty_dir = work.path().join("empty");
    let empty = check_store(&empty_dir.join(STORE_FILE)).expect("a new store");
    let completed = work.path().join("completed");
    let timing_new = timed_import(&completed);
    let once = check_store(&completed.join(STORE_FILE)).expect("one import");
    let twice_dir = work.path().join("twice");
    completed_copy(&completed, &twice_dir);
    let timing_again = timed_import(&twice_dir);
    let twice = check_store(&twice_dir.join(STORE_FILE)).expect("two imports");
    assert!(
        once.same_data_as(&twice),
        "importing the same bundle twice changes its rows: {}",
        twice.differences(&once)
    );
    println!(
        "into an empty directory the import opens the store after {:.2} s, commits at about {:.2} s and ends after {:.2} s; onto a completed store {:.2} s, {:.2} s and {:.2} s; {} observations, {} areas, {} indicators",
        timing_new.writing.as_secs_f64(),
        timing_new.committed.as_secs_f64(),
        timing_new.finished.as_secs_f64(),
        timing_again.writing.as_secs_f64(),
        timing_again.committed.as_secs_f64(),
        timing_again.finished.as_secs_f64(),
        once.rows("observations"),
        once.rows("areas"),
        once.rows("indicators"),
    );

    let mut failures = Vec::new();
    let mut tally: BTreeMap<(&str, Outcome, bool), usize> = BTreeMap::new();
    let mut left_wal = 0;
    let mut reimports = 0;
    let mut checking_time = Duration::ZERO;
    for index in 0..import_kills {
        // Even runs start from an empty data directory, odd ones from a completed store.
        let onto_completed = index % 2 == 1;
        let (case, timing, before, after) = if onto_completed {
            ("onto a completed store", timing_again, &once, &twice)
        } else {
            ("into an empty directory", timing_new, &empty, &once)
        };
        let moment = timing.moment(index, import_kills, &mut rng);
        let data_dir = work.path().join(format!("run-{index}"));
        if onto_completed {
            completed_copy(&completed, &data_dir);
        } else {
            fs_err::create_dir_all(&data_dir).unwrap();
        }
        let what = format!(
            "seed {seed}, kill {index} at {:.3} s ({case})",
            moment.as_secs_f64()
        );

        let started = Instant::now();
        let mut child = import_command(&data_dir).spawn().unwrap();
        std::thread::sleep(moment.saturating_sub(started.elapsed()));
        let killed = if let Some(status) = child.try_wait().unwrap() {
            if !status.success() {
                failures.push(format!("{what}: the import failed by itself ({status})"));
                continue;
            }
            false
        } else {
            // `Child::kill` sends SIGKILL on Unix.
            child.kill().unwrap();
            true
        };
        child.wait().unwrap();
        let wal = data_dir.join(format!("{STORE_FILE}-wal"));
        if fs_err::metadata(&wal).is_ok_and(|metadata| metadata.len() > 0) {
            left_wal += 1;
        }

        let checked = work.path().join(format!("checked-{index}"));
        copy_dir(&data_dir, &checked);
        let checking = Instant::now();
        let checked_store = check_store(&checked.join(STORE_FILE));
        checking_time += checking.elapsed();
        let found = match checked_store {
            Ok(found) => found,
            Err(problem) => {
                failures.push(format!("{what}: the store is not consistent: {problem}"));
                continue;
            }
        };
        fs_err::remove_dir_all(&checked).unwrap();
        let outcome = if found.same_as(before) {
            Outcome::None
        } else if found.same_rows_as(after) {
            Outcome::All
        } else {
            failures.push(format!(
                "{what}: the store holds neither none nor all of the import; against the store before: {}; against a complete import: {}",
                found.differences(before),
                found.differences(after)
            ));
            continue;
        };
        *tally.entry((case, outcome, killed)).or_default() += 1;
        let finished = if killed {
            ""
        } else {
            ", finished before its kill"
        };
        println!("  {what}: {outcome:?}{finished}");

        // The next import must work on the files as the kill left them.
        if index % REIMPORT_EVERY == REIMPORT_EVERY - 1 {
            reimports += 1;
            match import(&data_dir).and_then(|()| check_store(&data_dir.join(STORE_FILE))) {
                Ok(reimported)
                    if reimported.same_data_as(&once)
                        && reimported.rows("imports") == found.rows("imports") + 1 => {}
                Ok(reimported) => failures.push(format!(
                    "{what}: the fresh import after the kill left other rows: {}",
                    reimported.differences(&once)
                )),
                Err(problem) => failures.push(format!(
                    "{what}: the fresh import after the kill: {problem}"
                )),
            }
        }
        fs_err::remove_dir_all(&data_dir).unwrap();
    }

    println!("tally ({import_kills} kills):");
    for ((case, outcome, killed), count) in &tally {
        let outcome = match (outcome, killed) {
            (Outcome::None, _) => "held none of the import (killed before its commit)",
            (Outcome::All, true) => "held all of the import (killed after its commit)",
            (Outcome::All, false) => "held all of the import (finished before its kill)",
        };
        println!("  {case}: {count} {outcome}");
    }
    println!(
        "  {left_wal} kills left a non-empty -wal file; {reimports} fresh imports after a kill; {} inconsistent",
        failures.len()
    );
    println!(
        "the crash test of imports took {:.0} s, {:.0} s of it checking stores",
        test_started.elapsed().as_secs_f64(),
        checking_time.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {import_kills} kills left a store that is not all or none of the import:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A started `serve`, whose first stdout line (the address) is read on another thread.
struct Server {
    child: Child,
    address: mpsc::Receiver<Option<String>>,
}

fn start_server(data_dir: &Path, log: &Path) -> Server {
    let stderr = std::fs::File::from(fs_err::File::create(log).unwrap());
    let mut child = leefbaar(data_dir)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, address) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let found = read.ok().and_then(|_| {
            let start = line.find("http://")? + "http://".len();
            Some(line[start..].split('/').next()?.to_owned())
        });
        let _ = sender.send(found);
    });
    Server { child, address }
}

/// One GET; `Ok(status)` when a whole response came back, `Err` when the connection was
/// refused (kind `ConnectionRefused`) or broke off before the response was complete.
fn request(address: &str, path: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let cut_off = || std::io::Error::other("the response broke off");
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(cut_off)?;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let body = &response[split + 4..];
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|length| length.trim().parse::<usize>().ok());
    let complete = match length {
        Some(length) => body.len() == length,
        None => !head.contains("transfer-encoding: chunked") || body.ends_with(b"0\r\n\r\n"),
    };
    if !complete {
        return Err(cut_off());
    }
    head.split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(cut_off)
}

/// Routes that read the store in different ways: many rows, geometries, a fact sheet, a probe.
const ROUTES: [&str; 5] = [
    "/api/v1/observations?indicator=inhabitants&level=municipality&format=csv",
    "/api/v1/observations?level=district&limit=20000",
    "/api/v1/boundaries?level=district",
    "/factsheet/GM0106",
    "/readyz",
];

#[test]
fn serve_killed_mid_request_leaves_the_store_as_it_was_and_a_new_serve_answers() {
    let serve_kills = serve_kills();
    let _one_at_a_time = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let seed = seed();
    // Another stream than the imports' test, from the same seed.
    let mut rng = Rng(seed ^ 0x5E7E);
    println!(
        "crash test: `serve` killed with SIGKILL {serve_kills} times, seed {seed}, binary {}",
        binary().display()
    );
    let test_started = Instant::now();
    let work = tempfile::tempdir().unwrap();
    let data_dir = work.path().join("data");
    import(&data_dir).unwrap();
    let before = check_store(&data_dir.join(STORE_FILE)).unwrap();

    let started = Instant::now();
    let mut server = start_server(&data_dir, &work.path().join("serve-first.log"));
    let first = server.address.recv().unwrap();
    let startup = started.elapsed();
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    assert!(first.is_some(), "serve starts on the imported store");
    println!(
        "serve listens {:.2} s after it starts",
        startup.as_secs_f64()
    );

    let mut failures = Vec::new();
    let (mut during_startup, mut while_serving, mut answered, mut cut_off) = (0, 0, 0, 0);
    for index in 0..serve_kills {
        let span = startup + SERVING;
        let moment = span.mul_f64((index as f64 + rng.unit()) / serve_kills as f64);
        let what = format!(
            "seed {seed}, serve kill {index} at {:.3} s",
            moment.as_secs_f64()
        );
        let started = Instant::now();
        let Server { mut child, address } =
            start_server(&data_dir, &work.path().join(format!("serve-{index}.log")));
        let stop = AtomicBool::new(false);
        let (ok, broken) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let (stop_ref, ok_ref, broken_ref) = (&stop, &ok, &broken);
        let listening = std::thread::scope(|scope| {
            let requests = scope.spawn(move || {
                let Ok(Some(address)) = address.recv() else {
                    return false;
                };
                let pause = Duration::from_secs(1) / REQUESTS_PER_SECOND;
                for path in ROUTES.iter().cycle() {
                    if stop_ref.load(Ordering::SeqCst) {
                        break;
                    }
                    let sent = Instant::now();
                    match request(&address, path) {
                        Ok(_) => ok_ref.fetch_add(1, Ordering::SeqCst),
                        // The server is gone: the kill came between two requests.
                        Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                            break;
                        }
                        // The kill came while a request was in flight.
                        Err(_) => {
                            broken_ref.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                    };
                    std::thread::sleep(pause.saturating_sub(sent.elapsed()));
                }
                true
            });
            std::thread::sleep(moment.saturating_sub(started.elapsed()));
            child.kill().unwrap();
            child.wait().unwrap();
            stop.store(true, Ordering::SeqCst);
            requests.join().unwrap()
        });
        if listening {
            while_serving += 1;
        } else {
            during_startup += 1;
        }
        answered += ok.load(Ordering::SeqCst);
        cut_off += broken.load(Ordering::SeqCst);

        let checked = work.path().join(format!("checked-{index}"));
        copy_dir(&data_dir, &checked);
        match check_store(&checked.join(STORE_FILE)) {
            Ok(found) if found.same_as(&before) => {}
            Ok(found) => failures.push(format!(
                "{what}: the store changed: {}",
                found.differences(&before)
            )),
            Err(problem) => {
                failures.push(format!("{what}: the store is not consistent: {problem}"));
            }
        }
        fs_err::remove_dir_all(&checked).unwrap();
    }

    // A new server on the files exactly as the last kill left them starts and answers.
    let mut server = start_server(&data_dir, &work.path().join("serve-last.log"));
    match server.address.recv().unwrap() {
        Some(address) => {
            for path in ["/readyz", ROUTES[0]] {
                match request(&address, path) {
                    Ok(200) => {}
                    answer => failures.push(format!(
                        "seed {seed}: the new serve after the kills answers {path} with {answer:?}"
                    )),
                }
            }
        }
        None => failures.push(format!(
            "seed {seed}: the new serve after the kills does not start: {}",
            fs_err::read_to_string(work.path().join("serve-last.log")).unwrap_or_default()
        )),
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    println!(
        "tally: {during_startup} kills during startup, {while_serving} while serving; {answered} requests answered, {cut_off} cut off by a kill; {} inconsistent",
        failures.len()
    );
    println!(
        "the crash test of serve took {:.0} s",
        test_started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
