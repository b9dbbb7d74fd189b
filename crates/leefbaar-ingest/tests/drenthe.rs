//! The bundled Drenthe data, loaded through its manifest as the demo does, checked against
//! figures CBS publishes.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use leefbaar_ingest::{Bundle, Progress, load_manifest, load_manifest_with_progress};
use leefbaar_model::{AreaLevel, CellValue, Fact, Method, MissingReason};

const DRENTHE: [&str; 12] = [
    "GM0106", "GM0109", "GM0114", "GM0118", "GM0119", "GM1680", "GM1681", "GM1690", "GM1699",
    "GM1701", "GM1730", "GM1731",
];

fn manifest_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml")
}

/// The bundle, loaded once per test binary (loading takes about a second in a debug build).
fn bundle() -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| load_manifest(&manifest_path()).unwrap_or_else(|error| panic!("{error}")))
}

fn fact(area: &str, year: u16, variable: &str) -> &'static Fact {
    bundle()
        .facts
        .iter()
        .find(|fact| {
            fact.area.as_str() == area && fact.year.get() == year && fact.variable == variable
        })
        .unwrap_or_else(|| panic!("no fact {area} {year} {variable}"))
}

fn value(area: &str, year: u16, variable: &str) -> f64 {
    fact(area, year, variable).value.value().unwrap()
}

fn n_areas(level: AreaLevel) -> usize {
    bundle()
        .areas
        .iter()
        .filter(|area| area.level() == level)
        .count()
}

#[test]
fn drenthe_has_twelve_municipalities_in_pv22_with_boundaries() {
    let in_drenthe: Vec<&str> = bundle()
        .areas
        .iter()
        .filter(|area| {
            area.parent
                .as_ref()
                .is_some_and(|parent| parent.as_str() == "PV22")
        })
        .map(|area| area.code.as_str())
        .collect();
    assert_eq!(in_drenthe, DRENTHE);
    for area in bundle()
        .areas
        .iter()
        .filter(|area| DRENTHE.contains(&area.code.as_str()))
    {
        assert!(area.geometry_geojson.is_some(), "{}", area.code);
        assert_eq!((area.first_year.get(), area.last_year.get()), (2012, 2024));
    }
}

#[test]
fn the_bundle_has_the_country_twelve_provinces_189_districts_663_neighbourhoods_and_260_postcodes()
{
    assert_eq!(n_areas(AreaLevel::Country), 1);
    assert_eq!(n_areas(AreaLevel::Province), 12);
    assert_eq!(n_areas(AreaLevel::District), 189);
    assert_eq!(n_areas(AreaLevel::Neighbourhood), 663);
    assert_eq!(n_areas(AreaLevel::Postcode), 260);
    let drenthe = bundle()
        .areas
        .iter()
        .find(|area| area.code.as_str() == "PV22")
        .unwrap();
    assert_eq!(drenthe.name, "Drenthe");
    assert_eq!(drenthe.parent.as_ref().unwrap().as_str(), "NL01");
    assert!(drenthe.geometry_geojson.is_some());
}

#[test]
fn buitenland_and_the_blank_2012_pseudo_municipality_are_skipped() {
    let codes: HashSet<&str> = bundle()
        .areas
        .iter()
        .map(|area| area.code.as_str())
        .collect();
    assert!(!codes.contains("GM0998") && !codes.contains("GM9999"));
}

#[test]
fn every_parent_is_an_area_of_the_bundle() {
    let codes: HashSet<&str> = bundle()
        .areas
        .iter()
        .map(|area| area.code.as_str())
        .collect();
    for area in &bundle().areas {
        if let Some(parent) = &area.parent {
            assert!(codes.contains(parent.as_str()), "{} → {parent}", area.code);
        }
    }
}

#[test]
fn assen_had_67210_inhabitants_in_2012() {
    let assen = fact("GM0106", 2012, "inhabitants");
    assert_eq!(assen.value, CellValue::Value(67_210.0));
    assert_eq!(assen.method, Method::Published);
    assert_eq!(assen.rows.len(), 1);
    assert_eq!(assen.rows[0].source, "kwb_gemeenten_2012_2024");
}

#[test]
fn drenthe_municipalities_2024_inhabitants_match_kwb_2024() {
    let expected = [
        ("GM0106", 69_701.0),
        ("GM0109", 35_725.0),
        ("GM0114", 109_346.0),
        ("GM0118", 56_591.0),
        ("GM0119", 35_810.0),
        ("GM1680", 25_845.0),
        ("GM1681", 26_014.0),
        ("GM1690", 24_580.0),
        ("GM1699", 31_686.0),
        ("GM1701", 20_003.0),
        ("GM1730", 34_736.0),
        ("GM1731", 34_092.0),
    ];
    for (code, inhabitants) in expected {
        assert_eq!(value(code, 2024, "inhabitants"), inhabitants, "{code}");
    }
    let total: f64 = expected.iter().map(|(_, inhabitants)| inhabitants).sum();
    assert_eq!(total, 504_129.0);
}

