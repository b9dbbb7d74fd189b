//! Charts as SVG: lines over years or grouped bars, with `<title>` and `<desc>`, drawn from a
//! [`Chart`]. The same SVG goes inline into the HTML and, as vectors, into the PDF.

use std::fmt::Write as _;

use crate::format::format_number;
use crate::html::escape;
use crate::{Chart, ChartKind, Lang};

const WIDTH: f64 = 340.0;
const HEIGHT: f64 = 190.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 44.0;
/// Colours (area, province, country) with a contrast of at least 3:1 on white; lines also
/// differ by dash pattern, so colour is never the only cue.
const COLOURS: [&str; 3] = ["#1f4e79", "#b54708", "#5f6368"];
const DASHES: [&str; 3] = ["", "6 3", "2 3"];

/// Renders a chart as a standalone SVG element.
pub(crate) fn svg(chart: &Chart, lang: Lang) -> String {
    let values: Vec<f64> = chart
        .series
        .iter()
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
    if chart.kind == ChartKind::Bars {
        lo = 0.0;
    }
    let step = nice_step((hi - lo).max(1e-9) / 4.0);
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let n = chart.categories.len().max(1);
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
    for (i, label) in chart.categories.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{ly}" text-anchor="middle" fill="#333">{label}</text>"##,
                x = x_of(i),
                ly = HEIGHT - BOTTOM + 12.0,
                label = escape(label),
            );
        }
    }
    match chart.kind {
        ChartKind::Line => {
            for (s, series) in chart.series.iter().enumerate() {
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
                let _ = write!(
                    out,
                    r#"<path d="{d}" fill="none" stroke="{c}" stroke-width="{w}" stroke-dasharray="{dash}"/>"#,
                    c = COLOURS[s % 3],
                    w = if s == 0 { 2.2 } else { 1.4 },
                    dash = DASHES[s % 3],
                );
            }
        }
        ChartKind::Bars => {
            let groups = chart.series.len().max(1) as f64;
            let bar = slot * 0.8 / groups;
            for (s, series) in chart.series.iter().enumerate() {
                for (i, v) in series.values.iter().enumerate() {
                    if let Some(v) = v {
                        let x = LEFT + slot * i as f64 + slot * 0.1 + bar * s as f64;
                        let top = y(*v);
                        let _ = write!(
                            out,
                            r#"<rect x="{x:.1}" y="{top:.1}" width="{bw:.1}" height="{h:.1}" fill="{c}" fill-opacity="{o}"/>"#,
                            bw = bar - 0.6,
                            h = y(lo) - top,
                            c = COLOURS[s % 3],
                            o = [1.0, 0.85, 0.6][s % 3],
                        );
                    }
                }
            }
        }
    }
    // legend
    let mut lx = LEFT;
    let ly = HEIGHT - 12.0;
    for (s, series) in chart.series.iter().enumerate() {
        let _ = write!(
            out,
            r##"<line x1="{lx}" x2="{x2}" y1="{ly}" y2="{ly}" stroke="{c}" stroke-width="3" stroke-dasharray="{dash}"/><text x="{tx}" y="{ty}" fill="#222">{name}</text>"##,
            x2 = lx + 16.0,
            c = COLOURS[s % 3],
            dash = if chart.kind == ChartKind::Line {
                DASHES[s % 3]
            } else {
                ""
            },
            tx = lx + 20.0,
            ty = ly + 3.0,
            name = escape(&series.name),
        );
        lx += 28.0 + 5.0 * series.name.chars().count() as f64;
    }
    out.push_str("</svg>");
    out
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
