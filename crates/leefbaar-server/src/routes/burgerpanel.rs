//! `GET /burgerpanel`: the fact-sheet page "Leefbaarheid in Groningen, Fryslân en Drenthe",
//! server-rendered HTML (Dutch, English with `?lang=en`) with the citizens' panel's weighted
//! estimates per province (mean rating, view of the future, livability declined, moved), their
//! 95 % intervals and n, marked SYNTHETIC when the panel is. Every figure comes from the
//! panel monitor (`leefbaar_monitor::survey`), so it has passed the same disclosure control as
//! the API.
//!
//! Plain `write!` with [`escape`] on every piece of data; styled by `/assets/app.css`.
//! Unknown query parameters are ignored (a page people share, not the API).

use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use leefbaar_monitor::survey::SurveyMonitor;

use crate::AppState;
use crate::pages::{Lang, escape, format_number};
use crate::wire::survey::{EstimateCell, EstimateTable};

/// One table of the page: which question, which answer (for shares), its title.
#[derive(Clone)]
struct Measure {
    question: String,
    answer: Option<String>,
    nl: String,
    en: String,
}

/// The tables the page shows of the bundled 2018 panel, with headings written for it.
const CURATED: [(&str, Option<&str>, &str, &str); 6] = [
    (
        "rating",
        None,
        "Rapportcijfer voor de leefbaarheid van dorp of wijk (gemiddelde, 1–10)",
        "Mark for the livability of the village or district (mean, 1–10)",
    ),
    (
        "future",
        Some("sunny"),
        "Ziet de toekomst van dorp of wijk zonnig in",
        "Sees the future of the village or district as sunny",
    ),
    (
        "future",
        Some("neutral"),
        "Ziet de toekomst van dorp of wijk neutraal in",
        "Sees the future of the village or district as neutral",
    ),
    (
        "future",
        Some("worried"),
        "Ziet de toekomst van dorp of wijk somber in",
        "Is worried about the future of the village or district",
    ),
    (
        "declined",
        Some("yes"),
        "Leefbaarheid is de afgelopen 12 maanden achteruitgegaan",
        "Livability declined in the past 12 months",
    ),
    (
        "moved",
        Some("yes"),
        "Is de afgelopen vijf jaar verhuisd",
        "Moved in the past five years",
    ),
];

/// The page's tables: the curated ones whose question and answer the panel has; for another
/// panel, every question (a number's mean, a choice's share of each answer) headed by its
/// text.
fn measures(survey: &SurveyMonitor) -> Vec<Measure> {
    let schema = survey.schema();
    let has = |question: &str, answer: Option<&str>| {
        schema.questions.iter().any(|q| {
            q.id == question && answer.is_none_or(|a| q.kind.options().iter().any(|o| o.code == a))
        })
    };
    let curated: Vec<Measure> = CURATED
        .iter()
        .filter(|(question, answer, _, _)| has(question, *answer))
        .map(|(question, answer, nl, en)| Measure {
            question: (*question).to_owned(),
            answer: answer.map(str::to_owned),
            nl: (*nl).to_owned(),
            en: (*en).to_owned(),
        })
        .collect();
    if curated.len() == CURATED.len() {
        return curated;
    }
    let mut generic = Vec::new();
    for question in &schema.questions {
        let options = question.kind.options();
        if options.is_empty() {
            generic.push(Measure {
                question: question.id.clone(),
                answer: None,
                nl: question.label.nl.clone(),
                en: question.label.en.clone(),
            });
        }
        for option in options {
            generic.push(Measure {
                question: question.id.clone(),
                answer: Some(option.code.clone()),
                nl: format!("{}: {}", question.label.nl, option.nl),
                en: format!("{}: {}", question.label.en, option.en),
            });
        }
    }
    generic
}

fn html_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn head(out: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"{}\">\n\
         <link rel=\"icon\" href=\"{}\" type=\"image/svg+xml\">\n</head>\n<body>\n\
         <a class=\"skip-link\" href=\"#main\">{}</a>\n",
        lang.code(),
        escape(title),
        crate::assets::href("app.css"),
        crate::assets::href("favicon.svg"),
        lang.pick("Naar de inhoud", "Skip to content"),
    );
}

