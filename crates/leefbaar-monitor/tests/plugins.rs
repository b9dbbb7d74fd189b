//! Two sources added to the Drenthe bundle by manifest and catalogue only, computed as an import
//! computes them: CBS statistics per postcode (PC4) as an area level of its own, and the
//! Leefbaarometer 2.0 as published values that are never aggregated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use leefbaar_indicators::Computed;
use leefbaar_ingest::{Bundle, load_manifest};
use leefbaar_model::{AreaCode, AreaLevel, CellValue, MissingReason, Year};
use leefbaar_monitor::catalogue_for;

const DRENTHE: [&str; 12] = [
    "GM0106", "GM0109", "GM0114", "GM0118", "GM0119", "GM1680", "GM1681", "GM1690", "GM1699",
    "GM1701", "GM1730", "GM1731",
];

fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/drenthe")
        .join(relative)
}

fn bundle() -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        load_manifest(&data("manifest.toml")).unwrap_or_else(|error| panic!("{error}"))
    })
}

/// The bundle's indicators as the import computes them (built-in catalogue, the bundle's own).
fn computed() -> &'static Computed {
    static COMPUTED: OnceLock<Computed> = OnceLock::new();
    COMPUTED.get_or_init(|| {
        let catalogue = catalogue_for(&bundle().spec, None, false).unwrap();
        leefbaar_indicators::compute(&catalogue, &bundle().areas, &bundle().facts)
    })
}

fn observed(indicator: &str, area: &str, year: u16) -> CellValue {
    computed()
        .observation(
            indicator,
            &AreaCode::parse(area).unwrap(),
            Year::new(year).unwrap(),
        )
        .unwrap_or_else(|| panic!("no {indicator} for {area} in {year}"))
        .value
}

fn number(indicator: &str, area: &str, year: u16) -> f64 {
    observed(indicator, area, year)
        .value()
        .unwrap_or_else(|| panic!("{indicator} for {area} in {year} is missing"))
}

#[test]
fn the_postcode_level_changes_no_municipality_province_or_country_value() {
    let bundle = bundle();
    let catalogue = catalogue_for(&bundle.spec, None, false).unwrap();
    let areas: Vec<_> = bundle
        .areas
        .iter()
        .filter(|area| area.level() != AreaLevel::Postcode)
        .cloned()
        .collect();
    let facts: Vec<_> = bundle
        .facts
        .iter()
        .filter(|fact| fact.area.level() != AreaLevel::Postcode)
        .cloned()
        .collect();
    let without = leefbaar_indicators::compute(&catalogue, &areas, &facts);
    let with: Vec<_> = computed()
        .observations
        .iter()
        .filter(|observation| observation.area.level() != AreaLevel::Postcode)
        .cloned()
        .collect();
    assert!(
        computed()
            .observations
            .iter()
            .any(|observation| observation.area.level() == AreaLevel::Postcode)
    );
    assert_eq!(with.len(), without.observations.len());
    assert!(
        with == without.observations,
        "an observation above the postcodes changed"
    );
    assert_eq!(computed().findings, without.findings);
}

#[test]
fn postcode_indicators_equal_the_cbs_rows_they_are_computed_from() {
    // pc4_2024_drenthe.csv line 153 (9401 Assen): 7,165 inhabitants, 2,340 aged 65+, 4,360
    // dwellings, 970 of a housing association, 720 with a benefit, 2,430 addresses/km², class 2.
    assert_eq!(number("inhabitants", "PC9401", 2024), 7_165.0);
    assert_eq!(
        number("share_65_plus", "PC9401", 2024),
        100.0 * 2_340.0 / 7_165.0
    );
    assert_eq!(
        number("share_benefit_recipients", "PC9401", 2024),
        100.0 * 720.0 / 7_165.0
    );
    assert_eq!(
        number("share_housing_association", "PC9401", 2024),
        100.0 * 970.0 / 4_360.0
    );
    assert_eq!(number("address_density", "PC9401", 2024), 2_430.0);
    assert_eq!(number("urbanity_class", "PC9401", 2024), 2.0);
    // pc4_2023_drenthe.csv line 3 (7741 Coevorden): mean WOZ value 220 thousand euro, 50 %
    // owner-occupied (a percentage rounded to tens, so the share is that percentage).
    assert_eq!(number("mean_woz_value", "PC7741", 2023), 220.0);
    assert_eq!(number("share_owner_occupied", "PC7741", 2023), 50.0);
    // Change over one year from the two editions: (9,210 − 9,115) / 9,115.
    assert_eq!(
        number("inhabitants_change_1y", "PC7741", 2024),
        100.0 * (9_210.0 - 9_115.0) / 9_115.0
    );
    // A secret cell stays secret in every ratio built on it.
    assert_eq!(
        observed("share_housing_association", "PC7705", 2023),
        CellValue::Missing(MissingReason::Secret)
    );
    // Postcode-only variables have no municipal value: postcodes are not summed upward.
    let municipal = AreaCode::parse("GM0106").unwrap();
    assert!(
        computed()
            .observations
            .iter()
            .all(|o| !(o.area == municipal && o.indicator == "share_benefit_recipients"))
    );
}

