//! The bundled tables of `data/projection/`, compiled in so the tests do no IO.

use leefbaar_projection::{
    BundledTables, HeadshipMode, NetherlandsSetup, WppTables, netherlands_setup,
};

/// The bundled tables as text.
pub fn bundled() -> BundledTables<'static> {
    BundledTables {
        wpp: WppTables {
            mx: include_str!(
                "../../../../data/projection/wpp2024/nl_mx_abridged_by_sex_5yr_periods_2015_2045.csv"
            ),
            asfr: include_str!(
                "../../../../data/projection/wpp2024/nl_fertility_pasfr_asfr_by_age5_annual_2015_2045.csv"
            ),
            srb: include_str!(
                "../../../../data/projection/wpp2024/nl_sex_ratio_at_birth_annual_2015_2045.csv"
            ),
            tfr: include_str!("../../../../data/projection/wpp2024/nl_tfr_annual_2015_2045.csv"),
            net_migration: include_str!(
                "../../../../data/projection/wpp2024/nl_net_migration_annual_1990_2045.csv"
            ),
        },
        single_age_2020: include_str!(
            "../../../../data/projection/cbs_population_single_age_2020.csv"
        ),
        postcode_2021: include_str!(
            "../../../../data/projection/cbs_population_postcode_age5_sex_2021.csv"
        ),
        pc4_lookup_2021: include_str!(
            "../../../../data/projection/cbs_pc4_drenthe_gemeente_lookup_2021.csv"
        ),
        kwb_series: include_str!("../../../../data/projection/cbs_kwb_gemeenten_2012_2024.csv"),
        kwb_2019_age_groups: include_str!(
            "../../../../data/projection/cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv"
        ),
        lineage: include_str!("../../../../data/projection/cbs_gemeenten_lineage_2012_2024.csv"),
        provinces_2024: include_str!(
            "../../../../data/projection/cbs_gemeenten_provincie_2024.csv"
        ),
    }
}

/// The national set-up with the default (trended) headship.
pub fn netherlands() -> NetherlandsSetup {
    netherlands_setup(&bundled(), HeadshipMode::NationalTrend).expect("bundled tables are valid")
}
