//! Prints the Drenthe projection report: back-test 2020 → 2024, classification to 2040 per
//! municipality and for Oost-Drenthe with the three variants and the bootstrap interval.
//!
//! `cargo run --release -p leefbaar-projection --example drenthe_report`

use std::collections::BTreeMap;
use std::path::PathBuf;

use leefbaar_model::{AreaCode, Year};
use leefbaar_projection::{
    BootstrapParams, BundledTables, DRENTHE, HeadshipMode, OOST_DRENTHE, Region, Variant,
    YearOutput, backtest_2024, classify_series, netherlands_setup, projection_outputs,
    wpp_net_migration,
};

/// A report row: label, medium series, series per variant, last interval.
type Row = (
    String,
    Vec<YearOutput>,
    BTreeMap<Variant, Vec<YearOutput>>,
    leefbaar_projection::Interval,
);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/projection");
    let read = |name: &str| fs_err::read_to_string(data.join(name));
    let texts: [String; 11] = BundledTables::FILES
        .map(read)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .try_into()
        .expect("one text per file");
    let tables = BundledTables::from_texts(&texts);
    let year = |value| Year::new(value).expect("in range");
    for mode in [HeadshipMode::NationalTrend, HeadshipMode::Constant] {
        let nl = netherlands_setup(&tables, mode)?;
        println!(
            "== headship {mode:?}: annual change {:+.4} %",
            100.0 * nl.setup.areas[0].headship.annual_change
        );
        if mode == HeadshipMode::NationalTrend {
            let medium = nl.setup.run(Variant::Medium, year(2024))?;
            let realised: BTreeMap<u16, f64> = wpp_net_migration(&tables.wpp)?
                .range(2020..=2023)
                .map(|(y, v)| (*y, *v))
                .collect();
            let aligned = nl.setup.run_aligned(year(2024), &realised)?;
            let last = |outputs: &BTreeMap<AreaCode, Vec<YearOutput>>| {
                outputs
                    .iter()
                    .map(|(code, series)| (code.clone(), series.last().expect("years").population))
                    .collect::<BTreeMap<_, _>>()
            };
            let ex_ante = backtest_2024(&last(&medium), &nl.kwb, &nl.lineage);
            let hindsight = backtest_2024(&last(&aligned), &nl.kwb, &nl.lineage);
            println!("| code | name | KWB 2024 | projected | error | aligned | error |");
            for (row, aligned_row) in ex_ante.rows.iter().zip(&hindsight.rows) {
                if DRENTHE.contains(&row.code.as_str()) {
                    println!(
                        "| {} | {} | {:.0} | {:.0} | {:+.2} % | {:.0} | {:+.2} % |",
                        row.code,
                        row.name,
                        row.observed,
                        row.projected,
                        100.0 * row.error(),
                        aligned_row.projected,
                        100.0 * aligned_row.error()
                    );
                }
            }
            println!(
                "NL MAPE ex ante {:.2} %, aligned {:.2} %, over {} municipalities; excluded {:?}",
                ex_ante.mape(),
                hindsight.mape(),
                ex_ante.rows.len(),
                ex_ante
                    .excluded
                    .iter()
                    .map(|(code, _)| code.as_str())
                    .collect::<Vec<_>>()
            );
            // Coverage of the 80 % bootstrap interval in 2024, over 2024 municipalities with
            // one 2020 predecessor, for several block lengths.
            for block_years in [1, 2, 5, 20] {
                let params = BootstrapParams {
                    block_years,
                    ..BootstrapParams::default()
                };
                let result = leefbaar_projection::bootstrap(&nl.setup, year(2024), &params, &[]);
                let (mut inside, mut n, mut width) = (0, 0, 0.0);
                for row in ex_ante
                    .rows
                    .iter()
                    .filter(|row| row.predecessors.len() == 1)
                {
                    let interval = result.areas[&row.predecessors[0]].last().expect("years");
                    n += 1;
                    width += (interval.population[2] - interval.population[0]) / row.observed;
                    if interval.population[0] <= row.observed
                        && row.observed <= interval.population[2]
                    {
                        inside += 1;
                    }
                }
                println!(
                    "block {block_years}: 80 % interval 2024 covers {inside} of {n} ({:.0} %), mean width {:.2} % of population",
                    100.0 * f64::from(inside) / f64::from(n),
                    100.0 * width / f64::from(n)
                );
            }
            let observed: f64 = ex_ante.rows.iter().map(|row| row.observed).sum();
            let projected: f64 = ex_ante.rows.iter().map(|row| row.projected).sum();
            println!("compared total observed {observed:.0}, projected {projected:.0}");
        }
        let regions = [
            Region {
                name: "Oost-Drenthe".to_owned(),
                members: OOST_DRENTHE
                    .iter()
                    .map(|c| AreaCode::parse(c).expect("code"))
                    .collect(),
            },
            Region {
                name: "Drenthe".to_owned(),
                members: DRENTHE
                    .iter()
                    .map(|c| AreaCode::parse(c).expect("code"))
                    .collect(),
            },
        ];
        let outputs =
            projection_outputs(&nl.setup, year(2040), &BootstrapParams::default(), &regions)?;
        println!(
            "| area | class (medium) | pop 2020 | pop 2040 low/medium/high | 80 % interval 2040 | Δpop | Δhh | class low | class high |"
        );
        let mut rows: Vec<Row> = Vec::new();
        for code in DRENTHE {
            let code = AreaCode::parse(code)?;
            let by_variant = Variant::ALL
                .iter()
                .map(|v| (*v, outputs.variants[v][&code].clone()))
                .collect();
            let name = nl
                .setup
                .areas
                .iter()
                .find(|a| a.code == code)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            rows.push((
                format!("{code} {name}"),
                outputs.variants[&Variant::Medium][&code].clone(),
                by_variant,
                *outputs.intervals.areas[&code].last().expect("years"),
            ));
        }
        for region in &regions {
            let by_variant = Variant::ALL
                .iter()
                .map(|v| (*v, outputs.region_variants[v][&region.name].clone()))
                .collect();
            rows.push((
                region.name.clone(),
                outputs.region_variants[&Variant::Medium][&region.name].clone(),
                by_variant,
                *outputs.intervals.regions[&region.name]
                    .last()
                    .expect("years"),
            ));
        }
        for (name, medium, by_variant, interval) in rows {
            let class = |series: &[YearOutput]| {
                classify_series(series, year(2020), year(2040)).expect("years")
            };
            let c = class(&medium);
            println!(
                "| {name} | {} | {:.0} | {:.0} / {:.0} / {:.0} | {:.0}–{:.0} | {:+.1} % | {:+.1} % | {} | {} |",
                c.class,
                c.population.0,
                by_variant[&Variant::Low].last().expect("y").population,
                c.population.1,
                by_variant[&Variant::High].last().expect("y").population,
                interval.population[0],
                interval.population[2],
                100.0 * c.population_change(),
                100.0 * c.household_change(),
                class(&by_variant[&Variant::Low]).class,
                class(&by_variant[&Variant::High]).class,
            );
        }
        let oost = &outputs.region_variants[&Variant::Medium]["Oost-Drenthe"];
        for output in oost.iter().step_by(5) {
            println!(
                "Oost-Drenthe {}: pop {:.0}, 65+ {:.0}, 80+ {:.0}, households {:.0}, 20-66 {:.0}",
                output.year,
                output.population,
                output.aged_65_plus,
                output.aged_80_plus,
                output.households,
                output.labour_force_20_66
            );
        }
        let mut counts = BTreeMap::new();
        for series in outputs.variants[&Variant::Medium].values() {
            if let Some(c) = classify_series(series, year(2020), year(2040)) {
                *counts.entry(c.class).or_insert(0) += 1;
            }
        }
        println!("all 355 municipalities (2020 division), medium: {counts:?}");
        println!("findings: {}", nl.findings.len());
    }
    Ok(())
}
