//! The import pipeline as one library call: a bundle's manifest in, one store transaction out.
//!
//! Reads the tables and areas (`leefbaar-ingest`), builds the bundle's catalogue, computes every
//! indicator, adds the monitors that compute (the projection of every municipality, reach from
//! the bundle's population points), and writes all of it with a record of the bundle in one
//! transaction: a bad file, or any failure on the way, leaves the store as it was.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use leefbaar_indicators::Computed;
use leefbaar_ingest::Progress;
use leefbaar_model::{Area, AreaCode, AreaLevel, BundleImport, Fact, LocalizedText, Year};
use leefbaar_network::Profile;
use leefbaar_store::{ImportBatch, ImportSummary, StoreLocation};

use crate::bundle::{BundleSettings, catalogue_for_import, digest, resolve_province};
use crate::error::MonitorError;
use crate::projection;
use crate::reach::{self, ReachMonitor, ReachOptions};

/// What to import, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The bundle's `manifest.toml`.
    pub manifest: PathBuf,
    /// The store to write: an SQLite file (created when missing) or a PostgreSQL database.
    pub store: StoreLocation,
    /// Where prepared road graphs are cached; the SQLite file's directory when `None`.
    pub cache_dir: Option<PathBuf>,
    /// A catalogue to use instead of the built-in one (the bundle's own still extends it).
    pub catalogue: Option<PathBuf>,
    /// The province to monitor instead of the manifest's (a code or a name).
    pub province: Option<String>,
    /// Compute reach, when the bundle declares it.
    pub reach: bool,
    /// Measure reach over this OpenStreetMap extract instead of by straight line.
    pub network: Option<PathBuf>,
    /// Measure every reach kind on this profile instead of each kind's own.
    pub profile: Option<Profile>,
    /// Compute the projection, when the bundle declares it.
    pub projection: bool,
}

impl ImportOptions {
    /// Everything the bundle declares, by straight line, into `store`.
    pub fn new(manifest: impl Into<PathBuf>, store: impl Into<StoreLocation>) -> ImportOptions {
        ImportOptions {
            manifest: manifest.into(),
            store: store.into(),
            cache_dir: None,
            catalogue: None,
            province: None,
            reach: true,
            network: None,
            profile: None,
            projection: true,
        }
    }
}

/// A monitor or level the import (or a server) leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The monitor (`reach`, `projection`, `survey`, or `bundle` for all of them) or level
    /// (`district`, `neighbourhood`, `postcode`).
    pub what: String,
    /// Why, in a sentence in Dutch and English (shown on the dashboard and in messages).
    pub reason: LocalizedText,
}

impl LeftOut {
    /// `what` is left out because of `nl` / `en`.
    pub fn new(what: &str, nl: impl Into<String>, en: impl Into<String>) -> LeftOut {
        LeftOut {
            what: what.to_owned(),
            reason: LocalizedText {
                nl: nl.into(),
                en: en.into(),
            },
        }
    }
}

/// What an import wrote, and what it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// Rows written.
    pub summary: ImportSummary,
    /// The monitored province.
    pub province: AreaCode,
    /// Its name.
    pub province_name: String,
    /// Monitors left out, with their reasons.
    pub left_out: Vec<LeftOut>,
    /// Odd-but-legal data met by the indicator engine (stored as missing values with reasons).
    pub findings: usize,
    /// Reach records that could not be placed on the road network.
    pub reach_findings: Vec<String>,
}

