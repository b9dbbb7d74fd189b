//! The typology on the bundled data: every municipality of the Netherlands (2024 division) has
//! exactly one class, and every area's bubbles hold all its residents.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use leefbaar_model::AreaCode;
use leefbaar_monitor::typology::{CHANGES, Typology};

fn bundled() -> Typology {
    let manifest =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
    let (spec, _) = leefbaar_ingest::read_bundle_spec(&manifest).unwrap();
    Typology::prepare(
        spec.typology.as_ref().unwrap(),
        spec.projection.as_ref().unwrap(),
        &AreaCode::parse("PV22").unwrap(),
    )
    .unwrap()
}

#[test]
fn every_municipality_of_the_netherlands_has_exactly_one_class() {
    let typology = bundled();
    assert_eq!(typology.municipalities.len(), 342);
    let codes: BTreeSet<&AreaCode> = typology.municipalities.iter().map(|m| &m.code).collect();
    assert_eq!(codes.len(), 342);
    let netherlands = typology.area("NL01").unwrap();
    assert_eq!(netherlands.municipalities, 342);
    for municipality in &typology.municipalities {
        let bubbles = netherlands
            .bubbles
            .iter()
            .filter(|b| b.change == municipality.change && b.degree == municipality.degree)
            .count();
        assert_eq!(bubbles, 1, "{}", municipality.code);
        assert!(CHANGES.contains(&municipality.change));
    }
    // Twelve provinces after the Netherlands; Drenthe is the monitored one, with its 12.
    assert_eq!(typology.areas.len(), 13);
    let drenthe = typology.area("PV22").unwrap();
    assert!(drenthe.monitored);
    assert_eq!(drenthe.municipalities, 12);
}

/// Prints the shares for the method note and the issue (`cargo test -p leefbaar-monitor
/// --test typology -- --nocapture`), and the time the typology takes.
#[test]
fn the_shares_of_the_netherlands_and_the_provinces() {
    let started = std::time::Instant::now();
    let typology = bundled();
    let elapsed = started.elapsed();
    println!("prepared in {elapsed:?}");
    let netherlands = &typology.areas[0];
    let mut header = format!("{:<22}", "area");
    for bubble in &netherlands.bubbles {
        let label = format!(
            "{}-{}",
            &bubble.change.as_str()[..3],
            &typology.degrees[bubble.degree].id[..3]
        );
        write!(header, " {label:>7}").unwrap();
    }
    println!("{header}");
    for area in &typology.areas {
        let mut line = format!("{:<22}", format!("{} {}", area.code, area.name));
        for bubble in &area.bubbles {
            write!(line, " {:>7.2}", bubble.share_from_pct).unwrap();
        }
        println!("{line}");
    }
    assert_eq!(netherlands.bubbles.len(), 12);
}

#[test]
fn the_bubbles_of_every_area_hold_all_its_residents() {
    let typology = bundled();
    let provinces: u64 = typology.areas[1..].iter().map(|a| a.population_from).sum();
    assert_eq!(provinces, typology.areas[0].population_from);
    for area in &typology.areas {
        let persons: u64 = area.bubbles.iter().map(|b| b.population_from).sum();
        assert_eq!(persons, area.population_from, "{}", area.code);
        let pct: f64 = area.bubbles.iter().map(|b| b.share_from_pct).sum();
        assert!((pct - 100.0).abs() <= 0.06, "{}: {pct}", area.code);
    }
    // The projection runs through the registered totals of 2022–2024, so its 2024 is within
    // 0.1 % of the registered population (KWB 2024: 17,942,942); the lineage loses no one on
    // the way to the 2024 division.
    let netherlands = typology.areas[0].population_from;
    assert!(
        netherlands.abs_diff(17_942_942) < 17_943,
        "{netherlands} residents in 2024"
    );
}

/// The bundled data behind symbolic links in a temporary directory, with the manifest's
/// `[typology]` degrees changed by `change`; the manifest's path.
fn bundle_with_degrees(dir: &std::path::Path, change: impl FnOnce(String) -> String) -> PathBuf {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for folder in ["projection", "survey", "care"] {
        std::os::unix::fs::symlink(data.join(folder), dir.join(folder)).unwrap();
    }
    let drenthe = dir.join("drenthe");
    fs_err::create_dir(&drenthe).unwrap();
    for entry in fs_err::read_dir(data.join("drenthe")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "manifest.toml" {
            std::os::unix::fs::symlink(entry.path(), drenthe.join(entry.file_name())).unwrap();
        }
    }
    let manifest = fs_err::read_to_string(data.join("drenthe/manifest.toml")).unwrap();
    fs_err::write(drenthe.join("manifest.toml"), change(manifest)).unwrap();
    drenthe.join("manifest.toml")
}

#[test]
fn check_classes_every_municipality_or_names_the_line_and_field_of_one_it_cannot_class() {
    use leefbaar_monitor::{CheckOptions, CheckPart, check_bundle};
    let dir = tempfile::tempdir().unwrap();
    let manifest = bundle_with_degrees(dir.path(), |text| text);
    let options = CheckOptions {
        reach: false,
        ..CheckOptions::new(&manifest)
    };
    let report = check_bundle(&options);
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let summary = &report
        .monitors
        .iter()
        .find(|m| m.what == "typology")
        .unwrap()
        .detail;
    assert!(summary.starts_with("342 municipalities"), "{summary}");

    // Without urbanity code 5 in any degree, the municipalities of code 5 cannot be classed.
    let other = tempfile::tempdir().unwrap();
    let manifest = bundle_with_degrees(other.path(), |text| {
        assert!(text.contains("urbanity = [4, 5]"));
        text.replace("urbanity = [4, 5]", "urbanity = [4]")
    });
    let report = check_bundle(&CheckOptions {
        reach: false,
        ..CheckOptions::new(&manifest)
    });
    let problem = report
        .problems
        .iter()
        .find(|p| p.part == CheckPart::Typology)
        .unwrap_or_else(|| panic!("{:#?}", report.problems));
    assert!(
        problem
            .file
            .as_deref()
            .is_some_and(|file| file.ends_with("gebieden_in_nederland_gemeenten.csv")),
        "{problem:?}"
    );
    assert!(problem.line.is_some(), "{problem:?}");
    assert_eq!(problem.field.as_deref(), Some("Code_52"), "{problem:?}");
}
