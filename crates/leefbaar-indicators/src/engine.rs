//! The engine: base-variable facts in, observations of every catalogue indicator out, at every
//! area level, with the findings a reader of the numbers should know about.
//!
//! # How values are formed
//!
//! - **Municipalities, districts, neighbourhoods and postcode areas** keep their own facts.
//!   Nothing below a municipality is summed into it: CBS publishes municipal figures itself, KWB
//!   districts do not always cover every resident (secret cells, rounding), and a four-digit
//!   postcode area (PC4) can cross a municipal border and is assigned to one municipality only,
//!   so a sum would disagree with the published figure or count people twice. Postcode areas are
//!   a leaf level beside the district/neighbourhood hierarchy: their shares and means are
//!   recomputed from their own parts, and they change no municipal, provincial or national
//!   value.
//! - **Provinces and the Netherlands** (`NL01`) are sums over the municipalities that exist in
//!   that year according to the area list: a province sums the municipalities whose `parent`
//!   it is, `NL01` sums all of them. If any part lacks a value the aggregate is
//!   [`MissingReason::IncompleteParts`] and a [`Finding`] names the parts, because a sum of
//!   fewer areas would look like a fall in population. If every part is missing for the same
//!   reason (a variable CBS did not publish that year) the aggregate carries that reason; if no
//!   part has a fact at all there is no aggregate. Province or country facts in the input are
//!   not served (aggregates stay consistent with their parts) but are compared with the sum.
//! - **Merged municipalities** may come with facts for years before they existed, method
//!   [`Method::Redistricted`] (their predecessors summed by the importer's lineage): they are
//!   kept like any municipality's facts, so the series runs on today's boundaries, but they
//!   are not part of that year's province and country sums (the predecessors are).
//! - **Ratios** (share, rate, mean, density) are recomputed at every level from the summed
//!   numerator and denominator, never averaged over areas (Architecture Invariant). A zero
//!   denominator gives [`MissingReason::NotApplicable`] and a finding.
//! - **Published values that do not add up** (a livability score or class: a variable declared
//!   `additive = false`, shown by a `published` indicator) are served where they were published,
//!   at any level, and never summed or averaged: a mean of scores would need the publisher's own
//!   weights, and a class is an order, not an amount. A province or the country without a
//!   published value of its own gets [`MissingReason::NotApplicable`] with a note saying why, in
//!   every year its municipalities have one, so a map of provinces says why it is empty. Such
//!   facts are not compared with sums and not reported as unplaced.
//! - **Change and index** indicators are derived from another indicator of the same area. When
//!   the earlier or base year has no observation, there is *no* observation (rather than a
//!   `Missing(NotCollected)` one): KWB editions skip years (2013–2016, 2020–2021), so padding
//!   every year without a predecessor would fill the output with rows that say nothing. A value
//!   that exists but is missing (secret, incomplete) propagates its reason.
//!
//! Provenance: direct counts keep the fact's method ([`Method::Published`] or
//! [`Method::Reconstructed`]) and rows; aggregates are [`Method::Aggregated`] with `parts`
//! set and no rows (their parts carry them); ratios are [`Method::Recomputed`]; change and index
//! are [`Method::Derived`]. The `note` holds the formula, and says when reconstructed counts
//! went into a value.
//!
//! The output is sorted by indicator id, area code and year, and findings by area, year and
//! subject, so the same input always gives identical output.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use leefbaar_model::{
    Area, AreaCode, AreaLevel, CellValue, Fact, IndicatorDef, IndicatorKind, Method, MissingReason,
    Observation, Provenance, SourceRow, Year,
};

use crate::Catalogue;

/// The relative difference between a published province or country total and the sum of its
/// municipalities above which a finding is recorded. Reconstructed counts carry the rounding of
/// published percentages, so small differences are expected.
const PUBLISHED_TOTAL_TOLERANCE: f64 = 0.005;

