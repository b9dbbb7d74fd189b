//! The bundled SYNTHETIC citizens' panel, as `leefbaar serve` loads it: from the files and the
//! notice the bundle's manifest declares.

use leefbaar_monitor::survey::SurveyMonitor;

pub fn bundled_survey() -> SurveyMonitor {
    SurveyMonitor::load(&bundled_spec()).unwrap()
}

/// The bundle's `[survey]` section.
pub fn bundled_spec() -> leefbaar_ingest::SurveySpec {
    let manifest =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (spec, _) = leefbaar_ingest::read_bundle_spec(&manifest).unwrap();
    spec.survey.expect("the bundle declares a panel")
}
