//! Node orders that keep nodes near each other on the map near each other in memory.
//!
//! A search on a large road graph is bound by cache misses, not arithmetic: each node it
//! expands costs a load of its out-links and of its neighbours' labels, and on a graph of a
//! million nodes those arrays are far larger than the cache. Numbering the nodes along a
//! Hilbert curve over their positions makes a node's neighbours mostly neighbours in the arrays
//! too, so a wavefront touches fewer cache lines and memory pages, and the hardware prefetcher
//! sees short forward runs. Row-major order (a grid as generated, or OSM nodes as their ids
//! happen to come) is local in one direction only: the nodes above and below are a whole row
//! apart. On the synthetic million-node grid the Hilbert order makes the nearest search about
//! 1.5 times faster on its own (see `bench/network/README.md`).
//!
//! The Hilbert curve is the usual choice for this because, unlike a Z-order (Morton) curve, it
//! never jumps: consecutive cells are always adjacent (Hilbert 1891, "Über die stetige
//! Abbildung einer Linie auf ein Flächenstück", *Math. Annalen* 38: 459–460; the index is
//! computed in the usual iterative rotate-and-flip way, see Warren, *Hacker's Delight*, 2nd ed.,
//! ch. 16).
//!
//! [`Network::from_streets`](crate::Network::from_streets) numbers its nodes this way, so a
//! network's node ids are already in Hilbert order and everything outside the crate, which sees
//! origins, facilities and areas rather than node ids, is unaffected. [`NodeOrder`] with
//! [`Graph::renumbered`](crate::Graph::renumbered) does the same for a bare graph and maps ids
//! both ways at its boundary.

use crate::geo::Wgs84Point;
use crate::graph::idx;

/// Bits per axis of the Hilbert grid: 2^16 cells across the bounding box, each about 5 m for
/// the whole Netherlands (300 km) and 1 m for Drenthe, so only nodes closer than that share a
/// cell (and keep their input order).
const HILBERT_BITS: u32 = 16;

/// A renumbering of nodes `0..n`: a permutation with its inverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeOrder {
    new_of_old: Vec<u32>,
    old_of_new: Vec<u32>,
}

impl NodeOrder {
    /// Nodes along a Hilbert curve over the bounding box of `points` (node `i` at
    /// `points[i]`); nodes in the same cell keep their input order, so the order is
    /// deterministic.
    ///
    /// Points that are not finite sort as the box's lower-left corner; they only cost locality.
    pub fn hilbert(points: &[Wgs84Point]) -> NodeOrder {
        let finite = || {
            points
                .iter()
                .filter(|p| p.lon.is_finite() && p.lat.is_finite())
        };
        let (mut lon_min, mut lon_max, mut lat_min, mut lat_max) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for p in finite() {
            lon_min = lon_min.min(p.lon);
            lon_max = lon_max.max(p.lon);
            lat_min = lat_min.min(p.lat);
            lat_max = lat_max.max(p.lat);
        }
        let cells = f64::from((1u32 << HILBERT_BITS) - 1);
        let cell = |value: f64, min: f64, max: f64| -> u32 {
            if !value.is_finite() || max <= min {
                return 0;
            }
            crate::graph::round_u32((value - min) / (max - min) * cells)
        };
        let keys: Vec<u64> = points
            .iter()
            .map(|p| hilbert_index(cell(p.lon, lon_min, lon_max), cell(p.lat, lat_min, lat_max)))
            .collect();
        let mut old_of_new: Vec<u32> = (0..idx(points.len())).collect();
        // A stable sort keeps nodes of one cell in input order.
        old_of_new.sort_by_key(|&old| keys[old as usize]);
        NodeOrder::from_old_ids(old_of_new)
    }

    /// The order that puts node `old_of_new[new]` at position `new`.
    ///
    /// `old_of_new` must be a permutation of `0..n`; anything else is a programming error and
    /// panics.
    pub fn from_old_ids(old_of_new: Vec<u32>) -> NodeOrder {
        let mut new_of_old = vec![u32::MAX; old_of_new.len()];
        for (new, &old) in old_of_new.iter().enumerate() {
            let slot = &mut new_of_old[old as usize];
            assert!(
                *slot == u32::MAX,
                "node {old} appears twice in a node order"
            );
            *slot = idx(new);
        }
        NodeOrder {
            new_of_old,
            old_of_new,
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.old_of_new.len()
    }

    /// Whether the order has no nodes.
    pub fn is_empty(&self) -> bool {
        self.old_of_new.is_empty()
    }

    /// The new id of node `old`.
    #[inline]
    pub fn new_id(&self, old: u32) -> u32 {
        self.new_of_old[old as usize]
    }

    /// The old id of node `new`.
    #[inline]
    pub fn old_id(&self, new: u32) -> u32 {
        self.old_of_new[new as usize]
    }
}

/// Position of cell `(x, y)` along the Hilbert curve filling the 2^16 × 2^16 grid.
fn hilbert_index(mut x: u32, mut y: u32) -> u64 {
    let side = 1u32 << HILBERT_BITS;
    let mut index = 0u64;
    let mut half = side / 2;
    while half > 0 {
        let right = u32::from(x & half != 0);
        let up = u32::from(y & half != 0);
        index += u64::from(half) * u64::from(half) * u64::from((3 * right) ^ up);
        // Rotate the quadrant so the curve inside it starts where the previous one ended.
        if up == 0 {
            if right == 1 {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        half /= 2;
    }
    index
}

#[cfg(test)]
mod tests;
