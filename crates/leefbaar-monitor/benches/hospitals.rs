//! Criterion benchmarks of the hospital monitor on the bundled north (Groningen, Fryslân,
//! Drenthe, Overijssel: 1,281 PC4 points, 2.9 million persons; the 89 hospitals and 280
//! ambulance posts of the Netherlands; straight line × 1.3 at 60 km/h): preparing it (reading
//! the files, ranking every hospital for every point, the baseline and the sensitive table),
//! one interactive scenario (three hospitals closed, every municipality, province and fallback),
//! and every single-hospital closure of the north (the sensitive-hospitals table).
//! `cargo bench -p leefbaar-monitor --bench hospitals`; `docs/methods/hospitals.md` reports a
//! run with the machine it was measured on.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use leefbaar_monitor::hospitals::HospitalMonitor;

fn hospitals(c: &mut Criterion) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest).expect("the bundled manifest");
    let spec = bundle.hospitals.expect("a [hospitals] section");
    let mut group = c.benchmark_group("hospitals, the north, straight line");
    group.sample_size(20);
    group.bench_function(
        "prepare: read, rank 89 hospitals for 1,281 points, baseline, sensitive table",
        |b| {
            b.iter(|| {
                black_box(
                    HospitalMonitor::prepare(&spec)
                        .expect("prepared")
                        .sensitive()
                        .len(),
                );
            });
        },
    );
    let monitor = HospitalMonitor::prepare(&spec).expect("prepared");
    group.bench_function("scenario: close Zwolle, Emmen and Leeuwarden", |b| {
        b.iter(|| {
            black_box(
                monitor
                    .scenario(&["ZH36", "ZH73", "ZH45"])
                    .expect("known hospitals")
                    .fallbacks
                    .len(),
            );
        });
    });
    group.bench_function(
        "every single-hospital closure of the north (sensitive table)",
        |b| {
            b.iter(|| black_box(monitor.single_closures().len()));
        },
    );
    group.finish();
}

criterion_group!(benches, hospitals);
criterion_main!(benches);
