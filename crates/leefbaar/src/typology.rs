//! `leefbaar typology`: the "bubbles" of issue 15 — every municipality of the Netherlands by
//! projected change 2024–2040 × degree of urbanisation, and the share of residents per bubble
//! for the Netherlands, each province and the monitored province. The computation is
//! `leefbaar_monitor::typology`; `--json` prints the API's `data` (`/api/v1/typology`).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use leefbaar_monitor::typology::{CHANGES, Typology};
use leefbaar_server::wire::typology::{METHOD, TypologyWire};

use crate::global::GlobalArgs;
use crate::paths;

/// Every municipality of the Netherlands in a "bubble" (growing or shrinking × urban or rural), and who lives in each
///
/// The bubble of a municipality is its projected change between 2024 and 2040 (the population
/// projection, medium variant: growth, stable, anticipeer = shrinking a little, krimp =
/// shrinking a lot) × its degree of urbanisation (urban, intermediate or rural, from CBS's
/// urbanity class by address density). The share of residents per bubble is given for the
/// Netherlands and each province.
///
/// Without options it prints the shares of the Netherlands, every province and the monitored
/// one (marked *). With --area it lists the municipalities of that province (or NL01 for all)
/// with their bubble and numbers.
#[derive(Debug, Args)]
pub struct TypologyArgs {
    /// List the municipalities of this province (e.g. PV22) or of the Netherlands (NL01)
    /// with their bubble, instead of the shares
    #[arg(long, value_name = "CODE")]
    pub area: Option<String>,
    /// The bundle whose [typology] and projection inputs to use [default: the store's bundle,
    /// else data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
    /// Print JSON (the `data` of /api/v1/typology) instead of tables
    #[arg(long)]
    pub json: bool,
}

/// `leefbaar typology`.
pub fn command(global: &GlobalArgs, args: &TypologyArgs) -> anyhow::Result<()> {
    let chosen = crate::bundle::choose(args.bundle.as_deref(), &paths::store(global))?;
    let (Some(spec), Some(projection)) = (&chosen.spec.typology, &chosen.spec.projection) else {
        anyhow::bail!(
            "the bundle {} declares no [typology] (with [projection])",
            chosen.manifest.display()
        );
    };
    let typology = Typology::prepare(spec, projection, &chosen.province)
        .with_context(|| format!("classing the municipalities of {}", spec.file.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&TypologyWire::of(&typology))?
        )?;
        return Ok(());
    }
    match &args.area {
        Some(code) => municipalities(&mut out, &typology, code)?,
        None => shares(&mut out, &typology)?,
    }
    writeln!(out, "{METHOD}")?;
    Ok(())
}

fn shares(out: &mut impl std::io::Write, typology: &Typology) -> anyhow::Result<()> {
    writeln!(
        out,
        "Share of residents {} per bubble, in percent (change {}–{} × degree of urbanisation)",
        typology.from_year, typology.from_year, typology.to_year
    )?;
    write!(out, "{:<24} {:>10}", "area", "residents")?;
    for change in CHANGES {
        for degree in &typology.degrees {
            let label = format!("{}-{}", change.as_str(), degree.id);
            write!(out, " {:>7}", abbreviate(&label))?;
        }
    }
    writeln!(out)?;
    for area in &typology.areas {
        let marker = if area.monitored { "*" } else { "" };
        write!(
            out,
            "{:<24} {:>10}",
            format!("{} {}{marker}", area.code, area.name),
            area.population_from
        )?;
        for bubble in &area.bubbles {
            write!(out, " {:>7.2}", bubble.share_from_pct)?;
        }
        writeln!(out)?;
    }
    write!(out, "columns: ")?;
    let mut first = true;
    for change in CHANGES {
        for degree in &typology.degrees {
            let label = format!("{}-{}", change.as_str(), degree.id);
            if !first {
                write!(out, ", ")?;
            }
            first = false;
            write!(out, "{} = {label}", abbreviate(&label))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "* the monitored province")?;
    Ok(())
}

/// `growth-urban` → `gro-urb`, so twelve columns fit a terminal.
fn abbreviate(label: &str) -> String {
    label
        .split('-')
        .map(|part| part.chars().take(3).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn municipalities(
    out: &mut impl std::io::Write,
    typology: &Typology,
    code: &str,
) -> anyhow::Result<()> {
    let Some(area) = typology.area(code) else {
        let codes: Vec<&str> = typology.areas.iter().map(|a| a.code.as_str()).collect();
        anyhow::bail!("--area `{code}`: expected one of {}", codes.join(", "));
    };
    writeln!(
        out,
        "{:<8} {:<28} {:<24} {:>10} {:>10} {:>8} {:>8}  class low/high",
        "code",
        "name",
        "bubble",
        format!("pop {}", typology.from_year),
        format!("pop {}", typology.to_year),
        "Δpop",
        "Δhh"
    )?;
    for municipality in typology
        .municipalities
        .iter()
        .filter(|m| area.code.as_str() == "NL01" || m.province == area.code)
    {
        writeln!(
            out,
            "{:<8} {:<28} {:<24} {:>10} {:>10} {:>+7.2}% {:>+7.2}%  {}/{}",
            municipality.code.as_str(),
            municipality.name,
            typology.bubble_id(municipality),
            municipality.population_from,
            municipality.population_to,
            municipality.population_change_pct,
            municipality.households_change_pct,
            municipality.change_low,
            municipality.change_high,
        )?;
    }
    Ok(())
}
