//! WGS84 points, great-circle lengths and a local metric plane.
//!
//! Input coordinates are WGS84 longitude/latitude (as in OpenStreetMap and most open facility
//! files). Lengths are great-circle (haversine) distances on a sphere of the mean Earth radius:
//! within the Netherlands the error against the ellipsoid stays below 0.5 %, far less than the
//! uncertainty of where an address meets the road. Snapping needs perpendicular projections, so
//! points are also projected onto a local equirectangular plane centred on the network; at
//! Drenthe's size (about 100 km) its scale error is below 0.1 % and only decides *which* segment
//! is nearest, while the off-network leg itself is measured again by haversine.

/// Mean Earth radius (IUGG), in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 (EPSG:4326) position.
///
/// # Units
/// `lon` and `lat` in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wgs84Point {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

impl Wgs84Point {
    /// A point from longitude and latitude in degrees.
    pub fn new(lon: f64, lat: f64) -> Wgs84Point {
        Wgs84Point { lon, lat }
    }

    /// Whether both coordinates are finite and inside the valid WGS84 ranges.
    pub fn is_valid(self) -> bool {
        self.lon.is_finite()
            && self.lat.is_finite()
            && (-180.0..=180.0).contains(&self.lon)
            && (-90.0..=90.0).contains(&self.lat)
    }
}

/// Great-circle distance between two points.
///
/// # Units
/// Metres.
pub fn haversine_m(a: Wgs84Point, b: Wgs84Point) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// An equirectangular projection around a centre point, good for a region of a few hundred km.
///
/// # Units
/// Plane coordinates in metres east and north of the centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LocalPlane {
    center: Wgs84Point,
    m_per_deg_lon: f64,
    m_per_deg_lat: f64,
}

impl LocalPlane {
    /// A plane centred on `center`.
    pub(crate) fn new(center: Wgs84Point) -> LocalPlane {
        let m_per_deg_lat = EARTH_RADIUS_M.to_radians();
        LocalPlane {
            center,
            m_per_deg_lon: m_per_deg_lat * center.lat.to_radians().cos(),
            m_per_deg_lat,
        }
    }

    /// A plane centred on the middle of the bounding box of `points` (or 0,0 when empty).
    pub(crate) fn around(points: &[Wgs84Point]) -> LocalPlane {
        if points.is_empty() {
            return LocalPlane::new(Wgs84Point::new(0.0, 0.0));
        }
        let (mut min_lon, mut max_lon) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut min_lat, mut max_lat) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in points {
            min_lon = min_lon.min(p.lon);
            max_lon = max_lon.max(p.lon);
            min_lat = min_lat.min(p.lat);
            max_lat = max_lat.max(p.lat);
        }
        LocalPlane::new(Wgs84Point::new(
            f64::midpoint(min_lon, max_lon),
            f64::midpoint(min_lat, max_lat),
        ))
    }

    /// Projects a WGS84 point to plane metres.
    pub(crate) fn project(&self, p: Wgs84Point) -> [f64; 2] {
        [
            (p.lon - self.center.lon) * self.m_per_deg_lon,
            (p.lat - self.center.lat) * self.m_per_deg_lat,
        ]
    }

    /// The inverse of [`LocalPlane::project`].
    pub(crate) fn unproject(&self, xy: [f64; 2]) -> Wgs84Point {
        Wgs84Point::new(
            self.center.lon + xy[0] / self.m_per_deg_lon,
            self.center.lat + xy[1] / self.m_per_deg_lat,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(Wgs84Point::new(6.5, 52.0), Wgs84Point::new(6.5, 53.0));
        assert!((d - 111_195.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn projecting_and_unprojecting_returns_the_point() {
        let plane = LocalPlane::new(Wgs84Point::new(6.6, 52.8));
        let p = Wgs84Point::new(6.9, 52.7);
        let back = plane.unproject(plane.project(p));
        assert!((back.lon - p.lon).abs() < 1e-12 && (back.lat - p.lat).abs() < 1e-12);
    }

    #[test]
    fn plane_distances_match_haversine_within_a_tenth_of_a_percent_near_the_centre() {
        let plane = LocalPlane::new(Wgs84Point::new(6.6, 52.8));
        let (a, b) = (Wgs84Point::new(6.55, 52.78), Wgs84Point::new(6.62, 52.83));
        let (pa, pb) = (plane.project(a), plane.project(b));
        let plane_m = (pa[0] - pb[0]).hypot(pa[1] - pb[1]);
        let true_m = haversine_m(a, b);
        assert!(
            (plane_m - true_m).abs() / true_m < 1e-3,
            "{plane_m} vs {true_m}"
        );
    }
}
