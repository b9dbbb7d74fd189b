//! Reading DUO's open school files (and CBS's disadvantage scores) in DUO's own column names:
//! every cell checked, every problem an error naming the file, line and field. DUO's `<5` (a
//! count of one to four, withheld) and a mean DUO did not publish become missing values with
//! their reason, never numbers.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_model::{AreaCode, AreaLevel, CellValue, MissingReason, Year};

use crate::error::{MonitorError, record};
use crate::reach::inputs::read_csv;

use super::{
    Disadvantage, Distance, EarlyLeavers, ExamYear, FinalTest, SecondaryPupils, TEST_PROVIDERS,
};

/// DUO's text for a count of one to four it withholds.
pub const SUPPRESSED: &str = "<5";

/// A location code: BRIN (four characters) and a two-digit location number.
fn location_code(path: &Path, line: u64, field: &str, text: &str) -> Result<String, MonitorError> {
    let valid = text.len() == 6
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && text[4..].chars().all(|c| c.is_ascii_digit());
    if valid {
        Ok(text.to_owned())
    } else {
        Err(record(
            path,
            line,
            Some(field),
            format!(
                "expected a location code (BRIN and a two-digit location, e.g. 00DI01), found `{text}`"
            ),
        ))
    }
}

/// A whole number of 0 or more.
fn whole(path: &Path, line: u64, field: &str, text: &str) -> Result<u64, MonitorError> {
    text.parse::<u64>().map_err(|_| {
        record(
            path,
            line,
            Some(field),
            format!("expected a whole number of 0 or more, found `{text}`"),
        )
    })
}

/// A finite number of 0 or more.
fn amount(path: &Path, line: u64, field: &str, text: &str) -> Result<f64, MonitorError> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| {
            record(
                path,
                line,
                Some(field),
                format!("expected a number of 0 or more, found `{text}`"),
            )
        })
}

/// A count DUO may withhold: a whole number, `<5` (`None`: secret) or empty (the programme is
/// not in that year's file, so it had no candidates).
fn count_cell(
    path: &Path,
    line: u64,
    field: &str,
    text: &str,
) -> Result<Option<u64>, MonitorError> {
    match text {
        SUPPRESSED => Ok(None),
        "" => Ok(Some(0)),
        _ => whole(path, line, field, text).map(Some),
    }
}

/// The cell of a count that may be withheld.
fn cell_of(count: Option<u64>) -> CellValue {
    count.map_or(CellValue::Missing(MissingReason::Secret), |n| {
        CellValue::Value(n as f64)
    })
}

/// The municipality of every location (`vestigingscode, naam, gemeentecode`).
pub fn locations(path: &Path) -> Result<BTreeMap<String, (String, AreaCode)>, MonitorError> {
    let rows = read_csv(path, &["vestigingscode", "naam", "gemeentecode"])?;
    let mut locations = BTreeMap::new();
    for (line, row) in rows {
        let code = location_code(path, line, "vestigingscode", &row[0])?;
        let municipality = AreaCode::parse(&row[2])
            .ok()
            .filter(|c| c.level() == AreaLevel::Municipality)
            .ok_or_else(|| {
                record(
                    path,
                    line,
                    Some("gemeentecode"),
                    format!("expected a CBS municipality code, found `{}`", row[2]),
                )
            })?;
        if locations
            .insert(code.clone(), (row[1].clone(), municipality))
            .is_some()
        {
            return Err(record(
                path,
                line,
                Some("vestigingscode"),
                format!("expected each location once, found `{code}` again"),
            ));
        }
    }
    Ok(locations)
}

/// One record of a DUO file: its line, location code and name.
pub struct Located<T> {
    /// The 1-based line.
    pub line: u64,
    /// The location code.
    pub code: String,
    /// The location's name in the file.
    pub name: String,
    /// What the record says.
    pub value: T,
}

