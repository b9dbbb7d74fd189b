//! Checksums, and a release written out: into a directory, or into one zip archive.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};
use zip::write::SimpleFileOptions;

use crate::{Release, ReleaseError, ReleaseFile};

/// The SHA-256 of `bytes` as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// `SHA256SUMS` in the format `sha256sum -c` reads: the hash, two spaces (text mode), the path;
/// one line per file, sorted by path.
pub(crate) fn checksums(files: &[ReleaseFile]) -> String {
    let mut sorted: Vec<&ReleaseFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = String::new();
    for file in sorted {
        let _ = writeln!(out, "{}  {}", file.sha256(), file.path);
    }
    out
}

impl Release {
    /// Writes every file into `dir`, which must be empty or not exist yet.
    pub fn write_dir(&self, dir: &Path) -> Result<(), ReleaseError> {
        if dir.exists() && fs_err::read_dir(dir)?.next().is_some() {
            return Err(ReleaseError::NotEmpty {
                path: dir.to_path_buf(),
            });
        }
        for file in &self.files {
            let path = dir.join(&file.path);
            if let Some(parent) = path.parent() {
                fs_err::create_dir_all(parent)?;
            }
            fs_err::write(&path, &file.bytes)?;
        }
        Ok(())
    }

    /// Every file in one zip archive (deflated) under a folder named after the release, each
    /// entry dated by the import, so the same release gives the same archive.
    pub fn zip(&self) -> Result<Vec<u8>, ReleaseError> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip_time(&self.created))
            .unix_permissions(0o644);
        for file in &self.files {
            let path = format!("{}/{}", self.id, file.path);
            let zip_error = |source| ReleaseError::Zip {
                path: path.clone(),
                source,
            };
            writer
                .start_file(path.as_str(), options)
                .map_err(zip_error)?;
            writer.write_all(&file.bytes)?;
        }
        let cursor = writer.finish().map_err(|source| ReleaseError::Zip {
            path: "(central directory)".to_owned(),
            source,
        })?;
        Ok(cursor.into_inner())
    }
}

/// The import time (RFC 3339) as a zip entry's date; the zip epoch (1980) when it cannot be
/// read, which still keeps the archive the same for the same release.
fn zip_time(rfc3339: &str) -> zip::DateTime {
    let number = |range: std::ops::Range<usize>| rfc3339.get(range)?.parse::<u16>().ok();
    let parts = (|| {
        Some((
            number(0..4)?,
            u8::try_from(number(5..7)?).ok()?,
            u8::try_from(number(8..10)?).ok()?,
            u8::try_from(number(11..13)?).ok()?,
            u8::try_from(number(14..16)?).ok()?,
            u8::try_from(number(17..19)?).ok()?,
        ))
    })();
    parts
        .and_then(|(year, month, day, hour, minute, second)| {
            zip::DateTime::from_date_and_time(year, month, day, hour, minute, second).ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_nothing_is_the_well_known_digest() {
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn an_import_time_becomes_the_entries_date() {
        let time = super::zip_time("2026-12-07T12:59:14Z");
        assert_eq!(
            (
                time.year(),
                time.month(),
                time.day(),
                time.hour(),
                time.minute()
            ),
            (2026, 12, 7, 12, 59)
        );
        assert_eq!(super::zip_time("yesterday"), zip::DateTime::default());
    }
}
