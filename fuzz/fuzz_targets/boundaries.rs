//! `leefbaar_ingest::parse_boundaries` on arbitrary bytes, with the CRS detected, forced to
//! WGS84 and forced to RD New (which reprojects), plus `parse_properties_table` on the same
//! bytes. Any outcome but a panic is fine; accepted areas are checked to be WGS84.
#![no_main]
// `fuzz_target!` expands to `std::fs::File::create` (for `cargo fuzz fmt`); the workspace's
// clippy.toml ban on `std::fs` (use `fs_err`) is meant for our own code, not this macro.
#![allow(clippy::disallowed_methods)]

use std::sync::OnceLock;

use leefbaar_ingest::{BoundarySpec, Crs, TableSpec, parse_boundaries, parse_properties_table};
use leefbaar_model::Year;
use libfuzzer_sys::fuzz_target;

fn specs() -> &'static [BoundarySpec; 3] {
    static SPECS: OnceLock<[BoundarySpec; 3]> = OnceLock::new();
    SPECS.get_or_init(|| {
        let year = Year::new(2024).unwrap();
        let base = BoundarySpec::new("gemeentecode", Some("gemeentenaam"), year);
        [
            base.clone(),
            BoundarySpec {
                crs: Some(Crs::Wgs84),
                ..base.clone()
            },
            BoundarySpec {
                crs: Some(Crs::RdNew),
                ..base
            },
        ]
    })
}

fn table_spec() -> &'static TableSpec {
    static SPEC: OnceLock<TableSpec> = OnceLock::new();
    SPEC.get_or_init(|| TableSpec {
        number_columns: vec!["aantal_inwoners".to_owned()],
        text_columns: vec!["gemeentenaam".to_owned()],
        ..TableSpec::new("gemeentecode")
    })
}

fuzz_target!(|data: &[u8]| {
    for spec in specs() {
        if let Ok(areas) = parse_boundaries(data, "fuzz.geojson", spec) {
            for area in &areas {
                assert!(area.first_year <= area.last_year);
                assert!(area.geometry_geojson.is_some());
            }
        }
    }
    let _ = parse_properties_table(data, "fuzz.geojson", table_spec());
});
