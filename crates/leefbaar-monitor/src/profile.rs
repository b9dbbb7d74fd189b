//! An area next to the areas it is compared with, read from a store: one assembly for every
//! surface that shows an area's figures beside its comparators.
//!
//! The API's profile (`/api/v1/areas/{code}/profile`), the page `/gebied/{code}` and the fact
//! sheets (served by the server and written by `leefbaar factsheet`) used to read the same
//! things each in their own way: the server walked its in-memory area register, the command
//! line its own list of areas, and each indexed the observations again. Here [`profile`]
//! reads an area, its comparators and its indicators' series with the comparators' values,
//! and [`factsheet_inputs`] everything a fact sheet is built from; the surfaces only present.
//!
//! Both take a read-only [`Store`] and return typed values; nothing here formats or prints.

use std::collections::{BTreeMap, BTreeSet};

use leefbaar_model::{
    Area, AreaCode, AreaLevel, CellValue, IndicatorDef, Method, Observation, Source, Year,
};
use leefbaar_store::{AreaFilter, ObservationFilter, Store, StoreError};

#[cfg(test)]
mod tests;

/// An area a profile compares with, by code; `area` is `None` when the store has no area of
/// that code (a parent named by an area but not imported), so that the comparison still
/// names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparator {
    /// The area's code.
    pub code: AreaCode,
    /// The area, when the store has it.
    pub area: Option<Area>,
}

impl Comparator {
    /// The area's name, when the store has it.
    pub fn name(&self) -> Option<&str> {
        self.area.as_ref().map(|area| area.name.as_str())
    }
}

/// An area's indicators next to its comparators.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The area.
    pub area: Area,
    /// Its parent chain, nearest first, ending with the Netherlands ([`comparator_codes`]).
    pub comparators: Vec<Comparator>,
    /// The indicators the area has observations of, in the order asked for.
    pub indicators: Vec<ProfileIndicator>,
    /// The stored sources of those indicators, by id.
    pub sources: Vec<Source>,
}

impl Profile {
    /// The source ids of the profile's indicators (including ids the store has no source
    /// record of).
    pub fn source_ids(&self) -> BTreeSet<String> {
        self.indicators
            .iter()
            .map(|indicator| indicator.def.source.clone())
            .collect()
    }

    /// The stored source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|source| source.id == id)
    }
}

/// One indicator of a [`Profile`]: the area's series with the comparators' values.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileIndicator {
    /// The catalogue's definition.
    pub def: IndicatorDef,
    /// The area's observations, by year ascending.
    pub series: Vec<ProfilePoint>,
}

impl ProfileIndicator {
    /// The latest point with a value, else the latest point: an area's key figure.
    pub fn latest(&self) -> Option<&ProfilePoint> {
        self.series
            .iter()
            .rev()
            .find(|point| point.value.value().is_some())
            .or_else(|| self.series.last())
    }
}

/// The area's observation of one year, with the comparators' values of the same year.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilePoint {
    /// The year.
    pub year: Year,
    /// The area's value, or why it is missing.
    pub value: CellValue,
    /// How the value was made.
    pub method: Option<Method>,
    /// The provenance note.
    pub note: String,
    /// Each comparator's value or missing reason in the same year, in the order of
    /// [`Profile::comparators`]; `None` where the comparator has no observation.
    pub comparators: Vec<Option<CellValue>>,
}

/// The codes of the areas an area is compared with: its parent chain, nearest first, as far as
/// `parent_of` knows parents, then the Netherlands, which is always last (unless the area is
/// the Netherlands). `parent_of` gives the parent of a known area.
pub fn comparator_codes(
    code: &AreaCode,
    mut parent_of: impl FnMut(&AreaCode) -> Option<AreaCode>,
) -> Vec<AreaCode> {
    let mut chain: Vec<AreaCode> = Vec::new();
    let mut current = parent_of(code);
    while let Some(parent) = current {
        // A register with a cycle of parents would otherwise never end.
        if &parent == code || chain.contains(&parent) {
            break;
        }
        current = parent_of(&parent);
        chain.push(parent);
    }
    let netherlands = AreaCode::netherlands();
    if code != &netherlands && !chain.contains(&netherlands) {
        chain.push(netherlands);
    }
    chain
}