/// Final-test results per location and provider (DUO's *gemiddelde eindscores*).
pub fn final_test(path: &Path) -> Result<Vec<Located<Vec<FinalTest>>>, MonitorError> {
    let mut columns = vec![
        "BRIN_NUMMER",
        "VESTIGINGSNUMMER",
        "INSTELLINGSNAAM_VESTIGING",
    ];
    let names: Vec<(String, String)> = TEST_PROVIDERS
        .iter()
        .map(|p| (format!("{p}_AANTAL"), format!("{p}_GEM")))
        .collect();
    for (count, mean) in &names {
        columns.push(count);
        columns.push(mean);
    }
    let rows = read_csv(path, &columns)?;
    let mut out = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let code = location_code(
            path,
            line,
            "VESTIGINGSNUMMER",
            &format!("{}{}", row[0], row[1]),
        )?;
        let mut tests = Vec::new();
        for (index, (provider, (count_field, mean_field))) in
            TEST_PROVIDERS.iter().zip(&names).enumerate()
        {
            let count_text = &row[3 + 2 * index];
            let mean_text = &row[4 + 2 * index];
            let tested = if count_text.is_empty() {
                0
            } else {
                whole(path, line, count_field, count_text)?
            };
            if tested == 0 {
                if !mean_text.is_empty() {
                    return Err(record(
                        path,
                        line,
                        Some(mean_field),
                        format!("expected no mean where no pupil was tested, found `{mean_text}`"),
                    ));
                }
                continue;
            }
            // DUO publishes no mean for fewer than five tested pupils.
            let mean = if mean_text.is_empty() {
                CellValue::Missing(MissingReason::Secret)
            } else {
                CellValue::Value(amount(path, line, mean_field, mean_text)?)
            };
            tests.push(FinalTest {
                provider: (*provider).to_owned(),
                tested,
                mean,
            });
        }
        out.push(Located {
            line,
            code,
            name: row[2].clone(),
            value: tests,
        });
    }
    Ok(out)
}

/// CBS's disadvantage scores per primary location.
pub fn disadvantage(path: &Path) -> Result<Vec<Located<Disadvantage>>, MonitorError> {
    let rows = read_csv(
        path,
        &[
            "brin_vestiging",
            "aantal_bekostigde_leerlingen",
            "achterstandsscore",
            "achterstandsscore_zonder_drempel",
        ],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let code = location_code(path, line, "brin_vestiging", &row[0])?;
        let pupils = whole(path, line, "aantal_bekostigde_leerlingen", &row[1])?;
        let score = |field: &str, text: &str| {
            if text.is_empty() {
                Ok(CellValue::Missing(MissingReason::NotCollected))
            } else {
                // The score without threshold can be below zero for a school whose pupils are
                // expected to do better than average.
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(CellValue::Value)
                    .ok_or_else(|| {
                        record(
                            path,
                            line,
                            Some(field),
                            format!("expected a number, found `{text}`"),
                        )
                    })
            }
        };
        out.push(Located {
            line,
            code,
            name: String::new(),
            value: Disadvantage {
                pupils,
                score: score("achterstandsscore", &row[2])?,
                score_without_threshold: score("achterstandsscore_zonder_drempel", &row[3])?,
            },
        });
    }
    Ok(out)
}

/// Mean home–school distance per primary location.
pub fn distance(path: &Path) -> Result<Vec<Located<Distance>>, MonitorError> {
    let rows = read_csv(
        path,
        &[
            "BRIN_NUMMER",
            "VESTIGINGSNUMMER",
            "INSTELLINGSNAAM_VESTIGING",
            "SOORT_PO",
            "AFSTAND",
            "LEERLINGEN",
        ],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let code = location_code(
            path,
            line,
            "VESTIGINGSNUMMER",
            &format!("{}{}", row[0], row[1]),
        )?;
        out.push(Located {
            line,
            code,
            name: row[2].clone(),
            value: Distance {
                kind: row[3].clone(),
                mean_m: amount(path, line, "AFSTAND", &row[4])?,
                pupils: whole(path, line, "LEERLINGEN", &row[5])?,
            },
        });
    }
    Ok(out)
}

