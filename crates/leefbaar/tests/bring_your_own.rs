//! Bring your own data, without recompiling: the built `leefbaar` binary checks, imports and
//! serves a bundle it has never seen, with indicators declared only in the bundle's own
//! catalogue and a reach kind declared only in its manifest. Everything is written to
//! temporary directories; the repository's files are only read.
//!
//! - The worked example of `docs/bundle-format.md` (`docs/examples/turnout-drenthe/`) checks,
//!   imports and is served, its share recomputed from its parts; a broken copy makes `check`
//!   list every problem with file, line and field, and `import` write nothing.
//! - The demo bundle with a new reach kind (a manifest entry and a CSV) and an indicator of its
//!   own catalogue is imported and served.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

#[path = "support/http.rs"]
mod http;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built binary with its own data directory; run in `dir`, so relative paths are the
/// bundle's.
fn leefbaar(dir: &Path, data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leefbaar"));
    command
        .current_dir(dir)
        .env_remove("LEEFBAAR_DATA_DIR")
        .env("NO_COLOR", "1")
        .env("LEEFBAAR_LOG", "warn")
        .arg("--no-progress")
        .arg("--data-dir")
        .arg(data_dir);
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `command` and fails with its output unless it succeeded.
fn succeed(command: &mut Command) -> Output {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\nstdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

/// Copies the folder `from` to `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).unwrap();
    for entry in fs_err::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs_err::copy(entry.path(), target).unwrap();
        }
    }
}

/// Replaces the one occurrence of `old` in the file `path` by `new`.
fn edit(path: &Path, old: &str, new: &str) {
    let content = fs_err::read_to_string(path).unwrap();
    assert_eq!(
        content.matches(old).count(),
        1,
        "`{old}` in {}",
        path.display()
    );
    fs_err::write(path, content.replacen(old, new, 1)).unwrap();
}

/// `leefbaar serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, data_dir: &Path) -> Server {
    let mut child = leefbaar(dir, data_dir)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address = http::bound_address(&mut child);
    Server { child, address }
}

/// A GET of a JSON document from the started server.
fn get(server: &Server, path: &str) -> (u16, Value) {
    let (status, _, body) = http::get(&server.address, path);
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{path}: {body:.300}"));
    (status, json)
}

/// Every file of a folder with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs_err::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs_err::read(&path).unwrap())
        })
        .collect()
}

const EXAMPLE: &str = "docs/examples/turnout-drenthe";
const EXAMPLE_CSV: &str = "tk_opkomst_drenthe_2010_2012.csv";

/// The worked example, copied to `dir`.
fn example_in(dir: &Path) -> PathBuf {
    let bundle = dir.join("turnout");
    copy_dir(&repo().join(EXAMPLE), &bundle);
    bundle
}

/// Σ `opkomst` and Σ `kiesgerechtigden` per year, and the published percentage per
/// municipality and year, read from the example's CSV.
type Sums = BTreeMap<u16, (f64, f64)>;
fn example_figures(bundle: &Path) -> (Sums, BTreeMap<(String, u16), f64>) {
    let csv = fs_err::read_to_string(bundle.join(EXAMPLE_CSV)).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|column| *column == name).unwrap();
    let (year, code, electorate, cast, published) = (
        at("jaar"),
        at("gemeentecode"),
        at("kiesgerechtigden"),
        at("opkomst"),
        at("opkomstpercentage"),
    );
    let mut sums = Sums::new();
    let mut percentages = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let number = |index: usize| fields[index].parse::<f64>().unwrap();
        let year: u16 = fields[year].parse().unwrap();
        let sum = sums.entry(year).or_insert((0.0, 0.0));
        sum.0 += number(cast);
        sum.1 += number(electorate);
        percentages.insert((fields[code].to_owned(), year), number(published));
    }
    (sums, percentages)
}

