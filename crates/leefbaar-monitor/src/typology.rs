//! The national typology (issue 15, "the bubbles"): every municipality of the Netherlands
//! classed by its projected change between two years (the projection's krimp, anticipeer,
//! stable and growth classes, medium variant) and by its degree of urbanisation (the bundle's
//! grouping of a published urbanity code), with the share of residents in each bubble for the
//! Netherlands, every province and the monitored province.
//!
//! The projection runs on the 355 municipalities of its base year (2020); the typology's table
//! is on the division of its first year (342 municipalities in 2024). Projected persons and
//! households are carried forward through the bundled overlay lineage (2019 → 2022 → 2023 →
//! 2024): a municipality that goes whole (≥ 90 % of its area) into one successor goes whole,
//! a split one (Haaren, 2021) is shared out by area over its parts of ≥ 3 % (smaller parts are
//! generalisation slivers). Every projected person lands in exactly one municipality of the
//! table, so the national total is kept.
//!
//! Shares are sums of persons over sums of persons, never averages of shares: a bubble's share
//! of an area is the residents of the area's municipalities in that bubble over the area's
//! residents, both summed in whole persons.
//!
//! # References
//! Rijksoverheid / BZK, *krimpregio's en anticipeerregio's* (the change classes, see
//! `docs/methods/projection.md`); CBS, *stedelijkheid* from the omgevingsadressendichtheid
//! (`Gebieden in Nederland`); Eurostat, *Applying the degree of urbanisation* (2021), whose
//! three classes the bundle's grouping follows (`docs/methods/typology.md`).

use std::collections::BTreeMap;

use leefbaar_ingest::{ProjectionSpec, TableSpec, TypologySpec};
use leefbaar_model::{AreaCode, AreaLevel, CellValue, LocalizedText, Year};
use leefbaar_projection::{KrimpClass, LineageRow, Variant, YearOutput, classify};

use crate::error::{MonitorError, record};
use crate::projection;

/// The change classes in the order they are shown: growing to shrinking.
pub const CHANGES: [KrimpClass; 4] = [
    KrimpClass::Growth,
    KrimpClass::Stable,
    KrimpClass::Anticipeer,
    KrimpClass::Krimp,
];

/// The projection's variants in the order the typology keeps them.
const VARIANTS: [Variant; 3] = [Variant::Medium, Variant::Low, Variant::High];

/// Persons and households of an area in the two years compared.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChangeNumbers {
    /// Residents in the first and the last year.
    pub population: (f64, f64),
    /// Households in the first and the last year.
    pub households: (f64, f64),
}

impl ChangeNumbers {
    fn add_scaled(&mut self, other: &ChangeNumbers, weight: f64) {
        self.population.0 += other.population.0 * weight;
        self.population.1 += other.population.1 * weight;
        self.households.0 += other.households.0 * weight;
        self.households.1 += other.households.1 * weight;
    }
}

/// One municipality of the typology's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// Its code.
    pub code: AreaCode,
    /// Its name.
    pub name: String,
    /// Its province.
    pub province: AreaCode,
    /// The province's name.
    pub province_name: String,
    /// The urbanity code (CBS: 1 very strongly urban … 5 not urban).
    pub urbanity: u8,
}

/// A degree of urbanisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Degree {
    /// Its id (`urban`).
    pub id: String,
    /// Its name.
    pub name: LocalizedText,
    /// The urbanity codes it groups.
    pub codes: Vec<u8>,
}

/// A municipality's class with its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityClass {
    /// Its code.
    pub code: AreaCode,
    /// Its name.
    pub name: String,
    /// Its province.
    pub province: AreaCode,
    /// Residents in the first year (whole persons).
    pub population_from: u64,
    /// Residents in the last year, medium variant (whole persons).
    pub population_to: u64,
    /// Relative change of residents, medium variant, in percent (two decimals).
    pub population_change_pct: f64,
    /// Relative change of households, medium variant, in percent (two decimals).
    pub households_change_pct: f64,
    /// The change class, medium variant (the bubble's).
    pub change: KrimpClass,
    /// The change class in the low variant.
    pub change_low: KrimpClass,
    /// The change class in the high variant.
    pub change_high: KrimpClass,
    /// The urbanity code.
    pub urbanity: u8,
    /// The index of its degree in [`Typology::degrees`].
    pub degree: usize,
}

/// One bubble of an area: a change class × a degree of urbanisation.
#[derive(Debug, Clone, PartialEq)]
pub struct BubbleShare {
    /// The change class.
    pub change: KrimpClass,
    /// The index of the degree in [`Typology::degrees`].
    pub degree: usize,
    /// The area's municipalities in the bubble.
    pub municipalities: usize,
    /// Their residents in the first year (whole persons).
    pub population_from: u64,
    /// Their residents in the last year, medium variant (whole persons).
    pub population_to: u64,
    /// `population_from` over the area's residents, in percent (two decimals).
    pub share_from_pct: f64,
    /// `population_to` over the area's residents in the last year, in percent (two decimals).
    pub share_to_pct: f64,
}

