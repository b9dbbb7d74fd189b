//! Crash safety on PostgreSQL (issue #18): the real `leefbaar import --database postgres://…`
//! is killed with SIGKILL at seeded random moments of the bundled Drenthe import, half into an
//! empty schema and half onto a completed one. Afterwards the database must accept a new
//! connection (migrations and all) and hold either none of the killed import or all of it —
//! every row of every table compared through a digest — and a fresh import into the same
//! schema must work. Then `serve --database …` is killed while it answers requests: the
//! database must hold exactly what it held, and a new `serve` must answer.
//!
//! It runs when `LEEFBAAR_TEST_POSTGRES` names a throw-away database (`.ci/run` starts one with
//! `scripts/postgres/cluster.sh`); `cargo test` kills 5 imports, `.ci/run` 50 against the release
//! binary (`LEEFBAAR_BIN`, `LEEFBAAR_CRASH_KILLS`). The SQLite twin is `crash.rs`.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use leefbaar_store::PgStore;

/// The seed of the kill moments, unless `LEEFBAAR_CRASH_SEED` says otherwise.
const SEED: u64 = 18;

/// The share of the kill moments spread over reading and computing, before the import connects.
const BEFORE_WRITING_SHARE: f64 = 0.3;

/// Held by each test for its whole run (see `exclusive_database`).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn database_url() -> Option<String> {
    std::env::var("LEEFBAAR_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The test database, this file's lock (the tests time the binary; side by side they would
/// slow each other down) and a data directory; `None` when no database is named.
fn exclusive_database() -> Option<(String, MutexGuard<'static, ()>, tempfile::TempDir)> {
    let base = database_url()?;
    let lock = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Some((base, lock, tempfile::tempdir().unwrap()))
}

fn kills() -> usize {
    std::env::var("LEEFBAAR_CRASH_KILLS").map_or(5, |kills| {
        kills
            .parse()
            .expect("LEEFBAAR_CRASH_KILLS is a whole number")
    })
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn binary() -> PathBuf {
    std::env::var_os("LEEFBAAR_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_leefbaar")),
        |path| repo_root().join(path),
    )
}

