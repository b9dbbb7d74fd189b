//! The two CBS table conventions (comma copies and CBS's own `;`/decimal-comma export) must read
//! to the same values, with CBS's missing-value symbols kept as reasons.

use std::path::Path;

use leefbaar_ingest::{Convention, Table, TableSpec, YearSource, read_cbs_table};
use leefbaar_model::{CellValue, MissingReason};

fn spec(convention: Option<Convention>) -> TableSpec {
    TableSpec {
        convention,
        year: YearSource::Column("jaar".to_owned()),
        number_columns: vec![
            "aantal_inwoners".to_owned(),
            "mannen".to_owned(),
            "gem_huishouden_grootte".to_owned(),
        ],
        text_columns: vec!["gemeentenaam".to_owned()],
        ..TableSpec::new("gemeentecode")
    }
}

fn read_fixture(name: &str, convention: Option<Convention>) -> Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    read_cbs_table(&path, &spec(convention)).unwrap_or_else(|error| panic!("{error}"))
}

/// Every row as (code, year, name, numbers), the part of a table that must not depend on its
/// convention.
fn contents(table: &Table) -> Vec<(String, u16, String, Vec<CellValue>)> {
    table
        .rows
        .iter()
        .map(|row| {
            (
                row.area.to_string(),
                row.year.unwrap().get(),
                table.text(row, "gemeentenaam").unwrap().to_owned(),
                ["aantal_inwoners", "mannen", "gem_huishouden_grootte"]
                    .iter()
                    .map(|column| table.number(row, column).unwrap())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn comma_copy_and_cbs_export_read_to_the_same_values() {
    let comma = read_fixture("drenthe_comma.csv", None);
    let cbs = read_fixture("drenthe_cbs.csv", None);
    assert_eq!(comma.convention, Convention::Comma);
    assert_eq!(cbs.convention, Convention::Semicolon);
    assert_eq!(contents(&comma), contents(&cbs));
}

#[test]
fn declared_conventions_read_like_detected_ones() {
    let declared = read_fixture("drenthe_cbs.csv", Some(Convention::Semicolon));
    assert_eq!(
        contents(&declared),
        contents(&read_fixture("drenthe_cbs.csv", None))
    );
}

#[test]
fn padded_codes_are_trimmed_and_decimal_commas_read() {
    let cbs = read_fixture("drenthe_cbs.csv", None);
    let assen = &cbs.rows[0];
    assert_eq!(assen.area.as_str(), "GM0106");
    assert_eq!(cbs.text(assen, "gemeentenaam"), Some("Assen"));
    assert_eq!(
        cbs.number(assen, "gem_huishouden_grootte"),
        Some(CellValue::Value(2.1))
    );
}

#[test]
fn cbs_symbols_become_missing_reasons_not_zero() {
    let table = read_fixture("drenthe_comma.csv", None);
    let cell = |row: usize, column: &str| table.number(&table.rows[row], column).unwrap();
    assert_eq!(
        cell(1, "gem_huishouden_grootte"),
        CellValue::Missing(MissingReason::Unknown)
    );
    assert_eq!(cell(2, "mannen"), CellValue::Missing(MissingReason::Secret));
    assert_eq!(cell(3, "mannen"), CellValue::Missing(MissingReason::Secret));
    assert_eq!(
        cell(3, "aantal_inwoners"),
        CellValue::Missing(MissingReason::NotCollected)
    );
}

#[test]
fn rows_know_their_line_with_the_header_as_line_one() {
    let table = read_fixture("drenthe_cbs.csv", None);
    let lines: Vec<u64> = table.rows.iter().map(|row| row.line).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
}

#[test]
fn the_real_gebieden_export_reads_in_cbs_convention() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/drenthe/cbs_gebieden_in_nederland_gemeenten/gebieden_in_nederland_gemeenten.csv");
    let spec = TableSpec {
        text_columns: vec!["Code_26".to_owned(), "Naam_2".to_owned()],
        number_columns: vec!["Inwonertal_54".to_owned()],
        ..TableSpec::new("Code_1")
    };
    let table = read_cbs_table(&path, &spec).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(table.convention, Convention::Semicolon);
    assert_eq!(table.rows.len(), 342);
    let aa_en_hunze = table
        .rows
        .iter()
        .find(|row| row.area.as_str() == "GM1680")
        .unwrap();
    assert_eq!(table.text(aa_en_hunze, "Code_26"), Some("PV22"));
    assert_eq!(table.text(aa_en_hunze, "Naam_2"), Some("Aa en Hunze"));
    assert_eq!(
        table.number(aa_en_hunze, "Inwonertal_54"),
        Some(CellValue::Value(25_845.0))
    );
}
