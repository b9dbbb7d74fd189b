//! What the Hartveilig surfaces show besides the area figures: the AEDs with their
//! availability, the populated places without cover ("white spots"), and where new or moved
//! AEDs would cover most residents.

use leefbaar_aed::nearby::PointIndex;
use leefbaar_aed::placement::{self, Plan};
use leefbaar_aed::registration::{Hours, Placement};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::Wgs84Point;

use super::{AedMonitor, area_at, rules};

/// Placement is for one municipality or the province: at most this many new AEDs.
pub const MAX_NEW_AEDS: usize = 100;

/// An AED as the map and its table show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AedPoint {
    /// The register's id.
    pub id: String,
    /// Where.
    pub point: Wgs84Point,
    /// `outdoor`, `indoor` or `unknown`.
    pub placement: &'static str,
    /// `24/7`, the opening hours as registered, or empty when none are stated.
    pub opening_hours: String,
    /// Open to the public.
    pub public: bool,
    /// Per rule (in the order of [`rules`]), whether it counts.
    pub available: Vec<bool>,
    /// Responders within the responder radius, when responders are known.
    pub responders_near: Option<f64>,
    /// The municipality it counts in.
    pub municipality: Option<AreaCode>,
}

/// A populated place with residents beyond the coverage distance of every AED available under
/// a rule.
///
/// # Units
/// Persons; metres.
#[derive(Debug, Clone, PartialEq)]
pub struct WhiteSpot {
    /// The population point's id (a grid part: cell, postcode area, neighbourhood).
    pub id: String,
    /// Its centre.
    pub point: Wgs84Point,
    /// Its residents.
    pub persons: f64,
    /// Of them, without an available AED within the distance.
    pub uncovered: f64,
    /// Distance from its centre to the nearest available AED, when one is within 10 km.
    pub nearest_aed_m: Option<f64>,
    /// Its municipality, postcode area and neighbourhood.
    pub municipality: Option<AreaCode>,
    /// Its postcode area.
    pub postcode: Option<AreaCode>,
    /// Its neighbourhood.
    pub neighbourhood: Option<AreaCode>,
}

/// A suggested site for a new AED.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestedSite {
    /// Where (the centre of a populated place).
    pub point: Wgs84Point,
    /// The population point it stands at.
    pub place_id: String,
    /// Residents it adds, in the order of the list (gains sum to what the plan adds).
    pub gain: f64,
    /// Residents lost if it alone were left out of the plan.
    pub loss_if_removed: f64,
    /// Its municipality.
    pub municipality: Option<AreaCode>,
}

/// An AED moved by a relocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The register's id.
    pub id: String,
    /// Where it hangs now.
    pub from: Wgs84Point,
    /// Where it should hang, outside; equal to `from` when it should stay (and move outside).
    pub to: Wgs84Point,
}

/// Where new (and optionally moved) AEDs cover most residents under a rule.
///
/// # Units
/// Persons.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementReport {
    /// The rule (`24_7`, `day` …).
    pub rule: &'static str,
    /// The area the plan is for (its residents are counted, its places are candidates).
    pub area: Option<AreaCode>,
    /// Residents counted.
    pub persons: f64,
    /// Of them, covered now.
    pub covered_now: f64,
    /// Covered after the plan.
    pub covered_after: f64,
    /// The new sites, in the order of their gain.
    pub sites: Vec<SuggestedSite>,
    /// Covered after 0, 1, …, k new AEDs placed greedily (the coverage curve).
    pub curve: Vec<f64>,
    /// With relocation: every AED (of the area, when given) that does not count under the rule
    /// (indoor or part-time), where it should hang outside; empty without.
    pub moves: Vec<Moved>,
    /// With relocation: covered when those AEDs hang outside where they are now.
    pub covered_outside_in_place: Option<f64>,
    /// Candidate sites considered.
    pub candidates: usize,
}

impl AedMonitor {
    /// Every AED of the register, in its order.
    pub fn aed_points(&self) -> Vec<AedPoint> {
        self.aeds
            .iter()
            .enumerate()
            .map(|(a, aed)| AedPoint {
                id: aed.id.clone(),
                point: aed.point,
                placement: match aed.placement {
                    Placement::Outdoor => "outdoor",
                    Placement::Indoor => "indoor",
                    Placement::Unknown => "unknown",
                },
                opening_hours: match &aed.hours {
                    Hours::Always => "24/7".to_owned(),
                    Hours::Schedule(hours) => hours.to_string(),
                    Hours::Unstated => String::new(),
                },
                public: aed.public,
                available: self.available.iter().map(|rule| rule[a]).collect(),
                responders_near: self.responders_near.as_ref().map(|near| near[a]),
                municipality: area_at(self.aed_areas(a), AreaLevel::Municipality).cloned(),
            })
            .collect()
    }

