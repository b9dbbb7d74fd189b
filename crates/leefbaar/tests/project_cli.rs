//! `leefbaar project`: the real binary projects every municipality to 2040 and classifies
//! Drenthe's municipalities and Oost-Drenthe by the government's krimp criteria.

use std::process::Command;

#[test]
fn oost_drenthe_is_an_anticipation_region_and_meppel_grows_to_2040() {
    let output = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        // An empty data directory: the bundle is the repository's, not a store of the user's.
        .env(
            "LEEFBAAR_DATA_DIR",
            std::env::temp_dir().join("leefbaar-cli-test-no-store"),
        )
        .args(["project", "--json", "--runs", "50"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let row = |label: &str| {
        rows.iter()
            .find(|row| row["area"].as_str().unwrap().starts_with(label))
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    let oost = row("Oost-Drenthe");
    assert_eq!(oost["class"], "anticipeer", "{oost}");
    assert!(
        oost["population_change_pct"].as_f64().unwrap() < -2.5,
        "{oost}"
    );
    let low = oost["population_to_low"].as_f64().unwrap();
    let high = oost["population_to_high"].as_f64().unwrap();
    let medium = oost["population_to"].as_f64().unwrap();
    assert!(low < medium && medium < high, "{oost}");
    assert_eq!(row("GM0119")["class"], "growth");
    // Drenthe's 2020 base is CBS's own population on 1 January 2020.
    assert_eq!(
        row("Drenthe")["population_from"].as_f64().unwrap(),
        493_682.0
    );
}

/// A region of the user's own is classified as the sum of its municipalities; a code outside the
/// 2020 division is refused by name.
#[test]
fn a_region_of_ones_own_is_the_sum_of_its_municipalities() {
    let project = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_leefbaar"))
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
            // An empty data directory: the bundle is the repository's, not a store of the user's.
            .env(
                "LEEFBAAR_DATA_DIR",
                std::env::temp_dir().join("leefbaar-cli-test-no-store"),
            )
            .args(["project", "--json", "--runs", "20"])
            .args(extra)
            .output()
            .unwrap()
    };
    let output = project(&["--region", "Zuidwest-Drenthe=GM0119,GM1690,GM1701"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let value = |label: &str, key: &str| {
        rows.iter()
            .find(|row| row["area"].as_str().unwrap().starts_with(label))
            .unwrap_or_else(|| panic!("no row {label}"))[key]
            .as_f64()
            .unwrap()
    };
    for key in ["population_from", "population_to"] {
        let parts: f64 = ["GM0119", "GM1690", "GM1701"]
            .iter()
            .map(|code| value(code, key))
            .sum();
        let region = value("Zuidwest-Drenthe", key);
        assert!(
            (region - parts).abs() < 1e-6,
            "{key}: {region} against {parts}"
        );
    }
    let region = rows
        .iter()
        .find(|row| row["area"] == "Zuidwest-Drenthe")
        .unwrap();
    assert!(region["class"].is_string(), "{region}");

    let refused = project(&["--region", "Elders=GM0119,GM9999"]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("--region Elders: no municipality `GM9999` in the 2020 division"),
        "{message}"
    );
}