/// The result of [`compute`]: observations and the findings met on the way.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Computed {
    /// Every indicator's value per area and year, sorted by indicator id, area and year.
    pub observations: Vec<Observation>,
    /// Legal-but-awkward data met while computing, sorted by area, year and subject.
    pub findings: Vec<Finding>,
}

impl Computed {
    /// The observation of `indicator` for `area` in `year`, if there is one.
    pub fn observation(
        &self,
        indicator: &str,
        area: &AreaCode,
        year: Year,
    ) -> Option<&Observation> {
        self.observations
            .binary_search_by(|observation| {
                (
                    observation.indicator.as_str(),
                    &observation.area,
                    observation.year,
                )
                    .cmp(&(indicator, area, year))
            })
            .ok()
            .map(|index| &self.observations[index])
    }
}

/// What sort of thing a [`Finding`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FindingKind {
    /// An aggregate could not be formed because some parts have no value.
    IncompleteParts,
    /// A ratio's denominator is zero, so the ratio is not applicable.
    ZeroDenominator,
    /// A relative change or index has a zero base value.
    ZeroBase,
    /// Two facts for the same area, year and variable; the first is used.
    DuplicateFact,
    /// A municipality has facts in a year the area list does not place it in, so they are in no
    /// province or country aggregate.
    UnplacedFact,
    /// Facts name a variable the catalogue does not declare; they are ignored.
    UnknownVariable,
    /// A published province or country value differs from the sum of its municipalities.
    PublishedTotalDiffers,
}

impl FindingKind {
    /// The stable identifier used in the API and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::IncompleteParts => "incomplete_parts",
            FindingKind::ZeroDenominator => "zero_denominator",
            FindingKind::ZeroBase => "zero_base",
            FindingKind::DuplicateFact => "duplicate_fact",
            FindingKind::UnplacedFact => "unplaced_fact",
            FindingKind::UnknownVariable => "unknown_variable",
            FindingKind::PublishedTotalDiffers => "published_total_differs",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something legal but awkward in the data, reported with the result rather than as an error.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    /// The area concerned.
    pub area: AreaCode,
    /// The year concerned.
    pub year: Year,
    /// The variable or indicator id concerned.
    pub subject: String,
    /// What sort of finding it is.
    pub kind: FindingKind,
    /// A sentence for people, naming the parts or values involved.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} `{}` ({}): {}",
            self.area, self.year, self.subject, self.kind, self.message
        )
    }
}

/// A base variable's value for one area and year, and how it was obtained.
#[derive(Debug, Clone)]
struct VarValue<'a> {
    value: CellValue,
    origin: Origin<'a>,
}

#[derive(Debug, Clone)]
enum Origin<'a> {
    /// Read from a fact.
    Direct {
        method: Method,
        rows: &'a [SourceRow],
    },
    /// Summed over `parts` municipalities, `reconstructed` of which had reconstructed values.
    Aggregate { parts: u32, reconstructed: u32 },
}

impl VarValue<'_> {
    fn rows(&self) -> &[SourceRow] {
        match &self.origin {
            Origin::Direct { rows, .. } => rows,
            Origin::Aggregate { .. } => &[],
        }
    }

    fn parts(&self) -> u32 {
        match self.origin {
            Origin::Direct { .. } => 0,
            Origin::Aggregate { parts, .. } => parts,
        }
    }

    fn is_aggregate(&self) -> bool {
        matches!(self.origin, Origin::Aggregate { .. })
    }

    fn is_redistricted(&self) -> bool {
        matches!(
            self.origin,
            Origin::Direct {
                method: Method::Redistricted,
                ..
            }
        )
    }

    fn involves_reconstruction(&self) -> bool {
        match self.origin {
            Origin::Direct { method, .. } => method == Method::Reconstructed,
            Origin::Aggregate { reconstructed, .. } => reconstructed > 0,
        }
    }
}

type Key = (AreaCode, Year);
type Series<'a> = BTreeMap<Key, VarValue<'a>>;

