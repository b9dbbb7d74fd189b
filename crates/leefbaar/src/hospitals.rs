//! `leefbaar hospitals`: who would be beyond 30 and 45 minutes by car from the nearest hospital,
//! and beyond 45 minutes from the emergency call, if one or more hospitals closed; per
//! municipality of the north, per province and in total, for everyone and for people aged 75
//! and over; and, without `--close`, the sensitive-hospitals table. The bundle is the store's
//! unless `--bundle` names another; the computation is `leefbaar_monitor::hospitals`, and
//! `--json` prints the API's shapes (`leefbaar_server::wire::hospitals`).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use leefbaar_monitor::hospitals::HospitalMonitor;
use leefbaar_server::wire::hospitals::{AreaCareWire, HospitalScenarioWire, HospitalsWire};

use crate::global::GlobalArgs;
use crate::paths;

/// Who would be beyond 30/45 minutes from a hospital if one or more closed (the north)
///
/// Without --close: the sensitive-hospitals table. Every hospital that is the nearest for
/// someone in the bundle's area (the north: Groningen, Fryslân, Drenthe, Overijssel) is closed
/// on its own, and the table shows how many people (and people aged 75+) that pushes past 30
/// and 45 minutes by car and past 45 minutes from the emergency call (dispatch, the ambulance's
/// drive from the nearest post, time on scene, the drive to the nearest open hospital). A
/// hospital is sensitive when its closure pushes anyone past the limit from the call.
///
/// With --close ZH73,ZH72: who crosses each limit per municipality when those hospitals close.
///
/// Times are approximate: straight line × 1.3 at 60 km/h (no road network), for the ambulance
/// too. Hospital ids are in the bundle's facilities/hospital.csv (or `--json` without --close).
#[derive(Debug, Args)]
pub struct HospitalsArgs {
    /// Close these hospitals (comma-separated ids, e.g. ZH73,ZH72) and show who crosses each
    /// limit, per municipality
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub close: Vec<String>,
    /// Show every municipality, not only those where something changes
    #[arg(long)]
    pub all: bool,
    /// The bundle whose [hospitals] section to use [default: the store's bundle, else
    /// data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
    /// Print JSON (the API's shapes) instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `leefbaar hospitals`.
pub fn run(global: &GlobalArgs, args: &HospitalsArgs) -> anyhow::Result<()> {
    let store = paths::store(global);
    let chosen = crate::bundle::choose(args.bundle.as_deref(), &store)?;
    let Some(spec) = &chosen.spec.hospitals else {
        anyhow::bail!(
            "the bundle {} declares no [hospitals]: no hospital scenarios",
            chosen.manifest.display()
        );
    };
    let monitor = HospitalMonitor::prepare(spec).context("preparing the hospital scenarios")?;
    if args.close.is_empty() {
        let wire = HospitalsWire::of(&monitor);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&wire)?);
        } else {
            print!("{}", sensitive_table(&wire));
        }
        return Ok(());
    }
    let ids: Vec<&str> = args.close.iter().map(String::as_str).collect();
    let scenario = monitor
        .scenario(&ids)
        .map_err(|error| anyhow::anyhow!("--close: {error}"))?;
    let wire = HospitalScenarioWire::of(&monitor, &scenario);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&wire)?);
    } else {
        print!("{}", scenario_table(&wire, args.all));
    }
    Ok(())
}

const NOTE: &str = "approximate: straight line × 1.3 at 60 km/h, no road network; people placed at their postcode area's schools";

fn header(thresholds: &[leefbaar_server::wire::hospitals::ThresholdWire]) -> String {
    let mut out = String::new();
    for t in thresholds {
        let _ = write!(
            out,
            "  {:>26}",
            format!("> {} {} min", t.measure, t.minutes)
        );
    }
    out
}

