//! Conversions between model types and the text and numbers the backends store.
//!
//! The model crate has no serialisation on purpose (model types are not a wire format), so the
//! store spells out its own encoding here, in one place, for every backend: both schemas have
//! the same columns with the same meaning, and a row is read through [`Columns`], which SQLite's
//! and PostgreSQL's rows implement. Every decoder reports a row it cannot read as
//! [`StoreError::Corrupt`] rather than panicking: the database may have been edited by hand or
//! written by another program.

use std::fmt::{Display, Write as _};
use std::str::FromStr;

use crate::StoreError;
use leefbaar_model::{
    Area, AreaCode, BundleImport, CellValue, FactsheetChart, FactsheetUse, IndicatorDef,
    IndicatorKind, LocalizedText, Method, MissingReason, Observation, Place, Postcode, Provenance,
    Source, SourceRow, Unit, Year,
};

/// One result row, column by column: what the decoders need from a backend's row type.
/// Integers are `i64` and reals `f64` in both schemas (PostgreSQL's `BIGINT` and `DOUBLE
/// PRECISION`), so one decoder reads both.
pub(crate) trait Columns {
    /// Text column `index`, borrowed from the row.
    fn text(&self, index: usize) -> Result<&str, StoreError>;
    /// Text column `index`, which may be NULL.
    fn optional_text(&self, index: usize) -> Result<Option<&str>, StoreError>;
    /// Integer column `index`, which may be NULL.
    fn optional_integer(&self, index: usize) -> Result<Option<i64>, StoreError>;
    /// Real column `index`, which may be NULL.
    fn optional_real(&self, index: usize) -> Result<Option<f64>, StoreError>;

    /// Integer column `index`.
    fn integer(&self, index: usize) -> Result<i64, StoreError> {
        self.optional_integer(index)?
            .ok_or_else(|| corrupt("row", format!("column {index} is NULL")))
    }
    /// Real column `index`.
    fn real(&self, index: usize) -> Result<f64, StoreError> {
        self.optional_real(index)?
            .ok_or_else(|| corrupt("row", format!("column {index} is NULL")))
    }
    /// Text column `index`, copied.
    fn string(&self, index: usize) -> Result<String, StoreError> {
        self.text(index).map(str::to_owned)
    }
    /// Text column `index`, which may be NULL, copied.
    fn optional_string(&self, index: usize) -> Result<Option<String>, StoreError> {
        Ok(self.optional_text(index)?.map(str::to_owned))
    }
}

/// The columns of `areas` that [`area`] reads, in order.
pub(crate) const AREA_COLUMNS: &str = "code, name, parent, first_year, last_year";

/// The columns of `indicators` that [`indicator`] reads and [`KindColumns`] writes, in order.
pub(crate) const INDICATOR_COLUMNS: &str = "id, name_nl, name_en, description_nl, description_en, \
     theme, unit, kind, variable, numerator, denominator, per, total, count_variable, \
     of_indicator, years, relative, base_year, decimals, source, factsheet_tile, \
     factsheet_latest, factsheet_chart, factsheet_label_nl, factsheet_label_en, factsheet_ranking, \
     factsheet_sheet";

/// The columns of `observations` that [`observation`] reads, in order, qualified with `o.`.
pub(crate) const OBSERVATION_COLUMNS: &str = "o.indicator, o.area, o.year, o.value, \
     o.missing_reason, o.method, o.parts, o.note_id, o.source_rows";

/// The index of `note_id` in [`OBSERVATION_COLUMNS`]; the caller looks the text up.
pub(crate) const OBSERVATION_NOTE_ID: usize = 7;

/// The columns of `sources` that [`source`] reads, in order.
pub(crate) const SOURCE_COLUMNS: &str = "id, file, table_title, licence, attribution, imported_at";

/// The columns of `imports` that make a [`BundleImport`], in order.
pub(crate) const IMPORT_COLUMNS: &str =
    "bundle_id, bundle_name, bundle_version, manifest, digest, province, settings, imported_at";

