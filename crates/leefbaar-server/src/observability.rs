//! What an operator watches: `/healthz` (the process answers), `/readyz` (the store answers and
//! the monitors are prepared), `/metrics` (Prometheus text format) and one log line per request.
//!
//! Labels are bounded: a request is counted under its route template (`/api/v1/areas/{code}`),
//! never its path, and requests no route matched under `unmatched`. Logs name the method, the
//! template, the status and the time taken, never the client's address or the query string.
//!
//! A few counters behind one mutex are all the server needs, so there is no metrics crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::{ApiError, AppState};

/// What the cache did since the server started, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
    pub entries: usize,
    pub bytes: usize,
    pub budget: usize,
}

/// The route template that answered a request, carried on the response (set by the HTTP layer,
/// read by the metrics and the request log).
#[derive(Debug, Clone)]
pub(crate) struct RouteTemplate(pub String);

/// Upper bounds (seconds) of the latency histograms' buckets.
const BUCKETS: [f64; 13] = [
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Observations at or below each bound of [`BUCKETS`] (not cumulative; summed on output).
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.counts[bucket] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let separator = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, count) in BUCKETS.iter().zip(self.counts) {
            cumulative += count;
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{separator}le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{separator}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

#[derive(Debug, Default)]
struct Counters {
    /// Requests by (route template, status).
    requests: BTreeMap<(String, u16), u64>,
    /// Latency by route template.
    latency: BTreeMap<String, Histogram>,
    /// Time of each store query (`AppState::query`, the one way handlers reach the store).
    store: Histogram,
    rate_limited: u64,
}

/// The server's counters since it started.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    counters: Mutex<Counters>,
}

impl Metrics {
    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        self.counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn request(&self, route: &str, status: StatusCode, elapsed: Duration) {
        let mut counters = self.counters();
        *counters
            .requests
            .entry((route.to_owned(), status.as_u16()))
            .or_default() += 1;
        counters
            .latency
            .entry(route.to_owned())
            .or_default()
            .observe(elapsed);
    }

    /// Records one store query's time.
    pub(crate) fn store_query(&self, elapsed: Duration) {
        self.counters().store.observe(elapsed);
    }

    /// Counts a request refused by the rate limit.
    pub(crate) fn rate_limited(&self) {
        self.counters().rate_limited += 1;
    }