/// The area of `code` from the store.
fn read_area(store: &dyn Store, code: &AreaCode) -> Result<Option<Area>, StoreError> {
    Ok(store
        .areas(&AreaFilter {
            codes: vec![code.clone()],
            ..AreaFilter::default()
        })?
        .pop())
}

/// The area of `code` and its comparators, read one parent at a time; `None` for an area the
/// store does not have.
pub fn area_with_comparators(
    store: &dyn Store,
    code: &AreaCode,
) -> Result<Option<(Area, Vec<Comparator>)>, StoreError> {
    let Some(area) = read_area(store, code)? else {
        return Ok(None);
    };
    let mut read: BTreeMap<AreaCode, Area> = BTreeMap::new();
    read.insert(area.code.clone(), area.clone());
    let mut error = None;
    let codes = comparator_codes(code, |child| {
        let parent = read.get(child)?.parent.clone()?;
        match read_area(store, &parent) {
            Ok(Some(found)) => {
                read.insert(parent.clone(), found);
            }
            Ok(None) => {}
            Err(failed) => error = Some(failed),
        }
        Some(parent)
    });
    if let Some(error) = error {
        return Err(error);
    }
    let mut comparators = Vec::with_capacity(codes.len());
    for code in codes {
        let area = match read.remove(&code) {
            Some(area) => Some(area),
            // The Netherlands is added at the end without being anyone's parent.
            None => read_area(store, &code)?,
        };
        comparators.push(Comparator { code, area });
    }
    Ok(Some((area, comparators)))
}

/// The profile of the area `code`: each of `indicators` (in this order; the whole catalogue in
/// its order when empty) that the area has observations of, its series by year with the
/// comparators' values, method and note. `None` for an area the store does not have; unknown
/// indicator ids are left out.
pub fn profile(
    store: &dyn Store,
    code: &AreaCode,
    indicators: &[String],
) -> Result<Option<Profile>, StoreError> {
    let Some((area, comparators)) = area_with_comparators(store, code)? else {
        return Ok(None);
    };
    let catalogue = store.indicators()?;
    let mut areas = vec![area.code.clone()];
    areas.extend(comparators.iter().map(|c| c.code.clone()));
    let observations = store.observations(&ObservationFilter {
        indicators: indicators.to_vec(),
        areas,
        ..ObservationFilter::default()
    })?;
    let mut index: BTreeMap<(&str, &AreaCode), BTreeMap<Year, &Observation>> = BTreeMap::new();
    for observation in &observations {
        index
            .entry((observation.indicator.as_str(), &observation.area))
            .or_default()
            .insert(observation.year, observation);
    }
    let wanted: Vec<&IndicatorDef> = if indicators.is_empty() {
        catalogue.iter().collect()
    } else {
        indicators
            .iter()
            .filter_map(|id| catalogue.iter().find(|def| &def.id == id))
            .collect()
    };
    let mut entries = Vec::with_capacity(wanted.len());
    for def in wanted {
        let Some(own) = index.get(&(def.id.as_str(), &area.code)) else {
            continue;
        };
        let series = own
            .values()
            .map(|observation| ProfilePoint {
                year: observation.year,
                value: observation.value,
                method: observation.provenance.method,
                note: observation.provenance.note.clone(),
                comparators: comparators
                    .iter()
                    .map(|comparator| {
                        index
                            .get(&(def.id.as_str(), &comparator.code))
                            .and_then(|years| years.get(&observation.year))
                            .map(|o| o.value)
                    })
                    .collect(),
            })
            .collect();
        entries.push(ProfileIndicator {
            def: def.clone(),
            series,
        });
    }
    let ids: BTreeSet<&str> = entries.iter().map(|e| e.def.source.as_str()).collect();
    let sources = store
        .sources()?
        .into_iter()
        .filter(|source| ids.contains(source.id.as_str()))
        .collect();
    Ok(Some(Profile {
        area,
        comparators,
        indicators: entries,
        sources,
    }))
}

