//! The schools monitor (issue 16): DUO's open school data read, joined to the bundled school
//! facilities, summed per municipality (ratios recomputed from their summed parts at province
//! level, never averaged), DUO's `<5` kept as a missing value with its reason, bad rows named by
//! file, line and field, and the krimpcheck's year of crossing. Fixtures are small hand-written
//! tables (labelled FIXTURE), except the join report, which runs on the bundled data.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leefbaar_ingest::{CareSource, SchoolsSpec, read_bundle_spec};
use leefbaar_model::{Area, AreaCode, CellValue, MissingReason, Year};
use leefbaar_monitor::catalogue_for;
use leefbaar_monitor::schools::{Krimpcheck, KrimpcheckParams, ProjectedPupils, Schools};

fn year(y: u16) -> Year {
    Year::new(y).unwrap()
}

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

const LOCATIONS: &str = "vestigingscode,naam,gemeentecode,bepaald_uit
00AA00,FIXTURE basisschool A,GM0106,test
00BB00,FIXTURE basisschool B,GM0114,test
11AA01,FIXTURE vo A,GM0106,test
22BB00,FIXTURE vo B,GM0114,test
";

const FINAL_TEST: &str = "BRIN_NUMMER,VESTIGINGSNUMMER,INSTELLINGSNAAM_VESTIGING,CET_AANTAL,CET_GEM,IEP_AANTAL,IEP_GEM,ROUTE8_AANTAL,ROUTE8_GEM,DIA_AANTAL,DIA_GEM,AMN_AANTAL,AMN_GEM
00AA,00,FIXTURE basisschool A,10,530,0,,0,,0,,0,
00BB,00,FIXTURE basisschool B,30,540,3,,0,,0,,0,
";

const DISADVANTAGE: &str =
    "brin_vestiging,aantal_bekostigde_leerlingen,achterstandsscore,achterstandsscore_zonder_drempel
00AA00,100,0,20
00BB00,300,10,120
";

const DISTANCE: &str =
    "BRIN_NUMMER,VESTIGINGSNUMMER,INSTELLINGSNAAM_VESTIGING,SOORT_PO,AFSTAND,LEERLINGEN
00AA,00,FIXTURE basisschool A,Bo,1000,100
00BB,00,FIXTURE basisschool B,Bo,3000,300
";

const PUPILS: &str = "BRIN NUMMER,VESTIGINGSNUMMER,INSTELLINGSNAAM VESTIGING,ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR,LEER- OF VERBLIJFSJAAR 1 - MAN,LEER- OF VERBLIJFSJAAR 1 - VROUW,LEER- OF VERBLIJFSJAAR 2 - MAN,LEER- OF VERBLIJFSJAAR 2 - VROUW,LEER- OF VERBLIJFSJAAR 3 - MAN,LEER- OF VERBLIJFSJAAR 3 - VROUW,LEER- OF VERBLIJFSJAAR 4 - MAN,LEER- OF VERBLIJFSJAAR 4 - VROUW,LEER- OF VERBLIJFSJAAR 5 - MAN,LEER- OF VERBLIJFSJAAR 5 - VROUW,LEER- OF VERBLIJFSJAAR 6 - MAN,LEER- OF VERBLIJFSJAAR 6 - VROUW
11AA,01,FIXTURE vo A,Brugjaar 1-2,20,20,20,20,0,0,0,0,0,0,0,0
11AA,01,FIXTURE vo A,HAVO/VWO lj 3,0,0,0,0,10,10,0,0,0,0,0,0
11AA,01,FIXTURE vo A,VMBO TL lj 3-4,0,0,0,0,15,15,10,10,0,0,0,0
22BB,00,FIXTURE vo B,Brugjaar 1-2,25,25,25,25,0,0,0,0,0,0,0,0
22BB,00,FIXTURE vo B,HAVO/VWO lj 3,0,0,0,0,30,30,0,0,0,0,0,0
22BB,00,FIXTURE vo B,VMBO BL lj 3-4,0,0,0,0,20,20,0,0,0,0,0,0
";

const EXAMS: &str = "VESTIGINGSCODE,INSTELLINGSNAAM VESTIGING,EXAMENKANDIDATEN SCHOOLJAAR 2018-2019 - TOTAAL,GESLAAGDEN SCHOOLJAAR 2018-2019 - TOTAAL,EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - TOTAAL,GESLAAGDEN SCHOOLJAAR 2019-2020 - TOTAAL
11AA01,FIXTURE vo A,10,9,<5,<5
11AA01,FIXTURE vo A,0,0,12,12
22BB00,FIXTURE vo B,90,72,20,20
";

