//! Reach of facilities: how far people live from the nearest facility of each kind the
//! bundle declares (`[[reach.kind]]`), and what closing or opening one changes.
//!
//! [`ReachMonitor::prepare`] reads the bundle's origins and facilities and prepares the
//! engine (`leefbaar-network`): without a road network by straight line × 1.3, flagged
//! approximate; with one (`--network FILE.osm.pbf`), over the roads of each kind's own profile
//! (schools by bicycle, hospitals by car), one prepared model per profile. It then answers the
//! per-area tables and the live scenarios, and [`facts`] turns it into facts of summable base
//! variables for the store, whose indicators [`catalogue_entries`] declares from the manifest.
//!
//! Results are typed values in metres and fractions ([`KindTable`], [`ScenarioReport`]); the
//! server and the command line present them.

mod catalogue;
pub mod dasymetric;
mod facts;
pub(crate) mod inputs;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use leefbaar_ingest::{ReachKindSpec, ReachSpec};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::{
    Facility, Finding, Method, Network, Origin, OriginReach, Params, Profile, ReachModel, Scenario,
    Wgs84Point,
};

pub use catalogue::catalogue_entries;
pub use facts::{annotate, facts, source};
pub use inputs::ReachInputs;

use crate::error::MonitorError;

/// How reach is measured: by straight line, or over a road network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReachOptions {
    /// An OpenStreetMap extract (`.osm.pbf`) to measure over; straight line × 1.3 without.
    pub network: Option<PathBuf>,
    /// Measure every kind on this profile instead of each kind's own.
    pub profile: Option<Profile>,
    /// Where prepared road graphs are cached (one file per profile).
    pub cache_dir: PathBuf,
}

/// Every origin's reach on each profile, in the order of `Profile::ALL`.
pub(crate) type OriginsByProfile = Vec<(Profile, Vec<OriginReach>)>;

/// The note every straight-line value carries.
pub const STRAIGHT_LINE_NOTE: &str =
    "approximate: straight-line distance × 1.3, no road network given";

/// One engine model and the kinds measured with it.
#[derive(Debug)]
struct ProfileModel {
    profile: Profile,
    model: ReachModel<'static>,
    /// True for straight line (no road network).
    approximate: bool,
    note: String,
}

/// A prepared reach computation, ready for tables, facts and scenarios.
#[derive(Debug)]
pub struct ReachMonitor {
    spec: ReachSpec,
    /// One per profile, in the order of `Profile::ALL`.
    models: Vec<ProfileModel>,
    /// The model of each kind's own profile.
    model_of: BTreeMap<String, usize>,
    origins: &'static [Origin],
    facilities: &'static [Facility],
    names: BTreeMap<AreaCode, String>,
    facility_names: BTreeMap<(String, String), String>,
    /// The ground of each origin that is a grid part, in m² (by origin index).
    ground_m2: Vec<Option<f64>>,
    /// The foot network, when reach is measured over a road network.
    foot_network: Option<&'static Network>,
    /// Every kind's thresholds together, ascending: the engine's distance thresholds.
    thresholds_m: Vec<f64>,
    /// Every kind's time thresholds together, in seconds, ascending: the engine's.
    thresholds_s: Vec<f64>,
}

/// Reach of one kind in one area.
///
/// # Units
/// Persons; metres; seconds; thresholds in metres and minutes; shares as fractions (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaReachRow {
    /// The area.
    pub area: AreaCode,
    /// Its name, where known.
    pub name: Option<String>,
    /// Inhabitants of its population points.
    pub persons: f64,
    /// Person-weighted mean distance to the nearest facility.
    pub mean_distance_m: Option<f64>,
    /// Per threshold of the kind: the threshold and the share of persons within it.
    pub share_within: Vec<(f64, Option<f64>)>,
    /// Person-weighted mean travel time to the quickest facility on the kind's profile.
    pub mean_time_s: Option<f64>,
    /// Per time threshold of the kind (minutes): the share of persons within it.
    pub share_within_min: Vec<(f64, Option<f64>)>,
    /// Per time threshold of the kind (minutes): the persons beyond it (or unreached).
    pub persons_beyond_min: Vec<(f64, Option<f64>)>,
    /// Per profile (car, bicycle, foot): the person-weighted mean travel time to the quickest
    /// facility of the kind on that profile.
    pub mean_time_by_profile_s: Vec<(Profile, Option<f64>)>,
    /// Per distance threshold of the kind: the person-weighted mean number of its facilities
    /// within it.
    pub mean_count_within: Vec<(f64, Option<f64>)>,
}

