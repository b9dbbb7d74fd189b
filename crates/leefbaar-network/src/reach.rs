//! Reach of facilities: per origin the nearest facility of each kind (distance and time) and
//! the number within given radii; per area the person-weighted mean and the share of persons
//! within thresholds; and closure/opening scenarios computed incrementally.
//!
//! Values in, values out: callers read the files and hand over [`Origin`]s and [`Facility`]s.
//! Records that are legal but cannot be placed (a point farther than [`Params::max_snap_m`] from
//! any road of the profile) do not abort the computation; they come back as [`Finding`]s naming
//! the record, and their persons are counted as `persons_unreached`.
//!
//! Without a road network, [`Method::StraightLine`] uses the great-circle distance times
//! [`Params::detour_factor`] (default 1.3) and flags every value `approximate`. The factor:
//! ratios of road to straight-line distance ("circuity") reported for road networks lie mostly
//! between 1.2 and 1.4 (Ballou, Rahardja & Sakai 2002, *Transportation Research A* 36(9):
//! 843–848, 1.2–1.4 across countries; Boscoe, Henry & Zdeb 2012, *Professional Geographer*
//! 64(2): 188–196, 1.2–1.4 for US regions, higher for short trips and sparse rural networks).
//! Dutch rural networks are dense but long trips follow canals and polder grids, so we take the
//! middle of that range. Straight-line results carry no travel time.

use std::collections::BTreeMap;
use std::fmt;

use leefbaar_model::AreaCode;

use crate::error::NetworkError;
use crate::geo::{Wgs84Point, haversine_m};
use crate::graph::{Metric, idx, round_u64};
use crate::network::{Network, Snap};
use crate::search::{NearestCalculator, NearestField, Seed};

/// An origin: a point where people live (an address, a 100 m grid cell, a postcode centroid).
///
/// # Units
/// `persons`: number of inhabitants (the weight in area means).
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// Record id, used in findings and errors.
    pub id: String,
    /// Position.
    pub point: Wgs84Point,
    /// Inhabitants.
    pub persons: f64,
    /// Areas the origin lies in (neighbourhood, district, municipality, province …).
    pub areas: Vec<AreaCode>,
}

/// A facility: a school, GP practice, hospital …
#[derive(Debug, Clone, PartialEq)]
pub struct Facility {
    /// Record id, used in findings, errors and scenarios.
    pub id: String,
    /// The facility kind (`primary_school`, `hospital`, …); one search per kind.
    pub kind: String,
    /// The visiting address's position.
    pub point: Wgs84Point,
}

/// Settings of a reach computation.
///
/// # Units
/// Radii, thresholds and snapping limit in metres; time thresholds in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Radii for "facilities within" counts (CBS: 1, 3 and 5 km).
    pub radii_m: Vec<f64>,
    /// Radii per kind overriding `radii_m` (CBS: 5, 10 and 20 km for hospitals).
    pub radii_m_by_kind: BTreeMap<String, Vec<f64>>,
    /// Distance thresholds for shares of persons within (1, 3, 5 km).
    pub distance_thresholds_m: Vec<f64>,
    /// Time thresholds for shares of persons within (15, 30, 45 min).
    pub time_thresholds_s: Vec<f64>,
    /// A point farther than this from every road of the profile is not placed (a finding).
    pub max_snap_m: f64,
    /// Road distance per straight-line distance for [`Method::StraightLine`].
    pub detour_factor: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            radii_m: vec![1_000.0, 3_000.0, 5_000.0],
            radii_m_by_kind: BTreeMap::from([(
                "hospital".to_owned(),
                vec![5_000.0, 10_000.0, 20_000.0],
            )]),
            distance_thresholds_m: vec![1_000.0, 3_000.0, 5_000.0],
            time_thresholds_s: vec![900.0, 1_800.0, 2_700.0],
            max_snap_m: 5_000.0,
            detour_factor: 1.3,
        }
    }
}

impl Params {
    /// The radii used for `kind`.
    ///
    /// # Units
    /// Metres.
    pub fn radii_for(&self, kind: &str) -> &[f64] {
        self.radii_m_by_kind.get(kind).unwrap_or(&self.radii_m)
    }
}

/// How distances are measured.
#[derive(Debug, Clone, Copy)]
pub enum Method<'a> {
    /// Over the road network of a profile.
    Network(&'a Network),
    /// Great-circle distance times [`Params::detour_factor`]; every value approximate.
    StraightLine,
}

