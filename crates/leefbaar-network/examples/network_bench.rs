//! Benchmark harness used by `bench/network/run.sh`: builds a graph (from an `.osm.pbf` file or
//! a synthetic road-like grid), exports it for `bench/network/compare_scipy.py`, and times
//! Leefbaar's nearest-facility search for 40 facility kinds, PBF parsing and closure
//! scenarios, writing the answers so the script can check scipy gives the same.
//!
//! Usage: `network_bench (--pbf FILE [--profile car|bicycle|foot] | --grid SIDE) --out DIR`
//!
//! Node ids in the output files are those of the graph as built: the network's own (already in
//! Hilbert order, see `leefbaar_network::order`) for a PBF file, row-major for the grid. The
//! grid is searched in Hilbert order like a network, renumbered before the timings start
//! (`prepare_s`) and mapped back for the output, so scipy gets the grid as generated.
//!
//! Output files in DIR (little-endian):
//! - `edges.bin`: u32 triples (tail, head, length_cm) of the *reversed* graph, parallel edges
//!   reduced to the shortest, so both engines search the same graph from the facilities;
//! - `facilities.bin`: per kind a u32 count then the facility node ids;
//! - `order.bin`: per node, u32 id under which Leefbaar searched it (identity for a PBF file);
//! - `leefbaar_<k>.bin`: per kind, u32 cost to the nearest facility per node (u32::MAX: none);
//! - `meta.json`: sizes, timings and memory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use leefbaar_network::{
    Edge, Graph, Metric, NearestCalculator, NearestField, NodeOrder, OsmExtract, Profile, Seed,
    Wgs84Point,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const N_KINDS: usize = 40;
