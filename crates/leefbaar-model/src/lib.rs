//! # Brief overview
//!
//! The vocabulary every other Leefbaar crate speaks, with no IO and no serialisation:
//!
//! - [`AreaCode`] and [`AreaLevel`]: CBS region codes (`NL01`, `PV22`, `GM0106`, `WK010600`,
//!   `BU01060000`) parsed once, so a code always knows its level and, for districts and
//!   neighbourhoods, its municipality.
//! - [`Area`]: a named area with its parent and the years it exists.
//! - [`Year`]: the statistical year (CBS reference date 1 January of that year).
//! - [`CellValue`] and [`MissingReason`]: a number, or the reason there is none. CBS marks
//!   missing and secret cells with symbols rather than zero, and we keep that reason all the
//!   way to the API.
//! - [`IndicatorDef`], [`IndicatorKind`], [`Unit`]: the declared shape of an indicator;
//!   [`FactsheetUse`]: whether and how fact sheets show it.
//! - [`Observation`], [`Method`], [`Provenance`]: a value of one indicator for one area and
//!   year, with how it was obtained and from which source rows.
//! - [`Fact`]: a base variable's value as read from a source, before indicators are computed.
//! - [`Source`]: an imported file with its table, licence and attribution; [`BundleImport`]:
//!   which bundle an import came from.
//! - [`Postcode`]: a four-digit postcode area and the municipality and district it lies in;
//!   [`Place`]: a named town or village with its point, for map labels.
//!
//! ```
//! use leefbaar_model::{AreaCode, AreaLevel};
//!
//! let emmen = AreaCode::parse("GM0114").unwrap();
//! assert_eq!(emmen.level(), AreaLevel::Municipality);
//! let district = AreaCode::parse("WK011401").unwrap();
//! assert_eq!(district.municipality(), Some(emmen));
//! ```
#![deny(missing_docs)]

mod area;
mod error;
mod indicator;
mod observation;
mod place;
mod postcode;
mod source;
mod value;

pub use area::{Area, AreaCode, AreaLevel, Year};
pub use error::ModelError;
pub use indicator::{
    FactsheetChart, FactsheetUse, IndicatorDef, IndicatorKind, LocalizedText, Unit,
};
pub use observation::{Fact, Method, Observation, Provenance, SourceRow};
pub use place::Place;
pub use postcode::Postcode;
pub use source::{BundleImport, Source};
pub use value::{CellValue, MissingReason};
