//! `leefbaar import`: read a bundle, compute every indicator, write all of it in one store
//! transaction (`leefbaar_monitor::import_bundle`). A bad file stops the import before anything
//! is written.

use std::path::Path;

use anyhow::Context as _;
use leefbaar_monitor::{ImportOptions, ImportReport};
use leefbaar_store::StoreLocation;

use crate::cli::{ImportArgs, ImportSettings};
use crate::global::GlobalArgs;
use crate::{clock, paths, progress};

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let store = paths::store(global);
    let mut options = options(global, &args.manifest, &store, &args.options)?;
    options.catalogue.clone_from(&args.catalogue);
    let report = import(&options, global.no_progress)?;
    let summary = &report.summary;
    println!(
        "imported {} sources, {} areas, {} indicators, {} observations into {}",
        summary.sources, summary.areas, summary.indicators, summary.observations, store
    );
    print_left_out(&report);
    Ok(())
}

/// The library's options from the command line's.
pub fn options(
    global: &GlobalArgs,
    manifest: &Path,
    store: &StoreLocation,
    settings: &ImportSettings,
) -> anyhow::Result<ImportOptions> {
    let reach = &settings.reach;
    Ok(ImportOptions {
        province: settings.province.clone(),
        reach: !reach.no_reach,
        network: reach.network.network.clone(),
        profile: reach.network.profile()?,
        projection: !settings.no_projection,
        cache_dir: Some(paths::data_dir(global.data_dir.as_deref())),
        ..ImportOptions::new(manifest, store.clone())
    })
}

/// Imports with a progress bar on a terminal, dated by the clock.
pub fn import(options: &ImportOptions, no_progress: bool) -> anyhow::Result<ImportReport> {
    let bar = progress::steps(1, no_progress);
    let report = leefbaar_monitor::import_bundle(options, &clock::now_rfc3339(), &mut |step| {
        bar.set_length(step.total as u64);
        bar.set_position(step.done as u64);
        bar.set_message(step.label);
    })
    .with_context(|| format!("importing {}", options.manifest.display()))?;
    bar.finish_and_clear();
    if report.findings > 0 {
        tracing::info!(
            findings = report.findings,
            "indicator computation noted odd-but-legal data (missing parts, zero denominators); they are recorded as missing values with their reason"
        );
    }
    if !report.reach_findings.is_empty() {
        tracing::warn!(
            "reach: {} population points or facilities lie farther than 5 km from any road of the network and are left out (is the network the right region?), e.g. {}",
            report.reach_findings.len(),
            report.reach_findings[0]
        );
    }
    Ok(report)
}

/// What the import left out, one line each, on stderr.
pub fn print_left_out(report: &ImportReport) {
    for left_out in &report.left_out {
        eprintln!("note: {} left out: {}", left_out.what, left_out.reason.en);
    }
}
