//! A prepared road network for one profile: streets with geometry, the CSR graph and its
//! reversed view, restricted to the largest strongly connected component, plus the snapping
//! index.
//!
//! A *street* is a piece of an OSM way between two junction nodes, with its full geometry.
//! It gives one graph edge per direction the profile may travel. Origins and facilities are
//! snapped onto streets (not nodes): perpendicularly onto the nearest segment, as CBS snaps
//! addresses, and the stretch along the street to either end node is part of the trip.
//!
//! We keep the largest *strongly* connected component, not the weakly connected one: in a
//! weakly connected component a node can sit behind a one-way street (or a clipped extract can
//! leave a one-way dead end) from which no facility is reachable, or which no facility search
//! reaches, and its distance would be infinite. In the strong component every node reaches every
//! other, so every snapped point has an answer. For foot, where nearly all ways are two-way, the
//! two coincide.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use crate::geo::{LocalPlane, Wgs84Point, haversine_m};
use crate::graph::{Edge, Graph, Metric, idx, round_u32};
use crate::order::NodeOrder;
use crate::profile::Profile;
use crate::search::Seed;

/// A street as built from OSM (or by hand in tests), before components are taken.
///
/// # Units
/// `forward_time_ms` / `backward_time_ms` in milliseconds; `None` where the profile may not
/// travel in that direction.
#[derive(Debug, Clone, PartialEq)]
pub struct StreetDraft {
    /// Index of the start node in the node list.
    pub from: u32,
    /// Index of the end node.
    pub to: u32,
    /// The geometry from `from` to `to`, both ends included.
    pub geometry: Vec<Wgs84Point>,
    /// Travel time from `from` to `to`, if allowed.
    pub forward_time_ms: Option<u32>,
    /// Travel time from `to` to `from`, if allowed.
    pub backward_time_ms: Option<u32>,
}

/// A street of a prepared network.
///
/// # Units
/// `length_cm` in centimetres (haversine over the geometry); times in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Street {
    /// Start node.
    pub from: u32,
    /// End node.
    pub to: u32,
    /// Length along the geometry.
    pub length_cm: u32,
    /// Time from `from` to `to`, if allowed.
    pub forward_time_ms: Option<u32>,
    /// Time from `to` to `from`, if allowed.
    pub backward_time_ms: Option<u32>,
}

/// Where a point meets the network.
///
/// # Units
/// `offset_cm` in centimetres from the street's `from` node; `leg_m` (the off-network leg,
/// point to foot of the perpendicular, haversine) in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The street.
    pub street: u32,
    /// Position along the street.
    pub offset_cm: u32,
    /// Distance from the point to the road.
    pub leg_m: f64,
}

type Segment = GeomWithData<Line<[f64; 2]>, (u32, u32)>;

/// A road network for one profile, ready for searches and snapping.
#[derive(Debug, Clone)]
pub struct Network {
    pub(crate) profile: Profile,
    pub(crate) nodes: Vec<Wgs84Point>,
    pub(crate) streets: Vec<Street>,
    pub(crate) geometry_start: Vec<u32>,
    pub(crate) geometry: Vec<Wgs84Point>,
    graph: Graph,
    reversed: Graph,
    plane: LocalPlane,
    index: RTree<Segment>,
}

