//! Which withheld values a set of published linear equations gives away: the exact check behind
//! secondary suppression, and the attacker that tests of protected output use.
//!
//! Published figures tie withheld ones together: a total is the sum of its cells, a parent's
//! mean the population-weighted sum of its groups' means, a row of shares adds up to one.
//! Moving every shown figure to the right-hand side leaves a linear system in the withheld
//! ones. A withheld value is *determined* when the system fixes it whatever the others are,
//! that is when its unit vector lies in the row space of the system. The check is exact
//! linear algebra, not the one-unknown-per-equation rule, because a cell can be solved from
//! several equations together when none of them has a single unknown (a cell that bridges two
//! cycles of withheld cells in a table, say). It ignores non-negativity and other bounds, so
//! it finds what follows exactly, not the intervals an attacker could narrow a value to.
//!
//! The coefficients are whole numbers (ones for sums of cells, populations for weighted
//! sums), and the elimination runs in arithmetic modulo the prime 2^61 − 1 rather than in
//! floating point: elimination in floating point needs a tolerance that decides whether a
//! small number is zero, and with weights of very different sizes no tolerance is right for
//! every system. Modulo a prime every step is exact; the answer differs from the one over the
//! rationals only when the prime divides one of the system's minors, a chance of the order of
//! 2^-61 per minor for the sizes published here.

use std::collections::BTreeMap;

/// Which unknowns of a linear system the system determines.
///
/// Each equation lists `(unknown, coefficient)` pairs; its right-hand side (the published
/// figures moved across) does not change which unknowns are determined, so it is not asked
/// for. Coefficients are whole numbers: a sum of cells has coefficients 1, a
/// population-weighted sum the populations (any positive weight per unknown gives the same
/// answer, so ones will do there too). Returns the determined unknowns in increasing order.
///
/// Unknowns that share no equation are independent, so the system is split into connected
/// components first and each is brought to reduced row echelon form: an unknown is
/// determined exactly when its column holds a pivot whose row has no other non-zero entry.
///
/// # Panics
/// When an equation names an unknown `>= n_unknowns`: that is a bug in the caller.
///
/// ```
/// use leefbaar_survey::determined_unknowns;
///
/// // x0 + x1 = a and x0 + x1 + x2 = b give x2 = b - a, but not x0 or x1.
/// let equations = [vec![(0, 1), (1, 1)], vec![(0, 1), (1, 1), (2, 1)]];
/// assert_eq!(determined_unknowns(3, &equations), [2]);
/// ```
pub fn determined_unknowns(n_unknowns: usize, equations: &[Vec<(usize, i64)>]) -> Vec<usize> {
    let equations: Vec<Vec<(usize, u64)>> = equations
        .iter()
        .map(|equation| {
            equation
                .iter()
                .map(|&(k, c)| {
                    assert!(k < n_unknowns, "unknown {k} of {n_unknowns} in an equation");
                    (k, residue(c))
                })
                .filter(|&(_, c)| c != 0)
                .collect::<Vec<_>>()
        })
        .filter(|equation| !equation.is_empty())
        .collect();
    // Union-find over the unknowns: two unknowns in one equation are in one component.
    let mut root: Vec<usize> = (0..n_unknowns).collect();
    for equation in &equations {
        let first = find(&mut root, equation[0].0);
        for &(k, _) in &equation[1..] {
            let other = find(&mut root, k);
            root[other] = first;
        }
    }
    let mut components: BTreeMap<usize, Vec<&Vec<(usize, u64)>>> = BTreeMap::new();
    for equation in &equations {
        let component = find(&mut root, equation[0].0);
        components.entry(component).or_default().push(equation);
    }
    let mut determined = Vec::new();
    for component in components.values() {
        let mut unknowns: Vec<usize> = component
            .iter()
            .flat_map(|equation| equation.iter().map(|&(k, _)| k))
            .collect();
        unknowns.sort_unstable();
        unknowns.dedup();
        let column = |k: usize| {
            unknowns
                .binary_search(&k)
                .expect("unknown of the component")
        };
        let mut matrix: Vec<Vec<u64>> = component
            .iter()
            .map(|equation| {
                let mut row = vec![0; unknowns.len()];
                for &(k, c) in *equation {
                    row[column(k)] = add(row[column(k)], c);
                }
                row
            })
            .collect();
        for (row, column) in reduced_row_echelon(&mut matrix) {
            let alone = matrix[row]
                .iter()
                .enumerate()
                .all(|(j, &v)| j == column || v == 0);
            if alone {
                determined.push(unknowns[column]);
            }
        }
    }
    determined.sort_unstable();
    determined
}

/// The prime the elimination works modulo: 2^61 − 1.
const PRIME: u64 = (1 << 61) - 1;

fn residue(c: i64) -> u64 {
    u64::try_from(i128::from(c).rem_euclid(i128::from(PRIME)))
        .expect("a residue is below the prime")
}

fn add(a: u64, b: u64) -> u64 {
    (a + b) % PRIME
}

fn subtract(a: u64, b: u64) -> u64 {
    (a + PRIME - b) % PRIME
}

fn multiply(a: u64, b: u64) -> u64 {
    u64::try_from(u128::from(a) * u128::from(b) % u128::from(PRIME))
        .expect("a residue is below the prime")
}

/// The inverse of a non-zero residue, by Fermat's little theorem: a^(p−2).
fn inverse(a: u64) -> u64 {
    let (mut base, mut exponent, mut result) = (a, PRIME - 2, 1);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = multiply(result, base);
        }
        base = multiply(base, base);
        exponent >>= 1;
    }
    result
}

/// The component of unknown `k` (with path halving).
fn find(root: &mut [usize], mut k: usize) -> usize {
    while root[k] != k {
        root[k] = root[root[k]];
        k = root[k];
    }
    k
}

/// Brings `matrix` to reduced row echelon form in place, modulo [`PRIME`]; returns the
/// `(row, column)` of each pivot.
fn reduced_row_echelon(matrix: &mut [Vec<u64>]) -> Vec<(usize, usize)> {
    let width = matrix.first().map_or(0, Vec::len);
    let mut pivots = Vec::new();
    for column in 0..width {
        let rank = pivots.len();
        let Some(pivot) = (rank..matrix.len()).find(|&r| matrix[r][column] != 0) else {
            continue;
        };
        matrix.swap(rank, pivot);
        let scale = inverse(matrix[rank][column]);
        for value in &mut matrix[rank] {
            *value = multiply(*value, scale);
        }
        let pivot_row = matrix[rank].clone();
        for (r, row) in matrix.iter_mut().enumerate() {
            let factor = row[column];
            if r == rank || factor == 0 {
                continue;
            }
            for (value, &p) in row.iter_mut().zip(&pivot_row) {
                *value = subtract(*value, multiply(factor, p));
            }
        }
        pivots.push((rank, column));
    }
    pivots
}
