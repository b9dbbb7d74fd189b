//! Compares the population layers reach can measure from, on the same facilities: PC4
//! centroids; the grid's cell centres (the grid's own persons); the cells' parts per PC4
//! weighted by area only (each PC4's persons spread evenly over its populated cells' area); the
//! dasymetric parts with one point per PC4 area in a cell; and the dasymetric parts per PC4 area
//! and buurt (each PC4's persons by the grid's persons in its parts, what the Drenthe bundle
//! uses). Straight line × 1.3, no road network; the bundle's year and kinds.
//!
//! ```text
//! cargo run -p leefbaar-monitor --example reach_layers [-- data/drenthe/manifest.toml]
//! ```
//!
//! Prints, per layer and kind, the person-weighted mean distance to the nearest facility for
//! Drenthe, for its four municipalities with a town of over 30,000 inhabitants (Assen, Emmen,
//! Hoogeveen, Meppel: "urban") and for the other eight ("rural"), and the persons the layer
//! holds. `docs/methods/reach.md` reports and explains a run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leefbaar_ingest::{GridSpec, ReachSpec};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_monitor::reach::{ReachInputs, ReachMonitor, ReachOptions};
use leefbaar_network::{Origin, Wgs84Point};

const URBAN: [&str; 4] = ["GM0106", "GM0114", "GM0118", "GM0119"];

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("readable CSV");
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column].parse().expect("a number")
}

/// The PC4 centroids, and the parts' origins with `weight(cell persons, share)` as the weight
/// that shares out each PC4's persons; with `keep_grid_persons` each cell becomes one origin at
/// its parts' centre with the grid's persons, in the areas of its largest part's PC4.
fn layer(spec: &ReachSpec, grid: &GridSpec, kind: Layer) -> ReachInputs {
    let mut inputs = ReachInputs::default();
    inputs.add_origins(&spec.origins).expect("origins");
    if matches!(kind, Layer::Centroids) {
        return inputs;
    }
    let centroids = std::mem::take(&mut inputs.origins);
    let areas_of: BTreeMap<String, Vec<AreaCode>> = centroids
        .iter()
        .map(|o| (o.id.trim_start_matches("PC4 ").to_owned(), o.areas.clone()))
        .collect();
    let cells: BTreeMap<String, f64> = rows(&grid.cells)
        .iter()
        .map(|row| (row["grd_id"].clone(), num(row, "persons")))
        .collect();
    let mut parts = rows(&grid.parts);
    if matches!(kind, Layer::GridPartsPerPc4) {
        parts = per_pc4(&parts);
    }
    match kind {
        Layer::Centroids => unreachable!(),
        Layer::CellCentres => {
            // Per cell: Σ share × centre, Σ share, and the largest part's PC4.
            let mut by_cell: BTreeMap<&str, (f64, f64, f64, f64, &str)> = BTreeMap::new();
            for row in &parts {
                let share = num(row, "share");
                let entry = by_cell
                    .entry(row["grd_id"].as_str())
                    .or_insert((0.0, 0.0, 0.0, 0.0, ""));
                entry.0 += share * num(row, "lon");
                entry.1 += share * num(row, "lat");
                entry.2 += share;
                if share > entry.3 {
                    entry.3 = share;
                    entry.4 = row["pc4"].as_str();
                }
            }
            for (cell, (lon, lat, shares, _, pc4)) in by_cell {
                inputs.origins.push(Origin {
                    id: cell.to_owned(),
                    point: Wgs84Point::new(lon / shares, lat / shares),
                    persons: cells[cell],
                    areas: areas_of[pc4].clone(),
                });
            }
        }
        Layer::AreaParts | Layer::GridParts | Layer::GridPartsPerPc4 => {
            let weight = |row: &BTreeMap<String, String>| {
                let share = num(row, "share");
                match kind {
                    // Populated area only: an empty cell of 2018 still counts by its area.
                    Layer::AreaParts => share,
                    _ => cells[&row["grd_id"]] * share,
                }
            };
            let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
            for row in &parts {
                *totals.entry(row["pc4"].as_str()).or_default() += weight(row);
            }
            for row in &parts {
                let pc4 = row["pc4"].as_str();
                let centroid = &centroids[centroids
                    .iter()
                    .position(|o| o.id == format!("PC4 {pc4}"))
                    .expect("a PC4 of the origins")];
                if totals[pc4] > 0.0 && weight(row) > 0.0 {
                    inputs.origins.push(Origin {
                        id: format!("{} {pc4}", row["grd_id"]),
                        point: Wgs84Point::new(num(row, "lon"), num(row, "lat")),
                        persons: centroid.persons * weight(row) / totals[pc4],
                        areas: centroid.areas.clone(),
                    });
                }
            }
            for centroid in &centroids {
                let pc4 = centroid.id.trim_start_matches("PC4 ");
                if totals.get(pc4).is_none_or(|t| *t <= 0.0) {
                    inputs.origins.push(centroid.clone());
                }
            }
        }
    }
    inputs
}

