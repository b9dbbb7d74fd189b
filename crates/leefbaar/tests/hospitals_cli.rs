//! `leefbaar hospitals`: the real binary on the bundled north (straight line × 1.3): the
//! sensitive-hospitals table as a newcomer reads it, a closure that pushes people past the
//! thresholds in the municipalities around the closed hospitals, and an unknown id that says
//! where the ids are.

use std::process::{Command, Output};

fn hospitals(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        // An empty data directory: the bundle is the repository's, not a store of the user's.
        .env(
            "LEEFBAAR_DATA_DIR",
            std::env::temp_dir().join("leefbaar-cli-test-no-store"),
        )
        .arg("hospitals")
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
fn without_close_it_prints_the_sensitive_hospitals_of_the_north() {
    insta::assert_snapshot!("hospitals_sensitive_table", stdout(&hospitals(&[])));
}

#[test]
fn closing_emmen_and_stadskanaal_shows_who_crosses_each_threshold() {
    insta::assert_snapshot!(
        "hospitals_close_emmen_stadskanaal",
        stdout(&hospitals(&["--close", "ZH73,ZH72"]))
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&hospitals(&["--close", "ZH73,ZH72", "--json"]))).unwrap();
    assert_eq!(json["closed"], serde_json::json!(["ZH72", "ZH73"]));
    assert_eq!(json["approximate"], true);
    assert!(!json["fallbacks"].as_array().unwrap().is_empty());
}

#[test]
fn an_unknown_hospital_is_named_with_a_hint() {
    let output = hospitals(&["--close", "ZH73,nope"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--close: no hospital `nope`"), "{stderr}");
    assert!(
        stderr.contains("hint: the ids are in the bundle's facilities/hospital.csv"),
        "{stderr}"
    );
}