impl Network {
    /// Builds a network from nodes and street drafts, keeping the largest strongly connected
    /// component (ties: the one containing the lowest node index).
    ///
    /// The kept nodes are numbered along a Hilbert curve over their positions (nodes in one
    /// cell in their original order), so that nodes near each other on the map are near each
    /// other in memory and a search touches fewer cache lines (see [`crate::order`]); streets
    /// keep their order. The same input gives the same network.
    pub fn from_streets(profile: Profile, nodes: &[Wgs84Point], drafts: &[StreetDraft]) -> Network {
        let lengths_cm: Vec<u32> = drafts.iter().map(|d| length_cm(&d.geometry)).collect();
        let edges = drafts_to_edges(drafts, &lengths_cm);
        let graph = Graph::from_edges(nodes.len(), &edges);
        let component = largest_strong_component(&graph);
        let kept: Vec<u32> = (0..idx(nodes.len()))
            .filter(|&old| component[old as usize])
            .collect();
        let kept_points: Vec<Wgs84Point> = kept.iter().map(|&old| nodes[old as usize]).collect();
        let order = NodeOrder::hilbert(&kept_points);
        let mut new_id = vec![u32::MAX; nodes.len()];
        for (position, &old) in kept.iter().enumerate() {
            new_id[old as usize] = order.new_id(idx(position));
        }
        let kept_nodes: Vec<Wgs84Point> = (0..idx(kept.len()))
            .map(|new| kept_points[order.old_id(new) as usize])
            .collect();
        let mut streets = Vec::new();
        let mut geometry_start = vec![0u32];
        let mut geometry = Vec::new();
        for (draft, &len) in drafts.iter().zip(&lengths_cm) {
            let (from, to) = (new_id[draft.from as usize], new_id[draft.to as usize]);
            if from == u32::MAX || to == u32::MAX {
                continue;
            }
            streets.push(Street {
                from,
                to,
                length_cm: len,
                forward_time_ms: draft.forward_time_ms,
                backward_time_ms: draft.backward_time_ms,
            });
            geometry.extend_from_slice(&draft.geometry);
            geometry_start.push(idx(geometry.len()));
        }
        Network::assemble(profile, kept_nodes, streets, geometry_start, geometry)
    }

    /// Builds graph, reversed graph and snapping index from already-kept parts.
    pub(crate) fn assemble(
        profile: Profile,
        nodes: Vec<Wgs84Point>,
        streets: Vec<Street>,
        geometry_start: Vec<u32>,
        geometry: Vec<Wgs84Point>,
    ) -> Network {
        let mut edges = Vec::with_capacity(streets.len() * 2);
        for s in &streets {
            if let Some(time_ms) = s.forward_time_ms {
                edges.push(Edge {
                    tail: s.from,
                    head: s.to,
                    length_cm: s.length_cm,
                    time_ms,
                });
            }
            if let Some(time_ms) = s.backward_time_ms {
                edges.push(Edge {
                    tail: s.to,
                    head: s.from,
                    length_cm: s.length_cm,
                    time_ms,
                });
            }
        }
        let graph = Graph::from_edges(nodes.len(), &edges);
        let reversed = graph.reversed();
        let plane = LocalPlane::around(&nodes);
        let mut segments = Vec::new();
        for street in 0..streets.len() {
            let points =
                &geometry[geometry_start[street] as usize..geometry_start[street + 1] as usize];
            for (i, pair) in points.windows(2).enumerate() {
                let line = Line::new(plane.project(pair[0]), plane.project(pair[1]));
                segments.push(GeomWithData::new(line, (idx(street), idx(i))));
            }
        }
        let index = RTree::bulk_load(segments);
        Network {
            profile,
            nodes,
            streets,
            geometry_start,
            geometry,
            graph,
            reversed,
            plane,
            index,
        }
    }

    /// The profile this network was built for.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The directed graph (edges in travel direction).
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The graph with every edge reversed, for searches from the facilities.
    pub fn reversed(&self) -> &Graph {
        &self.reversed
    }

    /// Position of each node.
    pub fn nodes(&self) -> &[Wgs84Point] {
        &self.nodes
    }

    /// The streets.
    pub fn streets(&self) -> &[Street] {
        &self.streets
    }

    /// The geometry of street `street`, from its `from` to its `to` node.
    pub fn street_geometry(&self, street: u32) -> &[Wgs84Point] {
        let street = street as usize;
        &self.geometry
            [self.geometry_start[street] as usize..self.geometry_start[street + 1] as usize]
    }

