//! # Brief overview
//!
//! Where Leefbaar keeps areas, the indicator catalogue, observations and sources.
//! [`Store`] is the narrow trait the server and CLI use; [`SqliteStore`] implements it on an
//! embedded SQLite file (WAL, versioned migrations), the default, and `PgStore` (cargo feature
//! `postgres`) on a PostgreSQL database that several servers share. Both answer every query
//! identically (the `contract` tests run against both). [`StoreLocation`] chooses the backend
//! from a path or a `postgres://` URL. [`ReadPool`] lends read-only connections to a
//! multi-threaded server.
//!
//! Writes happen only through [`Store::import`], which applies an [`ImportBatch`] in one
//! transaction: a batch that fails leaves the store as it was.
//!
//! ```
//! use leefbaar_model::{
//!     Area, AreaCode, CellValue, IndicatorDef, IndicatorKind, LocalizedText, Observation,
//!     Provenance, Unit, Year,
//! };
//! use leefbaar_store::{ImportBatch, ObservationFilter, SqliteStore, Store};
//!
//! let y2024 = Year::new(2024).unwrap();
//! let assen = Area {
//!     code: AreaCode::parse("GM0106").unwrap(),
//!     name: "Assen".to_owned(),
//!     parent: Some(AreaCode::parse("PV22").unwrap()),
//!     first_year: Year::new(2012).unwrap(),
//!     last_year: y2024,
//!     geometry_geojson: None,
//! };
//! let inhabitants = IndicatorDef {
//!     id: "inhabitants".to_owned(),
//!     name: LocalizedText { nl: "Inwoners".to_owned(), en: "Inhabitants".to_owned() },
//!     description: LocalizedText::default(),
//!     theme: "population".to_owned(),
//!     unit: Unit::Persons,
//!     kind: IndicatorKind::Count { variable: "inhabitants".to_owned() },
//!     decimals: 0,
//!     source: "kwb_2024".to_owned(),
//!     factsheet: None,
//! };
//! let observation = Observation {
//!     area: assen.code.clone(),
//!     year: y2024,
//!     indicator: "inhabitants".to_owned(),
//!     value: CellValue::Value(69_000.0),
//!     provenance: Provenance::default(),
//! };
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! store
//!     .import(&ImportBatch {
//!         areas: vec![assen],
//!         indicators: vec![inhabitants],
//!         observations: vec![observation.clone()],
//!         ..ImportBatch::default()
//!     })
//!     .unwrap();
//!
//! let in_drenthe = ObservationFilter {
//!     parent: Some(AreaCode::parse("PV22").unwrap()),
//!     ..ObservationFilter::default()
//! };
//! assert_eq!(store.observations(&in_drenthe).unwrap(), vec![observation]);
//! ```
#![deny(missing_docs)]

use std::ops::ControlFlow;

use leefbaar_model::{
    Area, AreaCode, AreaLevel, BundleImport, IndicatorDef, Observation, Place, Postcode, Source,
    Year,
};

mod codec;
#[cfg(test)]
mod contract;
mod error;
mod location;
mod pool;
#[cfg(feature = "postgres")]
mod postgres;
mod query;
mod rules;
mod sqlite;

pub use error::StoreError;
pub use location::StoreLocation;
pub use pool::{PooledStore, ReadPool, SqliteReadPool, WatchedKey};
#[cfg(feature = "postgres")]
pub use postgres::{PgReadPool, PgStore};
pub use sqlite::SqliteStore;

/// The most observations one [`Store::observations`] call returns, whatever its filter's
/// `limit`: a bound on the memory one API request can make the server allocate.
pub const MAX_OBSERVATIONS: usize = 100_000;

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
    /// Postcode areas; replaced by postcode.
    pub postcodes: Vec<Postcode>,
    /// Places (towns, villages); replaced by (municipality, name).
    pub places: Vec<Place>,
    /// The bundle the batch comes from, recorded as the store's latest import.
    pub bundle: Option<BundleImport>,
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
    /// Postcode areas written.
    pub postcodes: usize,
    /// Places written.
    pub places: usize,
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
    /// At most this many rows ([`Store::observations`] caps it at [`MAX_OBSERVATIONS`];
    /// [`Store::each_observation`] does not).
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
    /// Every observation matching the filter, in the order of [`Store::observations`], handed
    /// to `each` as it is read, without the cap of [`MAX_OBSERVATIONS`] (the filter's own
    /// `limit` still holds): a download of any size in the memory of a few rows. `each` stops
    /// the reading by returning [`ControlFlow::Break`] (a client that hung up).
    fn each_observation(
        &self,
        filter: &ObservationFilter,
        each: &mut dyn FnMut(Observation) -> ControlFlow<()>,
    ) -> Result<(), StoreError>;
    /// All sources.
    fn sources(&self) -> Result<Vec<Source>, StoreError>;
    /// The years with at least one observation of `indicator`, ascending.
    fn years(&self, indicator: &str) -> Result<Vec<Year>, StoreError>;
    /// The postcode area with these four digits, if imported.
    fn postcode(&self, pc4: u16) -> Result<Option<Postcode>, StoreError>;
    /// The bundle of the latest import that recorded one, if any.
    fn latest_import(&self) -> Result<Option<BundleImport>, StoreError>;
    /// A key that names the latest import that recorded a bundle (the one
    /// [`Store::latest_import`] reads), `None` before the first; it is different after every
    /// such import and never comes back. Cheap enough to read on every request, which is what
    /// the server does to key its response cache: a primary-key lookup, no row decoded.
    fn import_key(&self) -> Result<Option<i64>, StoreError>;
    /// Whether this store answers in-process, in microseconds, so that a short query may run on
    /// an async runtime's worker thread (SQLite); a network database's synchronous client
    /// blocks, and may not even start there (PostgreSQL), so the default is no.
    fn answers_in_process(&self) -> bool {
        false
    }
    /// The places of the municipalities whose parent is `parent` (every place when `None`),
    /// most populous first, then by name.
    fn places(&self, parent: Option<&AreaCode>) -> Result<Vec<Place>, StoreError>;
}
