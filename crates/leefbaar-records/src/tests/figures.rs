//! The figures a caller turns into observations: every area of the tree, every year, every
//! row and column, each value with its n or the reason it is withheld.

use super::{drenthe_tree, import};
use crate::synthetic::SyntheticFile;
use crate::{DisclosureRule, Figure, FigureSpec, Records, Suppression, Unit, difference};
use std::fmt::Write as _;

/// 40 pupils in Assen, 6 in Emmen, 30 in Hoogeveen in 2019; 25 in Assen in 2020.
fn records() -> Records {
    let mut csv = String::from(
        "pupil_id,municipality,year,school,sibling,advice,start,advice_date,start_date,age\n",
    );
    let mut id = 0;
    for (municipality, year, n) in [
        ("GM0106", 2019, 40),
        ("GM0114", 2019, 6),
        ("GM0118", 2019, 30),
        ("GM0106", 2020, 25),
    ] {
        for k in 0..n {
            id += 1;
            let (advice, start) = if k % 2 == 0 {
                ("low", "low")
            } else {
                ("low/high", "high")
            };
            let _ = writeln!(
                csv,
                "p{id},{municipality},{year},s1,,{advice},{start},{year}-02-01,{year}-09-01,12"
            );
        }
    }
    let schema = crate::Schema::from_toml("mini.toml", super::schema_and_import::SCHEMA).unwrap();
    let files = [
        SyntheticFile {
            kind: "school".to_owned(),
            name: "schools.csv".to_owned(),
            csv: "school_id,municipality\ns1,GM0106\n".to_owned(),
        },
        SyntheticFile {
            kind: "pupil".to_owned(),
            name: "pupils.csv".to_owned(),
            csv,
        },
    ];
    import(schema, &drenthe_tree(), &files)
}

fn spec(figure: Figure) -> FigureSpec {
    FigureSpec {
        id: "f".to_owned(),
        kind: "pupil".to_owned(),
        figure,
    }
}

#[test]
fn counts_are_published_for_every_area_and_year_with_small_ones_withheld_and_protected() {
    let table = records()
        .figures(
            &drenthe_tree(),
            &[spec(Figure::Count)],
            &DisclosureRule::default(),
        )
        .unwrap()
        .remove(0);
    assert_eq!(table.unit, Unit::Persons);
    // 12 municipalities, the province and the country, in two years.
    assert_eq!(table.cells.len(), 2 * 14);
    let year = |y: u16| Some(leefbaar_model::Year::new(y).unwrap());
    let value = |area: &str, y: u16| table.cell(area, year(y), None, 0).unwrap().value.clone();
    assert_eq!(value("PV22", 2019).value(), Some(&76.0));
    assert_eq!(value("NL01", 2019).n(), Some(76));
    assert_eq!(
        value("GM0114", 2019).suppression(),
        Some(Suppression::Primary)
    );
    // Emmen's 6 would follow from the province minus Assen and Hoogeveen: one more is withheld
    // (the other municipalities, with no pupils, count neither way).
    let secondary = ["GM0106", "GM0118"]
        .iter()
        .filter(|a| value(a, 2019).suppression() == Some(Suppression::Secondary))
        .count();
    assert_eq!(secondary, 1);
}

#[test]
fn a_matrix_publishes_its_margin_and_rows_with_below_at_and_above_from_the_declared_levels() {
    let specs = [spec(Figure::Matrix {
        rows: "advice".to_owned(),
        columns: "start_vs_advice".to_owned(),
    })];
    let table = records()
        .figures(&drenthe_tree(), &specs, &DisclosureRule::default())
        .unwrap()
        .remove(0);
    assert_eq!(
        table
            .columns
            .iter()
            .map(|c| c.code.as_str())
            .collect::<Vec<_>>(),
        ["below", "at", "above"]
    );
    let year = Some(leefbaar_model::Year::new(2020).unwrap());
    // Assen 2020: 13 pupils advised low start low (at), 12 advised low/high start high (at).
    let at = table.cell("GM0106", year, None, 1).unwrap();
    assert_eq!((at.value.value(), at.value.n()), (Some(&1.0), Some(25)));
    let row = table.cell("GM0106", year, Some(0), 1).unwrap();
    assert_eq!((row.value.value(), row.value.n()), (Some(&1.0), Some(13)));
    // Nobody is below: a zero count, withheld.
    assert!(
        table
            .cell("GM0106", year, None, 0)
            .unwrap()
            .value
            .is_suppressed()
    );
}

#[test]
fn a_difference_is_withheld_when_either_figure_is_and_otherwise_rests_on_the_smaller_n() {
    let table = records()
        .figures(
            &drenthe_tree(),
            &[spec(Figure::Count)],
            &DisclosureRule::default(),
        )
        .unwrap()
        .remove(0);
    let rule = DisclosureRule::default();
    let y = |y: u16| Some(leefbaar_model::Year::new(y).unwrap());
    let assen_2019 = table.cell("GM0106", y(2019), None, 0).unwrap();
    let assen_2020 = table.cell("GM0106", y(2020), None, 0).unwrap();
    let emmen_2019 = table.cell("GM0114", y(2019), None, 0).unwrap();
    if !assen_2019.value.is_suppressed() {
        let change = difference(assen_2019, assen_2020, &rule);
        assert_eq!((change.value(), change.n()), (Some(&15.0), Some(25)));
    }
    assert!(difference(assen_2019, emmen_2019, &rule).is_suppressed());
}

#[test]
fn a_figure_on_a_field_that_is_no_code_is_refused_with_its_name() {
    let error = records()
        .figures(
            &drenthe_tree(),
            &[spec(Figure::Shares {
                field: "sibling.age".to_owned(),
            })],
            &DisclosureRule::default(),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "figure `f`: `sibling.age` is not a code field of `pupil` (through a link)"
    );
}
