//! The API in process, on a store built from the real bundled Drenthe data: the envelope and
//! error shape of every route, snapshots of responses, and the numbers the spine promises.

use std::sync::OnceLock;

use axum::http::StatusCode;
use leefbaar_server::{API_ROUTES, AppState};
use serde_json::Value;

use crate::support::app as app_support;

use crate::support::survey as survey_support;

/// The bundled store with the panel, the reach model and the projection, as `leefbaar serve`
/// runs it; built once per test binary.
fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| app_support::bundled_store().with_survey(survey_support::bundled_survey()))
        .clone()
}

async fn request(method: &str, uri: &str) -> (StatusCode, String) {
    let (status, _, body) = app_support::request(state(), method, uri).await;
    (status, String::from_utf8(body).unwrap())
}

async fn get_json(uri: &str) -> (StatusCode, Value) {
    let (status, body) = request("GET", uri).await;
    let mut json: Value =
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{uri}: not JSON: {body:.300}"));
    redact_release(&mut json);
    (status, json)
}

/// The release's name holds the bundle's fingerprint, which changes with any bundled file:
/// checked for its shape here, then redacted so the snapshots follow the data, not the files.
fn redact_release(json: &mut Value) {
    if let Some(release) = json.pointer_mut("/meta/release") {
        let name = release
            .as_str()
            .expect("meta.release is the release's name");
        let fingerprint = name.rsplit('-').next().unwrap();
        assert!(name.starts_with("drenthe-"), "{name}");
        assert!(
            fingerprint.len() == 8 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
        *release = Value::from("[RELEASE]");
    }
}

/// A request that must succeed on each route.
fn concrete(route: &str) -> String {
    let path = route
        .replace("{code}", "GM0114")
        .replace("{id}", "share_65_plus");
    match route {
        "/api/v1/boundaries" => format!("{path}?level=municipality&parent=PV22"),
        "/api/v1/compare" => format!("{path}?area=GM0114,GM0106&indicator=share_65_plus"),
        "/api/v1/survey/estimates" => format!("{path}?question=rating&by=province"),
        "/api/v1/survey/difference" => format!("{path}?question=rating&by=province&a=PV20&b=PV22"),
        "/api/v1/facilities" => format!("{path}?kind=hospital"),
        "/api/v1/reach/scenario" => format!("{path}?kind=primary_school&close=10VA00"),
        "/api/v1/care/hospitals/scenario" => format!("{path}?close=ZH73"),
        "/api/v1/search" => format!("{path}?q=Emmen"),
        _ => path,
    }
}

fn with_bogus_parameter(uri: &str) -> String {
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}bogus=1")
}

