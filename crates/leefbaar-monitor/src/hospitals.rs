//! The hospital landscape as scenarios in minutes (issue 15): for the population of the
//! bundle's `[hospitals]` origins (the north of the Netherlands in the Drenthe bundle), who is
//! beyond each car-time threshold from the nearest open hospital and beyond each threshold
//! from the emergency call, per municipality, per province and in total, for persons and for
//! persons aged 75 and over; for any set of closed hospitals, against the baseline; and the
//! *sensitive hospitals*: every hospital that is the nearest for someone, closed alone.
//!
//! Travel times are reach's car profile without a road network (`leefbaar-network`'s
//! `hospitals.rs`: straight line × reach's detour factor at the profile's straight-line speed),
//! so every figure is approximate ([`HospitalMonitor::approximate`]); the parameters and their
//! sources are in `docs/methods/hospitals.md`. Nothing is stored: the monitor is prepared from
//! the bundle when the server starts, and a scenario costs a step or two per origin.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_ingest::HospitalsSpec;
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_network::{
    CareOrigin, CarePoint, CareTally, HospitalModel, HospitalParams, OriginCare, Params, Profile,
    Wgs84Point,
};

use crate::error::{MonitorError, record};
use crate::reach::ReachInputs;
use crate::reach::inputs::{code, number, point, read_csv};

#[cfg(test)]
mod tests;

/// A hospital or an ambulance post, with its name.
#[derive(Debug, Clone, PartialEq)]
pub struct CareSite {
    /// Id (the facility file's).
    pub id: String,
    /// Name.
    pub name: String,
    /// Position.
    pub point: Wgs84Point,
}

/// An area the origins are counted in: a municipality or a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareArea {
    /// The CBS code.
    pub code: AreaCode,
    /// The name.
    pub name: String,
}

/// A population point: a PC4 area with its municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct CarePlace {
    /// The PC4 code as written.
    pub pc4: String,
    /// The main place's name.
    pub place: String,
    /// Index into [`HospitalMonitor::municipalities`].
    pub municipality: usize,
    /// Index into [`HospitalMonitor::provinces`].
    pub province: usize,
    /// Where its people are placed.
    pub point: Wgs84Point,
}

/// Persons and persons aged 75+.
///
/// # Units
/// Counts of persons (whole numbers: the origins carry CBS's counts).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Persons {
    /// All persons.
    pub all: f64,
    /// Persons aged 75 and over.
    pub aged_75_plus: f64,
}

impl Persons {
    fn from_pair((all, aged_75_plus): (f64, f64)) -> Persons {
        Persons { all, aged_75_plus }
    }

    /// `self − other`, per count.
    #[must_use]
    pub fn minus(self, other: Persons) -> Persons {
        Persons {
            all: self.all - other.all,
            aged_75_plus: self.aged_75_plus - other.aged_75_plus,
        }
    }
}

/// Persons beyond each threshold.
///
/// `car[i]` refers to [`HospitalMonitor::thresholds_min`]`[i]`, `call[i]` to
/// [`HospitalMonitor::call_thresholds_min`]`[i]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Beyond {
    /// Beyond each car-time threshold from the nearest open hospital.
    pub car: Vec<Persons>,
    /// Beyond each threshold from the call.
    pub call: Vec<Persons>,
}

impl Beyond {
    fn of(tally: &CareTally) -> Beyond {
        Beyond {
            car: tally
                .car_beyond
                .iter()
                .copied()
                .map(Persons::from_pair)
                .collect(),
            call: tally
                .call_beyond
                .iter()
                .copied()
                .map(Persons::from_pair)
                .collect(),
        }
    }

    /// `self − other`, threshold by threshold.
    #[must_use]
    pub fn minus(&self, other: &Beyond) -> Beyond {
        let minus = |a: &[Persons], b: &[Persons]| -> Vec<Persons> {
            a.iter().zip(b).map(|(a, b)| a.minus(*b)).collect()
        };
        Beyond {
            car: minus(&self.car, &other.car),
            call: minus(&self.call, &other.call),
        }
    }

    fn add(&mut self, other: &Beyond) {
        for (a, b) in self
            .car
            .iter_mut()
            .zip(&other.car)
            .chain(self.call.iter_mut().zip(&other.call))
        {
            a.all += b.all;
            a.aged_75_plus += b.aged_75_plus;
        }
    }
}

