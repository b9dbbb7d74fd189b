//! Who lives within reach of an available AED: homes within a distance over the foot network
//! (the alert system's rule is 500 m, about six minutes there and back at a walk), for the AEDs
//! available day and night and for those available at each reference moment.

use leefbaar_network::{Facility, Method, Network, Origin, Params, ReachModel, Wgs84Point};

use crate::availability::{Moment, always_available, available_at};
use crate::error::AedError;
use crate::registration::Aed;

/// The speed the alert system's convention implies: 500 m to the AED and 500 m on to the
/// patient in six minutes, 1,000 m / 360 s ≈ 2.78 m/s. Responders' measured speeds are 1.8–3.1 m/s
/// (walking briskly to running), so the convention assumes a fast responder.
pub const CONVENTION_SPEED_M_PER_S: f64 = 1_000.0 / 360.0;

/// The distance to an AED that a responder at `speed_m_per_s` covers there and back in
/// `minutes`: the AED has to be fetched and carried back to the patient.
///
/// # Units
/// Minutes and metres per second in, metres out.
pub fn distance_for_minutes(minutes: f64, speed_m_per_s: f64) -> f64 {
    minutes * 60.0 * speed_m_per_s / 2.0
}

/// Coverage under one availability rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// `24/7`, or the moment's name (`day`, `evening`, `night`).
    pub rule: String,
    /// AEDs counted under the rule.
    pub aeds: usize,
    /// Homes placed on the network (farther than the engine's snapping limit from every road
    /// they are not).
    pub homes_placed: usize,
    /// Homes with a counted AED within the distance.
    pub homes_covered: usize,
}

impl Coverage {
    /// The share of placed homes that are covered, 0–1.
    pub fn share(&self) -> Option<f64> {
        (self.homes_placed > 0).then(|| self.homes_covered as f64 / self.homes_placed as f64)
    }
}

/// Homes as the reach engine's origins: one household each, in no area.
pub(crate) fn home_origins(homes: &[Wgs84Point]) -> Vec<Origin> {
    homes
        .iter()
        .enumerate()
        .map(|(i, point)| Origin {
            id: format!("home {i}"),
            point: *point,
            persons: 1.0,
            areas: Vec::new(),
        })
        .collect()
}

/// Homes within `within_m` over `network` of an AED of `aeds`, and homes placed at all.
fn covered(
    network: &Network,
    homes: &[Origin],
    aeds: &[&Aed],
    within_m: f64,
) -> Result<(usize, usize), AedError> {
    let facilities: Vec<Facility> = aeds
        .iter()
        .map(|aed| Facility {
            id: aed.id.clone(),
            kind: "aed".to_owned(),
            point: aed.point,
        })
        .collect();
    let params = Params {
        radii_m: Vec::new(),
        radii_m_by_kind: std::collections::BTreeMap::new(),
        distance_thresholds_m: vec![within_m],
        time_thresholds_s: Vec::new(),
        ..Params::default()
    };
    let model = ReachModel::prepare(Method::Network(network), homes, &facilities, params)?;
    let Some(reach) = model.kind_origins("aed") else {
        // No AED counted: nobody is covered, and the homes are placed as without any.
        let placed = ReachModel::prepare(Method::Network(network), homes, &[], Params::default())?
            .findings()
            .len();
        return Ok((homes.len() - placed, 0));
    };
    let placed = reach
        .iter()
        .filter(|r| r.nearest_distance_m.is_some())
        .count();
    let within = reach
        .iter()
        .filter(|r| r.nearest_distance_m.is_some_and(|d| d <= within_m))
        .count();
    Ok((placed, within))
}

/// Coverage of `homes` within `within_m` over the foot `network` by the AEDs available day and
/// night (`24/7`) and by those available at each of `moments`.
pub fn coverage(
    network: &Network,
    homes: &[Wgs84Point],
    aeds: &[Aed],
    within_m: f64,
    moments: &[Moment],
) -> Result<Vec<Coverage>, AedError> {
    let origins = home_origins(homes);
    let rules: Vec<(String, Vec<&Aed>)> = std::iter::once((
        "24/7".to_owned(),
        aeds.iter().filter(|a| always_available(a)).collect(),
    ))
    .chain(moments.iter().map(|moment| {
        (
            moment.name.to_owned(),
            aeds.iter().filter(|a| available_at(a, moment.at)).collect(),
        )
    }))
    .collect();
    rules
        .into_iter()
        .map(|(rule, counted)| {
            let (homes_placed, homes_covered) = covered(network, &origins, &counted, within_m)?;
            Ok(Coverage {
                rule,
                aeds: counted.len(),
                homes_placed,
                homes_covered,
            })
        })
        .collect()
}

#[cfg(test)]
mod minutes_tests {
    use super::*;

    #[test]
    fn six_minutes_there_and_back_at_the_convention_s_speed_is_500_m_and_slower_responders_reach_less()
     {
        assert!((distance_for_minutes(6.0, CONVENTION_SPEED_M_PER_S) - 500.0).abs() < 1e-9);
        // The slowest measured responders (1.8 m/s) fetch an AED from 324 m away in six minutes.
        assert!((distance_for_minutes(6.0, 1.8) - 324.0).abs() < 1e-9);
    }
}
