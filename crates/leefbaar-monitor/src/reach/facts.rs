//! Reach as facts for the store: per municipality, district, neighbourhood and postcode area,
//! summable base variables (persons, person-kilometres, persons within each distance and time
//! threshold and beyond each time threshold), from which the indicator engine recomputes means
//! and shares at every level.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, AreaLevel, CellValue, Fact, Method, Year};

use super::ReachMonitor;
use super::catalogue::{
    PERSONS_VARIABLE, beyond_time_variable, distance_total_variable, time_total_variable,
    within_time_variable, within_variable,
};

/// Facts of the reach base variables for the municipalities, districts, neighbourhoods and
/// postcode areas of the origins, in the reach year.
///
/// An origin counts (in `reach_persons` and every kind's sums) when it has a distance to every
/// kind and a travel time to every kind on every profile (times by straight line at the
/// profile's speed without a network), so all kinds and profiles share one denominator; origins
/// off a road network are left out.
/// Provinces and the Netherlands are left to the engine, which sums municipalities.
pub fn facts(reach: &ReachMonitor) -> Vec<Fact> {
    let kinds: Vec<_> = reach
        .spec()
        .kinds
        .iter()
        .filter_map(|kind| {
            Some((
                kind,
                reach.kind_report(&kind.id)?,
                reach.kind_reports_by_profile(&kind.id)?,
            ))
        })
        .collect();
    let mut sums: BTreeMap<(AreaCode, String), f64> = BTreeMap::new();
    for (o, origin) in reach.origins().iter().enumerate() {
        // Per kind: the distance and time on its own profile, and the time on every profile.
        let measured: Option<Vec<(f64, f64, Vec<f64>)>> = kinds
            .iter()
            .map(|(_, report, by_profile)| {
                let own = &report.origins[o];
                let times: Option<Vec<f64>> = by_profile
                    .iter()
                    .map(|(_, r)| r.origins[o].nearest_time_s)
                    .collect();
                Some((own.nearest_distance_m?, own.nearest_time_s?, times?))
            })
            .collect();
        let Some(measured) = measured else {
            continue;
        };
        let w = origin.persons;
        for area in origin.areas.iter().filter(|a| {
            matches!(
                a.level(),
                AreaLevel::Municipality
                    | AreaLevel::District
                    | AreaLevel::Neighbourhood
                    | AreaLevel::Postcode
            )
        }) {
            let mut add = |variable: String, value: f64| {
                *sums.entry((area.clone(), variable)).or_insert(0.0) += value;
            };
            add(PERSONS_VARIABLE.to_owned(), w);
            for ((kind, _, by_profile), (d, s, times)) in kinds.iter().zip(&measured) {
                add(distance_total_variable(&kind.id), w * d / 1000.0);
                for ((profile, _), seconds) in by_profile.iter().zip(times) {
                    add(time_total_variable(&kind.id, *profile), w * seconds / 60.0);
                }
                for threshold in &kind.thresholds_m {
                    add(
                        within_variable(&kind.id, *threshold),
                        if *d <= *threshold { w } else { 0.0 },
                    );
                }
                for minutes in &kind.thresholds_min {
                    let within = *s <= minutes * 60.0;
                    add(
                        within_time_variable(&kind.id, *minutes),
                        if within { w } else { 0.0 },
                    );
                    add(
                        beyond_time_variable(&kind.id, *minutes),
                        if within { 0.0 } else { w },
                    );
                }
            }
        }
    }
    let year: Year = reach.spec().year;
    sums.into_iter()
        .map(|((area, variable), value)| Fact {
            area,
            year,
            variable,
            value: CellValue::Value(value),
            // Computed from bundled inputs, not read from a published cell.
            method: Method::Derived,
            rows: Vec::new(),
        })
        .collect()
}

/// Marks every reach observation with how its distances were measured, and drops the
/// Netherlands' (only the origins' province has reach facts, so the country would be a sum of
/// one province's municipalities out of 342).
pub fn annotate(reach: &ReachMonitor, computed: &mut leefbaar_indicators::Computed) {
    let netherlands = AreaCode::netherlands();
    computed
        .observations
        .retain(|o| !(o.indicator.starts_with("reach_") && o.area == netherlands));
    computed
        .findings
        .retain(|f| !(f.subject.starts_with("reach_") && f.area == netherlands));
    let kind_of: std::collections::HashMap<String, &str> = reach
        .spec()
        .kinds
        .iter()
        .flat_map(|kind| {
            super::catalogue::indicator_ids(kind)
                .into_iter()
                .map(move |id| (id, kind.id.as_str()))
        })
        .collect();
    for observation in computed
        .observations
        .iter_mut()
        .filter(|o| o.indicator.starts_with("reach_"))
    {
        let note = kind_of
            .get(&observation.indicator)
            .map_or_else(|| reach.note(), |kind| reach.note_of(kind).to_owned());
        observation.provenance.note = format!("{} — {note}", observation.provenance.note);
    }
}

/// The source record of the reach figures: the manifest's, with the road network's licence
/// when one was used.
pub fn source(
    spec: &leefbaar_ingest::ReachSpec,
    with_network: bool,
    imported_at: &str,
) -> leefbaar_model::Source {
    let source = &spec.source;
    let (licence, attribution) = if with_network {
        (
            format!("{}; ODbL (road network)", source.licence),
            format!("{}; © OpenStreetMap contributors", source.attribution),
        )
    } else {
        (source.licence.clone(), source.attribution.clone())
    };
    leefbaar_model::Source {
        id: source.id.clone(),
        file: source.file.clone(),
        table: source.table.clone(),
        licence,
        attribution,
        imported_at: imported_at.to_owned(),
    }
}
