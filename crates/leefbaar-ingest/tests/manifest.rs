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