/// The bubbles of an area (the Netherlands or a province).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaShares {
    /// Its code (`NL01`, `PV22`).
    pub code: AreaCode,
    /// Its name.
    pub name: String,
    /// Whether it is the monitored province.
    pub monitored: bool,
    /// Its municipalities.
    pub municipalities: usize,
    /// Its residents in the first year (whole persons).
    pub population_from: u64,
    /// Its residents in the last year, medium variant (whole persons).
    pub population_to: u64,
    /// Every bubble, empty ones too: changes (growing first) × degrees (most urban first).
    pub bubbles: Vec<BubbleShare>,
}

/// The typology of every municipality, and the bubble shares of the Netherlands and each
/// province.
#[derive(Debug, Clone, PartialEq)]
pub struct Typology {
    /// The first year compared (the table's division).
    pub from_year: u16,
    /// The last year compared.
    pub to_year: u16,
    /// The degrees of urbanisation, most urban first.
    pub degrees: Vec<Degree>,
    /// Every municipality of the table, by code.
    pub municipalities: Vec<MunicipalityClass>,
    /// The Netherlands, then the provinces by code.
    pub areas: Vec<AreaShares>,
}

impl Typology {
    /// Reads the bundle's typology table, projects every municipality (three variants, no
    /// bootstrap: the classes need no interval), carries the projection to the table's
    /// division and classes every municipality; `monitored` is flagged among the provinces.
    pub fn prepare(
        spec: &TypologySpec,
        projection_spec: &ProjectionSpec,
        monitored: &AreaCode,
    ) -> Result<Typology, MonitorError> {
        let horizon = Year::new(projection::HORIZON).expect("a year in range");
        if spec.to_year > horizon {
            return Err(MonitorError::Bundle(format!(
                "[typology], field `to_year`: the projection ends in {horizon}, found {}",
                spec.to_year
            )));
        }
        let rows = read_table(spec)?;
        let setup = projection::national_setup(&projection_spec.inputs)?;
        if spec.from_year < setup.setup.base_year {
            return Err(MonitorError::Bundle(format!(
                "[typology], field `from_year`: the projection starts in {}, found {}",
                setup.setup.base_year, spec.from_year
            )));
        }
        let mut per_variant = Vec::with_capacity(VARIANTS.len());
        for variant in VARIANTS {
            let outputs = setup.setup.run(variant, spec.to_year).map_err(|source| {
                MonitorError::Projection {
                    dir: projection_spec.inputs.clone(),
                    source: Box::new(source),
                }
            })?;
            let numbers = change_numbers(&outputs, spec.from_year, spec.to_year);
            per_variant.push(to_division(&numbers, &setup.lineage, spec.from_year.get())?);
        }
        let degrees = spec
            .degrees
            .iter()
            .map(|degree| Degree {
                id: degree.id.clone(),
                name: degree.name.clone(),
                codes: degree.codes.clone(),
            })
            .collect();
        let [medium, low, high]: [BTreeMap<AreaCode, ChangeNumbers>; 3] =
            per_variant.try_into().expect("three variants");
        build(
            (spec.from_year, spec.to_year),
            degrees,
            &rows,
            [&medium, &low, &high],
            monitored,
        )
        .map_err(|message| MonitorError::Bundle(format!("{}: {message}", spec.file.display())))
    }

    /// The bubble shares of one area (`NL01` or a province code).
    pub fn area(&self, code: &str) -> Option<&AreaShares> {
        self.areas
            .iter()
            .find(|area| area.code.as_str().eq_ignore_ascii_case(code))
    }

    /// The class of one municipality.
    pub fn municipality(&self, code: &AreaCode) -> Option<&MunicipalityClass> {
        self.municipalities
            .binary_search_by(|m| m.code.cmp(code))
            .ok()
            .map(|index| &self.municipalities[index])
    }

    /// A municipality's bubble id: change and degree (`krimp-rural`).
    pub fn bubble_id(&self, municipality: &MunicipalityClass) -> String {
        format!(
            "{}-{}",
            municipality.change.as_str(),
            self.degrees[municipality.degree].id
        )
    }
}

