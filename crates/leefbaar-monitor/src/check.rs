//! Checking a bundle without importing it: everything an import reads is read, every problem
//! is collected (not only the first), and nothing is written.
//!
//! [`check_bundle`] reads the manifest, every table and boundary file
//! ([`leefbaar_ingest::check_manifest`], which goes on past a bad file), the catalogue
//! ([`catalogue_for`]: the built-in one, the entries generated for the reach kinds, the
//! bundle's own), the reach inputs (prepared by straight line, as [`ReachMonitor`]), the
//! projection's inputs ([`projection::national_setup`]) and the citizens' panel when the bundle
//! declares one (read and weighted as the server does). Each part is checked even when another
//! failed, and every problem names its file and, where the reader knows them, its line and
//! field. The [`CheckReport`] also summarises what an import would hold: areas by level, facts,
//! indicators, and the monitors present or left out with their reasons.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use leefbaar_indicators::{Catalogue, CatalogueError, CatalogueProblem};
use leefbaar_ingest::{BundleSpec, ImportError, Position, ReachSpec, SurveySpec};
use leefbaar_model::{AreaCode, AreaLevel, IndicatorDef, Year};

use crate::bundle::{catalogue_for, resolve_province};
use crate::error::MonitorError;
use crate::import::LeftOut;
use crate::projection::{self, Province};
use crate::reach::{self, ReachInputs, ReachMonitor, ReachOptions};

/// What to check, with the same choices as an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// The bundle's `manifest.toml`.
    pub manifest: PathBuf,
    /// A catalogue to use instead of the built-in one (the bundle's own still extends it).
    pub catalogue: Option<PathBuf>,
    /// The province to monitor instead of the manifest's (a code or a name).
    pub province: Option<String>,
    /// Check reach, when the bundle declares it.
    pub reach: bool,
    /// Check the projection's inputs, when the bundle declares them.
    pub projection: bool,
}

impl CheckOptions {
    /// Everything the bundle declares.
    pub fn new(manifest: impl Into<PathBuf>) -> CheckOptions {
        CheckOptions {
            manifest: manifest.into(),
            catalogue: None,
            province: None,
            reach: true,
            projection: true,
        }
    }
}

/// The part of a bundle a problem was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CheckPart {
    /// The manifest and the tables, boundaries, postcodes, places and lineage it names.
    Tables,
    /// The indicator catalogue: built-in (or replaced), generated for reach, the bundle's own.
    Catalogue,
    /// Reach: population points and facilities.
    Reach,
    /// The population projection's inputs.
    Projection,
    /// The citizens' panel.
    Survey,
    /// AED coverage: the register and the responders.
    Aed,
    /// Hospital scenarios: the north's population points, hospitals and ambulance posts.
    Hospitals,
    /// The national typology: its table of municipalities, classed with the projection.
    Typology,
}

impl CheckPart {
    /// `tables`, `catalogue`, `reach`, `projection`, `survey`, `aed`, `hospitals` or
    /// `typology`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckPart::Tables => "tables",
            CheckPart::Catalogue => "catalogue",
            CheckPart::Reach => "reach",
            CheckPart::Projection => "projection",
            CheckPart::Survey => "survey",
            CheckPart::Aed => "aed",
            CheckPart::Hospitals => "hospitals",
            CheckPart::Typology => "typology",
        }
    }
}

/// One problem that would stop an import (or leave a monitor out of `serve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckProblem {
    /// The part of the bundle.
    pub part: CheckPart,
    /// The file, as its reader names it, when known.
    pub file: Option<String>,
    /// The 1-based line, when the reader gives one.
    pub line: Option<u64>,
    /// The column, property or key concerned, when the reader gives one.
    pub field: Option<String>,
    /// What is wrong, as the reader says it (with its position: `line 3, field `x`: …`).
    pub message: String,
}

impl fmt::Display for CheckProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            None => f.write_str(&self.message),
            // The readers' own shape: `file, line 3, field …` and `file: message`.
            Some(file)
                if ["line ", "feature ", "whole file"]
                    .iter()
                    .any(|start| self.message.starts_with(start)) =>
            {
                write!(f, "{file}, {}", self.message)
            }
            Some(file) => write!(f, "{file}: {}", self.message),
        }
    }
}

