//! The out-links of every node for one metric, laid out for the nearest search.
//!
//! On a million-node graph the search's time goes to memory, and about half of it used to go
//! to the first load of a node's links. In the CSR arrays of [`Graph`] that load waits for
//! another (`first_out[v]`, then the links), and each link is 12 bytes of which a search by one
//! metric uses 8. Here every node owns one 32-byte slot holding its first four out-links as
//! (head, weight) for the metric searched, so the links are found from the node id alone and
//! lie in one cache line: slots are aligned to 32 bytes, two share a 64-byte line and none
//! straddles two. Road graphs are split at junctions, so out-degrees above four are rare (one
//! node in the Monaco car graph, nine in the foot graph, none on the synthetic grid); the slot
//! of such a node points to all its links in an overflow list. An unused entry is a link from
//! the node to itself of weight [`UNUSED_WEIGHT`], which can never improve a label, so the
//! search relaxes all four entries of a slot without branching on the node's degree (on small
//! graphs, where everything is in cache, mispredicted branches are what a search waits for).
//!
//! The layout costs 32 bytes per node, about what the CSR arrays cost for degree-four nodes and
//! more for dead ends; it is built per metric on first use and kept with the graph. Measured on
//! the synthetic million-node grid in Hilbert order: 14–24 % faster than CSR links of 8 bytes
//! (which were only about 5 % faster than the 12-byte [`Link`](crate::Link)s); on the small
//! OSM graphs the branch-free unused entries are worth 6–9 %
//! (`bench/network/README.md`).

use std::fmt;

use super::{Graph, Metric, idx};

/// Weight of an unused entry of a slot, whose head is the node itself: too long to ever
/// improve a label (a search adds it with saturation), so the search relaxes all four entries
/// without a branch on the node's degree.
pub(crate) const UNUSED_WEIGHT: u32 = u32::MAX;
/// Head that ends a node's list in the overflow array; never a node id.
pub(crate) const EMPTY: u32 = u32::MAX;
/// Head of the fourth entry of a node with more than four links; its weight field is the
/// index of all its links in the overflow array, ended by an [`EMPTY`] head.
pub(crate) const OVERFLOW: u32 = u32::MAX - 1;

/// A node's out-links as `[head, weight]` entries.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Links<'a> {
    /// Up to four links; unused entries carry [`UNUSED_WEIGHT`].
    Four(&'a [[u32; 2]; 4]),
    /// More than four links, ended by an entry with head [`EMPTY`].
    Many(&'a [[u32; 2]]),
}

/// One node's first four out-links as `[head, weight]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(32))]
struct Slot([[u32; 2]; 4]);

/// Every node's out-links for one metric, plus the weight statistics the search sizes its
/// buckets from.
///
/// # Units
/// Weights in centimetres or milliseconds, per the metric it was built for.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Adjacency {
    slots: Vec<Slot>,
    overflow: Vec<[u32; 2]>,
    /// The median edge weight (0 without edges).
    median_weight: u32,
    /// The largest edge weight (0 without edges).
    max_weight: u32,
}

impl Adjacency {
    /// The layout of `graph`'s out-links weighted by `metric`, links of a node in the graph's
    /// order.
    pub(crate) fn new(graph: &Graph, metric: Metric) -> Adjacency {
        let n_nodes = graph.n_nodes();
        assert!(
            n_nodes <= OVERFLOW as usize,
            "node ids must stay below the slot markers"
        );
        let mut slots = Vec::with_capacity(n_nodes);
        let mut overflow = Vec::new();
        for node in 0..idx(n_nodes) {
            let links = graph.links(node);
            let mut entries = [[node, UNUSED_WEIGHT]; 4];
            if links.len() <= 4 {
                for (entry, link) in entries.iter_mut().zip(links) {
                    *entry = [link.head, link.weight(metric)];
                }
            } else {
                entries[3] = [OVERFLOW, idx(overflow.len())];
                overflow.extend(links.iter().map(|l| [l.head, l.weight(metric)]));
                overflow.push([EMPTY, 0]);
            }
            slots.push(Slot(entries));
        }
        let mut weights: Vec<u32> = graph.all_links().iter().map(|l| l.weight(metric)).collect();
        let (median_weight, max_weight) = if weights.is_empty() {
            (0, 0)
        } else {
            let middle = weights.len() / 2;
            let (_, &mut median, _) = weights.select_nth_unstable(middle);
            (median, weights.iter().copied().max().unwrap_or(0))
        };
        Adjacency {
            slots,
            overflow,
            median_weight,
            max_weight,
        }
    }

