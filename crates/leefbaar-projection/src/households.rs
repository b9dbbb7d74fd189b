//! Households from headship ratios, and the krimp classification of areas.

use std::fmt;

use leefbaar_model::Year;

/// Households per resident of one municipality, and how it changes over the years.
///
/// CBS publishes households and residents per municipality (KWB) but no headship by age, so
/// the ratio is aggregate: `households = population × ratio(year)`, with
/// `ratio(year) = ratio_base × (1 + annual_change)^(year − base_year)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headship {
    /// The year the ratio was observed.
    pub base_year: Year,
    /// Private households per resident in `base_year`.
    pub ratio: f64,
    /// Relative change of the ratio per year (0 holds it constant).
    pub annual_change: f64,
}

impl Headship {
    /// The number of households of a population in `year`.
    ///
    /// # Units
    /// Households, from persons.
    ///
    /// # References
    /// The headship-rate method: United Nations (1973), *Methods of Projecting Households and
    /// Families*, Manual VII; here with one aggregate rate per municipality.
    pub fn households(&self, population: f64, year: Year) -> f64 {
        let years = f64::from(year.get()) - f64::from(self.base_year.get());
        population * self.ratio * (1.0 + self.annual_change).powf(years)
    }
}

/// The classes of the Dutch government's population-decline policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KrimpClass {
    /// *Krimpregio*: population falls ≥ 12.5 % **and** households ≥ 5 %.
    Krimp,
    /// *Anticipeerregio*: population **or** households fall ≥ 2.5 % (and not krimp).
    Anticipeer,
    /// Neither falls ≥ 2.5 % and the population grows less than 2.5 %.
    Stable,
    /// The population grows ≥ 2.5 % and households do not fall ≥ 2.5 %.
    Growth,
}

impl KrimpClass {
    /// The stable identifier: `krimp`, `anticipeer`, `stable`, `growth`.
    pub fn as_str(self) -> &'static str {
        match self {
            KrimpClass::Krimp => "krimp",
            KrimpClass::Anticipeer => "anticipeer",
            KrimpClass::Stable => "stable",
            KrimpClass::Growth => "growth",
        }
    }
}

impl fmt::Display for KrimpClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A classification with the numbers behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Classification {
    /// The class.
    pub class: KrimpClass,
    /// The first year of the comparison.
    pub from_year: Year,
    /// The last year of the comparison (2040 in the policy).
    pub to_year: Year,
    /// Population in `from_year` and `to_year`.
    pub population: (f64, f64),
    /// Households in `from_year` and `to_year`.
    pub households: (f64, f64),
}

impl Classification {
    /// Relative population change (−0.125 is a fall of 12.5 %).
    pub fn population_change(&self) -> f64 {
        relative_change(self.population)
    }

    /// Relative household change.
    pub fn household_change(&self) -> f64 {
        relative_change(self.households)
    }
}

fn relative_change((from, to): (f64, f64)) -> f64 {
    if from > 0.0 { to / from - 1.0 } else { 0.0 }
}

/// Thresholds of the classification, as fractions.
pub const KRIMP_POPULATION_FALL: f64 = 0.125;
/// Household fall that, with the population fall, makes a *krimpregio*.
pub const KRIMP_HOUSEHOLD_FALL: f64 = 0.05;
/// Fall of population or households that makes an *anticipeerregio*.
pub const ANTICIPEER_FALL: f64 = 0.025;
/// Population growth from which an area is `growth` (Leefbaar's choice, symmetric to 2.5 %).
pub const GROWTH_RISE: f64 = 0.025;

/// Classifies an area by its population and households in two years.
///
/// # Units
/// Persons and households; thresholds are relative changes.
///
/// # References
/// Rijksoverheid / BZK, *Bevolkingsdaling* policy: krimpregio's and anticipeerregio's (criteria
/// as summarised in the Leefbaar issue #4 and `docs/methods/projection.md`).
pub fn classify(
    from_year: Year,
    to_year: Year,
    population: (f64, f64),
    households: (f64, f64),
) -> Classification {
    let population_change = relative_change(population);
    let household_change = relative_change(households);
    // A small tolerance keeps "exactly −12.5 %" on the krimp side despite rounding.
    let falls = |change: f64, threshold: f64| change <= -threshold + 1e-12;
    let class = if falls(population_change, KRIMP_POPULATION_FALL)
        && falls(household_change, KRIMP_HOUSEHOLD_FALL)
    {
        KrimpClass::Krimp
    } else if falls(population_change, ANTICIPEER_FALL) || falls(household_change, ANTICIPEER_FALL)
    {
        KrimpClass::Anticipeer
    } else if population_change >= GROWTH_RISE - 1e-12 {
        KrimpClass::Growth
    } else {
        KrimpClass::Stable
    };
    Classification {
        class,
        from_year,
        to_year,
        population,
        households,
    }
}
