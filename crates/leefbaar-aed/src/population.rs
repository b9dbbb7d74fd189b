//! Where people live, at the resolution AED coverage needs.
//!
//! A 500 m rule needs people placed to well within 500 m, and the population points a bundle
//! gives the reach engine are coarser: parts of 1 km grid cells cut by postcode area and
//! neighbourhood, each with one centre. Within a cell the reach monitor already takes people as
//! spread evenly; coverage keeps that assumption and makes it explicit: each point's persons are
//! spread evenly over a square lattice (100 m) on a disc of the point's own ground area centred
//! on the point. A point without a known area keeps all its persons at its centre.
//!
//! Evenly spread is a choice with a known direction: in a rural cell people live in a village
//! and on farms, not evenly, so people on the lattice lie farther from a village-centre AED than
//! they do and coverage is under- rather than over-stated there. The disc stands in for the
//! part's real outline, which the bundle does not carry.

use leefbaar_network::Wgs84Point;

/// The lattice step of [`spread`]: a fifth of the 500 m rule.
pub const LATTICE_M: f64 = 100.0;

/// Metres per degree of latitude (mean; within 0.5 % anywhere in the Netherlands).
const M_PER_DEG_LAT: f64 = 111_195.0;

/// A population point as the bundle gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settlement {
    /// Its centre.
    pub point: Wgs84Point,
    /// Its inhabitants.
    pub persons: f64,
    /// The ground it stands for, in square metres, when known.
    pub area_m2: Option<f64>,
}

/// A share of a settlement's inhabitants at one lattice point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resident {
    /// Where.
    pub point: Wgs84Point,
    /// How many (a fraction of the settlement's persons).
    pub persons: f64,
    /// The settlement (index into the slice given to [`spread`]).
    pub settlement: usize,
}

/// The offsets (east, north, in metres) of the lattice points of step `step_m` on a disc of
/// `area_m2` centred on the origin; never empty (the centre always counts).
#[expect(
    clippy::cast_possible_truncation,
    reason = "a disc's radius in lattice steps is a small whole number, and casts saturate"
)]
fn disc_offsets(area_m2: f64, step_m: f64) -> Vec<(f64, f64)> {
    let radius = (area_m2 / std::f64::consts::PI).sqrt();
    let n = (radius / step_m).floor() as i64;
    let mut offsets = Vec::new();
    for i in -n..=n {
        for j in -n..=n {
            let (x, y) = (i as f64 * step_m, j as f64 * step_m);
            if x.hypot(y) <= radius {
                offsets.push((x, y));
            }
        }
    }
    if offsets.is_empty() {
        offsets.push((0.0, 0.0));
    }
    offsets
}

/// Every settlement's persons spread evenly over the lattice points of its disc (see the
/// module); settlements without persons are left out. The residents of one settlement sum to
/// its persons.
pub fn spread(settlements: &[Settlement], step_m: f64) -> Vec<Resident> {
    let mut residents = Vec::new();
    for (index, settlement) in settlements.iter().enumerate() {
        if settlement.persons <= 0.0 {
            continue;
        }
        let offsets = match settlement.area_m2 {
            Some(area) if area > 0.0 => disc_offsets(area, step_m),
            _ => vec![(0.0, 0.0)],
        };
        let each = settlement.persons / offsets.len() as f64;
        let m_per_deg_lon = M_PER_DEG_LAT * settlement.point.lat.to_radians().cos();
        residents.extend(offsets.into_iter().map(|(east, north)| Resident {
            point: Wgs84Point::new(
                settlement.point.lon + east / m_per_deg_lon,
                settlement.point.lat + north / M_PER_DEG_LAT,
            ),
            persons: each,
            settlement: index,
        }));
    }
    residents
}

#[cfg(test)]
mod tests {
    use leefbaar_network::haversine_m;

    use super::*;

    #[test]
    fn a_whole_square_kilometre_spreads_over_the_lattice_points_of_its_disc_and_keeps_its_persons()
    {
        let centre = Wgs84Point::new(6.56, 52.99);
        let residents = spread(
            &[Settlement {
                point: centre,
                persons: 1_000.0,
                area_m2: Some(1_000_000.0),
            }],
            LATTICE_M,
        );
        // A disc of 1 km² has a radius of 564 m: the lattice points within it are those with
        // (100 i)² + (100 j)² ≤ 10⁶ / π, i and j in -5..=5.
        let expected = (-5i32..=5)
            .flat_map(|i| (-5i32..=5).map(move |j| (i, j)))
            .filter(|(i, j)| f64::from(i * i + j * j) * 1e4 <= 1e6 / std::f64::consts::PI)
            .count();
        assert_eq!(residents.len(), expected);
        assert!((residents.iter().map(|r| r.persons).sum::<f64>() - 1_000.0).abs() < 1e-9);
        let farthest = residents
            .iter()
            .map(|r| haversine_m(centre, r.point))
            .fold(0.0, f64::max);
        assert!(
            (500.0..=570.0).contains(&farthest),
            "farthest lattice point {farthest} m"
        );
    }

    #[test]
    fn a_small_part_or_one_without_ground_keeps_its_persons_at_its_centre() {
        let centre = Wgs84Point::new(6.56, 52.99);
        let residents = spread(
            &[
                Settlement {
                    point: centre,
                    persons: 12.0,
                    area_m2: Some(5_000.0),
                },
                Settlement {
                    point: centre,
                    persons: 7.0,
                    area_m2: None,
                },
                Settlement {
                    point: centre,
                    persons: 0.0,
                    area_m2: Some(1e6),
                },
            ],
            LATTICE_M,
        );
        assert_eq!(
            residents,
            vec![
                Resident {
                    point: centre,
                    persons: 12.0,
                    settlement: 0
                },
                Resident {
                    point: centre,
                    persons: 7.0,
                    settlement: 1
                },
            ]
        );
    }
}
