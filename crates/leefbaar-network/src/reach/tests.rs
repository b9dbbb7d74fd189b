//! Reach on small synthetic OSM data and on real extracts: one-way streets, counts, area means,
#![expect(
    clippy::cast_possible_truncation,
    reason = "test graphs and record counts are small"
)]
//! scenarios against from-scratch results, straight-line fallback and bad records.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::osm::{OsmExtract, OsmWay};
use crate::profile::Profile;

const M_PER_DEG_LAT: f64 = 111_195.08;

/// A point `x_m` east and `y_m` north of (6.5 E, 52.8 N), in Drenthe.
fn at(x_m: f64, y_m: f64) -> Wgs84Point {
    Wgs84Point::new(
        6.5 + x_m / (M_PER_DEG_LAT * 52.8f64.to_radians().cos()),
        52.8 + y_m / M_PER_DEG_LAT,
    )
}

fn area(code: &str) -> AreaCode {
    AreaCode::parse(code).unwrap()
}

fn origin(id: &str, point: Wgs84Point, persons: f64, areas: &[&str]) -> Origin {
    Origin {
        id: id.to_owned(),
        point,
        persons,
        areas: areas.iter().map(|a| area(a)).collect(),
    }
}

fn facility(id: &str, kind: &str, point: Wgs84Point) -> Facility {
    Facility {
        id: id.to_owned(),
        kind: kind.to_owned(),
        point,
    }
}

/// A one-way street 1 -> 2 (west to east, 1 km), a two-way street 2 - 3 going on east for
/// 500 m, and a two-way loop back 2 - 4 - 5 - 1 (500 m north, 1 km west, 500 m south).
fn one_way_village() -> OsmExtract {
    let tags = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    OsmExtract {
        path: "one-way village (synthetic)".into(),
        nodes: vec![
            (1, at(0.0, 0.0)),
            (2, at(1000.0, 0.0)),
            (3, at(1500.0, 0.0)),
            (4, at(1000.0, 500.0)),
            (5, at(0.0, 500.0)),
        ],
        ways: vec![
            OsmWay {
                id: 1,
                refs: vec![1, 2],
                tags: tags(&[("highway", "residential"), ("oneway", "yes")]),
            },
            OsmWay {
                id: 2,
                refs: vec![2, 3],
                tags: tags(&[("highway", "residential")]),
            },
            OsmWay {
                id: 3,
                refs: vec![2, 4, 5, 1],
                tags: tags(&[("highway", "residential")]),
            },
        ],
    }
}

