//! Checks on the bundled Dutch data: the committed rate table, the base population, births,
//! the 2020 → 2024 back-test, the krimp classification to 2040, variants and intervals.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use leefbaar_model::{AreaCode, Year};
use leefbaar_projection::{
    AgeSexTable, BootstrapParams, DRENTHE, KrimpClass, LevelRule, MigrationParams, N_AGES,
    NetherlandsSetup, OOST_DRENTHE, Region, SetupParams, Variant, backtest_2020, backtest_2024,
    bootstrap, classify_series, netherlands_setup_with, parse_rates, project, region_outputs,
    wpp_net_migration, wpp_rates, write_rates,
};

fn year(value: u16) -> Year {
    Year::new(value).unwrap()
}

/// An ex-ante set-up from 1 January of `base_year` (rates and migration data known then),
/// with the default (validated) migration settings.
fn ex_ante(base_year: u16) -> NetherlandsSetup {
    netherlands_setup_with(
        &common::bundled(),
        &SetupParams::ex_ante(year(base_year), MigrationParams::default()),
    )
    .unwrap()
}

fn oost_drenthe() -> Region {
    Region {
        name: "Oost-Drenthe".to_owned(),
        members: OOST_DRENTHE
            .iter()
            .map(|code| AreaCode::parse(code).unwrap())
            .collect(),
    }
}

#[test]
fn committed_rate_table_is_what_the_derivation_writes() {
    let committed = include_str!("../../../data/projection/derived/nl_rates_2019_2044.csv");
    let derived = write_rates(&wpp_rates(&common::bundled().wpp, 2019..=2044).unwrap());
    assert!(
        committed == derived,
        "data/projection/derived/nl_rates_2019_2044.csv is stale; run \
         `cargo run -p leefbaar-projection --example derive_rates`"
    );
    let parsed = parse_rates("nl_rates_2019_2044.csv", committed.as_bytes(), N_AGES).unwrap();
    assert_eq!(parsed.len(), 26);
    // WPP's TFR for 2020 is 1.55 (rounded); the graduated single ages keep it.
    let tfr_2020: f64 = parsed[1].1.fertility.iter().sum();
    assert!((tfr_2020 - 1.55).abs() < 0.01, "TFR 2020 {tfr_2020}");
}

#[test]
fn base_population_keeps_the_cbs_totals_of_2020() {
    let nl = common::netherlands();
    let total: f64 = nl.setup.areas.iter().map(|area| area.base.total()).sum();
    let drenthe: f64 = nl
        .setup
        .areas
        .iter()
        .filter(|area| DRENTHE.contains(&area.code.as_str()))
        .map(|area| area.base.total())
        .sum();
    assert_eq!(nl.setup.areas.len(), 355);
    assert!((total - 17_407_585.0).abs() < 1e-3, "{total}");
    assert!((drenthe - 493_682.0).abs() < 1e-3, "{drenthe}");
}

#[test]
fn births_projected_for_2020_are_within_two_percent_of_the_registered_168_681() {
    let nl = common::netherlands();
    let no_migration = AgeSexTable::zeros(N_AGES);
    let births: f64 = nl
        .setup
        .areas
        .iter()
        .map(|area| {
            let run = project(
                &area.base,
                year(2020),
                1,
                &nl.setup.schedule,
                &[&no_migration],
            )
            .unwrap();
            run.steps[0].births.male + run.steps[0].births.female
        })
        .sum();
    // CBS registered 168,681 live births in 2020.
    assert!((births / 168_681.0 - 1.0).abs() < 0.02, "{births:.0}");
}

