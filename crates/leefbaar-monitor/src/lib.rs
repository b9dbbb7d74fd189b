//! # Brief overview
//!
//! Leefbaar's monitors, between the engines (`leefbaar-network`, `leefbaar-projection`,
//! `leefbaar-survey`, `leefbaar-indicators`) and the surfaces (the server and the command
//! line). A bundle's manifest declares every input; this crate reads them, prepares the
//! monitors, turns their results into facts, and runs the import as one library call.
//!
//! - [`import_bundle`]: manifest → tables and areas (`leefbaar-ingest`) → the catalogue
//!   (built-in, extended by the entries generated for the bundle's reach kinds and by the
//!   bundle's own catalogue) → indicators → projection and reach facts → one store
//!   transaction, which also records the bundle ([`leefbaar_model::BundleImport`]).
//! - [`check_bundle`]: everything an import reads, read and checked without writing: every
//!   problem of every part (tables, catalogue, reach, projection, panel) with its file, line
//!   and field, and a summary of what the import would hold.
//! - [`Monitors::prepare`]: the live models a server needs (reach scenarios, the
//!   projection), prepared from exactly the bundle of the store's latest import, or the
//!   reason each is left out.
//! - [`reach`] ([`reach::ReachMonitor`]), [`projection`] ([`projection::ProjectionMonitor`]) and
//!   [`survey`] ([`survey::SurveyMonitor`]): each monitor's inputs, preparation, facts and typed
//!   results.
//! - [`schools`] ([`schools::Schools`], [`schools::Krimpcheck`]): DUO's open school data per
//!   location joined to the bundle's school facilities, their facts per municipality, and the
//!   krimpcheck of secondary locations to 2040.
//! - [`typology`] ([`typology::Typology`]): every municipality of the Netherlands by projected
//!   change × degree of urbanisation, with the residents' share per bubble.
//! - [`profile`]: an area next to the areas it is compared with, read from a store, for every
//!   surface that shows one ([`profile::profile`]: the API's profile and `/gebied/{code}`;
//!   [`profile::factsheet_inputs`]: the fact sheets of the server and the command line).
//!
//! Results are typed values (metres, fractions, whole persons); the server's wire types and
//! the command line's text present them. This crate never depends on the HTTP crate, and
//! importing never goes through it.
#![deny(missing_docs)]

pub mod aed;
mod bundle;
pub mod care;
mod check;
mod error;
pub mod hospitals;
mod import;
mod prepared;
pub mod profile;
pub mod projection;
pub mod reach;
pub mod schools;
pub mod survey;
pub mod typology;

pub use bundle::{BundleSettings, RecordedLeftOut, catalogue_for, digest, resolve_province};
pub use check::{
    BundleInfo, CatalogueSummary, CheckOptions, CheckPart, CheckProblem, CheckReport,
    MonitorSummary, TableSummary, check_bundle,
};
pub use error::MonitorError;
pub use import::{ImportOptions, ImportReport, LeftOut, import_bundle};
pub use prepared::{Monitors, PrepareOptions, recorded_bundle};