/// One area's counts in a scenario and in the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaCare {
    /// The area; `None` for the total of every origin.
    pub area: Option<CareArea>,
    /// Its inhabitants.
    pub persons: Persons,
    /// Beyond each threshold with every hospital open.
    pub baseline: Beyond,
    /// Beyond each threshold in the scenario.
    pub scenario: Beyond,
}

impl AreaCare {
    /// Scenario minus baseline: the persons a closure pushes past each threshold.
    pub fn difference(&self) -> Beyond {
        self.scenario.minus(&self.baseline)
    }
}

/// A population point whose nearest hospital a scenario changes.
///
/// # Units
/// Minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    /// Index into [`HospitalMonitor::places`].
    pub place: usize,
    /// Its persons.
    pub persons: Persons,
    /// Its nearest hospital with every hospital open (index into
    /// [`HospitalMonitor::hospitals`]).
    pub from: Option<usize>,
    /// Its nearest open hospital in the scenario; `None` when every hospital is closed.
    pub to: Option<usize>,
    /// Car minutes before and after.
    pub car_min: (Option<f64>, Option<f64>),
    /// Minutes from the call before and after.
    pub call_min: (Option<f64>, Option<f64>),
}

/// What closing a set of hospitals does.
#[derive(Debug, Clone, PartialEq)]
pub struct HospitalScenario {
    /// The closed hospitals (indices into [`HospitalMonitor::hospitals`]), ascending.
    pub closed: Vec<usize>,
    /// Per municipality, in code order.
    pub municipalities: Vec<AreaCare>,
    /// Per province, in code order.
    pub provinces: Vec<AreaCare>,
    /// Every origin together.
    pub total: AreaCare,
    /// The population points that fall back to another hospital, by PC4.
    pub fallbacks: Vec<Fallback>,
}

/// A hospital closed alone.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitiveHospital {
    /// Index into [`HospitalMonitor::hospitals`].
    pub hospital: usize,
    /// Persons for whom it is the nearest hospital.
    pub catchment: Persons,
    /// The persons its closure pushes past each threshold (scenario minus baseline).
    pub extra: Beyond,
    /// True when its closure pushes anyone past a threshold from the call: RIVM's *gevoelig
    /// ziekenhuis*.
    pub sensitive: bool,
}

/// The hospital monitor of a bundle, prepared.
#[derive(Debug)]
pub struct HospitalMonitor {
    spec: HospitalsSpec,
    hospitals: Vec<CareSite>,
    posts: Vec<CareSite>,
    places: Vec<CarePlace>,
    origins: Vec<CareOrigin>,
    municipalities: Vec<CareArea>,
    provinces: Vec<CareArea>,
    province_of: Vec<usize>,
    model: HospitalModel,
    car_thresholds_s: Vec<f64>,
    call_thresholds_s: Vec<f64>,
    baseline: Vec<OriginCare>,
    baseline_municipalities: Vec<CareTally>,
    sensitive: Vec<SensitiveHospital>,
}

/// Reads a facility file of a reach kind into named sites.
fn read_sites(path: &Path, kind: &str) -> Result<Vec<CareSite>, MonitorError> {
    let mut inputs = ReachInputs::default();
    inputs.add_facilities(path, kind)?;
    Ok(inputs
        .facilities
        .into_iter()
        .map(|f| CareSite {
            name: inputs
                .facility_names
                .get(&(f.kind.clone(), f.id.clone()))
                .cloned()
                .unwrap_or_default(),
            id: f.id,
            point: f.point,
        })
        .collect())
}

fn count(path: &Path, line: u64, field: &str, text: &str) -> Result<f64, MonitorError> {
    let value = number(path, line, field, text)?;
    if value < 0.0 || value.fract() != 0.0 {
        return Err(record(
            path,
            line,
            Some(field),
            format!("expected a whole count of 0 or more, found `{text}`"),
        ));
    }
    Ok(value)
}

/// The origins, the municipalities and provinces they lie in (in code order), and per
/// municipality its province.
type Origins = (
    Vec<CarePlace>,
    Vec<CareOrigin>,
    Vec<CareArea>,
    Vec<CareArea>,
    Vec<usize>,
);

