//! `leefbaar check`: a bundle checked without importing it (`leefbaar_monitor::check_bundle`).
//! Problems go to stderr, each with its file, line and field; the summary of what an import
//! would hold goes to stdout; the exit code is 1 when there is a problem. Nothing is written.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;
use leefbaar_model::AreaLevel;
use leefbaar_monitor::{CheckOptions, CheckReport, check_bundle};
use serde_json::json;

/// Check a bundle without importing it: every problem with its file, line and field, and what an import would hold
///
/// Reads everything `leefbaar import` reads — the manifest, every table and boundary file, the
/// postcode, place and lineage files, the indicator catalogue (built-in, the entries generated
/// for the reach kinds, and the bundle's own), the reach population points and facilities, the
/// projection's inputs and the citizens' panel — and reports every problem it finds, each with
/// its file, line and field, not only the first. Then it says what an import would hold: areas
/// per level, facts, indicators (and where they come from), and which monitors are present or
/// left out, and why. It writes nothing: the store is not touched.
///
/// Problems are printed on stderr and make the exit code 1; warnings (data that no indicator
/// uses, an indicator of the bundle that no data feeds) do not. The summary is printed on
/// stdout.
///
/// Example: `leefbaar check docs/examples/turnout/manifest.toml`. The manifest format is
/// described in docs/bundle-format.md.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The bundle's manifest.toml
    pub manifest: PathBuf,
    /// An indicator catalogue (TOML) to use instead of the built-in one, as `import --catalogue`
    /// does (the bundle's own catalogue still extends it)
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// The province to monitor, a code or a name (e.g. PV20 or Groningen) [default: the
    /// bundle's]
    #[arg(long, value_name = "PROVINCE")]
    pub province: Option<String>,
    /// Do not check reach (as `import --no-reach`)
    #[arg(long)]
    pub no_reach: bool,
    /// Do not check the projection's inputs (as `import --no-projection`)
    #[arg(long)]
    pub no_projection: bool,
    /// Print the report as JSON on stdout (problems included) instead of text
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<()> {
    let options = CheckOptions {
        catalogue: args.catalogue.clone(),
        province: args.province.clone(),
        reach: !args.no_reach,
        projection: !args.no_projection,
        ..CheckOptions::new(&args.manifest)
    };
    let report = check_bundle(&options);
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&to_json(&report))?)?;
    } else {
        let mut err = std::io::stderr().lock();
        for problem in &report.problems {
            writeln!(err, "error: {problem}")?;
        }
        for warning in &report.warnings {
            writeln!(err, "warning: {warning}")?;
        }
        write!(out, "{}", summary_text(&report))?;
    }
    if report.is_ok() {
        Ok(())
    } else {
        let n = report.problems.len();
        anyhow::bail!(
            "{} has {n} problem{}; an import would stop and write nothing",
            args.manifest.display(),
            if n == 1 { "" } else { "s" }
        )
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `municipalities` for `municipality`.
fn level_plural(level: AreaLevel) -> String {
    match level {
        AreaLevel::Country => "countries".to_owned(),
        AreaLevel::Municipality => "municipalities".to_owned(),
        other => format!("{other}s"),
    }
}

/// The summary, one fact a line.
fn summary_text(report: &CheckReport) -> String {
    let mut text = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(text, "{label:<12}{value}");
    };
    match &report.bundle {
        Some(bundle) => line(
            "bundle",
            format!(
                "{} \"{}\", version {} ({})",
                bundle.id,
                bundle.name,
                bundle.version,
                report.manifest.display()
            ),
        ),
        None => line(
            "bundle",
            format!("{} (unreadable)", report.manifest.display()),
        ),
    }
    if let Some((code, name)) = &report.province {
        line("province", format!("{code} {name}"));
    }
    match &report.tables {
        Some(tables) => {
            line("sources", plural(tables.sources, "file", "files"));
            let areas: Vec<String> = tables
                .areas
                .iter()
                .map(|(level, n)| plural(*n, level.as_str(), &level_plural(*level)))
                .collect();
            line("areas", areas.join(", "));
            let years = tables
                .years
                .map_or_else(String::new, |(a, b)| format!(", {a}–{b}"));
            line(
                "facts",
                format!(
                    "{} of {}{years} ({} without a value)",
                    thousands(tables.facts),
                    plural(tables.variables.len(), "variable", "variables"),
                    thousands(tables.missing_facts)
                ),
            );
            if tables.postcodes > 0 || tables.places > 0 {
                line(
                    "search",
                    format!(
                        "{}, {}",
                        plural(tables.postcodes, "postcode", "postcodes"),
                        plural(tables.places, "place", "places")
                    ),
                );
            }
        }
        None => line("tables", "not all readable (see the errors)".to_owned()),
    }
    match &report.catalogue {
        Some(catalogue) => {
            let mut parts = vec![
                format!("{} built-in", catalogue.built_in),
                format!("{} for reach kinds", catalogue.generated),
                format!("{} the bundle's own", catalogue.own.len()),
            ];
            if !catalogue.replaced.is_empty() {
                parts.push(format!("{} replaced", catalogue.replaced.len()));
            }
            line(
                "indicators",
                format!(
                    "{} ({}); {} with data in this bundle",
                    catalogue.indicators,
                    parts.join(", "),
                    catalogue.with_data
                ),
            );
            let ids: Vec<&str> = catalogue
                .own
                .iter()
                .chain(&catalogue.replaced)
                .map(String::as_str)
                .collect();
            if !ids.is_empty() {
                line("own", ids.join(", "));
            }
        }
        None => line(
            "indicators",
            "catalogue invalid (see the errors)".to_owned(),
        ),
    }
    for monitor in &report.monitors {
        line(&monitor.what, monitor.detail.clone());
    }
    for left_out in &report.left_out {
        line(&left_out.what, format!("left out: {}", left_out.reason.en));
    }
    if report.is_ok() {
        let _ = writeln!(
            text,
            "ok: the bundle can be imported (`leefbaar import {}`)",
            report.manifest.display()
        );
    }
    text
}

