//! Engine tests: each is a minimal inline table of facts and the expected observations.
//!
//! `compute_table` is the single place that calls [`compute`]; `check_indicator` renders one
//! indicator's observations and every finding as text and compares that with the expectation.
//!
//! Table format: a header `area,year[,parent],<variable>...` and one row per area and year.
//! Cells: a number is a published fact, a number with a trailing `r` a reconstructed one, `.`
//! CBS's unknown, `x` a secret cell, and an empty cell no fact at all. Every area in the table
//! exists from its first to its last year in the table; a municipality's province is the
//! `parent` column, or `PV22` (Drenthe) without one.

use approx::assert_relative_eq;
use leefbaar_model::{
    Area, AreaCode, AreaLevel, CellValue, Fact, Method, MissingReason, SourceRow, Year,
};

use crate::{Catalogue, Computed, compare, compare_cells, compute, default_catalogue};

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

fn year(number: u16) -> Year {
    Year::new(number).unwrap()
}

/// Parses a fixture table into areas and facts.
fn table(text: &str) -> (Vec<Area>, Vec<Fact>) {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(
        header[..2],
        ["area", "year"],
        "the header starts with area,year"
    );
    let mut areas: Vec<Area> = Vec::new();
    let mut facts = Vec::new();
    for (index, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        assert_eq!(
            cells.len(),
            header.len(),
            "row `{line}` has the header's width"
        );
        let area = code(cells[0]);
        let row_year = year(cells[1].parse().unwrap());
        let mut parent = match area.level() {
            AreaLevel::Municipality => Some(code("PV22")),
            _ => area.municipality(),
        };
        for (column, cell) in header.iter().zip(&cells).skip(2) {
            if *column == "parent" {
                parent = (!cell.is_empty()).then(|| code(cell));
                continue;
            }
            let (value, method) = match *cell {
                "" => continue,
                "." => (
                    CellValue::Missing(MissingReason::Unknown),
                    Method::Published,
                ),
                "x" => (CellValue::Missing(MissingReason::Secret), Method::Published),
                number => match number.strip_suffix('r') {
                    Some(number) => (
                        CellValue::Value(number.parse().unwrap()),
                        Method::Reconstructed,
                    ),
                    None => (CellValue::Value(number.parse().unwrap()), Method::Published),
                },
            };
            facts.push(Fact {
                area: area.clone(),
                year: row_year,
                variable: (*column).to_owned(),
                value,
                method,
                rows: vec![SourceRow {
                    source: "fixture".to_owned(),
                    line: index as u64 + 2,
                }],
            });
        }
        if let Some(known) = areas.iter_mut().find(|known| known.code == area) {
            known.first_year = known.first_year.min(row_year);
            known.last_year = known.last_year.max(row_year);
        } else {
            areas.push(Area {
                code: area.clone(),
                name: area.to_string(),
                parent,
                first_year: row_year,
                last_year: row_year,
                geometry_geojson: None,
            });
        }
    }
    (areas, facts)
}

/// The single place the tests call the engine.
fn compute_table(text: &str) -> Computed {
    let (areas, facts) = table(text);
    compute(default_catalogue(), &areas, &facts)
}

