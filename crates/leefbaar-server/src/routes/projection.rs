//! `GET /api/v1/projection` and `/api/v1/projection/{code}`: the population projection of the
//! monitored province's municipalities, the province and the bundle's regions, prepared at
//! start (`leefbaar_monitor::projection`), with its krimp classification, interval and pyramid.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, Query, State};
use leefbaar_model::AreaCode;
use leefbaar_monitor::projection::{AgeGroups, ProjectedKind, ProjectionMonitor, SCENARIO_NOTE};
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::wire::projection::{CRITERIA, ProjectionDetail, ProjectionSummary};
use crate::{ApiError, AppState};

/// The source id of the projection (declared in the catalogue).
const SOURCE_ID: &str = "projection_leefbaar";

/// The projection, or 404 when the server runs without one.
fn projection(state: &AppState) -> Result<&ProjectionMonitor, ApiError> {
    state.monitors.projection.as_deref().ok_or_else(|| {
        ApiError::NotFound(format!(
            "this server has no population projection: {}",
            state.left_out_reason("projection")
        ))
    })
}

/// The common envelope, with the projection's method in `meta`.
fn projection_envelope(
    state: &AppState,
    projection: &ProjectionMonitor,
    data: impl Serialize,
    count: usize,
) -> Json<Value> {
    let mut ids = BTreeSet::new();
    if state.snapshot.sources.contains_key(SOURCE_ID) {
        ids.insert(SOURCE_ID.to_owned());
    }
    let mut body = super::envelope(state, data, count, &ids);
    let meta = &mut body.0["meta"];
    meta["base_year"] = json!(projection.base_year());
    meta["horizon"] = json!(projection.horizon());
    meta["variant"] = json!("medium (class); low and high variants; 80 % bootstrap interval");
    meta["bootstrap_runs"] = json!(projection.runs());
    meta["interval"] = json!([0.1, 0.9]);
    meta["note"] = json!(SCENARIO_NOTE);
    body
}

/// `GET /api/v1/projection`.
#[utoipa::path(
    get,
    path = "/api/v1/projection",
    operation_id = "projection",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The population projection (1 January 2020 to 2040, medium variant) of the monitored province (e.g. Drenthe, PV22), the regions its bundle names (e.g. oost-drenthe) and its municipalities: per area the krimp class of the medium, low and high variants, the population change, the household change and the 80 % interval at the horizon; data.criteria states the rule. 404 when the server has no projection"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::of::<crate::query::NoQuery>(pairs);
    let projection = projection(&state)?;
    params.finish()?;
    let rows: Vec<_> = projection
        .areas()
        .iter()
        .map(ProjectionSummary::from)
        .collect();
    let count = rows.len();
    Ok(projection_envelope(
        &state,
        projection,
        json!({"criteria": CRITERIA, "areas": rows}),
        count,
    ))
}

/// `GET /api/v1/projection/{code}`.
#[utoipa::path(
    get,
    path = "/api/v1/projection/{code}",
    operation_id = "projection_area",
    params(crate::query::ProjectionPath, crate::query::ProjectionQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "One area's projection: residents per year in the low, medium and high variants with the 80 % bootstrap interval (lower, median, upper), households, 65+, 80+ and 20–66; the classification of each variant with the numbers behind it and the criteria; the population pyramid by sex in the base year and at the horizon (medium). A scenario, not a forecast"
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::ProjectionQuery>(pairs);
    let groups = match params.choice("ages", crate::query::AGE_GROUPS, "5") {
        "single" => AgeGroups::Single,
        _ => AgeGroups::Five,
    };
    let projection = projection(&state)?;
    params.finish()?;
    let Some(area) = projection.area(&code) else {
        return Err(unknown_area(&state, projection, &code));
    };
    let detail = ProjectionDetail::new(projection, area, groups);
    let count = area.series.len();
    Ok(projection_envelope(&state, projection, detail, count))
}

/// Why `code` has no projection: not an id at all (400), or not projected (404).
fn unknown_area(state: &AppState, projection: &ProjectionMonitor, code: &str) -> ApiError {
    let aggregates: Vec<&leefbaar_monitor::projection::AreaProjection> = projection
        .areas()
        .iter()
        .filter(|area| area.kind != ProjectedKind::Municipality)
        .collect();
    if AreaCode::parse(code).is_err()
        && !aggregates
            .iter()
            .any(|area| area.id.eq_ignore_ascii_case(code))
    {
        let regions: Vec<&str> = aggregates
            .iter()
            .filter(|area| area.kind == ProjectedKind::Region)
            .map(|area| area.id.as_str())
            .collect();
        return ApiError::bad_parameter(format!(
            "`{code}` is neither a CBS area code (e.g. GM0114, PV22) nor `{}`",
            regions.join("`, `")
        ));
    }
    let projected: Vec<String> = aggregates
        .iter()
        .map(|area| match area.kind {
            ProjectedKind::Province => format!("{} ({})", area.id, area.name),
            _ => area.id.clone(),
        })
        .collect();
    ApiError::NotFound(format!(
        "no projection for `{code}`: projected are {}'s municipalities, {}; see /api/v1/projection",
        state.province_name(),
        projected.join(" and ")
    ))
}
