//! Manifests written inline: the mapping from columns to variables is data, and mistakes in it
//! (unknown keys, bad formulas, two values for one cell) are reported, not ignored.

use leefbaar_ingest::{Bundle, ImportError, load_manifest};
use leefbaar_model::{CellValue, Method, MissingReason};

/// The one place these tests call the loader: writes the manifest and its files to a temporary
/// directory and loads it. Messages name files relative to that directory as `[TEMPDIR]`.
fn load_inline(manifest: &str, files: &[(&str, &str)]) -> Result<Bundle, String> {
    let directory = tempfile::tempdir().unwrap();
    for (name, content) in files {
        fs_err::write(directory.path().join(name), content).unwrap();
    }
    let path = directory.path().join("manifest.toml");
    fs_err::write(&path, manifest).unwrap();
    load_manifest(&path).map_err(|error: ImportError| {
        error
            .to_string()
            .replace(&directory.path().display().to_string(), "[TEMPDIR]")
    })
}

const HEADER: &str = r#"
[bundle]
id = "test"
name = "Test"
version = "1"
province = "PV22"

[country]
code = "NL01"
name = "Nederland"
years = [2023, 2024]

[[source]]
id = "kwb"
file = "kwb.csv"
table = "KWB"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "gemeentecode"
year_column = "jaar"
"#;

const KWB: &str = "jaar,gemeentecode,gemeentenaam,aantal_inwoners,65plus,opp_land,dichtheid\n\
2023,GM0106,Assen,69414,21,,840\n\
2024,GM0106,Assen,69701,x,8290,841\n\
2024,GM1680,Aa en Hunze,25845,28,27606,0\n";

const AREAS: &str = r#"
[[areas]]
source = "kwb"
name = "gemeentenaam"
"#;

#[test]
fn formulas_map_columns_to_variables_with_their_method() {
    let manifest = format!(
        r#"{HEADER}
[[source.fact]]
variable = "inhabitants_65_plus"
formula = "65plus / 100 * aantal_inwoners"
[[source.fact]]
variable = "land_area_km2"
formula = "opp_land / 100"
fallback = "aantal_inwoners / dichtheid"
{AREAS}"#
    );
    let bundle = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap();
    let value = |area: &str, year: u16, variable: &str| {
        let fact = bundle
            .facts
            .iter()
            .find(|f| f.area.as_str() == area && f.year.get() == year && f.variable == variable)
            .unwrap();
        (fact.value, fact.method, fact.rows[0].line)
    };
    assert_eq!(
        value("GM0106", 2023, "inhabitants_65_plus"),
        (CellValue::Value(0.21 * 69_414.0), Method::Reconstructed, 2)
    );
    // A secret input keeps the fact secret.
    assert_eq!(
        value("GM0106", 2024, "inhabitants_65_plus").0,
        CellValue::Missing(MissingReason::Secret)
    );
    assert_eq!(
        value("GM0106", 2024, "land_area_km2"),
        (CellValue::Value(82.9), Method::Published, 3)
    );
    assert_eq!(
        value("GM0106", 2023, "land_area_km2"),
        (CellValue::Value(69_414.0 / 840.0), Method::Reconstructed, 2)
    );
    let names: Vec<(&str, &str)> = bundle
        .areas
        .iter()
        .map(|area| (area.code.as_str(), area.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("NL01", "Nederland"),
            ("GM0106", "Assen"),
            ("GM1680", "Aa en Hunze")
        ]
    );
}

#[test]
fn a_zero_divisor_gives_not_applicable_rather_than_infinity() {
    let manifest = format!(
        "{HEADER}\n[[source.fact]]\nvariable = \"land_area_km2\"\nformula = \"aantal_inwoners / dichtheid\"\n{AREAS}"
    );
    let bundle = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap();
    let aa_en_hunze = bundle
        .facts
        .iter()
        .find(|fact| fact.area.as_str() == "GM1680")
        .unwrap();
    assert_eq!(
        aa_en_hunze.value,
        CellValue::Missing(MissingReason::NotApplicable)
    );
}