#[test]
fn districts_add_up_to_their_municipality_within_cbs_rounding() {
    // CBS rounds district counts to multiples of 5, so each district may be up to 2.5 off.
    let mut sums: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    for fact in bundle()
        .facts
        .iter()
        .filter(|fact| fact.area.level() == AreaLevel::District && fact.variable == "inhabitants")
    {
        let entry = sums
            .entry(fact.area.municipality().unwrap().to_string())
            .or_default();
        entry.0 += fact.value.value().unwrap();
        entry.1 += 1;
    }
    assert_eq!(sums.keys().map(String::as_str).collect::<Vec<_>>(), DRENTHE);
    let mut largest = (String::new(), 0.0_f64);
    for (code, (district_sum, n_districts)) in &sums {
        let difference = value(code, 2024, "inhabitants") - district_sum;
        assert!(
            difference.abs() <= 2.5 * *n_districts as f64,
            "{code}: {difference}"
        );
        if difference.abs() > largest.1.abs() {
            largest = (code.clone(), difference);
        }
    }
    // Westerveld: 20,003 inhabitants, its 18 districts sum to 19,980.
    assert_eq!(largest, ("GM1701".to_owned(), 23.0));
}

#[test]
fn age_groups_are_reconstructed_from_percentages_without_rounding() {
    let fact = fact("GM0106", 2012, "inhabitants_65_plus");
    assert_eq!(fact.method, Method::Reconstructed);
    assert_eq!(fact.value.value().unwrap(), 16.0 / 100.0 * 67_210.0);
    assert_eq!(fact.rows[0].line, fact_line("GM0106", 2012, "inhabitants"));
}

fn fact_line(area: &str, year: u16, variable: &str) -> u64 {
    fact(area, year, variable).rows[0].line
}

#[test]
fn land_area_is_published_where_cbs_gives_hectares_and_rebuilt_from_density_elsewhere() {
    let published = fact("GM0106", 2024, "land_area_km2");
    assert_eq!(published.method, Method::Published);
    let rebuilt = fact("GM0106", 2012, "land_area_km2");
    assert_eq!(rebuilt.method, Method::Reconstructed);
    assert_eq!(rebuilt.value.value().unwrap(), 67_210.0 / 820.0);
}

#[test]
fn single_ages_of_2020_sum_to_the_drenthe_total_cbs_publishes() {
    let drenthe_2020: f64 = DRENTHE
        .iter()
        .map(|code| value(code, 2020, "inhabitants"))
        .sum();
    assert_eq!(drenthe_2020, 493_682.0);
    for code in DRENTHE {
        let groups: f64 = ["0_14", "15_24", "25_44", "45_64", "65_plus"]
            .iter()
            .map(|group| value(code, 2020, &format!("inhabitants_{group}")))
            .sum();
        assert_eq!(groups, value(code, 2020, "inhabitants"), "{code}");
        assert!(
            value(code, 2020, "inhabitants_80_plus") < value(code, 2020, "inhabitants_75_plus")
        );
        assert_eq!(fact(code, 2020, "inhabitants").method, Method::Published);
    }
}

#[test]
fn a_missing_cbs_cell_gives_a_missing_fact_never_zero() {
    // Aalten had no published mean WOZ value in the 2017 edition.
    assert_eq!(
        fact("GM0197", 2017, "woz_value_total").value,
        CellValue::Missing(MissingReason::NotCollected)
    );
    assert!(
        bundle()
            .facts
            .iter()
            .all(|fact| fact.value.value().is_none_or(f64::is_finite))
    );
}

#[test]
fn columns_cbs_did_not_publish_in_a_year_give_no_facts_that_year() {
    let years = |variable: &str| -> Vec<u16> {
        let years: std::collections::BTreeSet<u16> = bundle()
            .facts
            .iter()
            .filter(|fact| fact.area.as_str() == "GM0106" && fact.variable == variable)
            .map(|fact| fact.year.get())
            .collect();
        years.into_iter().collect()
    };
    assert_eq!(years("dwellings"), [2012, 2017, 2018, 2019, 2022, 2023]);
    assert_eq!(years("births"), [2022]);
    assert_eq!(years("gp_distance_total"), [2012, 2018, 2019, 2022, 2023]);
    assert_eq!(years("one_person_households"), [2022, 2024]);
}

