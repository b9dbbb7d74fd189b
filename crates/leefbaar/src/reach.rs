//! `leefbaar reach` and the reach options of `leefbaar import`/`demo`: distance to the nearest
//! facility of every kind the bundle declares, per area, and what closing (or opening) one
//! changes. The bundle is the store's (what `demo` or `import` last imported) unless `--bundle`
//! names another; the computation is `leefbaar_monitor::reach`, and `--json` prints the API's
//! shapes (`leefbaar_server::wire::reach`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use leefbaar_model::AreaLevel;
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions};
use leefbaar_network::{Profile, Wgs84Point};
use leefbaar_server::wire::reach::{ReachTable, ScenarioResult, tables};

use crate::global::GlobalArgs;
use crate::paths;

/// Road-network options shared by `import`, `demo` and `reach`.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Measure distances over this OpenStreetMap road network (e.g. drenthe-latest.osm.pbf from
    /// an OSM extract provider) instead of straight line × 1.3; the prepared graph is cached
    /// next to the store
    #[arg(long, value_name = "FILE.osm.pbf")]
    pub network: Option<PathBuf>,
    /// Measure every kind on this travel profile [default: each kind's own, from the bundle's
    /// manifest: schools by bicycle, hospitals and ambulance posts by car]
    #[arg(long, value_parser = ["car", "bicycle", "foot"])]
    pub profile: Option<String>,
}

impl NetworkArgs {
    /// The forced profile, if any.
    pub fn profile(&self) -> anyhow::Result<Option<Profile>> {
        self.profile
            .as_deref()
            .map(|p| p.parse().map_err(anyhow::Error::msg))
            .transpose()
    }
}

/// Reach options of `import` and `demo`.
#[derive(Debug, Clone, Args)]
pub struct ReachImportArgs {
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Leave out reach of facilities (no `reach_*` indicators)
    #[arg(long)]
    pub no_reach: bool,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Only this facility kind, e.g. primary_school or hospital (see the bundle's manifest)
    /// [default: all; with --close the kind of the closed facility]
    #[arg(long)]
    pub kind: Option<String>,
    /// Areas to show
    #[arg(long, default_value = "municipality", value_parser = ["province", "municipality", "district", "neighbourhood", "postcode"])]
    pub level: String,
    /// Close these facilities (comma-separated ids from the bundle's facility files) and show
    /// what changes per area
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub close: Vec<String>,
    /// Open a new facility of the kind at this point (WGS84 degrees), e.g. 6.56,52.99
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub open: Option<String>,
    /// The bundle whose facilities and population points to use [default: the store's bundle,
    /// else data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

fn parse_point(text: &str) -> anyhow::Result<Wgs84Point> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if let [lon, lat] = parts.as_slice()
        && let (Ok(lon), Ok(lat)) = (lon.parse::<f64>(), lat.parse::<f64>())
        && Wgs84Point::new(lon, lat).is_valid()
    {
        return Ok(Wgs84Point::new(lon, lat));
    }
    anyhow::bail!(
        "--open must be a point lon,lat in WGS84 degrees, e.g. 6.56,52.99, found `{text}`"
    )
}

/// `leefbaar reach`.
pub fn run(global: &GlobalArgs, args: &ReachArgs) -> anyhow::Result<()> {
    let store = paths::store(global);
    let chosen = crate::bundle::choose(args.bundle.as_deref(), &store)?;
    let Some(spec) = &chosen.spec.reach else {
        anyhow::bail!(
            "the bundle {} declares no [reach]: no facilities to measure",
            chosen.manifest.display()
        );
    };
    let network = args.network.network.clone().or_else(|| {
        chosen
            .settings
            .as_ref()
            .and_then(|settings| settings.network.clone())
    });
    let started = Instant::now();
    let reach = ReachMonitor::prepare(
        spec,
        (&chosen.province, &chosen.province_name),
        &ReachOptions {
            network,
            profile: args.network.profile()?,
            cache_dir: paths::data_dir(global.data_dir.as_deref()),
        },
    )
    .context("preparing the reach computation")?;
    let prepare_ms = started.elapsed().as_secs_f64() * 1000.0;
    let level: AreaLevel = args.level.parse().map_err(|_| {
        anyhow::anyhow!(
            "--level must be province, municipality, district, neighbourhood or postcode"
        )
    })?;
    let kinds = reach.kinds_with_facilities();
    if let Some(kind) = &args.kind
        && !kinds.contains(kind)
    {
        anyhow::bail!("--kind must be one of {}, found `{kind}`", kinds.join(", "));
    }
    let open: Vec<Wgs84Point> = args
        .open
        .as_deref()
        .map(parse_point)
        .transpose()?
        .into_iter()
        .collect();
    if args.close.is_empty() && open.is_empty() {
        let tables = tables(&reach, args.kind.as_slice(), Some(level));
        if args.json {
            println!("{}", serde_json::to_string_pretty(&tables)?);
        } else {
            let note = format!("{}; {}", reach.spec().origins_note.en, reach.note());
            print_tables(&tables, prepare_ms, &note);
            let findings = reach.findings();
            if !findings.is_empty() {
                println!(
                    "{} population points or facilities lie farther than 5 km from any road of the network and are left out, e.g. {}",
                    findings.len(),
                    findings[0]
                );
            }
        }
        return Ok(());
    }
    let kind = if let Some(kind) = &args.kind {
        kind.clone()
    } else {
        let Some(first) = args.close.first() else {
            anyhow::bail!("--open needs --kind: which kind of facility opens");
        };
        reach
            .facilities(None)
            .into_iter()
            .find(|f| f.id == *first)
            .map(|f| f.kind)
            .with_context(|| format!("no facility of the bundle has the id `{first}`"))?
    };
    let report = reach
        .scenario(&kind, &args.close, &open, None)
        .map_err(|e| anyhow::anyhow!("--{e}"))?;
    let mut result = ScenarioResult::from(&report);
    result
        .areas
        .retain(|a| a.level == level.as_str() || a.level == "province");
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print_scenario(&result);
    }
    Ok(())
}

