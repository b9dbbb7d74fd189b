//! `leefbaar project` and the projection part of an import: the cohort-component projection of
//! every municipality (1 January 2020 → 2040), turned into facts of the `projected_*` base
//! variables so the indicator engine sums them to Drenthe and the Netherlands like any count,
//! and classified by the government's krimp criteria.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use leefbaar_model::{AreaCode, CellValue, Fact, Method, SourceRow, Year};
use leefbaar_projection::{
    BootstrapParams, BundledTables, DRENTHE, HeadshipMode, N_BUNDLED_FILES, NetherlandsSetup,
    OOST_DRENTHE, ProjectionOutputs, Region, Variant, YearOutput, classify_series,
    netherlands_setup, projection_outputs,
};
use serde_json::json;

use crate::cli::ProjectArgs;

/// The source id the projection's facts carry (declared in the indicator catalogue).
pub const SOURCE_ID: &str = "projection_leefbaar";

/// The bundled projection inputs: relative to the working directory when run from the
/// repository, else where this binary was built from.
pub fn default_dir() -> PathBuf {
    let relative = PathBuf::from("data/projection");
    if relative.exists() {
        return relative;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/projection")
}

/// What a projection run produced.
pub struct Projection {
    /// Variants, regions and intervals.
    pub outputs: ProjectionOutputs,
    /// Municipality names of the base year.
    pub names: BTreeMap<AreaCode, String>,
    /// The regions summed: Oost-Drenthe, Drenthe and any asked for.
    pub regions: Vec<Region>,
    /// The horizon.
    pub horizon: Year,
    /// Years from 2020 whose migration is registered (KWB totals up to 2020 + this).
    pub known_years: u16,
}

fn year(value: u16) -> Year {
    Year::new(value).expect("a year in range")
}

fn regions() -> Vec<Region> {
    let members = |codes: &[&str]| {
        codes
            .iter()
            .map(|code| AreaCode::parse(code).expect("a valid code"))
            .collect()
    };
    vec![
        Region {
            name: "Oost-Drenthe".to_owned(),
            members: members(&OOST_DRENTHE),
        },
        Region {
            name: "Drenthe".to_owned(),
            members: members(&DRENTHE),
        },
    ]
}

/// Reads the bundled tables of `dir` into the national set-up.
pub fn setup(dir: &Path) -> anyhow::Result<NetherlandsSetup> {
    let texts: [String; N_BUNDLED_FILES] = BundledTables::FILES
        .map(|name| fs_err::read_to_string(dir.join(name)))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .context("reading the projection inputs")?
        .try_into()
        .expect("one text per file");
    let tables = BundledTables::from_texts(&texts);
    netherlands_setup(&tables, HeadshipMode::NationalTrend)
        .with_context(|| format!("setting up the projection from {}", dir.display()))
}

/// The server's projection of Drenthe to 2040 with 200 bootstrap runs; `leefbaar serve` goes on
/// without the projection routes and section when the inputs cannot be read.
pub fn with_bundled_projection(state: leefbaar_server::AppState) -> leefbaar_server::AppState {
    let prepared = setup(&default_dir()).and_then(|netherlands| {
        leefbaar_server::ProjectionData::new(&netherlands.setup, year(2040), 200)
            .context("running the projection of Drenthe")
    });
    match prepared {
        Ok(projection) => state.with_projection(projection),
        Err(error) => {
            tracing::warn!("serving without the population projection: {error:#}");
            state
        }
    }
}

/// Reads `--region NAME=CODE,CODE,…` into a region; every code must be a municipality of the
/// 2020 division (`names`).
fn parse_region(text: &str, names: &BTreeMap<AreaCode, String>) -> anyhow::Result<Region> {
    let (name, codes) = text
        .split_once('=')
        .with_context(|| format!("--region `{text}`: expected NAME=CODE,CODE,…"))?;
    let name = name.trim();
    if name.is_empty() || ["Drenthe", "Oost-Drenthe"].contains(&name) {
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

/// Runs the projection for every municipality of 2020 to `horizon`, with Drenthe, Oost-Drenthe
/// and the regions of `extra_regions` (`NAME=CODE,CODE,…`).
pub fn run(
    dir: &Path,
    horizon: u16,
    runs: usize,
    extra_regions: &[String],
) -> anyhow::Result<Projection> {
    let netherlands = setup(dir)?;
    let horizon = Year::new(horizon).context("the horizon is not a year")?;
    let params = BootstrapParams {
        runs,
        ..BootstrapParams::default()
    };
    let names: BTreeMap<AreaCode, String> = netherlands
        .setup
        .areas
        .iter()
        .map(|area| (area.code.clone(), area.name.clone()))
        .collect();
    let mut all_regions = regions();
    for text in extra_regions {
        all_regions.push(parse_region(text, &names)?);
    }
    let outputs = projection_outputs(&netherlands.setup, horizon, &params, &all_regions)
        .context("running the projection")?;
    Ok(Projection {
        outputs,
        names,
        regions: all_regions,
        horizon,
        known_years: netherlands.setup.known_years,
    })
}

/// The projection as facts of the `projected_*` variables, one per municipality and year.
pub fn facts(projection: &Projection) -> Vec<Fact> {
    let mut facts = Vec::new();
    let variants = &projection.outputs.variants;
    let medium = &variants[&Variant::Medium];
    for (code, series) in medium {
        for (index, output) in series.iter().enumerate() {
            let low = variants[&Variant::Low][code][index].population;
            let high = variants[&Variant::High][code][index].population;
            let values = [
                ("projected_inhabitants", output.population),
                ("projected_inhabitants_low", low),
                ("projected_inhabitants_high", high),
                ("projected_65_plus", output.aged_65_plus),
                ("projected_80_plus", output.aged_80_plus),
                ("projected_households", output.households),
                ("projected_labour_force", output.labour_force_20_66),
            ];
            for (variable, value) in values {
                facts.push(Fact {
                    area: code.clone(),
                    year: output.year,
                    variable: variable.to_owned(),
                    value: CellValue::Value(value),
                    method: Method::Projected,
                    rows: Vec::<SourceRow>::new(),
                });
            }
        }
    }
    facts
}

/// `leefbaar project`: the classification table of Drenthe, Oost-Drenthe and every
/// municipality asked for.
pub fn command(args: &ProjectArgs) -> anyhow::Result<()> {
    let dir = args.inputs.clone().unwrap_or_else(default_dir);
    let projection = run(&dir, args.horizon, args.runs as usize, &args.regions)?;
    let outputs = &projection.outputs;
    let from = year(2020);
    let to = projection.horizon;
    let mut rows = Vec::new();
    let codes: Vec<AreaCode> = if args.area.is_empty() {
        DRENTHE
            .iter()
            .map(|code| AreaCode::parse(code).expect("valid"))
            .collect()
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
