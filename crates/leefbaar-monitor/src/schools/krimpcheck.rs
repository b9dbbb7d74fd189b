//! The krimpcheck: which secondary locations lose pupils, and when they fall below a size
//! threshold. Each location's counted pupils are carried forward in proportion to the
//! projected 12–17-year-olds of its own municipality (constant catchment shares: the location
//! keeps its share of its municipality's young people). Open data do not say where a
//! location's pupils live, so pupils from other municipalities move with the location's own
//! municipality; `docs/methods/schools.md` says what that leaves out.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, Year};
use leefbaar_network::Wgs84Point;

use super::Schools;

/// The projected 12–17-year-olds per municipality and year (medium variant).
pub type ProjectedPupils = BTreeMap<AreaCode, Vec<(Year, f64)>>;

/// The krimpcheck's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KrimpcheckParams {
    /// A location projected below this many pupils is reported with the first year it is.
    pub min_pupils: u32,
    /// The projection's year the counted pupils stand for (the 1 January after DUO's
    /// 1 October count).
    pub reference_year: Year,
    /// The last year.
    pub horizon: Year,
}

/// One year of a location's krimpcheck.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrimpYear {
    /// The year (1 January).
    pub year: Year,
    /// Projected pupils (unrounded).
    pub pupils: f64,
    /// The municipality's projected 12–17-year-olds as an index, reference year = 100.
    pub index: f64,
    /// The user-supplied forecast for the location, if any.
    pub forecast: Option<f64>,
}

/// A secondary location's krimpcheck.
#[derive(Debug, Clone, PartialEq)]
pub struct KrimpcheckLocation {
    /// The location code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its municipality.
    pub municipality: AreaCode,
    /// Where it is, when joined to a facility.
    pub point: Option<Wgs84Point>,
    /// Pupils counted by DUO.
    pub pupils_counted: u64,
    /// One entry per year from the reference year to the horizon.
    pub years: Vec<KrimpYear>,
    /// The first year projected below the threshold (the reference year when already below).
    pub below_from: Option<Year>,
    /// The first year the supplied forecast is below the threshold.
    pub forecast_below_from: Option<Year>,
}

/// The krimpcheck of every secondary location with counted pupils.
#[derive(Debug, Clone, PartialEq)]
pub struct Krimpcheck {
    /// The settings.
    pub params: KrimpcheckParams,
    /// The year of DUO's count (1 October).
    pub counted_year: Year,
    /// The locations, by code.
    pub locations: Vec<KrimpcheckLocation>,
    /// Locations left out: code and why (no projection for the municipality).
    pub left_out: Vec<(String, String)>,
    /// Whether a forecast was supplied.
    pub with_forecast: bool,
}

impl Krimpcheck {
    /// Carries every secondary location of `schools` forward with `projected`; `forecasts`
    /// (per location, per year) are shown beside the result when given.
    ///
    /// # Units
    /// Pupils.
    pub fn compute(
        schools: &Schools,
        projected: &ProjectedPupils,
        params: KrimpcheckParams,
        forecasts: Option<&BTreeMap<String, Vec<(Year, f64)>>>,
    ) -> Krimpcheck {
        let threshold = f64::from(params.min_pupils);
        let mut locations = Vec::new();
        let mut left_out = Vec::new();
        for school in &schools.schools {
            let Some(counted) = school.pupils.filter(|p| p.total > 0) else {
                continue;
            };
            let series = projected.get(&school.municipality);
            let base = series.and_then(|s| {
                s.iter()
                    .find(|(year, _)| *year == params.reference_year)
                    .map(|(_, v)| *v)
            });
            let (Some(series), Some(base)) = (series, base.filter(|b| *b > 0.0)) else {
                left_out.push((
                    school.code.clone(),
                    format!(
                        "no projected 12–17-year-olds of {} in {}",
                        school.municipality, params.reference_year
                    ),
                ));
                continue;
            };
            let forecast = forecasts.and_then(|f| f.get(&school.code));
            let pupils = counted.total as f64;
            let years: Vec<KrimpYear> = series
                .iter()
                .filter(|(year, _)| *year >= params.reference_year && *year <= params.horizon)
                .map(|&(year, young)| KrimpYear {
                    year,
                    pupils: pupils * young / base,
                    index: 100.0 * young / base,
                    forecast: forecast
                        .and_then(|f| f.iter().find(|(y, _)| *y == year).map(|(_, v)| *v)),
                })
                .collect();
            let below_from = years.iter().find(|y| y.pupils < threshold).map(|y| y.year);
            let forecast_below_from = forecast.and_then(|f| {
                f.iter()
                    .find(|(_, v)| *v < threshold)
                    .map(|(year, _)| *year)
            });
            locations.push(KrimpcheckLocation {
                code: school.code.clone(),
                name: school.name.clone(),
                municipality: school.municipality.clone(),
                point: school.point,
                pupils_counted: counted.total,
                years,
                below_from,
                forecast_below_from,
            });
        }
        Krimpcheck {
            params,
            counted_year: schools.year,
            locations,
            left_out,
            with_forecast: forecasts.is_some(),
        }
    }

    /// The locations that fall below the threshold by the horizon, earliest first.
    pub fn crossing(&self) -> Vec<&KrimpcheckLocation> {
        let mut crossing: Vec<&KrimpcheckLocation> = self
            .locations
            .iter()
            .filter(|l| l.below_from.is_some())
            .collect();
        crossing.sort_by_key(|l| (l.below_from, l.code.clone()));
        crossing
    }
}
