//! Tests of [`SqliteStore`] beyond the contract every backend keeps (`crate::contract`):
//! migrations, files, read-only connections, corrupt rows and query plans.

use leefbaar_model::{AreaLevel, IndicatorDef, Method, MissingReason, SourceRow};

use super::SqliteStore;
use crate::codec;
use crate::contract::{
    code, count, drenthe_batch, drenthe_batch_with_notes, factsheet_uses, in_key_order, row_counts,
    stored_notes,
};
use crate::{AreaFilter, ImportBatch, ObservationFilter, Store, StoreError};

fn store_with(batch: &ImportBatch) -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().unwrap();
    store.import(batch).unwrap();
    store
}

#[test]
fn a_store_at_schema_5_gains_the_fact_sheet_columns_with_its_indicators_on_no_sheet() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("leefbaar.sqlite");
    {
        let connection = store_file_at_version(&path, 5);
        connection
            .execute(
                "INSERT INTO indicators (id, position, name_nl, name_en, description_nl,
                     description_en, theme, unit, kind, variable, decimals, source)
                 VALUES ('inhabitants', 0, 'inhabitants (nl)', 'inhabitants (en)',
                     'Aantal inwoners op 1 januari.', 'Inhabitants on 1 January.',
                     'population', 'persons', 'count', 'inhabitants', 1, 'kwb_2024')",
                [],
            )
            .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.indicators().unwrap(), vec![count("inhabitants")]);
    // The next import of the catalogue fills them.
    let flagged = IndicatorDef {
        factsheet: factsheet_uses().pop().flatten(),
        ..count("inhabitants")
    };
    store
        .import(&ImportBatch {
            indicators: vec![flagged.clone()],
            ..ImportBatch::default()
        })
        .unwrap();
    assert_eq!(store.indicators().unwrap(), vec![flagged]);
}

#[test]
fn orphaned_notes_change_no_observation_and_are_used_again_when_needed() {
    let mut batch = drenthe_batch_with_notes();
    let mut store = store_with(&batch);
    store
        .connection_for_tests()
        .execute("INSERT INTO notes (text) VALUES ('never used')", [])
        .unwrap();
    // Every `inhabitants` row moves to a new note, leaving the shared one unused.
    for observation in &mut batch.observations {
        if observation.indicator == "inhabitants" {
            observation.provenance.note = "Σ inhabitants (2025 boundaries)".to_owned();
        }
    }
    store.import(&batch).unwrap();
    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        in_key_order(batch.observations.clone())
    );

    // A later import naming texts the store holds but no row uses must find them, not fail
    // on the unique text or store them twice.
    batch.observations[0].provenance.note = "Σ inhabitants".to_owned();
    batch.observations[2].provenance.note = "never used".to_owned();
    store.import(&batch).unwrap();
    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        in_key_order(batch.observations)
    );
    let notes = stored_notes(&store);
    assert!(
        ["Σ inhabitants", "never used"].iter().all(|text| notes
            .iter()
            .filter(|note| note == text)
            .count()
            == 1),
        "{notes:?}"
    );
}

#[test]
fn the_schema_requires_exactly_one_of_value_and_missing_reason() {
    let store = store_with(&drenthe_batch());
    let insert = "INSERT INTO observations (indicator, area, year, value, missing_reason, method,
                      parts, note_id, source_rows)
                  VALUES ('inhabitants', 'GM0106', 2030, ?1, ?2, NULL, 0,
                      (SELECT id FROM notes WHERE text = ''), '')";
    let connection = store.connection_for_tests();
    let both = connection.execute(insert, rusqlite::params![Some(1.0), Some("secret")]);
    let neither = connection.execute(insert, rusqlite::params![None::<f64>, None::<&str>]);
    assert!(both.unwrap_err().to_string().contains("CHECK"));
    assert!(neither.unwrap_err().to_string().contains("CHECK"));
    connection
        .execute(insert, rusqlite::params![None::<f64>, Some("secret")])
        .unwrap();
}

#[test]
fn opening_a_store_twice_is_idempotent_and_keeps_its_data() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("leefbaar.sqlite");
    let mut store = SqliteStore::open(&path).unwrap();
    store.import(&drenthe_batch()).unwrap();
    drop(store);

    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SqliteStore::SCHEMA_VERSION);
    assert_eq!(row_counts(&store), [1, 8, 2, 48]);
    let journal_mode: String = store
        .connection_for_tests()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    let foreign_keys: bool = store
        .connection_for_tests()
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .unwrap();
    assert_eq!((journal_mode.as_str(), foreign_keys), ("wal", true));
}

