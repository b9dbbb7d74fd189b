//! # Brief overview
//!
//! Cohort-component population projection for Dutch municipalities: single years of age
//! 0–100+, two sexes, yearly steps. Pure compute: every function takes values (or table text)
//! and returns values; reading files is the caller's job.
//!
//! - [`AgeSexTable`], [`Sex`], [`BySex`]: persons by single age and sex, the last age open.
//! - [`Rates`] and [`RateSchedule`]: survival, fertility and sex ratio at birth per year;
//!   [`graduate`] and [`survival_from_mx`] turn UN WPP's abridged tables into single years
//!   ([`wpp_rates`]).
//! - [`project_one_year`] and [`project`]: the cohort-component step and a run over years.
//! - [`estimate_migration`]: net migration by age and sex with the residual method;
//!   [`backcast_one_year`], [`residual_per_year`] and [`shift_to_level`] are its parts.
//! - [`Headship`], [`classify`], [`KrimpClass`]: households and the krimp criteria.
//! - [`ProjectionSetup`], [`Variant`], [`bootstrap`]: variants and intervals over many areas;
//!   [`YearOutput`] holds the projected indicators.
//! - [`netherlands_setup`] and [`netherlands_setup_with`] ([`SetupParams`],
//!   [`MigrationParams`], [`RateBasis`]): the national assembly from the bundled data in
//!   `data/projection/`, for production or as known at an earlier base year;
//!   [`backtest_2020`] (validation) and [`backtest_2024`] (test) compare with the register.
//! - [`parse_population`], [`parse_migration`], [`parse_rates`]: validated CSV inputs.
//!
//! A two-year projection of a tiny population with three age classes (0, 1, 2+):
//!
//! ```
//! use leefbaar_model::Year;
//! use leefbaar_projection::{AgeSexTable, BySex, RateSchedule, Rates, project};
//!
//! let base = AgeSexTable::from_counts(vec![100.0, 100.0, 100.0], vec![100.0, 100.0, 100.0]).unwrap();
//! let rates = Rates {
//!     survival: BySex { male: vec![1.0, 1.0, 0.5], female: vec![1.0, 1.0, 0.5] },
//!     birth_survival: BySex { male: 1.0, female: 1.0 },
//!     fertility: vec![0.0, 0.5, 0.0],
//!     sex_ratio_at_birth: 1.0,
//! };
//! let no_migration = AgeSexTable::zeros(3);
//! let run = project(&base, Year::new(2020)?, 2, &RateSchedule::constant(rates), &[&no_migration])?;
//! // The open class 2+ keeps half of itself and gains the whole of age 1.
//! assert_eq!(run.populations[1].get(leefbaar_projection::Sex::Female, 2), 150.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod engine;
mod error;
mod households;
mod migration;
mod netherlands;
mod parse;
mod prevalence;
mod rates;
mod scenario;
mod sources;
mod table;

#[cfg(test)]
mod tests;

pub use engine::{StepTotals, Trajectory, project, project_one_year};
pub use error::{ParseError, ProjectionError};
pub use households::{
    ANTICIPEER_FALL, Classification, GROWTH_RISE, Headship, KRIMP_HOUSEHOLD_FALL,
    KRIMP_POPULATION_FALL, KrimpClass, classify,
};
pub use migration::{
    KWB_AGE_GROUPS, MigrationEstimate, ResidualInputs, backcast_one_year, estimate_migration,
    residual_per_year, shift_to_level,
};
pub use netherlands::{
    Backtest, BacktestRow, BundledTables, Finding, HeadshipMode, LevelRule, MigrationParams,
    N_BUNDLED_FILES, NationalMigration, NetherlandsSetup, RateBasis, SetupParams, backtest_2020,
    backtest_2024, netherlands_setup, netherlands_setup_with, province_of_2020,
};
pub use parse::{age_label, parse_migration, parse_population, parse_rates, write_rates};
pub use prevalence::{Prevalence, PrevalenceBand};
pub use rates::{AbridgedRate, Interpolation, RateSchedule, Rates, graduate, survival_from_mx};
pub use scenario::{
    AreaInputs, BLOCK_YEARS, BootstrapParams, BootstrapResult, Interval, ProjectionOutputs,
    ProjectionSetup, Region, Variant, YearOutput, bootstrap, classify_series,
    informal_care_potential, projection_outputs, region_outputs,
};
pub use sources::{
    DRENTHE, KwbRow, LineageRow, N_GROUPS_5, OOST_DRENTHE, SexShares, WppTables,
    cbs_kwb_2019_age_groups, cbs_kwb_series, cbs_lineage, cbs_provinces, cbs_sex_shares,
    cbs_single_age_both_sexes, split_by_sex, wpp_net_migration, wpp_rates, wpp_tfr,
};
pub use table::{AgeSexTable, BySex, N_AGES, Sex};
