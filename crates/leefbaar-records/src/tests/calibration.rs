//! The synthetic records, through the import and the protected figures, reproduce the published
//! figures in `data/records/published_targets.csv` to within their rounding.

use super::{drenthe_tree, import, repo_file, schema, targets};
use crate::synthetic::{DRENTHE, education, literacy, population_by_age, poverty};
use crate::{DisclosureRule, Figure, FigureSpec, FigureTable, Records};

fn spec(id: &str, kind: &str, figure: Figure) -> FigureSpec {
    FigureSpec {
        id: id.to_owned(),
        kind: kind.to_owned(),
        figure,
    }
}

/// The shown share of `codes` (summed) in an area's margin or row, per year, in percent.
fn shown_percent(table: &FigureTable, area: &str, row: Option<usize>, codes: &[&str]) -> Vec<f64> {
    let years: std::collections::BTreeSet<_> = table.cells.iter().map(|c| c.year).collect();
    years
        .into_iter()
        .map(|year| {
            codes
                .iter()
                .map(|code| {
                    let column = table.columns.iter().position(|c| c.code == *code).unwrap();
                    let cell = table.cell(area, year, row, column).unwrap();
                    cell.value.value().copied().unwrap_or_else(|| {
                        panic!("{} {area} {year:?} {code} is withheld", table.id)
                    })
                })
                .sum::<f64>()
                * 100.0
        })
        .collect()
}

fn assert_near(key: &str, found: &[f64]) {
    let target = targets().get(key).unwrap().clone();
    for value in found {
        assert!(
            (value - target.value).abs() <= target.tolerance,
            "{key}: published {} ± {}, reproduced {value:.2}",
            target.value,
            target.tolerance
        );
    }
}

fn education_records() -> Records {
    let schools =
        education::parse_school_frame(&repo_file("data/records/drenthe_primary_schools_2019.csv"))
            .unwrap();
    let files =
        education::generate(&schools, &targets(), &education::EducationParams::default()).unwrap();
    import(schema("education.toml"), &drenthe_tree(), &files)
}

#[test]
fn the_seeds_advice_table_and_the_year_3_figures_are_reproduced_from_synthetic_pupils_in_every_year()
 {
    let records = education_records();
    let specs = [
        spec(
            "school",
            "pupil",
            Figure::Shares {
                field: "school_advice".to_owned(),
            },
        ),
        spec(
            "test",
            "pupil",
            Figure::Shares {
                field: "test_advice".to_owned(),
            },
        ),
        spec(
            "definitive",
            "pupil",
            Figure::Shares {
                field: "definitive_advice".to_owned(),
            },
        ),
        spec(
            "start",
            "pupil",
            Figure::Matrix {
                rows: "definitive_advice".to_owned(),
                columns: "start_vs_advice".to_owned(),
            },
        ),
        spec(
            "year3",
            "pupil",
            Figure::Matrix {
                rows: "school_advice".to_owned(),
                columns: "year3_vs_advice".to_owned(),
            },
        ),
    ];
    let tables = records
        .figures(&drenthe_tree(), &specs, &DisclosureRule::default())
        .unwrap();
    let vmbo = ["vmbo-b", "vmbo-b/k", "vmbo-k", "vmbo-gt"];
    for (table, prefix) in
        tables[..3]
            .iter()
            .zip(["school_advice", "test_advice", "definitive_advice"])
    {
        assert_near(
            &format!("education.{prefix}_vmbo"),
            &shown_percent(table, "PV22", None, &vmbo),
        );
        assert_near(
            &format!("education.{prefix}_havo"),
            &shown_percent(table, "PV22", None, &["havo"]),
        );
        assert_near(
            &format!("education.{prefix}_vwo"),
            &shown_percent(table, "PV22", None, &["vwo"]),
        );
    }
    assert_near(
        "education.double_advice_havo_vwo",
        &shown_percent(&tables[2], "PV22", None, &["havo/vwo"]),
    );
    assert_near(
        "education.double_advice_vmbo_havo",
        &shown_percent(&tables[2], "PV22", None, &["vmbo-gt/havo"]),
    );
    assert_near(
        "education.start_below_advice",
        &shown_percent(&tables[3], "PV22", None, &["below"]),
    );
    assert_near(
        "education.start_above_advice",
        &shown_percent(&tables[3], "PV22", None, &["above"]),
    );
    assert_near(
        "education.year3_at_advice",
        &shown_percent(&tables[4], "PV22", None, &["at"]),
    );
    assert_near(
        "education.year3_below_advice",
        &shown_percent(&tables[4], "PV22", None, &["below"]),
    );
    assert_near(
        "education.year3_above_advice",
        &shown_percent(&tables[4], "PV22", None, &["above"]),
    );
}

