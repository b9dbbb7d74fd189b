//! OSM import on real extracts: profiles, components, oracle agreement, bad files.
#![expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "test graphs and record counts are small"
)]

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::graph::Metric;
use crate::oracle;
use crate::search::NearestCalculator;

fn crate_data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The environment variable naming a folder of larger OSM extracts (Monaco, Andorra, Delft;
/// 0.4–1.8 MB each), which are not in the repository: `tests/data/SOURCE.md` says where they
/// come from.
const OSM_FIXTURES_VAR: &str = "LEEFBAAR_OSM_FIXTURES";

/// Every `.osm.pbf` in the folder `$LEEFBAAR_OSM_FIXTURES`, sorted; none when the variable is
/// not set, and then a `skipped:` line on stderr (written past the test harness's capture, so
/// that `cargo test` shows it) says what was not checked.
fn optional_osm_fixtures(what: &str) -> Vec<PathBuf> {
    use std::io::Write as _;
    let Some(dir) = std::env::var_os(OSM_FIXTURES_VAR).filter(|d| !d.is_empty()) else {
        // A failed write to stderr is no reason to fail the test.
        let _ = writeln!(
            std::io::stderr().lock(),
            "skipped: {what} on the larger OSM fixtures (set {OSM_FIXTURES_VAR}=DIR, a folder of \
             .osm.pbf files; see crates/leefbaar-network/tests/data/SOURCE.md)"
        );
        return Vec::new();
    };
    let dir = PathBuf::from(dir);
    let entries = fs_err::read_dir(&dir).unwrap_or_else(|e| panic!("{OSM_FIXTURES_VAR}: {e}"));
    let mut files: Vec<PathBuf> = entries
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{OSM_FIXTURES_VAR}: {e}"))
                .path()
        })
        .filter(|p| p.to_string_lossy().ends_with(".osm.pbf"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "{OSM_FIXTURES_VAR}={}: no .osm.pbf file in it",
        dir.display()
    );
    files
}

/// Snaps random facilities onto the network and compares the multi-source field with the
/// oracle at sampled nodes.
fn check_against_oracle(network: &Network, random_seed: u64, n_origins: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(random_seed);
    let n = network.nodes().len() as u32;
    let mut calculator = NearestCalculator::new();
    for metric in [Metric::Distance, Metric::Time] {
        let mut seeds = Vec::new();
        for facility in 0..6 {
            let at = network.nodes()[rng.random_range(0..n) as usize];
            let point = Wgs84Point::new(
                at.lon + rng.random_range(-0.0005..0.0005),
                at.lat + rng.random_range(-0.0005..0.0005),
            );
            let snap = network.snap(point).expect("non-empty network");
            seeds.extend(network.seeds(&snap, facility, metric));
        }
        let field = calculator.nearest(network.reversed(), metric, &seeds);
        for _ in 0..n_origins {
            let node = rng.random_range(0..n);
            let expected = oracle::nearest(network.graph(), metric, &seeds, node);
            assert_eq!(
                field.nearest(node),
                expected,
                "{} {}, node {node}, metric {metric:?}, random seed {random_seed}",
                network.profile(),
                network.nodes().len()
            );
            // In the strong component every node reaches some facility.
            assert!(expected.is_some());
        }
    }
}

#[test]
fn the_tiny_amsterdam_extract_gives_three_connected_profile_networks() {
    let extract = OsmExtract::read(&crate_data("amsterdam_tiny.osm.pbf")).unwrap();
    for profile in Profile::ALL {
        let (network, report) = extract.network(profile).unwrap();
        assert!(report.nodes_kept > 5, "{report:?}");
        assert!(report.nodes_kept <= report.nodes_before);
        assert_eq!(network.graph().n_nodes(), report.nodes_kept);
        check_against_oracle(&network, 42, 40);
    }
}

