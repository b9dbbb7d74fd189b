//! Where things live on disk: one rule for every command. The data directory is
//! `--data-dir`, else `$LEEFBAAR_DATA_DIR`, else `$XDG_DATA_HOME/leefbaar`, else
//! `~/.local/share/leefbaar`; the store is `leefbaar.sqlite` in it (with its WAL files), and
//! prepared road graphs are cached beside it. `demo` writes the same store `serve`,
//! `factsheet`, `reach`, `project` and `survey` read.

use std::path::{Path, PathBuf};

use leefbaar_store::StoreLocation;

use crate::global::GlobalArgs;

/// The store file inside the data directory.
pub const STORE_FILE: &str = "leefbaar.sqlite";

/// The bundled Drenthe manifest, relative to the repository (the working directory).
pub const DEFAULT_BUNDLE: &str = "data/drenthe/manifest.toml";

/// The data directory: the flag or `LEEFBAAR_DATA_DIR`, else the XDG data directory.
pub fn data_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("leefbaar");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join(".local/share/leefbaar");
    }
    PathBuf::from("leefbaar-data")
}

/// The store of every command: `--database` when given (a `postgres://` URL, or an SQLite
/// file's path), else the data directory's SQLite file.
pub fn store(global: &GlobalArgs) -> StoreLocation {
    match global.database.as_deref().filter(|text| !text.is_empty()) {
        Some(text) => StoreLocation::parse(text),
        None => StoreLocation::Sqlite(data_dir(global.data_dir.as_deref()).join(STORE_FILE)),
    }
}

/// The bundle `flag` names, else the bundled Drenthe manifest of the repository in the working
/// directory.
pub fn default_bundle(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    let path = PathBuf::from(DEFAULT_BUNDLE);
    if path.is_file() {
        Ok(path)
    } else {
        anyhow::bail!(
            "no bundle given and no {DEFAULT_BUNDLE} in the working directory; run from the repository, or pass --bundle PATH/manifest.toml"
        )
    }
}