/// A legal but awkward record, reported with the result rather than aborting it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Finding {
    /// An origin farther than the snapping limit from every road; it gets no distance.
    OriginOffNetwork {
        /// The origin's id.
        origin: String,
        /// Distance to the nearest road, in metres.
        distance_m: f64,
    },
    /// A facility farther than the snapping limit from every road; it is left out.
    FacilityOffNetwork {
        /// The facility's id.
        facility: String,
        /// Its kind.
        kind: String,
        /// Distance to the nearest road, in metres.
        distance_m: f64,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::OriginOffNetwork { origin, distance_m } => write!(
                f,
                "origin `{origin}`: {distance_m:.0} m from the nearest road, left out"
            ),
            Finding::FacilityOffNetwork {
                facility,
                kind,
                distance_m,
            } => write!(
                f,
                "facility `{facility}` ({kind}): {distance_m:.0} m from the nearest road, left out"
            ),
        }
    }
}

/// Reach of one kind from one origin.
///
/// # Units
/// `nearest_distance_m` in metres, `nearest_time_s` in seconds; `within_radius[i]` counts the
/// facilities within `radii_m[i]` of [`KindReach`].
#[derive(Debug, Clone, PartialEq)]
pub struct OriginReach {
    /// Distance to the nearest facility (`None`: off network or no facility reachable).
    pub nearest_distance_m: Option<f64>,
    /// Index (into the facility slice given) of the nearest facility by distance.
    pub nearest_facility: Option<usize>,
    /// Travel time to the quickest facility (network only).
    pub nearest_time_s: Option<f64>,
    /// Number of facilities within each radius.
    pub within_radius: Vec<u32>,
    /// True for straight-line values.
    pub approximate: bool,
}

/// Person-weighted reach of one kind in one area.
///
/// # Units
/// Means in metres and seconds; shares as fractions 0–1 of the persons with a value.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaReach {
    /// The area.
    pub area: AreaCode,
    /// Inhabitants of the area's origins.
    pub persons: f64,
    /// Inhabitants without a value (off network).
    pub persons_unreached: f64,
    /// Person-weighted mean distance to the nearest facility.
    pub mean_distance_m: Option<f64>,
    /// Person-weighted mean time to the quickest facility (network only).
    pub mean_time_s: Option<f64>,
    /// Share of persons within each of [`Params::distance_thresholds_m`].
    pub share_within_m: Vec<f64>,
    /// Share within each of [`Params::time_thresholds_s`] (empty for straight line).
    pub share_within_s: Vec<f64>,
    /// Person-weighted mean count of facilities within each radius.
    pub mean_within_radius: Vec<f64>,
    /// True for straight-line values.
    pub approximate: bool,
}

/// Reach of one facility kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindReach {
    /// The kind.
    pub kind: String,
    /// `network:<profile>` or `straight_line:<factor>`, to be recorded as the method.
    pub method: String,
    /// Radii of the counts, in metres.
    pub radii_m: Vec<f64>,
    /// Per origin, in the order given.
    pub origins: Vec<OriginReach>,
    /// Per area, sorted by code.
    pub areas: Vec<AreaReach>,
}

/// A scenario: facilities closed (by id) and opened.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Ids of facilities to close.
    pub close: Vec<String>,
    /// New facilities (their kind must be the scenario's kind).
    pub open: Vec<Facility>,
}

/// What a scenario changes in one area.
///
/// # Units
/// Distances in metres; persons as counts; `persons_newly_beyond[i]` refers to
/// [`Params::distance_thresholds_m`]`[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaChange {
    /// The area.
    pub area: AreaCode,
    /// Mean distance before.
    pub mean_distance_before_m: Option<f64>,
    /// Mean distance after.
    pub mean_distance_after_m: Option<f64>,
    /// After minus before.
    pub change_m: Option<f64>,
    /// Persons within the threshold before and beyond it (or unreached) after.
    pub persons_newly_beyond: Vec<f64>,
    /// Persons beyond the threshold before and within it after.
    pub persons_newly_within: Vec<f64>,
}

