//! A compact directed graph in compressed sparse row (CSR) form, with a reversed view.
//!
//! Nodes are `u32` ids `0..n`. The out-edges of node `v` are the index range
//! `first_out[v]..first_out[v + 1]` of one array of [`Link`]s (head, length, time) stored
//! together: 12 bytes per edge and 4 per node. A search on a large graph is bound by cache
//! misses, and reading a node's heads and weights from one contiguous run costs one miss
//! where three parallel arrays would cost three.
//!
//! The nearest search reads a second, search-only layout of the same edges instead, built on
//! first use for the metric searched (`graph/adjacency.rs`): 8 bytes per link and a node's links
//! found from its id without the `first_out` lookup.
//!
//! Weights are whole centimetres and whole milliseconds rather than floating-point metres and
//! seconds. Integer sums are associative, so a multi-source search from the facilities and a
//! one-origin-at-a-time search give *bit-identical* distances (the oracle tests demand that),
//! and results do not depend on the order edges are relaxed in. A `u32` holds 42,949 km or
//! 49 days, far beyond any trip in the Netherlands; sums saturate instead of overflowing.

use std::ops::Range;
use std::sync::OnceLock;

use crate::order::NodeOrder;

pub(crate) mod adjacency;

use adjacency::Adjacency;

/// Which edge weight a search minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// Road length (`length_cm`).
    Distance,
    /// Travel time (`time_ms`).
    Time,
}

/// One directed edge.
///
/// # Units
/// `length_cm` in centimetres, `time_ms` in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// Node the edge leaves.
    pub tail: u32,
    /// Node the edge enters.
    pub head: u32,
    /// Length along the road.
    pub length_cm: u32,
    /// Travel time for the profile the graph was built for.
    pub time_ms: u32,
}

/// The head and weights of one out-edge, as stored in the CSR array.
///
/// # Units
/// `length_cm` in centimetres, `time_ms` in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Link {
    /// Node the edge enters.
    pub head: u32,
    /// Length along the road.
    pub length_cm: u32,
    /// Travel time.
    pub time_ms: u32,
}

impl Link {
    /// The weight for `metric`.
    ///
    /// # Units
    /// Centimetres for [`Metric::Distance`], milliseconds for [`Metric::Time`].
    #[inline]
    pub fn weight(self, metric: Metric) -> u32 {
        match metric {
            Metric::Distance => self.length_cm,
            Metric::Time => self.time_ms,
        }
    }
}

/// A directed graph in CSR form.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    first_out: Vec<u32>,
    links: Vec<Link>,
    /// Smallest and largest `length_cm`, then smallest and largest `time_ms` (all 0 when the
    /// graph has no edges).
    weight_bounds: [u32; 4],
    /// The search-only layout per metric (distance, time), built on first use: a graph that is
    /// never searched, or searched by one metric only, does not pay for the other.
    adjacency: [OnceLock<Adjacency>; 2],
}

/// Graphs are equal when their edges are; whether a search layout has been built yet is not
/// part of the value.
impl PartialEq for Graph {
    fn eq(&self, other: &Graph) -> bool {
        self.first_out == other.first_out
            && self.links == other.links
            && self.weight_bounds == other.weight_bounds
    }
}

impl Eq for Graph {}

impl Graph {
    /// Builds the graph on nodes `0..n_nodes` from an edge list in any order.
    ///
    /// Edges are sorted by (tail, head, length, time), so the same edge set always gives the
    /// same arrays. Edges naming a node `>= n_nodes` are a programming error and panic.
    pub fn from_edges(n_nodes: usize, edges: &[Edge]) -> Graph {
        assert!(u32::try_from(n_nodes).is_ok(), "more than 2^32 nodes");
        let mut sorted = edges.to_vec();
        sorted.sort_unstable();
        let mut first_out = vec![0u32; n_nodes + 1];
        for edge in &sorted {
            assert!(
                (edge.tail as usize) < n_nodes && (edge.head as usize) < n_nodes,
                "edge {edge:?} names a node outside 0..{n_nodes}"
            );
            first_out[edge.tail as usize + 1] += 1;
        }
        for i in 0..n_nodes {
            first_out[i + 1] += first_out[i];
        }
        let mut weight_bounds = [u32::MAX, 0, u32::MAX, 0];
        for edge in &sorted {
            weight_bounds[0] = weight_bounds[0].min(edge.length_cm);
            weight_bounds[1] = weight_bounds[1].max(edge.length_cm);
            weight_bounds[2] = weight_bounds[2].min(edge.time_ms);
            weight_bounds[3] = weight_bounds[3].max(edge.time_ms);
        }
        if sorted.is_empty() {
            weight_bounds = [0; 4];
        }
        Graph {
            first_out,
            weight_bounds,
            adjacency: [OnceLock::new(), OnceLock::new()],
            links: sorted
                .iter()
                .map(|e| Link {
                    head: e.head,
                    length_cm: e.length_cm,
                    time_ms: e.time_ms,
                })
                .collect(),
        }
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.first_out.len().saturating_sub(1)
    }

    /// Number of directed edges.
    pub fn n_edges(&self) -> usize {
        self.links.len()
    }

