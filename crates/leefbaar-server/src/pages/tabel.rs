//! `GET /tabel?indicator=ID&year=Y&level=municipality`: every area's value of one indicator and
//! year as a plain HTML table, with the monitored province and the Netherlands below it, a
//! form (GET, works without JavaScript) to choose another indicator, year or level, and
//! download links.

use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use leefbaar_model::{AreaCode, AreaLevel, Year};
use leefbaar_store::ObservationFilter;

use super::{
    Lang, Page, capitalise, citation, error_page, escape, format_number, html, level_plural,
    method_text, missing_text, param, province_and_country, render, store_error_page,
};
use crate::AppState;

const DEFAULT_INDICATOR: &str = "share_65_plus";
/// The levels the table offers (the monitored province's own areas).
const LEVELS: [AreaLevel; 3] = [
    AreaLevel::Municipality,
    AreaLevel::District,
    AreaLevel::Neighbourhood,
];

pub(crate) async fn tabel(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_pairs(&pairs);
    let indicators = &state.snapshot.indicators;
    let info = match param(&pairs, "indicator") {
        Some(id) => {
            let Some(info) = state.indicator(id) else {
                let message = match lang {
                    Lang::Nl => format!("Er is geen indicator `{id}`."),
                    Lang::En => format!("There is no indicator `{id}`."),
                };
                return error_page(&state, lang, StatusCode::NOT_FOUND, &message);
            };
            info
        }
        None => state.indicator(DEFAULT_INDICATOR).unwrap_or(&indicators[0]),
    };
    let level = match param(&pairs, "level") {
        None => AreaLevel::Municipality,
        Some(text) => match text.parse::<AreaLevel>() {
            Ok(level) if LEVELS.contains(&level) => level,
            _ => {
                let message = match lang {
                    Lang::Nl => format!(
                        "Het niveau `{text}` bestaat niet; kies municipality, district of neighbourhood."
                    ),
                    Lang::En => format!(
                        "There is no level `{text}`; choose municipality, district or neighbourhood."
                    ),
                };
                return error_page(&state, lang, StatusCode::BAD_REQUEST, &message);
            }
        },
    };
    let latest = info.years.last().copied();
    let mut note = None;
    let year = match param(&pairs, "year") {
        None => latest,
        Some(text) => match text.parse::<Year>() {
            Ok(year) if info.years.contains(&year) => Some(year),
            Ok(year) => {
                note = Some(match lang {
                    Lang::Nl => format!(
                        "Voor {year} zijn er geen gegevens van deze indicator; de tabel toont het laatste jaar."
                    ),
                    Lang::En => format!(
                        "This indicator has no data for {year}; the table shows the latest year."
                    ),
                });
                latest
            }
            Err(_) => {
                let message = match lang {
                    Lang::Nl => format!("`{text}` is geen jaartal tussen 1900 en 2200."),
                    Lang::En => format!("`{text}` is not a year between 1900 and 2200."),
                };
                return error_page(&state, lang, StatusCode::BAD_REQUEST, &message);
            }
        },
    };
    // The monitored province, as the store's bundle records it: its municipalities are the
    // table's rows and it is compared with below them. A server without its bundle's monitors
    // shows every municipality and compares with the Netherlands only.
    let province = state.monitored_province();
    let province_name = province.map(|(_, name)| name);
    let parent = (level == AreaLevel::Municipality)
        .then(|| province.map(|(code, _)| code.clone()))
        .flatten();
    let mut comparator_areas: Vec<AreaCode> =
        province.map(|(code, _)| code.clone()).into_iter().collect();
    comparator_areas.push(AreaCode::netherlands());
    let filter = ObservationFilter {
        indicators: vec![info.def.id.clone()],
        level: Some(level),
        parent: parent.clone(),
        year_from: year,
        year_to: year,
        ..ObservationFilter::default()
    };
    let comparator_filter = ObservationFilter {
        indicators: vec![info.def.id.clone()],
        areas: comparator_areas,
        year_from: year,
        year_to: year,
        ..ObservationFilter::default()
    };
    let has_year = year.is_some();
    let result = state
        .query(move |store| {
            if !has_year {
                return Ok((Vec::new(), Vec::new()));
            }
            Ok((
                store.observations(&filter)?,
                store.observations(&comparator_filter)?,
            ))
        })
        .await;
    let (mut rows, comparators) = match result {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "table page failed");
            return store_error_page(&state, lang);
        }
    };
    let name_of = |code: &AreaCode| {
        state
            .area(code)
            .map_or_else(|| code.to_string(), |area| area.name.clone())
    };
    rows.sort_by_key(|o| name_of(&o.area).to_lowercase());

    let id = escape(&info.def.id);
    let indicator_name = escape(info.def.name.in_language(lang.code()));
    let unit = escape(info.def.unit.symbol(lang.code()));
    let levels_word = level_plural(level, lang);
    let year_text = year.map_or_else(|| "—".to_owned(), |y| y.get().to_string());
    let heading = match lang {
        Lang::Nl => format!(
            "{indicator_name} per {}, {year_text}",
            singular(level, lang)
        ),
        Lang::En => format!("{indicator_name} by {}, {year_text}", singular(level, lang)),
    };

    let mut body = String::with_capacity(32 * 1024);
    let _ = write!(body, r#"<h1 id="page-title">{heading}</h1>"#);
    let _ = write!(
        body,
        r#"<p class="lead">{description}</p>"#,
        description = escape(info.def.description.in_language(lang.code()))
    );

    // ---- the form: GET, so it works without JavaScript
    let _ = write!(
        body,
        r#"<section class="controls" aria-labelledby="choose-h"><h2 id="choose-h">{choose}</h2>
<form class="controls-form" method="get" action="/tabel">
<div class="field"><label for="indicator">{label_indicator}</label><select id="indicator" name="indicator">"#,
        choose = lang.pick(
            "Kies indicator, jaar en niveau",
            "Choose indicator, year and level"
        ),
        label_indicator = lang.pick("Indicator", "Indicator"),
    );
    for other in indicators {
        let selected = if other.def.id == info.def.id {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            body,
            r#"<option value="{}"{selected}>{}</option>"#,
            escape(&other.def.id),
            escape(other.def.name.in_language(lang.code()))
        );
    }
    let _ = write!(
        body,
        r#"</select></div>
<div class="field"><label for="year">{label_year}</label><select id="year" name="year">"#,
        label_year = lang.pick("Jaar", "Year"),
    );
    for candidate in info.years.iter().rev() {
        let selected = if Some(*candidate) == year {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            body,
            r#"<option value="{y}"{selected}>{y}</option>"#,
            y = candidate.get()
        );
    }
    let _ = write!(
        body,
        r#"</select></div>
<div class="field"><label for="level">{label_level}</label><select id="level" name="level">"#,
        label_level = lang.pick("Gebiedsniveau", "Area level"),
    );
    for candidate in LEVELS {
        if !info.levels.contains(&candidate) && candidate != level {
            continue;
        }
        let selected = if candidate == level { " selected" } else { "" };
        let _ = write!(
            body,
            r#"<option value="{}"{selected}>{}</option>"#,
            candidate.as_str(),
            capitalise(level_plural(candidate, lang))
        );
    }
    let _ = write!(
        body,
        r#"</select></div>{hidden_lang}<div class="field"><button type="submit" class="btn">{show}</button></div>
</form></section>"#,
        hidden_lang = if lang == Lang::En {
            r#"<input type="hidden" name="lang" value="en">"#
        } else {
            ""
        },
        show = lang.pick("Toon tabel", "Show table"),
    );
    if let Some(note) = note {
        let _ = write!(
            body,
            r#"<p class="status" role="status">{}</p>"#,
            escape(&note)
        );
    }

    // ---- the table
    let district = level != AreaLevel::Municipality;
    let compared = province_and_country(province_name, lang);
    let compared_html = escape(&compared);
    let caption = match lang {
        Lang::Nl => format!(
            "{indicator_name} ({unit}) per {}, {year_text}: {} {levels_word}, op naam; {compared_html} onderaan.",
            singular(level, lang),
            rows.len()
        ),
        Lang::En => format!(
            "{indicator_name} ({unit}) by {}, {year_text}: {} {levels_word}, by name; {compared_html} at the bottom.",
            singular(level, lang),
            rows.len()
        ),
    };
    let _ = write!(
        body,
        r#"<section aria-labelledby="table-h"><h2 id="table-h">{table_heading}</h2>
<div class="table-scroll" role="region" aria-labelledby="table-caption" tabindex="0">
<table class="data-table" id="values"><caption id="table-caption">{caption}</caption>
<thead><tr><th scope="col">{col_area}</th>{col_parent}<th scope="col">{col_code}</th><th scope="col" class="num">{col_value} ({unit})</th><th scope="col">{col_method}</th></tr></thead><tbody>"#,
        table_heading = lang.pick("Tabel", "Table"),
        col_area = lang.pick("Gebied", "Area"),
        col_parent = if district {
            format!(
                r#"<th scope="col">{}</th>"#,
                lang.pick("Gemeente", "Municipality")
            )
        } else {
            String::new()
        },
        col_code = lang.pick("Code", "Code"),
        col_value = lang.pick("Waarde", "Value"),
        col_method = lang.pick("Methode", "Method"),
    );
    let value_cell = |o: &leefbaar_model::Observation| match o.value.value() {
        Some(value) => format_number(value, info.def.decimals, lang),
        None => format!(
            r#"<span class="missing">{}</span>"#,
            missing_text(o.value.missing_reason(), lang)
        ),
    };
    let area_row = |body: &mut String, o: &leefbaar_model::Observation, parent_cell: &str| {
        let _ = write!(
            body,
            r#"<tr><th scope="row"><a href="/gebied/{code}{suffix}">{name}</a></th>{parent_cell}<td class="code">{code}</td><td class="num">{value}</td><td>{method}</td></tr>"#,
            code = escape(o.area.as_str()),
            suffix = lang.suffix(true),
            name = escape(&name_of(&o.area)),
            value = value_cell(o),
            method = method_text(o.provenance.method, lang),
        );
    };
    for o in &rows {
        let parent_cell = if district {
            let municipality = state
                .area(&o.area)
                .and_then(|a| a.parent.as_ref())
                .map(&name_of)
                .unwrap_or_default();
            format!("<td>{}</td>", escape(&municipality))
        } else {
            String::new()
        };
        area_row(&mut body, o, &parent_cell);
    }
    if rows.is_empty() {
        let _ = write!(
            body,
            r#"<tr><td colspan="{span}">{text}</td></tr>"#,
            span = if district { 5 } else { 4 },
            text = lang.pick(
                "Geen waarden voor dit jaar en niveau.",
                "No values for this year and level."
            ),
        );
    }
    body.push_str("</tbody><tfoot>");
    for o in &comparators {
        // The province and the Netherlands lie in no municipality.
        area_row(&mut body, o, if district { "<td></td>" } else { "" });
    }
    body.push_str("</tfoot></table></div></section>\n");

    // ---- downloads
    let scope = match &parent {
        Some(parent) => format!("level={}&amp;parent={parent}", level.as_str()),
        None => format!("level={}", level.as_str()),
    };
    let source = state.snapshot.sources.get(&info.def.source);
    let licence = source.map_or("CC BY 4.0", |s| s.licence.as_str());
    let table = source.map_or("", |s| s.table.as_str());
    let attribution = source.map_or("Bron: CBS", |s| s.attribution.as_str());
    let _ = write!(
        body,
        r#"<section aria-labelledby="downloads-h"><h2 id="downloads-h">{heading}</h2>
<ul class="download-list">
<li><a href="/api/v1/observations?indicator={id}&amp;{scope}&amp;year={year_text}&amp;format=csv" type="text/csv" download="{id}_{level}_{year_text}.csv">{csv_year}</a></li>
<li><a href="/api/v1/observations?indicator={id}&amp;{scope}&amp;year={year_text}" type="application/json">{json_year}</a></li>
<li><a href="/api/v1/observations?indicator={id}&amp;{scope}&amp;format=csv" type="text/csv" download="{id}_{level}.csv">{csv_all}</a></li>
<li><a href="/api/v1/observations?indicator={id}&amp;format=csv" type="text/csv" download="{id}.csv">{csv_full}</a></li>
<li><a href="/api/v1/indicators/{id}" type="application/json">{definition}</a></li>
</ul>
<p class="licence">{source_label}: {attribution} — {table}. {licence_label}: {licence}.</p>
<p class="citation"><span class="citation-label">{cite_label}:</span> <q>{citation}</q></p>
<p>{formula_label}: {formula}</p>
</section>
"#,
        heading = lang.pick("Download de cijfers", "Download the numbers"),
        level = level.as_str(),
        csv_year = match lang {
            Lang::Nl => format!("CSV: deze tabel ({year_text})"),
            Lang::En => format!("CSV: this table ({year_text})"),
        },
        json_year = match lang {
            Lang::Nl => format!("JSON: deze tabel ({year_text})"),
            Lang::En => format!("JSON: this table ({year_text})"),
        },
        csv_all = match lang {
            Lang::Nl => format!("CSV: alle jaren, alle {levels_word}"),
            Lang::En => format!("CSV: every year, every {}", singular(level, lang)),
        },
        csv_full = lang.pick(
            "CSV: de hele indicator (alle niveaus en jaren)",
            "CSV: the whole indicator (every level and year)"
        ),
        definition = lang.pick(
            "JSON: definitie, bron en licentie",
            "JSON: definition, source and licence"
        ),
        source_label = lang.pick("Bron", "Source"),
        attribution = escape(attribution),
        table = escape(table),
        licence_label = lang.pick("Licentie", "Licence"),
        licence = escape(licence),
        cite_label = lang.pick("Citeer als", "Cite as"),
        citation = escape(&citation(
            lang,
            province_name,
            &format!(
                "{} per {}, {year_text}",
                info.def.name.in_language(lang.code()),
                singular(level, lang)
            ),
            table,
            licence,
            &format!(
                "/tabel?indicator={}&year={year_text}&level={}",
                info.def.id,
                level.as_str()
            ),
        )),
        formula_label = lang.pick("Berekening", "Computation"),
        formula = escape(&info.def.kind.formula()),
    );

    let page = Page {
        lang,
        title: match lang {
            Lang::Nl => format!(
                "{} per {}, {year_text}",
                info.def.name.in_language("nl"),
                singular(level, lang)
            ),
            Lang::En => format!(
                "{} by {}, {year_text}",
                info.def.name.in_language("en"),
                singular(level, lang)
            ),
        },
        description: match lang {
            Lang::Nl => format!(
                "{} voor alle {levels_word}{} in {year_text}, met {compared}.",
                info.def.name.in_language("nl"),
                province_name.map_or_else(String::new, |name| format!(" van {name}")),
            ),
            Lang::En => format!(
                "{} for every {}{} in {year_text}, with {compared}.",
                info.def.name.in_language("en"),
                singular(level, lang),
                province_name.map_or_else(String::new, |name| format!(" of {name}")),
            ),
        },
        self_link: format!(
            "/tabel?indicator={id}&amp;year={year_text}&amp;level={}",
            level.as_str()
        ),
        body: &body,
        province: state.monitored_province().map(|(_, name)| name),
    };
    html(StatusCode::OK, render(&page))
}

fn singular(level: AreaLevel, lang: Lang) -> &'static str {
    super::level_name(level, lang)
}
