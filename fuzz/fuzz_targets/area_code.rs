//! `leefbaar_model::AreaCode::parse` and the `FromStr` of `Year`, `AreaLevel`, `Unit` and
//! `MissingReason` on arbitrary UTF-8 text, with round-trip checks: whatever parses prints back
//! to text that parses to the same value, and a code's derived parents are valid codes.
#![no_main]
// `fuzz_target!` expands to `std::fs::File::create` (for `cargo fuzz fmt`); the workspace's
// clippy.toml ban on `std::fs` (use `fs_err`) is meant for our own code, not this macro.
#![allow(clippy::disallowed_methods)]

use leefbaar_model::{AreaCode, AreaLevel, MissingReason, Unit, Year};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    if let Ok(code) = AreaCode::parse(text) {
        let printed = code.to_string();
        assert_eq!(AreaCode::parse(&printed).as_ref(), Ok(&code));
        assert_eq!(text.parse::<AreaCode>().as_ref(), Ok(&code));
        let level = code.level();
        if let Some(municipality) = code.municipality() {
            let parsed = AreaCode::parse(municipality.as_str()).expect("municipality is a code");
            assert_eq!(parsed.level(), AreaLevel::Municipality);
        }
        if let Some(district) = code.district() {
            let parsed = AreaCode::parse(district.as_str()).expect("district is a code");
            assert_eq!(parsed.level(), AreaLevel::District);
        }
        let _ = level.as_str();
    } else {
        assert!(text.parse::<AreaCode>().is_err());
    }

    if let Ok(year) = text.parse::<Year>() {
        assert!(Year::RANGE.contains(&year.get()));
        assert_eq!(year.to_string().parse::<Year>().ok(), Some(year));
        let _ = year.minus(u16::from(data.first().copied().unwrap_or(0)));
    }
    if let Ok(level) = text.parse::<AreaLevel>() {
        assert_eq!(level.to_string().parse::<AreaLevel>().ok(), Some(level));
        assert_eq!(level.dutch_name().parse::<AreaLevel>().ok(), Some(level));
    }
    if let Ok(unit) = text.parse::<Unit>() {
        assert_eq!(unit.to_string().parse::<Unit>().ok(), Some(unit));
    }
    if let Ok(reason) = text.parse::<MissingReason>() {
        assert_eq!(
            reason.to_string().parse::<MissingReason>().ok(),
            Some(reason)
        );
    }
});
