//! Place tables: named towns and villages with a point and population, for map labels (the
//! dashboard draws no base map) and for finding a village by name.
//!
//! A manifest declares them as `[[places]]` with the file and its column names; municipality
//! codes must name municipalities of the bundle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use leefbaar_model::{AreaCode, AreaLevel, Place};
use serde::Deserialize;

use crate::csv_rows;
use crate::error::{ImportError, Problem, Problems};
use crate::table::{MAX_INPUT_BYTES, read_limited};

/// How a place file's columns map to a [`Place`]; `population` is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceSpec {
    /// The file, relative to the manifest.
    pub file: String,
    /// The column with the place's name.
    pub name: String,
    /// The column with the municipality's GM code.
    pub municipality: String,
    /// The column with the longitude (WGS84).
    pub lon: String,
    /// The column with the latitude (WGS84).
    pub lat: String,
    /// The column with the population.
    #[serde(default)]
    pub population: Option<String>,
}

/// Reads a place table; every municipality must be one of `known_areas`.
pub fn read_places(
    path: &Path,
    spec: &PlaceSpec,
    known_areas: &BTreeSet<AreaCode>,
) -> Result<Vec<Place>, ImportError> {
    let bytes = read_limited(path, MAX_INPUT_BYTES)?;
    parse_places(&bytes, &path.display().to_string(), spec, known_areas)
}

/// [`read_places`] on bytes already read; `file` names them in messages. Every bad record is
/// reported, with its line and field.
pub fn parse_places(
    bytes: &[u8],
    file: &str,
    spec: &PlaceSpec,
    known_areas: &BTreeSet<AreaCode>,
) -> Result<Vec<Place>, ImportError> {
    let (mut reader, header) = csv_rows::open(bytes, file)?;
    let column = |name: &str| csv_rows::column(&header, name, file);
    let name_at = column(&spec.name)?;
    let municipality_at = column(&spec.municipality)?;
    let lon_at = column(&spec.lon)?;
    let lat_at = column(&spec.lat)?;
    let population_at = spec.population.as_deref().map(column).transpose()?;

    let mut problems = Problems::new();
    let mut places: BTreeMap<(AreaCode, String), Place> = BTreeMap::new();
    for (line, record) in csv_rows::records(&mut reader, &mut problems) {
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let before = problems.list.len() + problems.omitted;
        let name = cell(name_at).to_owned();
        if name.is_empty() {
            problems.push(Problem::at_line(line, Some(&spec.name), "a name", ""));
        }
        let municipality = match AreaCode::parse(cell(municipality_at)) {
            Ok(code) if code.level() == AreaLevel::Municipality && known_areas.contains(&code) => {
                Some(code)
            }
            _ => {
                problems.push(Problem::at_line(
                    line,
                    Some(&spec.municipality),
                    "the code of a municipality of the bundle",
                    cell(municipality_at),
                ));
                None
            }
        };
        let mut coordinate = |at: usize, field: &str, range: (f64, f64)| {
            let value = cell(at)
                .parse::<f64>()
                .ok()
                .filter(|v| (range.0..=range.1).contains(v));
            if value.is_none() {
                problems.push(Problem::at_line(
                    line,
                    Some(field),
                    format!("degrees between {} and {}", range.0, range.1),
                    cell(at),
                ));
            }
            value
        };
        let lon = coordinate(lon_at, &spec.lon, (-180.0, 180.0));
        let lat = coordinate(lat_at, &spec.lat, (-90.0, 90.0));
        let population = match (population_at, &spec.population) {
            (Some(at), Some(field)) if !cell(at).is_empty() => {
                let value = cell(at).parse::<u64>().ok();
                if value.is_none() {
                    problems.push(Problem::at_line(
                        line,
                        Some(field),
                        "a whole number of persons",
                        cell(at),
                    ));
                }
                value
            }
            _ => None,
        };
        if problems.list.len() + problems.omitted > before {
            continue;
        }
        let (Some(municipality), Some(lon), Some(lat)) = (municipality, lon, lat) else {
            continue;
        };
        let key = (municipality.clone(), name.clone());
        if places.contains_key(&key) {
            problems.push(Problem::at_line(
                line,
                Some(&spec.name),
                "a place named once per municipality",
                &name,
            ));
            continue;
        }
        places.insert(
            key,
            Place {
                name,
                municipality,
                point: (lon, lat),
                population,
            },
        );
    }
    problems.into_result(file)?;
    Ok(places.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> PlaceSpec {
        PlaceSpec {
            file: "towns.csv".to_owned(),
            name: "name".to_owned(),
            municipality: "gm".to_owned(),
            lon: "lon".to_owned(),
            lat: "lat".to_owned(),
            population: Some("inhabitants".to_owned()),
        }
    }

    fn known() -> BTreeSet<AreaCode> {
        ["GM0114", "GM0106"]
            .iter()
            .map(|c| AreaCode::parse(c).unwrap())
            .collect()
    }

    #[test]
    fn towns_are_read_with_their_point_and_population() {
        let csv = "name,gm,lon,lat,inhabitants\nEmmen,GM0114,6.90,52.78,56000\nAssen,GM0106,6.56,52.99,\n";
        let places = parse_places(csv.as_bytes(), "towns.csv", &spec(), &known()).unwrap();
        assert_eq!(places.len(), 2);
        assert_eq!(places[0].name, "Assen");
        assert_eq!(places[0].population, None);
        assert_eq!(places[1].population, Some(56_000));
    }

    #[test]
    fn every_bad_record_is_named_with_its_line_and_field() {
        let csv = "name,gm,lon,lat,inhabitants\nEmmen,GM9999,6.90,52.78,1\nAssen,GM0106,six,52.99,1\nX,GM0106,6.5,52.9,-3\nX,GM0106,6.5,52.9,3\nX,GM0106,6.5,52.9,3\n";
        let error = parse_places(csv.as_bytes(), "towns.csv", &spec(), &known()).unwrap_err();
        insta::assert_snapshot!(error.to_string(), @r"
        towns.csv: 4 problems
        towns.csv, line 2, field `gm`: expected the code of a municipality of the bundle, found `GM9999`
        towns.csv, line 3, field `lon`: expected degrees between -180 and 180, found `six`
        towns.csv, line 4, field `inhabitants`: expected a whole number of persons, found `-3`
        towns.csv, line 6, field `name`: expected a place named once per municipality, found `X`
        ");
    }
}
