//! The citizens' panel through the server, on the bundled SYNTHETIC panel and the real
//! Drenthe store: the survey API's figures against the published 2018 figures, the shape of a
//! suppressed cell, a disclosure attack that tries to recover suppressed cells through totals,
//! other partitions and the difference endpoint (and fails), and the `/burgerpanel` page.
//!
//! The disclosure-control mechanism itself (`leefbaar_survey::NestedPartition`) is tested in
//! `leefbaar-survey` on small partitions; the attack here is the proof that the API publishes
//! through it, with the same exact check (`leefbaar_survey::determined_unknowns`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::StatusCode;
use leefbaar_monitor::survey::{SurveyInput, SurveyMonitor};
use leefbaar_server::AppState;
use leefbaar_survey::determined_unknowns;
use serde_json::Value;

use crate::support::app as app_support;

use crate::support::survey as survey_support;

const MARGINS: &str = include_str!("../../../data/survey/population_2019_adults.csv");

/// The store (built the way `leefbaar import` builds it) without a panel.
fn bare_state() -> AppState {
    app_support::bundled_store().with_monitors(leefbaar_monitor::Monitors::default())
}

/// The same store with the bundled panel, as `leefbaar serve` runs it.
fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| bare_state().with_survey(survey_support::bundled_survey()))
        .clone()
}

async fn request(state: AppState, uri: &str) -> (StatusCode, String, String) {
    let (status, content_type, body) = app_support::request(state, "GET", uri).await;
    (status, content_type, String::from_utf8(body).unwrap())
}

async fn get_json(uri: &str) -> Value {
    get_json_on(state(), uri).await
}

async fn get_json_on(state: AppState, uri: impl Into<String>) -> Value {
    let uri = uri.into();
    let (status, _, body) = request(state, &uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body:.400}");
    let mut json: Value = serde_json::from_str(&body).unwrap();
    // The release's name holds the bundle's fingerprint, which changes with any bundled file
    // (tests/api.rs checks its shape).
    if let Some(release) = json.pointer_mut("/meta/release") {
        *release = Value::from("[RELEASE]");
    }
    json
}

fn cells(json: &Value) -> &Vec<Value> {
    json["data"]["cells"].as_array().unwrap()
}

fn cell<'a>(json: &'a Value, group: &str, answer: Option<&str>) -> &'a Value {
    cells(json)
        .iter()
        .find(|c| c["group"] == group && c["answer"].as_str() == answer)
        .unwrap_or_else(|| panic!("no cell {group} {answer:?}"))
}

#[tokio::test]
async fn survey_estimates_by_province_snapshot() {
    let json = get_json("/api/v1/survey/estimates?question=future&by=province").await;
    insta::assert_json_snapshot!("survey_estimates_future_by_province", json);
}

#[tokio::test]
async fn the_index_describes_the_panel_and_says_it_is_synthetic() {
    let json = get_json("/api/v1/survey").await;
    let data = &json["data"];
    assert_eq!(data["synthetic"], true);
    assert!(data["notice"].as_str().unwrap().contains("SYNTHETIC"));
    assert_eq!(json["meta"]["synthetic"], true);
    assert!(
        json["meta"]["licence"]
            .as_str()
            .unwrap()
            .contains("SYNTHETIC")
    );
    assert_eq!(data["respondents"], 5001);
    let ids: Vec<&str> = data["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["rating", "future", "declined", "quake_damage", "moved"]
    );
    assert_eq!(data["questions"][1]["answers"][2]["nl"], "somber");
    assert!(data["weighting"]["max_margin_error"].as_f64().unwrap() < 1e-8);
    assert!(data["weighting"]["design_effect"].as_f64().unwrap() > 1.0);
}