pub(crate) fn corrupt(what: &'static str, detail: impl Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

fn parse<T: FromStr>(what: &'static str, text: &str) -> Result<T, StoreError>
where
    T::Err: Display,
{
    text.parse().map_err(|error| corrupt(what, error))
}

/// A stored year, checked against the model's range.
pub(crate) fn year(stored: i64) -> Result<Year, StoreError> {
    u16::try_from(stored)
        .ok()
        .and_then(|number| Year::new(number).ok())
        .ok_or_else(|| {
            corrupt(
                "year",
                format!("`{stored}` is not a year between 1900 and 2200"),
            )
        })
}

fn small_number<T: TryFrom<i64>>(what: &'static str, stored: i64) -> Result<T, StoreError> {
    T::try_from(stored).map_err(|_| corrupt(what, format!("`{stored}` is out of range")))
}

/// The separator between source rows in `observations.source_rows`.
const ROW_SEPARATOR: char = ';';

/// Whether a source id can be written into the compact source-row text and read back.
pub(crate) fn source_id_is_storable(id: &str) -> bool {
    !id.contains(ROW_SEPARATOR)
}

/// Source rows as compact text, `kwb_gemeenten_2012_2024:2310;kwb_2024:17`.
///
/// A text column rather than a child table: rows are only ever shown with their observation,
/// and a child table would triple the size of the largest table for no query that needs it.
pub(crate) fn encode_source_rows(rows: &[SourceRow]) -> String {
    // Runs of consecutive lines of one source are written as `source:first-last`: a sum over a
    // table sorted by area (population by single year of age) names a hundred rows per value,
    // and listing each would make the rows column most of the database.
    let mut text = String::new();
    let mut index = 0;
    while index < rows.len() {
        let first = &rows[index];
        let mut last = index;
        while last + 1 < rows.len()
            && rows[last + 1].source == first.source
            && rows[last + 1].line == rows[last].line + 1
        {
            last += 1;
        }
        if index > 0 {
            text.push(ROW_SEPARATOR);
        }
        // Writing to a String cannot fail.
        if last == index {
            let _ = write!(text, "{}:{}", first.source, first.line);
        } else {
            let _ = write!(text, "{}:{}-{}", first.source, first.line, rows[last].line);
        }
        index = last + 1;
    }
    text
}

/// The inverse of [`encode_source_rows`].
pub(crate) fn decode_source_rows(text: &str) -> Result<Vec<SourceRow>, StoreError> {
    let mut rows = Vec::new();
    if text.is_empty() {
        return Ok(rows);
    }
    for pair in text.split(ROW_SEPARATOR) {
        // Split at the last colon so that a source id containing a colon still reads back.
        let (source, lines) = pair
            .rsplit_once(':')
            .ok_or_else(|| corrupt("source row", format!("`{pair}` has no `:line`")))?;
        let bad_line = || corrupt("source row", format!("`{pair}` has no line number"));
        let (first, last) = if let Some((first, last)) = lines.split_once('-') {
            (
                first.parse::<u64>().map_err(|_| bad_line())?,
                last.parse::<u64>().map_err(|_| bad_line())?,
            )
        } else {
            let line = lines.parse::<u64>().map_err(|_| bad_line())?;
            (line, line)
        };
        if last < first || last - first > 10_000_000 {
            return Err(corrupt(
                "source row",
                format!("`{pair}` is not a line range"),
            ));
        }
        rows.extend((first..=last).map(|line| SourceRow {
            source: source.to_owned(),
            line,
        }));
    }
    Ok(rows)
}

/// An [`IndicatorKind`] spread over the `indicators` columns named after its fields.
#[derive(Default)]
pub(crate) struct KindColumns<'a> {
    pub(crate) kind: &'static str,
    pub(crate) variable: Option<&'a str>,
    pub(crate) numerator: Option<&'a str>,
    pub(crate) denominator: Option<&'a str>,
    pub(crate) per: Option<f64>,
    pub(crate) total: Option<&'a str>,
    pub(crate) count_variable: Option<&'a str>,
    pub(crate) of_indicator: Option<&'a str>,
    pub(crate) years: Option<u16>,
    pub(crate) relative: Option<bool>,
    pub(crate) base_year: Option<u16>,
}

impl<'a> KindColumns<'a> {
    /// The columns for `kind`; the ones that do not belong to it stay `None` (NULL).
    pub(crate) fn of(kind: &'a IndicatorKind) -> KindColumns<'a> {
        let empty = KindColumns {
            kind: kind.as_str(),
            ..KindColumns::default()
        };
        match kind {
            IndicatorKind::Count { variable }
            | IndicatorKind::Sum { variable }
            | IndicatorKind::Published { variable } => KindColumns {
                variable: Some(variable),
                ..empty
            },
            IndicatorKind::Share {
                numerator,
                denominator,
            } => KindColumns {
                numerator: Some(numerator),
                denominator: Some(denominator),
                ..empty
            },
            IndicatorKind::Rate {
                numerator,
                denominator,
                per,
            } => KindColumns {
                numerator: Some(numerator),
                denominator: Some(denominator),
                per: Some(*per),
                ..empty
            },
            IndicatorKind::Mean { total, count } => KindColumns {
                total: Some(total),
                count_variable: Some(count),
                ..empty
            },
            IndicatorKind::Change {
                of,
                years,
                relative,
            } => KindColumns {
                of_indicator: Some(of),
                years: Some(*years),
                relative: Some(*relative),
                ..empty
            },
            IndicatorKind::Index { of, base_year } => KindColumns {
                of_indicator: Some(of),
                base_year: Some(*base_year),
                ..empty
            },
        }
    }
}

/// Reads the kind from columns 7..=17 of an [`INDICATOR_COLUMNS`] row.
fn indicator_kind(row: &impl Columns) -> Result<IndicatorKind, StoreError> {
    let kind = row.text(7)?;
    // A parameter the kind needs but the row lacks is a corrupt row, named by column.
    let missing = |column: &'static str| {
        corrupt(
            "indicator",
            format!("a `{kind}` indicator without `{column}`"),
        )
    };
    let text = |index: usize, column: &'static str| -> Result<String, StoreError> {
        row.optional_string(index)?.ok_or_else(|| missing(column))
    };
    let number = |index: usize, column: &'static str| -> Result<i64, StoreError> {
        row.optional_integer(index)?.ok_or_else(|| missing(column))
    };
    Ok(match kind {
        "count" => IndicatorKind::Count {
            variable: text(8, "variable")?,
        },
        "sum" => IndicatorKind::Sum {
            variable: text(8, "variable")?,
        },
        "published" => IndicatorKind::Published {
            variable: text(8, "variable")?,
        },
        "share" => IndicatorKind::Share {
            numerator: text(9, "numerator")?,
            denominator: text(10, "denominator")?,
        },
        "rate" => IndicatorKind::Rate {
            numerator: text(9, "numerator")?,
            denominator: text(10, "denominator")?,
            per: row.optional_real(11)?.ok_or_else(|| missing("per"))?,
        },
        "mean" => IndicatorKind::Mean {
            total: text(12, "total")?,
            count: text(13, "count_variable")?,
        },
        "change" => IndicatorKind::Change {
            of: text(14, "of_indicator")?,
            years: small_number("change years", number(15, "years")?)?,
            relative: number(16, "relative")? != 0,
        },
        "index" => IndicatorKind::Index {
            of: text(14, "of_indicator")?,
            base_year: small_number("index base year", number(17, "base_year")?)?,
        },
        other => return Err(corrupt("indicator kind", format!("`{other}`"))),
    })
}

