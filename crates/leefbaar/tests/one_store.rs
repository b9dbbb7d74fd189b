//! One store for every command: the sequence a new user types, in a temporary directory and
//! from a working directory that is not the repository. `demo --no-serve` builds the store;
//! `factsheet`, `reach`, `project`, `survey` and `serve` then find it in the same data
//! directory (given with `--data-dir` or `LEEFBAAR_DATA_DIR`), and they work from the bundle
//! the store records, not from files beside the binary. See: issue #12.

use std::path::Path;
use std::process::{Command, Output, Stdio};

#[path = "support/http.rs"]
mod http;
use http::{bound_address, get};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The binary, run in `cwd` with only `LEEFBAAR_DATA_DIR` (when given) telling it where the
/// store is.
fn leefbaar(cwd: &Path, data_env: Option<&Path>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leefbaar"));
    command
        .current_dir(cwd)
        .env_remove("LEEFBAAR_DATA_DIR")
        .env("NO_COLOR", "1")
        .args(args);
    if let Some(dir) = data_env {
        command.env("LEEFBAAR_DATA_DIR", dir);
    }
    command.output().unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn every_command_finds_the_store_the_demo_made_in_the_same_data_directory() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let elsewhere = home.path().join("somewhere-else");
    fs_err::create_dir_all(&elsewhere).unwrap();

    // The demo runs in the repository; everything after it elsewhere, finding the store by
    // the environment variable.
    ok(&leefbaar(
        Path::new(REPO),
        Some(&data),
        &["demo", "--no-serve", "--no-progress", "--no-projection"],
    ));
    assert!(data.join("leefbaar.sqlite").is_file());

    let sheets = home.path().join("sheets");
    let out = ok(&leefbaar(
        &elsewhere,
        Some(&data),
        &[
            "factsheet",
            "--all",
            "--format",
            "html",
            "--no-progress",
            "--out",
            sheets.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("for 12 area(s)"), "{out}");

    let tables: serde_json::Value = serde_json::from_str(&ok(&leefbaar(
        &elsewhere,
        Some(&data),
        &["reach", "--kind", "hospital", "--json"],
    )))
    .unwrap();
    assert_eq!(tables[0]["kind"], "hospital");
    assert_eq!(tables[0]["areas"].as_array().unwrap().len(), 12);

    let rows: serde_json::Value = serde_json::from_str(&ok(&leefbaar(
        &elsewhere,
        Some(&data),
        &["project", "--json", "--runs", "10"],
    )))
    .unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|row| row["area"] == "Drenthe"),
        "{rows}"
    );

    let questions = ok(&leefbaar(&elsewhere, Some(&data), &["survey", "questions"]));
    assert!(questions.starts_with("*** SYNTHETIC"), "{questions}");

    // The same store by the flag instead of the variable, and the server on it.
    let mut server = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(&elsewhere)
        .env_remove("LEEFBAAR_DATA_DIR")
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = bound_address(&mut server);
    let (status, _, body) = get(&address, "/api/v1/monitor");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(status, 200, "{body}");
    let monitor: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(monitor["data"]["bundle"]["id"], "drenthe");
    // The store records the demo's --no-projection, and the server says so.
    let projection = &monitor["data"]["monitors"][3];
    assert_eq!(projection["available"], false, "{projection}");
    assert!(
        projection["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("--no-projection"),
        "{projection}"
    );
}

#[test]
fn a_command_without_a_store_or_bundle_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let output = leefbaar(
        home.path(),
        Some(&home.path().join("empty")),
        &["factsheet", "--all", "--out", "x"],
    );
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("no store at"), "{message}");
    assert!(message.contains("leefbaar demo --no-serve"), "{message}");
}
