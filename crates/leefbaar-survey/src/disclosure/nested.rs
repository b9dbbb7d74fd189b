//! Secondary suppression across nested partitions: the one mechanism every module that
//! publishes figures about persons per group calls, whatever the figures are.
//!
//! A monitor publishes figures per *group* (municipalities, districts, age groups, the
//! answers to a question) and, in other tables or other `by=` of the same API, the figures of
//! *parents* made of those groups: the whole panel over every group, a province over its
//! municipalities, a municipality over its districts, a sex over the municipality × sex
//! groups. [`Published`] applies the primary rule to each figure on its own; this module adds
//! the secondary suppressions that stop a withheld figure from being worked out of the
//! others and the parents' figures.
//!
//! # What is protected against
//! An attacker who knows every shown figure of the table, every parent's figure, the n of
//! every shown group and of every parent, and each group's population (public: the raking
//! margins are CBS tables), and who solves the linear equations these tie together:
//! - a parent's figure is the population-weighted sum of its groups' figures (a mean, a
//!   share, a rate), so a lone withheld group under a parent follows by subtraction;
//! - a parent's n is the sum of its groups' n, so withheld groups under a parent must be two
//!   or more with at least `min_respondents` together, or their combined figure is one about
//!   too few persons;
//! - a row of shares of a single-choice answer adds up to one (a row of counts to its n), so a
//!   lone withheld share in a row follows from the others;
//! - a difference between two groups is the difference of their figures, so it is withheld
//!   when either is ([`protect_difference`]).
//!
//! The cheap rules above (one unknown per equation, two or more withheld with enough persons
//! under a parent) run to a fixed point first; then [`determined_unknowns`] checks the whole
//! system exactly, because several equations together can determine a cell that none of them
//! does alone (crossed parents such as municipality × sex, or a cell that bridges two cycles
//! of withheld cells), and each value it finds gets one more secondary suppression, after
//! which the cheap rules run again. Secondary suppressions go to the shown figure with the
//! fewest persons behind it (the lowest index on a tie), which loses the least information;
//! the exact check picks, among such figures next to the value it protects, the one that
//! costs the fewest suppressions in the end.
//!
//! # What is assumed, and what is not covered
//! - Parents come from nested partitions in which every level splits all the groups
//!   (province ⊃ municipality ⊃ district; a district of one neighbourhood is a parent of
//!   one group), or from crossing such partitions (municipality × sex). Each level's own
//!   table goes through this mechanism too, under the levels above it, and tells this one
//!   which of its figures it withheld ([`Parent::with_withheld_columns`]): a withheld figure
//!   ties nothing. A parent's n counts as public in the cheap rules whatever its table shows
//!   (conservative: the size of an area is public anyway).
//! - The mechanism withholds groups, never parents. A parent of a single group with persons
//!   shows that group's figures under its own name, so such a group is never withheld to
//!   protect another (it would hide nothing). When a withheld value follows from the
//!   parents' figures whatever this table withholds, protection fails with
//!   [`DisclosureError::GivenAwayByParents`] rather than publishing it: the parents' tables
//!   must withhold more.
//! - Groups nobody is in (n = 0) add nothing to a parent's figure and count neither way.
//! - Not covered: intervals an attacker narrows with non-negativity or known bounds,
//!   combining tables of different questions (their n differ by item non-response), and
//!   attribute disclosure (a shown share of 100 % tells every member's answer).
//!
//! # References
//! - Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E.,
//!   Spicer, K., de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley. The chapters
//!   on tabular data: primary and secondary cell suppression, hierarchical and linked tables.
//! - Cox, L. H. (1980). Suppression methodology and statistical disclosure control. *Journal of
//!   the American Statistical Association* 75 (370), 377–385: complementary suppression.

use std::collections::BTreeMap;

use super::linear::determined_unknowns;
use super::{DisclosureRule, Published, Suppression};
use crate::DisclosureError;

/// A group of groups whose figures are published too: the whole panel, a province over its
/// municipalities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    label: String,
    members: Vec<usize>,
    withheld_columns: Vec<usize>,
}

impl Parent {
    /// A parent made of the groups `members` (indices into the partition's groups), every
    /// figure of it published.
    pub fn new(label: impl Into<String>, members: Vec<usize>) -> Parent {
        Parent {
            label: label.into(),
            members,
            withheld_columns: Vec::new(),
        }
    }

