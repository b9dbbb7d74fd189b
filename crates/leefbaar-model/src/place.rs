//! Places: named settlements (towns, villages) with a point, for labels on maps that have no
//! base map, and for finding a village by name.

use crate::AreaCode;

/// A named place with its point and population.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its name (`Emmer-Compascuum`).
    pub name: String,
    /// The municipality it lies in.
    pub municipality: AreaCode,
    /// Its point: longitude and latitude in WGS84 degrees.
    pub point: (f64, f64),
    /// Its population, if known (for choosing which labels to show at a zoom level).
    pub population: Option<u64>,
}
