//! The catalogue entries of reach, generated from the manifest's `[reach]` section: a kind
//! declared there gets its base variables and indicators (mean distance, and the share of
//! inhabitants within each threshold) without a catalogue edit.

use std::fmt::Write as _;

use leefbaar_ingest::{ReachKindSpec, ReachSpec};
use leefbaar_network::Profile;

/// The key-figure tile of the first kind's distance on fact sheets: after the built-in
/// catalogue's population tiles and the projection (1–7), before the reserves (9–11).
/// The variable every reach indicator divides by: persons with a distance to every kind.
pub const PERSONS_VARIABLE: &str = "reach_persons";

const FIRST_DISTANCE_TILE: u16 = 8;

/// The base variable of `kind`'s person-kilometres.
pub(crate) fn distance_total_variable(kind: &str) -> String {
    format!("reach_{kind}_distance_total")
}

/// The base variable of `kind`'s person-minutes of travel on `profile`.
pub(crate) fn time_total_variable(kind: &str, profile: Profile) -> String {
    format!("reach_{kind}_time_{profile}_total")
}

/// The base variable of the person-weighted count of `kind`'s facilities within `metres`.
pub(crate) fn count_within_total_variable(kind: &str, metres: f64) -> String {
    format!("reach_{kind}_count_within_{}_total", threshold_id(metres))
}

/// The indicator of the mean number of `kind`'s facilities within `metres` of an inhabitant.
pub fn count_within_indicator(kind: &str, metres: f64) -> String {
    format!("reach_count_{kind}_within_{}", threshold_id(metres))
}

/// The indicator of the mean travel time to `kind` on `profile`.
pub fn time_indicator(kind: &str, profile: Profile) -> String {
    format!("reach_time_{kind}_{profile}")
}

/// A threshold in an id: whole kilometres as `5km`, else metres as `500m`.
fn threshold_id(metres: f64) -> String {
    if metres % 1000.0 == 0.0 {
        format!("{}km", metres / 1000.0)
    } else {
        format!("{metres}m")
    }
}

/// A threshold in words: `5 km` or `500 m`.
fn threshold_words(metres: f64) -> String {
    if metres % 1000.0 == 0.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    }
}

/// The base variable of the persons within `metres` of `kind`.
pub(crate) fn within_variable(kind: &str, metres: f64) -> String {
    format!("reach_{kind}_within_{}", threshold_id(metres))
}

/// The base variable of the persons within `minutes` of `kind` on its profile.
pub(crate) fn within_time_variable(kind: &str, minutes: f64) -> String {
    format!("reach_{kind}_within_{minutes}min")
}

/// The base variable of the persons beyond `minutes` of `kind` on its profile.
pub(crate) fn beyond_time_variable(kind: &str, minutes: f64) -> String {
    format!("reach_{kind}_beyond_{minutes}min")
}

/// The indicator of the share of inhabitants within `minutes` of `kind`.
pub fn share_time_indicator(kind: &str, minutes: f64) -> String {
    format!("reach_share_{kind}_within_{minutes}min")
}

/// The indicator of the number of inhabitants beyond `minutes` of `kind`.
pub fn beyond_time_indicator(kind: &str, minutes: f64) -> String {
    format!("reach_persons_{kind}_beyond_{minutes}min")
}

/// The profile in words, as a means of travel (`met de fiets`, `by bicycle`).
fn by_profile(profile: &str) -> (&'static str, &'static str) {
    match profile {
        "car" => ("met de auto", "by car"),
        "foot" => ("te voet", "on foot"),
        _ => ("met de fiets", "by bicycle"),
    }
}

/// The straight-line speed of a profile in km/h, for the descriptions.
fn straight_line_kmh(profile: &str) -> f64 {
    profile
        .parse::<leefbaar_network::Profile>()
        .map_or(f64::NAN, |p| {
            (p.straight_line_speed_m_per_s() * 3.6).round()
        })
}

/// The indicator of the mean distance to `kind`.
pub fn distance_indicator(kind: &str) -> String {
    format!("reach_distance_{kind}")
}

/// The indicator of the share of inhabitants within `metres` of `kind`.
pub fn share_indicator(kind: &str, metres: f64) -> String {
    format!("reach_share_{kind}_within_{}", threshold_id(metres))
}

