//! Where people live in an OpenStreetMap extract, when no population register is at hand: every
//! address, a node or a way (usually a building) tagged `addr:housenumber`. A way's point is the
//! mean of its nodes. Used as population points for extracts the bundle has no grid for, such as
//! the Delft fixture of the end-to-end network test; each address stands for a household, not a
//! known number of persons.

use std::path::Path;

use osmpbf::Element;

use super::{node_positions, pbf_error, reader};
use crate::error::NetworkError;
use crate::geo::Wgs84Point;

/// One address of an extract.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressPoint {
    /// `node/<id>` or `way/<id>`: where to find it in OpenStreetMap.
    pub osm: String,
    /// The node, or the mean of the way's nodes.
    pub point: Wgs84Point,
}

const HOUSENUMBER: &str = "addr:housenumber";

/// Every address of the extract at `path`, nodes first then ways, each in OSM id order. Ways
/// with a node missing from the file (clipped at the extract's edge) are placed by the nodes
/// that are there, and left out when none are.
pub fn address_points(path: &Path) -> Result<Vec<AddressPoint>, NetworkError> {
    let mut nodes = Vec::new();
    let mut ways: Vec<(i64, Vec<i64>)> = Vec::new();
    reader(path)?
        .for_each(|element| match element {
            Element::DenseNode(node) if node.tags().any(|(k, _)| k == HOUSENUMBER) => {
                nodes.push((node.id(), Wgs84Point::new(node.lon(), node.lat())));
            }
            Element::Node(node) if node.tags().any(|(k, _)| k == HOUSENUMBER) => {
                nodes.push((node.id(), Wgs84Point::new(node.lon(), node.lat())));
            }
            Element::Way(way) if way.tags().any(|(k, _)| k == HOUSENUMBER) => {
                let mut refs: Vec<i64> = way.refs().collect();
                // A closed ring lists its first node again at the end.
                if refs.len() > 1 && refs.first() == refs.last() {
                    refs.pop();
                }
                ways.push((way.id(), refs));
            }
            _ => {}
        })
        .map_err(|e| pbf_error(path, &e))?;
    let positions = node_positions(path, ways.iter().flat_map(|(_, r)| r.iter().copied()))?;
    nodes.sort_by_key(|(id, _)| *id);
    ways.sort_by_key(|(id, _)| *id);
    let mut points: Vec<AddressPoint> = nodes
        .into_iter()
        .map(|(id, point)| AddressPoint {
            osm: format!("node/{id}"),
            point,
        })
        .collect();
    for (id, refs) in ways {
        let found: Vec<Wgs84Point> = refs
            .iter()
            .filter_map(|r| {
                positions
                    .binary_search_by_key(r, |(node, _)| *node)
                    .ok()
                    .map(|i| positions[i].1)
            })
            .collect();
        if found.is_empty() {
            continue;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "a way has far fewer than 2^52 nodes"
        )]
        let n = found.len() as f64;
        points.push(AddressPoint {
            osm: format!("way/{id}"),
            point: Wgs84Point::new(
                found.iter().map(|p| p.lon).sum::<f64>() / n,
                found.iter().map(|p| p.lat).sum::<f64>() / n,
            ),
        });
    }
    Ok(points)
}