/// Computes every catalogue indicator for every area and year the facts allow.
///
/// `areas` says which municipalities exist in which year and which province each belongs to;
/// `facts` are base-variable values of municipalities and districts (those of provinces and
/// the country are only compared with the sums). See the module documentation for the rules.
///
/// # Units
///
/// Values are in the indicator's [`Unit`](leefbaar_model::Unit); nothing is rounded
/// (`decimals` is for display).
pub fn compute(catalogue: &Catalogue, areas: &[Area], facts: &[Fact]) -> Computed {
    let mut findings = Vec::new();
    let (mut variables, published_totals) = index_facts(catalogue, facts, &mut findings);
    let membership = membership(areas, &variables);
    let additive = |variable: &str| catalogue.variable(variable).is_some_and(|v| v.additive);
    report_unplaced_facts(&variables, &membership, &additive, &mut findings);
    let aggregates = aggregate(&variables, &membership, &additive, &mut findings);
    for (variable, series) in aggregates {
        variables.entry(variable).or_default().extend(series);
    }
    compare_published_totals(&published_totals, &variables, &mut findings);

    let empty = Series::new();
    let mut by_indicator: BTreeMap<&str, BTreeMap<Key, Observation>> = BTreeMap::new();
    for indicator in catalogue.evaluation_order() {
        let series = |variable: &str| variables.get(variable).unwrap_or(&empty);
        let observations = match &indicator.kind {
            IndicatorKind::Count { variable } | IndicatorKind::Sum { variable } => {
                direct(indicator, variable, series(variable))
            }
            IndicatorKind::Share {
                numerator,
                denominator,
            } => ratio(
                indicator,
                series(numerator),
                series(denominator),
                100.0,
                &mut findings,
            ),
            IndicatorKind::Rate {
                numerator,
                denominator,
                per,
            } => ratio(
                indicator,
                series(numerator),
                series(denominator),
                *per,
                &mut findings,
            ),
            IndicatorKind::Mean { total, count } => {
                ratio(indicator, series(total), series(count), 1.0, &mut findings)
            }
            IndicatorKind::Published { variable } => {
                published(indicator, variable, series(variable), areas)
            }
            IndicatorKind::Change { of, .. } | IndicatorKind::Index { of, .. } => {
                let empty_observations = BTreeMap::new();
                let of_observations = by_indicator.get(of.as_str()).unwrap_or(&empty_observations);
                derived(indicator, of_observations, &mut findings)
            }
        };
        by_indicator.insert(indicator.id.as_str(), observations);
    }

    findings.sort();
    findings.dedup();
    Computed {
        observations: by_indicator
            .into_values()
            .flat_map(BTreeMap::into_values)
            .collect(),
        findings,
    }
}

/// Splits facts into per-variable series of direct values (municipalities, districts,
/// neighbourhoods) and published province/country totals.
fn index_facts<'a>(
    catalogue: &'a Catalogue,
    facts: &'a [Fact],
    findings: &mut Vec<Finding>,
) -> (HashMap<&'a str, Series<'a>>, Vec<&'a Fact>) {
    let mut variables: HashMap<&str, Series> = HashMap::new();
    let mut published_totals = Vec::new();
    let mut unknown: BTreeMap<&str, (usize, &Fact)> = BTreeMap::new();
    for fact in facts {
        let Some(variable) = catalogue.variable(&fact.variable) else {
            unknown.entry(&fact.variable).or_insert((0, fact)).0 += 1;
            continue;
        };
        // A province's published count is checked against the sum of its municipalities; a
        // province's published score has no sum to be checked against and is served as it is.
        if variable.additive
            && matches!(fact.area.level(), AreaLevel::Country | AreaLevel::Province)
        {
            published_totals.push(fact);
            continue;
        }
        let series = variables.entry(variable.id.as_str()).or_default();
        let key = (fact.area.clone(), fact.year);
        if series.contains_key(&key) {
            findings.push(Finding {
                area: fact.area.clone(),
                year: fact.year,
                subject: fact.variable.clone(),
                kind: FindingKind::DuplicateFact,
                message: format!(
                    "a second fact was ignored ({}); the first one is used",
                    describe_rows(&fact.rows)
                ),
            });
            continue;
        }
        series.insert(
            key,
            VarValue {
                value: fact.value,
                origin: Origin::Direct {
                    method: fact.method,
                    rows: &fact.rows,
                },
            },
        );
    }
    for (variable, (count, first)) in unknown {
        findings.push(Finding {
            area: first.area.clone(),
            year: first.year,
            subject: variable.to_owned(),
            kind: FindingKind::UnknownVariable,
            message: format!(
                "the catalogue declares no variable `{variable}`; {count} fact(s) ignored"
            ),
        });
    }
    (variables, published_totals)
}

