//! The Hartveilig monitor: who lives within reach of an AED available at a moment of the week,
//! per area, and how many citizen responders live near every AED.
//!
//! Residents are the reach monitor's population points, each spread over a 100 m lattice of
//! its ground (`leefbaar_aed::population`); distances are straight lines, the alert system's
//! convention (an address is covered when a 24/7 AED is within 500 m). Responders are known per
//! postcode area and taken to live where its residents live. An AED counts for the areas of the
//! resident nearest to it (the bundle has no boundaries fine enough to place a point in a
//! neighbourhood otherwise).

pub mod catalogue;
mod facts;
mod places;
pub mod synthetic;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use leefbaar_aed::availability::{Moment, always_available, available_at, reference_moments};
use leefbaar_aed::nearby::PointIndex;
use leefbaar_aed::population::{LATTICE_M, Resident, Settlement, spread};
use leefbaar_aed::registration::{Aed, Placement, read_register};
use leefbaar_ingest::AedSpec;
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::Wgs84Point;

pub use facts::{annotate, facts, source};
pub use places::{AedPoint, MAX_NEW_AEDS, Moved, PlacementReport, SuggestedSite, WhiteSpot};

use crate::error::MonitorError;
use crate::reach::ReachMonitor;

/// The availability rules coverage is computed for: `24_7` (what the alert system counts),
/// then the reference moments (`day`, `evening`, `night`, `weekend`).
pub fn rules() -> Vec<&'static str> {
    std::iter::once("24_7")
        .chain(reference_moments().iter().map(|m| m.name))
        .collect()
}

/// A prepared AED coverage computation.
#[derive(Debug)]
pub struct AedMonitor {
    spec: AedSpec,
    aeds: Vec<Aed>,
    residents: Vec<Resident>,
    /// Reach's population points (a resident's `settlement` indexes them): their areas,
    /// centres and ids.
    settlements: &'static [leefbaar_network::Origin],
    /// Per rule (in the order of [`rules`]), per resident: within the distance of an AED
    /// available under the rule.
    covered: Vec<Vec<bool>>,
    /// Per rule, per AED: available under the rule.
    available: Vec<Vec<bool>>,
    /// As `covered`, over the foot network, when reach is measured over a road network.
    foot_covered: Option<Vec<Vec<bool>>>,
    /// Per AED, the resident nearest to it (its areas are the AED's).
    aed_resident: Vec<Option<usize>>,
    /// Per AED, the responders within the responder radius (`None` without a responders file).
    responders_near: Option<Vec<f64>>,
    /// Per resident, its share of its postcode area's responders.
    resident_responders: Option<Vec<f64>>,
    /// The residents, for queries within the coverage distance.
    lattice_index: PointIndex,
}

/// The residents of `reach`'s population points, each point's spread over a lattice of its
/// ground (`leefbaar_aed::population`).
pub fn residents_of(reach: &ReachMonitor) -> Vec<Resident> {
    let settlements: Vec<Settlement> = reach
        .origins()
        .iter()
        .enumerate()
        .map(|(i, o)| Settlement {
            point: o.point,
            persons: o.persons,
            area_m2: reach.origin_ground_m2(i),
        })
        .collect();
    spread(&settlements, LATTICE_M)
}

/// Per rule, per resident: an AED available under the rule within `within_m` over the foot
/// network (one bounded search from every public AED on the reach engine), the distance
/// counted from where the resident meets the network as the engine counts it.
fn covered_on_foot(
    network: &leefbaar_network::Network,
    residents: &[Resident],
    aeds: &[Aed],
    available: &[Vec<bool>],
    within_m: f64,
) -> Result<Vec<Vec<bool>>, MonitorError> {
    let origins: Vec<leefbaar_network::Origin> = residents
        .iter()
        .map(|r| leefbaar_network::Origin {
            id: String::new(),
            point: r.point,
            persons: r.persons,
            areas: Vec::new(),
        })
        .collect();
    let model = leefbaar_network::ReachModel::prepare(
        leefbaar_network::Method::Network(network),
        &origins,
        &[],
        leefbaar_network::Params::default(),
    )?;
    let mut covered = vec![vec![false; residents.len()]; available.len()];
    for (a, aed) in aeds.iter().enumerate() {
        if !available.iter().any(|rule| rule[a]) {
            continue;
        }
        for (r, _) in model.origins_within_point(aed.point, within_m) {
            for (rule, open) in available.iter().enumerate() {
                if open[a] {
                    covered[rule][r] = true;
                }
            }
        }
    }
    Ok(covered)
}