    fn render(&self, state: &AppState) -> String {
        let counters = self.counters();
        let mut out = String::with_capacity(4096);
        out.push_str("# HELP leefbaar_http_requests_total Requests answered, by route template and status.\n# TYPE leefbaar_http_requests_total counter\n");
        for ((route, status), count) in &counters.requests {
            let _ = writeln!(
                out,
                "leefbaar_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                label(route)
            );
        }
        out.push_str("# HELP leefbaar_http_request_duration_seconds Time from request to response head, by route template.\n# TYPE leefbaar_http_request_duration_seconds histogram\n");
        for (route, histogram) in &counters.latency {
            histogram.write(
                &mut out,
                "leefbaar_http_request_duration_seconds",
                &format!("route=\"{}\"", label(route)),
            );
        }
        out.push_str("# HELP leefbaar_store_query_duration_seconds Time of each store query, including the wait for a connection.\n# TYPE leefbaar_store_query_duration_seconds histogram\n");
        counters
            .store
            .write(&mut out, "leefbaar_store_query_duration_seconds", "");
        let _ = writeln!(
            out,
            "# HELP leefbaar_http_rate_limited_total Requests refused with 429.\n# TYPE leefbaar_http_rate_limited_total counter\nleefbaar_http_rate_limited_total {}",
            counters.rate_limited
        );
        drop(counters);
        if let Some(cache) = &state.cache {
            write_cache_stats(&mut out, cache.stats());
        }
        out.push_str("# HELP leefbaar_model_prepared Whether a live model was prepared at startup (1) or left out (0).\n# TYPE leefbaar_model_prepared gauge\n");
        for (model, prepared) in prepared_models(state) {
            let _ = writeln!(
                out,
                "leefbaar_model_prepared{{model=\"{model}\"}} {}",
                u8::from(prepared)
            );
        }
        if let Some(bytes) = resident_memory_bytes() {
            let _ = writeln!(
                out,
                "# HELP process_resident_memory_bytes Resident memory of the server, prepared models included.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {bytes}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP leefbaar_build_info The server's version.\n# TYPE leefbaar_build_info gauge\nleefbaar_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        out
    }
}

fn write_cache_stats(out: &mut String, stats: CacheStats) {
    let _ = writeln!(
        out,
        "# HELP leefbaar_response_cache_hits_total Requests answered from the response cache (304s included).\n# TYPE leefbaar_response_cache_hits_total counter\nleefbaar_response_cache_hits_total {}",
        stats.hits
    );
    let _ = writeln!(
        out,
        "# HELP leefbaar_response_cache_misses_total Cacheable-looking requests the response cache did not hold.\n# TYPE leefbaar_response_cache_misses_total counter\nleefbaar_response_cache_misses_total {}",
        stats.misses
    );
    let _ = writeln!(
        out,
        "# HELP leefbaar_response_cache_evictions_total Answers dropped to stay within the budget.\n# TYPE leefbaar_response_cache_evictions_total counter\nleefbaar_response_cache_evictions_total {}",
        stats.evictions
    );
    let _ = writeln!(
        out,
        "# HELP leefbaar_response_cache_entries Answers held.\n# TYPE leefbaar_response_cache_entries gauge\nleefbaar_response_cache_entries {}",
        stats.entries
    );
    let _ = writeln!(
        out,
        "# HELP leefbaar_response_cache_bytes Bytes held, against the budget.\n# TYPE leefbaar_response_cache_bytes gauge\nleefbaar_response_cache_bytes {}\n# HELP leefbaar_response_cache_budget_bytes The most bytes the cache may hold (--cache-mb).\n# TYPE leefbaar_response_cache_budget_bytes gauge\nleefbaar_response_cache_budget_bytes {}",
        stats.bytes, stats.budget
    );
}

/// A label value with `\`, `"` and newlines escaped as the text format wants.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn prepared_models(state: &AppState) -> [(&'static str, bool); 3] {
    let monitors = &state.monitors;
    [
        ("reach", monitors.reach.is_some()),
        ("projection", monitors.projection.is_some()),
        ("survey", monitors.survey.is_some()),
    ]
}

/// The process's resident set from `/proc/self/statm` (Linux; `None` elsewhere). The prepared
/// models are most of it, and have no cheaper measure.
fn resident_memory_bytes() -> Option<u64> {
    let statm = fs_err::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // The page size is 4 KiB on the platforms Leefbaar runs on (x86-64 and arm64 Linux).
    Some(pages * 4096)
}

/// Counts, times and logs every request under its route template.
pub(crate) async fn observe(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let route = response
        .extensions()
        .get::<RouteTemplate>()
        .map_or("unmatched", |template| template.0.as_str());
    let status = response.status();
    state.http.metrics.request(route, status, elapsed);
    tracing::info!(
        target: "leefbaar_server::request",
        method = %method,
        route,
        status = status.as_u16(),
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    response
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /healthz`: the process is alive and answers; nothing else is checked.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tags = ["operations"], responses(crate::routes::openapi::responses::ProbeResponses),
    summary = "Liveness: the process answers")]
pub(crate) async fn healthz() -> Response {
    no_store(axum::Json(json!({"ok": true, "data": {"status": "alive"}})).into_response())
}

/// `GET /readyz`: `200` when the store answers and the monitors were prepared, else `503` in
/// the API's error shape with the reason. Models left out on purpose (a bundle without reach)
/// do not make the server unready; they are listed.
#[utoipa::path(get, path = "/readyz", operation_id = "readyz", tags = ["operations"], responses(crate::routes::openapi::responses::ProbeResponses),
    summary = "Readiness: the store answers and the monitors are prepared; lists the prepared models and what is left out")]
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    let Ok(import) = state.query(|store| store.latest_import()).await else {
        return no_store(
            ApiError::Unavailable("not ready: the store does not answer".to_owned())
                .into_response(),
        );
    };
    if !state.prepared {
        return no_store(
            ApiError::Unavailable("not ready: the monitors are not prepared".to_owned())
                .into_response(),
        );
    }
    let models: serde_json::Map<String, serde_json::Value> = prepared_models(&state)
        .into_iter()
        .map(|(model, prepared)| (model.to_owned(), prepared.into()))
        .collect();
    let left_out: Vec<_> = state
        .monitors
        .left_out
        .iter()
        .map(|left_out| json!({"what": left_out.what, "reason": left_out.reason.en}))
        .collect();
    no_store(
        axum::Json(json!({
            "ok": true,
            "data": {
                "status": "ready",
                "import": import.map(|import| json!({
                    "bundle": import.bundle_id,
                    "imported_at": import.imported_at,
                })),
                "models": models,
                "left_out": left_out,
            },
        }))
        .into_response(),
    )
}

/// `GET /metrics`: the counters in Prometheus's text format.
#[utoipa::path(get, path = "/metrics", operation_id = "metrics", tags = ["operations"], responses(crate::routes::openapi::responses::MetricsResponses),
    summary = "Counters in the Prometheus text format: requests and latency per route template, store query time, prepared models, memory")]
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let body = state.http.metrics.render(&state);
    no_store(
        (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            body,
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_inf() {
        let mut histogram = Histogram::default();
        histogram.observe(Duration::from_micros(300));
        histogram.observe(Duration::from_millis(3));
        histogram.observe(Duration::from_secs(9));
        let mut out = String::new();
        histogram.write(&mut out, "h", "route=\"/x\"");
        assert!(
            out.contains("h_bucket{route=\"/x\",le=\"0.0005\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("h_bucket{route=\"/x\",le=\"0.005\"} 2\n"),
            "{out}"
        );
        assert!(out.contains("h_bucket{route=\"/x\",le=\"5\"} 2\n"), "{out}");
        assert!(
            out.contains("h_bucket{route=\"/x\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("h_count{route=\"/x\"} 3\n"), "{out}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
