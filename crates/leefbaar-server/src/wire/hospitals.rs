//! Hospital closures on the wire: points in WGS84 degrees (six decimals), persons as whole
//! numbers (the origins carry CBS's counts), minutes to one decimal. Thresholds are rows
//! (`measure`, `minutes`, baseline, scenario, difference) rather than keys, so that a bundle
//! with other thresholds keeps the same shape.

use leefbaar_monitor::hospitals::{
    AreaCare, Beyond, CareSite, HospitalMonitor, HospitalScenario, Persons,
};
use leefbaar_network::{Params, Profile};
use serde::Serialize;

use super::round;

/// Persons and persons aged 75+.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PersonsWire {
    /// All persons.
    pub persons: f64,
    /// Persons aged 75 and over.
    pub persons_75_plus: f64,
}

impl From<Persons> for PersonsWire {
    fn from(p: Persons) -> PersonsWire {
        PersonsWire {
            persons: p.all.round(),
            persons_75_plus: p.aged_75_plus.round(),
        }
    }
}

/// One threshold of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThresholdWire {
    /// `car` (drive to the nearest open hospital) or `call` (from the emergency call until the
    /// ambulance arrives at hospital).
    pub measure: &'static str,
    /// The threshold in minutes.
    pub minutes: f64,
    /// Beyond it with every hospital open.
    pub baseline: PersonsWire,
    /// Beyond it in the scenario.
    pub scenario: PersonsWire,
    /// Scenario minus baseline.
    pub difference: PersonsWire,
}

/// One area's counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaCareWire {
    /// CBS code; `null` for the total.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Its inhabitants.
    #[serde(flatten)]
    pub persons: PersonsWire,
    /// Per threshold: car thresholds first, then those from the call.
    pub thresholds: Vec<ThresholdWire>,
}

fn rows(monitor: &HospitalMonitor, before: &Beyond, after: &Beyond) -> Vec<ThresholdWire> {
    let difference = after.minus(before);
    let measures = monitor
        .thresholds_min()
        .iter()
        .map(|&m| ("car", m))
        .chain(monitor.call_thresholds_min().iter().map(|&m| ("call", m)));
    let values = |b: &Beyond| -> Vec<Persons> { b.car.iter().chain(&b.call).copied().collect() };
    measures
        .zip(values(before))
        .zip(values(after))
        .zip(values(&difference))
        .map(|((((measure, minutes), b), a), d)| ThresholdWire {
            measure,
            minutes,
            baseline: b.into(),
            scenario: a.into(),
            difference: d.into(),
        })
        .collect()
}

fn area(monitor: &HospitalMonitor, care: &AreaCare, total_name: &str) -> AreaCareWire {
    AreaCareWire {
        code: care.area.as_ref().map(|a| a.code.to_string()),
        name: care
            .area
            .as_ref()
            .map_or_else(|| total_name.to_owned(), |a| a.name.clone()),
        persons: care.persons.into(),
        thresholds: rows(monitor, &care.baseline, &care.scenario),
    }
}

/// A hospital with its baseline catchment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HospitalWire {
    /// Id (`ZH36`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// Persons of the origins for whom it is the nearest hospital.
    pub catchment: PersonsWire,
}

/// An ambulance post.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostWire {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

/// A hospital closed alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitiveWire {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Persons for whom it is the nearest hospital.
    pub catchment: PersonsWire,
    /// Its closure pushes someone past a threshold from the call.
    pub sensitive: bool,
    /// Per threshold, the persons its closure pushes past it.
    pub extra: Vec<ExtraWire>,
}

/// The persons one closure pushes past one threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraWire {
    /// `car` or `call`.
    pub measure: &'static str,
    /// The threshold in minutes.
    pub minutes: f64,
    /// Persons newly beyond it.
    #[serde(flatten)]
    pub persons: PersonsWire,
}

/// The parameters of the computation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParametersWire {
    /// Car-time thresholds in minutes.
    pub thresholds_min: Vec<f64>,
    /// Thresholds from the call in minutes.
    pub call_thresholds_min: Vec<f64>,
    /// From the call to the ambulance leaving its post, minutes.
    pub dispatch_min: f64,
    /// Time with the patient, minutes.
    pub on_scene_min: f64,
    /// Road distance per straight-line distance.
    pub detour_factor: f64,
    /// Straight-line car speed, km/h.
    pub speed_kmh: f64,
}

/// `GET /api/v1/care/hospitals`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HospitalsWire {
    /// Always true: straight line, no road network.
    pub approximate: bool,
    /// How the times are computed.
    pub parameters: ParametersWire,
    /// Every hospital of the bundle.
    pub hospitals: Vec<HospitalWire>,
    /// Every ambulance post of the bundle.
    pub ambulance_posts: Vec<PostWire>,
    /// With every hospital open: the total, per province and per municipality.
    pub baseline: AreasWire,
    /// Every hospital that is the nearest for someone, closed alone, most sensitive first.
    pub sensitive: Vec<SensitiveWire>,
}

/// Counts per area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreasWire {
    /// Every origin.
    pub total: AreaCareWire,
    /// Per province.
    pub provinces: Vec<AreaCareWire>,
    /// Per municipality.
    pub municipalities: Vec<AreaCareWire>,
}

