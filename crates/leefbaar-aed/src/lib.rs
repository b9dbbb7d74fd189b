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
//! For areas and the alert system's straight-line convention: residents spread over a 100 m
//! lattice of each population point's ground ([`population`]), points within a radius
//! ([`nearby`]), and a seeded SYNTHETIC register calibrated to published figures
//! ([`synthetic`]) where no real register is open. The monitor (`leefbaar-monitor`'s `aed`)
//! turns them into facts per area.
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