fn render_value(value: CellValue) -> String {
    match value {
        CellValue::Value(number) => {
            let text = format!("{number:.3}");
            text.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
        CellValue::Missing(reason) => format!("missing:{reason}"),
    }
}

/// One line per observation of `indicator` (`area year value method [parts=n]`), then one line
/// per finding (`! ...`).
fn render(computed: &Computed, indicator: &str) -> String {
    let mut lines = Vec::new();
    for observation in &computed.observations {
        if observation.indicator != indicator {
            continue;
        }
        let provenance = &observation.provenance;
        let parts = if provenance.parts > 0 {
            format!(" parts={}", provenance.parts)
        } else {
            String::new()
        };
        lines.push(format!(
            "{} {} {} {}{parts}",
            observation.area,
            observation.year,
            render_value(observation.value),
            provenance.method.map_or("none", |method| method.as_str()),
        ));
    }
    for finding in &computed.findings {
        lines.push(format!("! {finding}"));
    }
    lines.join("\n")
}

fn trim_lines(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_indicator(indicator: &str, fixture: &str, expected: &str) {
    check_indicator_in(default_catalogue(), indicator, fixture, expected);
}

/// [`check_indicator`] with another catalogue (the built-in one extended by a test's entries).
fn check_indicator_in(catalogue: &Catalogue, indicator: &str, fixture: &str, expected: &str) {
    assert!(
        catalogue.indicator(indicator).is_some(),
        "`{indicator}` is in the catalogue"
    );
    let (areas, facts) = table(fixture);
    let actual = render(&compute(catalogue, &areas, &facts), indicator);
    assert_eq!(
        actual,
        trim_lines(expected),
        "\n--- actual ---\n{actual}\n--------------"
    );
}

#[test]
fn share_over_65_is_recomputed_from_parts_not_averaged() {
    check_indicator(
        "share_65_plus",
        "
area,year,inhabitants_65_plus,inhabitants
GM0106,2023,13000,62000
GM0109,2023,9000,40000
",
        "
GM0106 2023 20.968 recomputed
GM0109 2023 22.5 recomputed
NL01 2023 21.569 recomputed parts=2
PV22 2023 21.569 recomputed parts=2
",
    );
}

#[test]
fn province_share_differs_from_the_mean_of_municipal_shares() {
    let computed = compute_table(
        "
area,year,inhabitants_65_plus,inhabitants
GM0106,2023,13000,62000
GM0109,2023,9000,40000
GM0114,2023,30000,107000
",
    );
    let share = |area: &str| {
        computed
            .observation("share_65_plus", &code(area), year(2023))
            .and_then(|observation| observation.value.value())
            .unwrap()
    };
    let mean_of_shares = (share("GM0106") + share("GM0109") + share("GM0114")) / 3.0;
    assert_relative_eq!(share("PV22"), 100.0 * 52_000.0 / 209_000.0);
    assert_relative_eq!(share("PV22"), 24.880_382_775, epsilon = 1e-8);
    assert_relative_eq!(mean_of_shares, 23.835_041_704, epsilon = 1e-8);
    assert!((share("PV22") - mean_of_shares).abs() > 1.0);
}

#[test]
fn counts_add_up_to_provinces_and_the_netherlands_sums_every_municipality() {
    check_indicator(
        "inhabitants",
        "
area,year,parent,inhabitants
GM0106,2023,PV22,62000
GM0109,2023,PV22,40000
GM0014,2023,PV20,238000
",
        "
GM0014 2023 238000 published
GM0106 2023 62000 published
GM0109 2023 40000 published
NL01 2023 340000 aggregated parts=3
PV20 2023 238000 aggregated parts=1
PV22 2023 102000 aggregated parts=2
",
    );
}

#[test]
fn a_municipality_without_a_fact_makes_its_province_and_the_country_incomplete() {
    check_indicator(
        "inhabitants",
        "
area,year,parent,inhabitants
GM0106,2023,PV22,62000
GM0109,2023,PV22,
GM0014,2023,PV20,238000
",
        "
GM0014 2023 238000 published
GM0106 2023 62000 published
NL01 2023 missing:incomplete_parts aggregated parts=3
PV20 2023 238000 aggregated parts=1
PV22 2023 missing:incomplete_parts aggregated parts=2
! NL01 2023 `inhabitants` (incomplete_parts): 1 of 3 municipalities have no value, so the total is not formed: GM0109 has no fact
! PV22 2023 `inhabitants` (incomplete_parts): 1 of 2 municipalities have no value, so the total is not formed: GM0109 has no fact
",
    );
}

#[test]
fn a_secret_part_keeps_the_aggregate_hidden_and_ratios_inherit_the_reason() {
    check_indicator(
        "share_65_plus",
        "
area,year,inhabitants_65_plus,inhabitants
GM0106,2023,13000,62000
GM0109,2023,x,40000
",
        "
GM0106 2023 20.968 recomputed
GM0109 2023 missing:secret recomputed
NL01 2023 missing:incomplete_parts recomputed parts=2
PV22 2023 missing:incomplete_parts recomputed parts=2
! NL01 2023 `inhabitants_65_plus` (incomplete_parts): 1 of 2 municipalities have no value, so the total is not formed: GM0109 is secret
! PV22 2023 `inhabitants_65_plus` (incomplete_parts): 1 of 2 municipalities have no value, so the total is not formed: GM0109 is secret
",
    );
}

#[test]
fn parts_missing_for_one_shared_reason_give_the_aggregate_that_reason_without_a_finding() {
    check_indicator(
        "dwellings",
        "
area,year,dwellings
GM0106,2024,.
GM0109,2024,.
",
        "
GM0106 2024 missing:unknown published
GM0109 2024 missing:unknown published
NL01 2024 missing:unknown aggregated parts=2
PV22 2024 missing:unknown aggregated parts=2
",
    );
}

/// Person-weighted counts are fractional (reach shares people out over grid parts); a share whose
/// part is its whole must be exactly 100, or a map puts 99.99999999999999 in a class of its own.
#[test]
fn a_fractional_part_equal_to_its_whole_is_exactly_one_hundred_percent() {
    let computed = compute_table(
        "
area,year,inhabitants_65_plus,inhabitants
GM0106,2023,108.42703662427847,108.42703662427847
GM0109,2023,2707.5209514946896,2707.5209514946896
",
    );
    for area in ["GM0106", "GM0109", "PV22"] {
        let share = computed
            .observation("share_65_plus", &code(area), year(2023))
            .and_then(|observation| observation.value.value());
        assert_eq!(share, Some(100.0), "{area}");
    }
}

#[test]
fn zero_denominator_is_not_applicable_and_reported() {
    check_indicator(
        "share_65_plus",
        "
area,year,inhabitants_65_plus,inhabitants
GM0106,2024,13000,62000
WK010699,2024,0,0
",
        "
GM0106 2024 20.968 recomputed
NL01 2024 20.968 recomputed parts=1
PV22 2024 20.968 recomputed parts=1
WK010699 2024 missing:not_applicable recomputed
! WK010699 2024 `share_65_plus` (zero_denominator): the denominator is 0, so 100 × Σ inhabitants_65_plus / Σ inhabitants is not applicable
",
    );
}

#[test]
fn districts_get_their_own_values_and_are_not_summed_into_municipalities() {
    check_indicator(
        "inhabitants",
        "
area,year,inhabitants
GM0106,2024,69000
WK010601,2024,30000
WK010602,2024,38000
",
        "
GM0106 2024 69000 published
NL01 2024 69000 aggregated parts=1
PV22 2024 69000 aggregated parts=1
WK010601 2024 30000 published
WK010602 2024 38000 published
",
    );
}

#[test]
fn reconstructed_counts_keep_their_method_and_are_named_in_aggregate_notes() {
    let fixture = "
area,year,inhabitants_65_plus,inhabitants
GM0106,2023,13020r,62000
GM0109,2023,9000,40000
";
    check_indicator(
        "inhabitants_65_plus",
        fixture,
        "
GM0106 2023 13020 reconstructed
GM0109 2023 9000 published
NL01 2023 22020 aggregated parts=2
PV22 2023 22020 aggregated parts=2
",
    );
    let computed = compute_table(fixture);
    let notes: Vec<(&str, &str, &str)> = computed
        .observations
        .iter()
        .filter(|observation| observation.year == year(2023))
        .filter(|observation| observation.area.as_str() != "NL01")
        .filter(|observation| {
            ["inhabitants_65_plus", "share_65_plus"].contains(&observation.indicator.as_str())
        })
        .map(|observation| {
            (
                observation.indicator.as_str(),
                observation.area.as_str(),
                observation.provenance.note.as_str(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (
                "inhabitants_65_plus",
                "GM0106",
                "inhabitants_65_plus reconstructed from a published percentage × its base"
            ),
            (
                "inhabitants_65_plus",
                "GM0109",
                "inhabitants_65_plus as published"
            ),
            (
                "inhabitants_65_plus",
                "PV22",
                "Σ inhabitants_65_plus over 2 municipalities; 1 of 2 parts reconstructed from published percentages"
            ),
            (
                "share_65_plus",
                "GM0106",
                "100 × Σ inhabitants_65_plus / Σ inhabitants; from counts reconstructed from published percentages"
            ),
            (
                "share_65_plus",
                "GM0109",
                "100 × Σ inhabitants_65_plus / Σ inhabitants"
            ),
            (
                "share_65_plus",
                "PV22",
                "100 × Σ inhabitants_65_plus / Σ inhabitants; from counts reconstructed from published percentages"
            ),
        ]
    );
}

#[test]
fn direct_values_carry_their_source_rows_and_aggregates_carry_parts_instead() {
    let computed = compute_table(
        "
area,year,inhabitants_65_plus,inhabitants
GM0106,2023,13000,62000
GM0109,2023,9000,40000
",
    );
    let provenance = |indicator: &str, area: &str| {
        computed
            .observation(indicator, &code(area), year(2023))
            .map(|observation| {
                let lines: Vec<u64> = observation
                    .provenance
                    .rows
                    .iter()
                    .map(|row| row.line)
                    .collect();
                (lines, observation.provenance.parts)
            })
            .unwrap()
    };
    assert_eq!(provenance("inhabitants", "GM0109"), (vec![3], 0));
    assert_eq!(provenance("share_65_plus", "GM0109"), (vec![3], 0));
    assert_eq!(provenance("inhabitants", "PV22"), (vec![], 2));
    assert_eq!(provenance("share_65_plus", "PV22"), (vec![], 2));
}

/// The KWB years: 2012, 2017–2019, 2022–2024, with the gaps a real series has.
const SERIES: &str = "
area,year,inhabitants,inhabitants_65_plus
GM0106,2012,67000,9000
GM0106,2017,67500,11000
GM0106,2018,67700,11500
GM0106,2019,68000,12000
GM0106,2022,68600,13000
GM0106,2023,69000,13300
GM0106,2024,69500,13600
";

#[test]
fn change_over_five_years_exists_only_where_the_earlier_year_is_known() {
    check_indicator(
        "inhabitants_change_5y",
        SERIES,
        "
GM0106 2017 0.746 derived
GM0106 2022 1.63 derived
GM0106 2023 1.92 derived
GM0106 2024 2.206 derived
NL01 2017 0.746 derived parts=1
NL01 2022 1.63 derived parts=1
NL01 2023 1.92 derived parts=1
NL01 2024 2.206 derived parts=1
PV22 2017 0.746 derived parts=1
PV22 2022 1.63 derived parts=1
PV22 2023 1.92 derived parts=1
PV22 2024 2.206 derived parts=1
",
    );
}

#[test]
fn change_over_one_year_skips_the_years_after_a_gap() {
    let computed = compute_table(SERIES);
    let years: Vec<u16> = computed
        .observations
        .iter()
        .filter(|observation| observation.indicator == "inhabitants_change_1y")
        .filter(|observation| observation.area.as_str() == "GM0106")
        .map(|observation| observation.year.get())
        .collect();
    assert_eq!(years, [2018, 2019, 2023, 2024]);
}

#[test]
fn change_of_a_share_is_in_percentage_points() {
    let computed = compute_table(SERIES);
    let observation = computed
        .observation("share_65_plus_change_5y", &code("GM0106"), year(2024))
        .unwrap();
    let expected = 100.0 * 13_600.0 / 69_500.0 - 100.0 * 12_000.0 / 68_000.0;
    assert_relative_eq!(observation.value.value().unwrap(), expected);
    assert_eq!(observation.provenance.method, Some(Method::Derived));
    assert_eq!(
        observation.provenance.note,
        "share_65_plus(t) − share_65_plus(t−5) with t = 2024 (compared with 2019)"
    );
}

#[test]
fn index_is_one_hundred_in_the_base_year() {
    check_indicator(
        "inhabitants_65_plus_index_2012",
        &SERIES.replace("GM0106,2018,67700,11500", "GM0106,2018,67700,x"),
        "
GM0106 2012 100 derived
GM0106 2017 122.222 derived
GM0106 2018 missing:secret derived
GM0106 2019 133.333 derived
GM0106 2022 144.444 derived
GM0106 2023 147.778 derived
GM0106 2024 151.111 derived
NL01 2012 100 derived parts=1
NL01 2017 122.222 derived parts=1
NL01 2018 missing:secret derived parts=1
NL01 2019 133.333 derived parts=1
NL01 2022 144.444 derived parts=1
NL01 2023 147.778 derived parts=1
NL01 2024 151.111 derived parts=1
PV22 2012 100 derived parts=1
PV22 2017 122.222 derived parts=1
PV22 2018 missing:secret derived parts=1
PV22 2019 133.333 derived parts=1
PV22 2022 144.444 derived parts=1
PV22 2023 147.778 derived parts=1
PV22 2024 151.111 derived parts=1
",
    );
}

#[test]
fn index_without_its_base_year_has_no_observations() {
    check_indicator(
        "inhabitants_index_2012",
        "
area,year,inhabitants
GM0106,2023,69000
GM0106,2024,69500
",
        "",
    );
}

#[test]
fn relative_change_from_zero_is_not_applicable_and_reported() {
    check_indicator(
        "households_change_5y",
        "
area,year,households
WK010699,2019,0
WK010699,2024,12
",
        "
WK010699 2024 missing:not_applicable derived
! WK010699 2024 `households_change_5y` (zero_base): `households` is 0 in 2019, so a relative change or index is not applicable
",
    );
}

#[test]
fn the_same_facts_in_any_order_give_identical_output() {
    let (areas, facts) = table(SERIES);
    let first = compute(default_catalogue(), &areas, &facts);
    let again = compute(default_catalogue(), &areas, &facts);
    let mut reversed_facts = facts.clone();
    reversed_facts.reverse();
    let mut reversed_areas = areas.clone();
    reversed_areas.reverse();
    let reversed = compute(default_catalogue(), &reversed_areas, &reversed_facts);
    assert!(!first.observations.is_empty());
    assert_eq!(first, again);
    assert_eq!(first, reversed);
}

#[test]
fn duplicate_and_unplaced_facts_and_unknown_variables_are_reported() {
    let (areas, mut facts) = table(
        "
area,year,inhabitants
GM0106,2023,62000
",
    );
    let mut duplicate = facts[0].clone();
    duplicate.value = CellValue::Value(1.0);
    duplicate.rows[0].line = 9;
    let mut unplaced = facts[0].clone();
    unplaced.area = code("GM0109");
    let mut unknown = facts[0].clone();
    unknown.variable = "inhabitans".to_owned();
    facts.extend([duplicate, unplaced, unknown]);
    let computed = compute(default_catalogue(), &areas, &facts);
    assert_eq!(
        render(&computed, "inhabitants"),
        trim_lines(
            "
GM0106 2023 62000 published
GM0109 2023 62000 published
NL01 2023 62000 aggregated parts=1
PV22 2023 62000 aggregated parts=1
! GM0106 2023 `inhabitans` (unknown_variable): the catalogue declares no variable `inhabitans`; 1 fact(s) ignored
! GM0106 2023 `inhabitants` (duplicate_fact): a second fact was ignored (fixture line 9); the first one is used
! GM0109 2023 `GM0109` (unplaced_fact): the area list has no municipality GM0109 in 2023, so its facts are in no province or country total
"
        )
    );
}

#[test]
fn published_province_totals_are_checked_against_the_sum_but_not_served() {
    check_indicator(
        "inhabitants",
        "
area,year,inhabitants
GM0106,2023,62000
GM0109,2023,40000
PV22,2023,103000
NL01,2023,102000
",
        "
GM0106 2023 62000 published
GM0109 2023 40000 published
NL01 2023 102000 aggregated parts=2
PV22 2023 102000 aggregated parts=2
! PV22 2023 `inhabitants` (published_total_differs): the sum of municipalities (102000) differs from the published value (103000) by -1000; the sum is served
",
    );
}

#[test]
fn comparisons_give_the_difference_and_an_index_with_the_reference_at_one_hundred() {
    let cases = [
        (24.9, 23.6, 1.3, Some(105.508_474_576)),
        (20.0, 20.0, 0.0, Some(100.0)),
        (3.0, 0.0, 3.0, None),
    ];
    for (value, reference, difference, ratio_index) in cases {
        let comparison = compare(value, reference);
        assert_relative_eq!(comparison.difference, difference, epsilon = 1e-9);
        match (comparison.ratio_index, ratio_index) {
            (Some(actual), Some(expected)) => assert_relative_eq!(actual, expected, epsilon = 1e-6),
            (actual, expected) => assert_eq!(actual, expected),
        }
    }
    assert_eq!(
        compare_cells(
            CellValue::Value(1.0),
            CellValue::Missing(MissingReason::Secret)
        ),
        None
    );
}

#[test]
fn distance_to_a_gp_is_person_weighted_at_every_level() {
    // Assen: 62,000 people at 1.0 km on average; Coevorden: 35,000 people at 2.0 km.
    check_indicator(
        "distance_gp",
        "
area,year,gp_distance_total,inhabitants
GM0106,2022,62000,62000
GM0109,2022,70000,35000
",
        "
GM0106 2022 1 recomputed
GM0109 2022 2 recomputed
NL01 2022 1.361 recomputed parts=2
PV22 2022 1.361 recomputed parts=2
",
    );
}

#[test]
fn population_density_divides_summed_inhabitants_by_summed_land_area() {
    check_indicator(
        "population_density",
        "
area,year,inhabitants,land_area_km2
GM0106,2024,69000,81.9
GM0109,2024,36000,297.8
",
        "
GM0106 2024 842.491 recomputed
GM0109 2024 120.887 recomputed
NL01 2024 276.534 recomputed parts=2
PV22 2024 276.534 recomputed parts=2
",
    );
}

#[test]
fn a_ratio_needs_both_parts_in_the_same_year() {
    // Births are published for 2022 only; inhabitants for 2022 and 2023.
    check_indicator(
        "births_per_1000",
        "
area,year,births,inhabitants
GM0106,2022,610r,68600
GM0106,2023,,69000
",
        "
GM0106 2022 8.892 recomputed
NL01 2022 8.892 recomputed parts=1
PV22 2022 8.892 recomputed parts=1
",
    );
}

/// The built-in catalogue with a published livability score and class, as a bundle's own
/// catalogue declares them (`data/drenthe/catalogue.toml`).
fn with_livability() -> Catalogue {
    default_catalogue()
        .extend(
            "test catalogue",
            r#"
[[source]]
id = "lbm"
description = "Leefbaarometer"

[[variable]]
id = "lbm_score"
unit = "score"
additive = false
description = { nl = "score", en = "score" }

[[indicator]]
id = "lbm_score"
kind = "published"
variable = "lbm_score"
unit = "score"
decimals = 3
theme = "livability"
source = "lbm"
name = { nl = "score", en = "score" }
description = { nl = "score", en = "score" }

[[indicator]]
id = "lbm_score_change_4y"
kind = "change"
of = "lbm_score"
years = 4
relative = false
unit = "score"
decimals = 3
theme = "livability"
source = "lbm"
name = { nl = "verandering", en = "change" }
description = { nl = "verandering", en = "change" }
"#,
        )
        .unwrap()
}

#[test]
fn a_published_score_is_shown_where_it_was_published_and_never_summed_or_averaged() {
    // Provinces and the country get no mean of their municipalities' scores: a missing value
    // that says why, in every year a municipality has one. No findings: this is by design.
    check_indicator_in(
        &with_livability(),
        "lbm_score",
        "
area,year,parent,lbm_score
GM0106,2012,PV22,0.1
GM0106,2016,PV22,0.12
GM0109,2016,PV22,-0.05
GM0014,2016,PV20,0.02
WK010600,2016,GM0106,0.226
",
        "
GM0014 2016 0.02 published
GM0106 2012 0.1 published
GM0106 2016 0.12 published
GM0109 2016 -0.05 published
NL01 2012 missing:not_applicable none
NL01 2016 missing:not_applicable none
PV20 2016 missing:not_applicable none
PV22 2012 missing:not_applicable none
PV22 2016 missing:not_applicable none
WK010600 2016 0.226 published
",
    );
}

#[test]
fn a_province_s_own_published_score_is_served_and_not_compared_with_a_sum() {
    check_indicator_in(
        &with_livability(),
        "lbm_score",
        "
area,year,lbm_score
GM0106,2016,0.12
PV22,2016,0.05
",
        "
GM0106 2016 0.12 published
NL01 2016 missing:not_applicable none
PV22 2016 0.05 published
",
    );
}

#[test]
fn a_change_of_a_published_score_compares_each_area_with_itself() {
    check_indicator_in(
        &with_livability(),
        "lbm_score_change_4y",
        "
area,year,lbm_score
GM0106,2012,0.1
GM0106,2016,0.12
",
        "
GM0106 2016 0.02 derived
NL01 2016 missing:not_applicable derived
PV22 2016 missing:not_applicable derived
",
    );
}

#[test]
fn a_published_score_outside_its_area_s_years_is_not_reported_as_unplaced() {
    // The Leefbaarometer gives 2002 on the municipalities of 2016; the area list knows GM1940
    // from 2017 only. Its score is served, and no count total misses it.
    let (mut areas, facts) = table(
        "
area,year,lbm_score
GM1940,2017,
GM1940,2002,0.04
",
    );
    areas[0].first_year = year(2017);
    let computed = compute(&with_livability(), &areas, &facts);
    assert_eq!(
        render(&computed, "lbm_score"),
        trim_lines(
            "
GM1940 2002 0.04 published
NL01 2002 missing:not_applicable none
PV22 2002 missing:not_applicable none
"
        )
    );
}

const WITH_POSTCODES: &str = "
area,year,parent,inhabitants,inhabitants_65_plus
GM0106,2024,PV22,69000,14000
GM0109,2024,PV22,36000,9000
PC9401,2024,GM0106,9000,2500
PC9402,2024,GM0106,12000,2000
PC7741,2024,GM0109,9200,2250
";

#[test]
fn postcode_areas_get_their_own_values_and_are_not_summed_into_municipalities() {
    check_indicator(
        "share_65_plus",
        WITH_POSTCODES,
        "
GM0106 2024 20.29 recomputed
GM0109 2024 25 recomputed
NL01 2024 21.905 recomputed parts=2
PC7741 2024 24.457 recomputed
PC9401 2024 27.778 recomputed
PC9402 2024 16.667 recomputed
PV22 2024 21.905 recomputed parts=2
",
    );
}

#[test]
fn the_postcode_level_changes_no_municipality_province_or_country_value() {
    let with_postcodes = compute_table(WITH_POSTCODES);
    let without: String = WITH_POSTCODES
        .lines()
        .filter(|line| !line.trim_start().starts_with("PC"))
        .collect::<Vec<_>>()
        .join("\n");
    let without = compute_table(&without);
    let above_postcodes: Vec<_> = with_postcodes
        .observations
        .iter()
        .filter(|observation| observation.area.level() != AreaLevel::Postcode)
        .cloned()
        .collect();
    assert!(!without.observations.is_empty());
    assert_eq!(above_postcodes, without.observations);
    assert_eq!(with_postcodes.findings, without.findings);
}
