//! Criterion benchmarks of the reach engine: one multi-source search (a grid in row-major and
//! in Hilbert order, and Monaco's foot network), one closure scenario (incremental update), PBF
//! parsing (MB/s) and network building. The comparison with scipy
//! on a million-node graph lives in `bench/network/run.sh`; this file is for quick,
//! repeatable measurements while changing the engine (`cargo bench -p leefbaar-network`).
//!
//! The Monaco benchmarks need `monaco_osrm.osm.pbf` from the larger OSM fixtures, which are not
//! in the repository: `LEEFBAAR_OSM_FIXTURES=DIR cargo bench -p leefbaar-network` with the folder
//! that holds it (see `crates/leefbaar-network/tests/data/SOURCE.md`); without it they are
//! skipped, with a line saying so.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leefbaar_network::{
    Edge, Graph, Metric, NearestCalculator, NearestField, NodeOrder, OsmExtract, Profile, Seed,
    Wgs84Point,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A `side` × `side` grid with 100 m ± 30 % links, 8 % missing and 5 % one-way.
fn grid(side: u32) -> Graph {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut edges = Vec::new();
    for r in 0..side {
        for c in 0..side {
            let here = r * side + c;
            let neighbours = [
                (c + 1 < side).then_some(here + 1),
                (r + 1 < side).then_some(here + side),
            ];
            for there in neighbours.into_iter().flatten() {
                let roll: f64 = rng.random();
                if roll < 0.08 {
                    continue;
                }
                let length_cm = rng.random_range(7_000..13_000);
                let time_ms = length_cm * 36 / 30;
                edges.push(Edge {
                    tail: here,
                    head: there,
                    length_cm,
                    time_ms,
                });
                if roll >= 0.13 {
                    edges.push(Edge {
                        tail: there,
                        head: here,
                        length_cm,
                        time_ms,
                    });
                }
            }
        }
    }
    Graph::from_edges((side * side) as usize, &edges)
}

fn seeds(n_nodes: u32, count: u32) -> Vec<Seed> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    (0..count)
        .map(|facility| Seed {
            node: rng.random_range(0..n_nodes),
            cost: 0,
            facility,
        })
        .collect()
}

fn search(c: &mut Criterion) {
    let graph = grid(300);
    let reversed = graph.reversed();
    let seeds = seeds(300 * 300, 100);
    let mut calculator = NearestCalculator::new();
    c.bench_function("nearest facility, grid 90k nodes, 100 facilities", |b| {
        b.iter(|| black_box(calculator.nearest(&reversed, Metric::Distance, black_box(&seeds))));
    });
    // The same grid numbered along a Hilbert curve, as a network numbers its nodes.
    let points: Vec<Wgs84Point> = (0..300u32 * 300)
        .map(|i| Wgs84Point::new(f64::from(i % 300) * 0.0015, f64::from(i / 300) * 0.0009))
        .collect();
    let order = NodeOrder::hilbert(&points);
    let hilbert_reversed = graph.renumbered(&order).reversed();
    let hilbert_seeds: Vec<Seed> = seeds
        .iter()
        .map(|s| Seed {
            node: order.new_id(s.node),
            ..*s
        })
        .collect();
    let mut field = NearestField::unreached(0);
    c.bench_function(
        "nearest facility, grid 90k nodes in Hilbert order, 100 facilities",
        |b| {
            b.iter(|| {
                calculator.nearest_into(
                    &hilbert_reversed,
                    Metric::Distance,
                    black_box(&hilbert_seeds),
                    &mut field,
                );
                black_box(field.n_nodes())
            });
        },
    );
    let base = calculator.nearest(&reversed, Metric::Distance, &seeds);
    c.bench_function(
        "close one of 100 facilities, grid 90k nodes, incremental",
        |b| {
            let mut closed = 0u32;
            b.iter(|| {
                closed = (closed + 37) % 100;
                let mut field = base.clone();
                let changed = calculator.update(
                    &graph,
                    &reversed,
                    Metric::Distance,
                    &mut field,
                    &seeds,
                    |f| f == closed,
                    &[],
                );
                black_box(changed.len())
            });
        },
    );
}

fn pbf(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("LEEFBAAR_OSM_FIXTURES").filter(|d| !d.is_empty()) else {
        eprintln!(
            "skipped: the Monaco PBF benchmarks (set LEEFBAAR_OSM_FIXTURES=DIR, the folder holding \
             monaco_osrm.osm.pbf; see crates/leefbaar-network/tests/data/SOURCE.md)"
        );
        return;
    };
    let path = PathBuf::from(dir).join("monaco_osrm.osm.pbf");
    let metadata =
        fs_err::metadata(&path).expect("LEEFBAAR_OSM_FIXTURES holds monaco_osrm.osm.pbf");
    let mut group = c.benchmark_group("monaco_osrm.osm.pbf");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(metadata.len()));
    group.bench_function("read routable ways and nodes", |b| {
        b.iter(|| black_box(OsmExtract::read(&path).expect("readable")));
    });
    let extract = OsmExtract::read(&path).expect("readable");
    group.bench_function("build the car network", |b| {
        b.iter(|| black_box(extract.network(Profile::Car).expect("roads")));
    });
    let (foot, _) = extract.network(Profile::Foot).expect("roads");
    let n_nodes = u32::try_from(foot.nodes().len()).expect("fits");
    let foot_seeds = seeds(n_nodes, 100);
    let mut calculator = NearestCalculator::new();
    let mut field = NearestField::unreached(0);
    group.sample_size(100);
    group.throughput(Throughput::Elements(u64::from(n_nodes)));
    group.bench_function("nearest facility on foot, 100 facilities", |b| {
        b.iter(|| {
            calculator.nearest_into(
                foot.reversed(),
                Metric::Distance,
                black_box(&foot_seeds),
                &mut field,
            );
            black_box(field.n_nodes())
        });
    });
    group.finish();
}

criterion_group!(benches, search, pbf);
criterion_main!(benches);