/// Imports the bundle `options.manifest` into `options.store`, all or nothing; `imported_at`
/// (RFC 3339, UTC) dates the sources and the record. `progress` is called before each step.
pub fn import_bundle(
    options: &ImportOptions,
    imported_at: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport, MonitorError> {
    // Steps of our own after the reader's: catalogue and indicators, projection, reach, store.
    const OWN_STEPS: usize = 4;
    let mut reader_total = 0;
    let mut bundle =
        leefbaar_ingest::load_manifest_with_progress(&options.manifest, &mut |step| {
            reader_total = step.total;
            progress(Progress {
                total: step.total + OWN_STEPS,
                ..step
            });
        })?;
    let total = reader_total + OWN_STEPS;
    let mut step = |done: usize, label: &str| {
        progress(Progress {
            done: reader_total + done,
            total,
            label: label.to_owned(),
        });
    };
    for source in &mut bundle.sources {
        imported_at.clone_into(&mut source.imported_at);
    }
    let spec = &bundle.spec;
    let (province, province_name) = resolve_province(
        &bundle.areas,
        options
            .province
            .as_deref()
            .unwrap_or(spec.province.as_str()),
    )?;
    let mut left_out = Vec::new();

    // Reach is prepared first: whether it has origins in the province decides whether its
    // indicators belong in the catalogue.
    let cache_dir = options.cache_dir.clone().unwrap_or_else(|| {
        options
            .store
            .directory()
            .unwrap_or(Path::new("."))
            .to_path_buf()
    });
    let reach = match (&spec.reach, options.reach) {
        (None, _) => {
            left_out.push(LeftOut::new(
                "reach",
                "de bundel bevat geen [reach]",
                "the bundle declares no [reach]",
            ));
            None
        }
        (Some(_), false) => {
            left_out.push(LeftOut::new(
                "reach",
                "weggelaten op verzoek (--no-reach)",
                "left out on request (--no-reach)",
            ));
            None
        }
        (Some(reach_spec), true) => {
            step(0, "preparing reach of facilities");
            let monitor = ReachMonitor::prepare(
                reach_spec,
                (&province, &province_name),
                &ReachOptions {
                    network: options.network.clone(),
                    profile: options.profile,
                    cache_dir: cache_dir.clone(),
                },
            )?;
            if monitor.covers(&province) {
                Some(monitor)
            } else {
                left_out.push(LeftOut::new(
                    "reach",
                    format!("de herkomstpunten voor bereikbaarheid in de bundel liggen buiten {province_name}"),
                    format!("the bundle's population points for reach lie outside {province_name}"),
                ));
                None
            }
        }
    };

    step(1, "computing indicators");
    let catalogue = catalogue_for_import(
        spec,
        options.catalogue.as_deref(),
        reach.is_some(),
        options.network.is_some(),
    )?;
    check_additivity(&catalogue, &bundle)?;
    let mut computed = leefbaar_indicators::compute(&catalogue, &bundle.areas, &bundle.facts);

    match (&spec.projection, options.projection) {
        (None, _) => left_out.push(LeftOut::new(
            "projection",
            "de bundel bevat geen [projection]",
            "the bundle declares no [projection]",
        )),
        (Some(_), false) => left_out.push(LeftOut::new(
            "projection",
            "weggelaten op verzoek (--no-projection)",
            "left out on request (--no-projection)",
        )),
        (Some(projection_spec), true) => {
            step(2, "projecting the population to 2040");
            let setup = projection::national_setup(&projection_spec.inputs)?;
            let horizon = Year::new(projection::HORIZON).expect("a year in range");
            // The stored indicators use the variants only; intervals are for the server and
            // `leefbaar project`.
            let run =
                projection::run_national(&setup, horizon, 20, Vec::new()).map_err(|source| {
                    MonitorError::Projection {
                        dir: projection_spec.inputs.clone(),
                        source: Box::new(source),
                    }
                })?;
            let mut facts = projection::facts(&run);
            if let Some(care) = &projection_spec.care {
                let prevalence = crate::care::read_prevalence(care)?;
                facts.extend(
                    crate::care::dementia_facts(&setup, horizon, &prevalence).map_err(
                        |source| MonitorError::Projection {
                            dir: projection_spec.inputs.clone(),
                            source: Box::new(source),
                        },
                    )?,
                );
                bundle.sources.push(crate::care::source(care, imported_at));
            }
            // The projection keeps the base year's division of municipalities for every year,
            // so it is aggregated over areas that exist in its years, apart from the observed
            // series (whose division changes with mergers).
            let mut areas = projection_areas(&bundle.areas, &facts);
            extend_area_years(&mut areas, &facts);
            merge(
                &mut computed,
                leefbaar_indicators::compute(&catalogue, &areas, &facts),
            );
            bundle
                .sources
                .push(projection::source(projection_spec, imported_at));
        }
    }

    if let Some(schools_spec) = &spec.schools {
        step(2, "reading the school data");
        let schools = crate::schools::Schools::read(schools_spec)?;
        // The files cover the monitored province's schools, so its municipalities without one
        // have none of those pupils (0), and other provinces nothing.
        let covered: Vec<Area> = bundle
            .areas
            .iter()
            .filter(|a| {
                a.level() == AreaLevel::Municipality && a.parent.as_ref() == Some(&province)
            })
            .cloned()
            .collect();
        merge(
            &mut computed,
            leefbaar_indicators::compute(&catalogue, &bundle.areas, &schools.facts(&covered)),
        );
        bundle
            .sources
            .push(crate::schools::source(schools_spec, imported_at));
    }

    if let Some(reach) = &reach {
        step(3, "computing reach of facilities");
        let facts = reach::facts(reach);
        extend_neighbourhoods(&mut bundle.areas, &facts, reach.spec().year);
        let mut reached = leefbaar_indicators::compute(&catalogue, &bundle.areas, &facts);
        reach::annotate(reach, &mut reached);
        merge(&mut computed, reached);
        bundle.sources.push(reach::source(
            reach.spec(),
            options.network.is_some(),
            imported_at,
        ));
    }

    match (&spec.aed, &reach) {
        (None, _) => {}
        (Some(_), None) => left_out.push(crate::aed::left_out_without_reach()),
        (Some(aed_spec), Some(reach)) => {
            step(3, "computing AED coverage");
            let aed = crate::aed::AedMonitor::prepare(aed_spec, reach)?;
            let facts = crate::aed::facts(&aed);
            extend_neighbourhoods(&mut bundle.areas, &facts, aed_spec.year);
            let mut covered = leefbaar_indicators::compute(&catalogue, &bundle.areas, &facts);
            crate::aed::annotate(&mut covered);
            merge(&mut computed, covered);
            bundle
                .sources
                .push(crate::aed::source(aed_spec, imported_at));
        }
    }

    step(OWN_STEPS, "writing the store");
    let settings = BundleSettings {
        province: province.to_string(),
        reach: reach.is_some(),
        network: options
            .network
            .as_ref()
            .map(|path| std::path::absolute(path).unwrap_or_else(|_| path.clone())),
        profile: options.profile.map(|p| p.to_string()),
        projection: options.projection && spec.projection.is_some(),
        left_out: left_out
            .iter()
            .map(|l| crate::bundle::RecordedLeftOut {
                what: l.what.clone(),
                nl: l.reason.nl.clone(),
                en: l.reason.en.clone(),
            })
            .collect(),
    };
    let record = BundleImport {
        bundle_id: spec.id.clone(),
        bundle_name: spec.name.clone(),
        bundle_version: spec.version.clone(),
        manifest: std::path::absolute(&options.manifest)?
            .display()
            .to_string(),
        digest: digest(&options.manifest, spec, &bundle.files)?,
        province: province.clone(),
        settings: settings.to_text(),
        imported_at: imported_at.to_owned(),
    };
    let findings = computed.findings.len();
    let batch = ImportBatch {
        sources: bundle.sources,
        areas: bundle.areas,
        indicators: catalogue.indicators().to_vec(),
        observations: computed.observations,
        postcodes: bundle.postcodes,
        places: bundle.places,
        bundle: Some(record),
    };
    let mut store = options.store.open()?;
    let summary = store.import(&batch)?;
    Ok(ImportReport {
        summary,
        province,
        province_name,
        left_out,
        findings,
        reach_findings: reach
            .iter()
            .flat_map(|r| r.findings())
            .map(ToString::to_string)
            .collect(),
    })
}

/// The manifest's facts and the catalogue must agree on which variables add up over areas: the
/// importer's lineage sums every variable the manifest does not declare `additive = false`
/// into merged municipalities, and the engine sums every variable the catalogue declares
/// additive into provinces. A score summed by either would be served as a number nobody
/// published.
fn check_additivity(
    catalogue: &leefbaar_indicators::Catalogue,
    bundle: &leefbaar_ingest::Bundle,
) -> Result<(), MonitorError> {
    let variables: std::collections::BTreeSet<&str> = bundle
        .facts
        .iter()
        .map(|fact| fact.variable.as_str())
        .collect();
    let mut problems = Vec::new();
    for id in variables {
        let Some(variable) = catalogue.variable(id) else {
            continue;
        };
        let in_manifest = bundle.non_additive.iter().all(|other| other != id);
        match (variable.additive, in_manifest) {
            (false, true) => problems.push(format!(
                "variable `{id}` is `additive = false` in the catalogue, but the manifest's facts for it are not: add `additive = false` to them"
            )),
            (true, false) => problems.push(format!(
                "variable `{id}` is `additive = false` in the manifest's facts, but additive in the catalogue: declare it `additive = false` there and show it with kind `published`"
            )),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(MonitorError::Bundle(problems.join("; ")))
    }
}

/// The neighbourhood map may be older than a monitor's year; the monitor computes on it for
/// that year, so the neighbourhoods with its `facts` are stored as existing then too.
fn extend_neighbourhoods(areas: &mut [Area], facts: &[Fact], year: Year) {
    let reached: HashSet<&AreaCode> = facts
        .iter()
        .filter(|fact| fact.area.level() == AreaLevel::Neighbourhood)
        .map(|fact| &fact.area)
        .collect();
    for area in areas.iter_mut().filter(|area| reached.contains(&area.code)) {
        area.last_year = area.last_year.max(year);
    }
}

fn merge(computed: &mut Computed, more: Computed) {
    computed.observations.extend(more.observations);
    computed.findings.extend(more.findings);
}

/// The areas of the projection's division: municipalities it projects, with the provinces and
/// the country they roll up into.
fn projection_areas(areas: &[Area], facts: &[Fact]) -> Vec<Area> {
    let projected: HashSet<&AreaCode> = facts.iter().map(|fact| &fact.area).collect();
    areas
        .iter()
        .filter(|area| area.level() <= AreaLevel::Province || projected.contains(&area.code))
        .cloned()
        .collect()
}

/// Areas exist in every year they have facts for, so the engine sums projected municipalities
/// into the provinces and the Netherlands for the projection's years too.
fn extend_area_years(areas: &mut [Area], facts: &[Fact]) {
    let mut spans: HashMap<&AreaCode, (Year, Year)> = HashMap::new();
    for fact in facts {
        let span = spans.entry(&fact.area).or_insert((fact.year, fact.year));
        span.0 = span.0.min(fact.year);
        span.1 = span.1.max(fact.year);
    }
    for area in areas.iter_mut() {
        if let Some((first, last)) = spans.get(&area.code) {
            area.first_year = area.first_year.min(*first);
            area.last_year = area.last_year.max(*last);
        }
    }
    // The country and the provinces hold whatever their municipalities hold.
    if let Some(last) = spans.values().map(|span| span.1).max() {
        for area in areas.iter_mut() {
            if area.level() <= AreaLevel::Province {
                area.last_year = area.last_year.max(last);
            }
        }
    }
}