fn describe_rows(rows: &[SourceRow]) -> String {
    if rows.is_empty() {
        return "no source rows".to_owned();
    }
    let rows: Vec<String> = rows
        .iter()
        .map(|row| format!("{} line {}", row.source, row.line))
        .collect();
    rows.join(", ")
}

/// For every year with municipal facts: each province and `NL01` with the municipalities that
/// make it up in that year.
type Membership = BTreeMap<Year, BTreeMap<AreaCode, BTreeSet<AreaCode>>>;

fn membership(areas: &[Area], variables: &HashMap<&str, Series>) -> Membership {
    let years: BTreeSet<Year> = variables
        .values()
        .flat_map(|series| series.keys())
        .filter(|(area, _)| area.level() == AreaLevel::Municipality)
        .map(|&(_, year)| year)
        .collect();
    let netherlands = AreaCode::netherlands();
    let mut membership = Membership::new();
    for year in years {
        let groups = membership.entry(year).or_default();
        for area in areas {
            if area.level() != AreaLevel::Municipality || !area.exists_in(year) {
                continue;
            }
            groups
                .entry(netherlands.clone())
                .or_default()
                .insert(area.code.clone());
            if let Some(parent) = &area.parent
                && parent.level() == AreaLevel::Province
            {
                groups
                    .entry(parent.clone())
                    .or_default()
                    .insert(area.code.clone());
            }
        }
    }
    membership
}

fn report_unplaced_facts(
    variables: &HashMap<&str, Series>,
    membership: &Membership,
    additive: &dyn Fn(&str) -> bool,
    findings: &mut Vec<Finding>,
) {
    let netherlands = AreaCode::netherlands();
    let unplaced: BTreeSet<&Key> = variables
        .iter()
        // A published score is in no total, so where its area was that year does not matter
        // (the Leefbaarometer gives 2002–2016 on the municipalities of 2016).
        .filter(|(variable, _)| additive(variable))
        .flat_map(|(_, series)| series.iter())
        // A merged municipality's figures from before it existed are on today's division on
        // purpose; its predecessors carry those years' totals.
        .filter(|(_, value)| !value.is_redistricted())
        .map(|(key, _)| key)
        .filter(|(area, year)| {
            area.level() == AreaLevel::Municipality
                && !membership
                    .get(year)
                    .and_then(|groups| groups.get(&netherlands))
                    .is_some_and(|parts| parts.contains(area))
        })
        .collect();
    for (area, year) in unplaced {
        findings.push(Finding {
            area: area.clone(),
            year: *year,
            subject: area.to_string(),
            kind: FindingKind::UnplacedFact,
            message: format!(
                "the area list has no municipality {area} in {year}, so its facts are in no province or country total"
            ),
        });
    }
}

