//! Tests of the monitor's reach: time thresholds from the manifest become facts, table columns
//! and catalogue indicators, on the kind's own profile.

use std::path::PathBuf;

use leefbaar_ingest::{ReachKindSpec, ReachSource, ReachSpec};
use leefbaar_model::{AreaCode, AreaLevel, CellValue, LocalizedText, Year};
use leefbaar_network::{Facility, Origin, Wgs84Point};

use super::{ReachInputs, ReachMonitor, ReachOptions, catalogue_entries, facts};

fn text(words: &str) -> LocalizedText {
    LocalizedText {
        nl: words.to_owned(),
        en: words.to_owned(),
    }
}

fn kind(id: &str, profile: &str, thresholds_m: &[f64], thresholds_min: &[f64]) -> ReachKindSpec {
    ReachKindSpec {
        id: id.to_owned(),
        file: PathBuf::from(format!("{id}.csv")),
        name: text(id),
        covers: text(id),
        profile: profile.to_owned(),
        thresholds_m: thresholds_m.to_vec(),
        thresholds_min: thresholds_min.to_vec(),
    }
}

fn spec() -> ReachSpec {
    ReachSpec {
        year: Year::new(2024).unwrap(),
        origins: PathBuf::from("origins.csv"),
        neighbourhood_origins: None,
        grid: None,
        origins_note: text("test origins"),
        source: ReachSource {
            id: "reach_test".to_owned(),
            file: "facilities".to_owned(),
            table: "test".to_owned(),
            licence: "CC0".to_owned(),
            attribution: "test".to_owned(),
            description: "test".to_owned(),
        },
        kinds: vec![
            kind("hospital", "car", &[5_000.0], &[30.0, 45.0]),
            kind("havo_vwo_school", "bicycle", &[3_000.0], &[15.0]),
        ],
    }
}

/// A point `north_m` metres north of (6.5° E, 53° N).
fn north(north_m: f64) -> Wgs84Point {
    Wgs84Point {
        lon: 6.5,
        lat: 53.0 + north_m / 111_195.0,
    }
}

/// Origins 2, 5, 20, 40 and 50 km north of both facilities, in one municipality.
fn monitor() -> ReachMonitor {
    let municipality = AreaCode::parse("GM0106").unwrap();
    let inputs = ReachInputs {
        origins: [2.0, 5.0, 20.0, 40.0, 50.0]
            .iter()
            .enumerate()
            .map(|(i, km)| Origin {
                id: format!("o{i}"),
                point: north(km * 1000.0),
                persons: 100.0,
                areas: vec![municipality.clone()],
            })
            .collect(),
        facilities: vec![
            Facility {
                id: "h1".to_owned(),
                kind: "hospital".to_owned(),
                point: north(0.0),
            },
            Facility {
                id: "s1".to_owned(),
                kind: "havo_vwo_school".to_owned(),
                point: north(0.0),
            },
        ],
        ..ReachInputs::default()
    };
    ReachMonitor::from_inputs(&spec(), inputs, &ReachOptions::default()).unwrap()
}

#[test]
fn straight_line_times_use_the_kind_s_own_profile_speed_and_thresholds_in_minutes() {
    let monitor = monitor();
    // By car at 60 km/h, 1.3 × 20 km = 26 km takes 26 minutes, 1.3 × 40 km 52 minutes.
    let hospital = monitor
        .table("hospital", Some(AreaLevel::Municipality))
        .unwrap();
    let row = &hospital.areas[0];
    assert!(hospital.approximate);
    let mean_km = 1.3 * (2.0 + 5.0 + 20.0 + 40.0 + 50.0) / 5.0;
    assert!((row.mean_time_s.unwrap() - mean_km * 60.0).abs() < 0.5);
    assert_eq!(
        row.share_within_min,
        vec![(30.0, Some(0.6)), (45.0, Some(0.6))]
    );
    assert_eq!(
        row.persons_beyond_min,
        vec![(30.0, Some(200.0)), (45.0, Some(200.0))]
    );
    // By bicycle at 15 km/h, 15 minutes are 3.75 km, so 2.6 km is within and 6.5 km beyond.
    let school = monitor
        .table("havo_vwo_school", Some(AreaLevel::Municipality))
        .unwrap();
    assert_eq!(school.areas[0].share_within_min, vec![(15.0, Some(0.2))]);
}

#[test]
fn time_facts_split_every_person_into_within_and_beyond_each_threshold() {
    let facts = facts(&monitor());
    let value = |variable: &str| {
        let fact = facts
            .iter()
            .find(|f| f.variable == variable)
            .unwrap_or_else(|| panic!("no fact {variable}"));
        match fact.value {
            CellValue::Value(v) => v,
            CellValue::Missing(_) => panic!("{variable} is missing"),
        }
    };
    assert_eq!(value("reach_persons"), 500.0);
    assert_eq!(value("reach_hospital_within_30min"), 300.0);
    assert_eq!(value("reach_hospital_beyond_30min"), 200.0);
    assert_eq!(value("reach_hospital_within_45min"), 300.0);
    assert_eq!(value("reach_havo_vwo_school_within_15min"), 100.0);
    assert_eq!(value("reach_havo_vwo_school_beyond_15min"), 400.0);
}

#[test]
fn the_catalogue_declares_a_share_and_a_count_beyond_for_every_time_threshold() {
    let catalogue = catalogue_entries(&spec());
    for id in [
        "id = \"reach_share_hospital_within_30min\"",
        "id = \"reach_persons_hospital_beyond_45min\"",
        "id = \"reach_share_havo_vwo_school_within_15min\"",
        "id = \"reach_persons_havo_vwo_school_beyond_15min\"",
        "id = \"reach_havo_vwo_school_beyond_15min\"",
    ] {
        assert!(catalogue.contains(id), "{id} missing from\n{catalogue}");
    }
    assert!(catalogue.contains("at 60 km/h"));
    assert!(catalogue.contains("at 15 km/h"));
}
