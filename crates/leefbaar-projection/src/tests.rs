//! Unit tests: the hand-computed two-year case, input validation, graduation, households and
//! classification, the residual method's building blocks, and the bootstrap's determinism and
//! national random walk. Each test states its numbers inline.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, Year};

use crate::{
    AbridgedRate, AgeSexTable, BootstrapParams, BySex, Headship, Interpolation, KrimpClass,
    ParseError, ProjectionError, ProjectionSetup, RateSchedule, Rates, Region, Sex, Variant,
    backcast_one_year, bootstrap, classify, graduate, parse_migration, parse_population,
    parse_rates, project, project_one_year, residual_per_year, shift_to_level, survival_from_mx,
    write_rates,
};

fn year(value: u16) -> Year {
    Year::new(value).unwrap()
}

fn table(male: &[f64], female: &[f64]) -> AgeSexTable {
    AgeSexTable::from_counts(male.to_vec(), female.to_vec()).unwrap()
}

/// Three age classes (0, 1, 2+) with rates chosen so every intermediate value is a dyadic
/// fraction, exact in binary floating point.
fn tiny_rates() -> Rates {
    Rates {
        survival: BySex {
            male: vec![0.5, 0.75, 0.5],
            female: vec![1.0, 0.75, 0.5],
        },
        birth_survival: BySex {
            male: 0.75,
            female: 1.0,
        },
        fertility: vec![0.0, 0.5, 0.25],
        // Three boys per girl: unrealistic, but it makes a mix-up of the sexes visible.
        sex_ratio_at_birth: 3.0,
    }
}

#[test]
#[expect(
    clippy::unreadable_literal,
    reason = "the dyadic fractions are written as in the hand computation"
)]
fn two_year_projection_of_a_tiny_table_matches_the_hand_computation_exactly() {
    // Base 2020: men 100, 80, 40 (ages 0, 1, 2+); women 100, 80, 60.
    // Net migration per year by age at the end of the year: men +4, +8, −16; women 0, +8, 0.
    //
    // Step 2020 → 2021.
    //   Men   age 1:  0.5·(100 + 8/2) + 8/2              = 56
    //         age 2+: 0.75·80 + 0.5·40 + (−16)·(1 + 0.5)/2 = 60 + 20 − 12 = 68
    //   Women age 1:  1.0·(100 + 4) + 4                   = 108
    //         age 2+: 0.75·80 + 0.5·60 + 0                 = 90
    //   Births: 0.5·(80 + 108)/2 + 0.25·(60 + 90)/2 = 47 + 18.75 = 65.75
    //           boys 65.75·3/4 = 49.3125, girls 65.75/4 = 16.4375
    //   Men   age 0:  0.75·(49.3125 + 4/2) + 4/2 = 38.484375 + 2 = 40.484375
    //   Women age 0:  1.0·16.4375                            = 16.4375
    //
    // Step 2021 → 2022.
    //   Men   age 1:  0.5·(40.484375 + 4) + 4 = 22.2421875 + 4 = 26.2421875
    //         age 2+: 0.75·56 + 0.5·68 − 12   = 42 + 34 − 12     = 64
    //   Women age 1:  1.0·(16.4375 + 4) + 4   = 24.4375
    //         age 2+: 0.75·108 + 0.5·90        = 81 + 45          = 126
    //   Births: 0.5·(108 + 24.4375)/2 + 0.25·(90 + 126)/2 = 33.109375 + 27 = 60.109375
    //           boys 45.08203125, girls 15.02734375
    //   Men   age 0:  0.75·(45.08203125 + 2) + 2 = 35.3115234375 + 2 = 37.3115234375
    //   Women age 0:  15.02734375
    let base = table(&[100.0, 80.0, 40.0], &[100.0, 80.0, 60.0]);
    let migration = table(&[4.0, 8.0, -16.0], &[0.0, 8.0, 0.0]);
    let run = project(
        &base,
        year(2020),
        2,
        &RateSchedule::constant(tiny_rates()),
        &[&migration],
    )
    .unwrap();
    assert_eq!(
        run.populations[1],
        table(&[40.484375, 56.0, 68.0], &[16.4375, 108.0, 90.0])
    );
    assert_eq!(
        run.populations[2],
        table(
            &[37.3115234375, 26.2421875, 64.0],
            &[15.02734375, 24.4375, 126.0]
        )
    );
    assert_eq!(run.steps[0].births.male, 49.3125);
    assert_eq!(run.steps[1].births.female, 15.02734375);
    assert_eq!(run.last_year(), year(2022));
    assert_eq!(run.population_in(year(2021)), Some(&run.populations[1]));
}

