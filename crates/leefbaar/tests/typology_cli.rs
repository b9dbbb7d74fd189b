//! `leefbaar typology`: the real binary classes every municipality of the Netherlands into a
//! bubble and prints the shares of the Netherlands, the provinces and the monitored one.

use std::process::{Command, Output};

fn typology(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        // An empty data directory: the bundle is the repository's, not a store of the user's.
        .env(
            "LEEFBAAR_DATA_DIR",
            std::env::temp_dir().join("leefbaar-cli-test-no-store"),
        )
        .arg("typology")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_json_has_every_municipality_once_and_shares_of_every_province() {
    let output = typology(&["--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let data: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(data["municipalities"].as_array().unwrap().len(), 342);
    let areas = data["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 13);
    assert_eq!(areas[0]["code"], "NL01");
    let drenthe = areas.iter().find(|a| a["code"] == "PV22").unwrap();
    assert_eq!(drenthe["monitored"], true);
}

#[test]
fn the_table_marks_the_monitored_province_and_lists_a_province_s_municipalities() {
    let output = typology(&[]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("PV22 Drenthe*"), "{text}");
    assert!(text.contains("NL01 Nederland"), "{text}");
    let output = typology(&["--area", "PV22"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("GM0114   Emmen"), "{text}");
    let output = typology(&["--area", "PV99"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--area `PV99`: expected one of NL01"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_says_what_a_bubble_is() {
    let output = typology(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("krimp"), "{help}");
    assert!(help.contains("--area"), "{help}");
}
