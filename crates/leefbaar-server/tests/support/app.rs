//! The application the server's test binaries drive: the bundled store, built once per test
//! binary, and requests to the router in process.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use leefbaar_server::{AppState, router};
use tower::ServiceExt as _;

use super::store;

/// The bundled Drenthe data in a store built the way `leefbaar import` builds it; one store per
/// test binary, so the tests share the import.
pub fn bundled_store() -> AppState {
    static STATE: OnceLock<(tempfile::TempDir, AppState)> = OnceLock::new();
    STATE.get_or_init(store::bundled_state).1.clone()
}

/// Sends `method uri` without a body to the router on `state`; returns the status, the
/// `content-type` (empty when there is none) and the body.
pub async fn request(state: AppState, method: &str, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let response = router(state)
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, content_type, bytes.to_vec())
}