/// A page that only says why there are no figures to show.
fn message_page(lang: Lang, title: &str, heading: &str, message: &str) -> String {
    let mut out = String::new();
    head(&mut out, lang, title);
    let _ = write!(
        out,
        "<main id=\"main\" class=\"wrap\">\n<h1>{heading}</h1>\n<p>{message}</p>\n</main>\n</body>\n</html>\n",
    );
    out
}

/// `GET /burgerpanel[?lang=en]`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let lang = Lang::from_pairs(&pairs);
    let Some(survey) = state.monitors.survey.as_deref() else {
        let out = message_page(
            lang,
            lang.pick("Geen burgerpanel", "No citizens' panel"),
            lang.pick("Geen burgerpanel geladen", "No citizens' panel loaded"),
            lang.pick(
                "Deze server is gestart zonder burgerpanel.",
                "This server was started without a citizens' panel.",
            ),
        );
        return html_response(StatusCode::NOT_FOUND, out);
    };
    match render(&state, survey, lang) {
        Ok(body) => html_response(StatusCode::OK, body),
        Err(message) => {
            tracing::error!(%message, "rendering /burgerpanel failed");
            let out = message_page(
                lang,
                "Leefbaar",
                lang.pick("Er ging iets mis", "Something went wrong"),
                lang.pick(
                    "Deze pagina kan niet worden gemaakt met het geladen burgerpanel.",
                    "This page cannot be made from the loaded citizens' panel.",
                ),
            );
            html_response(StatusCode::INTERNAL_SERVER_ERROR, out)
        }
    }
}

fn suppressed_text(cell: &EstimateCell, lang: Lang) -> &'static str {
    if cell.suppression == Some("secondary") {
        lang.pick(
            "onderdrukt (beschermt een andere cel)",
            "suppressed (protects another cell)",
        )
    } else {
        lang.pick("onderdrukt (n < 10)", "suppressed (n < 10)")
    }
}

/// One table row: the group as row header, then estimate, interval and n (or one cell saying
/// why the figure is withheld).
fn row(out: &mut String, header: &str, cell: &EstimateCell, percent: bool, lang: Lang) {
    let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(header));
    match (cell.value, cell.ci_low, cell.ci_high, cell.n) {
        (Some(value), Some(low), Some(high), Some(n)) if !cell.suppressed => {
            // Shares in percent with one decimal; means with one, their interval with two.
            let (decimals, ci_decimals, unit) = if percent {
                (1, 1, "\u{a0}%")
            } else {
                (1, 2, "")
            };
            let _ = write!(
                out,
                "<td class=\"num\">{}{unit}</td><td class=\"num\">{}–{}{unit}</td><td class=\"num\">{}</td>",
                format_number(value, decimals, lang),
                format_number(low, ci_decimals, lang),
                format_number(high, ci_decimals, lang),
                format_number(n as f64, 0, lang),
            );
        }
        _ => {
            let _ = write!(
                out,
                "<td colspan=\"3\"><span class=\"missing\">{}</span></td>",
                suppressed_text(cell, lang)
            );
        }
    }
    out.push_str("</tr>\n");
}

