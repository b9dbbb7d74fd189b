//! `GET /api/v1/observations`: values by indicator, area, level and years, as JSON or CSV,
//! each with its method and source rows. CSV is streamed (`csv.rs`), so a download of every
//! observation needs no more memory than a few rows.

mod csv;

use std::collections::BTreeSet;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use leefbaar_store::ObservationFilter;

use crate::api_types::ObservationDto;
use crate::params::Params;
use crate::query::MAX_ROWS;
use crate::{ApiError, AppState};

#[utoipa::path(
    get,
    path = "/api/v1/observations",
    operation_id = "observations",
    params(crate::query::ObservationsQuery),
    responses(crate::routes::openapi::responses::JsonOrCsvResponses),
    summary = "Observations as JSON or CSV"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let mut params = Params::of::<crate::query::ObservationsQuery>(pairs);
    let indicators = params.list("indicator");
    for id in &indicators {
        if state.indicator(id).is_none() {
            params.errors.push(format!(
                "parameter `indicator`: no indicator `{id}` (see /api/v1/indicators for the ids)"
            ));
        }
    }
    let areas = params.codes("area");
    let level = params.level("level");
    let parent = params.code("parent");
    let year = params.year("year");
    let mut year_from = params.year("year_from");
    let mut year_to = params.year("year_to");
    if let Some(year) = year {
        if year_from.is_some() || year_to.is_some() {
            params
                .errors
                .push("give either `year` or `year_from`/`year_to`, not both".to_owned());
        }
        year_from = Some(year);
        year_to = Some(year);
    }
    if let (Some(from), Some(to)) = (year_from, year_to)
        && from > to
    {
        params.errors.push(format!(
            "parameter `year_from` ({from}) is after `year_to` ({to})"
        ));
    }
    let format = params.choice("format", crate::query::FORMATS, "json");
    // JSON is built in memory, so it stops at MAX_ROWS; CSV streams, so without a limit it
    // holds every matching row.
    let limit = params.positive("limit", MAX_ROWS);
    let limit = if format == "csv" {
        limit
    } else {
        Some(limit.unwrap_or(MAX_ROWS))
    };
    params.finish()?;

    let source_ids: BTreeSet<String> = indicators
        .iter()
        .filter_map(|id| state.indicator(id))
        .map(|info| info.def.source.clone())
        .collect();
    let filter = ObservationFilter {
        indicators,
        areas,
        level,
        parent,
        year_from,
        year_to,
        limit,
    };
    if format == "csv" {
        return csv::stream(&state, filter).await;
    }
    let observations = state
        .query(move |store| store.observations(&filter))
        .await?;
    let rows: Vec<ObservationDto> = observations
        .iter()
        .map(|observation| {
            let name = state
                .area(&observation.area)
                .map_or("", |area| area.name.as_str());
            ObservationDto::new(observation, name)
        })
        .collect();
    let count = rows.len();
    Ok(super::envelope(&state, rows, count, &source_ids).into_response())
}
