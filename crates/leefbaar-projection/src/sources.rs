//! Readers for the bundled national and CBS tables in `data/projection/` (see its SOURCE.md),
//! and the derivation of single-year rates from UN WPP 2024.
//!
//! All functions take the table text (`&str`) so that the binary, tests and benches decide how
//! to obtain it; nothing here opens a file.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, Year};

use crate::error::ParseError;
use crate::parse::CsvTable;
use crate::rates::{AbridgedRate, Interpolation, Rates, graduate, survival_from_mx};
use crate::table::{AgeSexTable, BySex, N_AGES, Sex};

/// The 12 municipalities of Drenthe (PV22), unchanged 2012–2024.
pub const DRENTHE: [&str; 12] = [
    "GM0106", "GM0109", "GM0114", "GM0118", "GM0119", "GM1680", "GM1681", "GM1690", "GM1699",
    "GM1701", "GM1730", "GM1731",
];

/// Oost-Drenthe, an *anticipeerregio*: Aa en Hunze, Borger-Odoorn, Coevorden, Emmen.
pub const OOST_DRENTHE: [&str; 4] = ["GM1680", "GM1681", "GM0109", "GM0114"];

fn bytes(text: &str) -> &[u8] {
    text.as_bytes()
}

/// WPP abridged death rates by 5-year period start and sex.
fn wpp_mx(name: &str, text: &str) -> Result<BTreeMap<u16, BySex<Vec<AbridgedRate>>>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let (period_col, age_col, male_col, female_col) = (
        table.column("period")?,
        table.column("age_start")?,
        table.column("mxM")?,
        table.column("mxF")?,
    );
    let mut periods: BTreeMap<u16, BySex<Vec<AbridgedRate>>> = BTreeMap::new();
    for row in &table.rows {
        let period = table.field(row, period_col);
        let start = period
            .text
            .get(..4)
            .and_then(|year| year.parse::<u16>().ok())
            .ok_or_else(|| period.bad("a period such as 2020-2025"))?;
        let age_start = table.field(row, age_col).whole()?;
        let width = match age_start {
            0 => Some(1),
            1 => Some(4),
            100.. => None,
            _ => Some(5),
        };
        let entry = periods.entry(start).or_default();
        for (sex, col) in [(Sex::Male, male_col), (Sex::Female, female_col)] {
            entry.of_mut(sex).push(AbridgedRate {
                age_start,
                width,
                rate: table.field(row, col).count()?,
            });
        }
    }
    Ok(periods)
}

/// WPP age-specific fertility by 5-year group (`10-14` … `50-54`) per year.
fn wpp_asfr(name: &str, text: &str) -> Result<BTreeMap<u16, Vec<AbridgedRate>>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let (year_col, group_col, asfr_col) = (
        table.column("year")?,
        table.column("age_group")?,
        table.column("asfr")?,
    );
    let mut years: BTreeMap<u16, Vec<AbridgedRate>> = BTreeMap::new();
    for row in &table.rows {
        let year = table.field(row, year_col).whole()?;
        let group = table.field(row, group_col);
        let age_start = group
            .text
            .split('-')
            .next()
            .and_then(|age| age.parse::<usize>().ok())
            .ok_or_else(|| group.bad("an age group such as 25-29"))?;
        years
            .entry(u16::try_from(year).map_err(|_| table.field(row, year_col).bad("a year"))?)
            .or_default()
            .push(AbridgedRate {
                age_start,
                width: Some(5),
                rate: table.field(row, asfr_col).count()?,
            });
    }
    Ok(years)
}

/// A `year,<column>` table as a map.
fn yearly(name: &str, text: &str, column: &str) -> Result<BTreeMap<u16, Option<f64>>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let (year_col, value_col) = (table.column("year")?, table.column(column)?);
    let mut values = BTreeMap::new();
    for row in &table.rows {
        let year_field = table.field(row, year_col);
        let year = u16::try_from(year_field.whole()?).map_err(|_| year_field.bad("a year"))?;
        values.insert(year, table.field(row, value_col).optional_number()?);
    }
    Ok(values)
}

