//! Writes `data/projection/README.md`: the diagnosis of the back-test error, the validation
//! back-tests (bases 2017–2019 → 2020) that choose the migration settings, the 2020 → 2024
//! test run once with those settings, the coverage of the bootstrap band, and the Drenthe
//! projection to 2040 with its krimp classification.
//!
//! `cargo run --release -p leefbaar-projection --example drenthe_report`
//!
//! The timing section is copied from `data/projection/benchmarks.md` (recorded by hand from
//! `cargo bench -p leefbaar-projection`, because a report should not time itself).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use leefbaar_model::{AreaCode, Year};
use leefbaar_projection::{
    AgeSexTable, Backtest, BootstrapParams, BundledTables, DRENTHE, HeadshipMode, LevelRule,
    MigrationParams, N_BUNDLED_FILES, NetherlandsSetup, OOST_DRENTHE, Region, SetupParams, Variant,
    YearOutput, backtest_2020, backtest_2024, bootstrap, cbs_provinces, classify_series,
    netherlands_setup_with, project, projection_outputs, wpp_net_migration,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn year(value: u16) -> Year {
    Year::new(value).expect("in range")
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).expect("a valid code")
}

/// The population of every area at `horizon`, medium variant.
fn medium_at(nl: &NetherlandsSetup, horizon: Year) -> Result<BTreeMap<AreaCode, f64>> {
    Ok(nl
        .setup
        .run(Variant::Medium, horizon)?
        .into_iter()
        .map(|(code, series)| (code, series.last().expect("years").population))
        .collect())
}

/// Coverage of the 80 % bootstrap band at `target` over the rows with one predecessor:
/// (inside, compared, mean width as a share of the observed population).
fn coverage(nl: &NetherlandsSetup, backtest: &Backtest, target: Year) -> (usize, usize, f64) {
    let result = bootstrap(&nl.setup, target, &BootstrapParams::default(), &[]);
    let (mut inside, mut n, mut width) = (0, 0, 0.0);
    for row in backtest
        .rows
        .iter()
        .filter(|row| row.predecessors.len() == 1)
    {
        let Some(series) = result.areas.get(&row.predecessors[0]) else {
            continue;
        };
        let band = series.last().expect("years").population;
        n += 1;
        width += (band[2] - band[0]) / row.observed;
        if band[0] <= row.observed && row.observed <= band[2] {
            inside += 1;
        }
    }
    (inside, n, width / n.max(1) as f64)
}

