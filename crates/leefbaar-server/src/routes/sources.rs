//! `GET /api/v1/sources`: the imported files with their licence and attribution.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use serde_json::Value;

use crate::api_types::SourceDto;
use crate::params::Params;
use crate::{ApiError, AppState};

pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::new(pairs, &[]).finish()?;
    let sources: Vec<SourceDto> = state
        .snapshot
        .sources
        .values()
        .map(SourceDto::from)
        .collect();
    let count = sources.len();
    Ok(super::envelope(&state, sources, count, &BTreeSet::new()))
}
