//! `GET /api/v1/typology` (JSON or CSV): every municipality of the Netherlands by projected
//! change × degree of urbanisation, and the residents' share per bubble of the Netherlands and
//! each province, prepared at start (`leefbaar_monitor::typology`).

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use leefbaar_monitor::projection::SCENARIO_NOTE;
use leefbaar_monitor::typology::Typology;
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::wire::typology::{AreaSharesWire, MunicipalityWire, TypologyWire};
use crate::{ApiError, AppState};

/// The source id of the projection (declared in the catalogue).
const PROJECTION_SOURCE_ID: &str = "projection_leefbaar";

/// The typology, or 404 when the server runs without one.
fn typology(state: &AppState) -> Result<&Typology, ApiError> {
    state.monitors.typology.as_deref().ok_or_else(|| {
        ApiError::NotFound(format!(
            "this server has no typology: {}",
            state.left_out_reason("typology")
        ))
    })
}

/// The sources the typology is made of: the projection and the bundle's urbanity table.
fn source_ids(state: &AppState) -> BTreeSet<String> {
    let table = state
        .monitors
        .spec
        .as_ref()
        .and_then(|spec| spec.typology.as_ref())
        .map(|spec| spec.file_as_given.as_str());
    state
        .snapshot
        .sources
        .values()
        .filter(|source| source.id == PROJECTION_SOURCE_ID || Some(source.file.as_str()) == table)
        .map(|source| source.id.clone())
        .collect()
}

fn typology_envelope(
    state: &AppState,
    typology: &Typology,
    data: impl Serialize,
    count: usize,
) -> Json<Value> {
    let mut body = super::envelope(state, data, count, &source_ids(state));
    let meta = &mut body.0["meta"];
    meta["from_year"] = json!(typology.from_year);
    meta["to_year"] = json!(typology.to_year);
    meta["variant"] = json!("medium (bubble); low and high variants' change classes beside it");
    meta["note"] = json!(SCENARIO_NOTE);
    body
}

/// `GET /api/v1/typology?format=json|csv&table=municipalities|shares`.
#[utoipa::path(
    get,
    path = "/api/v1/typology",
    operation_id = "typology",
    params(crate::query::TypologyQuery),
    responses(crate::routes::openapi::responses::JsonOrCsvResponses),
    summary = "The typology ('bubbles') of every municipality of the Netherlands (2024 division): projected change 2024–2040 (growth, stable, anticipeer, krimp; medium variant, with the low and high variants' classes) × degree of urbanisation (CBS stedelijkheid grouped into urban 1–2, intermediate 3, rural 4–5), with residents 2024 and 2040; and per area (the Netherlands, each province; the monitored one flagged) every bubble's municipalities, residents and share of residents, summed in persons. JSON, or CSV of one table (table=municipalities, the default, or shares). 404 when the server has no typology"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let mut params = Params::of::<crate::query::TypologyQuery>(pairs);
    let format = params.choice("format", crate::query::FORMATS, "json");
    let table = params.choice("table", crate::query::TYPOLOGY_TABLES, "municipalities");
    params.finish()?;
    let typology = typology(&state)?;
    if format == "csv" {
        return if table == "shares" {
            shares_csv(&state, typology)
        } else {
            municipalities_csv(&state, typology)
        };
    }
    let count = typology.municipalities.len();
    Ok(typology_envelope(&state, typology, TypologyWire::of(typology), count).into_response())
}

fn licence_and_attribution(state: &AppState) -> (String, String) {
    let ids = source_ids(state);
    let sources: Vec<_> = ids
        .iter()
        .filter_map(|id| state.snapshot.sources.get(id))
        .collect();
    let join = |texts: BTreeSet<&str>| texts.into_iter().collect::<Vec<_>>().join("; ");
    (
        join(sources.iter().map(|s| s.licence.as_str()).collect()),
        join(sources.iter().map(|s| s.attribution.as_str()).collect()),
    )
}

fn municipalities_csv(state: &AppState, typology: &Typology) -> Result<Response, ApiError> {
    let internal = |error: csv::Error| ApiError::Internal(error.to_string());
    let (licence, attribution) = licence_and_attribution(state);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "code",
            "name",
            "province",
            "bubble",
            "change",
            "change_low",
            "change_high",
            "degree",
            "urbanity",
            "population_from",
            "population_to",
            "population_change_pct",
            "households_change_pct",
            "from_year",
            "to_year",
            "licence",
            "attribution",
        ])
        .map_err(internal)?;
    let (from, to) = (typology.from_year.to_string(), typology.to_year.to_string());
    for municipality in &typology.municipalities {
        let m = MunicipalityWire::of(typology, municipality);
        writer
            .write_record([
                m.code.as_str(),
                &m.name,
                &m.province,
                &m.bubble,
                m.change,
                m.change_low,
                m.change_high,
                &m.degree,
                &m.urbanity.to_string(),
                &m.population_from.to_string(),
                &m.population_to.to_string(),
                &m.population_change_pct.to_string(),
                &m.households_change_pct.to_string(),
                &from,
                &to,
                &licence,
                &attribution,
            ])
            .map_err(internal)?;
    }
    super::csv_attachment(writer, "leefbaar-typology-municipalities.csv")
}

fn shares_csv(state: &AppState, typology: &Typology) -> Result<Response, ApiError> {
    let internal = |error: csv::Error| ApiError::Internal(error.to_string());
    let (licence, attribution) = licence_and_attribution(state);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "area",
            "area_name",
            "level",
            "monitored",
            "bubble",
            "change",
            "degree",
            "municipalities",
            "population_from",
            "population_to",
            "share_from_pct",
            "share_to_pct",
            "from_year",
            "to_year",
            "licence",
            "attribution",
        ])
        .map_err(internal)?;
    let (from, to) = (typology.from_year.to_string(), typology.to_year.to_string());
    for area in &typology.areas {
        let area = AreaSharesWire::of(typology, area);
        for bubble in &area.bubbles {
            writer
                .write_record([
                    area.code.as_str(),
                    &area.name,
                    area.level,
                    if area.monitored { "true" } else { "false" },
                    &bubble.bubble,
                    bubble.change,
                    &bubble.degree,
                    &bubble.municipalities.to_string(),
                    &bubble.population_from.to_string(),
                    &bubble.population_to.to_string(),
                    &bubble.share_from_pct.to_string(),
                    &bubble.share_to_pct.to_string(),
                    &from,
                    &to,
                    &licence,
                    &attribution,
                ])
                .map_err(internal)?;
        }
    }
    super::csv_attachment(writer, "leefbaar-typology-shares.csv")
}
