//! The Drenthe demo's SYNTHETIC AED register: what the generator writes is what the bundle
//! holds, and the monitor computes from it the published figures it was calibrated to.

use std::path::{Path, PathBuf};

use leefbaar_aed::availability::always_available;
use leefbaar_aed::registration::Placement;
use leefbaar_model::AreaLevel;
use leefbaar_monitor::aed::synthetic::{FOLDER, REGISTER_FILE, RESPONDERS_FILE, generate};
use leefbaar_monitor::aed::{AedMonitor, rules};
use leefbaar_monitor::reach::{ReachMonitor, ReachOptions};

fn manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml")
}

#[test]
fn the_synthetic_drenthe_register_is_what_the_generator_writes_and_reproduces_the_published_figures()
 {
    let (bundle, _) = leefbaar_ingest::read_bundle_spec(&manifest()).unwrap();
    let reach_spec = bundle.reach.clone().unwrap();
    let reach = ReachMonitor::prepare(
        &reach_spec,
        (&bundle.province, "Drenthe"),
        &ReachOptions::default(),
    )
    .unwrap();
    let folder = manifest().parent().unwrap().join(FOLDER);
    let generated = generate(&reach, &folder).unwrap();
    // Byte for byte: regenerate with `cargo run --release -p leefbaar-monitor --example
    // generate_aed_register` after a change that moves an AED.
    assert_eq!(
        generated.register,
        fs_err::read_to_string(folder.join(REGISTER_FILE)).unwrap()
    );
    assert_eq!(
        generated.responders,
        fs_err::read_to_string(folder.join(RESPONDERS_FILE)).unwrap()
    );

    let aed = AedMonitor::prepare(bundle.aed.as_ref().unwrap(), &reach).unwrap();
    // Published for 2019: about 700 registered AEDs, about 500 of them day and night, about 200
    // inside.
    assert_eq!(aed.aeds().len(), 700);
    assert_eq!(
        aed.aeds().iter().filter(|a| always_available(a)).count(),
        500
    );
    assert_eq!(
        aed.aeds()
            .iter()
            .filter(|a| a.placement == Placement::Indoor)
            .count(),
        200
    );
    let rule = rules().iter().position(|r| *r == "24_7").unwrap();
    let municipalities = aed.coverage(AreaLevel::Municipality);
    let uncovered = |persons: f64, covered: f64| 100.0 * (1.0 - covered / persons);
    let (persons, covered) = municipalities
        .iter()
        .fold((0.0, 0.0), |(p, c), m| (p + m.persons, c + m.covered[rule]));
    // About a fifth of Drenthe (c. 2023), to the published whole percent.
    let drenthe = uncovered(persons, covered);
    assert!((drenthe - 20.0).abs() < 0.5, "Drenthe {drenthe:.2} %");
    let share_of = |code: &str| {
        let m = municipalities
            .iter()
            .find(|m| m.area.to_string() == code)
            .unwrap();
        uncovered(m.persons, m.covered[rule])
    };
    // About a third in De Wolden and Borger-Odoorn.
    for code in ["GM1690", "GM1681"] {
        let share = share_of(code);
        assert!((share - 33.0).abs() < 0.5, "{code} {share:.2} %");
    }
    // Not calibrated: Assen comes out best, as published.
    let best = municipalities
        .iter()
        .min_by(|a, b| {
            uncovered(a.persons, a.covered[rule]).total_cmp(&uncovered(b.persons, b.covered[rule]))
        })
        .unwrap();
    assert_eq!(best.area.to_string(), "GM0106");
    // Opening hours only add: by day at least the 24/7 coverage.
    let day = rules().iter().position(|r| *r == "day").unwrap();
    assert!(
        municipalities
            .iter()
            .all(|m| m.covered[day] >= m.covered[rule])
    );
    // About 10,000 responders (2019), every one in a postcode area with residents.
    let responders: u32 = generated
        .responders
        .lines()
        .skip(1)
        .map(|line| line.split_once(',').unwrap().1.parse::<u32>().unwrap())
        .sum();
    assert_eq!(responders, 10_000);

    // White spots: every uncovered resident is in one, most uncovered first.
    let spots = aed.white_spots(rule, 0.0, None);
    let in_spots: f64 = spots.iter().map(|s| s.uncovered).sum();
    assert!((in_spots - (persons - covered)).abs() < 1e-6 * persons);
    assert!(spots.windows(2).all(|w| w[0].uncovered >= w[1].uncovered));

    // Five new AEDs in De Wolden: gains in people that add up, a rising curve.
    let de_wolden: leefbaar_model::AreaCode = "GM1690".parse().unwrap();
    let plan = aed.placement(rule, 5, false, Some(&de_wolden));
    assert_eq!(plan.sites.len(), 5);
    let gains: f64 = plan.sites.iter().map(|s| s.gain).sum();
    assert!((plan.covered_now + gains - plan.covered_after).abs() < 1e-6);
    assert!(plan.sites.windows(2).all(|w| w[0].gain >= w[1].gain));
    assert!(plan.curve.windows(2).all(|w| w[0] <= w[1]));
    assert!((plan.curve[0] - plan.covered_now).abs() < 1e-6);
    assert!(
        plan.sites
            .iter()
            .all(|s| s.municipality.as_ref() == Some(&de_wolden))
    );
    // Moving the AEDs that hang inside out helps, and moving them where they cover most helps
    // at least as much as hanging them outside where they are.
    let moved = aed.placement(rule, 0, true, Some(&de_wolden));
    // Only De Wolden's own indoor and part-time AEDs move.
    let movable = aed
        .aed_points()
        .into_iter()
        .filter(|p| p.public && !p.available[rule] && p.municipality.as_ref() == Some(&de_wolden))
        .count();
    assert_eq!(moved.moves.len(), movable);
    let outside = moved.covered_outside_in_place.unwrap();
    assert!(outside >= moved.covered_now && moved.covered_after >= outside);
}