/// Secondary pupils per location: in all, and in year 3 by level (rows of one location are
/// added up).
pub fn pupils(path: &Path) -> Result<Vec<Located<SecondaryPupils>>, MonitorError> {
    let type_field = "ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR";
    let year_fields: Vec<String> = (1..=6)
        .flat_map(|year| {
            ["MAN", "VROUW"].map(|sex| format!("LEER- OF VERBLIJFSJAAR {year} - {sex}"))
        })
        .collect();
    let mut columns = vec![
        "BRIN NUMMER",
        "VESTIGINGSNUMMER",
        "INSTELLINGSNAAM VESTIGING",
        type_field,
    ];
    columns.extend(year_fields.iter().map(String::as_str));
    let rows = read_csv(path, &columns)?;
    let mut by_code: BTreeMap<String, Located<SecondaryPupils>> = BTreeMap::new();
    for (line, row) in rows {
        let code = location_code(
            path,
            line,
            "VESTIGINGSNUMMER",
            &format!("{}{}", row[0], row[1]),
        )?;
        let education_type = &row[3];
        if education_type.is_empty() {
            return Err(record(
                path,
                line,
                Some(type_field),
                "expected an education type, found nothing",
            ));
        }
        // Year 3 at havo or vwo: DUO's `HAVO/VWO lj 3` (and a havo or vwo type of any other
        // grouping, should a file have one).
        let upper = education_type.to_uppercase();
        let havo_vwo = upper.starts_with("HAVO") || upper.starts_with("VWO");
        let entry = by_code.entry(code.clone()).or_insert_with(|| Located {
            line,
            code,
            name: row[2].clone(),
            value: SecondaryPupils::default(),
        });
        for (index, field) in year_fields.iter().enumerate() {
            let text = &row[4 + index];
            let n = if text.is_empty() {
                0
            } else {
                whole(path, line, field, text)?
            };
            entry.value.total += n;
            if index / 2 == 2 {
                entry.value.year3 += n;
                if havo_vwo {
                    entry.value.year3_havo_vwo += n;
                }
            }
        }
    }
    Ok(by_code.into_values().collect())
}

/// Exam candidates and passed per location and school year, summed over its programmes; a
/// year in which any programme's count is `<5` has the location's count missing (secret).
pub fn exams(path: &Path) -> Result<Vec<Located<Vec<ExamYear>>>, MonitorError> {
    let text = fs_err::read(path)?;
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| record(path, 1, None, e.to_string()))?
        .clone();
    let code_at = headers
        .iter()
        .position(|h| h == "VESTIGINGSCODE")
        .ok_or_else(|| record(path, 1, Some("VESTIGINGSCODE"), "the column is missing"))?;
    let name_at = headers
        .iter()
        .position(|h| h == "INSTELLINGSNAAM VESTIGING")
        .ok_or_else(|| {
            record(
                path,
                1,
                Some("INSTELLINGSNAAM VESTIGING"),
                "the column is missing",
            )
        })?;
    // One (year, candidates column, passed column) per school year `EXAMENKANDIDATEN SCHOOLJAAR
    // 2014-2015 - TOTAAL`; the year is the one the school year ends in.
    let mut years: Vec<(Year, usize, usize, String, String)> = Vec::new();
    for (at, header) in headers.iter().enumerate() {
        let Some(rest) = header
            .strip_prefix("EXAMENKANDIDATEN SCHOOLJAAR ")
            .and_then(|r| r.strip_suffix(" - TOTAAL"))
        else {
            continue;
        };
        let year = rest
            .split_once('-')
            .and_then(|(_, end)| end.parse::<u16>().ok())
            .and_then(|end| Year::new(end).ok())
            .ok_or_else(|| {
                record(
                    path,
                    1,
                    Some(header),
                    "expected a school year such as 2014-2015",
                )
            })?;
        let passed_field = format!("GESLAAGDEN SCHOOLJAAR {rest} - TOTAAL");
        let passed_at = headers
            .iter()
            .position(|h| h == passed_field)
            .ok_or_else(|| record(path, 1, Some(&passed_field), "the column is missing"))?;
        years.push((year, at, passed_at, header.to_owned(), passed_field));
    }
    if years.is_empty() {
        return Err(record(
            path,
            1,
            None,
            "expected columns `EXAMENKANDIDATEN SCHOOLJAAR yyyy-yyyy - TOTAAL`",
        ));
    }
    let mut by_code: BTreeMap<String, Located<Vec<ExamYear>>> = BTreeMap::new();
    for (index, result) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let row = result.map_err(|e| record(path, line, None, e.to_string()))?;
        let cell = |at: usize| row.get(at).unwrap_or("").trim();
        let code = location_code(path, line, "VESTIGINGSCODE", cell(code_at))?;
        let entry = by_code.entry(code.clone()).or_insert_with(|| Located {
            line,
            code,
            name: cell(name_at).to_owned(),
            value: years
                .iter()
                .map(|(year, ..)| ExamYear {
                    year: *year,
                    candidates: CellValue::Value(0.0),
                    passed: CellValue::Value(0.0),
                    suppressed_programmes: 0,
                    published_candidates: 0,
                    published_passed: 0,
                })
                .collect(),
        });
        for ((_, candidates_at, passed_at, candidates_field, passed_field), exam) in
            years.iter().zip(entry.value.iter_mut())
        {
            let candidates = count_cell(path, line, candidates_field, cell(*candidates_at))?;
            let passed = count_cell(path, line, passed_field, cell(*passed_at))?;
            if let (Some(c), Some(p)) = (candidates, passed)
                && p > c
            {
                return Err(record(
                    path,
                    line,
                    Some(passed_field),
                    format!("expected at most the candidates ({c}), found `{p}`"),
                ));
            }
            match (candidates, passed) {
                (Some(c), Some(p)) => {
                    exam.published_candidates += c;
                    exam.published_passed += p;
                }
                _ => exam.suppressed_programmes += 1,
            }
            exam.candidates = add(&exam.candidates, &cell_of(candidates));
            exam.passed = add(&exam.passed, &cell_of(passed));
        }
    }
    Ok(by_code.into_values().collect())
}

