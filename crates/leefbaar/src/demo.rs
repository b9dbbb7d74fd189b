//! `leefbaar demo`: a fresh store built from the bundled data (Drenthe, or another province of
//! its national tables with `--province`), then served. The store is the one every command
//! reads (`paths::store`), so `leefbaar factsheet` or `leefbaar reach` work on it next.

use anyhow::Context as _;
use leefbaar_store::StoreLocation;

use crate::cli::DemoArgs;
use crate::global::GlobalArgs;
use crate::{import, paths, serve};

pub fn run(global: &GlobalArgs, args: &DemoArgs) -> anyhow::Result<()> {
    let store = paths::store(global);
    let manifest = paths::default_bundle(args.bundle.as_deref())?;
    // The demo always starts from scratch so it shows exactly the bundled data. The write-ahead
    // log goes first: a kill between the deletions must not leave an old `-wal` beside a new
    // store of the same name, which SQLite would replay into it. A PostgreSQL database is
    // shared and never emptied by a demo: the import replaces what it brings.
    if let StoreLocation::Sqlite(path) = &store {
        for suffix in ["-wal", "-shm", ""] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            let file = std::path::PathBuf::from(name);
            if file.exists() {
                fs_err::remove_file(&file).context("removing the previous store")?;
            }
        }
    }
    let started = std::time::Instant::now();
    let options = import::options(global, &manifest, &store, &args.options)?;
    let report = import::import(&options, global.no_progress)?;
    let summary = &report.summary;
    eprintln!(
        "built the {} monitor in {:.1} s: {} areas, {} indicators, {} observations ({})",
        report.province_name,
        started.elapsed().as_secs_f64(),
        summary.areas,
        summary.indicators,
        summary.observations,
        store
    );
    import::print_left_out(&report);
    if args.no_serve {
        return Ok(());
    }
    serve::serve(
        &store,
        &paths::data_dir(global.data_dir.as_deref()),
        &args.listen,
    )
}
