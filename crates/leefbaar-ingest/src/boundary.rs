//! The GeoJSON boundary reader: area polygons in WGS84 or RD New, checked and returned as model
//! [`Area`]s with a WGS84 GeoJSON geometry.
//!
//! CBS and Kadaster publish boundaries in RD New (EPSG:28992, metres); web maps want WGS84
//! (EPSG:4326, degrees). Files name their CRS in the pre-RFC 7946 `crs` member or not at all;
//! without it we tell the two apart by magnitude, since RD coordinates in the Netherlands are
//! tens of thousands of metres and WGS84 ones below 180. Output coordinates are rounded to 5
//! decimals (about 1 m), which is finer than the generalised CBS layers and keeps files small.
//!
//! Every feature is checked like geo's validation does for rings (closed, at least four
//! positions, numeric and in range), and every problem is reported with the feature's index and
//! code. The same module also reads a FeatureCollection's properties as a [`Table`], because
//! some sources (the 2024 district map) carry their statistics there.

use std::collections::HashMap;
use std::path::Path;

use leefbaar_model::{Area, AreaCode, AreaLevel, Year};
use serde_json::Value;

use crate::error::{ImportError, Position, Problem, Problems};
use crate::table::{Convention, MAX_INPUT_BYTES, Table, TableSpec, build_table, read_limited};

/// A coordinate reference system the reader understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crs {
    /// WGS84 longitude/latitude in degrees (EPSG:4326, OGC CRS84).
    Wgs84,
    /// Amersfoort / RD New in metres (EPSG:28992).
    RdNew,
}

/// How to read a boundary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundarySpec {
    /// The property holding the CBS area code (`gemeentecode`, `wijkcode`, `statcode`).
    pub code_property: String,
    /// Put in front of the code property to make the code, for files that hold it without its
    /// level prefix, as text or as a number (`PC` and the PC4 polygons' `"postcode": 9401.0`
    /// give `PC9401`).
    pub code_prefix: Option<String>,
    /// The property holding the name; `None` (or an absent property) names the area by its code.
    pub name_property: Option<String>,
    /// The CRS; `None` takes it from the `crs` member or detects it from the coordinates.
    pub crs: Option<Crs>,
    /// The first and last year the boundaries are valid for; they become the areas' years.
    pub years: (Year, Year),
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
}

impl BoundarySpec {
    /// A spec for `code_property`, valid in `year` only, with names taken from `name_property`.
    pub fn new(code_property: &str, name_property: Option<&str>, year: Year) -> BoundarySpec {
        BoundarySpec {
            code_property: code_property.to_owned(),
            code_prefix: None,
            name_property: name_property.map(str::to_owned),
            crs: None,
            years: (year, year),
            max_bytes: MAX_INPUT_BYTES,
        }
    }
}

/// Reads a FeatureCollection of (Multi)Polygons into areas with WGS84 geometry.
///
/// Parents are derived from the code where the code allows it (a district's municipality, a
/// neighbourhood's district); municipalities and provinces get `None`, to be filled by the
/// caller from a classification table.
pub fn read_boundaries(path: &Path, spec: &BoundarySpec) -> Result<Vec<Area>, ImportError> {
    let bytes = read_limited(path, spec.max_bytes)?;
    parse_boundaries(&bytes, &path.display().to_string(), spec)
}

