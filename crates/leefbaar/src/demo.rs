//! `leefbaar demo`: a fresh store built from the bundled Drenthe data, then served.

use anyhow::Context as _;

use crate::cli::{DemoArgs, GlobalArgs};
use crate::{import, paths, serve};

pub fn run(global: &GlobalArgs, args: &DemoArgs) -> anyhow::Result<()> {
    let data_dir = paths::data_dir(global.data_dir.as_deref()).join("demo");
    let store_path = data_dir.join(paths::STORE_FILE);
    // The demo always starts from scratch so it shows exactly the bundled data.
    for suffix in ["", "-wal", "-shm"] {
        let file = data_dir.join(format!("{}{suffix}", paths::STORE_FILE));
        if file.exists() {
            fs_err::remove_file(&file).context("removing the previous demo store")?;
        }
    }
    let manifest = args.bundle.clone().unwrap_or_else(paths::default_bundle);
    let started = std::time::Instant::now();
    let projection = (!args.no_projection).then(crate::project::default_dir);
    let summary = import::import_bundle(
        &manifest,
        None,
        projection.as_deref(),
        (!args.reach.no_reach).then_some(&args.reach.network),
        &store_path,
        global.no_progress,
    )?;
    eprintln!(
        "built the Drenthe monitor in {:.1} s: {} areas, {} indicators, {} observations ({})",
        started.elapsed().as_secs_f64(),
        summary.areas,
        summary.indicators,
        summary.observations,
        store_path.display()
    );
    if args.no_serve {
        return Ok(());
    }
    serve::serve(
        &store_path,
        &args.listen,
        (!args.reach.no_reach).then_some(&args.reach.network),
    )
}
