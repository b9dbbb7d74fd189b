//! Postcode tables: which municipality and district each four-digit postcode area lies in,
//! so that the dashboard can find an area from a postcode.
//!
//! A manifest declares them as `[[postcodes]]` with the file and its column names; see
//! `data/drenthe/manifest.toml`. Codes must name areas of the bundle, so a postcode never
//! points at an area the store does not have.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use leefbaar_model::{AreaCode, Postcode};
use serde::Deserialize;

use crate::csv_rows;
use crate::error::{ImportError, Problem, Problems};
use crate::table::{MAX_INPUT_BYTES, read_limited};

/// How a postcode file's columns map to a [`Postcode`]. `district`, `lon` and `lat` are
/// optional: a lookup without points still finds the municipality.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostcodeSpec {
    /// The file, relative to the manifest.
    pub file: String,
    /// The column with the four digits.
    pub postcode: String,
    /// The column with the place name.
    pub place: String,
    /// The column with the municipality's GM code.
    pub municipality: String,
    /// The column with the district's WK code.
    #[serde(default)]
    pub district: Option<String>,
    /// The columns with the longitude and latitude (WGS84).
    #[serde(default)]
    pub lon: Option<String>,
    /// See `lon`.
    #[serde(default)]
    pub lat: Option<String>,
}

/// Reads a postcode table; every code must be one of `known_areas`.
pub fn read_postcodes(
    path: &Path,
    spec: &PostcodeSpec,
    known_areas: &BTreeSet<AreaCode>,
) -> Result<Vec<Postcode>, ImportError> {
    let bytes = read_limited(path, MAX_INPUT_BYTES)?;
    parse_postcodes(&bytes, &path.display().to_string(), spec, known_areas)
}

