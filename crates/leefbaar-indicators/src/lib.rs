//! # Brief overview
//!
//! Leefbaar's indicators are declared, not coded. This crate holds the declaration and the pure
//! engine that turns base-variable facts into served numbers; it does no IO (it takes strings
//! and values and returns values).
//!
//! - [`Catalogue`], parsed by [`parse_catalogue`] from TOML and validated (unknown references,
//!   duplicate ids, cycles, units that do not fit a kind), each problem naming its line,
//!   indicator and field. The shipped catalogue is [`default_catalogue`] (`catalogue.toml`).
//! - [`compute`]: facts of municipalities and districts in, [`Computed`] out: an
//!   [`Observation`](leefbaar_model::Observation) of every indicator for every area and year,
//!   provinces and the Netherlands summed from municipalities, every ratio recomputed from
//!   summed numerator and denominator (never averaged), and the [`Finding`]s met on the way.
//! - [`compare`]: an area's value against a reference area's, as difference and index.
//!
//! Two Drenthe municipalities give the province's share of people aged 65+, Σ 65+ / Σ
//! inhabitants, not the mean of the two shares:
//!
//! ```
//! use leefbaar_indicators::{compute, default_catalogue};
//! use leefbaar_model::{Area, AreaCode, CellValue, Fact, Method, Year};
//!
//! let year = Year::new(2023).unwrap();
//! let drenthe = AreaCode::parse("PV22").unwrap();
//! let municipality = |code: &str| Area {
//!     code: AreaCode::parse(code).unwrap(),
//!     name: code.to_owned(),
//!     parent: Some(drenthe.clone()),
//!     first_year: year,
//!     last_year: year,
//!     geometry_geojson: None,
//! };
//! let fact = |code: &str, variable: &str, value: f64| Fact {
//!     area: AreaCode::parse(code).unwrap(),
//!     year,
//!     variable: variable.to_owned(),
//!     value: CellValue::Value(value),
//!     method: Method::Published,
//!     rows: Vec::new(),
//! };
//! let areas = [municipality("GM0106"), municipality("GM0109")];
//! let facts = [
//!     fact("GM0106", "inhabitants", 62_000.0),
//!     fact("GM0106", "inhabitants_65_plus", 13_000.0),
//!     fact("GM0109", "inhabitants", 40_000.0),
//!     fact("GM0109", "inhabitants_65_plus", 9_000.0),
//! ];
//! let computed = compute(default_catalogue(), &areas, &facts);
//! let share = computed.observation("share_65_plus", &drenthe, year).unwrap();
//! approx::assert_relative_eq!(share.value.value().unwrap(), 100.0 * 22_000.0 / 102_000.0);
//! ```
#![deny(missing_docs)]

mod catalogue;
mod compare;
mod engine;
mod error;

pub use catalogue::{
    BaseVariable, Catalogue, CatalogueSource, DEFAULT_CATALOGUE, default_catalogue, parse_catalogue,
};
pub use compare::{Comparison, compare, compare_cells};
pub use engine::{Computed, Finding, FindingKind, compute};
pub use error::{CatalogueError, CatalogueProblem};

#[cfg(test)]
mod tests;
