//! Figures over the same records, attacked together: an analyst who downloads several figures of
//! one record kind writes one system of equations over the records per leaf area × every value
//! the figures read (built here from the published tables and the schema's code definitions
//! only, not from the protection's own system) and solves it exactly with
//! `determined_unknowns`. No withheld value that somebody is in may follow.

use std::collections::HashMap;

use leefbaar_survey::determined_unknowns;

use super::attack::{Group, poverty_specs, two_provinces, young_adults};
use super::{drenthe_tree, import, repo_file, schema, targets};
use crate::synthetic::{SyntheticFile, education};
use crate::{AreaTree, DisclosureRule, Figure, FigureSpec, FigureTable, Records, Unit};

/// The values one record shows to the figures attacked (one entry per variable).
type Atom = Vec<usize>;

/// The real number of records per year, leaf and atom.
type Truth = HashMap<(Option<u16>, usize, Atom), u64>;

/// Whether a record with these values is counted in a table's line (`row` `None`: the margin,
/// or a table without rows) and column (`None`: the line's n).
type Counted<'a> = &'a dyn Fn(Option<usize>, Option<usize>, &Atom) -> bool;

/// Every withheld value of the tables (a cell, or the n of a line with nothing shown) that the
/// shown ones determine and that somebody is in, described for the failure message.
///
/// The unknowns are the records per leaf × atom (every atom, as the attacker does not know
/// which are empty); a shown value is the sum of the unknowns it counts (a share times its
/// n, a count); a withheld one is one more unknown tied to its sum. `truth` gives the real
/// number of records per year, leaf and atom, only to tell a withheld zero (nobody given
/// away) from a person.
fn recovered_together(
    tables: &[(&FigureTable, Counted<'_>)],
    areas: &AreaTree,
    atoms: &[Atom],
    truth: &Truth,
) -> Vec<String> {
    let leaves: Vec<usize> = (0..areas.len()).filter(|&a| areas.is_leaf(a)).collect();
    let years: std::collections::BTreeSet<_> = tables
        .iter()
        .flat_map(|(t, _)| t.cells.iter().map(|c| c.year))
        .collect();
    let mut found = Vec::new();
    for year in years {
        let y = year.map(leefbaar_model::Year::get);
        // Unknown k is leaf k / atoms.len() with atom k % atoms.len().
        let unknowns_of =
            |area: usize, row: Option<usize>, column: Option<usize>, c: Counted<'_>| {
                let mut unknowns = Vec::new();
                for (l, &leaf) in leaves.iter().enumerate() {
                    if !areas.lineage(leaf).any(|a| a == area) {
                        continue;
                    }
                    for (k, atom) in atoms.iter().enumerate() {
                        if c(row, column, atom) {
                            unknowns.push(l * atoms.len() + k);
                        }
                    }
                }
                unknowns
            };
        let persons = |unknowns: &[usize]| -> u64 {
            unknowns
                .iter()
                .map(|&u| {
                    let key = (y, leaves[u / atoms.len()], atoms[u % atoms.len()].clone());
                    truth.get(&key).copied().unwrap_or(0)
                })
                .sum()
        };
        let mut sums: Vec<Vec<usize>> = Vec::new();
        let mut secrets: Vec<(String, Vec<usize>)> = Vec::new();
        for &(table, counted) in tables {
            let cells: Vec<_> = table.cells.iter().filter(|c| c.year == year).collect();
            let mut lines: Vec<(usize, Option<usize>)> = Vec::new();
            for cell in &cells {
                let key = (areas.position(cell.area.as_str()).unwrap(), cell.row);
                if !lines.contains(&key) {
                    lines.push(key);
                }
            }
            for (area, row) in lines {
                let name = |what: String| {
                    format!(
                        "{} {year:?} {} row {row:?} {what}",
                        table.id,
                        areas.code(area).as_str()
                    )
                };
                let line: Vec<_> = cells
                    .iter()
                    .filter(|c| areas.position(c.area.as_str()) == Some(area) && c.row == row)
                    .collect();
                let count_table = table.unit == Unit::Persons;
                for cell in &line {
                    let column = (!count_table).then_some(cell.column);
                    let unknowns = unknowns_of(area, row, column, counted);
                    if !cell.value.is_suppressed() {
                        sums.push(unknowns);
                    } else if persons(&unknowns) > 0 {
                        secrets.push((name(format!("column {}", cell.column)), unknowns));
                    }
                }
                if !count_table {
                    let unknowns = unknowns_of(area, row, None, counted);
                    if line.iter().any(|c| !c.value.is_suppressed()) {
                        sums.push(unknowns);
                    } else if persons(&unknowns) > 0 {
                        secrets.push((name("n".to_owned()), unknowns));
                    }
                }
            }
        }
        let n = leaves.len() * atoms.len();
        let mut equations: Vec<Vec<(usize, i64)>> = sums
            .iter()
            .map(|s| s.iter().map(|&u| (u, 1)).collect())
            .collect();
        for (k, (_, unknowns)) in secrets.iter().enumerate() {
            let mut equation: Vec<(usize, i64)> = unknowns.iter().map(|&u| (u, 1)).collect();
            equation.push((n + k, -1));
            equations.push(equation);
        }
        for k in determined_unknowns(n + secrets.len(), &equations) {
            if k >= n {
                found.push(secrets[k - n].0.clone());
            }
        }
    }
    found
}

fn matrix(id: &str, kind: &str, rows: &str, columns: &str) -> FigureSpec {
    FigureSpec {
        id: id.to_owned(),
        kind: kind.to_owned(),
        figure: Figure::Matrix {
            rows: rows.to_owned(),
            columns: columns.to_owned(),
        },
    }
}

/// The figures protected together, and each protected on its own.
fn together_and_alone(
    records: &Records,
    areas: &AreaTree,
    specs: &[FigureSpec],
) -> (Vec<FigureTable>, Vec<FigureTable>) {
    let rule = DisclosureRule::default();
    let together = records.figures(areas, specs, &rule).unwrap();
    let alone = specs
        .iter()
        .map(|spec| {
            records
                .figures(areas, std::slice::from_ref(spec), &rule)
                .unwrap()
                .remove(0)
        })
        .collect();
    (together, alone)
}

/// Every cell withheld when the figure was protected alone is withheld together too.
fn assert_together_withholds_all_alone_did(together: &[FigureTable], alone: &[FigureTable]) {
    for (t, a) in together.iter().zip(alone) {
        assert_eq!(t.cells.len(), a.cells.len());
        for (t, a) in t.cells.iter().zip(&a.cells) {
            assert!(
                !a.value.is_suppressed() || t.value.is_suppressed(),
                "{:?} {:?} row {:?} column {} shown together, withheld alone",
                t.area,
                t.year,
                t.row,
                t.column
            );
        }
    }
}

/// One synthetic school year of pupils: the files, and per year, leaf and (definitive advice,
/// start level or 5 for none) the number of pupils.
fn one_year_of_pupils() -> (Vec<SyntheticFile>, Truth) {
    let schools =
        education::parse_school_frame(&repo_file("data/records/drenthe_primary_schools_2019.csv"))
            .unwrap();
    let params = education::EducationParams {
        years: 1,
        ..education::EducationParams::default()
    };
    let files = education::generate(&schools, &targets(), &params).unwrap();
    let schema = schema("education.toml");
    let list = |name: &str| &schema.code_lists[name];
    let pupils = &files.iter().find(|f| f.kind == "pupil").unwrap().csv;
    let mut lines = pupils.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (area, year, advice, start) = (
        column("municipality"),
        column("school_year"),
        column("definitive_advice"),
        column("start_level"),
    );
    let areas = drenthe_tree();
    let mut truth = HashMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let a = list("advice").position(fields[advice]).unwrap();
        let s = list("level").position(fields[start]).unwrap_or(5);
        let key = (
            Some(fields[year].parse().unwrap()),
            areas.position(fields[area]).unwrap(),
            vec![a, s],
        );
        *truth.entry(key).or_insert(0) += 1;
    }
    (files, truth)
}

