//! Placement against slow obvious code: greedy and the local search against the exact optimum
//! on seeded random small instances, relocation on hand-made layouts and random ones. The Delft
//! cases (coverage sets over a real foot network) are in the crate's `tests.rs`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Plan, coverage_curve, exact, greedy, place, relocate};

/// A small instance: coverage sets, persons per home, homes already covered.
struct Instance {
    sets: Vec<Vec<usize>>,
    weights: Vec<f64>,
    covered: Vec<bool>,
}

/// Up to `max_sites` sites over up to `max_homes` homes, each site covering a random share of
/// the homes (some none), whole persons per home (0 to 20, so that sums are exact and equal
/// optima compare equal), a fifth of the homes already covered.
fn instance(rng: &mut ChaCha8Rng, max_sites: usize, max_homes: usize) -> Instance {
    let n_sites = rng.random_range(1..=max_sites);
    let n_homes = rng.random_range(1..=max_homes);
    let density = rng.random_range(0.02..0.3);
    let sets = (0..n_sites)
        .map(|_| (0..n_homes).filter(|_| rng.random_bool(density)).collect())
        .collect();
    let weights = (0..n_homes)
        .map(|_| f64::from(rng.random_range(0_u8..=20)))
        .collect();
    let covered = (0..n_homes).map(|_| rng.random_bool(0.2)).collect();
    Instance {
        sets,
        weights,
        covered,
    }
}

/// The weight covered by `sites` and the homes already covered, counted from scratch.
fn covered_by(instance: &Instance, sites: &[usize]) -> f64 {
    let mut covered = instance.covered.clone();
    for &s in sites {
        for &h in &instance.sets[s] {
            covered[h] = true;
        }
    }
    super::covered_weight(&instance.weights, &covered)
}

fn plan(instance: &Instance, k: usize, improve: bool) -> Plan {
    place(
        &instance.sets,
        &instance.weights,
        &instance.covered,
        k,
        improve,
    )
}

const GUARANTEE: f64 = 1.0 - 1.0 / std::f64::consts::E;

/// No single swap of a chosen site for another covers more, by trying every one.
fn no_swap_covers_more(instance: &Instance, plan: &Plan) -> bool {
    let chosen: Vec<usize> = plan.sites.iter().map(|s| s.site).collect();
    (0..chosen.len()).all(|position| {
        (0..instance.sets.len())
            .filter(|site| !chosen.contains(site))
            .all(|site| {
                let mut swapped = chosen.clone();
                swapped[position] = site;
                covered_by(instance, &swapped) <= plan.covered_after
            })
    })
}

// The local search from greedy does not reach the exact optimum on every small instance: on
// 122 of these 3,000 it stops in a local optimum (checked: no single swap covers more) below
// the best choice, for k = 2 or 3 (the first is case 49, k = 2: 179 persons against 182).
// Greedy alone is optimal on 2,753 of them (91.8 %), with the local search on 2,878 (95.9 %).
// The test therefore asserts the guarantee, that the search ends in a local optimum, and the
// counts of exact optima as measured, so that a change to either method shows.
#[test]
fn greedy_keeps_its_guarantee_and_local_search_is_optimal_on_most_small_instances() {
    // Seed 14 (the issue); 3,000 instances of up to 30 sites, 60 homes and k ≤ 3.
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let (mut greedy_optimal, mut improved_optimal) = (0, 0);
    for case in 0..3000 {
        let instance = instance(&mut rng, 30, 60);
        let k = rng.random_range(1..=3);
        let (best_sites, optimum) =
            exact(&instance.sets, &instance.weights, &instance.covered, k).unwrap();
        assert_eq!(covered_by(&instance, &best_sites), optimum, "case {case}");
        let greedy_alone = plan(&instance, k, false);
        let added = greedy_alone.covered_after - greedy_alone.covered_before;
        let best_added = optimum - greedy_alone.covered_before;
        assert!(added <= best_added, "case {case} (seed 14)");
        assert!(
            added >= GUARANTEE * best_added,
            "case {case} (seed 14): greedy adds {added}, the optimum {best_added}"
        );
        let improved = plan(&instance, k, true);
        assert!(improved.covered_after >= greedy_alone.covered_after);
        assert!(improved.covered_after <= optimum, "case {case} (seed 14)");
        assert!(
            no_swap_covers_more(&instance, &improved),
            "case {case} (seed 14)"
        );
        greedy_optimal += usize::from(greedy_alone.covered_after == optimum);
        improved_optimal += usize::from(improved.covered_after == optimum);
    }
    assert_eq!((greedy_optimal, improved_optimal), (2753, 2878));
}