#[test]
fn out_migration_larger_than_a_cohort_empties_it_and_reports_the_shortfall() {
    let base = table(&[10.0, 10.0, 10.0], &[10.0, 10.0, 10.0]);
    // 30 men aged 1 at the end leave, but only 0.5·10 survive into that age: 0.5·(10 − 15) − 15.
    let migration = table(&[0.0, -30.0, 0.0], &[0.0, 0.0, 0.0]);
    let run = project(
        &base,
        year(2020),
        1,
        &RateSchedule::constant(tiny_rates()),
        &[&migration],
    )
    .unwrap();
    assert_eq!(run.populations[1].get(Sex::Male, 1), 0.0);
    assert_eq!(run.steps[0].migration_shortfall, 17.5);
}

#[test]
fn a_migration_path_uses_one_table_per_year_and_repeats_the_last() {
    let base = table(&[0.0, 0.0, 0.0], &[0.0, 0.0, 0.0]);
    let mut rates = tiny_rates();
    rates.survival = BySex {
        male: vec![1.0; 3],
        female: vec![1.0; 3],
    };
    rates.fertility = vec![0.0; 3];
    let first = table(&[0.0, 0.0, 2.0], &[0.0, 0.0, 0.0]);
    let later = table(&[0.0, 0.0, 10.0], &[0.0, 0.0, 0.0]);
    let run = project(
        &base,
        year(2020),
        3,
        &RateSchedule::constant(rates),
        &[&first, &later],
    )
    .unwrap();
    let open_men: Vec<f64> = run
        .populations
        .iter()
        .map(|p| p.get(Sex::Male, 2))
        .collect();
    assert_eq!(open_men, vec![0.0, 2.0, 12.0, 22.0]);
}

#[test]
fn rates_and_migration_with_a_different_number_of_ages_are_rejected() {
    let base = table(&[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0]);
    let migration = AgeSexTable::zeros(4);
    let error = project(
        &base,
        year(2020),
        1,
        &RateSchedule::constant(tiny_rates()),
        &[&migration],
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the migration table has 4 ages, expected 3"
    );
}

fn check_parse_error(result: Result<impl std::fmt::Debug, ParseError>, expected: &str) {
    let error = result.unwrap_err();
    assert_eq!(error.to_string(), expected);
}

#[test]
fn population_with_ages_out_of_order_names_the_line_and_the_group() {
    let csv = "area,sex,age,persons
GM0106,male,0,10
GM0106,male,2,10
";
    check_parse_error(
        parse_population("pop.csv", csv.as_bytes(), 3),
        "pop.csv, line 3, field `age`: ages out of order for GM0106 male: expected `1`, found `2`",
    );
}

#[test]
fn population_stopping_before_the_open_class_is_incomplete() {
    let csv = "area,sex,age,persons
GM0106,female,0,10
GM0106,female,1,10
";
    check_parse_error(
        parse_population("pop.csv", csv.as_bytes(), 3),
        "pop.csv: GM0106 female has ages 0..2, expected 0..3 with the last open",
    );
}

#[test]
fn negative_counts_are_rejected_with_line_and_field() {
    let csv = "area,sex,age,persons
GM0106,male,0,10
GM0106,male,1,-3
GM0106,male,2+,4
";
    check_parse_error(
        parse_population("pop.csv", csv.as_bytes(), 3),
        "pop.csv, line 3, field `persons`: a count cannot be negative, found -3",
    );
}

#[test]
fn a_valid_population_parses_with_the_open_class_written_with_a_plus() {
    let csv = "area,sex,age,persons
GM0106,male,0,1
GM0106,male,1,2
GM0106,male,2+,3
GM0106,female,0,4
GM0106,female,1,5
GM0106,female,2,6
";
    let tables = parse_population("pop.csv", csv.as_bytes(), 3).unwrap();
    let assen = &tables[&AreaCode::parse("GM0106").unwrap()];
    assert_eq!(assen, &table(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]));
}

