//! `GET /api/v1/sources`: the imported files with their licence and attribution.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use serde_json::Value;

use crate::api_types::SourceDto;
use crate::params::Params;
use crate::{ApiError, AppState};

#[utoipa::path(
    get,
    path = "/api/v1/sources",
    operation_id = "sources",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Imported sources with licence and attribution"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let sources: Vec<SourceDto> = state
        .snapshot
        .sources
        .values()
        .map(SourceDto::from)
        .collect();
    let count = sources.len();
    Ok(super::envelope(&state, sources, count, &BTreeSet::new()))
}
