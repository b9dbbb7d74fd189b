//! Reach over a real road network, end to end: the Delft extract (`data/osm_fixtures/`) with its
//! own facilities (the AEDs, GP practices and supermarkets mapped in it) and its own addresses as
//! population points, through the same monitor an import uses with `--network`: one graph per
//! profile, distances and thresholds on each kind's own profile, times on all three, facts for
//! the store and a closure scenario.

use std::path::{Path, PathBuf};

use leefbaar_ingest::{ReachKindSpec, ReachSource, ReachSpec};
use leefbaar_model::{AreaCode, AreaLevel, CellValue, LocalizedText, Year};
use leefbaar_monitor::reach::{ReachInputs, ReachMonitor, ReachOptions, facts};
use leefbaar_network::{Facility, Origin, Profile, Wgs84Point, address_points, haversine_m};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/osm_fixtures")
}

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

/// AEDs on foot within 500 m and 6 minutes (the alert system's rule), GPs by bicycle,
/// supermarkets on foot.
fn spec() -> ReachSpec {
    ReachSpec {
        year: Year::new(2025).unwrap(),
        origins: PathBuf::from("addresses"),
        neighbourhood_origins: None,
        grid: None,
        origins_note: text("OSM addresses of the Delft extract"),
        source: ReachSource {
            id: "delft_osm".to_owned(),
            file: "delft_area_2025.osm.pbf".to_owned(),
            table: "OSM Delft".to_owned(),
            licence: "ODbL".to_owned(),
            attribution: "© OpenStreetMap contributors".to_owned(),
            description: "test".to_owned(),
        },
        kinds: vec![
            kind("aed", "foot", &[500.0], &[6.0]),
            kind("gp", "bicycle", &[1000.0], &[5.0]),
            kind("supermarket", "foot", &[1000.0], &[10.0]),
        ],
    }
}

/// The extract's points of interest as facilities of our three kinds.
fn facilities() -> Vec<Facility> {
    let text = fs_err::read_to_string(fixtures().join("delft_area_2025_pois.geojson")).unwrap();
    let collection: serde_json::Value = serde_json::from_str(&text).unwrap();
    collection["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| {
            let tags = &feature["properties"];
            let kind = if tags["emergency"] == "defibrillator" {
                "aed"
            } else if tags["shop"] == "supermarket" {
                "supermarket"
            } else {
                "gp"
            };
            let xy = &feature["geometry"]["coordinates"];
            Facility {
                id: format!("node/{}", tags["@id"]),
                kind: kind.to_owned(),
                point: Wgs84Point::new(xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap()),
            }
        })
        .collect()
}

/// The addresses of the extract's campus box (where its streets are complete), one household
/// each, all in municipality Delft.
fn origins() -> Vec<Origin> {
    let delft = AreaCode::parse("GM0503").unwrap();
    address_points(&fixtures().join("delft_area_2025.osm.pbf"))
        .unwrap()
        .into_iter()
        .filter(|a| {
            (4.355..=4.386).contains(&a.point.lon) && (51.995..=52.005).contains(&a.point.lat)
        })
        .map(|a| Origin {
            id: a.osm,
            point: a.point,
            persons: 1.0,
            areas: vec![delft.clone()],
        })
        .collect()
}

#[test]
fn over_the_delft_network_every_kind_is_measured_on_its_own_profile_and_timed_on_all_three() {
    let origins = origins();
    assert!(origins.len() > 500, "{} addresses", origins.len());
    let facilities = facilities();
    assert_eq!(facilities.iter().filter(|f| f.kind == "aed").count(), 13);
    let cache = tempfile::tempdir().unwrap();
    let monitor = ReachMonitor::from_inputs(
        &spec(),
        ReachInputs {
            origins: origins.clone(),
            facilities: facilities.clone(),
            ..ReachInputs::default()
        },
        &ReachOptions {
            network: Some(fixtures().join("delft_area_2025.osm.pbf")),
            profile: None,
            cache_dir: cache.path().to_owned(),
        },
    )
    .unwrap();
    assert!(!monitor.is_approximate());
    // One cached graph per profile.
    for profile in Profile::ALL {
        assert!(
            cache
                .path()
                .join(format!("network-{profile}.leefnet"))
                .is_file()
        );
    }

    // Over the road no trip is shorter than the straight line to the nearest facility.
    let report = monitor.kind_report("aed").unwrap();
    let aeds: Vec<Wgs84Point> = facilities
        .iter()
        .filter(|f| f.kind == "aed")
        .map(|f| f.point)
        .collect();
    let mut placed = 0;
    for (origin, reach) in origins.iter().zip(&report.origins) {
        let Some(network_m) = reach.nearest_distance_m else {
            continue;
        };
        placed += 1;
        let straight_m = aeds
            .iter()
            .map(|a| haversine_m(origin.point, *a))
            .fold(f64::INFINITY, f64::min);
        assert!(
            network_m >= straight_m - 1.0,
            "{}: {network_m} m over the network, {straight_m} m straight",
            origin.id
        );
        assert!(!reach.approximate);
    }
    assert!(
        placed > origins.len() * 9 / 10,
        "{placed} of {} placed",
        origins.len()
    );

    // The AED's own profile is foot; its times by bicycle are shorter than on foot.
    let table = monitor.table("aed", Some(AreaLevel::Municipality)).unwrap();
    assert_eq!(table.profile, Profile::Foot);
    let row = &table.areas[0];
    let minutes = |p: Profile| {
        row.mean_time_by_profile_s
            .iter()
            .find(|(q, _)| *q == p)
            .and_then(|(_, s)| *s)
            .unwrap()
            / 60.0
    };
    assert_eq!(
        row.mean_time_s.map(|s| s / 60.0),
        Some(minutes(Profile::Foot))
    );
    assert!(minutes(Profile::Bicycle) < minutes(Profile::Foot) / 2.0);
    let share_500m = row.share_within[0].1.unwrap();
    assert!((0.0..=1.0).contains(&share_500m));

    // Facts: every origin with values on every profile counts once, in one denominator.
    let facts = facts(&monitor);
    let value = |variable: &str| match facts.iter().find(|f| f.variable == variable) {
        Some(fact) => match fact.value {
            CellValue::Value(v) => v,
            CellValue::Missing(_) => panic!("{variable} missing"),
        },
        None => panic!("no fact {variable}"),
    };
    let persons = value("reach_persons");
    assert!(persons <= origins.len() as f64 && persons > 0.8 * origins.len() as f64);
    assert!(value("reach_aed_within_500m") <= persons);
    assert!(value("reach_aed_time_foot_total") > value("reach_aed_time_bicycle_total"));

    // Closing the AED that most addresses have as their nearest only ever lengthens trips.
    let mut nearest_count = vec![0usize; facilities.len()];
    for reach in &report.origins {
        if let Some(f) = reach.nearest_facility {
            nearest_count[f] += 1;
        }
    }
    let busiest = (0..facilities.len())
        .max_by_key(|&f| nearest_count[f])
        .unwrap();
    let scenario = monitor
        .scenario("aed", &[facilities[busiest].id.clone()], &[], None)
        .unwrap();
    assert!(scenario.nodes_updated > 0);
    let delft = &scenario.areas[0];
    assert!(delft.change_m.unwrap() > 0.0, "{delft:?}");
    assert!(delft.change_s.unwrap() > 0.0, "{delft:?}");
    assert!(
        delft
            .persons_newly_within
            .iter()
            .all(|(_, p)| *p == Some(0.0))
    );
}

