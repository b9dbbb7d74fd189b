//! `leefbaar schools`: the bundle's open school data (DUO) and the krimpcheck. `join` says how
//! many DUO locations match the bundled school facilities and lists the rest; `krimpcheck`
//! carries each secondary location's pupils forward with its municipality's projected
//! 12–17-year-olds (read from the store, so `demo` or `import` first) and names the year it
//! falls below the bundle's threshold. The computation is `leefbaar_monitor::schools`; `--format
//! json` prints the API's shapes (`leefbaar_server::wire::schools`).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};
use leefbaar_monitor::schools::{SchoolsMonitor, projected_from_store};
use leefbaar_server::wire::schools::{ASSUMPTION, JoinWire, KrimpcheckWire, SchoolsWire};

use crate::global::GlobalArgs;
use crate::paths;

/// Open school data (DUO) per school location, and the krimpcheck of secondary schools
///
/// The bundle's [schools] section names DUO's open files (final test, disadvantage score,
/// home–school distance, secondary pupils by level, exams, early school leavers). Their
/// municipal figures are ordinary indicators (`leefbaar indicators`, the API's observations);
/// this command shows what is per school. Method: docs/methods/schools.md.
///
/// Examples:
///   leefbaar schools join                    how many DUO locations match the bundled schools
///   leefbaar schools krimpcheck              which secondary locations fall below the threshold, and when
///   leefbaar schools krimpcheck --all        every secondary location, with its pupils in every fifth year
///   leefbaar schools krimpcheck --format csv one row per location and year
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SchoolsArgs {
    /// What to show
    #[command(subcommand)]
    pub command: SchoolsCommand,
    /// The bundle whose [schools] section to use [default: the store's bundle, else
    /// data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST", global = true)]
    pub bundle: Option<PathBuf>,
    /// Output format: a table for people, CSV or JSON (the API's shapes) for programs
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum SchoolsCommand {
    /// How many locations of each DUO file match the bundled school facilities (by BRIN +
    /// two-digit location), and which do not
    Join,
    /// Every school location with its values (JSON and CSV: everything; table: a summary)
    List,
    /// Secondary locations carried forward to the horizon with their municipality's projected
    /// 12–17-year-olds; the year each falls below the bundle's `min_pupils`
    ///
    /// Assumption: each location keeps its 2019 share of its own municipality's young people
    /// (constant catchment shares). Open data do not say where pupils live, so pupils from
    /// other municipalities move with the location's municipality. Reads the projection from
    /// the store: run `leefbaar demo` or `leefbaar import` first.
    Krimpcheck {
        /// Show every secondary location, not only those that fall below the threshold
        #[arg(long)]
        all: bool,
    },
}

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// The API's JSON.
    Json,
}

/// `leefbaar schools`.
pub fn run(global: &GlobalArgs, args: &SchoolsArgs) -> anyhow::Result<()> {
    let store = paths::store(global);
    let chosen = crate::bundle::choose(args.bundle.as_deref(), &store)?;
    let Some(spec) = &chosen.spec.schools else {
        anyhow::bail!(
            "the bundle {} declares no [schools]: no school data",
            chosen.manifest.display()
        );
    };
    let monitor = SchoolsMonitor::prepare(spec).context("reading the school data")?;
    let out = match &args.command {
        SchoolsCommand::Join => {
            let wire = JoinWire::of(&monitor.schools.join);
            match args.format {
                Format::Json => serde_json::to_string_pretty(&wire)? + "\n",
                Format::Csv => join_csv(&wire)?,
                Format::Table => join_table(&wire),
            }
        }
        SchoolsCommand::List => {
            let wire = SchoolsWire::of(&monitor);
            match args.format {
                Format::Json => serde_json::to_string_pretty(&wire)? + "\n",
                Format::Csv => list_csv(&wire)?,
                Format::Table => list_table(&wire),
            }
        }
        SchoolsCommand::Krimpcheck { all } => {
            let opened = store
                .open()
                .with_context(|| format!("opening the store {store}"))?;
            let projected = projected_from_store(opened.as_ref(), &chosen.province)
                .context("reading the projected 12–17-year-olds")?;
            if projected.is_empty() {
                anyhow::bail!(
                    "the store holds no projected 12–17-year-olds of {}: the krimpcheck needs the projection",
                    chosen.province_name
                );
            }
            let wire = KrimpcheckWire::of(&monitor.krimpcheck(&projected));
            match args.format {
                Format::Json => serde_json::to_string_pretty(&wire)? + "\n",
                Format::Csv => krimpcheck_csv(&wire)?,
                Format::Table => krimpcheck_table(&wire, *all),
            }
        }
    };
    // Written, not printed: a closed pipe (`| head`) is an error `main` treats as success.
    std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?;
    Ok(())
}

fn join_table(wire: &JoinWire) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "DUO locations joined to the bundled facilities ({}) by BRIN + location: {} of {} match\n",
        wire.kinds.join(", "),
        wire.matched,
        wire.locations
    );
    let _ = writeln!(
        out,
        "{:<14} {:>9} {:>8} {:>10}",
        "file", "locations", "matched", "unmatched"
    );
    for file in &wire.files {
        let _ = writeln!(
            out,
            "{:<14} {:>9} {:>8} {:>10}",
            file.file,
            file.locations,
            file.matched,
            file.unmatched.len()
        );
    }
    for file in wire.files.iter().filter(|f| !f.unmatched.is_empty()) {
        let _ = writeln!(out, "\nunmatched in {}:", file.file);
        for [code, name] in &file.unmatched {
            let _ = writeln!(out, "  {code}  {name}");
        }
    }
    out
}

