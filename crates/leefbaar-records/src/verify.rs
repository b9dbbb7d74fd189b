//! The last step of protection: the shared exact check ([`determined_unknowns`]) over
//! everything a table publishes, all levels at once.
//!
//! The shared mechanism protects one level at a time under the levels above it, where a
//! figure the level above withheld "ties nothing". That leaves one way open across levels: a
//! figure withheld above (a small province) can follow from the figures shown below it and a
//! total shown further up (the country minus the other province, whose municipalities are all
//! shown). This check finds any such value; the caller then withholds the deepest level that
//! is still shown, whole, and checks again, which ends at the latest when only the top level,
//! protected by the mechanism alone, is left.

use leefbaar_survey::{Published, determined_unknowns};

use crate::area::AreaTree;

/// One published line of a table: an area's row of cells (`row` `None` for a margin or a
/// table without rows), each cell a count of persons of one column when `columns` is true,
/// or the whole line when it is a count table.
pub(crate) struct Line<'a> {
    pub(crate) area: usize,
    pub(crate) row: Option<usize>,
    pub(crate) cells: &'a [Published<f64>],
    /// Whether nobody is in the line: as in the shared mechanism, a group nobody is in counts
    /// neither way, so its withheld values are not secrets (a row of an advice nobody got).
    pub(crate) empty: bool,
}

/// Whether any withheld value of the lines (a cell, or the n of a line with nothing shown)
/// follows from the shown ones.
///
/// The unknowns are the counts per leaf area × row × column (every combination). A shown cell
/// fixes the sum of the counts under its area, row and column; a line with a shown cell fixes
/// its n; a withheld value is one more unknown tied to the counts it sums.
pub(crate) fn gives_away(
    areas: &AreaTree,
    n_rows: usize,
    n_columns: usize,
    lines: &[Line<'_>],
    count_table: bool,
) -> bool {
    let leaves: Vec<usize> = (0..areas.len()).filter(|&a| areas.is_leaf(a)).collect();
    let mut leaf_index = vec![usize::MAX; areas.len()];
    for (k, &leaf) in leaves.iter().enumerate() {
        leaf_index[leaf] = k;
    }
    let mut under: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
    for (k, &leaf) in leaves.iter().enumerate() {
        for a in areas.lineage(leaf) {
            under[a].push(k);
        }
    }
    let atom = |leaf: usize, r: usize, c: usize| (leaf * n_rows + r) * n_columns + c;
    let atoms_of = |area: usize, row: Option<usize>, column: Option<usize>| -> Vec<usize> {
        let mut atoms = Vec::new();
        for &l in &under[area] {
            for r in (0..n_rows).filter(|&r| row.is_none_or(|x| x == r)) {
                for c in (0..n_columns).filter(|&c| column.is_none_or(|x| x == c)) {
                    atoms.push(atom(l, r, c));
                }
            }
        }
        atoms
    };
    let mut known = vec![false; leaves.len() * n_rows * n_columns];
    let mut sums: Vec<Vec<usize>> = Vec::new();
    let mut secrets: Vec<Vec<usize>> = Vec::new();
    for line in lines {
        for (c, cell) in line.cells.iter().enumerate() {
            let atoms = atoms_of(
                line.area,
                line.row,
                if count_table { None } else { Some(c) },
            );
            if cell.is_suppressed() {
                if !line.empty {
                    secrets.push(atoms);
                }
            } else if atoms.len() == 1 {
                known[atoms[0]] = true;
            } else {
                sums.push(atoms);
            }
        }
        if !count_table {
            let atoms = atoms_of(line.area, line.row, None);
            if line.cells.iter().any(|c| !c.is_suppressed()) {
                sums.push(atoms);
            } else if !line.empty {
                secrets.push(atoms);
            }
        }
    }
    let unknown: Vec<usize> = (0..known.len()).filter(|&k| !known[k]).collect();
    let position = |a: usize| unknown.binary_search(&a).ok();
    let mut equations: Vec<Vec<(usize, i64)>> = sums
        .iter()
        .map(|atoms| {
            atoms
                .iter()
                .filter_map(|&a| position(a).map(|k| (k, 1)))
                .collect()
        })
        .collect();
    // A withheld leaf cell is its own count: watched directly rather than through one more
    // unknown and equation, which halves the system for tables with many small leaf cells.
    let mut watched = vec![false; unknown.len() + secrets.len()];
    let mut n_unknowns = unknown.len();
    for atoms in &secrets {
        let mut equation: Vec<(usize, i64)> = atoms
            .iter()
            .filter_map(|&a| position(a).map(|p| (p, 1)))
            .collect();
        match equation[..] {
            // Every count it sums is shown.
            [] => return true,
            [(k, _)] => watched[k] = true,
            _ => {
                equation.push((n_unknowns, -1));
                watched[n_unknowns] = true;
                n_unknowns += 1;
                equations.push(equation);
            }
        }
    }
    determined_unknowns(n_unknowns, &equations)
        .iter()
        .any(|&k| watched[k])
}