#[tokio::test]
async fn province_estimates_reproduce_the_published_2018_figures() {
    // Seed: mean rating 7.7 / 7.8 / 7.9; future sunny 40/43/46 %, worried 14/9/7 %;
    // declined 20/13/14 %; moved 25 % (Groningen) and 15 % (Drenthe).
    let rating = get_json("/api/v1/survey/estimates?question=rating&by=province").await;
    let future = get_json("/api/v1/survey/estimates?question=future&by=province").await;
    let declined = get_json("/api/v1/survey/estimates?question=declined&by=province").await;
    let moved = get_json("/api/v1/survey/estimates?question=moved&by=province").await;
    let value = |json: &Value, group: &str, answer: Option<&str>, decimals: i32| {
        let v = cell(json, group, answer)["value"].as_f64().unwrap();
        let f = 10_f64.powi(decimals);
        (v * f).round() / f
    };
    for (province, mark, sunny, worried, decline, n) in [
        ("PV20", 7.7, 40.0, 14.0, 20.0, 2225),
        ("PV21", 7.8, 43.0, 9.0, 13.0, 1790),
        ("PV22", 7.9, 46.0, 7.0, 14.0, 986),
    ] {
        assert_eq!(value(&rating, province, None, 1), mark, "{province}");
        assert_eq!(value(&future, province, Some("sunny"), 0), sunny);
        assert_eq!(value(&future, province, Some("worried"), 0), worried);
        assert_eq!(value(&declined, province, Some("yes"), 0), decline);
        let c = cell(&rating, province, None);
        assert_eq!(c["n"], n);
        let (low, high) = (
            c["ci_low"].as_f64().unwrap(),
            c["ci_high"].as_f64().unwrap(),
        );
        assert!(low < mark && mark < high && high - low < 0.3, "{c}");
        assert!(c["effective_n"].as_f64().unwrap() < f64::from(n));
    }
    assert_eq!(value(&moved, "PV20", Some("yes"), 0), 25.0);
    assert_eq!(value(&moved, "PV22", Some("yes"), 0), 15.0);
    assert_eq!(
        rating["data"]["cells"][0]["name"], "Groningen",
        "provinces carry their names"
    );
}

#[tokio::test]
async fn a_difference_between_provinces_has_its_test() {
    let json =
        get_json("/api/v1/survey/difference?question=future&by=province&a=PV20&b=PV22").await;
    let worried = json["data"]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["answer"] == "worried")
        .unwrap();
    // 14 % against 7 %: about 7 percentage points, far from chance.
    let value = worried["value"].as_f64().unwrap();
    assert!((value - 7.0).abs() < 1.0, "{worried}");
    assert!(worried["p_value"].as_f64().unwrap() < 1e-6);
    assert_eq!(worried["n_a"], 2225);
    assert_eq!(json["data"]["unit"], "percentage points");
}

/// Adults per municipality and province: public (the raking margins are CBS data), and what
/// an attacker weighs published means with.
fn populations() -> (BTreeMap<String, i64>, BTreeMap<String, String>) {
    let mut population = BTreeMap::new();
    let mut province_of = BTreeMap::new();
    for line in MARGINS.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        *population.entry(fields[1].to_owned()).or_insert(0) += fields[4].parse::<i64>().unwrap();
        province_of.insert(fields[1].to_owned(), fields[0].to_owned());
    }
    (population, province_of)
}

#[tokio::test]
async fn a_suppressed_cell_has_no_value_no_n_and_no_interval() {
    let json = get_json("/api/v1/survey/estimates?question=rating&by=municipality").await;
    let suppressed: Vec<&Value> = cells(&json)
        .iter()
        .filter(|c| c["suppressed"] == true)
        .collect();
    assert!(
        suppressed.len() >= 2,
        "the bundled panel has small municipalities"
    );
    for c in suppressed {
        assert!(c["value"].is_null(), "{c}");
        for key in ["n", "ci_low", "ci_high", "standard_error", "effective_n"] {
            assert!(c.get(key).is_none(), "{key} in {c}");
        }
    }
}

/// The bundled panel with all but `keep` respondents of `municipality` removed, so that it
/// is the only small municipality of its province while Fryslân has two small islands: the
/// case where protecting the partition as a whole is not enough.
fn thinned_panel(municipality: &str, keep: usize) -> SurveyMonitor {
    let full = include_str!("../../../data/survey/burgerpanel_2018_synthetic.csv");
    let mut kept = 0;
    let mut csv = String::new();
    for line in full.lines() {
        if line.split(',').nth(1) == Some(municipality) {
            kept += 1;
            if kept > keep {
                continue;
            }
        }
        csv.push_str(line);
        csv.push('\n');
    }
    let spec = survey_support::bundled_spec();
    SurveyMonitor::from_input(SurveyInput {
        schema_file: "burgerpanel_2018_schema.toml",
        schema: include_str!("../../../data/survey/burgerpanel_2018_schema.toml"),
        panel_file: "thinned.csv",
        panel: csv.as_bytes(),
        margins_file: "population_2019_adults.csv",
        margins: MARGINS.as_bytes(),
        synthetic_notice: spec.synthetic_notice.as_deref(),
    })
    .unwrap()
}