/// Why AED coverage is left out when reach is: it stands on reach's population points.
pub(crate) fn left_out_without_reach() -> crate::LeftOut {
    crate::LeftOut::new(
        "aed",
        "AED-dekking staat op de herkomstpunten van bereikbaarheid, die ontbreken",
        "AED coverage stands on reach's population points, which are left out",
    )
}

/// The area of `level` among `areas` (a population point's municipality, postcode area …).
pub(crate) fn area_at(areas: &[AreaCode], level: AreaLevel) -> Option<&AreaCode> {
    areas.iter().find(|a| a.level() == level)
}

/// Coverage of one area under every rule.
///
/// # Units
/// Persons; shares as fractions (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCoverage {
    /// The area.
    pub area: AreaCode,
    /// Its residents.
    pub persons: f64,
    /// Per rule (in the order of [`rules`]), the residents covered.
    pub covered: Vec<f64>,
    /// The same over the foot network, when coverage is measured over one too.
    pub covered_on_foot: Option<Vec<f64>>,
}

impl AedMonitor {
    /// Reads the register and responders of `spec` and computes coverage for the residents of
    /// `reach`'s population points.
    pub fn prepare(spec: &AedSpec, reach: &ReachMonitor) -> Result<AedMonitor, MonitorError> {
        let aeds = read_register(&spec.register)?;
        let origins = reach.origins();
        let residents = residents_of(reach);
        let settlements = origins;
        let moments = reference_moments();
        let available: Vec<Vec<bool>> =
            std::iter::once(aeds.iter().map(always_available).collect::<Vec<bool>>())
                .chain(
                    moments
                        .iter()
                        .map(|m: &Moment| aeds.iter().map(|a| available_at(a, m.at)).collect()),
                )
                .collect();
        let covered = available
            .iter()
            .map(|open| {
                let points: Vec<Wgs84Point> = aeds
                    .iter()
                    .zip(open)
                    .filter(|(_, open)| **open)
                    .map(|(a, _)| a.point)
                    .collect();
                let index = PointIndex::new(&points, spec.within_m);
                residents
                    .iter()
                    .map(|r| index.any_within(r.point, spec.within_m))
                    .collect()
            })
            .collect();
        let foot_covered = reach
            .foot_network()
            .map(|network| covered_on_foot(network, &residents, &aeds, &available, spec.within_m))
            .transpose()?;
        let resident_points: Vec<Wgs84Point> = residents.iter().map(|r| r.point).collect();
        let resident_index = PointIndex::new(&resident_points, spec.responder_radius_m);
        let lattice_index = PointIndex::new(&resident_points, spec.within_m);
        // Most AEDs hang among residents; the wider search is for the few that do not.
        let aed_resident = aeds
            .iter()
            .map(|a| {
                lattice_index
                    .nearest_within(a.point, 1_000.0)
                    .or_else(|| resident_index.nearest_within(a.point, 5_000.0))
                    .map(|(r, _)| r)
            })
            .collect();
        let resident_responders = match &spec.responders {
            Some(path) => Some(responders_by_resident(path, &residents, origins)?),
            None => None,
        };
        let responders_near = resident_responders.as_ref().map(|share| {
            aeds.iter()
                .map(|a| resident_index.sum_within(a.point, spec.responder_radius_m, share))
                .collect()
        });
        Ok(AedMonitor {
            spec: spec.clone(),
            aeds,
            residents,
            settlements,
            covered,
            available,
            foot_covered,
            aed_resident,
            responders_near,
            resident_responders,
            lattice_index,
        })
    }

    /// The manifest's `[aed]` section this was prepared from.
    pub fn spec(&self) -> &AedSpec {
        &self.spec
    }

    /// The register's AEDs.
    pub fn aeds(&self) -> &[Aed] {
        &self.aeds
    }

    /// The residents on their lattice.
    pub fn residents(&self) -> &[Resident] {
        &self.residents
    }

    /// Whether resident `r` is covered under rule `rule` (an index into [`rules`]).
    pub fn is_covered(&self, rule: usize, r: usize) -> bool {
        self.covered[rule][r]
    }

    /// Whether coverage is measured over the foot network too.
    pub fn has_foot_network(&self) -> bool {
        self.foot_covered.is_some()
    }

    /// Per AED, the responders within the responder radius, when responders are known.
    pub fn responders_near(&self) -> Option<&[f64]> {
        self.responders_near.as_deref()
    }

