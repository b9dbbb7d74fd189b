//! Reach on the wire: distances in kilometres (three decimals), times in minutes (two
//! decimals), shares in percent, thresholds named by their kilometres or minutes.

use leefbaar_model::AreaLevel;
use leefbaar_monitor::reach::{
    AreaReachRow, FacilityInfo, KindTable, ReachMonitor, ScenarioAreaRow, ScenarioReport,
};
use serde::Serialize;

use super::round;

/// A threshold in kilometres: a whole number when it is one (`5`), else a decimal (`0.5`).
fn kilometres(metres: f64) -> serde_json::Number {
    let km = metres / 1000.0;
    if km.fract() == 0.0 && (0.0..1e15).contains(&km) {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a whole, non-negative number below 1e15"
        )]
        serde_json::Number::from(km as u64)
    } else {
        serde_json::Number::from_f64(km).unwrap_or_else(|| serde_json::Number::from(0))
    }
}

fn km(metres: Option<f64>) -> Option<f64> {
    metres.map(|m| round(m / 1000.0, 3))
}

fn minutes(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| round(s / 60.0, 2))
}

/// A threshold in minutes: the manifest reader allows whole minutes only.
fn whole(minutes: f64) -> serde_json::Number {
    kilometres(minutes * 1000.0)
}

/// A value at one time threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtMinutes {
    /// The threshold, in minutes.
    pub min: serde_json::Number,
    /// The value (a percentage of persons, or a number of persons).
    pub value: Option<f64>,
}

fn at_minutes(values: &[(f64, Option<f64>)], scale: f64, decimals: i32) -> Vec<AtMinutes> {
    values
        .iter()
        .map(|&(threshold, value)| AtMinutes {
            min: whole(threshold),
            value: value.map(|v| round(v * scale, decimals)),
        })
        .collect()
}

/// A value at one distance threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtThreshold {
    /// The threshold, in km.
    pub km: serde_json::Number,
    /// The value (a percentage of persons, or a number of persons).
    pub value: Option<f64>,
}

/// Reach of one kind in one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaReach {
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
    /// Person-weighted mean travel time to the quickest facility, in minutes.
    pub mean_time_min: Option<f64>,
    /// Percentage of persons within each time threshold of the kind.
    pub share_within_min_pct: Vec<AtMinutes>,
    /// Persons beyond each time threshold of the kind.
    pub persons_beyond_min: Vec<AtMinutes>,
    /// Person-weighted mean travel time to the quickest facility by car, bicycle and on foot,
    /// in minutes.
    pub mean_time_by_profile_min: Vec<ByProfile>,
    /// Person-weighted mean number of the kind's facilities within each distance threshold.
    pub mean_count_within: Vec<AtThreshold>,
}

/// A value on one travel profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByProfile {
    /// `car`, `bicycle` or `foot`.
    pub profile: &'static str,
    /// The value.
    pub value: Option<f64>,
}

/// Reach of one kind per area: `leefbaar reach --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachTable {
    /// The facility kind.
    pub kind: String,
    /// The profile its distances, thresholds and scenarios are measured on.
    pub profile: &'static str,
    /// `straight_line:1.3` or `network:<profile>`.
    pub method: String,
    /// True for straight-line values.
    pub approximate: bool,
    /// What the values are.
    pub note: String,
    /// Number of facilities of the kind.
    pub facilities: usize,
    /// Per area, sorted by code.
    pub areas: Vec<AreaReach>,
}

impl From<&AreaReachRow> for AreaReach {
    fn from(row: &AreaReachRow) -> AreaReach {
        AreaReach {
            area: row.area.to_string(),
            name: row.name.clone(),
            level: row.area.level().as_str(),
            // Shared-out persons are fractional; a millionth of a person says nothing.
            persons: round(row.persons, 3),
            mean_distance_km: km(row.mean_distance_m),
            share_within_pct: row
                .share_within
                .iter()
                .map(|&(threshold, share)| AtThreshold {
                    km: kilometres(threshold),
                    value: share.map(|s| round(s * 100.0, 2)),
                })
                .collect(),
            mean_time_min: minutes(row.mean_time_s),
            share_within_min_pct: at_minutes(&row.share_within_min, 100.0, 2),
            persons_beyond_min: at_minutes(&row.persons_beyond_min, 1.0, 1),
            mean_time_by_profile_min: row
                .mean_time_by_profile_s
                .iter()
                .map(|&(profile, seconds)| ByProfile {
                    profile: profile.as_str(),
                    value: minutes(seconds),
                })
                .collect(),
            mean_count_within: counts_at(&row.mean_count_within),
        }
    }
}