/// The bundled WPP 2024 tables, as text.
#[derive(Debug, Clone, Copy)]
pub struct WppTables<'a> {
    /// `nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv`.
    pub mx: &'a str,
    /// `nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv`.
    pub asfr: &'a str,
    /// `nl_sex_ratio_at_birth_annual_2015_2045.csv`.
    pub srb: &'a str,
    /// `nl_tfr_annual_2015_2045.csv`.
    pub tfr: &'a str,
    /// `nl_net_migration_annual_1990_2045.csv`.
    pub net_migration: &'a str,
}

/// Single-year national rates for each year in `years`, derived from UN WPP 2024.
///
/// - Survival: the abridged death rates of the 5-year period containing the year (e.g.
///   2020-2025 for 2020–2024), graduated to single ages 0–99 and 100+ with
///   [`graduate`] (log-linear, group means kept), then [`survival_from_mx`].
/// - Fertility: the year's ASFR by 5-year group (10–14 … 50–54), graduated linearly with group
///   means kept, so the total fertility rate equals WPP's.
/// - Sex ratio at birth: WPP's value for the year.
///
/// # Units
/// See [`Rates`].
///
/// # References
/// United Nations, DESA, Population Division (2024), *World Population Prospects 2024*
/// (R package `wpp2024` 1.1-3, tables `mx5dt`, `percentASFR5`, `tfr1dt`, `sexRatio1dt`).
pub fn wpp_rates(
    tables: &WppTables<'_>,
    years: std::ops::RangeInclusive<u16>,
) -> Result<Vec<(Year, Rates)>, ParseError> {
    let mx = wpp_mx("nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv", tables.mx)?;
    let asfr = wpp_asfr(
        "nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv",
        tables.asfr,
    )?;
    let srb = yearly(
        "nl_sex_ratio_at_birth_annual_2015_2045.csv",
        tables.srb,
        "srb",
    )?;
    let mut entries = Vec::new();
    for year in years {
        let missing = |table: &str| ParseError::BadValue {
            table: table.to_owned(),
            line: 0,
            field: "year".to_owned(),
            expected: "a row for every projection year",
            found: year.to_string(),
        };
        let (_, period) = mx
            .range(..=year)
            .next_back()
            .ok_or_else(|| missing("WPP mx"))?;
        let mut survival = BySex::<Vec<f64>>::default();
        let mut birth_survival = BySex::<f64>::default();
        for sex in Sex::BOTH {
            let single = graduate(period.of(sex), N_AGES, Interpolation::LogLinear);
            let (by_age, at_birth) = survival_from_mx(&single, sex);
            *survival.of_mut(sex) = by_age;
            *birth_survival.of_mut(sex) = at_birth;
        }
        let groups = asfr.get(&year).ok_or_else(|| missing("WPP ASFR"))?;
        let fertility = graduate(groups, N_AGES, Interpolation::Linear);
        let sex_ratio_at_birth = srb
            .get(&year)
            .copied()
            .flatten()
            .ok_or_else(|| missing("WPP sex ratio at birth"))?;
        if sex_ratio_at_birth <= 0.0 {
            return Err(ParseError::BadValue {
                table: "nl_sex_ratio_at_birth_annual_2015_2045.csv".to_owned(),
                line: 0,
                field: "srb".to_owned(),
                expected: "a positive sex ratio at birth",
                found: format!("{sex_ratio_at_birth} in {year}"),
            });
        }
        entries.push((
            Year::new(year).map_err(|_| missing("projection years"))?,
            Rates {
                survival,
                birth_survival,
                fertility,
                sex_ratio_at_birth,
            },
        ));
    }
    Ok(entries)
}

