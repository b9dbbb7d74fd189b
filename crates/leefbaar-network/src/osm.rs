//! Reading OpenStreetMap `.osm.pbf` files and building a profile's street network from them.
//!
//! Reading makes two passes over the file: the first keeps the ways any profile may use (with
//! only the tags the profiles read), the second the coordinates of just the nodes those ways
//! reference. That keeps memory proportional to the road network, not to the whole extract
//! (a Netherlands extract has ~10x more nodes than road nodes). Ways are split into streets at
//! junctions: nodes shared by two or more usable ways, and way ends. The street keeps its full
//! geometry, and its length is the haversine length over all intermediate nodes. Way nodes
//! missing from the file (ways clipped at an extract's edge) split the way there.
//!
//! Everything is kept in OSM id order, so the same file gives the same network, byte for byte.

mod addresses;

pub use addresses::{AddressPoint, address_points};

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use osmpbf::{Element, ElementReader};

use crate::error::NetworkError;
use crate::geo::{Wgs84Point, haversine_m};
use crate::graph::{idx, round_u32};
use crate::network::{Network, StreetDraft};
use crate::profile::{Profile, RELEVANT_KEYS, Tags};

/// One OSM way with the tags the profiles read.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    /// OSM way id.
    pub id: i64,
    /// OSM node ids, in order.
    pub refs: Vec<i64>,
    /// Tags the profiles read (others dropped).
    pub tags: Vec<(String, String)>,
}

/// The routable part of an OSM extract: usable ways and the nodes they reference.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OsmExtract {
    /// Where it was read from (used in error messages).
    pub path: PathBuf,
    /// Node positions by OSM id, sorted by id.
    pub nodes: Vec<(i64, Wgs84Point)>,
    /// Ways, sorted by id.
    pub ways: Vec<OsmWay>,
}

/// Counts from building one profile's network, for logs and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The profile.
    pub profile: Profile,
    /// Ways the profile may use.
    pub ways_used: usize,
    /// Junction nodes before taking the component.
    pub nodes_before: usize,
    /// Streets before taking the component.
    pub streets_before: usize,
    /// Nodes in the largest strongly connected component.
    pub nodes_kept: usize,
    /// Streets in it.
    pub streets_kept: usize,
    /// Way node references with no node in the file (ways clipped at the extract's edge).
    pub missing_node_refs: usize,
}