/// Sums every additive variable over the parts of every province and `NL01`.
fn aggregate<'a>(
    variables: &HashMap<&'a str, Series<'a>>,
    membership: &Membership,
    additive: &dyn Fn(&str) -> bool,
    findings: &mut Vec<Finding>,
) -> Vec<(&'a str, Series<'a>)> {
    let mut names: Vec<&&str> = variables.keys().filter(|name| additive(name)).collect();
    names.sort();
    let mut result = Vec::new();
    for &variable in names {
        let series = &variables[variable];
        let mut sums = Series::new();
        for (&year, groups) in membership {
            for (aggregate_code, parts) in groups {
                if let Some(value) =
                    sum_parts(variable, series, aggregate_code, year, parts, findings)
                {
                    sums.insert((aggregate_code.clone(), year), value);
                }
            }
        }
        result.push((variable, sums));
    }
    result
}

fn sum_parts<'a>(
    variable: &str,
    series: &Series,
    aggregate_code: &AreaCode,
    year: Year,
    parts: &BTreeSet<AreaCode>,
    findings: &mut Vec<Finding>,
) -> Option<VarValue<'a>> {
    let mut sum = 0.0;
    let mut n_with_fact = 0usize;
    let mut n_reconstructed = 0u32;
    let mut reasons = BTreeSet::new();
    let mut problems = Vec::new();
    for part in parts {
        let Some(part_value) = series.get(&(part.clone(), year)) else {
            problems.push(format!("{part} has no fact"));
            continue;
        };
        n_with_fact += 1;
        if part_value.involves_reconstruction() {
            n_reconstructed += 1;
        }
        match part_value.value {
            CellValue::Value(number) => sum += number,
            CellValue::Missing(reason) => {
                reasons.insert(reason);
                problems.push(format!("{part} is {reason}"));
            }
        }
    }
    if n_with_fact == 0 {
        return None;
    }
    let n_parts = u32::try_from(parts.len()).unwrap_or(u32::MAX);
    let value = if problems.is_empty() {
        CellValue::Value(sum)
    } else if n_with_fact == parts.len() && reasons.len() == 1 && problems.len() == parts.len() {
        // Every part is missing for the same reason (e.g. CBS did not publish the variable
        // that year): the aggregate is missing for that reason too, not "incomplete".
        CellValue::Missing(*reasons.first().expect("one reason"))
    } else {
        findings.push(Finding {
            area: aggregate_code.clone(),
            year,
            subject: variable.to_owned(),
            kind: FindingKind::IncompleteParts,
            message: format!(
                "{} of {} municipalities have no value, so the total is not formed: {}",
                problems.len(),
                parts.len(),
                problems.join(", ")
            ),
        });
        CellValue::Missing(MissingReason::IncompleteParts)
    };
    Some(VarValue {
        value,
        origin: Origin::Aggregate {
            parts: n_parts,
            reconstructed: n_reconstructed,
        },
    })
}

fn compare_published_totals(
    published_totals: &[&Fact],
    variables: &HashMap<&str, Series>,
    findings: &mut Vec<Finding>,
) {
    for fact in published_totals {
        let Some(CellValue::Value(published)) = Some(fact.value) else {
            continue;
        };
        let Some(summed) = variables
            .get(fact.variable.as_str())
            .and_then(|series| series.get(&(fact.area.clone(), fact.year)))
            .and_then(|value| value.value.value())
        else {
            continue;
        };
        let difference = summed - published;
        if difference.abs() > PUBLISHED_TOTAL_TOLERANCE * published.abs() {
            findings.push(Finding {
                area: fact.area.clone(),
                year: fact.year,
                subject: fact.variable.clone(),
                kind: FindingKind::PublishedTotalDiffers,
                message: format!(
                    "the sum of municipalities ({summed}) differs from the published value ({published}) by {difference}; the sum is served"
                ),
            });
        }
    }
}

fn merged_rows(first: &[SourceRow], second: &[SourceRow]) -> Vec<SourceRow> {
    let mut rows: Vec<SourceRow> = first.iter().chain(second).cloned().collect();
    rows.sort();
    rows.dedup();
    rows
}

