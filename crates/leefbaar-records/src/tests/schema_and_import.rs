//! The schema names its mistakes by line and field; the import names every bad record by file,
//! line, field, found and expected, in one pass, and returns nothing when any is bad.

use super::drenthe_tree;
use crate::{RecordFile, Records, RecordsErrors, Schema};
use std::fmt::Write as _;

/// A small schema with a link to another kind, a link to its own kind, codes and an order rule.
pub(super) const SCHEMA: &str = r#"
id = "mini"
description = "test schema"

[codes.level]
label = { nl = "Niveau", en = "Level" }
values = [
  { code = "low", nl = "laag", en = "low", levels = [1] },
  { code = "low/high", nl = "laag/hoog", en = "low/high", levels = [1, 2] },
  { code = "high", nl = "hoog", en = "high", levels = [2] },
]

[kinds.school]
label = { nl = "School", en = "School" }
id = "school_id"
area = "municipality"
[kinds.school.fields]
school_id = { type = "id" }
municipality = { type = "area" }

[kinds.pupil]
label = { nl = "Leerling", en = "Pupil" }
id = "pupil_id"
area = "municipality"
year = "year"
[kinds.pupil.fields]
pupil_id = { type = "id" }
municipality = { type = "area" }
year = { type = "year" }
school = { link = "school" }
sibling = { link = "pupil", optional = true }
advice = { code = "level" }
start = { code = "level", optional = true }
advice_date = { type = "date" }
start_date = { type = "date", optional = true }
age = { type = "integer" }

[[kinds.pupil.comparisons]]
name = "start_vs_advice"
field = "start"
against = "advice"
label = { nl = "Start", en = "Start" }

[[kinds.pupil.order]]
earlier = "advice_date"
later = "start_date"
"#;

const SCHOOLS: &str = "school_id,municipality\ns1,GM0106\ns2,GM0114\n";

fn import(pupils: &str) -> Result<Records, RecordsErrors> {
    let schema = Schema::from_toml("mini.toml", SCHEMA).unwrap();
    let files = vec![
        RecordFile {
            kind: "school".to_owned(),
            name: "schools.csv".to_owned(),
            reader: SCHOOLS.as_bytes(),
        },
        RecordFile {
            kind: "pupil".to_owned(),
            name: "pupils.csv".to_owned(),
            reader: pupils.as_bytes(),
        },
    ];
    Records::import(schema, &drenthe_tree(), files)
}

const HEADER: &str =
    "pupil_id,municipality,year,school,sibling,advice,start,advice_date,start_date,age,synthetic\n";

#[test]
fn a_valid_file_imports_with_links_to_other_kinds_and_to_its_own_kind() {
    let csv = format!(
        "{HEADER}p1,GM0106,2019,s1,p2,low/high,low,2019-02-01,2019-09-01,12,SYNTHETIC\np2,GM0114,2019,s2,,high,,2019-02-01,,12,SYNTHETIC\n"
    );
    let records = import(&csv).unwrap();
    assert_eq!(records.table(1).len(), 2);
}

