//! Tests of secondary suppression across nested partitions ([`NestedPartition`]) and of the
//! exact check behind it ([`determined_unknowns`]), driven through one helper per kind of
//! table: each case is a small partition as text, the cells it must withhold, and an attack on
//! the result (the linear algebra of [`attack`]) that must recover nothing. Seeded random
//! partitions run the same attack.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

use crate::synthetic::SEED;
use crate::{
    DisclosureError, DisclosureRule, NestedPartition, Parent, Published, Suppression,
    determined_unknowns, protect_difference,
};

/// A partition as the tests write it: one line per group with its parents (comma-separated,
/// in the order the parents first appear) and either its n (estimates) or one count per
/// answer (shares); then, optionally, `withheld PARENT COLUMN...` lines for parent figures
/// that the parent's own table withheld (beyond those that fail the rule, which `parse`
/// withholds itself).
struct Case {
    groups: Vec<String>,
    /// `["n"]` for estimates; the answers for shares.
    columns: Vec<String>,
    n: Vec<u64>,
    /// Shares only: `counts[group][answer]`.
    counts: Vec<Vec<u64>>,
    parents: Vec<Parent>,
}

fn parse(text: &str) -> Case {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header[..2], ["group", "parents"]);
    let columns: Vec<String> = header[2..].iter().map(|c| (*c).to_owned()).collect();
    let shares = columns != ["n"];
    let mut case = Case {
        groups: Vec::new(),
        columns,
        n: Vec::new(),
        counts: Vec::new(),
        parents: Vec::new(),
    };
    let mut members: Vec<(String, Vec<usize>)> = Vec::new();
    let mut withheld: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields[0] == "withheld" {
            let columns = fields[2..]
                .iter()
                .map(|c| case.columns.iter().position(|k| k == c).unwrap());
            withheld
                .entry(fields[1].to_owned())
                .or_default()
                .extend(columns);
            continue;
        }
        let group = case.groups.len();
        case.groups.push(fields[0].to_owned());
        for parent in fields[1].split(',') {
            match members.iter_mut().find(|(label, _)| label == parent) {
                Some((_, groups)) => groups.push(group),
                None => members.push((parent.to_owned(), vec![group])),
            }
        }
        let values: Vec<u64> = fields[2..].iter().map(|v| v.parse().unwrap()).collect();
        assert_eq!(values.len(), case.columns.len(), "{line}");
        case.n.push(values.iter().sum());
        if shares {
            case.counts.push(values);
        }
    }
    let rule = DisclosureRule::default();
    case.parents = members
        .into_iter()
        .map(|(label, groups)| {
            // A parent's own figures pass the rule on their own (the provinces' table, the
            // whole panel's row): a share of a parent is withheld where its count is.
            let n: u64 = groups.iter().map(|&g| case.n[g]).sum();
            let own: Vec<usize> = (0..case.columns.len())
                .filter(|&c| {
                    let count = || groups.iter().map(|&g| case.counts[g][c]).sum();
                    n < rule.min_respondents || (shares && !rule.count_is_publishable(count()))
                })
                .collect();
            let explicit = withheld.remove(&label).unwrap_or_default();
            Parent::new(label, groups).with_withheld_columns(own.into_iter().chain(explicit))
        })
        .collect();
    assert!(withheld.is_empty(), "withheld lines for unknown parents");
    case
}

impl Case {
    fn is_shares(&self) -> bool {
        !self.counts.is_empty()
    }

    fn partition(&self) -> NestedPartition {
        NestedPartition::new(self.n.clone(), self.parents.clone()).unwrap()
    }

    /// Every cell before protection: a mean of the group's index (estimates, any value will
    /// do), or each answer's share of the group.
    fn cells(&self) -> Vec<Vec<Published<f64>>> {
        let rule = DisclosureRule::default();
        (0..self.groups.len())
            .map(|g| {
                if self.is_shares() {
                    self.counts[g]
                        .iter()
                        .map(|&count| {
                            let share = if self.n[g] == 0 {
                                0.0
                            } else {
                                count as f64 / self.n[g] as f64
                            };
                            Published::estimate(share, self.n[g], &rule)
                        })
                        .collect()
                } else {
                    vec![Published::estimate(g as f64, self.n[g], &rule)]
                }
            })
            .collect()
    }

    fn protect(&self) -> Result<Vec<Vec<Published<f64>>>, DisclosureError> {
        let rule = DisclosureRule::default();
        if self.is_shares() {
            self.partition()
                .protect_shares(self.cells(), &self.counts, &rule)
        } else {
            self.partition().protect_estimates(self.cells(), &rule)
        }
    }