/// The bundle's identity, from `[bundle]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleInfo {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its own catalogue, if it has one.
    pub catalogue: Option<PathBuf>,
}

/// What the tables hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    /// Declared sources (files).
    pub sources: usize,
    /// Areas per level, coarse to fine (levels without areas left out).
    pub areas: Vec<(AreaLevel, usize)>,
    /// Facts (values of base variables per area and year), missing ones included.
    pub facts: usize,
    /// Facts without a value (with their reason).
    pub missing_facts: usize,
    /// The base variables the facts give, sorted.
    pub variables: Vec<String>,
    /// The first and last year of the facts.
    pub years: Option<(Year, Year)>,
    /// Postcode areas for search.
    pub postcodes: usize,
    /// Named places for the map.
    pub places: usize,
}

/// What the catalogue holds, and where its indicators come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueSummary {
    /// Indicators in all.
    pub indicators: usize,
    /// From the built-in catalogue (or the one given instead of it), not replaced.
    pub built_in: usize,
    /// Generated for the manifest's reach kinds.
    pub generated: usize,
    /// The bundle's own new indicators, by id.
    pub own: Vec<String>,
    /// Built-in or generated indicators the bundle's catalogue replaces (`replace = true`).
    pub replaced: Vec<String>,
    /// Indicators with a fact (or a monitor) for every base variable they need, i.e. with
    /// values after an import.
    pub with_data: usize,
}

/// A monitor the import (or the server) would compute, with what it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorSummary {
    /// `reach`, `projection`, `survey` or `aed`.
    pub what: String,
    /// What it has, in a line of English (`5 kinds, 1,234 facilities, …`).
    pub detail: String,
}

/// Everything [`check_bundle`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// The manifest checked.
    pub manifest: PathBuf,
    /// `[bundle]`, when the manifest could be read.
    pub bundle: Option<BundleInfo>,
    /// The monitored province and its name, when the areas could be read.
    pub province: Option<(AreaCode, String)>,
    /// Every problem, by part, each part in its reading order.
    pub problems: Vec<CheckProblem>,
    /// What is legal but probably not meant (facts no indicator uses, an indicator no fact
    /// feeds, a region left out): the import goes ahead.
    pub warnings: Vec<String>,
    /// What the tables hold, when they could all be read.
    pub tables: Option<TableSummary>,
    /// What the catalogue holds, when it is valid.
    pub catalogue: Option<CatalogueSummary>,
    /// The monitors present.
    pub monitors: Vec<MonitorSummary>,
    /// The monitors left out, with their reasons.
    pub left_out: Vec<LeftOut>,
}

impl CheckReport {
    /// True when nothing would stop an import.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn new(manifest: &Path) -> CheckReport {
        CheckReport {
            manifest: manifest.to_owned(),
            bundle: None,
            province: None,
            problems: Vec::new(),
            warnings: Vec::new(),
            tables: None,
            catalogue: None,
            monitors: Vec::new(),
            left_out: Vec::new(),
        }
    }

    fn monitor(&mut self, what: &str, detail: String) {
        self.monitors.push(MonitorSummary {
            what: what.to_owned(),
            detail,
        });
    }
}

