//! Points within a straight-line radius, found through a square grid of buckets.
//!
//! The alert system's convention measures AED coverage as the crow flies (500 m), and counts
//! responders within 2 km of an AED the same way; both need, for many points, the few others
//! within a radius. Points are bucketed on an equirectangular plane around their mean latitude
//! (which only decides which buckets to look in, with a margin for the plane's scale error); the
//! distance that decides is the great-circle one ([`haversine_m`]).

use std::collections::HashMap;

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
    m_per_deg_lon: f64,
    bucket_m: f64,
    buckets: HashMap<(i64, i64), Vec<usize>>,
}

impl PointIndex {
    /// An index of `points` in buckets of `bucket_m` (about the radius of the usual query).
    pub fn new(points: &[Wgs84Point], bucket_m: f64) -> PointIndex {
        let mean_lat = if points.is_empty() {
            52.0
        } else {
            points.iter().map(|p| p.lat).sum::<f64>() / points.len() as f64
        };
        let mut index = PointIndex {
            points: points.to_vec(),
            m_per_deg_lon: M_PER_DEG_LAT * mean_lat.to_radians().cos(),
            bucket_m,
            buckets: HashMap::new(),
        };
        for (i, point) in points.iter().enumerate() {
            let key = index.bucket(*point);
            index.buckets.entry(key).or_default().push(i);
        }
        index
    }

    #[expect(
        clippy::cast_possible_truncation,
        reason = "bucket numbers of WGS84 positions are far inside i64, and casts saturate"
    )]
    fn bucket(&self, point: Wgs84Point) -> (i64, i64) {
        (
            (point.lon * self.m_per_deg_lon / self.bucket_m).floor() as i64,
            (point.lat * M_PER_DEG_LAT / self.bucket_m).floor() as i64,
        )
    }

    /// The indexed points within `radius_m` of `at`, with their distances, in index order.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a radius in buckets is a small whole number, and casts saturate"
    )]
    pub fn within(&self, at: Wgs84Point, radius_m: f64) -> Vec<(usize, f64)> {
        let reach = (radius_m * PLANE_MARGIN / self.bucket_m).ceil() as i64;
        let (bx, by) = self.bucket(at);
        let mut found = Vec::new();
        for x in bx - reach..=bx + reach {
            for y in by - reach..=by + reach {
                for &i in self.buckets.get(&(x, y)).into_iter().flatten() {
                    let d = haversine_m(at, self.points[i]);
                    if d <= radius_m {
                        found.push((i, d));
                    }
                }
            }
        }
        found.sort_unstable_by_key(|&(i, _)| i);
        found
    }

    /// The nearest indexed point within `radius_m` of `at` (ties to the lower index).
    pub fn nearest_within(&self, at: Wgs84Point, radius_m: f64) -> Option<(usize, f64)> {
        self.within(at, radius_m)
            .into_iter()
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn the_index_finds_exactly_the_points_a_scan_of_all_of_them_finds() {
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
                assert_eq!(index.within(at, radius), scan);
            }
        }
    }
}