const RANDOM_SEED: u64 = 2026;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let out = PathBuf::from(value("--out").ok_or("--out DIR is required")?);
    fs_err::create_dir_all(&out)?;
    let mut meta: BTreeMap<&str, String> = BTreeMap::new();
    let (graph, points) = if let Some(pbf) = value("--pbf") {
        let profile: Profile = value("--profile").as_deref().unwrap_or("car").parse()?;
        let bytes = fs_err::metadata(&pbf)?.len();
        let started = Instant::now();
        let extract = OsmExtract::read(Path::new(&pbf))?;
        let read_s = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let (network, report) = extract.network(profile)?;
        let build_s = started.elapsed().as_secs_f64();
        meta.insert("source", format!("\"{pbf} ({profile})\""));
        meta.insert("pbf_bytes", bytes.to_string());
        meta.insert("pbf_read_s", format!("{read_s:.4}"));
        meta.insert(
            "pbf_mb_per_s",
            format!("{:.2}", bytes as f64 / 1e6 / read_s),
        );
        meta.insert("network_build_s", format!("{build_s:.4}"));
        meta.insert("streets", report.streets_kept.to_string());
        meta.insert("network_heap_bytes", network.heap_bytes().to_string());
        (network.graph().clone(), None)
    } else {
        let side: u32 = value("--grid")
            .ok_or("--pbf FILE or --grid SIDE")?
            .parse()?;
        meta.insert("source", format!("\"synthetic grid {side}x{side}\""));
        let (graph, points) = road_like_grid(side);
        (graph, Some(points))
    };
    // Zero-length edges (duplicate OSM nodes) become 1 cm, because scipy treats stored zeros in
    // a sparse matrix as missing edges; both engines then search exactly the same graph.
    let edges: Vec<Edge> = graph
        .edges()
        .map(|e| Edge {
            length_cm: e.length_cm.max(1),
            ..e
        })
        .collect();
    let graph = Graph::from_edges(graph.n_nodes(), &edges);
    let n = graph.n_nodes();
    write_edges(&out.join("edges.bin"), &graph.reversed())?;
    // Leefbaar's own preparation, like scipy's CSR build not part of the search timings.
    let started = Instant::now();
    let order = match points {
        Some(points) => NodeOrder::hilbert(&points),
        None => NodeOrder::from_old_ids((0..u32::try_from(n)?).collect()),
    };
    let renumbered = graph.renumbered(&order);
    // The graph as built is only needed for the export; drop it so peak memory is the search's.
    drop(graph);
    let graph = renumbered;
    let reversed = graph.reversed();
    meta.insert(
        "prepare_s",
        format!("{:.4}", started.elapsed().as_secs_f64()),
    );
    let mut order_bin = Vec::with_capacity(n * 4);
    for node in 0..u32::try_from(n)? {
        order_bin.extend_from_slice(&order.new_id(node).to_le_bytes());
    }
    fs_err::write(out.join("order.bin"), order_bin)?;
    meta.insert("nodes", n.to_string());
    meta.insert("edges", reversed.n_edges().to_string());

    let mut rng = ChaCha8Rng::seed_from_u64(RANDOM_SEED);
    let sizes = [5usize, 10, 20, 50, 100, 200, 500, 1000];
    let kinds: Vec<Vec<u32>> = (0..N_KINDS)
        .map(|k| {
            let count = sizes[k % sizes.len()].min(n / 4).max(1);
            (0..count)
                .map(|_| rng.random_range(0..u32::try_from(n).expect("fits")))
                .collect()
        })
        .collect();
    let mut facilities_bin = Vec::new();
    for kind in &kinds {
        facilities_bin.extend_from_slice(&u32::try_from(kind.len())?.to_le_bytes());
        for node in kind {
            facilities_bin.extend_from_slice(&node.to_le_bytes());
        }
    }
    fs_err::write(out.join("facilities.bin"), facilities_bin)?;

    let kind_seeds: Vec<Vec<Seed>> = kinds
        .iter()
        .map(|kind| {
            kind.iter()
                .enumerate()
                .map(|(i, &node)| Seed {
                    node: order.new_id(node),
                    cost: 0,
                    facility: u32::try_from(i).expect("fits"),
                })
                .collect()
        })
        .collect();

    // First pass: time each kind and write its answers in the graph's own ids.
    let mut calculator = NearestCalculator::new();
    let mut field = NearestField::unreached(0);
    let mut search_s = Vec::new();
    for (k, seeds) in kind_seeds.iter().enumerate() {
        let started = Instant::now();
        calculator.nearest_into(&reversed, Metric::Distance, seeds, &mut field);
        search_s.push(started.elapsed().as_secs_f64());
        let mut bytes = Vec::with_capacity(n * 4);
        for node in 0..u32::try_from(n)? {
            let cost = field.cost(order.new_id(node)).unwrap_or(u32::MAX);
            bytes.extend_from_slice(&cost.to_le_bytes());
        }
        fs_err::write(out.join(format!("leefbaar_{k}.bin")), bytes)?;
    }
    let first_pass: f64 = search_s.iter().sum();
    search_s.sort_by(f64::total_cmp);
    meta.insert(
        "leefbaar_median_search_s",
        format!("{:.6}", search_s[search_s.len() / 2]),
    );
    // On the small fixtures a pass takes milliseconds, and one pass measures the scheduler as
    // much as the search: repeat the 40 kinds for about a second and keep the fastest pass.
    // `compare_scipy.py` does the same for scipy.
    let passes = passes_for(first_pass);
    let mut best = first_pass;
    for _ in 1..passes {
        let started = Instant::now();
        for seeds in &kind_seeds {
            calculator.nearest_into(&reversed, Metric::Distance, seeds, &mut field);
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    meta.insert("leefbaar_40_kinds_first_pass_s", format!("{first_pass:.6}"));
    meta.insert("leefbaar_40_kinds_s", format!("{best:.6}"));
    meta.insert("leefbaar_passes", passes.to_string());

    // The same 40 searches on every core, one calculator per thread (kinds are independent).
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut best_all_threads = f64::INFINITY;
    for _ in 0..passes {
        let started = Instant::now();
        std::thread::scope(|scope| {
            for t in 0..threads {
                let (kind_seeds, reversed) = (&kind_seeds, &reversed);
                scope.spawn(move || {
                    let mut calculator = NearestCalculator::new();
                    let mut field = NearestField::unreached(0);
                    for seeds in kind_seeds.iter().skip(t).step_by(threads) {
                        calculator.nearest_into(reversed, Metric::Distance, seeds, &mut field);
                        assert_eq!(field.n_nodes(), reversed.n_nodes());
                    }
                });
            }
        });
        best_all_threads = best_all_threads.min(started.elapsed().as_secs_f64());
    }
    meta.insert("threads", threads.to_string());
    meta.insert(
        "leefbaar_40_kinds_all_threads_s",
        format!("{best_all_threads:.6}"),
    );

    // Scenario latency: close one facility of a 200-facility kind and update incrementally.
    let kind = &kinds[5];
    let seeds = &kind_seeds[5];
    let base = calculator.nearest(&reversed, Metric::Distance, seeds);
    let mut latencies_ms = Vec::new();
    let mut updated = Vec::new();
    for _ in 0..30 {
        let closed = rng.random_range(0..u32::try_from(kind.len())?);
        let started = Instant::now();
        let mut field = base.clone();
        let changed = calculator.update(
            &graph,
            &reversed,
            Metric::Distance,
            &mut field,
            seeds,
            |f| f == closed,
            &[],
        );
        latencies_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        updated.push(changed.len());
    }
    latencies_ms.sort_by(f64::total_cmp);
    meta.insert("scenario_kind_facilities", kind.len().to_string());
    meta.insert(
        "scenario_median_ms",
        format!("{:.3}", latencies_ms[latencies_ms.len() / 2]),
    );
    meta.insert(
        "scenario_max_ms",
        format!("{:.3}", latencies_ms[latencies_ms.len() - 1]),
    );
    meta.insert(
        "scenario_mean_nodes_updated",
        format!(
            "{:.0}",
            updated.iter().sum::<usize>() as f64 / updated.len() as f64
        ),
    );
    meta.insert(
        "graph_heap_bytes",
        (graph.heap_bytes() + reversed.heap_bytes()).to_string(),
    );
    meta.insert("leefbaar_peak_rss_kb", peak_rss_kb().to_string());

    let mut json = String::from("{\n");
    let body: Vec<String> = meta
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {v}"))
        .collect();
    json.push_str(&body.join(",\n"));
    writeln!(json, "\n}}")?;
    fs_err::write(out.join("meta.json"), &json)?;
    print!("{json}");
    Ok(())
}

/// Passes over the 40 kinds for about a second of searching, given the first pass's time.
fn passes_for(first_pass_s: f64) -> usize {
    /// Enough for a stable minimum on the millisecond fixtures without dragging the run out.
    const MAX_PASSES: f64 = 200.0;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 1..=200 first"
    )]
    let passes = (1.0 / first_pass_s.max(1e-9)).ceil().clamp(1.0, MAX_PASSES) as usize;
    passes
}

