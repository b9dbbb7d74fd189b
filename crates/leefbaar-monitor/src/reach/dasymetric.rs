//! Dasymetric origins: each PC4 area's registered persons shared out over the parts of the
//! population-grid cells that lie in it, in proportion to the grid's persons in each part.
//!
//! The PC4 table says how many people live in an area; the grid says where within it. A part of
//! a cell gets `cell persons × part share of the cell's area` as its weight (people are taken as
//! spread evenly within a cell), and an area's persons are divided over its parts by weight, so
//! every area keeps its registered total exactly and the grid's own totals never count. An area
//! whose parts all weigh 0 (no grid population in it) is returned so that the caller can keep
//! one point for it instead.
//!
//! # References
//! Mennis, J. (2003), "Generating surface models of population using dasymetric mapping",
//! *The Professional Geographer* 55(1): 31–42 (the areal weighting within source zones used
//! here); Eicher, C. L. & Brewer, C. A. (2001), "Dasymetric mapping and areal interpolation",
//! *Cartography and Geographic Information Science* 28(2): 125–138.

/// A part of a grid cell in one area.
///
/// # Units
/// `weight`: persons of the grid (the cell's persons × the part's share of the cell).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    /// Index of the area (into the totals given to [`share_out`]).
    pub area: usize,
    /// The part's grid persons.
    pub weight: f64,
}

/// Persons per part: each area's total divided over its parts in proportion to their weight;
/// and the areas (indices) with a positive total whose parts weigh nothing, which get nothing.
///
/// # Units
/// `totals` and the result in persons.
pub fn share_out(totals: &[f64], parts: &[Part]) -> (Vec<f64>, Vec<usize>) {
    let mut weights = vec![0.0; totals.len()];
    for part in parts {
        weights[part.area] += part.weight;
    }
    let persons = parts
        .iter()
        .map(|part| {
            let weight = weights[part.area];
            if weight > 0.0 {
                totals[part.area] * part.weight / weight
            } else {
                0.0
            }
        })
        .collect();
    let unplaced = (0..totals.len())
        .filter(|&a| totals[a] > 0.0 && weights[a] <= 0.0)
        .collect();
    (persons, unplaced)
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn every_area_keeps_its_total_and_every_part_gets_its_share_of_the_weight() {
        for random_seed in 0..200u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(random_seed);
            let n_areas = rng.random_range(1..20);
            let totals: Vec<f64> = (0..n_areas)
                .map(|_| f64::from(rng.random_range(0..5_000u32)))
                .collect();
            let parts: Vec<Part> = (0..rng.random_range(0..80))
                .map(|_| Part {
                    area: rng.random_range(0..n_areas),
                    // Zero weights occur: cells empty in the grid's year.
                    weight: if rng.random_bool(0.2) {
                        0.0
                    } else {
                        rng.random_range(0.0..3_000.0)
                    },
                })
                .collect();
            let (persons, unplaced) = share_out(&totals, &parts);
            for (a, total) in totals.iter().enumerate() {
                let placed: f64 = parts
                    .iter()
                    .zip(&persons)
                    .filter(|(p, _)| p.area == a)
                    .map(|(_, n)| n)
                    .sum();
                if unplaced.contains(&a) {
                    assert_eq!(placed, 0.0, "random seed {random_seed}, area {a}");
                } else {
                    assert!(
                        (placed - total).abs() <= 1e-9 * total.max(1.0),
                        "random seed {random_seed}, area {a}: {placed} of {total}"
                    );
                }
            }
            // Within an area, persons are in proportion to weight.
            for (i, p) in parts.iter().enumerate() {
                for (j, q) in parts.iter().enumerate() {
                    if p.area == q.area {
                        let cross = persons[i] * q.weight - persons[j] * p.weight;
                        assert!(
                            cross.abs() <= 1e-6 * (1.0 + persons[i] * q.weight),
                            "random seed {random_seed}, parts {i} and {j}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn an_area_whose_cells_are_empty_in_the_grid_is_reported_not_dropped_silently() {
        let parts = [
            Part {
                area: 0,
                weight: 10.0,
            },
            Part {
                area: 1,
                weight: 0.0,
            },
        ];
        let (persons, unplaced) = share_out(&[100.0, 50.0, 0.0], &parts);
        assert_eq!(persons, vec![100.0, 0.0]);
        assert_eq!(unplaced, vec![1]);
    }
}
