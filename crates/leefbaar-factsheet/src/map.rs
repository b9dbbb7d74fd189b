//! The map inset: the sheet's area filled among the other areas of its parent (a municipality
//! among the province's municipalities, a district among its municipality's districts), drawn
//! as a small SVG from the boundaries already in the store.
//!
//! Boundaries arrive as GeoJSON geometries in WGS84. An inset covers at most a province, so an
//! equirectangular projection is enough: longitudes are scaled by the cosine of the frame's
//! middle latitude, which keeps shapes true to within about 1 % across Drenthe (52.6°–53.2° N).
//! The projected rings are simplified with Douglas–Peucker (0.8 of a unit in a frame of at most
//! 200 × 240 units) and written as relative steps in tenths, so that the inset of Drenthe's 12
//! municipalities is about 4.7 kB and that of Emmen's 27 districts about 7 kB of SVG.

use std::fmt::Write as _;

use leefbaar_model::Area;
use serde_json::Value;

use crate::present::{escape, level_name, level_plural};
use crate::{Lang, MapInset, MapShape};

/// The largest drawing, in SVG user units (the HTML scales it; the PDF places it at 42 mm).
const MAX_WIDTH: f64 = 200.0;
const MAX_HEIGHT: f64 = 240.0;
const PADDING: f64 = 3.0;
/// Douglas–Peucker tolerance in drawing units: printed 38 mm wide (0.19 mm per unit) the error
/// stays below 0.16 mm, and on screen (8.5 rem, 136 px) near half a pixel.
const TOLERANCE: f64 = 0.8;
/// A selected area smaller than this (in both directions) gets a ring around it so that it can
/// be found.
const SMALL: f64 = 8.0;

const AREA_FILL: &str = "#1f4e79";
const OTHER_FILL: &str = "#eef1f4";
/// Outlines at 4.8:1 against white and 4.3:1 against the other areas' fill.
const OUTLINE: &str = "#6b7280";

type Ring = Vec<(f64, f64)>;

