//! `check_manifest`: every bad file of a bundle is reported in one run, not only the first, and
//! a bundle whose files all read is loaded exactly as `load_manifest` loads it.

use leefbaar_ingest::{ImportError, check_manifest, load_manifest};

const MANIFEST: &str = r#"
[bundle]
id = "test"
name = "Test"
version = "1"
province = "PV22"

[country]
code = "NL01"
name = "Nederland"
years = [2024, 2024]

[[source]]
id = "first"
file = "first.csv"
table = "first table"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "gemeentecode"
year = 2024

[[source.fact]]
variable = "inhabitants"
formula = "aantal_inwoners"

[[source]]
id = "second"
file = "second.csv"
table = "second table"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "gemeentecode"
year = 2024

[[source.fact]]
variable = "dwellings"
formula = "woningvoorraad"

[[source]]
id = "listed"
file = "listed.csv"
table = "listed only"
licence = "CC BY 4.0"
attribution = "Bron: CBS"

[[areas]]
source = "first"
name = "gemeentenaam"
"#;

/// Writes the bundle with these two tables (and the listed file, when `listed`) and checks it;
/// messages name the temporary directory `[TEMPDIR]`.
fn check(first: &str, second: &str, listed: bool) -> Result<usize, Vec<String>> {
    let directory = tempfile::tempdir().unwrap();
    fs_err::write(directory.path().join("first.csv"), first).unwrap();
    fs_err::write(directory.path().join("second.csv"), second).unwrap();
    if listed {
        fs_err::write(directory.path().join("listed.csv"), "a\n1\n").unwrap();
    }
    let path = directory.path().join("manifest.toml");
    fs_err::write(&path, MANIFEST).unwrap();
    let tempdir = directory.path().display().to_string();
    match check_manifest(&path) {
        Ok(bundle) => {
            assert_eq!(Ok(&bundle), load_manifest(&path).as_ref().map_err(|_| ()));
            Ok(bundle.facts.len())
        }
        Err(errors) => Err(errors
            .iter()
            .map(|error: &ImportError| error.to_string().replace(&tempdir, "[TEMPDIR]"))
            .collect()),
    }
}

const FIRST: &str = "gemeentecode,gemeentenaam,aantal_inwoners\nGM0106,Assen,69701\n";
const SECOND: &str = "gemeentecode,woningvoorraad\nGM0106,32000\n";

#[test]
fn a_bundle_whose_files_all_read_is_loaded_as_the_importer_loads_it() {
    assert_eq!(check(FIRST, SECOND, true), Ok(2));
}

#[test]
fn every_bad_file_is_reported_not_only_the_first() {
    let first =
        "gemeentecode,gemeentenaam,aantal_inwoners\nGM0106,Assen,69x01\nGM1680,Aa en Hunze,2.5.1\n";
    let second = "gemeentecode,woningen\nGM0106,32000\n";
    let errors = check(first, second, false).unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].starts_with("[TEMPDIR]/first.csv: 2 problems"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("line 2, field `aantal_inwoners`: expected a number")
            && errors[0].contains("line 3, field `aantal_inwoners`"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("second.csv") && errors[1].contains("woningvoorraad"),
        "{}",
        errors[1]
    );
    assert!(errors[2].contains("listed.csv"), "{}", errors[2]);
}

#[test]
fn a_manifest_that_does_not_parse_is_the_one_error() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("manifest.toml");
    fs_err::write(&path, MANIFEST.replace("[country]", "[countr]")).unwrap();
    let errors = check_manifest(&path).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("countr"), "{}", errors[0]);
}
