//! Hospital closures in minutes: per origin the car time to the nearest open hospital and the
//! time from the emergency call until an ambulance brings the person there, for any set of
//! closed hospitals; per area the persons (and persons aged 75+) beyond each threshold.
//!
//! Values in, values out, like [`crate::reach`]. Travel is by straight line (great-circle
//! distance × [`HospitalParams::detour_factor`] at [`HospitalParams::speed_m_per_s`]), reach's
//! car profile without a road network, so every value is approximate; `docs/methods/hospitals.md`
//! says why that is enough for these thresholds and where it is not.
//!
//! The time from the call is the chain RIVM's 45-minute analysis of emergency departments adds
//! up: dispatch ([`HospitalParams::dispatch_s`]), the drive of the ambulance from the nearest
//! post to the person, the time on scene ([`HospitalParams::on_scene_s`]), and the drive from
//! the person to the nearest open hospital. Closing a hospital changes only the last leg.
//!
//! Preparation ranks every hospital for every origin once; a scenario then walks each origin's
//! ranking to its first open hospital, so it costs one or a few steps per origin whatever is
//! closed, and reopening gives back exactly the baseline (the same ranked times are read).

use crate::error::NetworkError;
use crate::geo::{Wgs84Point, haversine_m};
use crate::reach::check_point;

/// How travel times and the chain from the call are computed.
///
/// # Units
/// Speed in metres per second; times in seconds; the detour factor is road metres per
/// straight-line metre.
#[derive(Debug, Clone, PartialEq)]
pub struct HospitalParams {
    /// Road distance per straight-line distance (reach's 1.3).
    pub detour_factor: f64,
    /// Straight-line car speed (reach's car profile: 60 km/h).
    pub speed_m_per_s: f64,
    /// From the call to the ambulance leaving its post.
    pub dispatch_s: f64,
    /// Time with the patient before the drive to hospital.
    pub on_scene_s: f64,
}

/// Where people live, weighted by all persons and by those aged 75 and over.
///
/// # Units
/// Counts of persons.
#[derive(Debug, Clone, PartialEq)]
pub struct CareOrigin {
    /// Record id, used in errors.
    pub id: String,
    /// Position.
    pub point: Wgs84Point,
    /// Inhabitants.
    pub persons: f64,
    /// Inhabitants aged 75 and over.
    pub persons_75_plus: f64,
}

/// A named point: a hospital or an ambulance post.
#[derive(Debug, Clone, PartialEq)]
pub struct CarePoint {
    /// Record id, used in errors and scenarios.
    pub id: String,
    /// Position.
    pub point: Wgs84Point,
}

/// One origin's care in one scenario.
///
/// # Units
/// Seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OriginCare {
    /// The nearest open hospital (index into the hospitals given); `None` when all are closed.
    pub hospital: Option<usize>,
    /// Car time to it.
    pub car_s: Option<f64>,
    /// Time from the call until the ambulance arrives there with the person; `None` without an
    /// open hospital or without an ambulance post.
    pub call_s: Option<f64>,
}

/// Persons beyond the thresholds in one area.
///
/// # Units
/// Counts of persons; `car_beyond[i]` refers to the car threshold `i` given to
/// [`HospitalModel::tally`], `call_beyond[i]` to the call threshold `i`. A person without a
/// value (no open hospital) is beyond every threshold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CareTally {
    /// Inhabitants.
    pub persons: f64,
    /// Inhabitants aged 75 and over.
    pub persons_75_plus: f64,
    /// (persons, persons 75+) beyond each car threshold.
    pub car_beyond: Vec<(f64, f64)>,
    /// (persons, persons 75+) beyond each threshold from the call.
    pub call_beyond: Vec<(f64, f64)>,
}

/// Prepared closure scenarios: every hospital ranked by car time from every origin.
#[derive(Debug, Clone)]
pub struct HospitalModel {
    n_hospitals: usize,
    /// Per origin, `n_hospitals` entries (car seconds, hospital), quickest first; ties go to
    /// the lower index so that the result never depends on anything but the input.
    ranked: Vec<(f64, u32)>,
    /// Per origin, the ambulance's drive from the nearest post.
    post_s: Vec<Option<f64>>,
    params: HospitalParams,
}

fn travel_s(params: &HospitalParams, from: Wgs84Point, to: Wgs84Point) -> f64 {
    haversine_m(from, to) * params.detour_factor / params.speed_m_per_s
}

