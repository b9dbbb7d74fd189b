//! `leefbaar release`: writes the frozen, citable data release of the store's latest import
//! (`leefbaar_release::build`) into a directory. It is written into a hidden sibling directory
//! first and renamed into place at the end, so an interrupted run leaves no half release.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::Args;
use leefbaar_release::{BuildOptions, Release};
use leefbaar_store::Store;

use crate::global::GlobalArgs;
use crate::{paths, progress};

/// Write a frozen, citable data release of the store (CSV, Parquet, GeoJSON, README, checksums)
///
/// Every indicator as CSV and Parquet (one row per area and year, with the API's CSV columns),
/// the boundaries of every level as GeoJSON, the indicator catalogue, the sources with their
/// licences and notes, the method notes, a README with a suggested citation, a licence note and
/// SHA256SUMS.
///
/// The release is named after the import it comes from (`{bundle}-{version}-{fingerprint}`,
/// e.g. `drenthe-2024.1-78911f15`), the same name `leefbaar serve` puts on every API answer
/// (the `Leefbaar-Release` header) and offers as one download (`/api/v1/release.zip`).
/// The same store always gives byte-identical files. Check a copy with `sha256sum -c
/// SHA256SUMS` inside the directory.
///
/// Example: `leefbaar demo --no-serve && leefbaar release --out drenthe-release`
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The directory to write the release into; it must be empty or not exist yet (see --force)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace what is in --out (the old contents are removed only once the new release is
    /// complete)
    #[arg(long)]
    pub force: bool,
    /// Where the release will be published, e.g. https://example.org/leefbaar/release.zip;
    /// named in the suggested citation (left out without it)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

pub fn run(global: &GlobalArgs, args: &ReleaseArgs) -> anyhow::Result<()> {
    let out = &args.out;
    if !args.force && is_non_empty_dir(out)? {
        bail!(
            "{} is not empty; a release is written into an empty or new directory\n\
             hint: pass --force to replace its contents, or choose another --out",
            out.display()
        );
    }
    if out.exists() && !out.is_dir() {
        bail!("{} exists and is not a directory", out.display());
    }
    let store_location = paths::store(global);
    if !store_location.exists() {
        bail!(
            "no store at {store_location}; run `leefbaar demo --no-serve` or `leefbaar import` first"
        );
    }
    let store = store_location
        .open()
        .with_context(|| format!("opening the store {store_location}"))?;
    let release = build(global, &*store, args.url.clone())?;

    let staging = staging_dir(out)?;
    if staging.exists() {
        // Left by an interrupted run: ours by its name, and never a complete release.
        fs_err::remove_dir_all(&staging)?;
    }
    let written = release
        .write_dir(&staging)
        .with_context(|| format!("writing the release into {}", staging.display()));
    if let Err(error) = written {
        let _ = fs_err::remove_dir_all(&staging);
        return Err(error);
    }
    replace(&staging, out, args.force)?;

    let date = release.created.get(..10).unwrap_or(&release.created);
    println!(
        "release {} ({date}): {} files, {:.1} MB in {}",
        release.id,
        release.files.len(),
        release.size() as f64 / 1e6,
        out.display()
    );
    println!("cite as: {}", release.citation);
    Ok(())
}

/// Builds the release with a progress bar on a terminal, from any backend's store.
fn build(global: &GlobalArgs, store: &dyn Store, url: Option<String>) -> anyhow::Result<Release> {
    let import = store
        .latest_import()?
        .context("the store records no import; run `leefbaar import` or `leefbaar demo` first")?;
    let sources = store.sources()?;
    // The notes beside the bundle's files, when the bundle is still where it was imported from.
    let source_notes = leefbaar_release::source_notes(Path::new(&import.manifest), &sources)
        .with_context(|| format!("reading the source notes of the bundle {}", import.manifest))?;
    let options = BuildOptions { source_notes, url };
    let bar = progress::steps(0, global.no_progress);
    let release = leefbaar_release::build(store, &options, &mut |step| {
        bar.set_length(step.total as u64);
        bar.set_position(step.done as u64);
        bar.set_message(step.what.to_owned());
    })
    .context("building the release")?;
    bar.finish_and_clear();
    Ok(release)
}

fn is_non_empty_dir(path: &Path) -> anyhow::Result<bool> {
    Ok(path.is_dir() && fs_err::read_dir(path)?.next().is_some())
}

/// `.{name}.partial` beside `out`: on the same file system, so the final rename is atomic.
fn staging_dir(out: &Path) -> anyhow::Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("--out {} names no directory", out.display()))?;
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let parent = parent.unwrap_or(Path::new("."));
    fs_err::create_dir_all(parent)?;
    Ok(parent.join(format!(".{}.partial", name.to_string_lossy())))
}

/// Moves the finished release from `staging` to `out`; with `force`, what was in `out` is
/// moved aside first and removed once the new release is in place.
fn replace(staging: &Path, out: &Path, force: bool) -> anyhow::Result<()> {
    if out.exists() {
        if !force && is_non_empty_dir(out)? {
            bail!("{} was filled while the release was written", out.display());
        }
        let old = staging.with_extension("old");
        if old.exists() {
            fs_err::remove_dir_all(&old)?;
        }
        fs_err::rename(out, &old)?;
        fs_err::rename(staging, out)?;
        fs_err::remove_dir_all(&old)?;
    } else {
        fs_err::rename(staging, out)?;
    }
    Ok(())
}
