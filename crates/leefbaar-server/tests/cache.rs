//! The response cache against the real router, in process, on the bundled Drenthe data: a
//! repeated request is answered from the cache with the same bytes and headers, a new import
//! into the same store is visible at once, the byte budget holds, `304`s still work, and the
//! metrics count hits and misses.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use leefbaar_model::{AreaCode, CellValue};
use leefbaar_monitor::{ImportOptions, import_bundle};
use leefbaar_server::{AppState, HttpSettings, router};
use leefbaar_store::{ImportBatch, ObservationFilter, SqliteReadPool, SqliteStore, Store as _};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::support::app as app_support;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

async fn send(state: &AppState, request: Request<Body>) -> Answer {
    let response = router(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

async fn get(state: &AppState, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(state, request.body(Body::empty()).unwrap()).await
}

/// The bundled store with a fresh cache of `budget` bytes and fresh metrics.
fn with_cache(budget: usize) -> AppState {
    app_support::bundled_store().with_http(HttpSettings {
        response_cache_bytes: budget,
        ..HttpSettings::default()
    })
}

/// The value of a metric without labels.
async fn metric(state: &AppState, name: &str) -> u64 {
    let text = String::from_utf8(get(state, "/metrics", &[]).await.body).unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
        .parse()
        .unwrap()
}

const DISTRICTS: &str = "/api/v1/observations?indicator=inhabitants&level=district";

#[tokio::test]
async fn a_repeated_request_is_answered_from_the_cache_with_the_same_bytes_and_headers() {
    let state = with_cache(64 << 20);
    for uri in [
        DISTRICTS,
        "/api/v1/observations?indicator=inhabitants&level=municipality&format=csv",
        "/api/v1/areas/GM0114/profile",
        "/api/v1/reach/scenario?kind=primary_school&close=10VA00&level=municipality",
        "/gebied/GM0114",
    ] {
        let hits = metric(&state, "leefbaar_response_cache_hits_total").await;
        let first = get(&state, uri, &[]).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}");
        let second = get(&state, uri, &[]).await;
        assert_eq!(
            metric(&state, "leefbaar_response_cache_hits_total").await,
            hits + 1,
            "{uri}"
        );
        assert_eq!(second.status, StatusCode::OK, "{uri}");
        // A streamed answer (the CSV) has no length until it ends; its copy from the cache
        // knows it. Every other header is the same.
        let mut kept = second.headers.clone();
        if first.headers.get("content-length").is_none() {
            kept.remove("content-length");
        }
        assert_eq!(kept, first.headers, "{uri}");
        assert!(second.body == first.body, "{uri}: the bodies differ");
    }
    assert_eq!(
        metric(&state, "leefbaar_response_cache_misses_total").await,
        5
    );
    // The order of the parameters does not matter; the compression asked for does.
    let reordered = get(
        &state,
        "/api/v1/observations?level=district&indicator=inhabitants",
        &[],
    )
    .await;
    assert_eq!(
        metric(&state, "leefbaar_response_cache_hits_total").await,
        6
    );
    let plain = get(&state, DISTRICTS, &[]).await;
    assert!(reordered.body == plain.body);
    let gzip = get(&state, DISTRICTS, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let gzip_again = get(&state, DISTRICTS, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip_again.header("content-encoding"), Some("gzip"));
    assert!(gzip_again.body == gzip.body);
    assert!(gzip.body.len() < plain.body.len() / 4);
    assert_eq!(
        metric(&state, "leefbaar_response_cache_misses_total").await,
        6
    );
}

#[tokio::test]
async fn errors_and_answers_that_depend_on_the_client_are_not_kept() {
    let state = with_cache(64 << 20);
    for _ in 0..2 {
        let missing = get(&state, "/api/v1/areas/GM9999", &[]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let bad = get(&state, "/api/v1/observations?indicator=nope", &[]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
    assert_eq!(
        metric(&state, "leefbaar_response_cache_hits_total").await,
        0
    );
    assert_eq!(metric(&state, "leefbaar_response_cache_entries").await, 0);
    // HEAD has entries of its own: never a body, and a GET after it still gets one.
    for _ in 0..2 {
        let (status, _, body) = app_support::request(state.clone(), "HEAD", DISTRICTS).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.is_empty());
    }
    assert!(!get(&state, DISTRICTS, &[]).await.body.is_empty());
    // A client past its burst is refused even for an answer the cache holds, and the refusal
    // is not kept for the next client.
    let limited = app_support::bundled_store().with_http(HttpSettings {
        rate_limit_per_second: 0.1,
        rate_burst: 1,
        ..HttpSettings::default()
    });
    let from = |client: &str| {
        let mut request = Request::builder()
            .uri(DISTRICTS)
            .body(Body::empty())
            .unwrap();
        let address: SocketAddr = format!("{client}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(address));
        request
    };
    assert_eq!(
        send(&limited, from("192.0.2.1")).await.status,
        StatusCode::OK
    );
    let refused = send(&limited, from("192.0.2.1")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.header("retry-after").is_some());
    let other = send(&limited, from("192.0.2.2")).await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.header("retry-after"), None);
    // The headers every answer gets are added outside the cache, on hits too.
    assert_eq!(other.header("access-control-allow-origin"), Some("*"));
    assert!(other.header("content-security-policy").is_some());
}

#[tokio::test]
async fn a_conditional_request_is_answered_304_from_the_cache() {
    let state = with_cache(64 << 20);
    let first = get(&state, DISTRICTS, &[]).await;
    let etag = first.header("etag").unwrap().to_owned();
    let again = get(&state, DISTRICTS, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert_eq!(
        again.header("cache-control"),
        Some("public, max-age=300, must-revalidate")
    );
    assert_eq!(
        metric(&state, "leefbaar_response_cache_hits_total").await,
        1
    );
    let other = get(&state, DISTRICTS, &[("if-none-match", "W/\"0\"")]).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.body == first.body);
    // A 304 is counted under its route, as one that no cache answered is.
    let metrics = String::from_utf8(get(&state, "/metrics", &[]).await.body).unwrap();
    assert!(
        metrics.contains(
            "leefbaar_http_requests_total{route=\"/api/v1/observations\",status=\"304\"} 1\n"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_cache_stays_within_its_budget_by_evicting() {
    // Room for a few municipality profiles, not for all twelve.
    let budget = 200_000;
    let state = with_cache(budget);
    let areas = app_support::bundled_store();
    let municipalities = get(&areas, "/api/v1/areas?level=municipality", &[]).await;
    let codes: Vec<String> = municipalities.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|area| area["code"].as_str().unwrap().to_owned())
        .filter(|code| code.starts_with("GM"))
        .take(12)
        .collect();
    let mut kept_bytes = 0;
    for code in &codes {
        let answer = get(&state, &format!("/api/v1/areas/{code}/profile"), &[]).await;
        assert_eq!(answer.status, StatusCode::OK);
        kept_bytes += answer.body.len();
        let held = metric(&state, "leefbaar_response_cache_bytes").await;
        assert!(held <= budget as u64, "{held} bytes held");
    }
    assert!(kept_bytes > budget, "the test must overfill the cache");
    assert!(metric(&state, "leefbaar_response_cache_evictions_total").await > 0);
    assert_eq!(
        metric(&state, "leefbaar_response_cache_budget_bytes").await,
        budget as u64
    );
    // A budget of 0 is no cache: no cache metrics, every request goes through.
    let off = with_cache(0);
    get(&off, DISTRICTS, &[]).await;
    let metrics = String::from_utf8(get(&off, "/metrics", &[]).await.body).unwrap();
    assert!(!metrics.contains("leefbaar_response_cache"), "{metrics}");
}

/// The value of inhabitants of Drenthe in its last year, as the API serves it.
fn drenthe_inhabitants(answer: &Answer) -> f64 {
    let rows = answer.json()["data"].as_array().unwrap().clone();
    rows.last().unwrap()["value"].as_f64().unwrap()
}

#[tokio::test]
async fn after_a_new_import_the_next_answer_holds_the_new_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leefbaar.sqlite");
    let manifest =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    import_bundle(
        &ImportOptions::new(manifest, &path),
        "2026-01-01T00:00:00Z",
        &mut |_| {},
    )
    .unwrap();
    let state = AppState::load(Arc::new(SqliteReadPool::open(&path, 2).unwrap())).unwrap();
    let uri = "/api/v1/observations?indicator=inhabitants&area=PV22";
    let before = get(&state, uri, &[]).await;
    let cached = get(&state, uri, &[]).await;
    assert!(cached.body == before.body);
    assert_eq!(
        metric(&state, "leefbaar_response_cache_hits_total").await,
        1
    );
    let old_value = drenthe_inhabitants(&before);

    // A changed batch, imported through a writable store on the same file while the server's
    // state is live: Drenthe's last count is 1,000 higher, from a newer import.
    let mut store = SqliteStore::open(&path).unwrap();
    let mut changed = store
        .observations(&ObservationFilter {
            indicators: vec!["inhabitants".to_owned()],
            areas: vec![AreaCode::parse("PV22").unwrap()],
            ..ObservationFilter::default()
        })
        .unwrap()
        .pop()
        .unwrap();
    changed.value = CellValue::Value(old_value + 1000.0);
    let mut record = store.latest_import().unwrap().unwrap();
    record.imported_at = "2027-01-01T00:00:00Z".to_owned();
    store
        .import(&ImportBatch {
            observations: vec![changed],
            bundle: Some(record),
            ..ImportBatch::default()
        })
        .unwrap();

    let after = get(&state, uri, &[]).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(drenthe_inhabitants(&after), old_value + 1000.0);
    assert_ne!(after.header("etag"), before.header("etag"));
    assert_eq!(
        after.header("last-modified"),
        Some("Fri, 01 Jan 2027 00:00:00 GMT")
    );
    // The new import's answer is cached in turn, and the old one is gone.
    let again = get(&state, uri, &[]).await;
    assert!(again.body == after.body);
    assert_eq!(
        metric(&state, "leefbaar_response_cache_hits_total").await,
        2
    );
    assert_eq!(metric(&state, "leefbaar_response_cache_entries").await, 1);
    // An old copy is not confirmed.
    let stale = get(
        &state,
        uri,
        &[("if-none-match", before.header("etag").unwrap())],
    )
    .await;
    assert_eq!(stale.status, StatusCode::OK);
}