    /// The population points with at least `min_uncovered` residents not covered under `rule`
    /// (an index into [`rules`]), most uncovered first; within `area` when given.
    pub fn white_spots(
        &self,
        rule: usize,
        min_uncovered: f64,
        area: Option<&AreaCode>,
    ) -> Vec<WhiteSpot> {
        let mut persons = vec![0.0; self.settlements.len()];
        let mut uncovered = vec![0.0; self.settlements.len()];
        for (r, resident) in self.residents.iter().enumerate() {
            persons[resident.settlement] += resident.persons;
            if !self.covered[rule][r] {
                uncovered[resident.settlement] += resident.persons;
            }
        }
        let available: Vec<Wgs84Point> = self
            .aeds
            .iter()
            .zip(&self.available[rule])
            .filter(|(_, open)| **open)
            .map(|(aed, _)| aed.point)
            .collect();
        let index = PointIndex::new(&available, 2_000.0);
        let mut spots: Vec<WhiteSpot> = self
            .settlements
            .iter()
            .enumerate()
            .filter(|(s, settlement)| {
                uncovered[*s] >= min_uncovered
                    && uncovered[*s] > 0.0
                    && area.is_none_or(|a| settlement.areas.contains(a))
            })
            .map(|(s, settlement)| {
                let of = |level: AreaLevel| area_at(&settlement.areas, level).cloned();
                WhiteSpot {
                    id: settlement.id.clone(),
                    point: settlement.point,
                    persons: persons[s],
                    uncovered: uncovered[s],
                    nearest_aed_m: index
                        .nearest_within(settlement.point, 10_000.0)
                        .map(|(_, d)| d),
                    municipality: of(AreaLevel::Municipality),
                    postcode: of(AreaLevel::Postcode),
                    neighbourhood: of(AreaLevel::Neighbourhood),
                }
            })
            .collect();
        spots.sort_by(|a, b| b.uncovered.total_cmp(&a.uncovered).then(a.id.cmp(&b.id)));
        spots
    }

    /// Where `k` new AEDs available under `rule` would cover most residents (of `area` when
    /// given, else of all) not yet covered: greedy with interchange local search over the
    /// centres of the populated places that have uncovered residents. With `relocate`, the AEDs
    /// that do not count under the rule (inside, or with opening hours) may move too: each hangs
    /// outside, where it is or at a better place.
    pub fn placement(
        &self,
        rule: usize,
        k: usize,
        relocate: bool,
        area: Option<&AreaCode>,
    ) -> PlacementReport {
        let k = k.min(MAX_NEW_AEDS);
        let within = self.spec.within_m;
        let in_area = |r: usize| area.is_none_or(|a| self.resident_areas(r).contains(a));
        let weights: Vec<f64> = self
            .residents
            .iter()
            .enumerate()
            .map(|(r, resident)| if in_area(r) { resident.persons } else { 0.0 })
            .collect();
        let covered = &self.covered[rule];
        let mut open_places = vec![false; self.settlements.len()];
        for (r, resident) in self.residents.iter().enumerate() {
            if !covered[r] && weights[r] > 0.0 {
                open_places[resident.settlement] = true;
            }
        }
        let candidates: Vec<usize> = (0..self.settlements.len())
            .filter(|&s| open_places[s])
            .collect();
        let set_at = |point: Wgs84Point| -> Vec<usize> {
            self.lattice_index
                .within(point, within)
                .into_iter()
                .map(|(r, _)| r)
                .collect()
        };
        let mut sets: Vec<Vec<usize>> = candidates
            .iter()
            .map(|&s| set_at(self.settlements[s].point))
            .collect();
        let persons: f64 = weights.iter().sum();
        let covered_now: f64 = weights
            .iter()
            .zip(covered)
            .filter(|(_, c)| **c)
            .map(|(w, _)| w)
            .sum();
        let curve = placement::coverage_curve(&sets, &weights, covered, k);
        let site_of = |index: usize, gain: f64, loss: f64| {
            let settlement = &self.settlements[candidates[index]];
            SuggestedSite {
                point: settlement.point,
                place_id: settlement.id.clone(),
                gain,
                loss_if_removed: loss,
                municipality: area_at(&settlement.areas, AreaLevel::Municipality).cloned(),
            }
        };
        if !relocate {
            let plan: Plan = placement::place(&sets, &weights, covered, k, true);
            return PlacementReport {
                rule: rules()[rule],
                area: area.cloned(),
                persons,
                covered_now,
                covered_after: plan.covered_after,
                sites: plan
                    .sites
                    .iter()
                    .map(|s| site_of(s.site, s.gain, s.loss_if_removed))
                    .collect(),
                curve,
                moves: Vec::new(),
                covered_outside_in_place: None,
                candidates: candidates.len(),
            };
        }
        // The AEDs that do not count under the rule, at their own sites after the candidates.
        let movable: Vec<usize> = (0..self.aeds.len())
            .filter(|&a| {
                self.aeds[a].public
                    && !self.available[rule][a]
                    && area.is_none_or(|area| self.aed_areas(a).contains(area))
            })
            .collect();
        let movable_sites: Vec<usize> = movable
            .iter()
            .map(|&a| {
                sets.push(set_at(self.aeds[a].point));
                sets.len() - 1
            })
            .collect();
        let result = placement::relocate(&sets, &weights, covered, &movable_sites, k);
        let point_of = |site: usize| {
            if site < candidates.len() {
                self.settlements[candidates[site]].point
            } else {
                self.aeds[movable[site - candidates.len()]].point
            }
        };
        PlacementReport {
            rule: rules()[rule],
            area: area.cloned(),
            persons,
            covered_now,
            covered_after: result.covered_after,
            sites: result
                .new_sites
                .iter()
                .map(|s| {
                    if s.site < candidates.len() {
                        site_of(s.site, s.gain, s.loss_if_removed)
                    } else {
                        // A new AED beside one that hangs inside now.
                        let a = movable[s.site - candidates.len()];
                        SuggestedSite {
                            point: self.aeds[a].point,
                            place_id: format!("at {}", self.aeds[a].id),
                            gain: s.gain,
                            loss_if_removed: s.loss_if_removed,
                            municipality: area_at(self.aed_areas(a), AreaLevel::Municipality)
                                .cloned(),
                        }
                    }
                })
                .collect(),
            curve,
            moves: result
                .moves
                .iter()
                .zip(&movable)
                .map(|(m, &a)| Moved {
                    id: self.aeds[a].id.clone(),
                    from: self.aeds[a].point,
                    to: point_of(m.to),
                })
                .collect(),
            covered_outside_in_place: Some(result.covered_before),
            candidates: candidates.len(),
        }
    }
}
