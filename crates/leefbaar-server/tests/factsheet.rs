//! The fact sheet route in process, on a store built from the real bundled Drenthe data:
//! snapshots of the generated text (nl, en) and of one sheet, the sheet's numbers against the
//! API's, and the PDF variant.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use leefbaar_server::{AppState, router};
use serde_json::Value;
use tower::ServiceExt as _;

#[path = "support/store.rs"]
mod store_support;

/// One store per test binary, built the way `leefbaar import` builds it.
fn state() -> AppState {
    static STATE: OnceLock<(tempfile::TempDir, AppState)> = OnceLock::new();
    STATE.get_or_init(store_support::bundled_state).1.clone()
}

async fn request(uri: &str) -> (StatusCode, String, Vec<u8>) {
    let response = router(state())
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, bytes.to_vec())
}

async fn sheet(code: &str, lang: &str) -> String {
    let (status, kind, body) = request(&format!(
        "/factsheet/{code}?theme=leefbaarheid&year=2024&lang={lang}"
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(kind.starts_with("text/html"), "{kind}");
    String::from_utf8(body).unwrap()
}

fn summary(html: &str) -> &str {
    let start = html.find(r#"<p id="summary">"#).unwrap() + r#"<p id="summary">"#.len();
    let end = start + html[start..].find("</p>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn generated_text_of_emmen_and_assen() {
    for (code, name) in [("GM0114", "emmen"), ("GM0106", "assen")] {
        for lang in ["nl", "en"] {
            let html = sheet(code, lang).await;
            insta::assert_snapshot!(format!("summary_{name}_{lang}"), summary(&html));
        }
    }
}

#[tokio::test]
async fn the_html_sheet_of_emmen() {
    let html = sheet("GM0114", "nl").await;
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(
        !html.contains("<link") && !html.contains("<script"),
        "no external resources"
    );
    insta::assert_snapshot!("sheet_emmen_nl", html);
}

/// Every key figure on the sheet equals the API's observation for the same area and year,
/// rounded as the sheet shows it.
#[tokio::test]
async fn the_numbers_on_the_sheet_equal_the_api() {
    for code in ["GM0114", "GM0106", "WK011401"] {
        let html = sheet(code, "en").await;
        let mut checked = 0;
        for tile in html.split(r#"<li class="tile" "#).skip(1) {
            let attr = |name: &str| {
                let key = format!(r#"{name}=""#);
                let start = tile.find(&key).unwrap() + key.len();
                tile[start..start + tile[start..].find('"').unwrap()].to_owned()
            };
            let (indicator, year, shown) = (
                attr("data-indicator"),
                attr("data-year"),
                attr("data-value"),
            );
            let (status, _, body) = request(&format!(
                "/api/v1/observations?indicator={indicator}&area={code}&year={year}"
            ))
            .await;
            assert_eq!(status, StatusCode::OK);
            let json: Value = serde_json::from_slice(&body).unwrap();
            let value = json["data"][0]["value"].as_f64().unwrap();
            let decimals = shown.split('.').nth(1).map_or(0, str::len);
            assert_eq!(
                format!("{value:.decimals$}"),
                shown,
                "{code} {indicator} {year}"
            );
            checked += 1;
        }
        assert!((4..=8).contains(&checked), "{code}: {checked} tiles");
    }
}

#[tokio::test]
async fn the_pdf_sheet_is_one_a4_page() {
    let (status, kind, body) = request("/factsheet/GM0114.pdf?lang=en").await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(kind, "application/pdf");
    assert!(body.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&body);
    // The page tree's dictionary is not compressed: `/Type/Pages/Count N`.
    let count = text
        .split("/Type/Pages")
        .nth(1)
        .and_then(|rest| rest.split("/Count").nth(1))
        .map(|rest| {
            rest.trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .unwrap();
    assert_eq!(count, "1");
    assert!(text.contains("/Lang"), "the document language is set");
}

#[tokio::test]
async fn unknown_areas_and_themes_are_refused() {
    let (status, _, _) = request("/factsheet/GM9999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = request("/factsheet/GM0114?theme=onderwijs").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
