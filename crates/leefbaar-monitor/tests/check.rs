//! `check_bundle` on small inline bundles: a good one is summarised; a bad one has its
//! problems reported from every part at once (tables, catalogue, reach, projection, panel),
//! each with file, line and field where the reader knows them, and nothing is written.

use std::path::Path;

use leefbaar_model::AreaLevel;
use leefbaar_monitor::{CheckOptions, CheckPart, CheckReport, check_bundle};

const MANIFEST: &str = r#"
[bundle]
id = "mini"
name = "Mini"
version = "1"
province = "PV22"
catalogue = "catalogue.toml"

[country]
code = "NL01"
name = "Nederland"
years = [2024, 2024]

[[source]]
id = "people"
file = "people.csv"
table = "people"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "gemeentecode"
year = 2024

[[source.fact]]
variable = "inhabitants"
formula = "inwoners"
[[source.fact]]
variable = "inhabitants_65_plus"
formula = "ouderen"

[[source]]
id = "homes"
file = "homes.csv"
table = "homes"
licence = "CC BY 4.0"
attribution = "Bron: CBS"
area = "gemeentecode"
year = 2024

[[source.fact]]
variable = "dwellings"
formula = "woningen"

[[areas]]
source = "people"
code = "provincie"
name = "provincienaam"

[[areas]]
source = "people"
name = "gemeentenaam"
parent = { source = "people", column = "provincie" }

[reach]
year = 2024
origins = "origins.csv"
origins_note = { nl = "punten", en = "points" }

[reach.source]
id = "reach_mini"
file = "."
table = "reach"
licence = "CC0"
attribution = "test"
description = "reach of the mini bundle"

[[reach.kind]]
id = "library"
file = "library.csv"
name = { nl = "bibliotheek", en = "library" }
covers = { nl = "bibliotheken", en = "libraries" }
profile = "bicycle"
thresholds_m = [1000, 5000]

[projection]
inputs = "projection"

[survey]
schema = "schema.toml"
panel = "panel.csv"
margins = "margins.csv"
"#;

const PEOPLE: &str = "gemeentecode,gemeentenaam,provincie,provincienaam,inwoners,ouderen
GM0106,Assen,PV22,Drenthe,69701,14000
GM0114,Emmen,PV22,Drenthe,107000,27000
";

const HOMES: &str = "gemeentecode,woningen\nGM0106,32000\nGM0114,50000\n";

const CATALOGUE: &str = r#"
[[indicator]]
id = "share_65_plus_again"
kind = "share"
numerator = "inhabitants_65_plus"
denominator = "inhabitants"
unit = "percent"
decimals = 1
theme = "age"
source = "kwb_gemeenten_2012_2024"
name.nl = "65-plussers"
name.en = "Aged 65+"
description.nl = "Aandeel 65-plussers"
description.en = "Share aged 65 and over"

[[indicator]]
id = "share_within_1km_of_a_library"
kind = "share"
numerator = "reach_library_within_1km"
denominator = "reach_persons"
unit = "percent"
decimals = 1
theme = "reach"
source = "reach_mini"
name.nl = "Binnen 1 km van een bibliotheek"
name.en = "Within 1 km of a library"
description.nl = "Aandeel binnen 1 km van een bibliotheek"
description.en = "Share within 1 km of a library"
"#;

const ORIGINS: &str =
    "pc4,persons,province,municipality,municipality_name,district,district_name,lon,lat
9401,5000,PV22,GM0106,Assen,WK010601,Centrum,6.56,52.99
7811,6000,PV22,GM0114,Emmen,WK011401,Centrum,6.90,52.78
";

const LIBRARY: &str = "id,name,kind,lon,lat\nB1,Bibliotheek Assen,library,6.562,52.993\n";

/// Writes the bundle into a temporary directory, with `change` applied to its files, and
/// checks it without the projection and the panel unless `all`.
fn check(change: impl FnOnce(&Path), all: bool) -> (CheckReport, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("manifest.toml", MANIFEST),
        ("people.csv", PEOPLE),
        ("homes.csv", HOMES),
        ("catalogue.toml", CATALOGUE),
        ("origins.csv", ORIGINS),
        ("library.csv", LIBRARY),
    ] {
        fs_err::write(dir.path().join(name), text).unwrap();
    }
    change(dir.path());
    let options = CheckOptions {
        projection: all,
        ..CheckOptions::new(dir.path().join("manifest.toml"))
    };
    let report = check_bundle(&options);
    (report, dir)
}

/// A problem's part, file name, line and field.
type Found<'a> = (CheckPart, Option<&'a str>, Option<u64>, Option<&'a str>);

fn replace(path: &Path, old: &str, new: &str) {
    let text = fs_err::read_to_string(path).unwrap();
    assert!(text.contains(old), "`{old}` in {}", path.display());
    fs_err::write(path, text.replace(old, new)).unwrap();
}

