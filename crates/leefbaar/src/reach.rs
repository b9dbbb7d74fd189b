//! `leefbaar reach` and the reach part of `leefbaar import`/`demo`: distance to the nearest
//! facility of every bundled kind (primary school, secondary school, havo/vwo school, hospital,
//! ambulance post) from the PC4 population points of Drenthe (for neighbourhoods: each PC4
//! area's population split over the neighbourhoods it covers, by area), by straight line × 1.3 or over
//! an OpenStreetMap road network (`--network FILE.osm.pbf --profile car|bicycle|foot`).
//!
//! This module reads the files (`data/drenthe/facilities/*.csv`,
//! `data/drenthe/reach_origins_pc4_2021/origins_pc4{,_buurt}_2021.csv`, the PBF and its cache); the
//! model and the wire types are `leefbaar_server::reach_state`'s, so the CLI's `--json` and
//! the API answer in one shape. For the store, [`facts`] turns the per-origin distances into
//! facts of summable base variables (person-km, persons within thresholds) of municipalities,
//! districts and neighbourhoods, year [`YEAR`]; the indicator engine recomputes the means and shares at every
//! level from them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use leefbaar_model::{AreaCode, AreaLevel, CellValue, Fact, Method, Year};
use leefbaar_network::{Network, Profile, Wgs84Point};
use leefbaar_server::reach_state::{
    self, KINDS, NEIGHBOURHOOD_ORIGINS_FILE, ORIGINS_FILE, ReachTable, ScenarioResult,
};
use leefbaar_server::{ReachData, ReachInputs};

use crate::cli::GlobalArgs;
use crate::paths;

/// The statistical year of the reach facts: the school file's date (2024-11-22).
pub const YEAR: u16 = 2024;

/// Where the bundled facility CSVs live, relative to the bundle's directory.
const FACILITIES_DIR: &str = "facilities";
/// Where the bundled origins live, relative to the bundle's directory.
const ORIGINS_DIR: &str = "reach_origins_pc4_2021";

/// Road-network options shared by `import`, `demo` and `reach`.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Measure distances over this OpenStreetMap road network (e.g. drenthe-latest.osm.pbf from
    /// an OSM extract provider) instead of straight line × 1.3; the prepared graph is cached
    /// next to the store
    #[arg(long, value_name = "FILE.osm.pbf")]
    pub network: Option<PathBuf>,
    /// Travel profile on the road network
    #[arg(long, default_value = "car", value_parser = ["car", "bicycle", "foot"])]
    pub profile: String,
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
    /// Only this facility kind: primary_school, secondary_school, havo_vwo_school, hospital,
    /// ambulance_post [default: all; with --close the kind of the closed facility]
    #[arg(long)]
    pub kind: Option<String>,
    /// Areas to show
    #[arg(long, default_value = "municipality", value_parser = ["province", "municipality", "district", "neighbourhood"])]
    pub level: String,
    /// Close these facilities (comma-separated ids from data/drenthe/facilities) and show what
    /// changes per area
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub close: Vec<String>,
    /// Open a new facility of the kind at this point (WGS84 degrees), e.g. 6.56,52.99
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub open: Option<String>,
    /// The bundle directory holding facilities/ and reach_origins_pc4_2021/ [default:
    /// data/drenthe of this repository]
    #[arg(long, value_name = "DIR")]
    pub bundle: Option<PathBuf>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Whether `dir` holds the reach inputs.
pub fn has_inputs(dir: &Path) -> bool {
    dir.join(FACILITIES_DIR).is_dir() && dir.join(ORIGINS_DIR).join(ORIGINS_FILE).is_file()
}

/// Reads the bundled origins and facilities of `dir` (a bundle directory such as
/// data/drenthe).
pub fn read_inputs(dir: &Path) -> anyhow::Result<ReachInputs> {
    let mut inputs = ReachInputs::default();
    let origins = dir.join(ORIGINS_DIR).join(ORIGINS_FILE);
    let text = fs_err::read(&origins)?;
    inputs
        .add_origins(&origins.display().to_string(), &text)
        .context("reading the reach origins")?;
    // Optional: without it there are no neighbourhood figures, everything else is the same.
    let neighbourhoods = dir.join(ORIGINS_DIR).join(NEIGHBOURHOOD_ORIGINS_FILE);
    if neighbourhoods.is_file() {
        let text = fs_err::read(&neighbourhoods)?;
        inputs
            .add_neighbourhood_origins(&neighbourhoods.display().to_string(), &text)
            .context("reading the reach origins of neighbourhoods")?;
    }
    for kind in KINDS {
        let path = dir.join(FACILITIES_DIR).join(format!("{kind}.csv"));
        let text = fs_err::read(&path)?;
        inputs
            .add_facilities(&path.display().to_string(), &text)
            .context("reading the bundled facilities")?;
    }
    Ok(inputs)
}