    /// The withheld cells as `group [answer] reason`, in table order.
    fn withheld(&self, cells: &[Vec<Published<f64>>]) -> String {
        let mut out = Vec::new();
        for (g, row) in cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let Some(reason) = cell.suppression() else {
                    continue;
                };
                let reason = match reason {
                    Suppression::Primary => "primary",
                    Suppression::Secondary => "secondary",
                };
                if self.is_shares() {
                    out.push(format!("{} {} {reason}", self.groups[g], self.columns[c]));
                } else {
                    out.push(format!("{} {reason}", self.groups[g]));
                }
            }
        }
        out.join(", ")
    }
}

/// The one helper: protects the partition, compares the withheld cells with `expected`, and
/// attacks the result.
/// A refusal (`refused: …`) is compared the same way, and checked to be right.
fn check(table: &str, expected: &str) {
    let case = parse(table);
    match case.protect() {
        Ok(cells) => {
            assert_eq!(case.withheld(&cells), expected);
            let leaks = attack(&case, &cells);
            assert!(leaks.is_empty(), "{leaks:#?}");
        }
        Err(error) => {
            assert_eq!(format!("refused: {error}"), expected);
            assert_refusal_is_right(&case, &error);
        }
    }
}

/// A refusal must be right: with every cell of the table withheld, the parents' figures alone
/// still give the value it names away.
fn assert_refusal_is_right(case: &Case, error: &DisclosureError) {
    let DisclosureError::GivenAwayByParents { group, column } = *error else {
        panic!("refused for another reason: {error}");
    };
    let nothing = vec![
        vec![Published::suppressed(Suppression::Secondary); case.columns.len()];
        case.groups.len()
    ];
    let leaks = attack(case, &nothing);
    let named = |leak: &String| match column {
        Some(c) => leak.starts_with(&format!(
            "{} {} follows",
            case.groups[group], case.columns[c]
        )),
        None => {
            leak.starts_with(&format!("{} ", case.groups[group]))
                || leak == &format!("the n of {} follows", case.groups[group])
                || case.parents.iter().any(|p| {
                    p.members().contains(&group)
                        && leak.starts_with(&format!("the withheld groups of {} ", p.label()))
                })
        }
    };
    assert!(
        leaks.iter().any(named),
        "refused ({error}), but withholding everything protects it:\n{}{leaks:#?}",
        case.to_text()
    );
}

/// The slow, obvious check that [`determined_unknowns`] is compared with: unknown `k` is
/// determined exactly when adding its unit vector to the equations does not raise their rank,
/// computed in floating point (well enough for the small coefficients it is given here).
fn determined(n_unknowns: usize, equations: &[Vec<(usize, i64)>]) -> Vec<usize> {
    fn rank(mut rows: Vec<Vec<f64>>) -> usize {
        let width = rows.first().map_or(0, Vec::len);
        let mut rank = 0;
        for column in 0..width {
            let Some(pivot) = (rank..rows.len())
                .max_by(|&a, &b| rows[a][column].abs().total_cmp(&rows[b][column].abs()))
            else {
                break;
            };
            if rows[pivot][column].abs() < 1e-9 {
                continue;
            }
            rows.swap(rank, pivot);
            let pivot_row = rows[rank].clone();
            for row in rows.iter_mut().skip(rank + 1) {
                let factor = row[column] / pivot_row[column];
                for (value, p) in row.iter_mut().zip(&pivot_row) {
                    *value -= factor * p;
                }
            }
            rank += 1;
        }
        rank
    }
    let rows: Vec<Vec<f64>> = equations
        .iter()
        .filter(|e| !e.is_empty())
        .map(|equation| {
            let mut row = vec![0.0; n_unknowns];
            for &(k, c) in equation {
                row[k] += c as f64;
            }
            row
        })
        .collect();
    let base = rank(rows.clone());
    (0..n_unknowns)
        .filter(|&k| {
            let mut extended = rows.clone();
            let mut unit = vec![0.0; n_unknowns];
            unit[k] = 1.0;
            extended.push(unit);
            rank(extended) == base
        })
        .collect()
}

