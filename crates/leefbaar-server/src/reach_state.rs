//! Reach of facilities as the server (and the `leefbaar reach` command) publishes it: the
//! bundled origins and facilities read from text, one [`ReachModel`] prepared at start, and the
//! wire types of `/api/v1/facilities`, `/api/v1/reach/scenario` and `leefbaar reach --json`.
//!
//! [`ReachData`] holds the prepared model; [`AppState::with_reach`] attaches one to the server
//! state (optional: a server without it answers the reach routes with 404). Scenarios are
//! computed on request from the prepared model and never stored.
//!
//! The model borrows its origins, facilities and road network for as long as it lives; a
//! [`ReachData`] lives as long as the process, so [`ReachData::new`] moves them into leaked,
//! never-freed allocations (once per process, a few hundred kB without a network).
//!
//! Without a road network every distance is the straight line × 1.3 (see
//! [`leefbaar_network::reach`] for how the factor was chosen) and every output says
//! `approximate: true` with a note.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::{
    Facility, Method, Network, NetworkError, Origin, Params, ReachModel, Scenario, Wgs84Point,
};
use serde::Serialize;

use crate::AppState;

/// The bundled facility kinds, one CSV each in `data/drenthe/facilities/` (`<kind>.csv`).
pub const KINDS: [&str; 5] = [
    "primary_school",
    "secondary_school",
    "havo_vwo_school",
    "hospital",
    "ambulance_post",
];

/// The bundled origins file, in `data/drenthe/reach_origins_pc4_2021/`.
pub const ORIGINS_FILE: &str = "origins_pc4_2021.csv";

/// The bundled origins of neighbourhoods, beside [`ORIGINS_FILE`]: each PC4 area's population
/// split over the neighbourhoods it covers.
pub const NEIGHBOURHOOD_ORIGINS_FILE: &str = "origins_pc4_buurt_2021.csv";

/// The id of the facilities' source in the store and the catalogue.
pub const SOURCE_ID: &str = "facilities_reach_2024";

/// Licence of the reach outputs (the bundled inputs' licences together).
pub const LICENCE: &str = "CC0 (DUO school locations); MIT (hospital and ambulance-post list, E. Vullings, after RIVM); CC BY 4.0 (CBS population per postcode)";

/// Attribution of the reach outputs.
pub const ATTRIBUTION: &str =
    "DUO; RIVM / E. Vullings (ziekenhuizen); Bron: CBS; bewerking Leefbaar";

/// The distance thresholds of every kind, in kilometres: CBS *Nabijheid* uses 1/3/5 km for
/// primary schools, 3/5/10 km for secondary schools and 5/10/20 km for hospitals.
pub fn thresholds_km(kind: &str) -> &'static [u32] {
    match kind {
        "primary_school" => &[1, 3, 5],
        "secondary_school" | "havo_vwo_school" => &[3, 5, 10],
        _ => &[5, 10, 20],
    }
}

/// Every threshold of any kind, in kilometres, in the order [`params`] gives them.
const ALL_THRESHOLDS_KM: [u32; 5] = [1, 3, 5, 10, 20];

/// The settings every reach computation of Leefbaar uses: the engine's defaults (detour 1.3)
/// with thresholds of 1, 3, 5, 10 and 20 km.
pub fn params() -> Params {
    Params {
        distance_thresholds_m: ALL_THRESHOLDS_KM
            .iter()
            .map(|&km| f64::from(km) * 1000.0)
            .collect(),
        ..Params::default()
    }
}

/// The positions in [`params`]' thresholds of `kind`'s thresholds.
fn threshold_indices(kind: &str) -> Vec<usize> {
    thresholds_km(kind)
        .iter()
        .map(|km| {
            ALL_THRESHOLDS_KM
                .iter()
                .position(|t| t == km)
                .expect("every kind's thresholds are among ALL_THRESHOLDS_KM")
        })
        .collect()
}

