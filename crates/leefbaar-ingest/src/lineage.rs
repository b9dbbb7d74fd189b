//! Municipal lineage: which municipalities of one CBS division became which of the next, so
//! that series survive mergers.
//!
//! Dutch municipalities merge almost every year (355 in 2020, 342 in 2024). A merged
//! municipality has no figures for the years before it existed, so its change over ten years
//! and its index 2012 = 100 would be blank, and its predecessors, which have no province in
//! today's area list, would drop out of their province's totals for those years. The lineage
//! fixes both: [`Lineage::redistrict`] sums the predecessors into figures for today's
//! municipality (method [`Method::Redistricted`]), and [`Lineage::successor_parents`] gives a
//! merged-away municipality the province of its successor.
//!
//! The bundled lineage is CBS's boundary files of consecutive years overlaid (see its
//! SOURCE.md): each row says which share of an old municipality's *area* went to which new
//! one. A municipality that went whole into a merger counts whole; one that was split (such as
//! Boarnsterhim in 2014) is shared out by area, which is an approximation for counts of people
//! and is said so in the figure's note.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use leefbaar_model::{Area, AreaCode, AreaLevel, CellValue, Fact, Method, MissingReason, Year};
use serde::Deserialize;

use crate::csv_rows;
use crate::error::{ImportError, Problem, Problems};
use crate::table::{MAX_INPUT_BYTES, read_limited};

/// Where a lineage file is and how to read it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineageSpec {
    /// The file, relative to the manifest.
    pub file: String,
    /// The division the series are put on (the latest year of the bundle's areas).
    pub target_year: u16,
}

/// Below this share of an old municipality's area a link is boundary noise between two maps
/// of different generalisation, not a transfer of residents.
const SLIVER: f64 = 0.02;

/// One step between two consecutive divisions.
#[derive(Debug, Clone, Default)]
struct Step {
    from_year: u16,
    to_year: u16,
    /// Old code → (new code, share of the old municipality), shares summing to 1.
    successors: BTreeMap<AreaCode, Vec<(AreaCode, f64)>>,
}

/// The lineage of municipalities over the divisions of a bundle's years.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    steps: Vec<Step>,
}

impl Lineage {
    /// Reads a lineage CSV with the columns `jaar_oud, gemeentecode_oud, jaar_nieuw,
    /// gemeentecode_nieuw, relatie, aandeel_van_oud`.
    pub fn read(path: &Path) -> Result<Lineage, ImportError> {
        let bytes = read_limited(path, MAX_INPUT_BYTES)?;
        Lineage::parse(&bytes, &path.display().to_string())
    }