/// Reads the `[hospitals]` origins CSV.
fn read_origins(path: &Path) -> Result<Origins, MonitorError> {
    let columns = [
        "pc4",
        "place",
        "province",
        "province_name",
        "municipality",
        "municipality_name",
        "persons",
        "persons_75_plus",
        "lon",
        "lat",
    ];
    let rows = read_csv(path, &columns)?;
    let mut municipalities: BTreeMap<AreaCode, (String, AreaCode)> = BTreeMap::new();
    let mut provinces: BTreeMap<AreaCode, String> = BTreeMap::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for (line, row) in &rows {
        let line = *line;
        if row[0].is_empty() {
            return Err(record(
                path,
                line,
                Some("pc4"),
                "expected a postcode, found nothing",
            ));
        }
        let province = code(path, line, "province", &row[2], AreaLevel::Province)?;
        let municipality = code(path, line, "municipality", &row[4], AreaLevel::Municipality)?;
        let persons = count(path, line, "persons", &row[6])?;
        let persons_75_plus = count(path, line, "persons_75_plus", &row[7])?;
        if persons_75_plus > persons {
            return Err(record(
                path,
                line,
                Some("persons_75_plus"),
                format!(
                    "expected at most the persons ({persons}), found `{}`",
                    row[7]
                ),
            ));
        }
        let at = point(path, line, &row[8], &row[9])?;
        // A municipality lies in one province: a second one is a mistake of the file.
        let entry = municipalities
            .entry(municipality.clone())
            .or_insert_with(|| (row[5].clone(), province.clone()));
        if entry.1 != province {
            return Err(record(
                path,
                line,
                Some("province"),
                format!(
                    "expected {} (the province of {municipality} on an earlier line), found `{}`",
                    entry.1, row[2]
                ),
            ));
        }
        provinces.entry(province).or_insert_with(|| row[3].clone());
        parsed.push((
            row[0].clone(),
            row[1].clone(),
            municipality,
            persons,
            persons_75_plus,
            at,
        ));
    }
    let municipality_index: BTreeMap<&AreaCode, usize> = municipalities.keys().zip(0..).collect();
    let province_index: BTreeMap<&AreaCode, usize> = provinces.keys().zip(0..).collect();
    let province_of = municipalities
        .values()
        .map(|(_, province)| province_index[province])
        .collect();
    let mut places = Vec::with_capacity(parsed.len());
    let mut origins = Vec::with_capacity(parsed.len());
    for (pc4, place, municipality, persons, persons_75_plus, at) in parsed {
        let m = municipality_index[&municipality];
        places.push(CarePlace {
            province: province_index[&municipalities[&municipality].1],
            pc4: pc4.clone(),
            place,
            municipality: m,
            point: at,
        });
        origins.push(CareOrigin {
            id: pc4,
            point: at,
            persons,
            persons_75_plus,
        });
    }
    let municipality_areas = municipalities
        .iter()
        .map(|(code, (name, _))| CareArea {
            code: code.clone(),
            name: name.clone(),
        })
        .collect();
    let province_areas = provinces
        .into_iter()
        .map(|(code, name)| CareArea { code, name })
        .collect();
    Ok((
        places,
        origins,
        municipality_areas,
        province_areas,
        province_of,
    ))
}

fn minutes(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| s / 60.0)
}

