//! Tests of the survey crate: import, raking, estimation, disclosure control and the synthetic
//! panel. Each boundary is driven through one helper.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::synthetic::{self, SEED};
use crate::{
    Answer, CountTable, DisclosureRule, Estimator, ImportError, Margin, Panel, Published,
    RakeError, RakeParams, Schema, Suppression, difference_between_surveys, parse_population,
    provinces_of, rake, standard_margins,
};

const SCHEMA: &str = r#"
id = "test"
title = { nl = "Test", en = "Test" }
age_groups = ["18-44", "45-64", "65+"]
sexes = ["male", "female"]

[[questions]]
id = "rating"
kind = "number"
min = 1
max = 10
label = { nl = "Cijfer", en = "Mark" }

[[questions]]
id = "future"
kind = "single"
label = { nl = "Toekomst", en = "Future" }
answers = [
  { code = "sunny", nl = "zonnig", en = "sunny" },
  { code = "worried", nl = "somber", en = "worried" },
]

[[questions]]
id = "facilities"
kind = "multiple"
label = { nl = "Voorzieningen", en = "Facilities" }
answers = [
  { code = "school", nl = "school", en = "school" },
  { code = "shop", nl = "winkel", en = "shop" },
]
"#;

fn schema() -> Schema {
    Schema::from_toml("test.toml", SCHEMA).unwrap()
}

/// The one place tests import respondents.
fn import(csv: &str) -> Result<Panel, ImportError> {
    Panel::from_csv(schema(), "panel.csv", csv.trim_start().as_bytes())
}

