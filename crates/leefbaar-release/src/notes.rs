//! The notes a release copies: the bundle's `SOURCE.md` beside each source file (what the file
//! is, where it came from, its licence, what was changed), and Leefbaar's method notes.

use std::collections::BTreeMap;
use std::path::Path;

use leefbaar_model::Source;

use crate::ReleaseError;

/// Leefbaar's method notes (`docs/methods/`), built in, so a server far from the repository
/// writes the same release as the CLI.
pub(crate) const METHOD_NOTES: [(&str, &str); 4] = [
    ("aed.md", include_str!("../../../docs/methods/aed.md")),
    ("care.md", include_str!("../../../docs/methods/care.md")),
    (
        "projection.md",
        include_str!("../../../docs/methods/projection.md"),
    ),
    ("reach.md", include_str!("../../../docs/methods/reach.md")),
];

/// The `SOURCE.md` of one directory of the bundle and the sources whose files are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceNote {
    /// The directory, relative to the bundle's manifest as the sources name their files
    /// (`facilities`, `../projection`).
    pub dir: String,
    /// The ids of the sources read from that directory, sorted.
    pub sources: Vec<String>,
    /// The note's text.
    pub text: String,
}

/// The `SOURCE.md` notes of the sources' directories, for a bundle whose manifest is at
/// `manifest` (as the store's import records it). A directory without a note is left out;
/// so is everything when the bundle is no longer on disk, and the README then says so.
pub fn source_notes(manifest: &Path, sources: &[Source]) -> Result<Vec<SourceNote>, ReleaseError> {
    let Some(bundle_dir) = manifest.parent() else {
        return Ok(Vec::new());
    };
    let mut by_dir: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for source in sources {
        let file = Path::new(&source.file);
        // A source names a file, or a directory of files (facilities, the projection).
        let dir = if bundle_dir.join(file).is_dir() {
            file
        } else {
            file.parent().unwrap_or(Path::new(""))
        };
        by_dir
            .entry(dir.to_string_lossy().replace('\\', "/"))
            .or_default()
            .push(source.id.clone());
    }
    let mut notes = Vec::new();
    for (dir, mut ids) in by_dir {
        let path = bundle_dir.join(&dir).join("SOURCE.md");
        if !path.is_file() {
            continue;
        }
        ids.sort();
        notes.push(SourceNote {
            text: fs_err::read_to_string(&path)?,
            dir,
            sources: ids,
        });
    }
    Ok(notes)
}

/// A source note as a file of the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NoteFile {
    /// `sources/{dir}.md`.
    pub path: String,
    pub sources: Vec<String>,
    pub text: String,
    /// The note's first heading, for the README.
    pub title: String,
}

impl NoteFile {
    /// The note of source `id`, if it has one.
    pub(crate) fn of<'a>(notes: &'a [NoteFile], id: &str) -> Option<&'a NoteFile> {
        notes
            .iter()
            .find(|note| note.sources.iter().any(|source| source == id))
    }
}

/// Names each note after its directory (`../projection` → `sources/projection.md`), with a
/// number after a name that is taken already.
pub(crate) fn note_files(notes: &[SourceNote]) -> Vec<NoteFile> {
    let mut taken: Vec<String> = Vec::new();
    let mut files = Vec::new();
    for note in notes {
        let stem: String = note
            .dir
            .split('/')
            .filter(|part| !part.is_empty() && *part != "." && *part != "..")
            .collect::<Vec<_>>()
            .join("_");
        let stem = if stem.is_empty() {
            "bundle".to_owned()
        } else {
            stem
        };
        let mut path = format!("sources/{stem}.md");
        let mut n = 2;
        while taken.contains(&path) {
            path = format!("sources/{stem}-{n}.md");
            n += 1;
        }
        taken.push(path.clone());
        let title = note
            .text
            .lines()
            .find_map(|line| line.strip_prefix('#'))
            .map_or_else(
                || stem.clone(),
                |heading| heading.trim_start_matches('#').trim().to_owned(),
            );
        files.push(NoteFile {
            path,
            sources: note.sources.clone(),
            text: note.text.clone(),
            title,
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_named_after_their_directory_without_parent_steps() {
        let note = |dir: &str| SourceNote {
            dir: dir.to_owned(),
            sources: vec!["x".to_owned()],
            text: "# Projection inputs\n\nCBS, UN WPP 2024".to_owned(),
        };
        let files = note_files(&[note("../projection"), note("projection"), note("")]);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sources/projection.md",
                "sources/projection-2.md",
                "sources/bundle.md"
            ]
        );
        assert_eq!(files[0].title, "Projection inputs");
    }
}