/// Reach of one kind per area.
#[derive(Debug, Clone, PartialEq)]
pub struct KindTable {
    /// The facility kind.
    pub kind: String,
    /// The profile its distances, thresholds and scenarios are measured on.
    pub profile: Profile,
    /// `straight_line:1.3` or `network:<profile>`.
    pub method: String,
    /// True for straight-line values.
    pub approximate: bool,
    /// What the values are.
    pub note: String,
    /// Number of facilities of the kind.
    pub facilities: usize,
    /// Per area, sorted by code.
    pub areas: Vec<AreaReachRow>,
}

/// A facility with its name, as closed or opened in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct FacilityInfo {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its name, where known.
    pub name: Option<String>,
    /// Where it is.
    pub point: Wgs84Point,
}

/// What a scenario changes in one area.
///
/// # Units
/// Metres; seconds; thresholds in metres and minutes; persons.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioAreaRow {
    /// The area.
    pub area: AreaCode,
    /// Its name, where known.
    pub name: Option<String>,
    /// Mean distance before.
    pub mean_distance_before_m: Option<f64>,
    /// Mean distance after.
    pub mean_distance_after_m: Option<f64>,
    /// After minus before.
    pub change_m: Option<f64>,
    /// Per threshold of the kind: persons within it before and beyond it after.
    pub persons_newly_beyond: Vec<(f64, Option<f64>)>,
    /// Per threshold of the kind: persons beyond it before and within it after.
    pub persons_newly_within: Vec<(f64, Option<f64>)>,
    /// Mean travel time before.
    pub mean_time_before_s: Option<f64>,
    /// Mean travel time after.
    pub mean_time_after_s: Option<f64>,
    /// After minus before, in seconds.
    pub change_s: Option<f64>,
    /// Per time threshold of the kind (minutes): persons within it before and beyond after.
    pub persons_newly_beyond_min: Vec<(f64, Option<f64>)>,
    /// Per time threshold of the kind (minutes): persons beyond it before and within after.
    pub persons_newly_within_min: Vec<(f64, Option<f64>)>,
    /// Per distance threshold of the kind: the mean number of its facilities within it before.
    pub mean_count_within_before: Vec<(f64, Option<f64>)>,
    /// Per distance threshold of the kind: the mean number of its facilities within it after.
    pub mean_count_within_after: Vec<(f64, Option<f64>)>,
}

/// The outcome of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioReport {
    /// The facility kind.
    pub kind: String,
    /// `straight_line:1.3` or `network:<profile>`.
    pub method: String,
    /// True for straight-line values.
    pub approximate: bool,
    /// What the values are.
    pub note: String,
    /// The facilities closed.
    pub closed: Vec<FacilityInfo>,
    /// The facilities opened (ids `new-1`, `new-2`, …).
    pub opened: Vec<FacilityInfo>,
    /// Time to compute the scenario, in milliseconds.
    pub computation_ms: f64,
    /// Road-graph nodes whose nearest facility was recomputed (0 for straight line).
    pub nodes_updated: usize,
    /// Per area (province, municipalities, districts, neighbourhoods), sorted by code.
    pub areas: Vec<ScenarioAreaRow>,
    /// Opened facilities that could not be placed on the network.
    pub findings: Vec<String>,
}

