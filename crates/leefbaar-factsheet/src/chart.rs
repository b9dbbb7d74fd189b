//! Charts as SVG: lines over years or grouped bars, with `<title>` and `<desc>`, drawn from a
//! [`Chart`]. The same SVG goes inline into the HTML and, as vectors, into the PDF.

use std::fmt::Write as _;

use crate::present::{escape, format_number};
use crate::{Chart, ChartKind, Lang, SeriesRole};

const WIDTH: f64 = 340.0;
const HEIGHT: f64 = 190.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 44.0;
/// The distance between two lines of a wrapped label, at the charts' 9-unit font.
const LINE: f64 = 9.0;
/// About 5.4 units per character at 9 units: a browser without Libertinus Serif falls back to
/// a sans-serif, which is wider.
const CHAR_WIDTH: f64 = 5.4;

/// How a series of each role is drawn: colour (each at least 3:1 on white), dash pattern (so
/// colour is never the only cue on lines), line width and bar opacity.
struct Style {
    colour: &'static str,
    dash: &'static str,
    width: f64,
    opacity: f64,
}

fn style(role: SeriesRole) -> Style {
    let (colour, dash, width, opacity) = match role {
        SeriesRole::Area => ("#1f4e79", "", 2.2, 1.0),
        SeriesRole::Municipality => ("#2e7d32", "8 2 2 2", 1.6, 0.9),
        SeriesRole::Province => ("#b54708", "6 3", 1.4, 0.85),
        SeriesRole::Country => ("#5f6368", "2 3", 1.4, 0.6),
        SeriesRole::Other => ("#858d98", "", 1.4, 1.0),
    };
    Style {
        colour,
        dash,
        width,
        opacity,
    }
}

