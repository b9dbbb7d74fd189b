//! RD New (EPSG:28992) boundaries are reprojected to WGS84, whether the file names its CRS or
//! not, and land where the Kadaster's reference points say they should.

use std::path::Path;

use leefbaar_ingest::{BoundarySpec, Crs, RdToWgs84, read_boundaries};
use leefbaar_model::{Area, Year};

fn read_fixture(name: &str, crs: Option<Crs>) -> Vec<Area> {
    let spec = BoundarySpec {
        crs,
        ..BoundarySpec::new("code", Some("naam"), Year::new(2024).unwrap())
    };
    read_boundaries(&Path::new("tests/fixtures").join(name), &spec)
        .unwrap_or_else(|error| panic!("{error}"))
}

/// The first position of an area's geometry.
fn first_position(area: &Area) -> [f64; 2] {
    let geometry: serde_json::Value =
        serde_json::from_str(area.geometry_geojson.as_deref().unwrap()).unwrap();
    let mut value = &geometry["coordinates"];
    while value[0].is_array() {
        value = &value[0];
    }
    [value[0].as_f64().unwrap(), value[1].as_f64().unwrap()]
}

#[test]
fn the_rd_origin_lands_on_amersfoort_onze_lieve_vrouwetoren() {
    // RD (155000, 463000) is by definition the tower's position, 52.15517° N 5.38721° E in WGS84.
    let [longitude, latitude] = RdToWgs84::new().apply([155_000.0, 463_000.0]).unwrap();
    assert!((latitude - 52.155_17).abs() < 1e-5, "{latitude}");
    assert!((longitude - 5.387_21).abs() < 1e-5, "{longitude}");
}

#[test]
fn an_rd_file_with_a_crs_member_is_reprojected_and_rounded() {
    let areas = read_fixture("rd_new.geojson", None);
    assert_eq!(areas.len(), 2);
    // Output is rounded to 5 decimals, which adds up to 0.5e-5° to the transformation's error.
    let [longitude, latitude] = first_position(&areas[0]);
    assert!((latitude - 52.155_17).abs() < 1.5e-5, "{latitude}");
    assert!((longitude - 5.387_21).abs() < 1.5e-5, "{longitude}");
    let geometry = areas[0].geometry_geojson.as_deref().unwrap();
    assert!(
        geometry.starts_with(r#"{"coordinates":[[[5.3872,52.15517],"#),
        "{geometry}"
    );
    // A point near Assen, far from the projection's origin, checked against the independent
    // approximation polynomials of Schreutelkamp & Strang van Hees (2001, "Benaderingsformules
    // voor de transformatie tussen RD- en WGS84-kaartcoördinaten"), accurate to about a metre.
    let [longitude, latitude] = first_position(&areas[1]);
    assert!((latitude - 52.985_334).abs() < 3e-5, "{latitude}");
    assert!((longitude - 6.548_694).abs() < 3e-5, "{longitude}");
    assert!(
        areas[1]
            .geometry_geojson
            .as_deref()
            .unwrap()
            .contains("MultiPolygon")
    );
}

#[test]
fn an_rd_file_without_crs_is_detected_by_magnitude() {
    assert_eq!(
        read_fixture("rd_new_without_crs.geojson", None),
        read_fixture("rd_new.geojson", None)
    );
}

#[test]
fn a_declared_crs_overrides_detection() {
    assert_eq!(
        read_fixture("rd_new_without_crs.geojson", Some(Crs::RdNew)),
        read_fixture("rd_new.geojson", None)
    );
}

#[test]
fn a_district_boundary_knows_its_municipality() {
    let areas = read_fixture("rd_new.geojson", None);
    assert_eq!(areas[0].code.as_str(), "WK010600");
    assert_eq!(areas[0].parent.as_ref().unwrap().as_str(), "GM0106");
    assert_eq!(areas[0].name, "Rond de RD-oorsprong");
}