#[test]
fn a_good_bundle_is_summarised() {
    let (report, dir) = check(
        |dir| {
            // Without the panel, which this bundle does not have.
            replace(
                &dir.join("manifest.toml"),
                "[survey]\nschema = \"schema.toml\"\npanel = \"panel.csv\"\nmargins = \"margins.csv\"\n",
                "",
            );
        },
        false,
    );
    assert!(report.is_ok(), "{:#?}", report.problems);
    let tables = report.tables.as_ref().unwrap();
    assert_eq!(
        tables.areas,
        [
            (AreaLevel::Country, 1),
            (AreaLevel::Province, 1),
            (AreaLevel::Municipality, 2)
        ]
    );
    assert_eq!(tables.facts, 6);
    let catalogue = report.catalogue.as_ref().unwrap();
    assert_eq!(
        catalogue.own,
        ["share_65_plus_again", "share_within_1km_of_a_library"]
    );
    // For the one kind: the mean distance, per distance threshold (two) a share and a mean count
    // of facilities within it, and the mean minutes by car, bicycle and on foot.
    assert_eq!(catalogue.generated, 8);
    assert!(catalogue.replaced.is_empty());
    assert_eq!(
        report
            .province
            .as_ref()
            .map(|(code, name)| (code.as_str(), name.as_str())),
        Some(("PV22", "Drenthe"))
    );
    let monitors: Vec<&str> = report.monitors.iter().map(|m| m.what.as_str()).collect();
    assert_eq!(monitors, ["reach"]);
    let left_out: Vec<&str> = report.left_out.iter().map(|l| l.what.as_str()).collect();
    assert_eq!(
        left_out,
        ["projection", "survey", "aed", "hospitals", "typology"]
    );
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    // Checking wrote nothing.
    assert_eq!(fs_err::read_dir(dir.path()).unwrap().count(), 6);
}

#[test]
fn every_part_is_checked_and_every_problem_reported() {
    let (report, _dir) = check(
        |dir| {
            replace(&dir.join("people.csv"), "69701", "69x701");
            replace(&dir.join("people.csv"), "27000", "many");
            replace(&dir.join("homes.csv"), "woningen", "dwellings");
            replace(
                &dir.join("catalogue.toml"),
                "\"reach_library_within_1km\"",
                "\"reach_library_within_2km\"",
            );
            replace(&dir.join("origins.csv"), ",6000,", ",-6,");
            replace(&dir.join("library.csv"), ",library,", ",bieb,");
        },
        true,
    );
    let found: Vec<Found> = report
        .problems
        .iter()
        .map(|p| {
            let file = p
                .file
                .as_deref()
                .and_then(|f| Path::new(f).file_name())
                .and_then(|f| f.to_str());
            (p.part, file, p.line, p.field.as_deref())
        })
        .collect();
    assert_eq!(
        found[..6],
        [
            (
                CheckPart::Tables,
                Some("people.csv"),
                Some(2),
                Some("inwoners")
            ),
            (
                CheckPart::Tables,
                Some("people.csv"),
                Some(3),
                Some("ouderen")
            ),
            (CheckPart::Tables, Some("homes.csv"), Some(1), None),
            (
                CheckPart::Reach,
                Some("origins.csv"),
                Some(3),
                Some("persons")
            ),
            (CheckPart::Reach, Some("library.csv"), Some(2), Some("kind")),
            (
                CheckPart::Catalogue,
                Some("catalogue.toml"),
                Some(19),
                Some("numerator")
            ),
        ],
        "{:#?}",
        report.problems
    );
    // The projection's inputs and the panel's files are missing.
    let rest: Vec<CheckPart> = report.problems[6..].iter().map(|p| p.part).collect();
    assert_eq!(
        rest,
        [
            CheckPart::Projection,
            CheckPart::Survey,
            CheckPart::Survey,
            CheckPart::Survey
        ],
        "{:#?}",
        &report.problems[6..]
    );
    let text = report.problems[0].to_string();
    assert!(
        text.ends_with("people.csv, line 2, field `inwoners`: expected a number (decimal point) or a CBS symbol `.`, `x`, `-99997`, found `69x701`"),
        "{text}"
    );
    assert!(report.tables.is_none() && report.catalogue.is_none());
}

#[test]
fn data_and_catalogue_that_do_not_meet_are_warned_about() {
    let (report, _dir) = check(
        |dir| {
            let manifest = dir.join("manifest.toml");
            replace(
                &manifest,
                "variable = \"dwellings\"",
                "variable = \"dwelings\"",
            );
            replace(
                &manifest,
                "[survey]\nschema = \"schema.toml\"\npanel = \"panel.csv\"\nmargins = \"margins.csv\"\n",
                "",
            );
            replace(
                &dir.join("catalogue.toml"),
                "numerator = \"inhabitants_65_plus\"",
                "numerator = \"inhabitants_80_plus\"",
            );
        },
        false,
    );
    assert!(report.is_ok(), "{:#?}", report.problems);
    assert_eq!(report.warnings.len(), 2, "{:#?}", report.warnings);
    assert!(
        report.warnings[0].contains("facts of `dwelings` (source homes)"),
        "{}",
        report.warnings[0]
    );
    assert!(
        report.warnings[1].contains(
            "indicator `share_65_plus_again`: no source of the bundle gives `inhabitants_80_plus`"
        ),
        "{}",
        report.warnings[1]
    );
}

