//! `leefbaar factsheet`: fact sheets for one area or every area of a level, as HTML and/or PDF
//! files in a directory, read from the store in `--data-dir`. PDF needs the default `pdf`
//! feature (typst); a binary built without it writes HTML and says why it cannot write PDF.
//! `--theme hartveilig` writes the AED coverage sheets, with the bundle's synthetic notice;
//! `--theme zorg` the care sheets.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use leefbaar_factsheet::{Lang, Theme};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_store::AreaFilter;

use crate::global::GlobalArgs;
use crate::{paths, progress};

/// Arguments of `leefbaar factsheet`.
#[derive(Debug, Args)]
pub struct FactsheetArgs {
    /// The theme of the sheets: leefbaarheid (livability), hartveilig (AED coverage) or zorg
    /// (care demand to 2040 and health)
    #[arg(long, default_value = "leefbaarheid")]
    pub theme: String,
    /// One area, e.g. GM0114
    #[arg(long, conflicts_with_all = ["level", "all"], required_unless_present = "all")]
    pub area: Option<String>,
    /// The level of the areas with --all: municipality (gemeente) or district (wijk)
    #[arg(long, default_value = "municipality")]
    pub level: String,
    /// Every area of --level inside --within
    #[arg(long)]
    pub all: bool,
    /// With --all: only areas inside this area [default: the monitored province]
    #[arg(long, value_name = "CODE")]
    pub within: Option<String>,
    /// The year of the key figures
    #[arg(long, default_value_t = 2024)]
    pub year: u16,
    /// The language: nl or en
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Formats to write, comma separated: html, pdf
    #[cfg_attr(
        feature = "pdf",
        arg(long, default_value = "html,pdf", value_delimiter = ',')
    )]
    #[cfg_attr(
        not(feature = "pdf"),
        arg(long, default_value = "html", value_delimiter = ',')
    )]
    pub format: Vec<String>,
    /// The directory to write into (created when missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(global: &GlobalArgs, args: &FactsheetArgs) -> anyhow::Result<()> {
    let theme = Theme::parse(&args.theme)?;
    let lang = Lang::parse(&args.lang)?;
    let (mut html, mut pdf) = (false, false);
    for format in &args.format {
        match format.trim() {
            "html" => html = true,
            "pdf" => pdf = true,
            other => bail!("unknown format `{other}`; known: html, pdf"),
        }
    }
    if pdf && !cfg!(feature = "pdf") {
        bail!(
            "this leefbaar was built without PDF support (cargo feature `pdf`, which needs typst)\n\
             hint: write HTML sheets with `--format html`, or rebuild with the default features: \
             `cargo build --release -p leefbaar`"
        );
    }
    let store_location = paths::store(global);
    if !store_location.exists() {
        bail!(
            "no store at {store_location}; run `leefbaar demo --no-serve` or `leefbaar import` first"
        );
    }
    // The Hartveilig sheet says at its top when its figures come from a synthetic register:
    // the notice is in the bundle the store was imported from, read as the server reads it.
    let bundle = match theme {
        Theme::Leefbaarheid | Theme::Zorg => None,
        Theme::Hartveilig => Some(
            crate::bundle::choose(None, &store_location)
                .context("reading the bundle's [aed] section for the sheet's notice")?,
        ),
    };
    let notice = leefbaar_server::sheet_notice(theme, bundle.as_ref().map(|b| &b.spec));
    let store = store_location
        .open()
        .with_context(|| format!("opening the store {store_location}"))?;
    let targets: Vec<AreaCode> = if let Some(code) = &args.area {
        let code = AreaCode::parse(code)?;
        let known = store.areas(&AreaFilter {
            codes: vec![code.clone()],
            ..AreaFilter::default()
        })?;
        if known.is_empty() {
            bail!("there is no area {code} in the store");
        }
        vec![code]
    } else {
        let level: AreaLevel = args.level.parse()?;
        let within = match &args.within {
            Some(code) => AreaCode::parse(code)?,
            None => store
                .latest_import()?
                .map(|record| record.province)
                .context("the store records no monitored province; pass --within CODE")?,
        };
        let all_areas = store.areas(&AreaFilter::default())?;
        let find = |code: &AreaCode| all_areas.iter().find(|a| &a.code == code);
        let inside = |area: &leefbaar_model::Area| {
            let mut parent = area.parent.as_ref();
            while let Some(code) = parent {
                if code == &within {
                    return true;
                }
                parent = find(code).and_then(|a| a.parent.as_ref());
            }
            false
        };
        all_areas
            .iter()
            .filter(|a| {
                a.level() == level
                    && inside(a)
                    && a.exists_in(
                        leefbaar_model::Year::new(args.year)
                            .ok()
                            .unwrap_or(a.last_year),
                    )
            })
            .map(|a| a.code.clone())
            .collect()
    };
    fs_err::create_dir_all(&args.out)?;
    let bar = progress::steps(targets.len() as u64, global.no_progress);
    let mut written = 0usize;
    for code in &targets {
        // The same inputs, dated by the same import, as the server's `/factsheet/{code}`.
        let inputs = leefbaar_monitor::profile::factsheet_inputs(&*store, code)
            .with_context(|| format!("reading the inputs of the fact sheet of {code}"))?
            .with_context(|| format!("there is no area {code} in the store"))?;
        let area = &inputs.area;
        bar.set_message(area.name.clone());
        let data = leefbaar_server::sheet(&inputs, theme, args.year, lang, notice)
            .with_context(|| format!("building the fact sheet of {} ({})", area.name, area.code))?;
        let stem = format!("{}-{}-{}-{}", area.code, theme.id(), args.year, lang.code());
        if html {
            fs_err::write(
                args.out.join(format!("{stem}.html")),
                leefbaar_factsheet::html(&data),
            )?;
            written += 1;
        }
        #[cfg(feature = "pdf")]
        if pdf {
            let bytes = leefbaar_factsheet::pdf(&data)
                .with_context(|| format!("rendering the PDF of {}", area.code))?;
            fs_err::write(args.out.join(format!("{stem}.pdf")), bytes)?;
            written += 1;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "wrote {written} file(s) for {} area(s) to {}",
        targets.len(),
        args.out.display()
    );
    Ok(())
}
