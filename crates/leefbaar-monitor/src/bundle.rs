//! What a bundle is beyond its tables: the catalogue it is computed with, the settings an
//! import records, the province it monitors, and a fingerprint of its files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use leefbaar_indicators::Catalogue;
use leefbaar_ingest::BundleSpec;
use leefbaar_model::{Area, AreaCode, AreaLevel};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::error::MonitorError;

/// How a bundle was imported, recorded with the import so a server prepares its monitors the
/// same way. Written and read as TOML text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleSettings {
    /// The monitored province (the manifest's, or the one chosen with `--province`).
    pub province: String,
    /// Whether reach was computed.
    pub reach: bool,
    /// The road network reach was measured over (absolute path), if any.
    pub network: Option<PathBuf>,
    /// The profile every kind was measured on, when one was forced.
    pub profile: Option<String>,
    /// Whether the projection was computed.
    pub projection: bool,
    /// What the import left out and why, so a server can say the same.
    #[serde(default)]
    pub left_out: Vec<RecordedLeftOut>,
}

/// A monitor the import left out, as recorded with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedLeftOut {
    /// The monitor.
    pub what: String,
    /// Why, in Dutch.
    pub nl: String,
    /// Why, in English.
    pub en: String,
}

impl BundleSettings {
    /// The settings as the text the store keeps.
    pub fn to_text(&self) -> String {
        toml::to_string(self).expect("settings serialise")
    }

    /// Settings from the store's text.
    pub fn from_text(text: &str) -> Result<BundleSettings, MonitorError> {
        toml::from_str(text).map_err(|error| {
            MonitorError::Bundle(format!(
                "the store's record of the import is unreadable ({}); import the bundle again",
                error.message()
            ))
        })
    }
}

/// The files a monitor reads besides the manifest's tables: reach origins and facilities, the
/// projection's inputs, the panel, the bundle's catalogue.
pub(crate) fn monitor_files(spec: &BundleSpec) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(catalogue) = &spec.catalogue {
        files.push(catalogue.clone());
    }
    if let Some(reach) = &spec.reach {
        files.push(reach.origins.clone());
        files.extend(reach.neighbourhood_origins.iter().cloned());
        files.extend(reach.kinds.iter().map(|kind| kind.file.clone()));
    }
    if let Some(aed) = &spec.aed {
        files.push(aed.register.clone());
        files.extend(aed.responders.iter().cloned());
    }
    if let Some(hospitals) = &spec.hospitals {
        files.push(hospitals.origins.clone());
    }
    if let Some(schools) = &spec.schools {
        files.extend([
            schools.locations.clone(),
            schools.final_test.clone(),
            schools.disadvantage.clone(),
            schools.distance.clone(),
            schools.pupils.clone(),
            schools.exams.clone(),
            schools.early_leavers.clone(),
        ]);
        files.extend(schools.forecast.iter().cloned());
    }
    if let Some(projection) = &spec.projection {
        files.extend(
            leefbaar_projection::BundledTables::FILES
                .iter()
                .map(|name| projection.inputs.join(name)),
        );
    }
    if let Some(survey) = &spec.survey {
        files.extend([
            survey.schema.clone(),
            survey.panel.clone(),
            survey.margins.clone(),
        ]);
    }
    files
}

/// A fingerprint of a bundle: SHA-256 (hex) of the manifest and every file it names, in
/// order, each preceded by its length so that no two different bundles can read the same.
/// File names are left out, so a bundle moved elsewhere keeps its fingerprint.
pub fn digest(
    manifest: &Path,
    spec: &BundleSpec,
    files: &[PathBuf],
) -> Result<String, MonitorError> {
    let mut hasher = Sha256::new();
    let monitor = monitor_files(spec);
    for path in std::iter::once(&manifest.to_path_buf())
        .chain(files)
        .chain(&monitor)
    {
        let bytes = fs_err::read(path)?;
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        }))
}

/// The catalogue of a bundle: the built-in one (or `replacement`), extended by the entries
/// generated for its reach kinds (when `with_reach`) and then by the bundle's own catalogue,
/// which may replace built-in entries on purpose.
pub fn catalogue_for(
    spec: &BundleSpec,
    replacement: Option<&Path>,
    with_reach: bool,
) -> Result<Catalogue, MonitorError> {
    catalogue_for_import(spec, replacement, with_reach, false)
}

/// [`catalogue_for`] as an import builds it: with `over_network` (reach measured over a road
/// network), AED coverage over the foot network is declared too.
pub fn catalogue_for_import(
    spec: &BundleSpec,
    replacement: Option<&Path>,
    with_reach: bool,
    over_network: bool,
) -> Result<Catalogue, MonitorError> {
    let mut catalogue = match replacement {
        Some(path) => {
            let text = fs_err::read_to_string(path)?;
            leefbaar_indicators::parse_catalogue(&text)
                .map_err(|error| error.in_file(&path.display().to_string()))?
        }
        None => leefbaar_indicators::default_catalogue().clone(),
    };
    if with_reach && let Some(reach) = &spec.reach {
        catalogue = catalogue.extend(
            "the manifest's [reach] kinds",
            &crate::reach::catalogue_entries(reach),
        )?;
        // AED coverage stands on reach's population points: with reach or not at all.
        if let Some(aed) = &spec.aed {
            catalogue = catalogue.extend(
                "the manifest's [aed] section",
                &crate::aed::catalogue::catalogue_entries(aed, over_network),
            )?;
        }
    }
    if let Some(path) = &spec.catalogue {
        let text = fs_err::read_to_string(path)?;
        catalogue = catalogue.extend(&path.display().to_string(), &text)?;
    }
    Ok(catalogue)
}

/// Folds case and the diacritics of Dutch province names (`Fryslân`), for matching names.
fn fold(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace(['â', 'á', 'à', 'ä'], "a")
        .replace(['ê', 'é', 'è', 'ë'], "e")
        .replace(['ï', 'í'], "i")
        .replace(['ö', 'ó'], "o")
        .replace(['ü', 'ú'], "u")
}

/// The province `text` names (a code such as `PV20`, or a name such as `Groningen`) among the
/// bundle's areas: its code and name.
pub fn resolve_province(areas: &[Area], text: &str) -> Result<(AreaCode, String), MonitorError> {
    let provinces: Vec<&Area> = areas
        .iter()
        .filter(|area| area.level() == AreaLevel::Province)
        .collect();
    let wanted = fold(text);
    provinces
        .iter()
        .find(|area| {
            area.code.as_str().eq_ignore_ascii_case(text.trim()) || fold(&area.name) == wanted
        })
        .map(|area| (area.code.clone(), area.name.clone()))
        .ok_or_else(|| {
            let known: Vec<String> = provinces
                .iter()
                .map(|area| format!("{} ({})", area.code, area.name))
                .collect();
            MonitorError::Bundle(format!(
                "the bundle has no province `{text}`; it has {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })
}