    /// The same nodes with every edge turned around: `u -> v` becomes `v -> u`.
    ///
    /// A search from the facilities over the reversed graph gives every node its distance *to*
    /// the nearest facility over the original graph, one-way streets respected.
    #[must_use]
    pub fn reversed(&self) -> Graph {
        let flipped: Vec<Edge> = self
            .edges()
            .map(|e| Edge {
                tail: e.head,
                head: e.tail,
                ..e
            })
            .collect();
        Graph::from_edges(self.n_nodes(), &flipped)
    }

    /// The same graph with node `v` renamed `order.new_id(v)`.
    ///
    /// Searches on the result give the same costs and facilities per node, found under the new
    /// ids; with a [`NodeOrder::hilbert`] order they run faster on large graphs (see
    /// [`crate::order`]). `order` must cover exactly this graph's nodes.
    #[must_use]
    pub fn renumbered(&self, order: &NodeOrder) -> Graph {
        assert_eq!(
            order.len(),
            self.n_nodes(),
            "the order must cover every node"
        );
        let edges: Vec<Edge> = self
            .edges()
            .map(|e| Edge {
                tail: order.new_id(e.tail),
                head: order.new_id(e.head),
                ..e
            })
            .collect();
        Graph::from_edges(self.n_nodes(), &edges)
    }

    /// All edges, by tail node.
    pub fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        (0..self.n_nodes()).flat_map(move |tail| self.out_edges(idx(tail)))
    }

    /// The edges leaving `node`.
    pub fn out_edges(&self, node: u32) -> impl Iterator<Item = Edge> + '_ {
        self.links(node).iter().map(move |link| Edge {
            tail: node,
            head: link.head,
            length_cm: link.length_cm,
            time_ms: link.time_ms,
        })
    }

    /// The out-links of `node`, contiguous.
    #[inline]
    pub fn links(&self, node: u32) -> &[Link] {
        &self.links[self.edge_range(node)]
    }

    /// Index range of the out-edges of `node` in [`Graph::all_links`].
    #[inline]
    pub fn edge_range(&self, node: u32) -> Range<usize> {
        self.first_out[node as usize] as usize..self.first_out[node as usize + 1] as usize
    }

    /// Every link, by edge index (grouped by tail node).
    pub fn all_links(&self) -> &[Link] {
        &self.links
    }

    /// The smallest and largest edge weight for `metric` (`(0, 0)` without edges).
    ///
    /// # Units
    /// Centimetres for [`Metric::Distance`], milliseconds for [`Metric::Time`].
    pub fn weight_bounds(&self, metric: Metric) -> (u32, u32) {
        let [min_cm, max_cm, min_ms, max_ms] = self.weight_bounds;
        match metric {
            Metric::Distance => (min_cm, max_cm),
            Metric::Time => (min_ms, max_ms),
        }
    }

    /// The search-only layout of the out-links for `metric`, built on first use.
    pub(crate) fn adjacency(&self, metric: Metric) -> &Adjacency {
        let slot = match metric {
            Metric::Distance => 0,
            Metric::Time => 1,
        };
        self.adjacency[slot].get_or_init(|| Adjacency::new(self, metric))
    }

    /// Bytes held by the arrays (for benchmark reports), search layouts built so far included.
    pub fn heap_bytes(&self) -> usize {
        4 * self.first_out.len()
            + 12 * self.links.len()
            + self
                .adjacency
                .iter()
                .filter_map(OnceLock::get)
                .map(Adjacency::heap_bytes)
                .sum::<usize>()
    }
}

/// An index or count as `u32` (graphs, streets and records are limited to 2^32).
pub(crate) fn idx(n: usize) -> u32 {
    u32::try_from(n).expect("index fits in u32")
}

/// Rounds a quantity to whole units as `u32`; negative values give 0, huge ones saturate.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "Rust float-to-int casts saturate, which is the intent"
)]
pub(crate) fn round_u32(x: f64) -> u32 {
    x.round() as u32
}

/// Rounds a quantity to whole units as `u64`; negative values give 0, huge ones saturate.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "Rust float-to-int casts saturate, which is the intent"
)]
pub(crate) fn round_u64(x: f64) -> u64 {
    x.round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(tail: u32, head: u32, length_cm: u32) -> Edge {
        Edge {
            tail,
            head,
            length_cm,
            time_ms: length_cm * 2,
        }
    }

    #[test]
    fn edges_come_back_sorted_by_tail_whatever_order_they_went_in() {
        let graph = Graph::from_edges(3, &[edge(2, 0, 5), edge(0, 1, 7), edge(0, 2, 1)]);
        let edges: Vec<Edge> = graph.edges().collect();
        assert_eq!(edges, vec![edge(0, 1, 7), edge(0, 2, 1), edge(2, 0, 5)]);
        assert_eq!(graph.n_nodes(), 3);
        assert_eq!(graph.n_edges(), 3);
    }

    #[test]
    fn reversing_twice_gives_the_same_graph() {
        let graph = Graph::from_edges(4, &[edge(0, 1, 3), edge(1, 2, 4), edge(3, 1, 9)]);
        let reversed = graph.reversed();
        assert_eq!(
            reversed.out_edges(1).collect::<Vec<_>>(),
            vec![edge(1, 0, 3), edge(1, 3, 9)]
        );
        assert_eq!(reversed.reversed(), graph);
    }

    #[test]
    fn a_node_without_edges_has_an_empty_range() {
        let graph = Graph::from_edges(3, &[edge(0, 2, 1)]);
        assert_eq!(graph.edge_range(1), 1..1);
        assert_eq!(graph.out_edges(2).count(), 0);
    }
}
