//! The SYNTHETIC AED register and responders of the Drenthe demo, generated from the bundle:
//! its population points (the reach monitor's grid parts, spread over a 100 m lattice), its
//! candidate sites (the CBS population centres, the DUO primary schools, the centres of
//! populated grid parts) and the published figures it is calibrated to
//! (`aed_synthetic_2019/published_aed_figures.csv`). `leefbaar_aed::synthetic` places the AEDs;
//! this module reads the bundle and writes the files.
//!
//! ```text
//! cargo run -p leefbaar-monitor --example generate_aed_register
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use leefbaar_aed::nearby::PointIndex;
use leefbaar_aed::population::Resident;
use leefbaar_aed::synthetic::{self, Calibration, SEED, Site, SiteKind, Targets};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::Wgs84Point;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::super::reach::ReachMonitor;
use crate::error::MonitorError;

/// The folder of the generated files and of the figures they are calibrated to, in the bundle.
pub const FOLDER: &str = "aed_synthetic_2019";
/// The register's file name.
pub const REGISTER_FILE: &str = "aed_register_drenthe_2019_SYNTHETIC.csv";
/// The responders' file name.
pub const RESPONDERS_FILE: &str = "responders_pc4_drenthe_2019_SYNTHETIC.csv";
/// The published figures' file name.
pub const FIGURES_FILE: &str = "published_aed_figures.csv";

/// The generated files' text and how the register was calibrated.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The register CSV.
    pub register: String,
    /// The responders per PC4 CSV.
    pub responders: String,
    /// The calibration and what it reproduces.
    pub calibration: Calibration,
    /// The municipalities, in the order of [`Calibration::group_uncovered`].
    pub municipalities: Vec<(AreaCode, String)>,
}

fn bad(path: &Path, message: impl std::fmt::Display) -> MonitorError {
    MonitorError::Bundle(format!("{}: {message}", path.display()))
}

/// A published count as a whole number.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "published counts are small non-negative whole numbers, and casts saturate"
)]
fn to_count(value: f64) -> usize {
    value.round().max(0.0) as usize
}

fn rows(path: &Path) -> Result<Vec<BTreeMap<String, String>>, MonitorError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(path, e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| bad(path, e.to_string()))?
        .clone();
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|e| bad(path, e.to_string()))?;
            Ok(headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect())
        })
        .collect()
}

/// The published figure `indicator` of `area`.
fn figure(
    figures: &[BTreeMap<String, String>],
    path: &Path,
    indicator: &str,
    area: &str,
) -> Result<f64, MonitorError> {
    figures
        .iter()
        .find(|row| row["indicator"] == indicator && row["area"] == area)
        .and_then(|row| row["value"].parse().ok())
        .ok_or_else(|| bad(path, format!("no figure `{indicator}` for {area}")))
}

/// Generates the register and responders from the bundle's reach inputs and the published
/// figures in `folder`.
pub fn generate(reach: &ReachMonitor, folder: &Path) -> Result<Generated, MonitorError> {
    let figures_path = folder.join(FIGURES_FILE);
    let figures = rows(&figures_path)?;
    let without = "share of residents without an AED within 500 m";
    // Municipalities in code order; each origin's municipality is its group.
    let mut municipalities: Vec<(AreaCode, String)> = reach
        .origins()
        .iter()
        .filter_map(|o| super::area_at(&o.areas, AreaLevel::Municipality))
        .map(|a| (a.clone(), reach.area_name(a).unwrap_or_default().to_owned()))
        .collect();
    municipalities.sort();
    municipalities.dedup();
    let group_of = |areas: &[AreaCode]| {
        areas
            .iter()
            .find_map(|a| municipalities.iter().position(|(code, _)| code == a))
    };
    let group_named = |name: &str| {
        municipalities
            .iter()
            .position(|(_, n)| n == name)
            .ok_or_else(|| {
                bad(
                    &figures_path,
                    format!("no municipality named {name} in the bundle"),
                )
            })
    };
    let mut group_uncovered = Vec::new();
    for row in figures
        .iter()
        .filter(|r| r["indicator"] == without && r["area"] != "Drenthe")
    {
        let share: f64 = row["value"]
            .parse()
            .map_err(|_| bad(&figures_path, format!("`{}` is not a number", row["value"])))?;
        group_uncovered.push((group_named(&row["area"])?, share / 100.0));
    }
    let targets = Targets {
        aeds: to_count(figure(
            &figures,
            &figures_path,
            "registered AEDs",
            "Drenthe",
        )?),
        aeds_day_and_night: to_count(figure(
            &figures,
            &figures_path,
            "registered AEDs available 24/7",
            "Drenthe",
        )?),
        within_m: 500.0,
        uncovered: figure(&figures, &figures_path, without, "Drenthe")? / 100.0,
        group_uncovered,
    };
    let responders_total = to_count(figure(
        &figures,
        &figures_path,
        "registered citizen responders",
        "Drenthe",
    )?);

    let origins = reach.origins();
    let residents = super::residents_of(reach);
    let resident_group: Vec<usize> = residents
        .iter()
        .map(|r| group_of(&origins[r.settlement].areas).unwrap_or(0))
        .collect();
    let sites = candidate_sites(reach, folder, &residents, &resident_group, &group_of)?;
    let generated = synthetic::register(
        &residents,
        &resident_group,
        municipalities.len(),
        &sites,
        &targets,
        SEED,
    );
    let mut register =
        String::from("id,lon,lat,indoor,opening_hours,access,registered,site,host,municipality\n");
    for (i, aed) in generated.aeds.iter().enumerate() {
        let site = &sites[aed.site];
        writeln!(
            register,
            "SYNTHETIC-{:04},{:.6},{:.6},{},{},yes,yes,{},{},{}",
            i + 1,
            aed.point.lon,
            aed.point.lat,
            if aed.indoor { "yes" } else { "no" },
            aed.opening_hours,
            site.kind.as_str(),
            aed.host,
            municipalities[site.group].0,
        )
        .expect("writing to a String");
    }
    let responders = responders_csv(origins, responders_total);
    Ok(Generated {
        register,
        responders,
        calibration: generated.calibration,
        municipalities,
    })
}

