//! The bridge to the shared disclosure control: tables of counts per area (and row) are
//! protected level by level from the top of the area tree down, each level as a
//! [`NestedPartition`] under every area above it, told which of those areas' figures their
//! own protection withheld ([`Parent::with_withheld_columns`]). This is the order the shared
//! mechanism asks for ("each level's own table goes through this mechanism too, under the
//! levels above it"); nothing here decides which cell to withhold.
//!
//! A matrix adds crossed parents: its groups are (area, row) pairs; each area's margin (the
//! column shares over all its rows, protected first as a table of its own) is a parent of
//! the area's rows, and each (area above, row) a parent of the same row in the areas below.
//!
//! Two places withhold a whole level, the only safe answer that needs no second mechanism:
//! - when the mechanism finds that the figures of the levels above give a withheld value away
//!   whatever this level withholds ([`DisclosureError::GivenAwayByParents`]);
//! - when the exact check over all levels at once (`verify.rs`, the shared
//!   `determined_unknowns`) finds a value withheld above that the level below gives away
//!   (a small province recovered as the country minus a province whose municipalities are all
//!   shown): the deepest level still shown is withheld, then the check runs again.

use leefbaar_survey::{
    DisclosureError, DisclosureRule, GroupCells, NestedPartition, Parent, Published,
};

use crate::area::AreaTree;
use crate::error::AggregateError;
use crate::verify::{Line, gives_away};

/// Counts per area, row and column, each record added to its area and every area above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counts {
    n_rows: usize,
    n_columns: usize,
    data: Vec<u64>,
}

impl Counts {
    pub(crate) fn new(n_areas: usize, n_rows: usize, n_columns: usize) -> Counts {
        Counts {
            n_rows,
            n_columns,
            data: vec![0; n_areas * n_rows * n_columns],
        }
    }

    /// The number of cells per area: a measure of how long protection takes.
    pub(crate) fn size(&self) -> usize {
        self.n_rows * self.n_columns
    }

    pub(crate) fn add(&mut self, area: usize, row: usize, column: usize) {
        self.data[(area * self.n_rows + row) * self.n_columns + column] += 1;
    }

    pub(crate) fn row(&self, area: usize, row: usize) -> &[u64] {
        let start = (area * self.n_rows + row) * self.n_columns;
        &self.data[start..start + self.n_columns]
    }

    /// The column totals of an area over all its rows.
    pub(crate) fn margin(&self, area: usize) -> Vec<u64> {
        let mut total = vec![0; self.n_columns];
        for row in 0..self.n_rows {
            for (t, v) in total.iter_mut().zip(self.row(area, row)) {
                *t += v;
            }
        }
        total
    }
}

/// A protected cell: area index, matrix row (`None` for a margin), column, value.
pub(crate) type ProtectedCell = (usize, Option<usize>, usize, Published<f64>);

/// Counts of persons per area (one row, one column).
pub(crate) fn protect_counts(
    areas: &AreaTree,
    counts: &Counts,
    rule: &DisclosureRule,
) -> Result<Vec<(usize, Published<f64>)>, AggregateError> {
    let mut published: Vec<Option<Published<f64>>> = vec![None; areas.len()];
    for depth in 0..=areas.max_depth() {
        let groups = areas.at_depth(depth);
        let n: Vec<u64> = groups.iter().map(|&a| counts.margin(a)[0]).collect();
        let cells: GroupCells<f64> = n
            .iter()
            .map(|&n| vec![Published::count(n, rule).map(|v| v as f64)])
            .collect();
        let parents = ancestors_of(areas, depth, &groups, |x| withheld(published[x].as_slice()));
        let protected = apply(
            NestedPartition::new(n, parents).and_then(|p| p.protect_estimates(cells.clone(), rule)),
            cells,
        )?;
        for (&a, row) in groups.iter().zip(protected) {
            published[a] = row.into_iter().next();
        }
    }
    let mut published: Vec<Vec<Published<f64>>> = published
        .into_iter()
        .map(|p| vec![p.expect("every area has a depth")])
        .collect();
    withhold_levels_that_give_away(areas, 1, 1, true, &[], &mut published, &|a, _| {
        counts.margin(a)[0] == 0
    });
    Ok(published
        .into_iter()
        .enumerate()
        .map(|(a, mut p)| (a, p.remove(0)))
        .collect())
}

/// Shares of the columns per area (the first row only: a table without rows).
pub(crate) fn protect_shares(
    areas: &AreaTree,
    counts: &Counts,
    rule: &DisclosureRule,
) -> Result<Vec<Vec<Published<f64>>>, AggregateError> {
    let mut published: Vec<Vec<Published<f64>>> = vec![Vec::new(); areas.len()];
    for depth in 0..=areas.max_depth() {
        let groups = areas.at_depth(depth);
        let group_counts: Vec<Vec<u64>> = groups.iter().map(|&a| counts.margin(a)).collect();
        let parents = ancestors_of(areas, depth, &groups, |x| withheld(&published[x]));
        for (&a, row) in groups
            .iter()
            .zip(protect_level(&group_counts, parents, rule)?)
        {
            published[a] = row;
        }
    }
    withhold_levels_that_give_away(
        areas,
        1,
        counts.n_columns,
        false,
        &[],
        &mut published,
        &|a, _| counts.margin(a).iter().sum::<u64>() == 0,
    );
    Ok(published)
}