/// Renders a chart as a standalone SVG element.
pub(crate) fn svg(chart: &Chart, lang: Lang) -> String {
    let values: Vec<f64> = chart
        .series
        .iter()
        .chain(&chart.references)
        .flat_map(|s| s.values.iter().flatten().copied())
        .collect();
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if values.is_empty() {
        (lo, hi) = (0.0, 1.0);
    }
    if chart.kind != ChartKind::Line {
        lo = 0.0;
    }
    let step = nice_step((hi - lo).max(1e-9) / 4.0);
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    let plot_w = WIDTH - LEFT - RIGHT;
    let n = chart.categories.len().max(1);
    // A bar's label that is wider than its slot goes on two lines, and the plot makes room.
    let x_lines: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|label| {
            if chart.kind == ChartKind::Bars {
                wrap(label, plot_w / n as f64)
            } else {
                vec![label.clone()]
            }
        })
        .collect();
    let extra_lines = x_lines.iter().map(Vec::len).max().unwrap_or(1).max(1) - 1;
    let bottom = BOTTOM + LINE * extra_lines as f64;
    let plot_h = HEIGHT - TOP - bottom;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" font-family="Libertinus Serif, DejaVu Sans, sans-serif" font-size="9"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#,
        id = chart.id,
        title = escape(&chart.title),
        desc = escape(&chart.description),
    );
    // grid and y labels
    let decimals = if step < 0.1 { 2 } else { u8::from(step < 1.0) };
    let mut tick = lo;
    while tick <= hi + step / 2.0 {
        let ty = y(tick);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{x2}" y1="{ty:.1}" y2="{ty:.1}" stroke="#d0d4d9" stroke-width="0.6"/><text x="{tx}" y="{ly:.1}" text-anchor="end" fill="#333">{label}</text>"##,
            x2 = WIDTH - RIGHT,
            tx = LEFT - 4.0,
            ly = ty + 3.0,
            label = format_number(tick, decimals, lang),
        );
        tick += step;
    }
    // x labels: every category for bars, about six for lines
    let every = if chart.kind == ChartKind::Line {
        n.div_ceil(6)
    } else {
        1
    };
    let slot = plot_w / n as f64;
    let x_of = |i: usize| match chart.kind {
        ChartKind::Line if n > 1 => LEFT + plot_w * i as f64 / (n - 1) as f64,
        _ => LEFT + slot * (i as f64 + 0.5),
    };
    // A ranking has too many areas to name each; its data table does, and the legend names the
    // highlighted one.
    let x_labels = if chart.kind == ChartKind::Ranking {
        &[][..]
    } else {
        &x_lines[..]
    };
    for (i, lines) in x_labels.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            let x = x_of(i);
            let label = if let [one] = lines.as_slice() {
                escape(one)
            } else {
                let mut spans = String::new();
                for (line, text) in lines.iter().enumerate() {
                    let _ = write!(
                        spans,
                        r#"<tspan x="{x:.1}" dy="{dy}">{}</tspan>"#,
                        escape(text),
                        dy = if line == 0 { 0.0 } else { LINE },
                    );
                }
                spans
            };
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{ly}" text-anchor="middle" fill="#333">{label}</text>"##,
                ly = HEIGHT - bottom + 12.0,
            );
        }
    }
    let mut value_label = String::new();
    match chart.kind {
        ChartKind::Line => {
            for series in &chart.series {
                let mut d = String::new();
                let mut pen_up = true;
                for (i, v) in series.values.iter().enumerate() {
                    match v {
                        Some(v) => {
                            let _ = write!(
                                d,
                                "{}{:.1},{:.1} ",
                                if pen_up { "M" } else { "L" },
                                x_of(i),
                                y(*v)
                            );
                            pen_up = false;
                        }
                        None => pen_up = true,
                    }
                }
                let look = style(series.role);
                let _ = write!(
                    out,
                    r#"<path d="{d}" fill="none" stroke="{c}" stroke-width="{w}" stroke-dasharray="{dash}"/>"#,
                    c = look.colour,
                    w = look.width,
                    dash = look.dash,
                );
            }
        }
        ChartKind::Bars => {
            let groups = chart.series.len().max(1) as f64;
            let bar = slot * 0.8 / groups;
            for (s, series) in chart.series.iter().enumerate() {
                let look = style(series.role);
                for (i, v) in series.values.iter().enumerate() {
                    if let Some(v) = v {
                        let x = LEFT + slot * i as f64 + slot * 0.1 + bar * s as f64;
                        let top = y(*v);
                        // A zero draws no bar (and a zero-height rect is flagged by SVG
                        // readers); the data table has the value.
                        if y(lo) - top < 0.05 {
                            continue;
                        }
                        let _ = write!(
                            out,
                            r#"<rect x="{x:.1}" y="{top:.1}" width="{bw:.1}" height="{h:.1}" fill="{c}" fill-opacity="{o}"/>"#,
                            bw = bar - 0.6,
                            h = y(lo) - top,
                            c = look.colour,
                            o = look.opacity,
                        );
                    }
                }
            }
        }
        ChartKind::Ranking => {
            let bar = slot * 0.8;
            for series in &chart.series {
                for (i, v) in series.values.iter().enumerate() {
                    let Some(v) = v else { continue };
                    let selected = chart.highlight == Some(i);
                    let look = style(if selected {
                        SeriesRole::Area
                    } else {
                        series.role
                    });
                    let x = LEFT + slot * i as f64 + slot * 0.1;
                    let top = y(*v);
                    if y(lo) - top >= 0.05 {
                        let _ = write!(
                            out,
                            r#"<rect x="{x:.1}" y="{top:.1}" width="{bar:.1}" height="{h:.1}" fill="{c}" fill-opacity="{o}"/>"#,
                            h = y(lo) - top,
                            c = look.colour,
                            o = look.opacity,
                        );
                    }
                    if selected {
                        // Written after the reference lines, with a white halo, so that a line
                        // at the same height does not strike through it.
                        let _ = write!(
                            value_label,
                            r##"<text x="{tx:.1}" y="{ty:.1}" text-anchor="middle" fill="#1f4e79" font-weight="bold" stroke="#fff" stroke-width="2.5" paint-order="stroke">{label}</text>"##,
                            tx = x + bar / 2.0,
                            ty = top - 3.0,
                            label = format_number(*v, chart.decimals, lang),
                        );
                    }
                }
            }
        }
    }
    for reference in &chart.references {
        let Some(Some(value)) = reference.values.first() else {
            continue;
        };
        let look = style(reference.role);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" x2="{x2}" y1="{ry:.1}" y2="{ry:.1}" stroke="{c}" stroke-width="1.4" stroke-dasharray="{dash}"/>"#,
            x2 = WIDTH - RIGHT,
            ry = y(*value),
            c = look.colour,
            dash = if look.dash.is_empty() {
                "4 2"
            } else {
                look.dash
            },
        );
    }
    out.push_str(&value_label);
    // The legend, wrapped onto a second row when the names are long. A ranking's legend shows
    // the highlighted area, the other areas and the reference lines.
    let mut entries: Vec<(String, SeriesRole, bool)> = Vec::new();
    if let (ChartKind::Ranking, Some(i)) = (chart.kind, chart.highlight) {
        entries.push((chart.categories[i].clone(), SeriesRole::Area, false));
    }
    entries.extend(
        chart
            .series
            .iter()
            .map(|s| (s.name.clone(), s.role, chart.kind == ChartKind::Line)),
    );
    entries.extend(
        chart
            .references
            .iter()
            .map(|s| (s.name.clone(), s.role, true)),
    );
    let entry_width = |name: &str| 28.0 + CHAR_WIDTH * name.chars().count() as f64;
    let total: f64 = entries.iter().map(|(name, _, _)| entry_width(name)).sum();
    let mut lx = LEFT;
    let mut ly = if total > WIDTH - RIGHT - LEFT {
        HEIGHT - 20.0
    } else {
        HEIGHT - 12.0
    };
    for (name, role, dashed) in &entries {
        // The text ends 8 units before the next entry would start.
        if lx > LEFT && lx + entry_width(name) - 8.0 > WIDTH - RIGHT {
            lx = LEFT;
            ly += 11.0;
        }
        let look = style(*role);
        let _ = write!(
            out,
            r##"<line x1="{lx}" x2="{x2}" y1="{ly}" y2="{ly}" stroke="{c}" stroke-width="3" stroke-dasharray="{dash}"/><text x="{tx}" y="{ty}" fill="#222">{name}</text>"##,
            x2 = lx + 16.0,
            c = look.colour,
            dash = if *dashed { look.dash } else { "" },
            tx = lx + 20.0,
            ty = ly + 3.0,
            name = escape(name),
        );
        lx += entry_width(name);
    }
    out.push_str("</svg>");
    out
}