/// WPP's total fertility: median and the UN low/high variants (±0.25 child in 2024 widening to
/// ±0.5), as `(median, low, high)`; estimate years have no variants (`low = high = median`).
///
/// # Units
/// Children per woman.
pub fn wpp_tfr(tables: &WppTables<'_>) -> Result<BTreeMap<u16, (f64, f64, f64)>, ParseError> {
    let name = "nl_tfr_annual_2015_2045.csv";
    let median = yearly(name, tables.tfr, "tfr")?;
    let low = yearly(name, tables.tfr, "tfr_low")?;
    let high = yearly(name, tables.tfr, "tfr_high")?;
    Ok(median
        .into_iter()
        .filter_map(|(year, median)| {
            let median = median?;
            let low = low.get(&year).copied().flatten().unwrap_or(median);
            let high = high.get(&year).copied().flatten().unwrap_or(median);
            Some((year, (median, low, high)))
        })
        .collect())
}

/// WPP's total net migration of the Netherlands per calendar year (estimates to 2023, median
/// projection after).
///
/// # Units
/// Persons per year (WPP publishes thousands; multiplied by 1,000 here).
pub fn wpp_net_migration(tables: &WppTables<'_>) -> Result<BTreeMap<u16, f64>, ParseError> {
    let values = yearly(
        "nl_net_migration_annual_1990_2045.csv",
        tables.net_migration,
        "mig",
    )?;
    Ok(values
        .into_iter()
        .filter_map(|(year, value)| Some((year, value? * 1000.0)))
        .collect())
}

/// Population by single age (both sexes) per municipality from the CBS table of 1 January
/// 2020 (`gemeentecode,leeftijd,aantal`); ages 100–105 are added into the open class 100+.
///
/// # Units
/// Persons.
pub fn cbs_single_age_both_sexes(
    name: &str,
    text: &str,
) -> Result<BTreeMap<AreaCode, Vec<f64>>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let (code_col, age_col, count_col) = (
        table.column("gemeentecode")?,
        table.column("leeftijd")?,
        table.column("aantal")?,
    );
    let mut areas: BTreeMap<AreaCode, Vec<f64>> = BTreeMap::new();
    for row in &table.rows {
        let code = table.field(row, code_col).area()?;
        let age = table.field(row, age_col).whole()?.min(N_AGES - 1);
        let count = table.field(row, count_col).count()?;
        areas.entry(code).or_insert_with(|| vec![0.0; N_AGES])[age] += count;
    }
    Ok(areas)
}

/// The number of 5-year groups in the CBS postcode table (`0-4` … `90-94`, `95+`).
pub const N_GROUPS_5: usize = 20;

/// Male shares by 5-year age group: nationally (from the PC2 rows) and per municipality name
/// (from the PC4 rows of the Drenthe lookup), 1 January 2021.
#[derive(Debug, Clone, PartialEq)]
pub struct SexShares {
    /// Male share per group, the Netherlands.
    pub national: [f64; N_GROUPS_5],
    /// Male share per group per municipality name (2021 names).
    pub by_municipality: BTreeMap<String, [f64; N_GROUPS_5]>,
}