/// The outcome of a scenario for one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioOutcome {
    /// The kind.
    pub kind: String,
    /// Per area, sorted by code (all areas, changed or not).
    pub areas: Vec<AreaChange>,
    /// Per origin, the new nearest distance in metres.
    pub origin_distance_m: Vec<Option<f64>>,
    /// Graph nodes whose nearest facility was recomputed.
    pub nodes_updated: usize,
    /// Findings about opened facilities.
    pub findings: Vec<Finding>,
}

/// Best (cost, facility) of one origin for one kind, in centimetres or milliseconds.
type Best = Option<(u64, u32)>;

#[derive(Debug)]
struct KindState {
    kind: String,
    /// Indices into the facility slice, in input order; the position is the local index.
    facilities: Vec<usize>,
    snaps: Vec<Option<Snap>>,
    seeds_distance: Vec<Seed>,
    field_distance: NearestField,
    field_time: NearestField,
    /// Local facilities per street, for origins on the same street as a facility.
    on_street: BTreeMap<u32, Vec<u32>>,
    best_distance: Vec<Best>,
    best_time: Vec<Best>,
    within: Vec<Vec<u32>>,
}

/// Prepared reach computation: origins and facilities snapped, one field per kind and metric.
///
/// Prepare once, then ask for the report and for any number of scenarios.
#[derive(Debug)]
pub struct ReachModel<'a> {
    method: Method<'a>,
    params: Params,
    origins: &'a [Origin],
    facilities: &'a [Facility],
    origin_snaps: Vec<Option<Snap>>,
    kinds: Vec<KindState>,
    findings: Vec<Finding>,
}

fn check_point(what: &'static str, id: &str, p: Wgs84Point) -> Result<(), NetworkError> {
    if p.is_valid() {
        Ok(())
    } else {
        Err(NetworkError::BadCoordinate {
            what,
            record: id.to_owned(),
            lon: p.lon,
            lat: p.lat,
        })
    }
}

/// The lower of `best` and `candidate`, comparing (cost, facility).
fn better(best: Best, candidate: (u64, u32)) -> (u64, u32) {
    best.map_or(candidate, |b| b.min(candidate))
}

fn cm_to_m(cost: u64) -> f64 {
    cost as f64 / 100.0
}

fn ms_to_s(cost: u64) -> f64 {
    cost as f64 / 1000.0
}

