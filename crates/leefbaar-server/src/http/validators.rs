//! Caching validators for the API and the pages: one `ETag` and `Last-Modified` per state of
//! the server's data, read from the store's latest import on every request, so a client's copy
//! is confirmed with `304 Not Modified` only while no newer import has been recorded.
//!
//! The tag is the same for every URL (a weak validator: it names the data, not the bytes, which
//! also differ by compression). It hashes what an answer depends on: the import (bundle, its
//! fingerprint, settings and time), the models the server prepared or left out, the server's
//! version and its embedded assets (so a new binary never confirms an old page).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leefbaar_model::BundleImport;

use crate::AppState;
use crate::assets::fnv1a;

/// The header naming the release an answer's data belong to: like the validators, it is
/// derived from the store's import, so a client can tell which frozen copy a number is in.
pub(crate) const RELEASE_HEADER: axum::http::HeaderName =
    axum::http::HeaderName::from_static("leefbaar-release");

/// Set by `conditional` on an answer the cache may keep: its validators (to answer a later
/// conditional request with `304` from the cache) and its cache policy.
#[derive(Debug, Clone)]
pub(crate) struct Cacheable {
    pub validators: Option<Validators>,
    pub cache_control: &'static str,
}

/// Cache-Control of API answers and pages: data change once a year, so caches may keep an
/// answer five minutes without asking and must then revalidate (cheaply, with the `ETag`); an
/// import is visible to every client within five minutes.
pub(crate) const DATA_CACHE_CONTROL: &str = "public, max-age=300, must-revalidate";

/// Cache-Control of the dashboard's page: always revalidated, so a new binary's content-hashed
/// asset names are picked up at once.
const INDEX_CACHE_CONTROL: &str = "no-cache";

/// The validators of the current data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Validators {
    pub etag: String,
    pub last_modified: Option<SystemTime>,
}

impl Validators {
    /// The validators for `import` (the store's latest) as served by `state`.
    pub(crate) fn of(state: &AppState, import: &BundleImport) -> Validators {
        let assets = crate::assets::digest().to_le_bytes();
        let left_out: Vec<&str> = state
            .monitors
            .left_out
            .iter()
            .map(|left_out| left_out.what.as_str())
            .collect();
        let left_out = left_out.join(",");
        let prepared = if state.prepared { "prepared" } else { "bare" };
        let hash = fnv1a(&[
            env!("CARGO_PKG_VERSION").as_bytes(),
            &assets,
            prepared.as_bytes(),
            left_out.as_bytes(),
            import.bundle_id.as_bytes(),
            import.bundle_version.as_bytes(),
            import.digest.as_bytes(),
            import.settings.as_bytes(),
            import.imported_at.as_bytes(),
        ]);
        Validators {
            etag: format!("W/\"{hash:016x}\""),
            last_modified: parse_rfc3339(&import.imported_at),
        }
    }

    /// Whether a request with these headers already has the current answer.
    pub(crate) fn matches(&self, headers: &HeaderMap) -> bool {
        if let Some(if_none_match) = headers.get(header::IF_NONE_MATCH) {
            // When both are sent, If-None-Match decides (RFC 9110, 13.1.3).
            let Ok(if_none_match) = if_none_match.to_str() else {
                return false;
            };
            let ours = weak(&self.etag);
            return if_none_match
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || weak(tag) == ours);
        }
        let since = headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|value| httpdate::parse_http_date(value.to_str().ok()?).ok());
        match (since, self.last_modified) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        }
    }

    fn apply(&self, headers: &mut HeaderMap) {
        if let Ok(etag) = HeaderValue::from_str(&self.etag) {
            headers.insert(header::ETAG, etag);
        }
        if let Some(modified) = self.last_modified
            && let Ok(value) = HeaderValue::from_str(&httpdate::fmt_http_date(modified))
        {
            headers.insert(header::LAST_MODIFIED, value);
        }
    }
}

