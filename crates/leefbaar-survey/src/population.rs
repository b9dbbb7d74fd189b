//! Population margins for raking: adults by municipality, province, age group and sex,
//! derived from CBS tables.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;

use leefbaar_model::AreaCode;

use crate::{ImportError, ImportProblem, Margin, Panel, RakeError};

/// The population of one municipality × age group × sex cell.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationCell {
    /// The municipality.
    pub municipality: AreaCode,
    /// Its province.
    pub province: AreaCode,
    /// Age-group code as in the survey schema.
    pub age_group: String,
    /// Sex code as in the survey schema.
    pub sex: String,
    /// Persons.
    pub population: f64,
}

/// The age groups of the derived margins and how they are built from KWB's percentage columns
/// (`15_25` is ages 15–24, and so on): `(code, [(column, fraction of it)])`.
///
/// KWB has no 18+ boundary, so 18–24 is taken as 7/10 of the 15–24 group (ages spread evenly
/// over the ten years), an approximation documented in `data/survey/README.md`.
pub const KWB_AGE_GROUPS: [(&str, &[(&str, f64)]); 3] = [
    ("18-44", &[("15_25", 0.7), ("25_45", 1.0)]),
    ("45-64", &[("45_65", 1.0)]),
    ("65+", &[("65plus", 1.0)]),
];

/// Municipalities in KWB 2019 that merged before the 2024 edition of "Gebieden in Nederland"
/// (which gives the province), with the province they lay in: Appingedam, Delfzijl and
/// Loppersum became Eemsdelta (GM1979, Groningen) in 2021.
const MERGED_SINCE: [(&str, &str); 3] =
    [("GM0003", "PV20"), ("GM0010", "PV20"), ("GM0024", "PV20")];

const KWB: &str = "kwb_gemeenten_2012_2024.csv";
const GEBIEDEN: &str = "gebieden_in_nederland_gemeenten.csv";

/// Derives adult population cells for the given provinces from the CBS KWB municipality table
/// (`kwb_gemeenten_2012_2024.csv`, rows of `year`) and CBS "Gebieden in Nederland"
/// (`;`-separated, for the province of each municipality).
///
/// Sex is split within each age group by the municipality's overall male/female ratio (KWB has
/// no age × sex table), and cells are rounded to whole persons.
///
/// # Units
/// Persons.
pub fn population_from_kwb(
    kwb_csv: &str,
    gebieden_csv: &str,
    year: u16,
    provinces: &[&str],
) -> Result<Vec<PopulationCell>, ImportError> {
    let bad = |file: &str, line: u64, field: &str, message: String| ImportError::Rows {
        file: file.to_owned(),
        problems: vec![ImportProblem {
            line,
            field: field.to_owned(),
            message,
        }],
    };
    let mut province_of: BTreeMap<String, String> = MERGED_SINCE
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .trim(csv::Trim::All)
        .from_reader(gebieden_csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader
        .headers()
        .map_err(|e| bad(GEBIEDEN, 1, "", e.to_string()))?
        .clone();
    let code_column = header.iter().position(|h| h == "Code_1");
    let province_column = header.iter().position(|h| h == "Code_26");
    let (Some(code_column), Some(province_column)) = (code_column, province_column) else {
        return Err(bad(
            GEBIEDEN,
            1,
            "Code_1/Code_26",
            "required column is missing".to_owned(),
        ));
    };
    for record in reader.records() {
        let record = record.map_err(|e| bad(GEBIEDEN, 0, "", e.to_string()))?;
        province_of.insert(
            record.get(code_column).unwrap_or("").to_owned(),
            record.get(province_column).unwrap_or("").to_owned(),
        );
    }

    let mut reader = csv::ReaderBuilder::new().from_reader(kwb_csv.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| bad(KWB, 1, "", e.to_string()))?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad(KWB, 1, name, "required column is missing".to_owned()))
    };
    let year_column = column("jaar")?;
    let code_column = column("gemeentecode")?;
    let inhabitants_column = column("aantal_inwoners")?;
    let men_column = column("mannen")?;
    let mut cells = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let record = record.map_err(|e| bad(KWB, line, "", e.to_string()))?;
        if record.get(year_column) != Some(year.to_string().as_str()) {
            continue;
        }
        let code = record.get(code_column).unwrap_or("");
        let Some(province) = province_of.get(code) else {
            continue;
        };
        if !provinces.contains(&province.as_str()) {
            continue;
        }
        let number = |name: &str, k: usize| {
            let text = record.get(k).unwrap_or("");
            text.parse::<f64>().map_err(|_| {
                bad(
                    KWB,
                    line,
                    name,
                    format!("expected a number, found `{text}`"),
                )
            })
        };
        let inhabitants = number("aantal_inwoners", inhabitants_column)?;
        let men = number("mannen", men_column)?;
        let municipality =
            AreaCode::parse(code).map_err(|e| bad(KWB, line, "gemeentecode", e.to_string()))?;
        let province =
            AreaCode::parse(province).map_err(|e| bad(GEBIEDEN, 0, "Code_26", e.to_string()))?;
        for (age_group, parts) in KWB_AGE_GROUPS {
            let mut percent = 0.0;
            for (name, fraction) in parts {
                percent += fraction * number(name, column(name)?)?;
            }
            let in_group = inhabitants * percent / 100.0;
            for (sex, share) in [
                ("male", men / inhabitants),
                ("female", 1.0 - men / inhabitants),
            ] {
                cells.push(PopulationCell {
                    municipality: municipality.clone(),
                    province: province.clone(),
                    age_group: age_group.to_owned(),
                    sex: sex.to_owned(),
                    population: (in_group * share).round(),
                });
            }
        }
    }
    cells.sort_by(|a, b| {
        (&a.province, &a.municipality, &a.age_group, &a.sex).cmp(&(
            &b.province,
            &b.municipality,
            &b.age_group,
            &b.sex,
        ))
    });
    Ok(cells)
}

