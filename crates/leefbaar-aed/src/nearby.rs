//! Points within a straight-line radius, found through a square grid of buckets.
//!
//! The alert system's convention measures AED coverage as the crow flies (500 m), and counts
//! responders within 2 km of an AED the same way; both need, for many points, the few others
//! within a radius. Points are bucketed on an equirectangular plane around their mean latitude
//! (which only decides which buckets to look in, with a margin for the plane's scale error); the
//! distance that decides is the great-circle one ([`haversine_m`]).

use leefbaar_network::{Wgs84Point, haversine_m};

/// Metres per degree of latitude (mean).
const M_PER_DEG_LAT: f64 = 111_195.0;

/// The plane's scale differs from the great circle's by at most a few percent across the
/// Netherlands (cos 50.7° against cos 53.6°); searching 10 % wider never misses a point.
const PLANE_MARGIN: f64 = 1.1;

/// Points bucketed for radius queries.
#[derive(Debug, Clone)]
pub struct PointIndex {
    points: Vec<Wgs84Point>,
    /// The points on the plane, in metres.
    plane: Vec<(f64, f64)>,
    m_per_deg_lon: f64,
    bucket_m: f64,
    /// The bucket of the box's south-west corner, and the box's size in buckets.
    origin: (i64, i64),
    size: (i64, i64),
    /// Point indices per bucket, row by row (a dense grid: no hashing in the hot loop).
    buckets: Vec<Vec<u32>>,
}

