//! One indicator's observations as rows, with the columns and conventions of the API's CSV
//! download (`/api/v1/observations?format=csv`), so a release file and an API answer read alike.

use std::collections::HashMap;

use leefbaar_model::{AreaCode, AreaLevel, Observation, SourceRow};
use leefbaar_store::{MAX_OBSERVATIONS, ObservationFilter, Store};

use crate::ReleaseError;

/// The columns of an indicator table, in order: the API's CSV writes the same ones.
pub const COLUMNS: [&str; 11] = [
    "area",
    "area_name",
    "level",
    "year",
    "indicator",
    "value",
    "missing",
    "method",
    "note",
    "source_rows",
    "parts",
];

/// One observation as written: a value, or empty with the reason in `missing`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The area's code.
    pub area: String,
    /// The area's name.
    pub area_name: String,
    /// The area's level.
    pub level: &'static str,
    /// The year.
    pub year: u16,
    /// The indicator's id.
    pub indicator: String,
    /// The value, if there is one.
    pub value: Option<f64>,
    /// Why there is no value.
    pub missing: Option<&'static str>,
    /// How the value was made.
    pub method: Option<&'static str>,
    /// The formula or remark.
    pub note: String,
    /// `source:line` or `source:first-last` runs joined by `;`.
    pub source_rows: String,
    /// The number of parts summed.
    pub parts: u32,
}

impl Row {
    /// The row of `observation` in the area called `area_name`.
    pub fn new(observation: &Observation, area_name: &str) -> Row {
        Row {
            area: observation.area.to_string(),
            area_name: area_name.to_owned(),
            level: observation.area.level().as_str(),
            year: observation.year.get(),
            indicator: observation.indicator.clone(),
            value: observation.value.value(),
            missing: observation
                .value
                .missing_reason()
                .map(leefbaar_model::MissingReason::as_str),
            method: observation
                .provenance
                .method
                .map(leefbaar_model::Method::as_str),
            note: observation.provenance.note.clone(),
            source_rows: compact_runs(&observation.provenance.rows),
            parts: observation.provenance.parts,
        }
    }
}

impl Row {
    /// Writes the row as one CSV record, numbers in Rust's shortest round-trip form (a value
    /// reads back exactly): the one CSV row of the release's tables and the API's download.
    pub fn write<W: std::io::Write>(&self, writer: &mut csv::Writer<W>) -> Result<(), csv::Error> {
        writer.write_record([
            self.area.as_str(),
            self.area_name.as_str(),
            self.level,
            &self.year.to_string(),
            self.indicator.as_str(),
            &self.value.map(|v| v.to_string()).unwrap_or_default(),
            self.missing.unwrap_or(""),
            self.method.unwrap_or(""),
            self.note.as_str(),
            self.source_rows.as_str(),
            &self.parts.to_string(),
        ])
    }
}

/// Source rows as runs of consecutive lines (`kwb:12-40;kwb:57`), as the API's CSV writes them,
/// so a sum over a hundred consecutive lines stays one entry.
fn compact_runs(rows: &[SourceRow]) -> String {
    let mut runs: Vec<(&str, u64, u64)> = Vec::new();
    for row in rows {
        if let Some((source, _, last)) = runs.last_mut()
            && *source == row.source.as_str()
            && row.line == *last + 1
        {
            *last = row.line;
            continue;
        }
        runs.push((row.source.as_str(), row.line, row.line));
    }
    runs.iter()
        .map(|(source, first, last)| {
            if first == last {
                format!("{source}:{first}")
            } else {
                format!("{source}:{first}-{last}")
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Every observation of `indicator`, ordered by area code and year.
///
/// A store returns at most [`MAX_OBSERVATIONS`] rows per call, which a national store's
/// neighbourhoods can exceed, so the rows are read a level at a time, and a level that fills
/// a whole answer is read again a year at a time.
pub(crate) fn indicator_rows(
    store: &dyn Store,
    indicator: &str,
    names: &HashMap<AreaCode, String>,
) -> Result<Vec<Row>, ReleaseError> {
    let mut observations = Vec::new();
    for level in AreaLevel::ALL {
        let filter = ObservationFilter {
            indicators: vec![indicator.to_owned()],
            level: Some(level),
            ..ObservationFilter::default()
        };
        let found = store.observations(&filter)?;
        if found.len() < MAX_OBSERVATIONS {
            observations.extend(found);
            continue;
        }
        for year in store.years(indicator)? {
            let filter = ObservationFilter {
                year_from: Some(year),
                year_to: Some(year),
                ..filter.clone()
            };
            observations.extend(store.observations(&filter)?);
        }
    }
    observations.sort_by(|a, b| (a.area.as_str(), a.year).cmp(&(b.area.as_str(), b.year)));
    Ok(observations
        .iter()
        .map(|observation| {
            let name = names.get(&observation.area).map_or("", String::as_str);
            Row::new(observation, name)
        })
        .collect())
}

/// The rows as CSV with a header, numbers written as the API writes them (Rust's shortest
/// round-trip form, so a value reads back exactly).
pub(crate) fn csv_bytes(rows: &[Row]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for row in rows {
        row.write(&mut writer)?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

#[cfg(test)]
mod tests {
    use leefbaar_model::SourceRow;

    #[test]
    fn consecutive_source_lines_become_one_run() {
        let row = |source: &str, line| SourceRow {
            source: source.to_owned(),
            line,
        };
        let rows = [
            row("kwb", 12),
            row("kwb", 13),
            row("kwb", 14),
            row("kwb", 20),
            row("pc4", 21),
        ];
        assert_eq!(super::compact_runs(&rows), "kwb:12-14;kwb:20;pc4:21");
        assert_eq!(super::compact_runs(&[]), "");
    }
}