#[test]
fn advice_by_start_level_beside_advice_by_below_at_above_gives_no_pupil_away() {
    let (files, truth) = one_year_of_pupils();
    let areas = drenthe_tree();
    let records = import(schema("education.toml"), &areas, &files);
    let specs = [
        matrix("level", "pupil", "definitive_advice", "start_level"),
        matrix("versus", "pupil", "definitive_advice", "start_vs_advice"),
    ];
    // The attacker's atoms: (definitive advice, start level or 5 for none), and where a start
    // level lies against an advice, from the declared levels.
    let schema = records.schema();
    let ranges = |name: &str| -> Vec<(u8, u8)> {
        schema.code_lists[name]
            .codes
            .iter()
            .map(|c| c.level_range().unwrap())
            .collect()
    };
    let (advice, level) = (ranges("advice"), ranges("level"));
    let versus = |a: usize, s: usize| {
        if level[s].1 < advice[a].0 {
            0
        } else if level[s].0 > advice[a].1 {
            2
        } else {
            1
        }
    };
    let atoms: Vec<Atom> = (0..8)
        .flat_map(|a| (0..6).map(move |s| vec![a, s]))
        .collect();
    let by_level = |row: Option<usize>, column: Option<usize>, x: &Atom| {
        row.is_none_or(|r| r == x[0]) && x[1] < 5 && column.is_none_or(|c| c == x[1])
    };
    let by_versus = |row: Option<usize>, column: Option<usize>, x: &Atom| {
        row.is_none_or(|r| r == x[0]) && x[1] < 5 && column.is_none_or(|c| c == versus(x[0], x[1]))
    };
    let (together, alone) = together_and_alone(&records, &areas, &specs);
    // Protected one by one, the pair gives pupils away (the attack works) ...
    let leaks = recovered_together(
        &[(&alone[0], &by_level), (&alone[1], &by_versus)],
        &areas,
        &atoms,
        &truth,
    );
    assert!(!leaks.is_empty(), "one by one, the pair gives pupils away");
    // ... protected together, nothing.
    let leaks = recovered_together(
        &[(&together[0], &by_level), (&together[1], &by_versus)],
        &areas,
        &atoms,
        &truth,
    );
    assert!(leaks.is_empty(), "recovered together: {leaks:#?}");
    assert_together_withholds_all_alone_did(&together, &alone);
}