/// A bundled input file could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReachInputError {
    /// A record is malformed.
    #[error("{file}, line {line}: {message}")]
    Record {
        /// The file's name.
        file: String,
        /// The line (1 = header).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The engine refused the inputs.
    #[error(transparent)]
    Network(#[from] NetworkError),
}

fn record_error(file: &str, line: u64, message: impl Into<String>) -> ReachInputError {
    ReachInputError::Record {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

/// Reads a CSV into header-keyed records, with their line numbers.
fn read_csv(
    file: &str,
    text: &[u8],
    columns: &[&str],
) -> Result<Vec<(u64, Vec<String>)>, ReachInputError> {
    let mut reader = csv::Reader::from_reader(text);
    let headers = reader
        .headers()
        .map_err(|e| record_error(file, 1, e.to_string()))?
        .clone();
    let positions: Vec<usize> = columns
        .iter()
        .map(|column| {
            headers
                .iter()
                .position(|h| h == *column)
                .ok_or_else(|| record_error(file, 1, format!("no column `{column}`")))
        })
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            record_error(file, line, e.to_string())
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        rows.push((
            line,
            positions
                .iter()
                .map(|&p| record.get(p).unwrap_or("").trim().to_owned())
                .collect(),
        ));
    }
    Ok(rows)
}

fn number(file: &str, line: u64, field: &str, text: &str) -> Result<f64, ReachInputError> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            record_error(
                file,
                line,
                format!("field `{field}` must be a number, found `{text}`"),
            )
        })
}

fn code(file: &str, line: u64, field: &str, text: &str) -> Result<AreaCode, ReachInputError> {
    AreaCode::parse(text).map_err(|_| {
        record_error(
            file,
            line,
            format!("field `{field}` must be a CBS area code, found `{text}`"),
        )
    })
}

/// The origins and facilities of a reach computation, with the names of the origins' areas.
#[derive(Debug, Clone, Default)]
pub struct ReachInputs {
    /// Population points.
    pub origins: Vec<Origin>,
    /// Facilities of every kind.
    pub facilities: Vec<Facility>,
    /// Names of the areas the origins lie in.
    pub names: BTreeMap<AreaCode, String>,
    /// Names of the facilities by (kind, id).
    pub facility_names: BTreeMap<(String, String), String>,
}

impl ReachInputs {
    /// Adds the origins of an origins CSV (`pc4, persons, province, municipality,
    /// municipality_name, district, district_name, lon, lat`): each lies in its province,
    /// municipality and district.
    pub fn add_origins(&mut self, file: &str, text: &[u8]) -> Result<(), ReachInputError> {
        let columns = [
            "pc4",
            "persons",
            "province",
            "municipality",
            "municipality_name",
            "district",
            "district_name",
            "lon",
            "lat",
        ];
        for (line, row) in read_csv(file, text, &columns)? {
            let persons = number(file, line, "persons", &row[1])?;
            if persons < 0.0 {
                return Err(record_error(file, line, "field `persons` is negative"));
            }
            let province = code(file, line, "province", &row[2])?;
            let municipality = code(file, line, "municipality", &row[3])?;
            let district = code(file, line, "district", &row[5])?;
            if municipality.level() != AreaLevel::Municipality
                || district.level() != AreaLevel::District
            {
                return Err(record_error(
                    file,
                    line,
                    "`municipality` must be a GM code and `district` a WK code",
                ));
            }
            self.names.insert(province.clone(), "Drenthe".to_owned());
            self.names.insert(municipality.clone(), row[4].clone());
            self.names.insert(district.clone(), row[6].clone());
            self.origins.push(Origin {
                id: format!("PC4 {}", row[0]),
                point: Wgs84Point::new(
                    number(file, line, "lon", &row[7])?,
                    number(file, line, "lat", &row[8])?,
                ),
                persons,
                areas: vec![province, municipality, district],
            });
        }
        Ok(())
    }

    /// Adds the origins of a neighbourhood origins CSV (`pc4, persons, neighbourhood, lon,
    /// lat`): each counts for its neighbourhood only.
    ///
    /// Municipalities and districts keep the PC4 points of [`ReachInputs::add_origins`]: a
    /// split by area spreads people evenly over a PC4 area, farmland included, which moves
    /// them away from village schools (Assen's mean distance to a primary school would rise
    /// from 0.74 to 1.13 km); within one neighbourhood that bias is much smaller than the gain
    /// of having a point in every neighbourhood at all.
    pub fn add_neighbourhood_origins(
        &mut self,
        file: &str,
        text: &[u8],
    ) -> Result<(), ReachInputError> {
        let columns = ["pc4", "persons", "neighbourhood", "lon", "lat"];
        for (line, row) in read_csv(file, text, &columns)? {
            let persons = number(file, line, "persons", &row[1])?;
            if persons < 0.0 {
                return Err(record_error(file, line, "field `persons` is negative"));
            }
            let neighbourhood = code(file, line, "neighbourhood", &row[2])?;
            if neighbourhood.level() != AreaLevel::Neighbourhood {
                return Err(record_error(
                    file,
                    line,
                    "`neighbourhood` must be a BU code",
                ));
            }
            // The bundled neighbourhood map has no names: they are named by their code.
            self.names
                .insert(neighbourhood.clone(), neighbourhood.to_string());
            self.origins.push(Origin {
                id: format!("PC4 {} {neighbourhood}", row[0]),
                point: Wgs84Point::new(
                    number(file, line, "lon", &row[3])?,
                    number(file, line, "lat", &row[4])?,
                ),
                persons,
                areas: vec![neighbourhood],
            });
        }
        Ok(())
    }

