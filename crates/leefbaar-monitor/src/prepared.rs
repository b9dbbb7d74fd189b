//! The live models a server answers from (reach scenarios, the projection), prepared from
//! exactly the bundle of the store's latest import, with the reason for every one left out.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use leefbaar_ingest::BundleSpec;
use leefbaar_model::{AreaCode, BundleImport, Year};

use crate::aed::AedMonitor;
use crate::bundle::{BundleSettings, digest};
use crate::hospitals::HospitalMonitor;
use crate::import::LeftOut;
use crate::projection::{self, ProjectionMonitor, Province};
use crate::reach::{ReachMonitor, ReachOptions};
use crate::schools::SchoolsMonitor;
use crate::survey::SurveyMonitor;
use crate::typology::Typology;

/// The prepared monitors of a store, and what was left out; cheap to clone (the models are
/// shared).
#[derive(Debug, Default, Clone)]
pub struct Monitors {
    /// The bundle the store was imported from, if it records one.
    pub bundle: Option<BundleImport>,
    /// Its manifest's monitor sections, when they could be read.
    pub spec: Option<BundleSpec>,
    /// The monitored province and its name.
    pub province: Option<(AreaCode, String)>,
    /// Reach of facilities, for scenarios and the facility layer.
    pub reach: Option<Arc<ReachMonitor>>,
    /// The population projection of the province.
    pub projection: Option<Arc<ProjectionMonitor>>,
    /// The citizens' panel, raked, for estimates.
    pub survey: Option<Arc<SurveyMonitor>>,
    /// AED coverage (Hartveilig), for the AED layer, white spots and placement.
    pub aed: Option<Arc<AedMonitor>>,
    /// The national typology (projected change × degree of urbanisation).
    pub typology: Option<Arc<Typology>>,
    /// Hospital closures in minutes, for the hospital scenarios.
    pub hospitals: Option<Arc<HospitalMonitor>>,
    /// Open school data per location and the krimpcheck's settings.
    pub schools: Option<Arc<SchoolsMonitor>>,
    /// What is left out, and why.
    pub left_out: Vec<LeftOut>,
}

/// How a server prepares its monitors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepareOptions {
    /// Where road graphs are cached (next to the store).
    pub cache_dir: PathBuf,
    /// Bootstrap runs of the served projection's interval.
    pub projection_runs: usize,
}

/// The reason the import recorded for leaving `what` out.
fn recorded(settings: &BundleSettings, what: &str) -> Option<LeftOut> {
    settings
        .left_out
        .iter()
        .find(|l| l.what == what)
        .map(|l| LeftOut::new(what, l.nl.clone(), l.en.clone()))
}

/// A technical reason (an error's message, in English) with a Dutch lead.
fn failed(what: &str, nl: &str, error: &str) -> LeftOut {
    LeftOut::new(what, format!("{nl}: {error}"), error)
}

