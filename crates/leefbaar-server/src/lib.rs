//! # Brief overview
//!
//! The HTTP surface of Leefbaar: a read-only JSON/CSV API under `/api/v1` (contract in
//! `docs/api.md`) and the dashboard built from `web/` and embedded in the binary.
//!
//! [`router`] builds the whole application from an [`AppState`], so tests drive it in process
//! with `tower::ServiceExt::oneshot` and the binary serves the same router on a socket.
//! API types live here and are converted from model types: the model is not the wire format.
#![deny(missing_docs)]

mod api_types;
mod assets;
mod error;
mod http;
mod observability;
mod pages;
mod params;
mod query;
mod routes;
mod similar;
mod state;
pub mod wire;

pub use error::ApiError;
pub use http::{CONTENT_SECURITY_POLICY, HttpSettings};
pub use routes::factsheet::{sheet, sheet_notice};
pub use state::{AppState, StateError, StatePool};

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate as _};

/// The whole application: API routes, the dashboard and its assets, the operator's probes and
/// metrics, wrapped in the HTTP hygiene layers (`http.rs`) with the state's `HttpSettings`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/", get(routes::index))
        .route("/areas", get(routes::areas::list))
        .route("/areas/{code}", get(routes::areas::one))
        .route("/areas/{code}/profile", get(routes::profile::profile))
        .route("/areas/{code}/similar", get(routes::areas::similar))
        .route("/boundaries", get(routes::areas::boundaries))
        .route("/indicators", get(routes::indicators::list))
        .route("/indicators/{id}", get(routes::indicators::one))
        .route("/observations", get(routes::observations::list))
        .route("/compare", get(routes::profile::compare))
        .route("/sources", get(routes::sources::list))
        .route("/search", get(routes::search::search))
        .route("/monitor", get(routes::monitor::monitor))
        .route("/places", get(routes::places::list))
        .route("/survey", get(routes::survey::info))
        .route("/survey/estimates", get(routes::survey::estimates))
        .route("/survey/difference", get(routes::survey::difference))
        .route("/facilities", get(routes::reach::facilities))
        .route("/reach/scenario", get(routes::reach::scenario))
        .route("/care/hospitals", get(routes::hospitals::list))
        .route("/care/hospitals/scenario", get(routes::hospitals::scenario))
        .route("/education/schools", get(routes::schools::list))
        .route("/education/krimpcheck", get(routes::schools::krimpcheck))
        .route("/aed/points", get(routes::aed::points))
        .route("/aed/white-spots", get(routes::aed::white_spots))
        .route("/aed/white-spots.csv", get(routes::aed::white_spots_csv))
        .route("/aed/placement", get(routes::aed::placement))
        .route("/projection", get(routes::projection::list))
        .route("/projection/{code}", get(routes::projection::one))
        .route("/typology", get(routes::typology::list))
        .route("/release", get(routes::release::info))
        .route("/release.zip", get(routes::release::zip))
        .route("/openapi.json", get(routes::openapi::document))
        // Route layers run only for matched routes and see the route template: the validators
        // (a 304 answers before the handler runs), then the tag that counts it under its route.
        .route_layer(from_fn_with_state(state.clone(), http::conditional))
        .route_layer(from_fn(http::tag_route))
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        // Every API answer, errors and 304s included, names the release of its data.
        .layer(from_fn_with_state(
            state.clone(),
            routes::release::name_header,
        ));
    let pages = Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset_route))
        .route("/gebied/{code}", get(pages::gebied))
        .route("/tabel", get(pages::tabel))
        .route("/factsheet/{code}", get(routes::factsheet::factsheet))
        .route("/burgerpanel", get(routes::burgerpanel::page))
        .route("/healthz", get(observability::healthz))
        .route("/readyz", get(observability::readyz))
        .route("/metrics", get(observability::metrics))
        .route_layer(from_fn_with_state(state.clone(), http::conditional))
        .route_layer(from_fn(http::tag_route));
    let app = Router::new()
        .nest("/api/v1", api)
        .merge(pages)
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        // A zip is compressed already; deflating it again per request would cost CPU for nothing.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/zip")),
        ));
    http::layers(app, &state).with_state(state)
}

/// The pages a person opens, each checked for the Content-Security-Policy and for markup
/// without inline scripts and styles.
pub const PAGE_ROUTES: &[&str] = &[
    "/",
    "/gebied/{code}",
    "/tabel",
    "/factsheet/{code}",
    "/burgerpanel",
];

/// The routes of the API, as documented in `docs/api.md` and the `OpenAPI` document; tests check
/// that every one of them answers with the common envelope.
pub const API_ROUTES: &[&str] = &[
    "/api/v1",
    "/api/v1/areas",
    "/api/v1/areas/{code}",
    "/api/v1/areas/{code}/profile",
    "/api/v1/areas/{code}/similar",
    "/api/v1/boundaries",
    "/api/v1/indicators",
    "/api/v1/indicators/{id}",
    "/api/v1/observations",
    "/api/v1/compare",
    "/api/v1/sources",
    "/api/v1/search",
    "/api/v1/monitor",
    "/api/v1/places",
    "/api/v1/survey",
    "/api/v1/survey/estimates",
    "/api/v1/survey/difference",
    "/api/v1/facilities",
    "/api/v1/reach/scenario",
    "/api/v1/care/hospitals",
    "/api/v1/care/hospitals/scenario",
    "/api/v1/education/schools",
    "/api/v1/education/krimpcheck",
    "/api/v1/aed/points",
    "/api/v1/aed/white-spots",
    "/api/v1/aed/placement",
    "/api/v1/projection",
    "/api/v1/projection/{code}",
    "/api/v1/typology",
    "/api/v1/release",
    "/api/v1/openapi.json",
];
