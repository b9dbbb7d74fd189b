//! The projection `leefbaar serve` prepares: Drenthe to 2040 from the bundled
//! `data/projection/` tables (200 bootstrap runs).

use leefbaar_projection::{BundledTables, HeadshipMode, WppTables, netherlands_setup};

macro_rules! table {
    ($name:literal) => {
        include_str!(concat!("../../../../data/projection/", $name))
    };
}

pub fn bundled_projection() -> leefbaar_server::ProjectionData {
    let tables = BundledTables {
        wpp: WppTables {
            mx: table!("wpp2024/nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv"),
            asfr: table!("wpp2024/nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv"),
            srb: table!("wpp2024/nl_sex_ratio_at_birth_annual_2015_2045.csv"),
            tfr: table!("wpp2024/nl_tfr_annual_2015_2045.csv"),
            net_migration: table!("wpp2024/nl_net_migration_annual_1990_2045.csv"),
        },
        single_age_2020: table!("cbs_population_single_age_2020.csv"),
        postcode_2021: table!("cbs_population_postcode_age5_sex_2021.csv"),
        pc4_lookup_2021: table!("cbs_pc4_drenthe_gemeente_lookup_2021.csv"),
        kwb_series: table!("cbs_kwb_gemeenten_2012_2024.csv"),
        kwb_2019_age_groups: table!("cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv"),
        lineage: table!("cbs_gemeenten_lineage_2012_2024.csv"),
        provinces_2024: table!("cbs_gemeenten_provincie_2024.csv"),
    };
    let netherlands = netherlands_setup(&tables, HeadshipMode::NationalTrend).unwrap();
    leefbaar_server::ProjectionData::new(
        &netherlands.setup,
        leefbaar_model::Year::new(2040).unwrap(),
        200,
    )
    .unwrap()
}
