//! Moving existing AEDs: those that are not available at the time of day looked at (indoor
//! behind a locked door, or part-time) or simply badly placed may go where they cover more.
//!
//! The movable AEDs are taken out and `movable + k_new` sites chosen among all candidates with
//! [`super::place`] (greedy and local search). Their current sites are candidates too, so
//! staying is one of the options. The heuristic may end below where it started, so it is
//! compared with leaving the movable AEDs in place and adding the new ones around them; the
//! better is kept, and on a tie nothing moves.

use super::{PlannedSite, covered_weight, place};

/// Where one movable AED goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// Its current site (an index into the coverage sets).
    pub from: usize,
    /// Its new site; equal to `from` when it stays.
    pub to: usize,
}

impl Move {
    /// Whether the AED stays where it is.
    pub fn stays(&self) -> bool {
        self.from == self.to
    }
}

/// The result of [`relocate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Relocation {
    /// Per movable AED, in the order given, where it goes.
    pub moves: Vec<Move>,
    /// The sites for new AEDs (at most `k_new`), each with its gain and loss if removed within
    /// the solution kept.
    pub new_sites: Vec<PlannedSite>,
    /// Weight covered by the fixed AEDs and the movable ones where they are, without new ones.
    pub covered_before: f64,
    /// Weight covered when nothing moves and the new AEDs are placed around the others.
    pub covered_without_moves: f64,
    /// Weight covered after the moves and with the new AEDs; never below either of the above.
    pub covered_after: f64,
}

/// Moves the AEDs at `movable_sites` (indices into `sets`; the sets are their coverage) and
/// places `k_new` new ones so that, together with the homes `fixed_covered` by AEDs that stay,
/// they cover the most weight. An AED whose current site is among the chosen ones stays there;
/// the others take the remaining chosen sites in the order of their gain, and what remains is
/// for the new AEDs. When fewer sites are chosen than there are AEDs (every home the
/// candidates reach is covered), the AEDs left over stay.
pub fn relocate(
    sets: &[Vec<usize>],
    weights: &[f64],
    fixed_covered: &[bool],
    movable_sites: &[usize],
    k_new: usize,
) -> Relocation {
    super::check_lengths(sets, weights, fixed_covered);
    let mut in_place = fixed_covered.to_vec();
    for &site in movable_sites {
        for &h in &sets[site] {
            in_place[h] = true;
        }
    }
    let covered_before = covered_weight(weights, &in_place);
    let staying = place(sets, weights, &in_place, k_new, true);
    let moving = place(
        sets,
        weights,
        fixed_covered,
        movable_sites.len() + k_new,
        true,
    );
    // The same tolerance as the local search's: a move must win by more than rounding.
    let epsilon = 1e-9 * weights.iter().sum::<f64>();
    if moving.covered_after <= staying.covered_after + epsilon {
        return Relocation {
            moves: movable_sites
                .iter()
                .map(|&site| Move {
                    from: site,
                    to: site,
                })
                .collect(),
            new_sites: staying.sites,
            covered_before,
            covered_without_moves: staying.covered_after,
            covered_after: staying.covered_after,
        };
    }
    let mut free: Vec<Option<PlannedSite>> = moving.sites.into_iter().map(Some).collect();
    let mut moves: Vec<Option<Move>> = movable_sites
        .iter()
        .map(|&from| {
            let kept = free
                .iter_mut()
                .find(|slot| slot.as_ref().is_some_and(|s| s.site == from))?;
            *kept = None;
            Some(Move { from, to: from })
        })
        .collect();
    // `free` is in the plan's order, the largest gain first.
    let mut remaining = free.into_iter().flatten();
    for (slot, &from) in moves.iter_mut().zip(movable_sites) {
        if slot.is_none() {
            let to = remaining.next().map_or(from, |s| s.site);
            *slot = Some(Move { from, to });
        }
    }
    Relocation {
        moves: moves.into_iter().flatten().collect(),
        new_sites: remaining.collect(),
        covered_before,
        covered_without_moves: staying.covered_after,
        covered_after: moving.covered_after,
    }
}
