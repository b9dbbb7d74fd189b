//! The bundled national tables build the monitor of any province: Groningen (PV20), whose
//! municipalities merged in 2018, 2019 and 2021, from the same bundle as Drenthe.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_model::{AreaCode, AreaLevel, Year};
use leefbaar_monitor::{ImportOptions, Monitors, PrepareOptions, import_bundle};
use leefbaar_store::{AreaFilter, ObservationFilter, SqliteStore, Store as _};

fn manifest() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml")
}

#[test]
fn groningen_is_built_from_the_bundled_tables_and_its_municipalities_sum_to_the_province() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("leefbaar.sqlite");
    let options = ImportOptions {
        province: Some("Groningen".to_owned()),
        ..ImportOptions::new(manifest(), &store_path)
    };
    let report = import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {}).unwrap();
    assert_eq!(report.province.as_str(), "PV20");
    // Reach's population points are Drenthe's: left out, with the reason.
    let reach = report.left_out.iter().find(|l| l.what == "reach").unwrap();
    assert!(reach.reason.en.contains("outside Groningen"), "{reach:?}");

    let store = SqliteStore::open(&store_path).unwrap();
    let record = store.latest_import().unwrap().unwrap();
    assert_eq!(record.province.as_str(), "PV20");
    let groningen = AreaCode::parse("PV20").unwrap();
    let municipalities = store
        .areas(&AreaFilter {
            level: Some(AreaLevel::Municipality),
            parent: Some(groningen.clone()),
            ..AreaFilter::default()
        })
        .unwrap();
    // Today's ten municipalities and the ones merged into them since 2012.
    let current: Vec<&str> = municipalities
        .iter()
        .filter(|m| m.exists_in(Year::new(2024).unwrap()))
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(current.len(), 10, "{current:?}");
    assert!(municipalities.len() > current.len());
    // Every municipality of Groningen has a boundary for the map.
    let with_geometry = store
        .areas(&AreaFilter {
            codes: current
                .iter()
                .map(|c| AreaCode::parse(c).unwrap())
                .collect(),
            with_geometry: true,
            ..AreaFilter::default()
        })
        .unwrap();
    assert!(with_geometry.iter().all(|a| a.geometry_geojson.is_some()));

    // In every year, the province's inhabitants are the sum of the municipalities that exist
    // in that year (merged-away ones count in their successor's province).
    let observations = store
        .observations(&ObservationFilter {
            indicators: vec!["inhabitants".to_owned()],
            ..ObservationFilter::default()
        })
        .unwrap();
    let mut province: BTreeMap<u16, f64> = BTreeMap::new();
    let mut sum: BTreeMap<u16, f64> = BTreeMap::new();
    for o in &observations {
        let Some(value) = o.value.value() else {
            continue;
        };
        if o.area == groningen {
            province.insert(o.year.get(), value);
        } else if let Some(m) = municipalities.iter().find(|m| m.code == o.area)
            && m.exists_in(o.year)
            && o.provenance.method != Some(leefbaar_model::Method::Redistricted)
        {
            *sum.entry(o.year.get()).or_default() += value;
        }
    }
    assert!(province.len() >= 7, "{province:?}");
    for (year, total) in &province {
        let parts = sum.get(year).copied().unwrap_or_default();
        assert!(
            (total - parts).abs() < 0.5,
            "{year}: Groningen {total} against its municipalities' {parts}"
        );
    }

    // Served: the projection of Groningen's municipalities and the panel (it has respondents in
    // Groningen); reach left out with its reason.
    let monitors = Monitors::prepare(
        Some(record),
        "Groningen",
        &PrepareOptions {
            cache_dir: dir.path().to_path_buf(),
            projection_runs: 20,
        },
    );
    let projection = monitors.projection.as_deref().unwrap();
    let province_projection = projection.area("PV20").unwrap();
    assert_eq!(province_projection.name, "Groningen");
    assert!(province_projection.members.len() >= 10);
    // Oost-Drenthe is a region of Drenthe, not of Groningen.
    assert!(projection.area("oost-drenthe").is_none());
    assert!(monitors.survey.is_some());
    assert!(monitors.reach.is_none());
    let reach = monitors
        .left_out
        .iter()
        .find(|l| l.what == "reach")
        .unwrap();
    assert!(reach.reason.en.contains("outside Groningen"), "{reach:?}");
}