impl HospitalModel {
    /// Validates the points and ranks every hospital for every origin.
    ///
    /// # Errors
    /// A point outside WGS84 ranges.
    pub fn prepare(
        origins: &[CareOrigin],
        hospitals: &[CarePoint],
        posts: &[CarePoint],
        params: HospitalParams,
    ) -> Result<HospitalModel, NetworkError> {
        for o in origins {
            check_point("origin", &o.id, o.point)?;
        }
        for h in hospitals {
            check_point("facility", &h.id, h.point)?;
        }
        for p in posts {
            check_point("facility", &p.id, p.point)?;
        }
        let mut ranked = Vec::with_capacity(origins.len() * hospitals.len());
        let mut post_s = Vec::with_capacity(origins.len());
        let travel_s = |from, to| travel_s(&params, from, to);
        for o in origins {
            let start = ranked.len();
            ranked.extend(
                hospitals
                    .iter()
                    .zip(0u32..)
                    .map(|(h, i)| (travel_s(o.point, h.point), i)),
            );
            ranked[start..].sort_by(|a: &(f64, u32), b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            // The ambulance drives from its post to the person: the same straight line as the
            // other way round, so the nearest post is the quickest.
            post_s.push(
                posts
                    .iter()
                    .map(|p| travel_s(p.point, o.point))
                    .min_by(f64::total_cmp),
            );
        }
        Ok(HospitalModel {
            n_hospitals: hospitals.len(),
            ranked,
            post_s,
            params,
        })
    }

    /// The approximate car time between two points.
    ///
    /// # Units
    /// Seconds.
    pub fn travel_s(&self, from: Wgs84Point, to: Wgs84Point) -> f64 {
        travel_s(&self.params, from, to)
    }

    /// The settings the model was prepared with.
    pub fn params(&self) -> &HospitalParams {
        &self.params
    }

    /// Number of origins.
    pub fn n_origins(&self) -> usize {
        self.post_s.len()
    }

    /// The ambulance's drive from the nearest post to origin `o`.
    ///
    /// # Units
    /// Seconds.
    pub fn post_s(&self, o: usize) -> Option<f64> {
        self.post_s[o]
    }

    /// Care of origin `o` with the hospitals marked in `closed` (indexed like the hospitals
    /// given; shorter is fine: the rest are open).
    pub fn origin_care(&self, o: usize, closed: &[bool]) -> OriginCare {
        let ranking = &self.ranked[o * self.n_hospitals..(o + 1) * self.n_hospitals];
        let open = ranking
            .iter()
            .find(|(_, h)| !closed.get(*h as usize).copied().unwrap_or(false));
        match open {
            Some(&(car_s, h)) => OriginCare {
                hospital: Some(h as usize),
                car_s: Some(car_s),
                call_s: self.post_s[o]
                    .map(|post| self.params.dispatch_s + post + self.params.on_scene_s + car_s),
            },
            None => OriginCare {
                hospital: None,
                car_s: None,
                call_s: None,
            },
        }
    }

    /// Care of every origin with the hospitals marked in `closed`.
    pub fn outcome(&self, closed: &[bool]) -> Vec<OriginCare> {
        (0..self.n_origins())
            .map(|o| self.origin_care(o, closed))
            .collect()
    }

    /// Persons beyond each threshold per area: `area_of[o]` is origin `o`'s area, an index
    /// below `n_areas`.
    ///
    /// # Units
    /// Thresholds in seconds; a time exactly at a threshold is within it.
    pub fn tally(
        origins: &[CareOrigin],
        care: &[OriginCare],
        area_of: &[usize],
        n_areas: usize,
        car_thresholds_s: &[f64],
        call_thresholds_s: &[f64],
    ) -> Vec<CareTally> {
        let mut tallies = vec![
            CareTally {
                persons: 0.0,
                persons_75_plus: 0.0,
                car_beyond: vec![(0.0, 0.0); car_thresholds_s.len()],
                call_beyond: vec![(0.0, 0.0); call_thresholds_s.len()],
            };
            n_areas
        ];
        let beyond = |time: Option<f64>, threshold: f64| time.is_none_or(|t| t > threshold);
        for ((origin, c), &area) in origins.iter().zip(care).zip(area_of) {
            let tally = &mut tallies[area];
            tally.persons += origin.persons;
            tally.persons_75_plus += origin.persons_75_plus;
            for (cell, &threshold) in tally.car_beyond.iter_mut().zip(car_thresholds_s) {
                if beyond(c.car_s, threshold) {
                    cell.0 += origin.persons;
                    cell.1 += origin.persons_75_plus;
                }
            }
            for (cell, &threshold) in tally.call_beyond.iter_mut().zip(call_thresholds_s) {
                if beyond(c.call_s, threshold) {
                    cell.0 += origin.persons;
                    cell.1 += origin.persons_75_plus;
                }
            }
        }
        tallies
    }
}

#[cfg(test)]
mod tests;
