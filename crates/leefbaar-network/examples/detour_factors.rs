//! Measures detour factors (network distance ÷ straight-line distance) on real OSM extracts,
//! for many origin–facility pairs, by profile, by setting (urban, intermediate, rural: the
//! density of junctions around the origin) and by straight-line distance; and the mean speed
//! of the car network (network distance ÷ network time) by distance. The figures choose the
//! straight-line detour factor and car speed of a bundle (`docs/methods/reach.md`); they are
//! measured, not fitted to any published area figure.
//!
//! ```text
//! cargo run --release -p leefbaar-network --example detour_factors -- DIR_OR_FILES…
//! ```
//!
//! Each argument is an `.osm.pbf` file or a folder of them (the larger fixtures of
//! `tests/data/SOURCE.md`, e.g. `$LEEFBAAR_OSM_FIXTURES`); without arguments the in-repository
//! Amsterdam extract is measured. Pairs are seeded (the same run gives the same table).
//!
//! Method. In the core of each extract (the box where the extract is complete, named below;
//! extracts cut with `-s smart` carry whole ways far outside it, which would inflate detours),
//! 400 origins and 25 facilities are random points within 100 m of a random junction of the
//! car network. Each pair's network distance is the reach engine's (both points snapped onto
//! the profile's network, legs included), its straight-line distance the great-circle distance
//! between the two points, as the straight-line method measures it. Pairs closer than 250 m
//! are left out (there the legs dominate). The setting of an origin is the number of car
//! junctions per km² within 1 km of it: urban ≥ 60, rural < 20, intermediate between (Dutch
//! villages and town edges lie around 20–60, city centres far above; the thresholds are ours).
//! Reported per group: n pairs, the median ratio, and the ratio of sums Σ network / Σ straight,
//! which is the factor that makes a mean straight-line distance equal the mean network one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leefbaar_network::{
    Facility, Method, Network, Origin, OsmExtract, Params, Profile, ReachModel, Wgs84Point,
    haversine_m,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The box (min lon, min lat, max lon, max lat) where an extract is complete.
fn core_box(name: &str) -> Option<[f64; 4]> {
    if name.starts_with("monaco") {
        // Monaco itself; the extract adds French hillsides with only main roads.
        Some([7.405, 43.724, 7.440, 43.752])
    } else if name.starts_with("andorra") {
        // The header box of the extract: the country.
        Some([1.422, 42.435, 1.780, 42.657])
    } else if name.starts_with("delft") {
        // `osmium extract -b 4.355,51.995,4.386,52.005 -s smart`, widened a little.
        Some([4.34, 51.99, 4.40, 52.01])
    } else {
        None
    }
}

fn inside(p: Wgs84Point, b: [f64; 4]) -> bool {
    p.lon >= b[0] && p.lon <= b[2] && p.lat >= b[1] && p.lat <= b[3]
}

/// `n` random points within about 100 m of random junctions of `network` in `core`.
fn points_near(
    network: &Network,
    core: Option<[f64; 4]>,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Wgs84Point> {
    let candidates: Vec<Wgs84Point> = network
        .nodes()
        .iter()
        .copied()
        .filter(|p| core.is_none_or(|b| inside(*p, b)))
        .collect();
    (0..n)
        .map(|_| {
            let node = candidates[rng.random_range(0..candidates.len())];
            // 0.0009° of latitude is 100 m; longitude scaled by the latitude.
            let dlat = rng.random_range(-0.0009..0.0009);
            let dlon = rng.random_range(-0.0009..0.0009) / node.lat.to_radians().cos();
            Wgs84Point::new(node.lon + dlon, node.lat + dlat)
        })
        .collect()
}

/// Car junctions per km² within 1 km.
fn junction_density(car: &Network, p: Wgs84Point) -> f64 {
    let n = car
        .nodes()
        .iter()
        .filter(|q| (q.lat - p.lat).abs() < 0.01 && haversine_m(p, **q) <= 1_000.0)
        .count();
    n as f64 / std::f64::consts::PI
}

fn setting(density: f64) -> &'static str {
    if density >= 60.0 {
        "urban"
    } else if density < 20.0 {
        "rural"
    } else {
        "intermediate"
    }
}

