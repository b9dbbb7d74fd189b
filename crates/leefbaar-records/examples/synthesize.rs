//! Writes the SYNTHETIC records of the three person-level monitors as CSV, and optionally
//! imports and aggregates the education records to measure time (run under `/usr/bin/time -v`
//! for peak memory).
//!
//! ```text
//! cargo run --release -p leefbaar-records --example synthesize -- --seed 1 --out /tmp/records
//! cargo run --release -p leefbaar-records --example synthesize -- --pupils 180000 --years 5 --copies 28 --measure
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use leefbaar_model::AreaCode;
use leefbaar_records::synthetic::{
    DRENTHE, DrentheInputs, SyntheticFile, Targets, drenthe, education,
};
use leefbaar_records::{AreaTree, DisclosureRule, RecordFile, Records, Schema};

const HELP: &str =
    "synthesize: write SYNTHETIC person records (education, poverty, literacy) as CSV

USAGE: cargo run -p leefbaar-records --example synthesize -- [OPTIONS]

OPTIONS:
  --seed N       seed of the generators (default 1)
  --out DIR      write DIR/education/*.csv, DIR/poverty/*.csv, DIR/literacy/*.csv
  --pupils N     group-8 pupils per school year (default 5300, Drenthe)
  --years N      school years from 2015 (default 5)
  --copies K     spread the pupils over K copies of the Drenthe school frame in made-up
                 municipalities under twelve made-up provinces (default 1: Drenthe itself)
  --measure      import the education records and compute their figures, printing the times
  --data DIR     the repository's data folder (default: found from this crate)
  --help         this text

Every record carries synthetic=SYNTHETIC; none is about a real person.";

struct Options {
    seed: u64,
    out: Option<PathBuf>,
    pupils: usize,
    years: u16,
    copies: usize,
    measure: bool,
    data: PathBuf,
}

fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let mut options = Options {
        seed: 1,
        out: None,
        pupils: 5_300,
        years: 5,
        copies: 1,
        measure: false,
        data: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data"),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{name}: expected a whole number, found `{text}`"))
        };
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--seed" => options.seed = number("--seed", value("--seed")?)?,
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            "--pupils" => {
                options.pupils = usize::try_from(number("--pupils", value("--pupils")?)?)
                    .map_err(|e| e.to_string())?;
            }
            "--years" => {
                options.years = u16::try_from(number("--years", value("--years")?)?)
                    .map_err(|e| e.to_string())?;
            }
            "--copies" => {
                options.copies = usize::try_from(number("--copies", value("--copies")?)?)
                    .map_err(|e| e.to_string())?
                    .max(1);
            }
            "--measure" => options.measure = true,
            "--data" => options.data = PathBuf::from(value("--data")?),
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    Ok(Some(options))
}

fn read(path: &Path) -> Result<String, String> {
    fs_err::read_to_string(path).map_err(|e| e.to_string())
}

fn write(dir: &Path, files: &[SyntheticFile]) -> Result<(), String> {
    fs_err::create_dir_all(dir).map_err(|e| e.to_string())?;
    for file in files {
        fs_err::write(dir.join(&file.name), &file.csv).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn run(options: &Options) -> Result<(), String> {
    let records_dir = options.data.join("records");
    let targets = Targets::parse(&read(&records_dir.join("published_targets.csv"))?)?;
    let drenthe_schools = education::parse_school_frame(&read(
        &records_dir.join("drenthe_primary_schools_2019.csv"),
    )?)?;
    let (schools, pairs) = if options.copies > 1 {
        education::national_frame(&drenthe_schools, options.copies)
    } else {
        let mut pairs: Vec<(String, String)> = DRENTHE
            .iter()
            .map(|(m, _)| ((*m).to_owned(), "PV22".to_owned()))
            .collect();
        pairs.push(("PV22".to_owned(), "NL01".to_owned()));
        (drenthe_schools, pairs)
    };
    let params = education::EducationParams {
        seed: options.seed,
        pupils_per_year: options.pupils,
        first_year: 2015,
        years: options.years,
    };
    let started = Instant::now();
    let files = education::generate(&schools, &targets, &params)?;
    eprintln!(
        "generated {} pupils in {:.2} s",
        options.pupils * usize::from(options.years),
        started.elapsed().as_secs_f64()
    );
    if let Some(out) = &options.out {
        let inputs = DrentheInputs {
            school_frame: &read(&records_dir.join("drenthe_primary_schools_2019.csv"))?,
            targets: &read(&records_dir.join("published_targets.csv"))?,
            population: &read(&options.data.join("drenthe/cbs_bevolking_leeftijd_gemeente_2020/bevolking_leeftijd_gemeente_2020-01-01.csv"))?,
        };
        // The pupils are the ones generated above (perhaps over a national frame); the other
        // two monitors are Drenthe's.
        write(&out.join("education"), &files)?;
        for (monitor, monitor_files) in
            drenthe(&inputs, options.seed, options.pupils, options.years)?
                .into_iter()
                .filter(|(monitor, _)| *monitor != "education")
        {
            write(&out.join(monitor), &monitor_files)?;
        }
        eprintln!("wrote {}", out.display());
    }
    if options.measure {
        let area = |code: &str| AreaCode::parse(code).map_err(|e| e.to_string());
        let pairs: Vec<(AreaCode, AreaCode)> = pairs
            .iter()
            .map(|(a, b)| Ok((area(a)?, area(b)?)))
            .collect::<Result<_, String>>()?;
        let tree = AreaTree::new(&pairs).map_err(|e| e.to_string())?;
        let schema = Schema::from_toml(
            "education.toml",
            &read(&records_dir.join("education.toml"))?,
        )
        .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let inputs = files
            .iter()
            .map(|f| RecordFile {
                kind: f.kind.clone(),
                name: f.name.clone(),
                reader: f.csv.as_bytes(),
            })
            .collect();
        let records = Records::import(schema, &tree, inputs).map_err(|e| e.to_string())?;
        let imported = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let tables = records
            .figures(&tree, &education::figures(), &DisclosureRule::default())
            .map_err(|e| e.to_string())?;
        let aggregated = started.elapsed().as_secs_f64();
        let cells: usize = tables.iter().map(|t| t.cells.len()).sum();
        let withheld: usize = tables
            .iter()
            .flat_map(|t| &t.cells)
            .filter(|c| c.value.is_suppressed())
            .count();
        println!(
            "{} records in {} areas: import {imported:.2} s, figures {aggregated:.2} s ({} tables, {cells} cells, {withheld} withheld)",
            records
                .table(
                    records
                        .schema()
                        .kind_index("pupil")
                        .expect("the education schema has pupils")
                )
                .len(),
            tree.len(),
            tables.len()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(None) => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Ok(Some(options)) => match run(&options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("synthesize: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("synthesize: {e}");
            ExitCode::FAILURE
        }
    }
}
