//! Reach of facilities: per origin the nearest facility of each kind (distance and time) and
//! the number within given radii; per area the person-weighted mean, the share of persons
//! within each threshold and the number beyond it; and closure/opening scenarios computed
//! incrementally.
//!
//! Values in, values out: callers read the files and hand over [`Origin`]s and [`Facility`]s.
//! Records that are legal but cannot be placed (a point farther than [`Params::max_snap_m`] from
//! any road of the profile) do not abort the computation; they come back as [`Finding`]s naming
//! the record, and their persons are counted as `persons_unreached`.
//!
//! Without a road network, [`Method::StraightLine`] uses the great-circle distance times
//! [`Params::detour_factor`] (default 1.3) and flags every value `approximate`; its travel time
//! is that distance divided by [`Params::straight_line_speed_m_per_s`] (the profile's speed,
//! [`crate::Profile::straight_line_speed_m_per_s`]), so the quickest facility is the nearest.
//! The factor: ratios of road to straight-line distance ("circuity") reported for road
//! networks lie mostly between 1.2 and 1.4 (Ballou, Rahardja & Sakai 2002, *Transportation
//! Research A* 36(9): 843–848, 1.2–1.4 across countries; Boscoe, Henry & Zdeb 2012,
//! *Professional Geographer* 64(2): 188–196, 1.2–1.4 for US regions, higher for short trips
//! and sparse rural networks); `docs/methods/reach.md` gives the ratios measured on the OSM
//! extracts we have (the `detour_factors` example) and why the bundle's factor was chosen.
//! Straight-line searches go through an R-tree of points on the sphere (`reach/straight.rs`),
//! so a model of tens of thousands of origins is prepared in well under a second.
//!
//! A scenario updates distances, times and the counts within radii: over a network, the
//! nearest-facility fields of both metrics are updated incrementally
//! ([`NearestCalculator::update`]) and the counts by one bounded search from each closed or
//! opened facility; by straight line, only the origins whose nearest facility closed look
//! again, and the counts change for the origins within the largest radius of each facility.

use std::collections::BTreeMap;
use std::fmt;

use leefbaar_model::AreaCode;

use crate::error::NetworkError;
use crate::geo::{Wgs84Point, haversine_m};
use crate::graph::{Metric, idx, round_u64};
use crate::network::{Network, Snap};
use crate::search::{NearestCalculator, NearestField, Seed};

mod straight;

use straight::PointIndex;

/// An origin: a point where people live (an address, a grid cell's part, a postcode centroid).
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
    /// Areas the origin lies in (neighbourhood, district, municipality, postcode area …).
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
/// Radii, thresholds and snapping limit in metres; time thresholds in seconds; the
/// straight-line speed in metres per second.
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
    /// Travel speed for straight-line times ([`Method::StraightLine`]); `None` gives no times
    /// without a network.
    pub straight_line_speed_m_per_s: Option<f64>,
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
            straight_line_speed_m_per_s: None,
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
    /// Travel time to the quickest facility (over a network, or straight line at the
    /// profile's speed; `None` without either).
    pub nearest_time_s: Option<f64>,
    /// Number of facilities within each radius.
    pub within_radius: Vec<u32>,
    /// True for straight-line values.
    pub approximate: bool,
}

