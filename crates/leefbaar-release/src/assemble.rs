//! [`build`]: every file of a release, read from a store through the `Store` trait.

use std::collections::{BTreeMap, HashMap};

use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_store::{AreaFilter, Store};

use crate::readme::ReleaseFacts;
use crate::{
    CHECKSUMS_FILE, Release, ReleaseError, ReleaseFile, SourceNote, archive, boundaries, catalogue,
    notes, readme, release_id, tables,
};

/// What a release takes besides the store.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The notes (`SOURCE.md`) of the bundle's sources, from [`crate::source_notes`]; copied
    /// into `sources/` and named in the README.
    pub source_notes: Vec<SourceNote>,
    /// Where the release can be found, for the suggested citation (e.g. the server's
    /// `/api/v1/release.zip`); left out of the citation when `None`.
    pub url: Option<String>,
}

/// How far [`build`] is: `done` of `total` steps, now working on `what`.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Steps finished.
    pub done: usize,
    /// Steps in all (one per indicator and one per area level, then the rest).
    pub total: usize,
    /// The indicator or level being written.
    pub what: &'a str,
}

/// Reads the release of the store's latest import: every file, in memory, with its checksum
/// manifest. The store is read only through the [`Store`] trait, so any backend will do.
pub fn build(
    store: &dyn Store,
    options: &BuildOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Release, ReleaseError> {
    let import = store.latest_import()?.ok_or(ReleaseError::NoImport)?;
    let id = release_id(&import);
    let areas = store.areas(&AreaFilter::default())?;
    let names: HashMap<AreaCode, String> = areas
        .into_iter()
        .map(|area| (area.code, area.name))
        .collect();
    let indicators = store.indicators()?;
    let sources = store.sources()?;
    let total = indicators.len() + AreaLevel::ALL.len() + 1;
    let mut done = 0;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();

    for def in &indicators {
        progress(Progress {
            done,
            total,
            what: &def.id,
        });
        let rows = tables::indicator_rows(store, &def.id, &names)?;
        let csv_path = format!("indicators/{}.csv", def.id);
        let csv = tables::csv_bytes(&rows).map_err(|source| ReleaseError::Csv {
            path: csv_path.clone(),
            source,
        })?;
        files.insert(csv_path, csv);
        let parquet_path = format!("indicators/{}.parquet", def.id);
        let parquet =
            crate::parquet_file::parquet_bytes(&rows).map_err(|source| ReleaseError::Parquet {
                path: parquet_path.clone(),
                source,
            })?;
        files.insert(parquet_path, parquet);
        done += 1;
    }

    let mut levels = Vec::new();
    for level in AreaLevel::ALL {
        progress(Progress {
            done,
            total,
            what: level.as_str(),
        });
        if let Some((geojson, count)) = boundaries::level_geojson(store, level)? {
            files.insert(format!("boundaries/{}.geojson", level.as_str()), geojson);
            levels.push((level, count));
        }
        done += 1;
    }

    progress(Progress {
        done,
        total,
        what: "README",
    });
    let catalogue_csv =
        catalogue::catalogue_csv(&indicators).map_err(|source| ReleaseError::Csv {
            path: "catalogue.csv".to_owned(),
            source,
        })?;
    files.insert("catalogue.csv".to_owned(), catalogue_csv);
    files.insert(
        "catalogue.json".to_owned(),
        catalogue::catalogue_json(&indicators),
    );
    let note_files = notes::note_files(&options.source_notes);
    let sources_csv =
        catalogue::sources_csv(&sources, &note_files).map_err(|source| ReleaseError::Csv {
            path: "sources.csv".to_owned(),
            source,
        })?;
    files.insert("sources.csv".to_owned(), sources_csv);
    for note in &note_files {
        files.insert(note.path.clone(), note.text.as_bytes().to_vec());
    }
    for (name, text) in notes::METHOD_NOTES {
        files.insert(format!("methods/{name}"), text.as_bytes().to_vec());
    }

    let facts = ReleaseFacts {
        id: &id,
        import: &import,
        indicators: &indicators,
        sources: &sources,
        notes: &note_files,
        levels: &levels,
        url: options.url.as_deref(),
    };
    let citation = readme::citation(&facts);
    files.insert(
        "README.md".to_owned(),
        readme::readme(&facts, &citation).into_bytes(),
    );
    files.insert("LICENSE".to_owned(), readme::licence(&facts).into_bytes());

    let mut files: Vec<ReleaseFile> = files
        .into_iter()
        .map(|(path, bytes)| ReleaseFile { path, bytes })
        .collect();
    let checksums = archive::checksums(&files);
    files.push(ReleaseFile {
        path: CHECKSUMS_FILE.to_owned(),
        bytes: checksums.into_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    progress(Progress {
        done: total,
        total,
        what: "done",
    });
    Ok(Release {
        id,
        created: import.imported_at.clone(),
        citation,
        files,
    })
}