/// The parts of a cell in one PC4 area merged into one, at their area-weighted centre: the
/// parts as they were before they were cut by buurt too.
fn per_pc4(parts: &[BTreeMap<String, String>]) -> Vec<BTreeMap<String, String>> {
    let mut merged: BTreeMap<(String, String), (f64, f64, f64)> = BTreeMap::new();
    for row in parts {
        let share = num(row, "share");
        let entry = merged
            .entry((row["grd_id"].clone(), row["pc4"].clone()))
            .or_default();
        entry.0 += share;
        entry.1 += share * num(row, "lon");
        entry.2 += share * num(row, "lat");
    }
    merged
        .into_iter()
        .map(|((cell, pc4), (share, lon, lat))| {
            BTreeMap::from([
                ("grd_id".to_owned(), cell),
                ("pc4".to_owned(), pc4),
                ("share".to_owned(), share.to_string()),
                ("lon".to_owned(), (lon / share).to_string()),
                ("lat".to_owned(), (lat / share).to_string()),
            ])
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Layer {
    Centroids,
    CellCentres,
    AreaParts,
    GridParts,
    GridPartsPerPc4,
}

fn main() {
    let manifest = std::env::args().nth(1).map_or_else(
        || PathBuf::from("data/drenthe/manifest.toml"),
        PathBuf::from,
    );
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest).expect("a readable manifest");
    let spec = bundle.reach.expect("a [reach] section");
    let grid = spec.grid.clone().expect("a [reach] grid");
    let kinds = ["primary_school", "havo_vwo_school", "hospital"];
    println!(
        "{:<28} {:<16} {:>9} {:>9} {:>9} {:>10} {:>8}",
        "layer", "kind", "Drenthe", "urban", "rural", "persons", "points"
    );
    for (name, kind) in [
        ("PC4 centroids", Layer::Centroids),
        ("grid cell centres (grid)", Layer::CellCentres),
        ("cell x PC4 x buurt, by area", Layer::AreaParts),
        ("cell x PC4, by grid", Layer::GridPartsPerPc4),
        ("cell x PC4 x buurt, by grid", Layer::GridParts),
    ] {
        let mut inputs = layer(&spec, &grid, kind);
        for k in &spec.kinds {
            inputs.add_facilities(&k.file, &k.id).expect("facilities");
        }
        let points = inputs.origins.len();
        let monitor =
            ReachMonitor::from_inputs(&spec, inputs, &ReachOptions::default()).expect("prepared");
        for kind_id in kinds {
            let table = monitor
                .table(kind_id, Some(AreaLevel::Municipality))
                .expect("a table");
            let mut sums = [(0.0, 0.0); 3];
            for row in &table.areas {
                let Some(mean) = row.mean_distance_m else {
                    continue;
                };
                let urban = URBAN.contains(&row.area.to_string().as_str());
                for (i, take) in [true, urban, !urban].into_iter().enumerate() {
                    if take {
                        sums[i].0 += row.persons * mean;
                        sums[i].1 += row.persons;
                    }
                }
            }
            let km = |(s, n): (f64, f64)| s / n / 1000.0;
            println!(
                "{name:<28} {kind_id:<16} {:>9.2} {:>9.2} {:>9.2} {:>10.0} {points:>8}",
                km(sums[0]),
                km(sums[1]),
                km(sums[2]),
                sums[0].1
            );
        }
    }
}