/// The AED monitor over the same network: the extract's own AEDs as a register, its addresses
/// as residents (one each, no ground to spread over).
#[test]
fn aed_coverage_over_the_foot_network_is_what_the_aed_engine_counts_and_never_more_than_the_straight_line()
 {
    use std::fmt::Write as _;

    use leefbaar_aed::availability::reference_moments;
    use leefbaar_aed::registration::{Hours, Placement, read_osm};
    use leefbaar_monitor::aed::{AedMonitor, facts as aed_facts, rules};

    let pbf = fixtures().join("delft_area_2025.osm.pbf");
    let (aeds, _) = read_osm(&pbf).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.csv");
    let mut csv = String::from("id,lon,lat,indoor,opening_hours,access,registered\n");
    for aed in &aeds {
        let indoor = match aed.placement {
            Placement::Outdoor => "no",
            Placement::Indoor => "yes",
            Placement::Unknown => "",
        };
        let hours = match &aed.hours {
            Hours::Always => "24/7".to_owned(),
            Hours::Schedule(hours) => hours.to_string(),
            Hours::Unstated => String::new(),
        };
        let access = if aed.public { "yes" } else { "private" };
        writeln!(
            csv,
            "{},{},{},{indoor},\"{hours}\",{access},no",
            aed.id, aed.point.lon, aed.point.lat
        )
        .unwrap();
    }
    fs_err::write(&register, csv).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let origins = origins();
    let reach = ReachMonitor::from_inputs(
        &spec(),
        ReachInputs {
            origins: origins.clone(),
            facilities: facilities(),
            ..ReachInputs::default()
        },
        &ReachOptions {
            network: Some(pbf.clone()),
            profile: None,
            cache_dir: cache.path().to_owned(),
        },
    )
    .unwrap();
    let spec = leefbaar_ingest::AedSpec {
        year: Year::new(2025).unwrap(),
        register,
        responders: None,
        within_m: 500.0,
        responder_radius_m: 2_000.0,
        responders_per_aed: 60.0,
        source: spec().source,
        synthetic_notice: None,
    };
    let monitor = AedMonitor::prepare(&spec, &reach).unwrap();
    assert!(monitor.has_foot_network());
    let delft = &monitor.coverage(AreaLevel::Municipality)[0];
    let on_foot = delft.covered_on_foot.as_ref().unwrap();
    // The oracle: the AED engine's own coverage of the same homes over the same network.
    let homes: Vec<Wgs84Point> = origins.iter().map(|o| o.point).collect();
    let network = reach.foot_network().unwrap();
    let engine =
        leefbaar_aed::coverage::coverage(network, &homes, &aeds, 500.0, &reference_moments())
            .unwrap();
    for (rule, name) in rules().iter().enumerate() {
        assert_eq!(
            on_foot[rule], engine[rule].homes_covered as f64,
            "{name}: monitor against engine"
        );
        // A walk is never shorter than the straight line.
        assert!(on_foot[rule] <= delft.covered[rule], "{name}");
    }
    // 5,052 of 8,939 day and night in the run of 7 December 2026, as the engine counts them.
    assert!(on_foot[0] > 1_000.0 && on_foot[0] < delft.persons);
    let facts = aed_facts(&monitor);
    assert!(facts.iter().any(|f| f.variable == "aed_covered_foot_night"));
}