/// A label on one line when it fits `width`, else on as many as it needs, broken at spaces and
/// after hyphens (a catalogue label such as "School voor voortgezet onderwijs" is a facility
/// kind's name, not a short word); a word longer than a line stays whole.
fn wrap(label: &str, width: f64) -> Vec<String> {
    // Libertinus Serif at 9 units is about 4.6 units a character; lines may run a little into
    // the gap beside their bar group where a sans-serif fallback is wider.
    let fits = |chars: usize| 4.6 * chars as f64 <= width;
    if fits(label.chars().count()) {
        return vec![label.to_owned()];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split(' ') {
        // A hyphen ends a part that may end a line too: "Havo/vwo-" "school".
        let parts: Vec<&str> = word.split_inclusive('-').collect();
        for (index, part) in parts.iter().enumerate() {
            let glue = if index == 0 && !line.is_empty() {
                " "
            } else {
                ""
            };
            if !line.is_empty() && !fits(line.chars().count() + glue.len() + part.chars().count()) {
                lines.push(std::mem::take(&mut line));
            } else {
                line.push_str(glue);
            }
            line.push_str(part);
        }
    }
    lines.push(line);
    lines
}

fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn a_label_wider_than_its_slot_is_broken_at_spaces_and_after_hyphens() {
        for (label, lines) in [
            ("Hospital", &["Hospital"][..]),
            ("Basisschool", &["Basisschool"][..]),
            ("Primary school", &["Primary", "school"][..]),
            (
                "School voor voortgezet onderwijs",
                &["School voor", "voortgezet", "onderwijs"][..],
            ),
            ("Havo/vwo-school", &["Havo/vwo-", "school"][..]),
            ("Ambulancepost", &["Ambulancepost"][..]),
        ] {
            assert_eq!(wrap(label, 57.6), lines, "{label}");
        }
    }
}