    /// Adds the facilities of a facility CSV (`id, name, kind, lon, lat`).
    pub fn add_facilities(&mut self, file: &str, text: &[u8]) -> Result<(), ReachInputError> {
        for (line, row) in read_csv(file, text, &["id", "name", "kind", "lon", "lat"])? {
            if row[0].is_empty() || row[2].is_empty() {
                return Err(record_error(
                    file,
                    line,
                    "`id` and `kind` must not be empty",
                ));
            }
            self.facilities.push(Facility {
                id: row[0].clone(),
                kind: row[2].clone(),
                point: Wgs84Point::new(
                    number(file, line, "lon", &row[3])?,
                    number(file, line, "lat", &row[4])?,
                ),
            });
            // Names are kept apart: the engine's facility has none.
            self.facility_names
                .insert((row[2].clone(), row[0].clone()), row[1].clone());
        }
        Ok(())
    }
}

/// The note every straight-line value carries.
pub const STRAIGHT_LINE_NOTE: &str =
    "approximate: straight-line distance × 1.3, no road network given";

/// A prepared reach computation, ready for reports and scenarios.
#[derive(Debug)]
pub struct ReachData {
    model: ReachModel<'static>,
    origins: &'static [Origin],
    facilities: &'static [Facility],
    names: BTreeMap<AreaCode, String>,
    facility_names: BTreeMap<(String, String), String>,
    approximate: bool,
    note: String,
}

/// A value at one distance threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtThreshold {
    /// The threshold, in km.
    pub km: u32,
    /// The value (a percentage of persons, or a number of persons).
    pub value: Option<f64>,
}

/// Reach of one kind in one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaReachRow {
    /// The area code.
    pub area: String,
    /// Its name, where known.
    pub name: Option<String>,
    /// Its level.
    pub level: &'static str,
    /// Inhabitants of its population points.
    pub persons: f64,
    /// Person-weighted mean distance to the nearest facility, in km.
    pub mean_distance_km: Option<f64>,
    /// Percentage of persons within each threshold of the kind.
    pub share_within_pct: Vec<AtThreshold>,
}

/// Reach of one kind per area: `leefbaar reach --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachTable {
    /// The facility kind.
    pub kind: String,
    /// `straight_line:1.3` or `network:<profile>`.
    pub method: String,
    /// True for straight-line values.
    pub approximate: bool,
    /// What the values are.
    pub note: String,
    /// Number of facilities of the kind.
    pub facilities: usize,
    /// Per area, sorted by code.
    pub areas: Vec<AreaReachRow>,
}

/// A facility closed or opened in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacilityRef {
    /// Its id.
    pub id: String,
    /// Its name, where known.
    pub name: Option<String>,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Latitude (WGS84).
    pub lat: f64,
}

/// What a scenario changes in one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioArea {
    /// The area code.
    pub area: String,
    /// Its name, where known.
    pub name: Option<String>,
    /// Its level.
    pub level: &'static str,
    /// Mean distance before, in km.
    pub mean_distance_before_km: Option<f64>,
    /// Mean distance after, in km.
    pub mean_distance_after_km: Option<f64>,
    /// After minus before, in km.
    pub change_km: Option<f64>,
    /// Persons within the threshold before and beyond it after.
    pub persons_newly_beyond: Vec<AtThreshold>,
    /// Persons beyond the threshold before and within it after.
    pub persons_newly_within: Vec<AtThreshold>,
}

/// The outcome of a scenario: `data` of `/api/v1/reach/scenario` and `leefbaar reach --close
/// --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    /// The facility kind.
    pub kind: String,
    /// `straight_line:1.3` or `network:<profile>`.
    pub method: String,
    /// True for straight-line values.
    pub approximate: bool,
    /// What the values are.
    pub note: String,
    /// The facilities closed.
    pub closed: Vec<FacilityRef>,
    /// The facilities opened.
    pub opened: Vec<FacilityRef>,
    /// Time to compute the scenario, in milliseconds.
    pub computation_ms: f64,
    /// Road-graph nodes whose nearest facility was recomputed (0 for straight line).
    pub nodes_updated: usize,
    /// Per area (province, municipalities, districts), sorted by code.
    pub areas: Vec<ScenarioArea>,
    /// Opened facilities that could not be placed on the network.
    pub findings: Vec<String>,
}