#[test]
fn two_sources_giving_the_same_cell_are_refused() {
    let second = HEADER
        .split("[[source]]")
        .nth(1)
        .unwrap()
        .replace("\"kwb\"", "\"kwb_copy\"")
        .replace("kwb.csv", "kwb_copy.csv");
    let fact = "\n[[source.fact]]\nvariable = \"inhabitants\"\nformula = \"aantal_inwoners\"\n";
    let manifest = format!("{HEADER}{fact}\n[[source]]{second}{fact}{AREAS}");
    let error = load_inline(&manifest, &[("kwb.csv", KWB), ("kwb_copy.csv", KWB)]).unwrap_err();
    insta::assert_snapshot!(error, @r"
    [TEMPDIR]/kwb_copy.csv: 3 problems
    [TEMPDIR]/kwb_copy.csv, line 2, field `inhabitants`: expected one value per area, year and variable (already given by `kwb` line 2), found `GM0106 2023`
    [TEMPDIR]/kwb_copy.csv, line 3, field `inhabitants`: expected one value per area, year and variable (already given by `kwb` line 3), found `GM0106 2024`
    [TEMPDIR]/kwb_copy.csv, line 4, field `inhabitants`: expected one value per area, year and variable (already given by `kwb` line 4), found `GM1680 2024`
    ");
}

#[test]
fn a_formula_naming_a_missing_column_is_caught_at_the_header() {
    let manifest = format!(
        "{HEADER}\n[[source.fact]]\nvariable = \"inhabitants\"\nformula = \"inwoners\"\n{AREAS}"
    );
    let error = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap_err();
    assert!(error.starts_with("[TEMPDIR]/kwb.csv, line 1: expected a `,`-separated header with the column(s) `inwoners`"), "{error}");
}

#[test]
fn unknown_manifest_keys_are_reported() {
    let manifest = format!("{HEADER}\nlicense = \"CC BY 4.0\"\n");
    let error = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap_err();
    assert!(error.contains("unknown field `license`"), "{error}");
    assert!(error.starts_with("[TEMPDIR]/manifest.toml: "), "{error}");
}

#[test]
fn malformed_formulas_are_reported_with_source_and_variable() {
    let manifest = format!(
        "{HEADER}\n[[source.fact]]\nvariable = \"inhabitants\"\nformula = \"aantal_inwoners * / 2\"\n"
    );
    let error = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap_err();
    insta::assert_snapshot!(error, @"[TEMPDIR]/manifest.toml: source `kwb`, fact `inhabitants`: expected a column or number, found `/`");
}

#[test]
fn facts_for_areas_nobody_declared_are_refused() {
    let manifest = format!(
        "{HEADER}\n[[source.fact]]\nvariable = \"inhabitants\"\nformula = \"aantal_inwoners\"\n"
    );
    let error = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap_err();
    assert!(
        error.contains("line 2, field `inhabitants`: expected an area declared in the manifest's areas or boundaries, found `GM0106`"),
        "{error}"
    );
}

/// A PC4 table as CBS publishes it: the postcode's four digits, no `PC`, and blanks where CBS
/// kept a figure secret (the copy blanked CBS's `-99997`).
const PC4: &str = "pc4,place,municipality,inwoners,uitkeringen\n\
9401,Assen,GM0106,9000,310\n\
9402,Assen,GM0106,12000,\n\
9451,Rolde,GM1680,4100,40\n";

const PC4_SOURCE: &str = r#"
[[source]]
id = "pc4"
file = "pc4.csv"
table = "CBS statistiek per postcode"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "pc4"
area_prefix = "PC"
year = 2024
missing_symbols = { "" = "secret" }

[[source.fact]]
variable = "inhabitants"
formula = "inwoners"
[[source.fact]]
variable = "benefit_recipients"
formula = "uitkeringen"
"#;

const PC4_AREAS: &str = r#"
[[areas]]
source = "pc4"
name = "{pc4} {place}"
parent = { source = "pc4", column = "municipality" }
years = [2023, 2024]
"#;

fn fact_value(bundle: &Bundle, area: &str, year: u16, variable: &str) -> Option<CellValue> {
    bundle
        .facts
        .iter()
        .find(|f| f.area.as_str() == area && f.year.get() == year && f.variable == variable)
        .map(|fact| fact.value)
}

#[test]
fn a_code_column_with_a_prefix_makes_postcode_areas_named_by_a_template_under_their_municipality() {
    let manifest = format!("{HEADER}{AREAS}{PC4_SOURCE}{PC4_AREAS}");
    let bundle = load_inline(&manifest, &[("kwb.csv", KWB), ("pc4.csv", PC4)]).unwrap();
    let postcodes: Vec<(&str, &str, Option<&str>)> = bundle
        .areas
        .iter()
        .filter(|area| area.code.as_str().starts_with("PC"))
        .map(|area| {
            (
                area.code.as_str(),
                area.name.as_str(),
                area.parent.as_ref().map(leefbaar_model::AreaCode::as_str),
            )
        })
        .collect();
    assert_eq!(
        postcodes,
        [
            ("PC9401", "9401 Assen", Some("GM0106")),
            ("PC9402", "9402 Assen", Some("GM0106")),
            ("PC9451", "9451 Rolde", Some("GM1680")),
        ]
    );
    assert_eq!(
        fact_value(&bundle, "PC9401", 2024, "benefit_recipients"),
        Some(CellValue::Value(310.0))
    );
    // The source's documentation says its blanks are CBS's secret cells.
    assert_eq!(
        fact_value(&bundle, "PC9402", 2024, "benefit_recipients"),
        Some(CellValue::Missing(MissingReason::Secret))
    );
}

#[test]
fn a_malformed_postcode_row_is_rejected_with_file_line_and_field() {
    let broken = "pc4,place,municipality,inwoners,uitkeringen\n\
9401,Assen,GM0106,9000,310\n\
94O2,Assen,GM0106,12000,\n\
9451,Rolde,GM1680,41OO,40\n";
    let manifest = format!("{HEADER}{AREAS}{PC4_SOURCE}{PC4_AREAS}");
    let error = load_inline(&manifest, &[("kwb.csv", KWB), ("pc4.csv", broken)]).unwrap_err();
    insta::assert_snapshot!(error, @"
    [TEMPDIR]/pc4.csv: 2 problems
    [TEMPDIR]/pc4.csv, line 3, field `pc4`: expected the digits of a CBS area code without its prefix `PC` (such as `9401` for `PC9401`), found `94O2`
    [TEMPDIR]/pc4.csv, line 4, field `inwoners`: expected a number (decimal point) or a CBS symbol `.`, `x`, `-99997`, found `41OO`
    ");
}

#[test]
fn numeric_postcode_properties_of_boundaries_take_the_prefix() {
    let geojson = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"postcode": 9401.0, "plaats": "Assen"},
 "geometry": {"type": "Polygon", "coordinates": [[[6.55, 52.99], [6.57, 52.99], [6.57, 53.0], [6.55, 52.99]]]}},
{"type": "Feature", "properties": {"postcode": 94.5, "plaats": "Rolde"},
 "geometry": {"type": "Polygon", "coordinates": [[[6.6, 52.98], [6.62, 52.98], [6.62, 52.99], [6.6, 52.98]]]}}
]}"#;
    let boundaries = r#"
