//! `leefbaar records`: the path a province's analyst runs on person records (pupils, young
//! adults and their parents, literacy participants) inside their own environment — a schema,
//! CSV files checked all or nothing, and figures per area and year that have been through the
//! shared disclosure control. The engine is `leefbaar_records`; this module reads the files,
//! takes the areas from the store, and writes what the engine publishes, nothing more.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use leefbaar_model::{AreaCode, AreaLevel};
use leefbaar_records::{
    AreaTree, DisclosureRule, Figure, FigureSpec, FigureTable, RecordFile, Records, Schema,
};
use leefbaar_store::AreaFilter;

use crate::global::GlobalArgs;
use crate::paths;

/// Person records (pupils, parents, course participants) to figures per area that are safe to publish
///
/// Reads a schema (TOML: record kinds, fields, codes with labels, the area and year fields,
/// links between records, order rules; see data/records/education.toml) and one CSV file per
/// record kind. Every bad record is named with its file, line and field, and nothing is used
/// unless every file is valid. Figures are computed for every municipality of the province
/// and the province, per year, and pass the shared disclosure control: no count
/// and no share on fewer than 10 persons, and further cells withheld wherever a withheld one
/// could be worked out from what is shown.
///
/// The areas come from the store (`leefbaar import` or `leefbaar demo --no-serve` first). No
/// real records come with Leefbaar: `leefbaar records synthesize --out DIR` writes SYNTHETIC
/// ones for Drenthe (pupils, young adults and their parents, literacy participants), calibrated
/// to published figures, with the schemas in data/records/.
#[derive(Debug, Args)]
pub struct RecordsArgs {
    #[command(subcommand)]
    pub command: RecordsCommand,
}

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Check the records against the schema and list every problem, writing nothing
    Check(RecordsInput),
    /// Compute the figures and print them as CSV: one row per area, year, row and column
    Figures(FiguresArgs),
    /// Write SYNTHETIC records for Drenthe (no real person in them) to try the other two on
    Synthesize(SynthesizeArgs),
}

#[derive(Debug, Args)]
pub struct SynthesizeArgs {
    /// The directory to write education/, poverty/ and literacy/ into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The seed: the same seed writes the same records
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// School years of pupils from 2015, and years of literacy participants from 2019
    #[arg(long, default_value_t = 5)]
    pub years: u16,
    /// The repository's data folder, with records/ and the CBS population by age
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub data: PathBuf,
}

#[derive(Debug, Args)]
pub struct RecordsInput {
    /// The schema (TOML)
    #[arg(long, value_name = "FILE")]
    pub schema: PathBuf,
    /// A records file as KIND=FILE.csv (e.g. pupil=pupils.csv); once per file
    #[arg(long = "records", value_name = "KIND=FILE", required = true)]
    pub records: Vec<String>,
    /// The province whose municipalities the records may name [default: the store's monitored
    /// province]
    #[arg(long, value_name = "CODE")]
    pub province: Option<String>,
}