    /// One parent per distinct key, made of the groups with that key, in key order: the
    /// provinces over municipalities, given each municipality's province code.
    pub fn by_key<K: AsRef<str>>(keys: &[K]) -> Vec<Parent> {
        let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (group, key) in keys.iter().enumerate() {
            members.entry(key.as_ref()).or_default().push(group);
        }
        members
            .into_iter()
            .map(|(label, members)| Parent::new(label, members))
            .collect()
    }

    /// The same parent with some of its own figures withheld (by its own protection): a
    /// withheld figure ties nothing to the groups' cells of that column.
    #[must_use]
    pub fn with_withheld_columns(mut self, columns: impl IntoIterator<Item = usize>) -> Parent {
        self.withheld_columns.extend(columns);
        self
    }

    /// Its label (for messages).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The groups it is made of.
    pub fn members(&self) -> &[usize] {
        &self.members
    }

    /// The columns whose figure it withholds.
    pub fn withheld_columns(&self) -> &[usize] {
        &self.withheld_columns
    }

    fn publishes(&self, column: usize) -> bool {
        !self.withheld_columns.contains(&column)
    }
}

/// Groups of persons with their n, and the parents whose figures are published too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedPartition {
    n: Vec<u64>,
    parents: Vec<Parent>,
}

/// A table of figures per group: `cells[group][column]`.
pub type GroupCells<T> = Vec<Vec<Published<T>>>;

impl NestedPartition {
    /// Groups with `n[group]` persons (or respondents) behind their figures, and the parents.
    pub fn new(n: Vec<u64>, parents: Vec<Parent>) -> Result<NestedPartition, DisclosureError> {
        for parent in &parents {
            let mut seen = vec![false; n.len()];
            for &group in &parent.members {
                if group >= n.len() {
                    return Err(DisclosureError::UnknownGroup {
                        parent: parent.label.clone(),
                        group,
                        groups: n.len(),
                    });
                }
                if std::mem::replace(&mut seen[group], true) {
                    return Err(DisclosureError::RepeatedGroup {
                        parent: parent.label.clone(),
                        group,
                    });
                }
            }
        }
        Ok(NestedPartition { n, parents })
    }

    /// The n of each group.
    pub fn n(&self) -> &[u64] {
        &self.n
    }

    /// The parents.
    pub fn parents(&self) -> &[Parent] {
        &self.parents
    }

    /// Protects estimates per group: each column an estimate of its own on the group's
    /// persons (a mean, a rate, the share choosing one answer of a multiple-choice question).
    ///
    /// A group's figures all carry its n, so a group is shown or withheld as a whole: it is
    /// withheld when any of its cells is (or its n is below `min_respondents`), and then under
    /// every parent its withheld groups must be none, or two or more with at least
    /// `min_respondents` persons together; then the exact check. Cells keep their own
    /// reason; the others of a withheld group become [`Suppression::Secondary`].
    ///
    /// The cheap rules count every parent, whatever its own table shows (conservative: the
    /// size of an area is public anyway); the exact check leaves out a parent whose own table
    /// withholds all its figures, as its n goes with them.
    pub fn protect_estimates<T>(
        &self,
        cells: GroupCells<T>,
        rule: &DisclosureRule,
    ) -> Result<GroupCells<T>, DisclosureError> {
        let mut cells = cells;
        self.check_shape("cells", &cells)?;
        let n_columns = cells.first().map_or(0, Vec::len);
        self.check_withheld_columns(n_columns)?;
        for (group, row) in cells.iter_mut().enumerate() {
            if self.n[group] < rule.min_respondents {
                row.iter_mut().for_each(withhold_primary);
            }
        }
        let pinned = self.pinned_groups(n_columns, rule);
        let mut withheld: Vec<bool> = cells
            .iter()
            .map(|row| row.iter().any(Published::is_suppressed))
            .collect();
        loop {
            self.group_rules_to_fixed_point(&mut withheld, &pinned, rule);
            if let Some(group) = self.n_given_away(&withheld, &pinned, n_columns, rule) {
                return Err(DisclosureError::GivenAwayByParents {
                    group,
                    column: None,
                });
            }
            match self.next_group_by_linear_algebra(&withheld, &pinned, n_columns, rule) {
                Next::Done => break,
                Next::Withhold(group) => withheld[group] = true,
                Next::GivenAway(group) => {
                    return Err(DisclosureError::GivenAwayByParents {
                        group,
                        column: None,
                    });
                }
            }
        }
        for (row, withheld) in cells.iter_mut().zip(withheld) {
            if withheld {
                row.iter_mut().for_each(Published::suppress_secondary);
            }
        }
        Ok(cells)
    }

