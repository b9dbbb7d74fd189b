//! The CSV readers of `leefbaar-projection` (`parse_population`, `parse_migration`,
//! `parse_rates`, the `cbs_*` readers of the bundled CBS tables and the UN WPP readers
//! `wpp_rates`, `wpp_tfr`, `wpp_net_migration`) on arbitrary input. The first byte chooses the
//! reader and a variant; the rest is the table. Errors must come back as `Err` (whose `Display`
//! is rendered), never as a panic, and whatever is accepted must keep the promises of the
//! readers' docs: counts ≥ 0, probabilities and shares in 0..=1, numbers finite where the field
//! reader demands it, one value per age.
//!
//! Selector byte `s`: reader `s % 15` (table below), variant `(s / 15) % 4`.
//!
//! | `s % 15` | reader | input | variant |
//! |---|---|---|---|
//! | 0 | `parse_population` | raw bytes (it takes `impl Read`) | `n_ages` 3, 101, 1, 2 |
//! | 1 | `parse_migration` | raw bytes | `n_ages` as 0 |
//! | 2 | `parse_rates` | raw bytes | `n_ages` as 0 |
//! | 3 | `cbs_kwb_series` | UTF-8 | – |
//! | 4 | `cbs_kwb_2019_age_groups` | UTF-8 | – |
//! | 5 | `cbs_lineage` | UTF-8 | – |
//! | 6 | `cbs_provinces` | UTF-8 | – |
//! | 7 | `cbs_single_age_both_sexes` | UTF-8 | – |
//! | 8 | `cbs_sex_shares`, postcode table (bundled PC4 lookup) | UTF-8 | – |
//! | 9 | `cbs_sex_shares`, PC4 lookup (excerpt of the bundled postcode table) | UTF-8 | – |
//! | 10 | `wpp_rates`, field `mx` (other fields bundled) | UTF-8 | years 2015–2044 (all the bundled tables hold), 2019–2044, 2020, 1990–2100 |
//! | 11 | `wpp_rates`, field `asfr` | UTF-8 | years as 10 |
//! | 12 | `wpp_rates`, field `srb` | UTF-8 | years as 10 |
//! | 13 | `wpp_tfr`, field `tfr` | UTF-8 | – |
//! | 14 | `wpp_net_migration`, field `net_migration` | UTF-8 | – |
//!
//! `netherlands_setup` is not fuzzed: one call parses all twelve bundled tables and
//! reconstructs 2012–2019 (45 ms in the release benchmark, ~100 ms with this profile's debug
//! assertions before any instrumentation), far too slow per input.
//!
//! Findings fixed in the crate, reproducers kept in `regressions/projection_inputs/` (see the
//! README's Results): birth survival outside 0..=1 for an infant death rate above ~0.34, an
//! overflow panic in `graduate` for a huge ASFR age, a NaN sex share when counts summed to
//! infinity.
#![no_main]
// `fuzz_target!` expands to `std::fs::File::create` (for `cargo fuzz fmt`); the workspace's
// clippy.toml ban on `std::fs` (use `fs_err`) is meant for our own code, not this macro.
#![allow(clippy::disallowed_methods)]

use std::collections::BTreeSet;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use leefbaar_projection::{
    AgeSexTable, N_AGES, N_GROUPS_5, ParseError, RateSchedule, Rates, Sex, WppTables,
    cbs_kwb_2019_age_groups, cbs_kwb_series, cbs_lineage, cbs_provinces, cbs_sex_shares,
    cbs_single_age_both_sexes, parse_migration, parse_population, parse_rates, wpp_net_migration,
    wpp_rates, wpp_tfr,
};
use libfuzzer_sys::fuzz_target;

/// The bundled WPP 2024 tables; one field at a time is replaced by the fuzz input.
const WPP: WppTables<'static> = WppTables {
    mx: include_str!(
        "../../data/projection/wpp2024/nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv"
    ),
    asfr: include_str!(
        "../../data/projection/wpp2024/nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv"
    ),
    srb: include_str!("../../data/projection/wpp2024/nl_sex_ratio_at_birth_annual_2015_2045.csv"),
    tfr: include_str!("../../data/projection/wpp2024/nl_tfr_annual_2015_2045.csv"),
    net_migration: include_str!(
        "../../data/projection/wpp2024/nl_net_migration_annual_1990_2045.csv"
    ),
};

const PC4_LOOKUP: &str =
    include_str!("../../data/projection/cbs_pc4_drenthe_gemeente_lookup_2021.csv");
