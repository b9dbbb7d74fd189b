//! The indicator catalogue (`catalogue.json`, `catalogue.csv`) and the sources (`sources.csv`).

use leefbaar_model::{IndicatorDef, Source};
use serde_json::json;

use crate::notes::NoteFile;

/// Every indicator's definition, in catalogue order, as pretty JSON.
pub(crate) fn catalogue_json(indicators: &[IndicatorDef]) -> Vec<u8> {
    let entries: Vec<_> = indicators
        .iter()
        .map(|def| {
            json!({
                "id": def.id,
                "name": {"nl": def.name.nl, "en": def.name.en},
                "description": {"nl": def.description.nl, "en": def.description.en},
                "theme": def.theme,
                "unit": def.unit.as_str(),
                "unit_symbol": {"nl": def.unit.symbol("nl"), "en": def.unit.symbol("en")},
                "kind": def.kind.as_str(),
                "formula": def.kind.formula(),
                "decimals": def.decimals,
                "source": def.source,
                "files": {
                    "csv": format!("indicators/{}.csv", def.id),
                    "parquet": format!("indicators/{}.parquet", def.id),
                },
            })
        })
        .collect();
    let mut bytes = serde_json::to_vec_pretty(&entries).expect("JSON values always serialise");
    bytes.push(b'\n');
    bytes
}

/// Every indicator's definition, in catalogue order, one row each.
pub(crate) fn catalogue_csv(indicators: &[IndicatorDef]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "id",
        "name_nl",
        "name_en",
        "theme",
        "unit",
        "kind",
        "formula",
        "decimals",
        "source",
        "description_nl",
        "description_en",
    ])?;
    for def in indicators {
        writer.write_record([
            def.id.as_str(),
            &def.name.nl,
            &def.name.en,
            &def.theme,
            def.unit.as_str(),
            def.kind.as_str(),
            &def.kind.formula(),
            &def.decimals.to_string(),
            &def.source,
            &def.description.nl,
            &def.description.en,
        ])?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

/// Every source with its licence and attribution, and the release's copy of its notes.
pub(crate) fn sources_csv(sources: &[Source], notes: &[NoteFile]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "id",
        "file",
        "table",
        "licence",
        "attribution",
        "imported_at",
        "notes",
    ])?;
    for source in sources {
        let note = NoteFile::of(notes, &source.id).map_or("", |note| note.path.as_str());
        writer.write_record([
            source.id.as_str(),
            &source.file,
            &source.table,
            &source.licence,
            &source.attribution,
            &source.imported_at,
            note,
        ])?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}
