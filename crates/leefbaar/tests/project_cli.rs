//! `leefbaar project`: the real binary projects every municipality to 2040 and classifies
//! Drenthe's municipalities and Oost-Drenthe by the government's krimp criteria.

use std::process::Command;

#[test]
fn oost_drenthe_is_an_anticipation_region_and_meppel_grows_to_2040() {
    let output = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
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
