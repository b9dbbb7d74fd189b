//! Checks of the hospital scenarios: a layout counted by hand, and on seeded random layouts that
//! closing never brings anyone closer, that reopening gives the baseline back exactly, and that
//! the ranking agrees with a plain search over the open hospitals.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// Origins, hospitals and posts on the equator, where a degree of longitude is one great-circle
/// degree, with a speed that drives a degree in exactly an hour: positions read as minutes.
fn on_equator(lon: f64) -> Wgs84Point {
    Wgs84Point::new(lon, 0.0)
}

fn hour_per_degree() -> HospitalParams {
    HospitalParams {
        detour_factor: 1.0,
        speed_m_per_s: haversine_m(on_equator(0.0), on_equator(1.0)) / 3_600.0,
        dispatch_s: 180.0,
        on_scene_s: 600.0,
    }
}

fn origin(id: &str, lon: f64, persons: f64, persons_75_plus: f64) -> CareOrigin {
    CareOrigin {
        id: id.to_owned(),
        point: on_equator(lon),
        persons,
        persons_75_plus,
    }
}

fn place(id: &str, lon: f64) -> CarePoint {
    CarePoint {
        id: id.to_owned(),
        point: on_equator(lon),
    }
}

const MIN: f64 = 60.0;

/// (persons, persons 75+) beyond car 30 min, car 45 min and call 45 min, per area, rounded to
/// whole persons.
fn counts(model: &HospitalModel, origins: &[CareOrigin], closed: &[bool]) -> Vec<[(f64, f64); 3]> {
    let care = model.outcome(closed);
    HospitalModel::tally(
        origins,
        &care,
        &[0, 0, 1],
        2,
        &[30.0 * MIN, 45.0 * MIN],
        &[45.0 * MIN],
    )
    .iter()
    .map(|t| [t.car_beyond[0], t.car_beyond[1], t.call_beyond[0]])
    .collect()
}

#[test]
fn a_three_hospital_layout_gives_the_counts_worked_out_by_hand() {
    // Hospitals A, B, C at 0, 24 and 72 minutes east; the one post at 12 minutes.
    let hospitals = [place("A", 0.0), place("B", 0.4), place("C", 1.2)];
    let posts = [place("P", 0.2)];
    // o1 at 6 min: A 6, B 18; call 3 + 6 + 10 + 6 = 25.
    // o2 at 46.8 min: B 22.8, C 25.2, A 46.8; call 3 + 34.8 + 10 + 22.8 = 70.6.
    // o3 at 60 min: C 12, B 36, A 60; call 3 + 48 + 10 + 12 = 73.
    let origins = [
        origin("o1", 0.1, 100.0, 10.0),
        origin("o2", 0.78, 200.0, 50.0),
        origin("o3", 1.0, 50.0, 5.0),
    ];
    let model = HospitalModel::prepare(&origins, &hospitals, &posts, hour_per_degree()).unwrap();
    let none = (0.0, 0.0);

    // Everything open: only the call leaves o2 and o3 beyond 45 minutes.
    assert_eq!(
        counts(&model, &origins, &[false; 3]),
        vec![[none, none, (200.0, 50.0)], [none, none, (50.0, 5.0)]]
    );
    let care = model.outcome(&[false; 3]);
    assert_eq!(
        care.iter().map(|c| c.hospital).collect::<Vec<_>>(),
        [Some(0), Some(1), Some(2)]
    );
    assert!((care[1].call_s.unwrap() - 70.6 * MIN).abs() < 1e-6);

    // A closed: o1 goes to B (18 min; call 37), and no count changes.
    assert_eq!(model.outcome(&[true, false, false])[0].hospital, Some(1));
    assert_eq!(
        counts(&model, &origins, &[true, false, false]),
        counts(&model, &origins, &[false; 3])
    );

    // C closed: o3 goes to B, 36 minutes: beyond 30, within 45.
    assert_eq!(
        counts(&model, &origins, &[false, false, true]),
        vec![
            [none, none, (200.0, 50.0)],
            [(50.0, 5.0), none, (50.0, 5.0)]
        ]
    );

    // B and C closed: o2 drives 46.8 minutes to A, o3 60 minutes.
    assert_eq!(
        counts(&model, &origins, &[false, true, true]),
        vec![
            [(200.0, 50.0), (200.0, 50.0), (200.0, 50.0)],
            [(50.0, 5.0), (50.0, 5.0), (50.0, 5.0)]
        ]
    );

    // All closed: nobody has a hospital, and everyone is beyond every threshold.
    assert_eq!(
        counts(&model, &origins, &[true; 3]),
        vec![[(300.0, 60.0); 3], [(50.0, 5.0); 3]]
    );
    assert_eq!(model.outcome(&[true; 3])[0].hospital, None);
}

