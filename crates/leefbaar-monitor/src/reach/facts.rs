//! Reach as facts for the store: per municipality, district, neighbourhood and postcode area,
//! summable base variables (persons, person-kilometres, person-minutes on every profile,
//! person-weighted counts of facilities within each distance threshold, persons within each
//! distance and time threshold and beyond each time threshold), from which the indicator engine
//! recomputes means and shares at every level.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, AreaLevel, CellValue, Fact, Method, Year};

use super::ReachMonitor;
use super::catalogue::{
    PERSONS_VARIABLE, beyond_time_variable, count_within_total_variable, distance_total_variable,
    time_total_variable, within_time_variable, within_variable,
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
            let (own, by_profile) = reach.kind_origins(&kind.id)?;
            Some((kind, own, by_profile))
        })
        .collect();
    // The variables, in the order `origin_values` gives their values.
    let mut variables = vec![PERSONS_VARIABLE.to_owned()];
    for (kind, _, by_profile) in &kinds {
        variables.push(distance_total_variable(&kind.id));
        for (profile, _) in by_profile {
            variables.push(time_total_variable(&kind.id, *profile));
        }
        for threshold in &kind.thresholds_m {
            variables.push(count_within_total_variable(&kind.id, *threshold));
            variables.push(within_variable(&kind.id, *threshold));
        }
        for minutes in &kind.thresholds_min {
            variables.push(within_time_variable(&kind.id, *minutes));
            variables.push(beyond_time_variable(&kind.id, *minutes));
        }
    }
    // Per origin its weighted values once, then added to each of its areas.
    let origin_values = |o: usize, w: f64| -> Option<Vec<f64>> {
        let mut values = Vec::with_capacity(variables.len());
        values.push(w);
        for (kind, own, by_profile) in &kinds {
            let own = &by_profile[*own].1[o];
            let (d, s) = (own.nearest_distance_m?, own.nearest_time_s?);
            values.push(w * d / 1000.0);
            for (_, r) in by_profile {
                values.push(w * r[o].nearest_time_s? / 60.0);
            }
            // The engine counts within the kind's distance thresholds, in their order.
            for (i, threshold) in kind.thresholds_m.iter().enumerate() {
                let count = own.within_radius.get(i).copied().unwrap_or(0);
                values.push(w * f64::from(count));
                values.push(if d <= *threshold { w } else { 0.0 });
            }
            for minutes in &kind.thresholds_min {
                let within = s <= minutes * 60.0;
                values.push(if within { w } else { 0.0 });
                values.push(if within { 0.0 } else { w });
            }
        }
        Some(values)
    };
    let mut sums: BTreeMap<&AreaCode, Vec<f64>> = BTreeMap::new();
    for (o, origin) in reach.origins().iter().enumerate() {
        let Some(values) = origin_values(o, origin.persons) else {
            continue;
        };
        for area in origin.areas.iter().filter(|a| {
            matches!(
                a.level(),
                AreaLevel::Municipality
                    | AreaLevel::District
                    | AreaLevel::Neighbourhood
                    | AreaLevel::Postcode
            )
        }) {
            let sum = sums
                .entry(area)
                .or_insert_with(|| vec![0.0; variables.len()]);
            for (total, value) in sum.iter_mut().zip(&values) {
                *total += value;
            }
        }
    }
    let year: Year = reach.spec().year;
    let mut facts: Vec<Fact> = sums
        .into_iter()
        .flat_map(|(area, values)| {
            variables
                .iter()
                .zip(values)
                .map(move |(variable, value)| Fact {
                    area: area.clone(),
                    year,
                    variable: variable.clone(),
                    value: CellValue::Value(value),
                    // Computed from bundled inputs, not read from a published cell.
                    method: Method::Derived,
                    rows: Vec::new(),
                })
        })
        .collect();
    // In (area, variable) order, as the store has always received them.
    facts.sort_by(|a, b| (&a.area, &a.variable).cmp(&(&b.area, &b.variable)));
    facts
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
