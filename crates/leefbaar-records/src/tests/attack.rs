//! The attack: an analyst who downloads every published figure of a table (every area level,
//! totals, margins, matrix rows and columns, linked shares, with the n of every shown figure)
//! writes the linear equations they tie together and solves them exactly with
//! `determined_unknowns`. No withheld value may follow, for the synthetic records and for small
//! fixtures made to break protection.

use leefbaar_model::AreaCode;
use leefbaar_survey::determined_unknowns;
use std::fmt::Write as _;

use super::{drenthe_tree, import, repo_file, schema, targets};
use crate::synthetic::{DRENTHE, SyntheticFile, education, literacy, population_by_age, poverty};
use crate::{AreaTree, DisclosureRule, Figure, FigureSpec, FigureTable, Records, Unit};

/// Every withheld value of `table` (cell or the n of a wholly withheld row) that the published
/// values determine, described for the failure message.
///
/// The unknowns are the counts of records per leaf area × row code × column code, every code
/// combination (the attacker does not know which are empty). A shown leaf cell fixes its
/// count; a shown cell of a higher area, or a margin, fixes a sum of counts; a shown n fixes
/// the sum over its row. Each withheld value is one more unknown, tied to the counts it sums;
/// it is recovered when the system determines it.
fn recovered(table: &FigureTable, areas: &AreaTree) -> Vec<String> {
    let leaves: Vec<usize> = (0..areas.len()).filter(|&a| areas.is_leaf(a)).collect();
    let matrix = !table.rows.is_empty();
    let n_rows = table.rows.len().max(1);
    let n_columns = table.columns.len();
    let atom = |leaf: usize, r: usize, c: usize| (leaf * n_rows + r) * n_columns + c;
    let years: std::collections::BTreeSet<_> = table.cells.iter().map(|c| c.year).collect();
    let mut found = Vec::new();
    for year in years {
        let cells: Vec<_> = table.cells.iter().filter(|c| c.year == year).collect();
        let in_area = |area: usize| -> Vec<usize> {
            (0..leaves.len())
                .filter(|&l| areas.lineage(leaves[l]).any(|a| a == area))
                .collect()
        };
        // The atoms of a published value: area, row (`None`: all rows), column (`None`: all).
        let atoms_of = |area: usize, row: Option<usize>, column: Option<usize>| -> Vec<usize> {
            let mut atoms = Vec::new();
            for l in in_area(area) {
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
        let mut secrets: Vec<(String, Vec<usize>)> = Vec::new();
        // Rows of a table: (area, row) where row is None for the margin (or the only row).
        let mut row_keys: Vec<(usize, Option<usize>)> = Vec::new();
        for cell in &cells {
            let key = (areas.position(cell.area.as_str()).unwrap(), cell.row);
            if !row_keys.contains(&key) {
                row_keys.push(key);
            }
        }
        for &(area, row) in &row_keys {
            let row_cells: Vec<_> = cells
                .iter()
                .filter(|c| areas.position(c.area.as_str()) == Some(area) && c.row == row)
                .collect();
            let name = |column: usize| {
                format!(
                    "{} {year:?} {} row {row:?} column {column}",
                    table.id,
                    areas.code(area).as_str()
                )
            };
            for cell in &row_cells {
                let column = if table.unit == Unit::Persons {
                    None
                } else {
                    Some(cell.column)
                };
                let atoms = atoms_of(area, row, column);
                if cell.value.is_suppressed() {
                    secrets.push((name(cell.column), atoms));
                } else if atoms.len() == 1 {
                    known[atoms[0]] = true;
                } else {
                    sums.push(atoms);
                }
            }
            let any_shown = row_cells.iter().any(|c| !c.value.is_suppressed());
            let all_atoms = atoms_of(area, row, None);
            if any_shown {
                // A shown share carries the n of its row (a count is its own n).
                sums.push(all_atoms);
            } else if matrix || table.unit == Unit::Share {
                secrets.push((format!("{} n", name(0)), all_atoms));
            }
        }
        // Known counts move to the right-hand side; the rest are the unknowns.
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
        for (k, (name, atoms)) in secrets.iter().enumerate() {
            let mut equation: Vec<(usize, i64)> = atoms
                .iter()
                .filter_map(|&a| position(a).map(|p| (p, 1)))
                .collect();
            if equation.is_empty() {
                found.push(format!("{name}: a sum of shown counts"));
                continue;
            }
            equation.push((unknown.len() + k, -1));
            equations.push(equation);
        }
        for k in determined_unknowns(unknown.len() + secrets.len(), &equations) {
            if k >= unknown.len() {
                found.push(secrets[k - unknown.len()].0.clone());
            } else if matrix || n_columns > 1 {
                // A leaf count that is determined but whose cell is withheld is caught as a
                // secret above; one whose cell is shown was known already.
            }
        }
    }
    found
}

fn spec(id: &str, kind: &str, figure: Figure) -> FigureSpec {
    FigureSpec {
        id: id.to_owned(),
        kind: kind.to_owned(),
        figure,
    }
}

fn matrix(id: &str, kind: &str, rows: &str, columns: &str) -> FigureSpec {
    spec(
        id,
        kind,
        Figure::Matrix {
            rows: rows.to_owned(),
            columns: columns.to_owned(),
        },
    )
}

fn shares(id: &str, kind: &str, field: &str) -> FigureSpec {
    spec(
        id,
        kind,
        Figure::Shares {
            field: field.to_owned(),
        },
    )
}

/// Attacks every table and asserts nothing is recovered; returns how many values were withheld.
fn assert_nothing_recovered(records: &Records, areas: &AreaTree, specs: &[FigureSpec]) -> usize {
    let tables = records
        .figures(areas, specs, &DisclosureRule::default())
        .unwrap();
    let mut withheld = 0;
    for table in &tables {
        let leaks = recovered(table, areas);
        assert!(
            leaks.is_empty(),
            "recovered from the published figures: {leaks:#?}"
        );
        withheld += table
            .cells
            .iter()
            .filter(|c| c.value.is_suppressed())
            .count();
    }
    withheld
}

pub(super) fn poverty_specs() -> Vec<FigureSpec> {
    vec![
        spec("young_adults", "young_adult", Figure::Count),
        shares("poor", "young_adult", "low_income"),
        matrix("father", "young_adult", "low_income", "father.low_income"),
        matrix("mother", "young_adult", "low_income", "mother.low_income"),
    ]
}

#[test]
fn no_withheld_education_figure_can_be_recovered_from_the_synthetic_pupils() {
    let schools =
        education::parse_school_frame(&repo_file("data/records/drenthe_primary_schools_2019.csv"))
            .unwrap();
    let params = education::EducationParams {
        years: 2,
        ..education::EducationParams::default()
    };
    let files = education::generate(&schools, &targets(), &params).unwrap();
    let records = import(schema("education.toml"), &drenthe_tree(), &files);
    let specs = [
        spec("pupils", "pupil", Figure::Count),
        shares("definitive", "pupil", "definitive_advice"),
        matrix("start", "pupil", "definitive_advice", "start_vs_advice"),
        matrix("year3", "pupil", "school_advice", "year3_vs_advice"),
        matrix("start_level", "pupil", "definitive_advice", "start_level"),
    ];
    let withheld = assert_nothing_recovered(&records, &drenthe_tree(), &specs);
    assert!(
        withheld > 0,
        "the municipal matrices have small cells to protect"
    );
}

#[test]
fn no_withheld_poverty_or_literacy_figure_can_be_recovered_from_the_synthetic_records() {
    let population = repo_file(
        "data/drenthe/cbs_bevolking_leeftijd_gemeente_2020/bevolking_leeftijd_gemeente_2020-01-01.csv",
    );
    let codes: Vec<&str> = DRENTHE.iter().map(|m| m.0).collect();
    let young = population_by_age(&population, &codes, 22..=26).unwrap();
    let files = poverty::generate(
        &codes.iter().copied().zip(young).collect::<Vec<_>>(),
        &targets(),
        2016,
        3,
    )
    .unwrap();
    let records = import(schema("poverty.toml"), &drenthe_tree(), &files);
    assert_nothing_recovered(&records, &drenthe_tree(), &poverty_specs());
    let adults = population_by_age(&population, &codes, 16..=200).unwrap();
    let groups = literacy::target_groups(
        &codes.iter().copied().zip(adults).collect::<Vec<_>>(),
        &targets(),
    )
    .unwrap();
    let records = import(
        schema("literacy.toml"),
        &drenthe_tree(),
        &literacy::generate(&groups, 2019, 2, 3),
    );
    let specs = [
        spec("participants", "participant", Figure::Count),
        shares("trajectory", "participant", "trajectory"),
        matrix(
            "trajectory_by_referral",
            "participant",
            "trajectory",
            "referral",
        ),
    ];
    assert_nothing_recovered(&records, &drenthe_tree(), &specs);
}

/// Two provinces under the country: Drenthe with three municipalities, Groningen with two.
pub(super) fn two_provinces() -> AreaTree {
    let code = |c: &str| AreaCode::parse(c).unwrap();
    AreaTree::new(&[
        (code("PV22"), AreaCode::netherlands()),
        (code("PV20"), AreaCode::netherlands()),
        (code("GM0106"), code("PV22")),
        (code("GM0114"), code("PV22")),
        (code("GM0118"), code("PV22")),
        (code("GM0014"), code("PV20")),
        (code("GM0037"), code("PV20")),
    ])
    .unwrap()
}

/// Young adults of one municipality, flags and size: `(municipality, own, father, mother, n)`.
pub(super) type Group<'a> = (&'a str, &'a str, &'a str, &'a str, usize);

/// Young adults from `(municipality, own, father, mother, how many)`, flags `y`/`n`, `-` for no
/// parent.
pub(super) fn young_adults(groups: &[Group<'_>]) -> Vec<SyntheticFile> {
    let mut parents = String::from("person_id,municipality,year,low_income\n");
    let mut children = String::from("person_id,municipality,year,age,low_income,father,mother\n");
    let flag = |f: &str| if f == "y" { "yes" } else { "no" };
    let mut id = 0;
    for &(municipality, own, father, mother, n) in groups {
        for _ in 0..n {
            id += 1;
            let mut link = |f: &str, role: &str| {
                if f == "-" {
                    return String::new();
                }
                let _ = writeln!(parents, "{role}{id},{municipality},2016,{}", flag(f));
                format!("{role}{id}")
            };
            let (f, m) = (link(father, "f"), link(mother, "m"));
            let _ = writeln!(
                children,
                "c{id},{municipality},2016,24,{},{f},{m}",
                flag(own)
            );
        }
    }
    vec![
        SyntheticFile {
            kind: "parent".to_owned(),
            name: "parents.csv".to_owned(),
            csv: parents,
        },
        SyntheticFile {
            kind: "young_adult".to_owned(),
            name: "young_adults.csv".to_owned(),
            csv: children,
        },
    ]
}

#[test]
fn small_fixtures_made_to_break_protection_give_nothing_away() {
    // Each fixture aims at one way of recovering a withheld value by subtraction.
    let fixtures: [(&str, Vec<Group>); 6] = [
        (
            "one small municipality under a large province, recoverable from the province total",
            vec![
                ("GM0106", "n", "n", "n", 60),
                ("GM0114", "n", "n", "n", 40),
                ("GM0118", "y", "y", "n", 4),
                ("GM0014", "n", "n", "n", 30),
                ("GM0037", "y", "n", "n", 25),
            ],
        ),
        (
            "two small municipalities whose sum is still under ten",
            vec![
                ("GM0106", "n", "n", "n", 60),
                ("GM0114", "y", "n", "y", 3),
                ("GM0118", "n", "y", "n", 4),
                ("GM0014", "n", "n", "n", 30),
                ("GM0037", "n", "n", "n", 25),
            ],
        ),
        (
            "a whole province under ten, recoverable from the country minus the other province",
            vec![
                ("GM0106", "n", "n", "n", 60),
                ("GM0114", "y", "n", "n", 40),
                ("GM0118", "n", "n", "n", 20),
                ("GM0014", "y", "y", "y", 3),
                ("GM0037", "n", "n", "n", 4),
            ],
        ),
        (
            "a lone small cell in a matrix row, recoverable from the row's n",
            vec![
                ("GM0106", "y", "y", "n", 30),
                ("GM0106", "y", "n", "n", 3),
                ("GM0114", "y", "n", "y", 25),
                ("GM0118", "n", "n", "n", 50),
                ("GM0014", "n", "y", "n", 12),
                ("GM0037", "y", "y", "y", 11),
            ],
        ),
        (
            "a small cell in a matrix column, recoverable from the province's column",
            vec![
                ("GM0106", "y", "y", "y", 20),
                ("GM0106", "n", "n", "n", 20),
                ("GM0114", "y", "n", "n", 20),
                ("GM0114", "y", "y", "n", 2),
                ("GM0114", "n", "n", "-", 20),
                ("GM0118", "n", "n", "n", 20),
                ("GM0118", "y", "n", "y", 20),
                ("GM0014", "n", "n", "n", 30),
                ("GM0037", "n", "n", "n", 30),
            ],
        ),
        (
            "missing parents make the linked population differ from the matrix rows",
            vec![
                ("GM0106", "y", "-", "y", 8),
                ("GM0106", "y", "y", "y", 12),
                ("GM0106", "n", "n", "n", 40),
                ("GM0114", "n", "-", "-", 9),
                ("GM0114", "y", "n", "n", 15),
                ("GM0118", "n", "y", "-", 14),
                ("GM0014", "y", "y", "n", 10),
                ("GM0037", "n", "n", "y", 10),
            ],
        ),
    ];
    for (what, groups) in fixtures {
        let records = import(
            schema("poverty.toml"),
            &two_provinces(),
            &young_adults(&groups),
        );
        let tables = records
            .figures(
                &two_provinces(),
                &poverty_specs(),
                &DisclosureRule::default(),
            )
            .unwrap();
        for table in &tables {
            let leaks = recovered(table, &two_provinces());
            assert!(leaks.is_empty(), "{what}: recovered {leaks:#?}");
        }
        let withheld = tables
            .iter()
            .flat_map(|t| &t.cells)
            .filter(|c| c.value.is_suppressed())
            .count();
        assert!(withheld > 0, "{what}: the fixture has values to withhold");
    }
}

#[test]
fn the_attacker_finds_a_cell_left_open_to_subtraction() {
    // The attacker itself is checked: a table published without secondary suppression (one
    // small municipality shown as withheld, its province total shown) gives the cell away.
    let records = import(
        schema("poverty.toml"),
        &two_provinces(),
        &young_adults(&[
            ("GM0106", "n", "n", "n", 60),
            ("GM0114", "n", "n", "n", 40),
            ("GM0118", "n", "n", "n", 4),
            ("GM0014", "n", "n", "n", 30),
            ("GM0037", "n", "n", "n", 25),
        ]),
    );
    let mut table = records
        .figures(
            &two_provinces(),
            &[spec("young_adults", "young_adult", Figure::Count)],
            &DisclosureRule::default(),
        )
        .unwrap()
        .remove(0);
    let rule = DisclosureRule::default();
    for cell in &mut table.cells {
        if cell.value.suppression() == Some(crate::Suppression::Secondary) {
            cell.value = crate::Published::count(40, &rule).map(|v| v as f64);
        }
    }
    assert!(!recovered(&table, &two_provinces()).is_empty());
}
