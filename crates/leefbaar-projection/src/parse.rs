//! CSV inputs with documented columns, validated: every problem names table, line and field.
//!
//! The parsers take `impl Read` (a file, a byte slice, a `&str`'s bytes); opening files is
//! the caller's business, so this crate stays free of IO.
//!
//! | table | columns |
//! |---|---|
//! | population | `area,sex,age,persons`: ages `0`, `1`, … in order per area and sex, the last written `100+` (open); persons ≥ 0 |
//! | migration | `area,sex,age,net_migrants`: net migrants during one year by age at the end of the year (may be negative) |
//! | rates | `year,sex,age,survival,fertility,sex_ratio_at_birth`: see [`parse_rates`] |

use std::collections::BTreeMap;
use std::io::Read;

use leefbaar_model::{AreaCode, Year};

use crate::error::ParseError;
use crate::rates::Rates;
use crate::table::{AgeSexTable, BySex, Sex};

/// One CSV table read into memory, with its header.
pub(crate) struct CsvTable {
    pub(crate) name: String,
    headers: Vec<String>,
    pub(crate) rows: Vec<(u64, csv::StringRecord)>,
}

impl CsvTable {
    /// Reads a comma-separated table with a header; fields are trimmed, a BOM is dropped.
    pub(crate) fn read(name: &str, reader: impl Read) -> Result<CsvTable, ParseError> {
        let csv_error = |source| ParseError::Csv {
            table: name.to_owned(),
            source,
        };
        let mut csv_reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers = csv_reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|header| header.trim_start_matches('\u{feff}').to_owned())
            .collect();
        let mut rows = Vec::new();
        for record in csv_reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, csv::Position::line);
            rows.push((line, record));
        }
        Ok(CsvTable {
            name: name.to_owned(),
            headers,
            rows,
        })
    }

    /// The index of a required column.
    pub(crate) fn column(&self, column: &str) -> Result<usize, ParseError> {
        self.headers
            .iter()
            .position(|header| header == column)
            .ok_or_else(|| ParseError::MissingColumn {
                table: self.name.clone(),
                column: column.to_owned(),
            })
    }

    /// A field reader for one row.
    pub(crate) fn field<'t>(
        &'t self,
        row: &'t (u64, csv::StringRecord),
        index: usize,
    ) -> Field<'t> {
        Field {
            table: &self.name,
            line: row.0,
            name: &self.headers[index],
            text: row.1.get(index).unwrap_or(""),
        }
    }
}

/// One field of one row, able to say where it came from when it is wrong.
pub(crate) struct Field<'t> {
    table: &'t str,
    line: u64,
    name: &'t str,
    pub(crate) text: &'t str,
}

impl Field<'_> {
    pub(crate) fn bad(&self, expected: &'static str) -> ParseError {
        ParseError::BadValue {
            table: self.table.to_owned(),
            line: self.line,
            field: self.name.to_owned(),
            expected,
            found: self.text.to_owned(),
        }
    }

    /// A finite number.
    pub(crate) fn number(&self) -> Result<f64, ParseError> {
        // Finite and within ±10^12 (more than any count of persons or rate): sums over a
        // table of such values stay finite (1e308 in two cells summed to infinity, found by
        // fuzzing).
        self.text
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite() && value.abs() <= 1e12)
            .ok_or_else(|| self.bad("a number (at most 10^12 in size)"))
    }

    /// A finite number, or `None` for an empty cell or a CBS missing-value symbol.
    pub(crate) fn optional_number(&self) -> Result<Option<f64>, ParseError> {
        match self.text {
            "" | "." | "x" | "-99997" | "NA" => Ok(None),
            _ => self.number().map(Some),
        }
    }

    /// A count of persons: a number ≥ 0.
    pub(crate) fn count(&self) -> Result<f64, ParseError> {
        let value = self.number()?;
        if value < 0.0 {
            return Err(ParseError::NegativeCount {
                table: self.table.to_owned(),
                line: self.line,
                field: self.name.to_owned(),
                found: value,
            });
        }
        Ok(value)
    }

    /// A probability in `0..=1`.
    pub(crate) fn probability(&self) -> Result<f64, ParseError> {
        let value = self.number()?;
        if !(0.0..=1.0).contains(&value) {
            return Err(ParseError::ProbabilityOutOfRange {
                table: self.table.to_owned(),
                line: self.line,
                field: self.name.to_owned(),
                found: value,
            });
        }
        Ok(value)
    }

    /// A CBS area code.
    pub(crate) fn area(&self) -> Result<AreaCode, ParseError> {
        AreaCode::parse(self.text).map_err(|_| self.bad("a CBS area code such as GM0106"))
    }

    /// `male` or `female`.
    pub(crate) fn sex(&self) -> Result<Sex, ParseError> {
        Sex::parse(self.text).ok_or_else(|| self.bad("`male` or `female`"))
    }

    /// A year.
    pub(crate) fn year(&self) -> Result<Year, ParseError> {
        self.text
            .parse::<Year>()
            .map_err(|_| self.bad("a year between 1900 and 2200"))
    }

    /// A whole number.
    pub(crate) fn whole(&self) -> Result<usize, ParseError> {
        self.text
            .parse::<usize>()
            .map_err(|_| self.bad("a whole number"))
    }

    pub(crate) fn line(&self) -> u64 {
        self.line
    }
}

