//! `leefbaar release` on the bundled Drenthe data, as a user runs it after `leefbaar demo
//! --no-serve`: every file checks out with `sha256sum -c`, every indicator of the catalogue has
//! its CSV and Parquet file, the README names every source and the citation, two runs give the
//! same bytes, and a non-empty directory is only replaced with `--force`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn release(data: &Path, out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["release", "--out", out];
    args.extend_from_slice(extra);
    leefbaar(&args, data)
}

/// Every file under `dir` by its path relative to `dir`, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs_err::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, found);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                found.insert(relative, fs_err::read(&path).unwrap());
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found);
    found
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).unwrap()
}

#[test]
fn a_release_of_the_bundled_data_is_complete_checked_and_the_same_twice() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = leefbaar(&["demo", "--no-serve", "--no-projection"], &data);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );

    let first: PathBuf = dir.path().join("first");
    let output = release(&data, &first, &[]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("release drenthe-"), "{stdout}");
    let citation = stdout
        .lines()
        .find_map(|line| line.strip_prefix("cite as: "))
        .expect("the citation is printed");
    assert!(
        citation.starts_with("Leefbaar Drenthe, release drenthe-"),
        "{citation}"
    );
    // Nothing is left beside the release: the staging directory was renamed into place.
    let beside: Vec<_> = fs_err::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");

    let released = files(&first);
    // `sha256sum -c` (what the README tells users to run) accepts every line.
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", "--quiet", "SHA256SUMS"])
        .current_dir(&first)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let listed: Vec<String> = text(&released, "SHA256SUMS")
        .lines()
        .map(|line| line.split_once("  ").unwrap().1.to_owned())
        .collect();
    let others: Vec<String> = released
        .keys()
        .filter(|p| *p != "SHA256SUMS")
        .cloned()
        .collect();
    assert_eq!(listed, others, "SHA256SUMS lists every other file, sorted");

    let catalogue: serde_json::Value =
        serde_json::from_str(&text(&released, "catalogue.json")).unwrap();
    let ids: Vec<&str> = catalogue
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() > 100, "{} indicators", ids.len());
    for id in &ids {
        let csv = text(&released, &format!("indicators/{id}.csv"));
        assert!(
            csv.starts_with("area,area_name,level,year,indicator,value,missing,"),
            "{id}"
        );
        assert!(
            released[&format!("indicators/{id}.parquet")].starts_with(b"PAR1"),
            "{id}"
        );
    }
    let tables = released
        .keys()
        .filter(|p| p.starts_with("indicators/"))
        .count();
    assert_eq!(
        tables,
        2 * ids.len(),
        "one CSV and one Parquet file per indicator, no more"
    );
    let assen = text(&released, "indicators/inhabitants.csv");
    assert!(
        assen.contains("\nGM0106,Assen,municipality,2024,inhabitants,"),
        "{assen:.400}"
    );
    let municipalities: serde_json::Value =
        serde_json::from_str(&text(&released, "boundaries/municipality.geojson")).unwrap();
    assert_eq!(municipalities["type"], "FeatureCollection");

    let readme = text(&released, "README.md");
    assert!(
        readme.contains(citation),
        "the README gives the printed citation"
    );
    let mut sources = csv::Reader::from_reader(released["sources.csv"].as_slice());
    let mut source_count = 0;
    for record in sources.records() {
        let id = record.unwrap()[0].to_owned();
        assert!(
            readme.contains(&format!("### `{id}`")),
            "the README names source {id}"
        );
        source_count += 1;
    }
    assert!(source_count > 10);
    assert!(
        readme.contains("**SYNTHETIC** `aed_register_synthetic_2019`"),
        "{readme}"
    );
    assert!(released.contains_key("sources/aed_synthetic_2019.md"));
    assert!(released.contains_key("methods/reach.md"));

    let second = dir.path().join("second");
    assert!(release(&data, &second, &[]).status.success());
    assert!(
        files(&second) == released,
        "two runs give byte-identical files"
    );
}

#[test]
fn a_non_empty_directory_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = leefbaar(
        &["demo", "--no-serve", "--no-projection", "--no-reach"],
        &data,
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let out = dir.path().join("release");
    fs_err::create_dir_all(&out).unwrap();
    fs_err::write(out.join("notes.txt"), "mine").unwrap();

    let refused = release(&data, &out, &[]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(
        stderr.contains("is not empty") && stderr.contains("hint: pass --force"),
        "{stderr}"
    );
    assert!(
        out.join("notes.txt").exists(),
        "nothing of the user's is touched"
    );

    let forced = release(&data, &out, &["--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(!out.join("notes.txt").exists());
    assert!(out.join("SHA256SUMS").exists());
}

#[test]
fn release_without_a_store_says_what_to_run_first() {
    let dir = tempfile::tempdir().unwrap();
    let output = release(&dir.path().join("nothing"), &dir.path().join("out"), &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no store at") && stderr.contains("leefbaar demo --no-serve"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}