/// The attacker: knows every shown cell and its n, each group's population, and each parent's
/// figures that its own table shows, with the parent's n once any of them is shown. Returns,
/// in words, every suppressed value it works out:
/// - a shown cell on too few persons;
/// - by linear algebra, a withheld cell that follows from the parents' figures
///   (population-weighted sums of their groups' cells) and, for shares, from rows that add up
///   to one; scaling a group's cells by its population changes nothing about which follow, so
///   the equations have coefficients 1;
/// - a withheld group's n that follows from the parents' n, or withheld groups under a parent
///   that hold fewer than `min_respondents` persons together.
///
/// A parent with a single group that has persons shows that group's figures, which the
/// mechanism therefore leaves shown.
fn attack(case: &Case, cells: &[Vec<Published<f64>>]) -> Vec<String> {
    let rule = DisclosureRule::default();
    let n_columns = case.columns.len();
    let mut leaks = Vec::new();
    for (g, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let too_few = case.n[g] < rule.min_respondents
                || (case.is_shares() && !rule.count_is_publishable(case.counts[g][c]));
            if !cell.is_suppressed() && too_few {
                leaks.push(format!("{} {} is shown", case.groups[g], case.columns[c]));
            }
        }
    }
    let hidden_group: Vec<bool> = cells
        .iter()
        .map(|row| row.iter().all(Published::is_suppressed))
        .collect();
    // A parent's figures are public where its own table shows them, and its n once any is.
    let parents_with_n: Vec<&Parent> = case
        .parents
        .iter()
        .filter(|p| (0..n_columns).any(|c| !p.withheld_columns().contains(&c)))
        .collect();

    // The cells.
    let unknown: Vec<(usize, usize)> = (0..case.groups.len())
        .filter(|&g| case.n[g] > 0)
        .flat_map(|g| (0..n_columns).map(move |c| (g, c)))
        .filter(|&(g, c)| cells[g][c].is_suppressed())
        .collect();
    let position = |cell: (usize, usize)| unknown.iter().position(|&u| u == cell);
    let mut equations: Vec<Vec<(usize, i64)>> = Vec::new();
    if case.is_shares() {
        for g in (0..case.groups.len()).filter(|&g| case.n[g] > 0) {
            equations.push(
                (0..n_columns)
                    .filter_map(|c| position((g, c)).map(|k| (k, 1)))
                    .collect(),
            );
        }
    }
    for parent in &case.parents {
        for c in 0..n_columns {
            if parent.withheld_columns().contains(&c) {
                continue;
            }
            equations.push(
                parent
                    .members()
                    .iter()
                    .filter_map(|&g| position((g, c)).map(|k| (k, 1)))
                    .collect(),
            );
        }
    }
    for k in determined(unknown.len(), &equations) {
        let (g, c) = unknown[k];
        leaks.push(format!(
            "{} {} follows from the published figures",
            case.groups[g], case.columns[c]
        ));
    }

    // The groups' n.
    let unknown: Vec<usize> = (0..case.groups.len())
        .filter(|&g| hidden_group[g] && case.n[g] > 0)
        .collect();
    let equations: Vec<Vec<(usize, i64)>> = parents_with_n
        .iter()
        .map(|parent| {
            parent
                .members()
                .iter()
                .filter_map(|g| unknown.iter().position(|u| u == g).map(|k| (k, 1)))
                .collect()
        })
        .collect();
    let mut known_n: Vec<bool> = hidden_group.iter().map(|hidden| !hidden).collect();
    for k in determined(unknown.len(), &equations) {
        leaks.push(format!("the n of {} follows", case.groups[unknown[k]]));
        known_n[unknown[k]] = true;
    }
    // What a parent's n leaves for its withheld groups whose n is not known otherwise.
    for parent in &parents_with_n {
        let rest: u64 = parent
            .members()
            .iter()
            .filter(|&&g| !known_n[g])
            .map(|&g| case.n[g])
            .sum();
        if rest > 0 && rest < rule.min_respondents {
            leaks.push(format!(
                "the withheld groups of {} hold {rest} persons",
                parent.label()
            ));
        }
    }
    leaks
}

// ---------------------------------------------------------------------------------------------
// Estimates per group (means, shares of a multiple-choice answer)

#[test]
fn a_suppressed_group_cannot_be_recovered_from_the_others_and_the_total() {
    check(
        "
        group   parents  n
        GM0106  all      12
        GM0114  all      3
        ",
        "GM0106 secondary, GM0114 primary",
    );
}

