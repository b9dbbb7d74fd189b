//! Writes the single-year national rate table derived from UN WPP 2024:
//! `data/projection/derived/nl_rates_2019_2044.csv`.
//!
//! Run from anywhere: `cargo run -p leefbaar-projection --example derive_rates`. The test
//! `committed_rate_table_is_what_the_derivation_writes` fails when the committed file differs.

use std::path::PathBuf;

use leefbaar_projection::{WppTables, wpp_rates, write_rates};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/projection");
    let read = |name: &str| fs_err::read_to_string(data.join("wpp2024").join(name));
    let (mx, asfr, srb, tfr, net_migration) = (
        read("nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv")?,
        read("nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv")?,
        read("nl_sex_ratio_at_birth_annual_2015_2045.csv")?,
        read("nl_tfr_annual_2015_2045.csv")?,
        read("nl_net_migration_annual_1990_2045.csv")?,
    );
    let tables = WppTables {
        mx: &mx,
        asfr: &asfr,
        srb: &srb,
        tfr: &tfr,
        net_migration: &net_migration,
    };
    let rates = wpp_rates(&tables, 2019..=2044)?;
    let out = data.join("derived/nl_rates_2019_2044.csv");
    fs_err::create_dir_all(data.join("derived"))?;
    fs_err::write(&out, write_rates(&rates))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