fn to_json(report: &CheckReport) -> serde_json::Value {
    json!({
        "ok": report.is_ok(),
        "manifest": report.manifest.display().to_string(),
        "bundle": report.bundle.as_ref().map(|b| json!({
            "id": b.id,
            "name": b.name,
            "version": b.version,
            "catalogue": b.catalogue.as_ref().map(|p| p.display().to_string()),
        })),
        "province": report.province.as_ref().map(|(code, name)| json!({
            "code": code.as_str(),
            "name": name,
        })),
        "problems": report.problems.iter().map(|p| json!({
            "part": p.part.as_str(),
            "file": p.file,
            "line": p.line,
            "field": p.field,
            "message": p.message,
            "text": p.to_string(),
        })).collect::<Vec<_>>(),
        "warnings": report.warnings,
        "tables": report.tables.as_ref().map(|t| json!({
            "sources": t.sources,
            "areas": t.areas.iter().map(|(level, n)| (level.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "facts": t.facts,
            "missing_facts": t.missing_facts,
            "variables": t.variables,
            "years": t.years.map(|(a, b)| [a.get(), b.get()]),
            "postcodes": t.postcodes,
            "places": t.places,
        })),
        "indicators": report.catalogue.as_ref().map(|c| json!({
            "total": c.indicators,
            "built_in": c.built_in,
            "generated": c.generated,
            "own": c.own,
            "replaced": c.replaced,
            "with_data": c.with_data,
        })),
        "monitors": report.monitors.iter().map(|m| json!({
            "what": m.what,
            "detail": m.detail,
        })).collect::<Vec<_>>(),
        "left_out": report.left_out.iter().map(|l| json!({
            "what": l.what,
            "reason": {"nl": l.reason.nl, "en": l.reason.en},
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_305), "1,305");
        assert_eq!(thousands(124_260), "124,260");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