#[test]
fn no_area_year_and_variable_has_two_facts() {
    let mut seen = HashSet::new();
    for fact in &bundle().facts {
        assert!(
            seen.insert((fact.area.clone(), fact.year, fact.variable.clone())),
            "{} {} {}",
            fact.area,
            fact.year,
            fact.variable
        );
    }
}

#[test]
fn district_age_groups_come_from_the_district_map_properties() {
    let centrum = fact("WK010600", 2024, "inhabitants_65_plus");
    assert_eq!(centrum.value.value().unwrap(), 33.0 / 100.0 * 7_165.0);
    assert_eq!(centrum.rows[0].source, "wijken_2024_drenthe");
    // The first feature of the map is "line" 1.
    assert_eq!(centrum.rows[0].line, 1);
}

#[test]
fn sources_carry_licence_and_attribution_and_no_import_time() {
    let sources = &bundle().sources;
    assert!(
        sources
            .iter()
            .any(|source| source.attribution == "Bron: CBS")
    );
    assert!(
        sources
            .iter()
            .any(|source| source.attribution.starts_with("Kadaster / CBS"))
    );
    for source in sources {
        // CBS's tables and maps are CC BY 4.0; the Leefbaarometer's open data CC0; Eurostat's
        // grid free to reuse with acknowledgement.
        if source.id.starts_with("lbm_") {
            assert!(source.licence.starts_with("CC0 1.0"), "{}", source.id);
        } else if source.id.starts_with("gezondheid_") {
            // Figures copied from published pages: facts with their source, no open licence.
            assert_eq!(
                source.licence, "Published statistics, cited with their source",
                "{}",
                source.id
            );
        } else if source.id.starts_with("eurostat_") {
            assert!(
                source.licence.starts_with("Eurostat reuse policy"),
                "{}",
                source.id
            );
        } else {
            assert_eq!(source.licence, "CC BY 4.0", "{}", source.id);
        }
        assert!(source.imported_at.is_empty());
        let path = manifest_path().parent().unwrap().join(&source.file);
        assert!(path.is_file(), "{}", path.display());
    }
}

#[test]
fn progress_runs_from_zero_to_its_total() {
    let mut steps: Vec<Progress> = Vec::new();
    load_manifest_with_progress(&manifest_path(), &mut |step| steps.push(step)).unwrap();
    let total = steps[0].total;
    assert_eq!(steps[0].done, 0);
    assert_eq!(steps.last().unwrap().done, total);
    assert!(steps.windows(2).all(|pair| pair[0].done < pair[1].done));
}

#[test]
fn every_drenthe_postcode_finds_its_municipality_and_district() {
    let postcodes = &bundle().postcodes;
    assert_eq!(postcodes.len(), 260);
    let drenthe: HashSet<&str> = DRENTHE.into_iter().collect();
    assert!(
        postcodes
            .iter()
            .all(|p| drenthe.contains(p.municipality.as_str()) && p.district.is_some())
    );
    let assen = postcodes.iter().find(|p| p.pc4 == 9401).unwrap();
    assert_eq!(
        (assen.place.as_str(), assen.municipality.as_str()),
        ("Assen", "GM0106")
    );
    assert_eq!(assen.district.as_ref().unwrap().as_str(), "WK010600");
    // Each postcode's district lies in its municipality.
    for postcode in postcodes {
        let district = postcode.district.as_ref().unwrap();
        assert_eq!(
            district.municipality().as_ref(),
            Some(&postcode.municipality),
            "{}",
            postcode.pc4
        );
    }
}

#[test]
fn a_merged_municipality_has_its_predecessors_sum_before_it_existed() {
    // Midden-Groningen (GM1952) was formed on 1 January 2018 from Hoogezand-Sappemeer (GM0018),
    // Menterwolde (GM1987) and Slochteren (GM0040).
    let predecessors: f64 = ["GM0018", "GM1987", "GM0040"]
        .iter()
        .map(|code| value(code, 2012, "inhabitants"))
        .sum();
    let merged = fact("GM1952", 2012, "inhabitants");
    assert_eq!(merged.method, Method::Redistricted);
    assert_eq!(merged.value.value(), Some(predecessors));
    assert!(merged.rows.len() >= 3, "the predecessors' rows are kept");
    // From 2018 on, CBS's own figure.
    assert_eq!(
        fact("GM1952", 2018, "inhabitants").method,
        Method::Published
    );
    // The predecessors now roll up into Groningen's provincial totals of their years.
    let hoogezand = bundle()
        .areas
        .iter()
        .find(|a| a.code.as_str() == "GM0018")
        .unwrap();
    assert_eq!(hoogezand.parent.as_ref().unwrap().as_str(), "PV20");
    // Drenthe has had the same twelve municipalities since 1998: nothing redistricted there.
    assert!(
        bundle()
            .facts
            .iter()
            .filter(|f| f.method == Method::Redistricted)
            .all(|f| !DRENTHE.contains(&f.area.as_str()))
    );
}