#[test]
fn opening_creates_missing_directories() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory
        .path()
        .join("data")
        .join("nested")
        .join("leefbaar.sqlite");
    SqliteStore::open(&path).unwrap();
    assert!(path.is_file());
}

#[test]
fn a_store_stamped_with_a_future_version_is_refused() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("leefbaar.sqlite");
    let future = SqliteStore::SCHEMA_VERSION + 1;
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", future)
        .unwrap();

    for outcome in [SqliteStore::open(&path), SqliteStore::open_read_only(&path)] {
        assert!(
            matches!(&outcome, Err(StoreError::SchemaTooNew { found, known, .. })
                if *found == future && *known == SqliteStore::SCHEMA_VERSION),
            "{outcome:?}"
        );
    }
}

#[test]
fn a_read_only_open_of_an_unmigrated_file_asks_for_a_migration() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("empty.sqlite");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE unrelated (x)")
        .unwrap();
    let outcome = SqliteStore::open_read_only(&path);
    assert!(
        matches!(&outcome, Err(StoreError::SchemaTooOld { found: 0, .. })),
        "{outcome:?}"
    );
}

#[test]
fn a_read_only_store_reads_but_does_not_write() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("leefbaar.sqlite");
    SqliteStore::open(&path)
        .unwrap()
        .import(&drenthe_batch())
        .unwrap();
    let mut store = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(row_counts(&store), [1, 8, 2, 48]);
    let outcome = store.import(&drenthe_batch());
    assert!(matches!(outcome, Err(StoreError::Sqlite(_))), "{outcome:?}");
}

#[test]
fn every_migration_file_is_listed_once_in_version_order() {
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/migrations");
    let mut files: Vec<String> = fs_err::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let listed: Vec<&str> = super::migrate::MIGRATIONS.iter().map(|m| m.file).collect();
    assert_eq!(files, listed);
    for (version, migration) in (1..).zip(super::migrate::MIGRATIONS) {
        assert_eq!(migration.version, version, "{}", migration.file);
        assert!(
            migration.file.starts_with(&format!("{version:04}_")),
            "{}",
            migration.file
        );
    }
}

/// A database file at schema `version` (earlier than this build's), as an older Leefbaar left
/// it: the migrations up to `version` and nothing after.
fn store_file_at_version(path: &std::path::Path, version: i64) -> rusqlite::Connection {
    assert!(version < SqliteStore::SCHEMA_VERSION);
    let connection = rusqlite::Connection::open(path).unwrap();
    for migration in super::migrate::MIGRATIONS
        .iter()
        .take_while(|m| m.version <= version)
    {
        connection.execute_batch(migration.sql).unwrap();
        connection
            .pragma_update(None, "user_version", migration.version)
            .unwrap();
    }
    connection
}