impl HospitalMonitor {
    /// Reads the origins and the hospital and ambulance-post files of `spec`, ranks every
    /// hospital for every origin, and computes the baseline and the sensitive-hospitals table.
    ///
    /// # Errors
    /// A malformed record (file, line and field).
    pub fn prepare(spec: &HospitalsSpec) -> Result<HospitalMonitor, MonitorError> {
        let hospitals = read_sites(&spec.hospitals, &spec.hospital_kind)?;
        let posts = read_sites(&spec.ambulance_posts, &spec.ambulance_kind)?;
        let (places, origins, municipalities, provinces, province_of) =
            read_origins(&spec.origins)?;
        // Reach's car profile without a road network: the same detour and speed as reach's
        // hospital distances, so both monitors give one person the same drive.
        let params = HospitalParams {
            detour_factor: Params::default().detour_factor,
            speed_m_per_s: Profile::Car.straight_line_speed_m_per_s(),
            dispatch_s: spec.dispatch_min * 60.0,
            on_scene_s: spec.on_scene_min * 60.0,
        };
        let as_points = |sites: &[CareSite]| -> Vec<CarePoint> {
            sites
                .iter()
                .map(|s| CarePoint {
                    id: s.id.clone(),
                    point: s.point,
                })
                .collect()
        };
        let model =
            HospitalModel::prepare(&origins, &as_points(&hospitals), &as_points(&posts), params)?;
        let baseline = model.outcome(&[]);
        let mut monitor = HospitalMonitor {
            spec: spec.clone(),
            car_thresholds_s: spec.thresholds_min.iter().map(|m| m * 60.0).collect(),
            call_thresholds_s: spec.call_thresholds_min.iter().map(|m| m * 60.0).collect(),
            hospitals,
            posts,
            places,
            origins,
            municipalities,
            provinces,
            province_of,
            model,
            baseline,
            baseline_municipalities: Vec::new(),
            sensitive: Vec::new(),
        };
        monitor.baseline_municipalities = monitor.tally(&monitor.baseline);
        monitor.sensitive = monitor.single_closures();
        Ok(monitor)
    }

    fn tally(&self, care: &[OriginCare]) -> Vec<CareTally> {
        let area_of: Vec<usize> = self.places.iter().map(|p| p.municipality).collect();
        HospitalModel::tally(
            &self.origins,
            care,
            &area_of,
            self.municipalities.len(),
            &self.car_thresholds_s,
            &self.call_thresholds_s,
        )
    }

    /// The manifest's `[hospitals]` section this was prepared from.
    pub fn spec(&self) -> &HospitalsSpec {
        &self.spec
    }

    /// Always true: travel times are by straight line, without a road network.
    pub fn approximate(&self) -> bool {
        true
    }

    /// The hospitals, in the facility file's order.
    pub fn hospitals(&self) -> &[CareSite] {
        &self.hospitals
    }

    /// The ambulance posts, in the facility file's order.
    pub fn posts(&self) -> &[CareSite] {
        &self.posts
    }

    /// The population points.
    pub fn places(&self) -> &[CarePlace] {
        &self.places
    }

    /// The municipalities of the origins, in code order.
    pub fn municipalities(&self) -> &[CareArea] {
        &self.municipalities
    }

    /// The provinces of the origins, in code order.
    pub fn provinces(&self) -> &[CareArea] {
        &self.provinces
    }

    /// The car-time thresholds, in minutes.
    pub fn thresholds_min(&self) -> &[f64] {
        &self.spec.thresholds_min
    }

    /// The thresholds from the call, in minutes.
    pub fn call_thresholds_min(&self) -> &[f64] {
        &self.spec.call_thresholds_min
    }

    /// Per hospital, the persons for whom it is the nearest with every hospital open.
    pub fn catchments(&self) -> Vec<Persons> {
        let mut catchments = vec![Persons::default(); self.hospitals.len()];
        for (care, origin) in self.baseline.iter().zip(&self.origins) {
            if let Some(h) = care.hospital {
                catchments[h].all += origin.persons;
                catchments[h].aged_75_plus += origin.persons_75_plus;
            }
        }
        catchments
    }

    /// The index of the hospital with id `id`.
    pub fn hospital_index(&self, id: &str) -> Option<usize> {
        self.hospitals.iter().position(|h| h.id == id)
    }

    /// The scenario with the hospitals `closed` (ids) closed; repeated ids count once.
    ///
    /// # Errors
    /// [`MonitorError::UnknownHospital`] for an id the bundle lacks.
    pub fn scenario(&self, closed: &[&str]) -> Result<HospitalScenario, MonitorError> {
        let mut indices = closed
            .iter()
            .map(|id| {
                self.hospital_index(id)
                    .ok_or_else(|| MonitorError::UnknownHospital((*id).to_owned()))
            })
            .collect::<Result<Vec<usize>, _>>()?;
        indices.sort_unstable();
        indices.dedup();
        Ok(self.scenario_of(&indices))
    }