/// Reads the typology's table: every municipality with its province and urbanity code.
fn read_table(spec: &TypologySpec) -> Result<Vec<TableRow>, MonitorError> {
    let columns = &spec.columns;
    let table_spec = TableSpec {
        number_columns: vec![columns.urbanity.clone()],
        text_columns: vec![
            columns.name.clone(),
            columns.province.clone(),
            columns.province_name.clone(),
        ],
        levels: vec![AreaLevel::Municipality],
        ..TableSpec::new(&columns.area)
    };
    let table = leefbaar_ingest::read_cbs_table(&spec.file, &table_spec)?;
    let mut rows = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let at = |field: &str, message: String| record(&spec.file, row.line, Some(field), message);
        let urbanity = match table.number(row, &columns.urbanity) {
            Some(CellValue::Value(value))
                if value.fract() == 0.0 && (0.0..=f64::from(u8::MAX)).contains(&value) =>
            {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a whole number in 0..=255, checked above"
                )]
                let code = value as u8;
                code
            }
            _ => {
                return Err(at(
                    &columns.urbanity,
                    "expected a whole urbanity code".to_owned(),
                ));
            }
        };
        if !spec.degrees.iter().any(|d| d.codes.contains(&urbanity)) {
            return Err(at(
                &columns.urbanity,
                format!("urbanity code {urbanity} is in no `[[typology.degree]]`"),
            ));
        }
        let province_text = table.text(row, &columns.province).unwrap_or_default();
        let province = AreaCode::parse(province_text)
            .ok()
            .filter(|code| code.level() == AreaLevel::Province)
            .ok_or_else(|| {
                at(
                    &columns.province,
                    format!("expected a province code such as PV22, found `{province_text}`"),
                )
            })?;
        rows.push(TableRow {
            code: row.area.clone(),
            name: table
                .text(row, &columns.name)
                .unwrap_or_default()
                .to_owned(),
            province,
            province_name: table
                .text(row, &columns.province_name)
                .unwrap_or_default()
                .to_owned(),
            urbanity,
        });
    }
    Ok(rows)
}

/// Persons and households of every projected area in `from` and `to`.
pub fn change_numbers(
    outputs: &BTreeMap<AreaCode, Vec<YearOutput>>,
    from: Year,
    to: Year,
) -> BTreeMap<AreaCode, ChangeNumbers> {
    outputs
        .iter()
        .filter_map(|(code, series)| {
            let at = |year: Year| series.iter().find(|output| output.year == year);
            let (first, last) = (at(from)?, at(to)?);
            Some((
                code.clone(),
                ChangeNumbers {
                    population: (first.population, last.population),
                    households: (first.households, last.households),
                },
            ))
        })
        .collect()
}

/// The overlay steps from the projection's base-year division (2020 equals 2019) onwards.
const LINEAGE_STEPS: [(u16, u16); 3] = [(2019, 2022), (2022, 2023), (2023, 2024)];

/// Carries numbers of the 2020 division to the division of `year`, through the overlay
/// lineage: whole where ≥ 90 % of a municipality's area goes to one successor, else shared by
/// area over its parts of ≥ 3 % (the rule of `leefbaar_projection::backtest_2024`).
pub fn to_division(
    numbers: &BTreeMap<AreaCode, ChangeNumbers>,
    lineage: &[LineageRow],
    year: u16,
) -> Result<BTreeMap<AreaCode, ChangeNumbers>, MonitorError> {
    let mut carried: BTreeMap<AreaCode, ChangeNumbers> = BTreeMap::new();
    for (code, area_numbers) in numbers {
        let mut current: Vec<(AreaCode, f64)> = vec![(code.clone(), 1.0)];
        for (from, to) in LINEAGE_STEPS.into_iter().filter(|(_, to)| *to <= year) {
            let mut next: Vec<(AreaCode, f64)> = Vec::new();
            for (old, weight) in &current {
                let rows: Vec<&LineageRow> = lineage
                    .iter()
                    .filter(|row| {
                        row.year_old == from && row.year_new == to && row.code_old == *old
                    })
                    .collect();
                let parts: Vec<(AreaCode, f64)> =
                    if let Some(main) = rows.iter().find(|row| row.share_of_old >= 0.9) {
                        vec![(main.code_new.clone(), 1.0)]
                    } else {
                        let kept: Vec<&&LineageRow> =
                            rows.iter().filter(|row| row.share_of_old >= 0.03).collect();
                        let total: f64 = kept.iter().map(|row| row.share_of_old).sum();
                        kept.iter()
                            .map(|row| (row.code_new.clone(), row.share_of_old / total))
                            .collect()
                    };
                if parts.is_empty() {
                    return Err(MonitorError::Bundle(format!(
                        "the projection's lineage has no successor of {old} from {from} to {to}"
                    )));
                }
                for (new, share) in parts {
                    match next.iter_mut().find(|(code, _)| *code == new) {
                        Some((_, w)) => *w += weight * share,
                        None => next.push((new, weight * share)),
                    }
                }
            }
            current = next;
        }
        for (new, weight) in current {
            carried
                .entry(new)
                .or_default()
                .add_scaled(area_numbers, weight);
        }
    }
    Ok(carried)
}

