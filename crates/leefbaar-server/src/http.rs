//! HTTP hygiene around the router: security headers on every response, CORS for the read API,
//! request limits (header and body size, time, a token bucket per client), and caching
//! validators keyed by the store's latest import, so a `304 Not Modified` can never hide data
//! from a newer import, and a response cache keyed by the same import (`http/cache.rs`).
//!
//! Each concern is one `axum::middleware::from_fn_with_state` function, stacked in [`layers`]
//! in the order a request meets them; `docs/api.md` and `docs/operations.md` describe what a
//! client and an operator see.

mod cache;
mod ratelimit;
mod validators;

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};

pub(crate) use cache::ResponseCache;
pub(crate) use ratelimit::RateLimiter;
pub(crate) use validators::RELEASE_HEADER;
pub(crate) use validators::conditional;

use crate::observability::RouteTemplate;
use crate::{ApiError, AppState};

/// How the server protects itself and its clients; `leefbaar serve` sets these from its flags.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpSettings {
    /// Requests per second each client may make on average; `0` turns rate limiting off.
    pub rate_limit_per_second: f64,
    /// How many requests a client may make at once before the rate applies.
    pub rate_burst: u32,
    /// How long a request may take before it is answered `503` instead.
    pub request_timeout: Duration,
    /// The largest request body accepted (the API is read-only, so bodies are not expected).
    pub max_body_bytes: u64,
    /// The most bytes of request headers (names and values) accepted.
    pub max_header_bytes: usize,
    /// Take the client's address from the last `X-Forwarded-For` entry (set this only when
    /// every request comes through a proxy you run, which appends the address it saw).
    pub trust_forwarded_for: bool,
    /// Bytes of whole answers the response cache may hold (`0` turns it off); one answer
    /// larger than a quarter of this is not kept.
    pub response_cache_bytes: usize,
}

impl Default for HttpSettings {
    fn default() -> HttpSettings {
        HttpSettings {
            // The dashboard fetches about twenty files and API answers when it opens and a few
            // per click: a burst of 200 and 50 a second leave people alone and stop floods.
            rate_limit_per_second: 50.0,
            rate_burst: 200,
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 16 * 1024,
            max_header_bytes: 16 * 1024,
            trust_forwarded_for: false,
            // Room for hundreds of the largest answers the dashboard asks for (one indicator
            // at every municipality and year is about 0.8 MB of JSON).
            response_cache_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The Content-Security-Policy of every response: only this origin's scripts, styles, images
/// and fonts, nothing inline (the pages link `/assets/app.css`, the fact sheets
/// `/assets/factsheet.css`), no plugins, no framing, forms and `<base>` to this origin only.
/// `data:` images are allowed because they cannot run code and map libraries use them.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Wraps the routed application in the hygiene layers; the caching validators
/// ([`conditional`]) are a route layer instead, as they need the matched route.
pub(crate) fn layers(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    // `Router::layer` wraps what is there, so the last call below is the outermost layer.
    // The cache is inside the rate limit, CORS and the security headers, which depend on the
    // client or are added to every answer, and outside the compression, so a hit is not
    // compressed again.
    router
        .layer(from_fn_with_state(state.clone(), cache::cache))
        .layer(from_fn_with_state(state.clone(), timeout))
        .layer(from_fn_with_state(state.clone(), limits))
        .layer(from_fn(cors))
        .layer(from_fn_with_state(
            state.clone(),
            crate::observability::observe,
        ))
        .layer(from_fn(security_headers))
}

/// Tags a response with the route template that answered it (`/api/v1/areas/{code}`, never
/// the path with its code), for metrics and logs. Installed with `route_layer`, so it runs
/// only for matched routes; the first tag wins.
pub(crate) async fn tag_route(request: Request, next: Next) -> Response {
    let template = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(template) = template
        && response.extensions().get::<RouteTemplate>().is_none()
    {
        response
            .extensions_mut()
            .insert(RouteTemplate(template.as_str().to_owned()));
    }
    response
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    // For browsers that predate `frame-ancestors`.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

fn is_api(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

/// CORS for the read API only: any origin may `GET` it (no cookies, no credentials, nothing
/// private), a preflight `OPTIONS` is answered `204`; pages and assets stay same-origin.
async fn cors(request: Request, next: Next) -> Response {
    if !is_api(request.uri().path()) {
        return next.run(request).await;
    }
    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD, OPTIONS"),
        );
        headers.insert(
            header::ALLOW,
            HeaderValue::from_static("GET, HEAD, OPTIONS"),
        );
        if let Some(requested) = request
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        {
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
        }
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        add_cors(headers);
        return response;
    }
    let mut response = next.run(request).await;
    add_cors(response.headers_mut());
    response
}

fn add_cors(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // Scripts elsewhere may read the validator, how long to wait after a 429, and which
    // release the data belong to.
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Retry-After, Leefbaar-Release"),
    );
}

/// Header and body size, then the client's token bucket. Health and metrics are exempt from
/// the rate limit, so a load balancer's probes never starve a client or the other way round.
async fn limits(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let settings = &state.http.settings;
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > settings.max_header_bytes {
        return ApiError::HeadersTooLarge(format!(
            "the request's headers are {header_bytes} bytes; at most {} are accepted",
            settings.max_header_bytes
        ))
        .into_response();
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > settings.max_body_bytes) {
        return ApiError::PayloadTooLarge(format!(
            "the request body is larger than {} bytes; the API is read-only and takes none",
            settings.max_body_bytes
        ))
        .into_response();
    }
    let exempt = matches!(request.uri().path(), "/healthz" | "/readyz" | "/metrics");
    if !exempt
        && let Some(limiter) = &state.http.limiter
        && let Some(client) = client_ip(&request, settings.trust_forwarded_for)
        && let Err(wait) = limiter.check(client, Instant::now())
    {
        state.http.metrics.rate_limited();
        return ApiError::TooManyRequests {
            // Whole seconds, rounded up: a client that waits that long finds a token.
            retry_after_seconds: (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1),
        }
        .into_response();
    }
    // A body without a declared length (chunked) is cut off where the limit is reached.
    let limit = usize::try_from(settings.max_body_bytes).unwrap_or(usize::MAX);
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

/// The client's address: the socket's peer, or with `trust_forwarded_for` the last entry of
/// `X-Forwarded-For` (the one the trusted proxy appended). `None` in process (tests) where
/// there is no socket: such requests are not rate limited.
fn client_ip(request: &Request, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for
        && let Some(forwarded) = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
            .next_back()
    {
        return Some(forwarded);
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
}

/// A request that takes longer than the configured time is answered `503` in the API's error
/// shape; the work it started is dropped.
async fn timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.http.settings.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout(format!(
            "the request took longer than {} s; try a narrower question",
            limit.as_secs_f64()
        ))
        .into_response(),
    }
}
