//! The profile assembly on a small store: Assen, one of its districts and a district whose
//! municipality was not imported, with one flagged and one unflagged indicator.

use leefbaar_model::{
    Area, AreaCode, BundleImport, CellValue, FactsheetUse, IndicatorDef, IndicatorKind,
    LocalizedText, Method, MissingReason, Observation, Provenance, Source, Unit, Year,
};
use leefbaar_store::{ImportBatch, SqliteStore, Store as _};

use super::{comparator_codes, factsheet_inputs, profile};

fn code(text: &str) -> AreaCode {
    AreaCode::parse(text).unwrap()
}

fn area(text: &str, name: &str, parent: Option<&str>) -> Area {
    Area {
        code: code(text),
        name: name.to_owned(),
        parent: parent.map(code),
        first_year: Year::new(2012).unwrap(),
        last_year: Year::new(2024).unwrap(),
        geometry_geojson: Some(r#"{"type":"Point","coordinates":[6.5,53.0]}"#.to_owned()),
    }
}

fn indicator(id: &str, source: &str, factsheet: Option<FactsheetUse>) -> IndicatorDef {
    IndicatorDef {
        id: id.to_owned(),
        name: LocalizedText {
            nl: id.to_owned(),
            en: id.to_owned(),
        },
        description: LocalizedText {
            nl: "d".to_owned(),
            en: "d".to_owned(),
        },
        theme: "population".to_owned(),
        unit: Unit::Persons,
        kind: IndicatorKind::Count {
            variable: id.to_owned(),
        },
        decimals: 0,
        source: source.to_owned(),
        factsheet,
    }
}

/// An observation from `indicator,area,year,value` (a value, or a missing reason).
fn observation(line: &str) -> Observation {
    let fields: Vec<&str> = line.split(',').collect();
    Observation {
        indicator: fields[0].to_owned(),
        area: code(fields[1]),
        year: Year::new(fields[2].parse().unwrap()).unwrap(),
        value: fields[3].parse().map_or_else(
            |_| CellValue::Missing(fields[3].parse::<MissingReason>().unwrap()),
            CellValue::Value,
        ),
        provenance: Provenance {
            method: Some(Method::Published),
            note: format!("note {line}"),
            ..Provenance::default()
        },
    }
}

fn source(id: &str, imported_at: &str) -> Source {
    Source {
        id: id.to_owned(),
        file: format!("{id}.csv"),
        table: id.to_owned(),
        licence: "CC BY 4.0".to_owned(),
        attribution: "Bron: CBS".to_owned(),
        imported_at: imported_at.to_owned(),
    }
}

fn store(bundle: Option<&str>) -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let tile = FactsheetUse {
        tile: Some(1),
        ..FactsheetUse::default()
    };
    store
        .import(&ImportBatch {
            sources: vec![
                source("kwb", "2026-03-01T10:00:00Z"),
                source("extra", "2026-02-01T10:00:00Z"),
            ],
            areas: vec![
                area("NL01", "Nederland", None),
                area("PV22", "Drenthe", Some("NL01")),
                area("GM0106", "Assen", Some("PV22")),
                area("WK010601", "Lariks", Some("GM0106")),
                area("WK010602", "Pittelo", Some("GM0106")),
                // Its municipality is not in the store.
                area("WK011401", "Nieuw-Weerdinge", Some("GM0114")),
            ],
            indicators: vec![
                indicator("inhabitants", "kwb", Some(tile)),
                indicator("cars", "extra", None),
            ],
            observations: [
                "cars,WK010601,2024,2000",
                "inhabitants,GM0106,2023,69000",
                "inhabitants,NL01,2024,17942942",
                "inhabitants,PV22,2024,secret",
                "inhabitants,WK010601,2023,5300",
                "inhabitants,WK010601,2024,5385",
                "inhabitants,WK010602,2024,4000",
            ]
            .into_iter()
            .map(observation)
            .collect(),
            bundle: bundle.map(|imported_at| BundleImport {
                bundle_id: "drenthe".to_owned(),
                bundle_name: "Drenthe".to_owned(),
                bundle_version: "1".to_owned(),
                manifest: "/manifest.toml".to_owned(),
                digest: String::new(),
                province: code("PV22"),
                settings: String::new(),
                imported_at: imported_at.to_owned(),
            }),
            ..ImportBatch::default()
        })
        .unwrap();
    store
}

#[test]
fn comparators_are_the_parent_chain_then_the_netherlands() {
    // `child parent` pairs of the register.
    let register = [
        ("WK010601", "GM0106"),
        ("GM0106", "PV22"),
        ("PV22", "NL01"),
        ("WK011401", "GM0114"),
        ("BU00000000", "WK000000"),
        ("WK000000", "BU00000000"),
    ];
    let parent_of = |child: &AreaCode| {
        register
            .iter()
            .find(|(c, _)| *c == child.as_str())
            .map(|(_, p)| code(p))
    };
    for (area, expected) in [
        ("WK010601", "GM0106 PV22 NL01"),
        ("PV22", "NL01"),
        ("NL01", ""),
        // The chain stops at a parent the register does not have, and the Netherlands follows.
        ("WK011401", "GM0114 NL01"),
        // A register with a cycle of parents ends.
        ("BU00000000", "WK000000 NL01"),
    ] {
        let chain = comparator_codes(&code(area), parent_of);
        let chain: Vec<&str> = chain.iter().map(AreaCode::as_str).collect();
        assert_eq!(chain.join(" "), expected, "{area}");
    }
}