const POSTCODE_TABLE: &str =
    include_str!("../../data/projection/cbs_population_postcode_age5_sex_2021.csv");

/// The municipality names of the bundled PC4 lookup (its second column).
fn lookup_names() -> &'static BTreeSet<String> {
    static NAMES: OnceLock<BTreeSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        PC4_LOOKUP
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').nth(1))
            .map(|name| name.trim().to_owned())
            .collect()
    })
}

/// An excerpt of the bundled postcode table, so a lookup input is not dominated by parsing
/// 117 KB: the header, the national (PC2) rows of postcode `10`, and every PC4 row of the first
/// 12 postcodes of the lookup.
fn postcode_excerpt() -> &'static str {
    static EXCERPT: OnceLock<String> = OnceLock::new();
    EXCERPT.get_or_init(|| {
        let pc4: BTreeSet<&str> = PC4_LOOKUP
            .lines()
            .skip(1)
            .take(12)
            .filter_map(|line| line.split(',').next())
            .collect();
        let mut lines = POSTCODE_TABLE.lines();
        let mut excerpt = format!("{}\n", lines.next().expect("a header"));
        for line in lines {
            let postcode = line.split(',').next().unwrap_or("");
            if postcode == "10" || pc4.contains(postcode) {
                excerpt.push_str(line);
                excerpt.push('\n');
            }
        }
        excerpt
    })
}

fn is_probability(value: f64) -> bool {
    (0.0..=1.0).contains(&value)
}

fn is_count(value: f64) -> bool {
    value.is_finite() && value >= 0.0
}

/// Renders an error as users see it: its `Display` and its source chain.
fn render(error: &ParseError) {
    let _ = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        let _ = inner.to_string();
        source = inner.source();
    }
}

/// One value per age for both sexes, each passing `check`.
fn check_table(table: &AgeSexTable, n_ages: usize, check: impl Fn(f64) -> bool) {
    assert_eq!(table.n_ages(), n_ages);
    for sex in Sex::BOTH {
        assert_eq!(table.counts(sex).len(), n_ages);
        for &value in table.counts(sex) {
            assert!(check(value), "{sex}: {value}");
        }
    }
}

/// What `parse_rates` promises: survival and birth survival in 0..=1, fertility ≥ 0 (and 0
/// for men, which it does not store), a positive sex ratio at birth, one value per age.
fn check_parsed_rates(rates: &Rates, n_ages: usize) {
    assert_eq!(rates.n_ages(), n_ages);
    assert!(rates.fertility.iter().all(|&rate| is_count(rate)));
    for sex in Sex::BOTH {
        let survival = rates.survival.of(sex);
        assert_eq!(survival.len(), n_ages);
        assert!(survival.iter().all(|&p| is_probability(p)), "{survival:?}");
        assert!(is_probability(*rates.birth_survival.of(sex)));
    }
    assert!(rates.sex_ratio_at_birth.is_finite() && rates.sex_ratio_at_birth > 0.0);
}

/// What `wpp_rates` promises (via `survival_from_mx`, "results are probabilities (0..=1)",
/// and `graduate`): survival and birth survival in 0..=1, fertility ≥ 0, `N_AGES` values, and
/// the sex ratio at birth as read (a finite number; `wpp_rates` does not require it > 0).
fn check_wpp_rates(entries: &[(leefbaar_model::Year, Rates)], years: &RangeInclusive<u16>) {
    let got: Vec<u16> = entries.iter().map(|(year, _)| year.get()).collect();
    let want: Vec<u16> = years.clone().collect();
    assert_eq!(got, want, "one entry per requested year, in order");
    for (year, rates) in entries {
        assert_eq!(rates.n_ages(), N_AGES);
        assert!(
            rates.fertility.iter().all(|&rate| is_count(rate)),
            "{year}: fertility {:?}",
            rates.fertility
        );
        for sex in Sex::BOTH {
            let survival = rates.survival.of(sex);
            assert_eq!(survival.len(), N_AGES);
            assert!(
                survival.iter().all(|&p| is_probability(p)),
                "{year} {sex}: survival {survival:?}"
            );
            let at_birth = *rates.birth_survival.of(sex);
            assert!(
                is_probability(at_birth),
                "{year} {sex}: birth survival {at_birth}"
            );
        }
        assert!(rates.sex_ratio_at_birth.is_finite());
    }
    if !entries.is_empty() {
        assert!(RateSchedule::new(entries.to_vec()).is_some());
    }
}

