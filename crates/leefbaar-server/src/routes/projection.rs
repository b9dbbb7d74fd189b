//! `GET /api/v1/projection` and `/api/v1/projection/{code}`: the population projection of
//! Drenthe's municipalities, the province and Oost-Drenthe prepared at start
//! ([`crate::projection_state`]) with its krimp classification, interval and pyramid.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, Query, State};
use leefbaar_model::AreaCode;
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::projection_state::{
    AgeGroups, CRITERIA, ClassNumbers, Classes, Criteria, OOST_DRENTHE_ID, ProjectionData,
    PyramidRow, SCENARIO_NOTE, SeriesPoint,
};
use crate::{ApiError, AppState};

/// The source id of the projection (declared in the catalogue).
const SOURCE_ID: &str = "projection_leefbaar";

/// The projection, or 404 when the server runs without one.
fn projection(state: &AppState) -> Result<&ProjectionData, ApiError> {
    state.projection().ok_or_else(|| {
        ApiError::NotFound(
            "this server has no population projection loaded; `leefbaar serve` runs one from data/projection at start".to_owned(),
        )
    })
}

/// The common envelope, with the projection's method in `meta`.
fn projection_envelope(
    state: &AppState,
    projection: &ProjectionData,
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
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::new(pairs, &[]);
    let projection = projection(&state)?;
    params.finish()?;
    let rows: Vec<_> = projection
        .areas()
        .iter()
        .map(crate::projection_state::AreaProjection::summary)
        .collect();
    let count = rows.len();
    Ok(projection_envelope(
        &state,
        projection,
        json!({"criteria": CRITERIA, "areas": rows}),
        count,
    ))
}

#[derive(Serialize)]
struct Pyramid {
    groups: &'static str,
    from_year: u16,
    to_year: u16,
    rows: Vec<PyramidRow>,
}

#[derive(Serialize)]
struct Detail<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    members: &'a [String],
    class: &'static str,
    classification: &'a Classes,
    criteria: Criteria,
    series: &'a [SeriesPoint],
    pyramid: Pyramid,
}

/// `GET /api/v1/projection/{code}`.
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::new(pairs, &["ages"]);
    let groups = match params.choice("ages", &["5", "single"], "5") {
        "single" => AgeGroups::Single,
        _ => AgeGroups::Five,
    };
    let projection = projection(&state)?;
    params.finish()?;
    let area = match projection.area(&code) {
        Some(area) => area,
        None if AreaCode::parse(&code).is_err() && !code.eq_ignore_ascii_case(OOST_DRENTHE_ID) => {
            return Err(ApiError::bad_parameter(format!(
                "`{code}` is neither a CBS area code (e.g. GM0114, PV22) nor `{OOST_DRENTHE_ID}`"
            )));
        }
        None => {
            return Err(ApiError::NotFound(format!(
                "no projection for `{code}`: projected are Drenthe's municipalities, PV22 (Drenthe) and {OOST_DRENTHE_ID}; see /api/v1/projection"
            )));
        }
    };
    let classes: &Classes = &area.classes;
    let medium: &ClassNumbers = &classes.medium;
    let detail = Detail {
        id: &area.id,
        name: &area.name,
        kind: area.kind,
        members: &area.members,
        class: medium.class,
        classification: classes,
        criteria: CRITERIA,
        series: &area.series,
        pyramid: Pyramid {
            groups: groups.as_str(),
            from_year: projection.base_year(),
            to_year: projection.horizon(),
            rows: area.pyramid(groups),
        },
    };
    let count = area.series.len();
    Ok(projection_envelope(&state, projection, detail, count))
}