    /// Protects shares that split each group (the shares of a single-choice question, or one
    /// row of a transition matrix per group), with `counts[group][column]` the persons behind
    /// each share; the counts of a group add up to its n.
    ///
    /// A share is withheld where its count fails the count rule (below `min_count`, or zero),
    /// or its group's n is below `min_respondents`. A weighted share times its n is close to
    /// its count, and a row adds up to one, so on top of that, to a fixed point: no row with
    /// exactly one withheld share; no parent with exactly one withheld share of a column it
    /// publishes; and groups withheld whole under parents as in
    /// [`NestedPartition::protect_estimates`], a group counting as withheld when all its
    /// shares are (its n is public once any share is shown). Then the exact check over rows
    /// and parents' columns, and over the withheld groups' n.
    pub fn protect_shares<T>(
        &self,
        cells: GroupCells<T>,
        counts: &[Vec<u64>],
        rule: &DisclosureRule,
    ) -> Result<GroupCells<T>, DisclosureError> {
        let mut cells = cells;
        self.check_shape("cells", &cells)?;
        self.check_shape("counts", counts)?;
        let n_columns = cells.first().map_or(0, Vec::len);
        if let Some(row) = counts.first()
            && row.len() != n_columns
        {
            return Err(DisclosureError::RowLength {
                what: "counts",
                group: 0,
                expected: n_columns,
                found: row.len(),
            });
        }
        for (group, row) in counts.iter().enumerate() {
            let sum: u64 = row.iter().sum();
            if sum != self.n[group] {
                return Err(DisclosureError::CountsDoNotAddUp {
                    group,
                    n: self.n[group],
                    sum,
                });
            }
        }
        self.check_withheld_columns(n_columns)?;
        for (group, row) in cells.iter_mut().enumerate() {
            for (cell, &count) in row.iter_mut().zip(&counts[group]) {
                if !rule.count_is_publishable(count) || self.n[group] < rule.min_respondents {
                    withhold_primary(cell);
                }
            }
        }
        let shares = Shares {
            partition: self,
            counts,
            pinned: self.pinned_groups(n_columns, rule),
            known: self.known_shares(n_columns, rule),
            rule,
        };
        let mut hidden: Vec<Vec<bool>> = cells
            .iter()
            .map(|row| row.iter().map(Published::is_suppressed).collect())
            .collect();
        loop {
            shares.rules_to_fixed_point(&mut hidden);
            let withheld = Shares::withheld_groups(&hidden);
            if let Some(group) = self.n_given_away(&withheld, &shares.pinned, n_columns, rule) {
                return Err(DisclosureError::GivenAwayByParents {
                    group,
                    column: None,
                });
            }
            match shares.next_by_linear_algebra(&hidden) {
                Next::Done => {}
                Next::Withhold((group, column)) => {
                    hidden[group][column] = true;
                    continue;
                }
                Next::GivenAway((group, column)) => {
                    return Err(DisclosureError::GivenAwayByParents {
                        group,
                        column: Some(column),
                    });
                }
            }
            let withheld = Shares::withheld_groups(&hidden);
            match self.next_group_by_linear_algebra(&withheld, &shares.pinned, n_columns, rule) {
                Next::Done => break,
                Next::Withhold(group) => hidden[group].iter_mut().for_each(|h| *h = true),
                Next::GivenAway(group) => {
                    return Err(DisclosureError::GivenAwayByParents {
                        group,
                        column: None,
                    });
                }
            }
        }
        for (row, hidden) in cells.iter_mut().zip(hidden) {
            for (cell, hidden) in row.iter_mut().zip(hidden) {
                if hidden {
                    cell.suppress_secondary();
                }
            }
        }
        Ok(cells)
    }

