//! Criterion benchmarks of the records engine on a SYNTHETIC cohort the size of the
//! Netherlands' (about 180,000 group-8 pupils a year × 5 years = 900,000 records), spread over
//! 28 copies of the Drenthe school frame in 336 made-up municipalities under 12 made-up
//! provinces: the import (parse, check, resolve links) and the figures (counts, shares and
//! three matrices per area and year, through the shared disclosure control and its exact
//! check). Measured on this project's machine, 2 cores shared with another build; peak memory
//! comes from `/usr/bin/time -v` on the `synthesize` example (see its `--measure`), which
//! runs the same work once.
//!
//! `cargo bench -p leefbaar-records`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leefbaar_model::AreaCode;
use leefbaar_records::synthetic::{SyntheticFile, Targets, education};
use leefbaar_records::{AreaTree, DisclosureRule, RecordFile, Records, Schema};

const PUPILS_PER_YEAR: usize = 180_000;
const YEARS: u16 = 5;
const COPIES: usize = 28;

fn data(path: &str) -> String {
    fs_err::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/records")
            .join(path),
    )
    .expect("a committed file")
}

fn cohort() -> (Schema, AreaTree, Vec<SyntheticFile>) {
    let targets = Targets::parse(&data("published_targets.csv")).unwrap();
    let schools = education::parse_school_frame(&data("drenthe_primary_schools_2019.csv")).unwrap();
    let (frame, pairs) = education::national_frame(&schools, COPIES);
    let pairs: Vec<(AreaCode, AreaCode)> = pairs
        .iter()
        .map(|(a, b)| (AreaCode::parse(a).unwrap(), AreaCode::parse(b).unwrap()))
        .collect();
    let params = education::EducationParams {
        seed: 1,
        pupils_per_year: PUPILS_PER_YEAR,
        first_year: 2015,
        years: YEARS,
    };
    let files = education::generate(&frame, &targets, &params).unwrap();
    let schema = Schema::from_toml("education.toml", &data("education.toml")).unwrap();
    (schema, AreaTree::new(&pairs).unwrap(), files)
}

fn import(schema: &Schema, tree: &AreaTree, files: &[SyntheticFile]) -> Records {
    let inputs = files
        .iter()
        .map(|f| RecordFile {
            kind: f.kind.clone(),
            name: f.name.clone(),
            reader: f.csv.as_bytes(),
        })
        .collect();
    Records::import(schema.clone(), tree, inputs).unwrap()
}

fn records(c: &mut Criterion) {
    let (schema, tree, files) = cohort();
    let mut group = c.benchmark_group("records, 900k synthetic pupils");
    group.sample_size(10);
    group.throughput(Throughput::Elements(
        (PUPILS_PER_YEAR * usize::from(YEARS)) as u64,
    ));
    group.bench_function("import", |b| {
        b.iter(|| black_box(import(&schema, &tree, &files).table(1).len()));
    });
    let imported = import(&schema, &tree, &files);
    group.bench_function("figures", |b| {
        b.iter(|| {
            black_box(
                imported
                    .figures(&tree, &education::figures(), &DisclosureRule::default())
                    .unwrap()
                    .len(),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, records);
criterion_main!(benches);