/// A road-like grid: `side` × `side` nodes about 100 m apart; 8 % of links missing, 5 %
/// one-way; every 10th row and column an arterial at 80 km/h, the rest 30 km/h. Nodes are
/// numbered row by row; their positions (a grid south-west of Delft, 0.0015° × 0.0009°) come
/// back too, for the Hilbert order.
fn road_like_grid(side: u32) -> (Graph, Vec<Wgs84Point>) {
    let mut rng = ChaCha8Rng::seed_from_u64(RANDOM_SEED);
    let mut edges = Vec::with_capacity(side as usize * side as usize * 4);
    for r in 0..side {
        for c in 0..side {
            let here = r * side + c;
            for (there, arterial) in [
                (c + 1 < side).then(|| (here + 1, r % 10 == 0)),
                (r + 1 < side).then(|| (here + side, c % 10 == 0)),
            ]
            .into_iter()
            .flatten()
            {
                let roll: f64 = rng.random();
                if roll < 0.08 {
                    continue;
                }
                let length_cm: u32 = rng.random_range(7_000..13_000);
                // 80 km/h is 2.22 cm/ms, 30 km/h 0.83 cm/ms; integer arithmetic keeps it exact.
                let time_ms = if arterial {
                    length_cm * 36 / 80
                } else {
                    length_cm * 36 / 30
                };
                let forward = Edge {
                    tail: here,
                    head: there,
                    length_cm,
                    time_ms,
                };
                let backward = Edge {
                    tail: there,
                    head: here,
                    length_cm,
                    time_ms,
                };
                if roll < 0.13 {
                    edges.push(if rng.random_bool(0.5) {
                        forward
                    } else {
                        backward
                    });
                } else {
                    edges.push(forward);
                    edges.push(backward);
                }
            }
        }
    }
    let points = (0..side * side)
        .map(|i| {
            let (column, row) = (f64::from(i % side), f64::from(i / side));
            Wgs84Point::new(4.0 + column * 0.0015, 51.5 + row * 0.0009)
        })
        .collect();
    (
        Graph::from_edges(side as usize * side as usize, &edges),
        points,
    )
}

/// The reversed graph's edges, parallel edges reduced to the shortest.
fn write_edges(path: &Path, reversed: &Graph) -> Result<(), Box<dyn std::error::Error>> {
    let mut bytes = Vec::with_capacity(reversed.n_edges() * 12);
    let mut last: Option<(u32, u32)> = None;
    // Edges come sorted by (tail, head, length), so the first of a run is the shortest.
    for e in reversed.edges() {
        if last == Some((e.tail, e.head)) {
            continue;
        }
        last = Some((e.tail, e.head));
        for v in [e.tail, e.head, e.length_cm] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    fs_err::write(path, bytes)?;
    Ok(())
}

/// Peak resident memory of this process (Linux `VmHWM`), in kB; 0 where unknown.
fn peak_rss_kb() -> u64 {
    fs_err::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}