#[test]
fn bad_area_codes_and_sexes_say_what_was_expected() {
    check_parse_error(
        parse_migration(
            "mig.csv",
            "area,sex,age,net_migrants\nGM106,male,0,1\n".as_bytes(),
            3,
        ),
        "mig.csv, line 2, field `area`: expected a CBS area code such as GM0106, found `GM106`",
    );
    check_parse_error(
        parse_migration(
            "mig.csv",
            "area,sex,age,net_migrants\nGM0106,x,0,1\n".as_bytes(),
            3,
        ),
        "mig.csv, line 2, field `sex`: expected `male` or `female`, found `x`",
    );
    check_parse_error(
        parse_migration("mig.csv", "area,sex,net_migrants\n".as_bytes(), 3),
        "mig.csv: missing column `age`",
    );
}

fn rates_csv(survival_at_one: &str) -> String {
    format!(
        "year,sex,age,survival,fertility,sex_ratio_at_birth
2020,male,birth,0.99,,1.05
2020,male,0,0.99,,
2020,male,1,{survival_at_one},,
2020,male,2+,0.5,,
"
    )
}

#[test]
fn probabilities_above_one_or_below_zero_are_rejected() {
    check_parse_error(
        parse_rates("rates.csv", rates_csv("1.2").as_bytes(), 3),
        "rates.csv, line 4, field `survival`: a probability must lie in 0..=1, found 1.2",
    );
    check_parse_error(
        parse_rates("rates.csv", rates_csv("-0.1").as_bytes(), 3),
        "rates.csv, line 4, field `survival`: a probability must lie in 0..=1, found -0.1",
    );
}

#[test]
fn rates_round_trip_through_their_csv_format() {
    let rates = tiny_rates();
    let text = write_rates(&[(year(2020), rates.clone())]);
    let parsed = parse_rates("rates.csv", text.as_bytes(), 3).unwrap();
    assert_eq!(parsed, vec![(year(2020), rates)]);
}

#[test]
fn a_municipality_missing_from_the_migration_table_is_named() {
    let code = |text| AreaCode::parse(text).unwrap();
    let populations = BTreeMap::from([
        (code("GM0106"), table(&[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0])),
        (code("GM0109"), table(&[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0])),
    ]);
    let migration = BTreeMap::from([(code("GM0106"), AgeSexTable::zeros(3))]);
    let headship = Headship {
        base_year: year(2020),
        ratio: 0.5,
        annual_change: 0.0,
    };
    let headships = BTreeMap::from([(code("GM0106"), headship), (code("GM0109"), headship)]);
    let error = ProjectionSetup::from_tables(
        year(2020),
        RateSchedule::constant(tiny_rates()),
        populations,
        &migration,
        &headships,
    )
    .unwrap_err();
    assert!(matches!(
        error,
        ProjectionError::AreaMissingFromRates { .. }
    ));
    assert_eq!(
        error.to_string(),
        "GM0109 has a base population but is missing from the migration table"
    );
}

#[test]
fn graduation_keeps_each_group_mean_and_the_open_group_rate() {
    let groups = [
        AbridgedRate {
            age_start: 0,
            width: Some(1),
            rate: 0.004,
        },
        AbridgedRate {
            age_start: 1,
            width: Some(4),
            rate: 0.0002,
        },
        AbridgedRate {
            age_start: 5,
            width: Some(5),
            rate: 0.0001,
        },
        AbridgedRate {
            age_start: 10,
            width: None,
            rate: 0.3,
        },
    ];
    let single = graduate(&groups, 12, Interpolation::LogLinear);
    assert_eq!(single[0], 0.004);
    let mean_1_4 = single[1..5].iter().sum::<f64>() / 4.0;
    let mean_5_9 = single[5..10].iter().sum::<f64>() / 5.0;
    approx::assert_relative_eq!(mean_1_4, 0.0002, max_relative = 1e-12);
    approx::assert_relative_eq!(mean_5_9, 0.0001, max_relative = 1e-12);
    assert_eq!(&single[10..], &[0.3, 0.3]);
    // Log-linear interpolation falls from age 1 to age 4 between the midpoints 0.5 and 3.
    assert!(single[1] > single[4]);
}