#[test]
fn the_nearest_school_by_car_differs_from_the_nearest_on_foot_because_of_a_one_way_street() {
    let extract = one_way_village();
    // The origin lies 500 m along the one-way street, 20 m south of it. School A is 200 m back
    // against the flow; school B 900 m ahead.
    let origins = [origin("home", at(500.0, -20.0), 4.0, &["BU01060000"])];
    let facilities = [
        facility("A", "school", at(300.0, 10.0)),
        facility("B", "school", at(1400.0, -10.0)),
    ];
    let (car, _) = extract.network(Profile::Car).unwrap();
    let (foot, _) = extract.network(Profile::Foot).unwrap();
    let by_car = ReachModel::prepare(
        Method::Network(&car),
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap()
    .kind_report("school")
    .unwrap();
    let on_foot = ReachModel::prepare(
        Method::Network(&foot),
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap()
    .kind_report("school")
    .unwrap();
    assert_eq!(by_car.origins[0].nearest_facility, Some(1), "{by_car:?}");
    assert_eq!(on_foot.origins[0].nearest_facility, Some(0), "{on_foot:?}");
    // Car: 20 m leg + 500 m + 400 m + 10 m leg; foot: 20 m + 200 m + 10 m, within a metre.
    let car_m = by_car.origins[0].nearest_distance_m.unwrap();
    let foot_m = on_foot.origins[0].nearest_distance_m.unwrap();
    assert!((car_m - 930.0).abs() < 1.0, "{car_m}");
    assert!((foot_m - 230.0).abs() < 1.0, "{foot_m}");
    assert_eq!(by_car.method, "network:car");
    assert!(!by_car.origins[0].approximate);
    // Car counts: only B within 1 km; A lies 2.8 km round the loop. On foot both within 3 km.
    assert_eq!(by_car.origins[0].within_radius, vec![1, 2, 2]);
    assert_eq!(on_foot.origins[0].within_radius, vec![2, 2, 2]);
    // Time: 500 m + 400 m at 30 km/h plus 30 m at 15 km/h.
    let car_s = by_car.origins[0].nearest_time_s.unwrap();
    assert!(
        (car_s - (900.0 / (30.0 / 3.6) + 30.0 / (15.0 / 3.6))).abs() < 0.5,
        "{car_s}"
    );
}

#[test]
fn area_means_are_weighted_by_persons_and_shares_count_persons_within_thresholds() {
    let extract = one_way_village();
    let (foot, _) = extract.network(Profile::Foot).unwrap();
    // Facility at node 1; origins 200 m (3 persons) and 1,500 m (1 person) away on foot, both
    // on the road. Two neighbourhoods of one municipality.
    let origins = [
        origin("near", at(200.0, 0.0), 3.0, &["BU01060000", "GM0106"]),
        origin("far", at(1000.0, 500.0), 1.0, &["BU01060001", "GM0106"]),
    ];
    let facilities = [facility("gp", "gp", at(0.0, 0.0))];
    let report = ReachModel::prepare(
        Method::Network(&foot),
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap()
    .kind_report("gp")
    .unwrap();
    let municipality = report
        .areas
        .iter()
        .find(|a| a.area == area("GM0106"))
        .unwrap();
    assert_eq!(municipality.persons, 4.0);
    let mean = municipality.mean_distance_m.unwrap();
    assert!((mean - (3.0 * 200.0 + 1500.0) / 4.0).abs() < 0.5, "{mean}");
    assert_eq!(municipality.share_within_m, vec![0.75, 1.0, 1.0]);
    assert_eq!(report.areas.len(), 3);
    assert_eq!(report.areas[0].area, area("BU01060000"));
}

#[test]
fn straight_line_distances_are_haversine_times_the_detour_factor_and_flagged_approximate() {
    let origins = [origin("o", at(0.0, 0.0), 1.0, &["GM0106"])];
    let facilities = [facility("h", "hospital", at(3000.0, 4000.0))];
    let model = ReachModel::prepare(
        Method::StraightLine,
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap();
    let report = model.kind_report("hospital").unwrap();
    let expected = haversine_m(origins[0].point, facilities[0].point) * 1.3;
    let got = report.origins[0].nearest_distance_m.unwrap();
    assert!((got - expected).abs() < 0.01, "{got} vs {expected}");
    assert!((got - 6500.0).abs() < 10.0, "{got}");
    assert!(report.origins[0].approximate && report.areas[0].approximate);
    assert_eq!(report.origins[0].nearest_time_s, None);
    assert_eq!(report.radii_m, vec![5_000.0, 10_000.0, 20_000.0]);
    assert_eq!(report.origins[0].within_radius, vec![0, 1, 1]);
    assert_eq!(report.method, "straight_line:1.3");
}

#[test]
fn an_origin_far_from_any_road_is_a_finding_naming_it_and_its_persons_are_unreached() {
    let extract = one_way_village();
    let (foot, _) = extract.network(Profile::Foot).unwrap();
    let origins = [
        origin("farm-17", at(0.0, 9000.0), 2.0, &["GM0106"]),
        origin("village", at(100.0, 0.0), 5.0, &["GM0106"]),
    ];
    let facilities = [facility("s", "school", at(0.0, 0.0))];
    let model = ReachModel::prepare(
        Method::Network(&foot),
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap();
    assert_eq!(model.findings().len(), 1);
    let message = model.findings()[0].to_string();
    assert!(
        message.starts_with("origin `farm-17`: 8500 m from the nearest road"),
        "{message}"
    );
    let report = model.kind_report("school").unwrap();
    assert_eq!(report.origins[0].nearest_distance_m, None);
    assert_eq!(report.areas[0].persons_unreached, 2.0);
}

#[test]
fn a_facility_without_a_usable_coordinate_is_an_error_naming_the_record() {
    let origins = [origin("o", at(0.0, 0.0), 1.0, &["GM0106"])];
    let facilities = [facility(
        "school 12AB",
        "school",
        Wgs84Point::new(f64::NAN, 52.0),
    )];
    let message = ReachModel::prepare(
        Method::StraightLine,
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        message,
        "facility `school 12AB`: bad coordinate lon=NaN, lat=52"
    );
}

fn random_points(rng: &mut ChaCha8Rng, network: &Network, n: usize) -> Vec<Wgs84Point> {
    (0..n)
        .map(|_| {
            let node = network.nodes()[rng.random_range(0..network.nodes().len())];
            Wgs84Point::new(
                node.lon + rng.random_range(-0.001..0.001),
                node.lat + rng.random_range(-0.001..0.001),
            )
        })
        .collect()
}

fn amsterdam(profile: Profile) -> Network {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/amsterdam_tiny.osm.pbf");
    OsmExtract::read(&path).unwrap().network(profile).unwrap().0
}

fn random_case(random_seed: u64, network: &Network) -> (Vec<Origin>, Vec<Facility>) {
    let mut rng = ChaCha8Rng::seed_from_u64(random_seed);
    let areas = ["BU03630000", "BU03630001", "BU03630002"];
    let origins = random_points(&mut rng, network, 60)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            origin(
                &format!("o{i}"),
                p,
                f64::from(1 + (i % 7) as u32),
                &[areas[i % 3], "GM0363"],
            )
        })
        .collect();
    let facilities = random_points(&mut rng, network, 8)
        .into_iter()
        .enumerate()
        .map(|(i, p)| facility(&format!("f{i}"), "school", p))
        .collect();
    (origins, facilities)
}

#[test]
fn counts_within_radii_equal_counting_single_facility_distances_on_a_real_extract() {
    let network = amsterdam(Profile::Foot);
    let (origins, facilities) = random_case(7, &network);
    let params = Params {
        radii_m: vec![100.0, 300.0, 600.0],
        ..Params::default()
    };
    let report = ReachModel::prepare(
        Method::Network(&network),
        &origins,
        &facilities,
        params.clone(),
    )
    .unwrap()
    .kind_report("school")
    .unwrap();
    let mut expected = vec![vec![0u32; 3]; origins.len()];
    for f in &facilities {
        let alone = ReachModel::prepare(
            Method::Network(&network),
            &origins,
            std::slice::from_ref(f),
            params.clone(),
        )
        .unwrap()
        .kind_report("school")
        .unwrap();
        for (o, r) in alone.origins.iter().enumerate() {
            for (i, radius) in params.radii_m.iter().enumerate() {
                if r.nearest_distance_m.is_some_and(|d| d <= *radius) {
                    expected[o][i] += 1;
                }
            }
        }
    }
    let got: Vec<Vec<u32>> = report
        .origins
        .iter()
        .map(|r| r.within_radius.clone())
        .collect();
    assert_eq!(got, expected, "random seed 7");
}

#[test]
fn closing_and_opening_facilities_incrementally_equals_recomputing_from_scratch() {
    for profile in Profile::ALL {
        let network = amsterdam(profile);
        for random_seed in 0..4u64 {
            let (origins, facilities) = random_case(random_seed, &network);
            let model = ReachModel::prepare(
                Method::Network(&network),
                &origins,
                &facilities,
                Params::default(),
            )
            .unwrap();
            let before = model.kind_report("school").unwrap();
            // Close the nearest school of the first origin and one more; open one new school.
            let first = before.origins[0].nearest_facility.unwrap();
            let close = vec![
                facilities[first].id.clone(),
                facilities[(first + 3) % 8].id.clone(),
            ];
            let opened = random_case(random_seed + 100, &network).1[0].clone();
            let scenario = Scenario {
                close: close.clone(),
                open: vec![Facility {
                    id: "new".into(),
                    ..opened
                }],
            };
            let outcome = model.scenario("school", &scenario).unwrap();
            let remaining: Vec<Facility> = facilities
                .iter()
                .filter(|f| !close.contains(&f.id))
                .cloned()
                .chain(scenario.open.iter().cloned())
                .collect();
            let scratch = ReachModel::prepare(
                Method::Network(&network),
                &origins,
                &remaining,
                Params::default(),
            )
            .unwrap()
            .kind_report("school")
            .unwrap();
            assert_scenario_equals_scratch(
                &outcome,
                &scratch,
                &format!("{profile}, random seed {random_seed}"),
            );
        }
    }
}

/// The scenario's distances, times, counts within radii and area means equal those of a model
/// prepared from scratch with the changed facilities.
fn assert_scenario_equals_scratch(outcome: &ScenarioOutcome, scratch: &KindReach, case: &str) {
    let column = |f: fn(&OriginReach) -> Option<f64>| -> Vec<Option<f64>> {
        scratch.origins.iter().map(f).collect()
    };
    assert_eq!(
        outcome.origin_distance_m,
        column(|r| r.nearest_distance_m),
        "{case}"
    );
    assert_eq!(
        outcome.origin_time_s,
        column(|r| r.nearest_time_s),
        "{case}"
    );
    let counts: Vec<Vec<u32>> = scratch
        .origins
        .iter()
        .map(|r| r.within_radius.clone())
        .collect();
    assert_eq!(outcome.origin_within_radius, counts, "{case}");
    assert_eq!(outcome.areas.len(), scratch.areas.len(), "{case}");
    for (change, area) in outcome.areas.iter().zip(&scratch.areas) {
        assert_eq!(change.area, area.area);
        assert_eq!(change.mean_distance_after_m, area.mean_distance_m, "{case}");
        assert_eq!(change.mean_time_after_s, area.mean_time_s, "{case}");
        assert_eq!(
            change.mean_within_radius_after, area.mean_within_radius,
            "{case}"
        );
    }
}

#[test]
fn straight_line_scenarios_equal_recomputing_from_scratch_times_and_counts_included() {
    let params = Params {
        straight_line_speed_m_per_s: Some(15.0 / 3.6),
        ..Params::default()
    };
    for random_seed in 0..6u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(random_seed);
        let mut point = || {
            at(
                rng.random_range(0.0..20_000.0),
                rng.random_range(0.0..20_000.0),
            )
        };
        let origins: Vec<Origin> = (0..400u32)
            .map(|i| {
                let areas = [
                    ["GM0106", "PC9401"],
                    ["GM0106", "PC9402"],
                    ["GM0109", "PC7741"],
                ];
                origin(
                    &format!("o{i}"),
                    point(),
                    f64::from(1 + i % 5),
                    &areas[(i % 3) as usize],
                )
            })
            .collect();
        let facilities: Vec<Facility> = (0..40)
            .map(|i| facility(&format!("f{i}"), "school", point()))
            .collect();
        let model =
            ReachModel::prepare(Method::StraightLine, &origins, &facilities, params.clone())
                .unwrap();
        let before = model.kind_report("school").unwrap();
        let first = before.origins[0].nearest_facility.unwrap();
        let close = vec![
            facilities[first].id.clone(),
            facilities[(first + 7) % 40].id.clone(),
        ];
        let scenario = Scenario {
            close: close.clone(),
            open: vec![facility("new", "school", point())],
        };
        let outcome = model.scenario("school", &scenario).unwrap();
        let remaining: Vec<Facility> = facilities
            .iter()
            .filter(|f| !close.contains(&f.id))
            .cloned()
            .chain(scenario.open.iter().cloned())
            .collect();
        let scratch =
            ReachModel::prepare(Method::StraightLine, &origins, &remaining, params.clone())
                .unwrap()
                .kind_report("school")
                .unwrap();
        assert_scenario_equals_scratch(&outcome, &scratch, &format!("random seed {random_seed}"));
    }
}

#[test]
fn straight_line_times_are_the_detoured_distance_at_the_profile_speed() {
    let origins = [
        origin("near", at(0.0, 0.0), 3.0, &["GM0106"]),
        origin("far", at(0.0, 20_000.0), 1.0, &["GM0106"]),
    ];
    let facilities = [facility("s", "school", at(3000.0, 4000.0))];
    let params = Params {
        straight_line_speed_m_per_s: Some(15.0 / 3.6),
        time_thresholds_s: vec![900.0, 1800.0],
        ..Params::default()
    };
    let report = ReachModel::prepare(Method::StraightLine, &origins, &facilities, params)
        .unwrap()
        .kind_report("school")
        .unwrap();
    for r in &report.origins {
        let expected = r.nearest_distance_m.unwrap() / (15.0 / 3.6);
        assert!((r.nearest_time_s.unwrap() - expected).abs() < 0.01, "{r:?}");
    }
    // 6.5 km at 15 km/h is 26 minutes; about 21.5 km is 86 minutes.
    let area = &report.areas[0];
    assert_eq!(area.share_within_s, vec![0.0, 0.75]);
    assert_eq!(area.persons_beyond_s, vec![4.0, 1.0]);
    assert_eq!(area.persons_beyond_m, vec![4.0, 4.0, 4.0]);
    assert!(area.approximate);
}

#[test]
fn a_closure_reports_the_persons_who_now_live_beyond_a_threshold() {
    let extract = one_way_village();
    let (foot, _) = extract.network(Profile::Foot).unwrap();
    let origins = [origin("o", at(200.0, 0.0), 3.0, &["GM0106"])];
    let facilities = [
        facility("near", "school", at(0.0, 0.0)),
        facility("far", "school", at(1500.0, 0.0)),
    ];
    let model = ReachModel::prepare(
        Method::Network(&foot),
        &origins,
        &facilities,
        Params::default(),
    )
    .unwrap();
    let outcome = model
        .scenario(
            "school",
            &Scenario {
                close: vec!["near".into()],
                open: vec![],
            },
        )
        .unwrap();
    let change = &outcome.areas[0];
    assert!(
        (change.change_m.unwrap() - 1100.0).abs() < 1.0,
        "{change:?}"
    );
    assert_eq!(change.persons_newly_beyond, vec![3.0, 0.0, 0.0]);
    // On foot at 5 km/h: 1,100 m more is 13.2 minutes more, and 3 persons cross 15 minutes.
    assert!(
        (change.change_s.unwrap() - 1100.0 / (5.0 / 3.6)).abs() < 1.0,
        "{change:?}"
    );
    assert_eq!(change.persons_newly_beyond_s, vec![3.0, 0.0, 0.0]);
    assert_eq!(change.mean_within_radius_before, vec![1.0, 2.0, 2.0]);
    assert_eq!(change.mean_within_radius_after, vec![0.0, 1.0, 1.0]);
    let unknown = model.scenario(
        "school",
        &Scenario {
            close: vec!["nope".into()],
            open: vec![],
        },
    );
    assert_eq!(
        unknown.unwrap_err().to_string(),
        "scenario: no facility `nope` of kind `school`"
    );
}
