//! `GET /api/v1/areas`, `/areas/{code}` and `/boundaries`: the area register and its
//! boundaries as `GeoJSON` for the map.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use leefbaar_model::{Area, AreaCode};
use leefbaar_store::AreaFilter;
use serde_json::{Value, json};

use crate::api_types::AreaDto;
use crate::params::Params;
use crate::{ApiError, AppState};

#[utoipa::path(
    get,
    path = "/api/v1/areas",
    operation_id = "areas",
    params(crate::query::AreasQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Areas"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::AreasQuery>(pairs);
    let level = params.level("level");
    let parent = params.code("parent");
    let year = params.year("year");
    let codes = params.codes("code");
    params.finish()?;
    let areas: Vec<AreaDto> = state
        .snapshot
        .areas
        .values()
        .filter(|area| level.is_none_or(|level| area.level() == level))
        .filter(|area| parent.is_none() || area.parent == parent)
        .filter(|area| year.is_none_or(|year| area.exists_in(year)))
        .filter(|area| codes.is_empty() || codes.contains(&area.code))
        .map(AreaDto::from)
        .collect();
    let count = areas.len();
    Ok(super::envelope(&state, areas, count, &BTreeSet::new()))
}

pub(crate) fn known_area<'a>(state: &'a AppState, text: &str) -> Result<&'a Area, ApiError> {
    let code = AreaCode::parse(text).map_err(|error| ApiError::bad_parameter(error.to_string()))?;
    state
        .area(&code)
        .ok_or_else(|| ApiError::NotFound(format!("no area `{code}`; /api/v1/areas lists them")))
}

#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}",
    operation_id = "area",
    params(crate::query::AreaPath),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "One area with its parents and number of children"
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let area = known_area(&state, &code)?;
    let parents: Vec<AreaDto> = state
        .comparators(&area.code)
        .iter()
        .filter_map(|code| state.area(code))
        .map(AreaDto::from)
        .collect();
    let children = state
        .snapshot
        .areas
        .values()
        .filter(|child| child.parent.as_ref() == Some(&area.code))
        .count();
    let data = json!({
        "area": AreaDto::from(area),
        "parents": parents,
        "children": children,
    });
    Ok(super::envelope(&state, data, 1, &BTreeSet::new()))
}

