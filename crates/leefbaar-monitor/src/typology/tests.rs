//! The typology on hand-made inputs: classes at the thresholds' edges, shares that add up in
//! persons, and the lineage carrying persons to a later division.

use std::collections::BTreeMap;

use leefbaar_model::{AreaCode, LocalizedText, Year};
use leefbaar_projection::{KrimpClass, LineageRow};

use super::{ChangeNumbers, Degree, TableRow, Typology, build, to_division};

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

fn degrees() -> Vec<Degree> {
    let degree = |id: &str, codes: &[u8]| Degree {
        id: id.to_owned(),
        name: LocalizedText {
            nl: id.to_owned(),
            en: id.to_owned(),
        },
        codes: codes.to_vec(),
    };
    vec![
        degree("urban", &[1, 2]),
        degree("intermediate", &[3]),
        degree("rural", &[4, 5]),
    ]
}

/// Municipalities `GM0001`… with (province, urbanity, residents 2024 and 2040, households
/// 2024 and 2040), the same numbers in every variant.
fn typology(rows: &[(&str, u8, [f64; 4])]) -> Typology {
    let mut table = Vec::new();
    let mut numbers = BTreeMap::new();
    for (index, (province, urbanity, [p0, p1, h0, h1])) in rows.iter().enumerate() {
        let municipality = code(&format!("GM{:04}", index + 1));
        table.push(TableRow {
            code: municipality.clone(),
            name: format!("Gemeente {}", index + 1),
            province: code(province),
            province_name: format!("Provincie {province}"),
            urbanity: *urbanity,
        });
        numbers.insert(
            municipality,
            ChangeNumbers {
                population: (*p0, *p1),
                households: (*h0, *h1),
            },
        );
    }
    build(
        (Year::new(2024).unwrap(), Year::new(2040).unwrap()),
        degrees(),
        &table,
        [&numbers, &numbers, &numbers],
        &code("PV22"),
    )
    .unwrap()
}

#[test]
fn classes_at_the_thresholds_edges_are_exact() {
    let cases: [([f64; 4], KrimpClass); 8] = [
        // −12.5 % residents and −5 % households: krimp, on its edge.
        ([1000.0, 875.0, 400.0, 380.0], KrimpClass::Krimp),
        // −12.5 % residents but households fall less than 5 %: anticipeer.
        ([1000.0, 875.0, 400.0, 381.0], KrimpClass::Anticipeer),
        // −2.5 % residents: anticipeer, on its edge.
        ([1000.0, 975.0, 400.0, 400.0], KrimpClass::Anticipeer),
        // −2.4 % residents: stable.
        ([1000.0, 976.0, 400.0, 400.0], KrimpClass::Stable),
        // +2.5 % residents: growth, on its edge.
        ([1000.0, 1025.0, 400.0, 420.0], KrimpClass::Growth),
        // +2.4 % residents: stable.
        ([1000.0, 1024.0, 400.0, 420.0], KrimpClass::Stable),
        // Growing residents but households falling 2.5 %: anticipeer.
        ([1000.0, 1100.0, 400.0, 390.0], KrimpClass::Anticipeer),
        // No change at all: stable.
        ([1000.0, 1000.0, 400.0, 400.0], KrimpClass::Stable),
    ];
    let rows: Vec<(&str, u8, [f64; 4])> = cases
        .iter()
        .map(|(numbers, _)| ("PV22", 5, *numbers))
        .collect();
    let typology = typology(&rows);
    for (municipality, (numbers, expected)) in typology.municipalities.iter().zip(cases) {
        assert_eq!(municipality.change, expected, "{numbers:?}");
        assert_eq!(municipality.change_low, expected);
        assert_eq!(municipality.change_high, expected);
    }
}

#[test]
fn urbanity_codes_fall_in_their_degree() {
    let rows: Vec<(&str, u8, [f64; 4])> = (1..=5)
        .map(|urbanity| ("PV22", urbanity, [100.0, 100.0, 50.0, 50.0]))
        .collect();
    let typology = typology(&rows);
    let found: Vec<&str> = typology
        .municipalities
        .iter()
        .map(|m| typology.degrees[m.degree].id.as_str())
        .collect();
    assert_eq!(found, ["urban", "urban", "intermediate", "rural", "rural"]);
    assert_eq!(
        typology.bubble_id(&typology.municipalities[0]),
        "stable-urban"
    );
}

fn mixed() -> Typology {
    typology(&[
        ("PV22", 1, [50_001.0, 60_000.0, 20_000.0, 25_000.0]),
        ("PV22", 5, [10_000.0, 8_000.0, 4_000.0, 3_500.0]),
        ("PV22", 4, [3_333.0, 3_333.0, 1_000.0, 1_000.0]),
        ("PV21", 3, [20_000.0, 19_000.0, 9_000.0, 8_700.0]),
        ("PV21", 2, [7_777.0, 8_500.0, 3_000.0, 3_400.0]),
        ("PV20", 5, [1_234.0, 1_100.0, 500.0, 470.0]),
    ])
}