#[tokio::test]
async fn a_suppressed_cell_cannot_be_recovered_through_the_api() {
    let attacked = attack(state()).await;
    assert!(
        attacked > 0,
        "the attack found no suppressed cell to attack"
    );
    // Assen (GM0106) with 6 respondents: without protection within Drenthe its mean would
    // follow exactly from Drenthe's mean and the other eleven municipalities'.
    let attacked = attack(bare_state().with_survey(thinned_panel("GM0106", 6))).await;
    assert!(attacked >= 2, "Drenthe and Fryslân were attacked");
}

/// Runs the attack on a server; returns how many suppressed cells it tried to recover.
///
/// What an attacker knows: every published estimate (all questions, every `by=`), and the
/// adult population of every municipality (the raking margins are public CBS data), which is
/// the weight sum behind each municipality's estimates. Then:
/// - totals: a province's (and the panel's) estimate of an answer is the population-weighted
///   sum of its municipalities' estimates, and a group's shares add up to 100 %; every
///   suppressed cell is an unknown in this linear system, and none may be determined;
/// - respondent counts: a province's n minus its shown municipalities' n must not leave a
///   group of fewer than 10;
/// - the difference endpoint: a suppressed cell against the largest shown municipality of its
///   province (whose value is known) and against another suppressed one, both ways;
/// - other partitions as filters (age group, sex, answers): no shown cell on fewer than 10,
///   and never exactly one suppressed group under the total.
async fn attack(state: AppState) -> usize {
    let get = |uri: String| get_json_on(state.clone(), uri);
    let (population, province_of) = populations();
    let index = get("/api/v1/survey".to_owned()).await;
    let mut attacked = 0;
    for question in index["data"]["questions"].as_array().unwrap() {
        let id = question["id"].as_str().unwrap();
        let by_municipality = get(format!(
            "/api/v1/survey/estimates?question={id}&by=municipality"
        ))
        .await;
        let by_province = get(format!(
            "/api/v1/survey/estimates?question={id}&by=province"
        ))
        .await;
        let municipal = cells(&by_municipality);
        let percent = by_municipality["data"]["unit"] == "percent";

        // Totals: the linear system over the suppressed municipality cells.
        let unknown: Vec<usize> = (0..municipal.len())
            .filter(|&i| municipal[i]["suppressed"] == true)
            .collect();
        let position = |i: usize| unknown.iter().position(|&u| u == i);
        let mut equations: Vec<Vec<(usize, i64)>> = Vec::new();
        // Parents: each province's and the panel's estimate of each answer, where published.
        let answers: Vec<Option<&str>> = cells(&by_province)
            .iter()
            .filter(|c| c["group"] == "PV20")
            .map(|c| c["answer"].as_str())
            .collect();
        for answer in &answers {
            let mut parents: Vec<(&Value, Option<&str>)> = vec![(
                by_municipality["data"]["total"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["answer"].as_str() == *answer)
                    .unwrap(),
                None,
            )];
            for province in ["PV20", "PV21", "PV22"] {
                parents.push((cell(&by_province, province, *answer), Some(province)));
            }
            for (parent, province) in parents {
                if parent["suppressed"] == true {
                    continue;
                }
                let equation: Vec<(usize, i64)> = (0..municipal.len())
                    .filter(|&i| municipal[i]["answer"].as_str() == *answer)
                    .filter(|&i| {
                        let code = municipal[i]["group"].as_str().unwrap();
                        province.is_none_or(|p| province_of[code] == p)
                    })
                    .filter_map(|i| {
                        position(i)
                            .map(|k| (k, population[municipal[i]["group"].as_str().unwrap()]))
                    })
                    .collect();
                equations.push(equation);
            }
        }
        // Rows: a municipality's shares add up to 100 % (its n is public if any share is shown).
        if percent {
            let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (i, c) in municipal.iter().enumerate() {
                by_group
                    .entry(c["group"].as_str().unwrap())
                    .or_default()
                    .push(i);
            }
            for row in by_group.values() {
                if row.iter().any(|&i| municipal[i]["suppressed"] == false) {
                    equations.push(
                        row.iter()
                            .filter_map(|&i| position(i))
                            .map(|k| (k, 1))
                            .collect(),
                    );
                }
            }
        }
        let found = determined_unknowns(unknown.len(), &equations);
        let revealed: Vec<String> = found
            .iter()
            .map(|&k| {
                format!(
                    "{} {}",
                    municipal[unknown[k]]["group"], municipal[unknown[k]]["answer"]
                )
            })
            .collect();
        assert!(
            revealed.is_empty(),
            "{id}: these suppressed cells follow from published totals: {revealed:?}"
        );
        attacked += unknown.len();

        // Respondent counts: suppressed municipalities (no cell shown) against province n.
        for province in ["PV20", "PV21", "PV22"] {
            let parent = &cells(&by_province)
                .iter()
                .find(|c| c["group"] == province)
                .unwrap()
                .clone();
            let Some(n_parent) = parent["n"].as_u64() else {
                continue;
            };
            let mut shown_n: BTreeMap<&str, u64> = BTreeMap::new();
            for c in municipal
                .iter()
                .filter(|c| province_of[c["group"].as_str().unwrap()] == province)
            {
                if let Some(n) = c["n"].as_u64() {
                    shown_n.insert(c["group"].as_str().unwrap(), n);
                }
            }
            let rest = n_parent - shown_n.values().sum::<u64>();
            assert!(
                rest == 0 || rest >= 10,
                "{id}: the municipalities of {province} without any shown cell hold {rest} respondents"
            );
        }

        // Differences (one request answers for every answer of a pair).
        let mut differences: BTreeMap<String, Value> = BTreeMap::new();
        for &i in &unknown {
            let target = municipal[i]["group"].as_str().unwrap();
            let answer = municipal[i]["answer"].as_str();
            let province = province_of[target].as_str();
            let same_answer = |c: &&Value| c["answer"].as_str() == answer;
            let in_province = |c: &&Value| province_of[c["group"].as_str().unwrap()] == province;
            let largest_shown = municipal
                .iter()
                .filter(same_answer)
                .filter(in_province)
                .filter(|c| c["suppressed"] == false)
                .max_by_key(|c| c["n"].as_u64().unwrap())
                .map(|c| c["group"].as_str().unwrap());
            let other_hidden = municipal
                .iter()
                .filter(same_answer)
                .filter(in_province)
                .filter(|c| c["suppressed"] == true && c["group"] != target)
                .map(|c| c["group"].as_str().unwrap())
                .next();
            for other in largest_shown.into_iter().chain(other_hidden) {
                for (a, b) in [(target, other), (other, target)] {
                    let uri = format!(
                        "/api/v1/survey/difference?question={id}&by=municipality&a={a}&b={b}"
                    );
                    if !differences.contains_key(&uri) {
                        let json = get(uri.clone()).await;
                        differences.insert(uri.clone(), json);
                    }
                    let json = &differences[&uri];
                    let d = json["data"]["differences"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|d| d["answer"].as_str() == answer)
                        .unwrap();
                    assert_eq!(
                        d["suppressed"], true,
                        "{id} {answer:?}: the difference {a} − {b} would reveal {target}: {d}"
                    );
                    assert!(d["value"].is_null() && d.get("n_a").is_none(), "{d}");
                }
            }
        }

        // Filters: other partitions.
        for by in [
            "province",
            "age_group",
            "sex",
            "quake_damage",
            "future",
            "declined",
            "moved",
        ] {
            let json = get(format!("/api/v1/survey/estimates?question={id}&by={by}")).await;
            let mut hidden_per_answer: BTreeMap<String, usize> = BTreeMap::new();
            let mut shown_per_answer: BTreeMap<String, usize> = BTreeMap::new();
            for c in cells(&json) {
                let key = c["answer"].to_string();
                if c["suppressed"] == true {
                    *hidden_per_answer.entry(key).or_default() += 1;
                } else {
                    assert!(c["n"].as_u64().unwrap() >= 10, "{c}");
                    *shown_per_answer.entry(key).or_default() += 1;
                }
            }
            for (answer, hidden) in hidden_per_answer {
                assert!(
                    hidden != 1 || !shown_per_answer.contains_key(&answer),
                    "{id} by {by}: one suppressed group of answer {answer} under the total"
                );
            }
        }
    }
    attacked
}

