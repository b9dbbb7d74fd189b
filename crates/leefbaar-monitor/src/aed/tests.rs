//! The AED monitor on a layout small enough to check by hand: three hamlets north of one
//! point, AEDs with and without hours and one kept private, in two municipalities.

use std::path::PathBuf;

use leefbaar_ingest::{AedSpec, ReachKindSpec, ReachSource, ReachSpec};
use leefbaar_model::{AreaCode, AreaLevel, CellValue, LocalizedText, Year};
use leefbaar_network::{Origin, Wgs84Point};

use super::{AedMonitor, facts, rules};
use crate::reach::{ReachInputs, ReachMonitor, ReachOptions};

fn text(words: &str) -> LocalizedText {
    LocalizedText {
        nl: words.to_owned(),
        en: words.to_owned(),
    }
}

fn source() -> ReachSource {
    ReachSource {
        id: "test".to_owned(),
        file: "test".to_owned(),
        table: "test".to_owned(),
        licence: "CC0".to_owned(),
        attribution: "test".to_owned(),
        description: "test".to_owned(),
    }
}

/// A point `north_m` metres north of (6.5° E, 53° N) (the great circle's metres per degree).
fn north(north_m: f64) -> Wgs84Point {
    Wgs84Point::new(6.5, 53.0 + north_m / 111_195.0)
}

/// Hamlets of 100, 200 and 300 persons at 0, 1,000 and 3,000 m north; the first two in
/// municipality GM0001, the third in GM0002. No ground: each hamlet's people at its centre.
fn reach() -> ReachMonitor {
    let gm = |code: &str| AreaCode::parse(code).unwrap();
    let origins = [
        (0.0, 100.0, "GM0001"),
        (1_000.0, 200.0, "GM0001"),
        (3_000.0, 300.0, "GM0002"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (m, persons, municipality))| Origin {
        id: format!("hamlet {i}"),
        point: north(*m),
        persons: *persons,
        areas: vec![gm(municipality)],
    })
    .collect();
    let spec = ReachSpec {
        year: Year::new(2024).unwrap(),
        origins: PathBuf::from("origins.csv"),
        neighbourhood_origins: None,
        grid: None,
        origins_note: text("test"),
        source: source(),
        kinds: vec![ReachKindSpec {
            id: "aed".to_owned(),
            file: PathBuf::from("aed.csv"),
            name: text("aed"),
            covers: text("aed"),
            profile: "foot".to_owned(),
            thresholds_m: vec![500.0],
            thresholds_min: Vec::new(),
        }],
    };
    ReachMonitor::from_inputs(
        &spec,
        ReachInputs {
            origins,
            ..ReachInputs::default()
        },
        &ReachOptions::default(),
    )
    .unwrap()
}

/// The register: a 24/7 cabinet 400 m north of the first hamlet (covers it: 400 m; not the
/// second: 600 m), an office AED (Mo–Fr 08:00–18:00) 100 m from the second, a private one at
/// the third, and an outdoor one without hours 2,600 m north (covers the third at 400 m).
const REGISTER: &str = "id,lon,lat,indoor,opening_hours,access,registered
cabinet,6.5,LAT400,no,24/7,yes,yes
office,6.5,LAT1100,yes,Mo-Fr 08:00-18:00,yes,yes
private,6.5,LAT3000,yes,24/7,private,yes
wall,6.5,LAT2600,no,,yes,no
";

fn monitor() -> (AedMonitor, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut register = REGISTER.to_owned();
    for m in [400.0, 1_100.0, 3_000.0, 2_600.0] {
        register = register.replace(&format!("LAT{m}"), &format!("{:.9}", north(m).lat));
    }
    let path = dir.path().join("register.csv");
    fs_err::write(&path, register).unwrap();
    let spec = AedSpec {
        year: Year::new(2024).unwrap(),
        register: path,
        responders: None,
        within_m: 500.0,
        responder_radius_m: 2_000.0,
        responders_per_aed: 60.0,
        source: source(),
        synthetic_notice: None,
    };
    (AedMonitor::prepare(&spec, &reach()).unwrap(), dir)
}

#[test]
fn each_hamlet_counts_by_the_aeds_available_at_the_moment_within_500_m_as_the_crow_flies() {
    let (aed, _dir) = monitor();
    let covered = |code: &str| -> Vec<(&'static str, f64)> {
        let area = aed
            .coverage(AreaLevel::Municipality)
            .into_iter()
            .find(|a| a.area.as_str() == code)
            .unwrap();
        rules().into_iter().zip(area.covered).collect()
    };
    // GM0001: the first hamlet (100) by the cabinet always; the second (200) by the office AED
    // on a weekday at 10:00 only (Saturday and evenings closed).
    assert_eq!(
        covered("GM0001"),
        [
            ("24_7", 100.0),
            ("day", 300.0),
            ("evening", 100.0),
            ("night", 100.0),
            ("weekend", 100.0)
        ]
    );
    // GM0002: the third hamlet (300) by the outdoor AED without hours (day and night), never by
    // the private one beside it.
    assert_eq!(
        covered("GM0002"),
        [
            ("24_7", 300.0),
            ("day", 300.0),
            ("evening", 300.0),
            ("night", 300.0),
            ("weekend", 300.0)
        ]
    );
}

#[test]
fn the_facts_count_residents_without_a_24_7_aed_and_the_public_aeds_of_each_municipality() {
    let (aed, _dir) = monitor();
    let facts = facts(&aed);
    let value = |area: &str, variable: &str| {
        facts
            .iter()
            .find(|f| f.area.as_str() == area && f.variable == variable)
            .map(|f| f.value)
    };
    assert_eq!(
        value("GM0001", "aed_persons"),
        Some(CellValue::Value(300.0))
    );
    assert_eq!(
        value("GM0001", "aed_uncovered_24_7"),
        Some(CellValue::Value(200.0))
    );
    // The cabinet and the office AED hang nearest the first two hamlets; the private one does
    // not count, the wall cabinet is GM0002's.
    assert_eq!(value("GM0001", "aed_count"), Some(CellValue::Value(2.0)));
    assert_eq!(
        value("GM0001", "aed_count_24_7"),
        Some(CellValue::Value(1.0))
    );
    assert_eq!(
        value("GM0001", "aed_count_indoor"),
        Some(CellValue::Value(1.0))
    );
    assert_eq!(value("GM0002", "aed_count"), Some(CellValue::Value(1.0)));
    // Without responders there are no responder facts.
    assert_eq!(value("GM0001", "aed_responders"), None);
}
