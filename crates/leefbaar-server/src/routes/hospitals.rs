//! `GET /api/v1/care/hospitals` and `/api/v1/care/hospitals/scenario`: the hospitals and
//! ambulance posts with the baseline (who is beyond each threshold per municipality, province
//! and in total) and the sensitive-hospitals table, and the live scenario of closing one or more
//! hospitals, answered from the model prepared at start (`leefbaar_monitor::hospitals`); nothing
//! is stored. Every answer says in `meta` that the times are approximate (straight line, no road
//! network).

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use leefbaar_monitor::hospitals::HospitalMonitor;
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::wire::hospitals::{HospitalScenarioWire, HospitalsWire};
use crate::{ApiError, AppState};

/// The model, or 404 when the server runs without one.
fn hospitals(state: &AppState) -> Result<&HospitalMonitor, ApiError> {
    state.monitors.hospitals.as_deref().ok_or_else(|| {
        ApiError::NotFound(format!(
            "this server has no hospital model: {}",
            state.left_out_reason("hospitals")
        ))
    })
}

/// The approximation, in words, for `meta.note`.
pub(crate) const NOTE: (&str, &str) = (
    "benadering zonder wegennet: reistijd is de afstand hemelsbreed × 1,3 bij 60 km/u, ook voor de ambulance; herkomstpunten zijn postcodegebieden (PC4) op hun scholen",
    "approximate, without a road network: travel time is the straight-line distance × 1.3 at 60 km/h, for the ambulance too; origins are postcode areas (PC4) placed at their schools",
);

/// The common envelope, with the facilities' licence and attribution and the approximation in
/// `meta`.
fn care_envelope(state: &AppState, data: impl Serialize, count: usize) -> Json<Value> {
    let mut body = super::envelope(state, data, count, &BTreeSet::new());
    let meta = &mut body.0["meta"];
    if let Some(reach) = state.monitors.spec.as_ref().and_then(|s| s.reach.as_ref()) {
        meta["licence"] = json!(reach.source.licence);
        meta["attribution"] = json!(reach.source.attribution);
    }
    meta["approximate"] = json!(true);
    meta["note"] = json!({"nl": NOTE.0, "en": NOTE.1});
    body
}

/// `GET /api/v1/care/hospitals`.
#[utoipa::path(
    get,
    path = "/api/v1/care/hospitals",
    operation_id = "care_hospitals",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The hospitals (with the persons for whom each is the nearest) and ambulance posts, the persons and persons 75+ beyond each threshold (car 30 and 45 minutes, 45 minutes from the emergency call) per municipality, province and in total with every hospital open, and the sensitive-hospitals table (every hospital nearest for someone, closed alone); approximate (straight line × 1.3 at 60 km/h); 404 when the server has no hospital model"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let monitor = hospitals(&state)?;
    let wire = HospitalsWire::of(monitor);
    let count = wire.hospitals.len();
    Ok(care_envelope(&state, wire, count))
}

/// `GET /api/v1/care/hospitals/scenario`.
#[utoipa::path(
    get,
    path = "/api/v1/care/hospitals/scenario",
    operation_id = "care_hospitals_scenario",
    params(crate::query::HospitalScenarioQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Computed live, nothing stored: close the hospitals named in `close` and get, per municipality, province and in total, the persons and persons 75+ beyond each threshold before and after and the difference, and the postcode areas that fall back to another hospital; approximate (straight line × 1.3 at 60 km/h)"
)]
pub(crate) async fn scenario(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::of::<crate::query::HospitalScenarioQuery>(pairs);
    let close = params.list("close");
    params.finish()?;
    let monitor = hospitals(&state)?;
    let ids: Vec<&str> = close.iter().map(String::as_str).collect();
    // A scenario is a step or two per origin (well under a millisecond), so it runs on the
    // request's worker. An id the model does not know is an unknown resource, like an
    // unknown area: 404, not a malformed request.
    let scenario = monitor
        .scenario(&ids)
        .map_err(|error| ApiError::NotFound(format!("parameter `close`: {error}")))?;
    let wire = HospitalScenarioWire::of(monitor, &scenario);
    let count = wire.areas.municipalities.len();
    Ok(care_envelope(&state, wire, count))
}
