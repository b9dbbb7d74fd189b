//! A server prepares its live models from exactly the bundle its store records: when that
//! bundle changed on disk after the import, or is gone, the models are left out with the reason,
//! rather than computed from other data than the store holds.

use std::path::{Path, PathBuf};

use leefbaar_monitor::{ImportOptions, Monitors, PrepareOptions, import_bundle};
use leefbaar_store::{SqliteStore, Store as _};

/// Copies `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).unwrap();
    for entry in fs_err::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs_err::copy(entry.path(), target).unwrap();
        }
    }
}

/// The bundled data copied into `dir` (the manifest refers to `../projection` and
/// `../survey`), its manifest's path.
fn copied_bundle(dir: &Path) -> PathBuf {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for folder in ["drenthe", "projection", "survey"] {
        copy_dir(&data.join(folder), &dir.join(folder));
    }
    dir.join("drenthe/manifest.toml")
}

fn prepare(store: &Path, cache: &Path) -> Monitors {
    let record = SqliteStore::open(store).unwrap().latest_import().unwrap();
    Monitors::prepare(
        record,
        "Drenthe",
        &PrepareOptions {
            cache_dir: cache.to_path_buf(),
            projection_runs: 10,
        },
    )
}

#[test]
fn a_bundle_changed_after_its_import_is_not_used_for_the_live_models() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = copied_bundle(dir.path());
    let store = dir.path().join("store/leefbaar.sqlite");
    let options = ImportOptions {
        projection: false,
        ..ImportOptions::new(&manifest, &store)
    };
    import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {}).unwrap();

    let unchanged = prepare(&store, dir.path());
    assert!(unchanged.reach.is_some() && unchanged.survey.is_some());
    assert!(unchanged.left_out.iter().all(|l| l.what != "bundle"));

    // A hospital moved in the file after the import: scenarios would no longer match the
    // stored reach figures.
    let hospitals = manifest.parent().unwrap().join("facilities/hospital.csv");
    let text = fs_err::read_to_string(&hospitals).unwrap();
    fs_err::write(&hospitals, text.replacen("ZH00,", "ZH00X,", 1)).unwrap();
    let changed = prepare(&store, dir.path());
    assert!(changed.reach.is_none() && changed.survey.is_none());
    let reason = &changed
        .left_out
        .iter()
        .find(|l| l.what == "bundle")
        .unwrap()
        .reason;
    assert!(
        reason.en.contains("changed after it was imported"),
        "{reason:?}"
    );
    assert!(reason.en.contains("leefbaar import"), "{reason:?}");

    fs_err::remove_file(&manifest).unwrap();
    let gone = prepare(&store, dir.path());
    let reason = &gone
        .left_out
        .iter()
        .find(|l| l.what == "bundle")
        .unwrap()
        .reason;
    assert!(reason.en.contains("is not there any more"), "{reason:?}");
}

#[test]
fn a_store_without_a_bundle_record_is_served_without_live_models() {
    let monitors = Monitors::prepare(
        None,
        "",
        &PrepareOptions {
            cache_dir: std::env::temp_dir(),
            projection_runs: 10,
        },
    );
    assert!(monitors.reach.is_none() && monitors.projection.is_none());
    assert!(
        monitors.left_out[0]
            .reason
            .en
            .contains("import the bundle again")
    );
}
