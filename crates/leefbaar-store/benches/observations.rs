//! Benchmarks of the SQLite store on a synthetic region shaped like the dashboard's data.
//!
//! The region has 350 areas: one province with 200 municipalities, one municipality with 100
//! districts, one district with 49 neighbourhoods. CBS codes give districts and neighbourhoods
//! two digits under their parent, so no municipality has 200 districts; the 200-child parent is
//! therefore the province. Each area has 40 indicators × 8 years of observations (112,000).
//!
//! Measured: the dashboard's map-and-chart query (one indicator × all children of one parent ×
//! all years) for the 200 municipalities and the 100 districts, and a full import of the batch
//! into a new database file.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use leefbaar_model::{
    Area, AreaCode, CellValue, IndicatorDef, IndicatorKind, LocalizedText, Method, MissingReason,
    Observation, Provenance, Source, SourceRow, Unit, Year,
};
use leefbaar_store::{ImportBatch, ObservationFilter, SqliteStore, Store};

const INDICATORS: usize = 40;
const FIRST_YEAR: u16 = 2017;
const YEARS: u16 = 8;

fn area(code: &str, parent: Option<&str>) -> Area {
    Area {
        code: AreaCode::parse(code).unwrap(),
        name: format!("Gebied {code}"),
        parent: parent.map(|parent| AreaCode::parse(parent).unwrap()),
        first_year: Year::new(FIRST_YEAR).unwrap(),
        last_year: Year::new(FIRST_YEAR + YEARS - 1).unwrap(),
        geometry_geojson: None,
    }
}

fn region() -> ImportBatch {
    let mut areas = vec![area("PV20", None)];
    areas.extend((1..=200).map(|m| area(&format!("GM{m:04}"), Some("PV20"))));
    areas.extend((0..100).map(|d| area(&format!("WK0001{d:02}"), Some("GM0001"))));
    areas.extend((0..49).map(|b| area(&format!("BU000100{b:02}"), Some("WK000100"))));
    assert_eq!(areas.len(), 350);

    let indicators: Vec<IndicatorDef> = (0..INDICATORS)
        .map(|index| IndicatorDef {
            id: format!("indicator_{index:02}"),
            name: LocalizedText {
                nl: format!("Indicator {index}"),
                en: format!("Indicator {index}"),
            },
            description: LocalizedText::default(),
            theme: "population".to_owned(),
            unit: Unit::Percent,
            kind: IndicatorKind::Share {
                numerator: format!("part_{index}"),
                denominator: "inhabitants".to_owned(),
            },
            decimals: 1,
            source: "kwb".to_owned(),
            factsheet: None,
        })
        .collect();

    let mut observations = Vec::with_capacity(areas.len() * INDICATORS * usize::from(YEARS));
    let mut line = 1_u64;
    for indicator in &indicators {
        for area in &areas {
            for offset in 0..YEARS {
                line += 1;
                // Every 50th cell is secret, as CBS does for small areas.
                let value = if line.is_multiple_of(50) {
                    CellValue::Missing(MissingReason::Secret)
                } else {
                    CellValue::Value((line % 1000) as f64 / 10.0)
                };
                observations.push(Observation {
                    area: area.code.clone(),
                    year: Year::new(FIRST_YEAR + offset).unwrap(),
                    indicator: indicator.id.clone(),
                    value,
                    provenance: Provenance {
                        method: Some(Method::Published),
                        rows: vec![SourceRow {
                            source: "kwb".to_owned(),
                            line,
                        }],
                        parts: 0,
                        note: String::new(),
                    },
                });
            }
        }
    }
    ImportBatch {
        sources: vec![Source {
            id: "kwb".to_owned(),
            file: "kwb.csv".to_owned(),
            table: "CBS Kerncijfers wijken en buurten".to_owned(),
            licence: "CC BY 4.0".to_owned(),
            attribution: "Bron: CBS".to_owned(),
            imported_at: "2026-11-29T00:00:00Z".to_owned(),
        }],
        areas,
        indicators,
        observations,
        postcodes: Vec::new(),
        places: Vec::new(),
        bundle: None,
    }
}

fn queries(c: &mut Criterion) {
    let batch = region();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("bench.sqlite");
    SqliteStore::open(&path).unwrap().import(&batch).unwrap();
    // The server reads through read-only connections; measure one of those.
    let store = SqliteStore::open_read_only(&path).unwrap();

    for (parent, children) in [("PV20", 200), ("GM0001", 100)] {
        let filter = ObservationFilter {
            indicators: vec!["indicator_17".to_owned()],
            parent: Some(AreaCode::parse(parent).unwrap()),
            ..ObservationFilter::default()
        };
        assert_eq!(
            store.observations(&filter).unwrap().len(),
            children * usize::from(YEARS)
        );
        c.bench_function(
            &format!("one indicator × {children} children of {parent} × {YEARS} years"),
            |b| b.iter(|| store.observations(&filter).unwrap()),
        );
    }
}

fn import(c: &mut Criterion) {
    let batch = region();
    let mut group = c.benchmark_group("import");
    // One import takes a good fraction of a second; ten samples keep the run short.
    group.sample_size(10);
    group.bench_function(
        "350 areas × 40 indicators × 8 years into a new file",
        |b| {
            b.iter_batched(
                || {
                    let directory = tempfile::tempdir().unwrap();
                    let store = SqliteStore::open(directory.path().join("bench.sqlite")).unwrap();
                    (directory, store)
                },
                |(directory, mut store)| {
                    store.import(&batch).unwrap();
                    (directory, store)
                },
                BatchSize::PerIteration,
            );
        },
    );
    group.finish();
}

criterion_group!(benches, queries, import);
criterion_main!(benches);