/// `(code, year) → value` of one column of a vendored Leefbaarometer table; `kl` reads a class
/// table's columns `kl02` … `kl16` as the years 2002 … 2016. Cells without a number (`#N/A`,
/// empty) are left out.
fn leefbaarometer(file: &str, column: &str) -> BTreeMap<(String, u16), f64> {
    let path = data("leefbaarometer_2_0_meting_2016").join(file);
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let index = |name: &str| header.iter().position(|h| h == name).unwrap();
    let columns: Vec<(usize, Option<u16>)> = if column == "kl" {
        [
            ("kl02", 2002),
            ("kl08", 2008),
            ("kl12", 2012),
            ("kl14", 2014),
            ("kl16", 2016),
        ]
        .into_iter()
        .map(|(name, year)| (index(name), Some(year)))
        .collect()
    } else {
        vec![(index(column), None)]
    };
    let mut values = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        for &(at, fixed_year) in &columns {
            let year = fixed_year.unwrap_or_else(|| record[index("jaar")].parse().unwrap());
            if let Ok(value) = record[at].parse() {
                values.insert((record[0].to_owned(), year), value);
            }
        }
    }
    values
}

#[test]
fn leefbaarometer_values_of_drenthe_s_municipalities_equal_the_source() {
    let classes = leefbaarometer("lbm2_gemeente_klassen_2002_2016_nl.csv", "kl");
    let scores = [
        ("lbm_score", "rlbrmtr"),
        ("lbm_housing", "rlbwon"),
        ("lbm_residents", "rlbbev"),
        ("lbm_facilities", "rlbvrz"),
        ("lbm_safety", "rlbvei"),
        ("lbm_environment", "rlbfys"),
    ];
    let mut checked = 0;
    for code in DRENTHE {
        for year in [2002, 2008, 2012, 2014, 2016] {
            assert_eq!(
                number("lbm_class", code, year),
                classes[&(code.to_owned(), year)],
                "{code} {year}"
            );
            checked += 1;
        }
        for (indicator, column) in scores {
            let source = leefbaarometer("lbm2_gemeente_dimensies_stand_2012_2016_nl.csv", column);
            for year in [2012, 2014, 2016] {
                assert_eq!(
                    number(indicator, code, year),
                    source[&(code.to_owned(), year)],
                    "{indicator} {code} {year}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12 * (5 + 6 * 3));
    // Emmen 2016: class 6, score −0.029..., as published.
    assert_eq!(
        number("lbm_class", "GM0114", 2016),
        classes[&("GM0114".to_owned(), 2016)]
    );
}

#[test]
fn leefbaarometer_values_are_not_summed_or_averaged_into_drenthe_or_the_netherlands() {
    for indicator in ["lbm_class", "lbm_score", "lbm_safety"] {
        for area in ["PV22", "NL01"] {
            assert_eq!(
                observed(indicator, area, 2016),
                CellValue::Missing(MissingReason::NotApplicable),
                "{indicator} {area}"
            );
        }
    }
    // The change is each area's own difference: Assen 2016 − 2012.
    assert_eq!(
        number("lbm_score_change_4y", "GM0106", 2016),
        number("lbm_score", "GM0106", 2016) - number("lbm_score", "GM0106", 2012)
    );
    assert_eq!(
        observed("lbm_score_change_4y", "PV22", 2016),
        CellValue::Missing(MissingReason::NotApplicable)
    );
}

#[test]
fn drenthe_s_districts_keep_their_leefbaarometer_values_where_their_2016_code_still_exists() {
    let districts = leefbaarometer("lbm2_wijk_dimensies_stand_2012_2016_drenthe.csv", "rlbrmtr");
    let bundle_districts: Vec<&str> = bundle()
        .areas
        .iter()
        .filter(|area| area.level() == AreaLevel::District)
        .map(|area| area.code.as_str())
        .collect();
    let mut shown = 0;
    for ((code, year), value) in &districts {
        if bundle_districts.contains(&code.as_str()) {
            assert_eq!(number("lbm_score", code, *year), *value, "{code} {year}");
            shown += 1;
        } else {
            assert!(
                code.starts_with("WK1681"),
                "{code} is only left out when renumbered"
            );
        }
    }
    assert!(shown > 450, "{shown}");
    // Centrum (Assen) 2016, class 9.
    assert_eq!(number("lbm_class", "WK010600", 2016), 9.0);
}

#[test]
fn municipalities_merged_after_2016_keep_their_own_leefbaarometer_series_and_their_successor_has_none()
 {
    // Bellingwedde (GM0007) and Vlagtwedde (GM0048) became Westerwolde (GM1950) in 2018.
    assert!(number("lbm_score", "GM0007", 2016).is_finite());
    assert!(number("lbm_score", "GM0048", 2016).is_finite());
    let westerwolde = AreaCode::parse("GM1950").unwrap();
    assert!(
        computed()
            .observations
            .iter()
            .all(|o| !(o.area == westerwolde && o.indicator.starts_with("lbm_")))
    );
}

/// A bundle of one table and one municipality whose own catalogue declares `score` with
/// `catalogue_additive`, and whose manifest's fact for it says `manifest_fact`.
fn import_score_bundle(catalogue_additive: bool, manifest_fact: &str) -> Result<(), String> {
    let directory = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs_err::write(directory.path().join(name), text).unwrap();
    write(
        "manifest.toml",
        &format!(
            r#"
[bundle]
id = "test"
name = "Test"
version = "1"
province = "PV22"
catalogue = "catalogue.toml"

[country]
code = "NL01"
name = "Nederland"
years = [2016, 2016]

[[source]]
id = "scores"
file = "scores.csv"
table = "scores"
licence = "CC0 1.0"
attribution = "BZK"
area = "code"
year = 2016

[[source.fact]]
variable = "score"
formula = "score"
{manifest_fact}

[[areas]]
source = "scores"
name = "name"
parent = {{ source = "scores", column = "province" }}

[[source]]
id = "provinces"
file = "provinces.csv"
table = "provinces"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "code"

[[areas]]
source = "provinces"
name = "name"
"#
        ),
    );
    write(
        "scores.csv",
        "code,name,province,score\nGM0106,Assen,PV22,0.12\n",
    );
    write("provinces.csv", "code,name\nPV22,Drenthe\n");
    let kind = if catalogue_additive {
        "count"
    } else {
        "published"
    };
    write(
        "catalogue.toml",
        &format!(
            r#"
[[source]]
id = "scores"
description = "scores"

[[variable]]
id = "score"
unit = "{unit}"
additive = {catalogue_additive}
description = {{ nl = "score", en = "score" }}

[[indicator]]
id = "score"
kind = "{kind}"
variable = "score"
unit = "{unit}"
decimals = 2
theme = "livability"
source = "scores"
name = {{ nl = "score", en = "score" }}
description = {{ nl = "score", en = "score" }}
"#,
            unit = if catalogue_additive { "count" } else { "score" },
        ),
    );
    let mut options = leefbaar_monitor::ImportOptions::new(
        directory.path().join("manifest.toml"),
        directory.path().join("leefbaar.sqlite"),
    );
    options.reach = false;
    options.projection = false;
    leefbaar_monitor::import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {})
        .map(|_| ())
        .map_err(|error| error.to_string())
}

#[test]
fn the_manifest_and_the_catalogue_must_agree_on_which_variables_add_up() {
    assert_eq!(import_score_bundle(false, "additive = false"), Ok(()));
    assert_eq!(import_score_bundle(true, ""), Ok(()));
    insta::assert_snapshot!(import_score_bundle(false, "").unwrap_err(), @"variable `score` is `additive = false` in the catalogue, but the manifest's facts for it are not: add `additive = false` to them");
    insta::assert_snapshot!(import_score_bundle(true, "additive = false").unwrap_err(), @"variable `score` is `additive = false` in the manifest's facts, but additive in the catalogue: declare it `additive = false` there and show it with kind `published`");
}
