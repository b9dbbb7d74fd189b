//! HTTP hygiene and observability against the real router, in process: security headers and a
//! Content-Security-Policy that no page needs to loosen, caching validators keyed by the store's
//! import (304, and a new tag after a new import), content-hashed assets, limits (429 with
//! `Retry-After`, 413, 431, 503 on timeout) in the API's error shape, CORS on the API only, and
//! `/healthz`, `/readyz`, `/metrics`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use leefbaar_monitor::{ImportOptions, import_bundle};
use leefbaar_server::{AppState, CONTENT_SECURITY_POLICY, HttpSettings, PAGE_ROUTES, router};
use leefbaar_store::{ImportBatch, SqliteReadPool, SqliteStore, Store as _};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::support::app as app_support;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {:.300}", self.body))
    }
}

async fn send(state: AppState, request: Request<Body>) -> Answer {
    let response = router(state).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(uri: &str) -> Answer {
    get_with(app_support::bundled_store(), uri, &[]).await
}

async fn get_with(state: AppState, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(state, request.body(Body::empty()).unwrap()).await
}

/// A request as it arrives on a socket from `client`, which the rate limit keys on.
fn from_client(uri: &str, client: &str) -> Request<Body> {
    let mut request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let address: SocketAddr = format!("{client}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(address));
    request
}

fn assert_error_shape(answer: &Answer, status: u16) -> Value {
    assert_eq!(answer.status.as_u16(), status, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["status"], status);
    assert!(json["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert!(json["errors"].as_array().is_some_and(|e| !e.is_empty()));
    json
}

/// The headers a snapshot shows: the hygiene ones, with the volatile validator redacted.
fn hygiene_headers(answer: &Answer) -> String {
    let mut lines = Vec::new();
    for name in [
        "access-control-allow-origin",
        "access-control-expose-headers",
        "cache-control",
        "content-security-policy",
        "etag",
        "last-modified",
        "referrer-policy",
        "x-content-type-options",
        "x-frame-options",
    ] {
        if let Some(value) = answer.header(name) {
            let value = if name == "etag" { "[ETAG]" } else { value };
            lines.push(format!("{name}: {value}"));
        }
    }
    lines.join("\n")
}

fn concrete(route: &str) -> String {
    route.replace("{code}", "GM0114")
}

#[tokio::test]
async fn api_page_asset_and_error_answers_carry_the_security_headers() {
    for uri in [
        "/api/v1/areas/GM0114",
        "/gebied/GM0114",
        "/assets/app.css",
        "/api/v1/nothing-here",
        "/metrics",
    ] {
        let answer = get(uri).await;
        assert_eq!(
            answer.header("content-security-policy"),
            Some(CONTENT_SECURITY_POLICY),
            "{uri}"
        );
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{uri}"
        );
    }
    insta::assert_snapshot!(
        "api_headers",
        hygiene_headers(&get("/api/v1/areas/GM0114").await)
    );
    insta::assert_snapshot!("page_headers", hygiene_headers(&get("/tabel").await));
}

/// Inline code the policy would block: `<style>`, `style=""`, `<script>` without `src`, event
/// handler attributes, `javascript:` links.
fn inline_code(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    if lower.contains("<style") {
        found.push("<style>".to_owned());
    }
    if lower.contains(" style=") {
        found.push("style attribute".to_owned());
    }
    if lower.contains("href=\"javascript:") || lower.contains("src=\"javascript:") {
        found.push("javascript: URL".to_owned());
    }
    for (at, _) in lower.match_indices("<script") {
        let tag = &lower[at..lower[at..].find('>').map_or(lower.len(), |end| at + end)];
        if !tag.contains(" src=") {
            found.push(format!("inline script {tag}"));
        }
    }
    for (at, _) in lower.match_indices(" on") {
        let name: String = lower[at + 1..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        if name.len() > 2 && lower[at + 1 + name.len()..].starts_with('=') {
            found.push(format!("event handler {name}"));
        }
    }
    found
}

#[test]
fn the_inline_code_check_finds_what_the_policy_blocks() {
    assert_eq!(
        inline_code("<p>fine</p><script defer src=\"/a.js\"></script>").len(),
        0
    );
    assert_eq!(inline_code("<style>p{}</style>").len(), 1);
    assert_eq!(inline_code("<svg style=\"max-width:1px\">").len(), 1);
    assert_eq!(inline_code("<script>alert(1)</script>").len(), 1);
    assert_eq!(inline_code("<body onload=\"x()\">").len(), 1);
}

#[tokio::test]
async fn no_page_needs_unsafe_inline_and_none_has_inline_code() {
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
    for route in PAGE_ROUTES {
        for uri in [concrete(route), format!("{}?lang=en", concrete(route))] {
            let answer = get(&uri).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}");
            let policy = answer.header("content-security-policy").unwrap();
            assert!(!policy.contains("unsafe-inline"), "{uri}: {policy}");
            assert!(policy.contains("frame-ancestors 'none'"), "{uri}");
            assert_eq!(inline_code(&answer.body), Vec::<String>::new(), "{uri}");
        }
    }
    // The area page with the projection's two charts, which once had style attributes.
    let emmen = get("/gebied/GM0114").await;
    assert!(emmen.body.contains("class=\"ssr-chart\""));
}

#[tokio::test]
async fn the_dashboard_links_content_hashed_assets_cached_for_a_year() {
    let index = get("/").await;
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let start = index
        .body
        .find("src=\"/assets/app.")
        .expect("a hashed app.js")
        + 5;
    let path: String = index.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert!(
        path.len() == "/assets/app.0123456789abcdef.js".len()
            && path.to_ascii_lowercase().ends_with(".js"),
        "{path}"
    );
    let hashed = get(&path).await;
    assert_eq!(hashed.status, StatusCode::OK);
    assert_eq!(
        hashed.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(
        hashed
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    // The old name still works, briefly cached, same bytes.
    let plain = get("/assets/app.js").await;
    assert_eq!(plain.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(plain.body, hashed.body);
    // The fact sheets' stylesheet is an asset too, linked by the sheets.
    let sheet = get("/factsheet/GM0114").await;
    assert!(
        sheet
            .body
            .contains("<link rel=\"stylesheet\" href=\"/assets/factsheet.")
    );
    let again = get_with(
        app_support::bundled_store(),
        &path,
        &[("if-none-match", hashed.header("etag").unwrap())],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn a_matching_if_none_match_is_answered_304_without_a_body() {
    for uri in [
        "/api/v1/areas?level=municipality",
        "/tabel",
        "/api/v1/openapi.json",
    ] {
        let first = get(uri).await;
        assert_eq!(first.status, StatusCode::OK);
        let etag = first.header("etag").expect("an ETag").to_owned();
        assert!(etag.starts_with("W/\""), "{etag}");
        assert_eq!(
            first.header("cache-control"),
            Some("public, max-age=300, must-revalidate")
        );
        assert_eq!(
            first.header("last-modified"),
            Some("Thu, 01 Jan 2026 00:00:00 GMT")
        );
        let state = app_support::bundled_store();
        let again = get_with(state.clone(), uri, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert_eq!(again.body, "");
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let other = get_with(state.clone(), uri, &[("if-none-match", "W/\"0\"")]).await;
        assert_eq!(other.status, StatusCode::OK, "{uri}");
        let since = get_with(
            state.clone(),
            uri,
            &[("if-modified-since", "Thu, 01 Jan 2026 00:00:00 GMT")],
        )
        .await;
        assert_eq!(since.status, StatusCode::NOT_MODIFIED, "{uri}");
        let before = get_with(
            state,
            uri,
            &[("if-modified-since", "Wed, 31 Dec 2025 00:00:00 GMT")],
        )
        .await;
        assert_eq!(before.status, StatusCode::OK, "{uri}");
    }
    // Errors carry no validator, nor do unknown paths, whatever the client sends.
    assert_eq!(get("/api/v1/areas/GM9999").await.header("etag"), None);
    let unknown = get_with(
        app_support::bundled_store(),
        "/api/v1/nope",
        &[("if-none-match", "*")],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // The API's index is data like the rest, not the dashboard's page.
    assert_eq!(
        get("/api/v1").await.header("cache-control"),
        Some("public, max-age=300, must-revalidate")
    );
}

/// The bundled data imported into a store of its own, served without prepared monitors (as a
/// server is before `with_monitors`), with the store's path to write to.
fn own_store() -> (tempfile::TempDir, std::path::PathBuf, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leefbaar.sqlite");
    let manifest =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let options = ImportOptions::new(manifest, &path);
    import_bundle(&options, "2026-01-01T00:00:00Z", &mut |_| {}).unwrap();
    let pool = SqliteReadPool::open(&path, 2).unwrap();
    let state = AppState::load(Arc::new(pool)).unwrap();
    (dir, path, state)
}

#[tokio::test]
async fn a_new_import_changes_the_etag_so_no_stale_copy_is_confirmed() {
    let (_dir, path, state) = own_store();
    let uri = "/api/v1/observations?indicator=inhabitants&area=PV22";
    let before = get_with(state.clone(), uri, &[]).await;
    let old_tag = before.header("etag").unwrap().to_owned();
    // Not ready: the monitors were never prepared.
    let readyz = get_with(state.clone(), "/readyz", &[]).await;
    let json = assert_error_shape(&readyz, 503);
    assert!(
        json["error"].as_str().unwrap().contains("not prepared"),
        "{json}"
    );

    let mut store = SqliteStore::open(&path).unwrap();
    let mut record = store.latest_import().unwrap().unwrap();
    record.imported_at = "2027-01-01T00:00:00Z".to_owned();
    store
        .import(&ImportBatch {
            bundle: Some(record),
            ..ImportBatch::default()
        })
        .unwrap();

    let stale = get_with(state.clone(), uri, &[("if-none-match", &old_tag)]).await;
    assert_eq!(
        stale.status,
        StatusCode::OK,
        "an old copy must not be confirmed"
    );
    let new_tag = stale.header("etag").unwrap();
    assert_ne!(new_tag, old_tag);
    assert_eq!(
        stale.header("last-modified"),
        Some("Fri, 01 Jan 2027 00:00:00 GMT")
    );
    let current = get_with(state, uri, &[("if-none-match", new_tag)]).await;
    assert_eq!(current.status, StatusCode::NOT_MODIFIED);
}

fn limited(rate: f64, burst: u32) -> AppState {
    app_support::bundled_store().with_http(HttpSettings {
        rate_limit_per_second: rate,
        rate_burst: burst,
        ..HttpSettings::default()
    })
}

#[tokio::test]
async fn a_client_past_its_burst_gets_429_with_retry_after_in_the_error_shape() {
    let state = limited(0.5, 3);
    for _ in 0..3 {
        let answer = send(
            state.clone(),
            from_client("/api/v1/indicators", "192.0.2.7"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let refused = send(
        state.clone(),
        from_client("/api/v1/indicators", "192.0.2.7"),
    )
    .await;
    let json = assert_error_shape(&refused, 429);
    assert_eq!(refused.header("retry-after"), Some("2"));
    assert!(json["error"].as_str().unwrap().contains("try again in 2 s"));
    // The API's CORS header is on the refusal too, so a script elsewhere can read it.
    assert_eq!(refused.header("access-control-allow-origin"), Some("*"));
    // Pages count against the same bucket; other clients and the probes do not.
    let page = send(state.clone(), from_client("/tabel", "192.0.2.7")).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let other = send(
        state.clone(),
        from_client("/api/v1/indicators", "192.0.2.8"),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
    let health = send(state.clone(), from_client("/healthz", "192.0.2.7")).await;
    assert_eq!(health.status, StatusCode::OK);
    let metrics = send(state, from_client("/metrics", "192.0.2.7")).await;
    assert!(
        metrics
            .body
            .contains("leefbaar_http_rate_limited_total 2\n"),
        "{}",
        metrics.body
    );
    // A rate of 0 turns the limit off.
    let unlimited = limited(0.0, 1);
    for _ in 0..5 {
        let answer = send(unlimited.clone(), from_client("/api/v1", "192.0.2.7")).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let state = app_support::bundled_store().with_http(HttpSettings {
        rate_limit_per_second: 0.5,
        rate_burst: 1,
        trust_forwarded_for: true,
        ..HttpSettings::default()
    });
    let forwarded = |client: &str| {
        let mut request = from_client("/api/v1", "10.0.0.1");
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("203.0.113.9, {client}").parse().unwrap(),
        );
        request
    };
    assert_eq!(
        send(state.clone(), forwarded("198.51.100.1")).await.status,
        StatusCode::OK
    );
    // Same proxy, another client: its own bucket.
    assert_eq!(
        send(state.clone(), forwarded("198.51.100.2")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(state, forwarded("198.51.100.1")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_oversized_headers_431() {
    let request = Request::builder()
        .uri("/api/v1/areas")
        .header("content-length", "100000")
        .body(Body::from(vec![b'x'; 100_000]))
        .unwrap();
    let answer = send(app_support::bundled_store(), request).await;
    assert_error_shape(&answer, 413);
    let small = Request::builder()
        .uri("/api/v1")
        .header("content-length", "10")
        .body(Body::from(vec![b'x'; 10]))
        .unwrap();
    assert_eq!(
        send(app_support::bundled_store(), small).await.status,
        StatusCode::OK
    );
    let big_header = "x".repeat(20_000);
    let answer = get_with(
        app_support::bundled_store(),
        "/api/v1",
        &[("x-padding", &big_header)],
    )
    .await;
    assert_error_shape(&answer, 431);
}

#[tokio::test]
async fn a_request_over_the_time_limit_gets_503_in_the_error_shape() {
    let state = app_support::bundled_store().with_http(HttpSettings {
        request_timeout: Duration::from_nanos(1),
        ..HttpSettings::default()
    });
    let answer = get_with(state, "/api/v1/observations?indicator=inhabitants", &[]).await;
    let json = assert_error_shape(&answer, 503);
    assert!(
        json["error"].as_str().unwrap().contains("took longer than"),
        "{json}"
    );
}

#[tokio::test]
async fn cors_opens_the_api_to_every_origin_and_not_the_pages() {
    let api = get_with(
        app_support::bundled_store(),
        "/api/v1/indicators",
        &[("origin", "https://example.org")],
    )
    .await;
    assert_eq!(api.header("access-control-allow-origin"), Some("*"));
    for uri in ["/tabel", "/", "/assets/app.js", "/healthz"] {
        let answer = get_with(
            app_support::bundled_store(),
            uri,
            &[("origin", "https://example.org")],
        )
        .await;
        assert_eq!(answer.header("access-control-allow-origin"), None, "{uri}");
    }
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/v1/observations?indicator=inhabitants")
        .header("origin", "https://example.org")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .body(Body::empty())
        .unwrap();
    let answer = send(app_support::bundled_store(), preflight).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        answer.header("access-control-allow-methods"),
        Some("GET, HEAD, OPTIONS")
    );
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("if-none-match")
    );
    // Pages answer no preflight: the read-only API's 405.
    let page = Request::builder()
        .method("OPTIONS")
        .uri("/tabel")
        .body(Body::empty())
        .unwrap();
    assert_error_shape(&send(app_support::bundled_store(), page).await, 405);
}

#[tokio::test]
async fn healthz_is_alive_and_readyz_names_the_prepared_models() {
    let health = get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["data"]["status"], "alive");
    assert_eq!(health.header("cache-control"), Some("no-store"));
    let ready = get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    let json = ready.json();
    assert_eq!(json["data"]["status"], "ready");
    assert_eq!(json["data"]["models"]["reach"], true);
    assert_eq!(json["data"]["models"]["projection"], true);
    assert_eq!(json["data"]["import"]["bundle"], "drenthe");
    // A probe may use HEAD.
    let (status, _, body) =
        app_support::request(app_support::bundled_store(), "HEAD", "/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty());
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_time_them() {
    let state = app_support::bundled_store().with_http(HttpSettings::default());
    for uri in [
        "/api/v1/areas/GM0114",
        "/api/v1/areas/GM0106",
        "/api/v1/nope",
        "/gebied/GM0114",
    ] {
        get_with(state.clone(), uri, &[]).await;
    }
    // A 304 is counted under its route too, though no handler ran.
    let first = get_with(state.clone(), "/tabel", &[]).await;
    let etag = first.header("etag").unwrap();
    let again = get_with(state.clone(), "/tabel", &[("if-none-match", etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let metrics = get_with(state.clone(), "/metrics", &[]).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics
            .header("content-type")
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = metrics.body;
    for line in [
        "leefbaar_http_requests_total{route=\"/api/v1/areas/{code}\",status=\"200\"} 2\n",
        "leefbaar_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n",
        "leefbaar_http_requests_total{route=\"/gebied/{code}\",status=\"200\"} 1\n",
        "leefbaar_http_requests_total{route=\"/tabel\",status=\"304\"} 1\n",
        "leefbaar_http_request_duration_seconds_count{route=\"/api/v1/areas/{code}\"} 2\n",
        "leefbaar_http_request_duration_seconds_bucket{route=\"/api/v1/areas/{code}\",le=\"+Inf\"} 2\n",
        "leefbaar_model_prepared{model=\"reach\"} 1\n",
        "leefbaar_model_prepared{model=\"projection\"} 1\n",
        "# TYPE leefbaar_store_query_duration_seconds histogram\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // No raw path with a code is ever a label.
    assert!(!text.contains("GM0114"), "{text}");
    let store_queries: u64 = text
        .lines()
        .find_map(|line| line.strip_prefix("leefbaar_store_query_duration_seconds_count "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(store_queries >= 4, "{store_queries}");
}

#[tokio::test]
async fn every_api_answer_names_the_release_of_its_data_and_pages_do_not() {
    let answer = get("/api/v1/areas/GM0114").await;
    let name = answer
        .header("leefbaar-release")
        .expect("a Leefbaar-Release header");
    assert_eq!(answer.json()["meta"]["release"], name);
    let (bundle, fingerprint) = name.rsplit_once('-').unwrap();
    assert!(bundle.starts_with("drenthe-"), "{name}");
    assert!(
        fingerprint.len() == 8 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
    // Errors and 304s name it too: a client can always tell which data it was talking to.
    let missing = get("/api/v1/areas/GM9999").await;
    assert_error_shape(&missing, 404);
    assert_eq!(missing.header("leefbaar-release"), Some(name));
    let etag = answer.header("etag").unwrap();
    let confirmed = get_with(
        app_support::bundled_store(),
        "/api/v1/areas/GM0114",
        &[("if-none-match", etag)],
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::NOT_MODIFIED);
    assert_eq!(confirmed.header("leefbaar-release"), Some(name));
    assert_eq!(get("/tabel").await.header("leefbaar-release"), None);
}

#[tokio::test]
async fn the_current_release_is_listed_and_offered_as_one_zip_of_the_same_files() {
    // The first request builds the release; a debug build next to the other tests may take
    // longer than the server's default time limit.
    let patient = || {
        app_support::bundled_store().with_http(HttpSettings {
            request_timeout: Duration::from_mins(10),
            ..HttpSettings::default()
        })
    };
    let listing = get_with(patient(), "/api/v1/release", &[]).await;
    assert_eq!(listing.status, StatusCode::OK, "{}", listing.body);
    let json = listing.json();
    let release = &json["data"];
    let name = listing.header("leefbaar-release").unwrap();
    assert_eq!(release["id"], name);
    assert_eq!(release["created"], "2026-01-01T00:00:00Z");
    assert_eq!(release["download"], "/api/v1/release.zip");
    assert!(
        release["citation"].as_str().unwrap().starts_with(&format!(
            "Leefbaar Drenthe, release {name} (2026-01-01), CC BY 4.0, Bron: CBS"
        )),
        "{release:.300}"
    );
    let files = release["files"].as_array().unwrap();
    assert_eq!(json["meta"]["count"], files.len());
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    for path in [
        "README.md",
        "LICENSE",
        "SHA256SUMS",
        "catalogue.csv",
        "indicators/inhabitants.csv",
        "indicators/inhabitants.parquet",
        "boundaries/municipality.geojson",
    ] {
        assert!(paths.contains(&path), "{path} is not in the release");
    }
    let total: u64 = files.iter().map(|f| f["bytes"].as_u64().unwrap()).sum();
    assert_eq!(release["bytes"], total);

    // Asked for with gzip, the zip is not compressed a second time.
    let zip = get_with(
        patient(),
        "/api/v1/release.zip",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    assert_eq!(zip.header("content-encoding"), None);
    assert_eq!(
        zip.header("content-disposition"),
        Some(format!("attachment; filename=\"{name}.zip\"").as_str())
    );
    assert_eq!(zip.header("leefbaar-release"), Some(name));
    assert!(zip.body.starts_with("PK\u{3}\u{4}"));
    // The central directory names every file under a folder named after the release.
    for path in paths {
        assert!(
            zip.body.contains(&format!("{name}/{path}")),
            "{path} is not in the zip"
        );
    }
    let again = get("/api/v1/release.zip").await;
    assert!(
        again.body == zip.body,
        "the zip is built once and served again"
    );
}
