//! The bundled SYNTHETIC citizens' panel, as `leefbaar serve` loads it.

use leefbaar_server::{SurveyData, SurveyInput};

pub fn bundled_survey() -> SurveyData {
    SurveyData::load(SurveyInput {
        schema_file: "burgerpanel_2018_schema.toml",
        schema: include_str!("../../../../data/survey/burgerpanel_2018_schema.toml"),
        panel_file: "burgerpanel_2018_synthetic.csv",
        panel: include_bytes!("../../../../data/survey/burgerpanel_2018_synthetic.csv"),
        margins_file: "population_2019_adults.csv",
        margins: include_bytes!("../../../../data/survey/population_2019_adults.csv"),
        synthetic: true,
    })
    .unwrap()
}
