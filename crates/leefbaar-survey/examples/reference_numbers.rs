//! Writes Leefbaar's weighted estimates for the SYNTHETIC 2018 panel to JSON, for
//! `scripts/survey/reference.py` to compare with samplics.
//!
//! ```text
//! cargo run -p leefbaar-survey --example reference_numbers -- target/survey-reference.json
//! ```
//!
//! The JSON holds the raked weights (so the reference estimates with exactly the same weights)
//! and, for each design (unstratified, stratified by municipality), each estimate with its
//! domain, value, standard error, 95 % interval and n.

use std::fmt::Write as _;
use std::path::PathBuf;

use leefbaar_survey::{
    DisclosureRule, Domain, Estimate, Estimator, Panel, Published, RakeParams, Schema,
    parse_population, provinces_of, rake, standard_margins,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let output = std::env::args()
        .nth(1)
        .ok_or("usage: reference_numbers OUTPUT.json")?;
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/survey");
    let schema_text = fs_err::read_to_string(data.join("burgerpanel_2018_schema.toml"))?;
    let schema = Schema::from_toml("burgerpanel_2018_schema.toml", &schema_text)?;
    let panel = Panel::from_csv(
        schema,
        "burgerpanel_2018_synthetic.csv",
        fs_err::File::open(data.join("burgerpanel_2018_synthetic.csv"))?,
    )?;
    let cells = parse_population(
        "population_2019_adults.csv",
        fs_err::File::open(data.join("population_2019_adults.csv"))?,
    )?;
    let raked = rake(
        &panel.design_weights(),
        &standard_margins(&panel, &cells)?,
        &RakeParams::default(),
    )?;
    let province_keys: Vec<String> = provinces_of(&panel, &cells)
        .into_iter()
        .map(|p| p.map(|p| p.to_string()).unwrap_or_default())
        .collect();

    let mut json = String::from("{\n  \"weights\": [");
    for (k, w) in raked.weights.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        write!(json, "{w:?}")?;
    }
    json.push_str("],\n  \"estimates\": [\n");
    let mut first = true;
    for (design, stratified) in [("unstratified", false), ("municipality_strata", true)] {
        let mut estimator = Estimator::new(&panel, &raked.weights, DisclosureRule::default())?;
        if stratified {
            estimator = estimator.with_strata(|r| r.area.to_string());
        }
        let mut domains: Vec<(String, String, Domain)> =
            vec![("all".into(), String::new(), estimator.everyone())];
        for domain in estimator.partition_by_keys(&province_keys)? {
            domains.push(("province".into(), domain.label.clone(), domain));
        }
        for domain in estimator.partition_by_answer("quake_damage")? {
            domains.push(("quake_damage".into(), domain.label.clone(), domain));
        }
        for (kind, value, domain) in &domains {
            let mut rows: Vec<(String, String, Published<Estimate>)> = vec![(
                "rating".into(),
                String::new(),
                estimator.mean("rating", domain)?,
            )];
            for question in ["future", "declined", "moved"] {
                for (code, estimate) in estimator.shares(question, domain)? {
                    rows.push((question.into(), code, estimate));
                }
            }
            for (question, code, estimate) in rows {
                let (Some(e), Some(n)) = (estimate.value(), estimate.n()) else {
                    continue;
                };
                if !first {
                    json.push_str(",\n");
                }
                first = false;
                write!(
                    json,
                    "    {{\"design\": \"{design}\", \"domain_kind\": \"{kind}\", \"domain\": \"{value}\", \"question\": \"{question}\", \"code\": \"{code}\", \"value\": {:?}, \"se\": {:?}, \"ci_low\": {:?}, \"ci_high\": {:?}, \"n\": {n}}}",
                    e.value, e.standard_error, e.ci_low, e.ci_high
                )?;
            }
        }
    }
    json.push_str("\n  ]\n}\n");
    fs_err::write(&output, json)?;
    eprintln!("wrote {output}");
    Ok(())
}
