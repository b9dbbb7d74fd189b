//! Which bundle a command works from: the one named with `--bundle`, else the one the store
//! records (what `demo` or `import` last imported), else the bundled Drenthe manifest. So
//! `leefbaar reach`, `project` and `survey` answer from the same bundle the server serves.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use leefbaar_ingest::BundleSpec;
use leefbaar_store::StoreLocation;

use crate::paths;

/// A bundle's manifest and sections, and whether they came from the store's record.
pub struct ChosenBundle {
    /// The manifest.
    pub manifest: PathBuf,
    /// Its sections.
    pub spec: BundleSpec,
    /// The province to monitor: the store's (which may have been chosen with `--province`),
    /// else the manifest's.
    pub province: leefbaar_model::AreaCode,
    /// Its name.
    pub province_name: String,
    /// How the store's import was made, when the bundle came from the store.
    pub settings: Option<leefbaar_monitor::BundleSettings>,
    /// The names of the provinces, by code (to name groups of the citizens' panel).
    pub province_names: std::collections::BTreeMap<String, String>,
}

/// The bundle of `flag`, else of the store at `store`, else the bundled one.
pub fn choose(flag: Option<&Path>, store: &StoreLocation) -> anyhow::Result<ChosenBundle> {
    if flag.is_none() && store.exists() {
        let store = store
            .open()
            .with_context(|| format!("opening the store {store}"))?;
        if let Some(record) = store.latest_import()? {
            let (spec, settings) =
                leefbaar_monitor::recorded_bundle(&record).map_err(anyhow::Error::msg)?;
            let province_names: std::collections::BTreeMap<String, String> = store
                .areas(&leefbaar_store::AreaFilter {
                    level: Some(leefbaar_model::AreaLevel::Province),
                    ..leefbaar_store::AreaFilter::default()
                })?
                .into_iter()
                .map(|area| (area.code.to_string(), area.name))
                .collect();
            let province_name = province_names
                .get(record.province.as_str())
                .cloned()
                .unwrap_or_else(|| record.province.to_string());
            return Ok(ChosenBundle {
                manifest: PathBuf::from(&record.manifest),
                spec,
                province: record.province,
                province_name,
                settings: Some(settings),
                province_names,
            });
        }
    }
    let manifest = paths::default_bundle(flag)?;
    // Without a store, the province's name comes from the bundle's own tables.
    let bundle = leefbaar_ingest::load_manifest(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let province = bundle.spec.province.clone();
    let province_names: std::collections::BTreeMap<String, String> = bundle
        .areas
        .iter()
        .filter(|area| area.level() == leefbaar_model::AreaLevel::Province)
        .map(|area| (area.code.to_string(), area.name.clone()))
        .collect();
    let province_name = province_names
        .get(province.as_str())
        .cloned()
        .unwrap_or_else(|| province.to_string());
    Ok(ChosenBundle {
        manifest,
        spec: bundle.spec,
        province,
        province_name,
        settings: None,
        province_names,
    })
}
