//! `leefbaar schools`: the real binary on the bundled DUO files: the join report a newcomer
//! reads (how many locations match the bundled schools, and which do not), and a krimpcheck
//! without a store, which says what to run first.

use std::process::{Command, Output};

fn schools(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        // An empty data directory: the bundle is the repository's, not a store of the user's.
        .env(
            "LEEFBAAR_DATA_DIR",
            std::env::temp_dir().join("leefbaar-cli-test-no-store"),
        )
        .arg("schools")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn join_reports_the_matched_locations_per_file_and_lists_the_rest() {
    let text = stdout(&schools(&["join"]));
    assert!(
        text.starts_with("DUO locations joined to the bundled facilities (primary_school, secondary_school, havo_vwo_school) by BRIN + location: 288 of 330 match"),
        "{text}"
    );
    assert!(
        text.contains("final_test           268      248         20"),
        "{text}"
    );
    assert!(
        text.contains("unmatched in pupils:\n  01NJ08  Terra, Assen VO"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&schools(&["join", "--format", "json"]))).unwrap();
    assert_eq!(json["matched"], 288);
    assert_eq!(json["files"].as_array().unwrap().len(), 6);
}

#[test]
fn krimpcheck_without_a_store_says_it_needs_the_projection() {
    let output = schools(&["krimpcheck"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the krimpcheck needs the projection"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "hint: run `leefbaar demo` or `leefbaar import data/drenthe/manifest.toml` first"
        ),
        "{stderr}"
    );
}