/// The road network of `args`, through a cache file in `cache_dir`, with a description for
/// the notes; `None` without `--network`.
pub fn load_network(
    args: &NetworkArgs,
    cache_dir: &Path,
) -> anyhow::Result<Option<(Network, String)>> {
    let Some(pbf) = &args.network else {
        return Ok(None);
    };
    if !pbf.is_file() {
        anyhow::bail!(
            "--network {}: no such file; download a province extract (e.g. drenthe-latest.osm.pbf) from an OpenStreetMap extract provider",
            pbf.display()
        );
    }
    let profile: Profile = args.profile.parse().map_err(anyhow::Error::msg)?;
    fs_err::create_dir_all(cache_dir)?;
    let cache = cache_dir.join(format!("network-{profile}.leefnet"));
    let started = Instant::now();
    let (network, prepared) =
        leefbaar_network::cache::prepare(pbf, profile, &cache).with_context(|| {
            format!(
                "preparing the {profile} road network from {}",
                pbf.display()
            )
        })?;
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        from_cache = matches!(prepared, leefbaar_network::cache::Prepared::FromCache),
        "road network ready"
    );
    let name = pbf.file_name().map_or_else(
        || pbf.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Some((
        network,
        format!("{profile} profile over OpenStreetMap ({name})"),
    )))
}

/// Prepares the model from the bundle in `dir`.
pub fn prepare(dir: &Path, args: &NetworkArgs, cache_dir: &Path) -> anyhow::Result<ReachData> {
    let inputs = read_inputs(dir)?;
    let network = load_network(args, cache_dir)?;
    ReachData::new(inputs, network).context("preparing the reach computation")
}

/// The base variables of `kind` at its thresholds: (variable, threshold in metres).
fn within_variables(kind: &str) -> Vec<(String, f64)> {
    reach_state::thresholds_km(kind)
        .iter()
        .map(|km| {
            (
                format!("reach_{kind}_within_{km}km"),
                f64::from(*km) * 1000.0,
            )
        })
        .collect()
}

/// Facts of the reach base variables for the municipalities, districts and neighbourhoods of
/// the origins.
///
/// An origin counts (in `reach_persons` and every kind's sums) when it has a distance to every
/// kind, so all kinds share one denominator; off-network origins are left out.
pub fn facts(reach: &ReachData) -> Vec<Fact> {
    let model = reach.model();
    let reports: Vec<_> = KINDS.iter().filter_map(|k| model.kind_report(k)).collect();
    let origins = reach.origins();
    let mut sums: BTreeMap<(AreaCode, String), f64> = BTreeMap::new();
    for (o, origin) in origins.iter().enumerate() {
        let distances: Option<Vec<f64>> = reports
            .iter()
            .map(|r| r.origins[o].nearest_distance_m)
            .collect();
        let Some(distances) = distances else {
            continue;
        };
        let w = origin.persons;
        // Provinces and the Netherlands are sums of municipalities in the engine.
        for area in origin.areas.iter().filter(|a| {
            matches!(
                a.level(),
                AreaLevel::Municipality | AreaLevel::District | AreaLevel::Neighbourhood
            )
        }) {
            let mut add = |variable: String, value: f64| {
                *sums.entry((area.clone(), variable)).or_insert(0.0) += value;
            };
            add("reach_persons".to_owned(), w);
            for (report, d) in reports.iter().zip(&distances) {
                let kind = &report.kind;
                add(format!("reach_{kind}_distance_total"), w * d / 1000.0);
                for (variable, threshold) in within_variables(kind) {
                    add(variable, if *d <= threshold { w } else { 0.0 });
                }
            }
        }
    }
    let year = Year::new(YEAR).expect("a year in range");
    sums.into_iter()
        .map(|((area, variable), value)| Fact {
            area,
            year,
            variable,
            value: CellValue::Value(value),
            // Computed from bundled inputs, not read from a published cell.
            method: Method::Derived,
            rows: Vec::new(),
        })
        .collect()
}

/// Marks every reach observation with how its distances were measured, and drops the
/// Netherlands' (only Drenthe's municipalities have reach facts, so NL01 would be a sum of
/// twelve out of 342).
pub fn annotate(computed: &mut leefbaar_indicators::Computed, note: &str) {
    let netherlands = AreaCode::netherlands();
    computed
        .observations
        .retain(|o| !(o.indicator.starts_with("reach_") && o.area == netherlands));
    computed
        .findings
        .retain(|f| !(f.subject.starts_with("reach_") && f.area == netherlands));
    for observation in computed
        .observations
        .iter_mut()
        .filter(|o| o.indicator.starts_with("reach_"))
    {
        observation.provenance.note = format!("{} — {note}", observation.provenance.note);
    }
}

