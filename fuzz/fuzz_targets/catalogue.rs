//! `leefbaar_indicators::parse_catalogue` on arbitrary UTF-8 text (non-UTF-8 inputs are
//! skipped: the function takes `&str`). Any outcome but a panic is fine; the error's `Display`
//! is rendered too, since that is what users see. An accepted catalogue is walked
//! (`themes`, `variables_of` for every indicator, which relies on the "no cycles" validation)
//! and run through `compute` with no areas and no facts.
#![no_main]
// `fuzz_target!` expands to `std::fs::File::create` (for `cargo fuzz fmt`); the workspace's
// clippy.toml ban on `std::fs` (use `fs_err`) is meant for our own code, not this macro.
#![allow(clippy::disallowed_methods)]

use leefbaar_indicators::{compute, parse_catalogue};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_catalogue(text) {
        Ok(catalogue) => {
            let _ = catalogue.themes();
            for indicator in catalogue.indicators() {
                assert!(catalogue.indicator(&indicator.id).is_some());
                let _ = catalogue.variables_of(&indicator.id);
            }
            for variable in catalogue.variables() {
                assert!(catalogue.variable(&variable.id).is_some());
            }
            let _ = compute(&catalogue, &[], &[]);
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
