//! Robustness: random damage to real files must give `Ok` or `Err`, never a panic.
//!
//! Seeded (the seed is printed on failure), a few hundred cases per reader: truncations at
//! random points, flipped and inserted bytes, and whole chunks of random bytes.

use std::path::Path;

use leefbaar_ingest::{
    BoundarySpec, TableSpec, YearSource, parse_boundaries, parse_cbs_table, parse_properties_table,
};
use leefbaar_model::Year;

/// SplitMix64: a tiny, well-mixed generator, so the test needs no RNG dependency and its seeds
/// reproduce on every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap()
    }
}

/// A damaged copy of `original`, the damage chosen by `rng`.
fn damage(original: &[u8], rng: &mut SplitMix64) -> Vec<u8> {
    let mut bytes = original.to_vec();
    match rng.below(4) {
        0 => bytes.truncate(rng.below(bytes.len())),
        1 => {
            for _ in 0..=rng.below(20) {
                let index = rng.below(bytes.len());
                bytes[index] = rng.next().to_le_bytes()[0];
            }
        }
        2 => {
            for _ in 0..=rng.below(20) {
                let index = rng.below(bytes.len());
                let byte = *b",;\"\n\r.x-{}[]:0123456789".get(rng.below(23)).unwrap();
                bytes.insert(index, byte);
            }
        }
        _ => {
            let start = rng.below(bytes.len());
            let end = (start + rng.below(200)).min(bytes.len());
            for byte in &mut bytes[start..end] {
                *byte = rng.next().to_le_bytes()[0];
            }
        }
    }
    bytes
}

/// The first `limit` bytes of a bundled file, so each parse stays fast in a debug build.
fn bundled(relative: &str, limit: usize) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/drenthe")
        .join(relative);
    let mut bytes = fs_err::read(path).unwrap();
    bytes.truncate(limit);
    bytes
}

/// Runs `parse` on `cases` damaged copies; a panic fails the test, naming seed and case.
fn check_never_panics(seed: u64, original: &[u8], cases: usize, parse: impl Fn(&[u8])) {
    let mut rng = SplitMix64(seed);
    for case in 0..cases {
        let damaged = damage(original, &mut rng);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(&damaged)));
        assert!(
            outcome.is_ok(),
            "seed {seed}, case {case}: the parser panicked"
        );
    }
}

#[test]
fn damaged_kwb_tables_give_ok_or_err_never_a_panic() {
    let original = bundled(
        "cbs_kwb_gemeenten_2012_2024/kwb_gemeenten_2012_2024.csv",
        8_000,
    );
    let spec = TableSpec {
        year: YearSource::Column("jaar".to_owned()),
        number_columns: vec!["aantal_inwoners".to_owned(), "0_15".to_owned()],
        text_columns: vec!["gemeentenaam".to_owned()],
        ..TableSpec::new("gemeentecode")
    };
    check_never_panics(42, &original, 300, |bytes| {
        let _ = parse_cbs_table(bytes, "fuzz.csv", &spec);
    });
}

#[test]
fn damaged_cbs_exports_give_ok_or_err_never_a_panic() {
    let original = bundled(
        "cbs_gebieden_in_nederland_gemeenten/gebieden_in_nederland_gemeenten.csv",
        8_000,
    );
    let spec = TableSpec {
        number_columns: vec!["Inwonertal_54".to_owned()],
        text_columns: vec!["Code_26".to_owned()],
        ..TableSpec::new("Code_1")
    };
    check_never_panics(7, &original, 300, |bytes| {
        let _ = parse_cbs_table(bytes, "fuzz.csv", &spec);
    });
}

#[test]
fn damaged_boundaries_give_ok_or_err_never_a_panic() {
    // Whole features are needed for the JSON to parse at all, so the file is not cut short.
    let original = bundled("cbs_wijken_2024/wijken_2024_drenthe.geojson", usize::MAX);
    let spec = BoundarySpec::new("wijkcode", Some("wijknaam"), Year::new(2024).unwrap());
    let table_spec = TableSpec {
        number_columns: vec!["aantal_inwoners".to_owned()],
        ..TableSpec::new("wijkcode")
    };
    check_never_panics(2024, &original, 200, |bytes| {
        let _ = parse_boundaries(bytes, "fuzz.geojson", &spec);
        let _ = parse_properties_table(bytes, "fuzz.geojson", &table_spec);
    });
}

#[test]
fn small_valid_geojson_with_random_coordinates_never_panics() {
    // Most damage above breaks the JSON syntax; this reaches the geometry checks and the
    // reprojection with wild but well-formed numbers.
    let mut rng = SplitMix64(99);
    let spec = BoundarySpec::new("code", None, Year::new(2024).unwrap());
    for case in 0..300 {
        let mut number = || {
            let raw = f64::from_bits(rng.next());
            if raw.is_finite() { raw } else { 1e300 }
        };
        let ring: Vec<[f64; 2]> = (0..4).map(|_| [number(), number()]).collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"GM0106"}},"geometry":{{"type":"Polygon","coordinates":[[{:?},{:?},{:?},{:?},{:?}]]}}}}]}}"#,
            ring[0], ring[1], ring[2], ring[3], ring[0]
        );
        let outcome =
            std::panic::catch_unwind(|| parse_boundaries(text.as_bytes(), "fuzz.geojson", &spec));
        assert!(
            outcome.is_ok(),
            "seed 99, case {case}: the parser panicked on {text}"
        );
    }
}