#[test]
fn multi_source_search_agrees_with_the_oracle_on_every_osm_fixture() {
    // The tiny extract in the repository always (9 car nodes); the larger ones when given.
    let fixtures = std::iter::once((crate_data("amsterdam_tiny.osm.pbf"), 5)).chain(
        optional_osm_fixtures("multi_source_search_agrees_with_the_oracle_on_every_osm_fixture")
            .into_iter()
            .map(|path| (path, 100)),
    );
    for (i, (path, min_nodes)) in fixtures.enumerate() {
        let extract = OsmExtract::read(&path).unwrap();
        for profile in Profile::ALL {
            let (network, report) = extract.network(profile).unwrap();
            assert!(
                report.nodes_kept > min_nodes,
                "{}: {report:?}",
                path.display()
            );
            check_against_oracle(&network, 1000 + i as u64, 6);
        }
    }
}

#[test]
fn reading_the_same_file_twice_gives_identical_networks() {
    let path = crate_data("amsterdam_tiny.osm.pbf");
    let a = OsmExtract::read(&path)
        .unwrap()
        .network(Profile::Car)
        .unwrap()
        .0;
    let b = OsmExtract::read(&path)
        .unwrap()
        .network(Profile::Car)
        .unwrap()
        .0;
    assert_eq!(a.graph(), b.graph());
    assert_eq!(a.streets(), b.streets());
    assert_eq!(a.nodes(), b.nodes());
}

#[test]
fn a_truncated_pbf_file_is_an_error_naming_the_file() {
    let bytes = fs_err::read(crate_data("amsterdam_tiny.osm.pbf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("truncated.osm.pbf");
    fs_err::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let error = OsmExtract::read(&path).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, NetworkError::Pbf { .. }), "{message}");
    assert!(message.contains("truncated.osm.pbf"), "{message}");
}

#[test]
fn a_file_that_is_not_pbf_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roads.osm.pbf");
    fs_err::write(&path, "<?xml version='1.0'?><osm version='0.6'></osm>\n").unwrap();
    let message = OsmExtract::read(&path).unwrap_err().to_string();
    assert!(message.contains("roads.osm.pbf"), "{message}");
    assert!(
        message.contains("not a readable OpenStreetMap PBF file"),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_an_error_naming_the_file() {
    let message = OsmExtract::read(&crate_data("no-such.osm.pbf"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("no-such.osm.pbf"), "{message}");
}

#[test]
fn a_file_without_roads_for_a_profile_says_so() {
    let extract = OsmExtract {
        path: "empty.osm.pbf".into(),
        ..OsmExtract::default()
    };
    let message = extract.network(Profile::Foot).unwrap_err().to_string();
    assert_eq!(message, "empty.osm.pbf: no foot roads found");
}

#[test]
fn ways_are_split_at_junctions_and_keep_their_geometry_length() {
    // An L-shaped way 1-2-3 and a way 2-4 crossing at node 2; node 5 is referenced but absent.
    let p = |x: f64, y: f64| Wgs84Point::new(6.0 + x * 0.001, 52.0 + y * 0.001);
    let tags = |v: &str| vec![("highway".to_owned(), v.to_owned())];
    let extract = OsmExtract {
        path: "synthetic".into(),
        nodes: vec![
            (1, p(0.0, 0.0)),
            (2, p(1.0, 0.0)),
            (3, p(1.0, 1.0)),
            (4, p(2.0, 0.0)),
            (6, p(1.5, 0.5)),
        ],
        ways: vec![
            OsmWay {
                id: 10,
                refs: vec![1, 2, 6, 3],
                tags: tags("residential"),
            },
            OsmWay {
                id: 11,
                refs: vec![2, 4, 5],
                tags: tags("residential"),
            },
        ],
    };
    let (network, report) = extract.network(Profile::Car).unwrap();
    assert_eq!(report.missing_node_refs, 1);
    assert_eq!(network.nodes().len(), 4);
    assert_eq!(network.streets().len(), 3);
    let bent = network
        .streets()
        .iter()
        .position(|s| {
            network
                .street_geometry(
                    u32::try_from(network.streets().iter().position(|t| t == s).unwrap()).unwrap(),
                )
                .len()
                == 3
        })
        .unwrap();
    let geometry = network.street_geometry(bent as u32);
    let expected_m = haversine_m(geometry[0], geometry[1]) + haversine_m(geometry[1], geometry[2]);
    assert_eq!(
        network.streets()[bent].length_cm,
        (expected_m * 100.0).round() as u32
    );
}
