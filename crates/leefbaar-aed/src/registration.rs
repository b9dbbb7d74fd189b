//! AED registrations: where an AED hangs, whether it is inside a building, when it can be
//! reached (OSM `opening_hours` syntax, parsed by the `opening-hours` crate) and whether the
//! public may use it. Read from OpenStreetMap (`emergency=defibrillator` nodes) or from a
//! register CSV.

use std::path::Path;

use leefbaar_network::Wgs84Point;
use opening_hours::OpeningHours;
use osmpbf::{Element, ElementReader};

use crate::error::{AedError, OsmFinding};

/// Inside or outside a building.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Outside (`indoor=no`): a cabinet on a wall, meant to be reachable at any hour.
    Outdoor,
    /// Inside a building (`indoor=yes`): reachable when the building is open.
    Indoor,
    /// Not stated.
    Unknown,
}

/// When an AED can be reached.
#[derive(Debug, Clone)]
pub enum Hours {
    /// Day and night (`opening_hours=24/7`).
    Always,
    /// By its `opening_hours`.
    Schedule(OpeningHours),
    /// No hours stated.
    Unstated,
}

/// One AED.
#[derive(Debug, Clone)]
pub struct Aed {
    /// `node/<id>` for OpenStreetMap, the register's id otherwise.
    pub id: String,
    /// Where it hangs.
    pub point: Wgs84Point,
    /// Inside or outside.
    pub placement: Placement,
    /// When it can be reached.
    pub hours: Hours,
    /// False when its owner keeps it for private use (`access=private` or `no`).
    pub public: bool,
    /// True when it is registered with the alert system (a register's `registered` column);
    /// OpenStreetMap does not know, and says `false`.
    pub registered: bool,
}

fn parse_hours(text: &str) -> Result<Hours, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Hours::Unstated);
    }
    if text == "24/7" {
        return Ok(Hours::Always);
    }
    text.parse::<OpeningHours>()
        .map(Hours::Schedule)
        .map_err(|e| format!("`{text}` is not in the OSM opening_hours syntax ({e})"))
}

fn placement(indoor: Option<&str>) -> Result<Placement, String> {
    match indoor.map(str::trim) {
        None | Some("") => Ok(Placement::Unknown),
        Some("yes") => Ok(Placement::Indoor),
        Some("no") => Ok(Placement::Outdoor),
        Some(other) => Err(format!("expected `yes`, `no` or nothing, found `{other}`")),
    }
}

