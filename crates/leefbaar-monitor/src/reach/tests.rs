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

/// The value of the fact of `variable` (there must be one, with a value).
fn fact_value(facts: &[leefbaar_model::Fact], variable: &str) -> f64 {
    let fact = facts
        .iter()
        .find(|f| f.variable == variable)
        .unwrap_or_else(|| panic!("no fact {variable}"));
    match fact.value {
        CellValue::Value(v) => v,
        CellValue::Missing(_) => panic!("{variable} is missing"),
    }
}

#[test]
fn time_facts_split_every_person_into_within_and_beyond_each_threshold() {
    let facts = facts(&monitor());
    let value = |variable: &str| fact_value(&facts, variable);
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

#[test]
fn every_kind_is_timed_by_car_bicycle_and_on_foot_whatever_its_own_profile() {
    let monitor = monitor();
    let school = monitor
        .table("havo_vwo_school", Some(AreaLevel::Municipality))
        .unwrap();
    assert_eq!(school.profile, leefbaar_network::Profile::Bicycle);
    let row = &school.areas[0];
    // Straight line × 1.3 at 60, 15 and 5 km/h: minutes = km × 60 / speed.
    let mean_km = 1.3 * (2.0 + 5.0 + 20.0 + 40.0 + 50.0) / 5.0;
    let minutes: Vec<(&str, f64)> = row
        .mean_time_by_profile_s
        .iter()
        .map(|(profile, s)| (profile.as_str(), s.unwrap() / 60.0))
        .collect();
    for ((profile, got), (name, kmh)) in
        minutes
            .iter()
            .zip([("car", 60.0), ("bicycle", 15.0), ("foot", 5.0)])
    {
        assert_eq!(*profile, name);
        assert!(
            (got - mean_km * 60.0 / kmh).abs() < 0.01,
            "{profile}: {got} minutes"
        );
    }
    // The kind's own profile's mean is the table's mean time.
    assert_eq!(row.mean_time_by_profile_s[1].1, row.mean_time_s);
}

#[test]
fn person_minutes_on_every_profile_are_facts_whose_mean_the_catalogue_declares() {
    let facts = facts(&monitor());
    let total = |variable: &str| fact_value(&facts, variable);
    // 100 persons at each of 2, 5, 20, 40 and 50 km: 1.3 × 117 km × 100 persons = 15,210
    // person-km, a minute per km by car, 4 by bicycle and 12 on foot.
    let person_km = 1.3 * 117.0 * 100.0;
    for (variable, minutes_per_km) in [
        ("reach_hospital_time_car_total", 1.0),
        ("reach_havo_vwo_school_time_bicycle_total", 4.0),
        ("reach_hospital_time_foot_total", 12.0),
    ] {
        let got = total(variable);
        // Times are kept in whole milliseconds per origin.
        assert!(
            (got - person_km * minutes_per_km).abs() < 1.0,
            "{variable}: {got}"
        );
    }
    let catalogue = leefbaar_indicators::default_catalogue()
        .extend("reach", &catalogue_entries(&spec()))
        .unwrap();
    let indicator = catalogue.indicator("reach_time_hospital_foot").unwrap();
    assert_eq!(indicator.unit, leefbaar_model::Unit::Minutes);
    assert!(indicator.description.en.contains("at 5 km/h"));
    assert!(
        catalogue
            .indicator("reach_time_hospital_car")
            .unwrap()
            .description
            .en
            .contains("the kind's own profile")
    );
}

/// The bundled Drenthe reach, prepared as an import prepares it (straight line).
fn drenthe() -> ReachMonitor {
    let manifest =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest).unwrap();
    let spec = bundle.reach.unwrap();
    let province = AreaCode::parse("PV22").unwrap();
    ReachMonitor::prepare(&spec, (&province, "Drenthe"), &ReachOptions::default()).unwrap()
}

/// Σ persons × value and Σ persons per parent, from the rows of a finer level.
fn weighted_by_parent(
    rows: &[super::AreaReachRow],
    parent_of: &std::collections::BTreeMap<AreaCode, AreaCode>,
    value: impl Fn(&super::AreaReachRow) -> f64,
) -> std::collections::BTreeMap<AreaCode, (f64, f64)> {
    let mut sums = std::collections::BTreeMap::new();
    for row in rows {
        let entry = sums
            .entry(parent_of[&row.area].clone())
            .or_insert((0.0, 0.0));
        entry.0 += row.persons * value(row);
        entry.1 += row.persons;
    }
    sums
}

