//! Disclosure control shared by every module that publishes figures about persons.
//!
//! Two rules (DESIGN §4): never publish a count below 10 persons, and never publish a share,
//! mean or other estimate based on fewer than 10 persons or respondents. A [`Published`] value
//! is the only way such a figure leaves a Leefbaar computation: it is built through
//! [`Published::count`] or [`Published::estimate`], which apply the rule, so a figure that
//! fails the rule cannot be turned into a visible one. A suppressed value drops both the
//! number and its n, because for a count the n *is* the number.
//!
//! Suppressing a cell is not enough when totals are published too: the cell could be
//! recovered by subtracting the other cells from a total. Two mechanisms add secondary
//! suppressions until no suppressed value is determined by the published ones (checked
//! exactly, by linear algebra in [`determined_unknowns`], not only by the
//! one-unknown-per-equation heuristic):
//! - [`NestedPartition`] (in `nested.rs`), the one every person-level monitor calls: figures
//!   per group (means, shares, rows of a matrix) under parents whose figures are published too
//!   (the whole panel, a province over its municipalities), with [`protect_difference`] for
//!   figures computed from two groups;
//! - [`CountTable::protect`], for a two-way table of counts with its row, column and grand
//!   totals.

mod linear;
mod nested;
#[cfg(test)]
mod tests;

pub use linear::determined_unknowns;
pub use nested::{GroupCells, NestedPartition, Parent, protect_difference};

use leefbaar_model::{CellValue, MissingReason};

/// The thresholds of disclosure control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisclosureRule {
    /// Counts of persons below this are suppressed (10).
    pub min_count: u64,
    /// Estimates based on fewer respondents or persons than this are suppressed (10).
    pub min_respondents: u64,
    /// Whether a count of zero is suppressed too. DESIGN §4 says "no count below 10", and
    /// zero is below 10, so the default is `true`; a caller publishing structural zeros
    /// (a category that cannot occur) may set it to `false`.
    pub suppress_zero_counts: bool,
}

impl Default for DisclosureRule {
    fn default() -> DisclosureRule {
        DisclosureRule {
            min_count: 10,
            min_respondents: 10,
            suppress_zero_counts: true,
        }
    }
}

impl DisclosureRule {
    /// Whether a count of persons may be published.
    pub fn count_is_publishable(&self, count: u64) -> bool {
        if count == 0 {
            !self.suppress_zero_counts
        } else {
            count >= self.min_count
        }
    }
}

/// Why a value is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Suppression {
    /// The value itself fails the rule (too few persons or respondents).
    Primary,
    /// The value passes the rule but is withheld so that a primary suppression cannot be
    /// recovered by subtraction from totals.
    Secondary,
}

/// A value that has passed disclosure control: either shown with its n, or suppressed.
///
/// There is no constructor that skips the rule, and a suppressed value keeps neither the
/// number nor its n.
#[derive(Debug, Clone, PartialEq)]
pub struct Published<T> {
    state: State<T>,
}

#[derive(Debug, Clone, PartialEq)]
enum State<T> {
    Shown { value: T, n: u64 },
    Suppressed(Suppression),
}

impl<T> Published<T> {
    /// An estimate (share, mean, total, difference) based on `n` persons or respondents.
    ///
    /// Suppressed when `n < rule.min_respondents`.
    pub fn estimate(value: T, n: u64, rule: &DisclosureRule) -> Published<T> {
        if n >= rule.min_respondents {
            Published {
                state: State::Shown { value, n },
            }
        } else {
            Published::suppressed(Suppression::Primary)
        }
    }

    /// A value withheld for the given reason.
    pub fn suppressed(reason: Suppression) -> Published<T> {
        Published {
            state: State::Suppressed(reason),
        }
    }

    /// The value, if shown.
    pub fn value(&self) -> Option<&T> {
        match &self.state {
            State::Shown { value, .. } => Some(value),
            State::Suppressed(_) => None,
        }
    }

    /// The number of persons or respondents the value is based on, if shown.
    pub fn n(&self) -> Option<u64> {
        match &self.state {
            State::Shown { n, .. } => Some(*n),
            State::Suppressed(_) => None,
        }
    }

    /// Why the value is withheld, if it is.
    pub fn suppression(&self) -> Option<Suppression> {
        match &self.state {
            State::Shown { .. } => None,
            State::Suppressed(reason) => Some(*reason),
        }
    }