/// The inset of `area` among `map_areas` (which include `area`), or `None` when the area has no
/// usable boundary.
pub(crate) fn inset(
    area: &Area,
    parent: Option<&Area>,
    map_areas: &[Area],
    lang: Lang,
) -> Option<MapInset> {
    let mut polygons: Vec<(&Area, Vec<Ring>)> = Vec::new();
    for candidate in map_areas {
        let Some(geometry) = candidate.geometry_geojson.as_deref() else {
            continue;
        };
        let rings = rings(geometry);
        if !rings.is_empty() {
            polygons.push((candidate, rings));
        }
    }
    if !polygons.iter().any(|(a, _)| a.code == area.code) {
        return None;
    }
    // The frame: every drawn area, projected around the middle latitude.
    let (mut lon_lo, mut lon_hi, mut lat_lo, mut lat_hi) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for (lon, lat) in polygons.iter().flat_map(|(_, r)| r.iter().flatten()) {
        lon_lo = lon_lo.min(*lon);
        lon_hi = lon_hi.max(*lon);
        lat_lo = lat_lo.min(*lat);
        lat_hi = lat_hi.max(*lat);
    }
    let cos = f64::midpoint(lat_lo, lat_hi).to_radians().cos();
    let span_x = ((lon_hi - lon_lo) * cos).max(1e-9);
    let span_y = (lat_hi - lat_lo).max(1e-9);
    let scale = ((MAX_WIDTH - 2.0 * PADDING) / span_x).min((MAX_HEIGHT - 2.0 * PADDING) / span_y);
    let width = (span_x * scale + 2.0 * PADDING).ceil();
    let height = (span_y * scale + 2.0 * PADDING).ceil();
    let project = |(lon, lat): (f64, f64)| {
        (
            PADDING + (lon - lon_lo) * cos * scale,
            PADDING + (lat_hi - lat) * scale,
        )
    };

    let mut shapes = Vec::with_capacity(polygons.len());
    for (candidate, rings) in &polygons {
        let selected = candidate.code == area.code;
        let mut d = String::new();
        let (mut x_lo, mut x_hi, mut y_lo, mut y_hi) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for ring in rings {
            let projected: Ring = ring.iter().copied().map(project).collect();
            let simple = simplify_ring(&projected, TOLERANCE);
            if simple.len() < 4 && !selected {
                // A ring smaller than the tolerance would draw as a speck.
                continue;
            }
            let simple = if simple.len() < 4 { projected } else { simple };
            // The first point absolute, the others relative to the one before, in tenths
            // rounded once so that the steps add up exactly.
            let mut previous = (0, 0);
            let mut steps = 0;
            for (i, (x, y)) in simple.iter().enumerate() {
                x_lo = x_lo.min(*x);
                x_hi = x_hi.max(*x);
                y_lo = y_lo.min(*y);
                y_hi = y_hi.max(*y);
                // The closing point repeats the first: `Z` draws that edge.
                if i + 1 == simple.len() {
                    break;
                }
                let tenths = (tenths(*x), tenths(*y));
                if i == 0 {
                    let _ = write!(d, "M{},{}", Tenths(tenths.0), Tenths(tenths.1));
                } else {
                    let (dx, dy) = (tenths.0 - previous.0, tenths.1 - previous.1);
                    if (dx, dy) == (0, 0) {
                        continue;
                    }
                    let _ = write!(
                        d,
                        "{}{}{}{}",
                        if steps == 0 {
                            "l"
                        } else if dx < 0 {
                            ""
                        } else {
                            " "
                        },
                        Tenths(dx),
                        if dy < 0 { "" } else { "," },
                        Tenths(dy)
                    );
                    steps += 1;
                }
                previous = tenths;
            }
            d.push('Z');
        }
        if d.is_empty() {
            continue;
        }
        shapes.push(MapShape {
            code: candidate.code.as_str().to_owned(),
            name: candidate.name.clone(),
            selected,
            d,
            marker: (selected && x_hi - x_lo < SMALL && y_hi - y_lo < SMALL)
                .then(|| (f64::midpoint(x_lo, x_hi), f64::midpoint(y_lo, y_hi))),
        });
    }
    // The selected area last, so that its outline lies on top of its neighbours'.
    shapes.sort_by_key(|s| s.selected);

    let others = shapes.len().saturating_sub(1);
    let name = &area.name;
    let parent_name = parent.map(|p| p.name.as_str());
    // "the 9 other districts of Assen are outlined", or "the other district … is" for one.
    let (one, many) = (
        level_name(area.level(), lang),
        level_plural(area.level(), lang),
    );
    let of_nl = parent_name.map_or(String::new(), |p| format!(" van {p}"));
    let of_en = parent_name.map_or(String::new(), |p| format!(" of {p}"));
    let (title, description) = match lang {
        Lang::Nl => (
            parent_name.map_or_else(
                || format!("Kaart: ligging van {name}"),
                |p| format!("Kaart: ligging van {name} in {p}"),
            ),
            match others {
                0 => format!("{name} is gevuld."),
                1 => format!("{name} is gevuld; de andere {one}{of_nl} is omlijnd."),
                n => format!("{name} is gevuld; de {n} andere {many}{of_nl} zijn omlijnd."),
            },
        ),
        Lang::En => (
            parent_name.map_or_else(
                || format!("Map: location of {name}"),
                |p| format!("Map: location of {name} in {p}"),
            ),
            match others {
                0 => format!("{name} is filled."),
                1 => format!("{name} is filled; the other {one}{of_en} is outlined."),
                n => format!("{name} is filled; the {n} other {many}{of_en} are outlined."),
            },
        ),
    };
    Some(MapInset {
        title,
        description,
        // "in" is the same word in Dutch and English.
        caption: parent_name.map_or_else(|| name.clone(), |p| format!("{name} in {p}")),
        width,
        height,
        shapes,
    })
}