    /// The scenario with the hospitals at `closed` (indices, ascending) closed.
    pub fn scenario_of(&self, closed: &[usize]) -> HospitalScenario {
        let mut is_closed = vec![false; self.hospitals.len()];
        for &h in closed {
            is_closed[h] = true;
        }
        let care = self.model.outcome(&is_closed);
        let tallies = self.tally(&care);
        let municipalities: Vec<AreaCare> = self
            .municipalities
            .iter()
            .zip(&self.baseline_municipalities)
            .zip(&tallies)
            .map(|((area, before), after)| AreaCare {
                area: Some(area.clone()),
                persons: Persons {
                    all: before.persons,
                    aged_75_plus: before.persons_75_plus,
                },
                baseline: Beyond::of(before),
                scenario: Beyond::of(after),
            })
            .collect();
        // Provinces and the total are sums of their municipalities' counts, which are sums of
        // whole persons, so they add up exactly.
        let empty = || AreaCare {
            area: None,
            persons: Persons::default(),
            baseline: Beyond {
                car: vec![Persons::default(); self.car_thresholds_s.len()],
                call: vec![Persons::default(); self.call_thresholds_s.len()],
            },
            scenario: Beyond {
                car: vec![Persons::default(); self.car_thresholds_s.len()],
                call: vec![Persons::default(); self.call_thresholds_s.len()],
            },
        };
        let mut provinces: Vec<AreaCare> = self
            .provinces
            .iter()
            .map(|p| AreaCare {
                area: Some(p.clone()),
                ..empty()
            })
            .collect();
        let mut total = empty();
        for (m, area) in municipalities.iter().enumerate() {
            for sum in [&mut provinces[self.province_of[m]], &mut total] {
                sum.persons.all += area.persons.all;
                sum.persons.aged_75_plus += area.persons.aged_75_plus;
                sum.baseline.add(&area.baseline);
                sum.scenario.add(&area.scenario);
            }
        }
        let fallbacks = self
            .baseline
            .iter()
            .zip(&care)
            .enumerate()
            .filter(|(_, (before, after))| before.hospital != after.hospital)
            .map(|(o, (before, after))| Fallback {
                place: o,
                persons: Persons {
                    all: self.origins[o].persons,
                    aged_75_plus: self.origins[o].persons_75_plus,
                },
                from: before.hospital,
                to: after.hospital,
                car_min: (minutes(before.car_s), minutes(after.car_s)),
                call_min: (minutes(before.call_s), minutes(after.call_s)),
            })
            .collect();
        HospitalScenario {
            closed: closed.to_vec(),
            municipalities,
            provinces,
            total,
            fallbacks,
        }
    }

    /// Every hospital that is the nearest for someone, closed alone, most sensitive first (by
    /// the persons pushed past the last threshold from the call, then past each car threshold
    /// from the highest, then by id).
    pub fn single_closures(&self) -> Vec<SensitiveHospital> {
        let catchments = self.catchments();
        let mut rows: Vec<SensitiveHospital> = (0..self.hospitals.len())
            .filter(|&h| catchments[h].all > 0.0)
            .map(|h| {
                let scenario = self.scenario_of(&[h]);
                let extra = scenario.total.difference();
                SensitiveHospital {
                    hospital: h,
                    catchment: catchments[h],
                    sensitive: extra.call.iter().any(|p| p.all > 0.0),
                    extra,
                }
            })
            .collect();
        let key = |row: &SensitiveHospital| -> Vec<f64> {
            row.extra
                .call
                .iter()
                .rev()
                .chain(row.extra.car.iter().rev())
                .map(|p| -p.all)
                .collect()
        };
        rows.sort_by(|a, b| {
            key(a)
                .iter()
                .zip(key(b).iter())
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| {
                    self.hospitals[a.hospital]
                        .id
                        .cmp(&self.hospitals[b.hospital].id)
                })
        });
        rows
    }

    /// The sensitive-hospitals table computed when the monitor was prepared.
    pub fn sensitive(&self) -> &[SensitiveHospital] {
        &self.sensitive
    }

    /// With every hospital open: per population point, its nearest hospital (index), the car
    /// minutes to it and the minutes from the call.
    pub fn baseline(&self) -> impl Iterator<Item = (Option<usize>, Option<f64>, Option<f64>)> {
        self.baseline
            .iter()
            .map(|c| (c.hospital, minutes(c.car_s), minutes(c.call_s)))
    }
}