impl From<&KindTable> for ReachTable {
    fn from(table: &KindTable) -> ReachTable {
        ReachTable {
            kind: table.kind.clone(),
            profile: table.profile.as_str(),
            method: table.method.clone(),
            approximate: table.approximate,
            note: table.note.clone(),
            facilities: table.facilities,
            areas: table.areas.iter().map(AreaReach::from).collect(),
        }
    }
}

/// The reach tables of `kinds` (every kind when empty) at `level`, in the manifest's order.
pub fn tables(reach: &ReachMonitor, kinds: &[String], level: Option<AreaLevel>) -> Vec<ReachTable> {
    reach
        .kinds()
        .iter()
        .filter(|kind| kinds.is_empty() || kinds.contains(kind))
        .filter_map(|kind| reach.table(kind, level))
        .map(|table| ReachTable::from(&table))
        .collect()
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

impl From<&FacilityInfo> for FacilityRef {
    fn from(facility: &FacilityInfo) -> FacilityRef {
        FacilityRef {
            id: facility.id.clone(),
            name: facility.name.clone(),
            lon: facility.point.lon,
            lat: facility.point.lat,
        }
    }
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
    /// Mean travel time before, in minutes.
    pub mean_time_before_min: Option<f64>,
    /// Mean travel time after, in minutes.
    pub mean_time_after_min: Option<f64>,
    /// After minus before, in minutes.
    pub change_min: Option<f64>,
    /// Persons within the time threshold before and beyond it after.
    pub persons_newly_beyond_min: Vec<AtMinutes>,
    /// Persons beyond the time threshold before and within it after.
    pub persons_newly_within_min: Vec<AtMinutes>,
    /// Mean number of the kind's facilities within each distance threshold, before.
    pub mean_count_within_before: Vec<AtThreshold>,
    /// Mean number of the kind's facilities within each distance threshold, after.
    pub mean_count_within_after: Vec<AtThreshold>,
}

fn counts_at(values: &[(f64, Option<f64>)]) -> Vec<AtThreshold> {
    values
        .iter()
        .map(|&(threshold, count)| AtThreshold {
            km: kilometres(threshold),
            value: count.map(|v| round(v, 2)),
        })
        .collect()
}

fn persons_at(values: &[(f64, Option<f64>)]) -> Vec<AtThreshold> {
    values
        .iter()
        .map(|&(threshold, persons)| AtThreshold {
            km: kilometres(threshold),
            value: persons.map(|v| round(v, 1)),
        })
        .collect()
}

impl From<&ScenarioAreaRow> for ScenarioArea {
    fn from(row: &ScenarioAreaRow) -> ScenarioArea {
        ScenarioArea {
            area: row.area.to_string(),
            name: row.name.clone(),
            level: row.area.level().as_str(),
            mean_distance_before_km: km(row.mean_distance_before_m),
            mean_distance_after_km: km(row.mean_distance_after_m),
            change_km: km(row.change_m),
            persons_newly_beyond: persons_at(&row.persons_newly_beyond),
            persons_newly_within: persons_at(&row.persons_newly_within),
            mean_time_before_min: minutes(row.mean_time_before_s),
            mean_time_after_min: minutes(row.mean_time_after_s),
            change_min: minutes(row.change_s),
            persons_newly_beyond_min: at_minutes(&row.persons_newly_beyond_min, 1.0, 1),
            persons_newly_within_min: at_minutes(&row.persons_newly_within_min, 1.0, 1),
            mean_count_within_before: counts_at(&row.mean_count_within_before),
            mean_count_within_after: counts_at(&row.mean_count_within_after),
        }
    }
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

impl From<&ScenarioReport> for ScenarioResult {
    fn from(report: &ScenarioReport) -> ScenarioResult {
        ScenarioResult {
            kind: report.kind.clone(),
            method: report.method.clone(),
            approximate: report.approximate,
            note: report.note.clone(),
            closed: report.closed.iter().map(FacilityRef::from).collect(),
            opened: report.opened.iter().map(FacilityRef::from).collect(),
            computation_ms: round(report.computation_ms, 2),
            nodes_updated: report.nodes_updated,
            areas: report.areas.iter().map(ScenarioArea::from).collect(),
            findings: report.findings.clone(),
        }
    }
}

/// The facilities as a GeoJSON `FeatureCollection` of points with `id`, `name`, `kind`.
pub fn facilities_geojson(facilities: &[FacilityInfo]) -> serde_json::Value {
    let features: Vec<serde_json::Value> = facilities
        .iter()
        .map(|f| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [f.point.lon, f.point.lat]},
                "properties": {"id": f.id, "name": f.name, "kind": f.kind},
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features})
}