fn csv_text(rows: Vec<Vec<String>>) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn join_csv(wire: &JoinWire) -> anyhow::Result<String> {
    let mut rows = vec![vec![
        "file".to_owned(),
        "code".to_owned(),
        "name".to_owned(),
        "matched".to_owned(),
    ]];
    for file in &wire.files {
        for [code, name] in &file.unmatched {
            rows.push(vec![
                file.file.to_owned(),
                code.clone(),
                name.clone(),
                "false".to_owned(),
            ]);
        }
    }
    csv_text(rows)
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn list_csv(wire: &SchoolsWire) -> anyhow::Result<String> {
    let mut rows = vec![
        [
            "code",
            "name",
            "municipality",
            "lon",
            "lat",
            "files",
            "cet_mean",
            "iep_mean",
            "route8_mean",
            "disadvantage_score",
            "distance_m",
            "pupils",
            "share_year3_havo_vwo",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for s in &wire.schools {
        let mean = |provider: &str| {
            s.final_test
                .iter()
                .find(|t| t.provider == provider)
                .and_then(|t| t.mean.value)
        };
        rows.push(vec![
            s.code.clone(),
            s.name.clone(),
            s.municipality.clone(),
            opt(s.lon),
            opt(s.lat),
            s.files.join(" "),
            opt(mean("CET")),
            opt(mean("IEP")),
            opt(mean("ROUTE8")),
            opt(s.disadvantage_score.as_ref().and_then(|d| d.value)),
            opt(s
                .distance_m
                .iter()
                .find(|d| d.kind == "Bo" || d.kind == "Sbo")
                .map(|d| d.metres)),
            opt(s.pupils),
            opt(s.share_year3_havo_vwo),
        ]);
    }
    csv_text(rows)
}

fn list_table(wire: &SchoolsWire) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<7} {:<40} {:<7} {:>7} {:>9} {:>8}  files",
        "code", "name", "gm", "pupils", "havo/vwo3", "on map"
    );
    for s in &wire.schools {
        let name: String = s.name.chars().take(40).collect();
        let _ = writeln!(
            out,
            "{:<7} {:<40} {:<7} {:>7} {:>9} {:>8}  {}",
            s.code,
            name,
            s.municipality,
            opt(s.pupils),
            s.share_year3_havo_vwo
                .map(|v| format!("{v:.1} %"))
                .unwrap_or_default(),
            if s.lon.is_some() { "yes" } else { "no" },
            s.files.join(", ")
        );
    }
    out
}

fn krimpcheck_table(wire: &KrimpcheckWire, all: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Krimpcheck: secondary locations below {} pupils by {} (pupils counted 1 October {}, carried forward from {})\n\
         Assumption: {ASSUMPTION}\n",
        wire.min_pupils, wire.horizon, wire.counted_year, wire.reference_year
    );
    let shown: Vec<_> = if all {
        wire.locations.iter().collect()
    } else {
        wire.crossing
            .iter()
            .filter_map(|code| wire.locations.iter().find(|l| &l.code == code))
            .collect()
    };
    if shown.is_empty() {
        let _ = writeln!(
            out,
            "no location falls below {} pupils by {}",
            wire.min_pupils, wire.horizon
        );
    } else {
        let every_fifth: Vec<u16> = wire
            .locations
            .first()
            .map(|l| {
                l.years
                    .iter()
                    .map(|y| y.year)
                    .filter(|y| y % 5 == 0 || *y == wire.reference_year)
                    .collect()
            })
            .unwrap_or_default();
        let _ = write!(
            out,
            "{:<7} {:<36} {:<7} {:>7}",
            "code", "name", "gm", "counted"
        );
        for year in &every_fifth {
            let _ = write!(out, " {year:>6}");
        }
        let _ = writeln!(out, "  below from");
        for l in shown {
            let name: String = l.name.chars().take(36).collect();
            let _ = write!(
                out,
                "{:<7} {:<36} {:<7} {:>7}",
                l.code, name, l.municipality, l.pupils_counted
            );
            for year in &every_fifth {
                let pupils = l.years.iter().find(|y| y.year == *year).map(|y| y.pupils);
                let _ = write!(out, " {:>6}", opt(pupils));
            }
            let mut below = opt(l.below_from);
            if wire.with_forecast {
                let _ = write!(
                    below,
                    " (forecast: {})",
                    l.forecast_below_from
                        .map_or_else(|| "never".to_owned(), |y| y.to_string())
                );
            }
            let _ = writeln!(out, "  {below}");
        }
    }
    for [code, why] in &wire.left_out {
        let _ = writeln!(out, "left out: {code}: {why}");
    }
    out
}

fn krimpcheck_csv(wire: &KrimpcheckWire) -> anyhow::Result<String> {
    let mut rows = vec![
        [
            "code",
            "name",
            "municipality",
            "pupils_counted",
            "year",
            "pupils",
            "index",
            "forecast",
            "below_from",
            "min_pupils",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for l in &wire.locations {
        for y in &l.years {
            rows.push(vec![
                l.code.clone(),
                l.name.clone(),
                l.municipality.clone(),
                l.pupils_counted.to_string(),
                y.year.to_string(),
                y.pupils.to_string(),
                y.index.to_string(),
                opt(y.forecast),
                opt(l.below_from),
                wire.min_pupils.to_string(),
            ]);
        }
    }
    csv_text(rows)
}