#[test]
fn every_area_s_bubbles_add_up_to_its_residents_exactly_and_to_100_percent() {
    let typology = mixed();
    assert_eq!(typology.areas.len(), 4);
    for area in &typology.areas {
        let from: u64 = area.bubbles.iter().map(|b| b.population_from).sum();
        let to: u64 = area.bubbles.iter().map(|b| b.population_to).sum();
        assert_eq!(from, area.population_from, "{}", area.code);
        assert_eq!(to, area.population_to, "{}", area.code);
        let municipalities: usize = area.bubbles.iter().map(|b| b.municipalities).sum();
        assert_eq!(municipalities, area.municipalities);
        // Each share is rounded to 0.01, so the sum is within half a hundredth per bubble.
        let bound = 0.005 * area.bubbles.len() as f64;
        let pct: f64 = area.bubbles.iter().map(|b| b.share_from_pct).sum();
        assert!((pct - 100.0).abs() <= bound, "{}: {pct}", area.code);
        let pct: f64 = area.bubbles.iter().map(|b| b.share_to_pct).sum();
        assert!((pct - 100.0).abs() <= bound, "{}: {pct}", area.code);
    }
    assert_eq!(typology.areas[0].code.as_str(), "NL01");
    assert_eq!(typology.areas[0].population_from, 92_345);
    assert!(typology.area("PV22").unwrap().monitored);
    assert!(!typology.area("PV21").unwrap().monitored);
}

#[test]
fn province_shares_are_recomputed_from_its_municipalities_not_averaged() {
    let typology = mixed();
    let province = typology.area("PV22").unwrap();
    // Urban growth: GM0001 alone, 50,001 of 63,334 residents.
    let bubble = province
        .bubbles
        .iter()
        .find(|b| b.change == KrimpClass::Growth && b.degree == 0)
        .unwrap();
    assert_eq!(bubble.population_from, 50_001);
    assert_eq!(bubble.share_from_pct, 78.95);
    for area in &typology.areas {
        for bubble in &area.bubbles {
            let members: u64 = typology
                .municipalities
                .iter()
                .filter(|m| {
                    (area.code.as_str() == "NL01" || m.province == area.code)
                        && m.change == bubble.change
                        && m.degree == bubble.degree
                })
                .map(|m| m.population_from)
                .sum();
            assert_eq!(members, bubble.population_from);
        }
    }
}

#[test]
fn a_table_municipality_without_projection_is_an_error_not_a_gap() {
    let table = vec![TableRow {
        code: code("GM0001"),
        name: "A".to_owned(),
        province: code("PV22"),
        province_name: "Drenthe".to_owned(),
        urbanity: 5,
    }];
    let empty = BTreeMap::new();
    let error = build(
        (Year::new(2024).unwrap(), Year::new(2040).unwrap()),
        degrees(),
        &table,
        [&empty, &empty, &empty],
        &code("PV22"),
    )
    .unwrap_err();
    assert_eq!(error, "the projection has no residents for GM0001");
}

fn lineage(year_old: u16, year_new: u16, old: &str, new: &str, share: f64) -> LineageRow {
    LineageRow {
        year_old,
        code_old: code(old),
        year_new,
        code_new: code(new),
        share_of_old: share,
        share_of_new: 0.0,
    }
}

#[test]
fn the_lineage_carries_mergers_whole_and_splits_by_area_keeping_every_person() {
    let numbers: BTreeMap<AreaCode, ChangeNumbers> = [
        ("GM0001", 1000.0),
        ("GM0002", 500.0),
        ("GM0003", 800.0),
        ("GM0004", 100.0),
    ]
    .into_iter()
    .map(|(c, p)| {
        (
            code(c),
            ChangeNumbers {
                population: (p, p),
                households: (p / 2.0, p / 2.0),
            },
        )
    })
    .collect();
    let rows = vec![
        // GM0001 and GM0002 merge into GM0010 in 2022 (with a sliver going elsewhere).
        lineage(2019, 2022, "GM0001", "GM0010", 0.99),
        lineage(2019, 2022, "GM0001", "GM0003", 0.01),
        lineage(2019, 2022, "GM0002", "GM0010", 1.0),
        // GM0003 stays.
        lineage(2019, 2022, "GM0003", "GM0003", 1.0),
        // GM0004 is split 60/30 by area, with a 1 % sliver left out.
        lineage(2019, 2022, "GM0004", "GM0003", 0.6),
        lineage(2019, 2022, "GM0004", "GM0010", 0.3),
        lineage(2019, 2022, "GM0004", "GM0099", 0.01),
        lineage(2022, 2023, "GM0010", "GM0010", 1.0),
        lineage(2022, 2023, "GM0003", "GM0003", 1.0),
        lineage(2023, 2024, "GM0010", "GM0010", 1.0),
        lineage(2023, 2024, "GM0003", "GM0003", 1.0),
    ];
    let carried = to_division(&numbers, &rows, 2024).unwrap();
    assert_eq!(carried.len(), 2);
    let merged = carried[&code("GM0010")].population.0;
    let kept = carried[&code("GM0003")].population.0;
    assert!((merged - (1500.0 + 100.0 / 3.0)).abs() < 1e-9, "{merged}");
    assert!((kept - (800.0 + 200.0 / 3.0)).abs() < 1e-9, "{kept}");
    assert!((merged + kept - 2400.0).abs() < 1e-9);
}
