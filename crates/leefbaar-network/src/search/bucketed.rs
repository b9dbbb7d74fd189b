//! The bucketed multi-source search behind
//! [`NearestCalculator::nearest`](super::NearestCalculator::nearest): Δ-stepping (Meyer &
//! Sanders 2003, "Δ-stepping: a parallelizable shortest path algorithm", *J. Algorithms* 49(1):
//! 114–152), run on one thread.
//!
//! Bucket `k` holds the nodes whose label cost lies in `k·Δ..(k+1)·Δ`, and buckets are emptied
//! in order. An edge at least Δ long never leads back into the bucket being emptied, so a node
//! reached only over such edges has its final label when its bucket comes up and is expanded
//! once, in any order: no heap, and a bucket entry is a bare 4-byte node id. Shorter edges can
//! improve a node inside the bucket being emptied; it is then queued there again and expanded
//! again (label correcting). Either way the result is the unique least fixed point of the
//! (cost, facility) labels, the same one Dijkstra finds.
//!
//! Δ is the largest power of two not above the median edge weight (a shift rather than a
//! division per relaxed edge). The older rule, Δ at most the *shortest* edge, made every
//! expansion final but left OSM graphs, whose shortest edges are a centimetre, with Δ set by
//! the ring size instead and thousands of nearly empty buckets per search (7,600 on average
//! for the 851 nodes of the Delft graph). With the median, re-expansions stay below 1.5 % of
//! nodes on the Monaco and Delft graphs and at none on the grid; together with the bitmap
//! below this made the searches on those graphs 1.3–3 times faster, and any Δ from half the
//! median to eight times it measured within 7 % of the median's time
//! (`bench/network/README.md`).
//!
//! Buckets live in a ring indexed by bucket number modulo its length; relaxing from bucket `k`
//! reaches at most bucket `k + max_weight / Δ + 1`, so the ring never wraps onto a live bucket.
//! A bitmap of non-empty slots finds the next bucket to empty with a few word scans instead of
//! visiting every empty bucket in between.

use super::{Seed, UNREACHED, pack};
use crate::graph::adjacency::{Adjacency, EMPTY, Links};

/// Labels from this key on carry a cost of `u32::MAX`, which no search produces (as in
/// [`super::extend`]).
const COST_LIMIT: u64 = (u32::MAX as u64) << 32;
/// At most this many buckets in the ring; a wider Δ beyond that.
const MAX_RING: u64 = 1 << 12;
/// At least this many buckets in the ring: one bitmap word.
const MIN_RING: u64 = 64;
/// Bucket entries processed per batch when prefetching (see [`Buckets::run`]).
const BATCH: usize = 8;
/// Graphs with more nodes than this no longer fit in the L2 cache (32 bytes of links and 8 of
/// label per node), and prefetching pays; below it, it only costs instructions. Measured:
/// 12–17 % slower on the Monaco graphs (4,000 nodes), 10 % faster on a 90,000-node grid and
/// 15–35 % on the million-node one; the threshold itself (1.3 MB of slots and labels against a
/// 512 KB L2) lies between the measured sizes rather than being measured.
const PREFETCH_ABOVE_NODES: usize = 1 << 15;

/// The reusable state of the bucketed search.
#[derive(Debug, Default)]
pub(super) struct Buckets {
    /// The ring of buckets, indexed by bucket number modulo its length.
    ring: Vec<Vec<u32>>,
    /// Bit `i` set when `ring[i]` may be non-empty.
    occupied: Vec<u64>,
    /// The bucket being emptied.
    work: Vec<u32>,
    /// Seeds as (packed label, node), by label.
    seed_order: Vec<(u64, u32)>,
    /// Node expansions in the last search (re-expansions included), for tests.
    #[cfg(test)]
    pub(super) expansions: usize,
}

