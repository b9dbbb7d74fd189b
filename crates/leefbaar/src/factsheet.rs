//! `leefbaar factsheet`: fact sheets for one area or every area of a level, as HTML and/or PDF
//! files in a directory, read from the store in `--data-dir`.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Args;
use leefbaar_factsheet::{BuildInput, Lang, Theme};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_store::{AreaFilter, ObservationFilter, SqliteStore, Store as _};

use crate::cli::GlobalArgs;
use crate::{paths, progress};

/// Arguments of `leefbaar factsheet`.
#[derive(Debug, Args)]
pub struct FactsheetArgs {
    /// The theme of the sheets
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
    /// With --all: only areas inside this area (the monitored province by default)
    #[arg(long, default_value = "PV22", value_name = "CODE")]
    pub within: String,
    /// The year of the key figures
    #[arg(long, default_value_t = 2024)]
    pub year: u16,
    /// The language: nl or en
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Formats to write, comma separated: html, pdf
    #[arg(long, default_value = "html,pdf", value_delimiter = ',')]
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
    let store_path = paths::data_dir(global.data_dir.as_deref()).join(paths::STORE_FILE);
    if !store_path.exists() {
        bail!(
            "no store at {}; run `leefbaar demo --no-serve` or `leefbaar import` first",
            store_path.display()
        );
    }
    let store = SqliteStore::open(&store_path)
        .with_context(|| format!("opening the store {}", store_path.display()))?;
    let all_areas = store.areas(&AreaFilter::default())?;
    let find = |code: &AreaCode| all_areas.iter().find(|a| &a.code == code);
    let targets: Vec<_> = if let Some(code) = &args.area {
        let code = AreaCode::parse(code)?;
        vec![
            find(&code)
                .with_context(|| format!("there is no area {code} in the store"))?
                .clone(),
        ]
    } else {
        let level: AreaLevel = args.level.parse()?;
        let within = AreaCode::parse(&args.within)?;
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
            .cloned()
            .collect()
    };
    let indicators = store.indicators()?;
    let sources = store.sources()?;
    let country = find(&AreaCode::netherlands()).cloned();
    let date = crate::import::now_rfc3339()[..10].to_owned();
    fs_err::create_dir_all(&args.out)?;
    let bar = progress::steps(targets.len() as u64, global.no_progress);
    let mut written = 0usize;
    for area in &targets {
        bar.set_message(area.name.clone());
        let mut parent = area.parent.as_ref().and_then(&find);
        while let Some(p) = parent {
            if p.level() <= AreaLevel::Province {
                break;
            }
            parent = p.parent.as_ref().and_then(&find);
        }
        let province = parent.filter(|p| p.level() == AreaLevel::Province);
        let mut codes = vec![area.code.clone()];
        codes.extend(province.map(|p| p.code.clone()));
        codes.extend(country.as_ref().map(|c| c.code.clone()));
        let observations = store.observations(&ObservationFilter {
            indicators: leefbaar_factsheet::INDICATORS
                .iter()
                .map(|id| (*id).to_owned())
                .collect(),
            areas: codes,
            ..ObservationFilter::default()
        })?;
        let data = leefbaar_factsheet::build(&BuildInput {
            area,
            province,
            country: country.as_ref(),
            indicators: &indicators,
            observations: &observations,
            sources: &sources,
            theme,
            year: args.year,
            lang,
            date: &date,
        })
        .with_context(|| format!("building the fact sheet of {} ({})", area.name, area.code))?;
        let stem = format!("{}-{}-{}-{}", area.code, theme.id(), args.year, lang.code());
        if html {
            fs_err::write(
                args.out.join(format!("{stem}.html")),
                leefbaar_factsheet::html(&data),
            )?;
            written += 1;
        }
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