fn pct(fraction: f64) -> f64 {
    (fraction * 10_000.0).round() / 100.0
}

#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "persons are finite, non-negative and far below 2^53"
)]
fn persons(value: f64) -> u64 {
    value.max(0.0).round() as u64
}

#[expect(
    clippy::cast_precision_loss,
    reason = "persons far below 2^53 are exact in f64"
)]
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        pct(part as f64 / whole as f64)
    }
}

/// Classes every municipality of `rows` from its numbers per variant (medium, low, high) and
/// sums the bubbles of the Netherlands and each province. Fails when a municipality of the
/// table has no numbers, or numbers fall on a municipality the table lacks (persons would be
/// lost from the totals).
pub fn build(
    (from_year, to_year): (Year, Year),
    degrees: Vec<Degree>,
    rows: &[TableRow],
    [medium, low, high]: [&BTreeMap<AreaCode, ChangeNumbers>; 3],
    monitored: &AreaCode,
) -> Result<Typology, String> {
    let mut municipalities = Vec::with_capacity(rows.len());
    for row in rows {
        let class_of = |numbers: &BTreeMap<AreaCode, ChangeNumbers>| {
            numbers
                .get(&row.code)
                .map(|n| classify(from_year, to_year, n.population, n.households))
                .ok_or_else(|| format!("the projection has no residents for {}", row.code))
        };
        let (classification, class_low, class_high) =
            (class_of(medium)?, class_of(low)?, class_of(high)?);
        let degree = degrees
            .iter()
            .position(|d| d.codes.contains(&row.urbanity))
            .ok_or_else(|| format!("urbanity code {} is in no degree", row.urbanity))?;
        municipalities.push(MunicipalityClass {
            code: row.code.clone(),
            name: row.name.clone(),
            province: row.province.clone(),
            population_from: persons(classification.population.0),
            population_to: persons(classification.population.1),
            population_change_pct: pct(classification.population_change()),
            households_change_pct: pct(classification.household_change()),
            change: classification.class,
            change_low: class_low.class,
            change_high: class_high.class,
            urbanity: row.urbanity,
            degree,
        });
    }
    municipalities.sort_by(|a, b| a.code.cmp(&b.code));
    if let Some(pair) = municipalities.windows(2).find(|w| w[0].code == w[1].code) {
        return Err(format!("{} is in the table twice", pair[0].code));
    }
    if let Some(code) = medium.keys().find(|code| {
        municipalities
            .binary_search_by(|m| m.code.cmp(code))
            .is_err()
    }) {
        return Err(format!(
            "the projection carries residents to {code}, which is not in the table"
        ));
    }
    let mut provinces: BTreeMap<&AreaCode, &str> = BTreeMap::new();
    for row in rows {
        provinces.entry(&row.province).or_insert(&row.province_name);
    }
    let mut areas = vec![shares(
        AreaCode::netherlands(),
        "Nederland".to_owned(),
        false,
        &municipalities.iter().collect::<Vec<_>>(),
        &degrees,
    )];
    for (code, name) in provinces {
        let members: Vec<&MunicipalityClass> = municipalities
            .iter()
            .filter(|m| &m.province == code)
            .collect();
        areas.push(shares(
            code.clone(),
            name.to_owned(),
            code == monitored,
            &members,
            &degrees,
        ));
    }
    Ok(Typology {
        from_year: from_year.get(),
        to_year: to_year.get(),
        degrees,
        municipalities,
        areas,
    })
}

fn shares(
    code: AreaCode,
    name: String,
    monitored: bool,
    members: &[&MunicipalityClass],
    degrees: &[Degree],
) -> AreaShares {
    let population_from: u64 = members.iter().map(|m| m.population_from).sum();
    let population_to: u64 = members.iter().map(|m| m.population_to).sum();
    let mut bubbles = Vec::with_capacity(CHANGES.len() * degrees.len());
    for change in CHANGES {
        for degree in 0..degrees.len() {
            let inside: Vec<&&MunicipalityClass> = members
                .iter()
                .filter(|m| m.change == change && m.degree == degree)
                .collect();
            let from: u64 = inside.iter().map(|m| m.population_from).sum();
            let to: u64 = inside.iter().map(|m| m.population_to).sum();
            bubbles.push(BubbleShare {
                change,
                degree,
                municipalities: inside.len(),
                population_from: from,
                population_to: to,
                share_from_pct: share(from, population_from),
                share_to_pct: share(to, population_to),
            });
        }
    }
    AreaShares {
        code,
        name,
        monitored,
        municipalities: members.len(),
        population_from,
        population_to,
        bubbles,
    }
}

#[cfg(test)]
mod tests;
