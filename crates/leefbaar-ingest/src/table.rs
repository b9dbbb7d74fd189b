//! The CBS table reader: statistical tables in the two conventions CBS data reach us in.
//!
//! - [`Convention::Comma`]: `,`-separated, `.` as decimal point, the form of most copies and
//!   re-exports (`kwb_gemeenten_2012_2024.csv`).
//! - [`Convention::Semicolon`]: CBS StatLine's own CSV export, `;`-separated with a decimal
//!   comma, text in double quotes, UTF-8 with or without a byte-order mark and codes padded with
//!   spaces (`"GM1680    "`).
//!
//! CBS marks cells without a figure with a symbol rather than 0, and the symbol says why:
//! `.` is unknown, `x` and `-99997` are secret, an empty cell was not collected. We keep that
//! reason as [`CellValue::Missing`], because reading any of them as zero would silently bias
//! every sum and share built on it.
//!
//! A malformed file is not reported at its first fault: the reader collects every problem (up
//! to [`Problems::LIMIT`]) so that a user fixing a file sees them all at once.

use std::collections::HashMap;
use std::path::Path;

use leefbaar_model::{AreaCode, AreaLevel, CellValue, MissingReason, Year};

use crate::error::{ImportError, Problem, Problems};

/// The largest input file the importer reads (256 MiB): far above any CBS table or boundary
/// file Leefbaar uses, and low enough that a wrong file (a database dump, a video) is refused
/// before it fills memory.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The separator and decimal mark of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// `,` between fields, `.` as decimal point.
    Comma,
    /// `;` between fields, `,` as decimal comma (CBS StatLine export).
    Semicolon,
}

impl Convention {
    fn separator(self) -> u8 {
        match self {
            Convention::Comma => b',',
            Convention::Semicolon => b';',
        }
    }

    /// Guesses the convention from the header line: whichever separator occurs more often
    /// outside quotes. Headers have at least two columns, so the right one always occurs.
    pub fn detect(header: &str) -> Convention {
        let mut in_quotes = false;
        let (mut n_commas, mut n_semicolons) = (0_usize, 0_usize);
        for character in header.chars() {
            match character {
                '"' => in_quotes = !in_quotes,
                ',' if !in_quotes => n_commas += 1,
                ';' if !in_quotes => n_semicolons += 1,
                _ => {}
            }
        }
        if n_semicolons > n_commas {
            Convention::Semicolon
        } else {
            Convention::Comma
        }
    }

    fn number_phrase(self) -> &'static str {
        match self {
            Convention::Comma => "a number (decimal point) or a CBS symbol `.`, `x`, `-99997`",
            Convention::Semicolon => "a number (decimal comma) or a CBS symbol `.`, `x`, `-99997`",
        }
    }
}

/// Where a table's statistical year comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum YearSource {
    /// A column holding the year of each row (`jaar`).
    Column(String),
    /// The same year for every row, declared by whoever knows the table.
    Fixed(Year),
    /// The table has no year (a classification such as Gebieden in Nederland).
    #[default]
    None,
}

/// What to read from a table and how to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    /// The separator convention; `None` detects it from the header.
    pub convention: Option<Convention>,
    /// The column with the CBS area code of each row.
    pub area_column: String,
    /// Put in front of the area column's text to make the code, for tables that write the code
    /// without its level prefix (`PC` for a PC4 table's `9401`, giving `PC9401`). A whole
    /// number written with a decimal point (`9401.0`, as GIS tools write integer properties)
    /// counts as its digits.
    pub area_prefix: Option<String>,
    /// Further texts of a number cell that stand for a missing value, with their reason, checked
    /// before CBS's own symbols: a copy that blanked CBS's secrecy code `-99997` (and says so)
    /// reads `""` as [`MissingReason::Secret`], a spreadsheet's `#N/A` (no value published) is
    /// [`MissingReason::Unknown`].
    pub missing_symbols: Vec<(String, MissingReason)>,
    /// Where the year of each row comes from.
    pub year: YearSource,
    /// Columns parsed as numbers (or CBS missing-value symbols); they must be in the header.
    pub number_columns: Vec<String>,
    /// Further columns that must be in the header, kept as text (names, parent codes).
    pub text_columns: Vec<String>,
    /// Columns that, with area and year, identify a row (`leeftijd` in a table by age); two
    /// rows with the same key are a duplicate.
    pub key_columns: Vec<String>,
    /// Area codes to skip, such as CBS's pseudo-municipalities `GM0998` (Buitenland).
    pub skip_areas: Vec<String>,
    /// If not empty, rows of other levels are skipped (a table of municipalities and districts
    /// read for its districts only).
    pub levels: Vec<AreaLevel>,
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
}

