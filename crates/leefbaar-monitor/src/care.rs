//! Care demand from the projection (`[projection.care]`): people with dementia estimated from
//! published age- and sex-specific prevalence rates times the projected population of every
//! municipality, as facts of `projected_dementia` beside the projection's own age bands
//! (`projected_75_plus`, `projected_85_plus`, `projected_50_74`, from which the catalogue
//! recomputes shares, the informal-care potential and indices at every level).

use leefbaar_ingest::CareSpec;
use leefbaar_model::{AreaCode, CellValue, Fact, Method, Source, SourceRow, Year};
use leefbaar_projection::{NetherlandsSetup, Prevalence, ProjectionError, Variant};

use crate::error::MonitorError;

/// Reads the bundle's prevalence table.
pub fn read_prevalence(spec: &CareSpec) -> Result<Prevalence, MonitorError> {
    let text = fs_err::read_to_string(&spec.dementia_prevalence)?;
    Prevalence::parse(&spec.dementia_prevalence.display().to_string(), &text).map_err(|source| {
        MonitorError::Projection {
            dir: spec.dementia_prevalence.clone(),
            source: Box::new(ProjectionError::Parse(source)),
        }
    })
}

/// The expected people with dementia of every municipality of `setup` and every year from the
/// base year to `horizon`, from the medium variant's population by age and sex.
///
/// Constant rates: the estimate moves with the population's age and sex, not with any trend
/// in the rates (which published series do not establish for the Netherlands).
pub fn dementia_facts(
    setup: &NetherlandsSetup,
    horizon: Year,
    prevalence: &Prevalence,
) -> Result<Vec<Fact>, ProjectionError> {
    let mut facts = Vec::new();
    for area in &setup.setup.areas {
        let trajectory = setup.setup.trajectory(area, Variant::Medium, horizon)?;
        for (offset, table) in trajectory.populations.iter().enumerate() {
            let Some(year) = u16::try_from(offset)
                .ok()
                .and_then(|offset| Year::new(trajectory.base_year.get() + offset).ok())
            else {
                continue;
            };
            facts.push(fact(&area.code, year, prevalence.expected_cases(table)));
        }
    }
    Ok(facts)
}

fn fact(area: &AreaCode, year: Year, value: f64) -> Fact {
    Fact {
        area: area.clone(),
        year,
        variable: "projected_dementia".to_owned(),
        value: CellValue::Value(value),
        method: Method::Projected,
        rows: Vec::<SourceRow>::new(),
    }
}

/// The source record of the prevalence rates, which the dementia indicators name.
pub fn source(spec: &CareSpec, imported_at: &str) -> Source {
    Source {
        id: spec.source.id.clone(),
        file: spec.dementia_file.clone(),
        table: spec.source.table.clone(),
        licence: spec.source.licence.clone(),
        attribution: spec.source.attribution.clone(),
        imported_at: imported_at.to_owned(),
    }
}