    /// Checks that a table has one row per group, all of one length.
    fn check_shape<C>(&self, what: &'static str, rows: &[Vec<C>]) -> Result<(), DisclosureError> {
        if rows.len() != self.n.len() {
            return Err(DisclosureError::RowCount {
                what,
                expected: self.n.len(),
                found: rows.len(),
            });
        }
        let expected = rows.first().map_or(0, Vec::len);
        match rows.iter().position(|row| row.len() != expected) {
            Some(group) => Err(DisclosureError::RowLength {
                what,
                group,
                expected,
                found: rows[group].len(),
            }),
            None => Ok(()),
        }
    }

    /// Checks that the parents withhold only columns the table has.
    fn check_withheld_columns(&self, n_columns: usize) -> Result<(), DisclosureError> {
        for parent in &self.parents {
            if let Some(&column) = parent.withheld_columns.iter().find(|&&c| c >= n_columns) {
                return Err(DisclosureError::UnknownColumn {
                    parent: parent.label.clone(),
                    column,
                    columns: n_columns,
                });
            }
        }
        Ok(())
    }

    /// The groups with persons of a parent.
    fn with_persons<'p>(&'p self, parent: &'p Parent) -> impl Iterator<Item = usize> + 'p {
        parent.members.iter().copied().filter(|&g| self.n[g] > 0)
    }

    /// The groups a parent pins: a parent whose only group with persons is `g` publishes `g`'s
    /// n and figures under its own name (a district of one neighbourhood), once its n passes
    /// the rule and its own table shows it. Withholding such a group hides nothing, so it is
    /// never withheld to protect another, and counts as known wherever it is withheld. (When
    /// its n fails the rule, the parent's own table withholds the parent, and the group is
    /// withheld too.)
    fn pinned_groups(&self, n_columns: usize, rule: &DisclosureRule) -> Vec<bool> {
        let mut pinned = vec![false; self.n.len()];
        for parent in &self.parents {
            let groups: Vec<usize> = self.with_persons(parent).collect();
            if let [group] = groups[..]
                && self.n[group] >= rule.min_respondents
                && (0..n_columns).any(|c| parent.publishes(c))
            {
                pinned[group] = true;
            }
        }
        pinned
    }

    /// The shares a parent pins: those of a pinned group in a column the parent publishes,
    /// where the count passes the rule.
    fn known_shares(&self, n_columns: usize, rule: &DisclosureRule) -> Vec<Vec<bool>> {
        let mut known = vec![vec![false; n_columns]; self.n.len()];
        for parent in &self.parents {
            let groups: Vec<usize> = self.with_persons(parent).collect();
            if let [group] = groups[..]
                && self.n[group] >= rule.min_respondents
            {
                for (column, known) in known[group].iter_mut().enumerate() {
                    *known |= parent.publishes(column);
                }
            }
        }
        known
    }

    /// The parents that tie groups together: those with two or more groups that have
    /// persons (a parent of one such group publishes that group's figure, see
    /// [`NestedPartition::pinned_groups`]).
    fn linking_parents(&self) -> impl Iterator<Item = &Parent> {
        self.parents
            .iter()
            .filter(|p| self.with_persons(p).nth(1).is_some())
    }

    /// One pass of secondary suppression of whole groups under every parent. The n of a
    /// parent is public, and so is the n of every group shown, so the withheld groups under a
    /// parent must be none, or two or more with at least `min_respondents` together;
    /// otherwise the shown group with the fewest persons (the first on a tie) is withheld as
    /// well. Groups nobody is in add nothing to a total, so they count neither way, and pinned
    /// groups are known either way.
    ///
    /// `withheld` is per group and updated as the pass goes, so a later parent sees what an
    /// earlier one withheld. Returns the groups this pass withheld.
    fn withhold_under_parents(
        &self,
        withheld: &mut [bool],
        pinned: &[bool],
        rule: &DisclosureRule,
    ) -> Vec<usize> {
        let n = &self.n;
        let mut newly = Vec::new();
        for parent in &self.parents {
            let hidden: Vec<usize> = self
                .with_persons(parent)
                .filter(|&g| withheld[g] && !pinned[g])
                .collect();
            let together: u64 = hidden.iter().map(|&g| n[g]).sum();
            if hidden.is_empty() || (hidden.len() >= 2 && together >= rule.min_respondents) {
                continue;
            }
            if let Some(g) = self
                .with_persons(parent)
                .filter(|&g| !withheld[g] && !pinned[g])
                .min_by_key(|&g| (n[g], g))
            {
                withheld[g] = true;
                newly.push(g);
            }
        }
        newly
    }