/// The text an age class is written as: `0`, `1`, …, and `100+` for the open class.
pub fn age_label(age: usize, n_ages: usize) -> String {
    if age + 1 == n_ages {
        format!("{age}+")
    } else {
        age.to_string()
    }
}

/// Tracks that ages of each group arrive in order 0, 1, …, n−1 with the last open.
struct AgeOrder {
    table: String,
    n_ages: usize,
    next: BTreeMap<String, usize>,
}

impl AgeOrder {
    fn new(table: &str, n_ages: usize) -> AgeOrder {
        AgeOrder {
            table: table.to_owned(),
            n_ages,
            next: BTreeMap::new(),
        }
    }

    /// Checks the age text of the next row of `group` and returns the age.
    fn check(&mut self, group: String, age: &Field<'_>) -> Result<usize, ParseError> {
        let expected = *self.next.get(&group).unwrap_or(&0);
        let open = self.n_ages - 1;
        let found = age.text;
        let matches = found == age_label(expected, self.n_ages)
            || (expected == open && found == expected.to_string());
        if !matches || expected > open {
            let expected_text = if expected > open {
                "no further age after the open class".to_owned()
            } else {
                format!("`{}`", age_label(expected, self.n_ages))
            };
            return Err(ParseError::AgeOutOfOrder {
                table: self.table.clone(),
                line: age.line(),
                group,
                expected: expected_text,
                found: found.to_owned(),
            });
        }
        self.next.insert(group, expected + 1);
        Ok(expected)
    }

    /// Registers a group that must have its ages even if none of its rows is an age row.
    fn expect(&mut self, group: String) {
        self.next.entry(group).or_insert(0);
    }

    /// Fails for any group that stopped short of the open class.
    fn finish(self) -> Result<(), ParseError> {
        for (group, next) in self.next {
            if next != self.n_ages {
                return Err(ParseError::IncompleteAges {
                    table: self.table,
                    group,
                    found: next,
                    expected: self.n_ages,
                });
            }
        }
        Ok(())
    }
}

/// A table needs at least the open age class.
fn check_n_ages(table_name: &str, n_ages: usize) -> Result<(), ParseError> {
    if n_ages == 0 {
        return Err(ParseError::BadValue {
            table: table_name.to_owned(),
            line: 0,
            field: "age".to_owned(),
            expected: "at least one age class (the caller's number of ages)",
            found: n_ages.to_string(),
        });
    }
    Ok(())
}

/// Reads a population table `area,sex,age,persons` into one [`AgeSexTable`] per area.
///
/// Ages must run `0`, `1`, … `n_ages − 2`, then the open class (`100+` or `100` for 101 ages)
/// in file order for each area and sex; counts must be ≥ 0.
///
/// # Units
/// Persons.
pub fn parse_population(
    table_name: &str,
    reader: impl Read,
    n_ages: usize,
) -> Result<BTreeMap<AreaCode, AgeSexTable>, ParseError> {
    parse_area_table(table_name, reader, n_ages, "persons", true)
}

/// Reads a migration table `area,sex,age,net_migrants` (one year of net migrants by age at the
/// end of the year; negative values are net out-migration).
///
/// # Units
/// Persons per year.
pub fn parse_migration(
    table_name: &str,
    reader: impl Read,
    n_ages: usize,
) -> Result<BTreeMap<AreaCode, AgeSexTable>, ParseError> {
    parse_area_table(table_name, reader, n_ages, "net_migrants", false)
}

fn parse_area_table(
    table_name: &str,
    reader: impl Read,
    n_ages: usize,
    value_column: &str,
    non_negative: bool,
) -> Result<BTreeMap<AreaCode, AgeSexTable>, ParseError> {
    check_n_ages(table_name, n_ages)?;
    let table = CsvTable::read(table_name, reader)?;
    let (area_col, sex_col, age_col, value_col) = (
        table.column("area")?,
        table.column("sex")?,
        table.column("age")?,
        table.column(value_column)?,
    );
    let mut order = AgeOrder::new(table_name, n_ages);
    let mut tables: BTreeMap<AreaCode, AgeSexTable> = BTreeMap::new();
    for row in &table.rows {
        let area = table.field(row, area_col).area()?;
        let sex = table.field(row, sex_col).sex()?;
        let age = order.check(format!("{area} {sex}"), &table.field(row, age_col))?;
        let value_field = table.field(row, value_col);
        let value = if non_negative {
            value_field.count()?
        } else {
            value_field.number()?
        };
        tables
            .entry(area)
            .or_insert_with(|| AgeSexTable::zeros(n_ages))
            .counts_mut(sex)[age] = value;
    }
    order.finish()?;
    Ok(tables)
}