#[derive(Debug, Args)]
pub struct FiguresArgs {
    #[command(flatten)]
    pub input: RecordsInput,
    /// A figure as KIND:count, KIND:shares:FIELD or KIND:matrix:ROWS:COLUMNS (FIELD may be a
    /// comparison such as start_vs_advice, or go through a link: father.low_income); once per
    /// figure. Figures of one kind are protected together.
    #[arg(long = "figure", value_name = "SPEC", required = true)]
    pub figures: Vec<String>,
    /// Write the CSV here instead of to standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `leefbaar records`.
pub fn command(global: &GlobalArgs, args: &RecordsArgs) -> anyhow::Result<()> {
    match &args.command {
        RecordsCommand::Check(input) => {
            let (records, _) = load(global, input)?;
            let mut out = std::io::stdout().lock();
            for (index, kind) in records.schema().kinds.iter().enumerate() {
                writeln!(out, "{}: {} records", kind.name, records.table(index).len())?;
            }
            writeln!(out, "no problems found")?;
            Ok(())
        }
        RecordsCommand::Synthesize(args) => synthesize(args),
        RecordsCommand::Figures(figures) => {
            let specs = figures
                .figures
                .iter()
                .map(|text| parse_figure(text))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (records, tree) = load(global, &figures.input)?;
            let tables = records
                .figures(&tree, &specs, &DisclosureRule::default())
                .context("computing the figures")?;
            match &figures.out {
                Some(path) => {
                    let mut bytes = Vec::new();
                    write_csv(&mut bytes, &tables)?;
                    fs_err::write(path, bytes)?;
                }
                None => write_csv(std::io::stdout().lock(), &tables)?,
            }
            Ok(())
        }
    }
}

/// Group-8 pupils per school year in Drenthe (DUO: about 5,300 a year around 2019).
const DRENTHE_PUPILS_PER_YEAR: usize = 5_300;

fn synthesize(args: &SynthesizeArgs) -> anyhow::Result<()> {
    let read = |path: PathBuf| {
        fs_err::read_to_string(&path)
            .context("reading the generators' inputs (run from the repository, or pass --data)")
    };
    let records = args.data.join("records");
    let (school_frame, targets, population) = (
        read(records.join("drenthe_primary_schools_2019.csv"))?,
        read(records.join("published_targets.csv"))?,
        read(args.data.join(
            "drenthe/cbs_bevolking_leeftijd_gemeente_2020/bevolking_leeftijd_gemeente_2020-01-01.csv",
        ))?,
    );
    let inputs = leefbaar_records::synthetic::DrentheInputs {
        school_frame: &school_frame,
        targets: &targets,
        population: &population,
    };
    let monitors = leefbaar_records::synthetic::drenthe(
        &inputs,
        args.seed,
        DRENTHE_PUPILS_PER_YEAR,
        args.years,
    )
    .map_err(|message| anyhow::anyhow!("generating the SYNTHETIC records: {message}"))?;
    let mut out = std::io::stdout().lock();
    for (monitor, files) in monitors {
        let dir = args.out.join(monitor);
        fs_err::create_dir_all(&dir)?;
        for file in files {
            let path = dir.join(&file.name);
            fs_err::write(&path, &file.csv)?;
            let lines = file.csv.lines().count().saturating_sub(1);
            writeln!(out, "{} ({lines} SYNTHETIC records)", path.display())?;
        }
    }
    writeln!(
        out,
        "schemas: {}/education.toml, poverty.toml, literacy.toml",
        records.display()
    )?;
    Ok(())
}

/// The schema, the records and the area tree they are counted in.
fn load(global: &GlobalArgs, input: &RecordsInput) -> anyhow::Result<(Records, AreaTree)> {
    let schema_text = fs_err::read_to_string(&input.schema)?;
    let schema = Schema::from_toml(&input.schema.display().to_string(), &schema_text)?;
    let tree = area_tree(global, input.province.as_deref())?;
    let mut files = Vec::new();
    for argument in &input.records {
        let (kind, path) = argument
            .split_once('=')
            .with_context(|| format!("--records {argument}: expected KIND=FILE"))?;
        let path = Path::new(path);
        let reader = fs_err::File::open(path)?;
        files.push(RecordFile {
            kind: kind.to_owned(),
            name: path.display().to_string(),
            reader: std::io::BufReader::new(reader),
        });
    }
    let records = Records::import(schema, &tree, files)?;
    Ok((records, tree))
}

/// Every municipality of the province in the store, under the province. Not under the
/// Netherlands: records of one province summed would be published as the country's figure.
fn area_tree(global: &GlobalArgs, province: Option<&str>) -> anyhow::Result<AreaTree> {
    let location = paths::store(global);
    if !location.exists() {
        anyhow::bail!(
            "no store at {location}, which the records' areas come from; run `leefbaar demo --no-serve` or `leefbaar import` first"
        );
    }
    let store = location.open()?;
    let province = match province {
        Some(code) => AreaCode::parse(code).with_context(|| format!("--province {code}"))?,
        None => {
            store
                .latest_import()?
                .context("the store holds no import; run `leefbaar import` first")?
                .province
        }
    };
    let municipalities: Vec<AreaCode> = store
        .areas(&AreaFilter {
            level: Some(AreaLevel::Municipality),
            parent: Some(province.clone()),
            ..AreaFilter::default()
        })?
        .into_iter()
        .map(|area| area.code)
        .collect();
    if municipalities.is_empty() {
        anyhow::bail!("the store has no municipalities in {province}");
    }
    let pairs: Vec<(AreaCode, AreaCode)> = municipalities
        .into_iter()
        .map(|municipality| (municipality, province.clone()))
        .collect();
    Ok(AreaTree::new(&pairs)?)
}

/// `KIND:count`, `KIND:shares:FIELD` or `KIND:matrix:ROWS:COLUMNS`; its id is the text itself.
fn parse_figure(text: &str) -> anyhow::Result<FigureSpec> {
    let parts: Vec<&str> = text.split(':').collect();
    let figure = match parts.as_slice() {
        [_, "count"] => Figure::Count,
        [_, "shares", field] => Figure::Shares {
            field: (*field).to_owned(),
        },
        [_, "matrix", rows, columns] => Figure::Matrix {
            rows: (*rows).to_owned(),
            columns: (*columns).to_owned(),
        },
        _ => anyhow::bail!(
            "--figure {text}: expected KIND:count, KIND:shares:FIELD or KIND:matrix:ROWS:COLUMNS"
        ),
    };
    Ok(FigureSpec {
        id: text.to_owned(),
        kind: parts[0].to_owned(),
        figure,
    })
}

/// The columns of the figures' CSV: a withheld cell has an empty value and n and says why.
const COLUMNS: [&str; 9] = [
    "figure", "area", "year", "row", "column", "unit", "value", "n", "withheld",
];

fn write_csv(out: impl std::io::Write, tables: &[FigureTable]) -> anyhow::Result<()> {
    write_rows(out, tables).map_err(|error| match error.into_kind() {
        // As an `io::Error`, so that `main` sees a reader that closed the pipe (`| head`).
        csv::ErrorKind::Io(io) => anyhow::Error::from(io),
        other => anyhow::anyhow!("writing the figures: {other:?}"),
    })
}

fn write_rows(out: impl std::io::Write, tables: &[FigureTable]) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    for table in tables {
        let unit = match table.unit {
            leefbaar_records::Unit::Persons => "persons",
            leefbaar_records::Unit::Share => "share",
        };
        for cell in &table.cells {
            let row = match cell.row {
                Some(row) => table.rows[row].code.as_str(),
                None if table.rows.is_empty() => "",
                None => "all",
            };
            let year = cell
                .year
                .map(|year| year.get().to_string())
                .unwrap_or_default();
            let (value, n, withheld) = match (cell.value.value(), cell.value.n()) {
                (Some(value), Some(n)) => (value.to_string(), n.to_string(), String::new()),
                _ => (
                    String::new(),
                    String::new(),
                    match cell.value.suppression() {
                        Some(leefbaar_records::Suppression::Primary) => "primary".to_owned(),
                        Some(leefbaar_records::Suppression::Secondary) => "secondary".to_owned(),
                        None => String::new(),
                    },
                ),
            };
            writer.write_record([
                table.id.as_str(),
                cell.area.as_str(),
                &year,
                row,
                table.columns[cell.column].code.as_str(),
                unit,
                &value,
                &n,
                &withheld,
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}