impl TableSpec {
    /// A spec reading `area_column` and nothing else; add columns with struct update syntax.
    pub fn new(area_column: &str) -> TableSpec {
        TableSpec {
            convention: None,
            area_column: area_column.to_owned(),
            area_prefix: None,
            missing_symbols: Vec::new(),
            year: YearSource::None,
            number_columns: Vec::new(),
            text_columns: Vec::new(),
            key_columns: Vec::new(),
            skip_areas: Vec::new(),
            levels: Vec::new(),
            max_bytes: MAX_INPUT_BYTES,
        }
    }

    fn required_columns(&self) -> Vec<&str> {
        let mut columns = vec![self.area_column.as_str()];
        if let YearSource::Column(column) = &self.year {
            columns.push(column);
        }
        for column in self
            .number_columns
            .iter()
            .chain(&self.text_columns)
            .chain(&self.key_columns)
        {
            if !columns.contains(&column.as_str()) {
                columns.push(column);
            }
        }
        columns
    }
}

/// A table as read: its header and its rows, with the numbers of the declared number columns
/// parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file as given (used in messages and provenance).
    pub file: String,
    /// The convention it was read in.
    pub convention: Convention,
    /// The column names of the header, trimmed.
    pub columns: Vec<String>,
    /// The data rows, skipped rows left out.
    pub rows: Vec<Row>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The 1-based line number in the file (the header is line 1). For a table read from GeoJSON
    /// properties, the 0-based feature index + 1, so the first feature is "line" 1.
    pub line: u64,
    /// The area code of the row.
    pub area: AreaCode,
    /// The year of the row, if the table has one.
    pub year: Option<Year>,
    /// Every field as text, trimmed, in header order.
    pub texts: Vec<String>,
    /// The parsed value of every declared number column, `None` for other columns.
    pub numbers: Vec<Option<CellValue>>,
}

impl Table {
    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column == name)
    }

    /// A row's value in a declared number column, `None` if the column is not one.
    pub fn number(&self, row: &Row, column: &str) -> Option<CellValue> {
        self.column(column).and_then(|index| row.numbers[index])
    }

    /// A row's text in a column.
    pub fn text<'r>(&self, row: &'r Row, column: &str) -> Option<&'r str> {
        self.column(column).map(|index| row.texts[index].as_str())
    }
}

/// Reads a CBS table from a file, checking it against `spec`.
pub fn read_cbs_table(path: &Path, spec: &TableSpec) -> Result<Table, ImportError> {
    let bytes = read_limited(path, spec.max_bytes)?;
    parse_cbs_table(&bytes, &path.display().to_string(), spec)
}

/// Reads a whole file if it is not larger than `limit` bytes.
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let size = fs_err::metadata(path)?.len();
    if size > limit {
        return Err(ImportError::TooLarge {
            file: path.display().to_string(),
            size,
            limit,
        });
    }
    Ok(fs_err::read(path)?)
}