/// A tag without its weakness marker, for the weak comparison `If-None-Match` uses.
fn weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// Seconds since the epoch of an RFC 3339 UTC time such as `2026-01-01T00:00:00Z` (fractions
/// dropped, HTTP dates have whole seconds); `None` for anything else.
fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'T' {
        return None;
    }
    let rest = &text[19..];
    let rest = rest.strip_prefix('.').map_or(rest, |fraction| {
        fraction.trim_start_matches(|c: char| c.is_ascii_digit())
    });
    if !matches!(rest, "Z" | "+00:00") {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's `days_from_civil`).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?))
}

/// The `304` for a client whose copy is current: the validators and the policy, no body.
pub(crate) fn not_modified(validators: &Validators, cache_control: &'static str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let headers = response.headers_mut();
    validators.apply(headers);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Which cache policy a route template has, if the validators apply to it at all.
fn policy(path: &str) -> Option<&'static str> {
    if path == "/" {
        Some(INDEX_CACHE_CONTROL)
    } else if path.is_empty()
        || path.starts_with("/assets/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics")
    {
        // Assets carry their own (content-hashed) caching; probes are never cached.
        None
    } else {
        Some(DATA_CACHE_CONTROL)
    }
}

/// Answers `304` when the client's copy is current, else adds the validators and the cache
/// policy to a successful answer, and marks it for the response cache. A route layer: it runs for matched routes only (so unknown
/// paths never get a validator) and decides by the route template, as a nested router sees its
/// paths without their prefix.
pub(crate) async fn conditional(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("", MatchedPath::as_str);
    let Some(cache_control) = policy(template).filter(|_| cacheable) else {
        return next.run(request).await;
    };
    let validators = match state.query(|store| store.latest_import()).await {
        Ok(Some(import)) => Some(Validators::of(&state, &import)),
        // A store without a recorded import has nothing to key a validator by: no 304s.
        Ok(None) => None,
        Err(error) => return error.into_response(),
    };
    if let Some(validators) = &validators
        && validators.matches(request.headers())
    {
        return not_modified(validators, cache_control);
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK {
        let headers = response.headers_mut();
        if let Some(validators) = &validators {
            validators.apply(headers);
        }
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        // What passes here depends on the path, the query and the data only: the response
        // cache may keep it (`http/cache.rs`).
        response.extensions_mut().insert(Cacheable {
            validators,
            cache_control,
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validators() -> Validators {
        Validators {
            etag: "W/\"00000000000000ab\"".to_owned(),
            last_modified: parse_rfc3339("2026-01-01T00:00:00Z"),
        }
    }

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap()))
            .collect()
    }

    #[test]
    fn import_times_become_http_dates() {
        let parsed = parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(
            httpdate::fmt_http_date(parsed),
            "Thu, 01 Jan 2026 00:00:00 GMT"
        );
        let parsed = parse_rfc3339("2024-02-29T13:45:07.123456+00:00").unwrap();
        assert_eq!(
            httpdate::fmt_http_date(parsed),
            "Thu, 29 Feb 2024 13:45:07 GMT"
        );
        assert_eq!(parse_rfc3339("2026-01-01T00:00:00+01:00"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn if_none_match_compares_weakly_and_decides_over_if_modified_since() {
        let v = validators();
        assert!(v.matches(&headers(&[(
            header::IF_NONE_MATCH,
            "W/\"00000000000000ab\""
        )])));
        assert!(v.matches(&headers(&[(
            header::IF_NONE_MATCH,
            "\"x\", \"00000000000000ab\""
        )])));
        assert!(v.matches(&headers(&[(header::IF_NONE_MATCH, "*")])));
        assert!(!v.matches(&headers(&[
            (header::IF_NONE_MATCH, "W/\"00000000000000ac\""),
            (header::IF_MODIFIED_SINCE, "Fri, 02 Jan 2026 00:00:00 GMT"),
        ])));
    }

    #[test]
    fn if_modified_since_matches_from_the_import_time_on() {
        let v = validators();
        assert!(v.matches(&headers(&[(
            header::IF_MODIFIED_SINCE,
            "Thu, 01 Jan 2026 00:00:00 GMT"
        )])));
        assert!(!v.matches(&headers(&[(
            header::IF_MODIFIED_SINCE,
            "Wed, 31 Dec 2025 23:59:59 GMT"
        )])));
        assert!(!v.matches(&HeaderMap::new()));
    }
}