/// An [`IndicatorDef`] from an [`INDICATOR_COLUMNS`] row.
pub(crate) fn indicator(row: &impl Columns) -> Result<IndicatorDef, StoreError> {
    Ok(IndicatorDef {
        id: row.string(0)?,
        name: LocalizedText {
            nl: row.string(1)?,
            en: row.string(2)?,
        },
        description: LocalizedText {
            nl: row.string(3)?,
            en: row.string(4)?,
        },
        theme: row.string(5)?,
        unit: parse::<Unit>("unit", row.text(6)?)?,
        kind: indicator_kind(row)?,
        decimals: small_number("decimals", row.integer(18)?)?,
        source: row.string(19)?,
        factsheet: factsheet_use(row)?,
    })
}

/// A [`FactsheetUse`] spread over the `factsheet_*` columns of `indicators`.
pub(crate) struct FactsheetColumns<'a> {
    pub(crate) tile: Option<u16>,
    pub(crate) latest: bool,
    pub(crate) chart: Option<&'static str>,
    pub(crate) label_nl: Option<&'a str>,
    pub(crate) label_en: Option<&'a str>,
    pub(crate) ranking: Option<u16>,
    pub(crate) sheet: Option<&'a str>,
}

impl<'a> FactsheetColumns<'a> {
    /// The columns of `factsheet`; all NULL (and `latest` false) for `None`.
    pub(crate) fn of(factsheet: Option<&'a FactsheetUse>) -> FactsheetColumns<'a> {
        FactsheetColumns {
            tile: factsheet.and_then(|f| f.tile),
            latest: factsheet.is_some_and(|f| f.latest),
            chart: factsheet.and_then(|f| f.chart).map(FactsheetChart::as_str),
            label_nl: factsheet
                .and_then(|f| f.label.as_ref())
                .map(|l| l.nl.as_str()),
            label_en: factsheet
                .and_then(|f| f.label.as_ref())
                .map(|l| l.en.as_str()),
            ranking: factsheet.and_then(|f| f.ranking),
            sheet: factsheet.and_then(|f| f.sheet.as_deref()),
        }
    }
}

/// Reads columns 20..=26 of an [`INDICATOR_COLUMNS`] row: `None` when no column says
/// anything, as for an indicator the catalogue does not put on fact sheets.
fn factsheet_use(row: &impl Columns) -> Result<Option<FactsheetUse>, StoreError> {
    let position = |index: usize, what: &'static str| -> Result<Option<u16>, StoreError> {
        row.optional_integer(index)?
            .map(|stored| small_number(what, stored))
            .transpose()
    };
    let tile = position(20, "fact-sheet tile")?;
    let latest = row.integer(21)? != 0;
    let chart = row
        .optional_text(22)?
        .map(|chart| parse::<FactsheetChart>("fact-sheet chart", chart))
        .transpose()?;
    let label = match (row.optional_string(23)?, row.optional_string(24)?) {
        (Some(nl), Some(en)) => Some(LocalizedText { nl, en }),
        (None, None) => None,
        _ => {
            return Err(corrupt(
                "indicator",
                "a fact-sheet label in one language only",
            ));
        }
    };
    let ranking = position(25, "fact-sheet ranking")?;
    let sheet = row.optional_string(26)?;
    if tile.is_none()
        && chart.is_none()
        && ranking.is_none()
        && label.is_none()
        && !latest
        && sheet.is_none()
    {
        return Ok(None);
    }
    Ok(Some(FactsheetUse {
        tile,
        latest,
        chart,
        label,
        ranking,
        sheet,
    }))
}

