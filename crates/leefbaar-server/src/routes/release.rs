//! `GET /api/v1/release` and `/api/v1/release.zip`: the current data release (what
//! `leefbaar release` writes) as a listing and as one download, and the `Leefbaar-Release`
//! header that names it on every API answer.
//!
//! The release is built on the first request and kept in memory, keyed by the store's latest
//! import, so a new import gives a new release and an old one is never served for it.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leefbaar_release::BuildOptions;
use leefbaar_store::Store;
use serde_json::{Value, json};

use crate::http::RELEASE_HEADER;
use crate::params::Params;
use crate::state::ServedRelease;
use crate::{ApiError, AppState};

/// Where the current release is downloaded.
const DOWNLOAD: &str = "/api/v1/release.zip";

fn import_key(import: &leefbaar_model::BundleImport) -> String {
    format!(
        "{}|{}|{}|{}",
        import.bundle_id, import.bundle_version, import.digest, import.imported_at
    )
}

/// The release of the store's latest import, built (on a blocking thread, one build at a
/// time) when the cache holds none for that import.
async fn current(state: &AppState) -> Result<Arc<ServedRelease>, ApiError> {
    let snapshot = Arc::clone(&state.snapshot);
    state
        .blocking(move |store: &dyn Store| {
            let import = store.latest_import()?.ok_or_else(|| {
                ApiError::NotFound(
                    "the store records no import of a bundle, so there is no release".to_owned(),
                )
            })?;
            let key = import_key(&import);
            let mut cached = snapshot.release.lock().expect("release cache lock");
            if let Some(served) = cached.as_ref().filter(|served| served.key == key) {
                return Ok(Arc::clone(served));
            }
            // The bundle's notes are read where the import found it; a server far from the
            // bundle serves the release without them (its README says so).
            let sources = store.sources()?;
            let source_notes =
                leefbaar_release::source_notes(Path::new(&import.manifest), &sources)
                    .unwrap_or_else(|error| {
                        tracing::warn!(%error, "the release leaves out the bundle's source notes");
                        Vec::new()
                    });
            let options = BuildOptions {
                source_notes,
                url: None,
            };
            let release = leefbaar_release::build(store, &options, &mut |_| {})
                .map_err(|error| ApiError::Internal(format!("building the release: {error}")))?;
            let listing = release
                .files
                .iter()
                .map(|file| {
                    json!({"path": file.path, "bytes": file.bytes.len(), "sha256": file.sha256()})
                })
                .collect();
            let served = Arc::new(ServedRelease {
                key,
                release,
                listing,
                zip: OnceLock::new(),
            });
            *cached = Some(Arc::clone(&served));
            Ok(served)
        })
        .await?
}

/// `GET /api/v1/release`: the current release's name, date, citation, files and download.
#[utoipa::path(
    get,
    path = "/api/v1/release",
    operation_id = "release",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "The current data release (what `leefbaar release` writes, named after the store's latest import, e.g. drenthe-2024.1-78911f15): id, created (the import's time), citation, download (/api/v1/release.zip), bytes, and files with path, bytes and sha256. Every API answer names its release in the Leefbaar-Release header and meta.release"
)]
pub(crate) async fn info(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let served = current(&state).await?;
    let release = &served.release;
    let count = release.files.len();
    let data = json!({
        "id": release.id,
        "created": release.created,
        "citation": release.citation,
        "download": DOWNLOAD,
        "bytes": release.size(),
        "files": served.listing,
    });
    Ok(super::envelope(&state, data, count, &BTreeSet::new()))
}

/// `GET /api/v1/release.zip`: the current release as one zip archive, deflated once and kept.
#[utoipa::path(
    get,
    path = "/api/v1/release.zip",
    operation_id = "release_zip",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::ZipResponses),
    summary = "The current data release as one zip archive (deflated; not enveloped): the files of `leefbaar release` under a folder named after the release, built on the first request and kept per import"
)]
pub(crate) async fn zip(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let served = current(&state).await?;
    let bytes = if let Some(bytes) = served.zip.get() {
        bytes.clone()
    } else {
        let building = Arc::clone(&served);
        state
            .blocking(move |_| -> Result<Bytes, ApiError> {
                if let Some(bytes) = building.zip.get() {
                    return Ok(bytes.clone());
                }
                let zip = building
                    .release
                    .zip()
                    .map_err(|error| ApiError::Internal(format!("zipping the release: {error}")))?;
                Ok(building.zip.get_or_init(|| Bytes::from(zip)).clone())
            })
            .await??
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.zip\"", served.release.id),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Names the release on every API answer (errors too): `Leefbaar-Release: {id}`, the release
/// of the data the server loaded (see `leefbaar_release::release_id`).
pub(crate) async fn name_header(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    if let Some(id) = &state.snapshot.release_id
        && let Ok(value) = HeaderValue::from_str(id)
    {
        response.headers_mut().insert(RELEASE_HEADER, value);
    }
    response
}
