//! `GET /api/v1/monitor`: what this server monitors: the bundle it was imported from, the
//! province (name, bounding box, the area levels it has data for), and every monitor with
//! whether it is available and, when not, why (in Dutch and English). The dashboard builds its
//! navigation and level choices from it, so a monitor or level without data is left out with a
//! visible reason rather than drawn as an empty chart.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Query, State};
use leefbaar_model::{AreaLevel, LocalizedText};
use serde_json::{Value, json};

use crate::api_types::Text;
use crate::params::Params;
use crate::{ApiError, AppState};

/// The levels the dashboard offers, finest last; the country and provinces are the frame.
const MAP_LEVELS: [AreaLevel; 4] = [
    AreaLevel::Municipality,
    AreaLevel::District,
    AreaLevel::Neighbourhood,
    AreaLevel::Postcode,
];

fn reason_of(state: &AppState, what: &str) -> Option<LocalizedText> {
    state
        .monitors
        .left_out
        .iter()
        .find(|left_out| left_out.what == what || left_out.what == "bundle")
        .map(|left_out| left_out.reason.clone())
}

fn unavailable(id: &str, reason: Option<LocalizedText>) -> Value {
    let reason = reason.unwrap_or_else(|| LocalizedText {
        nl: "niet voorbereid bij het starten van de server".to_owned(),
        en: "not prepared when the server started".to_owned(),
    });
    json!({"id": id, "available": false, "reason": Text::from(&reason)})
}

#[utoipa::path(
    get,
    path = "/api/v1/monitor",
    operation_id = "monitor",
    params(crate::query::NoQuery),
    responses(crate::routes::openapi::responses::JsonResponses),
    summary = "What this server monitors: the bundle it was imported from, the province (code, name, bounding box, the area levels it has data for), and every monitor with whether it is available and why not (nl, en)"
)]
pub(crate) async fn monitor(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    Params::of::<crate::query::NoQuery>(pairs).finish()?;
    let bundle = state.monitors.bundle.as_ref().map(|record| {
        json!({
            "id": record.bundle_id,
            "name": record.bundle_name,
            "version": record.bundle_version,
            "imported_at": record.imported_at,
        })
    });
    let province = state.province.as_deref();
    let levels: Vec<&str> = province
        .map(|p| {
            MAP_LEVELS
                .iter()
                .filter(|level| p.levels.contains(level))
                .map(|level| level.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut left_out: Vec<Value> = Vec::new();
    if let Some(p) = province {
        for level in MAP_LEVELS.iter().filter(|level| !p.levels.contains(level)) {
            let (nl, en) = (
                crate::pages::level_plural(*level, crate::pages::Lang::Nl),
                crate::pages::level_plural(*level, crate::pages::Lang::En),
            );
            left_out.push(json!({
                "what": level.as_str(),
                "reason": {
                    "nl": format!("de bundel heeft geen {nl} in {}", p.name),
                    "en": format!("the bundle has no {en} in {}", p.name),
                },
            }));
        }
    }
    for item in &state.monitors.left_out {
        left_out.push(json!({"what": item.what, "reason": Text::from(&item.reason)}));
    }
    let mut monitors = vec![json!({"id": "leefbaarheid", "available": true})];
    monitors.push(match &state.monitors.reach {
        Some(reach) => {
            let kinds: Vec<Value> = reach
                .spec()
                .kinds
                .iter()
                .map(|kind| {
                    json!({
                        "id": kind.id,
                        "name": Text::from(&kind.name),
                        "profile": kind.profile,
                        "thresholds_m": kind.thresholds_m,
                        "thresholds_min": kind.thresholds_min,
                    })
                })
                .collect();
            json!({
                "id": "bereikbaarheid",
                "available": true,
                "approximate": reach.is_approximate(),
                "kinds": kinds,
            })
        }
        None => unavailable("bereikbaarheid", reason_of(&state, "reach")),
    });
    monitors.push(match state.monitors.survey.as_deref() {
        Some(survey) => json!({
            "id": "burgerpanel",
            "available": true,
            "synthetic": survey.is_synthetic(),
        }),
        None => unavailable(
            "burgerpanel",
            reason_of(&state, "survey").or_else(|| {
                Some(LocalizedText {
                    nl: "de bundel heeft geen burgerpanel".to_owned(),
                    en: "the bundle has no citizens' panel".to_owned(),
                })
            }),
        ),
    });
    monitors.push(match &state.monitors.projection {
        Some(_) => json!({"id": "bevolkingsprognose", "available": true}),
        None => unavailable("bevolkingsprognose", reason_of(&state, "projection")),
    });
    monitors.push(match state.monitors.aed.as_deref() {
        Some(aed) => {
            let spec = aed.spec();
            json!({
                "id": "hartveilig",
                "available": true,
                "synthetic": spec.synthetic_notice.is_some(),
                "synthetic_notice": spec.synthetic_notice,
                "within_m": spec.within_m,
                "responder_radius_m": spec.responder_radius_m,
                "rules": leefbaar_monitor::aed::rules(),
                "max_new_aeds": leefbaar_monitor::aed::MAX_NEW_AEDS,
            })
        }
        None => unavailable(
            "hartveilig",
            reason_of(&state, "aed").or_else(|| {
                Some(LocalizedText {
                    nl: "de bundel heeft geen AED-register".to_owned(),
                    en: "the bundle has no AED register".to_owned(),
                })
            }),
        ),
    });
    monitors.push(match &state.monitors.typology {
        Some(_) => json!({"id": "typologie", "available": true}),
        None => unavailable("typologie", reason_of(&state, "typology")),
    });
    monitors.push(match state.monitors.hospitals.as_deref() {
        Some(hospitals) => json!({
            "id": "zorg",
            "available": true,
            "approximate": hospitals.approximate(),
            "thresholds_min": hospitals.thresholds_min(),
            "call_thresholds_min": hospitals.call_thresholds_min(),
            "provinces": hospitals.provinces().iter().map(|p| json!({"code": p.code.as_str(), "name": p.name})).collect::<Vec<_>>(),
        }),
        None => unavailable("zorg", reason_of(&state, "hospitals")),
    });
    let count = monitors.len();
    Ok(super::envelope(
        &state,
        json!({
            "bundle": bundle,
            "province": province.map(|p| json!({"code": p.code.as_str(), "name": p.name, "bbox": p.bbox})),
            "levels": levels,
            "monitors": monitors,
            "left_out": left_out,
        }),
        count,
        &BTreeSet::new(),
    ))
}
