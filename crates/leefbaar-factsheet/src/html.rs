//! The sheet as one self-contained HTML document: inline CSS (screen and A4 print), inline SVG
//! charts each followed by its data table, no external resources.
//!
//! A server with a Content-Security-Policy that forbids inline styles serves the same document
//! with [`html_with_stylesheet`], which links [`STYLESHEET`] instead of embedding it; the
//! markup is otherwise identical (no `style` attributes anywhere).

use std::fmt::Write as _;

use leefbaar_model::AreaLevel;

use crate::chart::svg;
use crate::present::{capitalise, escape, format_number, level_name, signed};
use crate::text::notice_words;
use crate::{ChartKind, FactsheetData, Lang, summary};

/// The sheet's CSS, for a server that serves it as a file of its own.
pub const STYLESHEET: &str = CSS;

const CSS: &str = r"
:root{--ink:#1b1f24;--muted:#4b5563;--area:#1f4e79;--line:#d0d4d9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:60rem;margin:0 auto;padding:1.2rem}
header{border-bottom:3px solid var(--area);margin-bottom:.8rem;display:flex;justify-content:space-between;align-items:flex-end;gap:1rem}
.inset{margin:0 0 .4rem;text-align:center;font-size:.75rem;color:var(--muted)}
.inset svg{width:8.5rem;max-height:11rem}
.inset figcaption{font-weight:400;font-size:.75rem}
h1{font-size:1.7rem;margin:.2rem 0}
h2{font-size:1.1rem;margin:1rem 0 .4rem}
.lead{color:var(--muted);margin:.2rem 0 .6rem}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:.5rem;list-style:none;padding:0;margin:0}
.tile{border:1px solid var(--line);border-top:4px solid var(--area);padding:.4rem .5rem}
.tile h3{font-size:.8rem;font-weight:600;margin:0;color:var(--muted)}
.tile .value{font-size:1.35rem;font-weight:700}
.tile .cmp{font-size:.75rem;color:var(--muted);margin:0}
.charts{display:grid;grid-template-columns:repeat(2,1fr);gap:.8rem}
figure{margin:0}
figcaption{font-weight:600;font-size:.9rem}
svg{width:100%;height:auto}
details summary{font-size:.8rem;cursor:pointer}
table{border-collapse:collapse;font-size:.75rem;margin-top:.3rem}
th,td{border-bottom:1px solid var(--line);padding:.1rem .4rem;text-align:right}
th[scope=row],caption{text-align:left}
caption{font-weight:600}
footer{margin-top:1rem;border-top:1px solid var(--line);font-size:.75rem;color:var(--muted)}
footer ul{padding-left:1rem;margin:.2rem 0}
@media (max-width:40rem){.tiles{grid-template-columns:repeat(2,1fr)}.charts{grid-template-columns:1fr}.inset svg{width:6rem}}
@page{size:A4;margin:12mm}
@media print{body{font-size:10pt}main{max-width:none;padding:0}.tiles{grid-template-columns:repeat(4,1fr)}
.charts{grid-template-columns:repeat(2,1fr)}.inset svg{width:38mm}details{display:none}figure,.tile{break-inside:avoid}a{color:inherit;text-decoration:none}}
";

/// Renders the sheet as a complete, self-contained HTML document (the CSS inline).
pub fn html(data: &FactsheetData) -> String {
    render(data, &format!("<style>{CSS}</style>"))
}

/// Renders the sheet as a complete HTML document that links its CSS ([`STYLESHEET`]) at `href`
/// instead of embedding it.
pub fn html_with_stylesheet(data: &FactsheetData, href: &str) -> String {
    render(
        data,
        &format!("<link rel=\"stylesheet\" href=\"{}\">", escape(href)),
    )
}

