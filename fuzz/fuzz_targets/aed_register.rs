//! The AED register reader (`leefbaar_aed::registration::parse_register`, with the
//! `opening-hours` crate behind its `opening_hours` column) on arbitrary bytes: never a panic;
//! what parses has valid coordinates and unique ids.
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeSet;
use std::path::Path;

use leefbaar_aed::registration::parse_register;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(aeds) = parse_register(data, Path::new("fuzz.csv")) {
        let mut ids = BTreeSet::new();
        for aed in &aeds {
            assert!(aed.point.is_valid());
            assert!(ids.insert(aed.id.clone()), "{} twice", aed.id);
        }
    }
});
