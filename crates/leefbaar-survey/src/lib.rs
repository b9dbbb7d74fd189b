//! # Brief overview
//!
//! Survey estimation for Leefbaar's citizens' panel, and the disclosure control every module
//! that publishes figures about persons shares. Pure computation: parsing takes text or
//! `impl Read`, nothing touches files or the clock.
//!
//! - [`Schema`] and [`Panel`]: a questionnaire (TOML, nl/en labels) and its respondents
//!   (CSV), imported all or nothing with every problem named by line and field.
//! - [`Margin`], [`rake`], [`RakeParams`], [`RakeReport`]: raking of design weights to
//!   population margins with bounded and trimmed weights, and a convergence report.
//! - [`PopulationCell`], [`population_from_kwb`], [`standard_margins`]: adult population by
//!   municipality × age group × sex from CBS tables, and the margins derived from it.
//! - [`Estimator`], [`Estimate`], [`Difference`], [`Crosstab`]: weighted means and shares with
//!   Taylor-linearised standard errors and 95 % intervals, by domain, crosstabs, and tests of
//!   differences.
//! - [`Published`], [`DisclosureRule`], [`CountTable`], [`ProtectedTable`]: disclosure control;
//!   [`NestedPartition`], [`Parent`], [`protect_difference`]: secondary suppression across
//!   nested partitions, the one mechanism every person-level monitor calls before it publishes
//!   figures per group; [`determined_unknowns`]: the exact check of what published equations
//!   give away. **Architecture invariant:** no estimate leaves this crate without its n and its
//!   suppression status: every public function that estimates returns [`Published`], and
//!   [`Estimate`] cannot be built outside the crate.
//! - [`synthetic`]: the seeded SYNTHETIC panel of 5,001 respondents shaped like the 2018
//!   survey of Groningen, Fryslân and Drenthe.
//!
//! A tiny Drenthe panel: twelve respondents in Assen and Emmen, raked to the two
//! municipalities' adult populations, and the mean rating with its n:
//!
//! ```
//! use std::collections::BTreeMap;
//! use leefbaar_survey::{DisclosureRule, Estimator, Margin, Panel, RakeParams, Schema, rake};
//!
//! let schema = Schema::from_toml("schema.toml", r#"
//! id = "mini"
//! title = { nl = "Mini", en = "Mini" }
//! age_groups = ["18+"]
//! sexes = ["male", "female"]
//! [[questions]]
//! id = "rating"
//! kind = "number"
//! min = 1
//! max = 10
//! label = { nl = "Rapportcijfer", en = "Mark" }
//! "#).unwrap();
//! let mut csv = String::from("respondent_id,area_code,age_group,sex,rating\n");
//! for k in 0..12 {
//!     let area = if k < 8 { "GM0106" } else { "GM0114" };
//!     csv.push_str(&format!("r{k},{area},18+,female,{}\n", 6 + k % 4));
//! }
//! let panel = Panel::from_csv(schema, "mini.csv", csv.as_bytes()).unwrap();
//! let population = BTreeMap::from([("GM0106".to_owned(), 55_000.0), ("GM0114".to_owned(), 87_000.0)]);
//! let margin = Margin::from_panel("municipality", &panel, &population, |r| r.area.to_string()).unwrap();
//! let raked = rake(&panel.design_weights(), &[margin], &RakeParams::default()).unwrap();
//! let estimator = Estimator::new(&panel, &raked.weights, DisclosureRule::default()).unwrap();
//! let mean = estimator.mean("rating", &estimator.everyone()).unwrap();
//! assert_eq!(mean.n(), Some(12));
//! let emmen = estimator.domain("Emmen", |r| r.area.as_str() == "GM0114");
//! assert!(estimator.mean("rating", &emmen).unwrap().is_suppressed()); // 4 respondents
//! ```
//!
//! ```
//! use leefbaar_survey::{DisclosureRule, Published};
//!
//! let rule = DisclosureRule::default();
//! let shown = Published::count(12, &rule);
//! assert_eq!((shown.value(), shown.n()), (Some(&12), Some(12)));
//! let hidden = Published::count(7, &rule);
//! assert!(hidden.is_suppressed() && hidden.value().is_none() && hidden.n().is_none());
//! ```
#![deny(missing_docs)]

mod disclosure;
mod error;
mod estimate;
mod panel;
mod population;
mod raking;
mod schema;
pub mod synthetic;

#[cfg(test)]
mod tests;

pub use disclosure::{
    CountTable, DisclosureRule, GroupCells, NestedPartition, Parent, ProtectedTable, Published,
    Suppression, determined_unknowns, protect_difference,
};
pub use error::{DisclosureError, EstimateError, ImportError, ImportProblem, RakeError};
pub use estimate::{Crosstab, Difference, Domain, Estimate, Estimator, difference_between_surveys};
pub use panel::{Answer, Panel, Respondent};
pub use population::{
    KWB_AGE_GROUPS, POPULATION_HEADER, PopulationCell, parse_population, population_csv,
    population_from_kwb, provinces_of, standard_margins,
};
pub use raking::{Margin, RakeParams, RakeReport, Raked, rake};
pub use schema::{AnswerOption, Label, Question, QuestionKind, Schema};