/// Checks the bundle `options.manifest` as an import with the same options would read it, and
/// reports every problem and what the import would hold. Reads files only; writes nothing.
pub fn check_bundle(options: &CheckOptions) -> CheckReport {
    let mut report = CheckReport::new(&options.manifest);
    // Without its sections nothing else can be found: the manifest names every other file.
    let spec = match leefbaar_ingest::read_bundle_spec(&options.manifest) {
        Ok((spec, _)) => spec,
        Err(error) => {
            report
                .problems
                .extend(ingest_problems(CheckPart::Tables, &error));
            return report;
        }
    };
    report.bundle = Some(BundleInfo {
        id: spec.id.clone(),
        name: spec.name.clone(),
        version: spec.version.clone(),
        catalogue: spec.catalogue.clone(),
    });

    let bundle = match leefbaar_ingest::check_manifest(&options.manifest) {
        Ok(bundle) => Some(bundle),
        Err(errors) => {
            for error in &errors {
                report
                    .problems
                    .extend(ingest_problems(CheckPart::Tables, error));
            }
            None
        }
    };
    if let Some(bundle) = &bundle {
        report.tables = Some(table_summary(bundle));
        let wanted = options
            .province
            .as_deref()
            .unwrap_or(spec.province.as_str());
        match resolve_province(&bundle.areas, wanted) {
            Ok(province) => report.province = Some(province),
            Err(error) => report.problems.push(CheckProblem {
                part: CheckPart::Tables,
                file: Some(options.manifest.display().to_string()),
                line: None,
                field: Some("province".to_owned()),
                message: format!("[bundle], field `province`: {error}"),
            }),
        }
    }
    // The monitors are checked for the province even when the tables are not readable.
    let province = report
        .province
        .clone()
        .unwrap_or_else(|| (spec.province.clone(), spec.province.to_string()));

    let with_reach = match (&spec.reach, options.reach) {
        (None, _) => {
            report.left_out.push(LeftOut::new(
                "reach",
                "de bundel bevat geen [reach]",
                "the bundle declares no [reach]",
            ));
            false
        }
        (Some(_), false) => {
            report.left_out.push(LeftOut::new(
                "reach",
                "weggelaten op verzoek (--no-reach)",
                "left out on request (--no-reach)",
            ));
            false
        }
        (Some(reach), true) => check_reach(reach, &province, &mut report),
    };

    let catalogue = check_catalogue(&spec, options, with_reach, &mut report);

    match (&spec.projection, options.projection) {
        (None, _) => report.left_out.push(LeftOut::new(
            "projection",
            "de bundel bevat geen [projection]",
            "the bundle declares no [projection]",
        )),
        (Some(_), false) => report.left_out.push(LeftOut::new(
            "projection",
            "weggelaten op verzoek (--no-projection)",
            "left out on request (--no-projection)",
        )),
        (Some(projection_spec), true) => {
            check_projection(projection_spec, &province, &mut report);
        }
    }

    match &spec.survey {
        None => report.left_out.push(LeftOut::new(
            "survey",
            "de bundel bevat geen [survey]",
            "the bundle declares no [survey]",
        )),
        Some(survey) => check_survey(survey, &mut report),
    }

    match (&spec.aed, with_reach) {
        (None, _) => report.left_out.push(LeftOut::new(
            "aed",
            "de bundel bevat geen [aed]",
            "the bundle declares no [aed]",
        )),
        (Some(_), false) => report.left_out.push(crate::aed::left_out_without_reach()),
        (Some(aed), true) => check_aed(aed, &mut report),
    }

    match &spec.hospitals {
        None => report.left_out.push(LeftOut::new(
            "hospitals",
            "de bundel bevat geen [hospitals]",
            "the bundle declares no [hospitals]",
        )),
        Some(hospitals) => check_hospitals(hospitals, &mut report),
    }

    match (&spec.typology, &spec.projection, options.projection) {
        (None, _, _) => report.left_out.push(LeftOut::new(
            "typology",
            "de bundel bevat geen [typology]",
            "the bundle declares no [typology]",
        )),
        (Some(typology), Some(projection_spec), true) => {
            check_typology(typology, projection_spec, &province.0, &mut report);
        }
        (Some(_), _, _) => report.left_out.push(LeftOut::new(
            "typology",
            "de typologie volgt uit de prognose, die is weggelaten",
            "the typology follows from the projection, which is left out",
        )),
    }

    if let (Some(bundle), Some(catalogue)) = (&bundle, &catalogue) {
        let projected = options.projection && spec.projection.is_some();
        warn_about_data(&spec, bundle, catalogue, projected, &mut report);
    }
    report
}

fn table_summary(bundle: &leefbaar_ingest::Bundle) -> TableSummary {
    let mut areas: BTreeMap<AreaLevel, usize> = BTreeMap::new();
    for area in &bundle.areas {
        *areas.entry(area.level()).or_default() += 1;
    }
    let variables: BTreeSet<&str> = bundle
        .facts
        .iter()
        .map(|fact| fact.variable.as_str())
        .collect();
    let years = bundle.facts.iter().map(|fact| fact.year);
    TableSummary {
        sources: bundle.sources.len(),
        areas: areas.into_iter().collect(),
        facts: bundle.facts.len(),
        missing_facts: bundle
            .facts
            .iter()
            .filter(|fact| fact.value.value().is_none())
            .count(),
        variables: variables.into_iter().map(str::to_owned).collect(),
        years: years.clone().min().zip(years.max()),
        postcodes: bundle.postcodes.len(),
        places: bundle.places.len(),
    }
}