impl Monitors {
    /// Prepares the monitors of the bundle `record` names; `province_name` is the name of its
    /// province in the store. Never fails: a monitor that cannot be prepared is left out with
    /// its reason.
    pub fn prepare(
        record: Option<BundleImport>,
        province_name: &str,
        options: &PrepareOptions,
    ) -> Monitors {
        let mut monitors = Monitors::default();
        let Some(record) = record else {
            monitors.left_out.push(LeftOut::new(
                "bundle",
                "de opslag vermeldt geen bundel (geschreven door een oudere Leefbaar); importeer de bundel opnieuw met `leefbaar import MANIFEST` voor scenario's en de prognose",
                "the store records no bundle (it was written by an older Leefbaar); import the bundle again with `leefbaar import MANIFEST` to serve reach scenarios and the projection",
            ));
            return monitors;
        };
        monitors.province = Some((record.province.clone(), province_name.to_owned()));
        let manifest = Path::new(&record.manifest);
        let spec = match check_bundle(&record, manifest) {
            Ok(spec) => spec,
            Err(reason) => {
                monitors.left_out.push(failed(
                    "bundle",
                    "de bundel van de opslag kan niet worden gebruikt",
                    &reason,
                ));
                monitors.bundle = Some(record);
                return monitors;
            }
        };
        let settings = match BundleSettings::from_text(&record.settings) {
            Ok(settings) => settings,
            Err(error) => {
                monitors.left_out.push(failed(
                    "bundle",
                    "de importinstellingen zijn onleesbaar",
                    &error.to_string(),
                ));
                monitors.bundle = Some(record);
                return monitors;
            }
        };
        match (&spec.reach, settings.reach) {
            (Some(reach), true) => {
                let reach_options = ReachOptions {
                    network: settings.network.clone(),
                    profile: settings.profile.as_deref().and_then(|p| p.parse().ok()),
                    cache_dir: options.cache_dir.clone(),
                };
                match ReachMonitor::prepare(
                    reach,
                    (&record.province, province_name),
                    &reach_options,
                ) {
                    Ok(prepared) => monitors.reach = Some(Arc::new(prepared)),
                    Err(error) => monitors.left_out.push(failed(
                        "reach",
                        "bereikbaarheid kon niet worden voorbereid",
                        &format!("reach could not be prepared: {error}"),
                    )),
                }
            }
            (Some(_), false) => {
                monitors
                    .left_out
                    .push(recorded(&settings, "reach").unwrap_or_else(|| {
                        LeftOut::new(
                            "reach",
                            "de import heeft bereikbaarheid weggelaten",
                            "the import left reach out",
                        )
                    }));
            }
            (None, _) => monitors.left_out.push(LeftOut::new(
                "reach",
                "de bundel bevat geen [reach]",
                "the bundle declares no [reach]",
            )),
        }
        match (&spec.aed, &monitors.reach) {
            (Some(aed_spec), Some(reach)) => match AedMonitor::prepare(aed_spec, reach) {
                Ok(prepared) => monitors.aed = Some(Arc::new(prepared)),
                Err(error) => monitors.left_out.push(failed(
                    "aed",
                    "AED-dekking kon niet worden voorbereid",
                    &format!("AED coverage could not be prepared: {error}"),
                )),
            },
            (Some(_), None) => monitors.left_out.push(
                recorded(&settings, "aed").unwrap_or_else(crate::aed::left_out_without_reach),
            ),
            (None, _) => monitors.left_out.push(LeftOut::new(
                "aed",
                "de bundel bevat geen [aed]",
                "the bundle declares no [aed]",
            )),
        }
        // The school data are read from the bundle's files; the krimpcheck reads the stored
        // projection on request.
        match &spec.schools {
            Some(schools_spec) => match SchoolsMonitor::prepare(schools_spec) {
                Ok(prepared) => monitors.schools = Some(Arc::new(prepared)),
                Err(error) => monitors.left_out.push(failed(
                    "schools",
                    "de schoolgegevens konden niet worden gelezen",
                    &format!("the school data could not be read: {error}"),
                )),
            },
            None => monitors.left_out.push(LeftOut::new(
                "schools",
                "de bundel bevat geen [schools]",
                "the bundle declares no [schools]",
            )),
        }
        // The hospital monitor reads its own origins and the reach kinds' files; it needs no
        // prepared reach model, so it is served even when the import left reach out.
        match &spec.hospitals {
            Some(hospitals_spec) => match HospitalMonitor::prepare(hospitals_spec) {
                Ok(prepared) => monitors.hospitals = Some(Arc::new(prepared)),
                Err(error) => monitors.left_out.push(failed(
                    "hospitals",
                    "de ziekenhuisscenario's konden niet worden voorbereid",
                    &format!("the hospital scenarios could not be prepared: {error}"),
                )),
            },
            None => monitors.left_out.push(LeftOut::new(
                "hospitals",
                "de bundel bevat geen [hospitals]",
                "the bundle declares no [hospitals]",
            )),
        }
        match (&spec.projection, settings.projection) {
            (Some(projection_spec), true) => {
                match prepare_projection(
                    projection_spec,
                    &record.province,
                    province_name,
                    options.projection_runs,
                ) {
                    Ok(prepared) => monitors.projection = Some(Arc::new(prepared)),
                    Err(reason) => monitors.left_out.push(failed(
                        "projection",
                        "de prognose kon niet worden gemaakt",
                        &reason,
                    )),
                }
            }
            (Some(_), false) => {
                monitors
                    .left_out
                    .push(recorded(&settings, "projection").unwrap_or_else(|| {
                        LeftOut::new(
                            "projection",
                            "de import heeft de prognose weggelaten",
                            "the import left the projection out",
                        )
                    }));
            }
            (None, _) => monitors.left_out.push(LeftOut::new(
                "projection",
                "de bundel bevat geen [projection]",
                "the bundle declares no [projection]",
            )),
        }
        match (&spec.typology, &spec.projection, settings.projection) {
            (Some(typology_spec), Some(projection_spec), true) => {
                match Typology::prepare(typology_spec, projection_spec, &record.province) {
                    Ok(prepared) => monitors.typology = Some(Arc::new(prepared)),
                    Err(error) => monitors.left_out.push(failed(
                        "typology",
                        "de typologie kon niet worden gemaakt",
                        &format!("the typology could not be made: {error}"),
                    )),
                }
            }
            (Some(_), _, _) => monitors.left_out.push(LeftOut::new(
                "typology",
                "de typologie volgt uit de prognose, die de import heeft weggelaten",
                "the typology follows from the projection, which the import left out",
            )),
            (None, _, _) => monitors.left_out.push(LeftOut::new(
                "typology",
                "de bundel bevat geen [typology]",
                "the bundle declares no [typology]",
            )),
        }
        match &spec.survey {
            Some(survey_spec) => match SurveyMonitor::load(survey_spec) {
                Ok(panel) if panel.has_respondents_in(record.province.as_str()) => {
                    monitors.survey = Some(Arc::new(panel));
                }
                Ok(_) => monitors.left_out.push(LeftOut::new(
                    "survey",
                    format!(
                        "het burgerpanel van de bundel heeft geen deelnemers in {province_name}"
                    ),
                    format!("the bundle's citizens' panel has no respondents in {province_name}"),
                )),
                Err(error) => monitors.left_out.push(failed(
                    "survey",
                    "het burgerpanel kon niet worden gelezen",
                    &error.to_string(),
                )),
            },
            None => monitors.left_out.push(LeftOut::new(
                "survey",
                "de bundel heeft geen burgerpanel ([survey])",
                "the bundle has no citizens' panel ([survey])",
            )),
        }
        monitors.spec = Some(spec);
        monitors.bundle = Some(record);
        monitors
    }
}

