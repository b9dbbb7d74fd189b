//! `GET /factsheet/{code}?theme=leefbaarheid&year=2024&lang=nl`: an area's fact sheet as a
//! self-contained HTML document; `GET /factsheet/{code}.pdf` the same sheet as an A4 PDF (with
//! the default `pdf` feature; without it, a 404 in the API's error shape). `theme=hartveilig`
//! is the AED coverage sheet, with the bundle's `[aed].synthetic_notice` at its top when the
//! register is synthetic; `theme=zorg` the care sheet (care demand to 2040, published health
//! figures); an unknown theme is a 400, a theme without figures for the area a 404.
//! The sheet itself is made by `leefbaar-factsheet` from the inputs
//! `leefbaar_monitor::profile::factsheet_inputs` reads (the same as `leefbaar factsheet`'s).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
#[cfg(feature = "pdf")]
use axum::http::header;
use axum::response::{IntoResponse as _, Response};
use leefbaar_factsheet::{BuildInput, FactsheetData, FactsheetError, Lang, Theme};
use leefbaar_ingest::BundleSpec;
use leefbaar_model::AreaCode;
use leefbaar_monitor::profile::FactsheetInputs;

use crate::pages::{self, error_page, param};
use crate::{ApiError, AppState};

/// The notice a sheet of `theme` carries at its top, from the bundle's sections: the
/// Hartveilig sheet's figures come from the AED register, so it carries `[aed].synthetic_notice`;
/// the livability and care sheets none (their figures are real or model outputs of real data).
pub fn sheet_notice(theme: Theme, spec: Option<&BundleSpec>) -> Option<&str> {
    match theme {
        Theme::Leefbaarheid | Theme::Zorg => None,
        Theme::Hartveilig => spec?.aed.as_ref()?.synthetic_notice.as_deref(),
    }
}

/// The fact sheet of `inputs` (read by `leefbaar_monitor::profile::factsheet_inputs`) in one
/// theme, year and language, with the `notice` of [`sheet_notice`]: the one place the server's
/// route and `leefbaar factsheet` turn what the store holds into a sheet.
pub fn sheet(
    inputs: &FactsheetInputs,
    theme: Theme,
    year: u16,
    lang: Lang,
    notice: Option<&str>,
) -> Result<FactsheetData, FactsheetError> {
    leefbaar_factsheet::build(&BuildInput {
        area: &inputs.area,
        municipality: inputs.municipality.as_ref(),
        province: inputs.province.as_ref(),
        country: inputs.country.as_ref(),
        map_parent: inputs.map_parent.as_ref(),
        map_areas: &inputs.map_areas,
        indicators: &inputs.indicators,
        observations: &inputs.observations,
        sources: &inputs.sources,
        theme,
        year,
        lang,
        date: &inputs.date,
        notice,
    })
}

/// Reads a sheet's inputs and builds it; `Ok(None)` when the area is unknown.
async fn factsheet_data(
    state: &AppState,
    code: &AreaCode,
    theme: Theme,
    year: u16,
    lang: Lang,
) -> Result<Option<FactsheetData>, String> {
    let code = code.clone();
    let inputs = state
        .query(move |store| leefbaar_monitor::profile::factsheet_inputs(store, &code))
        .await
        .map_err(|error| error.to_string())?;
    let Some(inputs) = inputs else {
        return Ok(None);
    };
    let notice = sheet_notice(theme, state.monitors.spec.as_ref());
    sheet(&inputs, theme, year, lang, notice)
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
        Err(error) => return error_page(&state, lang, StatusCode::BAD_REQUEST, &error.to_string()),
    };
    let year = match param(&pairs, "year").map(str::parse::<u16>) {
        None => 2024,
        Some(Ok(year)) => year,
        Some(Err(_)) => {
            return error_page(
                &state,
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
        error_page(&state, lang, StatusCode::NOT_FOUND, &message)
    };
    let Ok(area) = AreaCode::parse(&code) else {
        return not_found();
    };
    let data = match factsheet_data(&state, &area, theme, year, lang).await {
        Ok(Some(data)) => data,
        Ok(None) => return not_found(),
        Err(message) => {
            tracing::warn!(%message, "fact sheet failed");
            return error_page(&state, lang, StatusCode::NOT_FOUND, &message);
        }
    };
    #[cfg(feature = "pdf")]
    if want_pdf {
        return render_pdf(&data);
    }
    // The stylesheet is linked, not inline, so the sheet obeys the server's
    // Content-Security-Policy (`style-src 'self'`); `leefbaar factsheet` writes it inline.
    pages::html(
        StatusCode::OK,
        leefbaar_factsheet::html_with_stylesheet(&data, &crate::assets::href("factsheet.css")),
    )
}

#[cfg(feature = "pdf")]
fn render_pdf(data: &FactsheetData) -> Response {
    match leefbaar_factsheet::pdf(data) {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/pdf")],
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