/// The estimates of one table as horizontal bars with their 95 % intervals as whiskers: an
/// SVG figure drawn before the table, which stays the text alternative (the figure is named by
/// the table's caption and says in its description that the numbers follow). Suppressed groups
/// get no bar but their name and "onderdrukt"/"suppressed", never a zero.
fn bars(
    out: &mut String,
    id: &str,
    rows: &[(String, &EstimateCell)],
    scale_max: Option<f64>,
    lang: Lang,
) {
    const LABEL_WIDTH: f64 = 190.0;
    const PLOT_WIDTH: f64 = 300.0;
    const ROW: f64 = 26.0;
    let top = 8.0;
    // Shares on 0–100 %; means from 0 to the top of the question's scale (a mark of 1–10 on
    // 0–10), so bars keep their proportions.
    let percent = scale_max.is_none();
    let max = scale_max.unwrap_or(100.0);
    let x = |value: f64| LABEL_WIDTH + PLOT_WIDTH * (value / max).clamp(0.0, 1.0);
    let height = top + ROW * rows.len() as f64 + 22.0;
    let width = LABEL_WIDTH + PLOT_WIDTH + 60.0;
    let _ = write!(
        out,
        "<figure class=\"chart-figure\"><svg class=\"bars-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-family=\"system-ui, sans-serif\" font-size=\"12\" fill=\"#1a1a1a\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        lang.pick("Schattingen met 95%-interval", "Estimates with 95 % intervals"),
        lang.pick(
            "Staafdiagram: per groep de schatting als staaf en het 95%-betrouwbaarheidsinterval als lijn; de getallen staan in de tabel hieronder.",
            "Bar chart: per group the estimate as a bar and its 95 % confidence interval as a line; the numbers are in the table below."
        ),
    );
    for (i, (name, cell)) in rows.iter().enumerate() {
        let y = top + ROW * i as f64;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_WIDTH - 8.0,
            y + 16.0,
            escape(name)
        );
        match (cell.value, cell.ci_low, cell.ci_high) {
            (Some(value), Some(low), Some(high)) if !cell.suppressed => {
                let _ = write!(
                    out,
                    "<rect x=\"{LABEL_WIDTH:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"#4a78a6\"/>\
                     <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>\
                     <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>\
                     <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>\
                     <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    y + 4.0,
                    x(value) - LABEL_WIDTH,
                    x(low),
                    x(high),
                    y + 11.0,
                    y + 11.0,
                    x(low),
                    x(low),
                    y + 6.0,
                    y + 16.0,
                    x(high),
                    x(high),
                    y + 6.0,
                    y + 16.0,
                    x(high) + 6.0,
                    y + 15.0,
                    format_number(value, 1, lang),
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#555555\">{}</text>",
                    LABEL_WIDTH + 4.0,
                    y + 16.0,
                    lang.pick("onderdrukt", "suppressed")
                );
            }
        }
    }
    let axis_y = top + ROW * rows.len() as f64 + 4.0;
    let _ = writeln!(
        out,
        "<line x1=\"{LABEL_WIDTH:.1}\" x2=\"{:.1}\" y1=\"{axis_y:.1}\" y2=\"{axis_y:.1}\" stroke=\"#767676\"/>\
         <text x=\"{LABEL_WIDTH:.1}\" y=\"{:.1}\" fill=\"#555555\">0</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555555\">{}</text></svg></figure>",
        LABEL_WIDTH + PLOT_WIDTH,
        axis_y + 15.0,
        LABEL_WIDTH + PLOT_WIDTH,
        axis_y + 15.0,
        if percent {
            "100\u{a0}%".to_owned()
        } else {
            format_number(max, 0, lang)
        },
    );
}

fn table_head(out: &mut String, caption: &str, first: &str, lang: Lang) {
    let _ = write!(
        out,
        "<div class=\"table-scroll\">\n<table class=\"data-table\">\n<caption>{}</caption>\n<thead><tr>\
         <th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th>\
         <th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        escape(caption),
        escape(first),
        lang.pick("Schatting", "Estimate"),
        lang.pick("95%-betrouwbaarheidsinterval", "95 % confidence interval"),
        lang.pick("n (respondenten)", "n (respondents)"),
    );
}

