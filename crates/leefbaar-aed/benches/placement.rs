//! Criterion benchmarks of AED placement on a seeded synthetic instance of Drenthe's size: a
//! 100 m lattice over a 50 × 55 km box with about nine cells in ten holding homes (about
//! 250,000 points), persons clustered in 150 villages over a thin rural scatter, 5,000
//! candidate sites (four in five in or near a village) each covering the points within 500 m
//! in a straight line, and existing AEDs covering 30 % of the persons. The coverage sets come
//! from a lattice lookup here, not from the foot network: the bench measures placement, which
//! sees only the sets. `cargo bench -p leefbaar-aed --bench placement`.
//!
//! Measured on AMD EPYC, 2 cores (shared with other builds), 24 GiB, rustc 1.95.0, `-- --quick`,
//! 7 December 2026. Seed 14: 249,949 points, 377,322 persons, 5,000 candidates of 70.4 points on
//! average; 113,505 persons covered before, 199,893 with greedy's 50 sites, 201,718 after the
//! local search's 12 swaps.
//! - `place`, k = 50, with local search: 43 ms (the target: under 10 s)
//! - `place`, k = 50, greedy only: 28 ms
//! - `coverage_curve`, k_max = 50: 27 ms

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use leefbaar_aed::placement::{coverage_curve, place};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CELL_M: f64 = 100.0;
const COLUMNS: usize = 500; // 50 km east–west
const ROWS: usize = 550; // 55 km north–south
const WITHIN_M: f64 = 500.0;

/// Coverage sets, persons per point, points already covered.
struct Instance {
    sets: Vec<Vec<usize>>,
    weights: Vec<f64>,
    covered: Vec<bool>,
}

/// The lattice: per cell its point index, if the cell holds homes, and per point its cell.
/// Points are numbered row by row, so the points within a disc, collected row by row, come out
/// ascending.
struct Lattice {
    point_of_cell: Vec<Option<usize>>,
    cell_of_point: Vec<usize>,
}

/// The cells (rows or columns) within `radius_m` of `centre_m`, which lies in the box.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "clamped to 0..cells before the cast"
)]
fn cells_within(centre_m: f64, radius_m: f64, cells: usize) -> std::ops::RangeInclusive<usize> {
    let last = (cells - 1) as f64;
    let low = ((centre_m - radius_m) / CELL_M).ceil().clamp(0.0, last) as usize;
    let high = ((centre_m + radius_m) / CELL_M).floor().clamp(0.0, last) as usize;
    low..=high
}

impl Lattice {
    fn points_within(&self, x_m: f64, y_m: f64, radius_m: f64) -> Vec<usize> {
        let mut points = Vec::new();
        for row in cells_within(y_m, radius_m, ROWS) {
            for column in cells_within(x_m, radius_m, COLUMNS) {
                let (dx, dy) = (column as f64 * CELL_M - x_m, row as f64 * CELL_M - y_m);
                if dx * dx + dy * dy <= radius_m * radius_m
                    && let Some(point) = self.point_of_cell[row * COLUMNS + column]
                {
                    points.push(point);
                }
            }
        }
        points
    }

    /// The squared distance from a point's cell to (x, y), in m².
    fn distance2(&self, point: usize, x_m: f64, y_m: f64) -> f64 {
        let cell = self.cell_of_point[point];
        let dx = (cell % COLUMNS) as f64 * CELL_M - x_m;
        let dy = (cell / COLUMNS) as f64 * CELL_M - y_m;
        dx * dx + dy * dy
    }
}

