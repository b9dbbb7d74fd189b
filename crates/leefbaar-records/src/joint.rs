//! Joint protection of every figure of one record kind and year: after each figure went
//! through the shared mechanism on its own (`protect.rs`, the primary rule and the
//! per-partition secondary rule), the figures are checked together as one system of linear
//! equations, and more cells are withheld until no withheld value that somebody is in follows
//! from everything published over the same records.
//!
//! # The system
//! The underlying unknowns are the numbers of records per *atom*: leaf area × a value of every
//! variable any figure of the kind reads (a code field, the two fields a below/at/above
//! comparison compares, a field of a linked record), "not given" being one more value of a
//! variable that may be empty. Every published number (a count, a share times its n, a row's
//! or margin's n, at every area level) is a 0/1 sum of atoms, and so is every withheld one. A
//! comparison is read through its fields, as an attacker with the schema would: "below" a
//! vmbo-b advice is empty by definition, and below/at/above is a sum of start levels.
//!
//! The atoms of a kind with several fields are many (12 municipalities × 8 advices × 6 start
//! levels × 8 advices × 6 year-3 levels is 27,648), so the sums are written in another basis
//! of the same space, exact and much smaller: per variable the constant 1 and the indicator of
//! every value but a reference one ("not given" where it may be empty, else the first code),
//! and their products. The indicator of the reference value is 1 minus the others, so every
//! 0/1 sum over atoms is a sum of these products, and a figure over variables `S` only needs
//! the products over subsets of `S` (for the education figures, 95 per municipality instead of
//! 2,304). Whether a withheld value follows from the shown ones (its sum lies in the span of
//! theirs) does not depend on the basis the sums are written in.
//!
//! The check is exact: elimination modulo the prime 2^61 − 1, as the shared
//! `determined_unknowns`, but incremental and sparse (the shown sums form an echelon basis, a
//! withheld sum is reduced against it), and each basis row remembers which shown sums it
//! combines, so a withheld value found in the span comes with the shown values that give it
//! away; `determined_unknowns` answers only whether. The attack tests check the result with
//! `determined_unknowns` over the atoms themselves. Records of different years never share an
//! atom, so each year is a system of its own (and the years run on separate cores).
//!
//! Withheld zeros are not secrets here: nobody is in them, and the shared mechanism shows a row
//! at 100 % whose other cells are then zero by the bounds; read through the codes' levels
//! those zeros often follow exactly (a vmbo-b row's "above" is n − "at" once "below" is empty
//! by definition), and withholding them would withhold the province's rows for nobody.
//!
//! # Which cell to withhold
//! Greedy: while some withheld value follows, each such value gets one more cell withheld,
//! chosen among the shown cells in the combination that gives it away (a line's n counts as
//! its shown cells): one of the deepest area level, and of those the one with the smallest
//! count. That combination needs the chosen cell, so every round withholds
//! at least one more cell and the loop ends (at the latest when everything is withheld). The
//! deepest level comes first so that the province's and the country's figures, the ones most
//! read, stay shown while a municipality's can go; within it the smallest count is the cell a
//! reader loses least by (the one the per-partition rule would pick next too). Greedy is not
//! minimal, only safe; the per-figure protection before it leaves the joint step few cells.

use std::collections::HashMap;

use crate::area::AreaTree;
use crate::protect::{Counts, ProtectedCell};

/// A variable a figure reads: its key (link columns then the field's column), its number of
/// codes, and whether it may be not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Var {
    pub(crate) key: Vec<usize>,
    pub(crate) codes: usize,
    pub(crate) may_miss: bool,
}

impl Var {
    fn values(&self) -> usize {
        self.codes + usize::from(self.may_miss)
    }

    /// The value whose indicator is written as 1 minus the others.
    fn reference(&self) -> usize {
        if self.may_miss { self.codes } else { 0 }
    }
}

/// The level ranges of a comparison's compared field's codes and of its other field's.
pub(crate) type LevelRanges = (Vec<(u8, u8)>, Vec<(u8, u8)>);

/// The rows or columns of a figure: a code field (one variable), or a comparison of two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Axis {
    pub(crate) vars: Vec<Var>,
    /// The level ranges of the compared field's and the other field's codes.
    pub(crate) comparison: Option<LevelRanges>,
}