#[test]
fn a_lone_small_municipality_cannot_be_recovered_from_its_province() {
    // Fryslân's two small islands protect each other, and the three small municipalities
    // protect each other in the whole panel; Assen is alone in Drenthe, so the smallest other
    // Drenthe municipality is withheld with it.
    check(
        "
        group   parents   n
        GM0106  all,PV22  6
        GM0109  all,PV22  40
        GM0114  all,PV22  55
        GM0088  all,PV21  5
        GM0093  all,PV21  7
        GM0080  all,PV21  90
        ",
        "GM0106 primary, GM0109 secondary, GM0088 primary, GM0093 primary",
    );
}

#[test]
fn two_withheld_groups_are_not_enough_when_together_they_are_fewer_than_ten() {
    check(
        "
        group  parents  n
        A      all      4
        B      all      5
        C      all      30
        D      all      50
        ",
        "A primary, B primary, C secondary",
    );
}

#[test]
fn a_group_withheld_under_one_parent_is_protected_under_the_next_too() {
    // A is alone in the panel: C, the smallest shown group, goes with it; that leaves A alone
    // in P1 and C alone in P2, each of which takes its smallest shown group.
    check(
        "
        group  parents  n
        A      all,P1   5
        B      all,P1   12
        C      all,P2   11
        D      all,P2   30
        E      all,P2   40
        ",
        "A primary, B secondary, C secondary, D secondary",
    );
}

#[test]
fn groups_nobody_answered_in_count_neither_way() {
    check(
        "
        group  parents  n
        A      all      0
        B      all      25
        C      all      30
        ",
        "A primary",
    );
}

#[test]
fn a_district_of_one_neighbourhood_is_never_withheld_to_protect_another() {
    // W1 shows B1's figures under its own name, so withholding B1 would hide nothing: the
    // panel takes B4, the smallest group it can really withhold.
    check(
        "
        group  parents  n
        B1     all,W1   20
        B2     all,W2   6
        B3     all,W2   30
        B4     all,W2   25
        ",
        "B2 primary, B4 secondary",
    );
}

#[test]
fn a_value_the_parents_give_away_is_refused_not_published() {
    // A0, c0 and c2 each have one group with persons, so they show g1, g3 and g5; then g4 is
    // A1 minus c0 minus c2, whatever this table withholds.
    check(
        "
        group  parents    n
        g1     all,A0,c1  58
        g3     all,A1,c0  41
        g4     all,A1,c1  4
        g5     all,A1,c2  43
        ",
        "refused: group 2: withheld, but the parents' published figures give it away; \
         withhold a parent's figure with it",
    );
}

#[test]
fn crossed_parents_withhold_a_whole_cycle() {
    // Municipality × sex, published per municipality and per sex too.
    check(
        "
        group  parents          n
        A-m    all,A,male      5
        A-f    all,A,female    30
        B-m    all,B,male      40
        B-f    all,B,female    50
        ",
        "A-m primary, A-f secondary, B-m secondary, B-f secondary",
    );
}

#[test]
fn a_group_bridging_two_cycles_of_withheld_groups_is_found_by_the_exact_check() {
    // Areas A-D × categories x, y, z, w. The small groups form two cycles (A, B × x, y and
    // C, D × z, w), every parent with two or more withheld, so no equation has a lone unknown;
    // but B-z joins the cycles and follows from A, B, x and y together. Withholding the
    // smallest shown group of the panel (C-y) breaks that.
    check(
        "
        group  parents    n
        A-x    all,A,x    5
        A-y    all,A,y    6
        A-z    all,A,z    40
        A-w    all,A,w    50
        B-x    all,B,x    6
        B-y    all,B,y    5
        B-z    all,B,z    6
        B-w    all,B,w    70
        C-x    all,C,x    45
        C-y    all,C,y    35
        C-z    all,C,z    5
        C-w    all,C,w    6
        D-x    all,D,x    60
        D-y    all,D,y    55
        D-z    all,D,z    7
        D-w    all,D,w    8
        ",
        "A-x primary, A-y primary, B-x primary, B-y primary, B-z primary, C-y secondary, \
         C-z primary, C-w primary, D-z primary, D-w primary",
    );
}