/// Parses boundaries from bytes; `file` names them in messages.
pub fn parse_boundaries(
    bytes: &[u8],
    file: &str,
    spec: &BoundarySpec,
) -> Result<Vec<Area>, ImportError> {
    let mut problems = Problems::new();
    let features = feature_array(bytes, file, &mut problems)?;
    let declared_crs = match spec.crs {
        Some(crs) => Some(crs),
        None => declared_crs(bytes, &mut problems),
    };

    // First pass: read and check the shape of every geometry, so the CRS can be detected from
    // all coordinates before any range check.
    let mut parsed = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let properties = feature.get("properties").and_then(Value::as_object);
        let property = properties.and_then(|properties| properties.get(&spec.code_property));
        let code_text = match (property, &spec.code_prefix) {
            (Some(Value::String(text)), None) => Some(text.clone()),
            // A code without its prefix may be a number (`9401.0`): its digits are the code's.
            (Some(Value::String(text)), Some(prefix)) => Some(format!(
                "{prefix}{}",
                crate::table::whole_number_digits(text.trim())
            )),
            (Some(Value::Number(number)), Some(prefix)) => Some(format!(
                "{prefix}{}",
                crate::table::whole_number_digits(&number.to_string())
            )),
            _ => None,
        };
        let position = Position::Feature {
            index,
            code: code_text.clone(),
        };
        let problem = |field: &str, expected: &str, found: String| Problem {
            position: position.clone(),
            field: Some(field.to_owned()),
            found,
            expected: expected.to_owned(),
        };
        let code = match code_text.as_deref().map(AreaCode::parse) {
            Some(Ok(code)) => Some(code),
            Some(Err(_)) => {
                let (expected, found) = match (&spec.code_prefix, property) {
                    (Some(prefix), Some(property)) => (
                        format!(
                            "the digits of a CBS area code without its prefix `{prefix}` (such as `9401` for `{prefix}9401`)"
                        ),
                        match property {
                            Value::String(text) => text.clone(),
                            other => other.to_string(),
                        },
                    ),
                    _ => (
                        "a CBS area code (PV + 2, GM + 4, WK + 6, BU + 8 or PC + 4 digits)"
                            .to_owned(),
                        code_text.clone().unwrap_or_default(),
                    ),
                };
                problems.push(problem(&spec.code_property, &expected, found));
                None
            }
            None => {
                let found =
                    property.map_or_else(|| "no such property".to_owned(), Value::to_string);
                let expected = if spec.code_prefix.is_some() {
                    "a code as a string or a whole number"
                } else {
                    "a code as a string"
                };
                problems.push(problem(&spec.code_property, expected, found));
                None
            }
        };
        let name = spec
            .name_property
            .as_ref()
            .and_then(|property| properties?.get(property)?.as_str())
            .map(str::to_owned);
        let geometry = match read_geometry(feature.get("geometry")) {
            Ok(geometry) => Some(geometry),
            Err((expected, found)) => {
                problems.push(problem("geometry", &expected, found));
                None
            }
        };
        parsed.push((position, code, name, geometry));
    }

    let crs = declared_crs.unwrap_or_else(|| {
        // A majority vote, so one wild coordinate in a WGS84 file is reported as out of range
        // rather than turning the whole file into RD.
        let (mut n_projected, mut n_total) = (0_usize, 0_usize);
        for [x, y] in parsed
            .iter()
            .filter_map(|(.., geometry)| geometry.as_ref())
            .flat_map(Geometry::positions)
        {
            n_total += 1;
            n_projected += usize::from(x.abs() > 180.0 || y.abs() > 90.0);
        }
        if n_projected * 2 > n_total {
            Crs::RdNew
        } else {
            Crs::Wgs84
        }
    });
    let reprojection = match crs {
        Crs::RdNew => Some(RdToWgs84::new()),
        Crs::Wgs84 => None,
    };

    let mut areas = Vec::new();
    let mut first_index_of_code: HashMap<AreaCode, usize> = HashMap::new();
    for (position, code, name, geometry) in parsed {
        let (Some(code), Some(mut geometry)) = (code, geometry) else {
            continue;
        };
        let Position::Feature { index, .. } = position else {
            continue;
        };
        if let Some(first) = first_index_of_code.get(&code) {
            problems.push(Problem {
                position,
                field: Some(spec.code_property.clone()),
                found: code.to_string(),
                expected: format!("each code once, not a second time (first in feature {first})"),
            });
            continue;
        }
        first_index_of_code.insert(code.clone(), index);
        if let Some([x, y]) = geometry.positions().find(|&point| !in_range(crs, point)) {
            problems.push(Problem {
                position,
                field: Some("geometry".to_owned()),
                found: format!("[{x}, {y}]"),
                expected: match crs {
                    Crs::Wgs84 => "WGS84 coordinates (longitude −180…180, latitude −90…90)",
                    Crs::RdNew => "RD New coordinates (x −7000…300000, y 289000…629000)",
                }
                .to_owned(),
            });
            continue;
        }
        if let Some(reprojection) = &reprojection {
            match geometry.map_positions(|point| reprojection.apply(point)) {
                Ok(wgs84) => geometry = wgs84,
                Err(found) => {
                    problems.push(Problem {
                        position,
                        field: Some("geometry".to_owned()),
                        found,
                        expected: "an RD New coordinate that can be reprojected".to_owned(),
                    });
                    continue;
                }
            }
        }
        let parent = match code.level() {
            AreaLevel::District => code.municipality(),
            AreaLevel::Neighbourhood => code.district(),
            _ => None,
        };
        areas.push(Area {
            name: name.unwrap_or_else(|| code.to_string()),
            code,
            parent,
            first_year: spec.years.0,
            last_year: spec.years.1,
            geometry_geojson: Some(geometry.to_geojson()),
        });
    }
    // Shape problems were found in the first pass and range problems in the second; users read
    // a file top to bottom, so the list is put in feature order.
    problems.list.sort_by_key(|problem| match problem.position {
        Position::Feature { index, .. } => index,
        _ => 0,
    });
    problems.into_result(file).map(|()| areas)
}

