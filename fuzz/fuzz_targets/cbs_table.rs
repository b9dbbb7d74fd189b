//! `leefbaar_ingest::parse_cbs_table` on arbitrary bytes, with a spec like the manifest's
//! `kwb_gemeenten_2012_2024` source, read as comma copy, as CBS `;`/decimal-comma export and
//! with the convention detected from the header. Any outcome but a panic is fine; an `Ok` table
//! is checked for the shape the crate documents.
#![no_main]
// `fuzz_target!` expands to `std::fs::File::create` (for `cargo fuzz fmt`); the workspace's
// clippy.toml ban on `std::fs` (use `fs_err`) is meant for our own code, not this macro.
#![allow(clippy::disallowed_methods)]

use std::sync::OnceLock;

use leefbaar_ingest::{Convention, TableSpec, YearSource, parse_cbs_table};
use leefbaar_model::CellValue;
use libfuzzer_sys::fuzz_target;

fn specs() -> &'static [TableSpec; 3] {
    static SPECS: OnceLock<[TableSpec; 3]> = OnceLock::new();
    SPECS.get_or_init(|| {
        let kwb = TableSpec {
            year: YearSource::Column("jaar".to_owned()),
            number_columns: vec![
                "aantal_inwoners".to_owned(),
                "mannen".to_owned(),
                "gem_huishouden_grootte".to_owned(),
            ],
            text_columns: vec!["gemeentenaam".to_owned()],
            skip_areas: vec!["GM0998".to_owned(), "GM9999".to_owned()],
            ..TableSpec::new("gemeentecode")
        };
        [
            TableSpec {
                convention: Some(Convention::Comma),
                ..kwb.clone()
            },
            TableSpec {
                convention: Some(Convention::Semicolon),
                ..kwb.clone()
            },
            kwb,
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    for spec in specs() {
        if let Ok(table) = parse_cbs_table(data, "fuzz.csv", spec) {
            for row in &table.rows {
                assert_eq!(row.texts.len(), table.columns.len());
                assert_eq!(row.numbers.len(), table.columns.len());
                for column in &spec.number_columns {
                    let value = table.number(row, column);
                    assert!(
                        value.is_some(),
                        "declared number column {column} not parsed"
                    );
                    if let Some(number) = value.and_then(CellValue::value) {
                        assert!(number.is_finite(), "non-finite number {number}");
                    }
                }
            }
        }
    }
});