const EARLY_LEAVERS: &str =
    "SAMENWERKINGSVERBAND_NUMMER,brin_nummer,vestigings_nummer,aantal_leerlingen,vsv_totaal
VO2201,11AA,01,150,3
VO2202,22BB,00,200,1
";

const FACILITIES: &str = "id,name,kind,lon,lat
00AA00,FIXTURE basisschool A,primary_school,6.56,53.00
11AA01,FIXTURE vo A,secondary_school,6.57,53.01
22BB00,FIXTURE vo B,secondary_school,6.90,52.78
";

/// A fixture bundle's `[schools]` in a temporary folder, with `replace` swapping one file's
/// text (by name) for another.
struct Fixture {
    spec: SchoolsSpec,
    _dir: tempfile::TempDir,
}

fn fixture(replace: &[(&str, &str)]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| -> PathBuf {
        let text = replace
            .iter()
            .find(|(file, _)| *file == name)
            .map_or(text, |(_, t)| *t);
        let path = dir.path().join(name);
        fs_err::write(&path, text).unwrap();
        path
    };
    let spec = SchoolsSpec {
        year: year(2019),
        locations: write("locations.csv", LOCATIONS),
        final_test: write("final_test.csv", FINAL_TEST),
        disadvantage: write("disadvantage.csv", DISADVANTAGE),
        distance: write("distance.csv", DISTANCE),
        pupils: write("pupils.csv", PUPILS),
        exams: write("exams.csv", EXAMS),
        early_leavers: write("early_leavers.csv", EARLY_LEAVERS),
        early_leavers_year: year(2015),
        join: vec![("school".to_owned(), write("facilities.csv", FACILITIES))],
        min_pupils: 100,
        horizon: year(2023),
        forecast: None,
        file: "fixture".to_owned(),
        source: CareSource {
            id: "duo_onderwijs_2019".to_owned(),
            table: "FIXTURE".to_owned(),
            licence: "CC0".to_owned(),
            attribution: "FIXTURE".to_owned(),
        },
    };
    Fixture { spec, _dir: dir }
}

fn area(code_text: &str, parent: Option<&str>) -> Area {
    Area {
        code: code(code_text),
        name: code_text.to_owned(),
        parent: parent.map(code),
        first_year: year(2012),
        last_year: year(2024),
        geometry_geojson: None,
    }
}

/// The value of `indicator` for `area` in `year` when the fixture's facts are computed with the
/// Drenthe bundle's catalogue, over Assen, Emmen and De Wolden in Drenthe.
fn computed(schools: &Schools, indicator: &str, area_code: &str, y: u16) -> Option<CellValue> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (spec, _) = read_bundle_spec(&manifest).unwrap();
    let catalogue = catalogue_for(&spec, None, false).unwrap();
    let areas = [
        area("NL01", None),
        area("PV22", Some("NL01")),
        area("GM0106", Some("PV22")),
        area("GM0114", Some("PV22")),
        // De Wolden has no location in the fixture: it counts 0 pupils, so Drenthe's sums are
        // formed (a missing part would leave the province without a value).
        area("GM1690", Some("PV22")),
    ];
    let result = leefbaar_indicators::compute(&catalogue, &areas, &schools.facts(&areas));
    result
        .observations
        .into_iter()
        .find(|o| o.indicator == indicator && o.area.as_str() == area_code && o.year.get() == y)
        .map(|o| o.value)
}

/// (indicator, year, the province's value from summed parts, the mean of the municipalities'
/// values, which it must not be).
fn check_province_ratio(indicator: &str, y: u16, expected: f64, mean_of_ratios: f64) {
    let fixture = fixture(&[]);
    let schools = Schools::read(&fixture.spec).unwrap();
    let value = computed(&schools, indicator, "PV22", y)
        .and_then(CellValue::value)
        .unwrap_or_else(|| panic!("no province value of {indicator} in {y}"));
    assert!(
        (value - expected).abs() < 1e-9,
        "{indicator} {y}: expected {expected} (summed parts), found {value}"
    );
    assert!(
        (value - mean_of_ratios).abs() > 1e-6,
        "{indicator}: a mean of ratios"
    );
}

#[test]
fn province_exam_pass_rate_is_summed_passed_over_summed_candidates_not_the_mean_rate() {
    // Assen 9/10 = 90 %, Emmen 72/90 = 80 %: the province is 81/100, not 85 %.
    check_province_ratio("exam_pass_rate", 2019, 81.0, 85.0);
}

#[test]
fn province_year3_havo_vwo_share_is_summed_parts_not_the_mean_share() {
    // Assen 20/50 = 40 %, Emmen 60/100 = 60 %: the province is 80/150, not 50 %.
    check_province_ratio("share_year3_havo_vwo", 2019, 100.0 * 80.0 / 150.0, 50.0);
}

