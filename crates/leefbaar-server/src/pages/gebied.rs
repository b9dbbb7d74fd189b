//! `GET /gebied/{code}`: an area's profile as plain HTML — key figures of every indicator for its
//! latest year next to the comparators (province, the Netherlands) with the rank among sibling
//! areas and, for a municipality, among the municipalities most like it in size and density;
//! every indicator by year, source, licence and method notes, and download links.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leefbaar_model::{AreaCode, AreaLevel, CellValue};
use leefbaar_store::ObservationFilter;

use super::{
    Lang, Page, and_list, capitalise, citation, error_page, escape, format_number, html,
    level_name, level_plural, method_text, missing_text, province_and_country, render,
    store_error_page,
};
use crate::AppState;
use crate::routes::profile::{Index, index};

/// The rank (1 = highest) of `value` among the values of `indicator` in `year` in `index`, and
/// how many values there are.
fn rank_in(index: &Index<'_>, indicator: &str, year: u16, value: f64) -> (usize, usize) {
    let values: Vec<f64> = index
        .get(indicator)
        .into_iter()
        .flat_map(BTreeMap::values)
        .filter_map(|years| years.get(&year)?.value.value())
        .collect();
    (
        values.iter().filter(|v| **v > value).count() + 1,
        values.len(),
    )
}

/// A value cell's content: the formatted number or the reason it is missing (`None`: there is
/// no observation).
fn cell(value: Option<CellValue>, decimals: u8, lang: Lang) -> String {
    match value.and_then(CellValue::value) {
        Some(number) => format_number(number, decimals, lang),
        None => format!(
            r#"<span class="missing">{}</span>"#,
            missing_text(value.and_then(CellValue::missing_reason), lang)
        ),
    }
}

