//! `leefbaar factsheet --level municipality --all`: all 12 Drenthe municipality sheets, HTML and
//! PDF, from a store built by `leefbaar demo --no-serve`.

use std::process::Command;

#[test]
fn all_twelve_municipality_sheets_are_written() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .args([
            "demo",
            "--no-serve",
            "--no-progress",
            "--no-projection",
            "--data-dir",
        ])
        .arg(data.path())
        .status()
        .unwrap();
    assert!(status.success());
    let output = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .args([
            "factsheet",
            "--theme",
            "leefbaarheid",
            "--level",
            "municipality",
            "--all",
        ])
        .args([
            "--year",
            "2024",
            "--format",
            "html,pdf",
            "--no-progress",
            "--data-dir",
        ])
        .arg(data.path().join("demo"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut html = 0;
    let mut pdf = 0;
    for entry in fs_err::read_dir(out.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs_err::read(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                assert!(bytes.starts_with(b"<!DOCTYPE html>"));
                html += 1;
            }
            Some("pdf") => {
                assert!(bytes.starts_with(b"%PDF-"));
                pdf += 1;
            }
            _ => panic!("unexpected file {}", path.display()),
        }
    }
    assert_eq!((html, pdf), (12, 12));
}
