//! `leefbaar aed`: the Hartveilig monitor on the command line. `coverage`, `white-spots` and
//! `placement` answer from the bundle (the store's, `--bundle`'s or the bundled Drenthe one with
//! its SYNTHETIC register): residents within 500 m, straight line, of an AED available at a
//! moment of the week, per area; the populated places without one; where new AEDs, or indoor
//! ones moved outside, would cover most residents. With `--osm` `coverage` and `placement` run
//! on an OpenStreetMap extract instead: its mapped AEDs, its addresses as homes, its foot
//! network. The computation is `leefbaar-aed` and `leefbaar-monitor`'s `aed`.

mod bundled;
mod osm;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::global::GlobalArgs;

/// `leefbaar aed`.
#[derive(Debug, Args)]
pub struct AedArgs {
    #[command(subcommand)]
    pub command: AedCommand,
}

/// What `leefbaar aed` does.
#[derive(Debug, Subcommand)]
pub enum AedCommand {
    /// Share of residents per area with an AED within 500 m, day and night (24/7), on a weekday at 10:00 and 20:00, at night and on Saturday
    Coverage(CoverageArgs),
    /// The populated places with residents beyond 500 m of every available AED ("white spots"), most uncovered first
    WhiteSpots(WhiteSpotArgs),
    /// Where N new AEDs would cover the most residents without one (greedy + local search), and optionally where indoor AEDs should hang outside
    Placement(PlacementArgs),
}

/// Where the AEDs and residents come from.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The bundle's manifest [default: the store's bundle, else data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST", conflicts_with = "osm")]
    pub bundle: Option<PathBuf>,
    /// Work on an OpenStreetMap extract instead of a bundle: its foot network, its AEDs
    /// (emergency=defibrillator) and its addresses as homes, e.g.
    /// data/osm_fixtures/delft_area_2025.osm.pbf
    #[arg(long, value_name = "FILE.osm.pbf")]
    pub osm: Option<PathBuf>,
    /// With --osm: a register CSV (id, lon, lat, indoor, opening_hours, access, registered)
    /// whose AEDs count as well as the extract's
    #[arg(long, value_name = "FILE.csv", requires = "osm")]
    pub register: Option<PathBuf>,
    /// With --osm: only homes inside this box (WGS84 degrees), e.g. where the extract's streets
    /// are complete
    #[arg(
        long,
        value_name = "LON1,LAT1,LON2,LAT2",
        allow_hyphen_values = true,
        requires = "osm"
    )]
    pub bbox: Option<String>,
    /// With --osm: walking distance that counts as covered, in metres (the alert system's
    /// 500 m: about six minutes there and back). A bundle sets its own in [aed] within_m
    #[arg(long, default_value_t = 500.0, value_name = "METRES")]
    pub within: f64,
    /// With --osm, instead of --within: the minutes a responder has to fetch the AED and carry
    /// it to the patient (there and back), e.g. 6; the distance is speed × minutes / 2
    #[arg(long, value_name = "MINUTES", requires = "osm")]
    pub minutes: Option<f64>,
    /// Walking or running speed for --minutes, in m/s [default: 2.78, the speed of the alert
    /// system's convention (500 m there and back in 6 minutes); responders' measured speeds
    /// are 1.8–3.1 m/s]
    #[arg(long, value_name = "M_PER_S", requires = "minutes")]
    pub speed: Option<f64>,
}

impl SourceArgs {
    /// The coverage distance: --within, or what --minutes at --speed gives.
    pub fn within_m(&self) -> anyhow::Result<f64> {
        let within = match self.minutes {
            None => self.within,
            Some(minutes) => {
                let speed = self
                    .speed
                    .unwrap_or(leefbaar_aed::coverage::CONVENTION_SPEED_M_PER_S);
                if !(0.5..=8.0).contains(&speed) {
                    anyhow::bail!(
                        "--speed must be a speed on foot in m/s (0.5 to 8), found {speed}"
                    );
                }
                leefbaar_aed::coverage::distance_for_minutes(minutes, speed)
            }
        };
        if !(within > 0.0 && within <= 5_000.0) {
            anyhow::bail!(
                "the coverage distance must be above 0 and at most 5000 m, found {within:.0} (from --within or --minutes and --speed)"
            );
        }
        Ok(within)
    }
}

/// `leefbaar aed coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The areas to list: municipality, district, neighbourhood or postcode
    #[arg(long, default_value = "municipality")]
    pub level: String,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `leefbaar aed white-spots`.
#[derive(Debug, Args)]
pub struct WhiteSpotArgs {
    /// The bundle's manifest [default: the store's bundle, else data/drenthe/manifest.toml]
    #[arg(long, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
    /// When the AEDs must be available: 24_7, day, evening, night or weekend
    #[arg(long, default_value = "24_7")]
    pub rule: String,
    /// Only places in this area (a code such as GM1690 or PC7705)
    #[arg(long, value_name = "CODE")]
    pub area: Option<String>,
    /// Only places with at least this many residents without cover
    #[arg(long, default_value_t = 10.0, value_name = "PERSONS")]
    pub min: f64,
    /// At most this many places (0: all)
    #[arg(long, default_value_t = 25)]
    pub limit: usize,
    /// Print CSV (every place, for a spreadsheet or a GIS) instead of a table
    #[arg(long)]
    pub csv: bool,
}

/// `leefbaar aed placement`.
#[derive(Debug, Args)]
pub struct PlacementArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// How many new AEDs (available day and night) to place
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub k: usize,
    /// When they must cover: 24_7, day, evening, night or weekend (bundle only; an extract's
    /// placement covers homes without an AED at night)
    #[arg(long, default_value = "24_7")]
    pub rule: String,
    /// Bundle only: also move the AEDs that do not count at that moment (indoor or with
    /// opening hours) to where, hung outside, they cover most
    #[arg(long)]
    pub relocate: bool,
    /// Bundle only: plan for this area (a municipality code such as GM1690): its residents
    /// count and its populated places are the candidate sites
    #[arg(long, value_name = "CODE")]
    pub area: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `leefbaar aed`.
pub fn run(global: &GlobalArgs, args: &AedArgs) -> anyhow::Result<()> {
    match &args.command {
        AedCommand::Coverage(args) => match &args.source.osm {
            Some(pbf) => osm::coverage(global, pbf, &args.source, 0, args.json),
            None => bundled::coverage(global, args),
        },
        AedCommand::WhiteSpots(args) => bundled::white_spots(global, args),
        AedCommand::Placement(args) => match &args.source.osm {
            Some(pbf) => {
                if args.relocate || args.area.is_some() {
                    anyhow::bail!(
                        "--relocate and --area work on a bundle; with --osm, placement covers the extract's homes without an AED at night"
                    );
                }
                osm::coverage(global, pbf, &args.source, args.k, args.json)
            }
            None => bundled::placement(global, args),
        },
    }
}