/// Everything a fact sheet of one area is built from, read from a store (the fact-sheet crate
/// builds and renders the sheet from it).
#[derive(Debug, Clone, PartialEq)]
pub struct FactsheetInputs {
    /// The area of the sheet.
    pub area: Area,
    /// For an area below the municipality (a district, a neighbourhood, a postcode area): its
    /// municipality, compared with too.
    pub municipality: Option<Area>,
    /// Its province.
    pub province: Option<Area>,
    /// The Netherlands.
    pub country: Option<Area>,
    /// The area the map inset places the sheet's area in: its parent.
    pub map_parent: Option<Area>,
    /// The areas of the sheet's level in `map_parent`, with their boundaries, the sheet's area
    /// among them.
    pub map_areas: Vec<Area>,
    /// The stored catalogue; the sheet shows the indicators with a fact-sheet flag.
    pub indicators: Vec<IndicatorDef>,
    /// Observations of the flagged indicators for the area, its municipality, province and
    /// country and the areas of the map inset, every year.
    pub observations: Vec<Observation>,
    /// The stored sources.
    pub sources: Vec<Source>,
    /// The date of the sheet (ISO 8601, `YYYY-MM-DD`): the day of the store's latest import.
    pub date: String,
}

/// The inputs of the fact sheet of `code`; `None` for an area the store does not have.
///
/// The sheet is dated by the store's latest import (`Store::latest_import`, else the newest
/// source's `imported_at`), never by the clock, on purpose: the same data gives the same sheet
/// whoever renders it, the server today or `leefbaar factsheet` next week.
pub fn factsheet_inputs(
    store: &dyn Store,
    code: &AreaCode,
) -> Result<Option<FactsheetInputs>, StoreError> {
    let Some((area, comparators)) = area_with_comparators(store, code)? else {
        return Ok(None);
    };
    let of_level = |level: AreaLevel| {
        comparators
            .iter()
            .filter_map(|c| c.area.as_ref())
            .find(|a| a.level() == level)
            .cloned()
    };
    // An area below the municipality is compared with its municipality too; a municipality
    // with its province and the country only.
    let municipality = (area.level() > AreaLevel::Municipality)
        .then(|| of_level(AreaLevel::Municipality))
        .flatten();
    let province = of_level(AreaLevel::Province);
    let country = of_level(AreaLevel::Country);
    let map_parent = comparators
        .iter()
        .find(|c| Some(&c.code) == area.parent.as_ref())
        .and_then(|c| c.area.clone());
    let map_areas = match &map_parent {
        Some(parent) => store.areas(&AreaFilter {
            level: Some(area.level()),
            parent: Some(parent.code.clone()),
            with_geometry: true,
            ..AreaFilter::default()
        })?,
        None => Vec::new(),
    };
    let indicators = store.indicators()?;
    let flagged: Vec<String> = indicators
        .iter()
        .filter(|def| def.factsheet.is_some())
        .map(|def| def.id.clone())
        .collect();
    let mut areas = vec![area.code.clone()];
    areas.extend(
        [&municipality, &province, &country]
            .into_iter()
            .flatten()
            .map(|a| a.code.clone()),
    );
    areas.extend(
        map_areas
            .iter()
            .filter(|a| a.code != area.code)
            .map(|a| a.code.clone()),
    );
    // An empty indicator filter would read every indicator: no flag, no observations.
    let observations = if flagged.is_empty() {
        Vec::new()
    } else {
        store.observations(&ObservationFilter {
            indicators: flagged,
            areas,
            ..ObservationFilter::default()
        })?
    };
    let sources = store.sources()?;
    let imported_at = match store.latest_import()? {
        Some(import) => import.imported_at,
        None => sources
            .iter()
            .map(|s| s.imported_at.clone())
            .max()
            .unwrap_or_default(),
    };
    let date = imported_at.get(..10).unwrap_or(&imported_at).to_owned();
    Ok(Some(FactsheetInputs {
        area,
        municipality,
        province,
        country,
        map_parent,
        map_areas,
        indicators,
        observations,
        sources,
        date,
    }))
}