/// `GET /api/v1/areas/{code}/similar`: the municipalities closest to a municipality in size
/// and density (see [`crate::similar`]).
#[utoipa::path(
    get,
    path = "/api/v1/areas/{code}/similar",
    operation_id = "similar_areas",
    params(crate::query::MunicipalityPath, crate::query::SimilarQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The municipalities most like a municipality in size and density (nearest in standardised log inhabitants and log density, latest year with both), with the values, the distance and each one's bubble of the typology (projected change × degree of urbanisation); bubble=prefer ranks the same bubble first, bubble=only keeps only it"
)]
pub(crate) async fn similar(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::SimilarQuery>(pairs);
    let count = params
        .positive("n", crate::query::MAX_SIMILAR)
        .unwrap_or(crate::similar::DEFAULT_COUNT);
    let rule = crate::similar::BubbleRule::of(params.choice(
        "bubble",
        crate::query::BUBBLE_RULES,
        "report",
    ));
    params.finish()?;
    let area = known_area(&state, &code)?.clone();
    if area.level() != leefbaar_model::AreaLevel::Municipality {
        return Err(ApiError::bad_parameter(format!(
            "similar areas are defined for municipalities; `{}` is a {}",
            area.code,
            area.level().as_str()
        )));
    }
    let code = area.code.clone();
    let typology = state.monitors.typology.clone();
    // Preferring a bubble reorders every candidate, so all are fetched before the cut.
    let candidates = match (rule, &typology) {
        (crate::similar::BubbleRule::Report, _) | (_, None) => count,
        _ => usize::MAX,
    };
    let found = state
        .query(move |store| crate::similar::similar_municipalities(store, &code, candidates))
        .await?;
    let Some((year, similar)) = found else {
        return Err(ApiError::NotFound(format!(
            "{} has no inhabitants and population density to compare",
            area.code
        )));
    };
    let bubble_of = |code: &leefbaar_model::AreaCode| {
        let typology = typology.as_deref()?;
        typology.municipality(code).map(|m| typology.bubble_id(m))
    };
    let own_bubble = bubble_of(&area.code);
    let rule = if typology.is_some() {
        rule
    } else {
        crate::similar::BubbleRule::Report
    };
    let ranked = crate::similar::by_bubble(similar, bubble_of, own_bubble.as_deref(), rule, count);
    let areas: Vec<Value> = ranked
        .iter()
        .map(|(s, bubble)| {
            json!({
                "code": s.code.as_str(),
                "name": state.area(&s.code).map_or(s.code.as_str(), |a| a.name.as_str()),
                "inhabitants": s.inhabitants,
                "population_density": s.density,
                "distance": (s.distance * 1000.0).round() / 1000.0,
                "bubble": bubble,
                "same_bubble": own_bubble.is_some() && *bubble == own_bubble,
            })
        })
        .collect();
    let count = areas.len();
    let data = json!({
        "area": AreaDto::from(&area),
        "year": year,
        "basis": crate::similar::BASIS,
        "method": "nearest municipalities of the year by Euclidean distance between log inhabitants and log population density, each divided by its standard deviation over all municipalities; bubble=prefer ranks those in the same bubble of the typology (projected change 2024–2040 × degree of urbanisation, /api/v1/typology) first, bubble=only keeps only them",
        "bubble": own_bubble,
        "bubble_rule": match rule {
            crate::similar::BubbleRule::Report => "report",
            crate::similar::BubbleRule::Prefer => "prefer",
            crate::similar::BubbleRule::Only => "only",
        },
        "similar": areas,
    });
    Ok(super::envelope(&state, data, count, &BTreeSet::new()))
}

#[utoipa::path(
    get,
    path = "/api/v1/boundaries",
    operation_id = "boundaries",
    params(crate::query::BoundariesQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Boundaries as a GeoJSON FeatureCollection (WGS84) in data"
)]
pub(crate) async fn boundaries(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::BoundariesQuery>(pairs);
    let level = params.level("level");
    let parent = params.code("parent");
    let year = params.year("year");
    if params.text("level").is_none() {
        params.errors.push(
            "parameter `level` is required: one of country, province, municipality, district, neighbourhood"
                .to_owned(),
        );
    }
    params.finish()?;
    let key = format!("{level:?}|{parent:?}|{year:?}");
    let cached = state
        .snapshot
        .boundaries
        .lock()
        .expect("boundary cache lock")
        .get(&key)
        .cloned();
    let collection = if let Some(collection) = cached {
        collection
    } else {
        let filter = AreaFilter {
            level,
            parent,
            year,
            codes: Vec::new(),
            with_geometry: true,
        };
        let areas = state.query(move |store| store.areas(&filter)).await?;
        let features: Vec<Value> = areas
            .iter()
            .filter_map(|area| {
                let geometry = area.geometry_geojson.as_deref()?;
                let geometry: Value = serde_json::from_str(geometry).ok()?;
                Some(json!({
                    "type": "Feature",
                    "properties": {
                        "code": area.code.as_str(),
                        "name": area.name,
                        "level": area.level().as_str(),
                        "parent": area.parent.as_ref().map(AreaCode::as_str),
                    },
                    "geometry": geometry,
                }))
            })
            .collect();
        let collection = Arc::new(json!({"type": "FeatureCollection", "features": features}));
        state
            .snapshot
            .boundaries
            .lock()
            .expect("boundary cache lock")
            .insert(key, Arc::clone(&collection));
        collection
    };
    let count = collection["features"].as_array().map_or(0, Vec::len);
    Ok(super::envelope(
        &state,
        &*collection,
        count,
        &BTreeSet::new(),
    ))
}