[[source]]
id = "pc4_polygons"
file = "pc4.geojson"
table = "PC4 polygons"
licence = "CC BY 4.0"
attribution = "© CBS, © ESRI Nederland"
format = "geojson"
boundaries = { code = "postcode", code_prefix = "PC", years = [2023, 2024] }
"#;
    let manifest = format!("{HEADER}{AREAS}{PC4_SOURCE}{PC4_AREAS}{boundaries}");
    let files = [("kwb.csv", KWB), ("pc4.csv", PC4), ("pc4.geojson", geojson)];
    let error = load_inline(&manifest, &files).unwrap_err();
    insta::assert_snapshot!(error, @"[TEMPDIR]/pc4.geojson, feature 1 (`PC94.5`), field `postcode`: expected the digits of a CBS area code without its prefix `PC` (such as `9401` for `PC9401`), found `94.5`");
    let fixed = geojson.replace("94.5", "9451");
    let files = [("kwb.csv", KWB), ("pc4.csv", PC4), ("pc4.geojson", &fixed)];
    let bundle = load_inline(&manifest, &files).unwrap();
    let with_geometry: Vec<&str> = bundle
        .areas
        .iter()
        .filter(|area| area.geometry_geojson.is_some())
        .map(|area| area.code.as_str())
        .collect();
    assert_eq!(with_geometry, ["PC9401", "PC9451"]);
}

