//! The place table reader (`leefbaar_ingest::parse_places`, the bundle's `[[places]]`: towns
//! with their point and population) on arbitrary bytes, with the columns of the bundled
//! Drenthe manifest and three known municipalities. Never a panic; every accepted place lies in
//! a known municipality and has a valid point.
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeSet;

use leefbaar_ingest::{PlaceSpec, parse_places};
use leefbaar_model::AreaCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let spec = PlaceSpec {
        file: "towns.csv".to_owned(),
        name: "name".to_owned(),
        municipality: "municipality".to_owned(),
        lon: "lon".to_owned(),
        lat: "lat".to_owned(),
        population: Some("population".to_owned()),
    };
    let known: BTreeSet<AreaCode> = ["GM0106", "GM0114", "GM1690"]
        .iter()
        .map(|code| AreaCode::parse(code).expect("a valid code"))
        .collect();
    match parse_places(data, "towns.csv", &spec, &known) {
        Ok(places) => {
            for place in &places {
                assert!(
                    known.contains(&place.municipality),
                    "{}",
                    place.municipality
                );
                assert!(place.point.0.is_finite() && place.point.1.is_finite());
            }
        }
        Err(error) => drop(error.to_string()),
    }
});
