//! Where new (or moved) AEDs help most: the maximal covering location problem (Church & ReVelle
//! 1974, *Papers of the Regional Science Association* 32: 101–118) on homes and candidate sites.
//! Choose `k` sites so that the weight (persons) of the homes within reach of at least one of
//! them, or of an AED that stays, is largest.
//!
//! The geometry is done once: [`coverage_sets`] gives per candidate site the homes it covers.
//! Everything else works on those sets, the weights and a mask of homes already covered:
//! - [`greedy()`] takes, at each step, the site that covers the most weight not yet covered (ties
//!   to the lower site index). Covered weight is a monotone submodular function of the chosen
//!   sites, so greedy reaches at least 1 − 1/e ≈ 63 % of the optimum (Nemhauser, Wolsey & Fisher
//!   1978, *Mathematical Programming* 14: 265–294). [`coverage_curve`] is its value against `k`.
//! - [`place`] follows greedy with an interchange local search (`placement/interchange.rs`, the
//!   vertex substitution of Teitz & Bart 1968, *Operations Research* 16(5): 955–961): swap one
//!   chosen site for one candidate while that covers more. It reports each site's gain in
//!   people and what would be lost without it ([`Plan`]).
//! - [`relocate`] moves existing AEDs (indoor or part-time ones) where they cover more, never
//!   lowering coverage (`placement/relocation.rs`).
//! - [`exact()`] enumerates every choice when there are few enough, the oracle for the tests
//!   (`placement/exact.rs`).
//!
//! The Dutch relocation study the issue cites used the same model with greedy, GRASP and exact
//! solutions. GRASP is not here: the local search from greedy stops in a local optimum, which
//! on the small random cases the tests enumerate is the exact optimum 96 times in 100 (greedy
//! alone 92), never below greedy and so never below its guarantee (`placement/tests.rs`).
//!
//! # Units
//! Weights are persons per home (1.0 when each home counts once), non-negative; every covered
//! weight in these results is in the same unit.

use leefbaar_network::{Method, Network, Params, ReachModel, Wgs84Point};

use crate::coverage::home_origins;
use crate::error::AedError;

mod exact;
mod greedy;
mod interchange;
mod relocation;

pub use exact::{EXACT_MAX_SUBSETS, exact};
pub use relocation::{Move, Relocation, relocate};

/// Per candidate site, the homes (indices into `homes`) within `within_m` over the foot
/// `network`, each list ascending.
pub fn coverage_sets(
    network: &Network,
    homes: &[Wgs84Point],
    sites: &[Wgs84Point],
    within_m: f64,
) -> Result<Vec<Vec<usize>>, AedError> {
    let origins = home_origins(homes);
    // Homes only: the model snaps them once and answers every site's bounded search.
    let model = ReachModel::prepare(Method::Network(network), &origins, &[], Params::default())?;
    Ok(sites
        .iter()
        .map(|site| {
            model
                .origins_within_point(*site, within_m)
                .into_iter()
                .map(|(home, _)| home)
                .collect()
        })
        .collect())
}

/// One site taken by [`greedy()`], with the weight of the homes it newly covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// The site's index.
    pub site: usize,
    /// The weight it adds (homes, or persons when homes are weighted).
    pub gain: f64,
}

/// Up to `k` sites from `sets` (see [`coverage_sets`]) that cover the most weight of the homes
/// not already covered, one at a time; stops early when no site adds anything.
pub fn greedy(
    sets: &[Vec<usize>],
    weights: &[f64],
    already_covered: &[bool],
    k: usize,
) -> Vec<Pick> {
    check_lengths(sets, weights, already_covered);
    let all: Vec<usize> = (0..sets.len()).collect();
    greedy::greedy_among(sets, &all, weights, &mut already_covered.to_vec(), k)
}

/// Covered weight after 0, 1, …, `k_max` greedy sites: entry 0 is the weight already covered,
/// entry `k` equals [`place`]`(…, k, false).covered_after`. Non-decreasing; once no site adds
/// anything the last value repeats up to `k_max`.
pub fn coverage_curve(
    sets: &[Vec<usize>],
    weights: &[f64],
    already_covered: &[bool],
    k_max: usize,
) -> Vec<f64> {
    let before = covered_weight(weights, already_covered);
    let picks = greedy(sets, weights, already_covered, k_max);
    let mut curve = Vec::with_capacity(k_max + 1);
    curve.push(before);
    for pick in &picks {
        curve.push(curve[curve.len() - 1] + pick.gain);
    }
    curve.resize(k_max + 1, curve[curve.len() - 1]);
    curve
}