#[test]
fn time_thresholds_out_of_order_are_refused_naming_the_kind_and_field() {
    let (report, _dir) = check(
        |dir| {
            replace(
                &dir.join("manifest.toml"),
                "thresholds_m = [1000, 5000]\n",
                "thresholds_m = [1000, 5000]\nthresholds_min = [30, 15]\n",
            );
        },
        false,
    );
    let text: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|t| t.contains(
            "[[reach.kind]] `library`, field `thresholds_min`: expected whole minutes above 0 in ascending order, found [30.0, 15.0]"
        )),
        "{text:#?}"
    );
}

const AED_SECTION: &str = r#"
[aed]
year = 2024
register = "aed.csv"
responders = "responders.csv"
synthetic_notice = "SYNTHETIC test register"

[aed.source]
id = "aed_mini"
file = "."
table = "AEDs"
licence = "CC0"
attribution = "test"
description = "AEDs of the mini bundle"
"#;

#[test]
fn an_aed_register_is_summarised_or_every_bad_record_named_with_line_and_field() {
    let with_aed = |register: &'static str, responders: &'static str| {
        check(
            move |dir| {
                let manifest = dir.join("manifest.toml");
                let text = fs_err::read_to_string(&manifest).unwrap();
                fs_err::write(&manifest, format!("{text}{AED_SECTION}")).unwrap();
                fs_err::write(dir.join("aed.csv"), register).unwrap();
                fs_err::write(dir.join("responders.csv"), responders).unwrap();
            },
            false,
        )
        .0
    };
    let good = with_aed(
        "id,lon,lat,indoor,opening_hours,access,registered
a1,6.56,52.99,no,24/7,yes,yes
a2,6.90,52.78,yes,Mo-Fr 08:00-17:00,yes,yes
",
        "pc4,responders\n9401,120\n7811,80\n",
    );
    let aed = good.monitors.iter().find(|m| m.what == "aed").unwrap();
    assert_eq!(
        aed.detail,
        "SYNTHETIC register: 2 AEDs (1 day and night), 200 responders in 2 postcode areas; covered within 500 m by straight line"
    );
    let bad = with_aed(
        "id,lon,lat,indoor,opening_hours,access,registered
a1,6.56,52.99,no,24/7,yes,yes
a2,6.90,52.78,yes,Mo-Fr 25:00-17:00,yes,yes
",
        "pc4,responders\n9401,120\n78110,80\n",
    );
    // (The mini bundle's panel files are missing: those problems are the survey's.)
    let aed_problems: Vec<_> = bad
        .problems
        .iter()
        .filter(|p| p.part != CheckPart::Survey)
        .collect();
    let found: Vec<(CheckPart, Option<u64>, Option<&str>)> = aed_problems
        .iter()
        .map(|p| (p.part, p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (CheckPart::Aed, Some(3), Some("opening_hours")),
            (CheckPart::Aed, Some(3), Some("pc4")),
        ],
        "{:#?}",
        bad.problems
    );
    assert!(
        aed_problems[1]
            .message
            .contains("expected four digits, found `78110`")
    );
}

#[test]
fn an_aed_time_budget_becomes_the_distance_a_responder_covers_there_and_back() {
    let with = |fields: &'static str| {
        check(
            move |dir| {
                let manifest = dir.join("manifest.toml");
                let text = fs_err::read_to_string(&manifest).unwrap();
                let section = AED_SECTION.replace("year = 2024\n", &format!("year = 2024\n{fields}"));
                fs_err::write(&manifest, format!("{text}{section}")).unwrap();
                fs_err::write(
                    dir.join("aed.csv"),
                    "id,lon,lat,indoor,opening_hours,access,registered\na1,6.56,52.99,no,24/7,yes,yes\n",
                )
                .unwrap();
                fs_err::write(dir.join("responders.csv"), "pc4,responders\n9401,1\n").unwrap();
            },
            false,
        )
        .0
    };
    let detail = |report: &CheckReport| {
        report
            .monitors
            .iter()
            .find(|m| m.what == "aed")
            .map(|m| m.detail.clone())
    };
    // Six minutes there and back: 500 m at the convention's 2.78 m/s, 324 m at the slowest
    // measured responders' 1.8 m/s.
    assert!(
        detail(&with("minutes = 6\n"))
            .unwrap()
            .ends_with("within 500 m by straight line")
    );
    assert!(
        detail(&with("minutes = 6\nspeed_m_per_s = 1.8\n"))
            .unwrap()
            .ends_with("within 324 m by straight line")
    );
    let both = with("minutes = 6\nwithin_m = 400\n");
    assert!(detail(&both).is_none());
    assert!(
        both.problems
            .iter()
            .any(|p| p.message.contains("give `within_m` or `minutes`")),
        "{:#?}",
        both.problems
    );
}