#[test]
fn graduated_fertility_keeps_the_total_fertility_rate() {
    let groups: Vec<AbridgedRate> = [0.01, 0.05, 0.1, 0.08, 0.02]
        .iter()
        .enumerate()
        .map(|(index, rate)| AbridgedRate {
            age_start: 15 + 5 * index,
            width: Some(5),
            rate: *rate,
        })
        .collect();
    let single = graduate(&groups, 101, Interpolation::Linear);
    approx::assert_relative_eq!(single.iter().sum::<f64>(), 5.0 * 0.26, max_relative = 1e-12);
    assert!(single[..15].iter().all(|rate| *rate == 0.0));
}

#[test]
fn survival_from_constant_mortality_follows_the_life_table_formulas() {
    // m = 0.1 at every age, 4 classes (0, 1, 2, 3+), men.
    // a0 = 0.045 + 2.684·0.1 = 0.3134 (Preston et al. 2001, Table 3.3, men, m0 < 0.107);
    // q0 = 0.1/(1 + 0.6866·0.1); q1 = q2 = 0.1/1.05.
    let (survival, birth) = survival_from_mx(&[0.1; 4], Sex::Male);
    let q0 = 0.1 / (1.0 + (1.0 - 0.3134) * 0.1);
    let q = 0.1 / 1.05;
    let l1 = 1.0 - q0;
    let l2 = l1 * (1.0 - q);
    let l3 = l2 * (1.0 - q);
    let big_l0 = l1 + 0.3134 * q0;
    let big_l1 = l2 + 0.5 * l1 * q;
    let big_l2 = l3 + 0.5 * l2 * q;
    let big_l3 = l3 / 0.1;
    approx::assert_relative_eq!(birth, big_l0, max_relative = 1e-12);
    approx::assert_relative_eq!(survival[0], big_l1 / big_l0, max_relative = 1e-12);
    approx::assert_relative_eq!(
        survival[2],
        big_l3 / (big_l2 + big_l3),
        max_relative = 1e-12
    );
    approx::assert_relative_eq!(survival[3], (-0.1_f64).exp(), max_relative = 1e-12);
}

#[test]
fn households_follow_the_headship_ratio_and_its_trend() {
    let headship = Headship {
        base_year: year(2019),
        ratio: 0.5,
        annual_change: 0.01,
    };
    approx::assert_relative_eq!(headship.households(1000.0, year(2019)), 500.0);
    approx::assert_relative_eq!(headship.households(1000.0, year(2021)), 500.0 * 1.01 * 1.01);
}

#[test]
fn krimp_criteria_classify_at_their_thresholds() {
    let class = |population: (f64, f64), households: (f64, f64)| {
        classify(year(2020), year(2040), population, households).class
    };
    assert_eq!(class((1000.0, 875.0), (100.0, 95.0)), KrimpClass::Krimp);
    // Population −12.5 % but households only −4 %: anticipeer, not krimp.
    assert_eq!(
        class((1000.0, 875.0), (100.0, 96.0)),
        KrimpClass::Anticipeer
    );
    // Population stable, households −2.5 %: anticipeer.
    assert_eq!(
        class((1000.0, 1000.0), (1000.0, 975.0)),
        KrimpClass::Anticipeer
    );
    assert_eq!(class((1000.0, 976.0), (1000.0, 990.0)), KrimpClass::Stable);
    assert_eq!(
        class((1000.0, 1025.0), (1000.0, 1030.0)),
        KrimpClass::Growth
    );
}

