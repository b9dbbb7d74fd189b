//! The boundaries of one area level as a GeoJSON `FeatureCollection` in WGS84, with the
//! properties the API's `/api/v1/boundaries` gives each feature.

use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_store::{AreaFilter, Store};
use serde_json::{Value, json};

use crate::ReleaseError;

/// The collection of every area of `level` that has a boundary, and how many there are;
/// `None` when none has one (the release then has no file for the level).
pub(crate) fn level_geojson(
    store: &dyn Store,
    level: AreaLevel,
) -> Result<Option<(Vec<u8>, usize)>, ReleaseError> {
    let areas = store.areas(&AreaFilter {
        level: Some(level),
        with_geometry: true,
        ..AreaFilter::default()
    })?;
    let mut features = Vec::new();
    for area in &areas {
        let Some(geometry) = area.geometry_geojson.as_deref() else {
            continue;
        };
        // Stored boundaries are WGS84 already (RD New is reprojected on import).
        let geometry: Value =
            serde_json::from_str(geometry).map_err(|error| ReleaseError::BadBoundary {
                area: area.code.to_string(),
                detail: error.to_string(),
            })?;
        features.push(json!({
            "type": "Feature",
            "properties": {
                "code": area.code.as_str(),
                "name": area.name,
                "level": area.level().as_str(),
                "parent": area.parent.as_ref().map(AreaCode::as_str),
                "first_year": area.first_year.get(),
                "last_year": area.last_year.get(),
            },
            "geometry": geometry,
        }));
    }
    if features.is_empty() {
        return Ok(None);
    }
    let count = features.len();
    let collection = json!({"type": "FeatureCollection", "features": features});
    let mut bytes = serde_json::to_vec(&collection).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    Ok(Some((bytes, count)))
}