#[test]
fn province_final_test_mean_is_weighted_by_pupils_tested_within_one_provider() {
    // CET: Assen 10 pupils at 530, Emmen 30 at 540: 537.5, not 535.
    check_province_ratio("final_test_cet_mean", 2019, 537.5, 535.0);
}

#[test]
fn province_home_school_distance_is_weighted_by_pupils() {
    // 100 pupils at 1 km and 300 at 3 km: 2.5 km, not 2 km.
    check_province_ratio("school_distance_primary", 2019, 2.5, 2.0);
}

#[test]
fn province_disadvantage_score_per_pupil_is_summed_scores_over_summed_pupils() {
    // 20/100 and 120/300: 140/400 = 0.35, not 0.3.
    check_province_ratio("disadvantage_score_per_pupil", 2019, 0.35, 0.3);
}

#[test]
fn province_early_leaver_rate_is_summed_leavers_over_summed_pupils() {
    // 3/150 = 2 % and 1/200 = 0.5 %: 4/350, not 1.25 %.
    check_province_ratio("early_leavers_rate", 2015, 400.0 / 350.0, 1.25);
}

#[test]
fn duo_suppressed_count_is_missing_as_secret_never_a_number() {
    let fixture = fixture(&[]);
    let schools = Schools::read(&fixture.spec).unwrap();
    let school = schools.school("11AA01").unwrap();
    let year_2020 = school.exams.iter().find(|e| e.year == year(2020)).unwrap();
    assert_eq!(
        year_2020.candidates,
        CellValue::Missing(MissingReason::Secret)
    );
    assert_eq!(year_2020.passed, CellValue::Missing(MissingReason::Secret));
    assert_eq!(year_2020.suppressed_programmes, 1);
    // The municipality's and the province's rates of that year are missing, not computed from
    // the published part.
    let assen = computed(&schools, "exam_pass_rate", "GM0106", 2020).unwrap();
    assert!(assen.value().is_none(), "{assen:?}");
    let drenthe = computed(&schools, "exam_pass_rate", "PV22", 2020).unwrap();
    assert!(drenthe.value().is_none(), "{drenthe:?}");
    // The rate of the published programmes is there, and says which part it covers: Assen's
    // 12 of 12 and Emmen's 20 of 20.
    assert_eq!(
        computed(&schools, "exam_pass_rate_published", "PV22", 2020).and_then(CellValue::value),
        Some(100.0)
    );
    assert_eq!(year_2020.published_candidates, 12);
    // Emmen, without a suppressed part, has its rate.
    assert_eq!(
        computed(&schools, "exam_pass_rate", "GM0114", 2020).and_then(CellValue::value),
        Some(100.0)
    );
}

#[test]
fn final_test_mean_duo_did_not_publish_is_missing_as_secret() {
    let fixture = fixture(&[]);
    let schools = Schools::read(&fixture.spec).unwrap();
    let iep = schools
        .school("00BB00")
        .unwrap()
        .final_test
        .iter()
        .find(|t| t.provider == "IEP");
    let iep = iep.unwrap();
    assert_eq!(iep.tested, 3);
    assert_eq!(iep.mean, CellValue::Missing(MissingReason::Secret));
}

fn error_of(file: &str, text: &str) -> String {
    let fixture = fixture(&[(file, text)]);
    Schools::read(&fixture.spec).unwrap_err().to_string()
}

#[test]
fn bad_exam_count_names_file_line_and_field() {
    let bad = EXAMS.replace("90,72", "90,7x2");
    let message = error_of("exams.csv", &bad);
    assert!(message.contains("exams.csv, line 4, field `GESLAAGDEN SCHOOLJAAR 2018-2019 - TOTAAL`: expected a whole number of 0 or more, found `7x2`"), "{message}");
}

#[test]
fn passed_above_candidates_names_file_line_and_field() {
    let bad = EXAMS.replace("10,9,", "10,11,");
    let message = error_of("exams.csv", &bad);
    assert!(message.contains("exams.csv, line 2, field `GESLAAGDEN SCHOOLJAAR 2018-2019 - TOTAAL`: expected at most the candidates (10)"), "{message}");
}

#[test]
fn bad_pupil_count_names_file_line_and_field() {
    let bad = PUPILS.replace("0,0,30,30,", "0,0,30,-3,");
    let message = error_of("pupils.csv", &bad);
    assert!(message.contains("pupils.csv, line 6, field `LEER- OF VERBLIJFSJAAR 3 - VROUW`: expected a whole number of 0 or more, found `-3`"), "{message}");
}

