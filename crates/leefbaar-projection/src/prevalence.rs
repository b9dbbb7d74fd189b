//! Age- and sex-specific prevalence rates (people with dementia per 100 residents of an age
//! band) applied to a population table: the expected number of people with the condition if
//! the rates of the study population held here. A projection times constant rates is the
//! usual way care planners turn an ageing population into care demand; it ignores any trend
//! in the rates themselves, so the result is demographic pressure, not a forecast of cases.

use crate::error::ParseError;
use crate::table::{AgeSexTable, Sex};

/// One age band's rates, in percent of the band's residents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrevalenceBand {
    /// The first age of the band.
    pub from_age: usize,
    /// The last age of the band; `None` for the open band at the top.
    pub to_age: Option<usize>,
    /// Men with the condition per 100 men of the band.
    pub male_pct: f64,
    /// Women with the condition per 100 women of the band.
    pub female_pct: f64,
}

/// Rates per age band and sex; ages below the first band count as zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Prevalence {
    bands: Vec<PrevalenceBand>,
}

impl Prevalence {
    /// Reads a CSV with the columns `from_age,to_age,male_pct,female_pct` (`to_age` empty for
    /// the open top band); bands must ascend without overlapping. `table` names the file in
    /// errors.
    pub fn parse(table: &str, text: &str) -> Result<Prevalence, ParseError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let csv_error = |source| ParseError::Csv {
            table: table.to_owned(),
            source,
        };
        let headers = reader.headers().map_err(csv_error)?.clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|header| header == name)
                .ok_or_else(|| ParseError::MissingColumn {
                    table: table.to_owned(),
                    column: name.to_owned(),
                })
        };
        let [from_col, to_col, male_col, female_col] = [
            column("from_age")?,
            column("to_age")?,
            column("male_pct")?,
            column("female_pct")?,
        ];
        let mut bands: Vec<PrevalenceBand> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, csv::Position::line);
            let field = |index: usize| record.get(index).unwrap_or_default();
            let bad = |index: usize, expected: &'static str| ParseError::BadValue {
                table: table.to_owned(),
                line,
                field: headers.get(index).unwrap_or_default().to_owned(),
                expected,
                found: field(index).to_owned(),
            };
            let from_age: usize = field(from_col)
                .parse()
                .map_err(|_| bad(from_col, "an age in whole years"))?;
            let to_age = match field(to_col) {
                "" => None,
                text => Some(
                    text.parse::<usize>()
                        .ok()
                        .filter(|to| *to >= from_age)
                        .ok_or_else(|| bad(to_col, "an age not below from_age, or empty"))?,
                ),
            };
            let pct = |index: usize| {
                field(index)
                    .parse::<f64>()
                    .ok()
                    .filter(|value| (0.0..=100.0).contains(value))
                    .ok_or_else(|| bad(index, "a percentage between 0 and 100"))
            };
            let (male_pct, female_pct) = (pct(male_col)?, pct(female_col)?);
            if let Some(previous) = bands.last() {
                let follows = previous.to_age.is_some_and(|to| from_age > to);
                if !follows {
                    return Err(bad(
                        from_col,
                        "an age after the previous band's last age (bands ascend, only the last is open)",
                    ));
                }
            }
            bands.push(PrevalenceBand {
                from_age,
                to_age,
                male_pct,
                female_pct,
            });
        }
        Ok(Prevalence { bands })
    }

    /// The bands, youngest first.
    pub fn bands(&self) -> &[PrevalenceBand] {
        &self.bands
    }

    /// The expected number of residents of `table` with the condition: per band and sex, the
    /// residents times the rate.
    ///
    /// # Units
    /// Persons.
    pub fn expected_cases(&self, table: &AgeSexTable) -> f64 {
        let last_age = table.n_ages() - 1;
        self.bands
            .iter()
            .filter(|band| band.from_age <= last_age)
            .map(|band| {
                let to = band.to_age.unwrap_or(last_age).min(last_age);
                let sum = |sex: Sex| table.counts(sex)[band.from_age..=to].iter().sum::<f64>();
                sum(Sex::Male) * band.male_pct / 100.0 + sum(Sex::Female) * band.female_pct / 100.0
            })
            .sum()
    }
}

#[cfg(test)]
mod tests;
