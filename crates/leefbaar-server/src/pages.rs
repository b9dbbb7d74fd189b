//! Server-side rendered HTML for readers without JavaScript (search engines, screen readers,
//! slow phones): `/gebied/{code}`, an area's profile, and `/tabel`, every area's value of one
//! indicator and year. Dutch by default, English with `?lang=en`; styled by `/assets/app.css`.
//!
//! Plain `write!` with [`escape`] on every piece of data; no template engine. Unknown query
//! parameters are ignored (these are pages people share, not the API), bad ones get an HTML
//! error page with the right status.

mod gebied;
mod tabel;

pub(crate) use gebied::gebied;
pub(crate) use tabel::tabel;

use std::fmt::Write as _;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;

// The one presentation module, shared with the fact sheets; re-exported so that every page
// (and the citizens' panel) names it the same way.
pub(crate) use leefbaar_factsheet::present::{
    Lang, and_list, capitalise, escape, format_number, level_name, level_plural, method_text,
    missing_text,
};

/// The trimmed, non-empty value of the first parameter `name`.
pub(crate) fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Everything the shared page frame needs.
pub(crate) struct Page<'a> {
    pub lang: Lang,
    pub title: String,
    pub description: String,
    /// Path and query of this page without `lang`, e.g. `/tabel?indicator=x&amp;year=2024`
    /// (already escaped), for the language switch.
    pub self_link: String,
    pub body: &'a str,
    /// The monitored province (`AppState::monitored_province`), named in the site's header;
    /// `None`: the header names Leefbaar alone.
    pub province: Option<&'a str>,
}

/// The page frame: the dashboard's header, skip link, main landmark and footer.
pub(crate) fn render(page: &Page<'_>) -> String {
    let lang = page.lang;
    let other = lang.other();
    let switch = {
        let separator = if page.self_link.contains('?') {
            "&amp;"
        } else {
            "?"
        };
        match other {
            Lang::Nl => page.self_link.clone(),
            Lang::En => format!("{}{separator}lang=en", page.self_link),
        }
    };
    let mut out = String::with_capacity(page.body.len() + 2048);
    let _ = write!(
        out,
        r##"<!doctype html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{description}">
<meta name="color-scheme" content="light">
<title>{title} — Leefbaar</title>
<link rel="icon" href="{favicon}" type="image/svg+xml">
<link rel="stylesheet" href="{stylesheet}">
<link rel="alternate" hreflang="{other_code}" href="{switch}">
</head>
<body class="ssr">
<a class="skip-link" href="#main">{skip}</a>
<header class="site-header">
  <div class="wrap header-row">
    <div>
      <p class="site-name"><a href="/{home_suffix}">{site_name}</a></p>
      <p class="tagline">{tagline}</p>
    </div>
    <nav aria-label="{nav_label}">
      <a id="lang-switch" href="{switch}" lang="{other_code}" hreflang="{other_code}">{switch_text}</a>
    </nav>
  </div>
</header>
<main id="main" tabindex="-1">
<div class="wrap">
{body}
</div>
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>{footer}</p>
    <p><a href="/{home_suffix}">{dashboard}</a> · <a href="/tabel{home_suffix}">{table}</a> · <a href="/api/v1">Open data (API)</a></p>
  </div>
</footer>
</body>
</html>
"##,
        code = lang.code(),
        favicon = crate::assets::href("favicon.svg"),
        stylesheet = crate::assets::href("app.css"),
        other_code = other.code(),
        description = escape(&page.description),
        title = escape(&page.title),
        switch = switch,
        skip = lang.pick("Naar de inhoud", "Skip to content"),
        home_suffix = lang.suffix(true),
        site_name = page.province.map_or_else(
            || "Leefbaar".to_owned(),
            |province| format!("Leefbaar — {}", escape(province))
        ),
        tagline = lang.pick(
            "Regionale leefbaarheidsmonitor",
            "Regional livability monitor"
        ),
        nav_label = lang.pick("Taal", "Language"),
        switch_text = lang.pick("English", "Nederlands"),
        body = page.body,
        footer = lang.pick(
            "Gegevens: CBS (CC BY 4.0). Kaart: Kadaster / CBS. Open-source software.",
            "Data: Statistics Netherlands (CBS, CC BY 4.0). Map: Kadaster / CBS. Open-source software."
        ),
        dashboard = lang.pick("Dashboard (kaart)", "Dashboard (map)"),
        table = lang.pick("Tabel per indicator", "Table by indicator"),
    );
    out
}

/// An HTML response (its caching is the `http` layer's: validators and Cache-Control on 200s).
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// An HTML error page: what went wrong and where to go instead.
pub(crate) fn error_page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    message: &str,
) -> Response {
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<h1>{title}</h1>
<div class="error-box" role="alert"><p>{message}</p></div>
<p><a href="/tabel{suffix}">{table}</a> · <a href="/{suffix}">{dashboard}</a></p>"#,
        title = lang.pick("Pagina niet beschikbaar", "Page not available"),
        message = escape(message),
        suffix = lang.suffix(true),
        table = lang.pick("Naar de tabel", "Go to the table"),
        dashboard = lang.pick("Naar het dashboard", "Go to the dashboard"),
    );
    let page = Page {
        lang,
        title: lang
            .pick("Pagina niet beschikbaar", "Page not available")
            .to_owned(),
        description: message.to_owned(),
        self_link: "/tabel".to_owned(),
        body: &body,
        province: state.monitored_province().map(|(_, name)| name),
    };
    html(status, render(&page))
}

/// The error page of a page whose data could not be read from the store; the error itself
/// goes to the log, not to the reader.
pub(crate) fn store_error_page(state: &AppState, lang: Lang) -> Response {
    error_page(
        state,
        lang,
        StatusCode::INTERNAL_SERVER_ERROR,
        lang.pick(
            "De gegevens konden niet worden gelezen.",
            "The data could not be read.",
        ),
    )
}

/// The citation line that goes with every download; `province` is the monitored province's
/// name (`AppState::monitored_province`), when the server knows it.
pub(crate) fn citation(
    lang: Lang,
    province: Option<&str>,
    what: &str,
    table: &str,
    licence: &str,
    link: &str,
) -> String {
    let monitor = match (lang, province) {
        (Lang::Nl, Some(province)) => format!("regionale leefbaarheidsmonitor {province}"),
        (Lang::En, Some(province)) => format!("regional livability monitor {province}"),
        (lang, None) => lang
            .pick(
                "regionale leefbaarheidsmonitor",
                "regional livability monitor",
            )
            .to_owned(),
    };
    match lang {
        Lang::Nl => format!("Leefbaar — {monitor}: {what}. Bron: CBS, {table} ({licence}). {link}"),
        Lang::En => format!(
            "Leefbaar — {monitor}: {what}. Source: Statistics Netherlands (CBS), {table} ({licence}). {link}"
        ),
    }
}

/// The areas every page compares with, in words, not escaped: "Drenthe en Nederland" /
/// "Drenthe and the Netherlands" for the monitored province `province`, the country alone
/// without one.
pub(crate) fn province_and_country(province: Option<&str>, lang: Lang) -> String {
    match (lang, province) {
        (Lang::Nl, Some(province)) => format!("{province} en Nederland"),
        (Lang::En, Some(province)) => format!("{province} and the Netherlands"),
        (Lang::Nl, None) => "Nederland".to_owned(),
        (Lang::En, None) => "the Netherlands".to_owned(),
    }
}