#[test]
fn location_without_a_municipality_names_file_and_line() {
    let bad = format!("{DISADVANTAGE}99ZZ00,10,0,1\n");
    let message = error_of("disadvantage.csv", &bad);
    assert!(
        message.contains("disadvantage.csv, line 4: expected a location of"),
        "{message}"
    );
    assert!(message.contains("found `99ZZ00`"), "{message}");
}

fn projected(series: &[(&str, &[(u16, f64)])]) -> ProjectedPupils {
    series
        .iter()
        .map(|(area, values)| {
            (
                code(area),
                values.iter().map(|&(y, v)| (year(y), v)).collect(),
            )
        })
        .collect()
}

#[test]
fn krimpcheck_crossing_year_is_the_first_year_below_the_threshold() {
    // FIXTURE vo A: 150 pupils (40 + 40 + 20 + 30 + 20); Assen's 12–17-year-olds 1000 → 900
    // → 700 → 600, so 150, 135, 105, 90 pupils: below 100 from 2023. FIXTURE vo B: 200 pupils
    // and Emmen constant: never below.
    let fixture = fixture(&[]);
    let schools = Schools::read(&fixture.spec).unwrap();
    let young = projected(&[
        (
            "GM0106",
            &[(2020, 1000.0), (2021, 900.0), (2022, 700.0), (2023, 600.0)],
        ),
        (
            "GM0114",
            &[(2020, 500.0), (2021, 500.0), (2022, 500.0), (2023, 500.0)],
        ),
    ]);
    let params = KrimpcheckParams {
        min_pupils: 100,
        reference_year: year(2020),
        horizon: year(2023),
    };
    let check = Krimpcheck::compute(&schools, &young, params, None);
    let a = check.locations.iter().find(|l| l.code == "11AA01").unwrap();
    assert_eq!(a.pupils_counted, 150);
    let pupils: Vec<f64> = a.years.iter().map(|y| y.pupils).collect();
    assert_eq!(pupils, [150.0, 135.0, 105.0, 90.0]);
    assert_eq!(a.below_from, Some(year(2023)));
    let b = check.locations.iter().find(|l| l.code == "22BB00").unwrap();
    assert_eq!(b.pupils_counted, 200);
    assert_eq!(b.below_from, None);
    let crossing: Vec<&str> = check.crossing().iter().map(|l| l.code.as_str()).collect();
    assert_eq!(crossing, ["11AA01"]);
}

#[test]
fn krimpcheck_shows_a_supplied_forecast_beside_its_own() {
    let fixture = fixture(&[]);
    let schools = Schools::read(&fixture.spec).unwrap();
    let young = projected(&[("GM0106", &[(2020, 1000.0), (2021, 1000.0)])]);
    let forecasts: BTreeMap<String, Vec<(Year, f64)>> = [(
        "11AA01".to_owned(),
        vec![(year(2020), 140.0), (year(2021), 95.0)],
    )]
    .into_iter()
    .collect();
    let params = KrimpcheckParams {
        min_pupils: 100,
        reference_year: year(2020),
        horizon: year(2021),
    };
    let check = Krimpcheck::compute(&schools, &young, params, Some(&forecasts));
    let a = check.locations.iter().find(|l| l.code == "11AA01").unwrap();
    let forecast: Vec<Option<f64>> = a.years.iter().map(|y| y.forecast).collect();
    assert_eq!(forecast, [Some(140.0), Some(95.0)]);
    assert_eq!(a.below_from, None);
    assert_eq!(a.forecast_below_from, Some(year(2021)));
    // Emmen has no projection here, so FIXTURE vo B is left out with its reason.
    assert_eq!(check.left_out.len(), 1);
    assert_eq!(check.left_out[0].0, "22BB00");
}

#[test]
fn join_report_of_the_bundled_data() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (spec, _) = read_bundle_spec(&manifest).unwrap();
    let schools = Schools::read(spec.schools.as_ref().unwrap()).unwrap();
    let counts: Vec<String> = schools
        .join
        .files
        .iter()
        .map(|f| format!("{}: {} of {}", f.file.as_str(), f.matched, f.locations))
        .collect();
    assert_eq!(
        counts,
        [
            "final_test: 248 of 268",
            "disadvantage: 250 of 259",
            "distance: 250 of 282",
            "pupils: 38 of 44",
            "exams: 31 of 38",
            "early_leavers: 28 of 34",
        ]
    );
    assert_eq!((schools.join.matched, schools.join.locations), (288, 330));
    // A known location: rsg de Borgen, Roden (Noordenveld), 00DI01.
    let borgen = schools.school("00DI01").unwrap();
    assert_eq!(borgen.municipality.as_str(), "GM1699");
    assert!(borgen.point.is_some());
    assert!(
        borgen
            .facility_kinds
            .contains(&"havo_vwo_school".to_owned())
    );
}
