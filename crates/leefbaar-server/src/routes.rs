//! Route handlers, one module per resource, and the envelope every JSON success shares.

pub(crate) mod aed;
pub(crate) mod areas;
pub(crate) mod burgerpanel;
pub(crate) mod factsheet;
pub(crate) mod hospitals;
pub(crate) mod indicators;
pub(crate) mod monitor;
pub(crate) mod observations;
pub(crate) mod openapi;
pub(crate) mod places;
pub(crate) mod profile;
pub(crate) mod projection;
pub(crate) mod reach;
pub(crate) mod release;
pub(crate) mod schools;
pub(crate) mod search;
pub(crate) mod sources;
pub(crate) mod survey;
pub(crate) mod typology;

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{Method, Uri};
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::{ApiError, AppState};

/// A finished CSV as a download named `filename`.
pub(crate) fn csv_attachment(
    writer: csv::Writer<Vec<u8>>,
    filename: &str,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    let body = writer
        .into_inner()
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// `{"ok": true, "data": ..., "meta": {...}}`, with licence and attribution of the sources
/// the data comes from, so every download carries them, and the release the data belong to,
/// so a number in a report can be traced back to a frozen copy.
pub(crate) fn envelope(
    state: &AppState,
    data: impl Serialize,
    count: usize,
    source_ids: &BTreeSet<String>,
) -> Json<Value> {
    let sources: Vec<_> = if source_ids.is_empty() {
        state.snapshot.sources.values().collect()
    } else {
        source_ids
            .iter()
            .filter_map(|id| state.snapshot.sources.get(id))
            .collect()
    };
    let licences: BTreeSet<&str> = sources.iter().map(|s| s.licence.as_str()).collect();
    let attributions: BTreeSet<&str> = sources.iter().map(|s| s.attribution.as_str()).collect();
    Json(json!({
        "ok": true,
        "data": data,
        "meta": {
            "count": count,
            "licence": licences.into_iter().collect::<Vec<_>>().join("; "),
            "attribution": attributions.into_iter().collect::<Vec<_>>().join("; "),
            "release": state.snapshot.release_id,
        },
    }))
}

/// `GET /api/v1`: where to go from here.
#[utoipa::path(
    get,
    path = "/api/v1",
    operation_id = "index",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Index of routes"
)]
pub(crate) async fn index(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let routes: Vec<_> = crate::API_ROUTES
        .iter()
        .map(|route| json!({"path": route}))
        .collect();
    let count = routes.len();
    Ok(envelope(
        &state,
        json!({
            "name": "Leefbaar API",
            "version": "v1",
            "documentation": "/api/v1/openapi.json",
            "routes": routes,
        }),
        count,
        &BTreeSet::new(),
    ))
}

pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!(
        "no route `{}`; the API index is at /api/v1",
        uri.path()
    ))
}

pub(crate) async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(method.to_string())
}