fn area(code: &str) -> &'static leefbaar_model::Area {
    bundle()
        .areas
        .iter()
        .find(|area| area.code.as_str() == code)
        .unwrap_or_else(|| panic!("no area {code}"))
}

#[test]
fn postcode_areas_are_named_by_postcode_and_place_under_their_municipality_with_a_boundary() {
    let assen = area("PC9401");
    assert_eq!(assen.name, "9401 Assen");
    assert_eq!(assen.parent.as_ref().unwrap().as_str(), "GM0106");
    assert!(assen.geometry_geojson.is_some());
    assert_eq!(
        (assen.first_year.get(), assen.last_year.get()),
        (2021, 2024)
    );
    let drenthe: HashSet<&str> = DRENTHE.into_iter().collect();
    for postcode in bundle()
        .areas
        .iter()
        .filter(|area| area.level() == AreaLevel::Postcode)
    {
        let parent = postcode.parent.as_ref().unwrap().as_str();
        assert!(drenthe.contains(parent), "{} → {parent}", postcode.code);
        assert!(postcode.geometry_geojson.is_some(), "{}", postcode.code);
        assert!(
            postcode.name.starts_with(&postcode.code.as_str()[2..]),
            "{}",
            postcode.name
        );
    }
}

#[test]
fn postcode_facts_equal_the_cbs_rows_they_come_from() {
    // pc4_2024_drenthe.csv: 9401 (Assen) and 7741 (Coevorden), line and cell as published.
    let row = &fact("PC9401", 2024, "inhabitants").rows[0];
    assert_eq!(
        (row.source.as_str(), row.line),
        ("pc4_statistiek_2024", 153)
    );
    for (variable, expected) in [
        ("inhabitants", 7_165.0),
        ("inhabitants_65_plus", 2_340.0),
        ("households", 4_280.0),
        ("dwellings", 4_360.0),
        ("benefit_recipients", 720.0),
        ("housing_association_dwellings", 970.0),
    ] {
        assert_eq!(value("PC9401", 2024, variable), expected, "{variable}");
        assert_eq!(fact("PC9401", 2024, variable).method, Method::Published);
    }
    assert_eq!(value("PC7741", 2024, "inhabitants"), 9_210.0);
    // Rebuilt from published percentages and means: the method says so.
    let owned = fact("PC7741", 2024, "owner_occupied_dwellings");
    assert_eq!(owned.value.value(), Some(0.50 * 4_500.0));
    assert_eq!(owned.method, Method::Reconstructed);
    assert_eq!(value("PC7741", 2023, "woz_value_total"), 220.0 * 4_485.0);
    // CBS's secret cells (blanked `-99997` in the copy) stay secret, never 0.
    assert_eq!(
        fact("PC7705", 2023, "housing_association_dwellings").value,
        CellValue::Missing(MissingReason::Secret)
    );
}

#[test]
fn published_classes_scores_and_health_figures_are_non_additive_facts() {
    assert_eq!(
        bundle().non_additive,
        [
            "health_good_pct",
            "health_no_sport_pct",
            "health_smokers_pct",
            "lbm_class",
            "lbm_environment",
            "lbm_facilities",
            "lbm_housing",
            "lbm_residents",
            "lbm_safety",
            "lbm_score",
            "life_expectancy_men",
            "life_expectancy_women",
            "urbanity_class"
        ]
    );
    assert_eq!(value("GM0106", 2002, "lbm_class"), 7.0);
    // Districts of 2016 whose code the bundle no longer has (Borger-Odoorn) are left out.
    let districts: HashSet<&str> = bundle()
        .facts
        .iter()
        .filter(|f| f.variable == "lbm_class" && f.area.level() == AreaLevel::District)
        .map(|f| f.area.as_str())
        .collect();
    assert_eq!(districts.len(), 168);
    // No class published for a district that year (`#N/A`): unknown, not 0.
    assert_eq!(
        fact("WK010913", 2016, "lbm_class").value,
        CellValue::Missing(MissingReason::Unknown)
    );
    // Scores of 2002 say nothing about when a municipality existed: Assen's years are KWB's.
    assert_eq!(area("GM0106").first_year.get(), 2012);
    // Published scores are never summed into a merged municipality (Westerwolde, 2018).
    assert!(
        bundle()
            .facts
            .iter()
            .all(|f| !(f.variable.starts_with("lbm_") && f.method == Method::Redistricted))
    );
}