    /// Snaps `point` perpendicularly onto the nearest street segment.
    ///
    /// Returns `None` only for an empty network. Among equally near segments the lowest street
    /// (then segment) index wins, so snapping is deterministic.
    pub fn snap(&self, point: Wgs84Point) -> Option<Snap> {
        let xy = self.plane.project(point);
        let mut best: Option<(f64, (u32, u32))> = None;
        for (segment, d2) in self.index.nearest_neighbor_iter_with_distance_2(&xy) {
            match best {
                Some((best_d2, _)) if d2 > best_d2 => break,
                Some((_, best_id)) if segment.data >= best_id => {}
                _ => best = Some((d2, segment.data)),
            }
        }
        let (_, (street, segment)) = best?;
        let points = self.street_geometry(street);
        let (a, b) = (points[segment as usize], points[segment as usize + 1]);
        let (pa, pb) = (self.plane.project(a), self.plane.project(b));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((xy[0] - pa[0]) * dx + (xy[1] - pa[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let foot = self.plane.unproject([pa[0] + t * dx, pa[1] + t * dy]);
        let before_m: f64 = points[..=segment as usize]
            .windows(2)
            .map(|w| haversine_m(w[0], w[1]))
            .sum();
        let offset_m = before_m + t * haversine_m(a, b);
        let length_cm = self.streets[street as usize].length_cm;
        let offset_cm = round_u32(offset_m * 100.0).min(length_cm);
        Some(Snap {
            street,
            offset_cm,
            leg_m: haversine_m(point, foot),
        })
    }

    /// Off-network leg cost for `metric`.
    ///
    /// # Units
    /// Centimetres or milliseconds.
    pub fn leg_cost(&self, snap: &Snap, metric: Metric) -> u32 {
        match metric {
            Metric::Distance => round_u32(snap.leg_m * 100.0),
            Metric::Time => round_u32(snap.leg_m / self.profile.connector_speed_m_per_s() * 1000.0),
        }
    }

    /// Cost of travelling `from_cm..to_cm` along a street in the given direction, or `None`
    /// when the profile may not travel that way. Time is pro rata of the street's time.
    fn along(street: &Street, span_cm: u32, forward: bool, metric: Metric) -> Option<u32> {
        let time_ms = if forward {
            street.forward_time_ms
        } else {
            street.backward_time_ms
        }?;
        Some(match metric {
            Metric::Distance => span_cm,
            Metric::Time => {
                if street.length_cm == 0 {
                    0
                } else {
                    u32::try_from(
                        u64::from(time_ms) * u64::from(span_cm) / u64::from(street.length_cm),
                    )
                    .unwrap_or(u32::MAX)
                }
            }
        })
    }

    /// The nodes a snapped *origin* can drive off to, with the cost along the street to each
    /// (the off-network leg not included).
    pub fn exits(&self, snap: &Snap, metric: Metric) -> [Option<(u32, u32)>; 2] {
        let s = &self.streets[snap.street as usize];
        [
            Self::along(s, s.length_cm - snap.offset_cm, true, metric).map(|c| (s.to, c)),
            Self::along(s, snap.offset_cm, false, metric).map(|c| (s.from, c)),
        ]
    }

    /// The seeds of a snapped *facility*: nodes from which it is reached, with the cost along
    /// the street plus the facility's own off-network leg.
    pub fn seeds(&self, snap: &Snap, facility: u32, metric: Metric) -> Vec<Seed> {
        let s = &self.streets[snap.street as usize];
        let leg = self.leg_cost(snap, metric);
        let mut seeds = Vec::with_capacity(2);
        if let Some(c) = Self::along(s, snap.offset_cm, true, metric) {
            seeds.push(Seed {
                node: s.from,
                cost: c.saturating_add(leg),
                facility,
            });
        }
        if let Some(c) = Self::along(s, s.length_cm - snap.offset_cm, false, metric) {
            seeds.push(Seed {
                node: s.to,
                cost: c.saturating_add(leg),
                facility,
            });
        }
        seeds
    }

    /// Cost of travelling directly along one street from an origin to a facility on the same
    /// street (neither leg included), if the profile may go that way.
    pub fn direct(&self, origin: &Snap, facility: &Snap, metric: Metric) -> Option<u32> {
        if origin.street != facility.street {
            return None;
        }
        let s = &self.streets[origin.street as usize];
        if facility.offset_cm >= origin.offset_cm {
            Self::along(s, facility.offset_cm - origin.offset_cm, true, metric)
        } else {
            Self::along(s, origin.offset_cm - facility.offset_cm, false, metric)
        }
    }

    /// Bytes held by the network's arrays (graph, streets, geometry; not the R-tree).
    pub fn heap_bytes(&self) -> usize {
        self.graph.heap_bytes()
            + self.reversed.heap_bytes()
            + self.nodes.len() * 16
            + self.streets.len() * std::mem::size_of::<Street>()
            + self.geometry.len() * 16
            + self.geometry_start.len() * 4
    }
}

/// Length of a polyline by haversine, rounded to whole centimetres.
pub(crate) fn length_cm(points: &[Wgs84Point]) -> u32 {
    let m: f64 = points.windows(2).map(|w| haversine_m(w[0], w[1])).sum();
    round_u32(m * 100.0)
}

fn drafts_to_edges(drafts: &[StreetDraft], lengths_cm: &[u32]) -> Vec<Edge> {
    let mut edges = Vec::with_capacity(drafts.len() * 2);
    for (d, &length_cm) in drafts.iter().zip(lengths_cm) {
        if let Some(time_ms) = d.forward_time_ms {
            edges.push(Edge {
                tail: d.from,
                head: d.to,
                length_cm,
                time_ms,
            });
        }
        if let Some(time_ms) = d.backward_time_ms {
            edges.push(Edge {
                tail: d.to,
                head: d.from,
                length_cm,
                time_ms,
            });
        }
    }
    edges
}

/// Marks the nodes of the largest strongly connected component (Kosaraju, iterative).
///
/// Ties between equally large components go to the one containing the lowest node index.
pub(crate) fn largest_strong_component(graph: &Graph) -> Vec<bool> {
    let n = graph.n_nodes();
    let reversed = graph.reversed();
    // Pass 1: finishing order on the forward graph.
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for start in 0..idx(n) {
        if visited[start as usize] {
            continue;
        }
        visited[start as usize] = true;
        stack.push((start, graph.edge_range(start).start));
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let end = graph.edge_range(node).end;
            if *next < end {
                let head = graph.all_links()[*next].head;
                *next += 1;
                if !visited[head as usize] {
                    visited[head as usize] = true;
                    stack.push((head, graph.edge_range(head).start));
                }
            } else {
                order.push(node);
                stack.pop();
            }
        }
    }
    // Pass 2: components on the reversed graph in reverse finishing order.
    let mut component = vec![u32::MAX; n];
    let mut sizes: Vec<(usize, u32)> = Vec::new();
    let mut todo = Vec::new();
    for &start in order.iter().rev() {
        if component[start as usize] != u32::MAX {
            continue;
        }
        let id = idx(sizes.len());
        let mut size = 0;
        let mut lowest = start;
        component[start as usize] = id;
        todo.push(start);
        while let Some(node) = todo.pop() {
            size += 1;
            lowest = lowest.min(node);
            for edge in reversed.out_edges(node) {
                if component[edge.head as usize] == u32::MAX {
                    component[edge.head as usize] = id;
                    todo.push(edge.head);
                }
            }
        }
        sizes.push((size, lowest));
    }
    let best = sizes
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(id, _)| idx(id));
    component.iter().map(|&c| Some(c) == best).collect()
}

#[cfg(test)]
mod tests;
