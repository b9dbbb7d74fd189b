//! Travel profiles (car, bicycle, foot): which OSM ways they use, in which direction, how fast.
//!
//! The rules follow OSM tagging as used in the Netherlands (see the OSM wiki pages "Key:access",
//! "Key:oneway", "OSM tags for routing/Access restrictions#Netherlands"):
//!
//! - **car**: motorway … residential, living_street, service, road; not track, path, footway,
//!   cycleway. `motorcar` / `motor_vehicle` / `vehicle` / `access` decide in that order (the most
//!   specific key present wins); `no`, `private`, `agricultural`, `forestry`, `psv`, `bus`,
//!   `emergency` exclude. Oneway from `oneway`, implied on motorways, motorway links and
//!   roundabouts. Time from `maxspeed` (numbers, `mph`, `NL:urban` 50, `NL:rural` 80,
//!   `NL:motorway` 100, `walk`), else a default per highway class; free-flow, no junction delays.
//! - **bicycle**: cycleway, path, track and all roads except motorway (trunk only with explicit
//!   `bicycle=yes`); footway, pedestrian, bridleway only with `bicycle=yes|designated|permissive`.
//!   `bicycle` / `vehicle` / `access` decide. Oneway as for cars, except `oneway:bicycle=no` or a
//!   `cycleway*=opposite*` lane, which open the way against the flow. 15 km/h.
//! - **foot**: everything walkable except motorway and trunk (Dutch *autowegen* ban pedestrians);
//!   cycleways included, since Dutch traffic law (RVV 1990 art. 4) lets pedestrians use the cycle
//!   path where there is no footway. `foot` / `access` decide. Oneway ignored (except
//!   `oneway:foot`). 5 km/h.
//! - **ferries** (`route=ferry`) for all three, unless the profile's access key says `no`; time
//!   from `duration` when tagged, else 10 km/h. Waiting time is not modelled.

use std::fmt;
use std::str::FromStr;

/// A way of travelling, with its own road network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// Car: paved roads open to motor vehicles, one-way respected (the CBS default).
    Car,
    /// Bicycle: cycleways and roads open to bicycles, with Dutch contra-flow exceptions.
    Bicycle,
    /// Foot: all walkable ways, both directions.
    Foot,
}

impl Profile {
    /// All profiles.
    pub const ALL: [Profile; 3] = [Profile::Car, Profile::Bicycle, Profile::Foot];