#[test]
fn a_share_table_beside_a_matrix_on_the_same_field_and_two_matrices_sharing_area_totals_give_nobody_away()
 {
    // Young adults: (municipality, own low income, father's, mother's, how many), `-` for no
    // parent. Each fixture puts a small group where one figure's withheld cell meets another
    // figure's shown totals.
    let fixtures: [(&str, Vec<Group>); 3] = [
        (
            "four poor young adults beside the matrix of their fathers, every father known",
            vec![
                ("GM0106", "n", "n", "n", 60),
                ("GM0106", "y", "y", "n", 4),
                ("GM0114", "n", "n", "n", 40),
                ("GM0114", "y", "n", "n", 12),
                ("GM0118", "y", "y", "y", 15),
                ("GM0118", "n", "n", "y", 20),
                ("GM0014", "n", "n", "n", 30),
                ("GM0037", "y", "n", "n", 25),
            ],
        ),
        (
            "the father and mother matrices share their rows' totals where both parents are known",
            vec![
                ("GM0106", "n", "n", "-", 30),
                ("GM0106", "y", "-", "y", 3),
                ("GM0106", "y", "y", "y", 12),
                ("GM0114", "n", "n", "n", 40),
                ("GM0114", "y", "y", "-", 6),
                ("GM0118", "n", "-", "n", 25),
                ("GM0014", "y", "y", "y", 11),
                ("GM0037", "n", "n", "n", 30),
            ],
        ),
        (
            "a small province under the country, its parents split over both matrices",
            vec![
                ("GM0106", "n", "n", "n", 50),
                ("GM0114", "y", "y", "n", 14),
                ("GM0118", "n", "n", "y", 22),
                ("GM0014", "y", "n", "y", 3),
                ("GM0014", "n", "y", "-", 4),
                ("GM0037", "n", "n", "n", 5),
            ],
        ),
    ];
    // The attacker's atoms: (own, father's, mother's), 0 yes, 1 no, 2 no parent.
    let atoms: Vec<Atom> = (0..2)
        .flat_map(|o| (0..3).flat_map(move |f| (0..3).map(move |m| vec![o, f, m])))
        .collect();
    let count = |_: Option<usize>, _: Option<usize>, _: &Atom| true;
    let poor = |_: Option<usize>, column: Option<usize>, x: &Atom| column.is_none_or(|c| c == x[0]);
    let parent = |p: usize| {
        move |row: Option<usize>, column: Option<usize>, x: &Atom| {
            row.is_none_or(|r| r == x[0]) && x[p] < 2 && column.is_none_or(|c| c == x[p])
        }
    };
    let (father, mother) = (parent(1), parent(2));
    let areas = two_provinces();
    let mut given_away_alone = 0;
    for (what, groups) in fixtures {
        let flag = |f: &str| match f {
            "y" => 0,
            "n" => 1,
            _ => 2,
        };
        let mut truth = HashMap::new();
        for &(municipality, own, f, m, n) in &groups {
            let key = (
                Some(2016),
                areas.position(municipality).unwrap(),
                vec![flag(own), flag(f), flag(m)],
            );
            *truth.entry(key).or_insert(0) += n as u64;
        }
        let records = import(schema("poverty.toml"), &areas, &young_adults(&groups));
        let (together, alone) = together_and_alone(&records, &areas, &poverty_specs());
        let attack = |tables: &[FigureTable]| {
            recovered_together(
                &[
                    (&tables[0], &count),
                    (&tables[1], &poor),
                    (&tables[2], &father),
                    (&tables[3], &mother),
                ],
                &areas,
                &atoms,
                &truth,
            )
        };
        let leaks = attack(&together);
        assert!(leaks.is_empty(), "{what}: recovered together {leaks:#?}");
        assert_together_withholds_all_alone_did(&together, &alone);
        given_away_alone += attack(&alone).len();
    }
    // Protected one by one, the fixtures give values away (a share line's withheld n is the
    // count shown beside it, at the least).
    assert!(given_away_alone > 0);
}
