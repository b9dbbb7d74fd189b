//! Criterion benchmarks of the AED monitor on the bundled Drenthe data and its SYNTHETIC
//! register (700 AEDs; reach's 7,621 grid parts spread over a 100 m lattice: about a quarter of a
//! million resident points): preparing coverage under all five availability rules (24/7 and the
//! four reference moments), the facts for the store, the white spots, and placing 50 new AEDs
//! for the whole province with interchange local search. `cargo bench -p leefbaar-monitor
//! --bench aed`; `docs/methods/aed.md` reports a run with the machine it was measured on.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use leefbaar_model::AreaCode;
use leefbaar_monitor::aed::{AedMonitor, facts};
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions};

fn aed(c: &mut Criterion) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest).expect("the bundled manifest");
    let province = AreaCode::parse("PV22").expect("a province code");
    let reach = ReachMonitor::prepare(
        bundle.reach.as_ref().expect("a [reach] section"),
        (&province, "Drenthe"),
        &ReachOptions::default(),
    )
    .expect("prepared");
    let spec = bundle.aed.expect("an [aed] section");
    let mut group = c.benchmark_group("aed, Drenthe, straight line 500 m");
    group.sample_size(10);
    group.bench_function(
        "prepare: read the register, spread residents, coverage under 5 rules",
        |b| {
            b.iter(|| {
                black_box(
                    AedMonitor::prepare(&spec, &reach)
                        .expect("prepared")
                        .residents()
                        .len(),
                );
            });
        },
    );
    let monitor = AedMonitor::prepare(&spec, &reach).expect("prepared");
    group.bench_function("facts for the store", |b| {
        b.iter(|| black_box(facts(&monitor).len()));
    });
    group.bench_function("white spots, 24/7", |b| {
        b.iter(|| black_box(monitor.white_spots(0, 10.0, None).len()));
    });
    group.bench_function("placement: 50 new AEDs, 24/7, greedy + local search", |b| {
        b.iter(|| black_box(monitor.placement(0, 50, false, None).covered_after));
    });
    group.bench_function("placement: relocate indoor AEDs and 10 new, 24/7", |b| {
        b.iter(|| black_box(monitor.placement(0, 10, true, None).covered_after));
    });
    group.finish();
}

criterion_group!(benches, aed);
criterion_main!(benches);