/// Coverage of the 80 % bootstrap band of the province sums at `target` (2020: the registered
/// population of the set-up's municipalities; 2024: KWB 2024, all municipalities):
/// (inside, compared, mean width as a share of the observed population).
fn province_coverage(
    nl: &NetherlandsSetup,
    target: Year,
    provinces_2024: &BTreeMap<AreaCode, AreaCode>,
) -> (usize, usize, f64) {
    let mut regions: BTreeMap<AreaCode, Region> = BTreeMap::new();
    for area in &nl.setup.areas {
        if let Some(province) = nl.provinces.get(&area.code) {
            regions
                .entry(province.clone())
                .or_insert_with(|| Region {
                    name: province.to_string(),
                    members: Vec::new(),
                })
                .members
                .push(area.code.clone());
        }
    }
    let observed = |province: &AreaCode, region: &Region| -> f64 {
        if target.get() == 2020 {
            region.members.iter().map(|c| nl.registered_2020[c]).sum()
        } else {
            nl.kwb
                .iter()
                .filter(|((y, c), _)| *y == target.get() && provinces_2024.get(c) == Some(province))
                .map(|(_, row)| row.inhabitants)
                .sum()
        }
    };
    let list: Vec<Region> = regions.values().cloned().collect();
    let result = bootstrap(&nl.setup, target, &BootstrapParams::default(), &list);
    let (mut inside, mut width) = (0, 0.0);
    for (province, region) in &regions {
        let band = result.regions[&region.name]
            .last()
            .expect("years")
            .population;
        let value = observed(province, region);
        width += (band[2] - band[0]) / value;
        if band[0] <= value && value <= band[2] {
            inside += 1;
        }
    }
    (inside, regions.len(), width / regions.len().max(1) as f64)
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

/// Drenthe rows of a back-test as `code → (name, observed, projected)`.
fn drenthe_rows(backtest: &Backtest) -> BTreeMap<String, (String, f64, f64)> {
    backtest
        .rows
        .iter()
        .filter(|row| DRENTHE.contains(&row.code.as_str()))
        .map(|row| {
            (
                row.code.to_string(),
                (row.name.clone(), row.observed, row.projected),
            )
        })
        .collect()
}

fn error_pct(projected: f64, observed: f64) -> f64 {
    100.0 * (projected / observed - 1.0)
}

/// Naive trend: each municipality's growth per year from `from` (or, where boundaries changed
/// since, the first later KWB year linked to the base) to the base, continued to `target`;
/// no growth where no earlier year is comparable.
fn naive(nl: &NetherlandsSetup, from: u16, target: u16) -> BTreeMap<AreaCode, f64> {
    let base = nl.setup.base_year.get();
    nl.setup
        .areas
        .iter()
        .map(|area| {
            let now = area.base.total();
            // The first year of the area's residual pairs is the oldest year linked to the
            // base by unchanged boundaries.
            let linked_from = area
                .migration
                .annual_totals
                .first()
                .map_or(base, |(first, _)| *first);
            let start = from.max(linked_from);
            let growth = match nl.kwb.get(&(start, area.code.clone())) {
                Some(row) if start < base && row.inhabitants > 0.0 => {
                    (now / row.inhabitants).powf(1.0 / f64::from(base - start))
                }
                _ => 1.0,
            };
            (
                area.code.clone(),
                now * growth.powi(i32::from(target - base)),
            )
        })
        .collect()
}

fn main() -> Result<()> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/projection");
    let read = |name: &str| fs_err::read_to_string(data.join(name));
    let texts: [String; N_BUNDLED_FILES] = BundledTables::FILES
        .map(read)
        .into_iter()
        .collect::<std::result::Result<Vec<_>, _>>()?
        .try_into()
        .expect("one text per file");
    let tables = BundledTables::from_texts(&texts);
    let mut out = String::new();
    let w = &mut out;

    writeln!(
        w,
        "# Projection results (generated by `cargo run --release -p leefbaar-projection --example drenthe_report`)\n"
    )?;
    writeln!(
        w,
        "Cohort-component projection by single age 0–100+ and sex for the 355 municipalities of 1 January 2020,\n\
         UN WPP 2024 national rates, net migration by the residual method (see SOURCE.md and the docs of\n\
         `netherlands_setup_with`). Every number below is computed by this example from the files in this folder.\n"
    )?;
    writeln!(w, "## Procedure\n")?;
    writeln!(
        w,
        "1. **Diagnosis** of the first version, which under-projected all 12 Drenthe municipalities in the\n   \
         2020 → 2024 back-test (−0.15 … −3.50 %, NL MAPE 1.71 %).\n\
         2. **Validation.** Model settings (how the level is set, the national window, the weight of recent years)\n   \
         are chosen on back-tests that end on 1 January 2020: bases 2017, 2018 and 2019, each using only data up to\n   \
         its base year (KWB totals, WPP rates and national net migration of earlier years), projected to the\n   \
         registered population of 1 January 2020. The criterion is the mean of the three national MAPEs.\n\
         3. **Test.** The winning settings are run once from 1 January 2020 to 2024 (ex ante: KWB ≤ 2019 and the 2020 table, rates of\n   \
         2019 held for 2020–2023, national net migration to 2019) and compared with KWB 2024. The test was not\n   \
         used to choose anything. It is also run with the shipped migration setting (section 5).\n\
         4. **Band.** The 80 % bootstrap band's coverage is reported on the validation and on the test.\n"
    )?;

    // ---------------------------------------------------------------- diagnosis
    let production_params = SetupParams::production(HeadshipMode::NationalTrend);
    let production = netherlands_setup_with(&tables, &production_params)?;
    let ex_ante_2020 =
        |migration| netherlands_setup_with(&tables, &SetupParams::ex_ante(year(2020), migration));
    writeln!(w, "## 1. Diagnosis\n")?;
    writeln!(w, "### 1a. Base population 2020 against KWB\n")?;
    let kwb_total = |y: u16| -> f64 {
        production
            .kwb
            .iter()
            .filter(|((ky, c), _)| *ky == y && c.as_str() != "GM0998")
            .map(|(_, row)| row.inhabitants)
            .sum()
    };
    let base_total: f64 = production.registered_2020.values().sum();
    writeln!(
        w,
        "The bundled KWB series has no 2020 edition (2012, 2017–2019, 2022–2024). The single-age table of\n\
         1 January 2020 sums to {base_total:.0} (CBS's official total); the KWB series sums to {:.0} in 2019 and\n\
         {:.0} in 2024, also CBS's official totals, so both count the same population. Per Drenthe municipality\n\
         the 2019 → 2020 step lies within the range of the earlier years (no jump that would betray a base gap):\n",
        kwb_total(2019),
        kwb_total(2024)
    )?;
    writeln!(
        w,
        "| code | name | KWB 2017 | KWB 2018 | KWB 2019 | table 2020 | change 2017→19 per year | change 2019→20 |\n|---|---|---|---|---|---|---|---|"
    )?;
    for code_text in DRENTHE {
        let c = code(code_text);
        let at = |y: u16| production.kwb[&(y, c.clone())].inhabitants;
        let base = production.registered_2020[&c];
        writeln!(
            w,
            "| {code_text} | {} | {:.0} | {:.0} | {:.0} | {base:.0} | {:+.2} % | {:+.2} % |",
            production.kwb[&(2019, c.clone())].name,
            at(2017),
            at(2018),
            at(2019),
            100.0 * ((at(2019) / at(2017)).sqrt() - 1.0),
            100.0 * (base / at(2019) - 1.0)
        )?;
    }

    writeln!(w, "\n### 1b. Births and deaths\n")?;
    let wpp_vital =
        fs_err::read_to_string(data.join("wpp2024/nl_births_deaths_annual_2010_2023.csv"))?;
    let vital: BTreeMap<u16, (f64, f64)> = wpp_vital
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            Some((
                fields.first()?.parse().ok()?,
                (
                    fields.get(2)?.parse::<f64>().ok()? * 1000.0,
                    fields.get(3)?.parse::<f64>().ok()? * 1000.0,
                ),
            ))
        })
        .collect();
    let natural = |nl: &NetherlandsSetup, only_drenthe: bool| -> Result<Vec<(f64, f64)>> {
        let zero = AgeSexTable::zeros(leefbaar_projection::N_AGES);
        let mut per_year = vec![(0.0, 0.0); 4];
        for area in nl
            .setup
            .areas
            .iter()
            .filter(|a| !only_drenthe || DRENTHE.contains(&a.code.as_str()))
        {
            let run = project(&area.base, year(2020), 4, &nl.setup.schedule, &[&zero])?;
            for (step, slot) in per_year.iter_mut().enumerate() {
                let births = run.steps[step].births.male + run.steps[step].births.female;
                let deaths =
                    run.populations[step].total() + births - run.populations[step + 1].total();
                slot.0 += births;
                slot.1 += deaths;
            }
        }
        Ok(per_year)
    };
    let known_2020 = ex_ante_2020(MigrationParams::default())?;
    let published_nl = natural(&production, false)?;
    let known_nl = natural(&known_2020, false)?;
    writeln!(
        w,
        "Projected without migration from the 2020 base, national totals (persons), against WPP's estimates:\n"
    )?;
    writeln!(
        w,
        "| year | births WPP | births, published rates | births, rates of 2019 | deaths WPP | deaths, published rates | deaths, rates of 2019 |\n|---|---|---|---|---|---|---|"
    )?;
    let mut sums = [0.0; 6];
    for (offset, ((pb, pd), (kb, kd))) in published_nl.iter().zip(&known_nl).enumerate() {
        let y = 2020 + u16::try_from(offset).expect("small");
        let (vb, vd) = vital[&y];
        writeln!(
            w,
            "| {y} | {vb:.0} | {pb:.0} | {kb:.0} | {vd:.0} | {pd:.0} | {kd:.0} |"
        )?;
        for (sum, value) in sums.iter_mut().zip([vb, *pb, *kb, vd, *pd, *kd]) {
            *sum += value;
        }
    }
    writeln!(
        w,
        "| 2020–23 | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |\n",
        sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]
    )?;
    let natural_wpp = sums[0] - sums[3];
    writeln!(
        w,
        "Natural increase 2020–2023: WPP {natural_wpp:+.0}, model {:+.0} (published rates) and {:+.0} (rates of 2019).\n\
         Both rate sets under-project deaths in 2020–2021 (the COVID excess: the published 2020–2025 period\n\
         mortality spreads it over five years, the rates of 2019 miss it) and the rates of 2019 also miss the\n\
         2021 birth peak and the fall of fertility after it; the errors largely cancel. The natural balance is\n\
         off by {:+.2} % (published) and {:+.2} % (rates of 2019) of the population after four years — with the\n\
         ex-ante rates in the direction of *over*-projection. Mortality and fertility do not explain\n\
         under-projections of 2–3.5 %.\n",
        sums[1] - sums[4],
        sums[2] - sums[5],
        100.0 * ((sums[1] - sums[4]) - natural_wpp) / base_total,
        100.0 * ((sums[2] - sums[5]) - natural_wpp) / base_total
    )?;
    // Drenthe 2022 against KWB births and deaths per 1,000.
    let (mut kwb_births, mut kwb_deaths) = (0.0, 0.0);
    for code_text in DRENTHE {
        let row = &production.kwb[&(2022, code(code_text))];
        kwb_births += row.births_per_1000.unwrap_or(f64::NAN) * row.inhabitants / 1000.0;
        kwb_deaths += row.deaths_per_1000.unwrap_or(f64::NAN) * row.inhabitants / 1000.0;
    }
    let drenthe_published = natural(&production, true)?;
    let drenthe_known = natural(&known_2020, true)?;
    writeln!(
        w,
        "Drenthe in 2022: KWB 2022 births and deaths per 1,000 (rounded to whole numbers) give {kwb_births:.0} births and\n\
         {kwb_deaths:.0} deaths; the model without migration {:.0} and {:.0} (published rates), {:.0} and {:.0} (rates\n\
         of 2019). Drenthe's own fertility and mortality are both somewhat above the national rates; the residual\n\
         method carries both into migration (extra infants, fewer old people), and the natural balance is close\n\
         ({:+.0} observed against {:+.0} and {:+.0}).\n",
        drenthe_published[2].0,
        drenthe_published[2].1,
        drenthe_known[2].0,
        drenthe_known[2].1,
        kwb_births - kwb_deaths,
        drenthe_published[2].0 - drenthe_published[2].1,
        drenthe_known[2].0 - drenthe_known[2].1,
    )?;

    writeln!(w, "### 1c. Migration\n")?;
    let wpp_migration = wpp_net_migration(&tables.wpp)?;
    let own_history = ex_ante_2020(MigrationParams {
        rule: LevelRule::OwnHistory,
        ..MigrationParams::default()
    })?;
    let residuals = &own_history.national_migration.residual_by_year;
    writeln!(
        w,
        "The residual method compares registered totals with the population projected without migration. The\n\
         first version took the KWB pairs 2012→2017, 2017→2018, 2018→2019 and 2019→2020 (only unchanged\n\
         boundaries), applied the natural increase rate of 2019 to every year, gave each calendar year of a\n\
         multi-year pair the pair's mean, and took each municipality's **mean over 2012–2019** as its level.\n\
         Age detail comes from the 2019 → 2020 step only: the KWB 2019 counts in five age groups against the\n\
         2020 single ages, turned into rates per resident and smoothed with a 5-year moving average.\n\n\
         The national sum of those residuals per year (now with each year's own natural increase), against WPP:\n"
    )?;
    let drenthe_base: f64 = own_history
        .setup
        .areas
        .iter()
        .filter(|a| DRENTHE.contains(&a.code.as_str()))
        .map(|a| a.base.total())
        .sum();
    let drenthe_population_share = drenthe_base / base_total;
    let mut drenthe_residuals: BTreeMap<u16, f64> = BTreeMap::new();
    for area in own_history
        .setup
        .areas
        .iter()
        .filter(|a| DRENTHE.contains(&a.code.as_str()))
    {
        for (calendar, value) in &area.migration.annual_totals {
            *drenthe_residuals.entry(*calendar).or_default() += value;
        }
    }
    writeln!(
        w,
        "| year | residual sum | WPP net migration | Drenthe residual | Drenthe's share ÷ its population share |\n|---|---|---|---|---|"
    )?;
    let mut highest_ratio = f64::NEG_INFINITY;
    for (calendar, value) in residuals {
        let drenthe = drenthe_residuals.get(calendar).copied().unwrap_or(f64::NAN);
        let ratio = drenthe / value / drenthe_population_share;
        highest_ratio = highest_ratio.max(ratio);
        writeln!(
            w,
            "| {calendar} | {value:.0} | {:.0} | {drenthe:.0} | {ratio:.2} |",
            wpp_migration.get(calendar).copied().unwrap_or(f64::NAN)
        )?;
    }
    let realised: f64 = (2020..=2023).map(|y| wpp_migration[&y]).sum();
    writeln!(
        w,
        "\nAn average over 2012–2019 gives {:.0} a year nationally, while a forecaster on 1 January 2020 saw\n\
         {:.0} in 2019 and {:.0} a year in 2016–2019; 2020–2023 brought {:.0} a year (WPP). The level was the\n\
         flaw: it averaged a strongly rising series. Drenthe also received more than its population share: ",
        own_history.national_migration.projected,
        wpp_migration[&2019],
        (2016..=2019).map(|y| wpp_migration[&y]).sum::<f64>() / 4.0,
        realised / 4.0
    )?;
    // Implied realised migration into Drenthe 2020–2023 and its level in the first version.
    let zero = AgeSexTable::zeros(leefbaar_projection::N_AGES);
    let (mut implied, mut own_level, mut new_level) = (0.0, 0.0, 0.0);
    let kwb_2024 = |c: &AreaCode| production.kwb[&(2024, c.clone())].inhabitants;
    for (area, own_area) in known_2020.setup.areas.iter().zip(&own_history.setup.areas) {
        if DRENTHE.contains(&area.code.as_str()) {
            let run = project(
                &area.base,
                year(2020),
                4,
                &known_2020.setup.schedule,
                &[&zero],
            )?;
            implied += kwb_2024(&area.code) - run.populations[4].total();
            own_level += own_area.migration.medium.total();
            new_level += area.migration.medium.total();
        }
    }
    writeln!(
        w,
        "registered growth minus natural change implies about {:.0} net migrants a year into Drenthe in 2020–2023,\n\
         {:.2} % of national net migration, {:.2} times its share of the population. The own-history rule gives\n\
         Drenthe {own_level:.0} a year, the new rule {new_level:.0}. (The first version's Drenthe level was higher than\n\
         the own-history rule's here only because its 2019 natural increase rate, applied to 2012–2016, overstated\n\
         Drenthe's natural decline in those years and so its migration; the table above uses each year's own\n\
         rates.)\n",
        implied / 4.0,
        100.0 * implied / realised,
        implied / realised / drenthe_population_share
    )?;

    // ---------------------------------------------------------------- validation
    writeln!(
        w,
        "## 2. Validation: bases 2017, 2018, 2019 → 1 January 2020\n"
    )?;
    let mut candidates = vec![MigrationParams {
        rule: LevelRule::OwnHistory,
        ..MigrationParams::default()
    }];
    for window in [1, 2, 3, 5, 8] {
        for decay in [1.0, 0.7, 0.5, 0.3] {
            candidates.push(MigrationParams {
                rule: LevelRule::NationalShare,
                national_window_years: window,
                recency_decay: decay,
            });
        }
    }
    let validation = |params: MigrationParams, base: u16| -> Result<(NetherlandsSetup, Backtest)> {
        let nl = netherlands_setup_with(&tables, &SetupParams::ex_ante(year(base), params))?;
        let projected = medium_at(&nl, year(2020))?;
        let backtest = backtest_2020(&projected, &nl.registered_2020, &nl.kwb);
        Ok((nl, backtest))
    };
    writeln!(
        w,
        "MAPE over the municipalities whose boundaries did not change between the base year and 2020.\n"
    )?;
    writeln!(
        w,
        "| rule | national window | recency decay | 2017→2020 | 2018→2020 | 2019→2020 | mean |\n|---|---|---|---|---|---|---|"
    )?;
    let mut best: Option<(f64, MigrationParams)> = None;
    for params in &candidates {
        let mut mapes = Vec::new();
        for base in [2017, 2018, 2019] {
            mapes.push(validation(*params, base)?.1.mape());
        }
        let score = mapes.iter().sum::<f64>() / 3.0;
        let (rule, window, decay) = match params.rule {
            LevelRule::OwnHistory => ("own history".to_owned(), "–".to_owned(), "–".to_owned()),
            LevelRule::NationalShare => (
                "national share".to_owned(),
                format!("{} y", params.national_window_years),
                format!("{}", params.recency_decay),
            ),
        };
        writeln!(
            w,
            "| {rule} | {window} | {decay} | {:.3} % | {:.3} % | {:.3} % | {score:.3} % |",
            mapes[0], mapes[1], mapes[2]
        )?;
        if best.is_none_or(|(value, _)| score < value) {
            best = Some((score, *params));
        }
    }
    let (best_score, chosen) = best.expect("candidates");
    writeln!(
        w,
        "\nChosen: national window {} year(s), recency decay {} (mean MAPE {best_score:.3} %). {}\n",
        chosen.national_window_years,
        chosen.recency_decay,
        if chosen == MigrationParams::default() {
            "These are `MigrationParams::default()`."
        } else {
            "**`MigrationParams::default()` differs from this choice: update it.**"
        }
    )?;
    writeln!(
        w,
        "Naive trend for comparison (each municipality's growth 2012 → base continued, from a later year where\n\
         boundaries changed):\n"
    )?;
    writeln!(w, "| base | model MAPE | naive MAPE |\n|---|---|---|")?;
    let mut validation_setups = Vec::new();
    for base in [2017, 2018, 2019] {
        let (nl, backtest) = validation(chosen, base)?;
        let naive_backtest = backtest_2020(&naive(&nl, 2012, 2020), &nl.registered_2020, &nl.kwb);
        writeln!(
            w,
            "| {base} | {:.3} % | {:.3} % |",
            backtest.mape(),
            naive_backtest.mape()
        )?;
        validation_setups.push((base, nl, backtest));
    }

    // ---------------------------------------------------------------- test
    writeln!(
        w,
        "\n## 3. Test: 1 January 2020 → 2024 against KWB 2024 (run once)\n"
    )?;
    let test = ex_ante_2020(chosen)?;
    let test_backtest = backtest_2024(&medium_at(&test, year(2024))?, &test.kwb, &test.lineage);
    let shipped_migration = production_params.migration;
    let shipped = ex_ante_2020(shipped_migration)?;
    let shipped_backtest =
        backtest_2024(&medium_at(&shipped, year(2024))?, &test.kwb, &test.lineage);
    let own_backtest = backtest_2024(
        &medium_at(&own_history, year(2024))?,
        &test.kwb,
        &test.lineage,
    );
    let naive_backtest = backtest_2024(&naive(&test, 2017, 2024), &test.kwb, &test.lineage);
    let naive_long = backtest_2024(&naive(&test, 2012, 2024), &test.kwb, &test.lineage);
    let realised_by_year: BTreeMap<u16, f64> = wpp_migration
        .range(2020..=2023)
        .map(|(y, v)| (*y, *v))
        .collect();
    let aligned = test
        .setup
        .run_aligned(year(2024), &realised_by_year)?
        .into_iter()
        .map(|(c, series)| (c, series.last().expect("years").population))
        .collect();
    let aligned_backtest = backtest_2024(&aligned, &test.kwb, &test.lineage);
    writeln!(
        w,
        "Ex ante: rates of 2019 for 2020–2023, national level {:.0} a year (WPP {}), the projection's own\n\
         national sum {:.0} a year. \"Own history\" is the first version's level rule (each municipality's\n\
         mean residual 2012–2019) under the same conditions, with each year's own natural increase; \"naive\" continues each municipality's growth 2017 → 2020 (or 2012 → 2020); \"aligned\" is a\n\
         hindsight diagnostic, the model with WPP's realised national net migration 2020–2023 ({:.0} in total)\n\
         shared out like the population; \"shipped\" is the ex-ante run with the migration setting of the\n\
         production run (recency decay {}: every past year weighs the same).\n",
        test.national_migration.wpp_level,
        if chosen.national_window_years == 1 {
            "2019".to_owned()
        } else {
            format!("mean {}–2019", 2020 - chosen.national_window_years)
        },
        test.national_migration.projected,
        realised,
        shipped_migration.recency_decay
    )?;
    writeln!(
        w,
        "| code | name | KWB 2024 | model | error | shipped | own history | naive 2017→ | naive 2012→ | aligned (hindsight) |\n|---|---|---|---|---|---|---|---|---|---|"
    )?;
    let model_rows = drenthe_rows(&test_backtest);
    let own_rows = drenthe_rows(&own_backtest);
    let naive_rows = drenthe_rows(&naive_backtest);
    let naive_long_rows = drenthe_rows(&naive_long);
    let aligned_rows = drenthe_rows(&aligned_backtest);
    let shipped_rows = drenthe_rows(&shipped_backtest);
    let shipped_within = shipped_rows
        .values()
        .filter(|(_, observed, projected)| error_pct(*projected, *observed).abs() <= 2.0)
        .count();
    let mut within = 0;
    for (code_text, (name, observed, projected)) in &model_rows {
        let error = error_pct(*projected, *observed);
        if error.abs() <= 2.0 {
            within += 1;
        }
        writeln!(
            w,
            "| {code_text} | {name} | {observed:.0} | {projected:.0} | {error:+.2} % | {:+.2} % | {:+.2} % | {:+.2} % | {:+.2} % | {:+.2} % |",
            error_pct(shipped_rows[code_text].2, *observed),
            error_pct(own_rows[code_text].2, *observed),
            error_pct(naive_rows[code_text].2, *observed),
            error_pct(naive_long_rows[code_text].2, *observed),
            error_pct(aligned_rows[code_text].2, *observed),
        )?;
    }
    writeln!(
        w,
        "| | **NL MAPE** ({} municipalities) | | | **{:.2} %** | {:.2} % | {:.2} % | {:.2} % | {:.2} % | {:.2} % |\n",
        test_backtest.rows.len(),
        test_backtest.mape(),
        shipped_backtest.mape(),
        own_backtest.mape(),
        naive_backtest.mape(),
        naive_long.mape(),
        aligned_backtest.mape()
    )?;
    writeln!(
        w,
        "Left out: {} (each received part of Haaren, split in 2021). The ±2 % target is met ex ante by {within} of 12\n\
         Drenthe municipalities with the validated setting, by {shipped_within} of 12 with the shipped one.\n",
        test_backtest
            .excluded
            .iter()
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    let missed: Vec<String> = model_rows
        .iter()
        .filter(|(_, (_, observed, projected))| error_pct(*projected, *observed).abs() > 2.0)
        .map(|(c, (name, observed, projected))| {
            format!(
                "{name} {:+.2} % (aligned {:+.2} %)",
                error_pct(*projected, *observed),
                error_pct(aligned_rows[c].2, *observed)
            )
        })
        .collect();
    let shipped_missed: Vec<String> = shipped_rows
        .values()
        .filter(|(_, observed, projected)| error_pct(*projected, *observed).abs() > 2.0)
        .map(|(name, observed, projected)| {
            format!("{name} {:+.2} %", error_pct(*projected, *observed))
        })
        .collect();
    let assumed = 4.0 * test.national_migration.wpp_level;
    let noordenveld = |y: u16| test.kwb[&(y, code("GM1699"))].inhabitants;
    writeln!(
        w,
        "**Validated setting, not met for {}: {}. Shipped setting, not met for {}: {}.** Two reasons, neither\n\
         visible on 1 January 2020:\n\n\
         - The national level. The model assumed {assumed:.0} net migrants in 2020–2023 (2019's level held); WPP\n  \
         records {realised:.0}, with the 2022 peak of {:.0} (refugees from Ukraine and other immigration). The\n  \
         shortfall is {:.2} % of the population; \"aligned\" removes it.\n\
         - Drenthe's share. Drenthe took {:.2} times its population share of national net migration in 2020–2023\n  \
         (section 1c), {}; \"aligned\" shares the extra national migrants like the population and so\n  \
         stays below the register.\n\n\
         Noordenveld is the exception in kind: its population fell from {:.0} (2017) to {:.0} (2019) after\n\
         growing in 2012–2017, and the recency weighting (decay 0.5, chosen on the validation) carries that fall\n\
         forward; the shipped setting, weighting 2012–2016 as much as 2017–2019, misses it by {:+.2} %. Whether\n\
         such a fall is a one-off (an institution or reception centre closing) or a trend cannot be told from\n\
         registered totals; no weighting of past years serves both kinds of municipality.\n\n\
         The shipped setting was fixed in the previous version for the twenty-year run (section 5), after this\n\
         test had been seen once with the validated setting; its column is reported because it is the model\n\
         the product runs, not as a second choice of settings. Neither meets the target for all 12: what is\n\
         missing is the national level and Drenthe's share of 2020–2023, which no setting that uses only data\n\
         up to 1 January 2020 can know.\n",
        missed.len(),
        missed.join(", "),
        shipped_missed.len(),
        shipped_missed.join(", "),
        wpp_migration[&2022],
        100.0 * (realised - assumed) / base_total,
        implied / realised / drenthe_population_share,
        if implied / realised / drenthe_population_share > highest_ratio {
            format!("more than in any year of 2012–2019 (at most {highest_ratio:.2})")
        } else {
            format!("within what 2012–2019 saw (up to {highest_ratio:.2})")
        },
        noordenveld(2017),
        noordenveld(2019),
        error_pct(shipped_rows["GM1699"].2, shipped_rows["GM1699"].1),
    )?;

    // ---------------------------------------------------------------- band
    writeln!(w, "## 4. Coverage of the 80 % bootstrap band\n")?;
    writeln!(
        w,
        "Each run adds two migration components to the medium, in blocks of 5 years (see `bootstrap`):\n\n\
         - **national**: a random walk of the national level, whose steps are past year-to-year changes of WPP's\n  \
         national net migration (1991 … base year − 1, centred), taken in runs of consecutive years; shared out\n  \
         like the population;\n\
         - **regional and municipal**: past out-of-sample forecast errors of the municipal deviation, per\n  \
         resident. They come from re-running the level rule at each earlier origin (1 January 2017, 2018,\n  \
         2019) with the pairs known then, against the later years known by the base, and are split into the\n  \
         province's part (the sum over its municipalities) and the municipality's remainder. Each run draws one\n  \
         provincial error per province (from all provinces' errors, centred), shared by its municipalities, and\n  \
         one remainder per municipality from municipalities of similar size (five size classes, centred per\n  \
         class: the band spreads around the medium; a mean error is a bias of the past rule, not spread).\n\n\
         1,000 runs, seed 42; municipalities compared one to one (one predecessor). The 2017 validation has no\n\
         earlier origin (its only pair of KWB years ends in 2017), so its band holds the national component\n\
         alone and is far too narrow; from 2018 on the municipal errors exist.\n"
    )?;
    writeln!(
        w,
        "| back-test | horizon | covered | share | mean width |\n|---|---|---|---|---|"
    )?;
    let provinces_2024 = cbs_provinces("cbs_gemeenten_provincie_2024.csv", tables.provinces_2024)?;
    let mut province_rows = Vec::new();
    for (base, nl, backtest) in &validation_setups {
        province_rows.push((
            format!("validation {base} → 2020"),
            province_coverage(nl, year(2020), &provinces_2024),
        ));
        let (inside, n, width) = coverage(nl, backtest, year(2020));
        writeln!(
            w,
            "| validation {base} → 2020 | {} y | {inside} of {n} | {:.0} % | {:.2} % |",
            2020 - base,
            percent(inside, n),
            100.0 * width
        )?;
    }
    let (inside, n, width) = coverage(&test, &test_backtest, year(2024));
    writeln!(
        w,
        "| test 2020 → 2024 | 4 y | {inside} of {n} | {:.0} % | {:.2} % |",
        percent(inside, n),
        100.0 * width
    )?;
    let (inside, n, width) = coverage(&shipped, &shipped_backtest, year(2024));
    writeln!(
        w,
        "| test 2020 → 2024, shipped setting | 4 y | {inside} of {n} | {:.0} % | {:.2} % |\n",
        percent(inside, n),
        100.0 * width
    )?;
    province_rows.push((
        "test 2020 → 2024".to_owned(),
        province_coverage(&test, year(2024), &provinces_2024),
    ));
    province_rows.push((
        "test 2020 → 2024, shipped setting".to_owned(),
        province_coverage(&shipped, year(2024), &provinces_2024),
    ));
    writeln!(
        w,
        "The same bands summed over each province's municipalities (the regional sums the product shows,\n\
         such as Drenthe). Drawing every municipality's error independently, as the previous version did,\n\
         covered 7 (shipped) and 8 (validated) of 12 provinces on the test, with a mean width of 2.1 %:\n\
         errors of neighbouring municipalities are correlated.\n\n\
         | back-test | provinces covered | mean width |\n|---|---|---|"
    )?;
    for (label, (inside, n, width)) in province_rows {
        writeln!(w, "| {label} | {inside} of {n} | {:.2} % |", 100.0 * width)?;
    }
    writeln!(w)?;

    // ---------------------------------------------------------------- projection
    writeln!(w, "## 5. Projection 2020 → 2040 (production set-up)\n")?;
    let registered_2024 = DRENTHE
        .iter()
        .map(|c| {
            let area = &production
                .setup
                .areas
                .iter()
                .find(|a| a.code.as_str() == *c);
            let projected = area.map_or(0.0, |a| {
                production
                    .setup
                    .trajectory(a, Variant::Medium, year(2024))
                    .map_or(0.0, |t| {
                        t.populations.last().map_or(0.0, AgeSexTable::total)
                    })
            });
            error_pct(projected, production.kwb[&(2024, code(c))].inhabitants).abs()
        })
        .fold(0.0, f64::max);
    writeln!(
        w,
        "What a projection made today knows, used as published:\n\n\
         - **Rates**: WPP 2024 estimates to 2023, median projection after.\n\
         - **Registered years**: the KWB totals of 2022, 2023 and 2024 give each municipality whose boundaries\n  \
         did not change its residual migration of 2020–2023 (the same residual method, forward from the 2020\n  \
         table); those years carry that migration in every variant and run, so the projection passes through\n  \
         the registered 2024 population (largest difference in Drenthe {registered_2024:.2} %). Municipalities merged\n  \
         after 2020 get their population share of WPP's estimates instead.\n\
         - **Level from 2024**: each municipality's deviation from the national rate per resident, every year of\n  \
         2012–2023 weighing the same (recency decay {}), plus its population share of WPP's median projection\n  \
         of national net migration year by year ({:.0} in 2024, {:.0} in 2030, {:.0} in 2040), not a level\n  \
         held.\n\
         - **Households**: households per resident of KWB 2024 (of the last year before a merger for\n  \
         municipalities merged since), trended by the national change of households per resident 2012–2024\n  \
         ({:+.2} % a year).\n\
         - **Variants and band** start after 2023: low/high one standard deviation of the annual residuals\n  \
         2012–2023; the bootstrap's national steps include 2020–2023 (the 2022 peak) and its forecast errors\n  \
         the origins 2020, 2022 and 2023.\n",
        production_params.migration.recency_decay,
        wpp_migration[&2024],
        wpp_migration[&2030],
        wpp_migration[&2040],
        100.0 * production.setup.areas[0].headship.annual_change
    )?;
    write_projection(w, &production)?;
    writeln!(
        w,
        "\nRead the 2040 classes with their bands. The migration settings were validated on horizons of one\n\
         to three years, where a recency weighting of 0.5 predicts best; over twenty years it would carry a\n\
         short swing forward as a trend (in the previous version, Noordenveld's fall of 2017–2019 became −24 %\n\
         by 2040, *krimp*), so the production run weighs every observed year the same. That choice is a\n\
         judgement, not validated: no bundled back-test spans twenty years."
    )?;

    let benchmarks = data.join("benchmarks.md");
    if benchmarks.exists() {
        writeln!(w, "\n{}", fs_err::read_to_string(&benchmarks)?.trim_end())?;
    }
    print!("{out}");
    fs_err::write(data.join("README.md"), &out)?;
    eprintln!("wrote {}", data.join("README.md").display());
    Ok(())
}

