//! Criterion benchmarks of the reach monitor on the bundled Drenthe data (straight line × 1.3;
//! 7,621 grid parts by PC4 area and buurt as origins, five facility kinds): preparing the three
//! profile models as an import does, turning them into facts, and one school closure as the
//! dashboard's scenario asks for it. `cargo bench -p leefbaar-monitor`; the numbers in
//! `docs/methods/reach.md` name the machine they were measured on.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use leefbaar_model::AreaCode;
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions, facts};

fn drenthe_spec() -> leefbaar_ingest::ReachSpec {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest).expect("the bundled manifest");
    bundle.reach.expect("a [reach] section")
}

fn reach(c: &mut Criterion) {
    let spec = drenthe_spec();
    let province = AreaCode::parse("PV22").expect("a province code");
    let prepare = || {
        ReachMonitor::prepare(&spec, (&province, "Drenthe"), &ReachOptions::default())
            .expect("prepared")
    };
    let mut group = c.benchmark_group("reach, Drenthe, straight line");
    group.sample_size(10);
    // Each prepared monitor leaks its origins and facilities (they live as long as the
    // process in the product); ten samples keep that small.
    group.bench_function("prepare: read the grid, share out, 3 profile models", |b| {
        b.iter(|| black_box(prepare().origins().len()));
    });
    let monitor = prepare();
    group.bench_function("facts for the store", |b| {
        b.iter(|| black_box(facts(&monitor).len()));
    });
    group.finish();
    // Basisschool Jan Thies in Rolde (Aa en Hunze), as the CLI test closes it.
    let close = vec!["10VA00".to_owned()];
    c.bench_function(
        "reach, Drenthe, straight line/close one primary school, every area",
        |b| {
            b.iter(|| {
                black_box(
                    monitor
                        .scenario("primary_school", &close, &[], None)
                        .expect("a scenario")
                        .areas
                        .len(),
                )
            });
        },
    );
}

criterion_group!(benches, reach);
criterion_main!(benches);
