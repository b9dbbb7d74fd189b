//! `leefbaar records` as an analyst runs it after `leefbaar demo --no-serve`: the SYNTHETIC
//! pupils of Drenthe checked and turned into figures per municipality and Drenthe, every figure through the shared disclosure control; a bad file named by file,
//! line and field with nothing computed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use leefbaar_records::synthetic::Targets;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn leefbaar(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(REPO)
        .args(args)
        .args(["--no-progress", "--data-dir"])
        .arg(data)
        .output()
        .unwrap()
}

/// A store of the bundled data (the records' areas come from it) and the SYNTHETIC records
/// `leefbaar records synthesize` writes beside it (five school years of pupils); built once for
/// the tests of this binary.
fn setup() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static SETUP: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let demo = leefbaar(&["demo", "--no-serve", "--no-projection"], &data);
        assert!(
            demo.status.success(),
            "{}",
            String::from_utf8_lossy(&demo.stderr)
        );
        let records = dir.path().join("records");
        let synthesize = leefbaar(
            &[
                "records",
                "synthesize",
                "--seed",
                "7",
                "--out",
                records.to_str().unwrap(),
            ],
            &data,
        );
        let listed = String::from_utf8_lossy(&synthesize.stdout);
        assert!(
            synthesize.status.success(),
            "{}",
            String::from_utf8_lossy(&synthesize.stderr)
        );
        for file in [
            "education/pupils.csv (26500 SYNTHETIC records)",
            "poverty/young_adults.csv",
            "literacy/participants.csv",
        ] {
            assert!(listed.contains(file), "no {file} in {listed}");
        }
        (dir, data, records.join("education"))
    })
}

fn records_args(out: &Path, pupils: &str) -> Vec<String> {
    vec![
        "--schema".to_owned(),
        "data/records/education.toml".to_owned(),
        "--records".to_owned(),
        format!("school={}", out.join("schools.csv").display()),
        "--records".to_owned(),
        format!("pupil={}", out.join(pupils).display()),
    ]
}

fn run(data: &Path, command: &str, args: &[String]) -> Output {
    let mut all = vec!["records", command];
    all.extend(args.iter().map(String::as_str));
    leefbaar(&all, data)
}

#[test]
fn valid_records_are_counted_per_kind() {
    let (_dir, data, out) = setup();
    let output = run(data, "check", &records_args(out, "pupils.csv"));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("pupil: 26500 records"), "{text}");
    assert!(text.contains("no problems found"), "{text}");
}

#[test]
fn every_bad_record_is_named_by_file_line_and_field_and_nothing_is_computed() {
    let (_dir, data, out) = setup();
    let pupils = fs_err::read_to_string(out.join("pupils.csv")).unwrap();
    let mut lines: Vec<String> = pupils.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (advice, school) = (column("definitive_advice"), column("school"));
    // Line 3 of the file (the header is line 1) gets an unknown advice, line 5 a school that
    // does not exist.
    for (line, field, value) in [(2, advice, "hvo"), (4, school, "99XX99")] {
        let mut cells: Vec<String> = lines[line].split(',').map(str::to_owned).collect();
        cells[field] = value.to_owned();
        lines[line] = cells.join(",");
    }
    let bad = out.join("pupils_bad.csv");
    fs_err::write(&bad, lines.join("\n") + "\n").unwrap();
    for command in ["check", "figures"] {
        let mut args = records_args(out, "pupils_bad.csv");
        if command == "figures" {
            args.extend(["--figure".to_owned(), "pupil:count".to_owned()]);
        }
        let output = run(data, command, &args);
        assert!(!output.status.success(), "{command} accepted a bad file");
        assert!(output.stdout.is_empty(), "{command} printed figures");
        let stderr = String::from_utf8_lossy(&output.stderr);
        for expected in [
            "2 problems in the records, nothing imported",
            "pupils_bad.csv, line 3, field `definitive_advice`",
            "found `hvo`",
            "pupils_bad.csv, line 5, field `school`",
            "found `99XX99`",
        ] {
            assert!(
                stderr.contains(expected),
                "{command}: no `{expected}` in {stderr}"
            );
        }
    }
}

#[test]
fn figures_show_no_cell_on_fewer_than_ten_pupils_and_reproduce_the_published_margin() {
    let (_dir, data, out) = setup();
    let mut args = records_args(out, "pupils.csv");
    for figure in [
        "pupil:count",
        "pupil:matrix:definitive_advice:start_vs_advice",
    ] {
        args.extend(["--figure".to_owned(), figure.to_owned()]);
    }
    let output = run(data, "figures", &args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "figure", "area", "year", "row", "column", "unit", "value", "n", "withheld"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (mut shown, mut withheld) = (0, 0);
    for row in &rows {
        if row[8].is_empty() {
            shown += 1;
            let n: u64 = row[7].parse().unwrap();
            assert!(n >= 10, "a cell on {n} pupils is shown: {row:?}");
            if &row[5] == "persons" {
                assert!(row[6].parse::<f64>().unwrap() >= 10.0, "{row:?}");
            }
        } else {
            withheld += 1;
            assert!(row[6].is_empty() && row[7].is_empty(), "{row:?}");
            assert!(["primary", "secondary"].contains(&&row[8]), "{row:?}");
        }
    }
    assert!(
        shown > 0 && withheld > 0,
        "{shown} shown, {withheld} withheld"
    );
    // Every municipality and Drenthe, and not the Netherlands: Drenthe's records are not the
    // country's.
    let areas: std::collections::BTreeSet<&str> = rows.iter().map(|row| &row[1]).collect();
    assert_eq!(areas.len(), 12 + 1, "{areas:?}");
    assert!(
        areas.contains("PV22") && !areas.contains("NL01"),
        "{areas:?}"
    );
    // Drenthe's share starting below the definitive advice (the matrix's margin) is the
    // published 20 % to its rounding, in every year.
    let targets = Targets::parse(
        &fs_err::read_to_string(Path::new(REPO).join("data/records/published_targets.csv"))
            .unwrap(),
    )
    .unwrap();
    let published = targets.share("education.start_below_advice").unwrap();
    let below: Vec<f64> = rows
        .iter()
        .filter(|row| {
            &row[0] == "pupil:matrix:definitive_advice:start_vs_advice"
                && &row[1] == "PV22"
                && &row[3] == "all"
                && &row[4] == "below"
        })
        .map(|row| row[6].parse().unwrap())
        .collect();
    assert_eq!(below.len(), 5, "one margin per school year");
    for share in below {
        assert!(
            (share - published).abs() <= 0.005,
            "{share} against {published}"
        );
    }
}

#[test]
fn help_says_where_the_areas_come_from_and_that_the_bundled_records_are_synthetic() {
    let output = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .args(["records", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "fewer than 10 persons",
        "SYNTHETIC",
        "leefbaar import",
        "check",
        "figures",
    ] {
        assert!(text.contains(expected), "no `{expected}` in {text}");
    }
}