fn import_command(database: &str, data_dir: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .current_dir(repo_root())
        .env_remove("LEEFBAAR_DATA_DIR")
        .env_remove("LEEFBAAR_DATABASE")
        .args(["--no-progress", "--data-dir"])
        .arg(data_dir)
        .args([
            "--database",
            database,
            "import",
            "data/drenthe/manifest.toml",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// SplitMix64: the same moments on every platform, without a dependency.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// Every table's rows as one digest per table, leaving out what differs between two imports of
/// the same bundle (the import's time, identity numbers), plus the number of recorded imports.
fn contents(url: &str) -> (Vec<String>, i64) {
    // Connecting migrates: a database a kill left behind must accept the next program.
    drop(PgStore::connect(url).expect("the database opens after the kill"));
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let tables = [
        "SELECT id, file, table_title, licence, attribution FROM sources ORDER BY id",
        "SELECT * FROM areas ORDER BY code",
        "SELECT * FROM indicators ORDER BY id",
        "SELECT o.indicator, o.area, o.year, o.value, o.missing_reason, o.method, o.parts, \
             n.text, o.source_rows FROM observations AS o JOIN notes AS n ON n.id = o.note_id \
             ORDER BY 1, 2, 3",
        "SELECT * FROM postcodes ORDER BY pc4",
        "SELECT * FROM places ORDER BY municipality, name",
    ];
    let digests = tables
        .iter()
        .map(|query| {
            client
                .query_one(
                    &format!(
                        "SELECT count(*)::TEXT || ' ' || md5(coalesce(string_agg(t::TEXT, E'\\n'), '')) \
                         FROM ({query}) AS t"
                    ),
                    &[],
                )
                .unwrap()
                .get(0)
        })
        .collect();
    let imports = client
        .query_one("SELECT count(*) FROM imports", &[])
        .unwrap()
        .get(0);
    (digests, imports)
}

/// When the import connects (it reads and computes first) and when it ends, timed on one
/// uninterrupted import into `url`.
fn timed_import(url: &str, data_dir: &Path) -> (Duration, Duration) {
    let mut watcher = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let started = Instant::now();
    let mut child = import_command(url, data_dir).spawn().unwrap();
    let mut connected = None;
    loop {
        if connected.is_none() {
            let others: i64 = watcher
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap()
                .get(0);
            if others > 0 {
                connected = Some(started.elapsed());
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the reference import failed: {status}");
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let finished = started.elapsed();
    (connected.unwrap_or(finished.mul_f64(0.5)), finished)
}

#[test]
fn a_postgres_import_killed_at_any_moment_leaves_all_or_none_of_it() {
    let Some((base, _one_at_a_time, data_dir)) = exclusive_database() else {
        return;
    };
    let schema = |name: &str| PgStore::create_schema(&base, name).unwrap();
    let empty = contents(&schema("crash_empty"));
    let reference_url = schema("crash_reference");
    let (connects, finishes) = timed_import(&reference_url, data_dir.path());
    let all = contents(&reference_url);
    assert_eq!(all.1, 1);
    let seed = std::env::var("LEEFBAAR_CRASH_SEED").map_or(SEED, |s| s.parse().unwrap());
    let mut rng = Rng(seed);
    let count = kills();
    eprintln!(
        "crash test (PostgreSQL): {count} imports killed, seed {seed}; the import connects after {:.2} s and ends after {:.2} s",
        connects.as_secs_f64(),
        finishes.as_secs_f64()
    );
    let (mut none, mut complete, mut finished_first) = (0, 0, 0);
    for index in 0..count {
        let onto_completed = index % 2 == 1;
        // Kills onto a completed store share the reference schema: a kill leaves it with all of
        // the data either way (only the number of recorded imports may grow), so it need not be
        // imported anew for each.
        let url = if onto_completed {
            reference_url.clone()
        } else {
            schema(&format!("crash_{index}"))
        };
        let before = contents(&url);
        // One moment in each of `count` strata: the first share before the import connects,
        // the rest over its transaction up to its end.
        let fraction = (index as f64 + rng.unit()) / count as f64;
        let moment = if fraction < BEFORE_WRITING_SHARE {
            connects.mul_f64(fraction / BEFORE_WRITING_SHARE)
        } else {
            connects
                + (finishes.saturating_sub(connects))
                    .mul_f64((fraction - BEFORE_WRITING_SHARE) / (1.0 - BEFORE_WRITING_SHARE))
        };
        let mut child = import_command(&url, data_dir.path()).spawn().unwrap();
        std::thread::sleep(moment);
        if child.try_wait().unwrap().is_some() {
            finished_first += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let after = contents(&url);
        let expected_all = (all.0.clone(), before.1 + 1);
        if after == before {
            none += 1;
        } else if after == expected_all {
            complete += 1;
        } else {
            panic!(
                "kill {index} at {:.2} s left neither none nor all of the import:\nbefore {before:?}\nafter {after:?}\nall {expected_all:?}",
                moment.as_secs_f64()
            );
        }
        if !onto_completed {
            assert!(after == empty || after == all, "kill {index}: {after:?}");
        }
        if index % 4 == 3 {
            let output = import_command(&url, data_dir.path()).output().unwrap();
            assert!(
                output.status.success(),
                "a fresh import after kill {index} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(contents(&url).0, all.0);
        }
    }
    eprintln!(
        "crash test (PostgreSQL): {count} kills: {none} left none, {complete} left all ({finished_first} had finished), 0 inconsistent"
    );
}

/// `serve --database url --port 0`, and the address it prints on its first line.
fn start_server(url: &str, data_dir: &Path) -> (Child, Option<String>) {
    let mut child = Command::new(binary())
        .current_dir(repo_root())
        .env_remove("LEEFBAAR_DATA_DIR")
        .env_remove("LEEFBAAR_DATABASE")
        .args(["--no-progress", "--data-dir"])
        .arg(data_dir)
        .args([
            "--database",
            url,
            "serve",
            "--port",
            "0",
            "--rate-limit",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    let address = line
        .find("http://")
        .and_then(|start| line[start + 7..].split('/').next().map(str::to_owned));
    (child, address)
}

/// One GET's status, or `None` when the connection broke off or was refused.
fn status(address: &str, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    String::from_utf8_lossy(&response)
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn a_postgres_backed_serve_killed_mid_request_leaves_the_database_as_it_was() {
    let Some((base, _one_at_a_time, data_dir)) = exclusive_database() else {
        return;
    };
    let url = PgStore::create_schema(&base, "crash_serve").unwrap();
    let status_of_import = import_command(&url, data_dir.path()).status().unwrap();
    assert!(status_of_import.success());
    let before = contents(&url);
    let kills = (kills() / 6).max(2);
    let mut rng = Rng(SEED ^ 0x5E7E);
    let routes = [
        "/api/v1/observations?indicator=inhabitants&level=municipality&format=csv",
        "/api/v1/observations?level=district&limit=20000",
        "/api/v1/boundaries?level=district",
        "/readyz",
    ];
    let mut answered = 0;
    for index in 0..kills {
        let (mut child, address) = start_server(&url, data_dir.path());
        let address = address.expect("serve prints its address");
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let requests = {
            let (stop, address) = (std::sync::Arc::clone(&stop), address.clone());
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                let mut next = 0;
                while !stop.load(Ordering::SeqCst) {
                    statuses.push(status(&address, routes[next % routes.len()]));
                    next += 1;
                }
                statuses
            })
        };
        std::thread::sleep(Duration::from_secs(2).mul_f64(rng.unit()));
        child.kill().unwrap();
        child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        let statuses = requests.join().unwrap();
        assert!(
            statuses.iter().flatten().all(|&code| code == 200),
            "kill {index}: {statuses:?}"
        );
        answered += statuses.iter().flatten().count();
        assert_eq!(contents(&url), before, "kill {index} changed the database");
    }
    let (mut child, address) = start_server(&url, data_dir.path());
    let ready = status(&address.expect("a new serve starts"), "/readyz");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(ready, Some(200));
    eprintln!(
        "crash test (PostgreSQL): serve killed {kills} times mid-request ({answered} requests answered 200 before), the database unchanged each time, a new serve ready"
    );
}
