//! What the small CSV readers (postcode tables, the municipal lineage) share: the header and its
//! columns, and the records with their line numbers, every failure a [`Problem`] naming the
//! file, line and field.

use std::io::Read;

use csv::StringRecord;

use crate::error::{ImportError, Position, Problem, Problems};

/// An [`ImportError::Invalid`] with one problem, for failures that stop a file at once.
pub(crate) fn invalid(file: &str, problem: Problem) -> ImportError {
    let mut problems = Problems::new();
    problems.push(problem);
    ImportError::Invalid {
        file: file.to_owned(),
        problems,
    }
}

/// A reader over UTF-8 CSV `bytes` (a byte-order mark skipped, header names matched without
/// surrounding spaces) and its header row; `file` names the bytes in messages.
pub(crate) fn open<'b>(
    bytes: &'b [u8],
    file: &str,
) -> Result<(csv::Reader<&'b [u8]>, StringRecord), ImportError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(invalid(
            file,
            Problem {
                position: Position::File,
                field: None,
                found: "bytes that are not UTF-8".to_owned(),
                expected: "UTF-8 text".to_owned(),
            },
        ));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let header = header(&mut reader, file)?;
    Ok((reader, header))
}

/// The header row (line 1).
pub(crate) fn header<R: Read>(
    reader: &mut csv::Reader<R>,
    file: &str,
) -> Result<StringRecord, ImportError> {
    reader.headers().cloned().map_err(|error| {
        invalid(
            file,
            Problem::at_line(1, None, "a CSV header", error.to_string()),
        )
    })
}

/// The index of column `name` in the header.
pub(crate) fn column(header: &StringRecord, name: &str, file: &str) -> Result<usize, ImportError> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        invalid(
            file,
            Problem::at_line(
                1,
                Some(name),
                "this column in the header",
                header.iter().collect::<Vec<_>>().join(","),
            ),
        )
    })
}

/// The records after the header with their line numbers; a record that cannot be read (a
/// different number of fields) becomes a problem instead. The line number assumes no quoted
/// line breaks, which these files do not have.
pub(crate) fn records<R: Read>(
    reader: &mut csv::Reader<R>,
    problems: &mut Problems,
) -> Vec<(u64, StringRecord)> {
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        match record {
            Ok(record) => rows.push((line, record)),
            Err(error) => problems.push(Problem::at_line(
                line,
                None,
                "a row with as many fields as the header",
                error.to_string(),
            )),
        }
    }
    rows
}
