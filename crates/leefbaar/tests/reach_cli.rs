//! `leefbaar reach`: the real binary on the bundled facilities and PC4 population points
//! (straight line × 1.3): plausible distances per municipality, havo/vwo farther than primary
//! school everywhere, and a closure that only ever lengthens distances.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

fn reach(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        // An empty data directory: the bundle is the repository's, not a store of the user's.
        .env(
            "LEEFBAAR_DATA_DIR",
            std::env::temp_dir().join("leefbaar-cli-test-no-store"),
        )
        .arg("reach")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Mean distance (km) per municipality of one kind's table.
fn means(tables: &Value, kind: &str) -> BTreeMap<String, f64> {
    let table = tables
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == kind)
        .unwrap_or_else(|| panic!("no table for {kind}"));
    assert_eq!(table["approximate"], true);
    table["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["area"].as_str().unwrap().to_owned(),
                a["mean_distance_km"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_drenthe_municipality_has_plausible_school_distances() {
    let tables = reach(&[]);
    let primary = means(&tables, "primary_school");
    let havo_vwo = means(&tables, "havo_vwo_school");
    assert_eq!(primary.len(), 12, "{primary:?}");
    for (area, &km) in &primary {
        assert!(area.starts_with("GM"), "{area}");
        assert!((0.3..=5.0).contains(&km), "{area}: primary school {km} km");
        assert!(
            havo_vwo[area] > km,
            "{area}: havo/vwo {} km is not farther than primary {km} km",
            havo_vwo[area]
        );
    }
}

#[test]
fn closing_a_school_lengthens_distances_and_never_shortens_them() {
    // Basisschool Jan Thies in Rolde (Aa en Hunze).
    let result = reach(&["--close", "10VA00", "--level", "district"]);
    assert_eq!(result["kind"], "primary_school");
    assert_eq!(result["closed"][0]["id"], "10VA00");
    let areas = result["areas"].as_array().unwrap();
    assert!(areas.len() > 100, "{} areas", areas.len());
    let changes: Vec<f64> = areas
        .iter()
        .map(|a| a["change_km"].as_f64().unwrap())
        .collect();
    assert!(changes.iter().all(|&c| c >= 0.0), "{changes:?}");
    assert!(changes.iter().any(|&c| c > 0.0), "nothing changed");
    assert!(result["computation_ms"].as_f64().unwrap() >= 0.0);
}

#[test]
fn every_neighbourhood_has_a_distance_from_the_same_origins_as_its_municipality() {
    let tables = reach(&["--level", "neighbourhood", "--kind", "primary_school"]);
    let primary = means(&tables, "primary_school");
    // Every neighbourhood of the bundled 2019 map has a part of a populated grid cell.
    assert_eq!(primary.len(), 663, "{} neighbourhoods", primary.len());
    assert!(primary.keys().all(|code| code.starts_with("BU")));
    assert!(primary.values().all(|km| (0.0..=10.0).contains(km)));
    // Assen's centre has a school close by.
    assert!(primary["BU01060000"] < 1.0, "{}", primary["BU01060000"]);
    // Every level is measured from the same origins: the grid cells' parts per PC4 area and
    // buurt (0.743 km from the PC4 points before issue 13, 0.652 km from the cells' parts per
    // PC4 alone, whose people stood at one point per part instead of one per buurt in it).
    let municipalities = means(&reach(&["--kind", "primary_school"]), "primary_school");
    assert!(
        (municipalities["GM0106"] - 0.713).abs() < 0.001,
        "{municipalities:?}"
    );
}