/// Reads every reach file on its own and prepares the monitor by straight line; whether the
/// import would keep reach (and so its generated indicators).
fn check_reach(spec: &ReachSpec, province: &(AreaCode, String), report: &mut CheckReport) -> bool {
    let mut inputs = ReachInputs::default();
    let mut errors = Vec::new();
    match &spec.grid {
        Some(grid) => errors.extend(inputs.add_grid_origins(&spec.origins, grid).err()),
        None => errors.extend(inputs.add_origins(&spec.origins).err()),
    }
    if let Some(path) = &spec.neighbourhood_origins {
        errors.extend(inputs.add_neighbourhood_origins(path).err());
    }
    for kind in &spec.kinds {
        errors.extend(inputs.add_facilities(&kind.file, &kind.id).err());
    }
    if !errors.is_empty() {
        for error in &errors {
            report
                .problems
                .extend(monitor_problems(CheckPart::Reach, error));
        }
        // The import would stop here; its generated entries are still checked.
        return true;
    }
    let origins = inputs.origins.len();
    let mut facilities: BTreeMap<&str, usize> = spec
        .kinds
        .iter()
        .map(|kind| (kind.id.as_str(), 0))
        .collect();
    for facility in &inputs.facilities {
        *facilities.entry(facility.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<String> = spec
        .kinds
        .iter()
        .map(|kind| format!("{} {}", kind.id, facilities[kind.id.as_str()]))
        .collect();
    for kind in &spec.kinds {
        if facilities[kind.id.as_str()] == 0 {
            report.warnings.push(format!(
                "{}: no facilities of kind `{}`, so its reach indicators will have no values",
                kind.file.display(),
                kind.id
            ));
        }
    }
    let options = ReachOptions::default();
    let monitor = match ReachMonitor::from_inputs(spec, inputs, &options) {
        Ok(monitor) => monitor,
        Err(error) => {
            report
                .problems
                .extend(monitor_problems(CheckPart::Reach, &error));
            return true;
        }
    };
    let (code, name) = province;
    if !monitor.covers(code) {
        report.left_out.push(LeftOut::new(
            "reach",
            format!("de herkomstpunten voor bereikbaarheid in de bundel liggen buiten {name}"),
            format!("the bundle's population points for reach lie outside {name}"),
        ));
        return false;
    }
    report.monitor(
        "reach",
        format!(
            "{} kinds with their facilities ({}), {origins} population points; measured by straight line × 1.3 unless `import --network` gives a road network",
            spec.kinds.len(),
            kinds.join(", ")
        ),
    );
    true
}

/// The AED register and the responders: read whole, or every problem with file, line, field.
fn check_aed(spec: &leefbaar_ingest::AedSpec, report: &mut CheckReport) {
    use leefbaar_aed::availability::always_available;
    let aeds = match leefbaar_aed::registration::read_register(&spec.register) {
        Ok(aeds) => Some(aeds),
        Err(error) => {
            report
                .problems
                .extend(monitor_problems(CheckPart::Aed, &MonitorError::from(error)));
            None
        }
    };
    let responders = match &spec.responders {
        None => Some(None),
        Some(path) => match crate::aed::read_responders(path) {
            Ok(by_pc4) => Some(Some(by_pc4)),
            Err(error) => {
                report
                    .problems
                    .extend(monitor_problems(CheckPart::Aed, &error));
                None
            }
        },
    };
    let (Some(aeds), Some(responders)) = (aeds, responders) else {
        return;
    };
    let day_and_night = aeds.iter().filter(|a| always_available(a)).count();
    let responders = responders.map_or_else(
        || "no responders".to_owned(),
        |by_pc4| {
            format!(
                "{:.0} responders in {} postcode areas",
                by_pc4.values().sum::<f64>(),
                by_pc4.len()
            )
        },
    );
    let synthetic = if spec.synthetic_notice.is_some() {
        "SYNTHETIC register: "
    } else {
        ""
    };
    report.monitor(
        "aed",
        format!(
            "{synthetic}{} AEDs ({day_and_night} day and night), {responders}; covered within {} m by straight line",
            aeds.len(),
            spec.within_m
        ),
    );
}

/// The hospital scenarios: everything `serve` prepares, read and ranked as it would be.
fn check_hospitals(spec: &leefbaar_ingest::HospitalsSpec, report: &mut CheckReport) {
    match crate::hospitals::HospitalMonitor::prepare(spec) {
        Ok(monitor) => {
            let total = monitor.scenario_of(&[]).total.persons;
            report.monitor(
                "hospitals",
                format!(
                    "{} population points ({:.0} persons, {:.0} aged 75+) in {} municipalities; {} hospitals, {} ambulance posts; approximate (straight line)",
                    monitor.places().len(),
                    total.all,
                    total.aged_75_plus,
                    monitor.municipalities().len(),
                    monitor.hospitals().len(),
                    monitor.posts().len()
                ),
            );
        }
        Err(error) => report
            .problems
            .extend(monitor_problems(CheckPart::Hospitals, &error)),
    }
}

/// The typology: its table read and every municipality classed, as `serve` prepares it.
fn check_typology(
    spec: &leefbaar_ingest::TypologySpec,
    projection_spec: &leefbaar_ingest::ProjectionSpec,
    province: &AreaCode,
    report: &mut CheckReport,
) {
    match crate::typology::Typology::prepare(spec, projection_spec, province) {
        Ok(typology) => report.monitor(
            "typology",
            format!(
                "{} municipalities by projected change {}–{} × {} degrees of urbanisation; shares for the Netherlands and {} provinces",
                typology.municipalities.len(),
                typology.from_year,
                typology.to_year,
                typology.degrees.len(),
                typology.areas.len().saturating_sub(1)
            ),
        ),
        Err(error) => report
            .problems
            .extend(monitor_problems(CheckPart::Typology, &error)),
    }
}

/// The catalogue an import would use, its problems and its summary; with it, the base
/// variables generated for the reach kinds.
fn check_catalogue(
    spec: &BundleSpec,
    options: &CheckOptions,
    with_reach: bool,
    report: &mut CheckReport,
) -> Option<(Catalogue, BTreeSet<String>)> {
    let catalogue = match catalogue_for(spec, options.catalogue.as_deref(), with_reach) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            report
                .problems
                .extend(monitor_problems(CheckPart::Catalogue, &error));
            return None;
        }
    };
    // The layers again, to tell where each indicator comes from (each one parsed above).
    let base = match &options.catalogue {
        Some(path) => fs_err::read_to_string(path)
            .ok()
            .and_then(|text| leefbaar_indicators::parse_catalogue(&text).ok())?,
        None => leefbaar_indicators::default_catalogue().clone(),
    };
    let generated = match (&spec.reach, with_reach) {
        (Some(reach), true) => base
            .extend("reach", &reach::catalogue_entries(reach))
            .ok()?,
        _ => base.clone(),
    };
    let reach_variables: BTreeSet<String> = generated
        .variables()
        .iter()
        .filter(|variable| base.variable(&variable.id).is_none())
        .map(|variable| variable.id.clone())
        .collect();
    let mut summary = CatalogueSummary {
        indicators: catalogue.indicators().len(),
        built_in: 0,
        generated: 0,
        own: Vec::new(),
        replaced: Vec::new(),
        with_data: 0,
    };
    for indicator in catalogue.indicators() {
        match generated.indicator(&indicator.id) {
            None => summary.own.push(indicator.id.clone()),
            Some(before) if before != indicator => summary.replaced.push(indicator.id.clone()),
            Some(_) if base.indicator(&indicator.id).is_some() => summary.built_in += 1,
            Some(_) => summary.generated += 1,
        }
    }
    report.catalogue = Some(summary);
    Some((catalogue, reach_variables))
}

