//! The postcode table and municipal lineage readers (`leefbaar_ingest::parse_postcodes`,
//! `Lineage::parse`) and the search box's `Postcode::parse_pc4` on arbitrary bytes: never a
//! panic; what parses is in range; lineage shares sum to one wherever they lead.
#![no_main]
// See area_code.rs: the macro expands to `std::fs`, which clippy.toml bans for our own code.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeSet;

use leefbaar_ingest::{Lineage, PostcodeSpec, parse_postcodes};
use leefbaar_model::{AreaCode, Postcode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(pc4) = Postcode::parse_pc4(text)
    {
        assert!((1000..=9999).contains(&pc4));
    }

    let spec = PostcodeSpec {
        file: "fuzz.csv".to_owned(),
        postcode: "pc4".to_owned(),
        place: "place".to_owned(),
        municipality: "municipality".to_owned(),
        district: Some("district".to_owned()),
        lon: Some("lon".to_owned()),
        lat: Some("lat".to_owned()),
    };
    let known: BTreeSet<AreaCode> = ["GM0106", "WK010600", "GM0114"]
        .iter()
        .map(|code| AreaCode::parse(code).expect("a valid code"))
        .collect();
    if let Ok(postcodes) = parse_postcodes(data, "fuzz.csv", &spec, &known) {
        for postcode in postcodes {
            assert!((1000..=9999).contains(&postcode.pc4));
            assert!(known.contains(&postcode.municipality));
        }
    }

    if let Ok(lineage) = Lineage::parse(data, "fuzz.csv") {
        for code in ["GM0001", "GM0106"] {
            let code = AreaCode::parse(code).expect("a valid code");
            let total: f64 = lineage
                .successors(&code, 2012, 2024)
                .iter()
                .map(|(_, share)| share)
                .sum();
            assert!((total - 1.0).abs() < 1e-9, "shares sum to {total}");
        }
    }
});
