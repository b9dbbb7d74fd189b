//! `leefbaar demo`: a fresh store built from the bundled data (Drenthe, or another province of
//! its national tables with `--province`), then served. The store is the one every command
//! reads (`paths::store`), so `leefbaar factsheet` or `leefbaar reach` work on it next.

use anyhow::Context as _;

use crate::cli::DemoArgs;
use crate::global::GlobalArgs;
use crate::{import, paths, serve};

pub fn run(global: &GlobalArgs, args: &DemoArgs) -> anyhow::Result<()> {
    let store = paths::store(global);
    let manifest = paths::default_bundle(args.bundle.as_deref())?;
    // The demo always starts from scratch so it shows exactly the bundled data. The write-ahead
    // log goes first: a kill between the deletions must not leave an old `-wal` beside a new
    // store of the same name, which SQLite would replay into it.
    for suffix in ["-wal", "-shm", ""] {
        let file = store.with_file_name(format!("{}{suffix}", paths::STORE_FILE));
        if file.exists() {
            fs_err::remove_file(&file).context("removing the previous store")?;
        }
    }
    let started = std::time::Instant::now();
    let options = import::options(&manifest, &store, &args.options)?;
    let report = import::import(&options, global.no_progress)?;
    let summary = &report.summary;
    eprintln!(
        "built the {} monitor in {:.1} s: {} areas, {} indicators, {} observations ({})",
        report.province_name,
        started.elapsed().as_secs_f64(),
        summary.areas,
        summary.indicators,
        summary.observations,
        store.display()
    );
    import::print_left_out(&report);
    if args.no_serve {
        return Ok(());
    }
    serve::serve(&store, &args.listen)
}