/// A scenario request the model cannot answer: which parameter, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{parameter}` {message}")]
pub struct ScenarioError {
    /// The parameter at fault (`kind`, `close`, `open`).
    pub parameter: &'static str,
    /// What is wrong.
    pub message: String,
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (value * factor).round() / factor
}

fn km(metres: Option<f64>) -> Option<f64> {
    metres.map(|m| round(m / 1000.0, 3))
}

impl ReachData {
    /// Prepares the model: over `network` when given (with a description such as `car profile,
    /// drenthe-latest.osm.pbf` for the notes), else by straight line × 1.3.
    pub fn new(
        inputs: ReachInputs,
        network: Option<(Network, String)>,
    ) -> Result<ReachData, NetworkError> {
        let origins: &'static [Origin] = Box::leak(inputs.origins.into_boxed_slice());
        let facilities: &'static [Facility] = Box::leak(inputs.facilities.into_boxed_slice());
        let (method, approximate, note) = match network {
            Some((network, description)) => {
                let network: &'static Network = Box::leak(Box::new(network));
                (
                    Method::Network(network),
                    false,
                    format!("road network: {description}"),
                )
            }
            None => (Method::StraightLine, true, STRAIGHT_LINE_NOTE.to_owned()),
        };
        let model = ReachModel::prepare(method, origins, facilities, params())?;
        Ok(ReachData {
            model,
            origins,
            facilities,
            names: inputs.names,
            facility_names: inputs.facility_names,
            approximate,
            note,
        })
    }