/// Person-weighted reach of one kind in one area.
///
/// # Units
/// Means in metres and seconds; shares as fractions 0–1 of the persons with a value; persons
/// beyond a threshold as counts (persons without a value are beyond every threshold).
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
    /// Person-weighted mean time to the quickest facility.
    pub mean_time_s: Option<f64>,
    /// Share of persons within each of [`Params::distance_thresholds_m`].
    pub share_within_m: Vec<f64>,
    /// Share within each of [`Params::time_thresholds_s`] (empty without times).
    pub share_within_s: Vec<f64>,
    /// Persons beyond each of [`Params::distance_thresholds_m`].
    pub persons_beyond_m: Vec<f64>,
    /// Persons beyond each of [`Params::time_thresholds_s`] (empty without times).
    pub persons_beyond_s: Vec<f64>,
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
/// Distances in metres, times in seconds; persons as counts; `persons_newly_beyond[i]` refers
/// to [`Params::distance_thresholds_m`]`[i]` and `persons_newly_beyond_s[i]` to
/// [`Params::time_thresholds_s`]`[i]`; counts within radii as person-weighted means.
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
    /// Mean time before.
    pub mean_time_before_s: Option<f64>,
    /// Mean time after.
    pub mean_time_after_s: Option<f64>,
    /// After minus before, in seconds.
    pub change_s: Option<f64>,
    /// Persons within the threshold before and beyond it (or unreached) after.
    pub persons_newly_beyond: Vec<f64>,
    /// Persons beyond the threshold before and within it after.
    pub persons_newly_within: Vec<f64>,
    /// Persons within the time threshold before and beyond it after.
    pub persons_newly_beyond_s: Vec<f64>,
    /// Persons beyond the time threshold before and within it after.
    pub persons_newly_within_s: Vec<f64>,
    /// Person-weighted mean count of facilities within each radius, before.
    pub mean_within_radius_before: Vec<f64>,
    /// The same after.
    pub mean_within_radius_after: Vec<f64>,
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
    /// Per origin, the new time to the quickest facility in seconds.
    pub origin_time_s: Vec<Option<f64>>,
    /// Per origin, the new number of facilities within each radius.
    pub origin_within_radius: Vec<Vec<u32>>,
    /// Graph nodes whose nearest facility was recomputed (both metrics together).
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
    seeds_time: Vec<Seed>,
    field_distance: NearestField,
    field_time: NearestField,
    /// Local facilities per street, for origins on the same street as a facility.
    on_street: BTreeMap<u32, Vec<u32>>,
    /// Straight line: the facilities' positions, by local index.
    index: Option<PointIndex>,
    best_distance: Vec<Best>,
    best_time: Vec<Best>,
    within: Vec<Vec<u32>>,
}

/// Where the origins meet a network: per exit node the origins leaving through it (with the
/// cost of their leg and stretch of street), and per street the origins on it.
#[derive(Debug, Default)]
struct OriginExits {
    /// (node, origin, cost in cm from the origin to the node), sorted.
    by_node: Vec<(u32, u32, u64)>,
    /// (street, origin), sorted.
    by_street: Vec<(u32, u32)>,
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
    /// Network: the origins by exit node and street, for counts within radii.
    exits: OriginExits,
    /// Straight line: the origins' positions, for counts after a scenario.
    origin_index: Option<PointIndex>,
    kinds: Vec<KindState>,
    findings: Vec<Finding>,
}

