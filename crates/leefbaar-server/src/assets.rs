//! The dashboard's files, embedded at build time from `web/dist/` (see `build.rs`), so the
//! binary serves them without npm, a CDN or the file system; and the fact sheets' stylesheet.
//!
//! Every file is served under two names: its own (`/assets/app.js`, cached five minutes, for
//! links made before content hashes) and a content-hashed one (`/assets/app.3f2a9c01d4e5b6a7.js`,
//! cached for a year as `immutable`: new content is a new name). The names are computed once at
//! startup from the embedded bytes; `index.html` and the server's pages link the hashed names
//! ([`href`]).

use std::borrow::Cow;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// 64-bit FNV-1a over the parts, each followed by a separator byte (not for security: it tells
/// versions of our own data apart).
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Cache-Control of the content-hashed names: the bytes behind a name never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Cache-Control of the plain names: they stay the same across builds, so cache briefly.
const SHORT: &str = "public, max-age=300";

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

struct Asset {
    name: &'static str,
    hashed: String,
    etag: String,
    bytes: Cow<'static, [u8]>,
}

struct Catalogue {
    assets: Vec<Asset>,
    /// The hash over every asset, for the data validators (`http::validators`).
    digest: u64,
}

/// `app.js` with hash `h` becomes `app.h.js`.
fn hashed_name(name: &str, hash: u64) -> String {
    let hash = format!("{hash:016x}");
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
        None => format!("{name}.{hash}"),
    }
}

fn asset(name: &'static str, bytes: Cow<'static, [u8]>) -> Asset {
    let hash = fnv1a(&[&bytes]);
    Asset {
        name,
        hashed: hashed_name(name, hash),
        etag: format!("\"{hash:016x}\""),
        bytes,
    }
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut assets: Vec<Asset> = ASSETS
        .iter()
        .filter(|(name, _)| *name != "index.html")
        .map(|(name, bytes)| asset(name, Cow::Borrowed(*bytes)))
        .collect();
    assets.push(asset(
        "factsheet.css",
        Cow::Borrowed(leefbaar_factsheet::STYLESHEET.as_bytes()),
    ));
    // The dashboard's page links the hashed names; it is served at `/` (revalidated every time),
    // so it is not an asset with a hashed name of its own.
    if let Some((_, index)) = ASSETS.iter().find(|(name, _)| *name == "index.html") {
        let mut html = String::from_utf8_lossy(index).into_owned();
        for asset in &assets {
            html = html.replace(
                &format!("\"/assets/{}\"", asset.name),
                &format!("\"/assets/{}\"", asset.hashed),
            );
        }
        assets.push(asset("index.html", Cow::Owned(html.into_bytes())));
    }
    let hashes: Vec<[u8; 8]> = assets
        .iter()
        .map(|asset| fnv1a(&[&asset.bytes]).to_le_bytes())
        .collect();
    let parts: Vec<&[u8]> = hashes.iter().map(<[u8; 8]>::as_slice).collect();
    Catalogue {
        digest: fnv1a(&parts),
        assets,
    }
});

/// The hash over every asset the server embeds.
pub(crate) fn digest() -> u64 {
    CATALOGUE.digest
}

/// The path that serves asset `name` under its content-hashed name (`/assets/app.css` →
/// `/assets/app.<hash>.css`); the plain path if there is no such asset.
pub(crate) fn href(name: &str) -> String {
    CATALOGUE
        .assets
        .iter()
        .find(|asset| asset.name == name)
        .map_or_else(
            || format!("/assets/{name}"),
            |asset| format!("/assets/{}", asset.hashed),
        )
}

fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .map(|tag| tag.trim().trim_start_matches("W/"))
                .any(|tag| tag == "*" || tag == etag)
        })
}

fn serve(
    asset: &Asset,
    served_name: &str,
    cache_control: &'static str,
    headers: &HeaderMap,
) -> Response {
    let etag = HeaderValue::from_str(&asset.etag).expect("a hex tag is a header value");
    if not_modified(headers, &asset.etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(cache_control),
                ),
            ],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(served_name)),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            ),
            (header::ETAG, etag),
        ],
        asset.bytes.clone(),
    )
        .into_response()
}

/// `GET /`: the dashboard page (its validators and cache policy come from `http`).
pub(crate) async fn index() -> Response {
    match CATALOGUE
        .assets
        .iter()
        .find(|asset| asset.name == "index.html")
    {
        Some(asset) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            asset.bytes.clone(),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "the dashboard was not built into this binary: run web/build.sh and rebuild",
        )
            .into_response(),
    }
}

/// `GET /assets/{name}`: one embedded file, by its content-hashed name (cached for a year) or
/// its plain name (cached briefly).
pub(crate) async fn asset_route(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let assets = &CATALOGUE.assets;
    if let Some(asset) = assets.iter().find(|asset| asset.hashed == name) {
        return serve(asset, &name, IMMUTABLE, &headers);
    }
    match assets.iter().find(|asset| asset.name == name) {
        Some(asset) => serve(asset, &name, SHORT, &headers),
        None => crate::ApiError::NotFound(format!("no asset `{name}`")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_extension_last() {
        assert_eq!(hashed_name("app.js", 0xab), "app.00000000000000ab.js");
        assert_eq!(hashed_name("LICENSE", 1), "LICENSE.0000000000000001");
    }

    #[test]
    fn the_dashboard_page_links_the_hashed_names() {
        let index = CATALOGUE
            .assets
            .iter()
            .find(|asset| asset.name == "index.html")
            .unwrap();
        let html = String::from_utf8_lossy(&index.bytes);
        for name in ["app.js", "app.css", "favicon.svg"] {
            assert!(
                !html.contains(&format!("\"/assets/{name}\"")),
                "{name} unhashed"
            );
            assert!(
                html.contains(&format!("\"{}\"", href(name))),
                "{name} not linked"
            );
        }
    }
}