    /// The stable identifier (`car`, `bicycle`, `foot`).
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Car => "car",
            Profile::Bicycle => "bicycle",
            Profile::Foot => "foot",
        }
    }

    /// Speed on the off-network leg between a point and the road it snaps to.
    ///
    /// A driveway or garden path: 15 km/h by car and bicycle, 5 km/h on foot.
    ///
    /// # Units
    /// Metres per second.
    pub fn connector_speed_m_per_s(self) -> f64 {
        match self {
            Profile::Car | Profile::Bicycle => 15.0 / 3.6,
            Profile::Foot => 5.0 / 3.6,
        }
    }

    /// The speed that turns a straight-line distance (already × the detour factor) into a
    /// travel time when no road network is given: 60 km/h by car, 15 km/h by bicycle, 5 km/h
    /// on foot. Bicycle and foot are this profile's own network speeds, so times do not jump
    /// when a network is added; car is the free-flow mean of a Dutch rural trip (80 km/h
    /// provincial roads, 60 km/h rural access roads, 50 and 30 km/h through villages); the car
    /// network, timed from `maxspeed`, gave 51–67 km/h on trips of 3 km and more on the OSM
    /// fixtures (the `detour_factors` example; `docs/methods/reach.md`).
    ///
    /// # Units
    /// Metres per second.
    pub fn straight_line_speed_m_per_s(self) -> f64 {
        match self {
            Profile::Car => 60.0 / 3.6,
            Profile::Bicycle => 15.0 / 3.6,
            Profile::Foot => 5.0 / 3.6,
        }
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            Profile::Car => 0,
            Profile::Bicycle => 1,
            Profile::Foot => 2,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.code() == code)
    }

    /// How this profile may use a way with these tags, or `None` if it may not.
    pub fn way_rule(self, tags: &Tags<'_>) -> Option<WayRule> {
        if tags.get("route") == Some("ferry") {
            return self.ferry_rule(tags);
        }
        let highway = tags.get("highway")?;
        if tags.get("area") == Some("yes") {
            return None;
        }
        let (allowed, speed_kmh) = match self {
            Profile::Car => (car_allows(highway, tags), car_speed_kmh(highway, tags)),
            Profile::Bicycle => (bicycle_allows(highway, tags), 15.0),
            Profile::Foot => (foot_allows(highway, tags), 5.0),
        };
        if !allowed {
            return None;
        }
        let (forward, backward) = self.directions(highway, tags);
        Some(WayRule {
            forward,
            backward,
            speed_m_per_s: speed_kmh / 3.6,
            duration_s: None,
        })
    }

    fn ferry_rule(self, tags: &Tags<'_>) -> Option<WayRule> {
        let keys: &[&str] = match self {
            Profile::Car => &["motorcar", "motor_vehicle", "vehicle", "access"],
            Profile::Bicycle => &["bicycle", "vehicle", "access"],
            Profile::Foot => &["foot", "access"],
        };
        if tags.first_of(keys).is_some_and(is_denied) {
            return None;
        }
        Some(WayRule {
            forward: true,
            backward: true,
            speed_m_per_s: 10.0 / 3.6,
            duration_s: tags.get("duration").and_then(parse_duration_s),
        })
    }

    fn directions(self, highway: &str, tags: &Tags<'_>) -> (bool, bool) {
        let general = oneway_value(tags.get("oneway")).or_else(|| {
            let implied = matches!(highway, "motorway" | "motorway_link")
                || matches!(tags.get("junction"), Some("roundabout" | "circular"));
            implied.then_some(Oneway::Forward)
        });
        let oneway = match self {
            Profile::Car => general,
            Profile::Bicycle => {
                if let Some(own) = tags.get("oneway:bicycle") {
                    oneway_value(Some(own))
                } else if [
                    "cycleway",
                    "cycleway:left",
                    "cycleway:right",
                    "cycleway:both",
                ]
                .iter()
                .any(|k| tags.get(k).is_some_and(|v| v.starts_with("opposite")))
                {
                    None
                } else {
                    general
                }
            }
            Profile::Foot => oneway_value(tags.get("oneway:foot")),
        };
        match oneway {
            None => (true, true),
            Some(Oneway::Forward) => (true, false),
            Some(Oneway::Backward) => (false, true),
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = String;
    fn from_str(text: &str) -> Result<Profile, String> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == text.trim())
            .ok_or_else(|| format!("`{text}` is not a profile (expected car, bicycle or foot)"))
    }
}

/// How a profile uses one way.
///
/// # Units
/// `speed_m_per_s` in metres per second; `duration_s` (a ferry's tagged crossing time) in
/// seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayRule {
    /// Travel allowed in the direction of the way's nodes.
    pub forward: bool,
    /// Travel allowed against it.
    pub backward: bool,
    /// Speed used for travel time.
    pub speed_m_per_s: f64,
    /// Fixed time for the whole way, when tagged (ferries).
    pub duration_s: Option<f64>,
}

/// The tags of one way, as key/value pairs.
#[derive(Debug, Clone, Copy)]
pub struct Tags<'a>(pub &'a [(String, String)]);

impl<'a> Tags<'a> {
    /// The value of `key`, if tagged.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The value of the first of `keys` that is tagged.
    fn first_of(&self, keys: &[&str]) -> Option<&'a str> {
        keys.iter().find_map(|k| self.get(k))
    }
}

/// The OSM keys the profiles read; other tags are dropped on import.
pub(crate) const RELEVANT_KEYS: &[&str] = &[
    "highway",
    "route",
    "area",
    "access",
    "vehicle",
    "motor_vehicle",
    "motorcar",
    "bicycle",
    "foot",
    "oneway",
    "oneway:bicycle",
    "oneway:foot",
    "junction",
    "cycleway",
    "cycleway:left",
    "cycleway:right",
    "cycleway:both",
    "maxspeed",
    "duration",
];

enum Oneway {
    Forward,
    Backward,
}

fn oneway_value(value: Option<&str>) -> Option<Oneway> {
    match value? {
        "yes" | "true" | "1" => Some(Oneway::Forward),
        "-1" | "reverse" => Some(Oneway::Backward),
        _ => None,
    }
}

fn is_denied(value: &str) -> bool {
    matches!(
        value,
        "no" | "private"
            | "agricultural"
            | "forestry"
            | "psv"
            | "bus"
            | "emergency"
            | "use_sidepath"
    )
}

fn is_granted(value: &str) -> bool {
    matches!(
        value,
        "yes" | "designated" | "permissive" | "destination" | "dismount"
    )
}

