//! `GET /api/v1/areas/{code}/profile` and `/compare`: an area's series next to the areas it is
//! compared with (its parent chain up to the Netherlands), and several areas side by side.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, Query, State};
use leefbaar_model::{AreaCode, Observation};
use leefbaar_store::ObservationFilter;
use serde_json::{Value, json};

use crate::api_types::{AreaDto, Text};
use crate::params::Params;
use crate::routes::areas::known_area;
use crate::{ApiError, AppState};

fn indicator_ids(state: &AppState, params: &mut Params) -> Vec<String> {
    let requested = params.list("indicator");
    for id in &requested {
        if state.indicator(id).is_none() {
            params.errors.push(format!(
                "parameter `indicator`: no indicator `{id}` (see /api/v1/indicators for the ids)"
            ));
        }
    }
    if requested.is_empty() {
        state
            .snapshot
            .indicators
            .iter()
            .map(|info| info.def.id.clone())
            .collect()
    } else {
        requested
    }
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

fn point(observation: &Observation) -> Value {
    json!({
        "year": observation.year.get(),
        "value": observation.value.value(),
        "missing": observation.value.missing_reason().map(leefbaar_model::MissingReason::as_str),
        "method": observation.provenance.method.map(leefbaar_model::Method::as_str),
    })
}

pub(crate) async fn profile(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::new(pairs, &["indicator", "lang"]);
    let _language = params.choice("lang", &["nl", "en"], "nl");
    let indicators = indicator_ids(&state, &mut params);
    params.finish()?;
    let area = known_area(&state, &code)?.clone();
    let comparators = state.comparators(&area.code);
    let mut areas = vec![area.code.clone()];
    areas.extend(comparators.iter().cloned());
    let filter = ObservationFilter {
        indicators: indicators.clone(),
        areas,
        ..ObservationFilter::default()
    };
    let observations = state
        .query(move |store| store.observations(&filter))
        .await?;
    let index = index(&observations);
    let mut sources = BTreeSet::new();
    let mut entries = Vec::new();
    for id in &indicators {
        let Some(info) = state.indicator(id) else {
            continue;
        };
        let Some(by_area) = index.get(id.as_str()) else {
            continue;
        };
        let Some(own) = by_area.get(&area.code) else {
            continue;
        };
        sources.insert(info.def.source.clone());
        let series: Vec<Value> = own
            .values()
            .map(|observation| {
                let mut entry = point(observation);
                let values: serde_json::Map<String, Value> = comparators
                    .iter()
                    .map(|code| {
                        let value = by_area
                            .get(code)
                            .and_then(|years| years.get(&observation.year.get()))
                            .and_then(|o| o.value.value());
                        (code.to_string(), json!(value))
                    })
                    .collect();
                entry["comparators"] = Value::Object(values);
                entry["note"] = json!(observation.provenance.note);
                entry
            })
            .collect();
        entries.push(json!({
            "id": info.def.id,
            "name": Text::from(&info.def.name),
            "theme": info.def.theme,
            "unit": info.def.unit.as_str(),
            "unit_symbol": {"nl": info.def.unit.symbol("nl"), "en": info.def.unit.symbol("en")},
            "decimals": info.def.decimals,
            "source": info.def.source,
            "series": series,
        }));
    }
    let comparator_list: Vec<Value> = comparators
        .iter()
        .map(|code| {
            json!({
                "code": code.as_str(),
                "name": state.area(code).map_or("", |a| a.name.as_str()),
            })
        })
        .collect();
    let count = entries.len();
    let data = json!({
        "area": AreaDto::from(&area),
        "comparators": comparator_list,
        "indicators": entries,
    });
    Ok(super::envelope(&state, data, count, &sources))
}

pub(crate) async fn compare(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::new(pairs, &["area", "indicator"]);
    let codes = params.codes("area");
    if !(2..=10).contains(&codes.len()) && params.errors.is_empty() {
        params.errors.push(format!(
            "parameter `area` must list 2 to 10 comma-separated area codes, found {}",
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
            .map(|years| years.values().map(|o| point(o)).collect())
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