/// The back-test: 1 January 2020 → 2024, medium variant, against KWB 2024, ex ante (rates of
/// 2019, national net migration to 2019, KWB ≤ 2020) with the settings chosen on the
/// validation back-tests (see `data/projection/README.md`).
///
/// Tolerance, documented: the target is ±2 % per Drenthe municipality. Ex ante, 7 of
/// 12 meet it. Coevorden, Emmen, Meppel and Midden-Drenthe miss because net migration in
/// 2020–2023 (the 2022 peak) was far above 2019's level and Drenthe took more than its
/// population share of it; Noordenveld misses because the fall of its population in 2017–2019
/// is carried forward. The test pins the list, bounds every Drenthe error by ±6 % and the
/// national MAPE by 1.5 % (the first version: 1.71 %), and the hindsight alignment to the
/// realised national totals by 1.4 %.
// FIXME: 5 of 12 Drenthe municipalities miss ±2 % ex ante. See: issue #4
#[test]
fn back_test_2020_to_2024_reports_drenthe_errors_and_the_national_mape() {
    let nl = ex_ante(2020);
    let outputs = nl.setup.run(Variant::Medium, year(2024)).unwrap();
    let projected: BTreeMap<AreaCode, f64> = outputs
        .iter()
        .map(|(code, series)| (code.clone(), series.last().unwrap().population))
        .collect();
    let backtest = backtest_2024(&projected, &nl.kwb, &nl.lineage);
    let mut report = String::from("code    name                 projected  observed   error\n");
    let mut outside_target = Vec::new();
    let mut worst: f64 = 0.0;
    for row in backtest
        .rows
        .iter()
        .filter(|row| DRENTHE.contains(&row.code.as_str()))
    {
        let error = 100.0 * row.error();
        let _ = writeln!(
            report,
            "{} {:20} {:>9.0} {:>9.0} {:>+6.2} %",
            row.code, row.name, row.projected, row.observed, error
        );
        if error.abs() > 2.0 {
            outside_target.push(row.code.as_str().to_owned());
        }
        worst = worst.max(error.abs());
    }
    let mape = backtest.mape();
    // Hindsight diagnostic: the same projection with net migration aligned to WPP's realised
    // national totals for 2020–2023 (not available on 1 January 2020).
    let national = wpp_net_migration(&common::bundled().wpp).unwrap();
    let realised: BTreeMap<u16, f64> = national.range(2020..=2023).map(|(y, v)| (*y, *v)).collect();
    let aligned = nl.setup.run_aligned(year(2024), &realised).unwrap();
    let aligned_2024: BTreeMap<AreaCode, f64> = aligned
        .iter()
        .map(|(code, series)| (code.clone(), series.last().unwrap().population))
        .collect();
    let aligned_backtest = backtest_2024(&aligned_2024, &nl.kwb, &nl.lineage);
    let _ = writeln!(
        report,
        "NL: MAPE {mape:.2} % over {} municipalities of 2024, aligned {:.2} %; left out: {:?}",
        backtest.rows.len(),
        aligned_backtest.mape(),
        backtest.excluded
    );
    println!("{report}");
    assert_eq!(
        outside_target,
        ["GM0109", "GM0114", "GM0119", "GM1699", "GM1731"],
        "\n{report}"
    );
    assert!(worst <= 6.0, "\n{report}");
    assert!(mape <= 1.5, "\n{report}");
    assert!(aligned_backtest.mape() <= 1.4, "\n{report}");
    assert_eq!(backtest.rows.len(), 338, "\n{report}");
}

/// The validation back-test that chose the settings: from 1 January 2018 (only data up to
/// 2018) to the registered population of 2020, the national-share rule beats the first
/// version's own-history rule.
#[test]
fn validation_from_2018_prefers_the_national_share_rule_to_own_history() {
    let mape = |migration: MigrationParams| {
        let nl = netherlands_setup_with(
            &common::bundled(),
            &SetupParams::ex_ante(year(2018), migration),
        )
        .unwrap();
        let projected = nl
            .setup
            .run(Variant::Medium, year(2020))
            .unwrap()
            .into_iter()
            .map(|(code, series)| (code, series.last().unwrap().population))
            .collect();
        let backtest = backtest_2020(&projected, &nl.registered_2020, &nl.kwb);
        assert_eq!(backtest.rows.len(), 337);
        backtest.mape()
    };
    let chosen = mape(MigrationParams::default());
    let own_history = mape(MigrationParams {
        rule: LevelRule::OwnHistory,
        ..MigrationParams::default()
    });
    assert!(
        chosen < 0.75 && own_history > 0.9,
        "chosen {chosen:.3} %, own history {own_history:.3} %"
    );
}

#[test]
fn ex_ante_rates_hold_the_rates_of_the_year_before_the_base() {
    let nl = ex_ante(2020);
    let production = common::netherlands();
    let rates_2019 = production.setup.schedule.for_year(year(2019));
    assert_eq!(nl.setup.schedule.for_year(year(2023)), rates_2019);
    assert_ne!(production.setup.schedule.for_year(year(2023)), rates_2019);
}