fn car_allows(highway: &str, tags: &Tags<'_>) -> bool {
    let class_ok = matches!(
        highway,
        "motorway"
            | "motorway_link"
            | "trunk"
            | "trunk_link"
            | "primary"
            | "primary_link"
            | "secondary"
            | "secondary_link"
            | "tertiary"
            | "tertiary_link"
            | "unclassified"
            | "residential"
            | "living_street"
            | "service"
            | "road"
    );
    class_ok
        && !tags
            .first_of(&["motorcar", "motor_vehicle", "vehicle", "access"])
            .is_some_and(is_denied)
}

fn bicycle_allows(highway: &str, tags: &Tags<'_>) -> bool {
    let decided = tags.first_of(&["bicycle", "vehicle", "access"]);
    match highway {
        "trunk" | "trunk_link" | "footway" | "pedestrian" | "bridleway" | "steps" => {
            tags.get("bicycle").is_some_and(is_granted)
        }
        "cycleway" | "path" | "track" | "primary" | "primary_link" | "secondary"
        | "secondary_link" | "tertiary" | "tertiary_link" | "unclassified" | "residential"
        | "living_street" | "service" | "road" | "busway" => {
            // A busway is open to bicycles only when tagged so.
            if highway == "busway" {
                tags.get("bicycle").is_some_and(is_granted)
            } else {
                !decided.is_some_and(is_denied)
            }
        }
        _ => false,
    }
}

fn foot_allows(highway: &str, tags: &Tags<'_>) -> bool {
    let decided = tags.first_of(&["foot", "access"]);
    match highway {
        "motorway" | "motorway_link" | "trunk" | "trunk_link" | "busway" => {
            tags.get("foot").is_some_and(is_granted)
        }
        "footway" | "pedestrian" | "steps" | "path" | "track" | "cycleway" | "bridleway"
        | "primary" | "primary_link" | "secondary" | "secondary_link" | "tertiary"
        | "tertiary_link" | "unclassified" | "residential" | "living_street" | "service"
        | "road" | "corridor" => !decided.is_some_and(is_denied),
        _ => false,
    }
}

/// Default car speeds per highway class when `maxspeed` is missing or unreadable, in km/h.
///
/// Dutch limits are 130/100 on motorways, 80 outside and 50 inside built-up areas, 30 in
/// residential zones, walking pace in *woonerven*; classes that occur both inside and outside
/// built-up areas get a value in between.
fn default_car_speed_kmh(highway: &str) -> f64 {
    match highway {
        "motorway" => 100.0,
        "trunk" => 80.0,
        "primary" => 70.0,
        "secondary" | "motorway_link" => 60.0,
        "tertiary" | "unclassified" | "trunk_link" | "primary_link" | "secondary_link" => 50.0,
        "tertiary_link" => 40.0,
        "residential" | "road" => 30.0,
        _ => 15.0,
    }
}

fn car_speed_kmh(highway: &str, tags: &Tags<'_>) -> f64 {
    tags.get("maxspeed")
        .and_then(parse_maxspeed_kmh)
        .unwrap_or_else(|| default_car_speed_kmh(highway))
}

/// Parses an OSM `maxspeed` value to km/h.
pub(crate) fn parse_maxspeed_kmh(value: &str) -> Option<f64> {
    let first = value.split(';').next()?.trim();
    let speed = match first {
        "NL:urban" => 50.0,
        "NL:rural" => 80.0,
        "NL:motorway" | "NL:expressway" | "NL:trunk" => 100.0,
        "NL:living_street" | "walk" => 6.0,
        _ => {
            if let Some(mph) = first.strip_suffix("mph") {
                mph.trim().parse::<f64>().ok()? * 1.609_344
            } else {
                first.trim_end_matches("km/h").trim().parse::<f64>().ok()?
            }
        }
    };
    (speed.is_finite() && speed > 0.0).then_some(speed)
}

/// Parses an OSM `duration` (`HH:MM`, `HH:MM:SS` or minutes) to seconds.
pub(crate) fn parse_duration_s(value: &str) -> Option<f64> {
    let parts: Vec<f64> = value
        .trim()
        .split(':')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let seconds = match parts.as_slice() {
        [minutes] => minutes * 60.0,
        [hours, minutes] => hours * 3600.0 + minutes * 60.0,
        [hours, minutes, seconds] => hours * 3600.0 + minutes * 60.0 + seconds,
        _ => return None,
    };
    (seconds.is_finite() && seconds > 0.0).then_some(seconds)
}

#[cfg(test)]
mod tests;
