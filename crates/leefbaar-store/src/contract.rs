//! The store's contract: what every backend must answer, run against each of them.
//!
//! Every test here runs on SQLite (always) and on PostgreSQL (when `LEEFBAAR_TEST_POSTGRES`
//! names a throw-away database, e.g. the cluster of `scripts/postgres/cluster.sh`; each test
//! gets a schema of its own there). Same assertions, same fixture, so the two backends cannot
//! drift apart. Query results are rendered as one line per row by [`listed`] so that each test
//! states the expected rows as text, in the order the trait promises.
//!
//! Backend-specific tests (migrations, corrupt files, read-only connections) live beside each
//! backend (`sqlite/tests.rs`, `postgres/tests.rs`).

use std::cell::Cell;
use std::fmt::Write as _;

use leefbaar_model::{
    Area, AreaCode, AreaLevel, CellValue, FactsheetChart, FactsheetUse, IndicatorDef,
    IndicatorKind, LocalizedText, Method, MissingReason, Observation, Provenance, Source,
    SourceRow, Unit, Year,
};

use crate::{AreaFilter, ImportBatch, ObservationFilter, SqliteStore, Store, StoreError};

/// A store the tests can also count rows of and read notes from, beyond the trait.
pub(crate) trait TestStore: Store {
    /// The number of rows in `table`.
    fn count_rows(&self, table: &str) -> i64;
    /// Every stored note text, sorted.
    fn note_texts(&self) -> Vec<String>;
}

impl TestStore for SqliteStore {
    fn count_rows(&self, table: &str) -> i64 {
        self.connection_for_tests()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .unwrap()
    }

    fn note_texts(&self) -> Vec<String> {
        let connection = self.connection_for_tests();
        let mut statement = connection
            .prepare("SELECT text FROM notes ORDER BY text")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Postgres,
}

thread_local! {
    /// The backend of the test running on this thread (each test runs on a thread of its own).
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Sqlite) };
}

/// Runs `test` with [`fresh_store`] giving stores of `backend`.
pub(crate) fn on_backend(backend: Backend, test: impl FnOnce()) {
    BACKEND.with(|current| current.set(backend));
    test();
}

/// A new, empty store of the current test's backend.
pub(crate) fn fresh_store() -> Box<dyn TestStore> {
    match BACKEND.with(Cell::get) {
        Backend::Sqlite => Box::new(SqliteStore::open_in_memory().unwrap()),
        #[cfg(feature = "postgres")]
        Backend::Postgres => Box::new(crate::postgres::tests::fresh_store()),
        #[cfg(not(feature = "postgres"))]
        Backend::Postgres => unreachable!("PostgreSQL tests are built with the `postgres` feature"),
    }
}