/// What SQLite reports of a table's shape: STRICT and WITHOUT ROWID, each column with its
/// type, NOT NULL and place in the primary key, foreign keys, and indexes with their columns.
fn table_shape(connection: &rusqlite::Connection, table: &str) -> String {
    let lines = |sql: &str, parameter: &str| -> Vec<String> {
        let mut statement = connection.prepare(sql).unwrap();
        statement
            .query_map([parameter], |row| row.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut shape = lines(
        "SELECT 'table strict=' || strict || ' without_rowid=' || wr
         FROM pragma_table_list WHERE schema = 'main' AND name = ?1",
        table,
    );
    shape.extend(lines(
        "SELECT name || ' ' || type || iif(\"notnull\", ' not null', '')
             || iif(pk, ' key ' || pk, '')
         FROM pragma_table_xinfo(?1) ORDER BY cid",
        table,
    ));
    shape.extend(lines(
        "SELECT 'references ' || \"table\" || ' (' || \"to\" || ') from ' || \"from\"
         FROM pragma_foreign_key_list(?1) ORDER BY \"from\"",
        table,
    ));
    for index in lines(
        "SELECT name FROM pragma_index_list(?1) WHERE origin = 'c' ORDER BY name",
        table,
    ) {
        let columns = lines(
            "SELECT group_concat(name, ', ') FROM
                 (SELECT name FROM pragma_index_info(?1) ORDER BY seqno)",
            &index,
        );
        shape.push(format!("index {index} ({})", columns.join("")));
    }
    shape.join("\n")
}

#[test]
fn a_store_at_schema_2_is_upgraded_keeping_every_observation_and_its_note() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("leefbaar.sqlite");
    let mut batch = drenthe_batch_with_notes();
    // A row with everything optional empty, and one with runs of source rows.
    batch.observations[1].provenance.method = None;
    batch.observations[4].provenance.rows = (7..=9)
        .map(|line| SourceRow {
            source: "kwb:2024".to_owned(),
            line,
        })
        .collect();
    batch.observations[4].provenance.parts = 3;
    {
        let mut connection = store_file_at_version(&path, 2);
        let transaction = connection.transaction().unwrap();
        let positions = super::indicator_positions(&transaction, &batch).unwrap();
        super::write_sources(&transaction, &batch.sources).unwrap();
        super::write_areas(&transaction, &batch.areas).unwrap();
        // The catalogue as the schema 2 build wrote it: this build writes the fact-sheet
        // columns of schemas 6 and 7 too, so they are there for the write and gone again
        // after it.
        for version in [6, 7] {
            let factsheet_columns = super::migrate::MIGRATIONS
                .iter()
                .find(|m| m.version == version)
                .unwrap();
            transaction.execute_batch(factsheet_columns.sql).unwrap();
        }
        super::write_indicators(&transaction, &batch.indicators, &positions).unwrap();
        for column in [
            "tile", "latest", "chart", "label_nl", "label_en", "ranking", "sheet",
        ] {
            transaction
                .execute_batch(&format!(
                    "ALTER TABLE indicators DROP COLUMN factsheet_{column}"
                ))
                .unwrap();
        }
        // The rows as the schema 2 build wrote them, note text and all.
        for observation in &batch.observations {
            let provenance = &observation.provenance;
            transaction
                .execute(
                    "INSERT INTO observations (indicator, area, year, value, missing_reason,
                         method, parts, note, source_rows)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    rusqlite::params![
                        observation.indicator,
                        observation.area.as_str(),
                        observation.year.get(),
                        observation.value.value(),
                        observation
                            .value
                            .missing_reason()
                            .map(MissingReason::as_str),
                        provenance.method.map(Method::as_str),
                        provenance.parts,
                        provenance.note,
                        codec::encode_source_rows(&provenance.rows),
                    ],
                )
                .unwrap();
        }
        transaction.commit().unwrap();
    }

    let mut store = SqliteStore::open(&path).unwrap();

    assert_eq!(store.schema_version().unwrap(), SqliteStore::SCHEMA_VERSION);
    // The old table's pages went back to the file system rather than staying free inside it.
    let free_pages: i64 = store
        .connection_for_tests()
        .query_row("PRAGMA freelist_count", [], |row| row.get(0))
        .unwrap();
    assert_eq!(free_pages, 0);
    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        in_key_order(batch.observations.clone())
    );
    assert_eq!(store.sources().unwrap(), batch.sources);
    assert_eq!(store.indicators().unwrap(), batch.indicators);
    assert_eq!(row_counts(&store), [1, 8, 2, 48]);
    assert_eq!(stored_notes(&store).len(), 10);
    assert_eq!(
        table_shape(store.connection_for_tests(), "observations"),
        "table strict=1 without_rowid=1
indicator TEXT not null key 1
area TEXT not null key 2
year INTEGER not null key 3
value REAL
missing_reason TEXT
method TEXT
parts INTEGER not null
note_id INTEGER not null
source_rows TEXT not null
references areas (code) from area
references indicators (id) from indicator
index observations_by_area (area, indicator, year)"
    );
    // The rebuilt table keeps the CHECK of a value or a reason.
    let both = store.connection_for_tests().execute(
        "INSERT INTO observations (indicator, area, year, value, missing_reason, method, parts,
             note_id, source_rows)
         VALUES ('inhabitants', 'GM0106', 2030, 1.0, 'secret', NULL, 0, 1, '')",
        [],
    );
    assert!(both.unwrap_err().to_string().contains("CHECK"));
    // And the upgraded store takes further imports.
    store.import(&drenthe_batch()).unwrap();
    assert_eq!(
        store.observations(&ObservationFilter::default()).unwrap(),
        in_key_order(drenthe_batch().observations)
    );
}

#[test]
fn a_corrupt_row_is_reported_rather_than_panicked_on() {
    let store = SqliteStore::open_in_memory().unwrap();
    store
        .connection_for_tests()
        .execute(
            "INSERT INTO areas (code, level, name, parent, first_year, last_year)
             VALUES ('XX0106', 'municipality', 'Nergens', NULL, 2012, 2024)",
            [],
        )
        .unwrap();
    let outcome = store.areas(&AreaFilter::default());
    assert!(
        matches!(&outcome, Err(StoreError::Corrupt { what: "area code", detail })
            if detail.contains("XX0106")),
        "{outcome:?}"
    );
}