/// Counts and sums: the variable's value itself.
fn direct(indicator: &IndicatorDef, variable: &str, series: &Series) -> BTreeMap<Key, Observation> {
    series
        .iter()
        .map(|(key, variable_value)| {
            let provenance = match variable_value.origin {
                Origin::Direct { method, rows } => Provenance {
                    method: Some(method),
                    rows: rows.to_vec(),
                    parts: 0,
                    note: match method {
                        Method::Reconstructed => format!(
                            "{variable} reconstructed from a published percentage × its base"
                        ),
                        Method::Redistricted => format!(
                            "{variable}: the sum of the predecessors of this merged municipality, on today's boundaries"
                        ),
                        _ => format!("{variable} as {method}"),
                    },
                },
                Origin::Aggregate {
                    parts,
                    reconstructed,
                } => Provenance {
                    method: Some(Method::Aggregated),
                    rows: Vec::new(),
                    parts,
                    note: with_reconstruction_note(
                        format!("Σ {variable} over {parts} municipalities"),
                        reconstructed,
                        parts,
                    ),
                },
            };
            let observation = Observation {
                area: key.0.clone(),
                year: key.1,
                indicator: indicator.id.clone(),
                value: variable_value.value,
                provenance,
            };
            (key.clone(), observation)
        })
        .collect()
}

/// Published values that do not add up: each area's own value, and for the provinces and the
/// country that have none of their own a missing value saying why (in the years their
/// municipalities have one). Provinces are found through the area list's parents whether or not
/// the municipality existed that year, since a published series may be recomputed on a later
/// division.
fn published(
    indicator: &IndicatorDef,
    variable: &str,
    series: &Series,
    areas: &[Area],
) -> BTreeMap<Key, Observation> {
    let mut observations = direct(indicator, variable, series);
    for observation in observations.values_mut() {
        if observation.provenance.method == Some(Method::Published) {
            observation.provenance.note = format!("{variable} as published for this area");
        }
    }
    let parents: HashMap<&AreaCode, &AreaCode> = areas
        .iter()
        .filter_map(|area| Some((&area.code, area.parent.as_ref()?)))
        .collect();
    let netherlands = AreaCode::netherlands();
    let mut not_formed: BTreeSet<Key> = BTreeSet::new();
    for (area, year) in series.keys() {
        if area.level() != AreaLevel::Municipality {
            continue;
        }
        not_formed.insert((netherlands.clone(), *year));
        if let Some(province) = parents
            .get(area)
            .filter(|parent| parent.level() == AreaLevel::Province)
        {
            not_formed.insert(((*province).clone(), *year));
        }
    }
    for key in not_formed {
        if observations.contains_key(&key) {
            continue;
        }
        let observation = Observation {
            area: key.0.clone(),
            year: key.1,
            indicator: indicator.id.clone(),
            value: CellValue::Missing(MissingReason::NotApplicable),
            provenance: Provenance {
                method: None,
                rows: Vec::new(),
                parts: 0,
                note: format!(
                    "{variable} is published per area and does not add up over areas (a score or class, not a count), so no value is formed for {}",
                    key.0
                ),
            },
        };
        observations.insert(key, observation);
    }
    observations
}

fn with_reconstruction_note(note: String, reconstructed: u32, parts: u32) -> String {
    if reconstructed == 0 {
        note
    } else {
        format!("{note}; {reconstructed} of {parts} parts reconstructed from published percentages")
    }
}

