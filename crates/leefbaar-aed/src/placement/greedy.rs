//! Greedy maximal covering among a list of sites: the step behind [`super::greedy()`],
//! [`super::place`] and the re-evaluation of a plan's own sites.

use super::Pick;

/// Up to `k` of the `candidates` (ascending site indices), each the one adding the most weight
/// not yet `covered`; ties go to the earlier candidate. Marks what the picks cover in `covered`
/// and stops early when no candidate adds anything.
pub(super) fn greedy_among(
    sets: &[Vec<usize>],
    candidates: &[usize],
    weights: &[f64],
    covered: &mut [bool],
    k: usize,
) -> Vec<Pick> {
    let mut picks = Vec::new();
    for _ in 0..k {
        let mut best: Option<Pick> = None;
        for &site in candidates {
            let gain: f64 = sets[site]
                .iter()
                .filter(|&&h| !covered[h])
                .map(|&h| weights[h])
                .sum();
            // Strictly more, so that among equal gains the earlier (lower) index stays.
            if best.as_ref().is_none_or(|b| gain > b.gain) {
                best = Some(Pick { site, gain });
            }
        }
        let Some(pick) = best.filter(|b| b.gain > 0.0) else {
            break;
        };
        for &h in &sets[pick.site] {
            covered[h] = true;
        }
        picks.push(pick);
    }
    picks
}