/// Reads a rate table `year,sex,age,survival,fertility,sex_ratio_at_birth`.
///
/// Per year and sex: first a row with age `birth` (survival = share of the year's births alive
/// on the next 1 January; `sex_ratio_at_birth` = male per female births, the same on both
/// sexes' rows; `fertility` empty), then ages `0` … `100+` in order (survival from age `x` to
/// `x + 1`; `fertility` = births per woman of that age per year for women, 0 or empty for men;
/// `sex_ratio_at_birth` empty). Probabilities must lie in 0..=1, fertility must be ≥ 0; every
/// year needs both sexes, each with its `birth` row and all ages, and one sex ratio at birth.
///
/// # Units
/// Probabilities; births per woman per year; male per female births.
pub fn parse_rates(
    table_name: &str,
    reader: impl Read,
    n_ages: usize,
) -> Result<Vec<(Year, Rates)>, ParseError> {
    check_n_ages(table_name, n_ages)?;
    let table = CsvTable::read(table_name, reader)?;
    let (year_col, sex_col, age_col, survival_col, fertility_col, srb_col) = (
        table.column("year")?,
        table.column("sex")?,
        table.column("age")?,
        table.column("survival")?,
        table.column("fertility")?,
        table.column("sex_ratio_at_birth")?,
    );
    let mut order = AgeOrder::new(table_name, n_ages);
    let mut by_year: BTreeMap<Year, Rates> = BTreeMap::new();
    // (year, sex) with a `birth` row: every year needs one for each sex, with one sex ratio.
    let mut births: BTreeMap<(Year, Sex), f64> = BTreeMap::new();
    for row in &table.rows {
        let year = table.field(row, year_col).year()?;
        let sex = table.field(row, sex_col).sex()?;
        // Both sexes of a year must have all their ages, even a sex without any age row.
        for each in Sex::BOTH {
            order.expect(format!("{year} {each}"));
        }
        let rates = by_year.entry(year).or_insert_with(|| Rates {
            survival: BySex {
                male: vec![0.0; n_ages],
                female: vec![0.0; n_ages],
            },
            birth_survival: BySex::default(),
            fertility: vec![0.0; n_ages],
            sex_ratio_at_birth: 1.05,
        });
        let survival = table.field(row, survival_col).probability()?;
        let age_field = table.field(row, age_col);
        if age_field.text == "birth" {
            *rates.birth_survival.of_mut(sex) = survival;
            let srb_field = table.field(row, srb_col);
            let srb = srb_field.count()?;
            if srb <= 0.0 {
                return Err(srb_field.bad("a positive sex ratio at birth"));
            }
            if births
                .iter()
                .any(|((y, other), value)| *y == year && *other != sex && *value != srb)
            {
                return Err(srb_field.bad("the same sex ratio at birth on both sexes' rows"));
            }
            births.insert((year, sex), srb);
            rates.sex_ratio_at_birth = srb;
            continue;
        }
        let age = order.check(format!("{year} {sex}"), &age_field)?;
        rates.survival.of_mut(sex)[age] = survival;
        let fertility_field = table.field(row, fertility_col);
        let fertility = if fertility_field.text.is_empty() {
            0.0
        } else {
            fertility_field.count()?
        };
        if sex == Sex::Female {
            rates.fertility[age] = fertility;
        } else if fertility != 0.0 {
            return Err(fertility_field.bad("0 or empty (fertility is given for women)"));
        }
    }
    order.finish()?;
    for year in by_year.keys() {
        for sex in Sex::BOTH {
            if !births.contains_key(&(*year, sex)) {
                return Err(ParseError::BadValue {
                    table: table_name.to_owned(),
                    line: 0,
                    field: "age".to_owned(),
                    expected: "a `birth` row for every year and sex",
                    found: format!("none for {year} {sex}"),
                });
            }
        }
    }
    Ok(by_year.into_iter().collect())
}

/// Writes rates in the format [`parse_rates`] reads (for generated, committed rate files).
pub fn write_rates(entries: &[(Year, Rates)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from("year,sex,age,survival,fertility,sex_ratio_at_birth\n");
    for (year, rates) in entries {
        let n_ages = rates.n_ages();
        for sex in Sex::BOTH {
            let _ = writeln!(
                out,
                "{year},{sex},birth,{:.8},,{:.4}",
                rates.birth_survival.of(sex),
                rates.sex_ratio_at_birth
            );
            for age in 0..n_ages {
                let fertility = match sex {
                    Sex::Female => format!("{:.8}", rates.fertility[age]),
                    Sex::Male => String::new(),
                };
                let _ = writeln!(
                    out,
                    "{year},{sex},{},{:.8},{fertility},",
                    age_label(age, n_ages),
                    rates.survival.of(sex)[age]
                );
            }
        }
    }
    out
}
