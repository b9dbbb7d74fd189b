//! The all-or-nothing import: CSV files of records, each checked against the schema, every
//! problem of every file gathered in one pass, and records returned only when there is none.

use std::collections::HashMap;
use std::io::Read;

use crate::area::AreaTree;
use crate::error::{RecordProblem, RecordsErrors};
use crate::schema::{FieldType, Kind, Schema};

/// One value of a record, parsed. Small and `Copy`, so a million records of ten fields fit in
/// about 160 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// An empty optional field.
    Missing,
    /// The index of a code in its list.
    Code(u16),
    /// A whole number.
    Integer(i64),
    /// A date, as days since 1970-01-01.
    Date(i32),
    /// A year.
    Year(u16),
    /// The index of a leaf of the area tree.
    Area(u32),
    /// The row of the linked record in its kind's table.
    Link(u32),
    /// The id field (the ids themselves are kept in [`Table::ids`]).
    Id,
}

impl Value {
    /// A number that orders values of one type, for order rules.
    fn ordinal(self) -> Option<i64> {
        match self {
            Value::Integer(v) => Some(v),
            Value::Date(v) => Some(i64::from(v)),
            Value::Year(v) => Some(i64::from(v)),
            _ => None,
        }
    }
}

/// The records of one kind, column by column in the schema's field order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The ids, by row.
    pub ids: Vec<String>,
    /// `columns[field][row]`.
    pub columns: Vec<Vec<Value>>,
}

impl Table {
    /// The number of records.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A file of records of one kind, given by the caller (who does the IO).
pub struct RecordFile<R> {
    /// The kind of its records.
    pub kind: String,
    /// Its name, for messages.
    pub name: String,
    /// Its content.
    pub reader: R,
}

/// Valid records of every kind of a schema, with links resolved to rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Records {
    schema: Schema,
    tables: Vec<Table>,
}

/// A link waiting for every id to be known.
struct PendingLink {
    kind: usize,
    row: u32,
    column: usize,
    target: usize,
    id: String,
    file: usize,
    line: u64,
}

/// The problems found so far, capped per file.
struct Problems {
    kept: Vec<RecordProblem>,
    per_file: Vec<u64>,
    names: Vec<String>,
}

impl Problems {
    fn add(&mut self, file: usize, line: u64, field: Option<&str>, expected: String, found: &str) {
        self.per_file[file] += 1;
        if self.per_file[file] <= RecordsErrors::MAX_PER_FILE as u64 {
            let mut found = found.to_owned();
            if found.chars().count() > 60 {
                found = found.chars().take(57).collect::<String>() + "...";
            }
            self.kept.push(RecordProblem {
                file: self.names[file].clone(),
                line,
                field: field.map(str::to_owned),
                found,
                expected,
            });
        }
    }

    fn into_errors(self) -> Option<RecordsErrors> {
        let mut kept = self.kept;
        if kept.is_empty() {
            return None;
        }
        // Link problems are found after every file is read; list each file's problems by line.
        let order: HashMap<&String, usize> =
            self.names.iter().enumerate().map(|(k, n)| (n, k)).collect();
        kept.sort_by_key(|p| (order[&p.file], p.line));
        let omitted = self
            .names
            .iter()
            .zip(&self.per_file)
            .filter(|&(_, &n)| n > RecordsErrors::MAX_PER_FILE as u64)
            .map(|(name, &n)| (name.clone(), n - RecordsErrors::MAX_PER_FILE as u64))
            .collect();
        Some(RecordsErrors {
            problems: kept,
            omitted,
        })
    }
}