#[tokio::test]
async fn survey_routes_answer_404_on_a_server_without_a_panel() {
    for uri in [
        "/api/v1/survey",
        "/api/v1/survey/estimates?question=rating",
        "/api/v1/survey/difference?question=rating&by=province&a=PV20&b=PV22",
    ] {
        let (status, _, body) = request(bare_state(), uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        let json: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(json["status"], 404);
    }
    let (status, content_type, _) = request(bare_state(), "/burgerpanel").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(content_type.starts_with("text/html"));
}

#[tokio::test]
async fn bad_survey_parameters_are_named() {
    let (status, _, body) = request(
        state(),
        "/api/v1/survey/estimates?question=rating&by=postcode",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("parameter `by` must be one of province, municipality, age_group, sex, future, declined, quake_damage, moved, found `postcode`"),
        "{body}"
    );
    let (status, _, body) = request(
        state(),
        "/api/v1/survey/difference?question=rating&by=province&a=PV20&b=PV20",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, body) = request(state(), "/api/v1/survey/difference?question=rating").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for name in ["by", "a", "b"] {
        assert!(
            body.contains(&format!("parameter `{name}` is required")),
            "{body}"
        );
    }
}

fn assert_balanced(html: &str) {
    for tag in [
        "html", "head", "body", "main", "header", "footer", "section", "table", "thead", "tbody",
        "tr", "caption", "h1", "h2", "p", "div",
    ] {
        let open =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let close = html.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}> opened {open} times, closed {close}");
    }
}

