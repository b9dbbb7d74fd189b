//! Similar municipalities: the ones closest in size and density, so a rural municipality of
//! 25,000 is compared with its like across the country rather than only with Assen and Emmen
//! (as waarstaatjegemeente.nl does with its size classes).
//!
//! Closeness is the Euclidean distance between log inhabitants and log population density,
//! each divided by its standard deviation over all municipalities of the year: logs because a
//! difference of 10,000 inhabitants matters between 20,000 and 30,000 and not between 800,000
//! and 810,000; standardised so neither measure dominates.
//!
//! With the typology (issue 15) each municipality also has a bubble (projected change ×
//! degree of urbanisation): every answer reports it, and `bubble=prefer` ranks the
//! municipalities of the same bubble first (each group by distance), `bubble=only` keeps only
//! those. Size and density are kept as the distance, so the bubble refines the likeness
//! rather than replacing it: two rural municipalities of the same bubble may still differ
//! tenfold in size.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, AreaLevel, Observation};
use leefbaar_store::{ObservationFilter, Store, StoreError};

/// The indicators similarity is measured on.
pub(crate) const BASIS: [&str; 2] = ["inhabitants", "population_density"];

/// How many similar municipalities a profile shows.
pub(crate) const DEFAULT_COUNT: usize = 10;

/// A municipality like the one asked about.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Similar {
    pub code: AreaCode,
    pub inhabitants: f64,
    pub density: f64,
    /// In standard deviations of the two logs.
    pub distance: f64,
}

/// The municipalities most like `code` in the latest year both measures exist for it, nearest
/// first (ties by code), with that year; `None` when `code` is not a municipality with both.
pub(crate) fn similar_municipalities(
    store: &dyn Store,
    code: &AreaCode,
    count: usize,
) -> Result<Option<(u16, Vec<Similar>)>, StoreError> {
    if code.level() != AreaLevel::Municipality {
        return Ok(None);
    }
    let observations = store.observations(&ObservationFilter {
        indicators: BASIS.iter().map(|id| (*id).to_owned()).collect(),
        level: Some(AreaLevel::Municipality),
        ..ObservationFilter::default()
    })?;
    Ok(nearest(&observations, code, count))
}

/// How the bubble of the typology orders similar municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BubbleRule {
    /// By distance only; the bubble is reported.
    Report,
    /// The same bubble first, then the others, each by distance.
    Prefer,
    /// The same bubble only.
    Only,
}

impl BubbleRule {
    /// The rule named `text` (`report`, `prefer`, `only`).
    pub(crate) fn of(text: &str) -> BubbleRule {
        match text {
            "prefer" => BubbleRule::Prefer,
            "only" => BubbleRule::Only,
            _ => BubbleRule::Report,
        }
    }
}

/// Orders `similar` (nearest first, every candidate) by `rule` given each one's bubble and
/// `own`, the bubble of the municipality asked about, and keeps `count`.
pub(crate) fn by_bubble(
    mut similar: Vec<Similar>,
    bubble_of: impl Fn(&AreaCode) -> Option<String>,
    own: Option<&str>,
    rule: BubbleRule,
    count: usize,
) -> Vec<(Similar, Option<String>)> {
    let same = |bubble: &Option<String>| own.is_some() && bubble.as_deref() == own;
    let mut with: Vec<(Similar, Option<String>)> = similar
        .drain(..)
        .map(|s| {
            let bubble = bubble_of(&s.code);
            (s, bubble)
        })
        .collect();
    match rule {
        BubbleRule::Report => {}
        // A stable sort keeps the distance order within each group.
        BubbleRule::Prefer => with.sort_by_key(|(_, bubble)| !same(bubble)),
        BubbleRule::Only => with.retain(|(_, bubble)| same(bubble)),
    }
    with.truncate(count);
    with
}

/// (inhabitants, density) of one municipality in one year.
type Measures = (f64, f64);

/// (inhabitants, density) per municipality per year, where both are numbers above zero.
fn measures(observations: &[Observation]) -> BTreeMap<u16, BTreeMap<&AreaCode, Measures>> {
    let mut pairs: BTreeMap<(u16, &AreaCode), [Option<f64>; 2]> = BTreeMap::new();
    for observation in observations {
        let entry = pairs
            .entry((observation.year.get(), &observation.area))
            .or_default();
        let value = observation.value.value().filter(|v| *v > 0.0);
        if let Some(slot) = BASIS.iter().position(|id| *id == observation.indicator) {
            entry[slot] = value;
        }
    }
    let mut by_year: BTreeMap<u16, BTreeMap<&AreaCode, Measures>> = BTreeMap::new();
    for ((year, area), pair) in pairs {
        if let [Some(inhabitants), Some(density)] = pair {
            by_year
                .entry(year)
                .or_default()
                .insert(area, (inhabitants, density));
        }
    }
    by_year
}

