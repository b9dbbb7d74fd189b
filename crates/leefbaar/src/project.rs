//! `leefbaar project`: the cohort-component projection of every municipality (1 January 2020 →
//! 2040) from the bundle's projection inputs, classified by the government's krimp criteria,
//! for the monitored province, the bundle's regions and any region given on the command line.
//! The computation is `leefbaar_monitor::projection`.

use std::collections::BTreeMap;
use std::io::Write as _;

use anyhow::Context as _;
use leefbaar_model::{AreaCode, Year};
use leefbaar_monitor::projection::{
    NationalRun, Province, municipality_names, national_setup, run_national,
};
use leefbaar_projection::{Region, Variant, YearOutput, classify_series};
use serde_json::json;

use crate::cli::ProjectArgs;
use crate::global::GlobalArgs;
use crate::paths;

fn year(value: u16) -> Year {
    Year::new(value).expect("a year in range")
}

/// Reads `--region NAME=CODE,CODE,…` into a region; every code must be a municipality of the
/// 2020 division (`names`), and the name must not be taken.
fn parse_region(
    text: &str,
    names: &BTreeMap<AreaCode, String>,
    taken: &[Region],
) -> anyhow::Result<Region> {
    let (name, codes) = text
        .split_once('=')
        .with_context(|| format!("--region `{text}`: expected NAME=CODE,CODE,…"))?;
    let name = name.trim();
    if name.is_empty() || taken.iter().any(|region| region.name == name) {
        anyhow::bail!("--region `{text}`: give the region a name of its own");
    }
    let mut members = Vec::new();
    for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let code = AreaCode::parse(code)
            .with_context(|| format!("--region {name}: `{code}` is not a CBS area code"))?;
        if !names.contains_key(&code) {
            anyhow::bail!(
                "--region {name}: no municipality `{code}` in the 2020 division the projection starts from"
            );
        }
        if !members.contains(&code) {
            members.push(code);
        }
    }
    if members.is_empty() {
        anyhow::bail!("--region {name}: no municipalities given");
    }
    Ok(Region {
        name: name.to_owned(),
        members,
    })
}

/// `leefbaar project`: the classification table of Drenthe, Oost-Drenthe and every
/// municipality asked for.
pub fn command(global: &GlobalArgs, args: &ProjectArgs) -> anyhow::Result<()> {
    let chosen = crate::bundle::choose(args.bundle.as_deref(), &paths::store(global))?;
    let Some(spec) = &chosen.spec.projection else {
        anyhow::bail!(
            "the bundle {} declares no [projection]",
            chosen.manifest.display()
        );
    };
    let setup = national_setup(&spec.inputs)?;
    let province =
        Province::of(&setup, &chosen.province, &chosen.province_name).with_context(|| {
            format!(
                "the projection's inputs have no municipality of {}",
                chosen.province_name
            )
        })?;
    let names = municipality_names(&setup);
    let mut regions: Vec<Region> = spec
        .regions
        .iter()
        .filter(|region| region.members.iter().all(|m| province.members.contains(m)))
        .map(|region| Region {
            name: region.name.clone(),
            members: region.members.clone(),
        })
        .collect();
    regions.push(Region {
        name: province.name.clone(),
        members: province.members.clone(),
    });
    for text in &args.regions {
        let region = parse_region(text, &names, &regions)?;
        regions.push(region);
    }
    let horizon = Year::new(args.horizon).context("the horizon is not a year")?;
    let projection: NationalRun = run_national(&setup, horizon, args.runs as usize, regions)
        .context("running the projection")?;
    let outputs = &projection.outputs;
    let from = year(2020);
    let to = projection.horizon;
    let mut rows = Vec::new();
    let codes: Vec<AreaCode> = if args.area.is_empty() {
        province.members.clone()
    } else {
        args.area
            .iter()
            .map(|text| AreaCode::parse(text))
            .collect::<Result<_, _>>()?
    };
    let describe = |label: String,
                    series: &[YearOutput],
                    by_variant: [&[YearOutput]; 2],
                    interval: [f64; 3]| {
        let class = classify_series(series, from, to);
        let last = series.last().expect("years");
        let first = series.first().expect("years");
        json!({
            "area": label,
            "class": class.map(|c| c.class.as_str()),
            "population_from": first.population,
            "population_to": last.population,
            "population_change_pct": 100.0 * (last.population / first.population - 1.0),
            "households_change_pct": 100.0 * (last.households / first.households - 1.0),
            "population_to_low": by_variant[0].last().map(|o| o.population),
            "population_to_high": by_variant[1].last().map(|o| o.population),
            "population_to_p10": interval[0],
            "population_to_p90": interval[2],
            "class_low": classify_series(by_variant[0], from, to).map(|c| c.class.as_str()),
            "class_high": classify_series(by_variant[1], from, to).map(|c| c.class.as_str()),
        })
    };
    for code in &codes {
        let Some(series) = outputs.variants[&Variant::Medium].get(code) else {
            anyhow::bail!(
                "no municipality `{code}` in the 2020 division the projection starts from"
            );
        };
        let label = format!(
            "{code} {}",
            projection.names.get(code).map_or("", String::as_str)
        );
        let low = &outputs.variants[&Variant::Low][code];
        let high = &outputs.variants[&Variant::High][code];
        let interval = outputs.intervals.areas[code]
            .last()
            .expect("years")
            .population;
        rows.push(describe(label, series, [low, high], interval));
    }
    for region in &projection.regions {
        let series = &outputs.region_variants[&Variant::Medium][&region.name];
        let low = &outputs.region_variants[&Variant::Low][&region.name];
        let high = &outputs.region_variants[&Variant::High][&region.name];
        let interval = outputs.intervals.regions[&region.name]
            .last()
            .expect("years")
            .population;
        rows.push(describe(region.name.clone(), series, [low, high], interval));
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "Population projection {from} → {to} (medium variant; low/high variants; 80 % bootstrap interval over {} runs)",
        args.runs
    )?;
    if projection.known_years > 0 {
        writeln!(
            out,
            "Migration {from}–{}: as registered (KWB totals up to 1 January {}); variants and interval differ from then on",
            from.get() + projection.known_years - 1,
            from.get() + projection.known_years
        )?;
    }
    writeln!(
        out,
        "{:<28} {:>10} {:>10} {:>8} {:>8} {:>21} {:>21}  class (low/high)",
        "area",
        format!("pop {from}"),
        format!("pop {to}"),
        "Δpop",
        "Δhh",
        "low – high",
        "80 % interval"
    )?;
    for row in rows {
        let number = |key: &str| row[key].as_f64().unwrap_or(f64::NAN);
        writeln!(
            out,
            "{:<28} {:>10.0} {:>10.0} {:>+7.1}% {:>+7.1}% {:>10.0} – {:<8.0} {:>10.0} – {:<8.0}  {} ({}/{})",
            row["area"].as_str().unwrap_or(""),
            number("population_from"),
            number("population_to"),
            number("population_change_pct"),
            number("households_change_pct"),
            number("population_to_low"),
            number("population_to_high"),
            number("population_to_p10"),
            number("population_to_p90"),
            row["class"].as_str().unwrap_or("?"),
            row["class_low"].as_str().unwrap_or("?"),
            row["class_high"].as_str().unwrap_or("?"),
        )?;
    }
    writeln!(
        out,
        "krimp: population −12.5 % and households −5 % or more; anticipeer: either −2.5 % or more; growth: population +2.5 % or more"
    )?;
    Ok(())
}
