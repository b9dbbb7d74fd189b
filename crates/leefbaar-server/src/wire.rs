//! The wire format of the monitors' results: the `data` of the reach, AED and projection routes,
//! and the `--json` output of `leefbaar reach` and `leefbaar project`, converted from the
//! monitors' typed results (`leefbaar-monitor`), so one shape serves both and a change in a
//! monitor cannot silently change the API.

pub mod aed;
pub mod hospitals;
pub mod projection;
pub mod reach;
pub mod schools;
pub mod survey;
pub mod typology;

/// Rounds for publication.
pub(crate) fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}