    /// [`NestedPartition::withhold_under_parents`] until nothing changes: a group withheld
    /// under one parent can leave another parent with a single withheld group.
    fn group_rules_to_fixed_point(
        &self,
        withheld: &mut [bool],
        pinned: &[bool],
        rule: &DisclosureRule,
    ) {
        while !self
            .withhold_under_parents(withheld, pinned, rule)
            .is_empty()
        {}
    }

    /// A withheld group under a parent whose n is public (it passes the rule and its table
    /// shows it) that the cheap rules could not protect because the parent has no group left
    /// to withhold: a lone withheld group, or withheld groups with fewer than
    /// `min_respondents` persons together, whose n (and figures) the parent's n gives away.
    fn n_given_away(
        &self,
        withheld: &[bool],
        pinned: &[bool],
        n_columns: usize,
        rule: &DisclosureRule,
    ) -> Option<usize> {
        self.parents
            .iter()
            .filter(|parent| (0..n_columns).any(|c| parent.publishes(c)))
            .filter(|parent| {
                parent.members.iter().map(|&g| self.n[g]).sum::<u64>() >= rule.min_respondents
            })
            .find_map(|parent| {
                let hidden: Vec<usize> = self
                    .with_persons(parent)
                    .filter(|&g| withheld[g] && !pinned[g])
                    .collect();
                let together: u64 = hidden.iter().map(|&g| self.n[g]).sum();
                let exposed =
                    !hidden.is_empty() && (hidden.len() == 1 || together < rule.min_respondents);
                (exposed && hidden.len() < self.with_persons(parent).count()).then(|| hidden[0])
            })
    }

    /// The withheld groups (with persons, not pinned) whose figures, or n, the equations of
    /// the parents that show anything determine (a parent's n goes with its figures).
    fn determined_groups(
        &self,
        withheld: &[bool],
        pinned: &[bool],
        n_columns: usize,
    ) -> Vec<usize> {
        let unknown: Vec<usize> = (0..self.n.len())
            .filter(|&g| withheld[g] && self.n[g] > 0 && !pinned[g])
            .collect();
        let position = |g: usize| unknown.binary_search(&g).ok();
        let equations: Vec<Vec<(usize, i64)>> = self
            .linking_parents()
            .filter(|parent| (0..n_columns).any(|c| parent.publishes(c)))
            .map(|parent| {
                parent
                    .members
                    .iter()
                    .filter_map(|&g| position(g).map(|k| (k, 1)))
                    .collect()
            })
            .collect();
        determined_unknowns(unknown.len(), &equations)
            .into_iter()
            .map(|k| unknown[k])
            .collect()
    }

    /// The exact check over whole groups: the shown group to withhold next for the first
    /// determined group. Of the shown groups with the fewest persons under each of its
    /// parents (or, when its parents have none, of every shown group), the one that leaves it
    /// undetermined at the least cost once the cheap rules have run again, else the first.
    fn next_group_by_linear_algebra(
        &self,
        withheld: &[bool],
        pinned: &[bool],
        n_columns: usize,
        rule: &DisclosureRule,
    ) -> Next<usize> {
        let Some(&group) = self.determined_groups(withheld, pinned, n_columns).first() else {
            return Next::Done;
        };
        let open = |g: usize| !withheld[g] && !pinned[g] && self.n[g] > 0;
        let mut candidates: Vec<usize> = self
            .linking_parents()
            .filter(|parent| parent.members.contains(&group))
            .filter_map(|parent| {
                self.with_persons(parent)
                    .filter(|&g| open(g))
                    .min_by_key(|&g| (self.n[g], g))
            })
            .collect();
        if candidates.is_empty() {
            candidates = (0..self.n.len()).filter(|&g| open(g)).collect();
            candidates.sort_by_key(|&g| (self.n[g], g));
        }
        let cheapest = candidates
            .iter()
            .copied()
            .filter_map(|candidate| {
                let mut trial = withheld.to_vec();
                trial[candidate] = true;
                self.group_rules_to_fixed_point(&mut trial, pinned, rule);
                let protects = !self
                    .determined_groups(&trial, pinned, n_columns)
                    .contains(&group);
                protects.then(|| (trial.iter().filter(|&&w| w).count(), candidate))
            })
            .min_by_key(|&(cost, _)| cost)
            .map(|(_, candidate)| candidate);
        match cheapest.or(candidates.first().copied()) {
            Some(candidate) => Next::Withhold(candidate),
            None => Next::GivenAway(group),
        }
    }
}

