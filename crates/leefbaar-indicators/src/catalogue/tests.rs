//! Catalogue tests: the shipped catalogue's promises, and one inline catalogue per validation
//! rule with the message it must give.
//!
//! `check` is the single place that calls [`parse_catalogue`] on a fixture; it prepends a
//! small valid header (one source, three variables) so each test shows only the indicators it
//! is about. Line numbers in messages count from the top of the fixture (the header is 15 lines).

use std::collections::BTreeSet;

use insta::assert_snapshot;
use leefbaar_model::IndicatorKind;

use crate::{CatalogueError, default_catalogue, parse_catalogue};

/// The base variables the importer (`leefbaar-ingest`) and the projection produce; reach's
/// are declared by entries generated from the bundle's manifest (`leefbaar-monitor`).
const IMPORTER_VARIABLES: [&str; 47] = [
    "inhabitants",
    "men",
    "women",
    "inhabitants_0_14",
    "inhabitants_15_24",
    "inhabitants_25_44",
    "inhabitants_45_64",
    "inhabitants_65_plus",
    "inhabitants_75_plus",
    "inhabitants_80_plus",
    "households",
    "persons_in_households",
    "land_area_km2",
    "dwellings",
    "owner_occupied_dwellings",
    "rented_dwellings",
    "woz_value_total",
    "income_total",
    "businesses",
    "cars",
    "gp_distance_total",
    "supermarket_distance_total",
    "one_person_households",
    "households_with_children",
    "births",
    "deaths",
    "projected_inhabitants",
    "projected_inhabitants_low",
    "projected_inhabitants_high",
    "projected_65_plus",
    "projected_80_plus",
    "projected_75_plus",
    "projected_85_plus",
    "projected_85_plus_low",
    "projected_85_plus_high",
    "projected_50_74",
    "projected_50_74_low",
    "projected_50_74_high",
    "projected_4_11",
    "projected_4_11_low",
    "projected_4_11_high",
    "projected_12_17",
    "projected_12_17_low",
    "projected_12_17_high",
    "projected_dementia",
    "projected_households",
    "projected_labour_force",
];

/// The source ids the importer and the projection write.
const IMPORTER_SOURCES: [&str; 6] = [
    "kwb_gemeenten_2012_2024",
    "bevolking_leeftijd_gemeente_2020",
    "kwb_2024_gemeenten_wijken",
    "cbs_wijken_2024",
    "projection_leefbaar",
    "dementia_prevalence_eurocode",
];

const HEADER: &str = r#"[[source]]
id = "kwb"
description = "test"

[[variable]]
id = "inhabitants"
unit = "persons"
additive = true
description = { nl = "inwoners", en = "inhabitants" }

[[variable]]
id = "inhabitants_65_plus"
unit = "persons"
additive = true
description = { nl = "65+", en = "65+" }
"#;

/// Parses `HEADER + indicators` and renders the outcome: `ok (n indicators)` or the error.
fn check(indicators: &str) -> String {
    match parse_catalogue(&format!("{HEADER}{indicators}")) {
        Ok(catalogue) => format!("ok ({} indicators)", catalogue.indicators().len()),
        Err(error) => error.to_string(),
    }
}

/// A well-formed indicator table, with `extra` lines for its kind.
fn indicator(id: &str, kind: &str, unit: &str, extra: &str) -> String {
    format!(
        r#"
[[indicator]]
id = "{id}"
kind = "{kind}"
{extra}
unit = "{unit}"
decimals = 1
theme = "age"
source = "kwb"
name = {{ nl = "n", en = "n" }}
description = {{ nl = "d", en = "d" }}
"#
    )
}

fn share_65() -> String {
    indicator(
        "share_65_plus",
        "share",
        "percent",
        "numerator = \"inhabitants_65_plus\"\ndenominator = \"inhabitants\"",
    )
}

#[test]
fn the_shipped_catalogue_parses_and_has_at_least_thirty_indicators() {
    let catalogue = default_catalogue();
    assert!(
        catalogue.indicators().len() >= 30,
        "{} indicators",
        catalogue.indicators().len()
    );
}