/// A scenario request the model cannot answer: which parameter, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{parameter}` {message}")]
pub struct ScenarioError {
    /// The parameter at fault (`kind`, `close`, `open`).
    pub parameter: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The road network of `profile` from `pbf`, through a cache file in `cache_dir`.
fn load_network(pbf: &Path, profile: Profile, cache_dir: &Path) -> Result<Network, MonitorError> {
    if !pbf.is_file() {
        return Err(MonitorError::Bundle(format!(
            "road network {}: no such file; download a province extract (e.g. drenthe-latest.osm.pbf) from an OpenStreetMap extract provider",
            pbf.display()
        )));
    }
    fs_err::create_dir_all(cache_dir)?;
    let cache = cache_dir.join(format!("network-{profile}.leefnet"));
    let started = Instant::now();
    let (network, prepared) = leefbaar_network::cache::prepare(pbf, profile, &cache)?;
    tracing::info!(
        %profile,
        seconds = started.elapsed().as_secs_f64(),
        from_cache = matches!(prepared, leefbaar_network::cache::Prepared::FromCache),
        "road network ready"
    );
    Ok(network)
}

impl ReachMonitor {
    /// Reads the bundle's reach inputs (origins, neighbourhood origins, every kind's
    /// facilities) and prepares one model per measuring profile.
    ///
    /// `province` is the monitored province's code and name (the name of the origins'
    /// province in the tables).
    pub fn prepare(
        spec: &ReachSpec,
        province: (&AreaCode, &str),
        options: &ReachOptions,
    ) -> Result<ReachMonitor, MonitorError> {
        let mut inputs = ReachInputs::default();
        match &spec.grid {
            Some(grid) => {
                let (parts, centroids) = inputs.add_grid_origins(&spec.origins, grid)?;
                tracing::info!(
                    parts,
                    centroids,
                    "reach origins: grid cells cut by PC4 area and neighbourhood"
                );
            }
            None => inputs.add_origins(&spec.origins)?,
        }
        inputs
            .names
            .insert(province.0.clone(), province.1.to_owned());
        if let Some(path) = &spec.neighbourhood_origins {
            inputs.add_neighbourhood_origins(path)?;
        }
        for kind in &spec.kinds {
            inputs.add_facilities(&kind.file, &kind.id)?;
        }
        Self::from_inputs(spec, inputs, options)
    }

    /// Prepares the models from inputs already read.
    pub fn from_inputs(
        spec: &ReachSpec,
        inputs: ReachInputs,
        options: &ReachOptions,
    ) -> Result<ReachMonitor, MonitorError> {
        let mut thresholds_m: Vec<f64> = spec
            .kinds
            .iter()
            .flat_map(|kind| kind.thresholds_m.iter().copied())
            .collect();
        thresholds_m.sort_by(f64::total_cmp);
        thresholds_m.dedup();
        let mut thresholds_s: Vec<f64> = spec
            .kinds
            .iter()
            .flat_map(|kind| kind.thresholds_min.iter().map(|t| t * 60.0))
            .collect();
        thresholds_s.sort_by(f64::total_cmp);
        thresholds_s.dedup();
        // Facilities are counted within the kind's own distance thresholds, as CBS counts
        // schools within 1, 3 and 5 km and hospitals within 5, 10 and 20 km.
        let radii_m_by_kind = spec
            .kinds
            .iter()
            .map(|kind| (kind.id.clone(), kind.thresholds_m.clone()))
            .collect();
        let params = Params {
            distance_thresholds_m: thresholds_m.clone(),
            time_thresholds_s: thresholds_s.clone(),
            radii_m_by_kind,
            ..Params::default()
        };
        let ground_m2 = inputs
            .origins
            .iter()
            .map(|origin| inputs.ground_m2.get(&origin.id).copied())
            .collect();
        let origins: &'static [Origin] = Box::leak(inputs.origins.into_boxed_slice());
        let facilities: &'static [Facility] = Box::leak(inputs.facilities.into_boxed_slice());
        // One model per profile, each with every kind's facilities: a kind's distances,
        // thresholds and scenarios come from its own profile's model, and its travel times by
        // car, bicycle and on foot from all three. Over a network when one is given, else by
        // straight line at the profile's speed.
        let mut models = Vec::new();
        let mut foot_network = None;
        for profile in Profile::ALL {
            let (method, note) = match &options.network {
                Some(pbf) => {
                    let network: &'static Network =
                        Box::leak(Box::new(load_network(pbf, profile, &options.cache_dir)?));
                    if profile == Profile::Foot {
                        foot_network = Some(network);
                    }
                    let name = pbf.file_name().map_or_else(
                        || pbf.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    (
                        Method::Network(network),
                        format!("road network: {profile} profile over OpenStreetMap ({name})"),
                    )
                }
                None => (Method::StraightLine, STRAIGHT_LINE_NOTE.to_owned()),
            };
            let params = Params {
                straight_line_speed_m_per_s: Some(profile.straight_line_speed_m_per_s()),
                ..params.clone()
            };
            let model = ReachModel::prepare(method, origins, facilities, params)?;
            models.push(ProfileModel {
                profile,
                model,
                approximate: options.network.is_none(),
                note,
            });
        }
        let model_of = spec
            .kinds
            .iter()
            .map(|kind| {
                let profile = options.profile.unwrap_or_else(|| {
                    kind.profile
                        .parse()
                        .expect("the manifest reader checks profiles")
                });
                let index = Profile::ALL
                    .iter()
                    .position(|p| *p == profile)
                    .expect("every profile has a model");
                (kind.id.clone(), index)
            })
            .collect();
        Ok(ReachMonitor {
            spec: spec.clone(),
            models,
            model_of,
            origins,
            facilities,
            names: inputs.names,
            facility_names: inputs.facility_names,
            ground_m2,
            foot_network,
            thresholds_m,
            thresholds_s,
        })
    }

    /// The foot network reach is measured over, when it is measured over a road network.
    pub fn foot_network(&self) -> Option<&'static Network> {
        self.foot_network
    }

