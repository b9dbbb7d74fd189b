//! `GET /api/v1/aed/points`, `/aed/white-spots` (JSON or CSV) and `/aed/placement`: the AEDs
//! of the bundle's register with their availability per rule, the populated places without an
//! available AED within the coverage distance, and where new (or moved) AEDs would cover most
//! residents, answered from the model prepared at start (`leefbaar_monitor::aed`). Placement
//! is computed on request and never stored. Every answer says, in `meta`, that coverage is a
//! straight line and carries the bundle's synthetic notice when its register is synthetic.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_monitor::aed::{AedMonitor, MAX_NEW_AEDS, rules};
use serde::Serialize;
use serde_json::{Value, json};

use crate::params::Params;
use crate::query::MAX_SPOTS;
use crate::wire::aed::{AedWire, PlacementWire, WhiteSpotWire};
use crate::{ApiError, AppState};

/// The 404 of a server without the model, with the reason it was left out.
fn missing(state: &AppState) -> ApiError {
    ApiError::NotFound(format!(
        "this server has no AED coverage model: {}",
        state.left_out_reason("aed")
    ))
}

/// The model, or 404 when the server runs without one.
fn aed(state: &AppState) -> Result<&AedMonitor, ApiError> {
    state.monitors.aed.as_deref().ok_or_else(|| missing(state))
}

/// How coverage is counted, in words, for `meta.coverage` and the CSV.
fn coverage_note(aed: &AedMonitor) -> String {
    format!(
        "covered: an AED available under the rule within {} m in a straight line (the alert system's convention), not a walking route",
        aed.spec().within_m
    )
}

/// The common envelope, with the register's licence, attribution, coverage rule and synthetic
/// notice in `meta`.
fn aed_envelope(
    state: &AppState,
    aed: &AedMonitor,
    data: impl Serialize,
    count: usize,
) -> Json<Value> {
    let mut body = super::envelope(state, data, count, &BTreeSet::new());
    let spec = aed.spec();
    let meta = &mut body.0["meta"];
    meta["licence"] = json!(spec.source.licence);
    meta["attribution"] = json!(spec.source.attribution);
    meta["source"] = json!(spec.source.id);
    meta["synthetic"] = json!(spec.synthetic_notice.is_some());
    meta["synthetic_notice"] = json!(spec.synthetic_notice);
    meta["coverage"] = json!({
        "within_m": spec.within_m,
        "straight_line": true,
        "note": coverage_note(aed),
    });
    meta["rules"] = json!(rules());
    body
}

/// The `rule` parameter as an index into [`rules`]; `24_7` when absent.
fn rule(params: &mut Params) -> usize {
    let all = rules();
    let chosen = params.choice("rule", &all, "24_7");
    all.iter().position(|r| *r == chosen).unwrap_or(0)
}

/// The `area` parameter: a municipality, district, neighbourhood or postcode area of the store;
/// the monitored province (or absent) means the whole bundle.
fn area(params: &mut Params, state: &AppState) -> Option<AreaCode> {
    let code = params.code("area")?;
    let province = state.monitors.province.as_ref().map(|(code, _)| code);
    if province == Some(&code) {
        return None;
    }
    let levels = [
        AreaLevel::Municipality,
        AreaLevel::District,
        AreaLevel::Neighbourhood,
        AreaLevel::Postcode,
    ];
    if !levels.contains(&code.level()) {
        params.errors.push(format!(
            "parameter `area` must be the province, a municipality, district, neighbourhood or postcode area, found `{code}`"
        ));
        return None;
    }
    Some(code)
}

/// A well-formed `area` the store does not have is a missing resource (404), as for
/// `/areas/{code}`, not a malformed request.
fn known(state: &AppState, area: Option<AreaCode>) -> Result<Option<AreaCode>, ApiError> {
    match area {
        Some(code) if state.area(&code).is_none() => Err(ApiError::NotFound(format!(
            "parameter `area`: no area `{code}` in this store (see /api/v1/areas)"
        ))),
        area => Ok(area),
    }
}

/// `GET /api/v1/aed/points`.
#[utoipa::path(
    get,
    path = "/api/v1/aed/points",
    operation_id = "aed_points",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Hartveilig: every AED of the bundle's register with id, lon, lat, placement (outdoor, indoor, unknown), opening_hours, public, available (per rule 24_7, day, evening, night, weekend: whether it counts), responders_near (citizen responders within the responder radius) and municipality. meta.synthetic_notice is set when the register is synthetic; meta.coverage states the rule (straight line, 500 m). 404 when the server has no AED model"
)]
pub(crate) async fn points(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let aed = aed(&state)?;
    let points: Vec<AedWire> = aed.aed_points().iter().map(AedWire::from).collect();
    let count = points.len();
    Ok(aed_envelope(&state, aed, points, count))
}

/// `GET /api/v1/aed/white-spots[.csv]?rule=R&area=A&min=N&limit=L&format=json|csv`.
#[utoipa::path(
    get,
    path = "/api/v1/aed/white-spots",
    operation_id = "aed_white_spots",
    params(crate::query::WhiteSpotsQuery),
    responses(crate::routes::openapi::responses::JsonOrCsvResponses),
    summary = "Hartveilig: the populated places with residents beyond the coverage distance (straight line, 500 m) of every AED available under the rule, most uncovered first: id, lon, lat, persons, uncovered, share_uncovered, nearest_aed_m, municipality, municipality_name, postcode, neighbourhood, neighbourhood_name; as JSON or CSV (also at /api/v1/aed/white-spots.csv), the CSV with rule, source, licence and synthetic notice on every row"
)]
pub(crate) async fn white_spots(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    spots::<crate::query::WhiteSpotsQuery>(&state, pairs, false)
}