    /// [`Lineage::read`] on bytes already read; `file` names them in messages.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Lineage, ImportError> {
        let mut reader = csv::Reader::from_reader(bytes);
        let header = csv_rows::header(&mut reader, file)?;
        let columns = [
            "jaar_oud",
            "gemeentecode_oud",
            "jaar_nieuw",
            "gemeentecode_nieuw",
            "relatie",
            "aandeel_van_oud",
        ];
        let mut at = [0; 6];
        for (slot, column) in at.iter_mut().zip(columns) {
            *slot = csv_rows::column(&header, column, file)?;
        }
        let mut problems = Problems::new();
        let mut steps: BTreeMap<(u16, u16), Step> = BTreeMap::new();
        for (line, record) in csv_rows::records(&mut reader, &mut problems) {
            let cell = |i: usize| record.get(at[i]).unwrap_or("").trim();
            let mut year = |i: usize| match cell(i).parse::<u16>() {
                Ok(year) if Year::new(year).is_ok() => Some(year),
                _ => {
                    problems.push(Problem::at_line(line, Some(columns[i]), "a year", cell(i)));
                    None
                }
            };
            let (from_year, to_year) = (year(0), year(2));
            let mut code = |i: usize| match AreaCode::parse(cell(i)) {
                Ok(code) if code.level() == AreaLevel::Municipality => Some(code),
                _ => {
                    problems.push(Problem::at_line(
                        line,
                        Some(columns[i]),
                        "a municipality code (GM + 4 digits)",
                        cell(i),
                    ));
                    None
                }
            };
            let (old, new) = (code(1), code(3));
            let share = match cell(5).parse::<f64>() {
                Ok(share) if (0.0..=1.0).contains(&share) => Some(share),
                _ => {
                    problems.push(Problem::at_line(
                        line,
                        Some(columns[5]),
                        "a share between 0 and 1",
                        cell(5),
                    ));
                    None
                }
            };
            let (Some(from_year), Some(to_year), Some(old), Some(new), Some(share)) =
                (from_year, to_year, old, new, share)
            else {
                continue;
            };
            if to_year <= from_year {
                problems.push(Problem::at_line(
                    line,
                    Some(columns[2]),
                    format!("a year after {from_year}"),
                    to_year.to_string(),
                ));
                continue;
            }
            if share < SLIVER {
                continue;
            }
            let step = steps.entry((from_year, to_year)).or_insert_with(|| Step {
                from_year,
                to_year,
                successors: BTreeMap::new(),
            });
            step.successors.entry(old).or_default().push((new, share));
        }
        problems.into_result(file)?;
        let mut steps: Vec<Step> = steps.into_values().collect();
        for step in &mut steps {
            for (old, successors) in &mut step.successors {
                // A municipality that keeps its code only lost a strip of land to a neighbour
                // (a boundary correction such as Meerstad, 2017): few residents move with
                // one, but an area share would move a tenth of Slochteren.
                if successors.iter().any(|(new, _)| new == old) {
                    *successors = vec![(old.clone(), 1.0)];
                    continue;
                }
                let total: f64 = successors.iter().map(|(_, share)| share).sum();
                for (_, share) in successors.iter_mut() {
                    *share /= total;
                }
            }
        }
        Ok(Lineage { steps })
    }

    /// Where a municipality of `year` went by `target` year: each code of the target
    /// division with the share of the old municipality it received.
    ///
    /// Steps are followed from the last one that starts at or before `year`; a code no step
    /// mentions is taken to be unchanged.
    pub fn successors(&self, code: &AreaCode, year: u16, target: u16) -> Vec<(AreaCode, f64)> {
        let start = self
            .steps
            .iter()
            .filter(|step| step.from_year <= year)
            .map(|step| step.from_year)
            .max();
        let mut current: BTreeMap<AreaCode, f64> = BTreeMap::from([(code.clone(), 1.0)]);
        let Some(start) = start else {
            return current.into_iter().collect();
        };
        for step in self
            .steps
            .iter()
            .filter(|step| step.from_year >= start && step.to_year <= target)
        {
            let mut next: BTreeMap<AreaCode, f64> = BTreeMap::new();
            for (code, weight) in current {
                match step.successors.get(&code) {
                    Some(successors) => {
                        for (new, share) in successors {
                            *next.entry(new.clone()).or_insert(0.0) += weight * share;
                        }
                    }
                    None => *next.entry(code).or_insert(0.0) += weight,
                }
            }
            current = next;
        }
        current.into_iter().collect()
    }

    /// Facts for the municipalities of the `target` division in the years before they
    /// existed: each variable the sum of its predecessors' values, shared out by area where a
    /// predecessor was split. A predecessor's missing value makes the sum missing
    /// ([`MissingReason::IncompleteParts`]). Only variables every year's predecessors have
    /// are formed, so a variable a source never published stays absent.
    pub fn redistrict(&self, areas: &[Area], facts: &[Fact], target: u16) -> Vec<Fact> {
        let Ok(target_year) = Year::new(target) else {
            return Vec::new();
        };
        let current: BTreeSet<&AreaCode> = areas
            .iter()
            .filter(|a| a.level() == AreaLevel::Municipality && a.exists_in(target_year))
            .map(|a| &a.code)
            .collect();
        let existing: BTreeMap<&AreaCode, &Area> = areas.iter().map(|a| (&a.code, a)).collect();
        // (year, variable) → municipality → fact, for municipalities only.
        let mut by_year: BTreeMap<(Year, &str), BTreeMap<&AreaCode, &Fact>> = BTreeMap::new();
        for fact in facts
            .iter()
            .filter(|f| f.area.level() == AreaLevel::Municipality && f.year < target_year)
        {
            by_year
                .entry((fact.year, fact.variable.as_str()))
                .or_default()
                .insert(&fact.area, fact);
        }
        let mut out = Vec::new();
        for ((year, variable), facts) in &by_year {
            // Target code → its predecessors with their shares.
            let mut parts: BTreeMap<&AreaCode, Vec<(&Fact, f64)>> = BTreeMap::new();
            for (code, fact) in facts {
                for (successor, share) in self.successors(code, year.get(), target) {
                    let Some(successor) = current.get(&successor) else {
                        continue;
                    };
                    // Only municipalities that did not exist in that year get a figure;
                    // those that did keep their own.
                    if existing.get(successor).is_some_and(|a| a.exists_in(*year)) {
                        continue;
                    }
                    parts.entry(successor).or_default().push((fact, share));
                }
            }
            for (successor, parts) in parts {
                out.push(redistricted(successor, *year, variable, &parts));
            }
        }
        out
    }

    /// The province of the target-division successor that received most of each
    /// merged-away municipality, for municipalities without a parent.
    pub fn successor_parents(&self, areas: &[Area], target: u16) -> BTreeMap<AreaCode, AreaCode> {
        let parents: BTreeMap<&AreaCode, &AreaCode> = areas
            .iter()
            .filter_map(|a| Some((&a.code, a.parent.as_ref()?)))
            .collect();
        let mut out = BTreeMap::new();
        for area in areas
            .iter()
            .filter(|a| a.level() == AreaLevel::Municipality && a.parent.is_none())
        {
            let successors = self.successors(&area.code, area.last_year.get(), target);
            let main = successors
                .iter()
                .filter(|(code, _)| *code != area.code)
                .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
            if let Some(parent) = main.and_then(|(code, _)| parents.get(code)) {
                out.insert(area.code.clone(), (*parent).clone());
            }
        }
        out
    }
}

