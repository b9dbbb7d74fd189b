//! `leefbaar survey`: the real binary on the bundled SYNTHETIC panel gives the published-like
//! 2018 province figures with their 95 % intervals, labels its output synthetic, shows
//! suppressed cells as such, and names a bad flag.

use std::process::{Command, Output};

/// Runs the binary in `dir` with an empty data directory, so no store of the machine's user
/// is read: the bundle is the repository's (or `--bundle`).
fn leefbaar(args: &[&str], dir: &str) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(dir)
        .env("LEEFBAAR_DATA_DIR", data.path())
        .args(args)
        .output()
        .unwrap()
}

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn estimates_by_province_as_json_match_the_published_figures() {
    let output = leefbaar(
        &[
            "survey",
            "estimate",
            "--question",
            "rating",
            "--by",
            "province",
            "--json",
        ],
        REPO,
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["synthetic"], true);
    assert!(json["notice"].as_str().unwrap().starts_with("SYNTHETIC"));
    let cells = json["cells"].as_array().unwrap();
    // Seed: mean rating 7.7 / 7.8 / 7.9 on 2,225 / 1,790 / 986 respondents.
    for (cell, (group, mark, n)) in
        cells
            .iter()
            .zip([("PV20", 7.7, 2225), ("PV21", 7.8, 1790), ("PV22", 7.9, 986)])
    {
        assert_eq!(cell["group"], group);
        let value = cell["value"].as_f64().unwrap();
        assert!((value - mark).abs() < 0.05, "{cell}");
        let (low, high) = (
            cell["ci_low"].as_f64().unwrap(),
            cell["ci_high"].as_f64().unwrap(),
        );
        assert!(low < value && value < high && high - low < 0.2, "{cell}");
        assert_eq!(cell["n"], n);
        assert!(cell["effective_n"].as_f64().unwrap() < f64::from(n));
    }
    assert_eq!(json["total"][0]["n"], 5001);
}

#[test]
fn the_table_is_labelled_synthetic_and_shows_suppressed_cells() {
    // From another directory: the panel's files are found next to the bundle's manifest.
    let manifest = format!("{REPO}/data/drenthe/manifest.toml");
    let output = leefbaar(
        &[
            "survey",
            "estimate",
            "--question",
            "rating",
            "--by",
            "municipality",
            "--bundle",
            &manifest,
        ],
        env!("CARGO_MANIFEST_DIR"),
    );
    let text = stdout(&output);
    assert!(text.starts_with("*** SYNTHETIC data"), "{text}");
    // Schiermonnikoog and Vlieland have fewer than 10 respondents.
    assert!(text.contains("GM0088  suppressed (n < 10)"), "{text}");
    assert!(text.contains("GM0096  suppressed (n < 10)"), "{text}");
    assert!(text.contains("95 % CI"));
}

#[test]
fn compare_and_weights_report() {
    let text = stdout(&leefbaar(
        &[
            "survey",
            "compare",
            "--question",
            "future",
            "--groups",
            "PV20,PV22",
        ],
        REPO,
    ));
    assert!(text.contains("PV20 minus PV22 (by province)"), "{text}");
    assert!(text.contains("worried"), "{text}");
    assert!(text.contains("< 0.0001"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&leefbaar(&["survey", "weights", "--json"], REPO))).unwrap();
    assert_eq!(json["synthetic"], true);
    assert_eq!(json["respondents"], 5001);
    assert!(json["weighting"]["max_margin_error"].as_f64().unwrap() < 1e-8);
    assert!(json["weighting"]["design_effect"].as_f64().unwrap() > 1.0);
}

#[test]
fn a_bad_grouping_is_named_with_what_is_allowed() {
    let output = leefbaar(
        &[
            "survey",
            "estimate",
            "--question",
            "rating",
            "--by",
            "postcode",
        ],
        REPO,
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--by must be one of province, municipality, age_group, sex"),
        "{stderr}"
    );
}
