//! `leefbaar survey`: weighted estimates from a citizens' panel on the command line —
//! `questions`, `estimate`, `weights` (the raking report) and `compare` (a difference between
//! two groups with its p-value). Reads the panel of the bundle (the store's, or `--bundle`;
//! the bundled one is SYNTHETIC) unless `--panel`, `--schema` or `--margins` name other files,
//! and labels every output from a synthetic panel as such. The figures are those of the API
//! (`leefbaar_monitor::survey`, presented by `leefbaar_server::wire::survey`), so they have
//! passed the same disclosure control; `--json` prints the API's `data`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use leefbaar_ingest::SurveySpec;
use leefbaar_monitor::survey::{QueryError, SurveyMonitor};
use leefbaar_server::wire::survey::{DifferenceTable, EstimateCell, EstimateTable, SurveyInfo};

use crate::global::GlobalArgs;
use crate::paths;

/// Weighted estimates with 95 % confidence intervals from a citizens' panel.
///
/// Without `--panel`, `--schema` and `--margins` it reads the panel of the bundle: the store's,
/// else `--bundle`, else the bundled SYNTHETIC panel of 5,001 generated respondents in
/// Groningen, Fryslân and Drenthe (data/survey/). Weights are raked to province × age group ×
/// sex and municipality; no estimate on fewer than 10 respondents is shown, nor one that
/// would reveal such an estimate.
#[derive(Debug, Args)]
pub struct SurveyArgs {
    #[command(subcommand)]
    pub command: SurveyCommand,
    /// Respondents (CSV: respondent_id, area_code, age_group, sex, [design_weight], answers) [default: data/survey/burgerpanel_2018_synthetic.csv, SYNTHETIC]
    #[arg(long, global = true, value_name = "CSV")]
    pub panel: Option<PathBuf>,
    /// The questionnaire (TOML) [default: data/survey/burgerpanel_2018_schema.toml]
    #[arg(long, global = true, value_name = "TOML")]
    pub schema: Option<PathBuf>,
    /// Raking margins (CSV: province, municipality, age_group, sex, population) [default: data/survey/population_2019_adults.csv]
    #[arg(long, global = true, value_name = "CSV")]
    pub margins: Option<PathBuf>,
    /// The bundle whose panel to use [default: the store's bundle, else data/drenthe/manifest.toml]
    #[arg(long, global = true, value_name = "MANIFEST")]
    pub bundle: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// The panel's questions, answer codes and number of respondents
    Questions {
        /// Print JSON (the `data` of GET /api/v1/survey) instead of text
        #[arg(long)]
        json: bool,
    },
    /// A question's weighted mean or answer shares, for the whole panel and per group
    Estimate {
        /// The question id, e.g. `rating` or `future` (see `leefbaar survey questions`)
        #[arg(long)]
        question: String,
        /// Groups: province, municipality, age_group, sex, or a single-choice question id (e.g. quake_damage)
        #[arg(long)]
        by: Option<String>,
        /// Print JSON (the `data` of GET /api/v1/survey/estimates) instead of a table
        #[arg(long)]
        json: bool,
    },
    /// The raking report: iterations, largest margin error, weight range, design effect, effective n
    Weights {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The difference of a question between two groups (first minus second), with its t test
    Compare {
        /// The question id, e.g. `rating`
        #[arg(long)]
        question: String,
        /// The two groups, comma-separated, e.g. PV20,PV22
        #[arg(long, value_delimiter = ',', required = true)]
        groups: Vec<String>,
        /// The grouping the two groups belong to [default: the first of province, municipality, age_group, sex, or a question that has both]
        #[arg(long)]
        by: Option<String>,
        /// Print JSON (the `data` of GET /api/v1/survey/difference) instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// Reads and rakes a panel: the bundle's files where no path is given. Only the bundle's own
/// panel can be synthetic (its manifest says so); a panel given with `--panel` is not.
fn load(
    spec: Option<&SurveySpec>,
    panel: Option<&Path>,
    schema: Option<&Path>,
    margins: Option<&Path>,
) -> anyhow::Result<SurveyMonitor> {
    let missing =
        || anyhow::anyhow!("the bundle declares no [survey]; give --panel, --schema and --margins");
    let pick = |given: Option<&Path>, bundled: fn(&SurveySpec) -> &PathBuf| match given {
        Some(path) => Ok(path.to_path_buf()),
        None => spec.map(|s| bundled(s).clone()).ok_or_else(missing),
    };
    let files = SurveySpec {
        panel: pick(panel, |s| &s.panel)?,
        schema: pick(schema, |s| &s.schema)?,
        margins: pick(margins, |s| &s.margins)?,
        synthetic_notice: if panel.is_none() {
            spec.and_then(|s| s.synthetic_notice.clone())
        } else {
            None
        },
    };
    SurveyMonitor::load(&files)
        .with_context(|| format!("reading the citizens' panel {}", files.panel.display()))
}

/// A request error in the words of the command line.
fn flag_error(error: &QueryError) -> anyhow::Error {
    let flag = match error.parameter {
        "a" | "b" => "groups",
        other => other,
    };
    anyhow::anyhow!("--{flag} {}", error.message)
}

pub fn run(global: &GlobalArgs, args: &SurveyArgs) -> anyhow::Result<()> {
    let bundled = if args.panel.is_some() && args.schema.is_some() && args.margins.is_some() {
        None
    } else {
        Some(crate::bundle::choose(
            args.bundle.as_deref(),
            &paths::store(global),
        )?)
    };
    // Groups that are provinces are named as the bundle names them.
    let names = bundled
        .as_ref()
        .map(|b| b.province_names.clone())
        .unwrap_or_default();
    let name = |code: &str| names.get(code).cloned();
    let survey = load(
        bundled.as_ref().and_then(|b| b.spec.survey.as_ref()),
        args.panel.as_deref(),
        args.schema.as_deref(),
        args.margins.as_deref(),
    )?;
    let text = match &args.command {
        SurveyCommand::Questions { json } => {
            let info = SurveyInfo::of(&survey);
            if *json {
                json_text(&serde_json::to_value(&info)?)?
            } else {
                questions_text(&info)
            }
        }
        SurveyCommand::Estimate { question, by, json } => {
            let estimates = survey
                .estimates(question, by.as_deref())
                .map_err(|e| flag_error(&e))?;
            let table = EstimateTable::of(&survey, &estimates, &name);
            if *json {
                json_text(&serde_json::to_value(&table)?)?
            } else {
                estimate_text(&table)
            }
        }
        SurveyCommand::Weights { json } => weights_text(&survey, *json)?,
        SurveyCommand::Compare {
            question,
            groups,
            by,
            json,
        } => {
            let [a, b] = groups.as_slice() else {
                anyhow::bail!(
                    "--groups takes exactly two groups, e.g. PV20,PV22; found {}",
                    groups.len()
                );
            };
            let by = match by {
                Some(by) => by.clone(),
                None => infer_grouping(&survey, question, a, b)?,
            };
            let differences = survey
                .difference(question, &by, a, b)
                .map_err(|e| flag_error(&e))?;
            let table = DifferenceTable::of(&survey, &differences);
            if *json {
                json_text(&serde_json::to_value(&table)?)?
            } else {
                compare_text(&table)
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn json_text(value: &serde_json::Value) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// The first grouping whose groups include both `a` and `b`.
fn infer_grouping(
    survey: &SurveyMonitor,
    question: &str,
    a: &str,
    b: &str,
) -> anyhow::Result<String> {
    for by in survey.groupings() {
        let estimates = survey
            .estimates(question, Some(&by))
            .map_err(|e| flag_error(&e))?;
        let has = |group: &str| estimates.groups.iter().any(|(label, _)| label == group);
        if has(a) && has(b) {
            return Ok(by);
        }
    }
    anyhow::bail!(
        "--groups `{a},{b}` are not two groups of one grouping; pass --by (one of {})",
        survey.groupings().join(", ")
    )
}

fn banner(notice: Option<&str>) -> String {
    notice.map_or_else(String::new, |notice| format!("*** {notice} ***\n\n"))
}

/// Left-aligned text columns, right-aligned numeric ones, two spaces apart.
fn layout(header: &[&str], numeric: &[bool], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        // A suppression note runs on over the (empty) columns after it.
        for (width, cell) in widths.iter_mut().zip(row) {
            if !cell.starts_with("suppressed") {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let show_header = header.iter().any(|h| !h.is_empty());
    for row in std::iter::once(&header).filter(|_| show_header).chain(rows) {
        let mut line = String::new();
        for (k, cell) in row.iter().enumerate() {
            let pad = widths[k].saturating_sub(cell.chars().count());
            if k > 0 {
                line.push_str("  ");
            }
            // Numbers right-aligned; a suppression note reads from the left.
            if numeric[k] && !cell.starts_with("suppressed") {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn estimate_row(cell: &EstimateCell, percent: bool) -> Vec<String> {
    let mut row = vec![
        cell.group.clone(),
        cell.name.clone().unwrap_or_default(),
        cell.answer.clone().unwrap_or_default(),
    ];
    if let (Some(value), Some(low), Some(high), Some(n), Some(effective)) = (
        cell.value,
        cell.ci_low,
        cell.ci_high,
        cell.n,
        cell.effective_n,
    ) {
        let decimals = if percent { 1 } else { 2 };
        let unit = if percent { " %" } else { "" };
        row.push(format!("{value:.decimals$}{unit}"));
        row.push(format!("{low:.decimals$} – {high:.decimals$}{unit}"));
        row.push(n.to_string());
        row.push(format!("{effective:.1}"));
    } else {
        let why = if cell.suppression == Some("secondary") {
            "suppressed (protects another cell)"
        } else {
            "suppressed (n < 10)"
        };
        row.push(why.to_owned());
        row.extend([String::new(), String::new(), String::new()]);
    }
    row
}

fn estimate_text(table: &EstimateTable) -> String {
    let mut out = banner(table.notice.as_deref());
    let percent = table.unit == "percent";
    let what = if percent {
        "weighted share of each answer"
    } else {
        "weighted mean"
    };
    let _ = writeln!(
        out,
        "{} [{}]: {what}, {}; 95 % confidence intervals",
        table.label.en,
        table.question,
        table
            .by
            .as_ref()
            .map_or_else(|| "whole panel".to_owned(), |by| format!("by {by}")),
    );
    let mut rows: Vec<Vec<String>> = table
        .cells
        .iter()
        .chain(&table.total)
        .map(|cell| estimate_row(cell, percent))
        .collect();
    let mut header = vec![
        "group", "name", "answer", "estimate", "95 % CI", "n", "eff. n",
    ];
    let mut numeric = vec![false, false, false, true, true, true, true];
    // Drop the name and answer columns when no row has one (a mean has no answer).
    for column in [2, 1] {
        if rows.iter().all(|row| row[column].is_empty()) {
            for row in &mut rows {
                row.remove(column);
            }
            header.remove(column);
            numeric.remove(column);
        }
    }
    out.push_str(&layout(&header, &numeric, &rows));
    out
}

fn compare_text(table: &DifferenceTable) -> String {
    let mut out = banner(table.notice.as_deref());
    let percent = table.unit == "percentage points";
    let _ = writeln!(
        out,
        "{} [{}]: {} minus {} (by {}), in {}; t test with design degrees of freedom",
        table.label.en,
        table.question,
        table.a,
        table.b,
        table.by,
        if percent {
            "percentage points"
        } else {
            "the question's scale"
        },
    );
    let decimals = if percent { 1 } else { 2 };
    let rows: Vec<Vec<String>> = table
        .differences
        .iter()
        .map(|d| {
            let mut row = vec![d.answer.clone().unwrap_or_default()];
            if let (Some(value), Some(low), Some(high), Some(p), Some(na), Some(nb)) =
                (d.value, d.ci_low, d.ci_high, d.p_value, d.n_a, d.n_b)
            {
                row.push(format!("{value:+.decimals$}"));
                row.push(format!("{low:+.decimals$} – {high:+.decimals$}"));
                row.push(if p < 0.0001 {
                    "< 0.0001".to_owned()
                } else {
                    format!("{p:.4}")
                });
                row.push(na.to_string());
                row.push(nb.to_string());
            } else {
                let why = if d.suppression == Some("secondary") {
                    "suppressed (a group's estimate is suppressed)"
                } else {
                    "suppressed (n < 10)"
                };
                row.push(why.to_owned());
                row.extend((0..4).map(|_| String::new()));
            }
            row
        })
        .collect();
    let n_a = format!("n {}", table.a);
    let n_b = format!("n {}", table.b);
    let mut rows = rows;
    let mut header = vec!["answer", "difference", "95 % CI", "p-value", &n_a, &n_b];
    let mut numeric = vec![false, true, true, true, true, true];
    if rows.iter().all(|row| row[0].is_empty()) {
        // A mean has no answer column.
        for row in &mut rows {
            row.remove(0);
        }
        header.remove(0);
        numeric.remove(0);
    }
    out.push_str(&layout(&header, &numeric, &rows));
    out
}

fn questions_text(info: &SurveyInfo) -> String {
    let mut out = banner(info.notice.as_deref());
    let _ = writeln!(
        out,
        "{} [{}]: {} respondents",
        info.title.en,
        info.id,
        info.respondents
            .map_or_else(|| "fewer than 10".to_owned(), |n| n.to_string())
    );
    for question in &info.questions {
        let answered = question
            .answered
            .map_or_else(|| "< 10".to_owned(), |n| n.to_string());
        let _ = writeln!(
            out,
            "\n{} ({}, {}; answered by {answered})\n  {}\n  {}",
            question.id, question.kind, question.estimate, question.label.en, question.label.nl
        );
        for answer in &question.answers {
            let _ = writeln!(out, "    {:<10} {} / {}", answer.code, answer.en, answer.nl);
        }
    }
    let _ = writeln!(out, "\n--by accepts: {}", info.groupings.join(", "));
    out
}

fn weights_text(survey: &SurveyMonitor, json: bool) -> anyhow::Result<String> {
    let info = SurveyInfo::of(survey);
    let w = &info.weighting;
    if json {
        return json_text(&serde_json::json!({
            "survey": info.id,
            "synthetic": info.synthetic,
            "notice": info.notice,
            "respondents": info.respondents,
            "weighting": w,
        }));
    }
    let mut out = banner(info.notice.as_deref());
    let respondents = info
        .respondents
        .map_or_else(|| "fewer than 10".to_owned(), |n| n.to_string());
    let _ = writeln!(
        out,
        "Raking of {respondents} respondents [{}] to: {}",
        info.id,
        w.margins.join("; ")
    );
    let rows = vec![
        vec!["iterations".to_owned(), w.iterations.to_string()],
        vec![
            "largest margin error".to_owned(),
            format!("{:.1e} (relative)", w.max_margin_error),
        ],
        vec![
            "weight range".to_owned(),
            format!(
                "{:.1} – {:.1} persons per respondent",
                w.min_weight, w.max_weight
            ),
        ],
        vec![
            "adjustment range".to_owned(),
            format!(
                "{:.3} – {:.3} (final / design weight)",
                w.min_adjustment, w.max_adjustment
            ),
        ],
        vec!["weights at a bound".to_owned(), w.n_at_bounds.to_string()],
        vec![
            "design effect (Kish)".to_owned(),
            format!("{:.3}", w.design_effect),
        ],
        vec!["effective n".to_owned(), format!("{:.1}", w.effective_n)],
    ];
    out.push_str(&layout(&["", ""], &[false, false], &rows));
    Ok(out)
}