impl Records {
    /// Imports the files; nothing is returned unless every record of every file is valid.
    ///
    /// Checked: the header (every field of the kind, no other column), each value against its
    /// type (a code of its list, a date, a year, a whole number, a leaf of `areas`), required
    /// values, unique ids per kind (across files), links to ids that exist, and the kind's
    /// order rules.
    pub fn import<R: Read>(
        schema: Schema,
        areas: &AreaTree,
        files: Vec<RecordFile<R>>,
    ) -> Result<Records, RecordsErrors> {
        let mut problems = Problems {
            kept: Vec::new(),
            per_file: vec![0; files.len()],
            names: files.iter().map(|f| f.name.clone()).collect(),
        };
        let mut tables: Vec<Table> = schema
            .kinds
            .iter()
            .map(|kind| Table {
                ids: Vec::new(),
                columns: vec![Vec::new(); kind.fields.len()],
            })
            .collect();
        // Where each id was first seen, for duplicates and links: (row, file, line).
        let mut id_rows: Vec<HashMap<String, (u32, usize, u64)>> =
            vec![HashMap::new(); schema.kinds.len()];
        let mut pending = Vec::new();
        for (file_index, file) in files.into_iter().enumerate() {
            let Some(kind_index) = schema.kind_index(&file.kind) else {
                let kinds: Vec<&str> = schema.kinds.iter().map(|k| k.name.as_str()).collect();
                problems.add(
                    file_index,
                    1,
                    None,
                    format!("a record kind of the schema ({})", kinds.join(", ")),
                    &file.kind,
                );
                continue;
            };
            let kind = &schema.kinds[kind_index];
            let reader = FileReader {
                schema: &schema,
                kind,
                kind_index,
                areas,
                file_index,
            };
            reader.read(
                file.reader,
                &mut tables[kind_index],
                &mut id_rows[kind_index],
                &mut pending,
                &mut problems,
            );
        }
        for link in pending {
            if let Some(&(row, _, _)) = id_rows[link.target].get(&link.id) {
                // An invalid record's links are checked but it has no row to fill.
                if let Some(value) =
                    tables[link.kind].columns[link.column].get_mut(link.row as usize)
                {
                    *value = Value::Link(row);
                }
            } else {
                let field = &schema.kinds[link.kind].fields[link.column].name;
                let target = &schema.kinds[link.target].name;
                problems.add(
                    link.file,
                    link.line,
                    Some(field),
                    format!("the id of a `{target}` record"),
                    &link.id,
                );
            }
        }
        match problems.into_errors() {
            Some(errors) => Err(errors),
            None => Ok(Records { schema, tables }),
        }
    }

    /// The schema the records were checked against.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The records of a kind, by its index in the schema.
    pub fn table(&self, kind: usize) -> &Table {
        &self.tables[kind]
    }
}

/// Reads one file of one kind.
struct FileReader<'a> {
    schema: &'a Schema,
    kind: &'a Kind,
    kind_index: usize,
    areas: &'a AreaTree,
    file_index: usize,
}

