//! The corpus of broken files under `tests/broken/`: each must be refused with an error that
//! names the file, the line (or feature) and the field, and lists every problem it has.
//!
//! Messages are snapshots (`tests/snapshots/`); paths are relative to the crate, so no
//! filtering is needed.

use std::path::Path;

use leefbaar_ingest::{
    BoundarySpec, Convention, ImportError, TableSpec, YearSource, read_boundaries, read_cbs_table,
};
use leefbaar_model::Year;

/// The one place the corpus calls the readers: reads `tests/broken/<name>` as the table or
/// boundaries it pretends to be, and returns the error's message.
fn check_broken(name: &str) -> String {
    let path = Path::new("tests/broken").join(name);
    let result = if name.ends_with(".geojson") {
        let spec = BoundarySpec::new(
            "gemeentecode",
            Some("gemeentenaam"),
            Year::new(2024).unwrap(),
        );
        read_boundaries(&path, &spec).map(|_| ())
    } else {
        let spec = TableSpec {
            convention: Some(Convention::Comma),
            year: YearSource::Column("jaar".to_owned()),
            number_columns: vec![
                "aantal_inwoners".to_owned(),
                "mannen".to_owned(),
                "gem_huishouden_grootte".to_owned(),
            ],
            text_columns: vec!["gemeentenaam".to_owned()],
            ..TableSpec::new("gemeentecode")
        };
        read_cbs_table(&path, &spec).map(|_| ())
    };
    let error = result.expect_err(name);
    assert!(
        matches!(error, ImportError::Invalid { .. }),
        "{name}: {error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("tests/broken/{name}")),
        "{message}"
    );
    message
}

#[test]
fn bad_numbers_are_all_listed_with_line_and_column() {
    insta::assert_snapshot!(check_broken("bad_number.csv"));
}

#[test]
fn a_semicolon_file_read_as_comma_says_which_columns_the_header_lacks() {
    insta::assert_snapshot!(check_broken("wrong_separator.csv"));
}

#[test]
fn malformed_area_codes_are_listed() {
    insta::assert_snapshot!(check_broken("unknown_area_code.csv"));
}

#[test]
fn a_second_row_for_the_same_area_and_year_names_the_first() {
    insta::assert_snapshot!(check_broken("duplicate_row.csv"));
}

#[test]
fn short_rows_and_a_cut_off_last_line_are_reported() {
    insta::assert_snapshot!(check_broken("truncated.csv"));
}

#[test]
fn latin1_bytes_are_reported_per_line_with_their_field() {
    insta::assert_snapshot!(check_broken("wrong_encoding.csv"));
}

#[test]
fn an_empty_file_is_refused() {
    insta::assert_snapshot!(check_broken("empty.csv"));
}

#[test]
fn every_invalid_geometry_is_reported_with_feature_and_code() {
    insta::assert_snapshot!(check_broken("invalid_geometry.geojson"));
}

#[test]
fn every_message_line_names_file_position_and_field() {
    for name in [
        "bad_number.csv",
        "unknown_area_code.csv",
        "duplicate_row.csv",
        "truncated.csv",
        "wrong_encoding.csv",
        "invalid_geometry.geojson",
    ] {
        let message = check_broken(name);
        let problem_lines: Vec<&str> = message.lines().filter(|line| line.contains(", ")).collect();
        assert!(
            problem_lines.len() >= 2,
            "{name} should list several problems:\n{message}"
        );
        for line in problem_lines
            .iter()
            .filter(|line| !line.contains("problems"))
        {
            assert!(
                line.starts_with(&format!("tests/broken/{name}, "))
                    && (line.contains(", line ") || line.contains(", feature "))
                    && line.contains("field `"),
                "{name}: {line}"
            );
        }
    }
}

#[test]
fn a_file_above_the_size_limit_is_refused_before_reading() {
    let spec = TableSpec {
        max_bytes: 100,
        ..TableSpec::new("gemeentecode")
    };
    let error = read_cbs_table(Path::new("tests/fixtures/drenthe_cbs.csv"), &spec).unwrap_err();
    insta::assert_snapshot!(error.to_string(), @"tests/fixtures/drenthe_cbs.csv: expected at most 100 bytes, found 445 bytes");
}

#[test]
fn a_missing_file_names_its_path() {
    let error = read_cbs_table(
        Path::new("tests/broken/no_such_file.csv"),
        &TableSpec::new("code"),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("tests/broken/no_such_file.csv"),
        "{error}"
    );
}

#[test]
fn more_than_fifty_problems_are_counted_not_listed() {
    let rows: Vec<String> = (1..=80)
        .map(|index| format!("GM{index:04},2024,bad"))
        .collect();
    let csv = format!("code,jaar,n\n{}\n", rows.join("\n"));
    let spec = TableSpec {
        year: YearSource::Column("jaar".to_owned()),
        number_columns: vec!["n".to_owned()],
        ..TableSpec::new("code")
    };
    let error = leefbaar_ingest::parse_cbs_table(csv.as_bytes(), "many.csv", &spec).unwrap_err();
    assert_eq!(error.problems().len(), 50);
    let first_line = error.to_string().lines().next().unwrap().to_owned();
    assert_eq!(first_line, "many.csv: 80 problems (the first 50 listed)");
}