impl<'a> ReachModel<'a> {
    /// Validates and snaps the records and runs one multi-source search per kind and metric.
    pub fn prepare(
        method: Method<'a>,
        origins: &'a [Origin],
        facilities: &'a [Facility],
        params: Params,
    ) -> Result<ReachModel<'a>, NetworkError> {
        for o in origins {
            check_point("origin", &o.id, o.point)?;
        }
        for f in facilities {
            check_point("facility", &f.id, f.point)?;
        }
        let mut findings = Vec::new();
        let origin_snaps: Vec<Option<Snap>> = match method {
            Method::Network(network) => origins
                .iter()
                .map(|o| {
                    let snap = network.snap(o.point)?;
                    if snap.leg_m > params.max_snap_m {
                        findings.push(Finding::OriginOffNetwork {
                            origin: o.id.clone(),
                            distance_m: snap.leg_m,
                        });
                        None
                    } else {
                        Some(snap)
                    }
                })
                .collect(),
            Method::StraightLine => vec![None; origins.len()],
        };
        let mut by_kind: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, f) in facilities.iter().enumerate() {
            by_kind.entry(f.kind.as_str()).or_default().push(i);
        }
        let mut model = ReachModel {
            method,
            params,
            origins,
            facilities,
            origin_snaps,
            kinds: Vec::new(),
            findings,
        };
        let mut calculator = NearestCalculator::new();
        for (kind, members) in by_kind {
            let state = model.prepare_kind(&mut calculator, kind, members);
            model.kinds.push(state);
        }
        Ok(model)
    }

    fn snap_facility(&mut self, facility: &Facility) -> Option<Snap> {
        let Method::Network(network) = self.method else {
            return None;
        };
        let snap = network.snap(facility.point)?;
        if snap.leg_m > self.params.max_snap_m {
            self.findings.push(Finding::FacilityOffNetwork {
                facility: facility.id.clone(),
                kind: facility.kind.clone(),
                distance_m: snap.leg_m,
            });
            return None;
        }
        Some(snap)
    }

    fn prepare_kind(
        &mut self,
        calculator: &mut NearestCalculator,
        kind: &str,
        members: Vec<usize>,
    ) -> KindState {
        let snaps: Vec<Option<Snap>> = members
            .iter()
            .map(|&i| self.snap_facility(&self.facilities[i]))
            .collect();
        let mut state = KindState {
            kind: kind.to_owned(),
            facilities: members,
            snaps,
            seeds_distance: Vec::new(),
            field_distance: NearestField::unreached(0),
            field_time: NearestField::unreached(0),
            on_street: BTreeMap::new(),
            best_distance: Vec::new(),
            best_time: Vec::new(),
            within: Vec::new(),
        };
        if let Method::Network(network) = self.method {
            let mut seeds_time = Vec::new();
            for (local, snap) in state.snaps.iter().enumerate() {
                if let Some(snap) = snap {
                    let local = idx(local);
                    state
                        .seeds_distance
                        .extend(network.seeds(snap, local, Metric::Distance));
                    seeds_time.extend(network.seeds(snap, local, Metric::Time));
                    state.on_street.entry(snap.street).or_default().push(local);
                }
            }
            state.field_distance =
                calculator.nearest(network.reversed(), Metric::Distance, &state.seeds_distance);
            state.field_time = calculator.nearest(network.reversed(), Metric::Time, &seeds_time);
        }
        let no_extra: &[(u32, Snap)] = &[];
        state.best_distance = (0..self.origins.len())
            .map(|o| {
                self.origin_best(
                    &state,
                    o,
                    Metric::Distance,
                    &state.field_distance,
                    &|_| false,
                    no_extra,
                    &[],
                )
            })
            .collect();
        state.best_time = match self.method {
            Method::Network(_) => (0..self.origins.len())
                .map(|o| {
                    self.origin_best(
                        &state,
                        o,
                        Metric::Time,
                        &state.field_time,
                        &|_| false,
                        no_extra,
                        &[],
                    )
                })
                .collect(),
            Method::StraightLine => vec![None; self.origins.len()],
        };
        state.within = self.count_within(calculator, &state);
        state
    }

    /// The nearest open facility of one origin: over the network through the street's exits
    /// and directly along a shared street, or by straight line.
    #[expect(
        clippy::too_many_arguments,
        reason = "internal helper shared by report and scenarios"
    )]
    fn origin_best(
        &self,
        state: &KindState,
        origin: usize,
        metric: Metric,
        field: &NearestField,
        is_closed: &dyn Fn(u32) -> bool,
        opened_snaps: &[(u32, Snap)],
        opened_points: &[(u32, Wgs84Point)],
    ) -> Best {
        match self.method {
            Method::StraightLine => {
                let point = self.origins[origin].point;
                let existing = state
                    .facilities
                    .iter()
                    .enumerate()
                    .filter(|(local, _)| !is_closed(idx(*local)))
                    .map(|(local, &i)| (idx(local), self.facilities[i].point));
                existing
                    .chain(opened_points.iter().copied())
                    .map(|(local, p)| {
                        let m = haversine_m(point, p) * self.params.detour_factor;
                        (round_u64(m * 100.0), local)
                    })
                    .min()
            }
            Method::Network(network) => {
                let snap = self.origin_snaps[origin].as_ref()?;
                let leg = u64::from(network.leg_cost(snap, metric));
                let mut best: Best = None;
                for (node, along) in network.exits(snap, metric).into_iter().flatten() {
                    if let Some((cost, facility)) = field.nearest(node) {
                        let candidate = (leg + u64::from(along) + u64::from(cost), facility);
                        best = Some(better(best, candidate));
                    }
                }
                let same_street = state
                    .on_street
                    .get(&snap.street)
                    .into_iter()
                    .flatten()
                    .filter(|&&local| !is_closed(local))
                    .map(|&local| (local, state.snaps[local as usize].expect("snapped")))
                    .chain(
                        opened_snaps
                            .iter()
                            .copied()
                            .filter(|(_, s)| s.street == snap.street),
                    );
                for (local, facility_snap) in same_street {
                    if let Some(along) = network.direct(snap, &facility_snap, metric) {
                        let cost = leg
                            + u64::from(along)
                            + u64::from(network.leg_cost(&facility_snap, metric));
                        let candidate = (cost, local);
                        best = Some(better(best, candidate));
                    }
                }
                best
            }
        }
    }

    /// Facilities within each radius of every origin: one bounded search per facility.
    fn count_within(&self, calculator: &mut NearestCalculator, state: &KindState) -> Vec<Vec<u32>> {
        let radii = self.params.radii_for(&state.kind);
        let radii_cm: Vec<u64> = radii.iter().map(|r| round_u64(r * 100.0)).collect();
        let mut counts = vec![vec![0u32; radii.len()]; self.origins.len()];
        let max_cm = radii_cm.iter().copied().max().unwrap_or(0);
        let tally = |counts: &mut Vec<Vec<u32>>, origin: usize, cost: u64| {
            for (count, &r) in counts[origin].iter_mut().zip(&radii_cm) {
                if cost <= r {
                    *count += 1;
                }
            }
        };
        match self.method {
            Method::StraightLine => {
                for (o, origin) in self.origins.iter().enumerate() {
                    for &i in &state.facilities {
                        let m = haversine_m(origin.point, self.facilities[i].point)
                            * self.params.detour_factor;
                        tally(&mut counts, o, round_u64(m * 100.0));
                    }
                }
            }
            Method::Network(network) => {
                // Origins by exit node, so a search from a facility finds them as it settles.
                let mut by_node: Vec<(u32, u32, u64)> = Vec::new();
                for (o, snap) in self.origin_snaps.iter().enumerate() {
                    if let Some(snap) = snap {
                        let leg = u64::from(network.leg_cost(snap, Metric::Distance));
                        for (node, along) in
                            network.exits(snap, Metric::Distance).into_iter().flatten()
                        {
                            by_node.push((node, idx(o), leg + u64::from(along)));
                        }
                    }
                }
                by_node.sort_unstable();
                let mut by_street: Vec<(u32, u32)> = self
                    .origin_snaps
                    .iter()
                    .enumerate()
                    .filter_map(|(o, snap)| snap.map(|s| (s.street, idx(o))))
                    .collect();
                by_street.sort_unstable();
                let mut best = vec![u64::MAX; self.origins.len()];
                let mut touched: Vec<u32> = Vec::new();
                let limit = u32::try_from(max_cm).unwrap_or(u32::MAX);
                for (local, snap) in state.snaps.iter().enumerate() {
                    let Some(snap) = snap else { continue };
                    let seeds = network.seeds(snap, idx(local), Metric::Distance);
                    calculator.within(
                        network.reversed(),
                        Metric::Distance,
                        &seeds,
                        limit,
                        |node, cost| {
                            let start = by_node.partition_point(|e| e.0 < node);
                            for &(_, o, exit) in by_node[start..].iter().take_while(|e| e.0 == node)
                            {
                                let candidate = exit + u64::from(cost);
                                if best[o as usize] == u64::MAX {
                                    touched.push(o);
                                }
                                best[o as usize] = best[o as usize].min(candidate);
                            }
                        },
                    );
                    // Origins on the facility's own street may reach it directly.
                    let first = by_street.partition_point(|e| e.0 < snap.street);
                    for &(_, o) in by_street[first..].iter().take_while(|e| e.0 == snap.street) {
                        let o = o as usize;
                        let origin_snap =
                            self.origin_snaps[o].expect("indexed origins are snapped");
                        if let Some(along) = network.direct(&origin_snap, snap, Metric::Distance) {
                            let cost = u64::from(network.leg_cost(&origin_snap, Metric::Distance))
                                + u64::from(along)
                                + u64::from(network.leg_cost(snap, Metric::Distance));
                            if best[o] == u64::MAX {
                                touched.push(idx(o));
                            }
                            best[o] = best[o].min(cost);
                        }
                    }
                    for o in touched.drain(..) {
                        tally(&mut counts, o as usize, best[o as usize]);
                        best[o as usize] = u64::MAX;
                    }
                }
            }
        }
        counts
    }

    /// Findings from preparation (records that could not be placed).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The facility kinds, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|k| k.kind.as_str())
    }

    fn method_name(&self) -> String {
        match self.method {
            Method::Network(network) => format!("network:{}", network.profile()),
            Method::StraightLine => format!("straight_line:{}", self.params.detour_factor),
        }
    }

    fn approximate(&self) -> bool {
        matches!(self.method, Method::StraightLine)
    }

    /// Reach of every kind.
    pub fn report(&self) -> Vec<KindReach> {
        self.kinds
            .iter()
            .map(|state| self.kind_reach(state))
            .collect()
    }

    /// Reach of one kind, if there are facilities of it.
    pub fn kind_report(&self, kind: &str) -> Option<KindReach> {
        self.kinds
            .iter()
            .find(|k| k.kind == kind)
            .map(|state| self.kind_reach(state))
    }

    fn kind_reach(&self, state: &KindState) -> KindReach {
        let approximate = self.approximate();
        let origins: Vec<OriginReach> = (0..self.origins.len())
            .map(|o| OriginReach {
                nearest_distance_m: state.best_distance[o].map(|(c, _)| cm_to_m(c)),
                nearest_facility: state.best_distance[o].map(|(_, f)| state.facilities[f as usize]),
                nearest_time_s: state.best_time[o].map(|(c, _)| ms_to_s(c)),
                within_radius: state.within[o].clone(),
                approximate,
            })
            .collect();
        let areas = self.aggregate(&origins);
        KindReach {
            kind: state.kind.clone(),
            method: self.method_name(),
            radii_m: self.params.radii_for(&state.kind).to_vec(),
            origins,
            areas,
        }
    }

    fn aggregate(&self, reach: &[OriginReach]) -> Vec<AreaReach> {
        #[derive(Default)]
        struct Acc {
            persons: f64,
            with_distance: f64,
            sum_distance: f64,
            with_time: f64,
            sum_time: f64,
            within_m: Vec<f64>,
            within_s: Vec<f64>,
            sum_radius: Vec<f64>,
        }
        let p = &self.params;
        let mut areas: BTreeMap<&AreaCode, Acc> = BTreeMap::new();
        for (origin, r) in self.origins.iter().zip(reach) {
            for area in &origin.areas {
                let acc = areas.entry(area).or_insert_with(|| Acc {
                    within_m: vec![0.0; p.distance_thresholds_m.len()],
                    within_s: vec![0.0; p.time_thresholds_s.len()],
                    sum_radius: vec![0.0; r.within_radius.len()],
                    ..Acc::default()
                });
                let w = origin.persons;
                acc.persons += w;
                if let Some(d) = r.nearest_distance_m {
                    acc.with_distance += w;
                    acc.sum_distance += w * d;
                    for (share, &t) in acc.within_m.iter_mut().zip(&p.distance_thresholds_m) {
                        if d <= t {
                            *share += w;
                        }
                    }
                    for (sum, &n) in acc.sum_radius.iter_mut().zip(&r.within_radius) {
                        *sum += w * f64::from(n);
                    }
                }
                if let Some(s) = r.nearest_time_s {
                    acc.with_time += w;
                    acc.sum_time += w * s;
                    for (share, &t) in acc.within_s.iter_mut().zip(&p.time_thresholds_s) {
                        if s <= t {
                            *share += w;
                        }
                    }
                }
            }
        }
        let ratio = |num: f64, den: f64| if den > 0.0 { Some(num / den) } else { None };
        areas
            .into_iter()
            .map(|(area, acc)| AreaReach {
                area: area.clone(),
                persons: acc.persons,
                persons_unreached: acc.persons - acc.with_distance,
                mean_distance_m: ratio(acc.sum_distance, acc.with_distance),
                mean_time_s: ratio(acc.sum_time, acc.with_time),
                share_within_m: acc
                    .within_m
                    .iter()
                    .filter_map(|&n| ratio(n, acc.with_distance))
                    .collect(),
                share_within_s: acc
                    .within_s
                    .iter()
                    .filter_map(|&n| ratio(n, acc.with_time))
                    .collect(),
                mean_within_radius: acc
                    .sum_radius
                    .iter()
                    .filter_map(|&n| ratio(n, acc.with_distance))
                    .collect(),
                approximate: self.approximate(),
            })
            .collect()
    }

    /// Closes and opens facilities of `kind` and reports the change per area.
    ///
    /// Only nodes whose nearest facility closed (or that a new facility is nearer to) are
    /// searched again ([`NearestCalculator::update`]); the origins are then re-read from the
    /// updated field. Distance only: counts within radii and travel times are not recomputed.
    pub fn scenario(
        &self,
        kind: &str,
        scenario: &Scenario,
    ) -> Result<ScenarioOutcome, NetworkError> {
        let state = self.kinds.iter().find(|k| k.kind == kind).ok_or_else(|| {
            NetworkError::UnknownFacility {
                kind: kind.to_owned(),
                id: scenario.close.first().cloned().unwrap_or_default(),
            }
        })?;
        let mut closed = vec![false; state.facilities.len()];
        for id in &scenario.close {
            let local = state
                .facilities
                .iter()
                .position(|&i| self.facilities[i].id == *id)
                .ok_or_else(|| NetworkError::UnknownFacility {
                    kind: kind.to_owned(),
                    id: id.clone(),
                })?;
            closed[local] = true;
        }
        let is_closed = |f: u32| closed.get(f as usize).copied().unwrap_or(false);
        let mut findings = Vec::new();
        let mut opened_snaps = Vec::new();
        let mut opened_points = Vec::new();
        let mut opened_seeds = Vec::new();
        for (i, facility) in scenario.open.iter().enumerate() {
            check_point("facility", &facility.id, facility.point)?;
            let local = idx(state.facilities.len() + i);
            opened_points.push((local, facility.point));
            if let Method::Network(network) = self.method {
                let snap = network.snap(facility.point);
                match snap {
                    Some(snap) if snap.leg_m <= self.params.max_snap_m => {
                        opened_seeds.extend(network.seeds(&snap, local, Metric::Distance));
                        opened_snaps.push((local, snap));
                    }
                    _ => findings.push(Finding::FacilityOffNetwork {
                        facility: facility.id.clone(),
                        kind: kind.to_owned(),
                        distance_m: snap.map_or(f64::INFINITY, |s| s.leg_m),
                    }),
                }
            }
        }
        let mut field = state.field_distance.clone();
        let mut nodes_updated = 0;
        if let Method::Network(network) = self.method {
            let changed = NearestCalculator::new().update(
                network.graph(),
                network.reversed(),
                Metric::Distance,
                &mut field,
                &state.seeds_distance,
                is_closed,
                &opened_seeds,
            );
            nodes_updated = changed.len();
        }
        let after: Vec<Best> = (0..self.origins.len())
            .map(|o| {
                self.origin_best(
                    state,
                    o,
                    Metric::Distance,
                    &field,
                    &is_closed,
                    &opened_snaps,
                    &opened_points,
                )
            })
            .collect();
        Ok(ScenarioOutcome {
            kind: kind.to_owned(),
            areas: self.compare(&state.best_distance, &after),
            origin_distance_m: after.iter().map(|b| b.map(|(c, _)| cm_to_m(c))).collect(),
            nodes_updated,
            findings,
        })
    }

    fn compare(&self, before: &[Best], after: &[Best]) -> Vec<AreaChange> {
        #[derive(Default)]
        struct Acc {
            n_before: f64,
            sum_before: f64,
            n_after: f64,
            sum_after: f64,
            beyond: Vec<f64>,
            within: Vec<f64>,
        }
        let thresholds = &self.params.distance_thresholds_m;
        let mut areas: BTreeMap<&AreaCode, Acc> = BTreeMap::new();
        for (o, origin) in self.origins.iter().enumerate() {
            let b = before[o].map(|(c, _)| cm_to_m(c));
            let a = after[o].map(|(c, _)| cm_to_m(c));
            for area in &origin.areas {
                let acc = areas.entry(area).or_insert_with(|| Acc {
                    beyond: vec![0.0; thresholds.len()],
                    within: vec![0.0; thresholds.len()],
                    ..Acc::default()
                });
                let w = origin.persons;
                if let Some(b) = b {
                    acc.n_before += w;
                    acc.sum_before += w * b;
                }
                if let Some(a) = a {
                    acc.n_after += w;
                    acc.sum_after += w * a;
                }
                for (i, &t) in thresholds.iter().enumerate() {
                    let was_within = b.is_some_and(|b| b <= t);
                    let is_within = a.is_some_and(|a| a <= t);
                    if was_within && !is_within {
                        acc.beyond[i] += w;
                    }
                    if !was_within && is_within {
                        acc.within[i] += w;
                    }
                }
            }
        }
        let mean = |sum: f64, n: f64| (n > 0.0).then(|| sum / n);
        areas
            .into_iter()
            .map(|(area, acc)| {
                let before = mean(acc.sum_before, acc.n_before);
                let after = mean(acc.sum_after, acc.n_after);
                AreaChange {
                    area: area.clone(),
                    mean_distance_before_m: before,
                    mean_distance_after_m: after,
                    change_m: before.zip(after).map(|(b, a)| a - b),
                    persons_newly_beyond: acc.beyond,
                    persons_newly_within: acc.within,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