fn pbf_error(path: &Path, error: &osmpbf::Error) -> NetworkError {
    NetworkError::Pbf {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

fn reader(path: &Path) -> Result<ElementReader<BufReader<fs_err::File>>, NetworkError> {
    let file = fs_err::File::open(path).map_err(|source| NetworkError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(ElementReader::new(BufReader::with_capacity(1 << 20, file)))
}

/// The positions of the nodes `wanted` (ids in any order, repeats allowed) in the file at
/// `path`, sorted by id; ids missing from the file are left out.
fn node_positions(
    path: &Path,
    wanted: impl Iterator<Item = i64>,
) -> Result<Vec<(i64, Wgs84Point)>, NetworkError> {
    let mut wanted: Vec<i64> = wanted.collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut nodes = Vec::new();
    let mut keep = |id: i64, lon: f64, lat: f64| {
        if wanted.binary_search(&id).is_ok() {
            nodes.push((id, Wgs84Point::new(lon, lat)));
        }
    };
    reader(path)?
        .for_each(|element| match element {
            Element::DenseNode(node) => keep(node.id(), node.lon(), node.lat()),
            Element::Node(node) => keep(node.id(), node.lon(), node.lat()),
            _ => {}
        })
        .map_err(|e| pbf_error(path, &e))?;
    nodes.sort_by_key(|(id, _)| *id);
    nodes.dedup_by_key(|(id, _)| *id);
    Ok(nodes)
}

fn keep_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = tags
        .filter(|(k, _)| RELEVANT_KEYS.contains(k))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    kept.sort();
    kept
}

impl OsmExtract {
    /// Reads the routable ways and their nodes from an `.osm.pbf` file.
    pub fn read(path: &Path) -> Result<OsmExtract, NetworkError> {
        // One sequential pass per element type. (Decoding blocks in parallel with osmpbf's
        // `par_map_reduce` measured slower on our shared 2-core machine; revisit on a quiet one.)
        let mut ways = Vec::new();
        reader(path)?
            .for_each(|element| {
                if let Element::Way(way) = element {
                    let tags = keep_tags(way.tags());
                    let owned = Tags(&tags);
                    if Profile::ALL.iter().any(|p| p.way_rule(&owned).is_some()) {
                        ways.push(OsmWay {
                            id: way.id(),
                            refs: way.refs().collect(),
                            tags,
                        });
                    }
                }
            })
            .map_err(|e| pbf_error(path, &e))?;
        ways.sort_by_key(|w| w.id);
        let nodes = node_positions(path, ways.iter().flat_map(|w| w.refs.iter().copied()))?;
        Ok(OsmExtract {
            path: path.to_owned(),
            nodes,
            ways,
        })
    }

    fn position(&self, id: i64) -> Option<Wgs84Point> {
        self.nodes
            .binary_search_by_key(&id, |(node_id, _)| *node_id)
            .ok()
            .map(|i| self.nodes[i].1)
    }

    /// Builds the street network of `profile`: usable ways split at junctions, largest strongly
    /// connected component kept.
    pub fn network(&self, profile: Profile) -> Result<(Network, ImportReport), NetworkError> {
        // Which ways the profile uses, and their runs of nodes present in the file.
        let mut missing_node_refs = 0;
        let mut used = Vec::new();
        for way in &self.ways {
            let Some(rule) = profile.way_rule(&Tags(&way.tags)) else {
                continue;
            };
            let mut runs: Vec<Vec<(i64, Wgs84Point)>> = vec![Vec::new()];
            for &id in &way.refs {
                if let Some(p) = self.position(id) {
                    runs.last_mut().expect("one run").push((id, p));
                } else {
                    missing_node_refs += 1;
                    runs.push(Vec::new());
                }
            }
            runs.retain(|r| r.len() >= 2);
            used.push((rule, way.id, runs));
        }
        // Junctions: nodes used twice or more, and the ends of every run.
        let mut uses: HashMap<i64, u32> = HashMap::new();
        for (_, _, runs) in &used {
            for run in runs {
                for (i, (id, _)) in run.iter().enumerate() {
                    let weight = if i == 0 || i == run.len() - 1 { 2 } else { 1 };
                    *uses.entry(*id).or_insert(0) += weight;
                }
            }
        }
        let mut junction_ids: Vec<i64> = uses
            .iter()
            .filter(|&(_, &n)| n >= 2)
            .map(|(&id, _)| id)
            .collect();
        junction_ids.sort_unstable();
        let index_of = |id: i64| junction_ids.binary_search(&id).ok().map(idx);
        let nodes: Vec<Wgs84Point> = junction_ids
            .iter()
            .map(|&id| self.position(id).expect("junction has a position"))
            .collect();
        let mut drafts = Vec::new();
        for (rule, _, runs) in &used {
            // A tagged duration (ferries) is spread over the way's pieces by length.
            let way_length_m: f64 = runs
                .iter()
                .flat_map(|r| r.windows(2))
                .map(|w| haversine_m(w[0].1, w[1].1))
                .sum();
            for run in runs {
                let mut start = 0;
                for i in 1..run.len() {
                    let Some(to) = index_of(run[i].0) else {
                        continue;
                    };
                    let from = index_of(run[start].0).expect("run starts at a junction");
                    let geometry: Vec<Wgs84Point> =
                        run[start..=i].iter().map(|(_, p)| *p).collect();
                    let length_m: f64 = geometry.windows(2).map(|w| haversine_m(w[0], w[1])).sum();
                    let time_s = match rule.duration_s {
                        Some(total_s) if way_length_m > 0.0 => total_s * length_m / way_length_m,
                        _ => length_m / rule.speed_m_per_s,
                    };
                    let time_ms = round_u32(time_s * 1000.0);
                    drafts.push(StreetDraft {
                        from,
                        to,
                        geometry,
                        forward_time_ms: rule.forward.then_some(time_ms),
                        backward_time_ms: rule.backward.then_some(time_ms),
                    });
                    start = i;
                }
            }
        }
        if drafts.is_empty() {
            return Err(NetworkError::NoRoads {
                path: self.path.clone(),
                profile: profile.to_string(),
            });
        }
        let network = Network::from_streets(profile, &nodes, &drafts);
        let report = ImportReport {
            profile,
            ways_used: used.len(),
            nodes_before: nodes.len(),
            streets_before: drafts.len(),
            nodes_kept: network.nodes().len(),
            streets_kept: network.streets().len(),
            missing_node_refs,
        };
        Ok((network, report))
    }
}

#[cfg(test)]
mod tests;