/// Leefbaarometer-shaped tables: classes in one column per year, and districts of an older
/// division of which the bundle has only some.
const CLASSES: &str = "gm_code,kl02,kl16\nGM0106,7,8\nGM1680,8,x\n";
const DISTRICT_SCORES: &str = "gbd,jaar,rlbrmtr\nWK010600,2016,0.226\nWK168199,2016,0.1\n";
const DISTRICTS: &str = "wijkcode,wijknaam\nWK010600,Assen-Centrum\n";

const CLASS_SOURCES: &str = r#"
[[source]]
id = "classes"
file = "classes.csv"
table = "Leefbaarometer 2.0 classes"
licence = "CC0"
attribution = "BZK"
area = "gm_code"

[[source.fact]]
variable = "lbm_class"
formula = "kl02"
year = 2002
additive = false
[[source.fact]]
variable = "lbm_class"
formula = "kl16"
year = 2016
additive = false

[[source]]
id = "districts"
file = "districts.csv"
table = "districts"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "wijkcode"

[[source]]
id = "district_scores"
file = "district_scores.csv"
table = "Leefbaarometer 2.0 district scores"
licence = "CC0"
attribution = "BZK"
area = "gbd"
year_column = "jaar"
skip_unknown_areas = true

[[source.fact]]
variable = "lbm_score"
formula = "rlbrmtr"
additive = false

[[areas]]
source = "districts"
name = "wijknaam"
"#;

#[test]
fn facts_with_their_own_year_read_tables_with_a_column_per_year() {
    let manifest = format!("{HEADER}{AREAS}{CLASS_SOURCES}");
    let files = [
        ("kwb.csv", KWB),
        ("classes.csv", CLASSES),
        ("districts.csv", DISTRICTS),
        ("district_scores.csv", DISTRICT_SCORES),
    ];
    let bundle = load_inline(&manifest, &files).unwrap();
    assert_eq!(
        fact_value(&bundle, "GM0106", 2002, "lbm_class"),
        Some(CellValue::Value(7.0))
    );
    assert_eq!(
        fact_value(&bundle, "GM1680", 2016, "lbm_class"),
        Some(CellValue::Missing(MissingReason::Secret))
    );
    // A district code of 2016 the bundle no longer has is left out, not refused.
    assert_eq!(
        fact_value(&bundle, "WK010600", 2016, "lbm_score"),
        Some(CellValue::Value(0.226))
    );
    assert!(
        bundle
            .facts
            .iter()
            .all(|fact| fact.area.as_str() != "WK168199")
    );
    assert_eq!(bundle.non_additive, ["lbm_class", "lbm_score"]);
    // Published scores of 2002 and 2016 say nothing about when an area existed.
    let assen = bundle
        .areas
        .iter()
        .find(|a| a.code.as_str() == "GM0106")
        .unwrap();
    assert_eq!(
        (assen.first_year.get(), assen.last_year.get()),
        (2023, 2024)
    );
}

#[test]
fn without_skip_unknown_areas_a_district_the_bundle_lacks_is_refused() {
    let manifest =
        format!("{HEADER}{AREAS}{CLASS_SOURCES}").replace("skip_unknown_areas = true\n", "");
    let files = [
        ("kwb.csv", KWB),
        ("classes.csv", CLASSES),
        ("districts.csv", DISTRICTS),
        ("district_scores.csv", DISTRICT_SCORES),
    ];
    let error = load_inline(&manifest, &files).unwrap_err();
    insta::assert_snapshot!(error, @"[TEMPDIR]/district_scores.csv, line 3, field `lbm_score`: expected an area declared in the manifest's areas or boundaries, found `WK168199`");
}