/// A point's coordinates, or the record's error naming what it is and its id.
pub(crate) fn check_point(what: &'static str, id: &str, p: Wgs84Point) -> Result<(), NetworkError> {
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

/// Adds `sign` (+1 or −1) to the counts of the radii that `cost` lies within.
fn tally(counts: &mut [u32], radii_cm: &[u64], cost: u64, sign: i32) {
    for (count, &r) in counts.iter_mut().zip(radii_cm) {
        if cost <= r {
            *count = count.saturating_add_signed(sign);
        }
    }
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
        let (exits, origin_index) = match method {
            Method::Network(network) => (origin_exits(network, &origin_snaps), None),
            Method::StraightLine => (
                OriginExits::default(),
                Some(PointIndex::new(origins.iter().map(|o| o.point).collect())),
            ),
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
            exits,
            origin_index,
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
        let index = matches!(self.method, Method::StraightLine)
            .then(|| PointIndex::new(members.iter().map(|&i| self.facilities[i].point).collect()));
        let mut state = KindState {
            kind: kind.to_owned(),
            facilities: members,
            snaps,
            seeds_distance: Vec::new(),
            seeds_time: Vec::new(),
            field_distance: NearestField::unreached(0),
            field_time: NearestField::unreached(0),
            on_street: BTreeMap::new(),
            index,
            best_distance: Vec::new(),
            best_time: Vec::new(),
            within: Vec::new(),
        };
        if let Method::Network(network) = self.method {
            for (local, snap) in state.snaps.iter().enumerate() {
                if let Some(snap) = snap {
                    let local = idx(local);
                    state
                        .seeds_distance
                        .extend(network.seeds(snap, local, Metric::Distance));
                    state
                        .seeds_time
                        .extend(network.seeds(snap, local, Metric::Time));
                    state.on_street.entry(snap.street).or_default().push(local);
                }
            }
            state.field_distance =
                calculator.nearest(network.reversed(), Metric::Distance, &state.seeds_distance);
            state.field_time =
                calculator.nearest(network.reversed(), Metric::Time, &state.seeds_time);
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
        state.best_time = self.times(
            &state,
            &state.field_time,
            &state.best_distance,
            &|_| false,
            no_extra,
        );
        state.within = self.count_within(calculator, &state);
        state
    }

    /// Travel times of every origin: over the network from the time field, or by straight
    /// line from the distances at the profile's speed (the nearest is then the quickest).
    fn times(
        &self,
        state: &KindState,
        field: &NearestField,
        distances: &[Best],
        is_closed: &dyn Fn(u32) -> bool,
        opened_snaps: &[(u32, Snap)],
    ) -> Vec<Best> {
        match self.method {
            Method::Network(_) => (0..self.origins.len())
                .map(|o| {
                    self.origin_best(state, o, Metric::Time, field, is_closed, opened_snaps, &[])
                })
                .collect(),
            Method::StraightLine => match self.params.straight_line_speed_m_per_s {
                Some(speed) if speed > 0.0 => distances
                    .iter()
                    .map(|best| {
                        best.map(|(cm, f)| (round_u64(cm as f64 / 100.0 / speed * 1000.0), f))
                    })
                    .collect(),
                _ => vec![None; self.origins.len()],
            },
        }
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
                let detour = self.params.detour_factor;
                let existing = state
                    .index
                    .as_ref()
                    .and_then(|index| index.nearest(point, detour, is_closed));
                opened_points
                    .iter()
                    .map(|&(local, p)| (round_u64(haversine_m(point, p) * detour * 100.0), local))
                    .fold(existing, |best, candidate| Some(better(best, candidate)))
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

    fn radii_cm(&self, kind: &str) -> Vec<u64> {
        self.params
            .radii_for(kind)
            .iter()
            .map(|r| round_u64(r * 100.0))
            .collect()
    }

    /// Facilities within each radius of every origin: one bounded search per facility (or an
    /// R-tree query per origin by straight line).
    fn count_within(&self, calculator: &mut NearestCalculator, state: &KindState) -> Vec<Vec<u32>> {
        let radii_cm = self.radii_cm(&state.kind);
        let mut counts = vec![vec![0u32; radii_cm.len()]; self.origins.len()];
        let max_cm = radii_cm.iter().copied().max().unwrap_or(0);
        match self.method {
            Method::StraightLine => {
                let index = state
                    .index
                    .as_ref()
                    .expect("straight-line kinds are indexed");
                for (o, origin) in self.origins.iter().enumerate() {
                    for (_, cost) in
                        index.within(origin.point, self.params.detour_factor, cm_to_m(max_cm))
                    {
                        tally(&mut counts[o], &radii_cm, cost, 1);
                    }
                }
            }
            Method::Network(network) => {
                let mut scratch = Scratch::new(self.origins.len());
                for snap in state.snaps.iter().flatten() {
                    self.origins_within(
                        calculator,
                        network,
                        snap,
                        max_cm,
                        &mut scratch,
                        |o, cost| {
                            tally(&mut counts[o], &radii_cm, cost, 1);
                        },
                    );
                }
            }
        }
        counts
    }

    /// Every origin within `within_m` of a facility placed at `point`, with its distance, in
    /// origin order: over the network (one bounded search, as the counts within radii use), or
    /// by straight line × the detour factor without one. The coverage set of a candidate site
    /// for placement models; empty when `point` lies farther than `max_snap_m` from every road.
    ///
    /// # Units
    /// Metres.
    pub fn origins_within_point(&self, point: Wgs84Point, within_m: f64) -> Vec<(usize, f64)> {
        let mut found = Vec::new();
        match self.method {
            Method::StraightLine => {
                for (o, origin) in self.origins.iter().enumerate() {
                    let d = haversine_m(origin.point, point) * self.params.detour_factor;
                    if d <= within_m {
                        found.push((o, d));
                    }
                }
            }
            Method::Network(network) => {
                let Some(snap) = network
                    .snap(point)
                    .filter(|s| s.leg_m <= self.params.max_snap_m)
                else {
                    return found;
                };
                let mut calculator = NearestCalculator::new();
                let mut scratch = Scratch::new(self.origins.len());
                self.origins_within(
                    &mut calculator,
                    network,
                    &snap,
                    round_u64(within_m * 100.0),
                    &mut scratch,
                    |o, cost| found.push((o, cm_to_m(cost))),
                );
                found.sort_by_key(|(o, _)| *o);
            }
        }
        found
    }

    /// Every origin within `max_cm` of one facility over the network, with its distance in
    /// centimetres: one bounded search from the facility on the reversed graph, plus the
    /// origins on the facility's own street, which may reach it directly.
    fn origins_within(
        &self,
        calculator: &mut NearestCalculator,
        network: &Network,
        snap: &Snap,
        max_cm: u64,
        scratch: &mut Scratch,
        mut visit: impl FnMut(usize, u64),
    ) {
        let by_node = &self.exits.by_node;
        let limit = u32::try_from(max_cm).unwrap_or(u32::MAX);
        let seeds = network.seeds(snap, 0, Metric::Distance);
        calculator.within(
            network.reversed(),
            Metric::Distance,
            &seeds,
            limit,
            |node, cost| {
                let start = by_node.partition_point(|e| e.0 < node);
                for &(_, o, exit) in by_node[start..].iter().take_while(|e| e.0 == node) {
                    scratch.offer(o as usize, exit + u64::from(cost));
                }
            },
        );
        let by_street = &self.exits.by_street;
        let first = by_street.partition_point(|e| e.0 < snap.street);
        for &(_, o) in by_street[first..].iter().take_while(|e| e.0 == snap.street) {
            let o = o as usize;
            let origin_snap = self.origin_snaps[o].expect("indexed origins are snapped");
            if let Some(along) = network.direct(&origin_snap, snap, Metric::Distance) {
                let cost = u64::from(network.leg_cost(&origin_snap, Metric::Distance))
                    + u64::from(along)
                    + u64::from(network.leg_cost(snap, Metric::Distance));
                scratch.offer(o, cost);
            }
        }
        for (o, cost) in scratch.drain() {
            if cost <= max_cm {
                visit(o, cost);
            }
        }
    }

    /// Findings from preparation (records that could not be placed).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The facility kinds, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|k| k.kind.as_str())
    }

    /// How distances are measured: `network:<profile>` or `straight_line:<detour factor>`.
    pub fn method_name(&self) -> String {
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

    /// Reach of every origin to one kind, without the area aggregates of
    /// [`ReachModel::kind_report`] (for callers that sum origins themselves).
    pub fn kind_origins(&self, kind: &str) -> Option<Vec<OriginReach>> {
        self.kinds
            .iter()
            .find(|k| k.kind == kind)
            .map(|state| self.origin_reach(state))
    }

    fn origin_reach(&self, state: &KindState) -> Vec<OriginReach> {
        let approximate = self.approximate();
        (0..self.origins.len())
            .map(|o| OriginReach {
                nearest_distance_m: state.best_distance[o].map(|(c, _)| cm_to_m(c)),
                nearest_facility: state.best_distance[o].map(|(_, f)| state.facilities[f as usize]),
                nearest_time_s: state.best_time[o].map(|(c, _)| ms_to_s(c)),
                within_radius: state.within[o].clone(),
                approximate,
            })
            .collect()
    }

    fn kind_reach(&self, state: &KindState) -> KindReach {
        let origins = self.origin_reach(state);
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
                persons_beyond_m: acc.within_m.iter().map(|n| acc.persons - n).collect(),
                persons_beyond_s: if acc.with_time > 0.0 {
                    acc.within_s.iter().map(|n| acc.persons - n).collect()
                } else {
                    Vec::new()
                },
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
    /// searched again ([`NearestCalculator::update`]), for distance and for time; the origins
    /// are then re-read from the updated fields, and their counts within radii change by one
    /// bounded search from each closed and opened facility. By straight line only the origins
    /// whose nearest facility closed look again.
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
        let mut opened_seeds = (Vec::new(), Vec::new());
        for (i, facility) in scenario.open.iter().enumerate() {
            check_point("facility", &facility.id, facility.point)?;
            let local = idx(state.facilities.len() + i);
            opened_points.push((local, facility.point));
            if let Method::Network(network) = self.method {
                let snap = network.snap(facility.point);
                match snap {
                    Some(snap) if snap.leg_m <= self.params.max_snap_m => {
                        opened_seeds
                            .0
                            .extend(network.seeds(&snap, local, Metric::Distance));
                        opened_seeds
                            .1
                            .extend(network.seeds(&snap, local, Metric::Time));
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
        let mut field_distance = NearestField::unreached(0);
        let mut field_time = NearestField::unreached(0);
        let mut nodes_updated = 0;
        if let Method::Network(network) = self.method {
            let mut calculator = NearestCalculator::new();
            field_distance = state.field_distance.clone();
            nodes_updated += calculator
                .update(
                    network.graph(),
                    network.reversed(),
                    Metric::Distance,
                    &mut field_distance,
                    &state.seeds_distance,
                    is_closed,
                    &opened_seeds.0,
                )
                .len();
            field_time = state.field_time.clone();
            nodes_updated += calculator
                .update(
                    network.graph(),
                    network.reversed(),
                    Metric::Time,
                    &mut field_time,
                    &state.seeds_time,
                    is_closed,
                    &opened_seeds.1,
                )
                .len();
        }
        let after: Vec<Best> = match self.method {
            Method::Network(_) => (0..self.origins.len())
                .map(|o| {
                    self.origin_best(
                        state,
                        o,
                        Metric::Distance,
                        &field_distance,
                        &is_closed,
                        &opened_snaps,
                        &opened_points,
                    )
                })
                .collect(),
            // Only an origin whose nearest facility closed can get another one; every origin
            // compares its answer with the opened ones.
            Method::StraightLine => state
                .best_distance
                .iter()
                .enumerate()
                .map(|(o, &before)| {
                    let kept = before.filter(|&(_, f)| !is_closed(f));
                    match kept {
                        Some(best) => {
                            let point = self.origins[o].point;
                            let detour = self.params.detour_factor;
                            Some(opened_points.iter().fold(best, |best, &(local, p)| {
                                better(
                                    Some(best),
                                    (round_u64(haversine_m(point, p) * detour * 100.0), local),
                                )
                            }))
                        }
                        None => self.origin_best(
                            state,
                            o,
                            Metric::Distance,
                            &field_distance,
                            &is_closed,
                            &opened_snaps,
                            &opened_points,
                        ),
                    }
                })
                .collect(),
        };
        let after_time = self.times(state, &field_time, &after, &is_closed, &opened_snaps);
        let within_after = self.within_after(state, &closed, &opened_snaps, &opened_points);
        Ok(ScenarioOutcome {
            kind: kind.to_owned(),
            areas: self.compare(
                (&state.best_distance, &after),
                (&state.best_time, &after_time),
                (&state.within, &within_after),
            ),
            origin_distance_m: after.iter().map(|b| b.map(|(c, _)| cm_to_m(c))).collect(),
            origin_time_s: after_time
                .iter()
                .map(|b| b.map(|(c, _)| ms_to_s(c)))
                .collect(),
            origin_within_radius: within_after,
            nodes_updated,
            findings,
        })
    }

    /// The counts within radii after closing `closed` and opening the given facilities: the
    /// counts before, less the closed facilities' and plus the opened ones' reach.
    fn within_after(
        &self,
        state: &KindState,
        closed: &[bool],
        opened_snaps: &[(u32, Snap)],
        opened_points: &[(u32, Wgs84Point)],
    ) -> Vec<Vec<u32>> {
        let radii_cm = self.radii_cm(&state.kind);
        let max_cm = radii_cm.iter().copied().max().unwrap_or(0);
        let mut counts = state.within.clone();
        match self.method {
            Method::StraightLine => {
                let origins = self
                    .origin_index
                    .as_ref()
                    .expect("straight line indexes origins");
                let closed_points = closed
                    .iter()
                    .zip(&state.facilities)
                    .filter(|(c, _)| **c)
                    .map(|(_, &i)| (-1, self.facilities[i].point));
                let opened = opened_points.iter().map(|&(_, p)| (1, p));
                for (sign, point) in closed_points.chain(opened) {
                    for (o, cost) in
                        origins.within(point, self.params.detour_factor, cm_to_m(max_cm))
                    {
                        tally(&mut counts[o as usize], &radii_cm, cost, sign);
                    }
                }
            }
            Method::Network(network) => {
                let mut calculator = NearestCalculator::new();
                let mut scratch = Scratch::new(self.origins.len());
                let closed_snaps = closed
                    .iter()
                    .zip(&state.snaps)
                    .filter(|(c, _)| **c)
                    .filter_map(|(_, s)| s.map(|s| (-1, s)));
                let opened = opened_snaps.iter().map(|&(_, s)| (1, s));
                for (sign, snap) in closed_snaps.chain(opened) {
                    self.origins_within(
                        &mut calculator,
                        network,
                        &snap,
                        max_cm,
                        &mut scratch,
                        |o, cost| {
                            tally(&mut counts[o], &radii_cm, cost, sign);
                        },
                    );
                }
            }
        }
        counts
    }

    fn compare(
        &self,
        distance: (&[Best], &[Best]),
        time: (&[Best], &[Best]),
        within: (&[Vec<u32>], &[Vec<u32>]),
    ) -> Vec<AreaChange> {
        #[derive(Default)]
        struct Side {
            n: f64,
            sum: f64,
        }
        #[derive(Default)]
        struct Acc {
            distance: (Side, Side),
            time: (Side, Side),
            beyond_m: Vec<f64>,
            within_m: Vec<f64>,
            beyond_s: Vec<f64>,
            within_s: Vec<f64>,
            radius: (Vec<f64>, Vec<f64>),
        }
        fn crossings(
            before: Option<f64>,
            after: Option<f64>,
            thresholds: &[f64],
            beyond: &mut [f64],
            within: &mut [f64],
            w: f64,
        ) {
            for (i, &t) in thresholds.iter().enumerate() {
                let was_within = before.is_some_and(|b| b <= t);
                let is_within = after.is_some_and(|a| a <= t);
                if was_within && !is_within {
                    beyond[i] += w;
                }
                if !was_within && is_within {
                    within[i] += w;
                }
            }
        }
        let thresholds_m = &self.params.distance_thresholds_m;
        let thresholds_s = &self.params.time_thresholds_s;
        let mut areas: BTreeMap<&AreaCode, Acc> = BTreeMap::new();
        for (o, origin) in self.origins.iter().enumerate() {
            let d = (
                distance.0[o].map(|(c, _)| cm_to_m(c)),
                distance.1[o].map(|(c, _)| cm_to_m(c)),
            );
            let t = (
                time.0[o].map(|(c, _)| ms_to_s(c)),
                time.1[o].map(|(c, _)| ms_to_s(c)),
            );
            let radii = within.0[o].len();
            for area in &origin.areas {
                let acc = areas.entry(area).or_insert_with(|| Acc {
                    beyond_m: vec![0.0; thresholds_m.len()],
                    within_m: vec![0.0; thresholds_m.len()],
                    beyond_s: vec![0.0; thresholds_s.len()],
                    within_s: vec![0.0; thresholds_s.len()],
                    radius: (vec![0.0; radii], vec![0.0; radii]),
                    ..Acc::default()
                });
                let w = origin.persons;
                for (side, value) in [
                    (&mut acc.distance.0, d.0),
                    (&mut acc.distance.1, d.1),
                    (&mut acc.time.0, t.0),
                    (&mut acc.time.1, t.1),
                ] {
                    if let Some(v) = value {
                        side.n += w;
                        side.sum += w * v;
                    }
                }
                if d.0.is_some() {
                    for (sum, &n) in acc.radius.0.iter_mut().zip(&within.0[o]) {
                        *sum += w * f64::from(n);
                    }
                }
                if d.1.is_some() {
                    for (sum, &n) in acc.radius.1.iter_mut().zip(&within.1[o]) {
                        *sum += w * f64::from(n);
                    }
                }
                crossings(
                    d.0,
                    d.1,
                    thresholds_m,
                    &mut acc.beyond_m,
                    &mut acc.within_m,
                    w,
                );
                if t.0.is_some() || t.1.is_some() {
                    crossings(
                        t.0,
                        t.1,
                        thresholds_s,
                        &mut acc.beyond_s,
                        &mut acc.within_s,
                        w,
                    );
                }
            }
        }
        let mean = |side: &Side| (side.n > 0.0).then(|| side.sum / side.n);
        let means = |sums: &[f64], side: &Side| -> Vec<f64> {
            if side.n > 0.0 {
                sums.iter().map(|s| s / side.n).collect()
            } else {
                Vec::new()
            }
        };
        areas
            .into_iter()
            .map(|(area, acc)| {
                let (before_m, after_m) = (mean(&acc.distance.0), mean(&acc.distance.1));
                let (before_s, after_s) = (mean(&acc.time.0), mean(&acc.time.1));
                let has_times = acc.time.0.n > 0.0 || acc.time.1.n > 0.0;
                AreaChange {
                    area: area.clone(),
                    mean_distance_before_m: before_m,
                    mean_distance_after_m: after_m,
                    change_m: before_m.zip(after_m).map(|(b, a)| a - b),
                    mean_time_before_s: before_s,
                    mean_time_after_s: after_s,
                    change_s: before_s.zip(after_s).map(|(b, a)| a - b),
                    persons_newly_beyond: acc.beyond_m,
                    persons_newly_within: acc.within_m,
                    persons_newly_beyond_s: if has_times { acc.beyond_s } else { Vec::new() },
                    persons_newly_within_s: if has_times { acc.within_s } else { Vec::new() },
                    mean_within_radius_before: means(&acc.radius.0, &acc.distance.0),
                    mean_within_radius_after: means(&acc.radius.1, &acc.distance.1),
                }
            })
            .collect()
    }
}

/// The origins by exit node and by street, sorted for binary search.
fn origin_exits(network: &Network, snaps: &[Option<Snap>]) -> OriginExits {
    let mut by_node: Vec<(u32, u32, u64)> = Vec::new();
    for (o, snap) in snaps.iter().enumerate() {
        if let Some(snap) = snap {
            let leg = u64::from(network.leg_cost(snap, Metric::Distance));
            for (node, along) in network.exits(snap, Metric::Distance).into_iter().flatten() {
                by_node.push((node, idx(o), leg + u64::from(along)));
            }
        }
    }
    by_node.sort_unstable();
    let mut by_street: Vec<(u32, u32)> = snaps
        .iter()
        .enumerate()
        .filter_map(|(o, snap)| snap.map(|s| (s.street, idx(o))))
        .collect();
    by_street.sort_unstable();
    OriginExits { by_node, by_street }
}

/// The best cost per origin found by one facility's search, reset after each facility.
#[derive(Debug)]
struct Scratch {
    best: Vec<u64>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(n_origins: usize) -> Scratch {
        Scratch {
            best: vec![u64::MAX; n_origins],
            touched: Vec::new(),
        }
    }

    fn offer(&mut self, origin: usize, cost: u64) {
        if self.best[origin] == u64::MAX {
            self.touched.push(idx(origin));
        }
        self.best[origin] = self.best[origin].min(cost);
    }

    /// The origins offered since the last drain, with their best cost, in the order first
    /// offered; resets them.
    fn drain(&mut self) -> Vec<(usize, u64)> {
        let out = self
            .touched
            .iter()
            .map(|&o| (o as usize, self.best[o as usize]))
            .collect();
        for o in self.touched.drain(..) {
            self.best[o as usize] = u64::MAX;
        }
        out
    }
}

#[cfg(test)]
mod tests;