fn check_projection(
    spec: &leefbaar_ingest::ProjectionSpec,
    province: &(AreaCode, String),
    report: &mut CheckReport,
) {
    let setup = match projection::national_setup(&spec.inputs) {
        Ok(setup) => setup,
        Err(error) => {
            report
                .problems
                .extend(monitor_problems(CheckPart::Projection, &error));
            return;
        }
    };
    if let Some(care) = &spec.care
        && let Err(error) = crate::care::read_prevalence(care)
    {
        report
            .problems
            .extend(monitor_problems(CheckPart::Projection, &error));
    }
    let (code, name) = province;
    let Some(members) = Province::of(&setup, code, name).map(|p| p.members) else {
        report.warnings.push(format!(
            "{}: the projection's inputs have no municipality of {name}, so `serve` shows no projection for it",
            spec.inputs.display()
        ));
        report.monitor(
            "projection",
            format!(
                "{} municipalities of {}, none in {name}",
                setup.setup.areas.len(),
                projection::BASE_YEAR
            ),
        );
        return;
    };
    for region in &spec.regions {
        let outside: Vec<&str> = region
            .members
            .iter()
            .filter(|member| !members.contains(member))
            .map(AreaCode::as_str)
            .collect();
        if !outside.is_empty() {
            report.warnings.push(format!(
                "[[projection.region]] `{}`, field `members`: {} not a municipality of {name} in {}, so the region is left out of the served projection",
                region.id,
                outside.join(", ") + if outside.len() == 1 { " is" } else { " are" },
                projection::BASE_YEAR
            ));
        }
    }
    report.monitor(
        "projection",
        format!(
            "{} municipalities of {} ({} in {name}), {} region{}, to {}",
            setup.setup.areas.len(),
            projection::BASE_YEAR,
            members.len(),
            spec.regions.len(),
            if spec.regions.len() == 1 { "" } else { "s" },
            projection::HORIZON
        ),
    );
}