    /// The prepared model.
    pub fn model(&self) -> &ReachModel<'static> {
        &self.model
    }

    /// The origins, in input order.
    pub fn origins(&self) -> &[Origin] {
        self.origins
    }

    /// True for straight-line values.
    pub fn is_approximate(&self) -> bool {
        self.approximate
    }

    /// What the values are: the straight-line note or the network used.
    pub fn note(&self) -> &str {
        &self.note
    }

    /// The facility kinds with at least one facility, sorted.
    pub fn kinds(&self) -> Vec<String> {
        self.model.kinds().map(str::to_owned).collect()
    }

    /// The name of an origin's area, where known.
    pub fn area_name(&self, code: &AreaCode) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    fn facility_ref(&self, facility: &Facility) -> FacilityRef {
        FacilityRef {
            id: facility.id.clone(),
            name: self
                .facility_names
                .get(&(facility.kind.clone(), facility.id.clone()))
                .cloned(),
            lon: facility.point.lon,
            lat: facility.point.lat,
        }
    }

    /// Facilities of `kind` (all kinds when `None`), in input order.
    pub fn facilities(&self, kind: Option<&str>) -> Vec<&Facility> {
        self.facilities
            .iter()
            .filter(|f| kind.is_none_or(|k| f.kind == k))
            .collect()
    }

    /// The facilities as a GeoJSON `FeatureCollection` of points with `id`, `name`, `kind`.
    pub fn facilities_geojson(&self, kind: Option<&str>) -> serde_json::Value {
        let features: Vec<serde_json::Value> = self
            .facilities(kind)
            .into_iter()
            .map(|f| {
                let named = self.facility_ref(f);
                serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [f.point.lon, f.point.lat]},
                    "properties": {"id": f.id, "name": named.name, "kind": f.kind},
                })
            })
            .collect();
        serde_json::json!({"type": "FeatureCollection", "features": features})
    }

    /// Reach of `kind` per area of `level` (every level when `None`).
    pub fn table(&self, kind: &str, level: Option<AreaLevel>) -> Option<ReachTable> {
        let report = self.model.kind_report(kind)?;
        let indices = threshold_indices(kind);
        let areas = report
            .areas
            .iter()
            .filter(|a| level.is_none_or(|l| a.area.level() == l))
            .map(|a| AreaReachRow {
                area: a.area.to_string(),
                name: self.area_name(&a.area).map(str::to_owned),
                level: a.area.level().as_str(),
                persons: a.persons,
                mean_distance_km: km(a.mean_distance_m),
                share_within_pct: indices
                    .iter()
                    .map(|&i| AtThreshold {
                        km: ALL_THRESHOLDS_KM[i],
                        value: a.share_within_m.get(i).map(|s| round(s * 100.0, 2)),
                    })
                    .collect(),
            })
            .collect();
        Some(ReachTable {
            kind: kind.to_owned(),
            method: report.method,
            approximate: self.approximate,
            note: self.note.clone(),
            facilities: self.facilities(Some(kind)).len(),
            areas,
        })
    }

    /// Closes the facilities `close` of `kind` and opens new ones at `open`, and reports the
    /// change per area of `level` (every level when `None`). Nothing is stored.
    pub fn scenario(
        &self,
        kind: &str,
        close: &[String],
        open: &[Wgs84Point],
        level: Option<AreaLevel>,
    ) -> Result<ScenarioResult, ScenarioError> {
        let kinds = self.kinds();
        if !kinds.iter().any(|k| k == kind) {
            return Err(ScenarioError {
                parameter: "kind",
                message: format!("must be one of {}, found `{kind}`", kinds.join(", ")),
            });
        }
        if close.is_empty() && open.is_empty() {
            return Err(ScenarioError {
                parameter: "close",
                message:
                    "is required: give facility ids to close (comma-separated), or a point to open"
                        .to_owned(),
            });
        }
        let of_kind = self.facilities(Some(kind));
        let mut closed = Vec::new();
        let mut seen = BTreeSet::new();
        for id in close {
            let Some(facility) = of_kind.iter().find(|f| f.id == *id) else {
                return Err(ScenarioError {
                    parameter: "close",
                    message: format!(
                        "must name facilities of kind `{kind}` (see /api/v1/facilities?kind={kind}), found `{id}`"
                    ),
                });
            };
            if seen.insert(id.as_str()) {
                closed.push(self.facility_ref(facility));
            }
        }
        let opened: Vec<Facility> = open
            .iter()
            .enumerate()
            .map(|(i, point)| Facility {
                id: format!("new-{}", i + 1),
                kind: kind.to_owned(),
                point: *point,
            })
            .collect();
        for facility in &opened {
            if !facility.point.is_valid() {
                return Err(ScenarioError {
                    parameter: "open",
                    message: format!(
                        "must be a point lon,lat in WGS84 degrees, found {},{}",
                        facility.point.lon, facility.point.lat
                    ),
                });
            }
        }
        let scenario = Scenario {
            close: seen.iter().map(|id| (*id).to_owned()).collect(),
            open: opened.clone(),
        };
        let started = Instant::now();
        let outcome = self
            .model
            .scenario(kind, &scenario)
            .map_err(|e| ScenarioError {
                parameter: "close",
                message: e.to_string(),
            })?;
        let computation_ms = round(started.elapsed().as_secs_f64() * 1000.0, 2);
        let indices = threshold_indices(kind);
        let at = |values: &[f64]| -> Vec<AtThreshold> {
            indices
                .iter()
                .map(|&i| AtThreshold {
                    km: ALL_THRESHOLDS_KM[i],
                    value: values.get(i).map(|v| round(*v, 1)),
                })
                .collect()
        };
        let areas = outcome
            .areas
            .iter()
            .filter(|a| level.is_none_or(|l| a.area.level() == l))
            .map(|a| ScenarioArea {
                area: a.area.to_string(),
                name: self.area_name(&a.area).map(str::to_owned),
                level: a.area.level().as_str(),
                mean_distance_before_km: km(a.mean_distance_before_m),
                mean_distance_after_km: km(a.mean_distance_after_m),
                change_km: km(a.change_m),
                persons_newly_beyond: at(&a.persons_newly_beyond),
                persons_newly_within: at(&a.persons_newly_within),
            })
            .collect();
        Ok(ScenarioResult {
            kind: kind.to_owned(),
            method: self
                .model
                .kind_report(kind)
                .map(|r| r.method)
                .unwrap_or_default(),
            approximate: self.approximate,
            note: self.note.clone(),
            closed,
            opened: opened.iter().map(|f| self.facility_ref(f)).collect(),
            computation_ms,
            nodes_updated: outcome.nodes_updated,
            areas,
            findings: outcome.findings.iter().map(ToString::to_string).collect(),
        })
    }
}

impl AppState {
    /// The same state with a prepared reach model (`/api/v1/facilities`,
    /// `/api/v1/reach/scenario`).
    #[must_use]
    pub fn with_reach(mut self, reach: ReachData) -> AppState {
        self.reach = Some(Arc::new(reach));
        self
    }

    /// The reach model, if one is attached.
    pub(crate) fn reach(&self) -> Option<&ReachData> {
        self.reach.as_deref()
    }
}