#[tokio::test]
async fn every_route_answers_with_the_success_envelope() {
    for route in API_ROUTES {
        let uri = concrete(route);
        let (status, json) = get_json(&uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {json:.300}");
        if route.ends_with("openapi.json") {
            assert_eq!(json["openapi"], "3.1.0");
            continue;
        }
        assert_eq!(json["ok"], true, "{uri}");
        assert!(json.get("data").is_some(), "{uri} has no data");
        assert!(json["meta"]["count"].is_u64(), "{uri} has no meta.count");
        assert!(
            json["meta"]["licence"].is_string(),
            "{uri} has no meta.licence"
        );
    }
}

#[tokio::test]
async fn every_route_answers_errors_with_the_one_error_shape() {
    let mut cases: Vec<(String, &str, u16)> = vec![
        ("/api/v1/nothing-here".to_owned(), "GET", 404),
        ("/api/v1/areas/GM9999".to_owned(), "GET", 404),
        ("/api/v1/areas/XX".to_owned(), "GET", 400),
        (
            "/api/v1/indicators/no_such_indicator".to_owned(),
            "GET",
            404,
        ),
        ("/api/v1/observations?year=20x4".to_owned(), "GET", 400),
        ("/api/v1/observations?indicator=nope".to_owned(), "GET", 400),
        ("/api/v1/compare?area=GM0106".to_owned(), "GET", 400),
        ("/api/v1/boundaries".to_owned(), "GET", 400),
        ("/api/v1/survey/estimates".to_owned(), "GET", 400),
        ("/api/v1/facilities?kind=school".to_owned(), "GET", 400),
        (
            "/api/v1/reach/scenario?kind=primary_school".to_owned(),
            "GET",
            400,
        ),
        (
            "/api/v1/reach/scenario?kind=primary_school&close=nope".to_owned(),
            "GET",
            400,
        ),
        (
            "/api/v1/reach/scenario?kind=hospital&open=6.9".to_owned(),
            "GET",
            400,
        ),
        (
            "/api/v1/care/hospitals/scenario?close=ZH73,nope".to_owned(),
            "GET",
            404,
        ),
        ("/api/v1/projection/GM0363".to_owned(), "GET", 404),
        ("/api/v1/aed/white-spots?rule=always".to_owned(), "GET", 400),
        ("/api/v1/aed/white-spots?min=-1".to_owned(), "GET", 400),
        // Well-formed but not in the store: a missing resource, as for /areas/GM9999.
        ("/api/v1/aed/white-spots?area=GM9999".to_owned(), "GET", 404),
        // An empty value is an error, not "left out" (the OpenAPI document calls it invalid).
        ("/api/v1/areas?level=".to_owned(), "GET", 400),
        ("/api/v1/observations?format=".to_owned(), "GET", 400),
        // Only the API's level names, which the document lists.
        ("/api/v1/areas?level=gemeente".to_owned(), "GET", 400),
        ("/api/v1/aed/white-spots?area=NL01".to_owned(), "GET", 400),
        (
            "/api/v1/aed/white-spots.csv?format=xml".to_owned(),
            "GET",
            400,
        ),
        ("/api/v1/aed/placement?k=0".to_owned(), "GET", 400),
        ("/api/v1/aed/placement?k=101".to_owned(), "GET", 400),
        ("/api/v1/aed/placement?relocate=yes".to_owned(), "GET", 400),
        ("/api/v1/aed/placement?area=XX".to_owned(), "GET", 400),
        ("/api/v1/aed/points?rule=day".to_owned(), "GET", 400),
        ("/api/v1/projection/drenthe!".to_owned(), "GET", 400),
        ("/api/v1/projection/GM0114?ages=10".to_owned(), "GET", 400),
        (
            "/api/v1/survey/estimates?question=nope".to_owned(),
            "GET",
            400,
        ),
        (
            "/api/v1/survey/estimates?question=rating&by=county".to_owned(),
            "GET",
            400,
        ),
        (
            "/api/v1/survey/difference?question=rating&by=province&a=PV20&b=PV99".to_owned(),
            "GET",
            400,
        ),
    ];
    for route in API_ROUTES {
        // Unknown parameters and writes are refused on every route.
        cases.push((with_bogus_parameter(&concrete(route)), "GET", 400));
        cases.push((concrete(route), "POST", 405));
    }
    for (uri, method, expected) in cases {
        let (status, body) = request(method, &uri).await;
        assert_eq!(status.as_u16(), expected, "{method} {uri}: {body}");
        let json: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{uri}: {body}"));
        assert_eq!(json["ok"], false, "{uri}");
        assert_eq!(json["status"], expected, "{uri}");
        assert!(
            json["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{uri}"
        );
        assert!(json["errors"].is_array(), "{uri}");
    }
}

#[tokio::test]
async fn a_bad_parameter_message_names_the_parameter_and_what_is_allowed() {
    let (status, json) = get_json("/api/v1/observations?level=county&yaer=2024").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    insta::assert_json_snapshot!(json, @r#"
    {
      "error": "unknown parameter `yaer` (allowed: indicator, area, level, parent, year, year_from, year_to, format, limit); parameter `level` must be one of country, province, municipality, district, neighbourhood, postcode, found `county`",
      "errors": [
        "unknown parameter `yaer` (allowed: indicator, area, level, parent, year, year_from, year_to, format, limit)",
        "parameter `level` must be one of country, province, municipality, district, neighbourhood, postcode, found `county`"
      ],
      "ok": false,
      "status": 400
    }
    "#);
}

fn values(json: &Value) -> Vec<(String, f64)> {
    json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["area"].as_str().unwrap().to_owned(),
                row["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn drenthe_inhabitants_are_the_sum_of_its_twelve_municipalities() {
    let (_, municipalities) = get_json(
        "/api/v1/observations?indicator=inhabitants&level=municipality&parent=PV22&year=2024",
    )
    .await;
    let municipalities = values(&municipalities);
    assert_eq!(municipalities.len(), 12);
    let (_, province) =
        get_json("/api/v1/observations?indicator=inhabitants&area=PV22&year=2024").await;
    let province = values(&province);
    let sum: f64 = municipalities.iter().map(|(_, v)| v).sum();
    assert_eq!(province, vec![("PV22".to_owned(), sum)]);
}

#[tokio::test]
async fn the_province_share_65_plus_is_person_weighted_not_a_mean_of_shares() {
    let year = "2024";
    let get = |indicator: &'static str, filter: &'static str| async move {
        let (_, json) = get_json(&format!(
            "/api/v1/observations?indicator={indicator}&{filter}&year={year}"
        ))
        .await;
        values(&json)
    };
    let older = get("inhabitants_65_plus", "level=municipality&parent=PV22").await;
    let everyone = get("inhabitants", "level=municipality&parent=PV22").await;
    let shares = get("share_65_plus", "level=municipality&parent=PV22").await;
    let province = get("share_65_plus", "area=PV22").await[0].1;

    let weighted = 100.0 * older.iter().map(|(_, v)| v).sum::<f64>()
        / everyone.iter().map(|(_, v)| v).sum::<f64>();
    let mean_of_shares = shares.iter().map(|(_, v)| v).sum::<f64>() / shares.len() as f64;
    assert!(
        (province - weighted).abs() < 1e-9,
        "{province} vs {weighted}"
    );
    assert!(
        (province - mean_of_shares).abs() > 0.01,
        "the test needs data where the two differ: {province} vs {mean_of_shares}"
    );
}

#[tokio::test]
async fn observations_as_csv_have_a_header_and_one_line_per_value() {
    let (status, body) = request(
        "GET",
        "/api/v1/observations?indicator=inhabitants&area=GM0106&format=csv",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = body.lines();
    assert_eq!(
        lines.next().unwrap(),
        "area,area_name,level,year,indicator,value,missing,method,note,source_rows,parts"
    );
    assert!(
        body.contains("GM0106,Assen,municipality,2012,inhabitants,67210,"),
        "{body}"
    );
}

#[tokio::test]
async fn a_csv_without_a_limit_streams_every_observation_past_one_json_answer() {
    // JSON stops at one answer's 100,000 rows; the streamed CSV holds every matching row,
    // each exactly once, in the API's order.
    let (status, json) = get_json("/api/v1/observations?limit=100000").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["data"].as_array().unwrap().len(), 100_000);
    let (status, body) = request("GET", "/api/v1/observations?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<(String, String, u16)> = csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|record| {
            let record = record.unwrap();
            (
                record[4].to_owned(),
                record[0].to_owned(),
                record[3].parse().unwrap(),
            )
        })
        .collect();
    assert!(keys.len() > 100_000, "{} rows", keys.len());
    if let Some(pair) = keys.windows(2).find(|pair| pair[0] >= pair[1]) {
        panic!("out of order or repeated: {pair:?}");
    }
    // A limit still holds.
    let (_, limited) = request("GET", "/api/v1/observations?format=csv&limit=3").await;
    assert_eq!(limited.lines().count(), 4);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let (_, json) = get_json("/api/v1/openapi.json").await;
    for route in API_ROUTES {
        assert!(
            json["paths"].get(*route).is_some(),
            "{route} is not in openapi.json"
        );
    }
    // Every data route says it may answer 304 and 429; the probes are described at the root.
    for route in API_ROUTES
        .iter()
        .filter(|route| !route.ends_with("openapi.json"))
    {
        let responses = &json["paths"][*route]["get"]["responses"];
        for status in ["304", "429"] {
            assert!(responses.get(status).is_some(), "{route}: no {status}");
        }
    }
    for route in ["/healthz", "/readyz", "/metrics"] {
        assert!(json["paths"].get(route).is_some(), "{route}");
    }
}

/// The `enum` of query parameter `name` of the operation at `path` in the served document.
fn enum_of(document: &Value, path: &str, name: &str) -> Vec<String> {
    let parameters = document["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("{path} has parameters"));
    let parameter = parameters
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{path} has `{name}`"));
    parameter["schema"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{path} `{name}` has an enum: {parameter}"))
        .iter()
        .map(|value| value.as_str().expect("a word").to_owned())
        .collect()
}

#[tokio::test]
async fn every_value_the_openapi_document_lists_is_accepted_by_its_route() {
    let (_, document) = get_json("/api/v1/openapi.json").await;
    let cases = [
        ("/api/v1/areas", "level", "/api/v1/areas?level="),
        (
            "/api/v1/observations",
            "format",
            "/api/v1/observations?indicator=inhabitants&area=GM0106&format=",
        ),
        ("/api/v1/indicators", "theme", "/api/v1/indicators?theme="),
        ("/api/v1/facilities", "kind", "/api/v1/facilities?kind="),
        (
            "/api/v1/aed/white-spots",
            "rule",
            "/api/v1/aed/white-spots?limit=1&rule=",
        ),
        (
            "/api/v1/aed/placement",
            "relocate",
            "/api/v1/aed/placement?k=1&area=GM1690&relocate=",
        ),
        (
            "/api/v1/survey/estimates",
            "by",
            "/api/v1/survey/estimates?question=rating&by=",
        ),
        (
            "/api/v1/projection/{code}",
            "ages",
            "/api/v1/projection/GM0114?ages=",
        ),
    ];
    for (path, name, prefix) in cases {
        let values = enum_of(&document, path, name);
        assert!(!values.is_empty(), "{path} `{name}`");
        for value in values {
            // `request`: format=csv answers CSV.
            let (status, body) = request("GET", &format!("{prefix}{value}")).await;
            assert_eq!(status, StatusCode::OK, "{prefix}{value}: {body:.300}");
        }
    }
    // Parameters without which a route answers 400 are required in the document.
    for (path, name) in [
        ("/api/v1/boundaries", "level"),
        ("/api/v1/search", "q"),
        ("/api/v1/compare", "area"),
        ("/api/v1/compare", "indicator"),
        ("/api/v1/survey/estimates", "question"),
        ("/api/v1/reach/scenario", "kind"),
    ] {
        let parameters = document["paths"][path]["get"]["parameters"]
            .as_array()
            .expect(path);
        let parameter = parameters.iter().find(|p| p["name"] == name).expect(name);
        assert_eq!(parameter["required"], true, "{path} `{name}`");
        let (status, _) = request("GET", path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} without `{name}`");
    }
    // The data's ids are what the document offers: every projected area answers.
    let parameters = document["paths"]["/api/v1/projection/{code}"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let code = parameters
        .iter()
        .find(|p| p["in"] == "path")
        .expect("a path parameter");
    for id in code["schema"]["enum"].as_array().expect("projected areas") {
        let (status, _) = get_json(&format!("/api/v1/projection/{}", id.as_str().unwrap())).await;
        assert_eq!(status, StatusCode::OK, "{id}");
    }
}

#[tokio::test]
async fn municipalities_of_drenthe_snapshot() {
    let (_, json) = get_json("/api/v1/areas?level=municipality&parent=PV22").await;
    insta::assert_json_snapshot!("areas_municipalities_drenthe", json);
}

#[tokio::test]
async fn emmen_profile_snapshot() {
    let (_, json) =
        get_json("/api/v1/areas/GM0114/profile?indicator=inhabitants,share_65_plus").await;
    insta::assert_json_snapshot!("profile_emmen", json);
}

#[tokio::test]
async fn share_65_plus_definition_snapshot() {
    let (_, json) = get_json("/api/v1/indicators/share_65_plus").await;
    insta::assert_json_snapshot!("indicator_share_65_plus", json, {
        ".data.source.imported_at" => "[IMPORTED_AT]",
    });
}

#[tokio::test]
async fn drenthe_inhabitants_series_snapshot() {
    let (_, json) = get_json("/api/v1/observations?indicator=inhabitants&area=PV22,NL01").await;
    insta::assert_json_snapshot!("observations_inhabitants_drenthe_nl", json);
}

#[tokio::test]
async fn the_netherlands_totals_equal_cbs_national_figures() {
    // CBS StatLine 37296ned: population on 1 January. 2020 comes from the age table, whose
    // municipalities include three that merged before the next KWB edition.
    let (_, json) = get_json("/api/v1/observations?indicator=inhabitants&area=NL01").await;
    let by_year: std::collections::BTreeMap<u64, f64> = json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["year"].as_u64().unwrap(),
                row["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_year[&2020], 17_407_585.0);
    assert_eq!(by_year[&2024], 17_942_942.0);
}

/// Closing the primary school of Rolde (Aa en Hunze) by straight line × 1.3: Aa en Hunze's
/// mean distance rises, no other municipality changes. The computation time is redacted.
#[tokio::test]
async fn reach_scenario_closing_a_school_in_rolde() {
    let (status, json) =
        get_json("/api/v1/reach/scenario?kind=primary_school&close=10VA00&level=municipality")
            .await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    insta::assert_json_snapshot!("reach_scenario_rolde", json, {".data.computation_ms" => "[ms]"});
}

#[tokio::test]
async fn facilities_are_geojson_points_with_id_name_and_kind() {
    let (status, json) = get_json("/api/v1/facilities?kind=havo_vwo_school").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["data"]["type"], "FeatureCollection");
    let features = json["data"]["features"].as_array().unwrap();
    assert_eq!(json["meta"]["count"], serde_json::json!(features.len()));
    assert!(features.len() > 10);
    for feature in features {
        assert_eq!(feature["geometry"]["type"], "Point");
        assert_eq!(feature["properties"]["kind"], "havo_vwo_school");
        assert!(feature["properties"]["id"].is_string());
        assert!(feature["properties"]["name"].is_string());
    }
    assert_eq!(json["meta"]["approximate"], true);
}

#[tokio::test]
async fn projection_classes_snapshot() {
    let (status, json) = get_json("/api/v1/projection").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    insta::assert_json_snapshot!("projection_drenthe", json);
}

/// Emmen: the classification is the rule applied to its own numbers, the band holds the
/// medium variant, and the pyramids sum to the series' populations.
#[tokio::test]
async fn projection_of_emmen_has_band_classification_and_pyramid() {
    let (status, json) = get_json("/api/v1/projection/GM0114").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let data = &json["data"];
    assert_eq!(data["name"], "Emmen");
    assert_eq!(data["kind"], "municipality");
    let series = data["series"].as_array().unwrap();
    assert_eq!(series.len(), 21);
    assert_eq!(series[0]["year"], 2020);
    assert_eq!(series[20]["year"], 2040);
    for point in series {
        let value = |key: &str| point[key].as_f64().unwrap();
        assert!(value("low") <= value("high"), "{point}");
        assert!(value("lower") <= value("upper"), "{point}");
        // The informal-care potential is the point's own 50–74 over its 85+ (two decimals),
        // its band around it.
        let care = &point["informal_care_potential"];
        let potential = |key: &str| care[key].as_f64().unwrap();
        let ratio = value("aged_50_74") / value("aged_85_plus");
        assert!((potential("medium") - ratio).abs() <= 0.01, "{point}");
        assert!(potential("lower") <= potential("upper"), "{point}");
        assert!(value("aged_85_plus") <= value("aged_80_plus"), "{point}");
        assert!(value("aged_80_plus") <= value("aged_75_plus"), "{point}");
    }
    // Ageing: fewer potential carers per resident aged 85+ in 2040 than in 2020.
    let care = |index: usize| {
        series[index]["informal_care_potential"]["medium"]
            .as_f64()
            .unwrap()
    };
    assert!(care(20) < care(0), "{} → {}", care(0), care(20));
    let medium = &data["classification"]["medium"];
    assert_eq!(data["class"], medium["class"]);
    let change = medium["population_change_pct"].as_f64().unwrap();
    let households = medium["households_change_pct"].as_f64().unwrap();
    let expected = if change <= -12.5 && households <= -5.0 {
        "krimp"
    } else if change <= -2.5 || households <= -2.5 {
        "anticipeer"
    } else if change >= 2.5 {
        "growth"
    } else {
        "stable"
    };
    assert_eq!(medium["class"], expected);
    assert_eq!(data["criteria"]["krimp_population_fall_pct"], 12.5);
    let rows = data["pyramid"]["rows"].as_array().unwrap();
    assert_eq!(data["pyramid"]["groups"], "5");
    assert_eq!(rows.len(), 20);
    assert_eq!(rows[19]["age"], "95+");
    let total = |from: &str, to: &str| -> f64 {
        rows.iter()
            .map(|r| r[from].as_f64().unwrap() + r[to].as_f64().unwrap())
            .sum()
    };
    let first = series[0]["medium"].as_f64().unwrap();
    let last = series[20]["medium"].as_f64().unwrap();
    assert!((total("male_from", "female_from") - first).abs() <= 40.0);
    assert!((total("male_to", "female_to") - last).abs() <= 40.0);
    // Single years: 0..=99 and 100+.
    let (_, single) = get_json("/api/v1/projection/GM0114?ages=single").await;
    assert_eq!(
        single["data"]["pyramid"]["rows"].as_array().unwrap().len(),
        101
    );
}

#[tokio::test]
async fn projection_of_the_regions_sums_their_members() {
    let (_, list) = get_json("/api/v1/projection").await;
    let areas = list["data"]["areas"].as_array().unwrap();
    let population = |id: &str| {
        areas
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["population_to"]
            .as_f64()
            .unwrap()
    };
    let oost: f64 = ["GM1680", "GM1681", "GM0109", "GM0114"]
        .iter()
        .map(|code| population(code))
        .sum();
    assert!((population("oost-drenthe") - oost).abs() <= 4.0);
    let (status, json) = get_json("/api/v1/projection/Oost-Drenthe").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["data"]["kind"], "region");
    assert_eq!(json["data"]["members"].as_array().unwrap().len(), 4);
    let (status, json) = get_json("/api/v1/projection/PV22").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["data"]["name"], "Drenthe");
    // The province's informal-care potential is the ratio of its sums, not a mean of its
    // municipalities' ratios.
    let last = json["data"]["series"].as_array().unwrap().last().unwrap();
    let ratio = last["aged_50_74"].as_f64().unwrap() / last["aged_85_plus"].as_f64().unwrap();
    let potential = last["informal_care_potential"]["medium"].as_f64().unwrap();
    assert!((potential - ratio).abs() <= 0.01, "{last}");
}

fn hits(json: &Value) -> Vec<String> {
    json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            format!(
                "{} {} {} {}",
                hit["code"].as_str().unwrap(),
                hit["name"].as_str().unwrap(),
                hit["matched"].as_str().unwrap(),
                hit["postcode"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[tokio::test]
async fn a_postcode_finds_its_postcode_area_then_its_district_then_its_municipality() {
    for query in ["9401", "9401%20AB", "9401ab"] {
        let (status, json) = get_json(&format!("/api/v1/search?q={query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(
            hits(&json),
            [
                "PC9401 9401 Assen postcode 9401",
                "WK010600 Centrum postcode 9401",
                "GM0106 Assen postcode 9401"
            ],
            "{query}"
        );
        assert_eq!(json["data"][0]["place"], "Assen");
        assert_eq!(json["data"][0]["level"], "postcode");
        assert_eq!(json["data"][0]["parent"], "GM0106");
    }
    // Emmen-Centrum: the district the postcode's population point lies in.
    let (_, json) = get_json("/api/v1/search?q=7811").await;
    assert_eq!(
        hits(&json),
        [
            "PC7811 7811 Emmen postcode 7811",
            "WK011440 Wijk 40 Emmen-Centrum postcode 7811",
            "GM0114 Emmen postcode 7811"
        ]
    );
    // A postcode outside the bundle (Amsterdam) finds nothing rather than something wrong.
    let (status, json) = get_json("/api/v1/search?q=1011").await;
    assert_eq!((status, hits(&json).len()), (StatusCode::OK, 0));
}

#[tokio::test]
async fn a_name_finds_the_exact_area_first_then_prefixes_then_words() {
    let (status, json) = get_json("/api/v1/search?q=emmen&limit=5").await;
    assert_eq!(status, StatusCode::OK);
    let found = hits(&json);
    assert_eq!(found[0], "GM0114 Emmen name -");
    assert_eq!(found.len(), 5);
    assert!(
        found[1..]
            .iter()
            .all(|hit| hit.to_lowercase().contains("emmen")),
        "{found:?}"
    );
    // Case, hyphens and accents do not matter; a code matches exactly.
    let (_, json) = get_json("/api/v1/search?q=BORGER%20odoorn").await;
    assert_eq!(hits(&json)[0], "GM1681 Borger-Odoorn name -");
    let (_, json) = get_json("/api/v1/search?q=gm0106").await;
    assert_eq!(hits(&json)[0], "GM0106 Assen code -");
}

#[tokio::test]
async fn search_refuses_empty_and_overlong_queries() {
    let (status, json) = get_json("/api/v1/search").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json["error"].as_str().unwrap().contains("`q`"), "{json}");
    let long = "a".repeat(101);
    let (status, _) = get_json(&format!("/api/v1/search?q={long}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, json) = get_json("/api/v1/search?q=assen&limit=51").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json["error"].as_str().unwrap().contains("`limit`"),
        "{json}"
    );
}

#[tokio::test]
async fn similar_municipalities_are_alike_in_size_and_density() {
    let (status, json) = get_json("/api/v1/areas/GM1680/similar").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let data = &json["data"];
    assert_eq!(data["year"], 2024);
    let similar = data["similar"].as_array().unwrap();
    assert_eq!(similar.len(), 10);
    // Aa en Hunze: 25,845 inhabitants, under 100 per km². Its like are small and rural.
    for other in similar {
        let inhabitants = other["inhabitants"].as_f64().unwrap();
        let density = other["population_density"].as_f64().unwrap();
        assert!((12_000.0..55_000.0).contains(&inhabitants), "{other}");
        assert!(density < 300.0, "{other}");
        assert_ne!(other["code"], "GM1680");
    }
    let distances: Vec<f64> = similar
        .iter()
        .map(|o| o["distance"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");

    let (status, _) = get_json("/api/v1/areas/WK011440/similar").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = get_json("/api/v1/areas/GM1680/similar?n=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn provinces_add_up_to_the_netherlands_in_every_year_despite_mergers() {
    for year in [2012, 2017, 2019, 2024] {
        let (_, json) = get_json(&format!(
            "/api/v1/observations?indicator=inhabitants&level=province&year_from={year}&year_to={year}"
        ))
        .await;
        let provinces = values(&json);
        assert_eq!(provinces.len(), 12, "{year}: {provinces:?}");
        let (_, json) = get_json(&format!(
            "/api/v1/observations?indicator=inhabitants&area=NL01&year_from={year}&year_to={year}"
        ))
        .await;
        let netherlands = values(&json)[0].1;
        let sum: f64 = provinces.iter().map(|(_, v)| v).sum();
        assert!(
            (sum - netherlands).abs() < 0.5,
            "{year}: provinces {sum} ≠ NL {netherlands}"
        );
    }
}

#[tokio::test]
async fn a_merged_municipality_has_a_series_from_2012_on_todays_boundaries() {
    let (_, json) =
        get_json("/api/v1/observations?indicator=inhabitants_index_2012&area=GM1952").await;
    let rows = json["data"].as_array().unwrap();
    assert!(rows.len() >= 7, "{json:.400}");
    let first = &rows[0];
    assert_eq!(first["year"], 2012);
    assert_eq!(first["value"], 100.0);
    let (_, json) =
        get_json("/api/v1/observations?indicator=inhabitants&area=GM1952&year_to=2017").await;
    for row in json["data"].as_array().unwrap() {
        assert_eq!(row["method"], "redistricted", "{row}");
    }
}

/// The dashboard builds its navigation and level choices from `/api/v1/monitor`: the bundle,
/// Drenthe with its bounding box, the levels with data, and each monitor's availability.
#[tokio::test]
async fn the_monitor_route_says_what_is_monitored_and_what_is_left_out() {
    let (status, json) = get_json("/api/v1/monitor").await;
    assert_eq!(status, StatusCode::OK);
    let data = &json["data"];
    assert_eq!(data["bundle"]["id"], "drenthe");
    assert_eq!(data["province"]["code"], "PV22");
    assert_eq!(data["province"]["name"], "Drenthe");
    let bbox: Vec<f64> = data["province"]["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // Drenthe lies between 6.1 and 7.1 °E and 52.6 and 53.2 °N.
    assert!(
        (6.0..6.3).contains(&bbox[0]) && (7.0..7.2).contains(&bbox[2]),
        "{bbox:?}"
    );
    assert!(
        (52.5..52.7).contains(&bbox[1]) && (53.1..53.3).contains(&bbox[3]),
        "{bbox:?}"
    );
    assert_eq!(
        data["levels"],
        serde_json::json!(["municipality", "district", "neighbourhood", "postcode"])
    );
    let ids: Vec<(&str, bool)> = data["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["available"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("leefbaarheid", true),
            ("bereikbaarheid", true),
            ("burgerpanel", true),
            ("bevolkingsprognose", true),
            ("hartveilig", true),
            ("typologie", true),
            ("zorg", true)
        ]
    );
    let reach = &data["monitors"][1];
    assert_eq!(reach["approximate"], true);
    assert_eq!(reach["kinds"][0]["id"], "primary_school");
    assert_eq!(
        reach["kinds"][0]["thresholds_m"],
        serde_json::json!([1000.0, 3000.0, 5000.0])
    );
    // Every level of the map has areas in Drenthe, so none is left out.
    let left_out = data["left_out"].as_array().unwrap();
    assert!(
        left_out.iter().all(
            |l| !["municipality", "district", "neighbourhood", "postcode"]
                .contains(&l["what"].as_str().unwrap())
        ),
        "{left_out:?}"
    );
}

#[tokio::test]
async fn postcode_areas_are_listed_drawn_and_observed_under_their_municipality() {
    let (status, json) = get_json("/api/v1/areas?level=postcode&parent=GM0106").await;
    assert_eq!(status, StatusCode::OK);
    let areas = json["data"].as_array().unwrap();
    assert!(areas.len() > 5, "{}", areas.len());
    assert_eq!(areas[0]["code"], "PC9401");
    assert_eq!(areas[0]["name"], "9401 Assen");
    assert_eq!(areas[0]["level"], "postcode");
    let (_, all) = get_json("/api/v1/areas?level=postcode").await;
    assert_eq!(all["data"].as_array().unwrap().len(), 260);

    let (status, json) = get_json("/api/v1/boundaries?level=postcode&parent=GM0106").await;
    assert_eq!(status, StatusCode::OK);
    let features = json["data"]["features"].as_array().unwrap();
    assert_eq!(features.len(), areas.len());
    assert_eq!(features[0]["properties"]["code"], "PC9401");

    let (status, json) = get_json(
        "/api/v1/observations?indicator=share_benefit_recipients&level=postcode&parent=GM0106&year=2024",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let assen = json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["area"] == "PC9401")
        .unwrap();
    // pc4_2024_drenthe.csv, 9401: 720 benefit recipients among 7,165 inhabitants.
    let share = assen["value"].as_f64().unwrap();
    assert!((share - 100.0 * 720.0 / 7_165.0).abs() < 1e-9, "{share}");
    assert_eq!(assen["method"], "recomputed");
    // The indicator says it is published for postcode areas only.
    let (_, json) = get_json("/api/v1/indicators/share_benefit_recipients").await;
    assert_eq!(json["data"]["levels"], serde_json::json!(["postcode"]));
}

#[tokio::test]
async fn reach_is_served_per_postcode_area_and_in_minutes() {
    // See: issue 13.
    let (status, json) = get_json(
        "/api/v1/observations?indicator=reach_distance_primary_school&level=postcode&year=2024",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rows = json["data"].as_array().unwrap();
    assert_eq!(rows.len(), 260);
    assert!(
        rows.iter().all(|row| row["value"]
            .as_f64()
            .is_some_and(|km| km > 0.0 && km < 10.0)),
        "{json}"
    );
    let (status, json) = get_json(
        "/api/v1/observations?indicator=reach_share_hospital_within_45min&level=municipality&parent=PV22&year=2024",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let shares = values(&json);
    assert_eq!(shares.len(), 12, "{json}");
    assert!(shares.iter().all(|(_, pct)| (0.0..=100.0).contains(pct)));
}

#[tokio::test]
async fn leefbaarometer_classes_are_served_per_municipality_and_not_formed_for_drenthe() {
    let (_, json) = get_json(
        "/api/v1/observations?indicator=lbm_class&level=municipality&parent=PV22&year=2016",
    )
    .await;
    let rows = json["data"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert!(
        rows.iter()
            .all(|row| (1.0..=9.0).contains(&row["value"].as_f64().unwrap()))
    );
    let (_, json) = get_json("/api/v1/observations?indicator=lbm_class&area=PV22&year=2016").await;
    let drenthe = &json["data"][0];
    assert!(drenthe["value"].is_null(), "{drenthe}");
    assert_eq!(drenthe["missing"], "not_applicable");
    assert!(
        drenthe["note"]
            .as_str()
            .unwrap()
            .contains("does not add up"),
        "{drenthe}"
    );
}

#[tokio::test]
async fn places_are_the_towns_of_the_province_most_populous_first() {
    let (_, json) = get_json("/api/v1/places?parent=PV22").await;
    let places = json["data"].as_array().unwrap();
    assert_eq!(places.len(), 56);
    assert_eq!(places[0]["name"], "Assen");
    assert_eq!(places[0]["municipality"], "GM0106");
    assert_eq!(json["meta"]["count"], 56);
    let (_, none) = get_json("/api/v1/places?parent=PV20").await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    let (status, body) = request("GET", "/api/v1/places?parent=Drenthe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

// ---------------------------------------------------------------- Hartveilig (issue 14)

/// Every AED answer says that coverage is a straight line within 500 m and carries the
/// bundle's SYNTHETIC notice.
fn assert_aed_meta(json: &Value) {
    let meta = &json["meta"];
    assert_eq!(meta["synthetic"], true, "{meta}");
    assert!(
        meta["synthetic_notice"]
            .as_str()
            .unwrap()
            .starts_with("SYNTHETIC AED register"),
        "{meta}"
    );
    assert_eq!(meta["coverage"]["within_m"], 500.0);
    assert_eq!(meta["coverage"]["straight_line"], true);
    assert!(meta["licence"].as_str().unwrap().contains("synthetic"));
}

/// The first `n` elements of the array at `key` of `data`, and how many there were.
fn head(json: &Value, key: &str, n: usize) -> Value {
    let all = if key.is_empty() {
        &json["data"]
    } else {
        &json["data"][key]
    };
    let all = all.as_array().unwrap();
    serde_json::json!({"count": all.len(), "first": all.iter().take(n).collect::<Vec<_>>()})
}

#[tokio::test]
async fn aed_points_have_availability_per_rule_and_their_municipality() {
    let (status, json) = get_json("/api/v1/aed/points").await;
    assert_eq!(status, StatusCode::OK);
    assert_aed_meta(&json);
    let points = json["data"].as_array().unwrap();
    assert_eq!(json["meta"]["count"], points.len());
    // The synthetic register has Drenthe's published 700 AEDs, 500 of them day and night.
    assert_eq!(points.len(), 700);
    let always = points
        .iter()
        .filter(|p| p["available"]["24_7"] == true)
        .count();
    assert!((450..=550).contains(&always), "{always}");
    // An AED available day and night is available at every moment.
    for p in points.iter().filter(|p| p["available"]["24_7"] == true) {
        for rule in ["day", "evening", "night", "weekend"] {
            assert_eq!(p["available"][rule], true, "{p}");
        }
    }
    insta::assert_json_snapshot!("aed_points_drenthe", head(&json, "", 3));
}

#[tokio::test]
async fn aed_white_spots_of_de_wolden_most_uncovered_first() {
    let (status, json) = get_json("/api/v1/aed/white-spots?rule=24_7&area=GM1690&min=10").await;
    assert_eq!(status, StatusCode::OK);
    assert_aed_meta(&json);
    let data = &json["data"];
    let spots = data["spots"].as_array().unwrap();
    assert!(!spots.is_empty());
    assert!(
        spots
            .iter()
            .all(|s| s["municipality"] == "GM1690" && s["uncovered"].as_f64().unwrap() >= 10.0)
    );
    let uncovered: Vec<f64> = spots
        .iter()
        .map(|s| s["uncovered"].as_f64().unwrap())
        .collect();
    assert!(uncovered.windows(2).all(|w| w[0] >= w[1]), "{uncovered:?}");
    let mut small = json.clone();
    small["data"]["spots"] = head(&json, "spots", 3)["first"].clone();
    insta::assert_json_snapshot!("aed_white_spots_de_wolden", small);
}

#[tokio::test]
async fn aed_white_spots_as_csv_carry_rule_source_and_synthetic_notice() {
    let (status, content_type, body) = app_support::request(
        state(),
        "GET",
        "/api/v1/aed/white-spots.csv?area=GM1690&min=10",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    let (_, json) = get_json("/api/v1/aed/white-spots?area=GM1690&min=10").await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1 + json["data"]["spots"].as_array().unwrap().len()
    );
    assert!(
        lines[0].starts_with("id,lon,lat,persons,uncovered,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(",rule,within_m,source,licence,attribution,synthetic_notice"));
    assert!(
        lines[1].contains(",24_7,500,aed_register_synthetic_2019,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("SYNTHETIC AED register"), "{}", lines[1]);
    // `format=csv` is the same download.
    let (_, _, same) = app_support::request(
        state(),
        "GET",
        "/api/v1/aed/white-spots?area=GM1690&min=10&format=csv",
    )
    .await;
    assert_eq!(String::from_utf8(same).unwrap(), text);
}

#[tokio::test]
async fn aed_placement_in_de_wolden_adds_five_sites_along_the_curve() {
    let (status, json) =
        get_json("/api/v1/aed/placement?rule=24_7&k=5&relocate=false&area=GM1690").await;
    assert_eq!(status, StatusCode::OK);
    assert_aed_meta(&json);
    let data = &json["data"];
    let sites = data["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 5);
    let curve = data["curve"].as_array().unwrap();
    assert_eq!(curve.len(), 6);
    assert_eq!(curve[0]["covered"], data["covered_now"]);
    let gains: f64 = sites.iter().map(|s| s["gain"].as_f64().unwrap()).sum();
    let added = data["covered_after"].as_f64().unwrap() - data["covered_now"].as_f64().unwrap();
    assert!((gains - added).abs() < 1.0, "{gains} vs {added}");
    assert!(data["moves"].as_array().unwrap().is_empty());
    insta::assert_json_snapshot!("aed_placement_de_wolden", json);
}

#[tokio::test]
async fn aed_placement_with_relocation_moves_the_aeds_that_do_not_count() {
    let (status, json) = get_json("/api/v1/aed/placement?k=2&relocate=true&area=GM1690").await;
    assert_eq!(status, StatusCode::OK);
    let data = &json["data"];
    let moves = data["moves"].as_array().unwrap();
    assert!(!moves.is_empty());
    let outside = data["covered_outside_in_place"].as_f64().unwrap();
    assert!(outside >= data["covered_now"].as_f64().unwrap());
    assert!(data["covered_after"].as_f64().unwrap() >= outside);
}

#[tokio::test]
async fn aed_routes_without_the_model_say_why_it_was_left_out() {
    let monitors = leefbaar_monitor::Monitors {
        left_out: vec![leefbaar_monitor::LeftOut::new(
            "aed",
            "de bundel bevat geen [aed]",
            "the bundle declares no [aed]",
        )],
        ..leefbaar_monitor::Monitors::default()
    };
    let bare = app_support::bundled_store().with_monitors(monitors);
    for uri in [
        "/api/v1/aed/points",
        "/api/v1/aed/white-spots",
        "/api/v1/aed/white-spots.csv",
        "/api/v1/aed/placement",
    ] {
        let (status, _, body) = app_support::request(bare.clone(), "GET", uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        let json: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(
            json["error"],
            "this server has no AED coverage model: the bundle declares no [aed]"
        );
    }
    let (_, _, body) = app_support::request(bare, "GET", "/api/v1/monitor").await;
    let json: Value = serde_json::from_slice(&body).unwrap();
    let entry = json["data"]["monitors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "hartveilig")
        .unwrap()
        .clone();
    assert_eq!(entry["available"], false);
    assert_eq!(entry["reason"]["en"], "the bundle declares no [aed]");
}

/// The typology's shares of the Netherlands, the provinces and Drenthe (issue 15): a snapshot
/// of the areas, and the checks the issue asks for on every area.
#[tokio::test]
async fn typology_has_one_class_per_municipality_and_shares_that_add_up() {
    let (status, json) = get_json("/api/v1/typology").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let data = &json["data"];
    let municipalities = data["municipalities"].as_array().unwrap();
    assert_eq!(municipalities.len(), 342);
    assert_eq!(json["meta"]["count"], 342);
    let bubbles: Vec<&str> = data["bubbles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(bubbles.len(), 12);
    for municipality in municipalities {
        let bubble = municipality["bubble"].as_str().unwrap();
        assert_eq!(bubbles.iter().filter(|b| **b == bubble).count(), 1);
    }
    let areas = data["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 13);
    for area in areas {
        let persons: u64 = area["bubbles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["population_from"].as_u64().unwrap())
            .sum();
        assert_eq!(persons, area["population_from"].as_u64().unwrap());
        let pct: f64 = area["bubbles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["share_from_pct"].as_f64().unwrap())
            .sum();
        assert!((pct - 100.0).abs() <= 0.06, "{}: {pct}", area["code"]);
    }
    let drenthe = areas.iter().find(|a| a["code"] == "PV22").unwrap();
    assert_eq!(drenthe["monitored"], true);
    assert_eq!(drenthe["municipalities"], 12);
    // The snapshot keeps the shares and the method; the municipalities are checked above.
    let mut shares = json.clone();
    shares["data"]["municipalities"] = Value::from(municipalities.len());
    insta::assert_json_snapshot!("typology_netherlands", shares);
}

#[tokio::test]
async fn typology_as_csv_has_a_row_per_municipality_or_per_area_and_bubble() {
    let (status, body) = request("GET", "/api/v1/typology?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = body.lines();
    assert!(
        lines.next().unwrap().starts_with(
            "code,name,province,bubble,change,change_low,change_high,degree,urbanity,"
        )
    );
    assert_eq!(lines.count(), 342);
    assert!(body.contains("\nGM0114,Emmen,PV22,"), "{body:.400}");
    let (status, body) = request("GET", "/api/v1/typology?format=csv&table=shares").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.lines().count(), 1 + 13 * 12);
    let (status, _) = request("GET", "/api/v1/typology?table=bubbles").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn similar_municipalities_report_and_can_prefer_the_typology_s_bubble() {
    let (status, json) = get_json("/api/v1/areas/GM0114/similar?n=5").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let own = json["data"]["bubble"].as_str().unwrap().to_owned();
    assert_eq!(json["data"]["bubble_rule"], "report");
    let reported = json["data"]["similar"].as_array().unwrap();
    assert!(reported.iter().all(|s| s["bubble"].is_string()));
    let (_, json) = get_json("/api/v1/areas/GM0114/similar?n=5&bubble=only").await;
    let only = json["data"]["similar"].as_array().unwrap();
    assert_eq!(only.len(), 5);
    for s in only {
        assert_eq!(s["bubble"], own.as_str());
        assert_eq!(s["same_bubble"], true);
    }
    let distances: Vec<f64> = only
        .iter()
        .map(|s| s["distance"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    let (_, json) = get_json("/api/v1/areas/GM0114/similar?n=50&bubble=prefer").await;
    let preferred = json["data"]["similar"].as_array().unwrap();
    let first_other = preferred
        .iter()
        .position(|s| s["same_bubble"] == false)
        .unwrap_or(preferred.len());
    assert!(
        preferred[first_other..]
            .iter()
            .all(|s| s["same_bubble"] == false)
    );
    let (status, _) = get_json("/api/v1/areas/GM0114/similar?bubble=first").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn closing_emmen_and_stadskanaal_pushes_people_past_the_thresholds_in_the_north() {
    let (status, json) = get_json("/api/v1/care/hospitals/scenario?close=ZH73,ZH72").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    assert_eq!(json["meta"]["approximate"], true);
    let data = &json["data"];
    assert_eq!(data["closed"], serde_json::json!(["ZH72", "ZH73"]));
    // The municipalities and the fallbacks are long; the total, the provinces and the first
    // fallbacks show the shape and the numbers.
    let fallbacks = data["fallbacks"].as_array().unwrap();
    insta::assert_json_snapshot!(
        "care_hospitals_scenario_emmen_stadskanaal",
        serde_json::json!({
            "total": data["total"],
            "provinces": data["provinces"],
            "municipalities": data["municipalities"].as_array().unwrap().len(),
            "fallbacks": fallbacks.len(),
            "first_fallbacks": fallbacks.iter().take(3).collect::<Vec<_>>(),
        })
    );
    // Closing never brings anyone closer: no difference is negative.
    for area in data["municipalities"].as_array().unwrap() {
        for row in area["thresholds"].as_array().unwrap() {
            assert!(
                row["difference"]["persons"].as_f64().unwrap() >= 0.0,
                "{area}"
            );
        }
    }
}

#[tokio::test]
async fn the_hospitals_route_lists_the_sensitive_hospitals_of_the_north() {
    let (status, json) = get_json("/api/v1/care/hospitals").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let data = &json["data"];
    assert_eq!(data["hospitals"].as_array().unwrap().len(), 89);
    assert_eq!(data["ambulance_posts"].as_array().unwrap().len(), 280);
    let sensitive = data["sensitive"].as_array().unwrap();
    insta::assert_json_snapshot!(
        "care_hospitals_north",
        serde_json::json!({
            "parameters": data["parameters"],
            "baseline_total": data["baseline"]["total"],
            "sensitive_top_3": sensitive.iter().take(3).collect::<Vec<_>>(),
            "sensitive_ids": sensitive.iter().map(|row| row["id"].clone()).collect::<Vec<_>>(),
        })
    );
}

#[tokio::test]
async fn hospital_routes_without_the_model_say_why_it_was_left_out() {
    let monitors = leefbaar_monitor::Monitors {
        left_out: vec![leefbaar_monitor::LeftOut::new(
            "hospitals",
            "de bundel bevat geen [hospitals]",
            "the bundle declares no [hospitals]",
        )],
        ..leefbaar_monitor::Monitors::default()
    };
    let bare = app_support::bundled_store().with_monitors(monitors);
    for uri in [
        "/api/v1/care/hospitals",
        "/api/v1/care/hospitals/scenario?close=ZH73",
    ] {
        let (status, _, body) = app_support::request(bare.clone(), "GET", uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        let json: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json["error"],
            "this server has no hospital model: the bundle declares no [hospitals]"
        );
    }
}

#[tokio::test]
async fn the_schools_route_serves_a_known_location_with_its_point_values_and_files() {
    let (status, json) = get_json("/api/v1/education/schools").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let data = &json["data"];
    assert_eq!(data["join"]["locations"], 330);
    assert_eq!(data["join"]["matched"], 288);
    let schools = data["schools"].as_array().unwrap();
    let borgen = schools.iter().find(|s| s["code"] == "00DI01").unwrap();
    // rsg de Borgen, Roden (Noordenveld): secondary, with havo/vwo, exams over ten years.
    insta::assert_json_snapshot!(
        "education_school_00di01",
        serde_json::json!({
            "code": borgen["code"],
            "name": borgen["name"],
            "municipality": borgen["municipality"],
            "lon": borgen["lon"],
            "lat": borgen["lat"],
            "facility_kinds": borgen["facility_kinds"],
            "files": borgen["files"],
            "pupils": borgen["pupils"],
            "pupils_year3": borgen["pupils_year3"],
            "share_year3_havo_vwo": borgen["share_year3_havo_vwo"],
            "exams": borgen["exams"],
            "early_leavers": borgen["early_leavers"],
        })
    );
    assert_eq!(
        json["meta"]["licence"],
        "CC0 1.0 (DUO open onderwijsdata); CC BY 4.0 (CBS achterstandsscores)"
    );
}

#[tokio::test]
async fn the_krimpcheck_names_the_locations_that_fall_below_the_threshold_and_when() {
    let (status, json) = get_json("/api/v1/education/krimpcheck").await;
    assert_eq!(status, StatusCode::OK, "{json:.300}");
    let data = &json["data"];
    let locations = data["locations"].as_array().unwrap();
    let below: Vec<Value> = data["crossing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| {
            let l = locations.iter().find(|l| &l["code"] == code).unwrap();
            serde_json::json!([l["code"], l["pupils_counted"], l["below_from"]])
        })
        .collect();
    insta::assert_json_snapshot!(
        "education_krimpcheck_drenthe",
        serde_json::json!({
            "min_pupils": data["min_pupils"],
            "reference_year": data["reference_year"],
            "horizon": data["horizon"],
            "locations": locations.len(),
            "left_out": data["left_out"],
            "crossing": below,
        })
    );
}