fn render(state: &AppState, survey: &SurveyMonitor, lang: Lang) -> Result<String, String> {
    let name = |code: &str| state.area_name(code);
    let synthetic = survey.is_synthetic();
    // Translated, not quoted: a Dutch title on the English page would need `lang="nl"` on
    // every part that shows it, and `<title>` cannot carry one.
    let schema_title = &survey.schema().title;
    let title = lang.pick(
        schema_title
            .nl
            .split(" (")
            .next()
            .unwrap_or(&schema_title.nl),
        schema_title
            .en
            .split(" (")
            .next()
            .unwrap_or(&schema_title.en),
    );
    let mut out = String::new();
    head(
        &mut out,
        lang,
        &if synthetic {
            format!("{title} ({})", lang.pick("SYNTHETISCH", "SYNTHETIC"))
        } else {
            title.to_owned()
        },
    );
    let other = match lang {
        Lang::Nl => ("/burgerpanel?lang=en", "en", "English"),
        Lang::En => ("/burgerpanel", "nl", "Nederlands"),
    };
    let _ = write!(
        out,
        "<header class=\"site-header\">\n<div class=\"wrap header-row\">\n<div>\n<h1>{title}</h1>\n\
         <p class=\"tagline\">{}</p>\n</div>\n<a id=\"lang-switch\" href=\"{}\" hreflang=\"{}\" lang=\"{}\">{}</a>\n</div>\n</header>\n",
        escape(lang.pick(&schema_title.nl, &schema_title.en)),
        other.0,
        other.1,
        other.1,
        other.2,
    );
    out.push_str("<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
    if synthetic {
        let _ = write!(
            out,
            "<div class=\"error-box\" role=\"note\" aria-label=\"{}\">\n<p class=\"error-title\"><strong>{}</strong></p>\n<p>{}</p>\n</div>\n",
            lang.pick("Synthetische gegevens", "Synthetic data"),
            lang.pick(
                "SYNTHETISCHE GEGEVENS — geen echte antwoorden",
                "SYNTHETIC DATA — not real answers"
            ),
            escape(&format!(
                "{} {}",
                lang.pick(
                    "Alle cijfers op deze pagina komen uit een synthetisch burgerpanel, gemaakt om de weging, schatting en geheimhouding te testen. De bundel zegt erover:",
                    "Every figure on this page comes from a synthetic citizens' panel, made to exercise weighting, estimation and disclosure control. The bundle says of it:"
                ),
                survey.notice().unwrap_or_default()
            )),
        );
    }
    let report = survey.report();
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(&match lang {
            Lang::Nl => format!(
                "Gewogen schattingen met 95%-betrouwbaarheidsintervallen en het aantal respondenten (n). De gewichten zijn geraked naar het aantal volwassenen per provincie × leeftijdsgroep × geslacht en per gemeente (CBS, 2019); ontwerpeffect van de weging {}, effectieve steekproefomvang {}. Een cijfer op minder dan 10 respondenten wordt niet getoond, en ook geen cijfer waaruit zo'n cijfer terug te rekenen is.",
                format_number(report.kish_design_effect, 2, lang),
                format_number(report.effective_n, 0, lang)
            ),
            Lang::En => format!(
                "Weighted estimates with 95 % confidence intervals and the number of respondents (n). Weights are raked to the adult population by province × age group × sex and by municipality (CBS, 2019); design effect of weighting {}, effective sample size {}. No figure based on fewer than 10 respondents is shown, nor any figure from which such a figure could be recovered.",
                format_number(report.kish_design_effect, 2, lang),
                format_number(report.effective_n, 0, lang)
            ),
        })
    );
    let label = lang.pick("SYNTHETISCH", "SYNTHETIC");
    for (index, measure) in measures(survey).iter().enumerate() {
        let estimates = survey
            .estimates(&measure.question, Some("province"))
            .map_err(|e| e.to_string())?;
        let table = EstimateTable::of(survey, &estimates, &name);
        let pick = |cells: &[EstimateCell]| -> Vec<EstimateCell> {
            cells
                .iter()
                .filter(|c| c.answer.as_deref() == measure.answer.as_deref())
                .cloned()
                .collect()
        };
        let percent = measure.answer.is_some();
        let heading = lang.pick(&measure.nl, &measure.en);
        let id = format!("m{}", index + 1);
        let _ = write!(
            out,
            "<section class=\"table-section\" aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n",
            escape(heading)
        );
        let caption = if synthetic {
            format!(
                "{heading}, {} ({label})",
                lang.pick("per provincie", "by province")
            )
        } else {
            format!("{heading}, {}", lang.pick("per provincie", "by province"))
        };
        let groups = pick(&table.cells);
        let totals = pick(&table.total);
        let together = lang.pick("Alle respondenten", "All respondents");
        let named: Vec<(String, &EstimateCell)> = groups
            .iter()
            .map(|cell| {
                (
                    cell.name.clone().unwrap_or_else(|| cell.group.clone()),
                    cell,
                )
            })
            .chain(totals.iter().map(|cell| (together.to_owned(), cell)))
            .collect();
        let scale_max = if percent {
            None
        } else {
            survey
                .schema()
                .questions
                .iter()
                .find(|q| q.id == measure.question)
                .and_then(|q| match q.kind {
                    leefbaar_survey::QuestionKind::Number { max, .. } => Some(max),
                    _ => None,
                })
        };
        bars(&mut out, &format!("{id}-bars"), &named, scale_max, lang);
        table_head(&mut out, &caption, lang.pick("Provincie", "Province"), lang);
        for (name, cell) in &named {
            row(&mut out, name, cell, percent, lang);
        }
        out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    }
    // Groningen: livability declined by earthquake damage (asked in Groningen only).
    if survey.schema().question_index("quake_damage").is_some() {
        let estimates = survey
            .estimates("declined", Some("quake_damage"))
            .map_err(|e| e.to_string())?;
        let table = EstimateTable::of(survey, &estimates, &name);
        let heading = lang.pick(
            "Groningen: leefbaarheid achteruitgegaan, naar aardbevingsschade aan de woning",
            "Groningen: livability declined, by earthquake damage to the home",
        );
        let _ = write!(
            out,
            "<section class=\"table-section\" aria-labelledby=\"quake\">\n<h2 id=\"quake\">{}</h2>\n",
            escape(heading)
        );
        let caption = if synthetic {
            format!("{heading} ({label})")
        } else {
            heading.to_owned()
        };
        let options = survey
            .schema()
            .questions
            .iter()
            .find(|q| q.id == "quake_damage")
            .map(|q| q.kind.options().to_vec())
            .unwrap_or_default();
        let named: Vec<(String, &EstimateCell)> = table
            .cells
            .iter()
            .filter(|c| c.answer.as_deref() == Some("yes"))
            .map(|cell| {
                let name = options.iter().find(|o| o.code == cell.group).map_or_else(
                    || cell.group.clone(),
                    |o| match lang {
                        Lang::Nl => o.nl.clone(),
                        Lang::En => o.en.clone(),
                    },
                );
                (name, cell)
            })
            .collect();
        bars(&mut out, "quake-bars", &named, None, lang);
        table_head(
            &mut out,
            &caption,
            lang.pick("Schade aan de woning", "Damage to the home"),
            lang,
        );
        for (name, cell) in &named {
            row(&mut out, name, cell, true, lang);
        }
        out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    }
    let _ = write!(
        out,
        "<section class=\"table-section\">\n<h2>{}</h2>\n<p>{}</p>\n<p>{} <a href=\"/api/v1/survey\">/api/v1/survey</a>, \
         <a href=\"/api/v1/survey/estimates?question=rating&amp;by=province\">/api/v1/survey/estimates?question=rating&amp;by=province</a>.</p>\n</section>\n</main>\n",
        lang.pick("Methode", "Method"),
        lang.pick(
            "Gewogen gemiddelden en aandelen; standaardfouten door Taylor-linearisatie met gemeenten als strata; intervallen met de t-verdeling. Geheimhouding: geen schatting op minder dan 10 respondenten, met secundaire onderdrukking zodat een onderdrukte cel niet uit totalen of andere indelingen terug te rekenen is.",
            "Weighted means and shares; Taylor-linearised standard errors with municipalities as strata; intervals from the t distribution. Disclosure control: no estimate on fewer than 10 respondents, with secondary suppression so that a suppressed cell cannot be recovered from totals or other breakdowns."
        ),
        lang.pick("Dezelfde cijfers via de API:", "The same figures from the API:"),
    );
    let _ = write!(
        out,
        "<footer class=\"site-footer\">\n<div class=\"wrap\">\n<p>{}</p>\n</div>\n</footer>\n</body>\n</html>\n",
        if synthetic {
            lang.pick(
                "Synthetisch burgerpanel, bewerking Leefbaar. Weegmarges: Bron: CBS (CC BY 4.0).",
                "Synthetic citizens' panel, processed by Leefbaar. Weighting margins: Source: CBS (CC BY 4.0).",
            )
        } else {
            lang.pick(
                "Burgerpanel, bewerking Leefbaar. Weegmarges: Bron: CBS (CC BY 4.0).",
                "Citizens' panel, processed by Leefbaar. Weighting margins: Source: CBS (CC BY 4.0).",
            )
        }
    );
    Ok(out)
}