    /// The ground the origin `index` stands for, in m², when it is a part of a grid cell.
    pub fn origin_ground_m2(&self, index: usize) -> Option<f64> {
        self.ground_m2.get(index).copied().flatten()
    }

    /// The manifest's reach section this was prepared from.
    pub fn spec(&self) -> &ReachSpec {
        &self.spec
    }

    /// The kinds of the manifest, in its order.
    pub fn kinds(&self) -> Vec<String> {
        self.spec.kinds.iter().map(|k| k.id.clone()).collect()
    }

    /// The kinds with at least one facility, sorted.
    pub fn kinds_with_facilities(&self) -> Vec<String> {
        let kinds: BTreeSet<String> = self
            .models
            .iter()
            .flat_map(|m| m.model.kinds().map(str::to_owned))
            .collect();
        kinds.into_iter().collect()
    }

    /// The profile `kind` is measured on: its own from the manifest, or the one forced.
    pub fn profile_of(&self, kind: &str) -> Option<Profile> {
        self.model(kind).map(|m| m.profile)
    }

    /// The manifest's entry of `kind`.
    pub fn kind_spec(&self, kind: &str) -> Option<&ReachKindSpec> {
        self.spec.kinds.iter().find(|k| k.id == kind)
    }

    fn model(&self, kind: &str) -> Option<&ProfileModel> {
        self.model_of.get(kind).map(|&i| &self.models[i])
    }

    /// The origins, in input order.
    pub fn origins(&self) -> &'static [Origin] {
        self.origins
    }

    /// Whether any origin lies in `area`.
    pub fn covers(&self, area: &AreaCode) -> bool {
        self.origins
            .iter()
            .any(|origin| origin.areas.contains(area))
    }

    /// True when no road network was used (every value approximate).
    pub fn is_approximate(&self) -> bool {
        self.models.iter().all(|m| m.approximate)
    }

    /// What the values are: the straight-line note, or the networks used.
    pub fn note(&self) -> String {
        let notes: BTreeSet<&str> = self.models.iter().map(|m| m.note.as_str()).collect();
        notes.into_iter().collect::<Vec<_>>().join("; ")
    }

    /// What the values of `kind` are.
    pub fn note_of(&self, kind: &str) -> &str {
        self.model(kind)
            .map_or(STRAIGHT_LINE_NOTE, |m| m.note.as_str())
    }

    /// Records that could not be placed on a road network.
    pub fn findings(&self) -> Vec<&Finding> {
        self.models
            .iter()
            .flat_map(|m| m.model.findings())
            .collect()
    }

    /// The name of an origin's area, where known.
    pub fn area_name(&self, code: &AreaCode) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    fn facility_info(&self, facility: &Facility) -> FacilityInfo {
        FacilityInfo {
            id: facility.id.clone(),
            kind: facility.kind.clone(),
            name: self
                .facility_names
                .get(&(facility.kind.clone(), facility.id.clone()))
                .cloned(),
            point: facility.point,
        }
    }

    /// Facilities of `kind` (all kinds when `None`), in input order.
    pub fn facilities(&self, kind: Option<&str>) -> Vec<FacilityInfo> {
        self.facilities
            .iter()
            .filter(|f| kind.is_none_or(|k| f.kind == k))
            .map(|f| self.facility_info(f))
            .collect()
    }

