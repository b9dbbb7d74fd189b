//! Multi-source Dijkstra: every node's nearest facility in one pass, and its incremental update.
//!
//! The search runs on the *reversed* graph with all facilities of one kind as sources, so one
//! pass gives every node its road distance (or time) to the nearest facility, one-way streets
//! respected: the CBS *Nabijheid* method (`docs/methods/reach.md`). A facility usually lies
//! part-way along a road, so a source is a [`Seed`]: a node with the cost of the remaining
//! stretch to the facility already on it.
//!
//! Labels are compared as the pair (cost, facility index), so when two facilities are equally
//! near, the one with the lower index wins, whatever the heap order: the result is deterministic.
//! This lexicographic order is compatible with adding edge weights, so Dijkstra stays exact.
//! A label is packed into a `u64` (cost in the high half, facility in the low half), which makes
//! the comparison one integer compare and the heap entry 16 bytes.
//!
//! [`NearestCalculator::nearest`] empties buckets of label cost rather than popping a heap
//! (Δ-stepping, see `search/bucketed.rs`) over a search-only layout of the graph for the metric
//! (`graph/adjacency.rs`). With nodes in Hilbert order ([`crate::order`]) that is 1.8–3.4 times
//! (mostly 2.6–3) faster on the million-node grid, and 1.8–2.6 times on the Monaco and Delft
//! graphs, than the previous search over the CSR links with a bucket width from the shortest
//! edge, with identical answers (paired runs in `bench/network/README.md`).
//!
//! The bounded search and the incremental update keep a radix heap (Ahuja, Mehlhorn, Orlin &
//! Tarjan 1990, "Faster algorithms for the shortest path problem", *J. ACM* 37(2): 213–223):
//! Dijkstra pops keys in non-decreasing order and our keys are integers, so an entry only moves
//! to buckets of ever smaller index, and a pop costs amortised O(log C) cheap moves instead of
//! O(log n) cache-missing sift-downs. Stale entries are skipped when popped (lazy deletion).

use crate::graph::{Graph, Metric};

mod bucketed;

/// The packed label of a node no facility reaches.
const UNREACHED: u64 = u64::MAX;

/// A source of a multi-source search: the facility can be reached from `node` at `cost`.
///
/// # Units
/// `cost` in centimetres or milliseconds, matching the [`Metric`] of the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seed {
    /// Graph node the facility is reached from.
    pub node: u32,
    /// Remaining cost from `node` to the facility.
    pub cost: u32,
    /// Index of the facility (ties go to the lowest index).
    pub facility: u32,
}

fn pack(cost: u32, facility: u32) -> u64 {
    (u64::from(cost) << 32) | u64::from(facility)
}

/// Cost `key`'s cost plus `weight`, keeping the facility; `None` on overflow.
fn extend(key: u64, weight: u32) -> Option<u64> {
    let cost = (key >> 32) + u64::from(weight);
    (cost < u64::from(u32::MAX)).then_some((cost << 32) | (key & 0xFFFF_FFFF))
}

/// A monotone priority queue of `(key, node)` for integer keys (radix heap).
///
/// Keys pushed must not be smaller than the last key popped, which Dijkstra guarantees.
#[derive(Debug)]
struct RadixHeap {
    /// Bucket `i > 0` holds keys whose highest bit differing from `last` is bit `i - 1`;
    /// bucket 0 holds keys equal to `last`.
    buckets: Vec<Vec<(u64, u32)>>,
    /// Bit `i` set when bucket `i` is non-empty, so a pop finds the next bucket in one
    /// instruction instead of scanning 65 bucket headers.
    non_empty: u128,
    last: u64,
}

impl Default for RadixHeap {
    fn default() -> RadixHeap {
        RadixHeap {
            buckets: vec![Vec::new(); 65],
            non_empty: 0,
            last: 0,
        }
    }
}

impl RadixHeap {
    #[inline]
    fn bucket(&self, key: u64) -> usize {
        (64 - (key ^ self.last).leading_zeros()) as usize
    }

    fn clear(&mut self) {
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        self.non_empty = 0;
        self.last = 0;
    }

    #[inline]
    fn push(&mut self, key: u64, node: u32) {
        debug_assert!(key >= self.last, "radix heap keys must not decrease");
        let i = self.bucket(key);
        self.buckets[i].push((key, node));
        self.non_empty |= 1 << i;
    }

    #[inline]
    fn pop(&mut self) -> Option<(u64, u32)> {
        if self.non_empty & 1 == 0 {
            if self.non_empty == 0 {
                return None;
            }
            let i = self.non_empty.trailing_zeros() as usize;
            let mut moving = std::mem::take(&mut self.buckets[i]);
            self.non_empty &= !(1 << i);
            self.last = moving.iter().map(|&(key, _)| key).min().expect("non-empty");
            for &(key, node) in &moving {
                let j = self.bucket(key);
                self.buckets[j].push((key, node));
                self.non_empty |= 1 << j;
            }
            moving.clear();
            self.buckets[i] = moving;
        }
        let popped = self.buckets[0].pop();
        if self.buckets[0].is_empty() {
            self.non_empty &= !1;
        }
        popped
    }
}