/// Parses a CBS table from bytes; `file` names it in messages.
pub fn parse_cbs_table(bytes: &[u8], file: &str, spec: &TableSpec) -> Result<Table, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = Problems::new();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        problems.push(Problem::at_line(
            1,
            None,
            "a header line followed by data rows",
            "an empty file",
        ));
        return Err(problems.into_error(file));
    }
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let header_text = String::from_utf8_lossy(&bytes[..header_end]);
    let header_text = header_text.trim_end_matches('\r');
    let convention = spec
        .convention
        .unwrap_or_else(|| Convention::detect(header_text));
    let header: Vec<String> = split_line(header_text.as_bytes(), convention)
        .into_iter()
        .map(|name| name.trim().to_owned())
        .collect();

    check_encoding(bytes, &header, convention, &mut problems);
    if !problems.is_empty() {
        // Fields of a wrongly encoded file cannot be trusted, so nothing further is checked.
        return Err(problems.into_error(file));
    }

    let missing: Vec<&str> = spec
        .required_columns()
        .into_iter()
        .filter(|column| !header.iter().any(|name| name == column))
        .collect();
    if !missing.is_empty() {
        let separator = char::from(convention.separator());
        let expected = format!(
            "a `{separator}`-separated header with the column(s) {} (is the separator right?)",
            missing
                .iter()
                .map(|column| format!("`{column}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        problems.push(Problem::at_line(1, None, expected, header_text));
        return Err(problems.into_error(file));
    }

    let records = csv_records(bytes, convention);
    let fields = records.into_iter().skip(1);
    let table = build_table(fields, file, header, convention, spec, &mut problems);
    problems.into_result(file).map(|()| table)
}

/// Splits one line by the convention's separator, honouring double quotes.
fn split_line(line: &[u8], convention: Convention) -> Vec<String> {
    csv_records(line, convention)
        .into_iter()
        .next()
        .map(|(_, fields)| fields)
        .unwrap_or_default()
}

/// All records with their 1-based starting line.
fn csv_records(bytes: &[u8], convention: Convention) -> Vec<(u64, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(convention.separator())
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Line numbers are counted here rather than taken from the csv reader, whose record
    // positions point at the `\n` of a `\r\n` pair and so lag a line in CBS's CRLF exports.
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter_map(|(offset, &byte)| (byte == b'\n').then_some(offset))
        .collect();
    // Reading from memory, the csv reader can only fail on UTF-8 (not with byte records), so
    // an error ends the table like its end would.
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let mut start = record.position().map_or(0, |position| {
            usize::try_from(position.byte()).unwrap_or(usize::MAX)
        });
        while bytes
            .get(start)
            .is_some_and(|&byte| byte == b'\r' || byte == b'\n')
        {
            start += 1;
        }
        let line = 1 + newlines.partition_point(|&offset| offset < start) as u64;
        let fields = record
            .iter()
            .map(|field| String::from_utf8_lossy(field).into_owned())
            .collect();
        records.push((line, fields));
    }
    records
}

/// Reports every line that is not UTF-8, naming the field the first bad byte is in.
fn check_encoding(
    bytes: &[u8],
    header: &[String],
    convention: Convention,
    problems: &mut Problems,
) {
    for (line_index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if let Err(error) = std::str::from_utf8(line) {
            let offset = error.valid_up_to();
            // Counting separators before the bad byte finds its field; quotes are rare enough in
            // CBS tables that ignoring them here only risks naming a neighbouring field.
            let field_index = line[..offset]
                .split(|&b| b == convention.separator())
                .count()
                - 1;
            problems.push(Problem::at_line(
                line_index as u64 + 1,
                header.get(field_index).map(String::as_str),
                "UTF-8 text (is the file saved as Latin-1 or Windows-1252?)",
                format!("byte 0x{:02X} at column {}", line[offset], offset + 1),
            ));
        }
    }
}

/// Turns records into rows, checking field counts, area codes, years, numbers and duplicates.
pub(crate) fn build_table(
    records: impl IntoIterator<Item = (u64, Vec<String>)>,
    file: &str,
    header: Vec<String>,
    convention: Convention,
    spec: &TableSpec,
    problems: &mut Problems,
) -> Table {
    let index_of = |name: &str| header.iter().position(|column| column == name);
    let area_index = index_of(&spec.area_column);
    let year_index = match &spec.year {
        YearSource::Column(column) => index_of(column),
        _ => None,
    };
    let number_indices: Vec<usize> = spec
        .number_columns
        .iter()
        .filter_map(|column| index_of(column))
        .collect();
    let key_indices: Vec<usize> = spec
        .key_columns
        .iter()
        .filter_map(|column| index_of(column))
        .collect();
    let mut first_line_of_key: HashMap<(AreaCode, Option<Year>, Vec<String>), u64> = HashMap::new();
    let mut rows = Vec::new();

    for (line, fields) in records {
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        if fields.len() != header.len() {
            let expected = format!("{} fields as in the header", header.len());
            let found = if fields.len() < header.len() {
                format!("{} fields (a truncated row?)", fields.len())
            } else {
                format!("{} fields", fields.len())
            };
            let field = header.get(fields.len()).map(String::as_str);
            problems.push(Problem::at_line(line, field, expected, found));
            continue;
        }
        let texts: Vec<String> = fields.iter().map(|field| field.trim().to_owned()).collect();
        let Some(area_index) = area_index else {
            continue;
        };
        let area_text = &texts[area_index];
        let code_text = match &spec.area_prefix {
            Some(prefix) => format!("{prefix}{}", whole_number_digits(area_text)),
            None => area_text.clone(),
        };
        if spec
            .skip_areas
            .iter()
            .any(|skipped| *skipped == *area_text || *skipped == code_text)
        {
            continue;
        }
        let Ok(area) = AreaCode::parse(&code_text) else {
            let expected = match &spec.area_prefix {
                Some(prefix) => format!(
                    "the digits of a CBS area code without its prefix `{prefix}` (such as `9401` for `PC9401`)"
                ),
                None => "a CBS area code (NL01, PV + 2, GM + 4, WK + 6, BU + 8 or PC + 4 digits)"
                    .to_owned(),
            };
            problems.push(Problem::at_line(
                line,
                Some(&spec.area_column),
                expected,
                area_text.clone(),
            ));
            continue;
        };
        if !spec.levels.is_empty() && !spec.levels.contains(&area.level()) {
            continue;
        }
        let year = match (&spec.year, year_index) {
            (YearSource::Fixed(year), _) => Some(*year),
            (YearSource::Column(column), Some(index)) => {
                let Ok(year) = texts[index].parse::<Year>() else {
                    problems.push(Problem::at_line(
                        line,
                        Some(column),
                        "a year between 1900 and 2200",
                        texts[index].clone(),
                    ));
                    continue;
                };
                Some(year)
            }
            _ => None,
        };
        let mut numbers = vec![None; header.len()];
        for &index in &number_indices {
            if let Some((_, reason)) = spec
                .missing_symbols
                .iter()
                .find(|(symbol, _)| symbol.trim() == texts[index])
            {
                numbers[index] = Some(CellValue::Missing(*reason));
                continue;
            }
            match parse_cell(&texts[index], convention) {
                Some(value) => numbers[index] = Some(value),
                None => problems.push(Problem::at_line(
                    line,
                    Some(&header[index]),
                    convention.number_phrase(),
                    texts[index].clone(),
                )),
            }
        }
        let key: Vec<String> = key_indices
            .iter()
            .map(|&index| texts[index].clone())
            .collect();
        if let Some(first_line) = first_line_of_key.get(&(area.clone(), year, key.clone())) {
            let found = std::iter::once(area.to_string())
                .chain(year.map(|year| year.to_string()))
                .chain(key.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            problems.push(Problem::at_line(
                line,
                Some(&spec.area_column),
                format!("one row per area and year, not a second (first on line {first_line})"),
                found,
            ));
            continue;
        }
        first_line_of_key.insert((area.clone(), year, key), line);
        rows.push(Row {
            line,
            area,
            year,
            texts,
            numbers,
        });
    }
    Table {
        file: file.to_owned(),
        convention,
        columns: header,
        rows,
    }
}

/// The digits of a whole number written with a decimal point (`9401.0` → `9401`); any other
/// text unchanged.
pub(crate) fn whole_number_digits(text: &str) -> &str {
    match text.split_once('.') {
        Some((digits, zeros))
            if !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0') =>
        {
            digits
        }
        _ => text,
    }
}

/// Parses one cell: a number in the convention's notation or a CBS missing-value symbol.
///
/// Only digits, a sign, the decimal mark and an exponent are accepted, so `inf`, `NaN` and a
/// thousands separator are errors rather than numbers.
pub(crate) fn parse_cell(text: &str, convention: Convention) -> Option<CellValue> {
    let text = text.trim();
    let reason = match text {
        "" => Some(MissingReason::NotCollected),
        "." => Some(MissingReason::Unknown),
        "x" | "X" | "-99997" => Some(MissingReason::Secret),
        _ => None,
    };
    if let Some(reason) = reason {
        return Some(CellValue::Missing(reason));
    }
    let normalized = match convention {
        Convention::Comma if text.contains(',') => return None,
        Convention::Comma => text.to_owned(),
        Convention::Semicolon if text.contains('.') => return None,
        Convention::Semicolon => text.replace(',', "."),
    };
    if !normalized
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
    {
        return None;
    }
    let number: f64 = normalized.parse().ok()?;
    number.is_finite().then_some(CellValue::Value(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_symbols_map_to_their_reasons_in_both_conventions() {
        for convention in [Convention::Comma, Convention::Semicolon] {
            let reason = |text| parse_cell(text, convention).and_then(CellValue::missing_reason);
            assert_eq!(reason(""), Some(MissingReason::NotCollected));
            assert_eq!(reason(" . "), Some(MissingReason::Unknown));
            assert_eq!(reason("x"), Some(MissingReason::Secret));
            assert_eq!(reason("-99997"), Some(MissingReason::Secret));
        }
    }

    #[test]
    fn each_convention_accepts_only_its_own_decimal_mark() {
        assert_eq!(
            parse_cell("2.5", Convention::Comma),
            Some(CellValue::Value(2.5))
        );
        assert_eq!(
            parse_cell("2,5", Convention::Semicolon),
            Some(CellValue::Value(2.5))
        );
        assert_eq!(parse_cell("2,5", Convention::Comma), None);
        assert_eq!(parse_cell("2.5", Convention::Semicolon), None);
    }

    #[test]
    fn words_that_rust_reads_as_numbers_are_not_numbers_here() {
        for text in ["inf", "NaN", "infinity", "1e999", "12a", "1 000"] {
            assert_eq!(parse_cell(text, Convention::Comma), None, "{text}");
        }
    }

    #[test]
    fn whole_numbers_written_with_a_decimal_point_count_as_their_digits() {
        assert_eq!(whole_number_digits("9401.0"), "9401");
        assert_eq!(whole_number_digits("9401"), "9401");
        assert_eq!(whole_number_digits("9401.5"), "9401.5");
        assert_eq!(whole_number_digits(".0"), ".0");
        assert_eq!(whole_number_digits("GM0106"), "GM0106");
    }

    #[test]
    fn the_separator_is_detected_from_the_header_outside_quotes() {
        assert_eq!(Convention::detect("a,b;c,d"), Convention::Comma);
        assert_eq!(
            Convention::detect("\"a,1\";\"b,2\";c"),
            Convention::Semicolon
        );
    }
}