#[test]
fn a_group_with_one_estimate_withheld_is_withheld_whole() {
    // Two estimates per group (the shares of two options of a multiple-choice question):
    // the second of B was withheld already by a protection of its own column, so the group's
    // n is no longer public through it, and B is withheld whole, A with it.
    let rule = DisclosureRule::default();
    let partition =
        NestedPartition::new(vec![40, 25, 60], vec![Parent::new("all", vec![0, 1, 2])]).unwrap();
    let mut b_second = Published::estimate(0.5, 25, &rule);
    b_second.suppress_secondary();
    let cells = vec![
        vec![
            Published::estimate(0.1, 40, &rule),
            Published::estimate(0.2, 40, &rule),
        ],
        vec![Published::estimate(0.3, 25, &rule), b_second],
        vec![
            Published::estimate(0.4, 60, &rule),
            Published::estimate(0.6, 60, &rule),
        ],
    ];
    let protected = partition.protect_estimates(cells, &rule).unwrap();
    let withheld: Vec<Vec<bool>> = protected
        .iter()
        .map(|row| row.iter().map(Published::is_suppressed).collect())
        .collect();
    assert_eq!(withheld, [[true, true], [true, true], [false, false]]);
    assert_eq!(protected[2][1].value(), Some(&0.6));
}

// ---------------------------------------------------------------------------------------------
// Shares that split each group (single-choice answers)

#[test]
fn a_single_withheld_share_in_a_row_is_protected_by_its_complement() {
    // A's 4 worried is withheld; its row adds up to one, so A's smallest other share goes
    // too, and in each of those two answers B, the smallest shown, protects A in the panel.
    check(
        "
        group  parents  sunny  neutral  worried
        A      all      40     30       4
        B      all      35     25       20
        C      all      50     45       30
        ",
        "A neutral secondary, A worried primary, B neutral secondary, B worried secondary",
    );
}

#[test]
fn a_lone_withheld_share_under_a_province_is_protected_within_the_province() {
    // In the panel A's and C's worried protect each other, but each is alone in its province.
    check(
        "
        group  parents  sunny  neutral  worried
        A      all,P1   40     30       6
        B      all,P1   35     25       20
        C      all,P2   50     45       7
        D      all,P2   60     40       25
        ",
        "A neutral secondary, A worried primary, B neutral secondary, B worried secondary, \
         C neutral secondary, C worried primary, D neutral secondary, D worried secondary",
    );
}

#[test]
fn a_group_with_too_few_respondents_is_withheld_whole_and_its_parent_takes_another() {
    check(
        "
        group  parents  sunny  worried  other
        A      all      3      2        1
        B      all      30     20       25
        C      all      40     35       50
        ",
        "A sunny primary, A worried primary, A other primary, \
         B sunny secondary, B worried secondary, B other secondary",
    );
}

#[test]
fn a_parent_figure_withheld_by_its_own_table_ties_nothing() {
    // P1's table shows only its sunny share, so A's two withheld shares need no partner in
    // B; with all of P1's shares shown they would (the second case).
    let table = "
        group  parents  sunny  neutral  worried
        A      P1       40     30       6
        B      P1       35     25       20
        C      P2       50     45       30
        D      P2       60     40       25
        ";
    check(
        &format!("{table}\nwithheld P1 neutral worried"),
        "A neutral secondary, A worried primary",
    );
    check(
        table,
        "A neutral secondary, A worried primary, B neutral secondary, B worried secondary",
    );
}

#[test]
fn a_parent_figure_withheld_by_its_own_table_is_still_known_from_the_others() {
    // P1's neutral and worried shares are withheld, but P1 is the panel minus P2, so they
    // follow from the published ones anyway: the exact check still protects A within P1's
    // groups.
    check(
        "
        group  parents  sunny  neutral  worried
        A      all,P1   40     30       6
        B      all,P1   35     25       20
        C      all,P2   50     45       7
        D      all,P2   60     40       25
        withheld P1 neutral worried
        ",
        "A neutral secondary, A worried primary, B neutral secondary, B worried secondary, \
         C neutral secondary, C worried primary, D neutral secondary, D worried secondary",
    );
}

#[test]
fn a_share_bridging_two_cycles_of_withheld_shares_is_found_by_the_exact_check() {
    // Every row and every answer has two or more withheld shares, but g2's c follows from
    // rows g1 and g2 with answers a and b; g2's next smallest share (d) protects it.
    check(
        "
        group  parents  a   b   c   d   e
        g1     all      5   6   40  50  30
        g2     all      7   8   9   60  70
        g3     all      30  40  5   6   20
        g4     all      50  45  7   8   25
        ",
        "g1 a primary, g1 b primary, g2 a primary, g2 b primary, g2 c primary, \
         g2 d secondary, g3 c primary, g3 d primary, g4 c primary, g4 d primary",
    );
}

// ---------------------------------------------------------------------------------------------
// Differences, and mistakes of the caller