/// A matrix per area: the margin (column shares over all rows) and each row's shares.
pub(crate) fn protect_matrix(
    areas: &AreaTree,
    counts: &Counts,
    rule: &DisclosureRule,
) -> Result<Vec<ProtectedCell>, AggregateError> {
    let margin = protect_shares(areas, counts, rule)?;
    let n_rows = counts.n_rows;
    let mut rows: Vec<Vec<Vec<Published<f64>>>> = vec![Vec::new(); areas.len()];
    for depth in 0..=areas.max_depth() {
        let level = areas.at_depth(depth);
        // Group k is (level[k / n_rows], k % n_rows).
        let group_counts: Vec<Vec<u64>> = level
            .iter()
            .flat_map(|&a| (0..n_rows).map(move |r| counts.row(a, r).to_vec()))
            .collect();
        let mut parents: Vec<Parent> = level
            .iter()
            .enumerate()
            .map(|(k, &a)| {
                Parent::new(
                    areas.code(a).as_str(),
                    (k * n_rows..(k + 1) * n_rows).collect(),
                )
                .with_withheld_columns(withheld(&margin[a]))
            })
            .collect();
        let groups: Vec<usize> = (0..level.len() * n_rows).collect();
        let area_of = |g: usize| level[g / n_rows];
        // Every area above, over all rows (its margin) and row by row.
        parents.extend(ancestors_of(
            areas,
            depth,
            &groups.iter().map(|&g| area_of(g)).collect::<Vec<_>>(),
            |x| withheld(&margin[x]),
        ));
        // Rows of the levels above are indexed by area, so the loop runs over row numbers.
        #[allow(clippy::needless_range_loop)]
        for r in 0..n_rows {
            let in_row: Vec<usize> = groups.iter().copied().filter(|g| g % n_rows == r).collect();
            let row_areas: Vec<usize> = in_row.iter().map(|&g| area_of(g)).collect();
            for parent in ancestors_of(areas, depth, &row_areas, |x| withheld(&rows[x][r])) {
                let members = parent.members().iter().map(|&k| in_row[k]).collect();
                let label = format!("{} row {r}", parent.label());
                parents.push(
                    Parent::new(label, members)
                        .with_withheld_columns(parent.withheld_columns().to_vec()),
                );
            }
        }
        let mut protected = protect_level(&group_counts, parents, rule)?.into_iter();
        for &a in &level {
            rows[a] = (0..n_rows)
                .map(|_| protected.next().expect("one row per group"))
                .collect();
        }
    }
    // The margin was checked on its own (it is the table of shares); the rows are checked with
    // it and, where they give a value away, withheld level by level.
    let mut flat: Vec<Vec<Published<f64>>> =
        rows.iter().flat_map(|rows| rows.iter().cloned()).collect();
    let margin_lines: Vec<Line<'_>> = margin
        .iter()
        .enumerate()
        .map(|(area, cells)| Line {
            area,
            row: None,
            cells,
            empty: counts.margin(area).iter().sum::<u64>() == 0,
        })
        .collect();
    withhold_levels_that_give_away(
        areas,
        n_rows,
        counts.n_columns,
        false,
        &margin_lines,
        &mut flat,
        &|a, r| counts.row(a, r.unwrap_or(0)).iter().sum::<u64>() == 0,
    );
    drop(margin_lines);
    let mut flat = flat.into_iter();
    let rows: Vec<Vec<Vec<Published<f64>>>> = (0..areas.len())
        .map(|_| {
            (0..n_rows)
                .map(|_| flat.next().expect("one line per area and row"))
                .collect()
        })
        .collect();
    let mut cells = Vec::new();
    for (a, (margin, rows)) in margin.into_iter().zip(rows).enumerate() {
        cells.extend(margin.into_iter().enumerate().map(|(c, v)| (a, None, c, v)));
        for (r, row) in rows.into_iter().enumerate() {
            cells.extend(row.into_iter().enumerate().map(|(c, v)| (a, Some(r), c, v)));
        }
    }
    Ok(cells)
}

