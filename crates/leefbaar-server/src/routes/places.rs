//! `GET /api/v1/places`: named towns and villages with their point and population, most
//! populous first, for the labels of a map without a base map (`?parent=PV22`: the places of
//! that province's municipalities).

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use leefbaar_model::AreaCode;
use serde_json::{Value, json};

use crate::params::Params;
use crate::{ApiError, AppState};

#[utoipa::path(
    get,
    path = "/api/v1/places",
    operation_id = "places",
    params(crate::query::PlacesQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "Named towns and villages with their point (WGS84) and population, most populous first, for map labels"
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let mut params = Params::of::<crate::query::PlacesQuery>(pairs);
    let parent: Option<AreaCode> = params.codes("parent").into_iter().next();
    params.finish()?;
    let places = state
        .query(move |store| store.places(parent.as_ref()))
        .await?;
    let rows: Vec<Value> = places
        .iter()
        .map(|place| {
            json!({
                "name": place.name,
                "municipality": place.municipality.as_str(),
                "lon": place.point.0,
                "lat": place.point.1,
                "population": place.population,
            })
        })
        .collect();
    let count = rows.len();
    Ok(super::envelope(&state, rows, count, &BTreeSet::new()))
}
