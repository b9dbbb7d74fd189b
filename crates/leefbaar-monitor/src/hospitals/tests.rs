//! The hospital monitor on the bundled north: its population adds up, closing never brings
//! anyone closer, reopening gives back the baseline exactly, and the sensitive-hospitals table.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

fn bundled() -> &'static HospitalMonitor {
    static MONITOR: OnceLock<HospitalMonitor> = OnceLock::new();
    MONITOR.get_or_init(|| {
        let manifest =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/drenthe/manifest.toml");
        let (spec, _) = leefbaar_ingest::read_bundle_spec(&manifest).unwrap();
        HospitalMonitor::prepare(spec.hospitals.as_ref().unwrap()).unwrap()
    })
}

#[test]
fn the_north_keeps_every_person_of_its_origins() {
    let monitor = bundled();
    let scenario = monitor.scenario(&[]).unwrap();
    assert_eq!(
        (
            scenario.total.persons.all,
            scenario.total.persons.aged_75_plus
        ),
        (2_899_375.0, 265_820.0)
    );
    let provinces: Vec<(&str, &str, f64)> = scenario
        .provinces
        .iter()
        .map(|p| {
            let area = p.area.as_ref().unwrap();
            (area.code.as_str(), area.name.as_str(), p.persons.all)
        })
        .collect();
    assert_eq!(
        provinces,
        [
            ("PV20", "Groningen", 586_920.0),
            ("PV21", "Fryslân", 651_415.0),
            ("PV22", "Drenthe", 494_705.0),
            ("PV23", "Overijssel", 1_166_335.0)
        ]
    );
    assert_eq!(scenario.municipalities.len(), 65);
    let catchments: f64 = monitor.catchments().iter().map(|c| c.all).sum();
    assert_eq!(catchments, 2_899_375.0);
    assert!(scenario.fallbacks.is_empty());
}

#[test]
fn closing_hospitals_never_brings_anyone_closer_in_the_north() {
    let monitor = bundled();
    let n = monitor.hospitals().len();
    for seed in 0..40u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let closed: Vec<usize> = (0..n).filter(|_| rng.random_bool(0.1)).collect();
        let mut more = closed.clone();
        more.push(rng.random_range(0..n));
        more.sort_unstable();
        more.dedup();
        let (a, b) = (monitor.scenario_of(&closed), monitor.scenario_of(&more));
        for (x, y) in a.municipalities.iter().zip(&b.municipalities) {
            for (p, q) in x
                .scenario
                .car
                .iter()
                .chain(&x.scenario.call)
                .zip(y.scenario.car.iter().chain(&y.scenario.call))
            {
                assert!(
                    q.all >= p.all && q.aged_75_plus >= p.aged_75_plus,
                    "seed {seed}"
                );
            }
            for (p, q) in x
                .baseline
                .car
                .iter()
                .chain(&x.baseline.call)
                .zip(x.scenario.car.iter().chain(&x.scenario.call))
            {
                assert!(q.all >= p.all, "seed {seed}");
            }
        }
        for f in &b.fallbacks {
            assert!(
                f.car_min
                    .1
                    .is_none_or(|after| after >= f.car_min.0.unwrap())
            );
        }
    }
}

#[test]
fn reopening_every_hospital_gives_back_the_baseline_exactly() {
    let monitor = bundled();
    let baseline = monitor.scenario_of(&[]);
    let closed = monitor.scenario(&["ZH36", "ZH73", "ZH45"]).unwrap();
    assert_ne!(closed.total.scenario, closed.total.baseline);
    let reopened = monitor.scenario_of(&[]);
    assert_eq!(reopened, baseline);
    for area in &reopened.municipalities {
        assert_eq!(area.scenario, area.baseline);
    }
}

#[test]
fn an_unknown_hospital_is_named() {
    let error = bundled().scenario(&["ZH00", "ZH999"]).unwrap_err();
    assert_eq!(error.to_string(), "no hospital `ZH999`");
}

#[test]
fn the_sensitive_hospitals_of_the_north() {
    let monitor = bundled();
    let mut table = String::from(
        "hospital | catchment (75+) | extra > car 30 (75+) | > car 45 | > call 45 | sensitive\n",
    );
    for row in monitor.sensitive() {
        let h = &monitor.hospitals()[row.hospital];
        let cell = |p: &Persons| format!("{} ({})", p.all, p.aged_75_plus);
        writeln!(
            table,
            "{} {} | {} | {} | {} | {} | {}",
            h.id,
            h.name,
            cell(&row.catchment),
            cell(&row.extra.car[0]),
            cell(&row.extra.car[1]),
            cell(&row.extra.call[0]),
            row.sensitive
        )
        .unwrap();
    }
    insta::assert_snapshot!("sensitive_hospitals_north", table);
}

#[test]
fn a_bad_origin_names_its_file_line_and_field() {
    let header = "pc4,place,province,province_name,municipality,municipality_name,persons,persons_75_plus,lon,lat\n";
    let good = "9401,Assen,PV22,Drenthe,GM0106,Assen,100,10,6.56,52.99\n";
    let cases = [
        (
            "9402,Assen,PV22,Drenthe,GM0106,Assen,100,101,6.56,52.99\n",
            "line 3, field `persons_75_plus`: expected at most the persons (100), found `101`",
        ),
        (
            "9402,Assen,PV22,Drenthe,GM0106,Assen,12.5,1,6.56,52.99\n",
            "line 3, field `persons`: expected a whole count of 0 or more, found `12.5`",
        ),
        (
            "9402,Assen,PV21,Fryslân,GM0106,Assen,100,1,6.56,52.99\n",
            "line 3, field `province`: expected PV22 (the province of GM0106 on an earlier line), found `PV21`",
        ),
        (
            "9402,Assen,PV22,Drenthe,WK010601,Assen,100,1,6.56,52.99\n",
            "line 3, field `municipality`: expected a CBS municipality code, found `WK010601`",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (row, expected) in cases {
        let path = dir.path().join("origins.csv");
        fs_err::write(&path, format!("{header}{good}{row}")).unwrap();
        let mut spec = bundled().spec().clone();
        spec.origins = path;
        let error = HospitalMonitor::prepare(&spec).unwrap_err().to_string();
        assert!(error.ends_with(expected), "{error}");
        assert!(error.contains("origins.csv"), "{error}");
    }
}
