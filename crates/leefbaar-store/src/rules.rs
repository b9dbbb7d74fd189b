//! What every backend's import checks and decides before it writes, so that SQLite and
//! PostgreSQL refuse the same batches and number the catalogue the same way.

use std::collections::{BTreeSet, HashMap, HashSet};

use leefbaar_model::CellValue;

use crate::{ImportBatch, StoreError, codec};

/// Refuses values the store would not give back unchanged, before anything is written.
pub(crate) fn validate(batch: &ImportBatch) -> Result<(), StoreError> {
    for observation in &batch.observations {
        let id = || {
            format!(
                "{} {} {}",
                observation.indicator, observation.area, observation.year
            )
        };
        // SQLite stores NaN as NULL, which would turn a number into a missing value; the
        // backends must agree, so PostgreSQL (which could keep it) refuses it too.
        if let CellValue::Value(number) = observation.value
            && !number.is_finite()
        {
            return Err(StoreError::Unstorable {
                what: "observation",
                id: id(),
                reason: "the value is not a finite number",
            });
        }
        if let Some(row) = observation
            .provenance
            .rows
            .iter()
            .find(|row| !codec::source_id_is_storable(&row.source))
        {
            return Err(StoreError::Unstorable {
                what: "source row",
                id: row.source.clone(),
                reason: "source ids in provenance may not contain `;`",
            });
        }
    }
    Ok(())
}

/// The areas and the indicators that observations name but the batch does not bring, sorted
/// so that a refusal names the same reference every time; the backend checks each against
/// what it has stored.
pub(crate) fn references_outside(batch: &ImportBatch) -> (BTreeSet<&str>, BTreeSet<&str>) {
    let batch_areas: HashSet<&str> = batch.areas.iter().map(|a| a.code.as_str()).collect();
    let batch_indicators: HashSet<&str> = batch.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut other_areas = BTreeSet::new();
    let mut other_indicators = BTreeSet::new();
    for observation in &batch.observations {
        let area = observation.area.as_str();
        if !batch_areas.contains(area) {
            other_areas.insert(area);
        }
        let indicator = observation.indicator.as_str();
        if !batch_indicators.contains(indicator) {
            other_indicators.insert(indicator);
        }
    }
    (other_areas, other_indicators)
}

/// The catalogue position of each indicator in the batch, given the stored positions.
///
/// A batch that carries every stored indicator is the whole catalogue, and its order becomes
/// the catalogue order (so reordering the catalogue file and re-importing takes effect). A
/// batch with only some indicators keeps the positions of those already stored and appends new
/// ones after the last, in batch order, so importing one new indicator does not reshuffle menus.
pub(crate) fn positions(stored: &HashMap<String, i64>, batch: &ImportBatch) -> Vec<i64> {
    let batch_ids: HashSet<&str> = batch.indicators.iter().map(|i| i.id.as_str()).collect();
    let whole_catalogue = stored.keys().all(|id| batch_ids.contains(id.as_str()));
    let mut next = stored.values().max().map_or(0, |last| last + 1);
    let mut positions = Vec::with_capacity(batch.indicators.len());
    for (index, indicator) in (0_i64..).zip(&batch.indicators) {
        let position = if whole_catalogue {
            index
        } else if let Some(&position) = stored.get(&indicator.id) {
            position
        } else {
            next += 1;
            next - 1
        };
        positions.push(position);
    }
    positions
}