fn band(straight_m: f64) -> &'static str {
    match straight_m {
        d if d < 1_000.0 => "0.25-1 km",
        d if d < 3_000.0 => "1-3 km",
        d if d < 10_000.0 => "3-10 km",
        _ => "10+ km",
    }
}

#[derive(Default)]
struct Group {
    ratios: Vec<f64>,
    network_m: f64,
    straight_m: f64,
    time_s: f64,
}

impl Group {
    fn add(&mut self, network_m: f64, straight_m: f64, time_s: Option<f64>) {
        self.ratios.push(network_m / straight_m);
        self.network_m += network_m;
        self.straight_m += straight_m;
        self.time_s += time_s.unwrap_or(0.0);
    }

    fn line(&mut self) -> String {
        self.ratios.sort_by(f64::total_cmp);
        let median = self.ratios[self.ratios.len() / 2];
        format!(
            "{:>6} {:>8.3} {:>8.3} {:>9.1}",
            self.ratios.len(),
            median,
            self.network_m / self.straight_m,
            self.network_m / self.time_s.max(1e-9) * 3.6
        )
    }
}

fn files(args: &[String]) -> Vec<PathBuf> {
    if args.is_empty() {
        return vec![
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/amsterdam_tiny.osm.pbf"),
        ];
    }
    let mut files = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = fs_err::read_dir(path)
                .expect("a readable folder")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".osm.pbf"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.to_path_buf());
        }
    }
    files
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // (grouping, profile, band) → pairs.
    let mut groups: BTreeMap<(String, Profile, &str), Group> = BTreeMap::new();
    for path in files(&args) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let core = core_box(&name);
        let extract = OsmExtract::read(&path)?;
        let (car, _) = extract.network(Profile::Car)?;
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let origin_points = points_near(&car, core, 400, &mut rng);
        let facility_points = points_near(&car, core, 25, &mut rng);
        let settings: Vec<&str> = origin_points
            .iter()
            .map(|p| setting(junction_density(&car, *p)))
            .collect();
        let origins: Vec<Origin> = origin_points
            .iter()
            .enumerate()
            .map(|(i, p)| Origin {
                id: format!("o{i}"),
                point: *p,
                persons: 1.0,
                areas: Vec::new(),
            })
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &settings {
            *counts.entry(s).or_default() += 1;
        }
        eprintln!("{name}: core {core:?}, origins by setting {counts:?}");
        for profile in Profile::ALL {
            let network = if profile == Profile::Car {
                car.clone()
            } else {
                extract.network(profile)?.0
            };
            for (f, point) in facility_points.iter().enumerate() {
                let facility = [Facility {
                    id: format!("f{f}"),
                    kind: "pair".into(),
                    point: *point,
                }];
                let params = Params {
                    radii_m: vec![],
                    radii_m_by_kind: BTreeMap::new(),
                    ..Params::default()
                };
                let model =
                    ReachModel::prepare(Method::Network(&network), &origins, &facility, params)?;
                let Some(report) = model.kind_report("pair") else {
                    continue;
                };
                for (o, reach) in report.origins.iter().enumerate() {
                    let straight = haversine_m(origin_points[o], *point);
                    let Some(network_m) = reach.nearest_distance_m else {
                        continue;
                    };
                    if straight < 250.0 {
                        continue;
                    }
                    let b = band(straight);
                    for grouping in [name.clone(), format!("setting: {}", settings[o])] {
                        groups.entry((grouping, profile, b)).or_default().add(
                            network_m,
                            straight,
                            reach.nearest_time_s,
                        );
                    }
                    groups
                        .entry(("all".to_owned(), profile, "all"))
                        .or_default()
                        .add(network_m, straight, reach.nearest_time_s);
                    groups
                        .entry((format!("setting: {}", settings[o]), profile, "all"))
                        .or_default()
                        .add(network_m, straight, reach.nearest_time_s);
                }
            }
        }
    }
    println!(
        "{:<34} {:<8} {:<10} {:>6} {:>8} {:>8} {:>9}",
        "extract or setting", "profile", "distance", "pairs", "median", "Σnet/Σsl", "km/h"
    );
    for ((grouping, profile, b), group) in &mut groups {
        println!(
            "{grouping:<34} {:<8} {b:<10} {}",
            profile.as_str(),
            group.line()
        );
    }
    Ok(())
}