/// Every indicator id generated for `kind`.
pub fn indicator_ids(kind: &ReachKindSpec) -> Vec<String> {
    std::iter::once(distance_indicator(&kind.id))
        .chain(
            kind.thresholds_m
                .iter()
                .map(|t| share_indicator(&kind.id, *t)),
        )
        .chain(kind.thresholds_min.iter().flat_map(|t| {
            [
                share_time_indicator(&kind.id, *t),
                beyond_time_indicator(&kind.id, *t),
            ]
        }))
        .chain(Profile::ALL.iter().map(|p| time_indicator(&kind.id, *p)))
        .chain(
            kind.thresholds_m
                .iter()
                .map(|t| count_within_indicator(&kind.id, *t)),
        )
        .collect()
}

/// "a" or "an" before an English noun, by its first letter.
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A TOML string, escaped by the TOML crate (quotes, backslashes and control characters).
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The catalogue extension (in the catalogue's TOML format) declaring reach's source, base
/// variables and indicators for every kind of `spec`, in the manifest's order.
pub fn catalogue_entries(spec: &ReachSpec) -> String {
    let origins = &spec.origins_note;
    let approximate_nl =
        "Benadering: rechte lijn × 1,3 tenzij een wegennet (OpenStreetMap) werd opgegeven";
    let approximate_en =
        "Approximate: straight line × 1.3 unless a road network (OpenStreetMap) was given";
    let mut out = String::new();
    let _ = writeln!(
        out,
        "[[source]]\nid = {}\ndescription = {}\n",
        quoted(&spec.source.id),
        quoted(&spec.source.description)
    );
    let _ = writeln!(
        out,
        "[[variable]]\nid = {}\nunit = \"persons\"\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
        quoted(PERSONS_VARIABLE),
        quoted(
            "Inwoners van de herkomstpunten met een afstand tot elke voorzieningsoort; de noemer van de bereikbaarheidsindicatoren"
        ),
        quoted(
            "Inhabitants of the origin points with a distance to every facility kind; the denominator of the reach indicators"
        ),
    );
    for kind in &spec.kinds {
        let (nl, en) = (&kind.name.nl, &kind.name.en);
        let _ = writeln!(
            out,
            "[[variable]]\nid = {}\nunit = \"km\"\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
            quoted(&distance_total_variable(&kind.id)),
            quoted(&format!(
                "Som over de inwoners van de afstand tot de dichtstbijzijnde {nl}, in persoon-km"
            )),
            quoted(&format!(
                "Sum over inhabitants of the distance to the nearest {en}, in person-km"
            )),
        );
        for threshold in &kind.thresholds_m {
            let words = threshold_words(*threshold);
            let _ = writeln!(
                out,
                "[[variable]]\nid = {}\nunit = \"persons\"\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&within_variable(&kind.id, *threshold)),
                quoted(&format!(
                    "Inwoners binnen {words} van de dichtstbijzijnde {nl}"
                )),
                quoted(&format!("Inhabitants within {words} of the nearest {en}")),
            );
        }
        for threshold in &kind.thresholds_m {
            let words = threshold_words(*threshold);
            let _ = writeln!(
                out,
                "[[variable]]\nid = {}\nunit = \"count\"\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&count_within_total_variable(&kind.id, *threshold)),
                quoted(&format!(
                    "Som over de inwoners van het aantal voorzieningen ({nl}) binnen {words}"
                )),
                quoted(&format!(
                    "Sum over inhabitants of the number of facilities ({en}) within {words}"
                )),
            );
        }
        for profile in Profile::ALL {
            let (by_nl, by_en) = by_profile(profile.as_str());
            let _ = writeln!(
                out,
                "[[variable]]\nid = {}\nunit = \"minutes\"\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&time_total_variable(&kind.id, profile)),
                quoted(&format!(
                    "Som over de inwoners van de reistijd {by_nl} naar de snelst bereikbare {nl}, in persoon-minuten"
                )),
                quoted(&format!(
                    "Sum over inhabitants of the travel time {by_en} to the quickest {en} to reach, in person-minutes"
                )),
            );
        }
        let (by_nl, by_en) = by_profile(&kind.profile);
        for minutes in &kind.thresholds_min {
            for (variable, nl_words, en_words) in [
                (within_time_variable(&kind.id, *minutes), "binnen", "within"),
                (
                    beyond_time_variable(&kind.id, *minutes),
                    "verder dan",
                    "beyond",
                ),
            ] {
                let _ = writeln!(
                    out,
                    "[[variable]]\nid = {}\nunit = \"persons\"\nadditive = true\ndescription.nl = {}\ndescription.en = {}\n",
                    quoted(&variable),
                    quoted(&format!(
                        "Inwoners {nl_words} {minutes} minuten {by_nl} van de dichtstbijzijnde {nl}"
                    )),
                    quoted(&format!(
                        "Inhabitants {en_words} {minutes} minutes {by_en} of the nearest {en}"
                    )),
                );
            }
        }
    }
    for (index, kind) in spec.kinds.iter().enumerate() {
        let (nl, en) = (&kind.name.nl, &kind.name.en);
        // Every kind's distance is a bar of the fact sheets' reach chart, labelled with the
        // kind's name; the first kind's is a key-figure tile too. Reach is measured for one
        // year, so sheets of other years show its latest.
        let tile = if index == 0 {
            format!("tile = {FIRST_DISTANCE_TILE}, ")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "[[indicator]]\nid = {}\nkind = \"mean\"\ntotal = {}\ncount = {}\nunit = \"km\"\ndecimals = 1\ntheme = \"reach\"\nsource = {}\nname.nl = {}\nname.en = {}\nfactsheet = {{ {tile}latest = true, chart = \"reach\", label = {{ nl = {}, en = {} }} }}\ndescription.nl = {}\ndescription.en = {}\n",
            quoted(&distance_indicator(&kind.id)),
            quoted(&distance_total_variable(&kind.id)),
            quoted(PERSONS_VARIABLE),
            quoted(&spec.source.id),
            quoted(&format!("Afstand tot {nl} (benadering)")),
            quoted(&format!("Distance to {en} (approximate)")),
            quoted(nl),
            quoted(en),
            quoted(&format!(
                "Gemiddelde afstand van de inwoners tot de dichtstbijzijnde {nl}; {}. {approximate_nl}; {}.",
                kind.covers.nl, origins.nl
            )),
            quoted(&format!(
                "Average distance of inhabitants to the nearest {en}; {}. {approximate_en}; {}.",
                kind.covers.en, origins.en
            )),
        );
        for threshold in &kind.thresholds_m {
            let words = threshold_words(*threshold);
            let _ = writeln!(
                out,
                "[[indicator]]\nid = {}\nkind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\ntheme = \"reach\"\nsource = {}\nname.nl = {}\nname.en = {}\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&share_indicator(&kind.id, *threshold)),
                quoted(&within_variable(&kind.id, *threshold)),
                quoted(PERSONS_VARIABLE),
                quoted(&spec.source.id),
                quoted(&format!("Aandeel binnen {words} van {nl} (benadering)")),
                quoted(&format!(
                    "Share within {words} of {} {en} (approximate)",
                    article(en)
                )),
                quoted(&format!(
                    "Percentage van de inwoners dat binnen {words} van de dichtstbijzijnde {nl} woont. {approximate_nl}; {}.",
                    origins.nl
                )),
                quoted(&format!(
                    "Percentage of inhabitants living within {words} of the nearest {en}. {approximate_en}; {}.",
                    origins.en
                )),
            );
        }
        for threshold in &kind.thresholds_m {
            let words = threshold_words(*threshold);
            let _ = writeln!(
                out,
                "[[indicator]]\nid = {}\nkind = \"mean\"\ntotal = {}\ncount = {}\nunit = \"count\"\ndecimals = 1\ntheme = \"reach\"\nsource = {}\nname.nl = {}\nname.en = {}\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&count_within_indicator(&kind.id, *threshold)),
                quoted(&count_within_total_variable(&kind.id, *threshold)),
                quoted(PERSONS_VARIABLE),
                quoted(&spec.source.id),
                quoted(&format!("Aantal {nl} binnen {words} (benadering)")),
                quoted(&format!("Number of {en} within {words} (approximate)")),
                quoted(&format!(
                    "Gemiddeld aantal voorzieningen ({nl}) binnen {words} van de woonplek van de inwoners, zoals CBS het aantal binnen 1, 3 en 5 km telt. {approximate_nl}; {}.",
                    origins.nl
                )),
                quoted(&format!(
                    "Average number of facilities ({en}) within {words} of where inhabitants live, as CBS counts them within 1, 3 and 5 km. {approximate_en}; {}.",
                    origins.en
                )),
            );
        }
        let (by_nl, by_en) = by_profile(&kind.profile);
        let kmh = straight_line_kmh(&kind.profile);
        let time_nl = format!(
            "Reistijd {by_nl}: over het wegennet (maximumsnelheden en profielsnelheden) als dat werd opgegeven, anders rechte lijn × 1,3 bij {kmh} km/u (benadering)"
        );
        let time_en = format!(
            "Travel time {by_en}: over the road network (speed limits and profile speeds) when one was given, else straight line × 1.3 at {kmh} km/h (approximate)"
        );
        for minutes in &kind.thresholds_min {
            let _ = writeln!(
                out,
                "[[indicator]]\nid = {}\nkind = \"share\"\nnumerator = {}\ndenominator = {}\nunit = \"percent\"\ndecimals = 1\ntheme = \"reach\"\nsource = {}\nname.nl = {}\nname.en = {}\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&share_time_indicator(&kind.id, *minutes)),
                quoted(&within_time_variable(&kind.id, *minutes)),
                quoted(PERSONS_VARIABLE),
                quoted(&spec.source.id),
                quoted(&format!(
                    "Aandeel binnen {minutes} min {by_nl} van {nl} (benadering)"
                )),
                quoted(&format!(
                    "Share within {minutes} min {by_en} of {} {en} (approximate)",
                    article(en)
                )),
                quoted(&format!(
                    "Percentage van de inwoners dat binnen {minutes} minuten {by_nl} van de dichtstbijzijnde {nl} woont. {time_nl}; {}.",
                    origins.nl
                )),
                quoted(&format!(
                    "Percentage of inhabitants living within {minutes} minutes {by_en} of the nearest {en}. {time_en}; {}.",
                    origins.en
                )),
            );
            let _ = writeln!(
                out,
                "[[indicator]]\nid = {}\nkind = \"count\"\nvariable = {}\nunit = \"persons\"\ndecimals = 0\ntheme = \"reach\"\nsource = {}\nname.nl = {}\nname.en = {}\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&beyond_time_indicator(&kind.id, *minutes)),
                quoted(&beyond_time_variable(&kind.id, *minutes)),
                quoted(&spec.source.id),
                quoted(&format!(
                    "Inwoners verder dan {minutes} min {by_nl} van {nl} (benadering)"
                )),
                quoted(&format!(
                    "Inhabitants beyond {minutes} min {by_en} of {} {en} (approximate)",
                    article(en)
                )),
                quoted(&format!(
                    "Aantal inwoners dat verder dan {minutes} minuten {by_nl} van de dichtstbijzijnde {nl} woont. {time_nl}; {}.",
                    origins.nl
                )),
                quoted(&format!(
                    "Number of inhabitants living more than {minutes} minutes {by_en} from the nearest {en}. {time_en}; {}.",
                    origins.en
                )),
            );
        }
        for profile in Profile::ALL {
            let (by_nl, by_en) = by_profile(profile.as_str());
            let kmh = straight_line_kmh(profile.as_str());
            let own = if profile.as_str() == kind.profile {
                (
                    " Dit is het eigen profiel van deze voorzieningsoort: de drempels in minuten en de scenario's gebruiken het.",
                    " This is the kind's own profile: its time thresholds and scenarios use it.",
                )
            } else {
                ("", "")
            };
            let _ = writeln!(
                out,
                "[[indicator]]\nid = {}\nkind = \"mean\"\ntotal = {}\ncount = {}\nunit = \"minutes\"\ndecimals = 1\ntheme = \"reach\"\nsource = {}\nname.nl = {}\nname.en = {}\ndescription.nl = {}\ndescription.en = {}\n",
                quoted(&time_indicator(&kind.id, profile)),
                quoted(&time_total_variable(&kind.id, profile)),
                quoted(PERSONS_VARIABLE),
                quoted(&spec.source.id),
                quoted(&format!("Reistijd {by_nl} tot {nl} (benadering)")),
                quoted(&format!(
                    "Travel time {by_en} to {} {en} (approximate)",
                    article(en)
                )),
                quoted(&format!(
                    "Gemiddelde reistijd {by_nl} van de inwoners tot de snelst bereikbare {nl}, in minuten: over het wegennet (maximumsnelheden en profielsnelheden) als dat werd opgegeven, anders rechte lijn × 1,3 bij {kmh} km/u (benadering); {}.{}",
                    origins.nl, own.0
                )),
                quoted(&format!(
                    "Average travel time {by_en} of inhabitants to the quickest {en} to reach, in minutes: over the road network (speed limits and profile speeds) when one was given, else straight line × 1.3 at {kmh} km/h (approximate); {}.{}",
                    origins.en, own.1
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use leefbaar_ingest::ReachSource;
    use leefbaar_model::{FactsheetChart, LocalizedText, Year};

    use super::*;

    fn text(nl: &str, en: &str) -> LocalizedText {
        LocalizedText {
            nl: nl.to_owned(),
            en: en.to_owned(),
        }
    }

    fn kind(id: &str, nl: &str, en: &str) -> ReachKindSpec {
        ReachKindSpec {
            id: id.to_owned(),
            file: format!("{id}.csv").into(),
            name: text(nl, en),
            covers: text("alle", "all"),
            profile: "car".to_owned(),
            thresholds_m: vec![5000.0],
            thresholds_min: vec![30.0],
        }
    }

    /// Every kind's distance is a bar of the sheets' reach chart, labelled with the kind's
    /// name; the first kind's is also a tile; the shares are not on the sheets.
    #[test]
    fn the_distances_are_on_the_fact_sheets_by_their_catalogue_flag() {
        let spec = ReachSpec {
            year: Year::new(2024).unwrap(),
            origins: "origins.csv".into(),
            neighbourhood_origins: None,
            grid: None,
            origins_note: text("herkomst", "origins"),
            source: ReachSource {
                id: "reach_test".to_owned(),
                file: "facilities".to_owned(),
                table: "t".to_owned(),
                licence: "CC0".to_owned(),
                attribution: "a".to_owned(),
                description: "d".to_owned(),
            },
            kinds: vec![
                kind("aed", "AED", "AED"),
                kind("pharmacy", "apotheek", "pharmacy"),
            ],
        };
        let catalogue = leefbaar_indicators::default_catalogue()
            .extend("reach", &catalogue_entries(&spec))
            .unwrap();
        let flag = |id: &str| catalogue.indicator(id).unwrap().factsheet.clone();
        let aed = flag("reach_distance_aed").unwrap();
        assert_eq!(
            (aed.tile, aed.latest, aed.chart),
            (Some(FIRST_DISTANCE_TILE), true, Some(FactsheetChart::Reach))
        );
        assert_eq!(aed.label, Some(text("AED", "AED")));
        let pharmacy = flag("reach_distance_pharmacy").unwrap();
        assert_eq!(
            (pharmacy.tile, pharmacy.chart),
            (None, Some(FactsheetChart::Reach))
        );
        assert_eq!(pharmacy.label, Some(text("apotheek", "pharmacy")));
        assert_eq!(flag("reach_share_aed_within_5km"), None);
    }

    #[test]
    fn thresholds_read_as_kilometres_when_whole_and_metres_otherwise() {
        assert_eq!(threshold_id(5000.0), "5km");
        assert_eq!(threshold_id(500.0), "500m");
        assert_eq!(threshold_words(20_000.0), "20 km");
        assert_eq!(threshold_words(1500.0), "1500 m");
        assert_eq!(within_variable("aed", 500.0), "reach_aed_within_500m");
        assert_eq!(article("ambulance post"), "an");
        assert_eq!(article("hospital"), "a");
        assert_eq!(
            within_time_variable("hospital", 30.0),
            "reach_hospital_within_30min"
        );
        assert_eq!(
            beyond_time_indicator("hospital", 45.0),
            "reach_persons_hospital_beyond_45min"
        );
        assert_eq!(straight_line_kmh("bicycle"), 15.0);
    }
}
