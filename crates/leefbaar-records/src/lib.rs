//! # Brief overview
//!
//! Person-level records for Leefbaar's education, poverty and literacy monitors: the path a
//! province's analyst runs on confidential records inside their own environment, from files to
//! area figures that are safe to publish. Pure computation: the caller reads the files and
//! hands over readers; nothing here touches the file system, a store or a server.
//!
//! Pipeline, one module per step:
//! - [`schema`]: [`Schema`] from TOML: code lists with nl/en labels and declared level orders,
//!   record kinds, their id, area and year fields, links between records, comparisons
//!   (below / at / above) and order rules.
//! - [`import`]: [`Records::import`] reads CSV files of every kind, checks every value, id,
//!   link and order rule, and returns [`Records`] only when all are valid; otherwise
//!   [`RecordsErrors`] names every problem of every file (file, line, field, found, expected).
//! - [`area`]: [`AreaTree`], the municipalities under their province under the country.
//! - [`aggregate`]: [`Records::figures`] computes each [`FigureSpec`] (counts, shares,
//!   transition matrices, linked shares) per area and year into a [`FigureTable`] of
//!   [`FigureCell`]s whose values are [`Published`]; `protect` runs the shared disclosure
//!   control of `leefbaar-survey` over every level of the area tree and every matrix row.
//! - [`synthetic`]: seeded SYNTHETIC records for the three monitors, calibrated to published
//!   figures.
//!
//! **Architecture invariant:** no figure leaves this crate except as a [`Published`] value
//! that went through `leefbaar_survey::NestedPartition`; this crate has no suppression rule of
//! its own.

pub mod aggregate;
pub mod area;
mod error;
pub mod import;
mod protect;
pub mod schema;
pub mod synthetic;
mod verify;

#[cfg(test)]
mod tests;

pub use aggregate::{CodeLabel, Figure, FigureCell, FigureSpec, FigureTable, Unit, difference};
pub use area::{AreaTree, AreaTreeError};
pub use error::{AggregateError, RecordProblem, RecordsErrors, SchemaError};
pub use import::{RecordFile, Records, Table, Value};
pub use leefbaar_survey::{DisclosureRule, Published, Suppression};
pub use schema::Schema;
