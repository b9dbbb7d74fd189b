//! Where things live on disk: the data directory and the store file in it.

use std::path::{Path, PathBuf};

/// The store file inside the data directory.
pub const STORE_FILE: &str = "leefbaar.sqlite";

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

/// The bundled Drenthe manifest: relative to the working directory when run from the
/// repository, else where this binary was built from.
pub fn default_bundle() -> PathBuf {
    let relative = PathBuf::from("data/drenthe/manifest.toml");
    if relative.exists() {
        return relative;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml")
}