#[test]
fn the_worked_example_is_checked_imported_and_served_with_its_share_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = example_in(dir.path());
    let data = dir.path().join("data");

    let output = succeed(leefbaar(&bundle, &data).args(["check", "manifest.toml"]));
    let summary = text(&output.stdout);
    assert!(summary.contains("12 municipalities"), "{summary}");
    assert!(summary.contains("own         turnout"), "{summary}");
    assert!(
        summary.contains("ok: the bundle can be imported"),
        "{summary}"
    );
    assert!(!data.exists(), "check wrote to the data directory");

    let output = succeed(leefbaar(&bundle, &data).args(["import", "manifest.toml"]));
    assert!(
        text(&output.stdout).contains("28 observations"),
        "{}",
        text(&output.stdout)
    );

    let server = serve(&bundle, &data);
    let (status, indicator) = get(&server, "/api/v1/indicators/turnout");
    assert_eq!(status, 200, "{indicator}");
    let indicator = &indicator["data"];
    assert_eq!(indicator["kind"], "share");
    assert_eq!(indicator["unit"], "percent");
    assert_eq!(indicator["years"], serde_json::json!([2010, 2012]));
    assert_eq!(indicator["source"]["id"], "tk_opkomst_drenthe_2010_2012");
    assert!(
        indicator["source"]["licence"]
            .as_str()
            .unwrap()
            .starts_with("No licence stated; official election results (Kiesraad)"),
        "{indicator}"
    );

    let (sums, published) = example_figures(&bundle);
    let (status, observations) = get(
        &server,
        "/api/v1/observations?indicator=turnout&level=province",
    );
    assert_eq!(status, 200, "{observations}");
    let rows = observations["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{observations}");
    for row in rows {
        assert_eq!(row["area"], "PV22");
        assert_eq!(row["method"], "recomputed");
        assert_eq!(row["parts"], 12);
        let year = u16::try_from(row["year"].as_u64().unwrap()).unwrap();
        let (cast, electorate) = sums[&year];
        let value = row["value"].as_f64().unwrap();
        assert!(
            (value - 100.0 * cast / electorate).abs() < 1e-9,
            "{year}: {value} is not 100 × {cast} / {electorate}"
        );
    }

    // Each municipality's share is its published percentage (to the source's two decimals),
    // and the province's is not their mean.
    let (status, observations) = get(
        &server,
        "/api/v1/observations?indicator=turnout&level=municipality&parent=PV22",
    );
    assert_eq!(status, 200, "{observations}");
    let rows = observations["data"].as_array().unwrap();
    assert_eq!(rows.len(), 24);
    for row in rows {
        let key = (
            row["area"].as_str().unwrap().to_owned(),
            u16::try_from(row["year"].as_u64().unwrap()).unwrap(),
        );
        let value = row["value"].as_f64().unwrap();
        assert!((value - published[&key]).abs() <= 0.005, "{key:?}: {value}");
    }
    let mean_2012: f64 = published
        .iter()
        .filter(|((_, year), _)| *year == 2012)
        .map(|(_, value)| value)
        .sum::<f64>()
        / 12.0;
    let (cast, electorate) = sums[&2012];
    assert!((mean_2012 - 100.0 * cast / electorate).abs() > 0.1);
}

