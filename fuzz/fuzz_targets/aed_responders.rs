//! The citizen responders reader of the AED monitor (`leefbaar_monitor::aed::parse_responders`,
//! CSV `pc4, responders`) on arbitrary bytes. Never a panic; what parses is keyed by `PC` and
//! four digits, with finite counts of 0 or more.
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code.
#![allow(clippy::disallowed_methods)]

use std::path::Path;

use leefbaar_monitor::aed::parse_responders;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_responders(data, Path::new("responders.csv")) {
        Ok(by_pc4) => {
            for (code, count) in &by_pc4 {
                assert!(code.len() == 6 && code.starts_with("PC"), "{code}");
                assert!(count.is_finite() && *count >= 0.0, "{code}: {count}");
            }
        }
        Err(error) => drop(error.to_string()),
    }
});