fn two_area_setup() -> ProjectionSetup {
    let code = |text| AreaCode::parse(text).unwrap();
    let mut setup = ProjectionSetup::from_tables(
        year(2020),
        RateSchedule::constant(tiny_rates()),
        BTreeMap::from([
            (
                code("GM0106"),
                table(&[100.0, 80.0, 40.0], &[100.0, 80.0, 60.0]),
            ),
            (
                code("GM0109"),
                table(&[50.0, 50.0, 50.0], &[50.0, 50.0, 50.0]),
            ),
        ]),
        &BTreeMap::from([
            (code("GM0106"), AgeSexTable::zeros(3)),
            (code("GM0109"), AgeSexTable::zeros(3)),
        ]),
        &BTreeMap::from([
            (
                code("GM0106"),
                Headship {
                    base_year: year(2020),
                    ratio: 0.5,
                    annual_change: 0.0,
                },
            ),
            (
                code("GM0109"),
                Headship {
                    base_year: year(2020),
                    ratio: 0.4,
                    annual_change: 0.0,
                },
            ),
        ]),
    )
    .unwrap();
    // Give each area two observed migration years, −10 and +10 men aged 2+.
    for area in &mut setup.areas {
        area.migration.by_year = vec![
            (2018, table(&[0.0, 0.0, -10.0], &[0.0; 3])),
            (2019, table(&[0.0, 0.0, 10.0], &[0.0; 3])),
        ];
        area.migration.annual_totals = vec![(2018, -10.0), (2019, 10.0)];
        area.migration.low = area.migration.by_year[0].1.clone();
        area.migration.high = area.migration.by_year[1].1.clone();
    }
    setup
}

#[test]
fn bootstrap_with_the_same_seed_gives_the_same_intervals_and_brackets_the_median() {
    let setup = two_area_setup();
    let params = BootstrapParams {
        runs: 200,
        seed: 7,
        lower: 0.1,
        upper: 0.9,
        block_years: 1,
    };
    let regions = [Region {
        name: "both".to_owned(),
        members: setup.areas.iter().map(|area| area.code.clone()).collect(),
    }];
    let first = bootstrap(&setup, year(2030), &params, &regions);
    let second = bootstrap(&setup, year(2030), &params, &regions);
    // Compared as text: with no one aged 85+ in these three-age tables the informal-care
    // potential is NaN, which no NaN equals.
    assert_eq!(format!("{first:?}"), format!("{second:?}"));
    let last = first.regions["both"].last().unwrap();
    assert!(last.population[0] < last.population[1] && last.population[1] < last.population[2]);
    // The base year has no spread.
    let base = first.regions["both"][0];
    assert_eq!(base.population[0], base.population[2]);
    let other = bootstrap(
        &setup,
        year(2030),
        &BootstrapParams { seed: 8, ..params },
        &regions,
    );
    assert_ne!(first, other);
}

#[test]
fn low_and_high_variants_use_their_own_migration_tables() {
    let setup = two_area_setup();
    let low = setup.run(Variant::Low, year(2022)).unwrap();
    let high = setup.run(Variant::High, year(2022)).unwrap();
    let code = AreaCode::parse("GM0109").unwrap();
    let (low_2022, high_2022) = (low[&code][2].population, high[&code][2].population);
    // ±10 men into 2+ each year add ±10·(1 + 0.5)/2 = ±7.5 by the end of the year; the first
    // year's 7.5 then survive the second year with 0.5. High − low = 2·(7.5·0.5 + 7.5) = 22.5.
    approx::assert_relative_eq!(high_2022 - low_2022, 22.5);
}

#[test]
fn reverse_survival_then_projection_without_migration_gives_back_the_later_cohorts() {
    // 2021: men 40, 60, 30 (ages 0, 1, 2+); women 20, 30, 45. Survival of tiny_rates():
    // men 0.5, 0.75, 0.5; women 1.0, 0.75, 0.5.
    //   Men 2020:   age 0 = 60/0.5 = 120; age 1 = 0.5·30/0.75 = 20; age 2+ = 0.5·30/0.5 = 30
    //   Women 2020: age 0 = 30/1.0 = 30;  age 1 = 0.5·45/0.75 = 30; age 2+ = 0.5·45/0.5 = 45
    let later = table(&[40.0, 60.0, 30.0], &[20.0, 30.0, 45.0]);
    let earlier = backcast_one_year(&later, &tiny_rates());
    assert_eq!(earlier, table(&[120.0, 20.0, 30.0], &[30.0, 30.0, 45.0]));
    // Forward again: ages 1 and 2+ come back exactly (age 0 holds the year's births).
    let mut again = AgeSexTable::zeros(3);
    project_one_year(&earlier, &tiny_rates(), &AgeSexTable::zeros(3), &mut again);
    for sex in Sex::BOTH {
        assert_eq!(&again.counts(sex)[1..], &later.counts(sex)[1..]);
    }
}