    /// Whether the value is withheld.
    pub fn is_suppressed(&self) -> bool {
        self.suppression().is_some()
    }

    /// Transforms a shown value, keeping its n; a suppressed value stays suppressed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Published<U> {
        match self.state {
            State::Shown { value, n } => Published {
                state: State::Shown { value: f(value), n },
            },
            State::Suppressed(reason) => Published::suppressed(reason),
        }
    }

    /// Withholds a shown value as a secondary suppression (no-op if already suppressed).
    pub fn suppress_secondary(&mut self) {
        if let State::Shown { .. } = self.state {
            self.state = State::Suppressed(Suppression::Secondary);
        }
    }

    /// The value as a model cell: the number, or [`MissingReason::Suppressed`].
    pub fn to_cell_value(&self, number: impl FnOnce(&T) -> f64) -> CellValue {
        match &self.state {
            State::Shown { value, .. } => CellValue::Value(number(value)),
            State::Suppressed(_) => CellValue::Missing(MissingReason::Suppressed),
        }
    }
}

impl Published<u64> {
    /// A count of persons; its n is the count itself.
    ///
    /// Suppressed when the rule forbids the count (below `min_count`, or zero when
    /// `suppress_zero_counts`).
    pub fn count(count: u64, rule: &DisclosureRule) -> Published<u64> {
        if rule.count_is_publishable(count) {
            Published {
                state: State::Shown {
                    value: count,
                    n: count,
                },
            }
        } else {
            Published::suppressed(Suppression::Primary)
        }
    }
}

/// A two-way table of person counts with row, column and grand totals, before protection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountTable {
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<u64>>,
}

/// A protected table: every cell and total is [`Published`], and no suppressed entry can be
/// derived from the shown ones through the row, column and total equations.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtectedTable {
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Published<u64>>>,
    /// One total per row.
    pub row_totals: Vec<Published<u64>>,
    /// One total per column.
    pub column_totals: Vec<Published<u64>>,
    /// The grand total.
    pub grand_total: Published<u64>,
}

/// The position of an entry of a table with totals, as used by the protection algorithm:
/// rows `0..r` and columns `0..c` are cells, index `r` (or `c`) is the total.
pub(crate) type Entry = (usize, usize);

/// The linear equations tying a table with totals together: each row sums to its total,
/// each column to its total, and the totals to the grand total.
pub(crate) fn table_equations(n_rows: usize, n_columns: usize) -> Vec<Vec<Entry>> {
    let mut equations = Vec::new();
    for row in 0..=n_rows {
        equations.push((0..=n_columns).map(|column| (row, column)).collect());
    }
    for column in 0..=n_columns {
        equations.push((0..=n_rows).map(|row| (row, column)).collect());
    }
    equations
}

/// Which suppressed entries are uniquely determined by the shown ones.
///
/// Each equation says `Σ cells = total`; moving the shown entries to the right-hand side leaves
/// a linear system in the suppressed ones, which [`determined_unknowns`] solves exactly. The
/// check ignores non-negativity, which can only narrow intervals, and so may miss recoveries
/// that need it; the one-unknown rule applied first covers those in practice for tables whose
/// cells are far from zero.
pub(crate) fn determined_entries(
    n_rows: usize,
    n_columns: usize,
    suppressed: &[Entry],
) -> Vec<Entry> {
    let index = |entry: &Entry| suppressed.iter().position(|e| e == entry);
    let equations: Vec<Vec<(usize, i64)>> = table_equations(n_rows, n_columns)
        .into_iter()
        .map(|equation| {
            let total = equation.len() - 1;
            equation
                .iter()
                .enumerate()
                .filter_map(|(position, entry)| {
                    // The total enters with sign -1: Σ cells - total = 0.
                    index(entry).map(|k| (k, if position == total { -1 } else { 1 }))
                })
                .collect()
        })
        .collect();
    determined_unknowns(suppressed.len(), &equations)
        .into_iter()
        .map(|k| suppressed[k])
        .collect()
}

impl CountTable {
    /// A table from labels and cells; totals are computed, never taken from the caller, so
    /// they always add up.
    pub fn new(rows: Vec<String>, columns: Vec<String>, cells: Vec<Vec<u64>>) -> CountTable {
        CountTable {
            rows,
            columns,
            cells,
        }
    }