/// Writes each test once per backend: `sqlite::NAME` and, with the `postgres` feature,
/// `postgres::NAME`, which passes without a database only when `LEEFBAAR_TEST_POSTGRES` is unset
/// (`postgres/tests.rs` has a test that fails when CI forgot to set it).
macro_rules! contract_tests {
    ($( $(#[$meta:meta])* fn $name:ident() $body:block )*) => {
        mod sqlite {
            #[allow(clippy::wildcard_imports)]
            use super::*;
            $( $(#[$meta])* #[test] fn $name() { on_backend(Backend::Sqlite, || $body) } )*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            #[allow(clippy::wildcard_imports)]
            use super::*;
            $( $(#[$meta])* #[test] fn $name() {
                if crate::postgres::tests::database_url().is_some() {
                    on_backend(Backend::Postgres, || $body)
                }
            } )*
        }
    };
}

pub(crate) fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

pub(crate) fn year(number: u16) -> Year {
    Year::new(number).unwrap()
}

pub(crate) fn source(id: &str) -> Source {
    Source {
        id: id.to_owned(),
        file: format!("{id}.csv"),
        table: "CBS Kerncijfers wijken en buurten 2024 (85984NED)".to_owned(),
        licence: "CC BY 4.0".to_owned(),
        attribution: "Bron: CBS".to_owned(),
        imported_at: "2026-11-29T03:40:00Z".to_owned(),
    }
}

pub(crate) fn area(text: &str, name: &str, parent: Option<&str>, years: (u16, u16)) -> Area {
    Area {
        code: code(text),
        name: name.to_owned(),
        parent: parent.map(code),
        first_year: year(years.0),
        last_year: year(years.1),
        geometry_geojson: None,
    }
}

pub(crate) fn indicator(id: &str, unit: Unit, kind: IndicatorKind) -> IndicatorDef {
    IndicatorDef {
        id: id.to_owned(),
        name: LocalizedText {
            nl: format!("{id} (nl)"),
            en: format!("{id} (en)"),
        },
        description: LocalizedText {
            nl: "Aantal inwoners op 1 januari.".to_owned(),
            en: "Inhabitants on 1 January.".to_owned(),
        },
        theme: "population".to_owned(),
        unit,
        kind,
        decimals: 1,
        source: "kwb_2024".to_owned(),
        factsheet: None,
    }
}

pub(crate) fn count(id: &str) -> IndicatorDef {
    indicator(
        id,
        Unit::Persons,
        IndicatorKind::Count {
            variable: id.to_owned(),
        },
    )
}

pub(crate) fn observation(
    indicator: &str,
    area: &str,
    year_number: u16,
    value: CellValue,
) -> Observation {
    Observation {
        area: code(area),
        year: year(year_number),
        indicator: indicator.to_owned(),
        value,
        provenance: Provenance {
            method: Some(Method::Published),
            rows: vec![SourceRow {
                source: "kwb_2024".to_owned(),
                line: u64::from(year_number),
            }],
            parts: 0,
            note: String::new(),
        },
    }
}

/// Drenthe in miniature: a province, three municipalities (Hoogeveen ends in 2023 to test the
/// year filter), three districts and a neighbourhood; two indicators over 2022–2024.
pub(crate) fn drenthe_batch() -> ImportBatch {
    let areas = vec![
        area("PV22", "Drenthe", None, (2012, 2024)),
        area("GM0106", "Assen", Some("PV22"), (2012, 2024)),
        area("GM0114", "Emmen", Some("PV22"), (2012, 2024)),
        area("GM0118", "Hoogeveen", Some("PV22"), (2012, 2023)),
        area("WK010600", "Assen-Centrum", Some("GM0106"), (2012, 2024)),
        area("WK010601", "Assen-Oost", Some("GM0106"), (2012, 2024)),
        area("WK011401", "Emmen-Centrum", Some("GM0114"), (2012, 2024)),
        area("BU01060000", "Binnenstad", Some("WK010600"), (2012, 2024)),
    ];
    let mut observations = Vec::new();
    for (index, area) in (0_u32..).zip(&areas) {
        for year_number in 2022..=2024 {
            let value = f64::from(1000 * (index + 1) + u32::from(year_number - 2022));
            let code = area.code.as_str();
            observations.push(observation(
                "inhabitants",
                code,
                year_number,
                CellValue::Value(value),
            ));
            observations.push(observation(
                "households",
                code,
                year_number,
                CellValue::Missing(MissingReason::Secret),
            ));
        }
    }
    ImportBatch {
        sources: vec![source("kwb_2024")],
        areas,
        indicators: vec![count("inhabitants"), count("households")],
        observations,
        postcodes: Vec::new(),
        places: Vec::new(),
        bundle: None,
    }
}

pub(crate) fn store_with(batch: &ImportBatch) -> Box<dyn TestStore> {
    let mut store = fresh_store();
    store.import(batch).unwrap();
    store
}

/// One line per observation: `indicator area year value-or-reason`.
pub(crate) fn listed(store: &dyn TestStore, filter: &ObservationFilter) -> String {
    let mut text = String::new();
    for observation in store.observations(filter).unwrap() {
        let value = match observation.value {
            CellValue::Value(number) => number.to_string(),
            CellValue::Missing(reason) => format!("({reason})"),
        };
        let _ = writeln!(
            text,
            "{} {} {} {value}",
            observation.indicator, observation.area, observation.year
        );
    }
    text
}

/// The codes of the areas matching `filter`, space-separated.
pub(crate) fn area_codes(store: &dyn TestStore, filter: &AreaFilter) -> String {
    let codes: Vec<String> = store
        .areas(filter)
        .unwrap()
        .into_iter()
        .map(|area| area.code.to_string())
        .collect();
    codes.join(" ")
}

/// Rows in sources, areas, indicators and observations.
pub(crate) fn row_counts(store: &dyn TestStore) -> [i64; 4] {
    ["sources", "areas", "indicators", "observations"].map(|table| store.count_rows(table))
}

/// Every shape of the catalogue's `factsheet` field, and none.
pub(crate) fn factsheet_uses() -> Vec<Option<FactsheetUse>> {
    let label = |nl: &str, en: &str| LocalizedText {
        nl: nl.to_owned(),
        en: en.to_owned(),
    };
    vec![
        None,
        Some(FactsheetUse {
            tile: Some(1),
            ..FactsheetUse::default()
        }),
        Some(FactsheetUse {
            tile: Some(8),
            latest: true,
            chart: Some(FactsheetChart::Reach),
            label: Some(label("Basisschool", "Primary school")),
            ranking: None,
            sheet: None,
        }),
        Some(FactsheetUse {
            chart: Some(FactsheetChart::Population),
            ..FactsheetUse::default()
        }),
        Some(FactsheetUse {
            tile: Some(3),
            chart: Some(FactsheetChart::Age),
            label: Some(label("65+", "65+")),
            ranking: Some(1),
            ..FactsheetUse::default()
        }),
        Some(FactsheetUse {
            ranking: Some(2),
            ..FactsheetUse::default()
        }),
        Some(FactsheetUse {
            tile: Some(1),
            chart: Some(FactsheetChart::AedCoverage),
            label: Some(label("24/7", "24/7")),
            sheet: Some("hartveilig".to_owned()),
            ..FactsheetUse::default()
        }),
    ]
}

/// The Drenthe batch with notes as the engine writes them: one formula shared by every
/// `inhabitants` row, a remark of each area's own on `households`, and some empty notes.
pub(crate) fn drenthe_batch_with_notes() -> ImportBatch {
    let mut batch = drenthe_batch();
    for observation in &mut batch.observations {
        observation.provenance.note = match (observation.indicator.as_str(), observation.year.get())
        {
            ("inhabitants", _) => "Σ inhabitants".to_owned(),
            ("households", 2022) => String::new(),
            _ => format!("secret in {}; see CBS", observation.area),
        };
    }
    batch
}

/// `observations` in the order the store lists them.
pub(crate) fn in_key_order(mut observations: Vec<Observation>) -> Vec<Observation> {
    observations
        .sort_by(|a, b| (&a.indicator, &a.area, a.year).cmp(&(&b.indicator, &b.area, b.year)));
    observations
}

/// The stored note texts, sorted.
pub(crate) fn stored_notes(store: &dyn TestStore) -> Vec<String> {
    store.note_texts()
}

pub(crate) fn catalogue(store: &dyn TestStore) -> String {
    let ids: Vec<String> = store
        .indicators()
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    ids.join(" ")
}

pub(crate) fn postcode(
    pc4: u16,
    municipality: &str,
    district: Option<&str>,
) -> leefbaar_model::Postcode {
    leefbaar_model::Postcode {
        pc4,
        place: "Assen".to_owned(),
        municipality: code(municipality),
        district: district.map(code),
        point: district.map(|_| (6.558_631, 52.988_499)),
    }
}

pub(crate) fn bundle_import(version: &str, imported_at: &str) -> leefbaar_model::BundleImport {
    leefbaar_model::BundleImport {
        bundle_id: "drenthe".to_owned(),
        bundle_name: "Drenthe".to_owned(),
        bundle_version: version.to_owned(),
        manifest: "/data/drenthe/manifest.toml".to_owned(),
        digest: "ab".repeat(32),
        province: code("PV22"),
        settings: "reach = true\n".to_owned(),
        imported_at: imported_at.to_owned(),
    }
}

contract_tests! {
fn every_model_type_survives_a_round_trip_through_the_store() {
    let kinds = [
        IndicatorKind::Count {
            variable: "inhabitants".to_owned(),
        },
        IndicatorKind::Sum {
            variable: "land_km2".to_owned(),
        },
        IndicatorKind::Share {
            numerator: "inhabitants_65_plus".to_owned(),
            denominator: "inhabitants".to_owned(),
        },
        IndicatorKind::Rate {
            numerator: "cars".to_owned(),
            denominator: "inhabitants".to_owned(),
            per: 1000.0,
        },
        IndicatorKind::Mean {
            total: "persons_in_households".to_owned(),
            count: "households".to_owned(),
        },
        IndicatorKind::Change {
            of: "inhabitants".to_owned(),
            years: 5,
            relative: true,
        },
        IndicatorKind::Change {
            of: "inhabitants".to_owned(),
            years: 1,
            relative: false,
        },
        IndicatorKind::Index {
            of: "inhabitants".to_owned(),
            base_year: 2015,
        },
        IndicatorKind::Published {
            variable: "lbm_score".to_owned(),
        },
    ];
    // Every unit, with the kinds repeating; the batch is in catalogue order, which the store
    // must give back.
    let indicators: Vec<IndicatorDef> = (0..)
        .zip(Unit::ALL)
        .zip(kinds.iter().cycle())
        .map(|((index, unit), kind)| IndicatorDef {
            decimals: index,
            ..indicator(&format!("z{}_{index}", kind.as_str()), unit, kind.clone())
        })
        .collect();
    // One area of every level, in code order, one with a geometry and some without a parent.
    let mut areas = vec![
        area("BU01060000", "Binnenstad", Some("WK010600"), (2012, 2024)),
        area("GM0106", "Assen", Some("PV22"), (2012, 2024)),
        area("NL01", "Nederland", None, (1900, 2200)),
        area("PV22", "Drenthe", Some("NL01"), (1900, 2200)),
        area("WK010600", "Assen-Centrum", Some("GM0106"), (2012, 2024)),
    ];
    areas[1].geometry_geojson =
        Some(r#"{"type":"Point","coordinates":[6.5625,52.9928]}"#.to_owned());
    let values = MissingReason::ALL
        .into_iter()
        .map(CellValue::Missing)
        .chain([
            CellValue::Value(-0.5),
            CellValue::Value(1.0e15),
            CellValue::Value(0.1),
        ]);
    let methods = Method::ALL.into_iter().map(Some).chain([None]).cycle();
    let observations: Vec<Observation> = (2010..)
        .zip(values)
        .zip(methods)
        .map(|((year_number, value), method)| Observation {
            area: code("GM0106"),
            year: year(year_number),
            indicator: "zcount_0".to_owned(),
            value,
            provenance: Provenance {
                method,
                rows: (0..u64::from(year_number - 2010))
                    .map(|line| SourceRow {
                        // A colon in a source id must not confuse the `source:line` text.
                        source: if line % 2 == 0 {
                            "kwb:2024"
                        } else {
                            "kwb_2023"
                        }
                        .to_owned(),
                        line: line + 2,
                    })
                    .collect(),
                parts: u32::from(year_number),
                note: format!("Σ inhabitants ({year_number})"),
            },
        })
        .collect();
    let batch = ImportBatch {
        sources: vec![
            source("a_first"),
            Source {
                imported_at: String::new(),
                ..source("b_second")
            },
        ],
        areas,
        indicators,
        observations,
        postcodes: Vec::new(),
        places: Vec::new(),
        bundle: None,
    };
    let mut with_geometry = AreaFilter {
        with_geometry: true,
        ..AreaFilter::default()
    };
    let store = store_with(&batch);

    assert_eq!(store.sources().unwrap(), batch.sources);
    assert_eq!(store.areas(&with_geometry).unwrap(), batch.areas);
    assert_eq!(store.indicators().unwrap(), batch.indicators);
    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        batch.observations
    );
    with_geometry.with_geometry = false;
    assert_eq!(
        store.areas(&with_geometry).unwrap()[1].geometry_geojson,
        None
    );
}

fn fact_sheet_flags_survive_a_round_trip_through_the_store() {
    let indicators: Vec<IndicatorDef> = (0..)
        .zip(factsheet_uses())
        .map(|(index, factsheet)| IndicatorDef {
            factsheet,
            ..count(&format!("flagged_{index}"))
        })
        .collect();
    let mut batch = drenthe_batch();
    batch.indicators.extend(indicators.iter().cloned());
    let store = store_with(&batch);
    let stored = store.indicators().unwrap();
    assert_eq!(&stored[stored.len() - indicators.len()..], &indicators[..]);
}

fn an_import_reports_what_it_wrote() {
    let batch = drenthe_batch();
    let mut store = fresh_store();
    let summary = store.import(&batch).unwrap();
    assert_eq!(
        (
            summary.sources,
            summary.areas,
            summary.indicators,
            summary.observations
        ),
        (1, 8, 2, 48)
    );
    assert_eq!(row_counts(&*store), [1, 8, 2, 48]);
}

fn a_batch_naming_an_unknown_area_is_refused_and_changes_nothing() {
    let mut store = store_with(&drenthe_batch());
    let before = row_counts(&*store);
    let batch = ImportBatch {
        sources: vec![source("kwb_2025")],
        areas: vec![area("GM1680", "Aa en Hunze", Some("PV22"), (2012, 2024))],
        indicators: vec![count("dwellings")],
        observations: vec![
            observation("dwellings", "GM1680", 2024, CellValue::Value(11_000.0)),
            observation("inhabitants", "GM9999", 2024, CellValue::Value(1.0)),
            observation("inhabitants", "GM0106", 2024, CellValue::Value(2.0)),
        ],
        postcodes: Vec::new(),
        places: Vec::new(),
        bundle: None,
    };

    let outcome = store.import(&batch);

    assert!(
        matches!(&outcome, Err(StoreError::UnknownReference { what: "area", id }) if id == "GM9999"),
        "{outcome:?}"
    );
    assert_eq!(row_counts(&*store), before);
    assert_eq!(store.sources().unwrap(), vec![source("kwb_2024")]);
    assert_eq!(
        listed(
            &*store,
            &ObservationFilter {
                indicators: vec!["inhabitants".to_owned()],
                areas: vec![code("GM0106")],
                year_from: Some(year(2024)),
                ..ObservationFilter::default()
            }
        ),
        "inhabitants GM0106 2024 2002\n"
    );
}

fn a_batch_naming_an_unknown_indicator_is_refused() {
    let mut store = store_with(&drenthe_batch());
    let before = row_counts(&*store);
    let batch = ImportBatch {
        observations: vec![observation("cars", "GM0106", 2024, CellValue::Value(1.0))],
        ..ImportBatch::default()
    };
    let outcome = store.import(&batch);
    assert!(
        matches!(&outcome, Err(StoreError::UnknownReference { what: "indicator", id }) if id == "cars"),
        "{outcome:?}"
    );
    assert_eq!(row_counts(&*store), before);
}

fn observations_may_name_areas_and_indicators_stored_by_an_earlier_import() {
    let mut store = store_with(&drenthe_batch());
    let batch = ImportBatch {
        observations: vec![observation(
            "inhabitants",
            "GM0114",
            2025,
            CellValue::Value(107_000.0),
        )],
        ..ImportBatch::default()
    };
    store.import(&batch).unwrap();
    assert_eq!(
        store.years("inhabitants").unwrap(),
        [2022, 2023, 2024, 2025].map(year)
    );
}

fn reimporting_replaces_rows_by_their_key() {
    let mut store = store_with(&drenthe_batch());
    let before = row_counts(&*store);
    let mut renamed = area("GM0106", "Assen (gemeente)", Some("PV22"), (2012, 2024));
    renamed.geometry_geojson = Some("{}".to_owned());
    let batch = ImportBatch {
        sources: vec![Source {
            licence: "CC0".to_owned(),
            ..source("kwb_2024")
        }],
        areas: vec![renamed.clone()],
        indicators: vec![],
        observations: vec![
            // A number becomes a reason and a reason becomes a number.
            observation(
                "inhabitants",
                "GM0106",
                2024,
                CellValue::Missing(MissingReason::Unknown),
            ),
            observation("households", "GM0106", 2024, CellValue::Value(30_000.0)),
        ],
        postcodes: Vec::new(),
        places: Vec::new(),
        bundle: None,
    };
    store.import(&batch).unwrap();

    assert_eq!(row_counts(&*store), before);
    assert_eq!(store.sources().unwrap()[0].licence, "CC0");
    let filter = AreaFilter {
        codes: vec![code("GM0106")],
        with_geometry: true,
        ..AreaFilter::default()
    };
    assert_eq!(store.areas(&filter).unwrap(), vec![renamed]);
    let observations = ObservationFilter {
        areas: vec![code("GM0106")],
        year_from: Some(year(2024)),
        ..ObservationFilter::default()
    };
    assert_eq!(
        listed(&*store, &observations),
        "households GM0106 2024 30000\ninhabitants GM0106 2024 (unknown)\n"
    );
}

fn shared_and_distinct_notes_come_back_with_every_observation_and_are_stored_once() {
    let batch = drenthe_batch_with_notes();
    let store = store_with(&batch);

    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        in_key_order(batch.observations.clone())
    );
    // The parent and level filters join areas too; the note must still be the row's own.
    let children = ObservationFilter {
        parent: Some(code("GM0106")),
        ..ObservationFilter::default()
    };
    let expected: Vec<Observation> = in_key_order(
        batch
            .observations
            .iter()
            .filter(|o| o.area.as_str().starts_with("WK0106"))
            .cloned()
            .collect(),
    );
    assert_eq!(store.observations(&children).unwrap(), expected);
    let mut distinct: Vec<String> = batch
        .observations
        .iter()
        .map(|o| o.provenance.note.clone())
        .collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10);
    assert_eq!(stored_notes(&*store), distinct);
}

fn reimporting_an_observation_with_another_note_replaces_only_its_note() {
    let mut batch = drenthe_batch_with_notes();
    let mut store = store_with(&batch);
    // One row gets a new note, one takes the note other rows already share, one loses its
    // note; the rows that shared their old notes must keep them.
    let changes = [
        (0, "Σ inhabitants, corrected".to_owned()),
        (1, "Σ inhabitants".to_owned()),
        (2, String::new()),
    ];
    let mut reimport = ImportBatch::default();
    for (index, note) in changes {
        batch.observations[index].provenance.note = note;
        reimport
            .observations
            .push(batch.observations[index].clone());
    }
    assert_eq!(
        reimport
            .observations
            .iter()
            .map(|o| format!("{} {} {}", o.indicator, o.area, o.year))
            .collect::<Vec<_>>(),
        [
            "inhabitants PV22 2022",
            "households PV22 2022",
            "inhabitants PV22 2023"
        ]
    );
    store.import(&reimport).unwrap();

    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        in_key_order(batch.observations)
    );
    assert_eq!(row_counts(&*store), [1, 8, 2, 48]);
}

fn a_value_that_is_not_finite_is_refused_before_anything_is_written() {
    let mut store = fresh_store();
    let mut batch = drenthe_batch();
    batch.observations[5].value = CellValue::Value(f64::NAN);
    let outcome = store.import(&batch);
    assert!(
        matches!(
            &outcome,
            Err(StoreError::Unstorable {
                what: "observation",
                ..
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(row_counts(&*store), [0, 0, 0, 0]);
}

fn a_source_id_with_a_semicolon_in_provenance_is_refused() {
    let mut store = fresh_store();
    let mut batch = drenthe_batch();
    batch.observations[0].provenance.rows[0].source = "kwb;2024".to_owned();
    let outcome = store.import(&batch);
    assert!(
        matches!(&outcome, Err(StoreError::Unstorable { what: "source row", id, .. }) if id == "kwb;2024"),
        "{outcome:?}"
    );
}

fn areas_filter_by_level_parent_year_and_codes() {
    let store = store_with(&drenthe_batch());
    let cases = [
        (
            AreaFilter::default(),
            "BU01060000 GM0106 GM0114 GM0118 PV22 WK010600 WK010601 WK011401",
        ),
        (
            AreaFilter {
                level: Some(AreaLevel::Municipality),
                ..AreaFilter::default()
            },
            "GM0106 GM0114 GM0118",
        ),
        (
            AreaFilter {
                parent: Some(code("GM0106")),
                ..AreaFilter::default()
            },
            "WK010600 WK010601",
        ),
        (
            AreaFilter {
                level: Some(AreaLevel::Municipality),
                year: Some(year(2024)),
                ..AreaFilter::default()
            },
            "GM0106 GM0114",
        ),
        (
            AreaFilter {
                year: Some(year(2011)),
                ..AreaFilter::default()
            },
            "",
        ),
        (
            AreaFilter {
                codes: vec![code("WK011401"), code("GM0118"), code("GM1680")],
                ..AreaFilter::default()
            },
            "GM0118 WK011401",
        ),
        (
            AreaFilter {
                level: Some(AreaLevel::District),
                parent: Some(code("GM0114")),
                codes: vec![code("WK010600"), code("WK011401")],
                ..AreaFilter::default()
            },
            "WK011401",
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(area_codes(&*store, &filter), expected, "{filter:?}");
    }
}

fn observations_filter_by_indicator_area_level_parent_and_year_range() {
    let store = store_with(&drenthe_batch());
    let inhabitants = || vec!["inhabitants".to_owned()];
    let cases = [
        (
            ObservationFilter {
                indicators: inhabitants(),
                parent: Some(code("GM0106")),
                ..ObservationFilter::default()
            },
            "inhabitants WK010600 2022 5000
inhabitants WK010600 2023 5001
inhabitants WK010600 2024 5002
inhabitants WK010601 2022 6000
inhabitants WK010601 2023 6001
inhabitants WK010601 2024 6002
",
        ),
        (
            ObservationFilter {
                indicators: inhabitants(),
                level: Some(AreaLevel::District),
                year_from: Some(year(2024)),
                ..ObservationFilter::default()
            },
            "inhabitants WK010600 2024 5002
inhabitants WK010601 2024 6002
inhabitants WK011401 2024 7002
",
        ),
        (
            ObservationFilter {
                areas: vec![code("GM0118"), code("PV22")],
                year_from: Some(year(2023)),
                year_to: Some(year(2023)),
                ..ObservationFilter::default()
            },
            "households GM0118 2023 (secret)
households PV22 2023 (secret)
inhabitants GM0118 2023 4001
inhabitants PV22 2023 1001
",
        ),
        (
            ObservationFilter {
                level: Some(AreaLevel::Neighbourhood),
                year_to: Some(year(2022)),
                ..ObservationFilter::default()
            },
            "households BU01060000 2022 (secret)
inhabitants BU01060000 2022 8000
",
        ),
        (
            ObservationFilter {
                indicators: vec!["cars".to_owned()],
                ..ObservationFilter::default()
            },
            "",
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(listed(&*store, &filter), expected, "{filter:?}");
    }
}

fn the_limit_cuts_the_ordered_list_and_any_limit_is_accepted() {
    let store = store_with(&drenthe_batch());
    let limited = |limit| ObservationFilter {
        indicators: vec!["inhabitants".to_owned()],
        limit: Some(limit),
        ..ObservationFilter::default()
    };
    assert_eq!(
        listed(&*store, &limited(2)),
        "inhabitants BU01060000 2022 8000\ninhabitants BU01060000 2023 8001\n"
    );
    assert_eq!(listed(&*store, &limited(0)), "");
    // A limit beyond the cap is capped, not an overflow when converted for SQLite.
    assert_eq!(store.observations(&limited(usize::MAX)).unwrap().len(), 24);
}

fn each_observation_hands_on_what_observations_lists_in_its_order_and_stops_when_told() {
    let store = store_with(&drenthe_batch());
    let filters = [
        ObservationFilter::default(),
        ObservationFilter {
            parent: Some(code("GM0106")),
            year_from: Some(year(2023)),
            ..ObservationFilter::default()
        },
        ObservationFilter {
            indicators: vec!["inhabitants".to_owned()],
            level: Some(AreaLevel::District),
            limit: Some(4),
            ..ObservationFilter::default()
        },
    ];
    for filter in filters {
        let mut streamed = Vec::new();
        store
            .each_observation(&filter, &mut |observation| {
                streamed.push(observation);
                std::ops::ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(streamed, store.observations(&filter).unwrap(), "{filter:?}");
    }
    // A reader that hangs up after three rows reads no more.
    let mut seen = 0;
    store
        .each_observation(&ObservationFilter::default(), &mut |_| {
            seen += 1;
            if seen == 3 {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(seen, 3);
}

fn each_observation_is_not_capped_like_an_answer_held_in_memory() {
    // 42 indicators × 8 areas × 300 years: more rows than `observations` returns at once.
    let mut batch = drenthe_batch();
    let template = batch.observations[0].clone();
    let areas: Vec<AreaCode> = batch.areas.iter().map(|area| area.code.clone()).collect();
    let ids: Vec<String> = (0..42).map(|index| format!("x{index:02}")).collect();
    batch.indicators.extend(ids.iter().map(|id| count(id)));
    batch.observations = ids
        .iter()
        .flat_map(|id| {
            areas.iter().flat_map(move |area| {
                (1900..2200).map(move |y| (id.clone(), area.clone(), y))
            })
        })
        .map(|(indicator, area, y)| Observation {
            indicator,
            area,
            year: year(y),
            ..template.clone()
        })
        .collect();
    let total = batch.observations.len();
    assert!(total > crate::MAX_OBSERVATIONS);
    let store = store_with(&batch);
    let mut streamed = 0;
    let mut last: Option<(String, AreaCode, Year)> = None;
    store
        .each_observation(&ObservationFilter::default(), &mut |observation| {
            let key = (observation.indicator, observation.area, observation.year);
            assert!(last.as_ref().is_none_or(|previous| *previous < key));
            last = Some(key);
            streamed += 1;
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(streamed, total);
    let held = store.observations(&ObservationFilter::default()).unwrap();
    assert_eq!(held.len(), crate::MAX_OBSERVATIONS);
}

fn a_parent_filter_over_several_indicators_is_ordered_before_the_limit_cuts_it() {
    // SQLite yields these rows by area first; the store must still order them by indicator
    // and only then keep the first five.
    let store = store_with(&drenthe_batch());
    let filter = ObservationFilter {
        parent: Some(code("GM0106")),
        year_from: Some(year(2023)),
        limit: Some(5),
        ..ObservationFilter::default()
    };
    assert_eq!(
        listed(&*store, &filter),
        "households WK010600 2023 (secret)
households WK010600 2024 (secret)
households WK010601 2023 (secret)
households WK010601 2024 (secret)
inhabitants WK010600 2023 5001
"
    );
}

fn results_are_ordered_by_key_whatever_the_import_order() {
    let mut batch = drenthe_batch();
    batch.areas.reverse();
    batch.observations.reverse();
    batch.sources = vec![source("z_last"), source("a_first"), source("kwb_2024")];
    let store = store_with(&batch);

    let sources: Vec<String> = store.sources().unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(sources, ["a_first", "kwb_2024", "z_last"]);
    assert_eq!(
        area_codes(&*store, &AreaFilter::default()),
        "BU01060000 GM0106 GM0114 GM0118 PV22 WK010600 WK010601 WK011401"
    );
    let keys: Vec<(String, String, Year)> = store
        .observations(&ObservationFilter::default())
        .unwrap()
        .into_iter()
        .map(|o| (o.indicator, o.area.to_string(), o.year))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 48);
}

fn indicators_keep_catalogue_order_and_a_partial_import_appends_new_ones() {
    let mut store = fresh_store();
    let import = |store: &mut Box<dyn TestStore>, ids: &[&str]| {
        let batch = ImportBatch {
            indicators: ids.iter().map(|id| count(id)).collect(),
            ..ImportBatch::default()
        };
        store.import(&batch).unwrap();
    };
    import(&mut store, &["zeta", "alpha", "mu"]);
    assert_eq!(catalogue(&*store), "zeta alpha mu");
    // Part of the catalogue: known indicators stay put, new ones go to the end.
    import(&mut store, &["beta", "alpha"]);
    assert_eq!(catalogue(&*store), "zeta alpha mu beta");
    // The whole catalogue in a new order: that order becomes the catalogue order.
    import(&mut store, &["mu", "beta", "zeta", "alpha", "omega"]);
    assert_eq!(catalogue(&*store), "mu beta zeta alpha omega");
}

fn years_are_listed_once_each_ascending() {
    let store = store_with(&drenthe_batch());
    assert_eq!(
        store.years("households").unwrap(),
        [2022, 2023, 2024].map(year)
    );
    assert_eq!(store.years("cars").unwrap(), []);
}

fn postcodes_come_back_as_imported_and_are_replaced_by_number() {
    let mut store = fresh_store();
    let batch = ImportBatch {
        postcodes: vec![
            postcode(9401, "GM0106", Some("WK010600")),
            postcode(9402, "GM0106", None),
        ],
        ..ImportBatch::default()
    };
    assert_eq!(store.import(&batch).unwrap().postcodes, 2);
    assert_eq!(
        store.postcode(9401).unwrap(),
        Some(batch.postcodes[0].clone())
    );
    assert_eq!(
        store.postcode(9402).unwrap(),
        Some(batch.postcodes[1].clone())
    );
    assert_eq!(store.postcode(9403).unwrap(), None);

    let moved = ImportBatch {
        postcodes: vec![postcode(9402, "GM1730", None)],
        ..ImportBatch::default()
    };
    store.import(&moved).unwrap();
    assert_eq!(
        store.postcode(9402).unwrap().unwrap().municipality.as_str(),
        "GM1730"
    );
}

fn a_bad_postcode_rolls_back_the_whole_import() {
    let mut store = fresh_store();
    let batch = ImportBatch {
        sources: vec![source("kwb_2024")],
        postcodes: vec![
            postcode(9401, "GM0106", None),
            // Not a four-digit postcode: the table's CHECK refuses it.
            postcode(999, "GM0106", None),
        ],
        ..ImportBatch::default()
    };
    assert!(store.import(&batch).is_err());
    assert_eq!(store.postcode(9401).unwrap(), None);
    assert!(store.sources().unwrap().is_empty());
}

fn the_latest_import_is_the_bundle_of_the_last_batch_that_named_one() {
    let mut store = fresh_store();
    assert_eq!(store.latest_import().unwrap(), None);
    let first = bundle_import("2024.1", "2026-01-01T00:00:00Z");
    let second = bundle_import("2024.2", "2026-02-01T00:00:00Z");
    for bundle in [&first, &second] {
        store
            .import(&ImportBatch {
                bundle: Some(bundle.clone()),
                ..ImportBatch::default()
            })
            .unwrap();
    }
    // A batch without a bundle (a partial import) leaves the record as it was.
    store.import(&ImportBatch::default()).unwrap();
    assert_eq!(store.latest_import().unwrap(), Some(second));
}

fn a_refused_batch_records_no_import() {
    let mut store = fresh_store();
    let refused = store.import(&ImportBatch {
        observations: vec![observation(
            "inhabitants",
            "GM0106",
            2024,
            CellValue::Value(1.0),
        )],
        bundle: Some(bundle_import("2024.1", "2026-01-01T00:00:00Z")),
        ..ImportBatch::default()
    });
    assert!(refused.is_err());
    assert_eq!(store.latest_import().unwrap(), None);
}

fn places_come_back_most_populous_first_within_a_province() {
    let mut store = fresh_store();
    let place = |name: &str, municipality: &str, population: Option<u64>| leefbaar_model::Place {
        name: name.to_owned(),
        municipality: code(municipality),
        point: (6.5, 52.9),
        population,
    };
    store
        .import(&ImportBatch {
            areas: vec![
                area("PV22", "Drenthe", None, (2024, 2024)),
                area("GM0106", "Assen", Some("PV22"), (2024, 2024)),
                area("GM0114", "Emmen", Some("PV22"), (2024, 2024)),
                area("PV20", "Groningen", None, (2024, 2024)),
                area("GM0014", "Groningen", Some("PV20"), (2024, 2024)),
            ],
            places: vec![
                place("Assen", "GM0106", Some(68_000)),
                place("Emmen", "GM0114", Some(56_000)),
                place("Erm", "GM0114", None),
                place("Groningen", "GM0014", Some(200_000)),
            ],
            ..ImportBatch::default()
        })
        .unwrap();
    let names = |parent: Option<&str>| -> Vec<String> {
        store
            .places(parent.map(code).as_ref())
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect()
    };
    assert_eq!(names(Some("PV22")), ["Assen", "Emmen", "Erm"]);
    assert_eq!(names(None), ["Groningen", "Assen", "Emmen", "Erm"]);
}

fn postcode_areas_are_stored_as_areas_of_their_own_level() {
    let store = store_with(&ImportBatch {
        areas: vec![
            area("GM0106", "Assen", None, (2024, 2024)),
            area("PC9401", "9401 Assen", Some("GM0106"), (2023, 2024)),
        ],
        ..ImportBatch::default()
    });
    let postcodes = store
        .areas(&AreaFilter {
            level: Some(AreaLevel::Postcode),
            ..AreaFilter::default()
        })
        .unwrap();
    assert_eq!(postcodes.len(), 1);
    assert_eq!(postcodes[0].parent, Some(code("GM0106")));
}


fn the_import_key_changes_with_every_recorded_import_and_with_nothing_else() {
    let mut store = fresh_store();
    assert_eq!(store.import_key().unwrap(), None);
    let mut keys = Vec::new();
    for (version, at) in [
        ("2024.1", "2026-01-01T00:00:00Z"),
        // The same bundle imported again is a new import, with a new key.
        ("2024.1", "2026-01-01T00:00:00Z"),
    ] {
        store
            .import(&ImportBatch {
                bundle: Some(bundle_import(version, at)),
                ..ImportBatch::default()
            })
            .unwrap();
        keys.push(store.import_key().unwrap().unwrap());
    }
    assert!(keys[1] > keys[0], "{keys:?}");
    // Neither a refused batch nor one without a bundle changes what `latest_import` reads, so
    // neither changes the key.
    let refused = store.import(&ImportBatch {
        observations: vec![observation(
            "inhabitants",
            "GM0999",
            2024,
            CellValue::Value(1.0),
        )],
        bundle: Some(bundle_import("2024.3", "2026-03-01T00:00:00Z")),
        ..ImportBatch::default()
    });
    assert!(refused.is_err());
    store.import(&ImportBatch::default()).unwrap();
    assert_eq!(store.import_key().unwrap(), Some(keys[1]));
}
}
