//! AED coverage (Hartveilig) on the wire: points in WGS84 degrees (six decimals), persons to
//! one decimal (residents are spread over a lattice, so they are fractions), distances in whole
//! metres, shares in percent; availability per rule as an object keyed by the rule.

use std::collections::BTreeMap;

use leefbaar_model::AreaCode;
use leefbaar_monitor::aed::{AedPoint, Moved, PlacementReport, SuggestedSite, WhiteSpot, rules};
use leefbaar_network::Wgs84Point;
use serde::Serialize;

use super::round;

fn lon_lat(point: Wgs84Point) -> [f64; 2] {
    [round(point.lon, 6), round(point.lat, 6)]
}

fn persons(value: f64) -> f64 {
    round(value, 1)
}

fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| round(100.0 * part / whole, 1))
}

fn code(area: Option<&AreaCode>) -> Option<String> {
    area.map(ToString::to_string)
}

/// An AED with its availability under every rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AedWire {
    /// The register's id.
    pub id: String,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// `outdoor`, `indoor` or `unknown`.
    pub placement: &'static str,
    /// `24/7`, the opening hours as registered, or empty when none are stated.
    pub opening_hours: String,
    /// Open to the public.
    pub public: bool,
    /// Per rule (`24_7`, `day`, `evening`, `night`, `weekend`), whether it counts.
    pub available: BTreeMap<&'static str, bool>,
    /// Citizen responders within the responder radius, when responders are known.
    pub responders_near: Option<f64>,
    /// The municipality it counts in.
    pub municipality: Option<String>,
}

impl From<&AedPoint> for AedWire {
    fn from(point: &AedPoint) -> AedWire {
        let [lon, lat] = lon_lat(point.point);
        AedWire {
            id: point.id.clone(),
            lon,
            lat,
            placement: point.placement,
            opening_hours: point.opening_hours.clone(),
            public: point.public,
            available: rules().into_iter().zip(point.available.clone()).collect(),
            responders_near: point.responders_near.map(persons),
            municipality: code(point.municipality.as_ref()),
        }
    }
}

/// A populated place with residents beyond the coverage distance of every available AED.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhiteSpotWire {
    /// The population point's id.
    pub id: String,
    /// Longitude of its centre, degrees east.
    pub lon: f64,
    /// Latitude of its centre, degrees north.
    pub lat: f64,
    /// Its residents.
    pub persons: f64,
    /// Of them, without an available AED within the distance.
    pub uncovered: f64,
    /// `uncovered` as a percentage of `persons`.
    pub share_uncovered: Option<f64>,
    /// Straight-line distance from its centre to the nearest available AED (within 10 km), metres.
    pub nearest_aed_m: Option<f64>,
    /// Its municipality.
    pub municipality: Option<String>,
    /// The municipality's name.
    pub municipality_name: Option<String>,
    /// Its postcode area.
    pub postcode: Option<String>,
    /// Its neighbourhood.
    pub neighbourhood: Option<String>,
    /// The neighbourhood's name.
    pub neighbourhood_name: Option<String>,
}

impl WhiteSpotWire {
    /// The wire form of `spot`; `name` names its municipality and neighbourhood.
    pub fn of(spot: &WhiteSpot, name: &dyn Fn(&str) -> Option<String>) -> WhiteSpotWire {
        let [lon, lat] = lon_lat(spot.point);
        let municipality = code(spot.municipality.as_ref());
        WhiteSpotWire {
            id: spot.id.clone(),
            lon,
            lat,
            persons: persons(spot.persons),
            uncovered: persons(spot.uncovered),
            share_uncovered: percent(spot.uncovered, spot.persons),
            nearest_aed_m: spot.nearest_aed_m.map(|m| round(m, 0)),
            municipality_name: municipality.as_deref().and_then(name),
            municipality,
            postcode: code(spot.postcode.as_ref()),
            neighbourhood: code(spot.neighbourhood.as_ref()),
            neighbourhood_name: spot.neighbourhood.as_ref().and_then(|c| name(c.as_str())),
        }
    }
}