/// Reads and weights the panel as the server does (`leefbaar-server`'s `SurveyData::load`).
fn check_survey(spec: &SurveySpec, report: &mut CheckReport) {
    use leefbaar_survey::{
        DisclosureRule, Estimator, Panel, RakeParams, Schema, parse_population, rake,
        standard_margins,
    };
    let read = |path: &Path| fs_err::read(path).map_err(MonitorError::Io);
    let mut problems = Vec::new();
    let name = |path: &Path| path.display().to_string();
    let schema = match fs_err::read_to_string(&spec.schema) {
        Ok(text) => Schema::from_toml(&name(&spec.schema), &text)
            .map_err(|error| problems.extend(survey_problems(&error)))
            .ok(),
        Err(error) => {
            problems.extend(monitor_problems(CheckPart::Survey, &error.into()));
            None
        }
    };
    let cells = match read(&spec.margins) {
        Ok(bytes) => parse_population(&name(&spec.margins), bytes.as_slice())
            .map_err(|error| problems.extend(survey_problems(&error)))
            .ok(),
        Err(error) => {
            problems.extend(monitor_problems(CheckPart::Survey, &error));
            None
        }
    };
    let panel = match (read(&spec.panel), schema) {
        (Ok(bytes), Some(schema)) => Panel::from_csv(schema, &name(&spec.panel), bytes.as_slice())
            .map_err(|error| problems.extend(survey_problems(&error)))
            .ok(),
        (Err(error), _) => {
            problems.extend(monitor_problems(CheckPart::Survey, &error));
            None
        }
        (Ok(_), None) => None,
    };
    if let (Some(panel), Some(cells)) = (&panel, &cells) {
        let weighted = standard_margins(panel, cells)
            .map_err(|error| format!("weighting the panel: {error}"))
            .and_then(|margins| {
                rake(&panel.design_weights(), &margins, &RakeParams::default())
                    .map_err(|error| format!("weighting the panel: {error}"))
            })
            .and_then(|raked| {
                Estimator::new(panel, &raked.weights, DisclosureRule::default())
                    .map(drop)
                    .map_err(|error| format!("estimating from the panel: {error}"))
            });
        if let Err(message) = weighted {
            problems.push(CheckProblem {
                part: CheckPart::Survey,
                file: Some(name(&spec.margins)),
                line: None,
                field: None,
                message,
            });
        }
    }
    if problems.is_empty()
        && let Some(panel) = panel
    {
        report.monitor(
            "survey",
            format!(
                "{} respondents, {} questions{}",
                panel.len(),
                panel.schema.questions.len(),
                if spec.synthetic_notice.is_some() {
                    " (SYNTHETIC)"
                } else {
                    ""
                }
            ),
        );
    }
    report.problems.extend(problems);
}