/// The bundle a store records, read again from its manifest: its sections and the import's
/// settings, when the files on disk are still the ones imported (the reason otherwise).
pub fn recorded_bundle(record: &BundleImport) -> Result<(BundleSpec, BundleSettings), String> {
    let spec = check_bundle(record, Path::new(&record.manifest))?;
    let settings = BundleSettings::from_text(&record.settings).map_err(|e| e.to_string())?;
    Ok((spec, settings))
}

/// The manifest's sections, when the bundle on disk is still the one imported.
fn check_bundle(record: &BundleImport, manifest: &Path) -> Result<BundleSpec, String> {
    if !manifest.is_file() {
        return Err(format!(
            "the bundle the store was imported from ({}) is not there any more; import a bundle again to serve reach scenarios and the projection",
            manifest.display()
        ));
    }
    let (spec, files) = leefbaar_ingest::read_bundle_spec(manifest)
        .map_err(|error| format!("the bundle's manifest cannot be read: {error}"))?;
    let found = digest(manifest, &spec, &files)
        .map_err(|error| format!("the bundle's files cannot be read: {error}"))?;
    if found != record.digest {
        return Err(format!(
            "the bundle at {} changed after it was imported ({}); import it again (`leefbaar import {}`) so that what the server computes matches what it stores",
            manifest.display(),
            record.imported_at,
            manifest.display()
        ));
    }
    Ok(spec)
}

fn prepare_projection(
    spec: &leefbaar_ingest::ProjectionSpec,
    province: &AreaCode,
    province_name: &str,
    runs: usize,
) -> Result<ProjectionMonitor, String> {
    let setup = projection::national_setup(&spec.inputs).map_err(|error| error.to_string())?;
    let Some(province) = Province::of(&setup, province, province_name) else {
        return Err(format!(
            "the projection's inputs have no municipality of {province_name}"
        ));
    };
    let horizon = Year::new(projection::HORIZON).expect("a year in range");
    ProjectionMonitor::new(&setup.setup, &province, &spec.regions, horizon, runs)
        .map_err(|error| format!("the projection failed: {error}"))
}