#[test]
fn the_residual_recovers_net_migration_added_to_a_projection() {
    // Project two years with 6 net migrants a year (men aged 2+, who do not change the births),
    // then ask the
    // residual method for the migration: 6·(1 + 0.5)/2 = 4.5 arrive alive in each year's
    // end population, and the first year's 4.5 survive the second year with 0.5, so the
    // residual per year is (4.5·0.5 + 4.5)/2 = 3.375. The method ignores the migrants' own
    // deaths after their first year (documented), so it is below 4.5.
    let base = table(&[100.0, 80.0, 40.0], &[100.0, 80.0, 60.0]);
    let schedule = RateSchedule::constant(tiny_rates());
    let migrants = table(&[0.0, 0.0, 6.0], &[0.0; 3]);
    let with_migration = project(&base, year(2020), 2, &schedule, &[&migrants]).unwrap();
    let later_total = with_migration.populations[2].total();
    let residual = residual_per_year(&base, year(2020), later_total, 2, &schedule);
    approx::assert_relative_eq!(residual, 3.375, max_relative = 1e-12);
    // No change between the totals beyond natural change gives no migration.
    let closed = project(&base, year(2020), 2, &schedule, &[&AgeSexTable::zeros(3)]).unwrap();
    let none = residual_per_year(
        &base,
        year(2020),
        closed.populations[2].total(),
        2,
        &schedule,
    );
    approx::assert_relative_eq!(none, 0.0, epsilon = 1e-12);
}

#[test]
fn shifting_a_migration_profile_adds_the_difference_like_the_population() {
    // Profile: −2 men aged 1, +4 women aged 2+ (total 2). Population 10 per cell (total 60).
    // To a level of 8: add 6 migrants, 6/60 = 0.1 per resident, 1 in every cell.
    let profile = table(&[0.0, -2.0, 0.0], &[0.0, 0.0, 4.0]);
    let population = table(&[10.0; 3], &[10.0; 3]);
    let shifted = shift_to_level(&profile, &population, 8.0);
    assert_eq!(shifted, table(&[1.0, -1.0, 1.0], &[1.0, 1.0, 5.0]));
    approx::assert_relative_eq!(shifted.total(), 8.0);
}

#[test]
fn the_national_steps_of_the_bootstrap_accumulate_into_a_widening_band() {
    // One area without own migration; national steps of ±60 migrants a year (the area is
    // the whole "nation"). Yearly blocks draw a step each year: after n years the level's
    // deviation is a sum of n steps, so the band widens, and stays centred on the medium.
    let mut setup = two_area_setup();
    setup.areas.truncate(1);
    for area in &mut setup.areas {
        area.migration.by_year = vec![(2019, area.migration.medium.clone())];
    }
    setup.national_migration_deviations = vec![-60.0, 60.0];
    let params = BootstrapParams {
        runs: 400,
        seed: 1,
        lower: 0.1,
        upper: 0.9,
        block_years: 1,
    };
    let result = bootstrap(&setup, year(2026), &params, &[]);
    let band = &result.areas[&setup.areas[0].code];
    let width = |index: usize| band[index].population[2] - band[index].population[0];
    assert!(
        width(1) > 0.0 && width(3) > width(1) && width(6) > width(3),
        "{band:?}"
    );
    let medium = setup.run(Variant::Medium, year(2026)).unwrap();
    let medium_2026 = medium[&setup.areas[0].code][6].population;
    assert!(band[6].population[0] < medium_2026 && medium_2026 < band[6].population[2]);
}