#[test]
fn local_search_never_lowers_the_greedy_value_and_the_gains_sum_to_what_is_added() {
    let mut rng = ChaCha8Rng::seed_from_u64(1974);
    let mut swaps = 0;
    for case in 0..300 {
        let instance = instance(&mut rng, 200, 300);
        let k = rng.random_range(0..=12);
        let improved = plan(&instance, k, true);
        let greedy_alone = plan(&instance, k, false);
        assert_eq!(improved.covered_by_greedy, greedy_alone.covered_after);
        assert!(
            improved.covered_after >= improved.covered_by_greedy,
            "case {case}"
        );
        assert!(improved.sites.len() <= k);
        swaps += improved.swaps;
        let sites: Vec<usize> = improved.sites.iter().map(|s| s.site).collect();
        assert_eq!(covered_by(&instance, &sites), improved.covered_after);
        assert_eq!(
            improved.covered_before + improved.added(),
            improved.covered_after
        );
        assert!(improved.sites.windows(2).all(|w| w[0].gain >= w[1].gain));
        for (i, site) in improved.sites.iter().enumerate() {
            let mut without = sites.clone();
            without.remove(i);
            assert_eq!(
                improved.covered_after - covered_by(&instance, &without),
                site.loss_if_removed,
                "case {case}, site {}",
                site.site
            );
            assert!(site.loss_if_removed <= site.gain);
        }
    }
    assert!(swaps > 0, "the local search never swapped");
}

#[test]
fn the_coverage_curve_rises_from_the_covered_weight_and_its_kth_value_is_greedys() {
    let mut rng = ChaCha8Rng::seed_from_u64(1978);
    for _ in 0..100 {
        let instance = instance(&mut rng, 100, 200);
        let curve = coverage_curve(&instance.sets, &instance.weights, &instance.covered, 15);
        assert_eq!(curve.len(), 16);
        assert_eq!(curve[0], covered_by(&instance, &[]));
        assert!(curve.windows(2).all(|w| w[0] <= w[1]), "{curve:?}");
        for (k, value) in curve.iter().enumerate() {
            assert_eq!(*value, plan(&instance, k, false).covered_after, "k = {k}");
        }
        let picks = greedy(&instance.sets, &instance.weights, &instance.covered, 15);
        let sites: Vec<usize> = picks.iter().map(|p| p.site).collect();
        assert_eq!(covered_by(&instance, &sites), curve[picks.len()]);
    }
}

/// Weights as persons: a left, a right and a middle site; the middle one covers most alone,
/// the left and right together cover most of all.
fn left_middle_right() -> Instance {
    // Homes: 0, 1 left; 2, 3 right; 4 between them.
    Instance {
        sets: vec![vec![0, 1], vec![0, 2, 4], vec![2, 3]],
        weights: vec![2.0, 2.0, 2.0, 2.0, 1.0],
        covered: vec![false; 5],
    }
}