impl Buckets {
    /// Labels every node of `labels` (all [`UNREACHED`] on entry) with its nearest seed over
    /// `adjacency`.
    pub(super) fn run(&mut self, adjacency: &Adjacency, labels: &mut [u64], seeds: &[Seed]) {
        #[cfg(test)]
        {
            self.expansions = 0;
        }
        let (median_weight, max_weight) = adjacency.weight_stats();
        let by_median = 1u64 << u64::from(median_weight.max(1)).ilog2();
        let by_ring = u64::from(max_weight)
            .div_ceil(MAX_RING - 2)
            .max(1)
            .next_power_of_two();
        let delta = by_median.max(by_ring);
        let shift = 32 + delta.ilog2();
        let ring_len = (u64::from(max_weight) / delta + 2)
            .next_power_of_two()
            .max(MIN_RING);
        let ring_len = usize::try_from(ring_len).expect("ring fits usize");
        let mask = ring_len - 1;
        if self.ring.len() < ring_len {
            self.ring.resize_with(ring_len, Vec::new);
        }
        // A finished search leaves every bucket empty; clearing anyway is cheap and makes each
        // search independent of how the previous one ended.
        for bucket in &mut self.ring[..ring_len] {
            bucket.clear();
        }
        self.occupied.clear();
        self.occupied.resize(ring_len / 64, 0);
        let bucket_of = |key: u64| key >> shift;
        self.seed_order.clear();
        self.seed_order
            .extend(seeds.iter().map(|s| (pack(s.cost, s.facility), s.node)));
        self.seed_order.sort_unstable();
        let Some(&(first_key, _)) = self.seed_order.first() else {
            return;
        };
        debug_assert_eq!(adjacency.n_nodes(), labels.len());
        let prefetch = labels.len() > PREFETCH_ABOVE_NODES;
        let mut current = bucket_of(first_key);
        let mut next_seed = 0;
        let mut work = std::mem::take(&mut self.work);
        loop {
            let slot = usize::try_from(current).unwrap_or(usize::MAX) & mask;
            // Seeds whose cost falls in the current bucket join it now (they may lie far
            // beyond the ring when the search starts).
            while let Some(&(key, node)) = self.seed_order.get(next_seed) {
                if bucket_of(key) != current {
                    break;
                }
                next_seed += 1;
                let label = &mut labels[node as usize];
                if key < *label {
                    let old = *label;
                    *label = key;
                    if old == UNREACHED || bucket_of(old) != current {
                        self.ring[slot].push(node);
                        self.occupied[slot / 64] |= 1 << (slot % 64);
                    }
                }
            }
            while !self.ring[slot].is_empty() {
                std::mem::swap(&mut work, &mut self.ring[slot]);
                // Entries come in the order their labels were set, which in Hilbert-numbered
                // graphs is already local; sorting them by id cost more than it saved there.
                for (batch_start, batch) in work.chunks(BATCH).enumerate() {
                    if prefetch {
                        // Plain loads of the next batch's slots and labels, independent of each
                        // other, so the memory system fetches them all at once while this batch
                        // is relaxed (prefetch intrinsics would need `unsafe`).
                        let ahead = work.iter().skip((batch_start + 1) * BATCH).take(BATCH);
                        let touched = ahead.fold(0u64, |acc, &node| {
                            acc.wrapping_add(u64::from(adjacency.touch(node)))
                                .wrapping_add(labels[node as usize])
                        });
                        std::hint::black_box(touched);
                    }
                    for &node in batch {
                        let key = labels[node as usize];
                        // A stale entry: the node moved to an earlier bucket and was expanded
                        // there.
                        if bucket_of(key) != current {
                            continue;
                        }
                        #[cfg(test)]
                        {
                            self.expansions += 1;
                        }
                        let mut relax = |head: u32, weight: u32| {
                            // Saturating: an overflow, or an unused slot entry, gives UNREACHED,
                            // which improves nothing; the limit keeps u32::MAX out of the costs.
                            let candidate = key.saturating_add(u64::from(weight) << 32);
                            let label = &mut labels[head as usize];
                            let old = *label;
                            if candidate < old.min(COST_LIMIT) {
                                *label = candidate;
                                let target = bucket_of(candidate);
                                // A node already queued in the candidate's bucket stays queued
                                // once; the bucket being emptied re-expands every improved node.
                                #[expect(
                                    clippy::needless_bitwise_bool,
                                    reason = "evaluating all three without short-circuit jumps \
                                              measured 5-8 % faster on the OSM fixtures"
                                )]
                                let queue = (target == current)
                                    | (old == UNREACHED)
                                    | (bucket_of(old) != target);
                                if queue {
                                    let target_slot =
                                        usize::try_from(target).unwrap_or(usize::MAX) & mask;
                                    self.ring[target_slot].push(head);
                                    self.occupied[target_slot / 64] |= 1 << (target_slot % 64);
                                }
                            }
                        };
                        match adjacency.links(node) {
                            Links::Four(entries) => {
                                for &[head, weight] in entries {
                                    relax(head, weight);
                                }
                            }
                            Links::Many(list) => {
                                for &[head, weight] in list.iter().take_while(|e| e[0] != EMPTY) {
                                    relax(head, weight);
                                }
                            }
                        }
                    }
                }
                work.clear();
            }
            self.occupied[slot / 64] &= !(1 << (slot % 64));
            let queued = next_occupied(&self.occupied, slot).map(|offset| current + offset);
            let seeded = self
                .seed_order
                .get(next_seed)
                .map(|&(key, _)| bucket_of(key));
            current = match (queued, seeded) {
                (Some(queued), Some(seeded)) => queued.min(seeded),
                (Some(bucket), None) | (None, Some(bucket)) => bucket,
                (None, None) => break,
            };
        }
        self.work = work;
    }
}

/// How many slots after `slot` the next occupied one lies, going round the ring; `None` when
/// the ring is empty. `slot` itself must be clear.
fn next_occupied(occupied: &[u64], slot: usize) -> Option<u64> {
    let n_words = occupied.len();
    let ring_len = n_words * 64;
    let start = (slot + 1) % ring_len;
    let mut word = start / 64;
    let mut bits = occupied[word] & (u64::MAX << (start % 64));
    for _ in 0..=n_words {
        if bits != 0 {
            let found = word * 64 + bits.trailing_zeros() as usize;
            let offset = (found + ring_len - slot) % ring_len;
            return Some(offset as u64);
        }
        word = (word + 1) % n_words;
        bits = occupied[word];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::next_occupied;

    #[test]
    fn the_next_occupied_slot_is_found_going_round_the_ring() {
        let mut occupied = vec![0u64; 2];
        assert_eq!(next_occupied(&occupied, 5), None);
        occupied[0] |= 1 << 9;
        assert_eq!(next_occupied(&occupied, 5), Some(4));
        // From slot 100, slot 9 lies 37 slots on (round the 128-slot ring).
        assert_eq!(next_occupied(&occupied, 100), Some(37));
        occupied[1] |= 1 << 63;
        assert_eq!(next_occupied(&occupied, 100), Some(27));
        assert_eq!(next_occupied(&occupied, 127), Some(10));
    }
}