fn render(data: &FactsheetData, stylesheet: &str) -> String {
    let lang = data.lang;
    let name = escape(&data.name);
    let theme = data.theme.title(lang);
    let mut out = String::with_capacity(48 * 1024);
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="{code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{stylesheet}
</head>
<body>
<main>
<header>
<div>
<p class="lead">{kind} · {theme} · {year}</p>
<h1>{name}</h1>
<p class="lead">{level} {area_code}{municipality}{province}</p>
</div>
{map}</header>
"#,
        code = lang.code(),
        title = escape(&format!("{} — {} {}", data.name, theme, data.year)),
        kind = lang.pick("Feitenblad", "Fact sheet"),
        year = data.year,
        level = escape(&capitalise(&data.level)),
        area_code = escape(&data.code),
        municipality = data
            .municipality
            .as_ref()
            .map_or(String::new(), |m| format!(
                ", {} {}",
                level_name(AreaLevel::Municipality, lang),
                escape(m)
            )),
        province = data.province.as_ref().map_or(String::new(), |p| format!(
            ", {} {}",
            level_name(AreaLevel::Province, lang),
            escape(p)
        )),
        map = data.map.as_ref().map_or(String::new(), |map| format!(
            "<figure class=\"inset\">{}<figcaption>{}</figcaption></figure>\n",
            crate::map::svg(map, "map"),
            escape(&map.caption)
        )),
    );
    if let Some(notice) = &data.notice {
        // At the top, in the sheet's language and the other one, with the source's own words:
        // a synthetic figure must not be read as a real one, whichever part is printed.
        let other = match lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        };
        let (heading, sentence) = notice_words(lang);
        let (_, other_sentence) = notice_words(other);
        let _ = writeln!(
            out,
            r#"<section class="notice" role="note" aria-labelledby="notice-h"><h2 id="notice-h">{}</h2><p><strong>{}</strong></p><p lang="{}"><strong>{}</strong></p><p id="notice">{}</p></section>"#,
            escape(heading),
            escape(sentence),
            other.code(),
            escape(other_sentence),
            escape(notice)
        );
    }
    let _ = writeln!(
        out,
        r#"<section aria-labelledby="summary-h"><h2 id="summary-h">{}</h2><p id="summary">{}</p></section>"#,
        lang.pick("Samenvatting", "Summary"),
        escape(&summary(data))
    );
    let _ = write!(
        out,
        r#"<section aria-labelledby="key-h"><h2 id="key-h">{}</h2><ul class="tiles">"#,
        lang.pick("Kerncijfers", "Key figures")
    );
    for figure in &data.key_figures {
        let show = |v: f64| {
            if figure.indicator.contains("change") {
                signed(v, figure.decimals, lang)
            } else {
                format_number(v, figure.decimals, lang)
            }
        };
        let mut cmp = Vec::new();
        // The values compared with, also as plain numbers in data attributes (the test that
        // compares the sheet with the API reads them).
        let mut raw_cmp = String::new();
        for (attribute, value, name) in [
            ("municipality", figure.municipality, &data.municipality),
            ("province", figure.province, &data.province),
            ("country", figure.country, &Some(data.country.clone())),
        ] {
            if let (Some(v), Some(name)) = (value, name) {
                cmp.push(format!("{} {}", escape(name), show(v)));
                let _ = write!(
                    raw_cmp,
                    r#" data-{attribute}="{}""#,
                    Fixed(v, figure.decimals)
                );
            }
        }
        let _ = write!(
            out,
            r#"<li class="tile" data-indicator="{id}" data-year="{year}" data-value="{raw}"{raw_cmp}><h3>{label}{year_note}</h3><p class="value">{value} <small>{unit}</small></p><p class="cmp">{cmp}</p></li>"#,
            id = escape(&figure.indicator),
            year = figure.year,
            raw = Fixed(figure.value, figure.decimals),
            label = escape(&figure.label),
            year_note = if figure.year == data.year {
                String::new()
            } else {
                format!(" ({})", figure.year)
            },
            value = show(figure.value),
            unit = escape(&figure.unit),
            cmp = cmp.join(" · "),
        );
    }
    out.push_str("</ul></section>\n");
    let _ = write!(
        out,
        r#"<section aria-labelledby="charts-h"><h2 id="charts-h">{}</h2><div class="charts">"#,
        lang.pick("Grafieken", "Charts")
    );
    for chart in &data.charts {
        let _ = write!(
            out,
            r#"<figure aria-labelledby="{id}-cap"><figcaption id="{id}-cap">{title}</figcaption>{svg}<details><summary>{show}</summary><table><caption>{title}{unit}</caption><thead><tr><th scope="col">{cat}</th>"#,
            id = chart.id,
            title = escape(&chart.title),
            svg = svg(chart, lang),
            show = lang.pick("Gegevens als tabel", "Data as a table"),
            // An index has no unit symbol: no empty brackets after its title.
            unit = if chart.unit.is_empty() {
                String::new()
            } else {
                format!(" ({})", escape(&chart.unit))
            },
            cat = if chart.kind == ChartKind::Ranking {
                lang.pick("Gebied", "Area")
            } else {
                lang.pick("Categorie", "Category")
            },
        );
        if chart.kind == ChartKind::Ranking {
            let _ = write!(
                out,
                r#"<th scope="col">{}</th>"#,
                lang.pick("Waarde", "Value")
            );
        } else {
            for series in &chart.series {
                let _ = write!(out, r#"<th scope="col">{}</th>"#, escape(&series.name));
            }
        }
        out.push_str("</tr></thead><tbody>");
        for (i, category) in chart.categories.iter().enumerate() {
            // The sheet's own area stands out in a ranking's table as in its bars.
            let category = if chart.highlight == Some(i) {
                format!("<strong>{}</strong>", escape(category))
            } else {
                escape(category)
            };
            let _ = write!(out, r#"<tr><th scope="row">{category}</th>"#);
            for series in &chart.series {
                let cell = series.values.get(i).copied().flatten().map_or_else(
                    || "–".to_owned(),
                    |v| format_number(v, chart.decimals, lang),
                );
                let _ = write!(out, "<td>{cell}</td>");
            }
            out.push_str("</tr>");
        }
        for reference in &chart.references {
            if let Some(Some(v)) = reference.values.first() {
                let _ = write!(
                    out,
                    r#"<tr><th scope="row">{} ({})</th><td>{}</td></tr>"#,
                    escape(&reference.name),
                    lang.pick("geheel", "as a whole"),
                    format_number(*v, chart.decimals, lang)
                );
            }
        }
        out.push_str("</tbody></table></details></figure>\n");
    }
    out.push_str("</div></section>\n");
    let _ = write!(
        out,
        "<footer><h2>{sources}</h2><ul>",
        sources = lang.pick("Bronnen en licenties", "Sources and licences")
    );
    for source in &data.sources {
        let _ = write!(
            out,
            "<li>{} — {} ({})</li>",
            escape(&source.attribution),
            escape(&source.table),
            escape(&source.licence)
        );
    }
    let _ = write!(out, "</ul><h2>{}</h2><ul>", lang.pick("Methode", "Method"));
    for note in &data.notes {
        let _ = write!(out, "<li>{}</li>", escape(note));
    }
    let _ = write!(
        out,
        "</ul><p>{} {} · Leefbaar</p></footer>\n</main>\n</body>\n</html>\n",
        lang.pick("Gemaakt op", "Made on"),
        escape(&data.date)
    );
    out
}

/// A number with a fixed count of decimals in plain notation, for data attributes.
struct Fixed(f64, u8);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.*}", usize::from(self.1), self.0)
    }
}