    /// Coverage of every area at `level` (municipalities, districts, neighbourhoods or
    /// postcode areas), in code order.
    pub fn coverage(&self, level: AreaLevel) -> Vec<AreaCoverage> {
        let mut by_area: BTreeMap<&AreaCode, AreaCoverage> = BTreeMap::new();
        for (r, resident) in self.residents.iter().enumerate() {
            for area in self.resident_areas(r).iter().filter(|a| a.level() == level) {
                let entry = by_area.entry(area).or_insert_with(|| AreaCoverage {
                    area: area.clone(),
                    persons: 0.0,
                    covered: vec![0.0; self.covered.len()],
                    covered_on_foot: self.foot_covered.as_ref().map(|f| vec![0.0; f.len()]),
                });
                entry.persons += resident.persons;
                for (rule, covered) in self.covered.iter().enumerate() {
                    if covered[r] {
                        entry.covered[rule] += resident.persons;
                    }
                }
                if let (Some(sums), Some(foot)) = (&mut entry.covered_on_foot, &self.foot_covered) {
                    for (rule, covered) in foot.iter().enumerate() {
                        if covered[r] {
                            sums[rule] += resident.persons;
                        }
                    }
                }
            }
        }
        by_area.into_values().collect()
    }

    /// The areas of resident `r` (those of its population point).
    fn resident_areas(&self, r: usize) -> &[AreaCode] {
        &self.settlements[self.residents[r].settlement].areas
    }

    /// The areas of AED `a` (those of its nearest resident).
    fn aed_areas(&self, a: usize) -> &[AreaCode] {
        self.aed_resident[a].map_or(&[], |r| self.resident_areas(r))
    }

    /// Whether AED `a` hangs inside (or unknown) rather than outside.
    fn is_indoor(&self, a: usize) -> bool {
        self.aeds[a].placement != Placement::Outdoor
    }
}

/// Citizen responders per postcode area (CSV: `pc4, responders`), by `PC` code; every bad
/// record named with its line and field.
pub fn read_responders(path: &std::path::Path) -> Result<BTreeMap<String, f64>, MonitorError> {
    let text = fs_err::read(path)?;
    parse_responders(&text, path)
}

/// [`read_responders`] on bytes already read (the fuzz target's entry); `path` names them in
/// messages.
pub fn parse_responders(
    text: &[u8],
    path: &std::path::Path,
) -> Result<BTreeMap<String, f64>, MonitorError> {
    let mut by_pc4: BTreeMap<String, f64> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(text);
    let bad = |line: u64, field: &str, message: String| {
        crate::error::record(path, line, (!field.is_empty()).then_some(field), message)
    };
    let headers = reader
        .headers()
        .map_err(|e| bad(1, "", e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(1, name, "the column is missing".to_owned()))
    };
    let (pc4, count) = (column("pc4")?, column("responders")?);
    for record in reader.records() {
        let record = record.map_err(|e| {
            bad(
                e.position().map_or(0, csv::Position::line),
                "",
                e.to_string(),
            )
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let code = record.get(pc4).unwrap_or("").trim();
        if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(
                line,
                "pc4",
                format!("expected four digits, found `{code}`"),
            ));
        }
        let value: f64 = record
            .get(count)
            .unwrap_or("")
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                bad(
                    line,
                    "responders",
                    format!(
                        "expected a count of 0 or more, found `{}`",
                        record.get(count).unwrap_or("")
                    ),
                )
            })?;
        if by_pc4.insert(format!("PC{code}"), value).is_some() {
            return Err(bad(line, "pc4", format!("{code} is listed twice")));
        }
    }
    Ok(by_pc4)
}

/// Each postcode area's responders shared over its residents in proportion to their persons.
fn responders_by_resident(
    path: &std::path::Path,
    residents: &[Resident],
    origins: &[leefbaar_network::Origin],
) -> Result<Vec<f64>, MonitorError> {
    let by_pc4 = read_responders(path)?;
    // Each population point's postcode area once, for all of its residents.
    let pc4_of: Vec<Option<String>> = origins
        .iter()
        .map(|o| area_at(&o.areas, AreaLevel::Postcode).map(ToString::to_string))
        .collect();
    let mut persons: BTreeMap<&str, f64> = BTreeMap::new();
    for resident in residents {
        if let Some(pc4) = &pc4_of[resident.settlement] {
            *persons.entry(pc4).or_default() += resident.persons;
        }
    }
    Ok(residents
        .iter()
        .map(|r| {
            pc4_of[r.settlement]
                .as_deref()
                .and_then(|pc4| {
                    let total = by_pc4.get(pc4)?;
                    let persons = persons.get(pc4).copied().unwrap_or(0.0);
                    (persons > 0.0).then(|| total * r.persons / persons)
                })
                .unwrap_or(0.0)
        })
        .collect())
}