/// What the exact check asks for next.
enum Next<T> {
    /// Nothing withheld is determined any more.
    Done,
    /// Withhold this as well.
    Withhold(T),
    /// This withheld value is determined and nothing is left to withhold: the parents' own
    /// figures give it away.
    GivenAway(T),
}

/// A table of shares being protected: which are withheld is a `hidden[group][column]` matrix
/// that only ever gains entries.
struct Shares<'a> {
    partition: &'a NestedPartition,
    counts: &'a [Vec<u64>],
    /// Groups whose n a parent publishes (see [`NestedPartition::pinned_groups`]).
    pinned: Vec<bool>,
    /// Shares a parent publishes under its own name.
    known: Vec<Vec<bool>>,
    rule: &'a DisclosureRule,
}

impl Shares<'_> {
    /// A group's n is public once any of its shares is shown, so a group counts as withheld
    /// only when all its shares are.
    fn withheld_groups(hidden: &[Vec<bool>]) -> Vec<bool> {
        hidden.iter().map(|row| row.iter().all(|&h| h)).collect()
    }

    /// One pass of the cheap rules: the complement in every row, whole groups under parents,
    /// the complement in every column a parent publishes. Returns whether anything changed.
    fn rules_pass(&self, hidden: &mut [Vec<bool>]) -> bool {
        let partition = self.partition;
        let n_columns = hidden.first().map_or(0, Vec::len);
        let mut changed = false;
        for (group, row) in hidden.iter_mut().enumerate() {
            let line = (0..n_columns).map(|c| {
                let known = self.known[group][c];
                (
                    c,
                    row[c] && !known,
                    !row[c] && !known,
                    self.counts[group][c],
                )
            });
            if let Some(column) = complement_of_lone_withheld(line) {
                row[column] = true;
                changed = true;
            }
        }
        let mut withheld = Shares::withheld_groups(hidden);
        for group in partition.withhold_under_parents(&mut withheld, &self.pinned, self.rule) {
            hidden[group].iter_mut().for_each(|h| *h = true);
            changed = true;
        }
        for parent in &partition.parents {
            for column in (0..n_columns).filter(|&c| parent.publishes(c)) {
                let line = parent.members.iter().map(|&group| {
                    let (h, known) = (hidden[group][column], self.known[group][column]);
                    (group, h && !known, !h && !known, self.counts[group][column])
                });
                if let Some(group) = complement_of_lone_withheld(line) {
                    hidden[group][column] = true;
                    changed = true;
                }
            }
        }
        changed
    }

    fn rules_to_fixed_point(&self, hidden: &mut [Vec<bool>]) {
        while self.rules_pass(hidden) {}
    }

    /// The withheld shares (of groups with persons, not known through a parent) that the
    /// rows (adding up to one) and the parents' published columns determine.
    fn determined(&self, hidden: &[Vec<bool>]) -> Vec<(usize, usize)> {
        let partition = self.partition;
        let n_columns = hidden.first().map_or(0, Vec::len);
        let groups = || (0..partition.n.len()).filter(|&g| partition.n[g] > 0);
        let unknown: Vec<(usize, usize)> = groups()
            .flat_map(|g| (0..n_columns).map(move |c| (g, c)))
            .filter(|&(g, c)| hidden[g][c] && !self.known[g][c])
            .collect();
        let position = |cell: (usize, usize)| unknown.binary_search(&cell).ok();
        let mut equations: Vec<Vec<(usize, i64)>> = groups()
            .map(|g| {
                (0..n_columns)
                    .filter_map(|c| position((g, c)).map(|k| (k, 1)))
                    .collect()
            })
            .collect();
        for parent in partition.linking_parents() {
            for column in (0..n_columns).filter(|&c| parent.publishes(c)) {
                equations.push(
                    parent
                        .members
                        .iter()
                        .filter_map(|&g| position((g, column)).map(|k| (k, 1)))
                        .collect(),
                );
            }
        }
        determined_unknowns(unknown.len(), &equations)
            .into_iter()
            .map(|k| unknown[k])
            .collect()
    }

    /// The exact check over shares: the shown share to withhold next for the first
    /// determined share. Of the shown share with the smallest count in its row and the same
    /// under each parent that publishes its column (or, when there is none, of every shown
    /// share), the one that leaves it undetermined at the least cost once the cheap rules
    /// have run again, else the first.
    fn next_by_linear_algebra(&self, hidden: &[Vec<bool>]) -> Next<(usize, usize)> {
        let partition = self.partition;
        let n_columns = hidden.first().map_or(0, Vec::len);
        let Some(&(group, column)) = self.determined(hidden).first() else {
            return Next::Done;
        };
        let open = |g: usize, c: usize| !hidden[g][c] && !self.known[g][c] && partition.n[g] > 0;
        let in_row = (0..n_columns)
            .filter(|&c| open(group, c))
            .min_by_key(|&c| (self.counts[group][c], c))
            .map(|c| (group, c));
        let in_parents = partition
            .linking_parents()
            .filter(|p| p.members.contains(&group) && p.publishes(column))
            .filter_map(|parent| {
                partition
                    .with_persons(parent)
                    .filter(|&g| open(g, column))
                    .min_by_key(|&g| (self.counts[g][column], g))
                    .map(|g| (g, column))
            });
        let mut candidates: Vec<(usize, usize)> = in_row.into_iter().chain(in_parents).collect();
        if candidates.is_empty() {
            candidates = (0..partition.n.len())
                .flat_map(|g| (0..n_columns).map(move |c| (g, c)))
                .filter(|&(g, c)| open(g, c))
                .collect();
            candidates.sort_by_key(|&(g, c)| (self.counts[g][c], g, c));
        }
        let cheapest = candidates
            .iter()
            .copied()
            .filter_map(|(g, c)| {
                let mut trial = hidden.to_vec();
                trial[g][c] = true;
                self.rules_to_fixed_point(&mut trial);
                let protects = !self.determined(&trial).contains(&(group, column));
                let cost = trial.iter().flatten().filter(|&&h| h).count();
                protects.then_some((cost, (g, c)))
            })
            .min_by_key(|&(cost, _)| cost)
            .map(|(_, candidate)| candidate);
        match cheapest.or(candidates.first().copied()) {
            Some(candidate) => Next::Withhold(candidate),
            None => Next::GivenAway((group, column)),
        }
    }
}