/// A site in a [`Plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSite {
    /// The site's index into the coverage sets.
    pub site: usize,
    /// The weight (persons) it adds after the sites before it in the plan: the plan's sites
    /// re-evaluated greedily, so the gains decrease and sum to the plan's added weight.
    pub gain: f64,
    /// The weight no longer covered if this site alone were left out of the plan.
    pub loss_if_removed: f64,
}

/// The sites chosen by [`place`] and what they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The chosen sites, the one adding most first (see [`PlannedSite::gain`]). At most `k`:
    /// fewer when the homes the candidates can reach are all covered.
    pub sites: Vec<PlannedSite>,
    /// Weight covered before any new site (the homes already covered).
    pub covered_before: f64,
    /// Weight covered with the plan's sites: `covered_before` plus the gains, in order.
    pub covered_after: f64,
    /// Weight covered by greedy's sites, before the local search.
    pub covered_by_greedy: f64,
    /// Interchanges the local search made (0 without it).
    pub swaps: usize,
}

impl Plan {
    /// The weight the plan adds to what was covered before.
    pub fn added(&self) -> f64 {
        self.sites.iter().map(|s| s.gain).sum()
    }
}

/// Up to `k` sites that together cover the most weight not already covered: greedy, then, when
/// `improve`, the interchange local search until no swap of one chosen site for one candidate
/// covers more. Deterministic: ties go to lower site indices.
///
/// # Performance
/// Each round of the local search costs one pass over all coverage sets; k = 50 on Drenthe's
/// size (250,000 homes, 5,000 candidates of about 80 homes each) is measured by the `placement`
/// bench (`docs/methods/aed.md`).
pub fn place(
    sets: &[Vec<usize>],
    weights: &[f64],
    already_covered: &[bool],
    k: usize,
    improve: bool,
) -> Plan {
    let picks = greedy(sets, weights, already_covered, k);
    let covered_before = covered_weight(weights, already_covered);
    let covered_by_greedy = picks.iter().fold(covered_before, |sum, p| sum + p.gain);
    let mut chosen: Vec<usize> = picks.iter().map(|p| p.site).collect();
    let swaps = if improve {
        interchange::improve(sets, weights, already_covered, &mut chosen)
    } else {
        0
    };
    let sites = evaluate(sets, weights, already_covered, &chosen);
    let covered_after = sites.iter().fold(covered_before, |sum, s| sum + s.gain);
    Plan {
        sites,
        covered_before,
        covered_after,
        covered_by_greedy,
        swaps,
    }
}

/// The `chosen` sites in greedy order among themselves, each with its gain and its loss if
/// removed. A site that adds nothing after the others is left out: it helps nobody.
fn evaluate(
    sets: &[Vec<usize>],
    weights: &[f64],
    already_covered: &[bool],
    chosen: &[usize],
) -> Vec<PlannedSite> {
    let mut ascending = chosen.to_vec();
    // Ascending, so that ties go to the lower index as in the full greedy: re-evaluating
    // greedy's own sites then gives greedy's order and gains bit for bit.
    ascending.sort_unstable();
    ascending.dedup();
    let mut covered = already_covered.to_vec();
    let picks = greedy::greedy_among(sets, &ascending, weights, &mut covered, ascending.len());
    let mut count = vec![0_u32; weights.len()];
    for pick in &picks {
        for &h in &sets[pick.site] {
            count[h] += 1;
        }
    }
    picks
        .into_iter()
        .map(|pick| PlannedSite {
            site: pick.site,
            gain: pick.gain,
            loss_if_removed: sets[pick.site]
                .iter()
                .filter(|&&h| count[h] == 1 && !already_covered[h])
                .map(|&h| weights[h])
                .sum(),
        })
        .collect()
}

/// The weight of the `covered` homes, summed in home order.
fn covered_weight(weights: &[f64], covered: &[bool]) -> f64 {
    weights
        .iter()
        .zip(covered)
        .filter(|(_, c)| **c)
        .map(|(w, _)| w)
        .sum()
}

fn check_lengths(sets: &[Vec<usize>], weights: &[f64], already_covered: &[bool]) {
    assert_eq!(
        weights.len(),
        already_covered.len(),
        "one weight and one covered flag per home"
    );
    debug_assert!(
        sets.iter().flatten().all(|&h| h < weights.len()),
        "coverage sets index the homes"
    );
    debug_assert!(
        weights.iter().all(|w| *w >= 0.0),
        "weights are persons, not negative"
    );
}

#[cfg(test)]
mod tests;
