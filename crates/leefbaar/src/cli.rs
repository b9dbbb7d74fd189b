//! The command-line interface: commands, arguments and their help texts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::global::GlobalArgs;

/// Leefbaar builds a livability and population-decline monitor from open data (CBS tables,
/// boundaries) and serves it as a map dashboard and an open API.
///
/// Start with `leefbaar demo`: it builds the Drenthe monitor from the data bundled in this
/// repository and serves it at <http://127.0.0.1:8080>/.
#[derive(Debug, Parser)]
#[command(
    name = "leefbaar",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the monitor of Drenthe (or --province) from the bundled data into a fresh store and serve it
    Demo(DemoArgs),
    /// Import a data bundle (a manifest.toml with CBS tables and boundaries) into the store, all or nothing
    Import(ImportArgs),
    // The help is `CheckArgs`' own doc comment: a short line for this list, a long one for
    // `leefbaar check --help`.
    Check(crate::check::CheckArgs),
    /// Serve the dashboard and the read-only API from the store
    Serve(ServeArgs),
    /// List or show the indicators of the catalogue
    Indicators(IndicatorsArgs),
    /// Project the population of every municipality to 2040 and classify it by the krimp criteria
    Project(ProjectArgs),
    // The help is `TypologyArgs`' own doc comment, as for `check`.
    Typology(crate::typology::TypologyArgs),
    /// Weighted estimates with 95 % intervals from the citizens' panel (bundled: SYNTHETIC), with disclosure control
    Survey(crate::survey::SurveyArgs),
    /// Distance to the nearest school, hospital or ambulance post per area, and what closing one changes
    Reach(crate::reach::ReachArgs),
    /// Fact sheets (HTML and A4 PDF) for one area or every area of a level
    Factsheet(crate::factsheet::FactsheetArgs),
    // The help is `HospitalsArgs`' own doc comment (short in the list, the whole of it with
    // --help), as for `release`.
    Hospitals(crate::hospitals::HospitalsArgs),
    // The help is `SchoolsArgs`' own doc comment, as for `hospitals`.
    Schools(crate::schools::SchoolsArgs),
    /// Which homes have an AED they can reach on foot (500 m), by day and at night, and where new AEDs would help most
    Aed(crate::aed::AedArgs),
    // The help is `ReleaseArgs`' own doc comment, as for `check`.
    Release(crate::release::ReleaseArgs),
    // The help is `RecordsArgs`' own doc comment, as for `check`.
    Records(crate::records::RecordsArgs),
}

/// Where to listen.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Port to listen on; 0 picks a free one
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; use 0.0.0.0 to serve other machines
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Requests per second each client may make on average (a token bucket per client
    /// address); 0 turns the limit off
    #[arg(long, default_value_t = 50.0, value_name = "PER_SECOND")]
    pub rate_limit: f64,
    /// Requests a client may make at once before --rate-limit applies
    #[arg(long, default_value_t = 200, value_name = "REQUESTS")]
    pub rate_burst: u32,
    /// Seconds a request may take before it is answered 503
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub request_timeout: u64,
    /// Take each client's address from the last X-Forwarded-For entry, for the rate limit;
    /// only behind a proxy you run that appends it (otherwise clients can pick their address)
    #[arg(long)]
    pub trust_forwarded_for: bool,
    /// Megabytes of whole answers (API, pages) kept in memory, so asking again costs a copy
    /// instead of a query; emptied by every new import; 0 turns the cache off
    #[arg(long, default_value_t = 64, value_name = "MB")]
    pub cache_mb: usize,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    /// The bundle to build from [default: data/drenthe/manifest.toml of this repository]
    #[arg(long, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
    /// Build the store and exit without serving
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub options: ImportSettings,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The bundle's manifest.toml: which files, which columns mean what, source and licence
    pub manifest: PathBuf,
    /// An indicator catalogue (TOML) to use instead of the built-in one (the bundle's own
    /// catalogue still extends it)
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    #[command(flatten)]
    pub options: ImportSettings,
}

/// How `import` and `demo` build the store.
#[derive(Debug, Clone, Args)]
pub struct ImportSettings {
    /// The province to monitor, a code or a name (e.g. PV20 or Groningen) [default: the
    /// bundle's, Drenthe for the bundled data]
    #[arg(long, value_name = "PROVINCE")]
    pub province: Option<String>,
    /// Leave out the population projection (faster; no `projected_*` indicators)
    #[arg(long)]
    pub no_projection: bool,
    #[command(flatten)]
    pub reach: crate::reach::ReachImportArgs,
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// Municipalities to show (CBS codes of 2020, e.g. GM0114) [default: the monitored
    /// province's]
    #[arg(long, value_delimiter = ',')]
    pub area: Vec<String>,
    /// A region of your own to classify as a whole, besides the province and the bundle's
    /// regions: a name and its municipalities (CBS codes of 2020), e.g. `--region
    /// "Zuidwest-Drenthe=GM0119,GM1690,GM1701"`; repeat for more regions
    #[arg(long = "region", value_name = "NAME=CODE,CODE,…")]
    pub regions: Vec<String>,
    /// The last year of the projection; the krimp criteria compare it with 2020
    #[arg(long, default_value_t = 2040, value_parser = clap::value_parser!(u16).range(2021..=2044))]
    pub horizon: u16,
    /// Stochastic runs for the 80 % interval (bootstrapped migration)
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(10..=100_000))]
    pub runs: u32,
    /// The bundle whose projection inputs and regions to use [default: the store's bundle,
    /// else data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
}

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    #[command(subcommand)]
    pub command: IndicatorsCommand,
    /// The indicator catalogue (TOML) [default: the catalogue built into Leefbaar]
    #[arg(long, global = true, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Show a bundle's whole catalogue, as `import` builds it: the built-in one (or
    /// --catalogue), the indicators generated for its reach kinds, and its own catalogue
    #[arg(long, global = true, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum IndicatorsCommand {
    /// One line per indicator: id, unit, kind, name
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Everything about one indicator: names, definition, formula, unit, source
    Show {
        /// The indicator id, e.g. `share_65_plus`
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}