#[test]
fn a_profile_puts_each_year_of_the_area_next_to_its_comparators() {
    let store = store(None);
    let profile = profile(&store, &code("WK010601"), &[]).unwrap().unwrap();
    let comparators: Vec<(&str, Option<&str>)> = profile
        .comparators
        .iter()
        .map(|c| (c.code.as_str(), c.name()))
        .collect();
    assert_eq!(
        comparators,
        [
            ("GM0106", Some("Assen")),
            ("PV22", Some("Drenthe")),
            ("NL01", Some("Nederland"))
        ]
    );
    // Catalogue order; each year of the area with the comparators' value or reason, or
    // nothing where they have no observation.
    let ids: Vec<&str> = profile
        .indicators
        .iter()
        .map(|i| i.def.id.as_str())
        .collect();
    assert_eq!(ids, ["inhabitants", "cars"]);
    let inhabitants = &profile.indicators[0];
    let years: Vec<(u16, Vec<Option<CellValue>>)> = inhabitants
        .series
        .iter()
        .map(|p| (p.year.get(), p.comparators.clone()))
        .collect();
    assert_eq!(
        years,
        [
            (2023, vec![Some(CellValue::Value(69000.0)), None, None]),
            (
                2024,
                vec![
                    None,
                    Some(CellValue::Missing(MissingReason::Secret)),
                    Some(CellValue::Value(17_942_942.0))
                ]
            ),
        ]
    );
    assert_eq!(
        inhabitants.latest().unwrap().value,
        CellValue::Value(5385.0)
    );
    assert_eq!(inhabitants.series[1].method, Some(Method::Published));
    assert_eq!(
        inhabitants.series[1].note,
        "note inhabitants,WK010601,2024,5385"
    );
    let sources: Vec<&str> = profile.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(sources, ["extra", "kwb"]);

    // Asked-for indicators in the order asked, unknown ones left out.
    let asked = ["cars", "nope", "inhabitants"].map(str::to_owned);
    let profile = super::profile(&store, &code("WK010601"), &asked)
        .unwrap()
        .unwrap();
    let ids: Vec<&str> = profile
        .indicators
        .iter()
        .map(|i| i.def.id.as_str())
        .collect();
    assert_eq!(ids, ["cars", "inhabitants"]);
    assert!(
        super::profile(&store, &code("GM9999"), &[])
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_comparator_the_store_lacks_keeps_its_code_without_a_name() {
    let profile = profile(&store(None), &code("WK011401"), &[])
        .unwrap()
        .unwrap();
    let comparators: Vec<(&str, Option<&str>)> = profile
        .comparators
        .iter()
        .map(|c| (c.code.as_str(), c.name()))
        .collect();
    assert_eq!(comparators, [("GM0114", None), ("NL01", Some("Nederland"))]);
}

#[test]
fn a_fact_sheet_reads_the_flagged_indicators_of_its_areas_dated_by_the_import() {
    let inputs = factsheet_inputs(&store(Some("2026-04-05T06:07:08Z")), &code("WK010601"))
        .unwrap()
        .unwrap();
    let name = |area: &Option<Area>| area.as_ref().map(|a| a.name.clone());
    assert_eq!(name(&inputs.municipality).as_deref(), Some("Assen"));
    assert_eq!(name(&inputs.province).as_deref(), Some("Drenthe"));
    assert_eq!(name(&inputs.country).as_deref(), Some("Nederland"));
    assert_eq!(name(&inputs.map_parent).as_deref(), Some("Assen"));
    // The districts of Assen with their boundaries.
    let map: Vec<&str> = inputs.map_areas.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(map, ["Lariks", "Pittelo"]);
    assert!(
        inputs
            .map_areas
            .iter()
            .all(|a| a.geometry_geojson.is_some())
    );
    // Only the flagged indicator, for the sheet's area, its comparators and its neighbours.
    let read: Vec<String> = inputs
        .observations
        .iter()
        .map(|o| format!("{} {} {}", o.indicator, o.area, o.year))
        .collect();
    assert_eq!(
        read,
        [
            "inhabitants GM0106 2023",
            "inhabitants NL01 2024",
            "inhabitants PV22 2024",
            "inhabitants WK010601 2023",
            "inhabitants WK010601 2024",
            "inhabitants WK010602 2024",
        ]
    );
    assert_eq!(inputs.date, "2026-04-05");

    // A store without a recorded import: the newest source's day.
    let inputs = factsheet_inputs(&store(None), &code("GM0106"))
        .unwrap()
        .unwrap();
    assert_eq!(inputs.date, "2026-03-01");
    // A municipality is compared with its province and the country only.
    assert_eq!(inputs.municipality, None);
}
