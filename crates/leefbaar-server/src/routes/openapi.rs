//! `GET /api/v1/openapi.json`: the `OpenAPI` 3.1 description of the API, written by hand next to
//! the routes and checked by a test that every route in [`crate::API_ROUTES`] is described.

use axum::Json;
use axum::extract::Query;

use crate::ApiError;
use crate::params::Params;
use serde_json::{Value, json};

fn parameter(name: &str, description: &str, required: bool) -> Value {
    json!({
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    })
}

fn path_parameter(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
}

fn operation(summary: &str, parameters: &[Value]) -> Value {
    json!({
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "Success envelope", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Success"}}}},
                "400": {"description": "A parameter is invalid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "Unknown area, indicator or route", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "304": {"$ref": "#/components/responses/NotModified"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
                "503": {"$ref": "#/components/responses/Unavailable"},
            },
        }
    })
}

/// A probe or the metrics, outside `/api/v1` (for operators, not versioned with the API).
fn probe(summary: &str, content_type: &str, unavailable: bool) -> Value {
    let mut responses = json!({"200": {"description": summary, "content": {content_type: {}}}});
    if unavailable {
        responses["503"] = json!({"description": "Not ready, with the reason", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    }
    json!({"get": {"summary": summary, "tags": ["operations"], "responses": responses}})
}

/// The document itself, also used by tests.
pub fn openapi() -> Value {
    let level = "Area level: country, province, municipality, district, neighbourhood or postcode";
    let parent = "Only areas whose parent is this CBS code, e.g. PV22";
    let year = "A year, e.g. 2024";
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Leefbaar API",
            "version": "1",
            "description": "Read-only API of the Leefbaar regional monitor. Every success is {ok, data, meta}; every error {ok: false, error, errors, status}. Documented keys keep their names and types within v1; keys may be added. Successes carry a weak ETag and Last-Modified from the store's latest import (If-None-Match or If-Modified-Since give 304) and Cache-Control: public, max-age=300, must-revalidate. Any origin may read the API (Access-Control-Allow-Origin: *). Each client has a rate limit (429 with Retry-After). /healthz, /readyz and /metrics are the operator's, outside /api/v1.",
            "license": {"name": "Data: CC BY 4.0 (CBS); see meta.licence per response"},
        },
        "paths": {
            "/api/v1": operation("Index of routes", &[]),
            "/api/v1/areas": operation("Areas", &[
                parameter("level", level, false), parameter("parent", parent, false),
                parameter("year", "Only areas that exist in this year", false),
                parameter("code", "Comma-separated CBS codes", false),
            ]),
            "/api/v1/areas/{code}": operation("One area with its parents and number of children", &[path_parameter("code", "CBS area code")]),
            "/api/v1/areas/{code}/profile": operation("Every indicator's series for the area next to its parent areas and the Netherlands", &[
                path_parameter("code", "CBS area code"),
                parameter("indicator", "Comma-separated indicator ids (default: all)", false),
                parameter("lang", "nl or en", false),
            ]),
            "/api/v1/areas/{code}/similar": operation("The municipalities most like a municipality in size and density (nearest in standardised log inhabitants and log density, latest year with both), with the values and the distance", &[
                path_parameter("code", "CBS municipality code"),
                parameter("n", "How many (1 to 50, default 10)", false),
            ]),
            "/api/v1/boundaries": operation("Boundaries as a GeoJSON FeatureCollection (WGS84) in data", &[
                parameter("level", level, true), parameter("parent", parent, false), parameter("year", year, false),
            ]),
            "/api/v1/indicators": operation("The indicator catalogue", &[parameter("theme", "Only this theme", false)]),
            "/api/v1/indicators/{id}": operation("One indicator", &[path_parameter("id", "Indicator id")]),
            "/api/v1/observations": operation("Observations as JSON or CSV", &[
                parameter("indicator", "Comma-separated indicator ids", false),
                parameter("area", "Comma-separated CBS codes", false),
                parameter("level", level, false), parameter("parent", parent, false),
                parameter("year", year, false), parameter("year_from", "First year", false),
                parameter("year_to", "Last year", false),
                parameter("format", "json (default) or csv", false),
                parameter("limit", "At most this many rows (1 to 100000)", false),
            ]),
            "/api/v1/compare": operation("One indicator for 2 to 10 areas, with their province and the Netherlands", &[
                parameter("area", "Comma-separated CBS codes (2 to 10)", true),
                parameter("indicator", "Indicator id", true),
            ]),
            "/api/v1/sources": operation("Imported sources with licence and attribution", &[]),
            "/api/v1/search": operation("Areas by name, CBS code or postcode: a postcode (9401, 9401 AB) gives its postcode area (where the bundle has one), its district and its municipality (matched: postcode, with postcode and place); text gives areas whose name contains it, exact and prefix matches first", &[
                parameter("q", "A name, an area code or a postcode (at most 100 characters)", true),
                parameter("limit", "At most this many areas (1 to 50, default 10)", false),
            ]),
            "/api/v1/survey": operation("The citizens' panel: questions (nl/en), respondents, synthetic flag, weighting report, disclosure thresholds; 404 when the server has no panel", &[]),
            "/api/v1/survey/estimates": operation("Weighted estimates (means, or shares in percent) with Taylor-linearised standard errors, 95 % intervals, n and effective n, for the whole panel and per group; a suppressed cell is {value: null, suppressed: true} without n", &[
                parameter("question", "Question id from /api/v1/survey, e.g. rating or future", true),
                parameter("by", "province, municipality, age_group, sex, or a single-choice question id (e.g. quake_damage)", false),
            ]),
            "/api/v1/survey/difference": operation("Difference of a question's estimate between two groups (a minus b) with its t test and p-value; suppressed when either group's estimate is", &[
                parameter("question", "Question id, e.g. rating", true),
                parameter("by", "province, municipality, age_group, sex, or a single-choice question id", true),
                parameter("a", "First group, e.g. PV20", true),
                parameter("b", "Second group, e.g. PV22", true),
            ]),
            "/api/v1/monitor": operation("What this server monitors: the bundle it was imported from, the province (code, name, bounding box, the area levels it has data for), and every monitor with whether it is available and why not (nl, en)", &[]),
            "/api/v1/places": operation("Named towns and villages with their point (WGS84) and population, most populous first, for map labels", &[parameter("parent", "Only places in the municipalities of this province, e.g. PV22", false)]),
            "/api/v1/facilities": operation("The bundled facilities (schools, hospitals, ambulance posts) as a GeoJSON FeatureCollection of points with properties id, name, kind; 404 when the server has no reach model", &[
                parameter("kind", "primary_school, secondary_school, havo_vwo_school, hospital or ambulance_post (default: all)", false),
            ]),
            "/api/v1/reach/scenario": operation("Computed live, nothing stored: per area (province, municipalities, districts) the mean distance to the nearest facility of the kind before and after closing (and/or opening) facilities, and the persons newly beyond / within each threshold; approximate (straight line × 1.3) unless the server was given a road network", &[
                parameter("kind", "Facility kind, e.g. primary_school", true),
                parameter("close", "Comma-separated facility ids of that kind (from /api/v1/facilities)", false),
                parameter("open", "A new facility at lon,lat (WGS84), e.g. 6.56,52.99", false),
                parameter("level", "Only areas of this level: province, municipality or district", false),
            ]),
            "/api/v1/aed/points": operation("Hartveilig: every AED of the bundle's register with id, lon, lat, placement (outdoor, indoor, unknown), opening_hours, public, available (per rule 24_7, day, evening, night, weekend: whether it counts), responders_near (citizen responders within the responder radius) and municipality. meta.synthetic_notice is set when the register is synthetic; meta.coverage states the rule (straight line, 500 m). 404 when the server has no AED model", &[]),
            "/api/v1/aed/white-spots": operation("Hartveilig: the populated places with residents beyond the coverage distance (straight line, 500 m) of every AED available under the rule, most uncovered first: id, lon, lat, persons, uncovered, share_uncovered, nearest_aed_m, municipality, municipality_name, postcode, neighbourhood, neighbourhood_name; as JSON or CSV (also at /api/v1/aed/white-spots.csv), the CSV with rule, source, licence and synthetic notice on every row", &[
                parameter("rule", "24_7 (default), day (weekday 10:00), evening (weekday 20:00), night (03:00) or weekend (Saturday 14:00)", false),
                parameter("area", "Only places in this municipality, district, neighbourhood or postcode area (CBS code, e.g. GM1690); the province or nothing: all", false),
                parameter("min", "Only places with at least this many uncovered residents (0 to 1000000, default 0)", false),
                parameter("limit", "At most this many places (1 to 100000)", false),
                parameter("format", "json (default) or csv", false),
            ]),
            "/api/v1/aed/white-spots.csv": operation("The white spots as CSV (the same as format=csv)", &[
                parameter("rule", "As for /api/v1/aed/white-spots", false),
                parameter("area", "As for /api/v1/aed/white-spots", false),
                parameter("min", "As for /api/v1/aed/white-spots", false),
                parameter("limit", "As for /api/v1/aed/white-spots", false),
            ]),
            "/api/v1/aed/placement": operation("Hartveilig, computed on request and never stored: where k new AEDs available under the rule cover most residents not yet covered (greedy with interchange local search over the populated places with uncovered residents): persons, covered now and after, the sites (rank, lon, lat, gain in residents, loss if removed), the coverage curve for 0..k new AEDs, and with relocate=true the AEDs that do not count under the rule moved outside (moves, covered_outside_in_place)", &[
                parameter("rule", "24_7 (default), day, evening, night or weekend", false),
                parameter("k", "New AEDs, 1 to 100 (default 5)", false),
                parameter("relocate", "true: AEDs inside or with opening hours may also move outside; false (default)", false),
                parameter("area", "The municipality (or district, neighbourhood, postcode area) whose residents count and whose places are candidates, e.g. GM1690; the province or nothing: all", false),
            ]),
            "/api/v1/projection": operation("The population projection (1 January 2020 to 2040, medium variant) of the monitored province (e.g. Drenthe, PV22), the regions its bundle names (e.g. oost-drenthe) and its municipalities: per area the krimp class of the medium, low and high variants, the population change, the household change and the 80 % interval at the horizon; data.criteria states the rule. 404 when the server has no projection", &[]),
            "/api/v1/projection/{code}": operation("One area's projection: residents per year in the low, medium and high variants with the 80 % bootstrap interval (lower, median, upper), households, 65+, 80+ and 20–66; the classification of each variant with the numbers behind it and the criteria; the population pyramid by sex in the base year and at the horizon (medium). A scenario, not a forecast", &[
                path_parameter("code", "A municipality code of the monitored province (e.g. GM0114), its province code (e.g. PV22) or a region id of its bundle (e.g. oost-drenthe)"),
                parameter("ages", "Pyramid rows: 5 (five-year groups, 95+ open; default) or single (single years, 100+ open)", false),
            ]),
            "/api/v1/release": operation("The current data release (what `leefbaar release` writes, named after the store's latest import, e.g. drenthe-2024.1-78911f15): id, created (the import's time), citation, download (/api/v1/release.zip), bytes, and files with path, bytes and sha256. Every API answer names its release in the Leefbaar-Release header and meta.release", &[]),
            "/api/v1/release.zip": {"get": {"summary": "The current data release as one zip archive (deflated), built on first request", "responses": {
                "200": {"description": "The release's files under a folder named after it", "content": {"application/zip": {}}},
                "304": {"$ref": "#/components/responses/NotModified"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
                "503": {"$ref": "#/components/responses/Unavailable"},
            }}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI document"}, "304": {"$ref": "#/components/responses/NotModified"}}}},
            "/healthz": probe("Liveness: the process answers", "application/json", false),
            "/readyz": probe("Readiness: the store answers and the monitors are prepared; lists the prepared models and what is left out", "application/json", true),
            "/metrics": probe("Counters in the Prometheus text format: requests and latency per route template, store query time, prepared models, memory", "text/plain", false),
        },
        "components": {
            "responses": {
                "NotModified": {"description": "The client's copy (If-None-Match, If-Modified-Since) is current: no body", "headers": {
                    "ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}},
                }},
                "TooManyRequests": {"description": "The client's rate limit is used up", "headers": {
                    "Retry-After": {"description": "Seconds until the next request is accepted", "schema": {"type": "integer"}},
                }, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "Unavailable": {"description": "The request took longer than the server's limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
            "schemas": {
                "Success": {
                    "type": "object",
                    "required": ["ok", "data", "meta"],
                    "properties": {
                        "ok": {"const": true},
                        "data": {},
                        "meta": {"type": "object", "properties": {
                            "count": {"type": "integer"}, "licence": {"type": "string"}, "attribution": {"type": "string"}, "release": {"type": ["string", "null"], "description": "The data release the answer belongs to (also the Leefbaar-Release header)"}
                        }},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["ok", "error", "errors", "status"],
                    "properties": {
                        "ok": {"const": false},
                        "error": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "string"}},
                        "status": {"type": "integer"},
                    },
                },
            }
        },
    })
}

pub(crate) async fn document(
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::new(pairs, &[]).finish()?;
    Ok(Json(openapi()))
}