    /// The value of an entry, totals included (see [`Entry`]).
    fn entry(&self, (row, column): Entry) -> u64 {
        let n_rows = self.rows.len();
        let n_columns = self.columns.len();
        match (row == n_rows, column == n_columns) {
            (false, false) => self.cells[row][column],
            (false, true) => self.cells[row].iter().sum(),
            (true, false) => self.cells.iter().map(|r| r[column]).sum(),
            (true, true) => self.cells.iter().flatten().sum(),
        }
    }

    /// Applies primary suppression to every cell and total, then secondary suppression until no
    /// suppressed entry can be recovered by subtraction through rows, columns or the total.
    ///
    /// Secondary suppression picks, in an equation (a row or column with its total) that would
    /// reveal a suppressed entry, the smallest shown inner cell of that equation (a total only
    /// if no inner cell is left), which loses the least information.
    pub fn protect(&self, rule: &DisclosureRule) -> ProtectedTable {
        let n_rows = self.rows.len();
        let n_columns = self.columns.len();
        let all_entries: Vec<Entry> = (0..=n_rows)
            .flat_map(|row| (0..=n_columns).map(move |column| (row, column)))
            .collect();
        let mut primary: Vec<Entry> = all_entries
            .iter()
            .copied()
            .filter(|&entry| !rule.count_is_publishable(self.entry(entry)))
            .collect();
        primary.sort_unstable();
        let mut suppressed = primary.clone();
        let equations = table_equations(n_rows, n_columns);
        let is_total = |(row, column): Entry| row == n_rows || column == n_columns;
        loop {
            // First the cheap rule: an equation with exactly one suppressed entry reveals it.
            let mut revealing: Option<&Vec<Entry>> = equations
                .iter()
                .find(|equation| equation.iter().filter(|e| suppressed.contains(e)).count() == 1);
            // Then the exact check, for recoveries that combine several equations.
            let determined;
            if revealing.is_none() {
                determined = determined_entries(n_rows, n_columns, &suppressed);
                if let Some(entry) = determined.first() {
                    revealing = equations.iter().find(|equation| {
                        equation.contains(entry) && equation.iter().any(|e| !suppressed.contains(e))
                    });
                }
            }
            let Some(equation) = revealing else { break };
            let candidate = equation
                .iter()
                .copied()
                .filter(|e| !suppressed.contains(e))
                .min_by_key(|&e| (is_total(e), self.entry(e), e));
            match candidate {
                Some(entry) => suppressed.push(entry),
                None => break,
            }
        }
        let publish = |entry: Entry| {
            if primary.contains(&entry) {
                Published::suppressed(Suppression::Primary)
            } else if suppressed.contains(&entry) {
                Published::suppressed(Suppression::Secondary)
            } else {
                Published::count(self.entry(entry), rule)
            }
        };
        ProtectedTable {
            rows: self.rows.clone(),
            columns: self.columns.clone(),
            cells: (0..n_rows)
                .map(|row| {
                    (0..n_columns)
                        .map(|column| publish((row, column)))
                        .collect()
                })
                .collect(),
            row_totals: (0..n_rows).map(|row| publish((row, n_columns))).collect(),
            column_totals: (0..n_columns)
                .map(|column| publish((n_rows, column)))
                .collect(),
            grand_total: publish((n_rows, n_columns)),
        }
    }
}

impl ProtectedTable {
    /// The entries withheld, in the indexing of the protection algorithm (row `rows.len()` and
    /// column `columns.len()` are the totals).
    pub fn suppressed_entries(&self) -> Vec<(usize, usize)> {
        let n_rows = self.rows.len();
        let n_columns = self.columns.len();
        let mut entries = Vec::new();
        for row in 0..=n_rows {
            for column in 0..=n_columns {
                let value = match (row == n_rows, column == n_columns) {
                    (false, false) => &self.cells[row][column],
                    (false, true) => &self.row_totals[row],
                    (true, false) => &self.column_totals[column],
                    (true, true) => &self.grand_total,
                };
                if value.is_suppressed() {
                    entries.push((row, column));
                }
            }
        }
        entries
    }

    /// The shown value of an entry, in the same indexing as [`ProtectedTable::suppressed_entries`].
    pub fn shown(&self, (row, column): (usize, usize)) -> Option<u64> {
        let n_rows = self.rows.len();
        let n_columns = self.columns.len();
        let value = match (row == n_rows, column == n_columns) {
            (false, false) => &self.cells[row][column],
            (false, true) => &self.row_totals[row],
            (true, false) => &self.column_totals[column],
            (true, true) => &self.grand_total,
        };
        value.value().copied()
    }
}
