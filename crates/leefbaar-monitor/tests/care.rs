//! Care demand on the bundled data: every ratio of the care monitor is recomputed from summed
//! parts at every level (a province's informal-care potential is Σ 50–74 / Σ 85+ of its
//! municipalities, never a mean of theirs), the indices are 100 in 2024, and the published health
//! figures are shown for Drenthe only.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use leefbaar_model::{AreaCode, AreaLevel, CellValue};
use leefbaar_monitor::{ImportOptions, import_bundle};
use leefbaar_store::{AreaFilter, ObservationFilter, SqliteStore, Store as _};

/// (indicator, area, year) → value, for every observation the care checks read.
type Values = BTreeMap<(String, String, u16), Option<f64>>;

struct Imported {
    values: Values,
    drenthe_municipalities: Vec<String>,
    _dir: tempfile::TempDir,
}

const INDICATORS: [&str; 13] = [
    "projected_inhabitants",
    "projected_50_74",
    "projected_75_plus",
    "projected_85_plus",
    "projected_share_75_plus",
    "projected_share_85_plus",
    "informal_care_potential",
    "projected_dementia",
    "projected_dementia_per_1000",
    "projected_dementia_index_2024",
    "projected_85_plus_index_2024",
    "health_good_pct",
    "life_expectancy_men",
];

fn imported() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store_path = dir.path().join("leefbaar.sqlite");
        let manifest =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
        let options = ImportOptions {
            reach: false,
            ..ImportOptions::new(manifest, &store_path)
        };
        import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {}).unwrap();
        let store = SqliteStore::open(&store_path).unwrap();
        let observations = store
            .observations(&ObservationFilter {
                indicators: INDICATORS.iter().map(|id| (*id).to_owned()).collect(),
                ..ObservationFilter::default()
            })
            .unwrap();
        let values = observations
            .into_iter()
            .map(|o| {
                let value = match o.value {
                    CellValue::Value(v) => Some(v),
                    CellValue::Missing(_) => None,
                };
                ((o.indicator, o.area.to_string(), o.year.get()), value)
            })
            .collect();
        let drenthe_municipalities = store
            .areas(&AreaFilter {
                level: Some(AreaLevel::Municipality),
                parent: Some(AreaCode::parse("PV22").unwrap()),
                ..AreaFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|area| area.code.to_string())
            .collect();
        Imported {
            values,
            drenthe_municipalities,
            _dir: dir,
        }
    })
}

fn value(indicator: &str, area: &str, year: u16) -> Option<f64> {
    imported()
        .values
        .get(&(indicator.to_owned(), area.to_owned(), year))
        .copied()
        .flatten()
}

fn sum_over_drenthe(indicator: &str, year: u16) -> f64 {
    imported()
        .drenthe_municipalities
        .iter()
        .filter_map(|code| value(indicator, code, year))
        .sum()
}

#[test]
fn drenthe_s_care_ratios_are_recomputed_from_the_sums_of_its_municipalities_every_year() {
    for year in [2020, 2024, 2030, 2040] {
        let (carers, oldest, older, everyone, dementia) = (
            sum_over_drenthe("projected_50_74", year),
            sum_over_drenthe("projected_85_plus", year),
            sum_over_drenthe("projected_75_plus", year),
            sum_over_drenthe("projected_inhabitants", year),
            sum_over_drenthe("projected_dementia", year),
        );
        let cases = [
            ("projected_50_74", carers),
            ("projected_85_plus", oldest),
            ("informal_care_potential", carers / oldest),
            ("projected_share_75_plus", 100.0 * older / everyone),
            ("projected_share_85_plus", 100.0 * oldest / everyone),
            ("projected_dementia_per_1000", 1000.0 * dementia / everyone),
        ];
        for (indicator, expected) in cases {
            let province = value(indicator, "PV22", year).unwrap();
            approx::assert_relative_eq!(province, expected, max_relative = 1e-12);
        }
        // Not the mean of the municipalities' ratios, which differs in every year.
        let ratios: Vec<f64> = imported()
            .drenthe_municipalities
            .iter()
            .filter_map(|code| value("informal_care_potential", code, year))
            .collect();
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        assert!((mean - carers / oldest).abs() > 1e-6, "{year}: {mean}");
    }
}

#[test]
fn the_netherlands_is_the_sum_of_every_municipality_and_its_indices_are_100_in_2024() {
    for indicator in [
        "projected_dementia_index_2024",
        "projected_85_plus_index_2024",
    ] {
        for area in ["NL01", "PV22", "GM0106"] {
            let index = value(indicator, area, 2024).unwrap();
            approx::assert_relative_eq!(index, 100.0, max_relative = 1e-12);
        }
    }
    let carers = value("projected_50_74", "NL01", 2040).unwrap();
    let oldest = value("projected_85_plus", "NL01", 2040).unwrap();
    approx::assert_relative_eq!(
        value("informal_care_potential", "NL01", 2040).unwrap(),
        carers / oldest,
        max_relative = 1e-12
    );
}

#[test]
fn the_informal_care_potential_of_drenthe_falls_as_its_oldest_residents_grow_in_number() {
    // Demography, not calibration: 85+ grows faster than 50–74 in every municipality.
    let first = value("informal_care_potential", "PV22", 2020).unwrap();
    let last = value("informal_care_potential", "PV22", 2040).unwrap();
    assert!(last < first, "{first} → {last}");
    for code in &imported().drenthe_municipalities {
        if let (Some(from), Some(to)) = (
            value("informal_care_potential", code, 2020),
            value("informal_care_potential", code, 2040),
        ) {
            assert!(to < from, "{code}: {from} → {to}");
        }
    }
}

#[test]
fn published_health_figures_are_shown_for_drenthe_only() {
    assert_eq!(value("health_good_pct", "PV22", 2022), Some(70.0));
    assert_eq!(value("life_expectancy_men", "PV22", 2019), Some(79.7));
    assert_eq!(value("health_good_pct", "NL01", 2022), None);
    for code in &imported().drenthe_municipalities {
        assert_eq!(value("health_good_pct", code, 2022), None, "{code}");
    }
}