#[test]
fn on_the_bundled_grid_postcode_areas_keep_their_registered_persons_and_municipalities_are_their_person_weighted_means()
 {
    let monitor = drenthe();
    // The registered persons and municipality of every PC4 area, from the bundle's own file.
    let origins = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/drenthe/reach_origins_pc4_2021/origins_pc4_2021.csv");
    let mut registered = std::collections::BTreeMap::new();
    let mut municipality_of = std::collections::BTreeMap::new();
    for row in csv::Reader::from_path(&origins).unwrap().records() {
        let row = row.unwrap();
        let pc4 = AreaCode::parse(&format!("PC{}", &row[0])).unwrap();
        registered.insert(pc4.clone(), row[2].parse::<f64>().unwrap());
        municipality_of.insert(pc4, AreaCode::parse(&row[4]).unwrap());
    }
    for kind in ["primary_school", "havo_vwo_school", "hospital"] {
        let postcodes = monitor.table(kind, Some(AreaLevel::Postcode)).unwrap();
        assert_eq!(postcodes.areas.len(), 260, "{kind}");
        for row in &postcodes.areas {
            let expected = registered[&row.area];
            assert!(
                (row.persons - expected).abs() < 1e-6 * expected.max(1.0),
                "{kind} {}: {} persons, registered {expected}",
                row.area,
                row.persons
            );
        }
        let sums = weighted_by_parent(&postcodes.areas, &municipality_of, |r| {
            r.mean_distance_m.unwrap()
        });
        let municipalities = monitor.table(kind, Some(AreaLevel::Municipality)).unwrap();
        assert_eq!(municipalities.areas.len(), 12);
        for row in &municipalities.areas {
            let (total, persons) = sums[&row.area];
            assert!((row.persons - persons).abs() < 1e-6, "{}", row.area);
            let mean = row.mean_distance_m.unwrap();
            assert!(
                (mean - total / persons).abs() < 1e-9 * mean,
                "{kind} {}: {mean} m, from its postcode areas {} m",
                row.area,
                total / persons
            );
        }
    }
}

#[test]
fn on_the_bundled_grid_neighbourhoods_come_from_the_same_origins_as_their_municipalities() {
    let monitor = drenthe();
    let neighbourhoods = monitor
        .table("primary_school", Some(AreaLevel::Neighbourhood))
        .unwrap();
    assert_eq!(neighbourhoods.areas.len(), 663);
    // A BU code names its municipality: BU + the municipality's four digits + six more.
    let parent_of: std::collections::BTreeMap<AreaCode, AreaCode> = neighbourhoods
        .areas
        .iter()
        .map(|row| {
            let code = row.area.to_string();
            (
                row.area.clone(),
                AreaCode::parse(&format!("GM{}", &code[2..6])).unwrap(),
            )
        })
        .collect();
    let sums = weighted_by_parent(&neighbourhoods.areas, &parent_of, |r| {
        r.mean_distance_m.unwrap()
    });
    let municipalities = monitor
        .table("primary_school", Some(AreaLevel::Municipality))
        .unwrap();
    let (mut in_neighbourhoods, mut all) = (0.0, 0.0);
    for row in &municipalities.areas {
        let (total, persons) = sums[&row.area];
        in_neighbourhoods += persons;
        all += row.persons;
        // The few parts that lie in no buurt polygon count for the municipality only, and a
        // buurt on a municipal border may get a neighbour's PC4 part: the means agree to within
        // a few metres, not exactly.
        let mean = row.mean_distance_m.unwrap();
        assert!(
            (mean - total / persons).abs() < 0.02 * mean,
            "{}: {mean} m, from its neighbourhoods {} m",
            row.area,
            total / persons
        );
    }
    // Nearly everyone lies in a neighbourhood.
    assert!(
        in_neighbourhoods > 0.995 * all,
        "{in_neighbourhoods} of {all}"
    );
}

#[test]
fn facilities_are_counted_within_the_kind_s_own_thresholds_and_an_opening_updates_the_counts() {
    let monitor = monitor();
    // Hospital thresholds: 5 km. By straight line × 1.3 only the origin 2 km north (2.6 km)
    // has the hospital within 5 km: a mean of 1 in 5.
    let table = monitor
        .table("hospital", Some(AreaLevel::Municipality))
        .unwrap();
    assert_eq!(table.areas[0].mean_count_within, vec![(5_000.0, Some(0.2))]);
    let facts = facts(&monitor);
    let counted = facts
        .iter()
        .find(|f| f.variable == "reach_hospital_count_within_5km_total")
        .unwrap();
    assert_eq!(counted.value, CellValue::Value(100.0));
    // A new hospital 3 km north is within 5 km (× 1.3) of the origins 2 and 5 km north: the
    // first now has two, the second one.
    let scenario = monitor
        .scenario(
            "hospital",
            &[],
            &[north(3_000.0)],
            Some(AreaLevel::Municipality),
        )
        .unwrap();
    let row = &scenario.areas[0];
    assert_eq!(row.mean_count_within_before, vec![(5_000.0, Some(0.2))]);
    assert_eq!(row.mean_count_within_after, vec![(5_000.0, Some(0.6))]);
    let catalogue = leefbaar_indicators::default_catalogue()
        .extend("reach", &catalogue_entries(&spec()))
        .unwrap();
    assert!(
        catalogue
            .indicator("reach_count_hospital_within_5km")
            .is_some()
    );
}