#[test]
fn every_bad_record_of_a_file_is_named_by_line_field_found_and_expected_in_one_pass() {
    // (line of the CSV after the header, what is wrong, the message expected)
    let cases: [(&str, &str); 8] = [
        (
            "p1,GM0106,2019,s1,,hvo,,2019-02-01,,12,SYNTHETIC",
            "pupils.csv, line 2, field `advice`: expected a code of `level` (low, low/high, high), found `hvo`",
        ),
        (
            "p2,GM0106,2019,s9,,low,,2019-02-01,,12,SYNTHETIC",
            "pupils.csv, line 3, field `school`: expected the id of a `school` record, found `s9`",
        ),
        (
            "p2,GM0106,2019,s1,,low,,2019-02-01,,12,SYNTHETIC",
            "pupils.csv, line 4, field `pupil_id`: expected an id not used before (it is on line 3 of pupils.csv), found `p2`",
        ),
        (
            "p4,GM0106,2019,s1,,low,low,2019-02-01,2018-09-01,12,SYNTHETIC",
            "pupils.csv, line 5, field `start_date`: expected a `start_date` not before `advice_date` (2019-02-01), found `2018-09-01`",
        ),
        (
            "p5,GM0106,2019,s1,,low,,2019-02-30,,12,SYNTHETIC",
            "pupils.csv, line 6, field `advice_date`: expected a date (YYYY-MM-DD), found `2019-02-30`",
        ),
        (
            "p6,GM9999,2019,s1,,low,,2019-02-01,,twelve,SYNTHETIC",
            "pupils.csv, line 7, field `municipality`: expected an area code of the area tree without sub-areas (a municipality such as GM0106), found `GM9999`",
        ),
        (
            "p7,PV22,2019,s1,p99,,,2019-02-01,,12,SYNTHETIC",
            "pupils.csv, line 8, field `advice`: expected a value (the field is required), found ``",
        ),
        (
            "p8,GM0106,2019,s1,,low,,2019-02-01,,12",
            "pupils.csv, line 9: expected 11 values, as in the header, found `10 values`",
        ),
    ];
    let csv = HEADER.to_owned() + &cases.iter().map(|c| c.0).collect::<Vec<_>>().join("\n") + "\n";
    let errors = import(&csv).unwrap_err();
    let messages: Vec<String> = errors.problems.iter().map(ToString::to_string).collect();
    for (_, expected) in &cases {
        assert!(
            messages.contains(&(*expected).to_owned()),
            "missing: {expected}\nall: {messages:#?}"
        );
    }
    // Line 7 has a second problem (an age that is no number), line 8 two more (an area that is
    // not a municipality, a sibling that does not exist): all are named.
    assert!(
        messages
            .iter()
            .any(|m| m.contains("line 7, field `age`: expected a whole number, found `twelve`"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("line 8, field `municipality`"))
    );
    assert!(messages.iter().any(|m| {
        m.contains("line 8, field `sibling`: expected the id of a `pupil` record, found `p99`")
    }));
    assert!(errors.to_string().starts_with(&format!(
        "{} problems in the records, nothing imported",
        messages.len()
    )));
}

#[test]
fn a_header_without_a_field_or_with_an_unknown_column_is_named_before_any_record() {
    let errors =
        import("pupil_id,municipality,year,school,sibling,advice,start,advice_date,age,colour\n")
            .unwrap_err();
    let messages: Vec<String> = errors.problems.iter().map(ToString::to_string).collect();
    assert!(messages.iter().any(|m| {
        m.starts_with("pupils.csv, line 1, field `start_date`: expected a column `start_date`")
    }));
    assert!(messages.iter().any(|m| m == "pupils.csv, line 1, field `colour`: expected only the fields of `pupil`, found `colour`"));
}

#[test]
fn a_file_with_thousands_of_problems_reports_the_first_hundred_and_counts_the_rest() {
    let mut csv = HEADER.to_owned();
    for k in 0..1_000 {
        let _ = writeln!(csv, "p{k},GM0106,2019,s1,,bad,,2019-02-01,,12,SYNTHETIC");
    }
    let errors = import(&csv).unwrap_err();
    assert_eq!(errors.problems.len(), RecordsErrors::MAX_PER_FILE);
    assert_eq!(errors.omitted, vec![("pupils.csv".to_owned(), 900)]);
    assert!(
        errors
            .to_string()
            .contains("pupils.csv: 900 more problems not listed (at most 100 per file are)")
    );
}

#[test]
fn schema_mistakes_are_named_by_file_line_and_field() {
    // (what is changed in the schema, the message expected)
    let cases = [
        (
            (
                "advice = { code = \"level\" }",
                "advice = { code = \"levels\" }",
            ),
            "mini.toml, line 32, field `advice`: no code list `levels` (the schema has level)",
        ),
        (
            (
                "school = { link = \"school\" }",
                "school = { link = \"schools\" }",
            ),
            "mini.toml, line 30, field `school`: a link to kind `schools`, which the schema does not have (it has pupil, school)",
        ),
        (
            (
                "age = { type = \"integer\" }",
                "age = { type = \"number\" }",
            ),
            "mini.toml, line 36, field `age`: expected `type` one of id, integer, date, year, area, or `code = \"list\"`, or `link = \"kind\"`, found `number`",
        ),
        (
            ("later = \"start_date\"", "later = \"start\""),
            "mini.toml, line 44, field `start`: an order rule needs two date, year or integer fields of the kind",
        ),
        (
            (
                "year = \"year\"\n[kinds.pupil.fields]",
                "year = \"yr\"\n[kinds.pupil.fields]",
            ),
            "mini.toml, line 25, field `yr`: the year field is not among the fields of `pupil`",
        ),
        (
            (
                "{ code = \"high\", nl = \"hoog\", en = \"high\", levels = [2] }",
                "{ code = \"high\", nl = \"hoog\", en = \"high\" }",
            ),
            "mini.toml, line 5, field `level`: either every code has `levels` or none has",
        ),
    ];
    for ((from, to), expected) in cases {
        assert!(SCHEMA.contains(from), "{from}");
        let error = Schema::from_toml("mini.toml", &SCHEMA.replacen(from, to, 1)).unwrap_err();
        assert_eq!(error.to_string(), expected);
    }
    let error =
        Schema::from_toml("mini.toml", "id = \"x\"\ndescription = \"y\"\nkinds = 3\n").unwrap_err();
    assert_eq!(
        (error.file.as_str(), error.line, error.field.is_none()),
        ("mini.toml", 3, true)
    );
}

#[test]
fn the_three_monitor_schemas_parse_and_say_their_records_are_synthetic() {
    for name in ["education.toml", "poverty.toml", "literacy.toml"] {
        let schema = super::schema(name);
        assert!(schema.description.starts_with("SYNTHETIC"), "{name}");
    }
}

#[test]
fn problems_in_several_files_are_all_reported_file_by_file_and_nothing_is_imported() {
    let schema = Schema::from_toml("mini.toml", SCHEMA).unwrap();
    let schools = "school_id,municipality\ns1,GM0106\ns1,GM0114\n";
    let pupils = format!("{HEADER}p1,GM0106,2019,s2,,low,,2019-02-01,,12,SYNTHETIC\n");
    let files = vec![
        RecordFile {
            kind: "school".to_owned(),
            name: "schools.csv".to_owned(),
            reader: schools.as_bytes(),
        },
        RecordFile {
            kind: "pupil".to_owned(),
            name: "pupils.csv".to_owned(),
            reader: pupils.as_bytes(),
        },
        RecordFile {
            kind: "teacher".to_owned(),
            name: "teachers.csv".to_owned(),
            reader: "id\n".as_bytes(),
        },
    ];
    let errors = Records::import(schema, &drenthe_tree(), files).unwrap_err();
    let messages: Vec<String> = errors.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "schools.csv, line 3, field `school_id`: expected an id not used before (it is on line 2 of schools.csv), found `s1`",
            "pupils.csv, line 2, field `school`: expected the id of a `school` record, found `s2`",
            "teachers.csv, line 1: expected a record kind of the schema (pupil, school), found `teacher`",
        ]
    );
}