#[test]
fn an_observation_whose_note_is_missing_is_reported_rather_than_left_out() {
    let store = store_with(&drenthe_batch_with_notes());
    let connection = store.connection_for_tests();
    let id: i64 = connection
        .query_row(
            "DELETE FROM notes WHERE text = 'Σ inhabitants' RETURNING id",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let outcome = store.observations(&ObservationFilter {
        areas: vec![code("GM0114")],
        ..ObservationFilter::default()
    });
    assert!(
        matches!(&outcome, Err(StoreError::Corrupt { what: "observation", detail })
            if *detail == format!("note {id} is not in `notes`")),
        "{outcome:?}"
    );
}

#[test]
fn a_reader_sees_the_notes_another_connection_imports_after_its_first_read() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("leefbaar.sqlite");
    let mut batch = drenthe_batch_with_notes();
    let mut writer = SqliteStore::open(&path).unwrap();
    writer.import(&batch).unwrap();
    let reader = SqliteStore::open_read_only(&path).unwrap();
    let all = ObservationFilter::default();
    assert_eq!(
        reader.observations(&all).unwrap(),
        in_key_order(batch.observations.clone())
    );

    // New texts, texts moved between rows, and a row back to an empty note.
    for (index, observation) in (0_usize..).zip(&mut batch.observations) {
        observation.provenance.note = match index % 3 {
            0 => format!("revised {index}"),
            1 => "Σ inhabitants".to_owned(),
            _ => String::new(),
        };
    }
    writer.import(&batch).unwrap();
    assert_eq!(
        reader.observations(&all).unwrap(),
        in_key_order(batch.observations)
    );
}

#[test]
fn source_rows_round_trip_through_their_compact_text() {
    let rows = |pairs: &[(&str, u64)]| -> Vec<SourceRow> {
        pairs
            .iter()
            .map(|&(source, line)| SourceRow {
                source: source.to_owned(),
                line,
            })
            .collect()
    };
    let cases = [
        (rows(&[]), ""),
        (
            rows(&[("kwb_gemeenten_2012_2024", 2310)]),
            "kwb_gemeenten_2012_2024:2310",
        ),
        (rows(&[("a", 2), ("b:c", 3)]), "a:2;b:c:3"),
        (
            rows(&[
                ("a", 7),
                ("a", 8),
                ("a", 9),
                ("a", 11),
                ("b", 12),
                ("b", 13),
            ]),
            "a:7-9;a:11;b:12-13",
        ),
    ];
    for (rows, text) in cases {
        assert_eq!(codec::encode_source_rows(&rows), text);
        assert_eq!(codec::decode_source_rows(text).unwrap(), rows);
    }
    assert!(codec::decode_source_rows("kwb").is_err());
    assert!(codec::decode_source_rows("kwb:x").is_err());
    assert!(codec::decode_source_rows("kwb:9-7").is_err());
}

/// The query plans, as SQLite reports them, of the lookups the schema's indexes exist for.
#[test]
fn the_main_observation_lookups_use_indexes_not_table_scans() {
    let store = store_with(&drenthe_batch());
    let plan = |filter: &ObservationFilter| -> String {
        let query = crate::query::observation_query(
            filter,
            crate::query::Dialect::Sqlite,
            crate::query::Cap::Capped,
        );
        let connection = store.connection_for_tests();
        let mut statement = connection
            .prepare(&format!("EXPLAIN QUERY PLAN {}", query.sql))
            .unwrap();
        let details: Vec<String> = statement
            .query_map(rusqlite::params_from_iter(query.parameters), |row| {
                row.get::<_, String>(3)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        details.join("\n")
    };
    let one_indicator = || vec!["inhabitants".to_owned()];
    let cases = [
        (
            // The dashboard's map and chart: children first, then one key range each.
            ObservationFilter {
                indicators: one_indicator(),
                parent: Some(code("GM0106")),
                ..ObservationFilter::default()
            },
            "SEARCH a USING COVERING INDEX areas_by_parent (parent=?)
SEARCH o USING PRIMARY KEY (indicator=? AND area=?)",
        ),
        (
            // Fact sheets: every indicator of one area.
            ObservationFilter {
                areas: vec![code("GM0106")],
                ..ObservationFilter::default()
            },
            "SEARCH o USING INDEX observations_by_area (area=?)",
        ),
        (
            // A level is not selective: read the indicator in key order, no sort.
            ObservationFilter {
                indicators: one_indicator(),
                level: Some(AreaLevel::Municipality),
                ..ObservationFilter::default()
            },
            "SEARCH o USING PRIMARY KEY (indicator=?)
SEARCH a USING COVERING INDEX areas_by_level (level=? AND code=?)",
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(plan(&filter), expected, "{filter:?}");
    }
}
