//! `GET /api/v1/indicators` and `/indicators/{id}`: the catalogue with definitions, units,
//! formulas, sources, licences and the years and levels that have values.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::Value;

use crate::api_types::IndicatorDto;
use crate::params::Params;
use crate::state::IndicatorInfo;
use crate::{ApiError, AppState};

fn dto(state: &AppState, info: &IndicatorInfo) -> IndicatorDto {
    IndicatorDto::new(info, state.snapshot.sources.get(&info.def.source))
}

#[utoipa::path(
    get,
    path = "/api/v1/indicators",
    operation_id = "indicators",
    params(crate::query::IndicatorsQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The indicator catalogue"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::of::<crate::query::IndicatorsQuery>(pairs);
    let theme = params.text("theme").map(str::to_owned);
    if let Some(theme) = &theme {
        let themes: BTreeSet<&str> = state
            .snapshot
            .indicators
            .iter()
            .map(|info| info.def.theme.as_str())
            .collect();
        if !themes.contains(theme.as_str()) {
            let known = themes.into_iter().collect::<Vec<_>>().join(", ");
            return Err(ApiError::bad_parameter(format!(
                "parameter `theme` must be one of {known}, found `{theme}`"
            )));
        }
    }
    params.finish()?;
    let indicators: Vec<IndicatorDto> = state
        .snapshot
        .indicators
        .iter()
        .filter(|info| theme.as_ref().is_none_or(|theme| &info.def.theme == theme))
        .map(|info| dto(&state, info))
        .collect();
    let sources = indicators
        .iter()
        .filter_map(|indicator| indicator.source.as_ref().map(|s| s.id.clone()))
        .collect();
    let count = indicators.len();
    Ok(super::envelope(&state, indicators, count, &sources))
}

#[utoipa::path(
    get,
    path = "/api/v1/indicators/{id}",
    operation_id = "indicator",
    params(crate::query::IndicatorPath),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "One indicator"
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let info = state.indicator(&id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no indicator `{id}`; /api/v1/indicators lists them"
        ))
    })?;
    let sources = BTreeSet::from([info.def.source.clone()]);
    Ok(super::envelope(&state, dto(&state, info), 1, &sources))
}