fn random_layout(rng: &mut ChaCha8Rng) -> (Vec<CareOrigin>, Vec<CarePoint>, Vec<CarePoint>) {
    let point = |rng: &mut ChaCha8Rng| {
        Wgs84Point::new(rng.random_range(5.0..7.5), rng.random_range(52.0..53.6))
    };
    let origins = (0..rng.random_range(1..60))
        .map(|i| CareOrigin {
            id: format!("o{i}"),
            point: point(rng),
            persons: f64::from(rng.random_range(0..5_000u32)),
            persons_75_plus: f64::from(rng.random_range(0..500u32)),
        })
        .collect();
    let hospitals = (0..rng.random_range(1..12))
        .map(|i| CarePoint {
            id: format!("h{i}"),
            point: point(rng),
        })
        .collect();
    let posts = (0..rng.random_range(0..6))
        .map(|i| CarePoint {
            id: format!("p{i}"),
            point: point(rng),
        })
        .collect();
    (origins, hospitals, posts)
}

fn params() -> HospitalParams {
    HospitalParams {
        detour_factor: 1.3,
        speed_m_per_s: 60.0 / 3.6,
        dispatch_s: 180.0,
        on_scene_s: 600.0,
    }
}

#[test]
fn closing_a_hospital_never_brings_anyone_closer() {
    for seed in 0..300u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (origins, hospitals, posts) = random_layout(&mut rng);
        let model = HospitalModel::prepare(&origins, &hospitals, &posts, params()).unwrap();
        let closed: Vec<bool> = hospitals.iter().map(|_| rng.random_bool(0.4)).collect();
        let mut more = closed.clone();
        let extra = rng.random_range(0..hospitals.len());
        more[extra] = true;
        let (before, after) = (model.outcome(&closed), model.outcome(&more));
        for (o, (b, a)) in before.iter().zip(&after).enumerate() {
            // `None` (no open hospital) is farther than any time.
            let later = |b: Option<f64>, a: Option<f64>| match (b, a) {
                (Some(b), Some(a)) => a >= b,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            assert!(
                later(b.car_s, a.car_s),
                "seed {seed}, origin {o}: {b:?} -> {a:?}"
            );
            assert!(
                later(b.call_s, a.call_s),
                "seed {seed}, origin {o}: {b:?} -> {a:?}"
            );
        }
        let tally = |care: &[OriginCare]| {
            HospitalModel::tally(
                &origins,
                care,
                &vec![0; origins.len()],
                1,
                &[1_800.0, 2_700.0],
                &[2_700.0],
            )
        };
        let (t_before, t_after) = (&tally(&before)[0], &tally(&after)[0]);
        for (b, a) in t_before
            .car_beyond
            .iter()
            .chain(&t_before.call_beyond)
            .zip(t_after.car_beyond.iter().chain(&t_after.call_beyond))
        {
            assert!(a.0 >= b.0 && a.1 >= b.1, "seed {seed}: {b:?} -> {a:?}");
        }
    }
}

#[test]
fn reopening_gives_back_the_baseline_exactly() {
    for seed in 0..200u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (origins, hospitals, posts) = random_layout(&mut rng);
        let model = HospitalModel::prepare(&origins, &hospitals, &posts, params()).unwrap();
        let baseline = model.outcome(&[]);
        for _ in 0..5 {
            let closed: Vec<bool> = hospitals.iter().map(|_| rng.random_bool(0.5)).collect();
            let _ = model.outcome(&closed);
            assert_eq!(
                model.outcome(&vec![false; hospitals.len()]),
                baseline,
                "seed {seed}"
            );
        }
    }
}

#[test]
fn the_ranking_agrees_with_a_plain_search_over_the_open_hospitals() {
    for seed in 0..200u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (origins, hospitals, posts) = random_layout(&mut rng);
        let model = HospitalModel::prepare(&origins, &hospitals, &posts, params()).unwrap();
        let closed: Vec<bool> = hospitals.iter().map(|_| rng.random_bool(0.5)).collect();
        for (o, care) in model.outcome(&closed).iter().enumerate() {
            let plain = hospitals
                .iter()
                .enumerate()
                .filter(|(h, _)| !closed[*h])
                .map(|(h, hospital)| (model.travel_s(origins[o].point, hospital.point), h))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            assert_eq!(care.hospital, plain.map(|p| p.1), "seed {seed}, origin {o}");
            assert_eq!(care.car_s, plain.map(|p| p.0), "seed {seed}, origin {o}");
        }
    }
}

#[test]
fn a_bad_coordinate_names_its_record() {
    let bad = CarePoint {
        id: "ZH99".to_owned(),
        point: Wgs84Point::new(f64::NAN, 52.0),
    };
    let error = HospitalModel::prepare(&[], &[bad], &[], params()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "facility `ZH99`: bad coordinate lon=NaN, lat=52"
    );
}