impl PointIndex {
    /// An index of `points` in buckets of `bucket_m` (about the radius of the usual query).
    pub fn new(points: &[Wgs84Point], bucket_m: f64) -> PointIndex {
        let mean_lat = if points.is_empty() {
            52.0
        } else {
            points.iter().map(|p| p.lat).sum::<f64>() / points.len() as f64
        };
        let m_per_deg_lon = M_PER_DEG_LAT * mean_lat.to_radians().cos();
        let plane: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.lon * m_per_deg_lon, p.lat * M_PER_DEG_LAT))
            .collect();
        let mut index = PointIndex {
            points: points.to_vec(),
            plane,
            m_per_deg_lon,
            bucket_m,
            origin: (0, 0),
            size: (0, 0),
            buckets: Vec::new(),
        };
        let keys: Vec<(i64, i64)> = index.plane.iter().map(|&xy| index.bucket(xy)).collect();
        let (Some(min_x), Some(max_x), Some(min_y), Some(max_y)) = (
            keys.iter().map(|k| k.0).min(),
            keys.iter().map(|k| k.0).max(),
            keys.iter().map(|k| k.1).min(),
            keys.iter().map(|k| k.1).max(),
        ) else {
            return index;
        };
        index.origin = (min_x, min_y);
        index.size = (max_x - min_x + 1, max_y - min_y + 1);
        index.buckets = vec![Vec::new(); usize::try_from(index.size.0 * index.size.1).unwrap_or(0)];
        for (i, key) in keys.into_iter().enumerate() {
            let slot = index.slot(key).expect("a point's own bucket is in the box");
            index.buckets[slot].push(u32::try_from(i).expect("fewer than 4 billion points"));
        }
        index
    }

    #[expect(
        clippy::cast_possible_truncation,
        reason = "bucket numbers of WGS84 positions are far inside i64, and casts saturate"
    )]
    fn bucket(&self, (x, y): (f64, f64)) -> (i64, i64) {
        (
            (x / self.bucket_m).floor() as i64,
            (y / self.bucket_m).floor() as i64,
        )
    }

    /// The position in `buckets` of bucket `key`, when it lies in the box.
    fn slot(&self, (x, y): (i64, i64)) -> Option<usize> {
        let (dx, dy) = (x - self.origin.0, y - self.origin.1);
        ((0..self.size.0).contains(&dx) && (0..self.size.1).contains(&dy))
            .then(|| usize::try_from(dy * self.size.0 + dx).ok())
            .flatten()
    }

    /// Calls `found` with every indexed point within `radius_m` of `at` and its distance,
    /// bucket by bucket, until it returns `false`; returns whether it was stopped.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a radius in buckets is a small whole number, and casts saturate"
    )]
    fn visit(
        &self,
        at: Wgs84Point,
        radius_m: f64,
        mut found: impl FnMut(usize, f64) -> bool,
    ) -> bool {
        let xy = (at.lon * self.m_per_deg_lon, at.lat * M_PER_DEG_LAT);
        let wide = radius_m * PLANE_MARGIN;
        let reach = (wide / self.bucket_m).ceil() as i64;
        let (bx, by) = self.bucket(xy);
        for y in (by - reach).max(self.origin.1)..=(by + reach).min(self.origin.1 + self.size.1 - 1)
        {
            for x in
                (bx - reach).max(self.origin.0)..=(bx + reach).min(self.origin.0 + self.size.0 - 1)
            {
                let Some(slot) = self.slot((x, y)) else {
                    continue;
                };
                for &i in &self.buckets[slot] {
                    let i = i as usize;
                    let (px, py) = self.plane[i];
                    // The plane only rules out what is clearly too far; the great circle decides.
                    if (px - xy.0).hypot(py - xy.1) > wide {
                        continue;
                    }
                    let d = haversine_m(at, self.points[i]);
                    if d <= radius_m && !found(i, d) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// The indexed points within `radius_m` of `at`, with their distances, in index order.
    pub fn within(&self, at: Wgs84Point, radius_m: f64) -> Vec<(usize, f64)> {
        let mut found = Vec::new();
        self.visit(at, radius_m, |i, d| {
            found.push((i, d));
            true
        });
        found.sort_unstable_by_key(|&(i, _)| i);
        found
    }

    /// Whether any indexed point lies within `radius_m` of `at`; stops at the first.
    pub fn any_within(&self, at: Wgs84Point, radius_m: f64) -> bool {
        self.visit(at, radius_m, |_, _| false)
    }

    /// The sum of `weights` of the indexed points within `radius_m` of `at`.
    pub fn sum_within(&self, at: Wgs84Point, radius_m: f64, weights: &[f64]) -> f64 {
        let mut sum = 0.0;
        self.visit(at, radius_m, |i, _| {
            sum += weights[i];
            true
        });
        sum
    }

    /// The nearest indexed point within `radius_m` of `at` (ties to the lower index).
    pub fn nearest_within(&self, at: Wgs84Point, radius_m: f64) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        self.visit(at, radius_m, |i, d| {
            if best.is_none_or(|(j, e)| d < e || (d == e && i < j)) {
                best = Some((i, d));
            }
            true
        });
        best
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn the_index_finds_exactly_the_points_a_scan_of_all_of_them_finds() {
        assert!(
            PointIndex::new(&[], 500.0)
                .within(Wgs84Point::new(6.5, 52.9), 500.0)
                .is_empty()
        );
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        // Drenthe's box, and a few points far north and south of it to stretch the plane.
        let mut points: Vec<Wgs84Point> = (0..2_000)
            .map(|_| Wgs84Point::new(rng.random_range(6.1..7.1), rng.random_range(52.6..53.2)))
            .collect();
        points.push(Wgs84Point::new(5.0, 50.8));
        points.push(Wgs84Point::new(5.0, 53.5));
        for bucket_m in [250.0, 500.0, 2_000.0] {
            let index = PointIndex::new(&points, bucket_m);
            for _ in 0..300 {
                let at = Wgs84Point::new(rng.random_range(6.0..7.2), rng.random_range(52.5..53.3));
                let radius = [500.0, 2_000.0][rng.random_range(0..2)];
                let scan: Vec<(usize, f64)> = points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i, haversine_m(at, *p)))
                    .filter(|(_, d)| *d <= radius)
                    .collect();
                assert_eq!(index.any_within(at, radius), !scan.is_empty());
                let nearest = scan
                    .iter()
                    .copied()
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                assert_eq!(index.nearest_within(at, radius), nearest);
                let weights: Vec<f64> = (0..points.len()).map(|i| (i % 7) as f64).collect();
                let sum: f64 = scan.iter().map(|(i, _)| weights[*i]).sum();
                assert!((index.sum_within(at, radius, &weights) - sum).abs() < 1e-9);
                assert_eq!(index.within(at, radius), scan);
            }
        }
    }
}