#[test]
fn the_shipped_catalogue_declares_exactly_the_importers_variables_and_sources() {
    let catalogue = default_catalogue();
    let declared: Vec<&str> = catalogue
        .variables()
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(declared, IMPORTER_VARIABLES);
    let sources: Vec<&str> = catalogue.sources().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(sources, IMPORTER_SOURCES);
    for indicator in catalogue.indicators() {
        for variable in catalogue.variables_of(&indicator.id) {
            assert!(
                IMPORTER_VARIABLES.contains(&variable),
                "`{}` uses `{variable}`",
                indicator.id
            );
        }
    }
}

#[test]
fn every_shipped_indicator_has_dutch_and_english_names_and_descriptions() {
    for indicator in default_catalogue().indicators() {
        for text in [&indicator.name, &indicator.description] {
            assert!(!text.nl.trim().is_empty(), "`{}` nl", indicator.id);
            assert!(!text.en.trim().is_empty(), "`{}` en", indicator.id);
        }
        assert_ne!(
            indicator.description.nl, indicator.description.en,
            "`{}` has a translated description",
            indicator.id
        );
    }
}

#[test]
fn the_shipped_catalogue_has_every_kind_and_the_indicators_the_monitor_needs() {
    let catalogue = default_catalogue();
    let kinds: BTreeSet<&str> = catalogue
        .indicators()
        .iter()
        .map(|indicator| indicator.kind.as_str())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["change", "count", "index", "mean", "rate", "share", "sum"]
    );
    let share = catalogue.indicator("share_65_plus").unwrap();
    assert_eq!(
        share.kind.formula(),
        "100 × Σ inhabitants_65_plus / Σ inhabitants"
    );
    assert_eq!(
        catalogue.indicator("inhabitants_index_2012").unwrap().kind,
        IndicatorKind::Index {
            of: "inhabitants".to_owned(),
            base_year: 2012
        }
    );
    assert_eq!(
        catalogue.variables_of("share_65_plus_change_5y"),
        ["inhabitants_65_plus", "inhabitants"]
    );
    let themes: Vec<&str> = catalogue.themes().into_keys().collect();
    assert_eq!(
        themes,
        [
            "age",
            "care",
            "demography",
            "economy",
            "facilities",
            "households",
            "housing",
            "mobility",
            "population",
            "projection",
            "trends"
        ]
    );
}

#[test]
fn a_small_catalogue_with_a_share_and_its_change_parses() {
    let change = indicator(
        "share_65_plus_change_5y",
        "change",
        "percentage_points",
        "of = \"share_65_plus\"\nyears = 5\nrelative = false",
    );
    assert_snapshot!(check(&format!("{}{change}", share_65())), @"ok (2 indicators)");
}

