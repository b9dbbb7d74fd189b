//! The slow, obvious answer the fast search is checked against (tests only).
//!
//! One plain Dijkstra per origin over the *forward* graph, then the nearest seed by
//! (cost, facility). Nothing is shared with `search.rs` except the graph type.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::graph::{Graph, Metric};
use crate::search::Seed;

/// Costs from `origin` to every node over `graph` (forward), `None` where unreachable.
pub(crate) fn one_to_all(graph: &Graph, metric: Metric, origin: u32) -> Vec<Option<u64>> {
    let mut dist: Vec<Option<u64>> = vec![None; graph.n_nodes()];
    let mut heap = BinaryHeap::new();
    dist[origin as usize] = Some(0);
    heap.push(Reverse((0u64, origin)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if dist[v as usize].is_some_and(|best| d > best) {
            continue;
        }
        for edge in graph.out_edges(v) {
            let weight = match metric {
                Metric::Distance => edge.length_cm,
                Metric::Time => edge.time_ms,
            };
            let candidate = d + u64::from(weight);
            if dist[edge.head as usize].is_none_or(|best| candidate < best) {
                dist[edge.head as usize] = Some(candidate);
                heap.push(Reverse((candidate, edge.head)));
            }
        }
    }
    dist
}

/// The nearest seed from `origin` as (cost, facility), ties to the lowest facility index.
pub(crate) fn nearest(
    graph: &Graph,
    metric: Metric,
    seeds: &[Seed],
    origin: u32,
) -> Option<(u32, u32)> {
    let dist = one_to_all(graph, metric, origin);
    seeds
        .iter()
        .filter_map(|seed| {
            dist[seed.node as usize].map(|d| (d + u64::from(seed.cost), seed.facility))
        })
        .min()
        .map(|(cost, facility)| (u32::try_from(cost).expect("cost fits u32"), facility))
}