/// Village centres (the CBS population centres of the bundle's `[[places]]` file), primary
/// schools (the reach kind `primary_school`) and the centres of populated grid parts.
fn candidate_sites(
    reach: &ReachMonitor,
    folder: &Path,
    residents: &[Resident],
    resident_group: &[usize],
    group_of: &dyn Fn(&[AreaCode]) -> Option<usize>,
) -> Result<Vec<Site>, MonitorError> {
    let points: Vec<Wgs84Point> = residents.iter().map(|r| r.point).collect();
    let index = PointIndex::new(&points, 2_000.0);
    // A school's or a town's municipality: that of the nearest resident (within 5 km; the
    // bundle's schools include some across the border, which are left out).
    let nearest_group = |point: Wgs84Point| {
        index
            .nearest_within(point, 5_000.0)
            .map(|(r, _)| resident_group[r])
    };
    let mut sites = Vec::new();
    let towns = folder.join("../cbs_bevolkingskernen_2021/towns_2021.csv");
    for row in rows(&towns)? {
        let point = lon_lat(&towns, &row)?;
        if let Some(group) = nearest_group(point) {
            sites.push(Site {
                point,
                kind: SiteKind::VillageCentre,
                group,
            });
        }
    }
    if let Some(kind) = reach.kind_spec("primary_school") {
        for row in rows(&kind.file)? {
            let point = lon_lat(&kind.file, &row)?;
            if let Some(group) = index
                .nearest_within(point, 1_500.0)
                .map(|(r, _)| resident_group[r])
            {
                sites.push(Site {
                    point,
                    kind: SiteKind::School,
                    group,
                });
            }
        }
    }
    for origin in reach.origins().iter().filter(|o| o.persons > 0.0) {
        if let Some(group) = group_of(&origin.areas) {
            sites.push(Site {
                point: origin.point,
                kind: SiteKind::PlaceCentre,
                group,
            });
        }
    }
    Ok(sites)
}

fn lon_lat(path: &Path, row: &BTreeMap<String, String>) -> Result<Wgs84Point, MonitorError> {
    let number = |column: &str| {
        row.get(column)
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| bad(path, format!("no number in `{column}`")))
    };
    Ok(Wgs84Point::new(number("lon")?, number("lat")?))
}

/// `total` responders shared out over the postcode areas in proportion to their persons, one
/// draw at a time (a multinomial sample), as `pc4,responders`.
fn responders_csv(origins: &[leefbaar_network::Origin], total: usize) -> String {
    let mut persons: BTreeMap<String, f64> = BTreeMap::new();
    for origin in origins {
        if let Some(pc4) = super::area_at(&origin.areas, AreaLevel::Postcode) {
            *persons.entry(pc4.to_string()).or_default() += origin.persons;
        }
    }
    let areas: Vec<(&String, f64)> = persons.iter().map(|(k, v)| (k, *v)).collect();
    let sum: f64 = areas.iter().map(|(_, p)| p).sum();
    let mut counts = vec![0usize; areas.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    for _ in 0..total {
        let target = rng.random::<f64>() * sum;
        let mut acc = 0.0;
        let chosen = areas
            .iter()
            .position(|(_, p)| {
                acc += p;
                acc > target
            })
            .unwrap_or(areas.len() - 1);
        counts[chosen] += 1;
    }
    let mut text = String::from("pc4,responders\n");
    for ((pc4, _), count) in areas.iter().zip(counts) {
        writeln!(text, "{},{count}", pc4.trim_start_matches("PC")).expect("writing to a String");
    }
    text
}