fn fmt_opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

fn print_tables(tables: &[ReachTable], prepare_ms: f64, note: &str) {
    for table in tables {
        println!(
            "{} ({} facilities; {}; thresholds in minutes {}):",
            table.kind, table.facilities, table.note, table.profile
        );
        let Some(first) = table.areas.first() else {
            println!();
            continue;
        };
        let mut header = format!(
            "  {:<10} {:<34} {:>9} {:>8}",
            "area", "name", "persons", "mean km"
        );
        for t in &first.share_within_pct {
            let _ = write!(header, " {:>8}", format!("≤{} km", t.km));
        }
        // Mean minutes on every profile; the kind's own profile is marked.
        for by in &first.mean_time_by_profile_min {
            let own = if by.profile == table.profile { "*" } else { "" };
            let _ = write!(header, " {:>9}", format!("min {}{own}", short(by.profile)));
        }
        for t in &first.share_within_min_pct {
            let _ = write!(header, " {:>8}", format!("≤{} min", t.min));
        }
        for t in &first.persons_beyond_min {
            let _ = write!(header, " {:>9}", format!(">{} min", t.min));
        }
        println!("{header}");
        for row in &table.areas {
            let name: String = row.name.as_deref().unwrap_or("").chars().take(34).collect();
            let mut line = format!(
                "  {:<10} {:<34} {:>9.0} {:>8}",
                row.area,
                name,
                row.persons,
                fmt_opt(row.mean_distance_km, 2)
            );
            for share in &row.share_within_pct {
                let _ = write!(line, " {:>7}%", fmt_opt(share.value, 1));
            }
            for by in &row.mean_time_by_profile_min {
                let _ = write!(line, " {:>9}", fmt_opt(by.value, 1));
            }
            for share in &row.share_within_min_pct {
                let _ = write!(line, " {:>7}%", fmt_opt(share.value, 1));
            }
            for persons in &row.persons_beyond_min {
                let _ = write!(line, " {:>9}", fmt_opt(persons.value, 0));
            }
            println!("{line}");
        }
        println!();
    }
    // What the values are: where the origins come from and how distances were measured.
    println!(
        "min car/bike/foot: mean minutes to the quickest facility on that profile (* the kind's own); \
         >N min: persons beyond N minutes on the kind's own profile"
    );
    println!("prepared in {prepare_ms:.0} ms; {note}");
}

/// A profile in a column header.
fn short(profile: &str) -> &str {
    match profile {
        "bicycle" => "bike",
        other => other,
    }
}

fn print_scenario(result: &ScenarioResult) {
    for facility in &result.closed {
        println!(
            "close {} {} ({})",
            facility.id,
            facility.name.as_deref().unwrap_or(""),
            result.kind
        );
    }
    for facility in &result.opened {
        println!(
            "open {} at {:.5},{:.5} ({})",
            facility.id, facility.lon, facility.lat, result.kind
        );
    }
    println!(
        "computed in {:.2} ms ({} graph nodes updated); {}",
        result.computation_ms, result.nodes_updated, result.note
    );
    let Some(first) = result.areas.first() else {
        return;
    };
    let mut header = format!(
        "  {:<10} {:<34} {:>9} {:>9} {:>8} {:>8}",
        "area", "name", "before km", "after km", "change", "+min"
    );
    for t in &first.persons_newly_beyond {
        let _ = write!(header, " {:>11}", format!("new >{} km", t.km));
    }
    for t in &first.persons_newly_beyond_min {
        let _ = write!(header, " {:>11}", format!("new >{} min", t.min));
    }
    println!("{header}");
    for area in &result.areas {
        let name: String = area
            .name
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(34)
            .collect();
        let mut line = format!(
            "  {:<10} {:<34} {:>9} {:>9} {:>8} {:>8}",
            area.area,
            name,
            fmt_opt(area.mean_distance_before_km, 3),
            fmt_opt(area.mean_distance_after_km, 3),
            fmt_opt(area.change_km, 3),
            fmt_opt(area.change_min, 2)
        );
        for persons in area
            .persons_newly_beyond
            .iter()
            .map(|p| p.value)
            .chain(area.persons_newly_beyond_min.iter().map(|p| p.value))
        {
            let _ = write!(line, " {:>11}", fmt_opt(persons, 0));
        }
        println!("{line}");
    }
    println!(
        "+min: change of the mean travel time on the kind's own profile; new >N: persons who were within N and are beyond it after"
    );
    for finding in &result.findings {
        println!("note: {finding}");
    }
}
