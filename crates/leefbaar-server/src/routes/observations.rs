//! `GET /api/v1/observations`: values by indicator, area, level and years, as JSON or CSV,
//! each with its method and source rows.

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
    let limit = params.positive("limit", MAX_ROWS).unwrap_or(MAX_ROWS);
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
        limit: Some(limit),
    };
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
    if format == "csv" {
        return csv_response(&rows);
    }
    let count = rows.len();
    Ok(super::envelope(&state, rows, count, &source_ids).into_response())
}

fn csv_response(rows: &[ObservationDto]) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |error: csv::Error| ApiError::Internal(error.to_string());
    writer
        .write_record([
            "area",
            "area_name",
            "level",
            "year",
            "indicator",
            "value",
            "missing",
            "method",
            "note",
            "source_rows",
            "parts",
        ])
        .map_err(internal)?;
    for row in rows {
        let source_rows: Vec<String> = row
            .source_rows
            .iter()
            .map(crate::api_types::SourceRowDto::compact)
            .collect();
        writer
            .write_record([
                row.area.as_str(),
                row.area_name.as_str(),
                row.level,
                &row.year.to_string(),
                row.indicator.as_str(),
                &row.value.map(|v| v.to_string()).unwrap_or_default(),
                row.missing.unwrap_or(""),
                row.method.unwrap_or(""),
                row.note.as_str(),
                &source_rows.join(";"),
                &row.parts.to_string(),
            ])
            .map_err(internal)?;
    }
    super::csv_attachment(writer, "leefbaar-observations.csv")
}
