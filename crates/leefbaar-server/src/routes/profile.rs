//! `GET /api/v1/areas/{code}/profile` and `/compare`: an area's series next to the areas it is
//! compared with (its parent chain up to the Netherlands), assembled by
//! `leefbaar_monitor::profile`, and several areas side by side.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, Query, State};
use leefbaar_model::{AreaCode, CellValue, Method, Observation, Year};
use leefbaar_store::ObservationFilter;
use serde_json::{Value, json};

use crate::api_types::{AreaDto, Text};
use crate::params::Params;
use crate::routes::areas::known_area;
use crate::{ApiError, AppState};

/// The requested indicators, each checked against the catalogue; empty: all of them.
fn indicator_ids(state: &AppState, params: &mut Params) -> Vec<String> {
    let requested = params.list("indicator");
    for id in &requested {
        if state.indicator(id).is_none() {
            params.errors.push(format!(
                "parameter `indicator`: no indicator `{id}` (see /api/v1/indicators for the ids)"
            ));
        }
    }
    requested
}

/// Observations indexed by indicator, then area, then year (also for `/gebied/{code}`).
pub(crate) type Index<'a> =
    BTreeMap<&'a str, BTreeMap<&'a AreaCode, BTreeMap<u16, &'a Observation>>>;

pub(crate) fn index(observations: &[Observation]) -> Index<'_> {
    let mut index: Index<'_> = BTreeMap::new();
    for observation in observations {
        index
            .entry(observation.indicator.as_str())
            .or_default()
            .entry(&observation.area)
            .or_default()
            .insert(observation.year.get(), observation);
    }
    index
}

/// One year of a series: its value or the reason it is missing, and how it was made.
fn point(year: Year, value: CellValue, method: Option<Method>) -> Value {
    json!({
        "year": year.get(),
        "value": value.value(),
        "missing": value.missing_reason().map(leefbaar_model::MissingReason::as_str),
        "method": method.map(Method::as_str),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/profile",
    operation_id = "profile",
    params(crate::query::AreaPath, crate::query::ProfileQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Every indicator's series for the area next to its parent areas and the Netherlands"
)]
pub(crate) async fn profile(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::ProfileQuery>(pairs);
    let _language = params.choice("lang", crate::query::LANGUAGES, "nl");
    let indicators = indicator_ids(&state, &mut params);
    params.finish()?;
    let code = known_area(&state, &code)?.code.clone();
    let not_found = ApiError::NotFound(format!("no area `{code}`; /api/v1/areas lists them"));
    let profile = state
        .query(move |store| leefbaar_monitor::profile::profile(store, &code, &indicators))
        .await?
        .ok_or(not_found)?;
    let entries: Vec<Value> = profile
        .indicators
        .iter()
        .map(|indicator| {
            let def = &indicator.def;
            let series: Vec<Value> = indicator
                .series
                .iter()
                .map(|at| {
                    let mut entry = point(at.year, at.value, at.method);
                    let values: serde_json::Map<String, Value> = profile
                        .comparators
                        .iter()
                        .zip(&at.comparators)
                        .map(|(comparator, value)| {
                            let value = value.and_then(CellValue::value);
                            (comparator.code.to_string(), json!(value))
                        })
                        .collect();
                    entry["comparators"] = Value::Object(values);
                    entry["note"] = json!(at.note);
                    entry
                })
                .collect();
            json!({
                "id": def.id,
                "name": Text::from(&def.name),
                "theme": def.theme,
                "unit": def.unit.as_str(),
                "unit_symbol": {"nl": def.unit.symbol("nl"), "en": def.unit.symbol("en")},
                "decimals": def.decimals,
                "source": def.source,
                "series": series,
            })
        })
        .collect();
    let comparator_list: Vec<Value> = profile
        .comparators
        .iter()
        .map(|comparator| {
            json!({
                "code": comparator.code.as_str(),
                "name": comparator.name().unwrap_or(""),
            })
        })
        .collect();
    let count = entries.len();
    let data = json!({
        "area": AreaDto::from(&profile.area),
        "comparators": comparator_list,
        "indicators": entries,
    });
    Ok(super::envelope(&state, data, count, &profile.source_ids()))
}

#[utoipa::path(
    get,
    path = "/api/v1/compare",
    operation_id = "compare",
    params(crate::query::CompareQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "One indicator for 2 to 10 areas, with their province and the Netherlands"
)]
pub(crate) async fn compare(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::CompareQuery>(pairs);
    let codes = params.codes("area");
    let (min, max) = crate::query::COMPARED_AREAS;
    if !(min..=max).contains(&codes.len()) && params.errors.is_empty() {
        params.errors.push(format!(
            "parameter `area` must list {min} to {max} comma-separated area codes, found {}",
            codes.len()
        ));
    }
    let indicator = params.text("indicator").map(str::to_owned);
    match &indicator {
        None => params
            .errors
            .push("parameter `indicator` is required (one id from /api/v1/indicators)".to_owned()),
        Some(id) if state.indicator(id).is_none() => params.errors.push(format!(
            "parameter `indicator`: no indicator `{id}` (see /api/v1/indicators for the ids)"
        )),
        Some(_) => {}
    }
    params.finish()?;
    let indicator = indicator.expect("checked above");
    for code in &codes {
        known_area(&state, code.as_str())?;
    }
    let mut comparators: Vec<AreaCode> = Vec::new();
    for code in &codes {
        for parent in state.comparators(code) {
            let is_top = parent.level() <= leefbaar_model::AreaLevel::Province;
            if is_top && !comparators.contains(&parent) && !codes.contains(&parent) {
                comparators.push(parent);
            }
        }
    }
    let mut all = codes.clone();
    all.extend(comparators.iter().cloned());
    let filter = ObservationFilter {
        indicators: vec![indicator.clone()],
        areas: all,
        ..ObservationFilter::default()
    };
    let observations = state
        .query(move |store| store.observations(&filter))
        .await?;
    let index = index(&observations);
    let empty = BTreeMap::new();
    let by_area = index.get(indicator.as_str()).unwrap_or(&empty);
    let describe = |code: &AreaCode| {
        let series: Vec<Value> = by_area
            .get(code)
            .map(|years| {
                years
                    .values()
                    .map(|o| point(o.year, o.value, o.provenance.method))
                    .collect()
            })
            .unwrap_or_default();
        json!({
            "code": code.as_str(),
            "name": state.area(code).map_or("", |a| a.name.as_str()),
            "series": series,
        })
    };
    let info = state.indicator(&indicator).expect("checked above");
    let data = json!({
        "indicator": {"id": info.def.id, "name": Text::from(&info.def.name), "unit": info.def.unit.as_str(), "decimals": info.def.decimals},
        "areas": codes.iter().map(describe).collect::<Vec<_>>(),
        "comparators": comparators.iter().map(describe).collect::<Vec<_>>(),
    });
    let sources = BTreeSet::from([info.def.source.clone()]);
    Ok(super::envelope(&state, data, codes.len(), &sources))
}