/// Reads the CBS 2021 postcode × 5-year age × sex table and the PC4 → gemeente lookup.
///
/// CBS rounds these counts to multiples of 5 and suppresses small postcodes; shares over a
/// whole municipality are barely affected.
pub fn cbs_sex_shares(
    postcode_name: &str,
    postcode_text: &str,
    lookup_name: &str,
    lookup_text: &str,
) -> Result<SexShares, ParseError> {
    let lookup = CsvTable::read(lookup_name, bytes(lookup_text))?;
    let (pc_col, gm_col) = (lookup.column("postcode")?, lookup.column("gemeente")?);
    let pc4_to_gemeente: BTreeMap<String, String> = lookup
        .rows
        .iter()
        .map(|row| {
            (
                lookup.field(row, pc_col).text.to_owned(),
                lookup.field(row, gm_col).text.to_owned(),
            )
        })
        .collect();
    let table = CsvTable::read(postcode_name, bytes(postcode_text))?;
    let (pc_col, age_col, male_col, female_col) = (
        table.column("postcode")?,
        table.column("leeftijd")?,
        table.column("inwoners_man")?,
        table.column("inwoners_vrouw")?,
    );
    let mut national = [[0.0; 2]; N_GROUPS_5];
    let mut by_municipality: BTreeMap<String, [[f64; 2]; N_GROUPS_5]> = BTreeMap::new();
    for row in &table.rows {
        let postcode = table.field(row, pc_col).text;
        let age_field = table.field(row, age_col);
        let group = age_field
            .text
            .trim_end_matches('+')
            .split('-')
            .next()
            .and_then(|age| age.parse::<usize>().ok())
            .map(|age| age / 5)
            .filter(|group| *group < N_GROUPS_5)
            .ok_or_else(|| age_field.bad("an age group such as 25-29 or 95+"))?;
        let men = table.field(row, male_col).count()?;
        let women = table.field(row, female_col).count()?;
        let target = if postcode.len() == 2 {
            &mut national[group]
        } else if let Some(gemeente) = pc4_to_gemeente.get(postcode) {
            &mut by_municipality
                .entry(gemeente.clone())
                .or_insert([[0.0; 2]; N_GROUPS_5])[group]
        } else {
            continue;
        };
        target[0] += men;
        target[1] += women;
    }
    let share = |counts: [[f64; 2]; N_GROUPS_5], fallback: &[f64; N_GROUPS_5]| {
        let mut shares = [0.5; N_GROUPS_5];
        for (group, [men, women]) in counts.into_iter().enumerate() {
            shares[group] = if men + women > 0.0 {
                men / (men + women)
            } else {
                fallback[group]
            };
        }
        shares
    };
    let national = share(national, &[0.5; N_GROUPS_5]);
    let by_municipality = by_municipality
        .into_iter()
        .map(|(name, counts)| (name, share(counts, &national)))
        .collect();
    Ok(SexShares {
        national,
        by_municipality,
    })
}

/// Splits a both-sexes single-age population by sex with male shares per 5-year group.
///
/// Each single age gets the male share of its 5-year group (95+ for 95–100+).
///
/// # Units
/// Persons in, persons out; shares are fractions.
pub fn split_by_sex(both_sexes: &[f64], male_share: &[f64; N_GROUPS_5]) -> AgeSexTable {
    let n_ages = both_sexes.len();
    let mut table = AgeSexTable::zeros(n_ages);
    for (age, count) in both_sexes.iter().enumerate() {
        let share = male_share[(age / 5).min(N_GROUPS_5 - 1)];
        table.counts_mut(Sex::Male)[age] = count * share;
        table.counts_mut(Sex::Female)[age] = count * (1.0 - share);
    }
    table
}

/// One municipality in one KWB edition.
#[derive(Debug, Clone, PartialEq)]
pub struct KwbRow {
    /// Municipality name.
    pub name: String,
    /// Residents on 1 January.
    pub inhabitants: f64,
    /// Private households, if published.
    pub households: Option<f64>,
    /// Live births per 1,000 residents during the year, if published (KWB 2022 only,
    /// rounded to whole numbers; used for diagnosis).
    pub births_per_1000: Option<f64>,
    /// Deaths per 1,000 residents during the year, if published (as `births_per_1000`).
    pub deaths_per_1000: Option<f64>,
}

/// The KWB municipality series (`cbs_kwb_gemeenten_2012_2024.csv`) by year and code.
pub fn cbs_kwb_series(
    name: &str,
    text: &str,
) -> Result<BTreeMap<(u16, AreaCode), KwbRow>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let (year_col, code_col, name_col, inhabitants_col, households_col) = (
        table.column("jaar")?,
        table.column("gemeentecode")?,
        table.column("gemeentenaam")?,
        table.column("aantal_inwoners")?,
        table.column("huishoudens")?,
    );
    // Optional columns: older trims of the table lack them.
    let births_col = table.column("geboorte_relatief").ok();
    let deaths_col = table.column("sterfte_relatief").ok();
    let mut rows = BTreeMap::new();
    for row in &table.rows {
        let year_field = table.field(row, year_col);
        let year = u16::try_from(year_field.whole()?).map_err(|_| year_field.bad("a year"))?;
        let code = table.field(row, code_col).area()?;
        let Some(inhabitants) = table.field(row, inhabitants_col).optional_number()? else {
            continue;
        };
        rows.insert(
            (year, code),
            KwbRow {
                name: table.field(row, name_col).text.to_owned(),
                inhabitants,
                households: table.field(row, households_col).optional_number()?,
                births_per_1000: match births_col {
                    Some(col) => table.field(row, col).optional_number()?,
                    None => None,
                },
                deaths_per_1000: match deaths_col {
                    Some(col) => table.field(row, col).optional_number()?,
                    None => None,
                },
            },
        );
    }
    Ok(rows)
}