impl Axis {
    /// The axis's code for values of its variables, `None` when not given.
    fn code(&self, values: &[usize]) -> Option<usize> {
        match &self.comparison {
            None => (values[0] < self.vars[0].codes).then_some(values[0]),
            Some((ranges, against)) => {
                if values[0] >= self.vars[0].codes || values[1] >= self.vars[1].codes {
                    return None;
                }
                let ((f_low, f_high), (a_low, a_high)) = (ranges[values[0]], against[values[1]]);
                Some(if f_high < a_low {
                    0
                } else if f_low > a_high {
                    2
                } else {
                    1
                })
            }
        }
    }
}

/// One year of one figure of the kind: its axes (none for a count, the columns for shares,
/// rows and columns for a matrix), its counts and its protected cells, changed in place.
pub(crate) struct JointFigure<'a> {
    pub(crate) axes: &'a [Axis],
    pub(crate) counts: &'a Counts,
    pub(crate) cells: &'a mut [ProtectedCell],
}

/// A published or withheld value: the figure, the cells it stands for (one cell, or every cell
/// of a line for its n) and its sum.
struct Value {
    figure: usize,
    cells: Vec<usize>,
    sum: Vec<(usize, u64)>,
}

/// Withholds cells of the figures until no withheld value follows from the shown ones across
/// all of them. Returns how many cells it withheld.
pub(crate) fn protect_jointly(areas: &AreaTree, figures: &mut [JointFigure<'_>]) -> usize {
    let system = System::new(areas, figures);
    let mut withheld = 0;
    loop {
        let (mut shown, secrets) = system.values(figures);
        // Municipalities first: their sums are local, so the province's and the country's,
        // reduced against them, keep few entries.
        shown
            .sort_by_key(|v| std::cmp::Reverse(areas.depth(figures[v.figure].cells[v.cells[0]].0)));
        let mut span = Span::new(system.width(), shown.len());
        for (k, value) in shown.iter().enumerate() {
            span.insert(&value.sum, k);
        }
        let mut chosen: Vec<(usize, usize)> = Vec::new();
        for secret in &secrets {
            // The shown values whose combination gives the secret away.
            let Some(combination) = span.combination(&secret.sum) else {
                continue;
            };
            let candidate = combination
                .into_iter()
                .flat_map(|k| {
                    let value = &shown[k];
                    value.cells.iter().map(move |&c| (value.figure, c))
                })
                .filter(|&(f, c)| !figures[f].cells[c].3.is_suppressed())
                .min_by_key(|&(f, c)| {
                    let area = figures[f].cells[c].0;
                    let depth = std::cmp::Reverse(areas.depth(area));
                    (depth, System::count(figures, f, c), f, c)
                });
            if let Some(cell) = candidate
                && !chosen.contains(&cell)
            {
                chosen.push(cell);
            }
        }
        if chosen.is_empty() {
            return withheld;
        }
        for (f, c) in chosen {
            figures[f].cells[c].3.suppress_secondary();
            withheld += 1;
        }
    }
}

/// The sums of every figure's cells and lines, in the basis of the module documentation.
struct System {
    /// Per figure, its lines.
    lines: Vec<Vec<Line>>,
    /// The number of coordinates (leaf × product of value indicators).
    width: usize,
}

/// The cells of one area and matrix row (`None`: the margin, or a table without rows).
struct Line {
    area: usize,
    row: Option<usize>,
    cells: Vec<usize>,
    /// The sum of each cell, then of the line's n (for shares and matrices).
    sums: Vec<Vec<(usize, u64)>>,
}

impl System {
    fn new(areas: &AreaTree, figures: &[JointFigure<'_>]) -> System {
        // Every variable of every figure, once.
        let mut vars: Vec<Var> = Vec::new();
        let mut var_ids: Vec<Vec<usize>> = Vec::new();
        for figure in figures {
            let mut ids = Vec::new();
            for var in figure.axes.iter().flat_map(|a| &a.vars) {
                let id = vars
                    .iter()
                    .position(|v| v.key == var.key)
                    .unwrap_or_else(|| {
                        vars.push(var.clone());
                        vars.len() - 1
                    });
                ids.push(id);
            }
            var_ids.push(ids);
        }
        let leaves: Vec<usize> = (0..areas.len()).filter(|&a| areas.is_leaf(a)).collect();
        let mut under: Vec<Vec<usize>> = vec![Vec::new(); areas.len()];
        for (k, &leaf) in leaves.iter().enumerate() {
            for a in areas.lineage(leaf) {
                under[a].push(k);
            }
        }
        let mut terms: HashMap<Vec<(usize, usize)>, usize> = HashMap::new();
        let mut coordinates: HashMap<(usize, usize), usize> = HashMap::new();
        let mut expansions: HashMap<(usize, Condition), Vec<(usize, i64)>> = HashMap::new();
        let mut lines = Vec::new();
        for (f, figure) in figures.iter().enumerate() {
            let mut figure_lines: Vec<Line> = Vec::new();
            for (k, &(area, row, _, _)) in figure.cells.iter().enumerate() {
                match figure_lines.last_mut() {
                    Some(line) if line.area == area && line.row == row => line.cells.push(k),
                    _ => figure_lines.push(Line {
                        area,
                        row,
                        cells: vec![k],
                        sums: Vec::new(),
                    }),
                }
            }
            for line in &mut figure_lines {
                let mut conditions: Vec<Vec<Option<usize>>> = line
                    .cells
                    .iter()
                    .map(|&k| condition(figure.axes.len(), line.row, Some(figure.cells[k].2)))
                    .collect();
                if !figure.axes.is_empty() {
                    conditions.push(condition(figure.axes.len(), line.row, None));
                }
                for condition in conditions {
                    let expansion = expansions.entry((f, condition.clone())).or_insert_with(|| {
                        expand(&vars, &var_ids[f], figure.axes, &condition)
                            .into_iter()
                            .map(|(term, c)| {
                                let n = terms.len();
                                (*terms.entry(term).or_insert(n), c)
                            })
                            .collect()
                    });
                    let mut sum = Vec::new();
                    for &leaf in &under[line.area] {
                        for &(term, c) in expansion.iter() {
                            let n = coordinates.len();
                            let k = *coordinates.entry((leaf, term)).or_insert(n);
                            sum.push((k, residue(c)));
                        }
                    }
                    line.sums.push(sum);
                }
            }
            lines.push(figure_lines);
        }
        System {
            lines,
            width: coordinates.len(),
        }
    }

    fn width(&self) -> usize {
        self.width
    }

    /// The count of a cell.
    fn count(figures: &[JointFigure<'_>], figure: usize, cell: usize) -> u64 {
        let (area, row, column, _) = figures[figure].cells[cell];
        cell_count(figures[figure].counts, area, row, column)
    }

    /// The shown values and the withheld ones that are secrets: those somebody is in. A
    /// withheld zero that follows gives nobody away, and the zeros a row at 100 % implies are
    /// shown by the shared mechanism too (by the bounds, where the codes' structure makes
    /// them follow exactly here: "below" a vmbo-b advice is empty by definition).
    fn values(&self, figures: &[JointFigure<'_>]) -> (Vec<Value>, Vec<Value>) {
        let (mut shown, mut secrets) = (Vec::new(), Vec::new());
        for (f, lines) in self.lines.iter().enumerate() {
            let figure = &figures[f];
            for line in lines {
                let counts: Vec<u64> = line
                    .cells
                    .iter()
                    .map(|&k| System::count(figures, f, k))
                    .collect();
                let n = if figure.axes.is_empty() {
                    counts.iter().sum()
                } else {
                    line_count(figure.counts, line.area, line.row)
                };
                let any_shown = line
                    .cells
                    .iter()
                    .any(|&k| !figure.cells[k].3.is_suppressed());
                for (i, &k) in line.cells.iter().enumerate() {
                    let value = Value {
                        figure: f,
                        cells: vec![k],
                        sum: line.sums[i].clone(),
                    };
                    if !figure.cells[k].3.is_suppressed() {
                        shown.push(value);
                    } else if counts[i] > 0 {
                        secrets.push(value);
                    }
                }
                if let Some(sum) = line.sums.get(line.cells.len()) {
                    let value = Value {
                        figure: f,
                        cells: line.cells.clone(),
                        sum: sum.clone(),
                    };
                    if any_shown {
                        shown.push(value);
                    } else if n > 0 {
                        secrets.push(value);
                    }
                }
            }
        }
        (shown, secrets)
    }
}

/// What a cell or a line's n asks of each axis of its figure: a code, or any code given.
type Condition = Vec<Option<usize>>;

/// The condition of a cell (`column` `Some`) or a line's n (`None`) on the figure's axes.
fn condition(axes: usize, row: Option<usize>, column: Option<usize>) -> Vec<Option<usize>> {
    match axes {
        0 => Vec::new(),
        1 => vec![column],
        _ => vec![row, column],
    }
}

/// The count of a cell of a figure.
fn cell_count(counts: &Counts, area: usize, row: Option<usize>, column: usize) -> u64 {
    match row {
        Some(r) => counts.row(area, r)[column],
        None => counts.margin(area)[column],
    }
}

/// The n of a line.
fn line_count(counts: &Counts, area: usize, row: Option<usize>) -> u64 {
    match row {
        Some(r) => counts.row(area, r).iter().sum(),
        None => counts.margin(area).iter().sum(),
    }
}

/// Whether a combination of values (`value` of a variable id) meets `condition` on every
/// axis; `ids` are the variables of the axes in order.
fn meets(
    ids: &[usize],
    axes: &[Axis],
    condition: &[Option<usize>],
    value: impl Fn(usize) -> usize,
) -> bool {
    let mut k = 0;
    axes.iter().zip(condition).all(|(axis, wanted)| {
        let axis_values: Vec<usize> = axis
            .vars
            .iter()
            .map(|_| {
                k += 1;
                value(ids[k - 1])
            })
            .collect();
        match (axis.code(&axis_values), wanted) {
            (None, _) => false,
            (Some(code), Some(w)) => code == *w,
            (Some(_), None) => true,
        }
    })
}

/// The indicator of the records of one leaf whose axes meet `condition` (a code, or `None`
/// for any code given), written in the basis of the module documentation: products of value
/// indicators, each a sorted list of (variable, value), with their coefficients.
fn expand(
    vars: &[Var],
    ids: &[usize],
    axes: &[Axis],
    condition: &[Option<usize>],
) -> Vec<(Vec<(usize, usize)>, i64)> {
    let mut involved: Vec<usize> = ids.to_vec();
    involved.sort_unstable();
    involved.dedup();
    let mut out: HashMap<Vec<(usize, usize)>, i64> = HashMap::new();
    let mut values = vec![0; involved.len()];
    loop {
        let value = |id: usize| values[involved.binary_search(&id).expect("involved")];
        if meets(ids, axes, condition, value) {
            let mut products: Vec<(Vec<(usize, usize)>, i64)> = vec![(Vec::new(), 1)];
            for (i, &id) in involved.iter().enumerate() {
                let var = &vars[id];
                let reference = var.reference();
                if values[i] == reference {
                    let mut next = products.clone();
                    for w in (0..var.values()).filter(|&w| w != reference) {
                        for (term, c) in &products {
                            let mut term = term.clone();
                            term.push((id, w));
                            next.push((term, -c));
                        }
                    }
                    products = next;
                } else {
                    for (term, _) in &mut products {
                        term.push((id, values[i]));
                    }
                }
            }
            for (term, c) in products {
                *out.entry(term).or_insert(0) += c;
            }
        }
        // The next combination.
        let mut i = 0;
        loop {
            if i == involved.len() {
                let mut out: Vec<_> = out.into_iter().filter(|&(_, c)| c != 0).collect();
                out.sort_unstable();
                return out;
            }
            values[i] += 1;
            if values[i] < vars[involved[i]].values() {
                break;
            }
            values[i] = 0;
            i += 1;
        }
    }
}

/// The prime the elimination works modulo: 2^61 − 1, as in the shared `determined_unknowns`.
const PRIME: u64 = (1 << 61) - 1;

fn residue(c: i64) -> u64 {
    u64::try_from(i128::from(c).rem_euclid(i128::from(PRIME))).expect("below the prime")
}

fn multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    // 2^61 ≡ 1 modulo the prime: fold the high bits onto the low ones.
    let low = u64::try_from(product & u128::from(PRIME)).expect("below the prime");
    let high = u64::try_from(product >> 61).expect("a product of residues fits 122 bits");
    let sum = low + high;
    if sum >= PRIME { sum - PRIME } else { sum }
}

fn subtract(a: u64, b: u64) -> u64 {
    if a >= b { a - b } else { a + PRIME - b }
}

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

/// The span of the shown sums, as rows in echelon form keyed by their first column, each with
/// the combination of shown sums it is (so a sum found in the span names the shown values
/// that give it away). Scratch space is kept between reductions, and only the columns a sum
/// touches are visited, in increasing order.
struct Span {
    pivots: Vec<Option<Row>>,
    entries: Vec<u64>,
    combination: Vec<u64>,
    queued: Vec<bool>,
}

/// A row of the echelon form: its entries and its combination of shown sums, both sparse.
#[derive(Clone)]
struct Row {
    entries: Vec<(usize, u64)>,
    combination: Vec<(usize, u64)>,
}

impl Span {
    fn new(width: usize, shown: usize) -> Span {
        Span {
            pivots: vec![None; width],
            entries: vec![0; width],
            combination: vec![0; shown],
            queued: vec![false; width],
        }
    }

    /// `sum` minus its projection on the span, and the combination of shown sums subtracted
    /// (starting from `start`), both sparse; the scratch space is left clear.
    fn reduce(&mut self, sum: &[(usize, u64)], start: Option<usize>) -> (Row, Row) {
        let mut heap = std::collections::BinaryHeap::new();
        let mut touched_combination: Vec<usize> = Vec::new();
        if let Some(id) = start {
            self.combination[id] = 1;
            touched_combination.push(id);
        }
        for &(k, c) in sum {
            self.entries[k] = (self.entries[k] + c) % PRIME;
            if !self.queued[k] {
                self.queued[k] = true;
                heap.push(std::cmp::Reverse(k));
            }
        }
        let mut rest = Vec::new();
        while let Some(std::cmp::Reverse(column)) = heap.pop() {
            self.queued[column] = false;
            let factor = std::mem::take(&mut self.entries[column]);
            if factor == 0 {
                continue;
            }
            let Some(row) = &self.pivots[column] else {
                rest.push((column, factor));
                continue;
            };
            for &(k, v) in &row.entries[1..] {
                self.entries[k] = subtract(self.entries[k], multiply(factor, v));
                if !self.queued[k] {
                    self.queued[k] = true;
                    heap.push(std::cmp::Reverse(k));
                }
            }
            for &(k, v) in &row.combination {
                if self.combination[k] == 0 {
                    touched_combination.push(k);
                }
                self.combination[k] = subtract(self.combination[k], multiply(factor, v));
            }
        }
        touched_combination.sort_unstable();
        touched_combination.dedup();
        let combination = touched_combination
            .into_iter()
            .filter_map(|k| {
                let v = std::mem::take(&mut self.combination[k]);
                (v != 0).then_some((k, v))
            })
            .collect();
        (
            Row {
                entries: rest,
                combination: Vec::new(),
            },
            Row {
                entries: Vec::new(),
                combination,
            },
        )
    }

    /// Adds shown sum number `id`.
    fn insert(&mut self, sum: &[(usize, u64)], id: usize) {
        let (rest, combination) = self.reduce(sum, Some(id));
        let Some(&(first, lead)) = rest.entries.first() else {
            return;
        };
        let scale = inverse(lead);
        let scaled = |values: Vec<(usize, u64)>| -> Vec<(usize, u64)> {
            values
                .into_iter()
                .map(|(k, v)| (k, multiply(v, scale)))
                .collect()
        };
        self.pivots[first] = Some(Row {
            entries: scaled(rest.entries),
            combination: scaled(combination.combination),
        });
    }

    /// The shown sums whose combination is `sum`, when it lies in the span.
    fn combination(&mut self, sum: &[(usize, u64)]) -> Option<Vec<usize>> {
        let (rest, combination) = self.reduce(sum, None);
        // sum − Σ pivots = 0, and each pivot row is a combination of shown sums.
        rest.entries.is_empty().then(|| {
            combination
                .combination
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        })
    }
}
