//! `leefbaar aed` on the Delft extract (the real binary reads the extract's foot network, its 13
//! mapped AEDs and its addresses, and reports coverage by day and at night and new sites) and on
//! the bundled Drenthe data (its SYNTHETIC register on the reach population points).

use std::process::Command;

use serde_json::Value;

fn aed(args: &[&str]) -> std::process::Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_leefbaar"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env("LEEFBAAR_DATA_DIR", data.path())
        .arg("aed")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn delft_s_homes_are_covered_less_at_night_and_new_sites_add_ever_fewer_homes() {
    let output = aed(&[
        "placement",
        "--osm",
        "data/osm_fixtures/delft_area_2025.osm.pbf",
        "--bbox",
        "4.355,51.995,4.386,52.005",
        "--k",
        "3",
        "--json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["aeds"], 13);
    assert_eq!(json["aeds_public"], 12);
    let covered = |rule: &str| {
        json["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == rule)
            .unwrap()["homes_covered"]
            .as_u64()
            .unwrap()
    };
    assert!(covered("day") > covered("night"));
    assert_eq!(covered("night"), covered("24/7"));
    let gains: Vec<f64> = json["new_sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["homes_added"].as_f64().unwrap())
        .collect();
    assert_eq!(gains.len(), 3);
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "{gains:?}");
}

#[test]
fn a_bad_register_stops_it_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.csv");
    fs_err::write(
        &register,
        "id,lon,lat,indoor,opening_hours,access,registered\na1,6.5,52.9,no,24/7,,perhaps\n",
    )
    .unwrap();
    let output = aed(&[
        "coverage",
        "--osm",
        "data/osm_fixtures/delft_area_2025.osm.pbf",
        "--register",
        register.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "register.csv, line 2, field `registered`: expected `yes` or `no`, found `perhaps`"
        ),
        "{stderr}"
    );
}

#[test]
fn on_the_bundled_drenthe_data_it_says_synthetic_lists_white_spots_and_places_aeds_in_de_wolden() {
    let output = aed(&["coverage", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        json["synthetic_notice"]
            .as_str()
            .unwrap()
            .starts_with("SYNTHETIC")
    );
    let areas = json["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 12, "Drenthe's municipalities");
    let assen = areas.iter().find(|a| a["code"] == "GM0106").unwrap();
    assert_eq!(assen["name"], "Assen");
    assert!(assen["covered"]["day"].as_f64() >= assen["covered"]["24_7"].as_f64());

    let output = aed(&["white-spots", "--area", "GM1690", "--csv"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "place,lon,lat,residents,without_aed,nearest_aed_m,municipality,postcode,neighbourhood"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row.contains(",GM1690,")));

    let output = aed(&[
        "placement",
        "--area",
        "GM1690",
        "--k",
        "3",
        "--relocate",
        "--json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let number = |key: &str| json[key].as_f64().unwrap();
    assert!(number("covered_now") <= number("covered_outside_in_place"));
    assert!(number("covered_outside_in_place") <= number("covered_after"));
    assert!(number("covered_after") <= number("persons"));
    assert!(json["sites"].as_array().unwrap().len() <= 3);
}

#[test]
fn a_rule_that_does_not_exist_is_refused_with_the_rules_that_do() {
    let output = aed(&["white-spots", "--rule", "lunch"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--rule must be one of 24_7, day, evening, night, weekend, found `lunch`")
    );
}