#[test]
fn a_difference_is_withheld_when_either_group_is() {
    let rule = DisclosureRule::default();
    let shown = Published::estimate(7.5, 40, &rule);
    let mut secondary = Published::estimate(7.9, 30, &rule);
    secondary.suppress_secondary();
    let primary: Published<f64> = Published::estimate(6.0, 4, &rule);
    let difference = || Published::estimate(0.4, 30, &rule);
    assert_eq!(
        protect_difference(difference(), &shown, &shown).value(),
        Some(&0.4)
    );
    for (first, second) in [
        (&shown, &secondary),
        (&secondary, &shown),
        (&shown, &primary),
    ] {
        assert_eq!(
            protect_difference(difference(), first, second).suppression(),
            Some(Suppression::Secondary)
        );
    }
    // A difference that fails the rule itself keeps its own reason.
    let small = Published::<f64>::estimate(0.4, 4, &rule);
    assert_eq!(
        protect_difference(small, &shown, &primary).suppression(),
        Some(Suppression::Primary)
    );
}

#[test]
fn a_partition_that_does_not_fit_together_is_an_error_naming_the_part() {
    let rule = DisclosureRule::default();
    let error = NestedPartition::new(vec![10, 20], vec![Parent::new("PV22", vec![0, 2])]);
    assert_eq!(
        error.unwrap_err().to_string(),
        "parent `PV22`: expected groups 0 to 1, found group 2"
    );
    let error = NestedPartition::new(vec![10, 20], vec![Parent::new("all", vec![0, 1, 0])]);
    assert_eq!(
        error.unwrap_err(),
        DisclosureError::RepeatedGroup {
            parent: "all".to_owned(),
            group: 0
        }
    );
    let partition =
        NestedPartition::new(vec![30, 20], vec![Parent::new("all", vec![0, 1])]).unwrap();
    let cells = |n: u64| vec![Published::estimate(0.5, n, &rule); 2];
    let error = partition
        .protect_shares(
            vec![cells(30), cells(20)],
            &[vec![10, 20], vec![10, 9]],
            &rule,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "group 1: expected counts adding up to its n (20), found 19"
    );
    let error = partition
        .protect_estimates(
            vec![cells(30), vec![Published::estimate(0.5, 20, &rule)]],
            &rule,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cells, group 1: expected 2 cells like the first row, found 1"
    );
    let error = partition
        .protect_estimates(vec![cells(30)], &rule)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cells: expected one row per group (2), found 1"
    );
    let partition = NestedPartition::new(
        vec![30, 20],
        vec![Parent::new("all", vec![0, 1]).with_withheld_columns([2])],
    )
    .unwrap();
    let error = partition
        .protect_shares(
            vec![cells(30), cells(20)],
            &[vec![10, 20], vec![10, 10]],
            &rule,
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "parent `all`: expected columns 0 to 1, found withheld column 2"
    );
}

