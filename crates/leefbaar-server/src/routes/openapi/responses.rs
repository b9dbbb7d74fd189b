//! The responses the operations document, as types `#[utoipa::path]` names: each handler's
//! attribute refers to one of these, and the document (`routes/openapi.rs`) collects them. A
//! module of its own below the handlers, so that handlers and probes depend on it and it on
//! nothing of theirs.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use utoipa::IntoResponses;
use utoipa::openapi::RefOr;
use utoipa::openapi::response::Response;

/// A response map from the JSON of its entries; the entries are fixed text, so a mistake
/// fails every test that reads the document.
pub(crate) fn responses(entries: Value) -> BTreeMap<String, RefOr<Response>> {
    serde_json::from_value(entries).expect("the response entries are valid OpenAPI")
}

pub(crate) fn error_body(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// What every data route may answer besides its success.
fn common() -> Value {
    json!({
        "400": error_body("A parameter is unknown, repeated, empty or invalid"),
        "404": error_body("Unknown area, indicator, group or route, or a model this server does not have"),
        "304": {"$ref": "#/components/responses/NotModified"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
        "503": {"$ref": "#/components/responses/Unavailable"},
    })
}

fn with_success(success: Value) -> BTreeMap<String, RefOr<Response>> {
    let mut entries = common();
    entries["200"] = success;
    responses(entries)
}

fn success_json() -> Value {
    json!({"$ref": "#/components/schemas/Success"})
}

/// A JSON success envelope, or an error.
pub(crate) struct JsonResponses;
impl IntoResponses for JsonResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        with_success(json!({"description": "Success envelope", "content": {
            "application/json": {"schema": success_json()},
        }}))
    }
}

/// A JSON success envelope or, with `format=csv`, a CSV download.
pub(crate) struct JsonOrCsvResponses;
impl IntoResponses for JsonOrCsvResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        with_success(
            json!({"description": "Success envelope, or CSV with format=csv", "content": {
                "application/json": {"schema": success_json()},
                "text/csv": {"schema": {"type": "string"}},
            }}),
        )
    }
}

/// A CSV download.
pub(crate) struct CsvResponses;
impl IntoResponses for CsvResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        with_success(json!({"description": "CSV with a header row", "content": {
            "text/csv": {"schema": {"type": "string"}},
        }}))
    }
}

/// The operator's probes: JSON that says how the process is, 503 while not ready.
pub(crate) struct ProbeResponses;
impl IntoResponses for ProbeResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(json!({
            "200": {"description": "The process answers", "content": {"application/json": {"schema": {"type": "object"}}}},
            "503": {"description": "Not ready, with the reason", "content": {"application/json": {"schema": {"type": "object"}}}},
            "304": {"$ref": "#/components/responses/NotModified"},
            "429": {"$ref": "#/components/responses/TooManyRequests"},
        }))
    }
}

/// `/metrics`: the Prometheus text format.
pub(crate) struct MetricsResponses;
impl IntoResponses for MetricsResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(json!({
            "200": {"description": "Counters in the Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}},
            "304": {"$ref": "#/components/responses/NotModified"},
            "429": {"$ref": "#/components/responses/TooManyRequests"},
        }))
    }
}

/// The release archive: a zip file, not enveloped.
pub(crate) struct ZipResponses;
impl IntoResponses for ZipResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        with_success(
            json!({"description": "The release's files under a folder named after it", "content": {
                "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}},
            }}),
        )
    }
}