/// Reads the properties of a FeatureCollection as a table: one row per feature, one column per
/// property of the first feature that has the declared columns.
///
/// A row's `line` is the feature's 0-based index + 1 (there is no header line in GeoJSON). JSON
/// numbers are taken as they are; strings are parsed like cells of a comma-separated table, so
/// CBS symbols (`.`, `x`) keep their meaning; `null` or an absent property is an empty cell.
pub fn read_properties_table(path: &Path, spec: &TableSpec) -> Result<Table, ImportError> {
    let bytes = read_limited(path, spec.max_bytes)?;
    parse_properties_table(&bytes, &path.display().to_string(), spec)
}

/// Parses a FeatureCollection's properties as a table; see [`read_properties_table`].
pub fn parse_properties_table(
    bytes: &[u8],
    file: &str,
    spec: &TableSpec,
) -> Result<Table, ImportError> {
    let mut problems = Problems::new();
    let features = feature_array(bytes, file, &mut problems)?;
    // The header is the union of property names in first-seen order, so a property absent from
    // some features is an empty cell there rather than a shifted column.
    let mut header: Vec<String> = Vec::new();
    for feature in &features {
        if let Some(properties) = feature.get("properties").and_then(Value::as_object) {
            for name in properties.keys() {
                if !header.contains(name) {
                    header.push(name.clone());
                }
            }
        }
    }
    let missing: Vec<String> = std::iter::once(&spec.area_column)
        .chain(&spec.number_columns)
        .chain(&spec.text_columns)
        .filter(|column| !header.contains(column))
        .map(|column| format!("`{column}`"))
        .collect();
    if !missing.is_empty() {
        problems.push(Problem {
            position: Position::File,
            field: None,
            found: header.join(","),
            expected: format!("features with the properties {}", missing.join(", ")),
        });
        return Err(problems.into_error(file));
    }
    let records = features.iter().enumerate().map(|(index, feature)| {
        let properties = feature.get("properties").and_then(Value::as_object);
        let fields = header
            .iter()
            .map(
                |name| match properties.and_then(|properties| properties.get(name)) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                },
            )
            .collect();
        (index as u64 + 1, fields)
    });
    let table = build_table(
        records,
        file,
        header.clone(),
        Convention::Comma,
        spec,
        &mut problems,
    );
    problems.into_result(file).map(|()| table)
}

/// The `features` array of a FeatureCollection, or the error saying why there is none.
fn feature_array(
    bytes: &[u8],
    file: &str,
    problems: &mut Problems,
) -> Result<Vec<Value>, ImportError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        problems.push(Problem::at_line(
            1,
            None,
            "a GeoJSON FeatureCollection",
            "an empty file",
        ));
        return Err(std::mem::replace(problems, Problems::new()).into_error(file));
    }
    let mut document: Value = match serde_json::from_slice(text) {
        Ok(document) => document,
        Err(error) => {
            problems.push(Problem::at_line(
                error.line() as u64,
                None,
                "valid JSON (UTF-8)",
                error.to_string(),
            ));
            return Err(std::mem::replace(problems, Problems::new()).into_error(file));
        }
    };
    let is_collection = document.get("type").and_then(Value::as_str) == Some("FeatureCollection");
    match document.get_mut("features").map(Value::take) {
        Some(Value::Array(features)) if is_collection => Ok(features),
        _ => {
            let found = document
                .get("type")
                .map_or_else(|| "no `type` member".to_owned(), Value::to_string);
            problems.push(Problem {
                position: Position::File,
                field: Some("type".to_owned()),
                found,
                expected: "a FeatureCollection with a `features` array".to_owned(),
            });
            Err(std::mem::replace(problems, Problems::new()).into_error(file))
        }
    }
}

