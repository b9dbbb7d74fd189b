//! # Brief overview
//!
//! Leefbaar's reach engine: how far people live from the nearest school, GP practice or
//! hospital over the road network, and what closing or opening one changes. It follows the
//! CBS *Nabijheid* method (`docs/methods/reach.md`): origins and facilities are snapped
//! perpendicularly onto the nearest road, one multi-source search per facility kind on the
//! reversed graph gives every origin its nearest facility, and area values are person-weighted
//! means.
//!
//! - [`OsmExtract`] reads the routable ways of an `.osm.pbf` file; [`OsmExtract::network`]
//!   builds the [`Network`] of a [`Profile`] (car, bicycle, foot): streets split at junctions,
//!   largest strongly connected component, nodes numbered along a Hilbert curve
//!   ([`NodeOrder`]), CSR [`Graph`] and its reversed view, R-tree for [`Network::snap`].
//! - [`cache::prepare`] does the same through an on-disk cache, so a second run skips the PBF.
//! - [`NearestCalculator`] is the search: [`NearestCalculator::nearest`] (multi-source
//!   Dijkstra), [`NearestCalculator::within`] (bounded) and [`NearestCalculator::update`]
//!   (incremental after closures and openings).
//! - [`ReachModel`] takes [`Origin`]s, [`Facility`]s and [`Params`] and gives per kind a
//!   [`KindReach`] (per origin and per area) and [`ScenarioOutcome`]s; [`Method::StraightLine`]
//!   is the flagged fallback without a network.
//!
//! Crate functions take values and return values; only [`OsmExtract::read`] and [`cache`]
//! touch files.
//!
//! ```
//! use leefbaar_model::AreaCode;
//! use leefbaar_network::{Facility, Method, Origin, Params, ReachModel, Wgs84Point};
//!
//! // Without a road network: straight line × 1.3, flagged approximate.
//! let origins = [Origin {
//!     id: "Zuidlaren".into(),
//!     point: Wgs84Point::new(6.683, 53.094),
//!     persons: 10_500.0,
//!     areas: vec![AreaCode::parse("GM1730").unwrap()],
//! }];
//! let facilities = [Facility {
//!     id: "UMCG".into(),
//!     kind: "hospital".into(),
//!     point: Wgs84Point::new(6.577, 53.222),
//! }];
//! let model = ReachModel::prepare(Method::StraightLine, &origins, &facilities, Params::default())?;
//! let hospital = model.kind_report("hospital").unwrap();
//! let distance_m = hospital.origins[0].nearest_distance_m.unwrap();
//! assert!((20_000.0..22_000.0).contains(&distance_m));
//! assert!(hospital.areas[0].approximate);
//! # Ok::<(), leefbaar_network::NetworkError>(())
//! ```
#![deny(missing_docs)]

pub mod cache;
pub mod error;
pub mod geo;
pub mod graph;
pub mod hospitals;
pub mod network;
pub mod order;
pub mod osm;
pub mod profile;
pub mod reach;
pub mod search;

#[cfg(test)]
mod oracle;

pub use error::NetworkError;
pub use geo::{Wgs84Point, haversine_m};
pub use graph::{Edge, Graph, Link, Metric};
pub use hospitals::{CareOrigin, CarePoint, CareTally, HospitalModel, HospitalParams, OriginCare};
pub use network::{Network, Snap, Street, StreetDraft};
pub use order::NodeOrder;
pub use osm::{AddressPoint, ImportReport, OsmExtract, OsmWay, address_points};
pub use profile::Profile;
pub use reach::{
    AreaChange, AreaReach, Facility, Finding, KindReach, Method, Origin, OriginReach, Params,
    ReachModel, Scenario, ScenarioOutcome,
};
pub use search::{NearestCalculator, NearestField, Seed};
