//! An indicator table as Parquet, written with the `parquet` crate's low-level column writer
//! (no arrow): the same columns as the CSV, a missing value as a null `value` with its reason
//! in `missing`. Uncompressed: the files are small, and the release's zip deflates them.

use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedFileWriter, SerializedRowGroupWriter};
use parquet::schema::parser::parse_message_type;

use crate::tables::Row;

/// The schema, column for column the CSV's (`tables::COLUMNS`).
const SCHEMA: &str = "
message observation {
    required binary area (UTF8);
    required binary area_name (UTF8);
    required binary level (UTF8);
    required int32 year;
    required binary indicator (UTF8);
    optional double value;
    optional binary missing (UTF8);
    optional binary method (UTF8);
    required binary note (UTF8);
    required binary source_rows (UTF8);
    required int64 parts;
}
";

/// The rows as one Parquet file with one row group.
pub(crate) fn parquet_bytes(rows: &[Row]) -> Result<Vec<u8>, ParquetError> {
    let schema = Arc::new(parse_message_type(SCHEMA)?);
    // Named after us, not the library's version, so a dependency update alone does not change
    // a release's bytes.
    let properties = Arc::new(
        WriterProperties::builder()
            .set_created_by(format!("leefbaar-release {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, properties)?;
    if !rows.is_empty() {
        let mut group = writer.next_row_group()?;
        required_strings(&mut group, rows.iter().map(|r| r.area.as_str()))?;
        required_strings(&mut group, rows.iter().map(|r| r.area_name.as_str()))?;
        required_strings(&mut group, rows.iter().map(|r| r.level))?;
        let years: Vec<i32> = rows.iter().map(|r| i32::from(r.year)).collect();
        let mut column = next_column(&mut group)?;
        column
            .typed::<Int32Type>()
            .write_batch(&years, None, None)?;
        column.close()?;
        required_strings(&mut group, rows.iter().map(|r| r.indicator.as_str()))?;
        let values: Vec<f64> = rows.iter().filter_map(|r| r.value).collect();
        let defined: Vec<i16> = rows.iter().map(|r| i16::from(r.value.is_some())).collect();
        let mut column = next_column(&mut group)?;
        column
            .typed::<DoubleType>()
            .write_batch(&values, Some(&defined), None)?;
        column.close()?;
        optional_strings(&mut group, rows.iter().map(|r| r.missing))?;
        optional_strings(&mut group, rows.iter().map(|r| r.method))?;
        required_strings(&mut group, rows.iter().map(|r| r.note.as_str()))?;
        required_strings(&mut group, rows.iter().map(|r| r.source_rows.as_str()))?;
        let parts: Vec<i64> = rows.iter().map(|r| i64::from(r.parts)).collect();
        let mut column = next_column(&mut group)?;
        column
            .typed::<Int64Type>()
            .write_batch(&parts, None, None)?;
        column.close()?;
        group.close()?;
    }
    writer.into_inner()
}

type Group<'a> = SerializedRowGroupWriter<'a, Vec<u8>>;

fn next_column<'a>(
    group: &'a mut Group<'_>,
) -> Result<parquet::file::writer::SerializedColumnWriter<'a>, ParquetError> {
    group
        .next_column()?
        .ok_or_else(|| ParquetError::General("more columns written than the schema has".into()))
}

fn required_strings<'s>(
    group: &mut Group<'_>,
    values: impl Iterator<Item = &'s str>,
) -> Result<(), ParquetError> {
    let values: Vec<ByteArray> = values.map(ByteArray::from).collect();
    let mut column = next_column(group)?;
    column
        .typed::<ByteArrayType>()
        .write_batch(&values, None, None)?;
    column.close()
}

fn optional_strings<'s>(
    group: &mut Group<'_>,
    values: impl Iterator<Item = Option<&'s str>>,
) -> Result<(), ParquetError> {
    let mut present = Vec::new();
    let mut defined = Vec::new();
    for value in values {
        defined.push(i16::from(value.is_some()));
        present.extend(value.map(ByteArray::from));
    }
    let mut column = next_column(group)?;
    column
        .typed::<ByteArrayType>()
        .write_batch(&present, Some(&defined), None)?;
    column.close()
}