/// The sum of two cells; missing if either is (the first reason kept).
pub(crate) fn add(a: &CellValue, b: &CellValue) -> CellValue {
    match (a, b) {
        (CellValue::Value(x), CellValue::Value(y)) => CellValue::Value(x + y),
        (CellValue::Missing(reason), _) | (_, CellValue::Missing(reason)) => {
            CellValue::Missing(*reason)
        }
    }
}

/// Early school leavers per secondary location.
pub fn early_leavers(path: &Path) -> Result<Vec<Located<EarlyLeavers>>, MonitorError> {
    let rows = read_csv(
        path,
        &[
            "brin_nummer",
            "vestigings_nummer",
            "aantal_leerlingen",
            "vsv_totaal",
        ],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        let code = location_code(
            path,
            line,
            "vestigings_nummer",
            &format!("{}{}", row[0], row[1]),
        )?;
        let pupils = whole(path, line, "aantal_leerlingen", &row[2])?;
        let leavers = whole(path, line, "vsv_totaal", &row[3])?;
        if leavers > pupils {
            return Err(record(
                path,
                line,
                Some("vsv_totaal"),
                format!("expected at most the pupils ({pupils}), found `{leavers}`"),
            ));
        }
        out.push(Located {
            line,
            code,
            name: String::new(),
            value: EarlyLeavers { pupils, leavers },
        });
    }
    Ok(out)
}

/// User-supplied pupil forecasts (`vestigingscode, jaar, leerlingen`), per location and year.
pub fn forecasts(path: &Path) -> Result<BTreeMap<String, Vec<(Year, f64)>>, MonitorError> {
    let rows = read_csv(path, &["vestigingscode", "jaar", "leerlingen"])?;
    let mut out: BTreeMap<String, Vec<(Year, f64)>> = BTreeMap::new();
    for (line, row) in rows {
        let code = location_code(path, line, "vestigingscode", &row[0])?;
        let year = row[1]
            .parse::<u16>()
            .ok()
            .and_then(|y| Year::new(y).ok())
            .ok_or_else(|| {
                record(
                    path,
                    line,
                    Some("jaar"),
                    format!("expected a year, found `{}`", row[1]),
                )
            })?;
        let pupils = amount(path, line, "leerlingen", &row[2])?;
        let series = out.entry(code).or_default();
        if series.iter().any(|(y, _)| *y == year) {
            return Err(record(
                path,
                line,
                Some("jaar"),
                format!("expected each location's year once, found {year} again"),
            ));
        }
        series.push((year, pupils));
    }
    for series in out.values_mut() {
        series.sort_by_key(|(year, _)| *year);
    }
    Ok(out)
}