/// Every node's nearest facility and the cost to reach it.
///
/// # Units
/// Costs in centimetres or milliseconds, matching the [`Metric`] of the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearestField {
    labels: Vec<u64>,
}

impl NearestField {
    /// A field where no node is reached.
    pub fn unreached(n_nodes: usize) -> NearestField {
        NearestField {
            labels: vec![UNREACHED; n_nodes],
        }
    }

    /// The cost from `node` to its nearest facility, if any facility is reachable.
    pub fn cost(&self, node: u32) -> Option<u32> {
        let label = self.labels[node as usize];
        (label != UNREACHED).then_some((label >> 32) as u32)
    }

    /// The index of the nearest facility of `node`, if any is reachable.
    pub fn facility(&self, node: u32) -> Option<u32> {
        let label = self.labels[node as usize];
        (label != UNREACHED).then_some((label & 0xFFFF_FFFF) as u32)
    }

    /// The (cost, facility) pair of `node`.
    pub fn nearest(&self, node: u32) -> Option<(u32, u32)> {
        self.cost(node).zip(self.facility(node))
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.labels.len()
    }
}

/// Reusable search state (heap and scratch arrays) for one thread.
///
/// Create one per thread and call it for each facility kind: the allocations are kept between
/// calls.
#[derive(Debug, Default)]
pub struct NearestCalculator {
    heap: RadixHeap,
    /// One bit per node: settled in the current search. 1 M nodes take 125 KB, which stays in
    /// the L2 cache where the 8 MB label array does not.
    settled: Vec<u64>,
    scratch_cost: Vec<u32>,
    touched: Vec<u32>,
    marked: Vec<bool>,
    /// State of the bucketed search behind [`NearestCalculator::nearest`].
    buckets: bucketed::Buckets,
}

impl NearestCalculator {
    /// A calculator with empty scratch space.
    pub fn new() -> NearestCalculator {
        NearestCalculator::default()
    }

    /// Nearest seed for every node of `reversed` (a reversed graph), minimising `metric`.
    ///
    /// The first search of a graph by a metric builds the graph's search layout for it (see
    /// `graph/adjacency.rs`); later ones reuse it.
    ///
    /// # Units
    /// Seed costs and resulting field costs in centimetres ([`Metric::Distance`]) or
    /// milliseconds ([`Metric::Time`]).
    pub fn nearest(&mut self, reversed: &Graph, metric: Metric, seeds: &[Seed]) -> NearestField {
        let mut field = NearestField::unreached(0);
        self.nearest_into(reversed, metric, seeds, &mut field);
        field
    }

    /// [`NearestCalculator::nearest`] into an existing field, reusing its memory: searching
    /// many kinds one after another then allocates nothing per kind (on a million nodes a fresh
    /// field is 8 MB of new pages to fault in every time).
    ///
    /// # Units
    /// As [`NearestCalculator::nearest`].
    pub fn nearest_into(
        &mut self,
        reversed: &Graph,
        metric: Metric,
        seeds: &[Seed],
        field: &mut NearestField,
    ) {
        field.labels.clear();
        field.labels.resize(reversed.n_nodes(), UNREACHED);
        self.buckets
            .run(reversed.adjacency(metric), &mut field.labels, seeds);
    }

    /// Settles nodes from the heap, relaxing into any node whose label improves.
    ///
    /// Keys pop in non-decreasing order, so the first pop of a node carries its final label:
    /// later (stale) entries are recognised from the settled bit alone, and settled neighbours
    /// are skipped without reading their labels. That saves two cache misses per node on large
    /// graphs compared with checking the label array.
    fn run(
        &mut self,
        reversed: &Graph,
        metric: Metric,
        field: &mut NearestField,
        mut on_change: impl FnMut(u32),
    ) {
        let words = reversed.n_nodes().div_ceil(64);
        self.settled.clear();
        self.settled.resize(words, 0);
        let settled = &mut self.settled;
        while let Some((key, node)) = self.heap.pop() {
            let (word, bit) = (node as usize / 64, 1u64 << (node % 64));
            if settled[word] & bit != 0 {
                continue;
            }
            settled[word] |= bit;
            for link in reversed.links(node) {
                let head = link.head;
                if settled[head as usize / 64] & (1u64 << (head % 64)) != 0 {
                    continue;
                }
                let Some(candidate) = extend(key, link.weight(metric)) else {
                    continue;
                };
                if candidate < field.labels[head as usize] {
                    field.labels[head as usize] = candidate;
                    on_change(head);
                    self.heap.push(candidate, head);
                }
            }
        }
    }

