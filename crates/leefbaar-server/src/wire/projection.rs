//! The projection on the wire: the criteria, the classes with their numbers, the series and
//! the pyramid, whole persons and percentages with two decimals.

use leefbaar_monitor::projection::{
    AreaProjection, ClassNumbers, Classes, ProjectionMonitor, PyramidRow, SeriesPoint,
};
use leefbaar_projection::{
    ANTICIPEER_FALL, GROWTH_RISE, KRIMP_HOUSEHOLD_FALL, KRIMP_POPULATION_FALL,
};
use serde::Serialize;

/// The krimp criteria, as the API states them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Criteria {
    /// Krimp: population falls at least this many percent…
    pub krimp_population_fall_pct: f64,
    /// …and households at least this many percent.
    pub krimp_household_fall_pct: f64,
    /// Anticipeer: population or households fall at least this many percent.
    pub anticipeer_fall_pct: f64,
    /// Growth: population rises at least this many percent (Leefbaar's choice).
    pub growth_rise_pct: f64,
    /// The rule in words.
    pub rule: &'static str,
}

/// The criteria of [`leefbaar_projection::classify`].
pub const CRITERIA: Criteria = Criteria {
    krimp_population_fall_pct: KRIMP_POPULATION_FALL * 100.0,
    krimp_household_fall_pct: KRIMP_HOUSEHOLD_FALL * 100.0,
    anticipeer_fall_pct: ANTICIPEER_FALL * 100.0,
    growth_rise_pct: GROWTH_RISE * 100.0,
    rule: "krimp: population −12.5 % and households −5 % or more; anticipeer: population or households −2.5 % or more; growth: population +2.5 % or more; otherwise stable",
};

/// A classification with its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassDto {
    class: &'static str,
    from_year: u16,
    to_year: u16,
    population_from: f64,
    population_to: f64,
    population_change_pct: f64,
    households_from: f64,
    households_to: f64,
    households_change_pct: f64,
}

impl From<&ClassNumbers> for ClassDto {
    fn from(c: &ClassNumbers) -> ClassDto {
        ClassDto {
            class: c.class,
            from_year: c.from_year,
            to_year: c.to_year,
            population_from: c.population_from,
            population_to: c.population_to,
            population_change_pct: c.population_change_pct,
            households_from: c.households_from,
            households_to: c.households_to,
            households_change_pct: c.households_change_pct,
        }
    }
}

/// The classification per variant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassesDto {
    medium: ClassDto,
    low: ClassDto,
    high: ClassDto,
}

impl From<&Classes> for ClassesDto {
    fn from(c: &Classes) -> ClassesDto {
        ClassesDto {
            medium: (&c.medium).into(),
            low: (&c.low).into(),
            high: (&c.high).into(),
        }
    }
}

/// One year of an area's projection.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PointDto {
    year: u16,
    medium: f64,
    low: f64,
    high: f64,
    lower: f64,
    median: f64,
    upper: f64,
    households: f64,
    aged_65_plus: f64,
    aged_80_plus: f64,
    labour_force_20_66: f64,
    aged_75_plus: f64,
    aged_85_plus: f64,
    aged_50_74: f64,
    informal_care_potential: CarePotentialDto,
}

/// Residents 50–74 per resident 85+: the variants and the bootstrap band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CarePotentialDto {
    medium: f64,
    low: f64,
    high: f64,
    lower: f64,
    upper: f64,
}

impl From<&SeriesPoint> for PointDto {
    fn from(p: &SeriesPoint) -> PointDto {
        PointDto {
            year: p.year,
            medium: p.medium,
            low: p.low,
            high: p.high,
            lower: p.lower,
            median: p.median,
            upper: p.upper,
            households: p.households,
            aged_65_plus: p.aged_65_plus,
            aged_80_plus: p.aged_80_plus,
            labour_force_20_66: p.labour_force_20_66,
            aged_75_plus: p.aged_75_plus,
            aged_85_plus: p.aged_85_plus,
            aged_50_74: p.aged_50_74,
            informal_care_potential: CarePotentialDto {
                medium: p.informal_care_potential.medium,
                low: p.informal_care_potential.low,
                high: p.informal_care_potential.high,
                lower: p.informal_care_potential.lower,
                upper: p.informal_care_potential.upper,
            },
        }
    }
}

/// One row of a population pyramid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PyramidRowDto {
    age: String,
    from_age: usize,
    to_age: Option<usize>,
    male_from: f64,
    female_from: f64,
    male_to: f64,
    female_to: f64,
}

impl From<PyramidRow> for PyramidRowDto {
    fn from(r: PyramidRow) -> PyramidRowDto {
        PyramidRowDto {
            age: r.age,
            from_age: r.from_age,
            to_age: r.to_age,
            male_from: r.male_from,
            female_from: r.female_from,
            male_to: r.male_to,
            female_to: r.female_to,
        }
    }
}

/// One area of `/api/v1/projection`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectionSummary {
    id: String,
    name: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<String>,
    class: &'static str,
    class_low: &'static str,
    class_high: &'static str,
    population_from: f64,
    population_to: f64,
    population_change_pct: f64,
    households_change_pct: f64,
    interval_to: Option<[f64; 2]>,
}

impl From<&AreaProjection> for ProjectionSummary {
    fn from(area: &AreaProjection) -> ProjectionSummary {
        let last = area.series.last().copied();
        let medium = &area.classes.medium;
        ProjectionSummary {
            id: area.id.clone(),
            name: area.name.clone(),
            kind: area.kind.as_str(),
            members: area.members.iter().map(ToString::to_string).collect(),
            class: medium.class,
            class_low: area.classes.low.class,
            class_high: area.classes.high.class,
            population_from: medium.population_from,
            population_to: medium.population_to,
            population_change_pct: medium.population_change_pct,
            households_change_pct: medium.households_change_pct,
            interval_to: last.map(|point| [point.lower, point.upper]),
        }
    }
}

/// The pyramid of `/api/v1/projection/{code}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PyramidDto {
    groups: &'static str,
    from_year: u16,
    to_year: u16,
    rows: Vec<PyramidRowDto>,
}

/// `data` of `/api/v1/projection/{code}`.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectionDetail {
    id: String,
    name: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    members: Vec<String>,
    class: &'static str,
    classification: ClassesDto,
    criteria: Criteria,
    series: Vec<PointDto>,
    pyramid: PyramidDto,
}

impl ProjectionDetail {
    /// The detail of `area` with its pyramid in `groups`.
    pub fn new(
        projection: &ProjectionMonitor,
        area: &AreaProjection,
        groups: leefbaar_monitor::projection::AgeGroups,
    ) -> ProjectionDetail {
        ProjectionDetail {
            id: area.id.clone(),
            name: area.name.clone(),
            kind: area.kind.as_str(),
            members: area.members.iter().map(ToString::to_string).collect(),
            class: area.classes.medium.class,
            classification: (&area.classes).into(),
            criteria: CRITERIA,
            series: area.series.iter().map(PointDto::from).collect(),
            pyramid: PyramidDto {
                groups: groups.as_str(),
                from_year: projection.base_year(),
                to_year: projection.horizon(),
                rows: area
                    .pyramid(groups)
                    .into_iter()
                    .map(PyramidRowDto::from)
                    .collect(),
            },
        }
    }
}
