//! `GET /factsheet/{code}?theme=leefbaarheid&year=2024&lang=nl`: an area's fact sheet as a
//! self-contained HTML document; `GET /factsheet/{code}.pdf` the same sheet as an A4 PDF (with
//! the default `pdf` feature; without it, a 404 in the API's error shape).
//! The sheet itself is made by `leefbaar-factsheet`; this file reads its inputs: the area, its
//! municipality (for a district), province and country, the areas of the map inset with their
//! boundaries, and their observations.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
#[cfg(feature = "pdf")]
use axum::http::header;
use axum::response::{IntoResponse as _, Response};
use leefbaar_factsheet::{BuildInput, FactsheetData, Lang, Theme};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_store::{AreaFilter, ObservationFilter};

use crate::pages::{self, error_page, param};
use crate::{ApiError, AppState};

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
    let comparators: Vec<_> = state
        .comparators(code)
        .iter()
        .filter_map(|c| state.area(c))
        .cloned()
        .collect();
    let of_level = |level: AreaLevel| comparators.iter().find(|a| a.level() == level).cloned();
    // A district is compared with its municipality too; a municipality with the province only.
    let municipality = (area.level() > AreaLevel::Municipality)
        .then(|| of_level(AreaLevel::Municipality))
        .flatten();
    let province = of_level(AreaLevel::Province);
    let country = state.area(&AreaCode::netherlands()).cloned();
    // The map inset: the area among the areas of its level in its parent, with boundaries (as
    // `/api/v1/boundaries?level=…&parent=…` reads them).
    let map_parent = area.parent.as_ref().and_then(|p| state.area(p)).cloned();
    let map_areas = match &map_parent {
        Some(parent) => {
            let filter = AreaFilter {
                level: Some(area.level()),
                parent: Some(parent.code.clone()),
                with_geometry: true,
                ..AreaFilter::default()
            };
            state
                .query(move |store| store.areas(&filter))
                .await
                .map_err(|error| error.to_string())?
        }
        None => Vec::new(),
    };
    let mut areas = vec![area.code.clone()];
    areas.extend(
        [&municipality, &province, &country]
            .into_iter()
            .flatten()
            .map(|a| a.code.clone()),
    );
    areas.extend(
        map_areas
            .iter()
            .filter(|a| a.code != area.code)
            .map(|a| a.code.clone()),
    );
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
        municipality: municipality.as_ref(),
        province: province.as_ref(),
        country: country.as_ref(),
        map_parent: map_parent.as_ref(),
        map_areas: &map_areas,
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
    let lang = Lang::from_pairs(&pairs);
    let (code, want_pdf) = match code.strip_suffix(".pdf") {
        Some(code) => (code.to_owned(), true),
        None => (code, false),
    };
    #[cfg(not(feature = "pdf"))]
    if want_pdf {
        return no_pdf(&code);
    }
    let theme = match Theme::parse(param(&pairs, "theme").unwrap_or("leefbaarheid")) {
        Ok(theme) => theme,
        Err(error) => return error_page(lang, StatusCode::BAD_REQUEST, &error.to_string()),
    };
    let year = match param(&pairs, "year").map(str::parse::<u16>) {
        None => 2024,
        Some(Ok(year)) => year,
        Some(Err(_)) => {
            return error_page(
                lang,
                StatusCode::BAD_REQUEST,
                lang.pick("Het jaar is geen getal.", "The year is not a number."),
            );
        }
    };
    let not_found = || {
        let message = match lang {
            Lang::Nl => format!("Er is geen gebied met code `{code}`."),
            Lang::En => format!("There is no area with code `{code}`."),
        };
        error_page(lang, StatusCode::NOT_FOUND, &message)
    };
    let Ok(area) = AreaCode::parse(&code) else {
        return not_found();
    };
    let data = match factsheet_data(&state, &area, theme, year, lang).await {
        Ok(Some(data)) => data,
        Ok(None) => return not_found(),
        Err(message) => {
            tracing::warn!(%message, "fact sheet failed");
            return error_page(lang, StatusCode::NOT_FOUND, &message);
        }
    };
    #[cfg(feature = "pdf")]
    if want_pdf {
        return render_pdf(&data);
    }
    pages::html(StatusCode::OK, leefbaar_factsheet::html(&data))
}

#[cfg(feature = "pdf")]
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
        Err(error) => {
            ApiError::Internal(format!("fact sheet PDF of {}: {error}", data.code)).into_response()
        }
    }
}

/// Built without the `pdf` feature (no typst): there is no PDF, said in the API's error shape;
/// the HTML sheet is still served.
#[cfg(not(feature = "pdf"))]
fn no_pdf(code: &str) -> Response {
    ApiError::NotFound(format!(
        "no PDF fact sheets: this server was built without PDF support (cargo feature `pdf`); the HTML sheet is at /factsheet/{code}"
    ))
    .into_response()
}