#[test]
fn a_plan_gives_each_site_its_gain_in_people_and_its_loss_if_removed() {
    // (instance, k, improve, expected sites as (site, gain, loss), greedy's value, swaps)
    type Expected = (Vec<(usize, f64, f64)>, f64, f64, usize);
    let cases: [(Instance, usize, bool, Expected); 4] = [
        (
            left_middle_right(),
            1,
            true,
            (vec![(1, 5.0, 5.0)], 5.0, 5.0, 0),
        ),
        // Greedy takes the middle (5 persons), then the left (2 more); swapping the middle for
        // the right covers all 8 the candidates reach but the one in between.
        (
            left_middle_right(),
            2,
            false,
            (vec![(1, 5.0, 3.0), (0, 2.0, 2.0)], 7.0, 7.0, 0),
        ),
        (
            left_middle_right(),
            2,
            true,
            (vec![(0, 4.0, 4.0), (2, 4.0, 4.0)], 7.0, 8.0, 1),
        ),
        // Three sites cover everyone (9 persons) and no fourth adds anyone; without the middle
        // one only home 4 is lost, without the left or the right one a home of 2.
        (
            left_middle_right(),
            5,
            true,
            (
                vec![(1, 5.0, 1.0), (0, 2.0, 2.0), (2, 2.0, 2.0)],
                9.0,
                9.0,
                0,
            ),
        ),
    ];
    for (instance, k, improve, (sites, by_greedy, after, swaps)) in cases {
        let plan = plan(&instance, k, improve);
        let got: Vec<(usize, f64, f64)> = plan
            .sites
            .iter()
            .map(|s| (s.site, s.gain, s.loss_if_removed))
            .collect();
        assert_eq!(got, sites, "k = {k}, improve = {improve}");
        assert_eq!(
            (
                plan.covered_before,
                plan.covered_by_greedy,
                plan.covered_after,
                plan.swaps
            ),
            (0.0, by_greedy, after, swaps),
            "k = {k}, improve = {improve}"
        );
    }
}

#[test]
fn equal_sites_are_chosen_by_lowest_index_and_a_plan_repeats_exactly() {
    let instance = Instance {
        sets: vec![vec![0], vec![1, 2], vec![1, 2], vec![0]],
        weights: vec![1.0, 1.0, 1.0],
        covered: vec![false; 3],
    };
    let plan_once = plan(&instance, 2, true);
    let sites: Vec<usize> = plan_once.sites.iter().map(|s| s.site).collect();
    assert_eq!(sites, [1, 0]);
    assert_eq!(plan_once, plan(&instance, 2, true));
}

#[test]
fn exact_declines_when_there_are_too_many_choices() {
    let instance = Instance {
        sets: vec![vec![0]; 300],
        weights: vec![1.0],
        covered: vec![false],
    };
    let exact_of = |k| exact(&instance.sets, &instance.weights, &instance.covered, k);
    // C(300, 3) = 4,455,100 choices; C(300, 2) = 44,850.
    assert_eq!(exact_of(3), None);
    assert_eq!(exact_of(2), Some((vec![0, 1], 1.0)));
    assert_eq!(exact_of(0), Some((vec![], 0.0)));
    // More sites asked for than there are: all of them.
    let two = Instance {
        sets: vec![vec![0], vec![1]],
        weights: vec![1.0, 2.0],
        covered: vec![false; 2],
    };
    assert_eq!(
        exact(&two.sets, &two.weights, &two.covered, 5),
        Some((vec![0, 1], 3.0))
    );
}