/// A population point whose nearest hospital a scenario changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FallbackWire {
    /// PC4 code.
    pub pc4: String,
    /// Main place.
    pub place: String,
    /// Municipality code.
    pub municipality: String,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// Its persons.
    #[serde(flatten)]
    pub persons: PersonsWire,
    /// Nearest hospital before (id).
    pub from: Option<String>,
    /// Nearest open hospital after (id); `null` when every hospital is closed.
    pub to: Option<String>,
    /// Car minutes before.
    pub car_min_before: Option<f64>,
    /// Car minutes after.
    pub car_min_after: Option<f64>,
    /// Minutes from the call before.
    pub call_min_before: Option<f64>,
    /// Minutes from the call after.
    pub call_min_after: Option<f64>,
}

/// `GET /api/v1/care/hospitals/scenario`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HospitalScenarioWire {
    /// Always true: straight line, no road network.
    pub approximate: bool,
    /// The closed hospitals (ids).
    pub closed: Vec<String>,
    /// Counts per area, baseline and scenario.
    #[serde(flatten)]
    pub areas: AreasWire,
    /// The population points that fall back to another hospital.
    pub fallbacks: Vec<FallbackWire>,
}

const TOTAL_NAME: &str = "total";

fn lon_lat(site: &CareSite) -> (f64, f64) {
    (round(site.point.lon, 6), round(site.point.lat, 6))
}

fn minutes(value: Option<f64>) -> Option<f64> {
    value.map(|m| round(m, 1))
}

fn areas(monitor: &HospitalMonitor, scenario: &HospitalScenario) -> AreasWire {
    AreasWire {
        total: area(monitor, &scenario.total, TOTAL_NAME),
        provinces: scenario
            .provinces
            .iter()
            .map(|p| area(monitor, p, TOTAL_NAME))
            .collect(),
        municipalities: scenario
            .municipalities
            .iter()
            .map(|m| area(monitor, m, TOTAL_NAME))
            .collect(),
    }
}

impl HospitalsWire {
    /// The hospitals, posts, baseline and sensitive table of `monitor`.
    pub fn of(monitor: &HospitalMonitor) -> HospitalsWire {
        let catchments = monitor.catchments();
        let hospital_id = |h: usize| &monitor.hospitals()[h];
        HospitalsWire {
            approximate: monitor.approximate(),
            parameters: ParametersWire {
                thresholds_min: monitor.thresholds_min().to_vec(),
                call_thresholds_min: monitor.call_thresholds_min().to_vec(),
                dispatch_min: monitor.spec().dispatch_min,
                on_scene_min: monitor.spec().on_scene_min,
                detour_factor: Params::default().detour_factor,
                speed_kmh: round(Profile::Car.straight_line_speed_m_per_s() * 3.6, 1),
            },
            hospitals: monitor
                .hospitals()
                .iter()
                .zip(&catchments)
                .map(|(h, c)| {
                    let (lon, lat) = lon_lat(h);
                    HospitalWire {
                        id: h.id.clone(),
                        name: h.name.clone(),
                        lon,
                        lat,
                        catchment: (*c).into(),
                    }
                })
                .collect(),
            ambulance_posts: monitor
                .posts()
                .iter()
                .map(|p| {
                    let (lon, lat) = lon_lat(p);
                    PostWire {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        lon,
                        lat,
                    }
                })
                .collect(),
            baseline: areas(monitor, &monitor.scenario_of(&[])),
            sensitive: monitor
                .sensitive()
                .iter()
                .map(|row| {
                    let measures = monitor
                        .thresholds_min()
                        .iter()
                        .map(|&m| ("car", m))
                        .chain(monitor.call_thresholds_min().iter().map(|&m| ("call", m)));
                    SensitiveWire {
                        id: hospital_id(row.hospital).id.clone(),
                        name: hospital_id(row.hospital).name.clone(),
                        catchment: row.catchment.into(),
                        sensitive: row.sensitive,
                        extra: measures
                            .zip(row.extra.car.iter().chain(&row.extra.call))
                            .map(|((measure, minutes), p)| ExtraWire {
                                measure,
                                minutes,
                                persons: (*p).into(),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

impl HospitalScenarioWire {
    /// A scenario of `monitor` on the wire.
    pub fn of(monitor: &HospitalMonitor, scenario: &HospitalScenario) -> HospitalScenarioWire {
        let id = |h: Option<usize>| h.map(|h| monitor.hospitals()[h].id.clone());
        HospitalScenarioWire {
            approximate: monitor.approximate(),
            closed: scenario
                .closed
                .iter()
                .map(|&h| monitor.hospitals()[h].id.clone())
                .collect(),
            areas: areas(monitor, scenario),
            fallbacks: scenario
                .fallbacks
                .iter()
                .map(|f| {
                    let place = &monitor.places()[f.place];
                    FallbackWire {
                        pc4: place.pc4.clone(),
                        place: place.place.clone(),
                        municipality: monitor.municipalities()[place.municipality]
                            .code
                            .to_string(),
                        lon: round(place.point.lon, 6),
                        lat: round(place.point.lat, 6),
                        persons: f.persons.into(),
                        from: id(f.from),
                        to: id(f.to),
                        car_min_before: minutes(f.car_min.0),
                        car_min_after: minutes(f.car_min.1),
                        call_min_before: minutes(f.call_min.0),
                        call_min_after: minutes(f.call_min.1),
                    }
                })
                .collect(),
        }
    }
}
