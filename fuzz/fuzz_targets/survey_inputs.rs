//! The citizens' panel readers of `leefbaar-survey` on arbitrary bytes: the first byte `s`
//! picks the reader (`s % 3`), the rest is the file.
//!
//! | `s % 3` | reader | input |
//! |---|---|---|
//! | 0 | `Schema::from_toml` | the questionnaire (UTF-8 only) |
//! | 1 | `Panel::from_csv` | respondents, with the bundled 2018 questionnaire |
//! | 2 | `parse_population` | the population margins the panel is weighted to |
//!
//! Never a panic; what parses keeps the readers' promises (below).
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code.
#![allow(clippy::disallowed_methods)]

use std::sync::OnceLock;

use leefbaar_survey::{Panel, Schema, parse_population};
use libfuzzer_sys::fuzz_target;

const BUNDLED_SCHEMA: &str = include_str!("../../data/survey/burgerpanel_2018_schema.toml");

fn bundled() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::from_toml("burgerpanel_2018_schema.toml", BUNDLED_SCHEMA)
            .expect("the bundled schema parses")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                match Schema::from_toml("fuzz.toml", text) {
                    // Question ids are unique: the reader promises it.
                    Ok(schema) => {
                        let mut ids: Vec<&str> =
                            schema.questions.iter().map(|q| q.id.as_str()).collect();
                        ids.sort_unstable();
                        let before = ids.len();
                        ids.dedup();
                        assert_eq!(before, ids.len(), "a question id twice");
                    }
                    Err(error) => drop(error.to_string()),
                }
            }
        }
        1 => match Panel::from_csv(bundled().clone(), "fuzz.csv", rest) {
            Ok(panel) => assert_eq!(panel.schema.questions.len(), bundled().questions.len()),
            Err(error) => drop(error.to_string()),
        },
        _ => match parse_population("fuzz.csv", rest) {
            Ok(cells) => {
                for cell in &cells {
                    assert!(!cell.population.is_nan(), "a NaN population");
                }
            }
            Err(error) => drop(error.to_string()),
        },
    }
});