#[test]
fn the_generational_poverty_link_is_reproduced_from_synthetic_young_adults_and_their_parents() {
    let population = repo_file(
        "data/drenthe/cbs_bevolking_leeftijd_gemeente_2020/bevolking_leeftijd_gemeente_2020-01-01.csv",
    );
    let codes: Vec<&str> = DRENTHE.iter().map(|m| m.0).collect();
    let young = population_by_age(&population, &codes, 22..=26).unwrap();
    let pairs: Vec<(&str, u64)> = codes.iter().copied().zip(young).collect();
    let files = poverty::generate(&pairs, &targets(), 2016, 1).unwrap();
    let records = import(schema("poverty.toml"), &drenthe_tree(), &files);
    let specs = [
        spec(
            "father",
            "young_adult",
            Figure::Matrix {
                rows: "low_income".to_owned(),
                columns: "father.low_income".to_owned(),
            },
        ),
        spec(
            "mother",
            "young_adult",
            Figure::Matrix {
                rows: "low_income".to_owned(),
                columns: "mother.low_income".to_owned(),
            },
        ),
        spec(
            "poor",
            "young_adult",
            Figure::Shares {
                field: "low_income".to_owned(),
            },
        ),
    ];
    let tables = records
        .figures(&drenthe_tree(), &specs, &DisclosureRule::default())
        .unwrap();
    // A region's share from its municipalities' published shares and n.
    let region = |table: &FigureTable, areas: &[&str], row: Option<usize>| {
        let (mut yes, mut n) = (0.0, 0.0);
        for area in areas {
            let cell = table.cell(area, table.cells[0].year, row, 0).unwrap();
            let size = cell.value.n().unwrap() as f64;
            yes += cell.value.value().unwrap() * size;
            n += size;
        }
        vec![100.0 * yes / n]
    };
    let others: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| !poverty::VEENKOLONIEN.contains(c))
        .collect();
    assert_near(
        "poverty.young_adults_low_income_veenkolonien",
        &region(&tables[2], &poverty::VEENKOLONIEN, None),
    );
    assert_near(
        "poverty.young_adults_low_income_nl",
        &region(&tables[2], &others, None),
    );
    let yes = Some(0);
    assert_near(
        "poverty.fathers_of_poor_low_income",
        &region(&tables[0], &poverty::VEENKOLONIEN, yes),
    );
    assert_near(
        "poverty.mothers_of_poor_low_income",
        &region(&tables[1], &poverty::VEENKOLONIEN, yes),
    );
    assert_near(
        "poverty.fathers_of_all_low_income",
        &region(&tables[0], &poverty::VEENKOLONIEN, None),
    );
    assert_near(
        "poverty.mothers_of_all_low_income",
        &region(&tables[1], &poverty::VEENKOLONIEN, None),
    );
}

#[test]
fn the_literacy_target_groups_reproduce_the_published_prevalence_and_the_participants_their_reach()
{
    let population = repo_file(
        "data/drenthe/cbs_bevolking_leeftijd_gemeente_2020/bevolking_leeftijd_gemeente_2020-01-01.csv",
    );
    let codes: Vec<&str> = DRENTHE.iter().map(|m| m.0).collect();
    let adults = population_by_age(&population, &codes, 16..=200).unwrap();
    let pairs: Vec<(&str, u64)> = codes.iter().copied().zip(adults).collect();
    let groups = literacy::target_groups(&pairs, &targets()).unwrap();
    let total: u64 = groups.iter().map(|g| g.target_group).sum();
    let residents: u64 = groups.iter().map(|g| g.residents_16_plus).sum();
    assert_near("literacy.low_literate_adults_drenthe", &[total as f64]);
    assert_near(
        "literacy.prevalence_drenthe",
        &[100.0 * total as f64 / residents as f64],
    );
    for g in groups.iter().filter(|g| g.published) {
        assert_near(
            &format!("literacy.prevalence_{}", g.municipality),
            &[100.0 * g.target_group as f64 / g.residents_16_plus as f64],
        );
    }
    let records = import(
        schema("literacy.toml"),
        &drenthe_tree(),
        &literacy::generate(&groups, 2019, 3, 1),
    );
    let counts = records
        .figures(
            &drenthe_tree(),
            &[spec("participants", "participant", Figure::Count)],
            &DisclosureRule::default(),
        )
        .unwrap();
    for g in &groups {
        for cell in counts[0]
            .cells
            .iter()
            .filter(|c| c.area.as_str() == g.municipality)
        {
            let reach = cell.value.value().unwrap() / g.target_group as f64;
            assert!(
                (reach - literacy::REACH).abs() < 0.5 / g.target_group as f64 + 1e-9,
                "{}: reach {reach}",
                g.municipality
            );
        }
    }
}