#[test]
fn a_path_moves_every_variant_alike_and_known_years_carry_no_spread() {
    // Area GM0109 (300 residents, 50 at every age and sex): a path of +30 then +60 migrants a
    // year over a medium of 0, the first year registered. Each year's table is the variant's
    // table plus the path's excess spread like the base population (the same rate at every
    // age and sex), so in the first year each of the 6 cells gains 30/6 = 5.
    let mut setup = two_area_setup();
    setup.areas.remove(0);
    setup.known_years = 1;
    setup.areas[0].migration.path = vec![30.0, 60.0];
    let area = setup.areas[0].clone();
    let first = area
        .migration
        .in_year(&area.migration.medium, 0, &area.base);
    assert_eq!(first, table(&[5.0; 3], &[5.0; 3]));
    // After the path ends its last value holds.
    let later = area.migration.in_year(&area.migration.high, 5, &area.base);
    let mut expected = area.migration.high.clone();
    expected.add(&table(&[10.0; 3], &[10.0; 3]));
    assert_eq!(later, expected);

    // The trajectory is the engine run with those tables; in the known year every variant
    // takes the medium, after it each its own table.
    for variant in Variant::ALL {
        let trajectory = setup.trajectory(&area, variant, year(2023)).unwrap();
        let own = match variant {
            Variant::Low => &area.migration.low,
            Variant::Medium => &area.migration.medium,
            Variant::High => &area.migration.high,
        };
        let tables = [
            area.migration
                .in_year(&area.migration.medium, 0, &area.base),
            area.migration.in_year(own, 1, &area.base),
            area.migration.in_year(own, 2, &area.base),
        ];
        let refs: Vec<&AgeSexTable> = tables.iter().collect();
        let by_hand = project(&area.base, year(2020), 3, &setup.schedule, &refs).unwrap();
        assert_eq!(trajectory, by_hand, "{variant:?}");
    }
    let medium = setup.run(Variant::Medium, year(2023)).unwrap();
    let low = setup.run(Variant::Low, year(2023)).unwrap();
    assert_eq!(medium[&area.code][1], low[&area.code][1]);
    assert!(low[&area.code][2].population < medium[&area.code][2].population);

    // The bootstrap agrees in the known year in every run and spreads after it.
    let result = bootstrap(&setup, year(2023), &BootstrapParams::default(), &[]);
    let band = &result.areas[&area.code];
    let population_2021 = medium[&area.code][1].population;
    for bound in band[1].population {
        approx::assert_relative_eq!(bound, population_2021, epsilon = 1e-9);
    }
    assert!(band[3].population[2] > band[3].population[0], "{band:?}");
}

#[test]
fn areas_of_one_region_share_its_migration_shock() {
    // No national steps and no municipal spread (one error of 0), so only the regional errors
    // (evenly spread over −1 % … +1 % of the residents a year) move the runs. Areas of one region draw the same error, so
    // their sum spreads as much as its parts; areas of two regions partly cancel; without a
    // region there is no spread at all.
    let region_band = |regions: [Option<&str>; 2]| {
        let mut setup = two_area_setup();
        setup.regional_errors = (-20..=20).map(|i| f64::from(i) * 0.0005).collect();
        for (area, region) in setup.areas.iter_mut().zip(regions) {
            area.migration.forecast_errors = vec![0.0];
            area.region = region.map(|code| AreaCode::parse(code).unwrap());
        }
        let both = Region {
            name: "both".to_owned(),
            members: setup.areas.iter().map(|a| a.code.clone()).collect(),
        };
        let result = bootstrap(&setup, year(2025), &BootstrapParams::default(), &[both]);
        let band = result.regions["both"][5].population;
        (band[2] - band[0]) / band[1]
    };
    let shared = region_band([Some("PV22"), Some("PV22")]);
    let apart = region_band([Some("PV22"), Some("PV21")]);
    let none = region_band([None, None]);
    assert!(shared > apart && apart > 0.0, "{shared} {apart}");
    assert!(none.abs() < 1e-12, "{none}");
}

#[test]
fn provinces_map_municipalities_and_a_bad_code_names_its_line() {
    let csv = "gemeentecode,provinciecode,provincienaam
GM1680,PV22,Drenthe
GM0014,PV20,Groningen
";
    let provinces = crate::cbs_provinces("provinces.csv", csv).unwrap();
    assert_eq!(provinces.len(), 2);
    assert_eq!(
        provinces[&AreaCode::parse("GM1680").unwrap()].as_str(),
        "PV22"
    );
    check_parse_error(
        crate::cbs_provinces(
            "provinces.csv",
            "gemeentecode,provinciecode\nGM1680,PV22\nGM0014,Groningen\n",
        ),
        "provinces.csv, line 3, field `provinciecode`: expected a CBS area code such as GM0106, found `Groningen`",
    );
    check_parse_error(
        crate::cbs_provinces("provinces.csv", "gemeentecode\nGM1680\n"),
        "provinces.csv: missing column `provinciecode`",
    );
}

