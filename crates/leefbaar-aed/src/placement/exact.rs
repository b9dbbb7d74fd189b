//! The exact optimum of small cases by enumeration: every choice of `k` sites. The oracle that
//! greedy and the local search are tested against, and an answer of its own for a handful of
//! sites.

/// The most subsets [`exact`] enumerates; C(30, 3) = 4,060 and C(60, 4) = 487,635 are well
/// within it, C(200, 3) = 1,313,400 too.
pub const EXACT_MAX_SUBSETS: u64 = 2_000_000;

/// The `k` sites (ascending) covering the most weight together with the homes already covered,
/// and that covered weight (the weight already covered plus the sites' gains in the order
/// given), by trying every choice; among equal choices the first in lexicographic order.
/// `None` when there are more than [`EXACT_MAX_SUBSETS`] choices. With fewer than `k` sites,
/// all of them.
pub fn exact(
    sets: &[Vec<usize>],
    weights: &[f64],
    already_covered: &[bool],
    k: usize,
) -> Option<(Vec<usize>, f64)> {
    super::check_lengths(sets, weights, already_covered);
    let k = k.min(sets.len());
    if subsets(sets.len(), k)? > EXACT_MAX_SUBSETS {
        return None;
    }
    let mut search = Enumeration {
        sets,
        weights,
        // Homes already covered count as covered by a site that is never removed.
        count: already_covered.iter().map(|&c| u32::from(c)).collect(),
        chosen: Vec::with_capacity(k),
        best: None,
        k,
    };
    search.extend(0, 0.0);
    let (sites, added) = search.best.expect("at least the empty choice");
    Some((
        sites,
        super::covered_weight(weights, already_covered) + added,
    ))
}

/// C(n, k), or `None` when it does not fit in a u64.
fn subsets(n: usize, k: usize) -> Option<u64> {
    let k = k.min(n - k) as u64;
    let n = n as u64;
    let mut c: u64 = 1;
    for i in 0..k {
        // c · (n − i) is divisible by (i + 1): c is C(n, i), and C(n, i) · (n − i) = C(n, i + 1) · (i + 1).
        c = c.checked_mul(n - i)? / (i + 1);
    }
    Some(c)
}

struct Enumeration<'a> {
    sets: &'a [Vec<usize>],
    weights: &'a [f64],
    count: Vec<u32>,
    chosen: Vec<usize>,
    best: Option<(Vec<usize>, f64)>,
    k: usize,
}

impl Enumeration<'_> {
    /// Every completion of `chosen` with sites from `from` on; `added` is the weight the chosen
    /// sites add, passed down rather than subtracted back so that it does not drift.
    fn extend(&mut self, from: usize, added: f64) {
        if self.chosen.len() == self.k {
            // Strictly more: the first choice in lexicographic order keeps a tie.
            if self.best.as_ref().is_none_or(|(_, best)| added > *best) {
                self.best = Some((self.chosen.clone(), added));
            }
            return;
        }
        let last = self.sets.len() - (self.k - self.chosen.len());
        for site in from..=last {
            let mut gain = 0.0;
            for &h in &self.sets[site] {
                if self.count[h] == 0 {
                    gain += self.weights[h];
                }
                self.count[h] += 1;
            }
            self.chosen.push(site);
            self.extend(site + 1, added + gain);
            self.chosen.pop();
            for &h in &self.sets[site] {
                self.count[h] -= 1;
            }
        }
    }
}
