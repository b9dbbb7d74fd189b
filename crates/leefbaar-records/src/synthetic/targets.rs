//! The published figures the generators are calibrated to and the calibration tests compare
//! with: `data/records/published_targets.csv`, rows copied from the published-figures
//! collection and the seed with their source columns, plus a `key` and the `tolerance` (the
//! figure's rounding, or the published range).

/// One published figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Its key (`education.start_below_advice`).
    pub key: String,
    /// The indicator as published.
    pub indicator: String,
    /// The area as published.
    pub area: String,
    /// The value as published (a percentage for shares).
    pub value: f64,
    /// Half the width of the interval the figure stands for.
    pub tolerance: f64,
}

/// The figures of `published_targets.csv`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Targets {
    /// Every row.
    pub rows: Vec<Target>,
}

impl Targets {
    /// Parses the file's text.
    pub fn parse(csv_text: &str) -> Result<Targets, String> {
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().map_err(|e| e.to_string())?.clone();
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| format!("line 1: expected a column `{name}`"))
        };
        let (key, indicator, area, value, tolerance) = (
            column("key")?,
            column("indicator")?,
            column("area")?,
            column("value")?,
            column("tolerance")?,
        );
        let mut rows = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let line = k + 2;
            let record = record.map_err(|e| format!("line {line}: {e}"))?;
            let number = |c: usize, name: &str| {
                record[c].parse::<f64>().map_err(|_| {
                    format!(
                        "line {line}, field `{name}`: expected a number, found `{}`",
                        &record[c]
                    )
                })
            };
            rows.push(Target {
                key: record[key].to_owned(),
                indicator: record[indicator].to_owned(),
                area: record[area].to_owned(),
                value: number(value, "value")?,
                tolerance: number(tolerance, "tolerance")?,
            });
        }
        Ok(Targets { rows })
    }

    /// A figure by key.
    pub fn get(&self, key: &str) -> Result<&Target, String> {
        self.rows
            .iter()
            .find(|t| t.key == key)
            .ok_or_else(|| format!("published_targets.csv has no row `{key}`"))
    }

    /// A percentage by key, as a share between 0 and 1.
    pub fn share(&self, key: &str) -> Result<f64, String> {
        Ok(self.get(key)?.value / 100.0)
    }
}
