//! The interchange local search behind [`super::place`]: vertex substitution (Teitz & Bart 1968,
//! *Operations Research* 16(5): 955–961), here for the maximal covering problem. Each round
//! finds the best swap of one chosen site `s` for one unchosen candidate `c` and makes it if it
//! covers more; it stops when no swap does.
//!
//! A round is one pass over the coverage sets, not one evaluation per pair. Per home we keep
//! how many chosen sites cover it and the sum of their indices, which is the index of the only
//! one while the count is 1. Then
//! - the loss of removing `s` is the weight of the homes only `s` covers (count 1), and
//! - the gain of adding `c` after removing `s` is the weight of `c`'s homes with count 0, plus
//!   those with count 1 whose only cover is `s`,
//!
//! so one pass over `c`'s homes gives its gain after removing every `s` at once.

/// Swaps in `chosen` until no swap of one chosen site for one other site covers more weight;
/// returns the number of swaps made. Ties go to the lower candidate, then the lower chosen
/// site, so the result depends only on the input.
pub(super) fn improve(
    sets: &[Vec<usize>],
    weights: &[f64],
    already_covered: &[bool],
    chosen: &mut [usize],
) -> usize {
    if chosen.is_empty() {
        return 0;
    }
    // Homes already covered stay covered whatever we choose: they weigh nothing here.
    let open: Vec<f64> = weights
        .iter()
        .zip(already_covered)
        .map(|(w, c)| if *c { 0.0 } else { *w })
        .collect();
    // A swap must add more than this, a billionth of all the weight: far above the rounding
    // of sums of a few hundred terms, far below a person, and it makes the search end (each
    // swap raises the covered weight by at least this much, and there are finitely many sets).
    let epsilon = 1e-9 * weights.iter().sum::<f64>();
    let mut state = State::new(sets, open, chosen);
    let mut swaps = 0;
    while let Some((position, candidate)) = state.best_swap(epsilon) {
        state.swap(position, candidate);
        swaps += 1;
    }
    chosen.copy_from_slice(&state.chosen);
    swaps
}

/// The chosen sites and, per home, how many of them cover it and the sum of their indices.
struct State<'a> {
    sets: &'a [Vec<usize>],
    open: Vec<f64>,
    chosen: Vec<usize>,
    /// Per site, its position in `chosen`, if chosen.
    position: Vec<Option<usize>>,
    count: Vec<u32>,
    index_sum: Vec<usize>,
}

impl<'a> State<'a> {
    fn new(sets: &'a [Vec<usize>], open: Vec<f64>, chosen: &[usize]) -> Self {
        let homes = open.len();
        let mut state = State {
            sets,
            open,
            chosen: chosen.to_vec(),
            position: vec![None; sets.len()],
            count: vec![0; homes],
            index_sum: vec![0; homes],
        };
        for (position, &site) in chosen.iter().enumerate() {
            state.position[site] = Some(position);
            state.add(site);
        }
        state
    }

    fn add(&mut self, site: usize) {
        for &h in &self.sets[site] {
            self.count[h] += 1;
            self.index_sum[h] += site;
        }
    }

    fn remove(&mut self, site: usize) {
        for &h in &self.sets[site] {
            self.count[h] -= 1;
            self.index_sum[h] -= site;
        }
    }

    fn swap(&mut self, position: usize, candidate: usize) {
        let out = self.chosen[position];
        self.remove(out);
        self.add(candidate);
        self.position[out] = None;
        self.position[candidate] = Some(position);
        self.chosen[position] = candidate;
    }

    /// The swap (position in `chosen`, candidate) that adds the most, if it adds more than
    /// `epsilon`.
    fn best_swap(&self, epsilon: f64) -> Option<(usize, usize)> {
        let loss: Vec<f64> = self
            .chosen
            .iter()
            .map(|&s| {
                self.sets[s]
                    .iter()
                    .filter(|&&h| self.count[h] == 1)
                    .map(|&h| self.open[h])
                    .sum()
            })
            .collect();
        // The chosen site whose removal loses least (lowest index among equals): the best
        // partner for any candidate that shares no sole-covered home with a chosen site.
        let cheapest = (0..self.chosen.len())
            .min_by(|&a, &b| {
                loss[a]
                    .total_cmp(&loss[b])
                    .then(self.chosen[a].cmp(&self.chosen[b]))
            })
            .expect("at least one chosen site");
        let mut best: Option<(f64, usize, usize)> = None;
        // Per position in `chosen`: the weight of the candidate's homes that only that chosen
        // site covers. Reset after each candidate through `touched`.
        let mut shared = vec![0.0_f64; self.chosen.len()];
        let mut is_touched = vec![false; self.chosen.len()];
        let mut touched: Vec<usize> = Vec::new();
        for (candidate, homes) in self.sets.iter().enumerate() {
            if self.position[candidate].is_some() {
                continue;
            }
            let mut gain = 0.0;
            for &h in homes {
                match self.count[h] {
                    0 => gain += self.open[h],
                    1 => {
                        let position = self.position[self.index_sum[h]]
                            .expect("a home covered once is covered by a chosen site");
                        if !is_touched[position] {
                            is_touched[position] = true;
                            touched.push(position);
                        }
                        shared[position] += self.open[h];
                    }
                    _ => {}
                }
            }
            // The best partner is the cheapest removal or one sharing homes with the candidate;
            // removing any other chosen site loses at least as much for no more gain.
            let mut consider = |position: usize, delta: f64| {
                let better = best.is_none_or(|(best_delta, best_candidate, best_position)| {
                    delta > best_delta
                        || (delta == best_delta
                            && candidate == best_candidate
                            && self.chosen[position] < self.chosen[best_position])
                });
                if better {
                    best = Some((delta, candidate, position));
                }
            };
            consider(cheapest, gain - loss[cheapest]);
            for &position in &touched {
                consider(position, gain + shared[position] - loss[position]);
                shared[position] = 0.0;
                is_touched[position] = false;
            }
            touched.clear();
        }
        best.filter(|(delta, _, _)| *delta > epsilon)
            .map(|(_, candidate, position)| (position, candidate))
    }
}