pub(crate) async fn gebied(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_pairs(&pairs);
    let Some(area) = AreaCode::parse(&code)
        .ok()
        .and_then(|code| state.area(&code))
        .cloned()
    else {
        let message = match lang {
            Lang::Nl => format!("Er is geen gebied met code `{code}`."),
            Lang::En => format!("There is no area with code `{code}`."),
        };
        return error_page(&state, lang, StatusCode::NOT_FOUND, &message);
    };
    // Siblings (same level, same parent) for the rank; none for the country and the province.
    let peer_filter = (area.level() >= AreaLevel::Municipality).then(|| ObservationFilter {
        level: Some(area.level()),
        parent: area.parent.clone(),
        ..ObservationFilter::default()
    });
    let own_code = area.code.clone();
    let result = state
        .query(move |store| {
            // The area and its comparators, every indicator in catalogue order.
            let own = leefbaar_monitor::profile::profile(store, &own_code, &[])?;
            let peers = match &peer_filter {
                Some(filter) => store.observations(filter)?,
                None => Vec::new(),
            };
            // Municipalities are also ranked among their like across the country.
            let similar = crate::similar::similar_municipalities(
                store,
                &own_code,
                crate::similar::DEFAULT_COUNT,
            )?;
            let similar_observations = match &similar {
                Some((_, similar)) => store.observations(&ObservationFilter {
                    areas: similar.iter().map(|s| s.code.clone()).collect(),
                    ..ObservationFilter::default()
                })?,
                None => Vec::new(),
            };
            Ok((own, peers, similar, similar_observations))
        })
        .await;
    let (profile, peers, similar, similar_observations) = match result {
        Ok((Some(profile), peers, similar, similar_observations)) => {
            (profile, peers, similar, similar_observations)
        }
        Ok((None, ..)) => {
            tracing::error!(area = %area.code, "area page: the area is not in the store");
            return store_error_page(&state, lang);
        }
        Err(error) => {
            tracing::error!(%error, "area page failed");
            return store_error_page(&state, lang);
        }
    };
    let comparators = &profile.comparators;
    let peer_index = index(&peers);
    let similar_index = index(&similar_observations);
    // The monitored province, named in the description and the citation.
    let province = state.monitored_province().map(|(_, name)| name);
    let name = escape(&area.name);
    let code_text = escape(area.code.as_str());
    let parent = area.parent.as_ref().and_then(|code| state.area(code));
    let peer_count = peer_index
        .values()
        .flat_map(BTreeMap::keys)
        .collect::<BTreeSet<_>>()
        .len();

    let mut body = String::with_capacity(64 * 1024);
    // ---- breadcrumb and heading
    let _ = write!(
        body,
        r#"<nav class="breadcrumb" aria-label="{label}"><ol>"#,
        label = lang.pick("Kruimelpad", "Breadcrumb")
    );
    for comparator in comparators.iter().rev() {
        if let Some(up) = &comparator.area {
            let _ = write!(
                body,
                r#"<li><a href="/gebied/{code}{suffix}">{name}</a></li>"#,
                code = escape(comparator.code.as_str()),
                suffix = lang.suffix(true),
                name = escape(&up.name),
            );
        }
    }
    let _ = write!(
        body,
        r#"<li><a href="/gebied/{code_text}{suffix}" aria-current="page">{name}</a></li></ol></nav>"#,
        suffix = lang.suffix(true),
    );
    let level_word = level_name(area.level(), lang);
    let _ = write!(
        body,
        r#"<h1 id="page-title">{name}</h1>
<p class="lead">{level} {code_text}{parent_text}. <a href="/?area={code_text}&amp;level={dash_level}{lang_amp}">{map_link}</a></p>"#,
        level = capitalise(level_word),
        parent_text = parent.map_or(String::new(), |p| format!(
            " {} {}",
            lang.pick("in", "in"),
            escape(&p.name)
        )),
        dash_level = if area.level() == AreaLevel::District {
            "district"
        } else {
            "municipality"
        },
        lang_amp = lang.suffix(false),
        map_link = lang.pick("Bekijk op de kaart", "View on the map"),
    );

    // ---- key figures
    let comparator_names: Vec<(AreaCode, String)> = comparators
        .iter()
        .map(|comparator| {
            (
                comparator.code.clone(),
                comparator
                    .name()
                    .map_or_else(|| comparator.code.to_string(), str::to_owned),
            )
        })
        .collect();
    let rank_header = match (&parent, peer_count) {
        (Some(p), n) if n > 1 => match lang {
            Lang::Nl => format!(
                "Rang onder {n} {} in {} (1 = hoogste)",
                level_plural(area.level(), lang),
                escape(&p.name)
            ),
            Lang::En => format!(
                "Rank among {n} {} in {} (1 = highest)",
                level_plural(area.level(), lang),
                escape(&p.name)
            ),
        },
        _ => String::new(),
    };
    let similar_header = similar.as_ref().map(|(_, list)| {
        let n = list.len() + 1;
        match lang {
            Lang::Nl => {
                format!("Rang onder {n} vergelijkbare gemeenten in Nederland (1 = hoogste)")
            }
            Lang::En => {
                format!("Rank among {n} similar municipalities in the Netherlands (1 = highest)")
            }
        }
    });
    let _ = write!(
        body,
        r#"<section aria-labelledby="key-h"><h2 id="key-h">{heading}</h2>
<div class="table-scroll" role="region" aria-labelledby="key-caption" tabindex="0">
<table class="data-table" id="key-figures"><caption id="key-caption">{caption}</caption>
<thead><tr><th scope="col">{col_indicator}</th><th scope="col" class="num">{col_year}</th><th scope="col" class="num">{name}</th>"#,
        heading = lang.pick("Kerncijfers", "Key figures"),
        caption = match (lang, comparator_names.is_empty()) {
            (Lang::Nl, true) =>
                format!("Elke indicator voor {name} in het laatste jaar met gegevens."),
            (Lang::En, true) => format!("Every indicator for {name} in its latest year with data."),
            (Lang::Nl, false) => format!(
                "Elke indicator voor {name} in het laatste jaar met gegevens, naast {}.",
                join_names(&comparator_names, lang)
            ),
            (Lang::En, false) => format!(
                "Every indicator for {name} in its latest year with data, next to {}.",
                join_names(&comparator_names, lang)
            ),
        },
        col_indicator = lang.pick("Indicator", "Indicator"),
        col_year = lang.pick("Jaar", "Year"),
    );
    for (_, comparator) in &comparator_names {
        let _ = write!(
            body,
            r#"<th scope="col" class="num">{}</th>"#,
            escape(comparator)
        );
    }
    if !rank_header.is_empty() {
        let _ = write!(body, r#"<th scope="col" class="num">{rank_header}</th>"#);
    }
    if let Some(header) = &similar_header {
        let _ = write!(body, r#"<th scope="col" class="num">{header}</th>"#);
    }
    let _ = write!(
        body,
        r#"<th scope="col">{}</th></tr></thead><tbody>"#,
        lang.pick("Eenheid", "Unit")
    );
    let mut shown = Vec::new();
    for indicator in &profile.indicators {
        let def = &indicator.def;
        let id = def.id.as_str();
        let Some(point) = indicator.latest() else {
            continue;
        };
        let year = point.year.get();
        shown.push(indicator);
        let decimals = def.decimals;
        let _ = write!(
            body,
            r#"<tr><th scope="row"><a href="/tabel?indicator={id}&amp;year={year}&amp;level={level}{lang_amp}">{indicator}</a></th><td class="num">{year}</td><td class="num">{value}</td>"#,
            id = escape(id),
            level = area.level().as_str(),
            lang_amp = lang.suffix(false),
            indicator = escape(def.name.in_language(lang.code())),
            value = cell(Some(point.value), decimals, lang),
        );
        for other in &point.comparators {
            let _ = write!(
                body,
                r#"<td class="num">{}</td>"#,
                cell(*other, decimals, lang)
            );
        }
        if !rank_header.is_empty() {
            let rank = point
                .value
                .value()
                .map(|value| rank_in(&peer_index, id, year, value));
            let text = match rank {
                Some((rank, total)) if total > 1 => {
                    format!("{rank} {} {total}", lang.pick("van", "of"))
                }
                _ => "—".to_owned(),
            };
            let _ = write!(body, r#"<td class="num">{text}</td>"#);
        }
        if similar_header.is_some() {
            let text = point.value.value().map_or_else(
                || "—".to_owned(),
                |value| {
                    // The similar municipalities do not include the area itself.
                    let (rank, others) = rank_in(&similar_index, id, year, value);
                    format!("{rank} {} {}", lang.pick("van", "of"), others + 1)
                },
            );
            let _ = write!(body, r#"<td class="num">{text}</td>"#);
        }
        let _ = write!(
            body,
            "<td>{}</td></tr>",
            escape(def.unit.symbol(lang.code()))
        );
    }
    body.push_str("</tbody></table></div>");
    if let Some((year, list)) = &similar {
        body.push_str(&similar_paragraph(&state, &area.code, *year, list, lang));
    }
    body.push_str("</section>\n");

    // ---- every indicator by year
    let years: BTreeSet<u16> = shown
        .iter()
        .flat_map(|indicator| indicator.series.iter().map(|point| point.year.get()))
        .collect();
    let _ = write!(
        body,
        r#"<section aria-labelledby="years-h"><h2 id="years-h">{heading}</h2>
<div class="table-scroll" role="region" aria-labelledby="years-caption" tabindex="0">
<table class="data-table" id="by-year"><caption id="years-caption">{caption}</caption>
<thead><tr><th scope="col">{col_indicator}</th>"#,
        heading = lang.pick("Per jaar", "By year"),
        caption = match lang {
            Lang::Nl => format!("Alle indicatoren voor {name} per jaar."),
            Lang::En => format!("Every indicator for {name} by year."),
        },
        col_indicator = lang.pick("Indicator", "Indicator"),
    );
    for year in &years {
        let _ = write!(body, r#"<th scope="col" class="num">{year}</th>"#);
    }
    body.push_str("</tr></thead><tbody>");
    for indicator in &shown {
        let _ = write!(
            body,
            r#"<tr><th scope="row">{}</th>"#,
            escape(indicator.def.name.in_language(lang.code()))
        );
        for year in &years {
            let point = indicator
                .series
                .iter()
                .find(|point| point.year.get() == *year);
            let content = match point {
                Some(point) => cell(Some(point.value), indicator.def.decimals, lang),
                None => "—".to_owned(),
            };
            let _ = write!(body, r#"<td class="num">{content}</td>"#);
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div></section>\n");

    // ---- population projection (the monitored province and its municipalities)
    if let Some(projection) = state.monitors.projection.as_ref()
        && let Some(projected) = projection.area(area.code.as_str())
    {
        body.push_str(&projection_section(projected, projection, lang));
    }

    // ---- downloads with source, licence and citation
    let mut all_codes = vec![area.code.as_str()];
    all_codes.extend(comparators.iter().map(|c| c.code.as_str()));
    let all_codes = escape(&all_codes.join(","));
    let sources: BTreeSet<&str> = shown
        .iter()
        .map(|indicator| indicator.def.source.as_str())
        .collect();
    let licences: BTreeSet<&str> = sources
        .iter()
        .filter_map(|id| profile.source(id))
        .map(|s| s.licence.as_str())
        .collect();
    let tables: BTreeSet<&str> = sources
        .iter()
        .filter_map(|id| profile.source(id))
        .map(|s| s.table.as_str())
        .collect();
    let licence_text = licences.into_iter().collect::<Vec<_>>().join("; ");
    let _ = write!(
        body,
        r#"<section aria-labelledby="downloads-h"><h2 id="downloads-h">{heading}</h2>
<ul class="download-list">
<li><a href="/api/v1/observations?area={code_text}&amp;format=csv" type="text/csv" download="{code_text}.csv">{csv}</a></li>
<li><a href="/api/v1/observations?area={code_text}" type="application/json">{json}</a></li>
<li><a href="/api/v1/observations?area={all_codes}&amp;format=csv" type="text/csv" download="{code_text}_vergelijking.csv">{csv_cmp}</a></li>
<li><a href="/api/v1/areas/{code_text}/profile?lang={lang_code}" type="application/json">{profile_json}</a></li>
{factsheets}</ul>
<p class="licence">{licence_label}: {licence}. {attribution}</p>
<p class="citation"><span class="citation-label">{cite_label}:</span> <q>{citation}</q></p>
</section>
"#,
        heading = lang.pick("Download de cijfers", "Download the numbers"),
        csv = lang.pick(
            "CSV: alle cijfers van dit gebied",
            "CSV: every number of this area"
        ),
        json = lang.pick(
            "JSON: alle cijfers van dit gebied",
            "JSON: every number of this area"
        ),
        csv_cmp = lang.pick(
            "CSV: met de vergelijkingsgebieden",
            "CSV: with the comparison areas"
        ),
        profile_json = lang.pick(
            "JSON: profiel met vergelijking",
            "JSON: profile with comparison"
        ),
        lang_code = lang.code(),
        factsheets = if matches!(area.level(), AreaLevel::Municipality | AreaLevel::District) {
            let mut links = format!(
                r#"<li><a href="/factsheet/{code_text}{suffix}">{html}</a></li>
<li><a href="/factsheet/{code_text}.pdf{suffix}" type="application/pdf">{pdf}</a></li>
"#,
                suffix = lang.suffix(true),
                html = lang.pick("Feitenblad (HTML)", "Fact sheet (HTML)"),
                pdf = lang.pick("Feitenblad (PDF, A4)", "Fact sheet (PDF, A4)"),
            );
            // AED coverage is computed per municipality (and larger areas) where the bundle
            // has an AED register.
            if area.level() == AreaLevel::Municipality && state.monitors.aed.is_some() {
                let _ = write!(
                    links,
                    r#"<li><a href="/factsheet/{code_text}?theme=hartveilig{suffix}">{html}</a></li>
<li><a href="/factsheet/{code_text}.pdf?theme=hartveilig{suffix}" type="application/pdf">{pdf}</a></li>
"#,
                    suffix = lang.suffix(false),
                    html = lang.pick(
                        "Feitenblad Hartveilig (HTML)",
                        "Fact sheet Heart-safe (HTML)"
                    ),
                    pdf = lang.pick(
                        "Feitenblad Hartveilig (PDF, A4)",
                        "Fact sheet Heart-safe (PDF, A4)"
                    ),
                );
            }
            // Care demand comes from the projection, which is per municipality.
            if area.level() == AreaLevel::Municipality && state.monitors.projection.is_some() {
                let _ = write!(
                    links,
                    r#"<li><a href="/factsheet/{code_text}?theme=zorg{suffix}">{html}</a></li>
<li><a href="/factsheet/{code_text}.pdf?theme=zorg{suffix}" type="application/pdf">{pdf}</a></li>
"#,
                    suffix = lang.suffix(false),
                    html = lang.pick("Feitenblad Zorg (HTML)", "Fact sheet Care (HTML)"),
                    pdf = lang.pick("Feitenblad Zorg (PDF, A4)", "Fact sheet Care (PDF, A4)"),
                );
            }
            links
        } else {
            String::new()
        },
        licence_label = lang.pick("Licentie", "Licence"),
        licence = escape(&licence_text),
        attribution = lang.pick(
            "Naamsvermelding verplicht: Bron: CBS.",
            "Attribution required: Source: CBS (Statistics Netherlands)."
        ),
        cite_label = lang.pick("Citeer als", "Cite as"),
        citation = escape(&citation(
            lang,
            province,
            &format!("{} ({level_word} {})", area.name, area.code),
            &tables.into_iter().collect::<Vec<_>>().join("; "),
            &licence_text,
            &format!("/gebied/{}", area.code),
        )),
    );

    // ---- method and source notes
    let _ = write!(
        body,
        r#"<section aria-labelledby="method-h"><h2 id="method-h">{heading}</h2>
<p>{intro}</p>
<div class="table-scroll" role="region" aria-labelledby="method-caption" tabindex="0">
<table class="data-table" id="method-notes"><caption id="method-caption">{caption}</caption>
<thead><tr><th scope="col">{col_indicator}</th><th scope="col">{col_formula}</th><th scope="col">{col_method}</th><th scope="col">{col_source}</th></tr></thead><tbody>"#,
        heading = lang.pick("Bron en methode", "Source and method"),
        intro = lang.pick(
            "Aandelen en gemiddelden zijn op elk niveau opnieuw berekend uit de opgetelde teller en noemer, nooit gemiddeld over gebieden. Ontbrekende waarden blijven ontbrekend, met hun reden; ze worden nooit als 0 geteld.",
            "Shares and means are recomputed at every level from the summed numerator and denominator, never averaged across areas. Missing values stay missing, with their reason; they are never counted as 0."
        ),
        caption = lang.pick(
            "Berekening, methode per jaar en bron van elke indicator",
            "Computation, method by year and source of every indicator"
        ),
        col_indicator = lang.pick("Indicator", "Indicator"),
        col_formula = lang.pick("Berekening", "Computation"),
        col_method = lang.pick("Methode", "Method"),
        col_source = lang.pick("Bron", "Source"),
    );
    for indicator in &shown {
        let def = &indicator.def;
        let mut methods: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
        for point in &indicator.series {
            if point.value.value().is_some() {
                methods
                    .entry(method_text(point.method, lang))
                    .or_default()
                    .push(point.year.get());
            }
        }
        let method = methods
            .iter()
            .map(|(method, years)| {
                let years: Vec<String> = years.iter().map(u16::to_string).collect();
                format!("{method}: {}", years.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let source = profile.source(&def.source).map_or_else(
            || escape(&def.source),
            |s| {
                format!(
                    "{} — {} ({})",
                    escape(&s.attribution),
                    escape(&s.table),
                    escape(&s.licence)
                )
            },
        );
        let _ = write!(
            body,
            r#"<tr><th scope="row">{name}</th><td>{formula}</td><td>{method}</td><td>{source}</td></tr>"#,
            name = escape(def.name.in_language(lang.code())),
            formula = escape(&def.kind.formula()),
            method = if method.is_empty() {
                "—".to_owned()
            } else {
                escape(&method)
            },
        );
    }
    body.push_str("</tbody></table></div></section>\n");

    let title = match lang {
        Lang::Nl => format!("{} ({level_word}): kerncijfers", area.name),
        Lang::En => format!("{} ({level_word}): key figures", area.name),
    };
    let compared = province_and_country(province, lang);
    let description = match lang {
        Lang::Nl => format!(
            "Kerncijfers van {} ({level_word} {}) met vergelijking met {compared}, per jaar, met bron en methode.",
            area.name, area.code
        ),
        Lang::En => format!(
            "Key figures of {} ({level_word} {}) compared with {compared}, by year, with source and method.",
            area.name, area.code
        ),
    };
    let page = Page {
        lang,
        title,
        description,
        self_link: format!("/gebied/{code_text}"),
        body: &body,
        province: state.monitored_province().map(|(_, name)| name),
    };
    html(StatusCode::OK, render(&page))
}

fn join_names(names: &[(AreaCode, String)], lang: Lang) -> String {
    let names: Vec<String> = names.iter().map(|(_, name)| escape(name)).collect();
    and_list(&names, lang)
}

/// A signed percentage in the reader's notation: `−5,6 %` / `+2.1 %`.
fn signed_pct(value: f64, lang: Lang) -> String {
    // The API rounds changes to hundredths; rounding those to tenths half away from zero on
    // their decimal value (−4.35 → −4.4) agrees with the dashboard's Intl formatting, where
    // formatting the binary −4.35 (just above it) would give −4.3.
    let tenths = ((value * 100.0).round() / 10.0).round() / 10.0;
    let text = format_number(tenths, 1, lang);
    if value > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}\u{a0}%")
    } else {
        format!("{text}\u{a0}%")
    }
}

fn class_words(class: &str, lang: Lang) -> &'static str {
    match (class, lang) {
        ("krimp", Lang::Nl) => "krimpgebied",
        ("krimp", Lang::En) => "decline area (krimp)",
        ("anticipeer", Lang::Nl) => "anticipeergebied",
        ("anticipeer", Lang::En) => "anticipation area (anticipeer)",
        ("growth", Lang::Nl) => "groei",
        ("growth", Lang::En) => "growth",
        (_, Lang::Nl) => "stabiel",
        (_, Lang::En) => "stable",
    }
}

/// Round ticks: about five steps of 1, 2 or 5 × 10ⁿ covering `low..=high`.
fn ticks(low: f64, high: f64) -> (f64, f64, Vec<f64>) {
    let span = (high - low).max(1.0);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (low / step).floor() * step;
    let end = (high / step).ceil() * step;
    let mut out = Vec::new();
    let mut tick = start;
    while tick <= end + step * 0.5 {
        out.push(tick);
        tick += step;
    }
    (start, end, out)
}

/// The section "Bevolkingsprognose" of a municipality of Drenthe or of the province: the
/// projection chart with its band, the pyramid, their tables and the classification.
fn projection_section(
    area: &leefbaar_monitor::projection::AreaProjection,
    data: &leefbaar_monitor::projection::ProjectionMonitor,
    lang: Lang,
) -> String {
    use leefbaar_monitor::projection::AgeGroups;
    const INK: &str = "#1a1a1a";
    const MEDIUM: &str = "#08519c";
    const BAND: &str = "#c6dbef";
    const VARIANT: &str = "#595959";
    let name = escape(&area.name);
    let (from, to) = (data.base_year(), data.horizon());
    let series = &area.series;
    let medium = &area.classes.medium;
    let mut out = String::with_capacity(32 * 1024);
    let _ = write!(
        out,
        r#"<section aria-labelledby="projection-h" id="projection"><h2 id="projection-h">{heading}</h2>
<p class="note" id="projection-note"><strong>{scenario}</strong></p>
"#,
        heading = lang.pick("Bevolkingsprognose", "Population projection"),
        scenario = lang.pick(
            "Dit is een scenario, geen voorspelling. Het cohort-componentenmodel rekent vanaf 1 januari 2020, door de geregistreerde aantallen van 2022–2024 heen, met landelijke sterfte, geboorte en migratie zoals de VN die publiceren (WPP 2024) en de eigen migratie van elke gemeente uit 2012–2023. In de terugtoets van de methode (2020 → 2024, alleen met gegevens tot 2020) week de prognose gemiddeld 1,41 % af van de geregistreerde bevolking van de Nederlandse gemeenten, en lag die bij 300 van de 331 gemeenten (91 %) binnen de 80 %-band (zie data/projection/README.md).",
            "This is a scenario, not a forecast. The cohort-component model runs from 1 January 2020 through the registered totals of 2022–2024, with national mortality, fertility and migration as published by the UN (WPP 2024) and each municipality's own migration from 2012–2023. In the back-test of the method (2020 → 2024, using data up to 2020 only) the projection missed the registered population of the Dutch municipalities by 1.41 % on average, and 300 of 331 municipalities (91 %) fell within the 80 % band (see data/projection/README.md)."
        ),
    );
    // ---- classification in words
    let _ = write!(
        out,
        r#"<p id="projection-class">{lead} <strong>{class}</strong>. {pop_label} {from}: {pf}; {to}: {pt} ({pc}). {hh_label} {from}: {hf}; {to}: {ht} ({hc}). {variants}</p>
<p class="note">{criteria}</p>
"#,
        lead = match lang {
            Lang::Nl => format!("Klasse van {name} in {to} (middenvariant):"),
            Lang::En => format!("Class of {name} in {to} (medium variant):"),
        },
        class = class_words(medium.class, lang),
        pop_label = lang.pick("Inwoners", "Residents"),
        pf = format_number(medium.population_from, 0, lang),
        pt = format_number(medium.population_to, 0, lang),
        pc = signed_pct(medium.population_change_pct, lang),
        hh_label = lang.pick("Huishoudens", "Households"),
        hf = format_number(medium.households_from, 0, lang),
        ht = format_number(medium.households_to, 0, lang),
        hc = signed_pct(medium.households_change_pct, lang),
        variants = match lang {
            Lang::Nl => format!(
                "Lage variant: {} ({}); hoge variant: {} ({}).",
                class_words(area.classes.low.class, lang),
                signed_pct(area.classes.low.population_change_pct, lang),
                class_words(area.classes.high.class, lang),
                signed_pct(area.classes.high.population_change_pct, lang),
            ),
            Lang::En => format!(
                "Low variant: {} ({}); high variant: {} ({}).",
                class_words(area.classes.low.class, lang),
                signed_pct(area.classes.low.population_change_pct, lang),
                class_words(area.classes.high.class, lang),
                signed_pct(area.classes.high.population_change_pct, lang),
            ),
        },
        criteria = lang.pick(
            "Criteria (Rijksoverheid, tot 2040): krimpgebied bij −12,5 % inwoners én −5 % huishoudens of meer; anticipeergebied bij −2,5 % inwoners of huishoudens of meer; groei bij +2,5 % inwoners of meer (keuze van Leefbaar); anders stabiel.",
            "Criteria (Dutch government, to 2040): decline area at −12.5 % residents and −5 % households or more; anticipation area at −2.5 % residents or households or more; growth at +2.5 % residents or more (Leefbaar's choice); otherwise stable."
        ),
    );

    // ---- projection chart
    let (width, height) = (640.0_f64, 320.0_f64);
    let (left, right, top, bottom) = (72.0, 92.0, 16.0, 40.0);
    let values = series
        .iter()
        .flat_map(|p| [p.low, p.high, p.lower, p.upper, p.medium])
        .filter(|v| v.is_finite());
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (y0, y1, y_ticks) = ticks(min, max);
    let x_of = |year: u16| {
        left + (width - left - right) * f64::from(year - from) / f64::from((to - from).max(1))
    };
    let y_of = |value: f64| top + (height - top - bottom) * (1.0 - (value - y0) / (y1 - y0));
    let path = |pick: &dyn Fn(&leefbaar_monitor::projection::SeriesPoint) -> f64| {
        let mut d = String::new();
        for (i, p) in series.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { "L" },
                x_of(p.year),
                y_of(pick(p))
            );
        }
        d
    };
    let band: String = series
        .iter()
        .map(|p| format!("{:.1},{:.1}", x_of(p.year), y_of(p.upper)))
        .chain(
            series
                .iter()
                .rev()
                .map(|p| format!("{:.1},{:.1}", x_of(p.year), y_of(p.lower))),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let last = series.last().copied();
    let _ = write!(
        out,
        r#"<h3 id="projection-chart-h">{chart_heading}</h3>
<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" class="ssr-chart" role="img" aria-labelledby="projection-chart-title projection-chart-desc" font-family="system-ui, sans-serif" font-size="12" fill="{INK}">
<title id="projection-chart-title">{title}</title>
<desc id="projection-chart-desc">{desc}</desc>
"#,
        chart_heading = lang.pick("Inwoners per jaar", "Residents by year"),
        title = match lang {
            Lang::Nl => format!("Bevolkingsprognose {name} {from}–{to}"),
            Lang::En => format!("Population projection {name} {from}–{to}"),
        },
        desc = match lang {
            Lang::Nl => format!(
                "Middenvariant als doorgetrokken lijn met het 80%-interval als band; lage en hoge variant gestreept. {to}: midden {}, interval {} tot {}, laag {}, hoog {}. De tabel hieronder geeft alle jaren.",
                last.map_or_else(String::new, |p| format_number(p.medium, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.lower, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.upper, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.low, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.high, 0, lang)),
            ),
            Lang::En => format!(
                "Medium variant as a solid line with the 80 % interval as a band; low and high variants dashed. {to}: medium {}, interval {} to {}, low {}, high {}. The table below gives every year.",
                last.map_or_else(String::new, |p| format_number(p.medium, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.lower, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.upper, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.low, 0, lang)),
                last.map_or_else(String::new, |p| format_number(p.high, 0, lang)),
            ),
        },
    );
    for tick in &y_ticks {
        let y = y_of(*tick);
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="#d9d9d9"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{label}</text>"##,
            x2 = width - right,
            tx = left - 6.0,
            ty = y + 4.0,
            label = format_number(*tick, 0, lang),
        );
    }
    for year in (from..=to).step_by(5) {
        let x = x_of(year);
        let _ = write!(
            out,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{y1:.1}" y2="{y2:.1}" stroke="{INK}"/><text x="{x:.1}" y="{ty:.1}" text-anchor="middle">{year}</text>"#,
            y1 = height - bottom,
            y2 = height - bottom + 5.0,
            ty = height - bottom + 18.0,
        );
    }
    let label_x = width - right + 6.0;
    let labels = last.map(|p| {
        // Keep the three end labels apart.
        let mut ys = [y_of(p.high), y_of(p.medium), y_of(p.low)];
        for i in 1..3 {
            if ys[i] - ys[i - 1] < 14.0 {
                ys[i] = ys[i - 1] + 14.0;
            }
        }
        ys
    });
    let _ = write!(
        out,
        r#"<polygon points="{band}" fill="{BAND}" stroke="none"><title>{band_title}</title></polygon>
<path d="{low}" fill="none" stroke="{VARIANT}" stroke-width="1.5" stroke-dasharray="6 4"/>
<path d="{high}" fill="none" stroke="{VARIANT}" stroke-width="1.5" stroke-dasharray="6 4"/>
<path d="{mid}" fill="none" stroke="{MEDIUM}" stroke-width="3"/>
<line x1="{left}" x2="{x2}" y1="{yb}" y2="{yb}" stroke="{INK}"/>
"#,
        band_title = lang.pick("80%-interval", "80 % interval"),
        low = path(&|p| p.low),
        high = path(&|p| p.high),
        mid = path(&|p| p.medium),
        x2 = width - right,
        yb = height - bottom,
    );
    if let Some([yh, ym, yl]) = labels {
        let _ = write!(
            out,
            r#"<text x="{label_x}" y="{yh:.1}" dy="4">{high}</text><text x="{label_x}" y="{ym:.1}" dy="4" font-weight="bold" fill="{MEDIUM}">{mid}</text><text x="{label_x}" y="{yl:.1}" dy="4">{low}</text>"#,
            high = lang.pick("hoog", "high"),
            mid = lang.pick("midden", "medium"),
            low = lang.pick("laag", "low"),
        );
    }
    let _ = write!(
        out,
        "</svg>
<figcaption>{caption}</figcaption></figure>
",
        caption = lang.pick(
            "Doorgetrokken lijn: middenvariant; lichtblauwe band: 80%-interval uit 200 bootstrap-runs van de migratie; gestreepte lijnen: lage en hoge variant (vruchtbaarheid en migratie samen laag of hoog).",
            "Solid line: medium variant; light blue band: 80 % interval from 200 bootstrap runs of migration; dashed lines: low and high variants (fertility and migration both low or high)."
        ),
    );
    // ---- chart table
    let _ = write!(
        out,
        r#"<div class="table-scroll" role="region" aria-labelledby="projection-table-caption" tabindex="0">
<table class="data-table" id="projection-table"><caption id="projection-table-caption">{caption}</caption>
<thead><tr><th scope="col">{year}</th><th scope="col" class="num">{low}</th><th scope="col" class="num">{mid}</th><th scope="col" class="num">{high}</th><th scope="col" class="num">{lower}</th><th scope="col" class="num">{upper}</th><th scope="col" class="num">{hh}</th></tr></thead><tbody>"#,
        caption = match lang {
            Lang::Nl => format!(
                "Inwoners van {name} per jaar ({from}–{to}) per variant, met het 80%-interval en de huishoudens (middenvariant)."
            ),
            Lang::En => format!(
                "Residents of {name} by year ({from}–{to}) per variant, with the 80 % interval and households (medium variant)."
            ),
        },
        year = lang.pick("Jaar", "Year"),
        low = lang.pick("Laag", "Low"),
        mid = lang.pick("Midden", "Medium"),
        high = lang.pick("Hoog", "High"),
        lower = lang.pick("Interval onder", "Interval lower"),
        upper = lang.pick("Interval boven", "Interval upper"),
        hh = lang.pick("Huishoudens", "Households"),
    );
    for p in series {
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            p.year,
            format_number(p.low, 0, lang),
            format_number(p.medium, 0, lang),
            format_number(p.high, 0, lang),
            format_number(p.lower, 0, lang),
            format_number(p.upper, 0, lang),
            format_number(p.households, 0, lang),
        );
    }
    out.push_str("</tbody></table></div>\n");

    // ---- population pyramid
    let rows = area.pyramid(AgeGroups::Five);
    let row_h = 14.0_f64;
    let (p_width, p_top, p_bottom) = (640.0_f64, 28.0_f64, 36.0_f64);
    let p_height = p_top + p_bottom + row_h * rows.len() as f64;
    let centre = p_width / 2.0;
    let gap = 22.0; // room for the age labels in the middle
    let half = centre - gap - 12.0;
    let max = rows
        .iter()
        .flat_map(|r| [r.male_from, r.female_from, r.male_to, r.female_to])
        .fold(1.0_f64, f64::max);
    let scale = |value: f64| half * value / max;
    let _ = write!(
        out,
        r#"<h3 id="pyramid-h">{heading}</h3>
<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {p_width} {p_height}" width="100%" class="ssr-chart" role="img" aria-labelledby="pyramid-title pyramid-desc" font-family="system-ui, sans-serif" font-size="11" fill="{INK}">
<title id="pyramid-title">{title}</title>
<desc id="pyramid-desc">{desc}</desc>
<text x="{ml:.1}" y="14" text-anchor="middle" font-size="12" font-weight="bold">{men}</text><text x="{wl:.1}" y="14" text-anchor="middle" font-size="12" font-weight="bold">{women}</text>
"#,
        heading = match lang {
            Lang::Nl => format!("Bevolkingspiramide {from} en {to}"),
            Lang::En => format!("Population pyramid {from} and {to}"),
        },
        title = match lang {
            Lang::Nl => format!("Bevolkingspiramide {name}, {from} en {to} (middenvariant)"),
            Lang::En => format!("Population pyramid {name}, {from} and {to} (medium variant)"),
        },
        desc = match lang {
            Lang::Nl => format!(
                "Mannen links, vrouwen rechts, in leeftijdsgroepen van vijf jaar van 0–4 tot 95+. Gevulde balken: {from}; zwarte omtrek zonder vulling: {to}. De tabel hieronder geeft de aantallen."
            ),
            Lang::En => format!(
                "Men on the left, women on the right, in five-year age groups from 0–4 to 95+. Filled bars: {from}; black outline without fill: {to}. The table below gives the numbers."
            ),
        },
        ml = centre / 2.0,
        wl = centre * 1.5,
        men = lang.pick("Mannen", "Men"),
        women = lang.pick("Vrouwen", "Women"),
    );
    for (index, row) in rows.iter().rev().enumerate() {
        let y = p_top + row_h * index as f64;
        let (mf, ff, mt, ft) = (
            scale(row.male_from),
            scale(row.female_from),
            scale(row.male_to),
            scale(row.female_to),
        );
        let _ = write!(
            out,
            r##"<rect x="{mx:.1}" y="{y1:.1}" width="{mf:.1}" height="{bh:.1}" fill="#6baed6"/><rect x="{fx:.1}" y="{y1:.1}" width="{ff:.1}" height="{bh:.1}" fill="#fc9272"/><rect x="{mtx:.1}" y="{y1:.1}" width="{mt:.1}" height="{bh:.1}" fill="none" stroke="{INK}" stroke-width="1.2"/><rect x="{fx:.1}" y="{y1:.1}" width="{ft:.1}" height="{bh:.1}" fill="none" stroke="{INK}" stroke-width="1.2"/><text x="{centre}" y="{ty:.1}" text-anchor="middle">{age}</text>"##,
            mx = centre - gap - mf,
            mtx = centre - gap - mt,
            fx = centre + gap,
            y1 = y + 1.5,
            bh = row_h - 3.0,
            ty = y + row_h - 3.5,
            age = escape(&row.age.replace('-', "–")),
        );
    }
    let axis_y = p_top + row_h * rows.len() as f64;
    let (_, _, p_ticks) = ticks(0.0, max);
    for tick in p_ticks.iter().filter(|t| **t <= max) {
        for x in [centre - gap - scale(*tick), centre + gap + scale(*tick)] {
            let _ = write!(
                out,
                r#"<line x1="{x:.1}" x2="{x:.1}" y1="{axis_y:.1}" y2="{y2:.1}" stroke="{INK}"/><text x="{x:.1}" y="{ty:.1}" text-anchor="middle">{label}</text>"#,
                y2 = axis_y + 4.0,
                ty = axis_y + 16.0,
                label = format_number(*tick, 0, lang),
            );
        }
    }
    let _ = write!(
        out,
        r#"<line x1="{l:.1}" x2="{r:.1}" y1="{axis_y:.1}" y2="{axis_y:.1}" stroke="{INK}"/>
<text x="{centre}" y="{ly:.1}" text-anchor="middle">{unit}</text>
</svg>
<figcaption>{caption}</figcaption></figure>
"#,
        l = centre - gap - half,
        r = centre + gap + half,
        ly = axis_y + 30.0,
        unit = lang.pick("personen per leeftijdsgroep", "persons per age group"),
        caption = match lang {
            Lang::Nl => format!(
                "Gevulde balken: 1 januari {from} (blauw: mannen, links; rood: vrouwen, rechts). Zwarte omtrek: {to}, middenvariant."
            ),
            Lang::En => format!(
                "Filled bars: 1 January {from} (blue: men, left; red: women, right). Black outline: {to}, medium variant."
            ),
        },
    );
    let _ = write!(
        out,
        r#"<div class="table-scroll" role="region" aria-labelledby="pyramid-table-caption" tabindex="0">
<table class="data-table" id="pyramid-table"><caption id="pyramid-table-caption">{caption}</caption>
<thead><tr><th scope="col">{age}</th><th scope="col" class="num">{men} {from}</th><th scope="col" class="num">{women} {from}</th><th scope="col" class="num">{men} {to}</th><th scope="col" class="num">{women} {to}</th></tr></thead><tbody>"#,
        caption = match lang {
            Lang::Nl => format!(
                "Inwoners van {name} naar leeftijdsgroep en geslacht, {from} en {to} (middenvariant)."
            ),
            Lang::En => format!(
                "Residents of {name} by age group and sex, {from} and {to} (medium variant)."
            ),
        },
        age = lang.pick("Leeftijd", "Age"),
        men = lang.pick("Mannen", "Men"),
        women = lang.pick("Vrouwen", "Women"),
    );
    for row in &rows {
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            escape(&row.age.replace('-', "–")),
            format_number(row.male_from, 0, lang),
            format_number(row.female_from, 0, lang),
            format_number(row.male_to, 0, lang),
            format_number(row.female_to, 0, lang),
        );
    }
    let code_text = escape(&area.id);
    let _ = write!(
        out,
        r#"</tbody></table></div>
<p><a href="/api/v1/projection/{code_text}" type="application/json">{json}</a></p>
</section>
"#,
        json = lang.pick(
            "JSON: de prognose met varianten, interval en piramide",
            "JSON: the projection with variants, interval and pyramid"
        ),
    );
    out
}

/// Which municipalities the "similar" rank compares with, and on what basis.
fn similar_paragraph(
    state: &AppState,
    area: &AreaCode,
    year: u16,
    similar: &[crate::similar::Similar],
    lang: Lang,
) -> String {
    let links: Vec<String> = similar
        .iter()
        .map(|s| {
            format!(
                r#"<a href="/gebied/{code}{suffix}">{name}</a>"#,
                code = escape(s.code.as_str()),
                suffix = lang.suffix(true),
                name = escape(
                    state
                        .area(&s.code)
                        .map_or(s.code.as_str(), |a| a.name.as_str())
                ),
            )
        })
        .collect();
    let name = escape(state.area(area).map_or(area.as_str(), |a| a.name.as_str()));
    let intro = match lang {
        Lang::Nl => format!(
            "Gemeenten die in {year} het meest op {name} lijken in inwonertal en bevolkingsdichtheid"
        ),
        Lang::En => format!(
            "Municipalities most like {name} in {year} in number of inhabitants and population density"
        ),
    };
    format!(
        r#"<p class="similar" id="similar-areas">{intro}: {links}. <a href="/api/v1/areas/{code}/similar">{how}</a></p>
"#,
        links = links.join(", "),
        code = escape(area.as_str()),
        how = lang.pick("Hoe gekozen (JSON)", "How they were chosen (JSON)"),
    )
}
