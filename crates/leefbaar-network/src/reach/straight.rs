//! Straight-line reach without a road network: the nearest facility and the facilities within
//! a radius by great-circle distance, found through an R-tree instead of comparing every origin
//! with every facility.
//!
//! Points are indexed by their position on a sphere of the mean Earth radius in three
//! dimensions (x, y, z). The straight *chord* between two such points grows monotonically with
//! the great-circle distance (`d = 2R asin(c / 2R)`), so the R-tree's nearest neighbours by chord
//! are exactly the nearest by great-circle distance, anywhere on Earth and without the scale
//! error of a map projection. The values returned are computed with [`haversine_m`], the same
//! function the brute-force comparison in the tests uses, so both give identical answers
//! (ties included: the lower facility index wins among equal costs in centimetres).

use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::geo::{EARTH_RADIUS_M, Wgs84Point, haversine_m};
use crate::graph::{idx, round_u64};

type Entry = GeomWithData<[f64; 3], u32>;

/// A point on the sphere of the mean Earth radius, in metres.
fn chord_point(p: Wgs84Point) -> [f64; 3] {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [
        EARTH_RADIUS_M * lat.cos() * lon.cos(),
        EARTH_RADIUS_M * lat.cos() * lon.sin(),
        EARTH_RADIUS_M * lat.sin(),
    ]
}

/// The great-circle distance of a squared chord length, in metres.
fn arc_m(chord2: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord2.sqrt() / (2.0 * EARTH_RADIUS_M)).min(1.0).asin()
}

/// The squared chord length of a great-circle distance, in square metres.
fn chord2(arc_m: f64) -> f64 {
    let half = (arc_m / (2.0 * EARTH_RADIUS_M)).min(std::f64::consts::FRAC_PI_2);
    (2.0 * EARTH_RADIUS_M * half.sin()).powi(2)
}

/// Points (facilities of one kind, or origins) indexed for great-circle queries.
///
/// # Units
/// Distances in metres, costs in centimetres; `detour` multiplies every great-circle distance
/// (see [`crate::Params::detour_factor`]).
#[derive(Debug)]
pub(crate) struct PointIndex {
    points: Vec<Wgs84Point>,
    tree: RTree<Entry>,
}

impl PointIndex {
    /// Indexes `points`; their positions are their indices in queries.
    pub(crate) fn new(points: Vec<Wgs84Point>) -> PointIndex {
        let entries = points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(chord_point(*p), idx(i)))
            .collect();
        PointIndex {
            points,
            tree: RTree::bulk_load(entries),
        }
    }

    /// The cost (centimetres of great-circle distance × `detour`) from `from` to point `i`.
    pub(crate) fn cost_cm(&self, from: Wgs84Point, i: u32, detour: f64) -> u64 {
        round_u64(haversine_m(from, self.points[i as usize]) * detour * 100.0)
    }

    /// The nearest point that is not `skipped`, as (cost in cm, index); among equal costs the
    /// lowest index.
    pub(crate) fn nearest(
        &self,
        from: Wgs84Point,
        detour: f64,
        skipped: &dyn Fn(u32) -> bool,
    ) -> Option<(u64, u32)> {
        let query = chord_point(from);
        let mut best: Option<(u64, u32)> = None;
        for (entry, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&query) {
            // Candidates come in order of distance; once one is more than a centimetre beyond
            // the best (rounding and the two formulas' last bits), none can tie or beat it.
            if let Some((best_cm, _)) = best
                && arc_m(d2) * detour * 100.0 > best_cm as f64 + 1.0
            {
                break;
            }
            if skipped(entry.data) {
                continue;
            }
            let candidate = (self.cost_cm(from, entry.data, detour), entry.data);
            best = Some(best.map_or(candidate, |b| b.min(candidate)));
        }
        best
    }

    /// Every point within `max_m` (great-circle × `detour`) of `from`, as (index, cost in cm),
    /// in no particular order.
    pub(crate) fn within(
        &self,
        from: Wgs84Point,
        detour: f64,
        max_m: f64,
    ) -> impl Iterator<Item = (u32, u64)> + '_ {
        let max_cm = round_u64(max_m * 100.0);
        // A little slack on the search radius; the exact test is on the rounded cost.
        let reach2 = chord2(max_m / detour * (1.0 + 1e-9) + 0.01);
        self.tree
            .locate_within_distance(chord_point(from), reach2)
            .map(move |entry| (entry.data, self.cost_cm(from, entry.data, detour)))
            .filter(move |&(_, cost)| cost <= max_cm)
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn random_points(rng: &mut ChaCha8Rng, n: usize) -> Vec<Wgs84Point> {
        (0..n)
            .map(|_| Wgs84Point::new(rng.random_range(6.1..7.1), rng.random_range(52.6..53.2)))
            .collect()
    }

    #[test]
    fn the_nearest_by_chord_is_the_nearest_by_brute_force_haversine_ties_included() {
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        let mut facilities = random_points(&mut rng, 300);
        // Duplicates: two facilities at one address must resolve to the lower index.
        facilities[200] = facilities[17];
        let index = PointIndex::new(facilities.clone());
        let closed = |i: u32| i % 11 == 3;
        for origin in random_points(&mut rng, 2_000) {
            let brute = (0..idx(facilities.len()))
                .filter(|&i| !closed(i))
                .map(|i| (index.cost_cm(origin, i, 1.3), i))
                .min();
            assert_eq!(index.nearest(origin, 1.3, &closed), brute, "seed 13");
        }
    }

    #[test]
    fn points_within_a_radius_are_those_brute_force_finds() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let facilities = random_points(&mut rng, 400);
        let index = PointIndex::new(facilities.clone());
        for origin in random_points(&mut rng, 500) {
            let mut found: Vec<u32> = index.within(origin, 1.3, 5_000.0).map(|(i, _)| i).collect();
            found.sort_unstable();
            let brute: Vec<u32> = (0..idx(facilities.len()))
                .filter(|&i| index.cost_cm(origin, i, 1.3) <= 500_000)
                .collect();
            assert_eq!(found, brute, "seed 17");
        }
    }

    #[test]
    fn the_chord_and_the_arc_convert_into_each_other() {
        for metres in [0.0, 1.0, 1_000.0, 250_000.0] {
            assert!((arc_m(chord2(metres)) - metres).abs() < 1e-6, "{metres}");
        }
    }
}