/// The header of a population margins file.
pub const POPULATION_HEADER: &str = "province,municipality,age_group,sex,population";

/// Writes population cells as CSV (the inverse of [`parse_population`]).
pub fn population_csv(cells: &[PopulationCell]) -> String {
    let mut text = String::from(POPULATION_HEADER);
    text.push('\n');
    for cell in cells {
        writeln!(
            text,
            "{},{},{},{},{}",
            cell.province, cell.municipality, cell.age_group, cell.sex, cell.population
        )
        .expect("writing to a String");
    }
    text
}

/// Reads population cells from CSV with header [`POPULATION_HEADER`].
pub fn parse_population(file: &str, reader: impl Read) -> Result<Vec<PopulationCell>, ImportError> {
    let mut problems = Vec::new();
    let mut cells = Vec::new();
    let mut csv_reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    match csv_reader.headers() {
        Ok(header) if header.iter().collect::<Vec<_>>().join(",") == POPULATION_HEADER => {}
        _ => problems.push(ImportProblem {
            line: 1,
            field: String::new(),
            message: format!("expected the header `{POPULATION_HEADER}`"),
        }),
    }
    if problems.is_empty() {
        for (index, record) in csv_reader.records().enumerate() {
            let line = index as u64 + 2;
            let mut problem = |field: &str, message: String| {
                problems.push(ImportProblem {
                    line,
                    field: field.to_owned(),
                    message,
                });
            };
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problem("", format!("malformed CSV record: {error}"));
                    continue;
                }
            };
            let cell = |k: usize| record.get(k).unwrap_or("").to_owned();
            let province = AreaCode::parse(&cell(0))
                .map_err(|e| problem("province", e.to_string()))
                .ok();
            let municipality = AreaCode::parse(&cell(1))
                .map_err(|e| problem("municipality", e.to_string()))
                .ok();
            let population = match cell(4).parse::<f64>() {
                Ok(value) if value.is_finite() && value >= 0.0 => Some(value),
                _ => {
                    problem(
                        "population",
                        format!("expected a non-negative number, found `{}`", cell(4)),
                    );
                    None
                }
            };
            if let (Some(province), Some(municipality), Some(population)) =
                (province, municipality, population)
            {
                cells.push(PopulationCell {
                    municipality,
                    province,
                    age_group: cell(2),
                    sex: cell(3),
                    population,
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(cells)
    } else {
        Err(ImportError::Rows {
            file: file.to_owned(),
            problems,
        })
    }
}

/// The two margins Leefbaar rakes a citizens' panel to: province × age group × sex, and
/// municipality. Both come from the same cells, so their totals agree.
pub fn standard_margins(panel: &Panel, cells: &[PopulationCell]) -> Result<Vec<Margin>, RakeError> {
    let province_of: BTreeMap<&AreaCode, &AreaCode> = cells
        .iter()
        .map(|c| (&c.municipality, &c.province))
        .collect();
    let mut by_group: BTreeMap<String, f64> = BTreeMap::new();
    let mut by_municipality: BTreeMap<String, f64> = BTreeMap::new();
    for cell in cells {
        *by_group
            .entry(format!("{} {} {}", cell.province, cell.age_group, cell.sex))
            .or_default() += cell.population;
        *by_municipality
            .entry(cell.municipality.to_string())
            .or_default() += cell.population;
    }
    let schema = &panel.schema;
    let group = Margin::from_panel("province × age group × sex", panel, &by_group, |r| {
        let province = province_of
            .get(&r.area)
            .map_or_else(|| "?".to_owned(), ToString::to_string);
        format!(
            "{province} {} {}",
            schema.age_groups[r.age_group], schema.sexes[r.sex]
        )
    })?;
    let municipality = Margin::from_panel("municipality", panel, &by_municipality, |r| {
        r.area.to_string()
    })?;
    Ok(vec![group, municipality])
}

/// The province of each respondent's municipality, from the population cells (`None` when the
/// municipality is not among them).
pub fn provinces_of(panel: &Panel, cells: &[PopulationCell]) -> Vec<Option<AreaCode>> {
    let province_of: BTreeMap<&AreaCode, &AreaCode> = cells
        .iter()
        .map(|c| (&c.municipality, &c.province))
        .collect();
    panel
        .respondents
        .iter()
        .map(|r| province_of.get(&r.area).map(|p| (*p).clone()))
        .collect()
}