#[test]
fn an_indoor_aed_that_covers_nobody_new_moves_to_the_uncovered_village() {
    // Homes 0–2: the town, covered by an outdoor AED that stays (weights 100, 50, 50).
    // Homes 3–4: a village nobody covers (80 and 40 persons).
    // Site 0: the indoor AED in the town, covering only the town. Site 1: the village square.
    // Site 2: a farm covering one village home.
    let sets = vec![vec![0, 1, 2], vec![3, 4], vec![4]];
    let weights = [100.0, 50.0, 50.0, 80.0, 40.0];
    let fixed = [true, true, true, false, false];
    let relocation = relocate(&sets, &weights, &fixed, &[0], 0);
    assert_eq!(
        relocation.moves,
        [super::Move { from: 0, to: 1 }],
        "{relocation:?}"
    );
    assert!(relocation.new_sites.is_empty());
    assert_eq!(relocation.covered_before, 200.0);
    assert_eq!(relocation.covered_without_moves, 200.0);
    assert_eq!(relocation.covered_after, 320.0);
    // With one new AED as well, the new one takes the village square and the indoor one
    // stays: moving it would add nobody more.
    let relocation = relocate(&sets, &weights, &fixed, &[0], 1);
    assert!(relocation.moves[0].stays(), "{relocation:?}");
    let new: Vec<usize> = relocation.new_sites.iter().map(|s| s.site).collect();
    assert_eq!(new, [1]);
    assert_eq!(relocation.covered_without_moves, 320.0);
    assert_eq!(relocation.covered_after, 320.0);
}

#[test]
fn an_aed_whose_site_is_already_the_best_stays_and_the_other_one_moves() {
    // Site 0: AED A, covering the town (homes 0–2, 10 persons each). Site 1: AED B, covering
    // one town home only. Site 2: the village square (homes 3–4, 8 persons each).
    let sets = vec![vec![0, 1, 2], vec![0], vec![3, 4]];
    let weights = [10.0, 10.0, 10.0, 8.0, 8.0];
    // B first: A keeps its site although B comes first in the list.
    let relocation = relocate(&sets, &weights, &[false; 5], &[1, 0], 0);
    assert_eq!(
        relocation.moves,
        [
            super::Move { from: 1, to: 2 },
            super::Move { from: 0, to: 0 }
        ]
    );
    assert_eq!(
        (relocation.covered_before, relocation.covered_after),
        (30.0, 46.0)
    );
    // Where A is already the best and a new AED covers the rest, nothing moves.
    let sets = vec![vec![0, 1, 2], vec![2, 3], vec![0, 1], vec![3]];
    let relocation = relocate(&sets, &[10.0, 10.0, 10.0, 5.0], &[false; 4], &[0], 1);
    assert!(relocation.moves[0].stays(), "{relocation:?}");
    let new: Vec<usize> = relocation.new_sites.iter().map(|s| s.site).collect();
    assert_eq!(new, [1]);
    assert_eq!(
        (relocation.covered_before, relocation.covered_after),
        (30.0, 35.0)
    );
}

#[test]
fn relocation_never_lowers_coverage_and_reports_what_it_covers() {
    let mut rng = ChaCha8Rng::seed_from_u64(1998);
    let mut moved = 0;
    for case in 0..300 {
        let instance = instance(&mut rng, 60, 120);
        let n_movable = rng.random_range(0..=4.min(instance.sets.len()));
        let movable: Vec<usize> = (0..n_movable)
            .map(|_| rng.random_range(0..instance.sets.len()))
            .collect();
        let k_new = rng.random_range(0..=3);
        let relocation = relocate(
            &instance.sets,
            &instance.weights,
            &instance.covered,
            &movable,
            k_new,
        );
        assert_eq!(covered_by(&instance, &movable), relocation.covered_before);
        assert!(relocation.covered_after >= relocation.covered_without_moves);
        assert!(relocation.covered_without_moves >= relocation.covered_before);
        assert!(relocation.new_sites.len() <= k_new);
        let froms: Vec<usize> = relocation.moves.iter().map(|m| m.from).collect();
        assert_eq!(froms, movable, "case {case}");
        let mut sites: Vec<usize> = relocation.moves.iter().map(|m| m.to).collect();
        sites.extend(relocation.new_sites.iter().map(|s| s.site));
        assert_eq!(
            covered_by(&instance, &sites),
            relocation.covered_after,
            "case {case}: {relocation:?}"
        );
        moved += relocation.moves.iter().filter(|m| !m.stays()).count();
    }
    assert!(moved > 0);
}