#[test]
fn parents_by_key_follow_the_keys_in_order() {
    let parents = Parent::by_key(&["PV22", "PV20", "PV22", "PV21"]);
    let shape: Vec<(&str, &[usize])> = parents.iter().map(|p| (p.label(), p.members())).collect();
    assert_eq!(
        shape,
        [
            ("PV20", &[1][..]),
            ("PV21", &[3][..]),
            ("PV22", &[0, 2][..])
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The exact check, and seeded random partitions

/// A seeded random sparse system: each equation names about a third of the unknowns, with
/// small whole coefficients.
fn random_system(random: &mut ChaCha8Rng) -> (usize, Vec<Vec<(usize, i64)>>) {
    let n_unknowns = 1 + (random.next_u32() % 14) as usize;
    let n_equations = (random.next_u32() % 14) as usize;
    let equations = (0..n_equations)
        .map(|_| {
            let mut equation: Vec<(usize, i64)> = Vec::new();
            for k in 0..n_unknowns {
                if random.next_u32().is_multiple_of(3) {
                    let coefficient = match random.next_u32() % 3 {
                        0 => 1,
                        1 => -1,
                        _ => i64::from(2 + random.next_u32() % 8),
                    };
                    equation.push((k, coefficient));
                }
            }
            equation
        })
        .collect();
    (n_unknowns, equations)
}

#[test]
fn the_exact_check_agrees_with_the_rank_test_on_seeded_random_systems() {
    let mut random = ChaCha8Rng::seed_from_u64(SEED);
    for case in 0..500 {
        let (n_unknowns, equations) = random_system(&mut random);
        assert_eq!(
            determined_unknowns(n_unknowns, &equations),
            determined(n_unknowns, &equations),
            "seed {SEED}, case {case}: {equations:?}"
        );
    }
}

#[test]
fn the_exact_check_is_not_fooled_by_weights_of_very_different_sizes() {
    // x2 follows from the second equation and then x3 from the first; x0, x1, x4 and x6 are
    // tied by three equations and stay free. Floating-point elimination with a tolerance got
    // this wrong both ways (it found x4, or x0 to x4).
    let equations = [
        vec![(2, 2628), (3, 1)],
        vec![(2, -1)],
        vec![(1, 2184), (2, 3112), (4, 3754), (6, -1)],
        vec![(0, 4069), (1, 3841)],
        vec![(0, -1), (3, 767), (4, -1)],
    ];
    assert_eq!(determined_unknowns(7, &equations), [2, 3]);
}

/// Which parents a random partition has.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Every level splits all the groups: the panel, blocks, and sometimes districts within
    /// the blocks (province ⊃ municipality ⊃ district; a block left whole is one district).
    Levels,
    /// Areas × categories, published per area, per category and in all.
    Crossed,
}

fn below(random: &mut ChaCha8Rng, bound: u32) -> u32 {
    random.next_u32() % bound
}

/// Splits `groups` into consecutive runs of two or more.
fn blocks(random: &mut ChaCha8Rng, groups: &[usize]) -> Vec<Vec<usize>> {
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut rest = groups;
    while rest.len() >= 4 && below(random, 3) > 0 {
        let take = 2 + below(random, u32::try_from(rest.len() - 3).unwrap()) as usize;
        blocks.push(rest[..take].to_vec());
        rest = &rest[take..];
    }
    blocks.push(rest.to_vec());
    blocks
}

/// One level of parents: each a label and its groups.
type Level = Vec<(String, Vec<usize>)>;

/// A seeded random partition: many small groups and cells, so that suppression has work to
/// do. Its parents' own tables are protected by the same mechanism first, level by level
/// from the whole panel down (as the API protects its provinces' table), and the parents
/// carry what those withheld.
fn random_case(random: &mut ChaCha8Rng, shares: bool, shape: Shape) -> Case {
    let (n_groups, levels): (usize, Vec<Level>) = match shape {
        Shape::Levels => {
            let n_groups = 4 + below(random, 10) as usize;
            let all: Vec<usize> = (0..n_groups).collect();
            let mut blocks_level = Vec::new();
            let mut districts_level = Vec::new();
            let mut split = false;
            for (b, block) in blocks(random, &all).into_iter().enumerate() {
                // Every level covers every group: a block left whole is one district.
                let districts = if below(random, 2) == 0 && block.len() >= 4 {
                    blocks(random, &block)
                } else {
                    vec![block.clone()]
                };
                split |= districts.len() > 1;
                for (d, district) in districts.into_iter().enumerate() {
                    districts_level.push((format!("P{b}.{d}"), district));
                }
                blocks_level.push((format!("P{b}"), block));
            }
            let mut levels = vec![vec![("all".to_owned(), all)], blocks_level];
            if split {
                levels.push(districts_level);
            }
            (n_groups, levels)
        }
        Shape::Crossed => {
            let n_areas = 2 + below(random, 3) as usize;
            let n_categories = 2 + below(random, 3) as usize;
            let group = |a: usize, c: usize| a * n_categories + c;
            let areas = (0..n_areas)
                .map(|a| {
                    (
                        format!("A{a}"),
                        (0..n_categories).map(|c| group(a, c)).collect(),
                    )
                })
                .collect();
            let categories = (0..n_categories)
                .map(|c| (format!("c{c}"), (0..n_areas).map(|a| group(a, c)).collect()))
                .collect();
            let all = vec![("all".to_owned(), (0..n_areas * n_categories).collect())];
            (n_areas * n_categories, vec![all, areas, categories])
        }
    };
    let n_columns = if shares {
        2 + below(random, 3) as usize
    } else {
        1
    };
    let values: Vec<Vec<u64>> = (0..n_groups)
        .map(|_| {
            (0..n_columns)
                .map(|_| u64::from(small_or_not(random)))
                .collect()
        })
        .collect();
    let mut case = Case {
        groups: (0..n_groups).map(|g| format!("g{g}")).collect(),
        columns: if shares {
            (0..n_columns).map(|c| format!("a{c}")).collect()
        } else {
            vec!["n".to_owned()]
        },
        n: values.iter().map(|row| row.iter().sum()).collect(),
        counts: if shares { values } else { Vec::new() },
        parents: Vec::new(),
    };
    for level in levels {
        // This level's own table: its parents as groups, under the parents found so far that
        // are made of them.
        let above = case
            .parents
            .iter()
            .filter_map(|parent| {
                let inside: Vec<usize> = (0..level.len())
                    .filter(|&k| level[k].1.iter().all(|g| parent.members().contains(g)))
                    .collect();
                let covered: usize = inside.iter().map(|&k| level[k].1.len()).sum();
                (!inside.is_empty() && covered == parent.members().len()).then(|| {
                    Parent::new(parent.label(), inside)
                        .with_withheld_columns(parent.withheld_columns().iter().copied())
                })
            })
            .collect();
        let sum = |members: &[usize], column: usize| -> u64 {
            members.iter().map(|&g| case.counts[g][column]).sum()
        };
        let table = Case {
            groups: level.iter().map(|(label, _)| label.clone()).collect(),
            columns: case.columns.clone(),
            n: level
                .iter()
                .map(|(_, members)| members.iter().map(|&g| case.n[g]).sum())
                .collect(),
            counts: if shares {
                level
                    .iter()
                    .map(|(_, members)| (0..n_columns).map(|c| sum(members, c)).collect())
                    .collect()
            } else {
                Vec::new()
            },
            parents: above,
        };
        // Where the mechanism refuses a level, its caller withholds the level whole.
        let protected = table.protect().unwrap_or_else(|_| {
            let withheld = || Published::suppressed(Suppression::Secondary);
            vec![vec![withheld(); n_columns]; level.len()]
        });
        for ((label, members), row) in level.into_iter().zip(protected) {
            let withheld = (0..n_columns).filter(|&c| row[c].is_suppressed());
            case.parents
                .push(Parent::new(label, members).with_withheld_columns(withheld));
        }
    }
    case
}

impl Case {
    /// The case in the tests' text form, for failure messages.
    fn to_text(&self) -> String {
        let mut text = format!("group parents {}\n", self.columns.join(" "));
        for (g, group) in self.groups.iter().enumerate() {
            let parents: Vec<&str> = self
                .parents
                .iter()
                .filter(|p| p.members().contains(&g))
                .map(Parent::label)
                .collect();
            let values: Vec<String> = if self.is_shares() {
                self.counts[g].iter().map(u64::to_string).collect()
            } else {
                vec![self.n[g].to_string()]
            };
            writeln!(text, "{group} {} {}", parents.join(","), values.join(" ")).unwrap();
        }
        for parent in &self.parents {
            if !parent.withheld_columns().is_empty() {
                let columns: Vec<&str> = parent
                    .withheld_columns()
                    .iter()
                    .map(|&c| self.columns[c].as_str())
                    .collect();
                writeln!(text, "withheld {} {}", parent.label(), columns.join(" ")).unwrap();
            }
        }
        text
    }
}

/// A count or n: zero one time in twenty, below ten one time in three, else 10 to 59.
fn small_or_not(random: &mut ChaCha8Rng) -> u32 {
    match below(random, 20) {
        0 => 0,
        1..=6 => 1 + below(random, 9),
        _ => 10 + below(random, 50),
    }
}

/// Protects 500 seeded random partitions and attacks each; returns how many the mechanism
/// refused because the parents' own figures give a withheld cell away.
fn random_partitions_never_leak(shares: bool) -> usize {
    let mut random = ChaCha8Rng::seed_from_u64(SEED);
    let mut refused = 0;
    for case in 0..500 {
        let shape = if case % 2 == 0 {
            Shape::Levels
        } else {
            Shape::Crossed
        };
        let partition = random_case(&mut random, shares, shape);
        let cells = match partition.protect() {
            Ok(cells) => cells,
            Err(error) => {
                assert_refusal_is_right(&partition, &error);
                refused += 1;
                continue;
            }
        };
        let leaks = attack(&partition, &cells);
        assert!(
            leaks.is_empty(),
            "seed {SEED}, case {case}:\n{}withheld: {}\nleaks: {leaks:#?}",
            partition.to_text(),
            partition.withheld(&cells)
        );
    }
    refused
}

#[test]
fn seeded_random_nested_partitions_never_leak_a_suppressed_estimate() {
    let refused = random_partitions_never_leak(false);
    assert!(refused < 50, "refused {refused} of 500");
}

#[test]
fn seeded_random_nested_partitions_never_leak_a_suppressed_share() {
    let refused = random_partitions_never_leak(true);
    assert!(refused < 50, "refused {refused} of 500");
}