#[test]
fn a_broken_example_is_refused_with_every_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A good import first, so "writes nothing" means: the store stays byte for byte the same.
    let good = example_in(&dir.path().join("good"));
    succeed(leefbaar(&good, &data).args(["import", "manifest.toml"]));
    let before = files(&data);

    let bundle = example_in(dir.path());
    edit(&bundle.join(EXAMPLE_CSV), ",27999,", ",27a99,");
    let catalogue = bundle.join("catalogue.toml");
    edit(
        &catalogue,
        "numerator = \"votes_cast\"",
        "numerator = \"votes\"",
    );
    let numerator_line = 1 + fs_err::read_to_string(&catalogue)
        .unwrap()
        .lines()
        .position(|line| line == "numerator = \"votes\"")
        .unwrap();

    let output = leefbaar(&bundle, &data)
        .args(["check", "manifest.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let errors = text(&output.stderr);
    let expected = [
        format!(
            "error: {EXAMPLE_CSV}, line 3, field `kiesgerechtigden`: expected a number (decimal point) or a CBS symbol `.`, `x`, `-99997`, found `27a99`"
        ),
        format!(
            "error: catalogue.toml, line {numerator_line}: indicator `turnout`, field `numerator`: unknown variable `votes`"
        ),
        "error: manifest.toml has 2 problems; an import would stop and write nothing".to_owned(),
    ];
    assert_eq!(errors.lines().collect::<Vec<_>>(), expected, "{errors}");
    assert!(!text(&output.stdout).contains("ok:"));

    let output = leefbaar(&bundle, &data)
        .args(["check", "--json", "manifest.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let problems: Vec<(&str, &str, u64, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["part"].as_str().unwrap(),
                p["file"].as_str().unwrap(),
                p["line"].as_u64().unwrap(),
                p["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("tables", EXAMPLE_CSV, 3, "kiesgerechtigden"),
            (
                "catalogue",
                "catalogue.toml",
                u64::try_from(numerator_line).unwrap(),
                "numerator"
            ),
        ]
    );

    let output = leefbaar(&bundle, &data)
        .args(["import", "manifest.toml"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("27a99"),
        "{}",
        text(&output.stderr)
    );
    assert!(
        before == files(&data),
        "the failed import changed the store"
    );
}

/// Special primary schools (*speciaal basisonderwijs*, SBAO) in Drenthe: DUO's school locations
/// of 22 November 2024 (CC0), as geocoded in `duo_scholen_locaties_nl/scholen_2024-11-22.geojson`
/// of the shared data (the demo bundle's primary schools leave them out).
const SPECIAL_PRIMARY_SCHOOLS: &str = "id,name,kind,lon,lat
00JH00,School voor Speciaal Basisonderwijs De Kameleon,special_primary_school,6.470028,52.722043
07MI00,School voor Speciaal Basisonderwijs De Carrousel,special_primary_school,6.498894,52.717454
19QJ00,School voor Speciaal Basisonderwijs t Hoge Holt,special_primary_school,6.428972,53.142517
20BX00,School voor Speciaal Basisonderwijs De Meander,special_primary_school,6.548784,53.009434
19CO00,Openbare School voor Speciaal Basisonderwijs De Catamaran,special_primary_school,6.928386,52.777869
19QE00,School voor Speciaal Basisonderwijs Reestoever,special_primary_school,6.188141,52.689318
23NV00,Kindcentrum De Boei (voor speciaal basisonderwijs),special_primary_school,6.548051,53.008785
01BO00,School voor Speciaal Basisonderwijs Toermalijn,special_primary_school,6.904962,52.794400
";

const NEW_KIND: &str = r#"
[[reach.kind]]
id = "special_primary_school"
file = "facilities/special_primary_school.csv"
name = { nl = "school voor speciaal basisonderwijs", en = "special primary school" }
covers = { nl = "scholen voor speciaal basisonderwijs (DUO, november 2024)", en = "special primary schools (DUO, November 2024)" }
profile = "bicycle"
thresholds_m = [3000, 5000, 10000]

"#;

const OWN_CATALOGUE: &str = r#"
[[indicator]]
id = "share_80_plus_of_65_plus"
kind = "share"
numerator = "inhabitants_80_plus"
denominator = "inhabitants_65_plus"
unit = "percent"
decimals = 1
theme = "age"
source = "bevolking_leeftijd_gemeente_2020"
name.nl = "80-plussers onder de 65-plussers"
name.en = "Aged 80+ among those aged 65+"
description.nl = "Percentage van de 65-plussers dat 80 jaar of ouder is (dubbele vergrijzing)."
description.en = "Percentage of the inhabitants aged 65 and over who are 80 or over (double ageing)."
"#;

#[test]
fn a_new_reach_kind_and_an_indicator_of_the_bundle_need_no_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    // The demo bundle with the folders its manifest reaches with `../`, at the same places.
    for folder in ["drenthe", "projection", "survey"] {
        copy_dir(
            &repo().join("data").join(folder),
            &dir.path().join("data").join(folder),
        );
    }
    let bundle = dir.path().join("data/drenthe");
    let manifest = bundle.join("manifest.toml");
    fs_err::write(
        bundle.join("facilities/special_primary_school.csv"),
        SPECIAL_PRIMARY_SCHOOLS,
    )
    .unwrap();
    edit(
        &manifest,
        "\n[projection]\n",
        &format!("{NEW_KIND}[projection]\n"),
    );
    // The bundle's own catalogue (postcode statistics, Leefbaarometer) gains one indicator.
    let catalogue = bundle.join("catalogue.toml");
    let own = fs_err::read_to_string(&catalogue).unwrap() + OWN_CATALOGUE;
    fs_err::write(&catalogue, own).unwrap();
    let data = dir.path().join("store");

    let output =
        succeed(leefbaar(&bundle, &data).args(["check", "--no-projection", "manifest.toml"]));
    let summary = text(&output.stdout);
    assert!(summary.contains("special_primary_school 8"), "{summary}");
    let own = summary
        .lines()
        .find(|l| l.starts_with("own "))
        .unwrap_or("");
    assert!(own.contains("share_80_plus_of_65_plus"), "{summary}");

    let output =
        succeed(leefbaar(&bundle, &data).args(["indicators", "list", "--bundle", "manifest.toml"]));
    let list = text(&output.stdout);
    for id in [
        "reach_distance_special_primary_school",
        "reach_share_special_primary_school_within_3km",
        "share_80_plus_of_65_plus",
    ] {
        assert!(list.contains(id), "`indicators list --bundle` lacks {id}");
    }

    succeed(leefbaar(&bundle, &data).args(["import", "--no-projection", "manifest.toml"]));
    let server = serve(&bundle, &data);

    let (status, indicator) = get(
        &server,
        "/api/v1/indicators/reach_distance_special_primary_school",
    );
    assert_eq!(status, 200, "{indicator}");
    assert_eq!(indicator["data"]["unit"], "km");
    let (status, observations) = get(
        &server,
        "/api/v1/observations?indicator=reach_distance_special_primary_school&level=municipality&parent=PV22&year=2024",
    );
    assert_eq!(status, 200, "{observations}");
    let rows = observations["data"].as_array().unwrap();
    assert_eq!(rows.len(), 12, "{observations}");
    for row in rows {
        let km = row["value"].as_f64();
        assert!(
            km.is_some_and(|km| km > 0.0 && km < 60.0),
            "{}: {km:?}",
            row["area"]
        );
    }

    let (status, facilities) = get(&server, "/api/v1/facilities?kind=special_primary_school");
    assert_eq!(status, 200, "{facilities}");
    let mut ids: Vec<&str> = facilities["data"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| feature["properties"]["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected: Vec<&str> = SPECIAL_PRIMARY_SCHOOLS
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);

    // The bundle's own share, recomputed for Drenthe from the summed counts.
    let value = |indicator: &str| {
        let (status, body) = get(
            &server,
            &format!("/api/v1/observations?indicator={indicator}&area=PV22&year=2020"),
        );
        assert_eq!(status, 200, "{body}");
        body["data"][0]["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{indicator}: {body}"))
    };
    let share = value("share_80_plus_of_65_plus");
    let expected = 100.0 * value("inhabitants_80_plus") / value("inhabitants_65_plus");
    assert!((share - expected).abs() < 1e-9, "{share} vs {expected}");
}