/// The source record of the reach inputs.
pub fn source(dir: &Path, with_network: bool, imported_at: &str) -> leefbaar_model::Source {
    let (licence, attribution) = if with_network {
        (
            format!("{}; ODbL (road network)", reach_state::LICENCE),
            format!("{}; © OpenStreetMap contributors", reach_state::ATTRIBUTION),
        )
    } else {
        (
            reach_state::LICENCE.to_owned(),
            reach_state::ATTRIBUTION.to_owned(),
        )
    };
    leefbaar_model::Source {
        id: reach_state::SOURCE_ID.to_owned(),
        file: dir.join(FACILITIES_DIR).display().to_string(),
        table: "Facilities (DUO school locations 2024-11-22; hospitals and ambulance posts) and PC4 population points 2021 (CBS), distance to the nearest facility computed by Leefbaar".to_owned(),
        licence,
        attribution,
        imported_at: imported_at.to_owned(),
    }
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
    let dir = args.bundle.clone().unwrap_or_else(bundled_dir);
    let cache_dir = paths::data_dir(global.data_dir.as_deref());
    let started = Instant::now();
    let reach = prepare(&dir, &args.network, &cache_dir)?;
    let prepare_ms = started.elapsed().as_secs_f64() * 1000.0;
    let level: AreaLevel = args
        .level
        .parse()
        .map_err(|_| anyhow::anyhow!("--level must be province, municipality or district"))?;
    let kinds = reach.kinds();
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
        let tables: Vec<ReachTable> = KINDS
            .iter()
            .filter(|k| args.kind.as_ref().is_none_or(|wanted| wanted == *k))
            .filter_map(|k| reach.table(k, Some(level)))
            .collect();
        if args.json {
            println!("{}", serde_json::to_string_pretty(&tables)?);
        } else {
            print_tables(&tables, prepare_ms);
            let findings = reach.model().findings();
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
        KINDS
            .iter()
            .find(|k| reach.facilities(Some(k)).iter().any(|f| f.id == *first))
            .map(|k| (*k).to_owned())
            .with_context(|| format!("no bundled facility has the id `{first}`"))?
    };
    let mut result = reach
        .scenario(&kind, &args.close, &open, None)
        .map_err(|e| anyhow::anyhow!("--{e}"))?;
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

fn print_tables(tables: &[ReachTable], prepare_ms: f64) {
    for table in tables {
        println!(
            "{} ({} facilities; {}):",
            table.kind, table.facilities, table.note
        );
        let thresholds: Vec<String> = table
            .areas
            .first()
            .map(|a| {
                a.share_within_pct
                    .iter()
                    .map(|t| format!("≤{} km", t.km))
                    .collect()
            })
            .unwrap_or_default();
        print!(
            "  {:<10} {:<34} {:>9} {:>8}",
            "area", "name", "persons", "mean km"
        );
        for t in &thresholds {
            print!(" {t:>8}");
        }
        println!();
        for row in &table.areas {
            let name: String = row.name.as_deref().unwrap_or("").chars().take(34).collect();
            print!(
                "  {:<10} {:<34} {:>9.0} {:>8}",
                row.area,
                name,
                row.persons,
                fmt_opt(row.mean_distance_km, 2)
            );
            for share in &row.share_within_pct {
                print!(" {:>7}%", fmt_opt(share.value, 1));
            }
            println!();
        }
        println!();
    }
    println!(
        "prepared in {prepare_ms:.0} ms; PC4 population points (2021) are coarse, so values are approximations"
    );
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
    let thresholds: Vec<String> = result
        .areas
        .first()
        .map(|a| {
            a.persons_newly_beyond
                .iter()
                .map(|t| format!(">{} km", t.km))
                .collect()
        })
        .unwrap_or_default();
    print!(
        "  {:<10} {:<34} {:>9} {:>9} {:>8}",
        "area", "name", "before km", "after km", "change"
    );
    for t in &thresholds {
        print!(" {:>9}", format!("new {t}"));
    }
    println!();
    for area in &result.areas {
        let name: String = area
            .name
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(34)
            .collect();
        print!(
            "  {:<10} {:<34} {:>9} {:>9} {:>8}",
            area.area,
            name,
            fmt_opt(area.mean_distance_before_km, 3),
            fmt_opt(area.mean_distance_after_km, 3),
            fmt_opt(area.change_km, 3)
        );
        for persons in &area.persons_newly_beyond {
            print!(" {:>15}", fmt_opt(persons.value, 0));
        }
        println!();
    }
    for finding in &result.findings {
        println!("note: {finding}");
    }
}

/// The directory of the bundled reach inputs (data/drenthe of this repository).
pub fn bundled_dir() -> PathBuf {
    paths::default_bundle()
        .parent()
        .map_or_else(|| PathBuf::from("data/drenthe"), Path::to_path_buf)
}

/// The server state with the reach model of the bundled inputs (`None`: without it); a
/// failure is logged and the server runs without the reach routes.
pub fn with_bundled_reach(
    state: leefbaar_server::AppState,
    network: Option<&NetworkArgs>,
    store_path: &Path,
) -> leefbaar_server::AppState {
    let Some(network) = network else {
        return state;
    };
    let cache_dir = store_path.parent().unwrap_or(Path::new("."));
    match prepare(&bundled_dir(), network, cache_dir) {
        Ok(reach) => state.with_reach(reach),
        Err(error) => {
            tracing::warn!("serving without reach of facilities: {error:#}");
            state
        }
    }
}
