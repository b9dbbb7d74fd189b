//! `leefbaar aed` on the Delft extract: the real binary reads the extract's foot network, its 13
//! mapped AEDs and its addresses, and reports coverage by day and at night and new sites.

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
        "--osm",
        "data/osm_fixtures/delft_area_2025.osm.pbf",
        "--bbox",
        "4.355,51.995,4.386,52.005",
        "--place",
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
