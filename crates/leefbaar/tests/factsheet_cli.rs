//! `leefbaar factsheet --all`: all 12 Drenthe municipality sheets, HTML and PDF, and all 189
//! district sheets as HTML, from a store built by `leefbaar demo --no-serve`; the Hartveilig
//! sheets with their synthetic notice; without the `pdf` feature, PDF is refused with an
//! explanation.

use std::path::Path;
use std::process::{Command, Output};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn demo(data: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(REPO)
        .args([
            "demo",
            "--no-serve",
            "--no-progress",
            "--no-projection",
            "--data-dir",
        ])
        .arg(data)
        .status()
        .unwrap();
    assert!(status.success());
}

fn factsheet(data: &Path, out: &Path, args: &[&str]) -> Output {
    factsheet_of("leefbaarheid", data, out, args)
}

fn factsheet_of(theme: &str, data: &Path, out: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .args(["factsheet", "--theme", theme, "--year", "2024"])
        .args(args)
        .args(["--no-progress", "--data-dir"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// The files written to `out`, counted by extension (html, pdf), each checked for its magic.
fn count_files(out: &Path) -> (usize, usize) {
    let mut html = 0;
    let mut pdf = 0;
    for entry in fs_err::read_dir(out).unwrap() {
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
    (html, pdf)
}

#[cfg(feature = "pdf")]
#[test]
fn all_municipality_and_district_sheets_are_written() {
    let data = tempfile::tempdir().unwrap();
    demo(data.path());

    let municipalities = tempfile::tempdir().unwrap();
    let output = factsheet(
        data.path(),
        municipalities.path(),
        &["--level", "municipality", "--all", "--format", "html,pdf"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(count_files(municipalities.path()), (12, 12));

    // Every district of Drenthe has a sheet, each with its map inset. See: issue #7.
    let districts = tempfile::tempdir().unwrap();
    let output = factsheet(
        data.path(),
        districts.path(),
        &[
            "--level", "district", "--all", "--format", "html", "--lang", "en",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(count_files(districts.path()), (189, 0));
    let lariks =
        fs_err::read_to_string(districts.path().join("WK010601-leefbaarheid-2024-en.html"))
            .unwrap();
    assert!(lariks.contains("<title id=\"map-t\">Map: location of Lariks in Assen</title>"));
}

/// `--theme hartveilig`: the AED coverage sheet of one municipality as HTML and PDF, with the
/// bundle's synthetic notice, and of every municipality as HTML. See: issue #14.
#[cfg(feature = "pdf")]
#[test]
fn hartveilig_sheets_are_written_with_their_synthetic_notice() {
    let data = tempfile::tempdir().unwrap();
    demo(data.path());

    let one = tempfile::tempdir().unwrap();
    let output = factsheet_of("hartveilig", data.path(), one.path(), &["--area", "GM1690"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(count_files(one.path()), (1, 1));
    let pdf = fs_err::metadata(one.path().join("GM1690-hartveilig-2024-nl.pdf")).unwrap();
    assert!(pdf.len() > 10_000, "{} bytes", pdf.len());
    let html = fs_err::read_to_string(one.path().join("GM1690-hartveilig-2024-nl.html")).unwrap();
    assert!(html.contains("Let op: synthetische gegevens"));
    assert!(html.contains(r#"<p id="notice">SYNTHETIC AED register"#));

    let all = tempfile::tempdir().unwrap();
    let output = factsheet_of(
        "hartveilig",
        data.path(),
        all.path(),
        &["--level", "municipality", "--all", "--format", "html"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(count_files(all.path()), (12, 0));

    let output = factsheet_of("onderwijs", data.path(), all.path(), &["--area", "GM1690"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown theme `onderwijs`; known: leefbaarheid, hartveilig"),
        "{stderr}"
    );
}

/// Built without the `pdf` feature, the command writes HTML by default and explains why it
/// cannot write PDF.
#[cfg(not(feature = "pdf"))]
#[test]
fn without_the_pdf_feature_pdf_is_refused_with_a_hint() {
    let data = tempfile::tempdir().unwrap();
    demo(data.path());
    let out = tempfile::tempdir().unwrap();
    let output = factsheet(data.path(), out.path(), &["--area", "GM0114"]);
    assert!(output.status.success());
    assert_eq!(count_files(out.path()), (1, 0));
    let output = factsheet(
        data.path(),
        out.path(),
        &["--area", "GM0114", "--format", "pdf"],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("built without PDF support") && stderr.contains("hint:"),
        "{stderr}"
    );
}
