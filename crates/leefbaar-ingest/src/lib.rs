//! # Brief overview
//!
//! Reads the files Leefbaar is built from into the model's [`Source`]s, [`Area`]s and [`Fact`]s.
//!
//! - [`read_cbs_table`]: CBS statistical tables in both conventions (comma copies and CBS's own
//!   `;`/decimal-comma export), with CBS missing-value symbols kept as reasons.
//! - [`read_boundaries`]: GeoJSON area polygons in WGS84 or RD New, checked and reprojected.
//! - [`read_postcodes`]: which municipality and district a four-digit postcode lies in.
//! - [`load_manifest`]: the bundle a manifest declares, with the mapping from columns to base
//!   variables given as data in the manifest; [`check_manifest`] reads the same files but goes
//!   on past a bad one, so that every bad file is reported at once.
//!
//! Malformed files are rejected with *every* problem found ([`ImportError::Invalid`]), each
//! naming the file, line (or feature) and field. The crate does no printing and reads no clock;
//! progress is reported through a callback.
//!
//! ```
//! use leefbaar_ingest::{Convention, TableSpec, YearSource, parse_cbs_table};
//! use leefbaar_model::{CellValue, MissingReason, Year};
//!
//! let csv = "gemeentecode;jaar;aantal_inwoners\n\"GM0106    \";2024;69701\nGM1680;2024;.\n";
//! let spec = TableSpec {
//!     year: YearSource::Column("jaar".into()),
//!     number_columns: vec!["aantal_inwoners".into()],
//!     ..TableSpec::new("gemeentecode")
//! };
//! let table = parse_cbs_table(csv.as_bytes(), "drenthe.csv", &spec).unwrap();
//! assert_eq!(table.convention, Convention::Semicolon);
//! assert_eq!(table.rows[0].area.as_str(), "GM0106");
//! assert_eq!(table.number(&table.rows[0], "aantal_inwoners"), Some(CellValue::Value(69701.0)));
//! assert_eq!(
//!     table.number(&table.rows[1], "aantal_inwoners"),
//!     Some(CellValue::Missing(MissingReason::Unknown))
//! );
//! assert_eq!(table.rows[0].year, Some(Year::new(2024).unwrap()));
//! ```
#![deny(missing_docs)]

mod boundary;
mod bundle_spec;
mod csv_rows;
mod error;
mod lineage;
mod manifest;
mod place;
mod postcode;
mod table;

pub use boundary::{
    BoundarySpec, Crs, RdToWgs84, parse_boundaries, parse_properties_table, read_boundaries,
    read_properties_table,
};
pub use bundle_spec::{
    AedSpec, BundleSpec, CareSource, CareSpec, DegreeSpec, GridSpec, HospitalsSpec, PROFILES,
    ProjectionSpec, ReachKindSpec, ReachSource, ReachSpec, RegionSpec, SchoolsSpec, SurveySpec,
    TypologyColumns, TypologySpec,
};
pub use error::{ImportError, Position, Problem, Problems};
pub use lineage::{Lineage, LineageSpec};
pub use manifest::{
    Bundle, Progress, check_manifest, load_manifest, load_manifest_with_progress, read_bundle_spec,
};
pub use place::{PlaceSpec, parse_places, read_places};
pub use postcode::{PostcodeSpec, parse_postcodes, read_postcodes};
pub use table::{
    Convention, MAX_INPUT_BYTES, Row, Table, TableSpec, YearSource, parse_cbs_table, read_cbs_table,
};

#[doc(no_inline)]
pub use leefbaar_model::{Area, Fact, Source};