/// KWB 2019 residents per municipality in the five age groups 0–14, 15–24, 25–44, 45–64, 65+.
pub fn cbs_kwb_2019_age_groups(
    name: &str,
    text: &str,
) -> Result<BTreeMap<AreaCode, [f64; 5]>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let code_col = table.column("unique_id")?;
    let group_cols = [
        table.column("b_00_14")?,
        table.column("b_15_24")?,
        table.column("b_25_44")?,
        table.column("b_45_64")?,
        table.column("b_65_oo")?,
    ];
    let mut areas = BTreeMap::new();
    for row in &table.rows {
        let code = table.field(row, code_col).area()?;
        let mut groups = [0.0; 5];
        for (value, col) in groups.iter_mut().zip(group_cols) {
            *value = table.field(row, col).count()?;
        }
        areas.insert(code, groups);
    }
    Ok(areas)
}

/// One row of the boundary-overlay lineage between two years.
#[derive(Debug, Clone, PartialEq)]
pub struct LineageRow {
    /// The earlier year.
    pub year_old: u16,
    /// The municipality in the earlier year.
    pub code_old: AreaCode,
    /// The later year.
    pub year_new: u16,
    /// The municipality in the later year it overlaps.
    pub code_new: AreaCode,
    /// Share of the old municipality's area lying in the new one.
    pub share_of_old: f64,
    /// Share of the new municipality's area coming from the old one.
    pub share_of_new: f64,
}

/// The overlay lineage table (`cbs_gemeenten_lineage_2012_2024.csv`).
pub fn cbs_lineage(name: &str, text: &str) -> Result<Vec<LineageRow>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let cols = [
        table.column("jaar_oud")?,
        table.column("gemeentecode_oud")?,
        table.column("jaar_nieuw")?,
        table.column("gemeentecode_nieuw")?,
        table.column("aandeel_van_oud")?,
        table.column("aandeel_van_nieuw")?,
    ];
    let mut rows = Vec::new();
    for row in &table.rows {
        let year = |col| -> Result<u16, ParseError> {
            let field = table.field(row, col);
            u16::try_from(field.whole()?).map_err(|_| field.bad("a year"))
        };
        rows.push(LineageRow {
            year_old: year(cols[0])?,
            code_old: table.field(row, cols[1]).area()?,
            year_new: year(cols[2])?,
            code_new: table.field(row, cols[3]).area()?,
            share_of_old: table.field(row, cols[4]).probability()?,
            share_of_new: table.field(row, cols[5]).probability()?,
        });
    }
    Ok(rows)
}

/// The province of each municipality of 2024 (`cbs_gemeenten_provincie_2024.csv`:
/// `gemeentecode,provinciecode,provincienaam`), as municipality code → province code.
pub fn cbs_provinces(name: &str, text: &str) -> Result<BTreeMap<AreaCode, AreaCode>, ParseError> {
    let table = CsvTable::read(name, bytes(text))?;
    let (municipality, province) = (
        table.column("gemeentecode")?,
        table.column("provinciecode")?,
    );
    table
        .rows
        .iter()
        .map(|row| {
            Ok((
                table.field(row, municipality).area()?,
                table.field(row, province).area()?,
            ))
        })
        .collect()
}