    /// Visits every node from which one facility (given by its seeds) is reachable within
    /// `limit`, with that cost, in order of increasing cost.
    ///
    /// # Units
    /// `limit`, seed costs and visited costs in centimetres or milliseconds, per `metric`.
    pub fn within(
        &mut self,
        reversed: &Graph,
        metric: Metric,
        seeds: &[Seed],
        limit: u32,
        mut visit: impl FnMut(u32, u32),
    ) {
        if self.scratch_cost.len() != reversed.n_nodes() {
            self.scratch_cost = vec![u32::MAX; reversed.n_nodes()];
        }
        self.heap.clear();
        for seed in seeds.iter().filter(|s| s.cost <= limit) {
            if seed.cost < self.scratch_cost[seed.node as usize] {
                if self.scratch_cost[seed.node as usize] == u32::MAX {
                    self.touched.push(seed.node);
                }
                self.scratch_cost[seed.node as usize] = seed.cost;
                self.heap.push(u64::from(seed.cost), seed.node);
            }
        }
        while let Some((cost, node)) = self.heap.pop() {
            let cost = u32::try_from(cost).expect("costs in the heap fit u32");
            if cost > self.scratch_cost[node as usize] {
                continue;
            }
            visit(node, cost);
            for link in reversed.links(node) {
                let candidate = cost.saturating_add(link.weight(metric));
                let head = link.head as usize;
                if candidate <= limit && candidate < self.scratch_cost[head] {
                    if self.scratch_cost[head] == u32::MAX {
                        self.touched.push(link.head);
                    }
                    self.scratch_cost[head] = candidate;
                    self.heap.push(u64::from(candidate), link.head);
                }
            }
        }
        for node in self.touched.drain(..) {
            self.scratch_cost[node as usize] = u32::MAX;
        }
    }

    /// Updates `field` after closing facilities and opening new ones, touching only the nodes
    /// whose answer can change; returns those nodes (sorted, without duplicates).
    ///
    /// `seeds` are all seeds of the kind before the change, `is_closed` tells which facility
    /// indices are closed, and `opened` are the seeds of new facilities (with indices not used
    /// before). `forward` and `reversed` are the graph and its reversed view.
    ///
    /// Closing can only lengthen trips, and only for nodes whose nearest facility closed: every
    /// other node keeps its label. Those nodes are reset and re-seeded from the best label among
    /// their still-valid neighbours (the last valid node on a new shortest path hands on its
    /// label) and from open facilities located at them; a Dijkstra restricted to improvements
    /// then finishes them. Opening is a plain decrease: the new seeds spread while they improve.
    #[expect(
        clippy::too_many_arguments,
        reason = "a scenario needs both graph views, the field and the change"
    )]
    pub fn update(
        &mut self,
        forward: &Graph,
        reversed: &Graph,
        metric: Metric,
        field: &mut NearestField,
        seeds: &[Seed],
        is_closed: impl Fn(u32) -> bool,
        opened: &[Seed],
    ) -> Vec<u32> {
        let n = field.n_nodes();
        if self.marked.len() != n {
            self.marked = vec![false; n];
        }
        self.heap.clear();
        let mut changed: Vec<u32> = Vec::new();
        for (node, label) in field.labels.iter_mut().enumerate() {
            if *label != UNREACHED && is_closed((*label & 0xFFFF_FFFF) as u32) {
                *label = UNREACHED;
                self.marked[node] = true;
                changed.push(crate::graph::idx(node));
            }
        }
        // Re-seed the invalidated nodes from valid neighbours over the forward out-edges
        // (a reversed edge u -> v is the forward edge v -> u).
        for &node in &changed {
            let mut best = UNREACHED;
            for link in forward.links(node) {
                let head = link.head as usize;
                if !self.marked[head]
                    && field.labels[head] != UNREACHED
                    && let Some(candidate) = extend(field.labels[head], link.weight(metric))
                {
                    best = best.min(candidate);
                }
            }
            if best != UNREACHED {
                field.labels[node as usize] = best;
                self.heap.push(best, node);
            }
        }
        for seed in seeds.iter().filter(|s| !is_closed(s.facility)) {
            if self.marked[seed.node as usize] {
                let key = pack(seed.cost, seed.facility);
                if key < field.labels[seed.node as usize] {
                    field.labels[seed.node as usize] = key;
                    self.heap.push(key, seed.node);
                }
            }
        }
        for seed in opened {
            let key = pack(seed.cost, seed.facility);
            if key < field.labels[seed.node as usize] {
                field.labels[seed.node as usize] = key;
                changed.push(seed.node);
                self.heap.push(key, seed.node);
            }
        }
        for &node in &changed {
            self.marked[node as usize] = false;
        }
        self.run(reversed, metric, field, |node| changed.push(node));
        changed.sort_unstable();
        changed.dedup();
        changed
    }
}

#[cfg(test)]
mod tests;