/// A suggested site for a new AED, with the residents it adds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteWire {
    /// 1 for the site that adds most, and so on.
    pub rank: usize,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// The population point it stands at (`at ID` beside an AED that hangs inside now).
    pub place_id: String,
    /// Residents it adds, in the order of the list; the gains sum to what the plan adds.
    pub gain: f64,
    /// Residents lost if it alone were left out of the plan.
    pub loss_if_removed: f64,
    /// Its municipality.
    pub municipality: Option<String>,
}

fn site(rank: usize, site: &SuggestedSite) -> SiteWire {
    let [lon, lat] = lon_lat(site.point);
    SiteWire {
        rank,
        lon,
        lat,
        place_id: site.place_id.clone(),
        gain: persons(site.gain),
        loss_if_removed: persons(site.loss_if_removed),
        municipality: code(site.municipality.as_ref()),
    }
}

/// An AED that should hang outside, where it is or elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveWire {
    /// The register's id.
    pub id: String,
    /// Where it hangs now, `[lon, lat]`.
    pub from: [f64; 2],
    /// Where it should hang outside, `[lon, lat]`.
    pub to: [f64; 2],
    /// Whether it stays where it is (and only moves outside).
    pub stays: bool,
}

impl From<&Moved> for MoveWire {
    fn from(moved: &Moved) -> MoveWire {
        MoveWire {
            id: moved.id.clone(),
            from: lon_lat(moved.from),
            to: lon_lat(moved.to),
            stays: moved.from == moved.to,
        }
    }
}

/// One point of the coverage curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// New AEDs placed.
    pub new_aeds: usize,
    /// Residents covered with them.
    pub covered: f64,
    /// As a percentage of the residents counted.
    pub share_covered: Option<f64>,
}

/// Where new (and optionally moved) AEDs cover most residents under a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementWire {
    /// The rule.
    pub rule: &'static str,
    /// The area the plan is for; `null` for the whole bundle.
    pub area: Option<String>,
    /// New AEDs asked for.
    pub k: usize,
    /// Whether AEDs that do not count under the rule may move outside.
    pub relocate: bool,
    /// Residents counted.
    pub persons: f64,
    /// Of them, covered now.
    pub covered_now: f64,
    /// `covered_now` as a percentage.
    pub share_covered_now: Option<f64>,
    /// Covered after the plan.
    pub covered_after: f64,
    /// `covered_after` as a percentage.
    pub share_covered_after: Option<f64>,
    /// With relocation: covered when the movable AEDs hang outside where they are now.
    pub covered_outside_in_place: Option<f64>,
    /// The new sites, most gain first.
    pub sites: Vec<SiteWire>,
    /// Covered after 0, 1, …, k new AEDs placed greedily.
    pub curve: Vec<CurvePoint>,
    /// With relocation: the AEDs that should hang outside; empty without.
    pub moves: Vec<MoveWire>,
    /// Candidate sites considered (populated places with uncovered residents).
    pub candidates: usize,
}

impl PlacementWire {
    /// The wire form of `report` for `k` new AEDs.
    pub fn of(report: &PlacementReport, k: usize, relocate: bool) -> PlacementWire {
        let share = |covered: f64| percent(covered, report.persons);
        PlacementWire {
            rule: report.rule,
            area: code(report.area.as_ref()),
            k,
            relocate,
            persons: persons(report.persons),
            covered_now: persons(report.covered_now),
            share_covered_now: share(report.covered_now),
            covered_after: persons(report.covered_after),
            share_covered_after: share(report.covered_after),
            covered_outside_in_place: report.covered_outside_in_place.map(persons),
            sites: report
                .sites
                .iter()
                .enumerate()
                .map(|(i, s)| site(i + 1, s))
                .collect(),
            curve: report
                .curve
                .iter()
                .enumerate()
                .map(|(new_aeds, &covered)| CurvePoint {
                    new_aeds,
                    covered: persons(covered),
                    share_covered: share(covered),
                })
                .collect(),
            moves: report.moves.iter().map(MoveWire::from).collect(),
            candidates: report.candidates,
        }
    }
}
