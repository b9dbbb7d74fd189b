//! `GET /factsheet/{code}?theme=leefbaarheid&year=2024&lang=nl`: an area's fact sheet as a
//! self-contained HTML document; `GET /factsheet/{code}.pdf` the same sheet as an A4 PDF.
//! The sheet itself is made by `leefbaar-factsheet`; this file reads its inputs.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use leefbaar_factsheet::{BuildInput, FactsheetData, FactsheetError, Lang, Theme};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_store::ObservationFilter;

use crate::AppState;
use crate::pages::{self, error_page, param};

/// Reads the observations a sheet needs and builds it; `Ok(None)` when the area is unknown.
pub(crate) async fn factsheet_data(
    state: &AppState,
    code: &AreaCode,
    theme: Theme,
    year: u16,
    lang: Lang,
) -> Result<Option<FactsheetData>, String> {
    let Some(area) = state.area(code).cloned() else {
        return Ok(None);
    };
    let comparators = state.comparators(code);
    let province = comparators
        .iter()
        .filter_map(|c| state.area(c))
        .find(|a| a.level() == AreaLevel::Province)
        .cloned();
    let country = state.area(&AreaCode::netherlands()).cloned();
    let mut areas = vec![area.code.clone()];
    areas.extend(province.iter().map(|a| a.code.clone()));
    areas.extend(country.iter().map(|a| a.code.clone()));
    let filter = ObservationFilter {
        indicators: leefbaar_factsheet::INDICATORS
            .iter()
            .map(|id| (*id).to_owned())
            .collect(),
        areas,
        ..ObservationFilter::default()
    };
    let observations = state
        .query(move |store| store.observations(&filter))
        .await
        .map_err(|error| error.to_string())?;
    let indicators: Vec<_> = state
        .snapshot
        .indicators
        .iter()
        .map(|info| info.def.clone())
        .collect();
    let sources: Vec<_> = state.snapshot.sources.values().cloned().collect();
    // The server has no clock of its own: the sheet is dated by the import of its data.
    let date = sources
        .iter()
        .map(|s| s.imported_at.get(..10).unwrap_or(&s.imported_at))
        .max()
        .unwrap_or("")
        .to_owned();
    leefbaar_factsheet::build(&BuildInput {
        area: &area,
        province: province.as_ref(),
        country: country.as_ref(),
        indicators: &indicators,
        observations: &observations,
        sources: &sources,
        theme,
        year,
        lang,
        date: &date,
    })
    .map(Some)
    .map_err(|error| error.to_string())
}

pub(crate) async fn factsheet(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let page_lang = pages::Lang::from_pairs(&pairs);
    let lang = match page_lang {
        pages::Lang::Nl => Lang::Nl,
        pages::Lang::En => Lang::En,
    };
    let (code, want_pdf) = match code.strip_suffix(".pdf") {
        Some(code) => (code.to_owned(), true),
        None => (code, false),
    };
    let theme = match Theme::parse(param(&pairs, "theme").unwrap_or("leefbaarheid")) {
        Ok(theme) => theme,
        Err(error) => return error_page(page_lang, StatusCode::BAD_REQUEST, &error.to_string()),
    };
    let year = match param(&pairs, "year").map(str::parse::<u16>) {
        None => 2024,
        Some(Ok(year)) => year,
        Some(Err(_)) => {
            return error_page(
                page_lang,
                StatusCode::BAD_REQUEST,
                page_lang.pick("Het jaar is geen getal.", "The year is not a number."),
            );
        }
    };
    let not_found = || {
        let message = match lang {
            Lang::Nl => format!("Er is geen gebied met code `{code}`."),
            Lang::En => format!("There is no area with code `{code}`."),
        };
        error_page(page_lang, StatusCode::NOT_FOUND, &message)
    };
    let Ok(area) = AreaCode::parse(&code) else {
        return not_found();
    };
    let data = match factsheet_data(&state, &area, theme, year, lang).await {
        Ok(Some(data)) => data,
        Ok(None) => return not_found(),
        Err(message) => {
            tracing::warn!(%message, "fact sheet failed");
            return error_page(page_lang, StatusCode::NOT_FOUND, &message);
        }
    };
    if want_pdf {
        render_pdf(&data)
    } else {
        pages::html(StatusCode::OK, leefbaar_factsheet::html(&data))
    }
}

fn render_pdf(data: &FactsheetData) -> Response {
    match leefbaar_factsheet::pdf(data) {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => pdf_failed(&error),
    }
}

fn pdf_failed(error: &FactsheetError) -> Response {
    tracing::error!(%error, "fact sheet PDF failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.to_string(),
    )
        .into_response()
}
