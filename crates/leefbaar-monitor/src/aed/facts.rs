//! AED coverage as facts for the store: per municipality, district, neighbourhood and postcode
//! area, summable base variables (residents, residents covered under every availability rule,
//! AEDs by kind, responders, AEDs with enough responders near), from which the indicator engine
//! recomputes shares and rates at every level.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, AreaLevel, CellValue, Fact, Method};

use super::catalogue::{
    COUNT_247_VARIABLE, COUNT_INDOOR_VARIABLE, COUNT_RESPONDED_VARIABLE, COUNT_VARIABLE,
    PERSONS_VARIABLE, RESPONDERS_VARIABLE, UNCOVERED_247_VARIABLE, covered_variable,
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

/// Facts of the AED base variables for the areas of the residents, in the `[aed]` year.
/// Provinces and the Netherlands are left to the engine, which sums municipalities.
pub fn facts(aed: &AedMonitor) -> Vec<Fact> {
    let rules = rules();
    let mut sums: BTreeMap<(AreaCode, String), f64> = BTreeMap::new();
    let responders = aed.resident_responders.as_deref();
    for (r, resident) in aed.residents.iter().enumerate() {
        for area in aed
            .resident_areas(r)
            .iter()
            .filter(|a| LEVELS.contains(&a.level()))
        {
            add(
                &mut sums,
                area,
                PERSONS_VARIABLE.to_owned(),
                resident.persons,
            );
            for (rule, name) in rules.iter().enumerate() {
                let covered = aed.covered[rule][r];
                add(
                    &mut sums,
                    area,
                    covered_variable(name),
                    if covered { resident.persons } else { 0.0 },
                );
                if rule == 0 {
                    add(
                        &mut sums,
                        area,
                        UNCOVERED_247_VARIABLE.to_owned(),
                        if covered { 0.0 } else { resident.persons },
                    );
                }
            }
            if let Some(responders) = responders {
                add(
                    &mut sums,
                    area,
                    RESPONDERS_VARIABLE.to_owned(),
                    responders[r],
                );
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
