//! The fact sheet route in process, on a store built from the real bundled Drenthe data:
//! snapshots of the generated text (nl, en) of municipalities and districts and of two sheets,
//! the Hartveilig sheet of De Wolden with its synthetic notice,
//! the map inset, the sheet's numbers against the API's profile, and the PDF checked with
//! poppler (`pdfinfo`, `pdffonts`, `pdftoppm`; without the `pdf` feature, its 404).

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::app as app_support;

async fn request(uri: &str) -> (StatusCode, String, Vec<u8>) {
    app_support::request(app_support::bundled_store(), "GET", uri).await
}

async fn sheet(code: &str, lang: &str) -> String {
    sheet_of(code, "leefbaarheid", lang).await
}

async fn sheet_of(code: &str, theme: &str, lang: &str) -> String {
    let (status, kind, body) = request(&format!(
        "/factsheet/{code}?theme={theme}&year=2024&lang={lang}"
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
async fn generated_text_of_municipalities_and_districts() {
    for (code, name) in [
        ("GM0114", "emmen"),
        ("GM0106", "assen"),
        ("WK010601", "lariks"),
    ] {
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
    // Served, the sheet links its stylesheet from this server (the Content-Security-Policy
    // forbids inline styles); nothing else is fetched, and `leefbaar factsheet` inlines it.
    assert_eq!(html.matches("<link").count(), 1);
    assert!(html.contains(r#"<link rel="stylesheet" href="/assets/factsheet."#));
    assert!(!html.contains("<script") && !html.contains("<style"));
    insta::assert_snapshot!("sheet_emmen_nl", html);
}

/// A district's sheet: compared with its municipality too, ranked among the municipality's
/// districts, and saying what districts lack. See: issue #7.
#[tokio::test]
async fn the_html_sheet_of_a_district() {
    let html = sheet("WK010601", "en").await;
    insta::assert_snapshot!("sheet_lariks_en", html);
}

/// The inset is inline SVG with a text alternative naming the area and its parent: the area
/// filled, the other areas of its parent outlined, small enough to inline.
#[tokio::test]
async fn the_map_inset_shows_the_area_among_its_neighbours() {
    for (code, lang, title, areas) in [
        ("GM0114", "nl", "Kaart: ligging van Emmen in Drenthe", 12),
        (
            "WK011401",
            "en",
            "Map: location of Wijk 01 Nieuw-Weerdinge in Emmen",
            27,
        ),
        ("WK010601", "en", "Map: location of Lariks in Assen", 10),
    ] {
        let html = sheet(code, lang).await;
        let start = html.find(r#"<figure class="inset"><svg"#).unwrap();
        let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
        let svg = &html[start..end];
        assert!(
            svg.contains(r#"role="img" aria-labelledby="map-t map-d""#),
            "{code}"
        );
        assert!(svg.contains(&format!(r#"<title id="map-t">{title}</title>"#)));
        assert_eq!(svg.matches("<path ").count(), areas, "{code}");
        assert_eq!(svg.matches(r##"fill="#1f4e79""##).count(), 1, "{code}");
        assert!(svg.len() < 10_000, "{code}: {} bytes", svg.len());
    }
}

/// Every key figure on the sheet, and the values of the municipality, province and country it
/// is compared with, equal the API's profile of the same area and year, rounded as the sheet
/// shows them. See: issue #7.
#[tokio::test]
async fn the_numbers_on_the_sheet_equal_the_api() {
    for (code, theme) in [
        ("GM0114", "leefbaarheid"),
        ("GM0106", "leefbaarheid"),
        ("WK011401", "leefbaarheid"),
        ("WK010601", "leefbaarheid"),
        ("GM1690", "hartveilig"),
    ] {
        let html = sheet_of(code, theme, "en").await;
        let tiles: Vec<&str> = html.split(r#"<li class="tile" "#).skip(1).collect();
        let attr = |tile: &str, name: &str| {
            let key = format!(r#" {name}=""#);
            let start = tile.find(&key)? + key.len();
            Some(tile[start..start + tile[start..].find('"')?].to_owned())
        };
        let attr = |tile: &str, name: &str| attr(&format!(" {tile}"), name);
        let ids: Vec<String> = tiles
            .iter()
            .map(|t| attr(t, "data-indicator").unwrap())
            .collect();
        let (status, _, body) = request(&format!(
            "/api/v1/areas/{code}/profile?indicator={}",
            ids.join(",")
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let profile: Value = serde_json::from_slice(&body).unwrap();
        let comparators: Vec<String> = profile["data"]["comparators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .collect();
        for tile in &tiles {
            let indicator = attr(tile, "data-indicator").unwrap();
            let year: u64 = attr(tile, "data-year").unwrap().parse().unwrap();
            let shown = attr(tile, "data-value").unwrap();
            let decimals = shown.split('.').nth(1).map_or(0, str::len);
            let entry = profile["data"]["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == indicator.as_str())
                .unwrap_or_else(|| panic!("{code}: {indicator} not in the profile"))["series"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["year"] == year)
                .unwrap_or_else(|| panic!("{code}: {indicator} {year} not in the profile"))
                .clone();
            let round = |v: &Value| v.as_f64().map(|v| format!("{v:.decimals$}"));
            assert_eq!(
                round(&entry["value"]).as_deref(),
                Some(shown.as_str()),
                "{code} {indicator} {year}"
            );
            for comparator in &comparators {
                let attribute = match &comparator[..2] {
                    "GM" => "data-municipality",
                    "PV" => "data-province",
                    _ => "data-country",
                };
                assert_eq!(
                    attr(tile, attribute),
                    round(&entry["comparators"][comparator]),
                    "{code} {indicator} {year}: {comparator}"
                );
            }
        }
        assert!(
            (6..=8).contains(&tiles.len()),
            "{code}: {} tiles",
            tiles.len()
        );
    }
}

/// Runs a poppler tool; a missing tool fails the test (CI installs `poppler-utils`).
#[cfg(feature = "pdf")]
fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run `{tool}` ({error}); install poppler-utils (Debian: apt-get install poppler-utils)")
        });
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The PDF opens in poppler as one tagged A4 page with every font embedded, and renders to
/// PNG; checked for a municipality, for the fullest district sheet and for a Hartveilig sheet
/// with its notice. See: issues #7 and #14.
#[cfg(feature = "pdf")]
#[tokio::test]
async fn the_pdf_sheets_are_one_tagged_a4_page_with_embedded_fonts() {
    let dir = tempfile::tempdir().unwrap();
    for (code, lang, theme) in [
        ("GM0114", "en", "leefbaarheid"),
        ("WK011401", "nl", "leefbaarheid"),
        ("GM1690", "nl", "hartveilig"),
    ] {
        let (status, kind, body) =
            request(&format!("/factsheet/{code}.pdf?lang={lang}&theme={theme}")).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        assert_eq!(kind, "application/pdf");
        assert!(
            String::from_utf8_lossy(&body).contains(&format!("/Lang({lang})")),
            "{code}: the document language is set"
        );
        let path = dir.path().join(format!("{code}.pdf"));
        fs_err::write(&path, &body).unwrap();

        let info = poppler("pdfinfo", &[path.as_os_str()]);
        let field = |name: &str| {
            let rest = info
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .unwrap_or_else(|| panic!("{code}: no `{name}` in pdfinfo:\n{info}"));
            rest.trim_start_matches(':').trim().to_owned()
        };
        assert_eq!(field("Pages"), "1", "{code}");
        assert_eq!(field("Page size"), "595.276 x 841.89 pts (A4)", "{code}");
        assert_eq!(field("Tagged"), "yes", "{code}");

        let fonts = poppler("pdffonts", &[path.as_os_str()]);
        // Two header lines, then one line per font ending in `emb sub uni object-id gen`.
        let rows: Vec<Vec<&str>> = fonts
            .lines()
            .skip(2)
            .map(|line| line.split_whitespace().collect())
            .collect();
        assert!(!rows.is_empty(), "{code}: no fonts\n{fonts}");
        for row in &rows {
            assert_eq!(row[row.len() - 5], "yes", "{code}: not embedded: {row:?}");
        }

        let png = dir.path().join(code);
        poppler(
            "pdftoppm",
            &[
                "-png".as_ref(),
                "-r".as_ref(),
                "30".as_ref(),
                "-singlefile".as_ref(),
                path.as_os_str(),
                png.as_os_str(),
            ],
        );
        let image = fs_err::read(png.with_extension("png")).unwrap();
        assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "{code}: not a PNG");
        // The IHDR chunk: width and height, big-endian, at bytes 16..24; A4 at 30 dpi.
        let size = |at: usize| u32::from_be_bytes(image[at..at + 4].try_into().unwrap());
        assert_eq!((size(16), size(20)), (249, 351), "{code}");
    }
}

/// Without the `pdf` feature the server has no typst: a PDF sheet is a 404 in the API's
/// error shape, the HTML sheet is still there.
#[cfg(not(feature = "pdf"))]
#[tokio::test]
async fn without_the_pdf_feature_a_pdf_sheet_is_a_404_in_the_api_error_shape() {
    let (status, kind, body) = request("/factsheet/GM0114.pdf").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(kind.starts_with("application/json"), "{kind}");
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["status"], 404);
    assert!(json["error"].as_str().unwrap().contains("feature `pdf`"));
    assert_eq!(json["errors"].as_array().unwrap().len(), 1);
    sheet("GM0114", "nl").await;
}

#[tokio::test]
async fn unknown_areas_and_themes_are_refused() {
    let (status, _, _) = request("/factsheet/GM9999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for uri in [
        "/factsheet/GM0114?theme=onderwijs",
        "/factsheet/GM0114.pdf?theme=onderwijs&lang=en",
    ] {
        let (status, _, body) = request(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.contains("unknown theme `onderwijs`; known: leefbaarheid, hartveilig"),
            "{uri}: {body}"
        );
    }
}

/// The Hartveilig sheet of De Wolden: the AED figures of the catalogue entries flagged for it,
/// and, as the Drenthe register is synthetic, the bundle's notice at the top in Dutch and
/// English, before the summary. See: issue #14.
#[tokio::test]
async fn the_hartveilig_sheet_of_de_wolden_says_its_register_is_synthetic() {
    let html = sheet_of("GM1690", "hartveilig", "nl").await;
    let notice = html.find(r#"<section class="notice" role="note""#).unwrap();
    assert!(notice < html.find(r#"<p id="summary">"#).unwrap());
    assert!(html.contains("Let op: synthetische gegevens"));
    assert!(html.contains(
        r#"<p lang="en"><strong>The figures on this sheet come from a synthetic source"#
    ));
    assert!(html.contains(r#"<p id="notice">SYNTHETIC AED register and responders"#));
    insta::assert_snapshot!("sheet_de_wolden_hartveilig_nl", html);
    let html = sheet_of("GM1690", "hartveilig", "en").await;
    assert!(html.contains(
        r#"<p lang="nl"><strong>De cijfers op dit blad komen uit een synthetische bron"#
    ));
    insta::assert_snapshot!("summary_de_wolden_hartveilig_en", summary(&html));
}

/// The livability sheet shows none of the AED figures and carries no notice: its figures are
/// CBS's and Leefbaar's own, and the snapshots above are unchanged by the Hartveilig sheet.
#[tokio::test]
async fn the_livability_sheet_has_no_notice_and_no_aed_figures() {
    for (code, lang) in [("GM1690", "nl"), ("GM0114", "en")] {
        let html = sheet(code, lang).await;
        assert!(!html.contains("class=\"notice\""), "{code}");
        assert!(!html.contains("data-indicator=\"aed_"), "{code}");
        assert!(!html.to_lowercase().contains("synthet"), "{code}");
    }
}

/// The area page links the Hartveilig sheet of a municipality next to its livability sheet.
#[tokio::test]
async fn the_area_page_links_the_hartveilig_sheet() {
    let (status, _, body) = request("/gebied/GM1690").await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains(r#"<a href="/factsheet/GM1690?theme=hartveilig">"#));
    assert!(
        html.contains(
            r#"<a href="/factsheet/GM1690.pdf?theme=hartveilig" type="application/pdf">"#
        )
    );
}