#[tokio::test]
async fn the_burgerpanel_page_shows_the_province_figures_labelled_synthetic() {
    let (status, content_type, html) = request(state(), "/burgerpanel").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("<h1>Leefbaarheid in Groningen, Fryslân en Drenthe</h1>"));
    assert!(html.contains("SYNTHETISCHE GEGEVENS"));
    // The dashboard's stylesheet, under its content-hashed name.
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/assets/app."));
    assert_eq!(html.matches("<caption>").count(), 7);
    assert_eq!(html.matches("(SYNTHETISCH)</caption>").count(), 7);
    assert!(html.contains("<th scope=\"col\">Provincie</th>"));
    assert!(html.contains("<th scope=\"row\">Groningen</th><td class=\"num\">7,7</td>"));
    assert!(html.contains("<th scope=\"row\">Fryslân</th><td class=\"num\">7,8</td>"));
    assert!(html.contains("<th scope=\"row\">Drenthe</th><td class=\"num\">7,9</td>"));
    assert!(html.contains("<td class=\"num\">2.225</td>"));
    // Every table has its bars with intervals before it, named and described for a screen
    // reader, one bar per shown estimate.
    assert_eq!(html.matches("<svg class=\"bars-chart\"").count(), 7);
    assert_eq!(html.matches("<title id=\"m1-bars-t\">").count(), 1);
    assert_eq!(
        html.matches("fill=\"#4a78a6\"/>").count(),
        html.matches("<td class=\"num\">").count() / 3,
        "one bar per row with figures"
    );
    assert_balanced(&html);

    let (status, _, html) = request(state(), "/burgerpanel?lang=en&utm=x").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h1>Livability in Groningen, Fryslân and Drenthe</h1>"));
    assert!(html.contains("SYNTHETIC DATA"));
    assert!(html.contains("<th scope=\"row\">Drenthe</th><td class=\"num\">7.9</td>"));
    assert!(html.contains("<td class=\"num\">2,225</td>"));
    assert_balanced(&html);
}
