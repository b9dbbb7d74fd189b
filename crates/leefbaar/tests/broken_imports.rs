//! `leefbaar import` on broken files: each one exits non-zero, names the file, line and field,
//! and leaves the store exactly as it was. The corpus is the ingest crate's
//! (`crates/leefbaar-ingest/tests/broken/`); here it goes through the real binary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn leefbaar(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leefbaar"));
    command
        .current_dir(repo())
        .env_remove("LEEFBAAR_DATA_DIR")
        .env("NO_COLOR", "1")
        .env("LEEFBAAR_LOG", "error")
        .arg("--no-progress")
        .arg("--data-dir")
        .arg(data_dir);
    command
}

/// Every byte of every file of the store (database, WAL, shared memory).
fn store_bytes(data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs_err::read_dir(data_dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs_err::read(&path).unwrap())
        })
        .collect()
}

const TABLE_MANIFEST: &str = r#"
[bundle]
id = "test"
name = "Test"
version = "1"
province = "PV22"

[country]
code = "NL01"
name = "Nederland"
years = [2012, 2024]

[[source]]
id = "broken"
file = "FILE"
table = "a broken table"
licence = "CC BY 4.0"
attribution = "test"
convention = "comma"
area = "gemeentecode"
year_column = "jaar"

[[source.fact]]
variable = "inhabitants"
formula = "aantal_inwoners"
[[source.fact]]
variable = "men"
formula = "mannen"
[[source.fact]]
variable = "persons_in_households"
formula = "gem_huishouden_grootte * aantal_inwoners"
"#;

const AREAS_FROM_TABLE: &str = r#"
[[areas]]
source = "broken"
name = "gemeentenaam"
"#;

const BOUNDARY_MANIFEST: &str = r#"
[bundle]
id = "test"
name = "Test"
version = "1"
province = "PV22"

[country]
code = "NL01"
name = "Nederland"
years = [2012, 2024]

[[source]]
id = "broken"
file = "FILE"
table = "broken boundaries"
licence = "CC BY 4.0"
attribution = "test"
format = "geojson"
boundaries = { code = "gemeentecode", name = "gemeentenaam", years = [2024, 2024] }
"#;

/// A well-formed table whose codes no area of the bundle declares.
const UNDECLARED_AREAS: &str = "undeclared_areas.csv";
const UNDECLARED_AREAS_CSV: &str =
    "jaar,gemeentecode,gemeentenaam,aantal_inwoners,mannen,gem_huishouden_grootte
2024,GM0106,Assen,69701,34249,2.1
2024,GM9876,Nergenshuizen,1000,500,2.0
";

/// Imports `file` (from the corpus, or the given text) with a manifest around it and returns
/// the exit code and stderr, with the temporary directory replaced by `[TEMP]`.
fn import_broken(data_dir: &Path, file: &str, manifest: &str) -> (Option<i32>, String) {
    let work = tempfile::tempdir().unwrap();
    if file == UNDECLARED_AREAS {
        fs_err::write(work.path().join(file), UNDECLARED_AREAS_CSV).unwrap();
    } else {
        let corpus = repo()
            .join("crates/leefbaar-ingest/tests/broken")
            .join(file);
        fs_err::copy(&corpus, work.path().join(file)).unwrap();
    }
    let manifest_path = work.path().join("manifest.toml");
    fs_err::write(&manifest_path, manifest.replace("FILE", file)).unwrap();
    let output = leefbaar(data_dir)
        .arg("import")
        .arg(&manifest_path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace(&work.path().display().to_string(), "[TEMP]");
    (output.status.code(), stderr)
}

#[test]
fn every_broken_file_fails_with_file_line_and_field_and_leaves_the_store_unchanged() {
    let data_dir = tempfile::tempdir().unwrap();
    let status = leefbaar(data_dir.path())
        .arg("import")
        .arg("data/drenthe/manifest.toml")
        .status()
        .unwrap();
    assert!(status.success());
    let before = store_bytes(data_dir.path());

    let with_areas = format!("{TABLE_MANIFEST}{AREAS_FROM_TABLE}");
    let cases = [
        (
            "bad_number.csv",
            with_areas.as_str(),
            "line 3, field `aantal_inwoners`",
        ),
        (
            "wrong_separator.csv",
            with_areas.as_str(),
            "aantal_inwoners",
        ),
        (
            "unknown_area_code.csv",
            with_areas.as_str(),
            "line 2, field `gemeentecode`",
        ),
        ("duplicate_row.csv", with_areas.as_str(), "line 4"),
        ("truncated.csv", with_areas.as_str(), "line 3"),
        ("wrong_encoding.csv", with_areas.as_str(), "line 3"),
        ("empty.csv", with_areas.as_str(), "empty.csv"),
        ("invalid_geometry.geojson", BOUNDARY_MANIFEST, "feature"),
        (
            UNDECLARED_AREAS,
            TABLE_MANIFEST,
            "an area declared in the manifest",
        ),
    ];
    let mut report = String::new();
    for (file, manifest, expected) in cases {
        let (code, stderr) = import_broken(data_dir.path(), file, manifest);
        assert_eq!(code, Some(1), "{file}: {stderr}");
        assert!(
            stderr.contains(file),
            "{file}: the message does not name the file: {stderr}"
        );
        assert!(
            stderr.contains(expected),
            "{file}: expected `{expected}` in: {stderr}"
        );
        assert_eq!(
            store_bytes(data_dir.path()),
            before,
            "{file}: the store changed although the import failed"
        );
        writeln!(report, "== {file}\n{stderr}").unwrap();
    }
    insta::assert_snapshot!("broken_imports", report);
}
