//! `GET /api/v1/facilities` and `/api/v1/reach/scenario`: the bundle's facilities as GeoJSON
//! points, and the change in distance to the nearest facility per area when facilities close
//! (or open), computed live from the model prepared at start (`leefbaar_monitor::reach`);
//! nothing is stored.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use leefbaar_monitor::reach::ReachMonitor;
use leefbaar_network::Wgs84Point;
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::wire::reach::{ScenarioResult, facilities_geojson};
use crate::{ApiError, AppState};

/// The model, or 404 when the server runs without one.
fn reach(state: &AppState) -> Result<&ReachMonitor, ApiError> {
    state.monitors.reach.as_deref().ok_or_else(|| {
        ApiError::NotFound(format!(
            "this server has no reach model: {}",
            state.left_out_reason("reach")
        ))
    })
}

/// The common envelope, with the reach inputs' licence, attribution and method in `meta`.
fn reach_envelope(
    state: &AppState,
    reach: &ReachMonitor,
    data: impl Serialize,
    count: usize,
) -> Json<Value> {
    let mut body = super::envelope(state, data, count, &BTreeSet::new());
    let meta = &mut body.0["meta"];
    meta["licence"] = json!(reach.spec().source.licence);
    meta["attribution"] = json!(reach.spec().source.attribution);
    meta["approximate"] = json!(reach.is_approximate());
    meta["note"] = json!(reach.note());
    body
}

/// The `kind` parameter: one of the model's kinds.
fn kind(params: &mut Params, reach: &ReachMonitor, required: bool) -> Option<String> {
    let kinds = reach.kinds_with_facilities();
    match params.text("kind").map(str::to_owned) {
        None => {
            if required {
                params.errors.push(format!(
                    "parameter `kind` is required: one of {}",
                    kinds.join(", ")
                ));
            }
            None
        }
        Some(text) if kinds.contains(&text) => Some(text),
        Some(text) => {
            params.errors.push(format!(
                "parameter `kind` must be one of {}, found `{text}`",
                kinds.join(", ")
            ));
            None
        }
    }
}

/// `GET /api/v1/facilities`.
#[utoipa::path(
    get,
    path = "/api/v1/facilities",
    operation_id = "facilities",
    params(crate::query::FacilitiesQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The bundled facilities (schools, hospitals, ambulance posts) as a GeoJSON FeatureCollection of points with properties id, name, kind; 404 when the server has no reach model"
)]
pub(crate) async fn facilities(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::FacilitiesQuery>(pairs);
    let reach = reach(&state)?;
    let kind = kind(&mut params, reach, false);
    params.finish()?;
    let collection = facilities_geojson(&reach.facilities(kind.as_deref()));
    let count = collection["features"].as_array().map_or(0, Vec::len);
    Ok(reach_envelope(&state, reach, collection, count))
}

/// `open=lon,lat`: one point.
fn point(params: &mut Params) -> Vec<Wgs84Point> {
    let Some(text) = params.text("open").map(str::to_owned) else {
        return Vec::new();
    };
    let parts: Vec<Option<f64>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
    match parts.as_slice() {
        [Some(lon), Some(lat)] if Wgs84Point::new(*lon, *lat).is_valid() => {
            vec![Wgs84Point::new(*lon, *lat)]
        }
        _ => {
            params.errors.push(format!(
                "parameter `open` must be a point `lon,lat` in WGS84 degrees, e.g. 6.56,52.99, found `{text}`"
            ));
            Vec::new()
        }
    }
}

/// `GET /api/v1/reach/scenario`.
#[utoipa::path(
    get,
    path = "/api/v1/reach/scenario",
    operation_id = "reach_scenario",
    params(crate::query::ScenarioQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Computed live, nothing stored: per area (province, municipalities, districts) the mean distance to the nearest facility of the kind before and after closing (and/or opening) facilities, and the persons newly beyond / within each threshold; approximate (straight line × 1.3) unless the server was given a road network"
)]
pub(crate) async fn scenario(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::ScenarioQuery>(pairs);
    let reach = reach(&state)?;
    let kind = kind(&mut params, reach, true);
    let close = params.list("close");
    let open = point(&mut params);
    let level = params.level("level");
    params.finish()?;
    let kind = kind.expect("a missing kind is a parameter error");
    // A scenario takes milliseconds (incremental search), so it runs on the request's worker.
    let report = reach
        .scenario(&kind, &close, &open, level)
        .map_err(|error| ApiError::bad_parameter(format!("parameter {error}")))?;
    let mut result = ScenarioResult::from(&report);
    for area in &mut result.areas {
        if area.name.is_none()
            && let Ok(code) = leefbaar_model::AreaCode::parse(&area.area)
            && let Some(known) = state.area(&code)
        {
            area.name = Some(known.name.clone());
        }
    }
    let count = result.areas.len();
    Ok(reach_envelope(&state, reach, result, count))
}