/// A figure computed from two published ones, such as the difference between two groups'
/// estimates: withheld as well (as a secondary suppression, unless it fails the rule itself)
/// whenever either of them is, so that it cannot undo their suppression.
pub fn protect_difference<D, A, B>(
    difference: Published<D>,
    first: &Published<A>,
    second: &Published<B>,
) -> Published<D> {
    let mut difference = difference;
    if first.is_suppressed() || second.is_suppressed() {
        difference.suppress_secondary();
    }
    difference
}

/// Withholds a shown value for failing the rule itself.
fn withhold_primary<T>(published: &mut Published<T>) {
    if !published.is_suppressed() {
        *published = Published::suppressed(Suppression::Primary);
    }
}

/// The complement rule along one line of cells that add up to a published total (a group's
/// shares, or one column's shares under a parent): with exactly one cell withheld,
/// subtraction gives it away, so the open cell with the smallest count (the lowest key on a
/// tie) is withheld as well. Takes `(key, withheld, open, count)` per cell, where a cell known
/// through a parent is neither withheld nor open; returns the key to withhold.
fn complement_of_lone_withheld(
    cells: impl IntoIterator<Item = (usize, bool, bool, u64)>,
) -> Option<usize> {
    let cells: Vec<(usize, bool, bool, u64)> = cells.into_iter().collect();
    if cells
        .iter()
        .filter(|&&(_, withheld, _, _)| withheld)
        .count()
        != 1
    {
        return None;
    }
    cells
        .iter()
        .filter(|&&(_, _, open, _)| open)
        .min_by_key(|&&(key, _, _, count)| (count, key))
        .map(|&(key, _, _, _)| key)
}