/// [`read_postcodes`] on bytes already read; `file` names them in messages.
pub fn parse_postcodes(
    bytes: &[u8],
    file: &str,
    spec: &PostcodeSpec,
    known_areas: &BTreeSet<AreaCode>,
) -> Result<Vec<Postcode>, ImportError> {
    let (mut reader, header) = csv_rows::open(bytes, file)?;
    let column = |name: &str| csv_rows::column(&header, name, file);
    let postcode_at = column(&spec.postcode)?;
    let place_at = column(&spec.place)?;
    let municipality_at = column(&spec.municipality)?;
    let optional = |name: &Option<String>| name.as_deref().map(column).transpose();
    let district_at = optional(&spec.district)?;
    let lon_at = optional(&spec.lon)?;
    let lat_at = optional(&spec.lat)?;

    let mut problems = Problems::new();
    let mut postcodes: BTreeMap<u16, Postcode> = BTreeMap::new();
    for (line, record) in csv_rows::records(&mut reader, &mut problems) {
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let problems_before = problems.list.len() + problems.omitted;
        let mut area = |at: usize, field: &str, level: &str| -> Option<AreaCode> {
            match AreaCode::parse(cell(at)) {
                Ok(code) if known_areas.contains(&code) => Some(code),
                Ok(_) => {
                    problems.push(Problem::at_line(
                        line,
                        Some(field),
                        format!("the code of a {level} of the bundle"),
                        cell(at),
                    ));
                    None
                }
                Err(_) => {
                    problems.push(Problem::at_line(
                        line,
                        Some(field),
                        format!("a {level} code"),
                        cell(at),
                    ));
                    None
                }
            }
        };
        let municipality = area(municipality_at, &spec.municipality, "municipality");
        let district = match (district_at, &spec.district) {
            (Some(at), Some(field)) if !cell(at).is_empty() => area(at, field, "district"),
            _ => None,
        };
        let mut coordinate = |at: Option<usize>, field: &Option<String>, range: (f64, f64)| {
            let (at, field) = (at?, field.as_deref()?);
            match cell(at).parse::<f64>() {
                Ok(value) if (range.0..=range.1).contains(&value) => Some(value),
                _ => {
                    problems.push(Problem::at_line(
                        line,
                        Some(field),
                        format!("a number between {} and {}", range.0, range.1),
                        cell(at),
                    ));
                    None
                }
            }
        };
        let lon = coordinate(lon_at, &spec.lon, (-180.0, 180.0));
        let lat = coordinate(lat_at, &spec.lat, (-90.0, 90.0));
        let Some(pc4) =
            Postcode::parse_pc4(cell(postcode_at)).filter(|_| cell(postcode_at).len() == 4)
        else {
            problems.push(Problem::at_line(
                line,
                Some(&spec.postcode),
                "four digits, 1000–9999",
                cell(postcode_at),
            ));
            continue;
        };
        // A row with any bad field is left out, so one problem is not reported twice (as
        // itself and again as a duplicate of the row that repeats it correctly).
        let Some(municipality) =
            municipality.filter(|_| problems.list.len() + problems.omitted == problems_before)
        else {
            continue;
        };
        let place = cell(place_at).to_owned();
        let postcode = Postcode {
            pc4,
            place,
            municipality,
            district,
            point: lon.zip(lat),
        };
        if postcodes.insert(pc4, postcode).is_some() {
            problems.push(Problem::at_line(
                line,
                Some(&spec.postcode),
                "each postcode once",
                cell(postcode_at),
            ));
        }
    }
    problems.into_result(file)?;
    Ok(postcodes.into_values().collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use leefbaar_model::AreaCode;

    use super::{PostcodeSpec, parse_postcodes};

    fn spec() -> PostcodeSpec {
        PostcodeSpec {
            file: "origins.csv".to_owned(),
            postcode: "pc4".to_owned(),
            place: "place".to_owned(),
            municipality: "municipality".to_owned(),
            district: Some("district".to_owned()),
            lon: Some("lon".to_owned()),
            lat: Some("lat".to_owned()),
        }
    }

    fn known() -> BTreeSet<AreaCode> {
        ["GM0106", "WK010601", "GM0114"]
            .iter()
            .map(|c| AreaCode::parse(c).unwrap())
            .collect()
    }

    #[test]
    fn a_postcode_knows_its_municipality_district_and_point() {
        let csv = "pc4,place,municipality,district,lon,lat\n9401,Assen,GM0106,WK010601,6.56,52.99\n7811,Emmen,GM0114,,6.9,52.78\n";
        let postcodes = parse_postcodes(csv.as_bytes(), "origins.csv", &spec(), &known()).unwrap();
        assert_eq!(postcodes.len(), 2);
        assert_eq!(postcodes[0].pc4, 7811);
        assert_eq!(postcodes[0].district, None);
        assert_eq!(postcodes[1].place, "Assen");
        assert_eq!(postcodes[1].district.as_ref().unwrap().as_str(), "WK010601");
        assert_eq!(postcodes[1].point, Some((6.56, 52.99)));
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_field() {
        let csv = "pc4,place,municipality,district,lon,lat\n940,Assen,GM0106,WK010601,6.56,52.99\n9401,Assen,GM9999,,6.5,52.9\n9402,Assen,GM0106,,east,52.9\n9402,Assen,GM0106,,6.5,52.9\n9402,Assen,GM0106,,6.5,52.9\n";
        let error = parse_postcodes(csv.as_bytes(), "origins.csv", &spec(), &known()).unwrap_err();
        let message = error.to_string();
        for expected in [
            "line 2",
            "`pc4`",
            "line 3",
            "`municipality`",
            "line 4",
            "`lon`",
            "line 6",
            "each postcode once",
        ] {
            assert!(message.contains(expected), "{expected} in {message}");
        }
        assert_eq!(error.problems().len(), 4, "{message}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let csv = "postcode,place,municipality\n9401,Assen,GM0106\n";
        let error = parse_postcodes(csv.as_bytes(), "x.csv", &spec(), &known()).unwrap_err();
        assert!(error.to_string().contains("`pc4`"), "{error}");
    }
}