fn wpp_years(variant: u8) -> RangeInclusive<u16> {
    match variant {
        0 => 2015..=2044,
        1 => 2019..=2044,
        2 => 2020..=2020,
        _ => 1990..=2100,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (reader, variant) = (selector % 15, (selector / 15) % 4);
    let n_ages = [3, N_AGES, 1, 2][usize::from(variant)];

    // The three `impl Read` parsers take the raw bytes (invalid UTF-8 must be an `Err`).
    match reader {
        0 => {
            match parse_population("fuzz.csv", rest, n_ages) {
                Ok(tables) => {
                    for table in tables.values() {
                        check_table(table, n_ages, is_count);
                    }
                }
                Err(error) => render(&error),
            }
            return;
        }
        1 => {
            match parse_migration("fuzz.csv", rest, n_ages) {
                Ok(tables) => {
                    for table in tables.values() {
                        check_table(table, n_ages, f64::is_finite);
                    }
                }
                Err(error) => render(&error),
            }
            return;
        }
        2 => {
            match parse_rates("fuzz.csv", rest, n_ages) {
                Ok(entries) => {
                    for (_, rates) in &entries {
                        check_parsed_rates(rates, n_ages);
                    }
                    assert!(entries.windows(2).all(|pair| pair[0].0 < pair[1].0));
                    if !entries.is_empty() {
                        assert!(RateSchedule::new(entries).is_some());
                    }
                }
                Err(error) => render(&error),
            }
            return;
        }
        _ => {}
    }

    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let result: Result<(), ParseError> = match reader {
        3 => cbs_kwb_series("fuzz.csv", text).map(|rows| {
            for row in rows.values() {
                assert!(row.inhabitants.is_finite());
                for value in [row.households, row.births_per_1000, row.deaths_per_1000] {
                    assert!(value.is_none_or(f64::is_finite));
                }
            }
        }),
        4 => cbs_kwb_2019_age_groups("fuzz.csv", text).map(|areas| {
            for groups in areas.values() {
                assert!(groups.iter().all(|&count| is_count(count)), "{groups:?}");
            }
        }),
        5 => cbs_lineage("fuzz.csv", text).map(|rows| {
            for row in rows {
                assert!(is_probability(row.share_of_old) && is_probability(row.share_of_new));
            }
        }),
        6 => cbs_provinces("fuzz.csv", text).map(|_| ()),
        7 => cbs_single_age_both_sexes("fuzz.csv", text).map(|areas| {
            for counts in areas.values() {
                assert_eq!(counts.len(), N_AGES);
                // Sums of counts ≥ 0: never negative nor NaN (finiteness is not promised).
                assert!(counts.iter().all(|&count| count >= 0.0), "{counts:?}");
            }
        }),
        8 | 9 => {
            let (postcodes, lookup) = if reader == 8 {
                (text, PC4_LOOKUP)
            } else {
                (postcode_excerpt(), text)
            };
            cbs_sex_shares("postcodes.csv", postcodes, "lookup.csv", lookup).map(|shares| {
                assert!(
                    shares.national.iter().all(|&s| is_probability(s)),
                    "{shares:?}"
                );
                for (name, by_group) in &shares.by_municipality {
                    assert!(
                        by_group.iter().all(|&s| is_probability(s)),
                        "{name}: {by_group:?}"
                    );
                    if reader == 8 {
                        assert!(lookup_names().contains(name), "{name} is not in the lookup");
                    }
                }
                assert_eq!(shares.national.len(), N_GROUPS_5);
            })
        }
        10..=12 => {
            let mut tables = WPP;
            match reader {
                10 => tables.mx = text,
                11 => tables.asfr = text,
                _ => tables.srb = text,
            }
            let years = wpp_years(variant);
            wpp_rates(&tables, years.clone()).map(|entries| check_wpp_rates(&entries, &years))
        }
        13 => wpp_tfr(&WppTables { tfr: text, ..WPP }).map(|tfr| {
            for (median, low, high) in tfr.values() {
                assert!(median.is_finite() && low.is_finite() && high.is_finite());
            }
        }),
        _ => wpp_net_migration(&WppTables {
            net_migration: text,
            ..WPP
        })
        .map(|migration| {
            // Thousands × 1,000: never NaN (finiteness of the product is not promised).
            assert!(migration.values().all(|value| !value.is_nan()));
        }),
    };
    if let Err(error) = result {
        render(&error);
    }
});