#[test]
fn a_forecast_from_2020_shares_out_wpp_2019_like_the_population() {
    let nl = ex_ante(2020);
    let national = &nl.national_migration;
    assert!((national.wpp_level - 109_003.0).abs() < 1.0, "{national:?}");
    // The municipal deviations from the national rate sum to nearly zero, so the areas'
    // levels add up to the national level.
    assert!(
        (national.projected / national.wpp_level - 1.0).abs() < 0.01,
        "{national:?}"
    );
    let residual_2019 = national.residual_by_year[&2019];
    assert!(
        (residual_2019 / 109_003.0 - 1.0).abs() < 0.1,
        "{national:?}"
    );
}

/// A projection made today knows the registered totals of 2022–2024: it passes through them,
/// every variant and run agrees on them, and from 2024 the national level follows WPP's
/// median path instead of a level held.
#[test]
fn a_projection_made_today_passes_through_the_registered_years() {
    let nl = common::netherlands();
    assert_eq!(nl.setup.known_years, 4);
    assert!(
        (nl.national_migration.wpp_level - 144_558.0).abs() < 1.0,
        "{:?}",
        nl.national_migration
    );
    let horizon = year(2030);
    let medium = nl.setup.run(Variant::Medium, horizon).unwrap();
    let low = nl.setup.run(Variant::Low, horizon).unwrap();
    let high = nl.setup.run(Variant::High, horizon).unwrap();
    let band = bootstrap(
        &nl.setup,
        horizon,
        &BootstrapParams {
            runs: 50,
            ..BootstrapParams::default()
        },
        &[],
    );
    let mut compared = 0;
    for (code, series) in &medium {
        let at_2024 = series[4].population;
        assert!((low[code][4].population - at_2024).abs() < 1e-6, "{code}");
        assert!((high[code][4].population - at_2024).abs() < 1e-6, "{code}");
        let interval = band.areas[code][4].population;
        assert!(interval[2] - interval[0] < 1e-6, "{code}: {interval:?}");
        let path = &nl
            .setup
            .areas
            .iter()
            .find(|a| a.code == *code)
            .unwrap()
            .migration
            .path;
        let registered = path.len() > 4 && nl.kwb.contains_key(&(2024, code.clone()));
        if registered && series.len() > 4 {
            let observed = nl.kwb[&(2024, code.clone())].inhabitants;
            // Only municipalities whose boundaries held from 2019 to 2024 carry their own
            // residuals; a merged one's code is gone in 2024.
            if (at_2024 / observed - 1.0).abs() < 0.005 {
                compared += 1;
            }
        }
    }
    assert!(
        compared > 290,
        "{compared} municipalities through their 2024 total"
    );
    for code in DRENTHE {
        let code = AreaCode::parse(code).unwrap();
        let observed = nl.kwb[&(2024, code.clone())].inhabitants;
        let projected = medium[&code][4].population;
        assert!(
            (projected / observed - 1.0).abs() < 0.002,
            "{code}: {projected:.0} against {observed:.0}"
        );
        // Households of 2024 are KWB's: the headship ratio is that of 2024.
        let households = medium[&code][4].households;
        let registered = nl.kwb[&(2024, code.clone())].households.unwrap();
        assert!(
            (households / registered - 1.0).abs() < 0.002,
            "{code}: {households:.0} households against {registered:.0}"
        );
        // The spread begins after the registered years.
        let later = band.areas[&code][10].population;
        assert!(later[2] > later[0], "{code}: {later:?}");
    }
    // The areas' paths add up to WPP's median of 2030 (the municipal deviations nearly cancel).
    let in_2030: f64 = nl.setup.areas.iter().map(|a| a.migration.path[10]).sum();
    assert!((in_2030 / 61_367.0 - 1.0).abs() < 0.03, "{in_2030:.0}");
}

#[test]
fn forecast_errors_need_an_origin_before_the_base() {
    let from_2017 = ex_ante(2017);
    assert!(
        from_2017
            .setup
            .areas
            .iter()
            .all(|area| area.migration.forecast_errors.is_empty())
    );
    let from_2020 = common::netherlands();
    assert!(
        from_2020
            .setup
            .areas
            .iter()
            .all(|area| area.migration.forecast_errors.len() > 100)
    );
}