/// A drawing coordinate in whole tenths of a unit.
#[expect(
    clippy::cast_possible_truncation,
    reason = "drawing coordinates lie within 0..=240 units"
)]
fn tenths(value: f64) -> i32 {
    (value * 10.0).round() as i32
}

/// Tenths of a unit written as a decimal number without a trailing `.0` (`-12` is -1.2).
struct Tenths(i32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let (whole, tenth) = (self.0.abs() / 10, self.0.abs() % 10);
        if tenth == 0 {
            write!(f, "{sign}{whole}")
        } else if whole == 0 {
            // SVG path data accepts `.5` for 0.5.
            write!(f, "{sign}.{tenth}")
        } else {
            write!(f, "{sign}{whole}.{tenth}")
        }
    }
}

/// Renders the inset as a standalone SVG element with its text alternative; `id` prefixes the
/// element ids.
pub(crate) fn svg(map: &MapInset, id: &str) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#,
        w = map.width,
        h = map.height,
        title = escape(&map.title),
        desc = escape(&map.description),
    );
    let _ = write!(
        out,
        r#"<g fill="{OTHER_FILL}" stroke="{OUTLINE}" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">"#
    );
    for shape in &map.shapes {
        if shape.selected {
            let _ = write!(
                out,
                r#"<path d="{d}" fill="{AREA_FILL}" stroke="{AREA_FILL}" stroke-width="1"><title>{name}</title></path>"#,
                d = shape.d,
                name = escape(&shape.name),
            );
        } else {
            let _ = write!(
                out,
                r#"<path d="{d}"><title>{name}</title></path>"#,
                d = shape.d,
                name = escape(&shape.name),
            );
        }
    }
    out.push_str("</g>");
    for shape in &map.shapes {
        if let Some((x, y)) = shape.marker {
            let _ = write!(
                out,
                r#"<circle cx="{}" cy="{}" r="{SMALL}" fill="none" stroke="{AREA_FILL}" stroke-width="1.5"/>"#,
                Tenths(tenths(x)),
                Tenths(tenths(y)),
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The rings (outer and holes) of a GeoJSON `Polygon` or `MultiPolygon` as (lon, lat) pairs;
/// empty for anything else or anything malformed (boundaries were validated on import).
fn rings(geometry: &str) -> Vec<Ring> {
    let Ok(value) = serde_json::from_str::<Value>(geometry) else {
        return Vec::new();
    };
    let ring = |value: &Value| -> Option<Ring> {
        value
            .as_array()?
            .iter()
            .map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
            .collect()
    };
    let polygon = |value: &Value| -> Vec<Ring> {
        value
            .as_array()
            .map(|rings| rings.iter().filter_map(ring).collect())
            .unwrap_or_default()
    };
    let coordinates = &value["coordinates"];
    match value["type"].as_str() {
        Some("Polygon") => polygon(coordinates),
        Some("MultiPolygon") => coordinates
            .as_array()
            .map(|polygons| polygons.iter().flat_map(polygon).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Douglas–Peucker on a closed ring (first point = last point): the ring is split at the point
/// farthest from its start, and both halves are simplified as lines, so that the result stays a
/// closed ring.
///
/// # References
/// Douglas, D. H. & Peucker, T. K. (1973). Algorithms for the reduction of the number of points
/// required to represent a digitized line or its caricature. *Cartographica* 10(2), 112–122.
/// <https://doi.org/10.3138/FM57-6770-U75U-7727>
fn simplify_ring(ring: &[(f64, f64)], tolerance: f64) -> Ring {
    if ring.len() < 4 {
        return ring.to_vec();
    }
    let start = ring[0];
    let far = (1..ring.len() - 1)
        .max_by(|&a, &b| dist2(ring[a], start).total_cmp(&dist2(ring[b], start)))
        .unwrap_or(1);
    let mut keep = vec![false; ring.len()];
    keep[0] = true;
    keep[far] = true;
    keep[ring.len() - 1] = true;
    let mut stack = vec![(0, far), (far, ring.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let mut worst = (0.0, first);
        for i in first + 1..last {
            let d = segment_distance(ring[i], ring[first], ring[last]);
            if d > worst.0 {
                worst = (d, i);
            }
        }
        if worst.0 > tolerance {
            keep[worst.1] = true;
            stack.push((first, worst.1));
            stack.push((worst.1, last));
        }
    }
    ring.iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| *p)
        .collect()
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

/// The distance from `p` to the segment `a`–`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let length2 = dist2(a, b);
    if length2 == 0.0 {
        return dist2(p, a).sqrt();
    }
    let t = (((p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1)) / length2).clamp(0.0, 1.0);
    dist2(p, (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use leefbaar_model::{AreaCode, Year};

    fn area(code: &str, name: &str, geometry: &str) -> Area {
        Area {
            code: AreaCode::parse(code).unwrap(),
            name: name.to_owned(),
            parent: None,
            first_year: Year::new(2024).unwrap(),
            last_year: Year::new(2024).unwrap(),
            geometry_geojson: Some(geometry.to_owned()),
        }
    }

    #[test]
    fn a_ring_keeps_its_corners_and_drops_points_on_straight_edges() {
        let square = [
            (0.0, 0.0),
            (5.0, 0.1),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ];
        assert_eq!(
            simplify_ring(&square, 0.5),
            vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0)
            ]
        );
    }

    #[test]
    fn the_area_is_filled_among_its_neighbours_with_a_text_alternative() {
        let west = area(
            "WK010600",
            "West",
            r#"{"type":"Polygon","coordinates":[[[6.5,53.0],[6.55,53.0],[6.55,53.05],[6.5,53.05],[6.5,53.0]]]}"#,
        );
        let east = area(
            "WK010601",
            "Oost",
            r#"{"type":"MultiPolygon","coordinates":[[[[6.55,53.0],[6.6,53.0],[6.6,53.05],[6.55,53.05],[6.55,53.0]]]]}"#,
        );
        // A speck far below the tolerance: dropped, with its area.
        let speck = area(
            "WK010602",
            "Stip",
            r#"{"type":"Polygon","coordinates":[[[6.52,53.02],[6.52001,53.02],[6.52001,53.02001],[6.52,53.02]]]}"#,
        );
        let mut parent = area("GM0106", "Assen", "{}");
        parent.geometry_geojson = None;
        let map = inset(&east, Some(&parent), &[west, speck, east.clone()], Lang::En).unwrap();
        assert_eq!(map.title, "Map: location of Oost in Assen");
        assert_eq!(
            map.description,
            "Oost is filled; the other district of Assen is outlined."
        );
        // The frame is 0.1° of longitude by 0.05° of latitude; at 53° N a degree of longitude
        // is cos(53°) ≈ 0.60 of a degree of latitude, so the drawing is 1.2 times as wide as
        // high: 194 by 161.3 units inside a padding of 3.
        assert_eq!((map.width, map.height), (200.0, 168.0));
        assert_eq!(map.shapes.len(), 2);
        assert!(map.shapes[1].selected, "the selected area is drawn last");
        assert_eq!(map.shapes[1].d, "M100,164.3l97,0 0-161.3-97,0Z");
        let svg = svg(&map, "map");
        assert!(svg.contains(r#"role="img" aria-labelledby="map-t map-d""#));
        assert!(svg.contains(r##"fill="#1f4e79""##));
    }

    #[test]
    fn an_area_without_a_boundary_has_no_inset() {
        let mut lone = area("GM0106", "Assen", "{}");
        lone.geometry_geojson = None;
        assert!(inset(&lone, None, std::slice::from_ref(&lone), Lang::Nl).is_none());
    }
}