/// Every `emergency=defibrillator` node of the extract at `path`, in OSM id order, with the
/// problems of tags that could not be used (the AED is kept; a bad `opening_hours` counts as
/// unstated, a bad `indoor` as unknown).
pub fn read_osm(path: &Path) -> Result<(Vec<Aed>, Vec<OsmFinding>), AedError> {
    let file = fs_err::File::open(path)?;
    let mut aeds = Vec::new();
    let mut findings = Vec::new();
    let mut take = |id: i64, lon: f64, lat: f64, tags: &[(&str, &str)]| {
        let tag = |key: &str| tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        if tag("emergency") != Some("defibrillator") {
            return;
        }
        let osm = format!("node/{id}");
        let mut finding = |field: &str, message: String| {
            findings.push(OsmFinding {
                path: path.to_owned(),
                osm: osm.clone(),
                field: field.to_owned(),
                message,
            });
        };
        let hours = parse_hours(tag("opening_hours").unwrap_or("")).unwrap_or_else(|message| {
            finding("opening_hours", format!("{message}; taken as unstated"));
            Hours::Unstated
        });
        let placement = placement(tag("indoor")).unwrap_or_else(|message| {
            finding("indoor", format!("{message}; taken as unknown"));
            Placement::Unknown
        });
        aeds.push(Aed {
            id: osm.clone(),
            point: Wgs84Point::new(lon, lat),
            placement,
            hours,
            public: !matches!(tag("access"), Some("private" | "no")),
            registered: false,
        });
    };
    ElementReader::new(std::io::BufReader::new(file))
        .for_each(|element| match element {
            Element::DenseNode(node) => {
                let tags: Vec<(&str, &str)> = node.tags().collect();
                take(node.id(), node.lon(), node.lat(), &tags);
            }
            Element::Node(node) => {
                let tags: Vec<(&str, &str)> = node.tags().collect();
                take(node.id(), node.lon(), node.lat(), &tags);
            }
            _ => {}
        })
        .map_err(|e| AedError::Pbf {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
    aeds.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((aeds, findings))
}

/// The columns of a register CSV.
pub const REGISTER_COLUMNS: [&str; 7] = [
    "id",
    "lon",
    "lat",
    "indoor",
    "opening_hours",
    "access",
    "registered",
];

/// Reads a register CSV (`id, lon, lat, indoor, opening_hours, access, registered`): all or
/// nothing, the first bad record stops it with its file, line and field.
pub fn read_register(path: &Path) -> Result<Vec<Aed>, AedError> {
    parse_register(&fs_err::read(path)?, path)
}

/// [`read_register`] on bytes already read; `path` names them in messages.
pub fn parse_register(bytes: &[u8], path: &Path) -> Result<Vec<Aed>, AedError> {
    let mut reader = csv::Reader::from_reader(bytes);
    let record_error = |line: u64, field: &str, message: String| AedError::Record {
        path: path.to_owned(),
        line,
        field: field.to_owned(),
        message,
    };
    let headers = reader
        .headers()
        .map_err(|e| record_error(1, "", e.to_string()))?
        .clone();
    let mut index = [0usize; REGISTER_COLUMNS.len()];
    for (i, column) in REGISTER_COLUMNS.iter().enumerate() {
        index[i] = headers
            .iter()
            .position(|h| h.trim() == *column)
            .ok_or_else(|| record_error(1, column, "the column is missing".to_owned()))?;
    }
    let mut aeds = Vec::new();
    let mut ids = std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            record_error(line, "", e.to_string())
        })?;
        let line = row.position().map_or(0, csv::Position::line);
        let get = |i: usize| row.get(index[i]).unwrap_or("").trim();
        let id = get(0);
        if id.is_empty() {
            return Err(record_error(
                line,
                "id",
                "expected an id, found nothing".to_owned(),
            ));
        }
        if let Some(first) = ids.insert(id.to_owned(), line) {
            return Err(record_error(
                line,
                "id",
                format!("`{id}` is listed twice (first on line {first})"),
            ));
        }
        let coordinate = |i: usize, range: std::ops::RangeInclusive<f64>| {
            get(i)
                .parse::<f64>()
                .ok()
                .filter(|v| range.contains(v))
                .ok_or_else(|| {
                    record_error(
                        line,
                        REGISTER_COLUMNS[i],
                        format!(
                            "expected WGS84 degrees in {}..={}, found `{}`",
                            range.start(),
                            range.end(),
                            get(i)
                        ),
                    )
                })
        };
        let point = Wgs84Point::new(coordinate(1, -180.0..=180.0)?, coordinate(2, -90.0..=90.0)?);
        let placement =
            placement(Some(get(3))).map_err(|message| record_error(line, "indoor", message))?;
        let hours =
            parse_hours(get(4)).map_err(|message| record_error(line, "opening_hours", message))?;
        let public = match get(5) {
            "" | "yes" | "public" => true,
            "private" | "no" => false,
            other => {
                return Err(record_error(
                    line,
                    "access",
                    format!("expected `yes`, `private`, `no` or nothing, found `{other}`"),
                ));
            }
        };
        let registered = match get(6) {
            "yes" => true,
            "no" => false,
            other => {
                return Err(record_error(
                    line,
                    "registered",
                    format!("expected `yes` or `no`, found `{other}`"),
                ));
            }
        };
        aeds.push(Aed {
            id: id.to_owned(),
            point,
            placement,
            hours,
            public,
            registered,
        });
    }
    Ok(aeds)
}