/// Shares, rates and means: `factor × numerator / denominator` from the values at the same
/// level, which for aggregates are the sums of the parts.
fn ratio(
    indicator: &IndicatorDef,
    numerators: &Series,
    denominators: &Series,
    factor: f64,
    findings: &mut Vec<Finding>,
) -> BTreeMap<Key, Observation> {
    let formula = indicator.kind.formula();
    let mut observations = BTreeMap::new();
    for (key, denominator) in denominators {
        let Some(numerator) = numerators.get(key) else {
            continue;
        };
        let value = match (numerator.value, denominator.value) {
            (CellValue::Missing(reason), _) | (_, CellValue::Missing(reason)) => {
                CellValue::Missing(reason)
            }
            (CellValue::Value(_), CellValue::Value(0.0)) => {
                findings.push(Finding {
                    area: key.0.clone(),
                    year: key.1,
                    subject: indicator.id.clone(),
                    kind: FindingKind::ZeroDenominator,
                    message: format!("the denominator is 0, so {formula} is not applicable"),
                });
                CellValue::Missing(MissingReason::NotApplicable)
            }
            (CellValue::Value(part), CellValue::Value(whole)) => {
                // The fraction first: a part equal to its whole gives exactly 1, so exactly
                // 100 %, not 99.99999999999999 (which a map would put in a class of its own).
                CellValue::Value(part / whole * factor)
            }
        };
        let mut note = formula.clone();
        if numerator.involves_reconstruction() || denominator.involves_reconstruction() {
            note.push_str("; from counts reconstructed from published percentages");
        }
        if numerator.is_redistricted() || denominator.is_redistricted() {
            note.push_str(
                "; summed from the predecessors of this merged municipality, on today's boundaries",
            );
        }
        let observation = Observation {
            area: key.0.clone(),
            year: key.1,
            indicator: indicator.id.clone(),
            value,
            provenance: Provenance {
                method: Some(Method::Recomputed),
                rows: if numerator.is_aggregate() || denominator.is_aggregate() {
                    Vec::new()
                } else {
                    merged_rows(numerator.rows(), denominator.rows())
                },
                parts: numerator.parts().max(denominator.parts()),
                note,
            },
        };
        observations.insert(key.clone(), observation);
    }
    observations
}

/// Change and index: another indicator of the same area, compared with an earlier or base year.
fn derived(
    indicator: &IndicatorDef,
    of_observations: &BTreeMap<Key, Observation>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<Key, Observation> {
    let mut observations = BTreeMap::new();
    for ((area, year), current) in of_observations {
        let (earlier_year, relative) = match indicator.kind {
            IndicatorKind::Change {
                years, relative, ..
            } => (year.minus(years), relative),
            IndicatorKind::Index { base_year, .. } => (Year::new(base_year).ok(), true),
            _ => (None, false),
        };
        // No earlier value: no observation (see the module documentation for why).
        let Some(earlier) = earlier_year
            .and_then(|earlier_year| of_observations.get(&(area.clone(), earlier_year)))
        else {
            continue;
        };
        let value = match (current.value, earlier.value) {
            (CellValue::Missing(reason), _) | (_, CellValue::Missing(reason)) => {
                CellValue::Missing(reason)
            }
            (CellValue::Value(_), CellValue::Value(0.0)) if relative => {
                findings.push(Finding {
                    area: area.clone(),
                    year: *year,
                    subject: indicator.id.clone(),
                    kind: FindingKind::ZeroBase,
                    message: format!(
                        "`{}` is 0 in {}, so a relative change or index is not applicable",
                        earlier.indicator, earlier.year
                    ),
                });
                CellValue::Missing(MissingReason::NotApplicable)
            }
            (CellValue::Value(now), CellValue::Value(then)) => match indicator.kind {
                IndicatorKind::Index { .. } => CellValue::Value(100.0 * now / then),
                _ if relative => CellValue::Value(100.0 * (now - then) / then),
                _ => CellValue::Value(now - then),
            },
        };
        let observation = Observation {
            area: area.clone(),
            year: *year,
            indicator: indicator.id.clone(),
            value,
            provenance: Provenance {
                method: Some(Method::Derived),
                rows: merged_rows(&current.provenance.rows, &earlier.provenance.rows),
                parts: current.provenance.parts,
                note: format!(
                    "{} with t = {year} (compared with {})",
                    indicator.kind.formula(),
                    earlier.year
                ),
            },
        };
        observations.insert((area.clone(), *year), observation);
    }
    observations
}