fn synthetic_drenthe(seed: u64) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Nine cells in ten hold homes; the rest is water, heath and forest.
    let mut cell_of_point = Vec::new();
    let point_of_cell: Vec<Option<usize>> = (0..ROWS * COLUMNS)
        .map(|cell| {
            rng.random_bool(0.91).then(|| {
                cell_of_point.push(cell);
                cell_of_point.len() - 1
            })
        })
        .collect();
    let n_points = cell_of_point.len();
    let lattice = Lattice {
        point_of_cell,
        cell_of_point,
    };
    // A rural scatter of 0 to 0.8 persons per point, then villages of 100 to 10,000 persons
    // (log-uniform), spread as a bell whose width grows with the square root of the size.
    let mut weights: Vec<f64> = (0..n_points).map(|_| rng.random_range(0.0..0.8)).collect();
    let box_x = COLUMNS as f64 * CELL_M;
    let box_y = ROWS as f64 * CELL_M;
    let villages: Vec<(f64, f64, f64)> = (0..150)
        .map(|_| {
            let persons = 100.0 * rng.random_range(0.0..100.0_f64.ln()).exp();
            let sigma_m = 100.0 * (persons / 300.0).sqrt();
            let x = rng.random_range(0.0..box_x);
            let y = rng.random_range(0.0..box_y);
            let points = lattice.points_within(x, y, 3.0 * sigma_m);
            let density =
                |p: usize| (-lattice.distance2(p, x, y) / (2.0 * sigma_m * sigma_m)).exp();
            let total: f64 = points.iter().map(|&p| density(p)).sum();
            for &p in &points {
                weights[p] += persons * density(p) / total.max(f64::MIN_POSITIVE);
            }
            (x, y, sigma_m)
        })
        .collect();
    let near_village = |rng: &mut ChaCha8Rng, spread: f64| {
        let (x, y, sigma_m) = villages[rng.random_range(0..villages.len())];
        (
            (x + spread * sigma_m * rng.random_range(-1.0..1.0)).clamp(0.0, box_x),
            (y + spread * sigma_m * rng.random_range(-1.0..1.0)).clamp(0.0, box_y),
        )
    };
    // Existing AEDs in and near villages until 30 % of the persons are covered.
    let all: f64 = weights.iter().sum();
    let mut covered = vec![false; n_points];
    let mut covered_weight = 0.0;
    while covered_weight < 0.3 * all {
        let (x, y) = near_village(&mut rng, 1.5);
        for p in lattice.points_within(x, y, WITHIN_M) {
            if !covered[p] {
                covered[p] = true;
                covered_weight += weights[p];
            }
        }
    }
    let sets = (0..5000)
        .map(|_| {
            let (x, y) = if rng.random_bool(0.8) {
                near_village(&mut rng, 2.0)
            } else {
                (rng.random_range(0.0..box_x), rng.random_range(0.0..box_y))
            };
            lattice.points_within(x, y, WITHIN_M)
        })
        .collect();
    Instance {
        sets,
        weights,
        covered,
    }
}

fn placement(c: &mut Criterion) {
    let instance = synthetic_drenthe(14);
    let (sets, weights, covered) = (&instance.sets, &instance.weights, &instance.covered);
    let plan = place(sets, weights, covered, 50, true);
    let members: usize = sets.iter().map(Vec::len).sum();
    eprintln!(
        "{} points, {:.0} persons, {} candidates of {:.1} points on average; covered before \
         {:.0}, greedy {:.0}, after local search {:.0} ({} swaps)",
        weights.len(),
        weights.iter().sum::<f64>(),
        sets.len(),
        members as f64 / sets.len() as f64,
        plan.covered_before,
        plan.covered_by_greedy,
        plan.covered_after,
        plan.swaps,
    );
    let mut group = c.benchmark_group("placement, synthetic Drenthe");
    group.sample_size(10);
    group.bench_function("place k = 50 with local search", |b| {
        b.iter(|| black_box(place(sets, weights, covered, 50, true).covered_after));
    });
    group.bench_function("place k = 50, greedy only", |b| {
        b.iter(|| black_box(place(sets, weights, covered, 50, false).covered_after));
    });
    group.bench_function("coverage curve k_max = 50", |b| {
        b.iter(|| black_box(coverage_curve(sets, weights, covered, 50)[50]));
    });
    group.finish();
}

criterion_group!(benches, placement);
criterion_main!(benches);
