//! `GET /api/v1/education/schools` and `/api/v1/education/krimpcheck`: DUO's open school data
//! per location (with coordinates from the bundle's school facilities, municipality, values and
//! the DUO files that name it) and the join report; and the krimpcheck of secondary locations,
//! computed on request from the data prepared at start and the stored projection of
//! 12–17-year-olds (`leefbaar_monitor::schools`). Nothing of either is stored.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use leefbaar_monitor::schools::{SchoolsMonitor, projected_from_store};
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::wire::schools::{KrimpcheckWire, SchoolsWire};
use crate::{ApiError, AppState};

/// The school data, or 404 when the server runs without them.
fn schools(state: &AppState) -> Result<&SchoolsMonitor, ApiError> {
    state.monitors.schools.as_deref().ok_or_else(|| {
        ApiError::NotFound(format!(
            "this server has no school data: {}",
            state.left_out_reason("schools")
        ))
    })
}

/// The common envelope with the school data's licence and attribution.
fn schools_envelope(
    state: &AppState,
    monitor: &SchoolsMonitor,
    data: impl Serialize,
    count: usize,
) -> Json<Value> {
    let mut body = super::envelope(state, data, count, &BTreeSet::new());
    let meta = &mut body.0["meta"];
    meta["licence"] = json!(monitor.source.licence);
    meta["attribution"] = json!(monitor.source.attribution);
    body
}

/// `GET /api/v1/education/schools`.
#[utoipa::path(
    get,
    path = "/api/v1/education/schools",
    operation_id = "education_schools",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Every school location of the bundle's DUO open data (BRIN + two-digit location) with its coordinates (from the bundled school facilities, null when none matched), municipality, the DUO files that name it and its values: final test per provider (scales differ; never compare across providers), CBS disadvantage score, home–school distance in metres, secondary pupils and the year-3 havo/vwo share, exams per school year, early school leavers; DUO's '<5' is null with `missing: secret`; and the join report (matched per file, the unmatched listed); 404 when the server has no school data"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let monitor = schools(&state)?;
    let wire = SchoolsWire::of(monitor);
    let count = wire.schools.len();
    Ok(schools_envelope(&state, monitor, wire, count))
}

/// `GET /api/v1/education/krimpcheck`.
#[utoipa::path(
    get,
    path = "/api/v1/education/krimpcheck",
    operation_id = "education_krimpcheck",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The krimpcheck, computed on request: each secondary location's pupils (DUO, 1 October) carried forward to the horizon in proportion to its municipality's projected 12–17-year-olds (the stored projection, medium variant; constant catchment shares), the first year it falls below the bundle's `min_pupils`, and a user-supplied forecast beside it when the bundle has one; 404 when the server has no school data"
)]
pub(crate) async fn krimpcheck(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let monitor = schools(&state)?;
    let Some((province, _)) = state.monitored_province() else {
        return Err(ApiError::NotFound(
            "this server monitors no province: no krimpcheck".to_owned(),
        ));
    };
    let province = province.clone();
    let projected = state
        .query(move |store| projected_from_store(store, &province))
        .await?;
    // Some tens of locations times some twenty years: computed on the request's worker.
    let check = monitor.krimpcheck(&projected);
    let wire = KrimpcheckWire::of(&check);
    let count = wire.locations.len();
    Ok(schools_envelope(&state, monitor, wire, count))
}