fn problems(csv: &str) -> Vec<String> {
    match import(csv) {
        Ok(panel) => panic!("expected an error, imported {} respondents", panel.len()),
        Err(ImportError::Rows { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        Err(other) => panic!("expected respondent problems, got {other}"),
    }
}

/// Each respondent's province code, in panel order.
fn province_keys(panel: &Panel, cells: &[crate::PopulationCell]) -> Vec<String> {
    provinces_of(panel, cells)
        .into_iter()
        .map(|p| p.map(|p| p.to_string()).unwrap_or_default())
        .collect()
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/survey")
}

fn read_data(name: &str) -> String {
    fs_err::read_to_string(data_dir().join(name)).unwrap()
}

/// The committed synthetic panel, its population cells and raked weights.
fn synthetic_panel() -> (Panel, Vec<crate::PopulationCell>, Vec<f64>) {
    let schema = Schema::from_toml("schema", &read_data("burgerpanel_2018_schema.toml")).unwrap();
    let panel = Panel::from_csv(
        schema,
        "burgerpanel_2018_synthetic.csv",
        read_data("burgerpanel_2018_synthetic.csv").as_bytes(),
    )
    .unwrap();
    let cells = parse_population(
        "population",
        read_data("population_2019_adults.csv").as_bytes(),
    )
    .unwrap();
    let margins = standard_margins(&panel, &cells).unwrap();
    let weights = rake(&panel.design_weights(), &margins, &RakeParams::default())
        .unwrap()
        .weights;
    (panel, cells, weights)
}

// ---------------------------------------------------------------------------------------------
// Import

#[test]
fn a_schema_with_number_single_and_multiple_questions_parses_with_both_languages() {
    let schema = schema();
    assert_eq!(schema.questions.len(), 3);
    assert_eq!(schema.questions[1].kind.options()[1].nl, "somber");
    assert_eq!(schema.questions[2].kind.as_str(), "multiple");
}

#[test]
fn a_typo_in_a_schema_key_is_reported_not_ignored() {
    let text = SCHEMA.replace("label = { nl = \"Cijfer\"", "lable = { nl = \"Cijfer\"");
    let error = Schema::from_toml("test.toml", &text).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("test.toml: bad survey schema"),
        "{error}"
    );
    assert!(error.to_string().contains("lable"), "{error}");
}

#[test]
fn respondents_import_and_default_to_design_weight_one_without_the_column() {
    let panel = import(
        "
respondent_id,area_code,age_group,sex,rating,future,facilities
r1,GM0106,65+,female,8,sunny,school|shop
r2,GM0114,18-44,male,,worried,
",
    )
    .unwrap();
    assert_eq!(panel.len(), 2);
    assert_eq!(panel.respondents[0].design_weight, 1.0);
    assert_eq!(panel.respondents[0].answers[0], Answer::Number(8.0));
    assert_eq!(panel.respondents[0].answers[2], Answer::Choices(vec![0, 1]));
    assert_eq!(panel.respondents[1].answers[0], Answer::Missing);
    assert_eq!(panel.respondents[1].area.as_str(), "GM0114");
}

#[test]
fn every_bad_cell_is_reported_with_its_line_and_field_and_nothing_is_imported() {
    let found = problems(
        "
respondent_id,area_code,age_group,sex,design_weight,rating,future,facilities
r1,GM0106,65+,female,12.5,8,sunny,school
r2,GM106,65+,female,12.5,8,sunny,school
r3,GM0106,90+,female,12.5,11,sunny,school
r3,GM0106,65+,x,-1,7,rainy,school|pub
",
    );
    assert_eq!(
        found,
        [
            "line 3, field `area_code`: `GM106` is not a CBS area code (expected NL01, PV + 2 digits, GM + 4, WK + 6, BU + 8 or PC + 4 digits)",
            "line 4, field `age_group`: expected one of 18-44, 45-64, 65+, found `90+`",
            "line 4, field `rating`: expected a number from 1 to 10, found `11`",
            "line 5, field `respondent_id`: id `r3` occurs twice",
            "line 5, field `sex`: expected one of male, female, found `x`",
            "line 5, field `design_weight`: expected a positive number, found `-1`",
            "line 5, field `future`: expected one of sunny, worried, found `rainy`",
            "line 5, field `facilities`: expected one of school, shop, found `pub`",
        ]
    );
}

#[test]
fn unknown_and_missing_columns_are_reported_from_the_header() {
    let found = problems(
        "
respondent_id,area_code,age_group,sex,rating,futrue,facilities
r1,GM0106,65+,female,8,sunny,school
",
    );
    assert_eq!(
        found,
        [
            "line 1, field `futrue`: unknown column (not a fixed column nor a question in the schema)",
            "line 1, field `future`: required column is missing",
        ]
    );
}

#[test]
fn an_error_names_the_file_and_counts_the_problems() {
    let error = import("respondent_id,area_code,age_group,sex,rating,future,facilities\nr1,XX,65+,female,8,sunny,\n").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("panel.csv: 1 problem(s), first: line 2, field `area_code`"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Raking

/// A panel of respondents given as (area, age group, sex, design weight).
fn panel_of(rows: &[(&str, &str, &str, f64)]) -> Panel {
    let mut csv = String::from(
        "respondent_id,area_code,age_group,sex,design_weight,rating,future,facilities\n",
    );
    for (k, (area, age, sex, weight)) in rows.iter().enumerate() {
        writeln!(csv, "r{k},{area},{age},{sex},{weight},7,sunny,").unwrap();
    }
    import(&csv).unwrap()
}

fn totals(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn age_margin(panel: &Panel, pairs: &[(&str, f64)]) -> Result<Margin, RakeError> {
    Margin::from_panel("age group", panel, &totals(pairs), |r| {
        panel.schema.age_groups[r.age_group].clone()
    })
}

fn area_margin(panel: &Panel, pairs: &[(&str, f64)]) -> Result<Margin, RakeError> {
    Margin::from_panel("municipality", panel, &totals(pairs), |r| {
        r.area.to_string()
    })
}

fn margin_sums(weights: &[f64], margin: &Margin) -> Vec<f64> {
    let mut sums = vec![0.0; margin.categories.len()];
    for (w, &c) in weights.iter().zip(margin.membership()) {
        sums[c] += w;
    }
    sums
}

fn assert_margins_met(weights: &[f64], margins: &[Margin], tolerance: f64) {
    for margin in margins {
        for ((category, total), sum) in margin
            .categories
            .iter()
            .zip(&margin.totals)
            .zip(margin_sums(weights, margin))
        {
            assert!(
                (sum - total).abs() <= tolerance * total,
                "margin {} category {category}: {sum} vs {total}",
                margin.name
            );
        }
    }
}

/// A skewed sample of 3 × 3 cells with margins far from the sample's.
fn awkward_panel() -> Panel {
    let mut rows = Vec::new();
    let layout = [
        ("GM0106", "18-44", 1),
        ("GM0106", "45-64", 3),
        ("GM0106", "65+", 40),
        ("GM0114", "18-44", 2),
        ("GM0114", "45-64", 30),
        ("GM0114", "65+", 5),
        ("GM0118", "18-44", 25),
        ("GM0118", "45-64", 1),
        ("GM0118", "65+", 1),
    ];
    for (area, age, count) in layout {
        for k in 0..count {
            rows.push((
                area,
                age,
                if k % 2 == 0 { "male" } else { "female" },
                1.0 + f64::from(k % 3),
            ));
        }
    }
    panel_of(&rows)
}

#[test]
fn one_margin_is_post_stratification_computed_by_hand() {
    let panel = panel_of(&[
        ("GM0106", "18-44", "male", 1.0),
        ("GM0106", "18-44", "female", 3.0),
        ("GM0106", "65+", "male", 2.0),
    ]);
    let margin = age_margin(&panel, &[("18-44", 100.0), ("65+", 50.0)]).unwrap();
    let raked = rake(&panel.design_weights(), &[margin], &RakeParams::default()).unwrap();
    assert_eq!(raked.weights, [25.0, 75.0, 50.0]);
    assert_eq!(raked.report.iterations, 1);
    // Kish: n Σw² / (Σw)² = 3 · (625 + 5625 + 2500) / 150² = 26250 / 22500.
    assert!((raked.report.kish_design_effect - 26250.0 / 22500.0).abs() < 1e-12);
    assert!((raked.report.effective_n - 22500.0 / 8750.0).abs() < 1e-12);
}

#[test]
fn raking_the_synthetic_panel_reproduces_both_margins_to_1e_minus_8() {
    let (panel, cells, _) = synthetic_panel();
    let margins = standard_margins(&panel, &cells).unwrap();
    let raked = rake(&panel.design_weights(), &margins, &RakeParams::default()).unwrap();
    assert_margins_met(&raked.weights, &margins, 1e-8);
    assert!(raked.report.max_margin_error < 1e-12, "{:?}", raked.report);
    assert!(raked.report.kish_design_effect > 1.0 && raked.report.effective_n < 5001.0);
}

#[test]
fn raking_converges_on_an_awkward_table_with_skewed_sample_and_margins() {
    let panel = awkward_panel();
    let margins = [
        age_margin(
            &panel,
            &[("18-44", 5000.0), ("45-64", 300.0), ("65+", 700.0)],
        )
        .unwrap(),
        area_margin(
            &panel,
            &[("GM0106", 4000.0), ("GM0114", 1500.0), ("GM0118", 500.0)],
        )
        .unwrap(),
    ];
    let raked = rake(&panel.design_weights(), &margins, &RakeParams::default()).unwrap();
    assert_margins_met(&raked.weights, &margins, 1e-8);
    assert!(raked.report.iterations > 5, "{:?}", raked.report);
    assert!(raked.report.max_adjustment / raked.report.min_adjustment > 100.0);
}

#[test]
fn bounded_raking_keeps_every_weight_within_its_bounds_and_still_meets_the_margins() {
    let (panel, cells, unbounded) = synthetic_panel();
    let design = panel.design_weights();
    let ratios: Vec<f64> = unbounded.iter().zip(&design).map(|(w, d)| w / d).collect();
    let widest = ratios.iter().copied().fold(0.0, f64::max);
    let params = RakeParams {
        lower_bound: 0.5,
        upper_bound: 0.9 * widest,
        ..RakeParams::default()
    };
    let margins = standard_margins(&panel, &cells).unwrap();
    let raked = rake(&design, &margins, &params).unwrap();
    assert_margins_met(&raked.weights, &margins, 1e-8);
    for (w, d) in raked.weights.iter().zip(&design) {
        assert!(*w >= 0.5 * d * (1.0 - 1e-12) && *w <= 0.9 * widest * d * (1.0 + 1e-12));
    }
    assert!(raked.report.n_at_bounds > 0, "{:?}", raked.report);
    assert!(raked.report.max_adjustment <= 0.9 * widest * (1.0 + 1e-12));
}

#[test]
fn trimming_caps_weights_at_a_multiple_of_the_mean_weight() {
    // Eight respondents in each age × area cell; one has a design weight twenty times the rest.
    let mut rows = Vec::new();
    for (area, age) in [
        ("GM0106", "18-44"),
        ("GM0106", "65+"),
        ("GM0114", "18-44"),
        ("GM0114", "65+"),
    ] {
        for k in 0..8 {
            let outlier = area == "GM0106" && age == "18-44" && k == 0;
            rows.push((area, age, "male", if outlier { 20.0 } else { 1.0 }));
        }
    }
    let panel = panel_of(&rows);
    let margins = [
        age_margin(&panel, &[("18-44", 300.0), ("65+", 500.0)]).unwrap(),
        area_margin(&panel, &[("GM0106", 350.0), ("GM0114", 450.0)]).unwrap(),
    ];
    let mean = 800.0 / panel.len() as f64;
    let untrimmed = rake(&panel.design_weights(), &margins, &RakeParams::default()).unwrap();
    assert!(
        untrimmed.report.max_weight > 1.6 * mean,
        "{:?}",
        untrimmed.report
    );
    let params = RakeParams {
        max_weight_ratio: Some(1.5),
        ..RakeParams::default()
    };
    let raked = rake(&panel.design_weights(), &margins, &params).unwrap();
    assert!(
        raked.report.max_weight <= 1.5 * mean * (1.0 + 1e-12),
        "{:?}",
        raked.report
    );
    assert_margins_met(&raked.weights, &margins, 1e-8);
}

#[test]
fn a_margin_with_population_but_no_respondents_is_an_error_naming_the_cell() {
    let panel = panel_of(&[
        ("GM0106", "18-44", "male", 1.0),
        ("GM0106", "65+", "female", 1.0),
    ]);
    let error = age_margin(&panel, &[("18-44", 10.0), ("45-64", 20.0), ("65+", 30.0)]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "margin `age group`, category `45-64`: population 20 but no respondents; merge it with a neighbouring category"
    );
}

#[test]
fn margins_with_different_totals_cannot_both_be_met() {
    let panel = panel_of(&[
        ("GM0106", "18-44", "male", 1.0),
        ("GM0114", "65+", "female", 1.0),
    ]);
    let margins = [
        age_margin(&panel, &[("18-44", 10.0), ("65+", 30.0)]).unwrap(),
        area_margin(&panel, &[("GM0106", 10.0), ("GM0114", 31.0)]).unwrap(),
    ];
    let error = rake(&panel.design_weights(), &margins, &RakeParams::default()).unwrap_err();
    assert!(
        matches!(error, RakeError::InconsistentTotals { .. }),
        "{error}"
    );
}

#[test]
fn a_respondent_outside_every_category_is_an_error_naming_it() {
    let panel = panel_of(&[
        ("GM0106", "18-44", "male", 1.0),
        ("GM0999", "65+", "female", 1.0),
    ]);
    let error = area_margin(&panel, &[("GM0106", 10.0)]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "margin `municipality`: respondent `r1` is in category `GM0999`, which has no population total"
    );
}

#[test]
fn bounds_that_cannot_reach_a_margin_are_an_error_before_iterating() {
    let panel = panel_of(&[
        ("GM0106", "18-44", "male", 1.0),
        ("GM0106", "65+", "female", 1.0),
    ]);
    let margins = [age_margin(&panel, &[("18-44", 10.0), ("65+", 1.0)]).unwrap()];
    let params = RakeParams {
        lower_bound: 0.5,
        upper_bound: 2.0,
        ..RakeParams::default()
    };
    let error = rake(&panel.design_weights(), &margins, &params).unwrap_err();
    assert!(
        matches!(error, RakeError::BoundsTooTight { ref category, .. } if category == "18-44"),
        "{error}"
    );
}

#[test]
fn a_structurally_impossible_combination_of_margins_does_not_converge() {
    // The only 65+ respondents live in GM0114, whose total is smaller than the 65+ total.
    let panel = panel_of(&[
        ("GM0106", "18-44", "male", 1.0),
        ("GM0114", "65+", "female", 1.0),
        ("GM0114", "18-44", "female", 1.0),
    ]);
    let margins = [
        age_margin(&panel, &[("18-44", 10.0), ("65+", 30.0)]).unwrap(),
        area_margin(&panel, &[("GM0106", 20.0), ("GM0114", 20.0)]).unwrap(),
    ];
    let params = RakeParams {
        max_iterations: 200,
        ..RakeParams::default()
    };
    let error = rake(&panel.design_weights(), &margins, &params).unwrap_err();
    assert!(
        matches!(
            error,
            RakeError::NotConverged {
                iterations: 200,
                ..
            }
        ),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Estimation

/// Fifteen respondents in two municipalities with ratings and answers.
fn small_panel() -> Panel {
    let mut csv = String::from(
        "respondent_id,area_code,age_group,sex,design_weight,rating,future,facilities\n",
    );
    let ratings = [7, 8, 6, 9, 7, 8, 5, 7, 8, 9, 6, 7, 8, 4, 10];
    for (k, rating) in ratings.iter().enumerate() {
        let area = if k < 12 { "GM0106" } else { "GM0114" };
        let future = if rating >= &8 { "sunny" } else { "worried" };
        let weight = 10.0 + k as f64;
        writeln!(
            csv,
            "r{k},{area},45-64,female,{weight},{rating},{future},shop"
        )
        .unwrap();
    }
    import(&csv).unwrap()
}

#[test]
fn with_equal_weights_the_standard_error_is_the_textbook_s_over_root_n() {
    let panel = small_panel();
    let estimator =
        Estimator::new(&panel, &vec![3.0; panel.len()], DisclosureRule::default()).unwrap();
    let mean = estimator.mean("rating", &estimator.everyone()).unwrap();
    let ratings: Vec<f64> = [7, 8, 6, 9, 7, 8, 5, 7, 8, 9, 6, 7, 8, 4, 10]
        .map(f64::from)
        .to_vec();
    let n = ratings.len() as f64;
    let average = ratings.iter().sum::<f64>() / n;
    let s2 = ratings.iter().map(|y| (y - average).powi(2)).sum::<f64>() / (n - 1.0);
    let estimate = mean.value().unwrap();
    assert!((estimate.value - average).abs() < 1e-12);
    assert!((estimate.standard_error - (s2 / n).sqrt()).abs() < 1e-12);
    assert_eq!(mean.n(), Some(15));
    // t quantile with 14 degrees of freedom.
    assert!(
        (estimate.ci_high - estimate.value - 2.144_786_688 * estimate.standard_error).abs() < 1e-8
    );
}

#[test]
fn a_weighted_share_follows_the_ratio_linearisation_computed_by_hand() {
    let panel = small_panel();
    let weights: Vec<f64> = (0..15).map(|k| 10.0 + f64::from(k)).collect();
    let estimator = Estimator::new(&panel, &weights, DisclosureRule::default()).unwrap();
    let share = estimator
        .share("future", "sunny", &estimator.everyone())
        .unwrap();
    let y: Vec<f64> = [7, 8, 6, 9, 7, 8, 5, 7, 8, 9, 6, 7, 8, 4, 10]
        .iter()
        .map(|r| f64::from(u8::from(*r >= 8)))
        .collect();
    let total: f64 = weights.iter().sum();
    let p = weights.iter().zip(&y).map(|(w, y)| w * y).sum::<f64>() / total;
    let z: Vec<f64> = weights
        .iter()
        .zip(&y)
        .map(|(w, y)| w * (y - p) / total)
        .collect();
    let z_mean = z.iter().sum::<f64>() / 15.0;
    let variance = 15.0 / 14.0 * z.iter().map(|v| (v - z_mean).powi(2)).sum::<f64>();
    let estimate = share.value().unwrap();
    assert!((estimate.value - p).abs() < 1e-12);
    assert!((estimate.standard_error - variance.sqrt()).abs() < 1e-12);
}

#[test]
fn an_estimate_on_fewer_than_ten_respondents_is_suppressed_with_neither_value_nor_n() {
    let panel = small_panel();
    let estimator =
        Estimator::new(&panel, &panel.design_weights(), DisclosureRule::default()).unwrap();
    let small = estimator.domain("GM0114", |r| r.area.as_str() == "GM0114");
    let mean = estimator.mean("rating", &small).unwrap();
    assert_eq!(mean.suppression(), Some(Suppression::Primary));
    assert_eq!((mean.value(), mean.n()), (None, None));
    assert!(estimator.mean("rating", &estimator.everyone()).unwrap().n() == Some(15));
}

#[test]
fn a_suppressed_area_cannot_be_recovered_from_the_others_and_the_total() {
    let panel = small_panel();
    let estimator =
        Estimator::new(&panel, &panel.design_weights(), DisclosureRule::default()).unwrap();
    let areas = estimator.partition(|r| r.area.to_string());
    // GM0106 has 12 respondents and would be shown; with GM0114 (3) suppressed and the total
    // shown, GM0114 would follow by subtraction, so GM0106 is withheld too.
    let means = estimator.mean_by("rating", &areas).unwrap();
    assert_eq!(means[0].1.suppression(), Some(Suppression::Secondary));
    assert_eq!(means[1].1.suppression(), Some(Suppression::Primary));
}

#[test]
fn asking_a_mean_of_a_choice_question_or_an_unknown_code_is_an_error() {
    let panel = small_panel();
    let estimator =
        Estimator::new(&panel, &panel.design_weights(), DisclosureRule::default()).unwrap();
    let everyone = estimator.everyone();
    assert!(
        estimator
            .mean("future", &everyone)
            .unwrap_err()
            .to_string()
            .contains("is single")
    );
    assert!(estimator.share("future", "rainy", &everyone).is_err());
    assert!(estimator.mean("nope", &everyone).is_err());
    assert!(Estimator::new(&panel, &[1.0], DisclosureRule::default()).is_err());
}

#[test]
fn a_negative_weight_or_a_domain_from_another_panel_is_an_error_not_a_panic() {
    let panel = small_panel();
    let mut weights = panel.design_weights();
    weights[3] = -1.0;
    let error = Estimator::new(&panel, &weights, DisclosureRule::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the weight of respondent `r3` is -1; weights must be finite and not negative"
    );
    let other = panel_of(&[("GM0106", "65+", "male", 1.0)]);
    let other_estimator = Estimator::new(&other, &[1.0], DisclosureRule::default()).unwrap();
    let estimator =
        Estimator::new(&panel, &panel.design_weights(), DisclosureRule::default()).unwrap();
    let error = estimator
        .mean("rating", &other_estimator.everyone())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "length mismatch: domain has 1 entries, the panel has 15 respondents"
    );
}

#[test]
fn a_multiple_choice_share_counts_respondents_who_chose_the_option() {
    let panel = small_panel();
    let estimator =
        Estimator::new(&panel, &panel.design_weights(), DisclosureRule::default()).unwrap();
    let shares = estimator
        .shares("facilities", &estimator.everyone())
        .unwrap();
    assert_eq!(shares[0].1.value().unwrap().value, 0.0);
    assert_eq!(shares[1].1.value().unwrap().value, 1.0);
}

#[test]
fn the_difference_between_a_group_and_itself_is_zero_with_p_value_one() {
    let panel = small_panel();
    let estimator =
        Estimator::new(&panel, &panel.design_weights(), DisclosureRule::default()).unwrap();
    let everyone = estimator.everyone();
    let difference = estimator
        .difference_of_means("rating", &everyone, &everyone)
        .unwrap();
    let difference = difference.value().unwrap();
    assert_eq!(
        (
            difference.value,
            difference.standard_error,
            difference.p_value
        ),
        (0.0, 0.0, 1.0)
    );
}

#[test]
fn groningen_is_more_often_worried_than_drenthe_and_the_test_says_so() {
    let (panel, cells, weights) = synthetic_panel();
    let estimator = Estimator::new(&panel, &weights, DisclosureRule::default())
        .unwrap()
        .with_strata(|r| r.area.to_string());
    let provinces = estimator
        .partition_by_keys(&province_keys(&panel, &cells))
        .unwrap();
    let (groningen, drenthe) = (&provinces[0], &provinces[2]);
    assert_eq!(
        (groningen.label.as_str(), drenthe.label.as_str()),
        ("PV20", "PV22")
    );
    let difference = estimator
        .difference_of_shares("future", "worried", groningen, drenthe)
        .unwrap();
    let d = difference.value().unwrap();
    assert!((d.value - 0.07).abs() < 0.002, "{d:?}");
    assert!(d.p_value < 1e-6 && d.statistic > 5.0, "{d:?}");
    assert_eq!(
        (d.n_first, d.n_second, difference.n()),
        (2225, 986, Some(986))
    );
    // Disjoint domains: the variance is the sum of the two variances.
    let a = estimator.share("future", "worried", groningen).unwrap();
    let b = estimator.share("future", "worried", drenthe).unwrap();
    let (sa, sb) = (
        a.value().unwrap().standard_error,
        b.value().unwrap().standard_error,
    );
    assert!((d.standard_error - sa.hypot(sb)).abs() < 1e-12);
    // The same estimates taken as two independent surveys give the same difference, tested with z.
    let between = difference_between_surveys(&a, &b, &DisclosureRule::default());
    let between = between.value().unwrap();
    assert!((between.value - d.value).abs() < 1e-15 && between.degrees_of_freedom.is_infinite());
    assert!(between.p_value < 1e-6);
}

#[test]
fn a_difference_with_a_suppressed_side_is_suppressed() {
    let rule = DisclosureRule::default();
    let panel = small_panel();
    let estimator = Estimator::new(&panel, &panel.design_weights(), rule).unwrap();
    let shown = estimator.mean("rating", &estimator.everyone()).unwrap();
    let hidden = estimator
        .mean(
            "rating",
            &estimator.domain("GM0114", |r| r.area.as_str() == "GM0114"),
        )
        .unwrap();
    assert!(difference_between_surveys(&shown, &hidden, &rule).is_suppressed());
    let small = estimator.domain("GM0114", |r| r.area.as_str() == "GM0114");
    assert!(
        estimator
            .difference_of_means("rating", &estimator.everyone(), &small)
            .unwrap()
            .is_suppressed()
    );
}

#[test]
fn a_crosstab_suppresses_small_cells_and_enough_others_that_they_cannot_be_recovered() {
    let (panel, _, weights) = synthetic_panel();
    let estimator = Estimator::new(&panel, &weights, DisclosureRule::default()).unwrap();
    let areas = estimator.partition(|r| r.area.to_string());
    let crosstab = estimator.crosstab(&areas, "future").unwrap();
    let suppressed = crosstab.counts.suppressed_entries();
    assert!(!suppressed.is_empty());
    assert_no_entry_recoverable(&crosstab.counts);
    for (row, shares) in crosstab.shares.iter().enumerate() {
        for (column, share) in shares.iter().enumerate() {
            if crosstab.counts.cells[row][column].is_suppressed() {
                assert!(
                    share.is_suppressed(),
                    "{} {}",
                    crosstab.rows[row],
                    crosstab.columns[column]
                );
            }
        }
    }
    // Shares in a row add up to one: a row has no suppressed share, or at least two, or a
    // withheld total and then no shown share at all.
    for (row, shares) in crosstab.shares.iter().enumerate() {
        let hidden = shares.iter().filter(|s| s.is_suppressed()).count();
        assert!(hidden != 1, "row {}", crosstab.rows[row]);
        if crosstab.counts.row_totals[row].is_suppressed() {
            assert_eq!(hidden, shares.len(), "row {}", crosstab.rows[row]);
        }
    }
    // Shares of a large cell are shown with their n, the row's respondents.
    let groningen_city = crosstab.rows.iter().position(|r| r == "GM0014").unwrap();
    assert!(crosstab.shares[groningen_city][0].n().unwrap() > 100);
}

// ---------------------------------------------------------------------------------------------
// Disclosure control

#[test]
fn counts_below_ten_and_zero_are_suppressed_and_ten_is_shown() {
    let rule = DisclosureRule::default();
    for count in [0, 1, 9] {
        assert_eq!(
            Published::count(count, &rule).suppression(),
            Some(Suppression::Primary),
            "{count}"
        );
    }
    assert_eq!(Published::count(10, &rule).value(), Some(&10));
    let structural = DisclosureRule {
        suppress_zero_counts: false,
        ..rule
    };
    assert_eq!(Published::count(0, &structural).value(), Some(&0));
}

#[test]
fn mapping_a_published_value_keeps_its_n_and_a_suppressed_one_stays_suppressed() {
    let rule = DisclosureRule::default();
    let shown = Published::estimate(0.25, 40, &rule).map(|share| share * 100.0);
    assert_eq!((shown.value(), shown.n()), (Some(&25.0), Some(40)));
    let hidden = Published::estimate(0.25, 4, &rule).map(|share| share * 100.0);
    assert!(hidden.is_suppressed());
    assert_eq!(
        hidden.to_cell_value(|v| *v),
        leefbaar_model::CellValue::Missing(leefbaar_model::MissingReason::Suppressed)
    );
}

/// The attacker: knows every shown entry and the table's equations (each row and column sums
/// to its total), and solves any equation with one unknown, repeatedly, through rows, columns
/// and the totals; then tries linear algebra over all equations at once. Returns the entries it
/// recovered with their values.
fn attack(table: &crate::ProtectedTable) -> Vec<((usize, usize), i64)> {
    let n_rows = table.rows.len();
    let n_columns = table.columns.len();
    let mut known: BTreeMap<(usize, usize), i64> = BTreeMap::new();
    for row in 0..=n_rows {
        for column in 0..=n_columns {
            if let Some(value) = table.shown((row, column)) {
                known.insert((row, column), i64::try_from(value).unwrap());
            }
        }
    }
    let shown = known.len();
    let mut recovered = Vec::new();
    loop {
        let mut progress = false;
        for equation in crate::disclosure::table_equations(n_rows, n_columns) {
            let unknown: Vec<_> = equation.iter().filter(|e| !known.contains_key(e)).collect();
            if unknown.len() != 1 {
                continue;
            }
            let total_entry = equation[equation.len() - 1];
            let cells_sum: i64 = equation[..equation.len() - 1]
                .iter()
                .filter_map(|e| known.get(e))
                .sum();
            let value = if *unknown[0] == total_entry {
                cells_sum
            } else {
                known[&total_entry] - cells_sum
            };
            known.insert(*unknown[0], value);
            recovered.push((*unknown[0], value));
            progress = true;
        }
        if !progress {
            break;
        }
    }
    assert_eq!(known.len(), shown + recovered.len());
    let still_hidden: Vec<_> = table
        .suppressed_entries()
        .into_iter()
        .filter(|e| !known.contains_key(e))
        .collect();
    for entry in crate::disclosure::determined_entries(n_rows, n_columns, &still_hidden) {
        recovered.push((entry, -1));
    }
    recovered
}

fn assert_no_entry_recoverable(table: &crate::ProtectedTable) {
    let recovered = attack(table);
    assert!(
        recovered.is_empty(),
        "recovered {recovered:?} from {table:?}"
    );
}

fn table(cells: &[&[u64]]) -> CountTable {
    CountTable::new(
        (0..cells.len()).map(|k| format!("row {k}")).collect(),
        (0..cells[0].len()).map(|k| format!("column {k}")).collect(),
        cells.iter().map(|row| row.to_vec()).collect(),
    )
}

#[test]
fn a_small_cell_cannot_be_recovered_by_subtraction_through_rows_columns_or_the_total() {
    let counts = table(&[&[120, 4, 60], &[80, 35, 41], &[200, 90, 15]]);
    let protected = counts.protect(&DisclosureRule::default());
    assert_eq!(
        protected.cells[0][1].suppression(),
        Some(Suppression::Primary)
    );
    let secondary = protected.suppressed_entries().len() - 1;
    assert!(
        secondary >= 3,
        "a lone cell needs a partner in its row, its column and a fourth corner"
    );
    assert_no_entry_recoverable(&protected);
    // The attacker is not toothless: with primary suppression alone it recovers the cell.
    let naive = crate::ProtectedTable {
        cells: counts
            .cells
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&c| Published::count(c, &DisclosureRule::default()))
                    .collect()
            })
            .collect(),
        ..protected.clone()
    };
    let naive = crate::ProtectedTable {
        row_totals: (0..3)
            .map(|r| Published::count(counts.cells[r].iter().sum(), &DisclosureRule::default()))
            .collect(),
        column_totals: (0..3)
            .map(|c| {
                Published::count(
                    counts.cells.iter().map(|r| r[c]).sum(),
                    &DisclosureRule::default(),
                )
            })
            .collect(),
        grand_total: Published::count(
            counts.cells.iter().flatten().sum(),
            &DisclosureRule::default(),
        ),
        ..naive
    };
    assert_eq!(attack(&naive), [((0, 1), 4)]);
}

#[test]
fn a_row_total_below_ten_is_protected_too() {
    let protected =
        table(&[&[3, 2, 1], &[50, 60, 70], &[45, 12, 30]]).protect(&DisclosureRule::default());
    assert!(protected.row_totals[0].is_suppressed());
    assert_no_entry_recoverable(&protected);
}

#[test]
fn seeded_random_tables_never_leak_a_suppressed_cell() {
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    let mut random = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
    for case in 0..200 {
        let n_rows = 2 + (random.next_u32() % 4) as usize;
        let n_columns = 2 + (random.next_u32() % 4) as usize;
        let cells: Vec<Vec<u64>> = (0..n_rows)
            .map(|_| {
                (0..n_columns)
                    .map(|_| u64::from(random.next_u32() % 40))
                    .collect()
            })
            .collect();
        let counts = CountTable::new(
            (0..n_rows).map(|k| k.to_string()).collect(),
            (0..n_columns).map(|k| k.to_string()).collect(),
            cells,
        );
        let protected = counts.protect(&DisclosureRule::default());
        let recovered = attack(&protected);
        assert!(
            recovered.is_empty(),
            "seed {SEED}, case {case}: {counts:?} leaks {recovered:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic panel

#[test]
fn the_committed_synthetic_panel_is_byte_identical_to_a_fresh_generation() {
    let cells = parse_population(
        "population",
        read_data("population_2019_adults.csv").as_bytes(),
    )
    .unwrap();
    let generated = synthetic::burgerpanel_2018(&cells).unwrap();
    let committed = read_data("burgerpanel_2018_synthetic.csv");
    assert!(
        generated == committed,
        "seed {SEED}: data/survey/burgerpanel_2018_synthetic.csv differs from the generator; run `cargo run -p leefbaar-survey --example generate_burgerpanel`"
    );
    assert_eq!(
        read_data("burgerpanel_2018_schema.toml"),
        synthetic::BURGERPANEL_SCHEMA
    );
}

#[test]
fn the_committed_population_margins_follow_from_the_bundled_cbs_tables() {
    // The demo bundle's copies: all rows of the KWB table (with the columns used here) and the
    // unchanged "Gebieden in Nederland" export.
    let drenthe = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe");
    let kwb = fs_err::read_to_string(
        drenthe.join("cbs_kwb_gemeenten_2012_2024/kwb_gemeenten_2012_2024.csv"),
    )
    .unwrap();
    let gebieden = fs_err::read_to_string(
        drenthe.join("cbs_gebieden_in_nederland_gemeenten/gebieden_in_nederland_gemeenten.csv"),
    )
    .unwrap();
    let cells =
        crate::population_from_kwb(&kwb, &gebieden, 2019, &["PV20", "PV21", "PV22"]).unwrap();
    assert_eq!(
        crate::population_csv(&cells),
        read_data("population_2019_adults.csv")
    );
    let municipalities: std::collections::BTreeSet<_> =
        cells.iter().map(|c| &c.municipality).collect();
    assert_eq!(municipalities.len(), 42);
}

#[test]
fn the_synthetic_readme_says_synthetic_in_its_first_line() {
    let readme = read_data("README.md");
    assert!(readme.lines().next().unwrap().contains("SYNTHETIC"));
}

#[test]
fn weighted_estimates_of_the_synthetic_panel_reproduce_the_published_figures() {
    let (panel, cells, weights) = synthetic_panel();
    let estimator = Estimator::new(&panel, &weights, DisclosureRule::default()).unwrap();
    let by_province = estimator
        .partition_by_keys(&province_keys(&panel, &cells))
        .unwrap();
    let percent =
        |estimate: &Published<crate::Estimate>| (estimate.value().unwrap().value * 100.0).round();
    for (target, domain) in synthetic::TARGETS.iter().zip(&by_province) {
        let context = format!("seed {SEED}, {}", target.province);
        assert_eq!(domain.label, target.province, "{context}");
        let mean = estimator.mean("rating", domain).unwrap();
        assert_eq!(mean.n(), Some(target.n as u64), "{context}");
        assert!(
            (mean.value().unwrap().value - target.mean_rating).abs() < 0.005,
            "{context}"
        );
        let future: Vec<f64> = estimator
            .shares("future", domain)
            .unwrap()
            .iter()
            .map(|(_, e)| percent(e))
            .collect();
        assert_eq!(
            future,
            target.future.map(|s| (s * 100.0).round()),
            "{context}"
        );
        assert_eq!(
            percent(&estimator.share("declined", "yes", domain).unwrap()),
            (target.declined * 100.0).round(),
            "{context}"
        );
        assert_eq!(
            percent(&estimator.share("moved", "yes", domain).unwrap()),
            (target.moved * 100.0).round(),
            "{context}"
        );
    }
    let damage = estimator.partition_by_answer("quake_damage").unwrap();
    let declined: Vec<f64> = damage
        .iter()
        .map(|d| percent(&estimator.share("declined", "yes", d).unwrap()))
        .collect();
    assert_eq!(declined, [32.0, 22.0, 14.0], "seed {SEED}");
}

#[test]
fn weighting_matters_because_older_respondents_are_over_represented() {
    let (panel, _, weights) = synthetic_panel();
    let old = |r: &crate::Respondent| r.age_group == 2;
    let unweighted_old =
        panel.respondents.iter().filter(|r| old(r)).count() as f64 / panel.len() as f64;
    let weighted_old: f64 = panel
        .respondents
        .iter()
        .zip(&weights)
        .filter(|(r, _)| old(r))
        .map(|(_, w)| w)
        .sum::<f64>()
        / weights.iter().sum::<f64>();
    assert!(
        unweighted_old > weighted_old + 0.08,
        "seed {SEED}: {unweighted_old} vs {weighted_old}"
    );
    let equal = Estimator::new(&panel, &vec![1.0; panel.len()], DisclosureRule::default()).unwrap();
    let weighted = Estimator::new(&panel, &weights, DisclosureRule::default()).unwrap();
    let sunny = |e: &Estimator| {
        e.share("future", "sunny", &e.everyone())
            .unwrap()
            .value()
            .unwrap()
            .value
    };
    assert!(sunny(&equal) > sunny(&weighted) + 0.01, "seed {SEED}");
}