fn nearest(
    observations: &[Observation],
    code: &AreaCode,
    count: usize,
) -> Option<(u16, Vec<Similar>)> {
    let by_year = measures(observations);
    let (&year, all) = by_year
        .iter()
        .rev()
        .find(|(_, all)| all.contains_key(code))?;
    let logs: Vec<(f64, f64)> = all.values().map(|(i, d)| (i.ln(), d.ln())).collect();
    let spread = |pick: fn(&(f64, f64)) -> f64| {
        let n = logs.len() as f64;
        let mean = logs.iter().map(pick).sum::<f64>() / n;
        let variance = logs.iter().map(|p| (pick(p) - mean).powi(2)).sum::<f64>() / n;
        // One municipality (or identical ones): any positive scale gives the same order.
        if variance > 0.0 { variance.sqrt() } else { 1.0 }
    };
    let (sd_inhabitants, sd_density) = (spread(|p| p.0), spread(|p| p.1));
    let (own_inhabitants, own_density) = all[code];
    let mut similar: Vec<Similar> = all
        .iter()
        .filter(|(other, _)| **other != code)
        .map(|(other, &(inhabitants, density))| {
            let di = (inhabitants.ln() - own_inhabitants.ln()) / sd_inhabitants;
            let dd = (density.ln() - own_density.ln()) / sd_density;
            Similar {
                code: (*other).clone(),
                inhabitants,
                density,
                distance: di.hypot(dd),
            }
        })
        .collect();
    similar.sort_by(|a, b| {
        a.distance
            .total_cmp(&b.distance)
            .then_with(|| a.code.cmp(&b.code))
    });
    similar.truncate(count);
    Some((year, similar))
}

#[cfg(test)]
mod tests {
    use leefbaar_model::{AreaCode, CellValue, Observation, Provenance, Year};

    use super::{BubbleRule, by_bubble, nearest};

    fn observation(area: &str, year: u16, indicator: &str, value: f64) -> Observation {
        Observation {
            area: AreaCode::parse(area).unwrap(),
            year: Year::new(year).unwrap(),
            indicator: indicator.to_owned(),
            value: CellValue::Value(value),
            provenance: Provenance::default(),
        }
    }

    fn town(area: &str, inhabitants: f64, density: f64) -> [Observation; 2] {
        [
            observation(area, 2024, "inhabitants", inhabitants),
            observation(area, 2024, "population_density", density),
        ]
    }

    #[test]
    fn the_nearest_in_size_and_density_come_first() {
        let observations: Vec<Observation> = [
            town("GM0001", 25_000.0, 100.0),
            town("GM0002", 26_000.0, 110.0),
            town("GM0003", 24_000.0, 2_000.0),
            town("GM0004", 250_000.0, 105.0),
            town("GM0005", 800_000.0, 5_000.0),
        ]
        .into_iter()
        .flatten()
        .collect();
        let (year, similar) =
            nearest(&observations, &AreaCode::parse("GM0001").unwrap(), 3).unwrap();
        assert_eq!(year, 2024);
        let codes: Vec<&str> = similar.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes[0], "GM0002");
        assert_eq!(codes.len(), 3);
        assert!(!codes.contains(&"GM0001"));
        assert!(similar.windows(2).all(|w| w[0].distance <= w[1].distance));
    }

    #[test]
    fn the_same_bubble_comes_first_or_alone_each_by_distance() {
        let observations: Vec<Observation> = [
            town("GM0001", 25_000.0, 100.0),
            town("GM0002", 26_000.0, 110.0),
            town("GM0003", 27_000.0, 120.0),
            town("GM0004", 30_000.0, 130.0),
        ]
        .into_iter()
        .flatten()
        .collect();
        let own = AreaCode::parse("GM0001").unwrap();
        let bubble_of = |code: &AreaCode| {
            Some(
                if code.as_str() == "GM0002" {
                    "growth-rural"
                } else {
                    "krimp-rural"
                }
                .to_owned(),
            )
        };
        let codes = |rule: BubbleRule, count: usize| -> Vec<String> {
            let (_, all) = nearest(&observations, &own, usize::MAX).unwrap();
            by_bubble(all, bubble_of, Some("krimp-rural"), rule, count)
                .into_iter()
                .map(|(s, _)| s.code.to_string())
                .collect()
        };
        assert_eq!(codes(BubbleRule::Report, 3), ["GM0002", "GM0003", "GM0004"]);
        assert_eq!(codes(BubbleRule::Prefer, 3), ["GM0003", "GM0004", "GM0002"]);
        assert_eq!(codes(BubbleRule::Only, 3), ["GM0003", "GM0004"]);
        assert_eq!(codes(BubbleRule::Prefer, 1), ["GM0003"]);
    }

    #[test]
    fn a_municipality_without_both_measures_has_no_peers() {
        let mut observations: Vec<Observation> = town("GM0002", 26_000.0, 110.0).into();
        observations.push(observation("GM0001", 2024, "inhabitants", 25_000.0));
        assert!(nearest(&observations, &AreaCode::parse("GM0001").unwrap(), 3).is_none());
    }
}
