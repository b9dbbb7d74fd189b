//! Reach of the Drenthe bundle from its grid origins (issue 13): every PC4 area keeps its
//! registered persons, and municipality facts are exactly the sums of their postcode areas'.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_model::{AreaCode, AreaLevel, CellValue};
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions, facts};

fn monitor() -> ReachMonitor {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest).unwrap();
    let spec = bundle.reach.unwrap();
    assert!(
        spec.grid.is_some(),
        "the Drenthe bundle measures from its grid"
    );
    ReachMonitor::prepare(
        &spec,
        (&AreaCode::parse("PV22").unwrap(), "Drenthe"),
        &ReachOptions::default(),
    )
    .unwrap()
}

#[test]
fn every_pc4_area_keeps_its_registered_persons_over_its_grid_parts() {
    let monitor = monitor();
    let mut placed: BTreeMap<String, f64> = BTreeMap::new();
    for origin in monitor.origins() {
        if let Some(postcode) = origin
            .areas
            .iter()
            .find(|a| a.level() == AreaLevel::Postcode)
        {
            *placed.entry(postcode.to_string()).or_default() += origin.persons;
        }
    }
    let registered = csv::Reader::from_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/drenthe/reach_origins_pc4_2021/origins_pc4_2021.csv"),
    )
    .unwrap()
    .deserialize::<BTreeMap<String, String>>()
    .map(|row| {
        let row = row.unwrap();
        (
            format!("PC{}", row["pc4"]),
            row["persons"].parse::<f64>().unwrap(),
        )
    })
    .collect::<BTreeMap<_, _>>();
    assert_eq!(placed.len(), 260);
    for (postcode, persons) in &registered {
        assert!(
            (placed[postcode] - persons).abs() < 1e-6,
            "{postcode}: {} placed of {persons}",
            placed[postcode]
        );
    }
}

#[test]
fn municipality_sums_are_the_sums_of_their_postcode_areas_so_means_are_person_weighted() {
    let monitor = monitor();
    // The municipality of each postcode area, from the origins.
    let mut municipality_of: BTreeMap<AreaCode, AreaCode> = BTreeMap::new();
    for origin in monitor.origins() {
        let postcode = origin
            .areas
            .iter()
            .find(|a| a.level() == AreaLevel::Postcode);
        let municipality = origin
            .areas
            .iter()
            .find(|a| a.level() == AreaLevel::Municipality);
        if let (Some(p), Some(m)) = (postcode, municipality) {
            municipality_of.insert(p.clone(), m.clone());
        }
    }
    let mut from_postcodes: BTreeMap<(AreaCode, String), f64> = BTreeMap::new();
    let mut direct: BTreeMap<(AreaCode, String), f64> = BTreeMap::new();
    for fact in facts(&monitor) {
        let CellValue::Value(value) = fact.value else {
            panic!("{fact:?}")
        };
        match fact.area.level() {
            AreaLevel::Postcode => {
                *from_postcodes
                    .entry((municipality_of[&fact.area].clone(), fact.variable))
                    .or_default() += value;
            }
            AreaLevel::Municipality => {
                direct.insert((fact.area, fact.variable), value);
            }
            _ => {}
        }
    }
    assert_eq!(direct.len(), from_postcodes.len());
    for (key, value) in &direct {
        assert!(
            (from_postcodes[key] - value).abs() <= 1e-6 * value.abs().max(1.0),
            "{key:?}: {value} from origins, {} from postcode areas",
            from_postcodes[key]
        );
    }
    let persons = direct
        .iter()
        .filter(|((_, v), _)| v == "reach_persons")
        .map(|(_, n)| n)
        .sum::<f64>();
    assert!((persons - 494_705.0).abs() < 1e-6, "{persons}");
}