fn redistricted(area: &AreaCode, year: Year, variable: &str, parts: &[(&Fact, f64)]) -> Fact {
    let mut rows = Vec::new();
    for (fact, _) in parts {
        rows.extend(fact.rows.iter().cloned());
    }
    let value = if let Some((fact, _)) = parts.iter().find(|(f, _)| f.value.value().is_none()) {
        // All parts missing for one reason (a variable not published that year) keep it.
        let reason = fact.value.missing_reason();
        if parts
            .iter()
            .all(|(f, _)| f.value.missing_reason() == reason)
        {
            fact.value
        } else {
            CellValue::Missing(MissingReason::IncompleteParts)
        }
    } else {
        CellValue::Value(
            parts
                .iter()
                .map(|(fact, share)| fact.value.value().unwrap_or(0.0) * share)
                .sum(),
        )
    };
    Fact {
        area: area.clone(),
        year,
        variable: variable.to_owned(),
        value,
        method: Method::Redistricted,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use leefbaar_model::{Area, AreaCode, CellValue, Fact, Method, MissingReason, Year};

    use super::Lineage;

    const LINEAGE: &str = "\
jaar_oud,gemeentecode_oud,jaar_nieuw,gemeentecode_nieuw,relatie,aandeel_van_oud,aandeel_van_nieuw
2012,GM0001,2017,GM0001,zelfde_code,1.0,0.9
2012,GM0002,2017,GM0009,geheel_of_grotendeels_naar,1.0,0.5
2012,GM0003,2017,GM0009,geheel_of_grotendeels_naar,0.75,0.4
2012,GM0003,2017,GM0001,deels_naar,0.25,0.1
2012,GM0001,2017,GM0009,deels_naar,0.05,0.01
2012,GM0004,2017,GM0004,klein_mogelijk_artefact,0.01,0.01
2017,GM0009,2018,GM0009,zelfde_code,1.0,1.0
2017,GM0001,2018,GM0001,zelfde_code,1.0,1.0
";

    fn code(text: &str) -> AreaCode {
        AreaCode::parse(text).unwrap()
    }

    fn area(text: &str, parent: Option<&str>, years: (u16, u16)) -> Area {
        Area {
            code: code(text),
            name: text.to_owned(),
            parent: parent.map(code),
            first_year: Year::new(years.0).unwrap(),
            last_year: Year::new(years.1).unwrap(),
            geometry_geojson: None,
        }
    }

    fn fact(area: &str, year: u16, value: CellValue) -> Fact {
        Fact {
            area: code(area),
            year: Year::new(year).unwrap(),
            variable: "inhabitants".to_owned(),
            value,
            method: Method::Published,
            rows: Vec::new(),
        }
    }

    fn lineage() -> Lineage {
        Lineage::parse(LINEAGE.as_bytes(), "lineage.csv").unwrap()
    }

    #[test]
    fn merged_and_split_municipalities_follow_their_shares() {
        let lineage = lineage();
        assert_eq!(
            lineage.successors(&code("GM0002"), 2012, 2018),
            vec![(code("GM0009"), 1.0)]
        );
        assert_eq!(
            lineage.successors(&code("GM0003"), 2012, 2018),
            vec![(code("GM0001"), 0.25), (code("GM0009"), 0.75)]
        );
        // Keeping its code, GM0001 only lost a strip of land to GM0009: it stays whole.
        assert_eq!(
            lineage.successors(&code("GM0001"), 2012, 2018),
            vec![(code("GM0001"), 1.0)]
        );
        // Not mentioned: unchanged.
        assert_eq!(
            lineage.successors(&code("GM0005"), 2012, 2018),
            vec![(code("GM0005"), 1.0)]
        );
    }

    #[test]
    fn a_new_municipality_gets_the_sum_of_its_predecessors_before_it_existed() {
        let areas = [
            area("GM0001", Some("PV20"), (2012, 2018)),
            area("GM0002", None, (2012, 2012)),
            area("GM0003", None, (2012, 2012)),
            area("GM0009", Some("PV20"), (2017, 2018)),
        ];
        let facts = [
            fact("GM0001", 2012, CellValue::Value(1000.0)),
            fact("GM0002", 2012, CellValue::Value(200.0)),
            fact("GM0003", 2012, CellValue::Value(400.0)),
        ];
        let redistricted = lineage().redistrict(&areas, &facts, 2018);
        // GM0001 existed in 2012 and keeps its own figure; GM0009 gets 200 + 0.75 × 400.
        assert_eq!(redistricted.len(), 1);
        assert_eq!(redistricted[0].area, code("GM0009"));
        assert_eq!(redistricted[0].value, CellValue::Value(500.0));
        assert_eq!(redistricted[0].method, Method::Redistricted);

        let parents = lineage().successor_parents(&areas, 2018);
        assert_eq!(parents[&code("GM0002")], code("PV20"));
        assert_eq!(parents[&code("GM0003")], code("PV20"));
    }

    #[test]
    fn a_missing_predecessor_makes_the_sum_incomplete() {
        let areas = [
            area("GM0002", None, (2012, 2012)),
            area("GM0003", None, (2012, 2012)),
            area("GM0009", Some("PV20"), (2017, 2018)),
        ];
        let facts = [
            fact("GM0002", 2012, CellValue::Value(200.0)),
            fact("GM0003", 2012, CellValue::Missing(MissingReason::Secret)),
        ];
        let redistricted = lineage().redistrict(&areas, &facts, 2018);
        assert_eq!(
            redistricted[0].value,
            CellValue::Missing(MissingReason::IncompleteParts)
        );
    }

    #[test]
    fn bad_rows_are_named_by_line_and_field() {
        let text = "jaar_oud,gemeentecode_oud,jaar_nieuw,gemeentecode_nieuw,relatie,aandeel_van_oud\n2012,GM0001,2017,WK000101,x,0.5\n2017,GM0001,2012,GM0001,x,1.5\n";
        let error = Lineage::parse(text.as_bytes(), "lineage.csv").unwrap_err();
        let message = error.to_string();
        for expected in [
            "line 2",
            "`gemeentecode_nieuw`",
            "line 3",
            "`aandeel_van_oud`",
        ] {
            assert!(message.contains(expected), "{expected} in {message}");
        }
    }
}
