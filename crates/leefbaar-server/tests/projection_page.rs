//! The population projection on the area pages (`/gebied/{code}`), on a store built from the
//! real bundled Drenthe data and the projection `leefbaar serve` prepares: the chart with its
//! band and variants, the pyramid, their tables, the classification in words and the scenario
//! note; accessible markup (title/desc, captions, scoped headers, dashed vs solid lines).

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use leefbaar_server::{AppState, router};
use tower::ServiceExt as _;

use crate::support::html;
use html::{assert_balanced, body_rows};

use crate::support::store as store_support;

/// One store per test binary, built the way `leefbaar import` builds it, with the projection.
fn state() -> AppState {
    static STATE: OnceLock<(tempfile::TempDir, AppState)> = OnceLock::new();
    STATE.get_or_init(store_support::bundled_state).1.clone()
}

async fn get(uri: &str) -> (StatusCode, String) {
    let response = router(state())
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The projection section of a page.
fn section(html: &str) -> &str {
    let start = html
        .find(r#"<section aria-labelledby="projection-h""#)
        .expect("a projection section");
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn emmen_shows_the_projection_chart_pyramid_tables_and_class() {
    let (status, html) = get("/gebied/GM0114").await;
    assert_eq!(status, StatusCode::OK);
    assert_balanced("/gebied/GM0114", &html);
    let part = section(&html);
    assert!(part.contains(r#"<h2 id="projection-h">Bevolkingsprognose</h2>"#));
    // Two SVGs, each an image named by its title and description.
    assert_eq!(part.matches("<svg ").count(), 2);
    assert!(
        part.contains(
            r#"role="img" aria-labelledby="projection-chart-title projection-chart-desc""#
        )
    );
    assert!(part.contains(r#"<title id="pyramid-title">Bevolkingspiramide Emmen, 2020 en 2040"#));
    assert_eq!(part.matches("<desc ").count(), 2);
    // Medium solid, low and high dashed, the band a polygon; labelled at the line ends.
    assert_eq!(part.matches(r#"stroke-dasharray="6 4""#).count(), 2);
    assert!(part.contains("<polygon "));
    for label in [">hoog<", ">midden<", ">laag<"] {
        assert!(part.contains(label), "{label}");
    }
    // Text alternatives: 21 years, 20 five-year groups; every header scoped.
    assert_eq!(body_rows(part, "projection-table"), 21);
    assert_eq!(body_rows(part, "pyramid-table"), 20);
    assert_eq!(part.matches("<caption").count(), 2);
    assert!(!part.contains("<th>"));
    assert!(part.contains(r#"<th scope="row">95+</th>"#));
    // Emmen's 2020 population and its class in words, with the scenario note.
    assert!(part.contains("107.048"), "Emmen on 1 January 2020");
    assert!(part.contains("<strong>anticipeergebied</strong>"));
    // −4.35 in the API; the dashboard shows it as −4,4 % too.
    assert!(part.contains("−4,4\u{a0}%"), "population change");
    assert!(part.contains("geen voorspelling"));
    assert!(part.contains("1,41 %"), "the back-test's mean error");
    assert!(part.contains(r#"href="/api/v1/projection/GM0114""#));
}

#[tokio::test]
async fn drenthe_has_the_section_in_english_and_districts_do_not() {
    let (status, html) = get("/gebied/PV22?lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert_balanced("/gebied/PV22?lang=en", &html);
    let part = section(&html);
    assert!(part.contains("Population projection"));
    assert!(part.contains("not a forecast"));
    assert!(part.contains("<strong>stable</strong>"));
    assert!(part.contains("493,682"), "Drenthe on 1 January 2020");
    assert!(part.contains(">Men<") && part.contains(">Women<"));
    // Districts and the country have no projection.
    for uri in ["/gebied/WK011401", "/gebied/NL01"] {
        let (status, html) = get(uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!html.contains("projection-h"), "{uri}");
    }
}
