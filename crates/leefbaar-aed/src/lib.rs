//! # Brief overview
//!
//! AEDs for the Hartveilig monitor (issue 14): registrations read from OpenStreetMap
//! (`emergency=defibrillator`) or from a register CSV ([`registration`]), whether each can be
//! reached at a moment of a reference week by its `opening_hours` ([`availability`]), and which
//! homes have an available AED within a walking distance over the foot network
//! ([`coverage`], on `leefbaar-network`'s reach engine), and where new AEDs cover most homes
//! not yet covered ([`placement`]: the maximal covering location problem, greedy with an
//! interchange local search, the coverage curve against the number of new AEDs, each site's
//! gain in people, relocation of indoor or part-time AEDs, and an exact solver for small cases).
//!
//! GRASP, responders per area, the synthetic Drenthe register and the monitor and dashboard
//! parts are not here yet.
#![deny(missing_docs)]

pub mod availability;
pub mod coverage;
mod error;
pub mod nearby;
pub mod placement;
pub mod population;
pub mod registration;
pub mod synthetic;

pub use error::{AedError, OsmFinding};

#[cfg(test)]
mod tests;