#[test]
fn a_variable_cannot_be_additive_in_one_source_and_not_in_another() {
    let manifest = format!("{HEADER}{AREAS}{CLASS_SOURCES}").replacen("additive = false\n", "", 1);
    let error = load_inline(&manifest, &[("kwb.csv", KWB)]).unwrap_err();
    insta::assert_snapshot!(error, @"[TEMPDIR]/manifest.toml: source `classes`, fact `lbm_class`: `additive = false` here but `additive = true` in source `classes`: a variable either adds up over areas or not");
}

#[test]
fn manifest_mistakes_in_the_new_fields_are_reported() {
    let cases = [
        format!("{HEADER}{AREAS}{PC4_SOURCE}{PC4_AREAS}").replace("{pc4} {place}", "{pc4 {place}"),
        format!("{HEADER}{AREAS}{PC4_SOURCE}{PC4_AREAS}").replace("= \"secret\"", "= \"geheim\""),
        format!("{HEADER}{AREAS}{PC4_SOURCE}{PC4_AREAS}").replace("year = 2024\n", ""),
        format!(
            "{HEADER}\n[[source.fact]]\nvariable = \"inhabitants\"\nformula = \"aantal_inwoners\"\nyear = 2023\n{AREAS}"
        ),
    ];
    let messages: Vec<String> = cases
        .iter()
        .map(|manifest| load_inline(manifest, &[("kwb.csv", KWB), ("pc4.csv", PC4)]).unwrap_err())
        .collect();
    insta::assert_snapshot!(messages.join("\n"), @"
    [TEMPDIR]/manifest.toml: areas of `pc4`, `name`: expected a column name between `{` and `}` in `{pc4 {place}`
    [TEMPDIR]/manifest.toml: source `pc4`, field `missing_symbols`, symbol ``: expected the reason `not_collected`, `unknown` or `secret`, found `geheim`
    [TEMPDIR]/manifest.toml: source `pc4`, fact `inhabitants`: no year: give the source `year` or `year_column`, or the fact `year`
    [TEMPDIR]/manifest.toml: source `kwb`, fact `inhabitants`: give the fact a `year` only in a source without `year_column`
    ");
}

const LINEAGE: &str = "jaar_oud,gemeentecode_oud,jaar_nieuw,gemeentecode_nieuw,relatie,aandeel_van_oud,aandeel_van_nieuw\n\
2023,GM0001,2024,GM0009,geheel_of_grotendeels_naar,1.0,0.5\n\
2023,GM0002,2024,GM0009,geheel_of_grotendeels_naar,1.0,0.5\n";

#[test]
fn the_lineage_sums_counts_into_a_merged_municipality_but_not_published_scores() {
    let kwb = "jaar,gemeentecode,gemeentenaam,aantal_inwoners\n\
2023,GM0001,Oud,1000\n\
2023,GM0002,Ouder,3000\n\
2024,GM0009,Nieuw,4100\n";
    let scores = "gm_code,kl16\nGM0001,6\nGM0002,8\n";
    let manifest = format!(
        r#"{HEADER}
[[source.fact]]
variable = "inhabitants"
formula = "aantal_inwoners"
{AREAS}
[[source]]
id = "classes"
file = "classes.csv"
table = "Leefbaarometer 2.0 classes"
licence = "CC0"
attribution = "BZK"
area = "gm_code"

[[source.fact]]
variable = "lbm_class"
formula = "kl16"
year = 2023
additive = false

[lineage]
file = "lineage.csv"
target_year = 2024
"#
    );
    let files = [
        ("kwb.csv", kwb),
        ("classes.csv", scores),
        ("lineage.csv", LINEAGE),
    ];
    let bundle = load_inline(&manifest, &files).unwrap();
    assert_eq!(
        fact_value(&bundle, "GM0009", 2023, "inhabitants"),
        Some(CellValue::Value(4000.0))
    );
    assert_eq!(fact_value(&bundle, "GM0009", 2023, "lbm_class"), None);
    assert_eq!(
        fact_value(&bundle, "GM0002", 2023, "lbm_class"),
        Some(CellValue::Value(8.0))
    );
}

const REACH_WITH_HOSPITALS: &str = r#"
[reach]
year = 2024
origins = "origins.csv"
origins_note = { nl = "postcodegebieden", en = "postcode areas" }

[reach.source]
id = "reach"
file = "facilities"
table = "Facilities"
licence = "CC0"
attribution = "Leefbaar"
description = "Facilities"

[[reach.kind]]
id = "hospital"
file = "hospital.csv"
name = { nl = "ziekenhuis", en = "hospital" }
covers = { nl = "ziekenhuizen", en = "hospitals" }
profile = "car"
thresholds_m = [5000]

[[reach.kind]]
id = "ambulance_post"
file = "ambulance_post.csv"
name = { nl = "ambulancepost", en = "ambulance post" }
covers = { nl = "ambulanceposten", en = "ambulance posts" }
profile = "car"
thresholds_m = [5000]

[hospitals]
year = 2021
origins = "north.csv"
hospital_kind = "hospital"
ambulance_kind = "ambulance_post"
thresholds_min = [30, 45]
call_thresholds_min = [45]
dispatch_min = 3
on_scene_min = 10
"#;

#[test]
fn the_hospital_section_resolves_its_kinds_and_reports_its_mistakes() {
    let read = |manifest: &str| {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("manifest.toml");
        fs_err::write(&path, manifest).unwrap();
        leefbaar_ingest::read_bundle_spec(&path)
            .map(|(spec, _)| {
                let hospitals = spec.hospitals.unwrap();
                format!(
                    "{} {} {:?} {:?} {} {}",
                    hospitals.hospitals.file_name().unwrap().display(),
                    hospitals.ambulance_posts.file_name().unwrap().display(),
                    hospitals.thresholds_min,
                    hospitals.call_thresholds_min,
                    hospitals.dispatch_min,
                    hospitals.on_scene_min
                )
            })
            .map_err(|error| {
                error
                    .to_string()
                    .replace(&directory.path().display().to_string(), "[TEMPDIR]")
            })
    };
    let good = format!("{HEADER}{AREAS}{REACH_WITH_HOSPITALS}");
    assert_eq!(
        read(&good).unwrap(),
        "hospital.csv ambulance_post.csv [30.0, 45.0] [45.0] 3 10"
    );
    let cases = [
        good.replace(
            "hospital_kind = \"hospital\"",
            "hospital_kind = \"ziekenhuis\"",
        ),
        good.replace("thresholds_min = [30, 45]", "thresholds_min = [45, 30]"),
        good.replace("call_thresholds_min = [45]", "call_thresholds_min = []"),
        good.replace("dispatch_min = 3", "dispatch_min = -3"),
        good.replace("on_scene_min = 10\n", ""),
    ];
    let messages: Vec<String> = cases.iter().map(|m| read(m).unwrap_err()).collect();
    insta::assert_snapshot!(messages.join("\n"), @"
    [TEMPDIR]/manifest.toml: [hospitals], field `hospital_kind`: no [[reach.kind]] with id `ziekenhuis`
    [TEMPDIR]/manifest.toml: [hospitals], field `thresholds_min`: expected whole minutes from 1 to 600, ascending, found [45.0, 30.0]
    [TEMPDIR]/manifest.toml: [hospitals], field `call_thresholds_min`: expected whole minutes from 1 to 600, ascending, found []
    [TEMPDIR]/manifest.toml: [hospitals], field `dispatch_min`: expected minutes from 0 to 120, found -3
    [TEMPDIR]/manifest.toml: TOML parse error at line 55, column 1
       |
    55 | [hospitals]
       | ^^^^^^^^^^^
    missing field `on_scene_min`
    ");
}
