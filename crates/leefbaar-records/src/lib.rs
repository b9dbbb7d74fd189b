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
//!   control of `leefbaar-survey` over every level of the area tree and every matrix row, and
//!   `joint` checks all figures of a kind and year together, withholding more where they
//!   would give a withheld value away in combination.
//! - [`synthetic`]: seeded SYNTHETIC records for the three monitors, calibrated to published
//!   figures.
//!
//! Twelve young adults in Assen and three in Emmen, counted per municipality, province and
//! country: Emmen's 3 is withheld (primary), and so is Assen (secondary), since Assen's 12
//! and Drenthe's 15 would give Emmen's 3 away.
//!
//! ```
//! use leefbaar_model::AreaCode;
//! use leefbaar_records::{AreaTree, DisclosureRule, Figure, FigureSpec, RecordFile, Records, Schema, Suppression};
//!
//! let schema = Schema::from_toml("mini.toml", r#"
//! id = "mini"
//! description = "example"
//! [kinds.person]
//! label = { nl = "Persoon", en = "Person" }
//! id = "id"
//! area = "municipality"
//! [kinds.person.fields]
//! id = { type = "id" }
//! municipality = { type = "area" }
//! "#).unwrap();
//! let mut csv = String::from("id,municipality\n");
//! for k in 0..15 {
//!     csv.push_str(&format!("p{k},{}\n", if k < 12 { "GM0106" } else { "GM0114" }));
//! }
//! let code = |c: &str| AreaCode::parse(c).unwrap();
//! let tree = AreaTree::province(&code("PV22"), &[code("GM0106"), code("GM0114")]).unwrap();
//! let file = RecordFile { kind: "person".to_owned(), name: "persons.csv".to_owned(), reader: csv.as_bytes() };
//! let records = Records::import(schema, &tree, vec![file]).unwrap();
//! let spec = FigureSpec { id: "persons".to_owned(), kind: "person".to_owned(), figure: Figure::Count };
//! let table = records.figures(&tree, &[spec], &DisclosureRule::default()).unwrap().remove(0);
//! let value = |area: &str| table.cell(area, None, None, 0).unwrap().value.clone();
//! assert_eq!((value("PV22").value(), value("PV22").n()), (Some(&15.0), Some(15)));
//! assert_eq!(value("GM0114").suppression(), Some(Suppression::Primary));
//! assert_eq!(value("GM0106").suppression(), Some(Suppression::Secondary));
//! ```
//!
//! **Architecture invariant:** no figure leaves this crate except as a [`Published`] value
//! that went through `leefbaar_survey::NestedPartition`; this crate has no suppression rule of
//! its own.

pub mod aggregate;
pub mod area;
mod error;
pub mod import;
mod joint;
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
