//! The wire format of the API, converted from model types (the model derives no `Serialize`,
//! so a change in the model cannot silently change the API).

use leefbaar_model::{Area, IndicatorDef, LocalizedText, Observation, Source, SourceRow};
use serde::Serialize;

use crate::state::IndicatorInfo;

/// Text in both languages.
#[derive(Serialize)]
pub(crate) struct Text {
    pub nl: String,
    pub en: String,
}

impl From<&LocalizedText> for Text {
    fn from(text: &LocalizedText) -> Text {
        Text {
            nl: text.nl.clone(),
            en: text.en.clone(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct AreaDto {
    pub code: String,
    pub name: String,
    pub level: &'static str,
    pub parent: Option<String>,
    pub first_year: u16,
    pub last_year: u16,
}

impl From<&Area> for AreaDto {
    fn from(area: &Area) -> AreaDto {
        AreaDto {
            code: area.code.to_string(),
            name: area.name.clone(),
            level: area.level().as_str(),
            parent: area.parent.as_ref().map(ToString::to_string),
            first_year: area.first_year.get(),
            last_year: area.last_year.get(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct SourceDto {
    pub id: String,
    pub file: String,
    pub table: String,
    pub licence: String,
    pub attribution: String,
    pub imported_at: String,
}

impl From<&Source> for SourceDto {
    fn from(source: &Source) -> SourceDto {
        SourceDto {
            id: source.id.clone(),
            file: source.file.clone(),
            table: source.table.clone(),
            licence: source.licence.clone(),
            attribution: source.attribution.clone(),
            imported_at: source.imported_at.clone(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct IndicatorDto {
    pub id: String,
    pub name: Text,
    pub description: Text,
    pub theme: String,
    pub unit: &'static str,
    pub unit_symbol: Text,
    pub kind: &'static str,
    pub formula: String,
    pub decimals: u8,
    pub source: Option<SourceDto>,
    pub years: Vec<u16>,
    pub levels: Vec<&'static str>,
}

impl IndicatorDto {
    pub fn new(info: &IndicatorInfo, source: Option<&Source>) -> IndicatorDto {
        let def: &IndicatorDef = &info.def;
        IndicatorDto {
            id: def.id.clone(),
            name: Text::from(&def.name),
            description: Text::from(&def.description),
            theme: def.theme.clone(),
            unit: def.unit.as_str(),
            unit_symbol: Text {
                nl: def.unit.symbol("nl").to_owned(),
                en: def.unit.symbol("en").to_owned(),
            },
            kind: def.kind.as_str(),
            formula: def.kind.formula(),
            decimals: def.decimals,
            source: source.map(SourceDto::from),
            years: info.years.iter().map(|year| year.get()).collect(),
            levels: info.levels.iter().map(|level| level.as_str()).collect(),
        }
    }
}

/// A run of consecutive lines of one source file; `last_line` only when the run is longer
/// than one line.
#[derive(Serialize)]
pub(crate) struct SourceRowDto {
    pub source: String,
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_line: Option<u64>,
}

impl SourceRowDto {
    /// Groups rows into runs, so a sum over a hundred consecutive lines is one entry.
    pub fn runs(rows: &[SourceRow]) -> Vec<SourceRowDto> {
        let mut runs: Vec<SourceRowDto> = Vec::new();
        for row in rows {
            if let Some(run) = runs.last_mut() {
                let end = run.last_line.unwrap_or(run.line);
                if run.source == row.source && row.line == end + 1 {
                    run.last_line = Some(row.line);
                    continue;
                }
            }
            runs.push(SourceRowDto {
                source: row.source.clone(),
                line: row.line,
                last_line: None,
            });
        }
        runs
    }
}

#[derive(Serialize)]
pub(crate) struct ObservationDto {
    pub area: String,
    pub area_name: String,
    pub level: &'static str,
    pub year: u16,
    pub indicator: String,
    pub value: Option<f64>,
    pub missing: Option<&'static str>,
    pub method: Option<&'static str>,
    pub note: String,
    pub source_rows: Vec<SourceRowDto>,
    pub parts: u32,
}

impl ObservationDto {
    pub fn new(observation: &Observation, area_name: &str) -> ObservationDto {
        ObservationDto {
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
            source_rows: SourceRowDto::runs(&observation.provenance.rows),
            parts: observation.provenance.parts,
        }
    }
}