/// A report row: label, medium series, series per variant, last interval.
type Row = (
    String,
    Vec<YearOutput>,
    BTreeMap<Variant, Vec<YearOutput>>,
    leefbaar_projection::Interval,
);

fn write_projection(w: &mut String, nl: &NetherlandsSetup) -> Result<()> {
    let regions = [
        Region {
            name: "Oost-Drenthe".to_owned(),
            members: OOST_DRENTHE.iter().map(|c| code(c)).collect(),
        },
        Region {
            name: "Drenthe".to_owned(),
            members: DRENTHE.iter().map(|c| code(c)).collect(),
        },
    ];
    let outputs = projection_outputs(&nl.setup, year(2040), &BootstrapParams::default(), &regions)?;
    writeln!(
        w,
        "| area | class (medium) | pop 2020 | pop 2040 low / medium / high | 80 % band 2040 | Δpop | Δhh | class low | class high |\n|---|---|---|---|---|---|---|---|---|"
    )?;
    let mut rows: Vec<Row> = Vec::new();
    for code_text in DRENTHE {
        let c = code(code_text);
        let by_variant = Variant::ALL
            .iter()
            .map(|v| (*v, outputs.variants[v][&c].clone()))
            .collect();
        let name = nl
            .setup
            .areas
            .iter()
            .find(|a| a.code == c)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        rows.push((
            format!("{c} {name}"),
            outputs.variants[&Variant::Medium][&c].clone(),
            by_variant,
            *outputs.intervals.areas[&c].last().expect("years"),
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
        let class =
            |series: &[YearOutput]| classify_series(series, year(2020), year(2040)).expect("years");
        let c = class(&medium);
        writeln!(
            w,
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
        )?;
    }
    writeln!(
        w,
        "\nOost-Drenthe, medium variant:\n\n| year | population | 65+ | 80+ | households | 20–66 |\n|---|---|---|---|---|---|"
    )?;
    for output in outputs.region_variants[&Variant::Medium]["Oost-Drenthe"]
        .iter()
        .step_by(5)
    {
        writeln!(
            w,
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
            output.year,
            output.population,
            output.aged_65_plus,
            output.aged_80_plus,
            output.households,
            output.labour_force_20_66
        )?;
    }
    let mut counts = BTreeMap::new();
    for series in outputs.variants[&Variant::Medium].values() {
        if let Some(c) = classify_series(series, year(2020), year(2040)) {
            *counts.entry(c.class.as_str()).or_insert(0) += 1;
        }
    }
    writeln!(
        w,
        "\nAll 355 municipalities (2020 division), medium variant: {}. Findings while assembling: {}.",
        counts
            .iter()
            .map(|(class, n)| format!("{class} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        nl.findings.len()
    )?;
    Ok(())
}