impl FileReader<'_> {
    fn read<R: Read>(
        &self,
        reader: R,
        table: &mut Table,
        ids: &mut HashMap<String, (u32, usize, u64)>,
        pending: &mut Vec<PendingLink>,
        problems: &mut Problems,
    ) {
        let file = self.file_index;
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let header: Vec<String> = match csv.headers() {
            Ok(h) => h.iter().map(str::to_owned).collect(),
            Err(e) => {
                problems.add(file, 1, None, "a CSV header".to_owned(), &e.to_string());
                return;
            }
        };
        // Column of each field, or a problem per missing field; extra columns are problems too,
        // except `synthetic`, the label every SYNTHETIC file carries.
        let mut column_of = Vec::new();
        let mut header_ok = true;
        for field in &self.kind.fields {
            if let Some(c) = header.iter().position(|h| h == &field.name) {
                column_of.push(c);
            } else {
                header_ok = false;
                problems.add(
                    file,
                    1,
                    Some(&field.name),
                    format!(
                        "a column `{}` (a field of `{}`)",
                        field.name, self.kind.name
                    ),
                    &header.join(","),
                );
            }
        }
        for extra in header
            .iter()
            .filter(|h| h.as_str() != "synthetic" && self.kind.field_index(h).is_none())
        {
            header_ok = false;
            problems.add(
                file,
                1,
                Some(extra),
                format!("only the fields of `{}`", self.kind.name),
                extra,
            );
        }
        if !header_ok {
            return;
        }
        let mut record = csv::StringRecord::new();
        let mut values = vec![Value::Missing; self.kind.fields.len()];
        let mut links: Vec<(usize, String)> = Vec::new();
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    problems.add(file, line, None, "a CSV record".to_owned(), &e.to_string());
                    continue;
                }
            }
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() != header.len() {
                problems.add(
                    file,
                    line,
                    None,
                    format!("{} values, as in the header", header.len()),
                    &format!("{} values", record.len()),
                );
                continue;
            }
            let mut ok = true;
            links.clear();
            let mut id = None;
            for (k, field) in self.kind.fields.iter().enumerate() {
                let text = &record[column_of[k]];
                if text.is_empty() {
                    if !field.optional {
                        problems.add(
                            file,
                            line,
                            Some(&field.name),
                            "a value (the field is required)".to_owned(),
                            "",
                        );
                        ok = false;
                    }
                    values[k] = Value::Missing;
                    continue;
                }
                match self.parse(&field.field_type, text) {
                    Ok(Value::Link(_)) => {
                        links.push((k, text.to_owned()));
                        values[k] = Value::Missing;
                    }
                    Ok(Value::Id) => {
                        id = Some(text);
                        values[k] = Value::Id;
                    }
                    Ok(value) => values[k] = value,
                    Err(expected) => {
                        problems.add(file, line, Some(&field.name), expected, text);
                        ok = false;
                    }
                }
            }
            for rule in &self.kind.order {
                let earlier = self
                    .kind
                    .field_index(&rule.earlier)
                    .expect("checked by the schema");
                let later = self
                    .kind
                    .field_index(&rule.later)
                    .expect("checked by the schema");
                if let (Some(a), Some(b)) = (values[earlier].ordinal(), values[later].ordinal())
                    && b < a
                {
                    problems.add(
                        file,
                        line,
                        Some(&rule.later),
                        format!(
                            "a `{}` not before `{}` ({})",
                            rule.later, rule.earlier, &record[column_of[earlier]]
                        ),
                        &record[column_of[later]],
                    );
                    ok = false;
                }
            }
            let Some(id) = id else { continue };
            let row = u32::try_from(table.ids.len()).expect("fewer than 2^32 records of a kind");
            if let Some(&(_, first_file, first_line)) = ids.get(id) {
                problems.add(
                    file,
                    line,
                    Some(&self.kind.id),
                    format!(
                        "an id not used before (it is on line {first_line} of {})",
                        problems.names[first_file]
                    ),
                    id,
                );
                continue;
            }
            ids.insert(id.to_owned(), (row, file, line));
            // The links of an invalid record are checked too, so that one pass names every
            // problem; the record itself is not stored (nothing is returned anyway).
            for (column, target) in links.drain(..) {
                let FieldType::Link(kind) = &self.kind.fields[column].field_type else {
                    unreachable!("only link fields parse to links")
                };
                pending.push(PendingLink {
                    kind: self.kind_index,
                    row,
                    column,
                    target: self.schema.kind_index(kind).expect("checked by the schema"),
                    id: target,
                    file,
                    line,
                });
            }
            if !ok {
                continue;
            }
            table.ids.push(id.to_owned());
            for (column, value) in table.columns.iter_mut().zip(&values) {
                column.push(*value);
            }
        }
    }

    /// Parses a non-empty value; a link parses to a placeholder resolved later.
    fn parse(&self, field_type: &FieldType, text: &str) -> Result<Value, String> {
        match field_type {
            FieldType::Id => Ok(Value::Id),
            FieldType::Link(_) => Ok(Value::Link(u32::MAX)),
            FieldType::Code(list) => {
                let list = &self.schema.code_lists[list];
                list.position(text)
                    .map(|k| Value::Code(u16::try_from(k).expect("fewer than 65,536 codes")))
                    .ok_or_else(|| {
                        let codes: Vec<&str> = list.codes.iter().map(|c| c.code.as_str()).collect();
                        format!("a code of `{}` ({})", list.name, codes.join(", "))
                    })
            }
            FieldType::Integer => text.parse().map(Value::Integer).map_err(|_| "a whole number".to_owned()),
            FieldType::Year => text
                .parse::<u16>()
                .ok()
                .filter(|y| (1800..=2200).contains(y))
                .map(Value::Year)
                .ok_or_else(|| "a year (YYYY)".to_owned()),
            FieldType::Date => parse_date(text).map(Value::Date).ok_or_else(|| "a date (YYYY-MM-DD)".to_owned()),
            FieldType::Area => self
                .areas
                .position(text)
                .filter(|&k| self.areas.is_leaf(k))
                .map(|k| Value::Area(u32::try_from(k).expect("fewer than 2^32 areas")))
                .ok_or_else(|| "an area code of the area tree without sub-areas (a municipality such as GM0106)".to_owned()),
        }
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, checking the day exists.
pub(crate) fn parse_date(text: &str) -> Option<i32> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month[m as usize - 1] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i32::try_from(m).ok()? + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i32::try_from(d).ok()? - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}
