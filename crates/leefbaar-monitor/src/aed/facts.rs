//! AED coverage as facts for the store: per municipality, district, neighbourhood and postcode
//! area, summable base variables (residents, residents covered under every availability rule,
//! AEDs by kind, responders, AEDs with enough responders near), from which the indicator engine
//! recomputes shares and rates at every level.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, AreaLevel, CellValue, Fact, Method};

use super::catalogue::{
    COUNT_247_VARIABLE, COUNT_INDOOR_VARIABLE, COUNT_RESPONDED_VARIABLE, COUNT_VARIABLE,
    PERSONS_VARIABLE, RESPONDERS_VARIABLE, UNCOVERED_247_VARIABLE, UNCOVERED_FOOT_247_VARIABLE,
    covered_variable, foot_covered_variable,
};
use super::{AedMonitor, rules};

const LEVELS: [AreaLevel; 4] = [
    AreaLevel::Municipality,
    AreaLevel::District,
    AreaLevel::Neighbourhood,
    AreaLevel::Postcode,
];

/// Adds `value` to the sum of `variable` in `area`.
fn add(
    sums: &mut BTreeMap<(AreaCode, String), f64>,
    area: &AreaCode,
    variable: String,
    value: f64,
) {
    *sums.entry((area.clone(), variable)).or_default() += value;
}

/// A base variable and its value for a resident (by index).
type Column<'a> = (String, Box<dyn Fn(usize) -> f64 + 'a>);

/// Facts of the AED base variables for the areas of the residents, in the `[aed]` year.
/// Provinces and the Netherlands are left to the engine, which sums municipalities.
pub fn facts(aed: &AedMonitor) -> Vec<Fact> {
    let rules = rules();
    let mut sums: BTreeMap<(AreaCode, String), f64> = BTreeMap::new();
    let responders = aed.resident_responders.as_deref();
    // The variables and, for each, the residents' values: persons, then persons under a
    // condition, then responders.
    let persons = |r: usize| aed.residents[r].persons;
    let mut columns: Vec<Column<'_>> = vec![
        (PERSONS_VARIABLE.to_owned(), Box::new(persons)),
        (
            UNCOVERED_247_VARIABLE.to_owned(),
            Box::new(move |r| if aed.covered[0][r] { 0.0 } else { persons(r) }),
        ),
    ];
    for (rule, name) in rules.iter().enumerate() {
        columns.push((
            covered_variable(name),
            Box::new(move |r| {
                if aed.covered[rule][r] {
                    persons(r)
                } else {
                    0.0
                }
            }),
        ));
    }
    if let Some(foot) = &aed.foot_covered {
        columns.push((
            UNCOVERED_FOOT_247_VARIABLE.to_owned(),
            Box::new(move |r| if foot[0][r] { 0.0 } else { persons(r) }),
        ));
        for (rule, name) in rules.iter().enumerate() {
            columns.push((
                foot_covered_variable(name),
                Box::new(move |r| if foot[rule][r] { persons(r) } else { 0.0 }),
            ));
        }
    }
    if let Some(responders) = responders {
        columns.push((
            RESPONDERS_VARIABLE.to_owned(),
            Box::new(move |r| responders[r]),
        ));
    }
    // Per population point first (a few thousand), then per area: the residents of one point
    // share its areas.
    let mut by_point = vec![vec![0.0; columns.len()]; aed.settlements.len()];
    for (r, resident) in aed.residents.iter().enumerate() {
        for (sum, (_, value)) in by_point[resident.settlement].iter_mut().zip(&columns) {
            *sum += value(r);
        }
    }
    for (settlement, values) in aed.settlements.iter().zip(&by_point) {
        if values[0] <= 0.0 {
            continue;
        }
        for area in settlement
            .areas
            .iter()
            .filter(|a| LEVELS.contains(&a.level()))
        {
            for ((variable, _), value) in columns.iter().zip(values) {
                add(&mut sums, area, variable.clone(), *value);
            }
        }
    }
    // Every area with residents gets its AED counts, 0 where none hangs.
    let areas: Vec<AreaCode> = sums
        .keys()
        .filter(|(_, v)| v == PERSONS_VARIABLE)
        .map(|(a, _)| a.clone())
        .collect();
    for area in &areas {
        for variable in [COUNT_VARIABLE, COUNT_247_VARIABLE, COUNT_INDOOR_VARIABLE] {
            add(&mut sums, area, variable.to_owned(), 0.0);
        }
        if responders.is_some() {
            add(&mut sums, area, COUNT_RESPONDED_VARIABLE.to_owned(), 0.0);
        }
    }
    for a in 0..aed.aeds.len() {
        if !aed.aeds[a].public {
            continue;
        }
        for area in aed
            .aed_areas(a)
            .iter()
            .filter(|area| LEVELS.contains(&area.level()))
        {
            add(&mut sums, area, COUNT_VARIABLE.to_owned(), 1.0);
            if aed.available[0][a] {
                add(&mut sums, area, COUNT_247_VARIABLE.to_owned(), 1.0);
            }
            if aed.is_indoor(a) {
                add(&mut sums, area, COUNT_INDOOR_VARIABLE.to_owned(), 1.0);
            }
            if let Some(near) = &aed.responders_near
                && near[a] >= aed.spec.responders_per_aed
            {
                add(&mut sums, area, COUNT_RESPONDED_VARIABLE.to_owned(), 1.0);
            }
        }
    }
    let year = aed.spec.year;
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

/// The source record of the AED figures, as the manifest gives it.
pub fn source(spec: &leefbaar_ingest::AedSpec, imported_at: &str) -> leefbaar_model::Source {
    let source = &spec.source;
    leefbaar_model::Source {
        id: source.id.clone(),
        file: source.file.clone(),
        table: source.table.clone(),
        licence: source.licence.clone(),
        attribution: source.attribution.clone(),
        imported_at: imported_at.to_owned(),
    }
}

/// Drops the Netherlands' AED observations: only the bundle's province has residents, so the
/// country would be a sum of one province.
pub fn annotate(computed: &mut leefbaar_indicators::Computed) {
    let netherlands = AreaCode::netherlands();
    computed
        .observations
        .retain(|o| !(o.indicator.starts_with("aed_") && o.area == netherlands));
    computed
        .findings
        .retain(|f| !(f.subject.starts_with("aed_") && f.area == netherlands));
}