/// An [`Area`] from an [`AREA_COLUMNS`] row followed by the geometry (or NULL).
pub(crate) fn area(row: &impl Columns) -> Result<Area, StoreError> {
    Ok(Area {
        code: parse::<AreaCode>("area code", row.text(0)?)?,
        name: row.string(1)?,
        parent: row
            .optional_text(2)?
            .map(|parent| parse::<AreaCode>("parent area code", parent))
            .transpose()?,
        first_year: year(row.integer(3)?)?,
        last_year: year(row.integer(4)?)?,
        geometry_geojson: row.optional_string(5)?,
    })
}

/// A [`Postcode`] from a `pc4, place, municipality, district, lon, lat` row.
pub(crate) fn postcode(row: &impl Columns) -> Result<Postcode, StoreError> {
    let lon = row.optional_real(4)?;
    let lat = row.optional_real(5)?;
    Ok(Postcode {
        pc4: small_number("postcode", row.integer(0)?)?,
        place: row.string(1)?,
        municipality: parse::<AreaCode>("postcode municipality", row.text(2)?)?,
        district: row
            .optional_text(3)?
            .map(|district| parse::<AreaCode>("postcode district", district))
            .transpose()?,
        point: lon.zip(lat),
    })
}

/// An [`Observation`] from an [`OBSERVATION_COLUMNS`] row and the text of its note.
pub(crate) fn observation(row: &impl Columns, note: String) -> Result<Observation, StoreError> {
    let area = row.text(1)?;
    let value = match (row.optional_real(3)?, row.optional_text(4)?) {
        (Some(number), None) => CellValue::Value(number),
        (None, Some(reason)) => {
            CellValue::Missing(parse::<MissingReason>("missing reason", reason)?)
        }
        // The CHECK constraint rules this out in databases this crate created.
        _ => {
            return Err(corrupt(
                "observation",
                format!("{area}: not exactly one of value and missing reason"),
            ));
        }
    };
    Ok(Observation {
        indicator: row.string(0)?,
        area: parse::<AreaCode>("area code", area)?,
        year: year(row.integer(2)?)?,
        value,
        provenance: Provenance {
            method: row
                .optional_text(5)?
                .map(|method| parse::<Method>("method", method))
                .transpose()?,
            rows: decode_source_rows(row.text(8)?)?,
            parts: small_number("parts", row.integer(6)?)?,
            note,
        },
    })
}

/// A [`Source`] from a [`SOURCE_COLUMNS`] row.
pub(crate) fn source(row: &impl Columns) -> Result<Source, StoreError> {
    Ok(Source {
        id: row.string(0)?,
        file: row.string(1)?,
        table: row.string(2)?,
        licence: row.string(3)?,
        attribution: row.string(4)?,
        imported_at: row.string(5)?,
    })
}

/// A [`BundleImport`] from an [`IMPORT_COLUMNS`] row.
pub(crate) fn bundle_import(row: &impl Columns) -> Result<BundleImport, StoreError> {
    Ok(BundleImport {
        bundle_id: row.string(0)?,
        bundle_name: row.string(1)?,
        bundle_version: row.string(2)?,
        manifest: row.string(3)?,
        digest: row.string(4)?,
        province: parse::<AreaCode>("import province", row.text(5)?)?,
        settings: row.string(6)?,
        imported_at: row.string(7)?,
    })
}

/// A [`Place`] from a `municipality, name, lon, lat, population` row.
pub(crate) fn place(row: &impl Columns) -> Result<Place, StoreError> {
    Ok(Place {
        municipality: parse::<AreaCode>("place municipality", row.text(0)?)?,
        name: row.string(1)?,
        point: (row.real(2)?, row.real(3)?),
        population: row
            .optional_integer(4)?
            .map(u64::try_from)
            .transpose()
            .map_err(|_| StoreError::Corrupt {
                what: "place population",
                detail: "negative".to_owned(),
            })?,
    })
}