#[test]
fn infant_mortality_above_the_model_range_keeps_survival_a_probability() {
    // Coale–Demeny West holds a0 at 0.330 (men) and 0.350 (women) from m0 = 0.107 on; the
    // linear form would give a0 = 1.387 for men at m0 = 0.5 and a birth survival of 1.29
    // (found by fuzzing the WPP reader).
    for (sex, a0) in [(Sex::Male, 0.330), (Sex::Female, 0.350)] {
        let (survival, birth) = survival_from_mx(&[0.5, 0.01, 0.01, 0.1], sex);
        let q0 = 0.5 / (1.0 + (1.0 - a0) * 0.5);
        approx::assert_relative_eq!(birth, 1.0 - q0 + a0 * q0, max_relative = 1e-12);
        for extreme in [5.0, 9492.0, 1e12] {
            let (by_age, at_birth) = survival_from_mx(&[extreme, extreme, extreme, extreme], sex);
            assert!((0.0..=1.0).contains(&at_birth), "{extreme}: {at_birth}");
            assert!(by_age.iter().all(|p| (0.0..=1.0).contains(p)), "{by_age:?}");
        }
        assert!(survival.iter().all(|p| (0.0..=1.0).contains(p)));
    }
}

#[test]
fn absurd_numbers_and_ages_are_errors_not_panics() {
    // Counts that would sum to infinity (1e308 twice) and an age group starting at usize::MAX,
    // both found by fuzzing.
    check_parse_error(
        parse_population(
            "pop.csv",
            "area,sex,age,persons\nGM0106,male,0,1e308\n".as_bytes(),
            1,
        ),
        "pop.csv, line 2, field `persons`: expected a number (at most 10^12 in size), found `1e308`",
    );
    check_parse_error(
        parse_population("pop.csv", "area,sex,age,persons\n".as_bytes(), 0),
        "pop.csv, line 0, field `age`: expected at least one age class (the caller's number of ages), found `0`",
    );
    let groups = [crate::AbridgedRate {
        age_start: usize::MAX,
        width: Some(5),
        rate: 0.1,
    }];
    assert!(
        graduate(&groups, 101, Interpolation::Linear)
            .iter()
            .all(|r| *r == 0.0)
    );
}

#[test]
fn a_rate_table_needs_both_sexes_their_birth_rows_and_one_sex_ratio() {
    let header = "year,sex,age,survival,fertility,sex_ratio_at_birth\n";
    let ages =
        |sex: &str| format!("2020,{sex},0,0.99,,\n2020,{sex},1,0.98,,\n2020,{sex},2+,0.5,,\n");
    let birth = |sex: &str, srb: &str| format!("2020,{sex},birth,0.995,,{srb}\n");
    let complete = format!(
        "{header}{}{}{}{}",
        birth("male", "1.05"),
        ages("male"),
        birth("female", "1.05"),
        ages("female")
    );
    assert_eq!(
        parse_rates("r.csv", complete.as_bytes(), 3).unwrap().len(),
        1
    );
    // Women missing altogether.
    check_parse_error(
        parse_rates(
            "r.csv",
            format!("{header}{}{}", birth("male", "1.05"), ages("male")).as_bytes(),
            3,
        ),
        "r.csv: 2020 female has ages 0..0, expected 0..3 with the last open",
    );
    // Women's ages without their birth row.
    check_parse_error(
        parse_rates(
            "r.csv",
            format!(
                "{header}{}{}{}",
                birth("male", "1.05"),
                ages("male"),
                ages("female")
            )
            .as_bytes(),
            3,
        ),
        "r.csv, line 0, field `age`: expected a `birth` row for every year and sex, found `none for 2020 female`",
    );
    // Two sex ratios for one year.
    check_parse_error(
        parse_rates(
            "r.csv",
            format!(
                "{header}{}{}{}{}",
                birth("male", "1.05"),
                ages("male"),
                birth("female", "1.06"),
                ages("female")
            )
            .as_bytes(),
            3,
        ),
        "r.csv, line 6, field `sex_ratio_at_birth`: expected the same sex ratio at birth on both sexes' rows, found `1.06`",
    );
}
