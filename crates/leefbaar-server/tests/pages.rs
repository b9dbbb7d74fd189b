//! The server-rendered pages (`/gebied/{code}`, `/tabel`) in process, on a store built from the
//! real bundled Drenthe data: status, language, the numbers, accessible table markup, balanced
//! tags, and error pages.

use axum::http::StatusCode;

use crate::support::html;
use html::{assert_balanced, body_rows};

use crate::support::app as app_support;

async fn get(uri: &str) -> (StatusCode, String, String) {
    let (status, content_type, body) =
        app_support::request(app_support::bundled_store(), "GET", uri).await;
    (status, content_type, String::from_utf8(body).unwrap())
}

#[tokio::test]
async fn the_area_page_of_emmen_has_key_figures_next_to_drenthe_and_the_netherlands() {
    let (status, content_type, html) = get("/gebied/GM0114").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert_balanced("/gebied/GM0114", &html);
    assert!(html.contains(r#"<html lang="nl">"#));
    assert!(html.contains(r#"<h1 id="page-title">Emmen</h1>"#));
    assert!(html.contains(r#"<th scope="col" class="num">Drenthe</th>"#));
    assert!(html.contains(r#"<th scope="col" class="num">Nederland</th>"#));
    // Emmen's inhabitants on 1 January 2024, in Dutch number format.
    assert!(html.contains("109.346"), "Emmen's 2024 inhabitants");
    assert!(
        html.contains("1 van 12"),
        "rank among Drenthe's municipalities"
    );
    // Key figures, by year, similar municipalities; the projection's two tables.
    assert_eq!(html.matches("<caption").count(), 5);
    assert!(!html.contains("<th>"), "every th has a scope");
    assert!(html.contains("/api/v1/observations?area=GM0114&amp;format=csv"));
    assert!(html.contains(r#"<a href="/factsheet/GM0114.pdf" type="application/pdf">"#));
    assert!(html.contains("CC BY 4.0"));
    assert_eq!(body_rows(&html, "key-figures"), body_rows(&html, "by-year"));
    assert!(body_rows(&html, "key-figures") >= 40);
    // Ranked also among the ten municipalities most like it, across the country.
    assert!(html.contains("Rang onder 11 vergelijkbare gemeenten in Nederland"));
    assert!(html.contains(r#"<p class="similar" id="similar-areas">"#));
    assert_eq!(
        html.split(r#"id="similar-areas""#)
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap()
            .matches(r#"<a href="/gebied/GM"#)
            .count(),
        10
    );
}

#[tokio::test]
async fn the_area_page_speaks_english_with_lang_en() {
    let (status, _, html) = get("/gebied/WK011401?lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert_balanced("/gebied/WK011401?lang=en", &html);
    assert!(html.contains(r#"<html lang="en">"#));
    assert!(html.contains("Key figures"));
    assert!(html.contains(r#"href="/gebied/WK011401" lang="nl""#));
    assert!(html.contains(r#"<th scope="col" class="num">Emmen</th>"#));
}

#[tokio::test]
async fn an_unknown_area_gets_a_404_page() {
    for uri in [
        "/gebied/GM9999",
        "/gebied/nonsense",
        "/gebied/GM9999?lang=en",
    ] {
        let (status, content_type, html) = get(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(content_type.starts_with("text/html"), "{uri}");
        assert_balanced(uri, &html);
    }
}

#[tokio::test]
async fn the_table_lists_the_twelve_municipalities_with_drenthe_and_the_netherlands() {
    let uri = "/tabel?indicator=share_65_plus&year=2024&level=municipality";
    let (status, _, html) = get(uri).await;
    assert_eq!(status, StatusCode::OK);
    assert_balanced(uri, &html);
    assert_eq!(body_rows(&html, "values"), 12);
    let tfoot = &html[html.find("<tfoot>").unwrap()..html.find("</tfoot>").unwrap()];
    assert!(tfoot.contains(">Drenthe<") && tfoot.contains(">Nederland<"));
    assert!(html.contains(r#"<a href="/gebied/GM0106">Assen</a>"#));
    assert!(html.contains(
        "/api/v1/observations?indicator=share_65_plus&amp;level=municipality&amp;parent=PV22&amp;year=2024&amp;format=csv"
    ));
}

#[tokio::test]
async fn the_table_has_defaults_districts_and_english() {
    let (status, _, html) = get("/tabel").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body_rows(&html, "values"), 12);
    let uri = "/tabel?indicator=inhabitants&level=district&lang=en";
    let (status, _, html) = get(uri).await;
    assert_eq!(status, StatusCode::OK);
    assert_balanced(uri, &html);
    assert!(html.contains(r#"<html lang="en">"#));
    assert_eq!(body_rows(&html, "values"), 189);
    assert!(html.contains(r#"<input type="hidden" name="lang" value="en">"#));
}

#[tokio::test]
async fn bad_table_parameters_get_error_pages() {
    for (uri, expected) in [
        ("/tabel?indicator=nope", StatusCode::NOT_FOUND),
        ("/tabel?year=20x4", StatusCode::BAD_REQUEST),
        ("/tabel?level=planet", StatusCode::BAD_REQUEST),
    ] {
        let (status, _, html) = get(uri).await;
        assert_eq!(status, expected, "{uri}");
        assert!(html.contains(r#"role="alert""#), "{uri}");
        assert_balanced(uri, &html);
    }
    // A year without data falls back to the latest one, with a note.
    let (status, _, html) = get("/tabel?indicator=share_65_plus&year=2013").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"role="status""#));
}

/// The pages name the province the store's bundle monitors, not a fixed one: a server
/// started without its bundle's monitors names none, and its table compares with the
/// Netherlands only.
#[tokio::test]
async fn without_a_monitored_province_the_pages_name_none() {
    let state = app_support::bundled_store().with_monitors(leefbaar_monitor::Monitors::default());
    for uri in [
        "/tabel?indicator=share_65_plus&year=2024&level=municipality",
        "/gebied/GM0106",
        "/gebied/GM9999",
    ] {
        let (_, _, body) = app_support::request(state.clone(), "GET", uri).await;
        let html = String::from_utf8(body).unwrap();
        assert_balanced(uri, &html);
        assert!(
            html.contains(r#"<a href="/">Leefbaar</a>"#),
            "{uri}: the header names no province"
        );
        assert!(!html.contains("leefbaarheidsmonitor Drenthe"), "{uri}");
    }
    // The area page still compares Assen with its own parents, Drenthe among them; only the
    // description, which names the monitored province, leaves it out.
    let (_, _, body) = app_support::request(state.clone(), "GET", "/gebied/GM0106").await;
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(
        r#"content="Kerncijfers van Assen (gemeente GM0106) met vergelijking met Nederland, per jaar"#
    ));
    let uri = "/tabel?indicator=share_65_plus&year=2024&level=municipality";
    let (_, _, body) = app_support::request(state, "GET", uri).await;
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("op naam; Nederland onderaan."));
    let tfoot = &html[html.find("<tfoot>").unwrap()..html.find("</tfoot>").unwrap()];
    assert!(!tfoot.contains(">Drenthe<") && tfoot.contains(">Nederland<"));
    assert!(!html.contains("parent=PV22"));
}