fn sensitive_table(wire: &HospitalsWire) -> String {
    let mut out = String::new();
    let p = &wire.parameters;
    let _ = writeln!(
        out,
        "Sensitive hospitals: each closed alone, the extra persons (75+ in brackets) beyond each limit\n\
         (from the call: {} min dispatch + ambulance from the nearest post + {} min on scene + drive to hospital; {NOTE})\n",
        p.dispatch_min, p.on_scene_min
    );
    let Some(first) = wire.sensitive.first() else {
        out.push_str("no hospital is the nearest for anyone\n");
        return out;
    };
    let _ = write!(out, "{:<6} {:<48} {:>17}", "id", "hospital", "nearest for");
    for e in &first.extra {
        let _ = write!(out, "{:>17}", format!("> {} {} min", e.measure, e.minutes));
    }
    let _ = writeln!(out, "  sensitive");
    for row in &wire.sensitive {
        let name: String = row.name.chars().take(48).collect();
        let _ = write!(
            out,
            "{:<6} {:<48} {:>17}",
            row.id,
            name,
            format!(
                "{} ({})",
                row.catchment.persons, row.catchment.persons_75_plus
            )
        );
        for e in &row.extra {
            let _ = write!(
                out,
                "{:>17}",
                format!("{} ({})", e.persons.persons, e.persons.persons_75_plus)
            );
        }
        let _ = writeln!(out, "  {}", if row.sensitive { "yes" } else { "no" });
    }
    let total = &wire.baseline.total;
    let _ = writeln!(
        out,
        "\nWith every hospital open, of {} persons ({} aged 75+):",
        total.persons.persons, total.persons.persons_75_plus
    );
    for t in &total.thresholds {
        let _ = writeln!(
            out,
            "  beyond {} {} min: {} ({})",
            t.measure, t.minutes, t.baseline.persons, t.baseline.persons_75_plus
        );
    }
    out
}

fn area_row(out: &mut String, area: &AreaCareWire) {
    let name: String = area.name.chars().take(28).collect();
    let _ = write!(
        out,
        "{:<7} {:<28} {:>9}",
        area.code.as_deref().unwrap_or(""),
        name,
        area.persons.persons
    );
    for t in &area.thresholds {
        let _ = write!(
            out,
            "  {:>26}",
            format!(
                "{} → {} (+{})",
                t.baseline.persons, t.scenario.persons, t.difference.persons
            )
        );
    }
    out.push('\n');
}

fn scenario_table(wire: &HospitalScenarioWire, all: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Closed: {}. Persons beyond each limit, before → after (+ newly beyond); {NOTE}\n",
        wire.closed.join(", ")
    );
    let thresholds = &wire.areas.total.thresholds;
    let _ = writeln!(
        out,
        "{:<7} {:<28} {:>9}{}",
        "code",
        "area",
        "persons",
        header(thresholds)
    );
    let changed =
        |a: &&AreaCareWire| all || a.thresholds.iter().any(|t| t.difference.persons > 0.0);
    for area in wire.areas.municipalities.iter().filter(changed) {
        area_row(&mut out, area);
    }
    out.push('\n');
    for area in &wire.areas.provinces {
        area_row(&mut out, area);
    }
    area_row(&mut out, &wire.areas.total);
    let _ = writeln!(out, "\nAged 75 and over, in total:");
    for t in thresholds {
        let _ = writeln!(
            out,
            "  beyond {} {} min: {} → {} (+{})",
            t.measure,
            t.minutes,
            t.baseline.persons_75_plus,
            t.scenario.persons_75_plus,
            t.difference.persons_75_plus
        );
    }
    let _ = writeln!(
        out,
        "\n{} postcode areas ({} persons) fall back to another hospital{}",
        wire.fallbacks.len(),
        wire.fallbacks
            .iter()
            .map(|f| f.persons.persons)
            .sum::<f64>(),
        if wire.fallbacks.iter().any(|f| f.to.is_none()) {
            "; some have none left"
        } else {
            ""
        }
    );
    out
}
