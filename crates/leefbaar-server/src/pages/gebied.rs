//! `GET /gebied/{code}`: an area's profile as plain HTML — key figures of every indicator for its
//! latest year next to the comparators (province, the Netherlands) with the rank among sibling
//! areas, every indicator by year, source, licence and method notes, and download links.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leefbaar_model::{AreaCode, AreaLevel, Observation};
use leefbaar_store::ObservationFilter;

use super::{
    Lang, Page, citation, error_page, escape, format_number, html, level_name, level_plural,
    method_text, missing_text, render,
};
use crate::AppState;

/// Observations by indicator, then area, then year.
type Index<'a> = BTreeMap<&'a str, BTreeMap<&'a AreaCode, BTreeMap<u16, &'a Observation>>>;

fn index(observations: &[Observation]) -> Index<'_> {
    let mut index: Index<'_> = BTreeMap::new();
    for observation in observations {
        index
            .entry(observation.indicator.as_str())
            .or_default()
            .entry(&observation.area)
            .or_default()
            .insert(observation.year.get(), observation);
    }
    index
}

/// A value cell's content: the formatted number or the reason it is missing.
fn cell(observation: Option<&Observation>, decimals: u8, lang: Lang) -> String {
    match observation {
        Some(observation) => match observation.value.value() {
            Some(value) => format_number(value, decimals, lang),
            None => format!(
                r#"<span class="missing">{}</span>"#,
                missing_text(observation.value.missing_reason(), lang)
            ),
        },
        None => format!(
            r#"<span class="missing">{}</span>"#,
            missing_text(None, lang)
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
        return error_page(lang, StatusCode::NOT_FOUND, &message);
    };
    let comparators = state.comparators(&area.code);
    let mut codes = vec![area.code.clone()];
    codes.extend(comparators.iter().cloned());
    let own_filter = ObservationFilter {
        areas: codes,
        ..ObservationFilter::default()
    };
    // Siblings (same level, same parent) for the rank; none for the country and the province.
    let peer_filter = (area.level() >= AreaLevel::Municipality).then(|| ObservationFilter {
        level: Some(area.level()),
        parent: area.parent.clone(),
        ..ObservationFilter::default()
    });
    let result = state
        .query(move |store| {
            let own = store.observations(&own_filter)?;
            let peers = match &peer_filter {
                Some(filter) => store.observations(filter)?,
                None => Vec::new(),
            };
            Ok((own, peers))
        })
        .await;
    let (own, peers) = match result {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "area page failed");
            return error_page(
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                lang.pick(
                    "De gegevens konden niet worden gelezen.",
                    "The data could not be read.",
                ),
            );
        }
    };
    let own_index = index(&own);
    let peer_index = index(&peers);
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
    for code in comparators.iter().rev() {
        if let Some(up) = state.area(code) {
            let _ = write!(
                body,
                r#"<li><a href="/gebied/{code}{suffix}">{name}</a></li>"#,
                code = escape(code.as_str()),
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
        .map(|code| {
            (
                code.clone(),
                state
                    .area(code)
                    .map_or_else(|| code.to_string(), |a| a.name.clone()),
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
    let _ = write!(
        body,
        r#"<th scope="col">{}</th></tr></thead><tbody>"#,
        lang.pick("Eenheid", "Unit")
    );
    let mut shown = Vec::new();
    for info in &state.snapshot.indicators {
        let id = info.def.id.as_str();
        let Some(series) = own_index.get(id).and_then(|by| by.get(&area.code)) else {
            continue;
        };
        let latest = series
            .iter()
            .rev()
            .find(|(_, o)| o.value.value().is_some())
            .or_else(|| series.iter().next_back());
        let Some((&year, &observation)) = latest else {
            continue;
        };
        shown.push(info);
        let decimals = info.def.decimals;
        let _ = write!(
            body,
            r#"<tr><th scope="row"><a href="/tabel?indicator={id}&amp;year={year}&amp;level={level}{lang_amp}">{indicator}</a></th><td class="num">{year}</td><td class="num">{value}</td>"#,
            id = escape(id),
            level = area.level().as_str(),
            lang_amp = lang.suffix(false),
            indicator = escape(info.def.name.in_language(lang.code())),
            value = cell(Some(observation), decimals, lang),
        );
        for (code, _) in &comparator_names {
            let other = own_index
                .get(id)
                .and_then(|by| by.get(code))
                .and_then(|years| years.get(&year))
                .copied();
            let _ = write!(
                body,
                r#"<td class="num">{}</td>"#,
                cell(other, decimals, lang)
            );
        }
        if !rank_header.is_empty() {
            let rank = observation.value.value().and_then(|value| {
                let values: Vec<f64> = peer_index
                    .get(id)?
                    .values()
                    .filter_map(|years| years.get(&year)?.value.value())
                    .collect();
                let higher = values.iter().filter(|v| **v > value).count();
                Some((higher + 1, values.len()))
            });
            let text = match rank {
                Some((rank, total)) if total > 1 => {
                    format!("{rank} {} {total}", lang.pick("van", "of"))
                }
                _ => "—".to_owned(),
            };
            let _ = write!(body, r#"<td class="num">{text}</td>"#);
        }
        let _ = write!(
            body,
            "<td>{}</td></tr>",
            escape(info.def.unit.symbol(lang.code()))
        );
    }
    body.push_str("</tbody></table></div></section>\n");

    // ---- every indicator by year
    let years: BTreeSet<u16> = shown
        .iter()
        .filter_map(|info| own_index.get(info.def.id.as_str())?.get(&area.code))
        .flat_map(|series| series.keys().copied())
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
    for info in &shown {
        let series = own_index
            .get(info.def.id.as_str())
            .and_then(|by| by.get(&area.code));
        let _ = write!(
            body,
            r#"<tr><th scope="row">{}</th>"#,
            escape(info.def.name.in_language(lang.code()))
        );
        for year in &years {
            let observation = series.and_then(|s| s.get(year)).copied();
            let content = if observation.is_some() {
                cell(observation, info.def.decimals, lang)
            } else {
                "—".to_owned()
            };
            let _ = write!(body, r#"<td class="num">{content}</td>"#);
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div></section>\n");

    // ---- downloads with source, licence and citation
    let mut all_codes = vec![area.code.as_str()];
    all_codes.extend(comparators.iter().map(AreaCode::as_str));
    let all_codes = escape(&all_codes.join(","));
    let sources: BTreeSet<&str> = shown.iter().map(|info| info.def.source.as_str()).collect();
    let licences: BTreeSet<&str> = sources
        .iter()
        .filter_map(|id| state.snapshot.sources.get(*id))
        .map(|s| s.licence.as_str())
        .collect();
    let tables: BTreeSet<&str> = sources
        .iter()
        .filter_map(|id| state.snapshot.sources.get(*id))
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
</ul>
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
        licence_label = lang.pick("Licentie", "Licence"),
        licence = escape(&licence_text),
        attribution = lang.pick(
            "Naamsvermelding verplicht: Bron: CBS.",
            "Attribution required: Source: CBS (Statistics Netherlands)."
        ),
        cite_label = lang.pick("Citeer als", "Cite as"),
        citation = escape(&citation(
            lang,
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
    for info in &shown {
        let series = own_index
            .get(info.def.id.as_str())
            .and_then(|by| by.get(&area.code));
        let mut methods: BTreeMap<&str, Vec<u16>> = BTreeMap::new();
        for (year, observation) in series.into_iter().flatten() {
            if observation.value.value().is_some() {
                methods
                    .entry(method_text(observation.provenance.method, lang))
                    .or_default()
                    .push(*year);
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
        let source = state.snapshot.sources.get(&info.def.source).map_or_else(
            || escape(&info.def.source),
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
            name = escape(info.def.name.in_language(lang.code())),
            formula = escape(&info.def.kind.formula()),
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
    let description = match lang {
        Lang::Nl => format!(
            "Kerncijfers van {} ({level_word} {}) met vergelijking met Drenthe en Nederland, per jaar, met bron en methode.",
            area.name, area.code
        ),
        Lang::En => format!(
            "Key figures of {} ({level_word} {}) compared with Drenthe and the Netherlands, by year, with source and method.",
            area.name, area.code
        ),
    };
    let page = Page {
        lang,
        title,
        description,
        self_link: format!("/gebied/{code_text}"),
        body: &body,
    };
    html(StatusCode::OK, render(&page))
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn join_names(names: &[(AreaCode, String)], lang: Lang) -> String {
    let names: Vec<String> = names.iter().map(|(_, name)| escape(name)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.pick("en", "and")),
    }
}