/// Shares per group under the given parents, through [`NestedPartition::protect_shares`].
fn protect_level(
    counts: &[Vec<u64>],
    parents: Vec<Parent>,
    rule: &DisclosureRule,
) -> Result<GroupCells<f64>, AggregateError> {
    let n: Vec<u64> = counts.iter().map(|row| row.iter().sum()).collect();
    let share = |c: u64, n: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    let cells: GroupCells<f64> = counts
        .iter()
        .zip(&n)
        .map(|(row, &n)| {
            row.iter()
                .map(|&c| Published::estimate(share(c, n), n, rule))
                .collect()
        })
        .collect();
    // Groups nobody is in (an advice nobody in the area got) add nothing and count neither
    // way; they stay withheld as they are (n = 0 fails the rule) and are left out of the
    // partition, where their withheld cells would otherwise look like cells to protect.
    let kept: Vec<usize> = (0..n.len()).filter(|&g| n[g] > 0).collect();
    let mut index = vec![usize::MAX; n.len()];
    for (k, &g) in kept.iter().enumerate() {
        index[g] = k;
    }
    let parents: Vec<Parent> = parents
        .into_iter()
        .map(|p| {
            let members = p
                .members()
                .iter()
                .filter(|&&g| n[g] > 0)
                .map(|&g| index[g])
                .collect();
            Parent::new(p.label(), members).with_withheld_columns(p.withheld_columns().to_vec())
        })
        .collect();
    let kept_cells: GroupCells<f64> = kept.iter().map(|&g| cells[g].clone()).collect();
    let kept_counts: Vec<Vec<u64>> = kept.iter().map(|&g| counts[g].clone()).collect();
    let kept_n: Vec<u64> = kept.iter().map(|&g| n[g]).collect();
    let protected = apply(
        NestedPartition::new(kept_n, parents)
            .and_then(|p| p.protect_shares(kept_cells.clone(), &kept_counts, rule)),
        kept_cells,
    )?;
    let mut cells = cells;
    for (g, row) in kept.into_iter().zip(protected) {
        cells[g] = row;
    }
    Ok(cells)
}

/// The result of the shared mechanism, or the whole level withheld when the levels above give
/// a value away (see the module documentation).
fn apply(
    result: Result<GroupCells<f64>, DisclosureError>,
    cells: GroupCells<f64>,
) -> Result<GroupCells<f64>, AggregateError> {
    match result {
        Ok(cells) => Ok(cells),
        Err(DisclosureError::GivenAwayByParents { .. }) => Ok(cells
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|mut cell| {
                        cell.suppress_secondary();
                        cell
                    })
                    .collect()
            })
            .collect()),
        Err(other) => Err(AggregateError::Disclosure(other.to_string())),
    }
}

/// Runs the exact check over all levels ([`gives_away`]) and, while it finds a withheld value
/// that follows from the shown ones, withholds the deepest level still shown, whole.
///
/// `lines` holds one line per area (tables without rows) or `n_rows` per area in area order
/// (matrix rows); `fixed` are lines published alongside that are not withheld here (a
/// matrix's margin).
fn withhold_levels_that_give_away(
    areas: &AreaTree,
    n_rows: usize,
    n_columns: usize,
    count_table: bool,
    fixed: &[Line<'_>],
    lines: &mut [Vec<Published<f64>>],
    empty: &dyn Fn(usize, Option<usize>) -> bool,
) {
    let per_area = lines.len() / areas.len().max(1);
    let mut depth = areas.max_depth();
    while depth > 0 {
        let all: Vec<Line<'_>> = lines
            .iter()
            .enumerate()
            .map(|(k, cells)| {
                let (area, row) = (k / per_area, (n_rows > 1).then_some(k % per_area));
                Line {
                    area,
                    row,
                    cells,
                    empty: empty(area, row),
                }
            })
            .chain(fixed.iter().map(|l| Line {
                area: l.area,
                row: l.row,
                cells: l.cells,
                empty: l.empty,
            }))
            .collect();
        if !gives_away(areas, n_rows, n_columns, &all, count_table) {
            return;
        }
        for (k, line) in lines.iter_mut().enumerate() {
            if areas.depth(k / per_area) == depth {
                line.iter_mut().for_each(Published::suppress_secondary);
            }
        }
        depth -= 1;
    }
}

/// The columns an area's own protection withheld.
fn withheld(cells: &[Published<f64>]) -> Vec<usize> {
    cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_suppressed())
        .map(|(k, _)| k)
        .collect()
}

/// One parent per area above `depth` that has groups at this depth: the groups (indices into
/// `group_areas`, the area of each group) in its subtree, with the columns its own table
/// withheld.
fn ancestors_of(
    areas: &AreaTree,
    depth: usize,
    group_areas: &[usize],
    withheld_of: impl Fn(usize) -> Vec<usize>,
) -> Vec<Parent> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
    for (k, &a) in group_areas.iter().enumerate() {
        for x in areas.lineage(a).skip(1) {
            members[x].push(k);
        }
    }
    members
        .into_iter()
        .enumerate()
        .filter(|(x, members)| areas.depth(*x) < depth && !members.is_empty())
        .map(|(x, members)| {
            Parent::new(areas.code(x).as_str(), members).with_withheld_columns(withheld_of(x))
        })
        .collect()
}