    /// The positions of `kind`'s thresholds among the engine's.
    fn threshold_indices(&self, kind: &str) -> Vec<(f64, usize)> {
        self.kind_spec(kind)
            .map(|spec| {
                spec.thresholds_m
                    .iter()
                    .map(|t| {
                        let index = self
                            .thresholds_m
                            .iter()
                            .position(|u| u == t)
                            .expect("every kind's thresholds are among the engine's");
                        (*t, index)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The positions of `kind`'s time thresholds (minutes) among the engine's (seconds).
    fn time_threshold_indices(&self, kind: &str) -> Vec<(f64, usize)> {
        self.kind_spec(kind)
            .map(|spec| {
                spec.thresholds_min
                    .iter()
                    .map(|t| {
                        let index = self
                            .thresholds_s
                            .iter()
                            .position(|u| *u == t * 60.0)
                            .expect("every kind's time thresholds are among the engine's");
                        (*t, index)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The engine's report of `kind`, if it has facilities.
    pub fn kind_report(&self, kind: &str) -> Option<leefbaar_network::KindReach> {
        self.model(kind)?.model.kind_report(kind)
    }

    /// Every origin's reach to `kind` on every profile (in the order of `Profile::ALL`),
    /// without area aggregates, and the position of the kind's own profile among them: what the
    /// facts sum.
    pub(crate) fn kind_origins(&self, kind: &str) -> Option<(usize, OriginsByProfile)> {
        let own = *self.model_of.get(kind)?;
        let by_profile = self
            .models
            .iter()
            .map(|m| Some((m.profile, m.model.kind_origins(kind)?)))
            .collect::<Option<_>>()?;
        Some((own, by_profile))
    }

    /// The engine's report of `kind` on every profile, in the order of `Profile::ALL`.
    pub fn kind_reports_by_profile(
        &self,
        kind: &str,
    ) -> Option<Vec<(Profile, leefbaar_network::KindReach)>> {
        self.models
            .iter()
            .map(|m| Some((m.profile, m.model.kind_report(kind)?)))
            .collect()
    }

    /// Reach of `kind` per area of `level` (every level when `None`).
    pub fn table(&self, kind: &str, level: Option<AreaLevel>) -> Option<KindTable> {
        let model = self.model(kind)?;
        let indices = self.threshold_indices(kind);
        let time_indices = self.time_threshold_indices(kind);
        // Every profile's report lists the same areas in the same order: those of the origins.
        // The kind's own profile is one of them (`model_of` indexes `models`).
        let by_profile = self.kind_reports_by_profile(kind)?;
        let report = &by_profile[self.model_of[kind]].1;
        let areas = report
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| level.is_none_or(|l| a.area.level() == l))
            .map(|(i, a)| AreaReachRow {
                area: a.area.clone(),
                name: self.area_name(&a.area).map(str::to_owned),
                persons: a.persons,
                mean_distance_m: a.mean_distance_m,
                share_within: at(&a.share_within_m, &indices),
                mean_time_s: a.mean_time_s,
                share_within_min: at(&a.share_within_s, &time_indices),
                persons_beyond_min: at(&a.persons_beyond_s, &time_indices),
                mean_time_by_profile_s: by_profile
                    .iter()
                    .map(|(profile, report)| (*profile, report.areas[i].mean_time_s))
                    .collect(),
                mean_count_within: radii(&report.radii_m, &a.mean_within_radius),
            })
            .collect();
        Some(KindTable {
            kind: kind.to_owned(),
            profile: model.profile,
            method: report.method.clone(),
            approximate: model.approximate,
            note: model.note.clone(),
            facilities: self.facilities(Some(kind)).len(),
            areas,
        })
    }

    /// Closes the facilities `close` of `kind` and opens new ones at `open`, and reports the
    /// change per area of `level` (every level when `None`). Nothing is stored.
    pub fn scenario(
        &self,
        kind: &str,
        close: &[String],
        open: &[Wgs84Point],
        level: Option<AreaLevel>,
    ) -> Result<ScenarioReport, ScenarioError> {
        let kinds = self.kinds_with_facilities();
        let Some(model) = self.model(kind).filter(|_| kinds.iter().any(|k| k == kind)) else {
            return Err(ScenarioError {
                parameter: "kind",
                message: format!("must be one of {}, found `{kind}`", kinds.join(", ")),
            });
        };
        if close.is_empty() && open.is_empty() {
            return Err(ScenarioError {
                parameter: "close",
                message:
                    "is required: give facility ids to close (comma-separated), or a point to open"
                        .to_owned(),
            });
        }
        let of_kind = self.facilities(Some(kind));
        let mut closed = Vec::new();
        let mut seen = BTreeSet::new();
        for id in close {
            let Some(facility) = of_kind.iter().find(|f| f.id == *id) else {
                return Err(ScenarioError {
                    parameter: "close",
                    message: format!(
                        "must name facilities of kind `{kind}` (see /api/v1/facilities?kind={kind}), found `{id}`"
                    ),
                });
            };
            if seen.insert(id.as_str()) {
                closed.push(facility.clone());
            }
        }
        let opened: Vec<Facility> = open
            .iter()
            .enumerate()
            .map(|(i, point)| Facility {
                id: format!("new-{}", i + 1),
                kind: kind.to_owned(),
                point: *point,
            })
            .collect();
        for facility in &opened {
            if !facility.point.is_valid() {
                return Err(ScenarioError {
                    parameter: "open",
                    message: format!(
                        "must be a point lon,lat in WGS84 degrees, found {},{}",
                        facility.point.lon, facility.point.lat
                    ),
                });
            }
        }
        let scenario = Scenario {
            close: seen.iter().map(|id| (*id).to_owned()).collect(),
            open: opened.clone(),
        };
        let started = Instant::now();
        let outcome = model
            .model
            .scenario(kind, &scenario)
            .map_err(|e| ScenarioError {
                parameter: "close",
                message: e.to_string(),
            })?;
        let computation_ms = started.elapsed().as_secs_f64() * 1000.0;
        let indices = self.threshold_indices(kind);
        let time_indices = self.time_threshold_indices(kind);
        // The engine counts within the kind's distance thresholds (`from_inputs`).
        let radii_m = self
            .kind_spec(kind)
            .map(|spec| spec.thresholds_m.clone())
            .unwrap_or_default();
        let areas = outcome
            .areas
            .iter()
            .filter(|a| level.is_none_or(|l| a.area.level() == l))
            .map(|a| ScenarioAreaRow {
                area: a.area.clone(),
                name: self.area_name(&a.area).map(str::to_owned),
                mean_distance_before_m: a.mean_distance_before_m,
                mean_distance_after_m: a.mean_distance_after_m,
                change_m: a.change_m,
                persons_newly_beyond: at(&a.persons_newly_beyond, &indices),
                persons_newly_within: at(&a.persons_newly_within, &indices),
                mean_time_before_s: a.mean_time_before_s,
                mean_time_after_s: a.mean_time_after_s,
                change_s: a.change_s,
                persons_newly_beyond_min: at(&a.persons_newly_beyond_s, &time_indices),
                persons_newly_within_min: at(&a.persons_newly_within_s, &time_indices),
                mean_count_within_before: radii(&radii_m, &a.mean_within_radius_before),
                mean_count_within_after: radii(&radii_m, &a.mean_within_radius_after),
            })
            .collect();
        Ok(ScenarioReport {
            kind: kind.to_owned(),
            method: model.model.method_name(),
            approximate: model.approximate,
            note: model.note.clone(),
            closed,
            opened: opened.iter().map(|f| self.facility_info(f)).collect(),
            computation_ms,
            nodes_updated: outcome.nodes_updated,
            areas,
            findings: outcome.findings.iter().map(ToString::to_string).collect(),
        })
    }
}

/// Each radius with its value, where the area has one (none where no origin has a distance).
fn radii(radii_m: &[f64], values: &[f64]) -> Vec<(f64, Option<f64>)> {
    radii_m
        .iter()
        .enumerate()
        .map(|(i, r)| (*r, values.get(i).copied()))
        .collect()
}

/// The values of the thresholds a kind declares, each with its threshold, from the engine's
/// values for every threshold of the profile (`indices` from `threshold_indices`).
fn at(values: &[f64], indices: &[(f64, usize)]) -> Vec<(f64, Option<f64>)> {
    indices
        .iter()
        .map(|&(t, i)| (t, values.get(i).copied()))
        .collect()
}

#[cfg(test)]
mod tests;