/// The CRS named in the old-style `crs` member, if any; an unknown one is a problem.
fn declared_crs(bytes: &[u8], problems: &mut Problems) -> Option<Crs> {
    let document: Value =
        serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    let name = document
        .get("crs")?
        .get("properties")?
        .get("name")?
        .as_str()?;
    let compact = name.to_ascii_uppercase().replace("::", ":");
    if compact.ends_with("EPSG:28992") {
        Some(Crs::RdNew)
    } else if compact.ends_with("EPSG:4326") || compact.ends_with("CRS84") {
        Some(Crs::Wgs84)
    } else {
        problems.push(Problem {
            position: Position::File,
            field: Some("crs".to_owned()),
            found: name.to_owned(),
            expected: "EPSG:4326 (WGS84), OGC CRS84 or EPSG:28992 (RD New)".to_owned(),
        });
        None
    }
}

fn in_range(crs: Crs, [x, y]: [f64; 2]) -> bool {
    match crs {
        Crs::Wgs84 => (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y),
        Crs::RdNew => (-7_000.0..=300_000.0).contains(&x) && (289_000.0..=629_000.0).contains(&y),
    }
}

/// A polygon as rings of positions; the first ring is the outer boundary.
type Polygon = Vec<Vec<[f64; 2]>>;

/// A checked Polygon or MultiPolygon.
#[derive(Debug, Clone, PartialEq)]
enum Geometry {
    Polygon(Polygon),
    MultiPolygon(Vec<Polygon>),
}

impl Geometry {
    fn polygons(&self) -> &[Polygon] {
        match self {
            Geometry::Polygon(polygon) => std::slice::from_ref(polygon),
            Geometry::MultiPolygon(polygons) => polygons,
        }
    }

    fn positions(&self) -> impl Iterator<Item = [f64; 2]> + '_ {
        self.polygons().iter().flatten().flatten().copied()
    }

    fn map_positions(
        &self,
        mut transform: impl FnMut([f64; 2]) -> Result<[f64; 2], String>,
    ) -> Result<Geometry, String> {
        let mut map_polygon = |polygon: &Polygon| -> Result<Polygon, String> {
            polygon
                .iter()
                .map(|ring| ring.iter().map(|&point| transform(point)).collect())
                .collect()
        };
        Ok(match self {
            Geometry::Polygon(polygon) => Geometry::Polygon(map_polygon(polygon)?),
            Geometry::MultiPolygon(polygons) => Geometry::MultiPolygon(
                polygons
                    .iter()
                    .map(&mut map_polygon)
                    .collect::<Result<_, _>>()?,
            ),
        })
    }

    /// The geometry as a GeoJSON object with coordinates rounded to 5 decimals.
    fn to_geojson(&self) -> String {
        let round = |value: f64| (value * 1e5).round() / 1e5;
        let polygon_json = |polygon: &Polygon| -> Value {
            Value::Array(
                polygon
                    .iter()
                    .map(|ring| {
                        Value::Array(
                            ring.iter()
                                .map(|&[x, y]| serde_json::json!([round(x), round(y)]))
                                .collect(),
                        )
                    })
                    .collect(),
            )
        };
        let (kind, coordinates) = match self {
            Geometry::Polygon(polygon) => ("Polygon", polygon_json(polygon)),
            Geometry::MultiPolygon(polygons) => (
                "MultiPolygon",
                Value::Array(polygons.iter().map(polygon_json).collect()),
            ),
        };
        serde_json::json!({ "type": kind, "coordinates": coordinates }).to_string()
    }
}

