//! The dashboard's files, embedded at build time from `web/dist/` (see `build.rs`), so the
//! binary serves them without npm, a CDN or the file system.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn file(name: &str) -> Option<&'static [u8]> {
    ASSETS
        .iter()
        .find(|(asset, _)| *asset == name)
        .map(|(_, bytes)| *bytes)
}

/// `GET /`: the dashboard page.
pub(crate) async fn index() -> Response {
    match file("index.html") {
        Some(bytes) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            "the dashboard was not built into this binary: run web/build.sh and rebuild",
        )
            .into_response(),
    }
}

/// `GET /assets/{name}`: one embedded file.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match file(&name) {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(&name)),
                // Names are stable across builds, so cache briefly rather than forever.
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            bytes,
        )
            .into_response(),
        None => crate::ApiError::NotFound(format!("no asset `{name}`")).into_response(),
    }
}