    /// The out-links of `node`.
    #[inline]
    pub(crate) fn links(&self, node: u32) -> Links<'_> {
        let entries = &self.slots[node as usize].0;
        match entries[3] {
            [OVERFLOW, start] => Links::Many(&self.overflow[start as usize..]),
            _ => Links::Four(entries),
        }
    }

    /// The first word of `node`'s slot: a plain load whose only purpose is to bring the slot
    /// into the cache ahead of use.
    #[inline]
    pub(crate) fn touch(&self, node: u32) -> u32 {
        self.slots[node as usize].0[0][0]
    }

    /// The median and the largest edge weight.
    pub(crate) fn weight_stats(&self) -> (u32, u32) {
        (self.median_weight, self.max_weight)
    }

    /// Number of nodes.
    pub(crate) fn n_nodes(&self) -> usize {
        self.slots.len()
    }

    /// Bytes held by the arrays.
    pub(crate) fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Slot>() * self.slots.len() + 8 * self.overflow.len()
    }
}

/// A summary rather than every slot: a million-node layout would flood any debug output.
impl fmt::Debug for Adjacency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adjacency")
            .field("n_nodes", &self.slots.len())
            .field("n_overflow", &self.overflow.len())
            .field("median_weight", &self.median_weight)
            .field("max_weight", &self.max_weight)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Edge;

    fn edge(tail: u32, head: u32, length_cm: u32) -> Edge {
        Edge {
            tail,
            head,
            length_cm,
            time_ms: length_cm + 1000,
        }
    }

    /// The links as the search reads them, unused entries left out.
    fn links_of(adjacency: &Adjacency, node: u32) -> Vec<(u32, u32)> {
        let entries: Vec<[u32; 2]> = match adjacency.links(node) {
            Links::Four(entries) => entries.to_vec(),
            Links::Many(list) => list.iter().take_while(|e| e[0] != EMPTY).copied().collect(),
        };
        entries
            .into_iter()
            .filter(|&[head, weight]| !(head == node && weight == UNUSED_WEIGHT))
            .map(|[head, weight]| (head, weight))
            .collect()
    }

    #[test]
    fn every_node_gets_its_links_in_graph_order_for_the_metric_asked_including_past_four() {
        // Node 0 has seven out-links (overflow), node 1 four (a full slot), node 2 one, node 8
        // none.
        let mut edges: Vec<Edge> = (1..8).map(|h| edge(0, h, 10 * h)).collect();
        edges.extend((2..6).map(|h| edge(1, h, h)));
        edges.push(edge(2, 0, 5));
        let graph = Graph::from_edges(9, &edges);
        for metric in [Metric::Distance, Metric::Time] {
            let adjacency = Adjacency::new(&graph, metric);
            assert_eq!(adjacency.n_nodes(), 9);
            for node in 0..9 {
                let expected: Vec<(u32, u32)> = graph
                    .links(node)
                    .iter()
                    .map(|l| (l.head, l.weight(metric)))
                    .collect();
                assert_eq!(links_of(&adjacency, node), expected, "node {node}");
            }
        }
        let distance = Adjacency::new(&graph, Metric::Distance);
        assert_eq!(distance.weight_stats(), (20, 70));
        assert_eq!(
            Adjacency::new(&Graph::from_edges(2, &[]), Metric::Time).weight_stats(),
            (0, 0)
        );
    }

    #[test]
    fn slots_are_aligned_so_that_none_straddles_two_cache_lines() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
        assert_eq!(std::mem::align_of::<Slot>(), 32);
    }
}
