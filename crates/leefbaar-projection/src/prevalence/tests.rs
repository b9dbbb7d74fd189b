//! The prevalence table's reading and arithmetic, and the care ages of a year's output, on
//! tables whose sums can be checked by hand.

use leefbaar_model::Year;

use crate::{AgeSexTable, Headship, ParseError, Prevalence, YearOutput, informal_care_potential};

const RATES: &str = "from_age,to_age,male_pct,female_pct\n\
                     60,79,1.0,2.0\n\
                     80,89,10.0,20.0\n\
                     90,,50.0,25.0\n";

/// 101 ages (0 … 100+), `men` men and `women` women of every age.
fn flat(men: f64, women: f64) -> AgeSexTable {
    AgeSexTable::from_counts(vec![men; 101], vec![women; 101]).unwrap()
}

#[test]
fn expected_cases_are_the_residents_of_each_band_times_its_rate_per_sex() {
    // 10 men and 20 women of every age:
    //   60–79: 20 ages × (10 × 1 % + 20 × 2 %) = 20 × 0.5 = 10
    //   80–89: 10 ages × (10 × 10 % + 20 × 20 %) = 10 × 5 = 50
    //   90+ (90 … 100+, 11 ages): 11 × (10 × 50 % + 20 × 25 %) = 11 × 10 = 110
    let prevalence = Prevalence::parse("rates.csv", RATES).unwrap();
    approx::assert_relative_eq!(prevalence.expected_cases(&flat(10.0, 20.0)), 170.0);
}

#[test]
fn a_table_without_anyone_of_a_bands_ages_has_no_cases_in_it() {
    // A table of three ages (0, 1, 2+) has no one of 60 or older.
    let prevalence = Prevalence::parse("rates.csv", RATES).unwrap();
    let young = AgeSexTable::from_counts(vec![5.0; 3], vec![5.0; 3]).unwrap();
    assert_eq!(prevalence.expected_cases(&young), 0.0);
}

#[test]
fn overlapping_bands_percentages_above_100_and_missing_columns_are_named() {
    let cases = [
        (
            "from_age,to_age,male_pct,female_pct\n60,79,1,2\n75,89,1,2\n",
            "rates.csv, line 3, field `from_age`: expected an age after the previous band's last age (bands ascend, only the last is open), found `75`",
        ),
        (
            "from_age,to_age,male_pct,female_pct\n60,79,1,120\n",
            "rates.csv, line 2, field `female_pct`: expected a percentage between 0 and 100, found `120`",
        ),
        (
            "from_age,to_age,male_pct,female_pct\n90,,1,2\n95,,1,2\n",
            "rates.csv, line 3, field `from_age`: expected an age after the previous band's last age (bands ascend, only the last is open), found `95`",
        ),
        (
            "from_age,to_age,male_pct,female_pct\n70,60,1,2\n",
            "rates.csv, line 2, field `to_age`: expected an age not below from_age, or empty, found `60`",
        ),
        (
            "from_age,to,male_pct,female_pct\n",
            "rates.csv: missing column `to_age`",
        ),
    ];
    for (text, expected) in cases {
        let error: ParseError = Prevalence::parse("rates.csv", text).unwrap_err();
        assert_eq!(error.to_string(), expected, "{text}");
    }
}

#[test]
fn the_bundled_dementia_rates_read_and_rise_with_age() {
    let text = include_str!("../../../../data/care/dementia_prevalence_eurocode_2009.csv");
    let prevalence = Prevalence::parse("dementia", text).unwrap();
    let bands = prevalence.bands();
    assert_eq!(bands.first().unwrap().from_age, 30);
    assert_eq!(bands.last().unwrap().to_age, None);
    // From 65 on, each band's rate is at least the one before it for women.
    let women: Vec<f64> = bands
        .iter()
        .filter(|b| b.from_age >= 65)
        .map(|b| b.female_pct)
        .collect();
    assert!(women.windows(2).all(|pair| pair[0] <= pair[1]), "{women:?}");
}

#[test]
fn a_years_output_counts_the_care_ages_inclusively() {
    // 1 man and 2 women of every age 0 … 100+: 50–74 is 25 ages, 75+ is 26, 85+ is 16.
    let table = flat(1.0, 2.0);
    let headship = Headship {
        base_year: Year::new(2020).unwrap(),
        ratio: 0.5,
        annual_change: 0.0,
    };
    let output = YearOutput::of(&table, &headship, Year::new(2020).unwrap());
    assert_eq!(output.aged_50_74, 75.0);
    assert_eq!(output.aged_75_plus, 78.0);
    assert_eq!(output.aged_85_plus, 48.0);
    approx::assert_relative_eq!(
        informal_care_potential(output.aged_50_74, output.aged_85_plus),
        75.0 / 48.0
    );
    assert!(informal_care_potential(10.0, 0.0).is_nan());
}