/// Reads and checks a geometry; the error is `(expected, found)`.
fn read_geometry(geometry: Option<&Value>) -> Result<Geometry, (String, String)> {
    let geometry = match geometry {
        None | Some(Value::Null) => {
            return Err((
                "a Polygon or MultiPolygon".to_owned(),
                "no geometry".to_owned(),
            ));
        }
        Some(geometry) => geometry,
    };
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coordinates = geometry.get("coordinates");
    match kind {
        "Polygon" => read_polygon(coordinates, "").map(Geometry::Polygon),
        "MultiPolygon" => {
            let Some(Value::Array(polygons)) = coordinates else {
                return Err(("an array of polygons".to_owned(), short_json(coordinates)));
            };
            polygons
                .iter()
                .enumerate()
                .map(|(index, polygon)| read_polygon(Some(polygon), &format!("polygon {index}, ")))
                .collect::<Result<_, _>>()
                .map(Geometry::MultiPolygon)
        }
        _ => Err((
            "geometry type Polygon or MultiPolygon".to_owned(),
            if kind.is_empty() {
                short_json(Some(geometry))
            } else {
                kind.to_owned()
            },
        )),
    }
}

fn read_polygon(polygon: Option<&Value>, prefix: &str) -> Result<Polygon, (String, String)> {
    let Some(Value::Array(rings)) = polygon else {
        return Err((format!("{prefix}an array of rings"), short_json(polygon)));
    };
    if rings.is_empty() {
        return Err((format!("{prefix}at least one ring"), "[]".to_owned()));
    }
    rings
        .iter()
        .enumerate()
        .map(|(ring_index, ring)| {
            let at = format!("{prefix}ring {ring_index}");
            let Value::Array(positions) = ring else {
                return Err((
                    format!("{at}: an array of positions"),
                    short_json(Some(ring)),
                ));
            };
            let points = positions
                .iter()
                .enumerate()
                .map(|(position_index, position)| {
                    let numbers = position.as_array().and_then(|items| {
                        let x = items.first()?.as_f64()?;
                        let y = items.get(1)?.as_f64()?;
                        (items.len() <= 3 && x.is_finite() && y.is_finite()).then_some([x, y])
                    });
                    numbers.ok_or_else(|| {
                        (
                            format!("{at}, position {position_index}: [x, y] numbers"),
                            short_json(Some(position)),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if points.len() < 4 {
                return Err((
                    format!("{at}: at least 4 positions"),
                    format!("{} positions", points.len()),
                ));
            }
            if points.first() != points.last() {
                return Err((
                    format!("{at}: a closed ring (last position equal to the first)"),
                    format!("{:?} … {:?}", points[0], points[points.len() - 1]),
                ));
            }
            Ok(points)
        })
        .collect()
}

fn short_json(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

/// The transformation from RD New (EPSG:28992) to WGS84 (EPSG:4326).
///
/// The `towgs84` parameters are the 7-parameter Helmert transformation EPSG publishes for
/// Amersfoort → WGS84 (EPSG:15739 area of use: onshore Netherlands); it is accurate to about a
/// metre, which is below the rounding of our output.
pub struct RdToWgs84 {
    rd: proj4rs::proj::Proj,
    wgs84: proj4rs::proj::Proj,
}

impl RdToWgs84 {
    const RD_NEW: &'static str = "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 \
        +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel \
        +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs";
    const WGS84: &'static str = "+proj=longlat +ellps=WGS84 +datum=WGS84 +no_defs";

    /// Builds the transformation (the definitions are constants, so this cannot fail).
    pub fn new() -> RdToWgs84 {
        RdToWgs84 {
            rd: proj4rs::proj::Proj::from_proj_string(Self::RD_NEW)
                .expect("valid RD New definition"),
            wgs84: proj4rs::proj::Proj::from_proj_string(Self::WGS84)
                .expect("valid WGS84 definition"),
        }
    }

    /// `[x, y]` in RD metres to `[longitude, latitude]` in degrees.
    pub fn apply(&self, [x, y]: [f64; 2]) -> Result<[f64; 2], String> {
        let mut point = (x, y, 0.0);
        proj4rs::transform::transform(&self.rd, &self.wgs84, &mut point)
            .map_err(|error| format!("[{x}, {y}] ({error})"))?;
        Ok([point.0.to_degrees(), point.1.to_degrees()])
    }
}

impl Default for RdToWgs84 {
    fn default() -> RdToWgs84 {
        RdToWgs84::new()
    }
}