/// Warnings about data and catalogue that do not meet: facts of variables the catalogue does
/// not declare (ignored by the import), and the bundle's own indicators without facts.
fn warn_about_data(
    spec: &BundleSpec,
    bundle: &leefbaar_ingest::Bundle,
    (catalogue, reach_variables): &(Catalogue, BTreeSet<String>),
    projected: bool,
    report: &mut CheckReport,
) {
    let mut unknown: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for fact in &bundle.facts {
        if catalogue.variable(&fact.variable).is_none() {
            let sources = unknown.entry(fact.variable.as_str()).or_default();
            sources.extend(fact.rows.iter().map(|row| row.source.as_str()));
        }
    }
    for (variable, sources) in unknown {
        let sources: Vec<&str> = sources.into_iter().collect();
        report.warnings.push(format!(
            "{}: facts of `{variable}` (source {}) name a variable the catalogue does not declare; the import ignores them (declare it in the bundle's catalogue, or fix the name)",
            report.manifest.display(),
            sources.join(", ")
        ));
    }

    // Variables with values after an import: the tables' and the monitors'.
    let mut fed: BTreeSet<String> = bundle
        .facts
        .iter()
        .map(|fact| fact.variable.clone())
        .collect();
    fed.extend(reach_variables.iter().cloned());
    if projected {
        for indicator in catalogue.indicators() {
            if indicator.source == projection::SOURCE_ID {
                fed.extend(
                    catalogue
                        .variables_of(&indicator.id)
                        .into_iter()
                        .map(str::to_owned),
                );
            }
        }
    }
    let has_data = |indicator: &IndicatorDef| {
        let needs = catalogue.variables_of(&indicator.id);
        !needs.is_empty() && needs.iter().all(|variable| fed.contains(*variable))
    };
    let Some(summary) = report.catalogue.as_mut() else {
        return;
    };
    summary.with_data = catalogue
        .indicators()
        .iter()
        .filter(|i| has_data(i))
        .count();
    let file = spec
        .catalogue
        .as_ref()
        .map_or_else(String::new, |path| format!("{}: ", path.display()));
    let mut warnings = Vec::new();
    for id in summary.own.iter().chain(&summary.replaced) {
        let Some(indicator) = catalogue.indicator(id) else {
            continue;
        };
        if !has_data(indicator) {
            let missing: Vec<&str> = catalogue
                .variables_of(id)
                .into_iter()
                .filter(|variable| !fed.contains(*variable))
                .collect();
            warnings.push(format!(
                "{file}indicator `{id}`: no source of the bundle gives {}, so it will have no values",
                missing
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
        }
    }
    report.warnings.extend(warnings);
}

/// The problems of an ingest error: one per problem of a malformed file.
fn ingest_problems(part: CheckPart, error: &ImportError) -> Vec<CheckProblem> {
    match error {
        ImportError::Invalid { file, problems } => {
            let mut list: Vec<CheckProblem> = problems
                .list
                .iter()
                .map(|problem| CheckProblem {
                    part,
                    file: Some(file.clone()),
                    line: match problem.position {
                        Position::Line(line) => Some(line),
                        _ => None,
                    },
                    field: problem.field.clone(),
                    message: problem.to_string(),
                })
                .collect();
            if problems.omitted > 0 {
                list.push(CheckProblem {
                    part,
                    file: Some(file.clone()),
                    line: None,
                    field: None,
                    message: format!(
                        "{} more problems in this file, not listed",
                        problems.omitted
                    ),
                });
            }
            list
        }
        ImportError::Manifest { file, message } => vec![CheckProblem {
            part,
            file: Some(file.display().to_string()),
            line: toml_line(message),
            field: None,
            message: message.clone(),
        }],
        other => vec![CheckProblem {
            part,
            file: None,
            line: None,
            field: None,
            message: other.to_string(),
        }],
    }
}

/// The line of a TOML parser's message (`TOML parse error at line 12, column 3`).
fn toml_line(message: &str) -> Option<u64> {
    let rest = &message[message.find("at line ")? + "at line ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The problems of a monitor error: one per problem of a malformed file or catalogue.
fn monitor_problems(part: CheckPart, error: &MonitorError) -> Vec<CheckProblem> {
    let single = |file: Option<String>, message: String| {
        vec![CheckProblem {
            part,
            file,
            line: None,
            field: None,
            message,
        }]
    };
    match error {
        MonitorError::Ingest(error) => ingest_problems(part, error),
        MonitorError::Catalogue(error) => catalogue_problems(error),
        MonitorError::Record {
            file,
            line,
            field,
            message,
        } => {
            let field_part = field
                .as_ref()
                .map_or_else(String::new, |field| format!(", field `{field}`"));
            vec![CheckProblem {
                part,
                file: Some(file.display().to_string()),
                line: Some(*line),
                field: field.clone(),
                message: format!("line {line}{field_part}: {message}"),
            }]
        }
        MonitorError::Aed(leefbaar_aed::AedError::Record {
            path,
            line,
            field,
            message,
        }) => vec![CheckProblem {
            part,
            file: Some(path.display().to_string()),
            line: Some(*line),
            field: Some(field.clone()),
            message: format!("line {line}, field `{field}`: {message}"),
        }],
        MonitorError::Projection { dir, source } => {
            single(Some(dir.display().to_string()), source.to_string())
        }
        other => single(None, other.to_string()),
    }
}

/// One problem per broken rule of a catalogue.
fn catalogue_problems(error: &CatalogueError) -> Vec<CheckProblem> {
    let problem = |file: &str, line: usize, field: Option<String>, message: String| CheckProblem {
        part: CheckPart::Catalogue,
        file: Some(file.to_owned()),
        line: Some(line as u64),
        field,
        message,
    };
    match error {
        CatalogueError::Syntax {
            file,
            line,
            message,
        } => vec![problem(
            file,
            *line,
            None,
            format!("line {line}: {message}"),
        )],
        CatalogueError::Invalid { file, problems } => problems
            .iter()
            .map(|p| problem(file, p.line(), catalogue_field(p), p.to_string()))
            .collect(),
        other => vec![CheckProblem {
            part: CheckPart::Catalogue,
            file: None,
            line: None,
            field: None,
            message: other.to_string(),
        }],
    }
}

/// The field a catalogue problem is about.
fn catalogue_field(problem: &CatalogueProblem) -> Option<String> {
    Some(match problem {
        CatalogueProblem::BadId { .. }
        | CatalogueProblem::DuplicateId { .. }
        | CatalogueProblem::AlreadyDeclared { .. } => "id".to_owned(),
        CatalogueProblem::BadUnit { .. } => "unit".to_owned(),
        CatalogueProblem::BadKind { .. } => "kind".to_owned(),
        CatalogueProblem::MissingField { field, .. }
        | CatalogueProblem::UnexpectedField { field, .. }
        | CatalogueProblem::BadValue { field, .. }
        | CatalogueProblem::Additivity { field, .. }
        | CatalogueProblem::UnknownVariable { field, .. } => (*field).to_owned(),
        CatalogueProblem::UnknownIndicator { .. } | CatalogueProblem::Cycle { .. } => {
            "of".to_owned()
        }
        CatalogueProblem::UnknownSource { .. } => "source".to_owned(),
        CatalogueProblem::NothingToReplace { .. } => "replace".to_owned(),
        CatalogueProblem::EmptyText {
            field, language, ..
        } => format!("{field}.{language}"),
        _ => return None,
    })
}

/// The problems of a survey file.
fn survey_problems(error: &leefbaar_survey::ImportError) -> Vec<CheckProblem> {
    match error {
        leefbaar_survey::ImportError::Rows { file, problems } => problems
            .iter()
            .map(|problem| CheckProblem {
                part: CheckPart::Survey,
                file: Some(file.clone()),
                line: (problem.line > 0).then_some(problem.line),
                field: Some(problem.field.clone()),
                message: problem.to_string(),
            })
            .collect(),
        leefbaar_survey::ImportError::Schema { file, message } => vec![CheckProblem {
            part: CheckPart::Survey,
            file: Some(file.clone()),
            line: toml_line(message),
            field: None,
            message: format!("bad survey schema: {message}"),
        }],
        other => vec![CheckProblem {
            part: CheckPart::Survey,
            file: None,
            line: None,
            field: None,
            message: other.to_string(),
        }],
    }
}