/// `GET /api/v1/aed/white-spots.csv`: the same as `format=csv`.
#[utoipa::path(
    get,
    path = "/api/v1/aed/white-spots.csv",
    operation_id = "aed_white_spots_csv",
    params(crate::query::WhiteSpotsCsvQuery),
    responses(crate::routes::openapi::responses::CsvResponses),
    summary = "The white spots as CSV (the same as format=csv)"
)]
pub(crate) async fn white_spots_csv(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    spots::<crate::query::WhiteSpotsCsvQuery>(&state, pairs, true)
}

/// `Q` names the parameters of the route: the `.csv` route has no `format`.
fn spots<Q: utoipa::IntoParams>(
    state: &AppState,
    pairs: Vec<(String, String)>,
    csv: bool,
) -> Result<Response, ApiError> {
    let mut params = Params::of::<Q>(pairs);
    let rule = rule(&mut params);
    let area = area(&mut params, state);
    let min = params.text("min").map(str::to_owned).map_or(0.0, |text| {
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() && (0.0..=crate::query::MAX_MIN_RESIDENTS).contains(&value) => value,
            _ => {
                params.errors.push(format!(
                    "parameter `min` must be a number of residents from 0 to 1000000, found `{text}`"
                ));
                0.0
            }
        }
    });
    let limit = params.positive("limit", MAX_SPOTS).unwrap_or(MAX_SPOTS);
    let format = params.choice(
        "format",
        crate::query::FORMATS,
        if csv { "csv" } else { "json" },
    );
    params.finish()?;
    let area = known(state, area)?;
    let aed = aed(state)?;
    let all = aed.white_spots(rule, min, area.as_ref());
    let total = all.len();
    let uncovered: f64 = all.iter().map(|s| s.uncovered).sum();
    let name = |code: &str| state.area_name(code);
    let spots: Vec<WhiteSpotWire> = all
        .iter()
        .take(limit)
        .map(|s| WhiteSpotWire::of(s, &name))
        .collect();
    if format == "csv" {
        return csv_response(aed, rules()[rule], &spots);
    }
    let count = spots.len();
    let data = json!({
        "rule": rules()[rule],
        "area": area.as_ref().map(ToString::to_string),
        "min": min,
        "total": total,
        "uncovered": crate::wire::round(uncovered, 1),
        "spots": spots,
    });
    Ok(aed_envelope(state, aed, data, count).into_response())
}

fn csv_response(
    aed: &AedMonitor,
    rule: &str,
    spots: &[WhiteSpotWire],
) -> Result<Response, ApiError> {
    let internal = |error: csv::Error| ApiError::Internal(error.to_string());
    let spec = aed.spec();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "id",
            "lon",
            "lat",
            "persons",
            "uncovered",
            "share_uncovered",
            "nearest_aed_m",
            "municipality",
            "municipality_name",
            "postcode",
            "neighbourhood",
            "neighbourhood_name",
            "rule",
            "within_m",
            "source",
            "licence",
            "attribution",
            "synthetic_notice",
        ])
        .map_err(internal)?;
    let text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let within = spec.within_m.to_string();
    for s in spots {
        writer
            .write_record([
                s.id.as_str(),
                &s.lon.to_string(),
                &s.lat.to_string(),
                &s.persons.to_string(),
                &s.uncovered.to_string(),
                &text(s.share_uncovered),
                &text(s.nearest_aed_m),
                s.municipality.as_deref().unwrap_or(""),
                s.municipality_name.as_deref().unwrap_or(""),
                s.postcode.as_deref().unwrap_or(""),
                s.neighbourhood.as_deref().unwrap_or(""),
                s.neighbourhood_name.as_deref().unwrap_or(""),
                rule,
                &within,
                spec.source.id.as_str(),
                spec.source.licence.as_str(),
                spec.source.attribution.as_str(),
                spec.synthetic_notice.as_deref().unwrap_or(""),
            ])
            .map_err(internal)?;
    }
    super::csv_attachment(writer, "leefbaar-aed-white-spots.csv")
}

/// `GET /api/v1/aed/placement?rule=R&k=K&relocate=B&area=A`.
#[utoipa::path(
    get,
    path = "/api/v1/aed/placement",
    operation_id = "aed_placement",
    params(crate::query::PlacementQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Hartveilig, computed on request and never stored: where k new AEDs available under the rule cover most residents not yet covered (greedy with interchange local search over the populated places with uncovered residents): persons, covered now and after, the sites (rank, lon, lat, gain in residents, loss if removed), the coverage curve for 0..k new AEDs, and with relocate=true the AEDs that do not count under the rule moved outside (moves, covered_outside_in_place)"
)]
pub(crate) async fn placement(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::PlacementQuery>(pairs);
    let rule = rule(&mut params);
    let k = params.positive("k", MAX_NEW_AEDS).unwrap_or(5);
    let relocate = params.choice("relocate", crate::query::BOOLEANS, "false") == "true";
    let area = area(&mut params, &state);
    params.finish()?;
    let area = known(&state, area)?;
    let model = state.monitors.aed.clone().ok_or_else(|| missing(&state))?;
    // Placement takes tens of milliseconds on a province (more with relocation), so it runs
    // beside the request workers.
    let worker = std::sync::Arc::clone(&model);
    let report =
        tokio::task::spawn_blocking(move || worker.placement(rule, k, relocate, area.as_ref()))
            .await
            .map_err(|error| ApiError::Internal(error.to_string()))?;
    let wire = PlacementWire::of(&report, k, relocate);
    let count = wire.sites.len();
    Ok(aed_envelope(&state, &model, wire, count))
}