/// The server projects Drenthe alone, with the national steps scaled by Drenthe's share; the
/// intervals must equal those of the national run.
#[test]
fn bootstrap_of_drenthe_alone_gives_the_intervals_of_the_national_run() {
    let nl = common::netherlands();
    let params = BootstrapParams {
        runs: 50,
        ..BootstrapParams::default()
    };
    let all = bootstrap(&nl.setup, year(2030), &params, &[]);
    let national_base: f64 = nl.setup.areas.iter().map(|area| area.base.total()).sum();
    let mut drenthe = nl.setup.clone();
    drenthe
        .areas
        .retain(|area| DRENTHE.contains(&area.code.as_str()));
    let share = drenthe
        .areas
        .iter()
        .map(|area| area.base.total())
        .sum::<f64>()
        / national_base;
    for change in &mut drenthe.national_migration_deviations {
        *change *= share;
    }
    let alone = bootstrap(&drenthe, year(2030), &params, &[]);
    for (code, intervals) in &alone.areas {
        for (mine, theirs) in intervals.iter().zip(&all.areas[code]) {
            for (a, b) in mine.population.iter().zip(theirs.population) {
                assert!((a - b).abs() < 1e-6, "{code}: {a} against {b}");
            }
        }
    }
}

#[test]
fn drenthe_and_oost_drenthe_are_classified_to_2040() {
    use KrimpClass::{Anticipeer, Growth, Stable};
    let nl = common::netherlands();
    let outputs = nl.setup.run(Variant::Medium, year(2040)).unwrap();
    let mut report = String::new();
    let mut classes = BTreeMap::new();
    for code in DRENTHE {
        let series = &outputs[&AreaCode::parse(code).unwrap()];
        let classification = classify_series(series, year(2020), year(2040)).unwrap();
        let _ = writeln!(
            report,
            "{code} {:10} population {:+.1} %, households {:+.1} %",
            classification.class.as_str(),
            100.0 * classification.population_change(),
            100.0 * classification.household_change()
        );
        classes.insert(code, classification.class);
    }
    let region = region_outputs(&outputs, &oost_drenthe()).unwrap();
    let oost = classify_series(&region, year(2020), year(2040)).unwrap();
    let _ = writeln!(
        report,
        "Oost-Drenthe {} population {:+.1} %, households {:+.1} %",
        oost.class.as_str(),
        100.0 * oost.population_change(),
        100.0 * oost.household_change()
    );
    println!("{report}");
    assert_eq!(oost.class, KrimpClass::Anticipeer, "\n{report}");
    // The four municipalities of Oost-Drenthe, which the government designates an
    // anticipeerregio, all come out anticipeer (checked, not tuned for: the production
    // weighting was chosen for Noordenveld's sake, see `SetupParams::production`).
    let expected = BTreeMap::from([
        ("GM0106", Stable),
        ("GM0109", Anticipeer),
        ("GM0114", Anticipeer),
        ("GM0118", Stable),
        ("GM0119", Growth),
        ("GM1680", Anticipeer),
        ("GM1681", Anticipeer),
        ("GM1690", Stable),
        ("GM1699", Anticipeer),
        ("GM1701", Stable),
        ("GM1730", Growth),
        ("GM1731", Stable),
    ]);
    assert_eq!(classes, expected, "\n{report}");
}

#[test]
fn variants_are_ordered_and_the_bootstrap_interval_widens_over_time() {
    let mut nl = common::netherlands();
    nl.setup
        .areas
        .retain(|area| DRENTHE.contains(&area.code.as_str()));
    let drenthe = Region {
        name: "Drenthe".to_owned(),
        members: nl
            .setup
            .areas
            .iter()
            .map(|area| area.code.clone())
            .collect(),
    };
    let totals: Vec<f64> = Variant::ALL
        .iter()
        .map(|variant| {
            let outputs = nl.setup.run(*variant, year(2040)).unwrap();
            region_outputs(&outputs, &drenthe)
                .unwrap()
                .last()
                .unwrap()
                .population
        })
        .collect();
    assert!(totals[0] < totals[1] && totals[1] < totals[2], "{totals:?}");
    let params = BootstrapParams {
        runs: 100,
        ..BootstrapParams::default()
    };
    let result = bootstrap(&nl.setup, year(2040), &params, &[drenthe, oost_drenthe()]);
    let band = &result.regions["Drenthe"];
    let width = |index: usize| band[index].population[2] - band[index].population[0];
    assert!(width(20) > width(5) && width(5) > 0.0, "{band:?}");
    assert!(band[20].population[0] < totals[1] && totals[1] < band[20].population[2]);
}
