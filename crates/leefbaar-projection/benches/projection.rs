//! Benchmarks: every Dutch municipality (355 in the 2020 division) × 101 ages × 2 sexes × 20
//! years, once at the medium variant and as 1,000 bootstrap runs; plus one step of one area.
//!
//! `cargo bench -p leefbaar-projection`; report the machine (`lscpu`) with the numbers.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use leefbaar_model::Year;
use leefbaar_projection::{AgeSexTable, BootstrapParams, Variant, bootstrap, project_one_year};

#[path = "../tests/common/mod.rs"]
mod common;

fn benches(c: &mut Criterion) {
    let nl = common::netherlands();
    let horizon = Year::new(2040).expect("in range");
    let mut group = c.benchmark_group("netherlands_2020_2040");
    group.sample_size(10);
    group.bench_function("setup_from_bundled_tables", |b| {
        b.iter(|| black_box(common::netherlands()));
    });
    group.bench_function("medium_355_areas_20_years", |b| {
        b.iter(|| black_box(nl.setup.run(Variant::Medium, horizon).expect("valid")));
    });
    group.measurement_time(Duration::from_mins(1));
    group.bench_function("bootstrap_1000_runs_355_areas_20_years", |b| {
        b.iter(|| {
            black_box(bootstrap(
                &nl.setup,
                horizon,
                &BootstrapParams::default(),
                &[],
            ))
        });
    });
    group.finish();

    let area = &nl.setup.areas[0];
    let rates = nl
        .setup
        .schedule
        .for_year(Year::new(2020).expect("in range"));
    let mut end = AgeSexTable::zeros(area.base.n_ages());
    c.bench_function("one_step_one_area", |b| {
        b.iter(|| {
            black_box(project_one_year(
                black_box(&area.base),
                rates,
                &area.migration.medium,
                &mut end,
            ))
        });
    });
}

criterion_group!(projection, benches);
criterion_main!(projection);
