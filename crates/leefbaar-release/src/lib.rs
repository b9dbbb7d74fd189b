//! # Brief overview
//!
//! A *data release* is a frozen, citable copy of everything Leefbaar serves publicly from one
//! import: one CSV and one Parquet file per indicator, the boundaries per area level as
//! GeoJSON, the catalogue, the sources with their licences and notes, the method notes, a
//! README with a suggested citation, a licence note and a `SHA256SUMS` manifest.
//!
//! [`build`] reads a release from any [`Store`](leefbaar_store::Store) (only through the
//! trait) into memory as a [`Release`]; [`Release::write_dir`] writes it into a directory and
//! [`Release::zip`] packs it into one archive. [`release_id`] names a release after the import
//! it comes from, so the CLI (`leefbaar release`) and the server (`/api/v1/release`, the
//! `Leefbaar-Release` header) give the same name to the same data.
//!
//! A release is deterministic: the same store gives byte-identical files, dated by the import's
//! recorded time, never by the clock.
//!
//! ```
//! use leefbaar_model::{AreaCode, BundleImport};
//!
//! let import = BundleImport {
//!     bundle_id: "drenthe".to_owned(),
//!     bundle_name: "Drenthe".to_owned(),
//!     bundle_version: "2024.1".to_owned(),
//!     manifest: "/data/drenthe/manifest.toml".to_owned(),
//!     digest: "78911f15871dd138009fdf0d1631ddac7385d80a7f545b20ef15ca59a409aa32".to_owned(),
//!     province: AreaCode::parse("PV22").unwrap(),
//!     settings: String::new(),
//!     imported_at: "2026-12-07T12:59:14Z".to_owned(),
//! };
//! assert_eq!(leefbaar_release::release_id(&import), "drenthe-2024.1-78911f15");
//! ```
#![deny(missing_docs)]

mod archive;
mod assemble;
mod boundaries;
mod catalogue;
mod error;
mod notes;
mod parquet_file;
mod readme;
mod tables;

pub use assemble::{BuildOptions, Progress, build};
pub use error::ReleaseError;
pub use notes::{SourceNote, source_notes};
pub use tables::{COLUMNS as CSV_COLUMNS, Row as CsvRow};

use leefbaar_model::BundleImport;

/// The name of the checksum manifest, the one file it does not list.
pub const CHECKSUMS_FILE: &str = "SHA256SUMS";

/// The short stable name of the release of `import`: `{bundle id}-{bundle version}-{first 8
/// hex digits of the bundle's fingerprint}`, e.g. `drenthe-2024.1-78911f15`. The fingerprint
/// changes with any file of the bundle, so two releases of different data never share a name.
pub fn release_id(import: &BundleImport) -> String {
    let fingerprint: String = import.digest.chars().take(8).collect();
    format!(
        "{}-{}-{fingerprint}",
        import.bundle_id, import.bundle_version
    )
}

/// One file of a release: its path inside the release (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseFile {
    /// The path inside the release, e.g. `indicators/inhabitants.csv`.
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl ReleaseFile {
    /// The SHA-256 of the content, as lowercase hex.
    pub fn sha256(&self) -> String {
        archive::sha256_hex(&self.bytes)
    }
}

/// A release held in memory.
#[derive(Debug, Clone)]
pub struct Release {
    /// The release's name ([`release_id`]).
    pub id: String,
    /// When the import it comes from was made (RFC 3339, UTC): the release's date.
    pub created: String,
    /// The suggested citation, as in the README.
    pub citation: String,
    /// Every file, sorted by path, the checksum manifest ([`CHECKSUMS_FILE`]) among them.
    pub files: Vec<ReleaseFile>,
}

impl Release {
    /// The total size of the files in bytes.
    pub fn size(&self) -> u64 {
        self.files.iter().map(|file| file.bytes.len() as u64).sum()
    }
}

#[cfg(test)]
mod tests;