#[test]
fn unknown_variable_names_the_indicator_field_and_line() {
    let typo = indicator(
        "share_65_plus",
        "share",
        "percent",
        "numerator = \"inhabitants_65plus\"\ndenominator = \"inhabitants\"",
    );
    assert_snapshot!(check(&typo), @r"
    catalogue has 1 problem
      line 20: indicator `share_65_plus`, field `numerator`: unknown variable `inhabitants_65plus`
    ");
}

#[test]
fn duplicate_indicator_id_names_both_lines() {
    assert_snapshot!(check(&format!("{}{}", share_65(), share_65())), @r"
    catalogue has 1 problem
      line 30: indicator `share_65_plus` is declared twice (first on line 18)
    ");
}

#[test]
fn change_and_index_indicators_that_refer_to_each_other_form_a_cycle() {
    let change = indicator(
        "a_change",
        "change",
        "percent",
        "of = \"b_index\"\nyears = 1\nrelative = true",
    );
    let index = indicator(
        "b_index",
        "index",
        "index",
        "of = \"a_change\"\nbase_year = 2012",
    );
    let selfish = indicator(
        "c_index",
        "index",
        "index",
        "of = \"c_index\"\nbase_year = 2012",
    );
    assert_snapshot!(check(&format!("{change}{index}{selfish}")), @r"
    catalogue has 2 problems
      line 20: indicator `a_change`, field `of`: cycle a_change → b_index → a_change
      line 45: indicator `c_index`, field `of`: cycle c_index → c_index
    ");
}

#[test]
fn units_must_be_known_and_fit_the_kind() {
    let unknown = indicator(
        "people_count",
        "count",
        "people",
        "variable = \"inhabitants\"",
    );
    let count = indicator(
        "inhabitants",
        "count",
        "persons",
        "variable = \"inhabitants\"",
    );
    let misfit = indicator(
        "share_65_plus",
        "share",
        "per_1000",
        "numerator = \"inhabitants_65_plus\"\ndenominator = \"inhabitants\"",
    );
    let change = indicator(
        "inhabitants_change_5y",
        "change",
        "percent",
        "of = \"inhabitants\"\nyears = 5\nrelative = false",
    );
    assert_snapshot!(check(&format!("{unknown}{misfit}{count}{change}")), @"
    catalogue has 3 problems
      line 21: indicator `people_count`, field `unit`: `people` is not a unit (expected one of: persons, households, dwellings, businesses, vehicles, count, percent, percentage_points, per_1000, per_km2, km, km2, minutes, thousand_euro, persons_per_household, persons_per_person, years, index, score, class)
      line 33: indicator `share_65_plus`, field `unit`: `per_1000` does not fit kind `share` (expected percent)
      line 57: indicator `inhabitants_change_5y`, field `unit`: `percent` does not fit kind `change` (expected persons)
    ");
}

#[test]
fn kind_parameters_must_be_complete_and_belong_to_the_kind() {
    let incomplete = indicator("rate_a", "rate", "per_1000", "numerator = \"inhabitants\"");
    let superfluous = indicator(
        "count_b",
        "count",
        "persons",
        "variable = \"inhabitants\"\nper = 1000",
    );
    let unknown_kind = indicator("ratio_c", "ratio", "percent", "");
    assert_snapshot!(check(&format!("{incomplete}{superfluous}{unknown_kind}")), @"
    catalogue has 4 problems
      line 18: indicator `rate_a`, field `denominator`: kind `rate` needs this field
      line 18: indicator `rate_a`, field `per`: kind `rate` needs this field
      line 32: indicator `count_b`, field `per`: kind `count` does not use this field
      line 42: indicator `ratio_c`, field `kind`: `ratio` is not a kind (expected one of: count, sum, share, rate, mean, change, index, published)
    ");
}

#[test]
fn unknown_sources_and_indicators_bad_ids_and_empty_texts_are_all_reported_at_once() {
    let text = share_65()
        .replace("source = \"kwb\"", "source = \"kwb_2099\"")
        .replace("nl = \"n\"", "nl = \"\"")
        .replace("id = \"share_65_plus\"", "id = \"Share65\"");
    let index = indicator(
        "index_x",
        "index",
        "index",
        "of = \"nothing\"\nbase_year = 1850",
    );
    assert_snapshot!(check(&format!("{text}{index}")), @r"
    catalogue has 5 problems
      line 18: indicator `Share65`: id must be lowercase letters, digits and `_`, starting with a letter
      line 18: indicator `Share65`, field `name.nl`: text is empty
      line 25: indicator `Share65`, field `source`: unknown source `kwb_2099`
      line 32: indicator `index_x`, field `of`: unknown indicator `nothing`
      line 33: indicator `index_x`, field `base_year`: 1850 is not a year between 1900 and 2200
    ");
}

#[test]
fn toml_shape_errors_name_the_line() {
    let misspelt = share_65().replace("numerator =", "numerater =");
    let error = parse_catalogue(&format!("{HEADER}{misspelt}")).unwrap_err();
    assert!(
        matches!(error, CatalogueError::Syntax { line: 20, .. }),
        "{error:?}"
    );
    assert_snapshot!(error.to_string(), @"catalogue, line 20: unknown field `numerater`, expected one of `id`, `kind`, `variable`, `numerator`, `denominator`, `per`, `total`, `count`, `of`, `years`, `relative`, `base_year`, `unit`, `decimals`, `theme`, `source`, `name`, `description`, `factsheet`, `replace`");
}

const SCORE: &str = r#"
[[variable]]
id = "livability_score"
unit = "score"
additive = false
description = { nl = "score", en = "score" }
"#;

#[test]
fn a_score_that_does_not_add_up_is_shown_by_a_published_indicator() {
    let published = indicator(
        "livability_score",
        "published",
        "score",
        "variable = \"livability_score\"",
    );
    assert_snapshot!(check(&format!("{SCORE}{published}")), @"ok (1 indicators)");
}

#[test]
fn a_non_additive_variable_cannot_be_summed_or_divided_and_a_count_cannot_be_published() {
    let summed = indicator(
        "score_total",
        "sum",
        "score",
        "variable = \"livability_score\"",
    );
    let mean = indicator(
        "score_per_inhabitant",
        "mean",
        "score",
        "total = \"livability_score\"\ncount = \"inhabitants\"",
    );
    let published_count = indicator(
        "inhabitants_published",
        "published",
        "persons",
        "variable = \"inhabitants\"",
    );
    assert_snapshot!(check(&format!("{SCORE}{summed}{mean}{published_count}")), @"
    catalogue has 3 problems
      line 26: indicator `score_total`, field `variable`: variable `livability_score` is not additive (`additive = false`), so kind `sum` cannot sum it over areas; show it with kind `published`
      line 37: indicator `score_per_inhabitant`, field `total`: variable `livability_score` is not additive (`additive = false`), so kind `mean` cannot sum it over areas; show it with kind `published`
      line 49: indicator `inhabitants_published`, field `variable`: variable `inhabitants` adds up over areas (`additive = true`); kind `published` is for values that do not, such as scores and classes: use kind `count` or `sum`
    ");
}

/// Parses `HEADER` as the base and `extension` as an extension of it; renders the outcome like
/// [`check`], with the extension's indicator ids in order.
fn check_extension(extension: &str) -> String {
    let base = parse_catalogue(&format!("{HEADER}{}", share_65())).unwrap();
    match base.extend("bundle/catalogue.toml", extension) {
        Ok(catalogue) => {
            let ids: Vec<&str> = catalogue
                .indicators()
                .iter()
                .map(|i| i.id.as_str())
                .collect();
            format!("ok: {}", ids.join(", "))
        }
        Err(error) => error.to_string(),
    }
}

#[test]
fn an_extension_adds_indicators_that_use_the_base_catalogues_variables() {
    let extension = indicator(
        "inhabitants_65_plus_count",
        "count",
        "persons",
        "variable = \"inhabitants_65_plus\"",
    );
    assert_snapshot!(
        check_extension(&extension),
        @"ok: share_65_plus, inhabitants_65_plus_count"
    );
}

#[test]
fn an_extension_adds_its_own_source_and_variables() {
    let extension = r#"
[[source]]
id = "pc4"
description = "CBS per postcode"

[[variable]]
id = "benefit_recipients"
unit = "persons"
additive = true
description = { nl = "uitkeringen", en = "benefits" }

[[indicator]]
id = "share_benefit_recipients"
kind = "share"
numerator = "benefit_recipients"
denominator = "inhabitants"
unit = "percent"
decimals = 1
theme = "income"
source = "pc4"
name = { nl = "n", en = "n" }
description = { nl = "d", en = "d" }
"#;
    assert_snapshot!(
        check_extension(extension),
        @"ok: share_65_plus, share_benefit_recipients"
    );
}

#[test]
fn an_extension_cannot_redeclare_a_base_id_by_accident() {
    let extension = share_65();
    assert_snapshot!(check_extension(&extension), @r"
    bundle/catalogue.toml has 1 problem
      line 3: indicator `share_65_plus` is already in the catalogue this one extends; add `replace = true` to replace it on purpose, or choose another id
    ");
}

#[test]
fn an_extension_replaces_a_base_indicator_in_its_place_when_it_says_so() {
    let extension = share_65().replace("decimals = 1", "decimals = 2\nreplace = true");
    let base = parse_catalogue(&format!("{HEADER}{}", share_65())).unwrap();
    let extended = base.extend("bundle/catalogue.toml", &extension).unwrap();
    assert_eq!(extended.indicators().len(), 1);
    assert_eq!(extended.indicators()[0].decimals, 2);
}

#[test]
fn replace_on_a_new_id_is_reported_with_its_line() {
    let extension = indicator(
        "total",
        "count",
        "persons",
        "variable = \"inhabitants\"\nreplace = true",
    );
    assert_snapshot!(check_extension(&extension), @r"
    bundle/catalogue.toml has 1 problem
      line 6: indicator `total`, field `replace`: there is no indicator `total` to replace (remove `replace`)
    ");
}

#[test]
fn an_extensions_problems_name_its_file_and_its_own_lines() {
    let extension = indicator(
        "share_x",
        "share",
        "percent",
        "numerator = \"nope\"\ndenominator = \"inhabitants\"",
    );
    assert_snapshot!(check_extension(&extension), @r"
    bundle/catalogue.toml has 1 problem
      line 5: indicator `share_x`, field `numerator`: unknown variable `nope`
    ");
    assert_snapshot!(
        check_extension("[[indicator]]\nid = 3\n"),
        @"bundle/catalogue.toml, line 2: invalid type: integer `3`, expected a string"
    );
}

/// `share_65()` with a `factsheet` line (on line 27 of the fixture).
fn share_65_on_sheet(factsheet: &str) -> String {
    share_65().replace(
        "description = {",
        &format!("factsheet = {factsheet}\ndescription = {{"),
    )
}

#[test]
fn a_fact_sheet_flag_is_parsed_onto_the_indicator() {
    let catalogue = parse_catalogue(&format!(
        "{HEADER}{}",
        share_65_on_sheet(
            r#"{ tile = 3, latest = true, chart = "age", label = { nl = "65+", en = "65 and over" }, ranking = 1 }"#
        )
    ))
    .unwrap();
    assert_eq!(
        catalogue.indicators()[0].factsheet,
        Some(leefbaar_model::FactsheetUse {
            tile: Some(3),
            latest: true,
            chart: Some(leefbaar_model::FactsheetChart::Age),
            label: Some(leefbaar_model::LocalizedText {
                nl: "65+".to_owned(),
                en: "65 and over".to_owned(),
            }),
            ranking: Some(1),
            sheet: None,
        })
    );
}

/// A flag names the sheet it belongs to; the livability sheet is the default, so naming it is
/// the same as naming none.
#[test]
fn a_fact_sheet_flag_names_its_sheet_livability_by_default() {
    for (factsheet, sheet) in [
        ("{ tile = 1 }", None),
        (r#"{ tile = 1, sheet = "leefbaarheid" }"#, None),
        (r#"{ tile = 1, sheet = "hartveilig" }"#, Some("hartveilig")),
    ] {
        let catalogue =
            parse_catalogue(&format!("{HEADER}{}", share_65_on_sheet(factsheet))).unwrap();
        let flag = catalogue.indicators()[0].factsheet.as_ref().unwrap();
        assert_eq!(flag.sheet.as_deref(), sheet, "{factsheet}");
        assert_eq!(
            flag.sheet_id(),
            sheet.unwrap_or("leefbaarheid"),
            "{factsheet}"
        );
    }
}

#[test]
fn fact_sheet_flags_name_the_line_the_indicator_and_the_field() {
    for (factsheet, expected) in [
        (
            "{}",
            "line 27: indicator `share_65_plus`, field `factsheet`: says nothing: give a `tile`, a `chart` or a `ranking`",
        ),
        (
            "{ tile = 0 }",
            "line 27: indicator `share_65_plus`, field `factsheet.tile`: positions count from 1",
        ),
        (
            "{ ranking = 0 }",
            "line 27: indicator `share_65_plus`, field `factsheet.ranking`: positions count from 1",
        ),
        (
            r#"{ chart = "pie" }"#,
            "line 27: indicator `share_65_plus`, field `factsheet.chart`: `pie` is not a fact-sheet chart (expected one of: population, age, households, projection, reach, aed_coverage, informal_care, dementia)",
        ),
        (
            r#"{ tile = 1, label = { nl = "a", en = "b" } }"#,
            "line 27: indicator `share_65_plus`, field `factsheet.label`: only a chart's member has a label; add a `chart`",
        ),
        (
            r#"{ chart = "age", label = { nl = "", en = "b" } }"#,
            "line 18: indicator `share_65_plus`, field `factsheet.label.nl`: text is empty",
        ),
        (
            "{ ranking = 1, latest = true }",
            "line 27: indicator `share_65_plus`, field `factsheet.latest`: only a tile or a chart takes its value from the latest year; a ranking uses the sheet's",
        ),
        (
            "{ tile = 1, colour = \"red\" }",
            "catalogue, line 27: unknown field `colour`, expected one of `tile`, `latest`, `chart`, `label`, `ranking`, `sheet`",
        ),
        (
            r#"{ tile = 1, sheet = "Hartveilig" }"#,
            "line 27: indicator `share_65_plus`, field `factsheet.sheet`: a sheet is a theme id in lowercase letters, such as `hartveilig`",
        ),
    ] {
        let outcome = check(&share_65_on_sheet(factsheet));
        let problem = outcome
            .strip_prefix("catalogue has 1 problem\n  ")
            .unwrap_or(&outcome);
        assert_eq!(problem, expected, "{factsheet}");
    }
}

#[test]
fn a_chart_of_one_indicator_over_the_years_takes_one_member() {
    let second = indicator(
        "inhabitants_total",
        "count",
        "persons",
        "variable = \"inhabitants\"\nfactsheet = { chart = \"population\" }",
    );
    assert_snapshot!(
        check(&format!("{}{second}", share_65_on_sheet(r#"{ chart = "population" }"#))),
        @r"
    catalogue has 1 problem
      line 34: indicator `inhabitants_total`, field `factsheet.chart`: the chart `population` draws one indicator, and `share_65_plus` is it already
    "
    );
}

#[test]
fn the_shipped_catalogue_puts_its_tiles_five_age_groups_and_three_rankings_on_the_sheets() {
    use leefbaar_model::FactsheetChart;
    let flagged: Vec<(&str, &leefbaar_model::FactsheetUse)> = default_catalogue()
        .indicators()
        .iter()
        .filter_map(|i| Some((i.id.as_str(), i.factsheet.as_ref()?)))
        .collect();
    // The livability sheet's tiles; the care sheet's are checked below.
    let on_sheet = |sheet: &str| -> Vec<&str> {
        let mut tiles: Vec<(u16, &str)> = flagged
            .iter()
            .filter(|(_, f)| f.sheet_id() == sheet)
            .filter_map(|(id, f)| Some((f.tile?, *id)))
            .collect();
        tiles.sort_unstable();
        tiles.into_iter().map(|(_, id)| id).collect()
    };
    let mut tiles: Vec<(u16, &str)> = flagged
        .iter()
        .filter(|(_, f)| f.sheet_id() == leefbaar_model::FactsheetUse::DEFAULT_SHEET)
        .filter_map(|(id, f)| Some((f.tile?, *id)))
        .collect();
    tiles.sort_unstable();
    assert_eq!(
        tiles.iter().map(|(_, id)| *id).collect::<Vec<_>>(),
        [
            "inhabitants",
            "inhabitants_change_5y",
            "share_65_plus",
            "share_0_14",
            "household_size",
            "population_density",
            "projected_inhabitants_change_20y",
            "households",
            "dwellings",
            "cars_per_household",
        ],
        "tile 8 is the first reach kind's distance, generated from the bundle's manifest"
    );
    assert_eq!(
        on_sheet("zorg"),
        [
            "projected_share_75_plus",
            "projected_share_85_plus",
            "informal_care_potential",
            "projected_dementia",
            "projected_85_plus_index_2024",
            "projected_dementia_index_2024",
        ],
        "tiles 8 and 9 are the bundle's published health figures"
    );
    let members = |chart| -> Vec<&str> {
        flagged
            .iter()
            .filter(|(_, f)| f.chart == Some(chart))
            .map(|(id, _)| *id)
            .collect()
    };
    assert_eq!(
        members(FactsheetChart::Age),
        [
            "share_0_14",
            "share_15_24",
            "share_25_44",
            "share_45_64",
            "share_65_plus"
        ]
    );
    assert_eq!(
        members(FactsheetChart::Population),
        ["inhabitants_index_2012"]
    );
    let mut rankings: Vec<(u16, &str)> = flagged
        .iter()
        .filter_map(|(id, f)| Some((f.ranking?, *id)))
        .collect();
    rankings.sort_unstable();
    assert_eq!(
        rankings,
        [
            (1, "share_65_plus"),
            (2, "household_size"),
            (3, "population_density")
        ]
    );
}
