//! The person-records readers of `leefbaar-records` on arbitrary bytes: the first byte `s`
//! picks the reader (`s % 2`), the rest is the file.
//!
//! | `s % 2` | reader | input |
//! |---|---|---|
//! | 0 | `Schema::from_toml` | a records schema (UTF-8 only) |
//! | 1 | `Records::import` | pupils, with the bundled education schema and school frame |
//!
//! Never a panic; what imports keeps the reader's promises (below), and a refused file names
//! at least one problem.
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code.
#![allow(clippy::disallowed_methods)]

use std::sync::OnceLock;

use leefbaar_model::AreaCode;
use leefbaar_records::{AreaTree, RecordFile, Records, Schema};
use libfuzzer_sys::fuzz_target;

const EDUCATION_SCHEMA: &str = include_str!("../../data/records/education.toml");
const SCHOOL_FRAME: &str = include_str!("../../data/records/drenthe_primary_schools_2019.csv");

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::from_toml("education.toml", EDUCATION_SCHEMA).expect("the bundled schema parses")
    })
}

/// Drenthe's municipalities under the province, from the school frame's municipality codes.
fn tree() -> &'static AreaTree {
    static TREE: OnceLock<AreaTree> = OnceLock::new();
    TREE.get_or_init(|| {
        let province = AreaCode::parse("PV22").expect("a province code");
        let mut municipalities: Vec<AreaCode> = SCHOOL_FRAME
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').nth(1))
            .map(|code| AreaCode::parse(code).expect("the frame's codes parse"))
            .collect();
        municipalities.sort();
        municipalities.dedup();
        AreaTree::province(&province, &municipalities).expect("a tree")
    })
}

/// The school frame as the `school` kind's file (`school_id,municipality,pupils`).
fn schools_csv() -> &'static str {
    static CSV: OnceLock<String> = OnceLock::new();
    CSV.get_or_init(|| {
        let mut csv = String::from("school_id,municipality,pupils\n");
        for line in SCHOOL_FRAME.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            csv.push_str(&format!("{},{},{}\n", fields[0], fields[1], fields[2]));
        }
        csv
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector % 2 == 0 {
        if let Ok(text) = std::str::from_utf8(rest)
            && let Ok(schema) = Schema::from_toml("fuzz.toml", text)
        {
            // Kinds come in name order, each once: the reader promises it.
            let names: Vec<&str> = schema.kinds.iter().map(|kind| kind.name.as_str()).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(names, sorted, "kinds are unique and in name order");
        }
        return;
    }
    let files = vec![
        RecordFile {
            kind: "school".to_owned(),
            name: "schools.csv".to_owned(),
            reader: schools_csv().as_bytes(),
        },
        RecordFile {
            kind: "pupil".to_owned(),
            name: "pupils.csv".to_owned(),
            reader: rest,
        },
    ];
    match Records::import(schema().clone(), tree(), files) {
        Ok(records) => {
            // Every record is a line of the file after its header.
            let pupils = schema().kind_index("pupil").expect("pupils");
            let lines = rest.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
            assert!(records.table(pupils).len() < lines.max(1));
        }
        Err(errors) => assert!(!errors.is_empty(), "a refused import names its problems"),
    }
});
