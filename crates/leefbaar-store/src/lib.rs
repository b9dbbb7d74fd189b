//! # Brief overview
//!
//! Where Leefbaar keeps areas, the indicator catalogue, observations and sources.
//! [`Store`] is the narrow trait the server and CLI use; [`SqliteStore`] implements it on an
//! embedded SQLite file (WAL, versioned migrations). A PostgreSQL backend implements the same
//! trait later.
//!
//! Writes happen only through [`Store::import`], which applies an [`ImportBatch`] in one
//! transaction: a batch that fails leaves the store as it was.
#![deny(missing_docs)]

use leefbaar_model::{Area, AreaCode, AreaLevel, IndicatorDef, Observation, Source, Year};

mod error;
pub use error::StoreError;

// The helper implementing this crate adds: mod sqlite; pub use sqlite::SqliteStore;

/// Everything one import writes, applied in one transaction.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    /// Sources (files) the batch comes from; replaced by id.
    pub sources: Vec<Source>,
    /// Areas; replaced by code.
    pub areas: Vec<Area>,
    /// Indicator definitions; replaced by id.
    pub indicators: Vec<IndicatorDef>,
    /// Observations; replaced by (area, year, indicator).
    pub observations: Vec<Observation>,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    /// Sources written.
    pub sources: usize,
    /// Areas written.
    pub areas: usize,
    /// Indicators written.
    pub indicators: usize,
    /// Observations written.
    pub observations: usize,
}

/// Which areas to list. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AreaFilter {
    /// Only areas of this level.
    pub level: Option<AreaLevel>,
    /// Only areas whose parent is this area.
    pub parent: Option<AreaCode>,
    /// Only areas that exist in this year.
    pub year: Option<Year>,
    /// Only these codes.
    pub codes: Vec<AreaCode>,
    /// Include the GeoJSON geometry (large); without it `geometry_geojson` is `None`.
    pub with_geometry: bool,
}

/// Which observations to list. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct ObservationFilter {
    /// Only these indicators.
    pub indicators: Vec<String>,
    /// Only these areas.
    pub areas: Vec<AreaCode>,
    /// Only areas of this level.
    pub level: Option<AreaLevel>,
    /// Only areas whose parent is this area.
    pub parent: Option<AreaCode>,
    /// Only years from this one on.
    pub year_from: Option<Year>,
    /// Only years up to and including this one.
    pub year_to: Option<Year>,
    /// At most this many rows (the store may cap it further).
    pub limit: Option<usize>,
}

/// The storage operations Leefbaar needs; narrow so that other backends can implement it.
///
/// Results are ordered deterministically: areas by code; observations by indicator, area
/// code, year; indicators in catalogue order; sources by id.
pub trait Store {
    /// Applies a batch in one transaction: all of it, or nothing.
    fn import(&mut self, batch: &ImportBatch) -> Result<ImportSummary, StoreError>;
    /// Areas matching the filter.
    fn areas(&self, filter: &AreaFilter) -> Result<Vec<Area>, StoreError>;
    /// The indicator catalogue, in catalogue order.
    fn indicators(&self) -> Result<Vec<IndicatorDef>, StoreError>;
    /// Observations matching the filter.
    fn observations(&self, filter: &ObservationFilter) -> Result<Vec<Observation>, StoreError>;
    /// All sources.
    fn sources(&self) -> Result<Vec<Source>, StoreError>;
    /// The years with at least one observation of `indicator`, ascending.
    fn years(&self, indicator: &str) -> Result<Vec<Year>, StoreError>;
}
