//! Shared server state: a pool of read-only store handles and what every request needs to
//! know (areas, catalogue, sources), read once at startup.
//!
//! The server never writes. It reads the catalogue and area register when it starts, so an
//! import made while it runs is visible after a restart.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use leefbaar_model::{Area, AreaCode, AreaLevel, IndicatorDef, Source, Year};
use leefbaar_store::{AreaFilter, ObservationFilter, Store, StoreError};

use crate::ApiError;
use crate::http::{HttpSettings, RateLimiter, ResponseCache};
use crate::observability::Metrics;

/// Something that lends out a read-only [`Store`] for the duration of a closure, shareable
/// across the server's threads.
pub trait StatePool: Send + Sync + 'static {
    /// Runs `f` with a store handle.
    fn with_store(&self, f: &mut dyn FnMut(&dyn Store));

    /// Runs `f` with a store handle only if one is free now, without waiting, and says
    /// whether it ran. For a query of microseconds that the server runs on an async worker
    /// (the import key of every request); a pool that cannot lend without blocking (a
    /// network database) keeps this default, and the query goes to the blocking pool.
    fn try_with_store(&self, f: &mut dyn FnMut(&dyn Store)) -> bool {
        let _ = f;
        false
    }

    /// The latest import's key when the pool keeps it current without a query
    /// (PostgreSQL's, by `LISTEN`), and can vouch for it now; otherwise the server asks.
    fn watched_import_key(&self) -> Option<leefbaar_store::WatchedKey> {
        None
    }
}

/// Any backend's pool of read-only connections (SQLite's or PostgreSQL's).
impl<S: Store + Send + 'static> StatePool for leefbaar_store::ReadPool<S> {
    fn with_store(&self, f: &mut dyn FnMut(&dyn Store)) {
        self.with(|store| f(store));
    }

    fn try_with_store(&self, f: &mut dyn FnMut(&dyn Store)) -> bool {
        let Some(store) = self.try_checkout() else {
            return false;
        };
        if !store.answers_in_process() {
            return false;
        }
        f(&*store);
        true
    }

    fn watched_import_key(&self) -> Option<leefbaar_store::WatchedKey> {
        leefbaar_store::ReadPool::watched_import_key(self)
    }
}

/// The server could not read what it needs at startup.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The store is empty: nothing to serve.
    #[error(
        "the store holds no indicators; import data first (`leefbaar import` or `leefbaar demo`)"
    )]
    Empty,
}

/// What the catalogue route says about one indicator beyond its definition.
#[derive(Debug, Clone)]
pub(crate) struct IndicatorInfo {
    pub def: IndicatorDef,
    pub years: Vec<Year>,
    pub levels: Vec<AreaLevel>,
}

/// Read-mostly data every request uses.
pub(crate) struct Snapshot {
    pub areas: BTreeMap<AreaCode, Area>,
    pub indicators: Vec<IndicatorInfo>,
    pub sources: BTreeMap<String, Source>,
    /// Serialised boundary collections by query, filled on first use.
    pub boundaries: Mutex<HashMap<String, Arc<serde_json::Value>>>,
    /// The name of the release the served data belong to (`leefbaar_release::release_id` of
    /// the store's latest import when the server started); `None` for a store without one.
    pub release_id: Option<String>,
    /// The current release and its zip, built on first request (`routes/release.rs`).
    pub release: Mutex<Option<Arc<ServedRelease>>>,
}

/// A built release, the import it was built from, and its zip once asked for.
pub(crate) struct ServedRelease {
    /// Bundle, fingerprint and time of the import.
    pub key: String,
    pub release: leefbaar_release::Release,
    /// Each file's path, size and SHA-256, computed once.
    pub listing: Vec<serde_json::Value>,
    pub zip: std::sync::OnceLock<axum::body::Bytes>,
}

/// The state handed to every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pool: Arc<dyn StatePool>,
    pub(crate) snapshot: Arc<Snapshot>,
    /// The monitors prepared from the store's bundle (`AppState::with_monitors`): reach
    /// scenarios, the projection, and what is left out.
    pub(crate) monitors: Arc<leefbaar_monitor::Monitors>,
    /// The monitored province as the dashboard needs it (set with the monitors).
    pub(crate) province: Option<Arc<ProvinceInfo>>,
    /// Whether `AppState::with_monitors` ran (`/readyz` waits for it).
    pub(crate) prepared: bool,
    /// Limits, the rate limiter and the metrics (`AppState::with_http`).
    pub(crate) http: Arc<HttpRuntime>,
    /// Whole answers of this state (`http/cache.rs`); a state that answers differently
    /// (other monitors, another panel) gets a cache of its own. `None` with a budget of 0.
    pub(crate) cache: Option<Arc<ResponseCache>>,
}

/// The HTTP settings and what they need at run time, shared by every request.
#[derive(Debug)]
pub(crate) struct HttpRuntime {
    pub settings: HttpSettings,
    /// `None` when the rate limit is off.
    pub limiter: Option<RateLimiter>,
    pub metrics: Metrics,
}

impl HttpRuntime {
    fn new(settings: HttpSettings) -> HttpRuntime {
        HttpRuntime {
            limiter: RateLimiter::new(
                settings.rate_limit_per_second,
                settings.rate_burst,
                std::time::Instant::now(),
            ),
            settings,
            metrics: Metrics::default(),
        }
    }
}

/// The monitored province: its name, where it lies, and which area levels have areas in it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProvinceInfo {
    pub code: AreaCode,
    pub name: String,
    /// West, south, east, north in WGS84 degrees, from its boundary or its municipalities'.
    pub bbox: Option<[f64; 4]>,
    /// The levels with at least one area in the province, coarse to fine.
    pub levels: Vec<AreaLevel>,
}

impl AppState {
    /// Reads the area register, the catalogue and the sources from the store.
    pub fn load(pool: Arc<dyn StatePool>) -> Result<AppState, StateError> {
        let mut result = None;
        pool.with_store(&mut |store| result = Some(read_snapshot(store)));
        let snapshot = result.expect("with_store runs the closure")?;
        let settings = HttpSettings::default();
        Ok(AppState {
            cache: fresh_cache(&settings),
            pool,
            snapshot: Arc::new(snapshot),
            monitors: Arc::new(leefbaar_monitor::Monitors::default()),
            province: None,
            prepared: false,
            http: Arc::new(HttpRuntime::new(settings)),
        })
    }

    /// The same state with these limits, a fresh rate limiter, fresh metrics and an empty
    /// response cache of the settings' budget.
    #[must_use]
    pub fn with_http(mut self, settings: HttpSettings) -> AppState {
        self.cache = fresh_cache(&settings);
        self.http = Arc::new(HttpRuntime::new(settings));
        self
    }

    /// The same state with the monitors prepared from the store's bundle, and what the
    /// dashboard needs to know about the monitored province.
    #[must_use]
    pub fn with_monitors(mut self, monitors: leefbaar_monitor::Monitors) -> AppState {
        self.province = monitors
            .province
            .as_ref()
            .map(|(code, name)| Arc::new(self.province_info(code, name)));
        self.monitors = Arc::new(monitors);
        self.prepared = true;
        self.cache = fresh_cache(&self.http.settings);
        self
    }

    /// The province's levels and bounding box, from the area register and its boundaries.
    fn province_info(&self, code: &AreaCode, name: &str) -> ProvinceInfo {
        let areas = &self.snapshot.areas;
        let in_province = |area: &Area| {
            let mut parent = area.parent.as_ref();
            // Parents chain at most neighbourhood → district → municipality → province.
            for _ in 0..4 {
                match parent {
                    Some(p) if p == code => return true,
                    Some(p) => parent = areas.get(p).and_then(|a| a.parent.as_ref()),
                    None => return false,
                }
            }
            false
        };
        let mut levels: BTreeSet<AreaLevel> = BTreeSet::new();
        let mut municipalities = Vec::new();
        for area in areas.values().filter(|area| in_province(area)) {
            levels.insert(area.level());
            if area.level() == AreaLevel::Municipality {
                municipalities.push(area.code.clone());
            }
        }
        let mut bbox = None;
        let mut codes = vec![code.clone()];
        codes.extend(municipalities);
        self.pool.with_store(&mut |store| {
            let Ok(with_geometry) = store.areas(&AreaFilter {
                codes: codes.clone(),
                with_geometry: true,
                ..AreaFilter::default()
            }) else {
                return;
            };
            // The province's own outline where it has one, else its municipalities'.
            let own: Vec<&Area> = with_geometry.iter().filter(|a| &a.code == code).collect();
            let chosen: Vec<&Area> = if own.iter().any(|a| a.geometry_geojson.is_some()) {
                own
            } else {
                with_geometry.iter().collect()
            };
            bbox = chosen
                .iter()
                .filter_map(|area| area.geometry_geojson.as_deref())
                .filter_map(geometry_bbox)
                .reduce(|a, b| {
                    [
                        a[0].min(b[0]),
                        a[1].min(b[1]),
                        a[2].max(b[2]),
                        a[3].max(b[3]),
                    ]
                });
        });
        ProvinceInfo {
            code: code.clone(),
            name: name.to_owned(),
            bbox,
            levels: levels.into_iter().collect(),
        }
    }

    /// The same state with `survey` as its citizens' panel instead of the bundle's (for
    /// tests and tools that weigh another panel).
    #[must_use]
    pub fn with_survey(mut self, survey: leefbaar_monitor::survey::SurveyMonitor) -> AppState {
        let mut monitors = (*self.monitors).clone();
        monitors.survey = Some(Arc::new(survey));
        monitors
            .left_out
            .retain(|left_out| left_out.what != "survey");
        self.monitors = Arc::new(monitors);
        self.cache = fresh_cache(&self.http.settings);
        self
    }

    /// The name of the area `code` names, if it is one the store has.
    pub(crate) fn area_name(&self, code: &str) -> Option<String> {
        let code = AreaCode::parse(code).ok()?;
        self.area(&code).map(|area| area.name.clone())
    }

    /// Why the monitor `what` is not served, for a 404 message.
    pub(crate) fn left_out_reason(&self, what: &str) -> String {
        self.monitors
            .left_out
            .iter()
            .find(|left_out| left_out.what == what || left_out.what == "bundle")
            .map_or_else(
                || "it was not prepared when the server started".to_owned(),
                |left_out| left_out.reason.en.clone(),
            )
    }

    /// The monitored province's code and name, as the store's bundle records it; `None` for
    /// a server started without its bundle's monitors.
    pub(crate) fn monitored_province(&self) -> Option<(&AreaCode, &str)> {
        self.monitors
            .province
            .as_ref()
            .map(|(code, name)| (code, name.as_str()))
    }

    /// The name of the monitored province, as the store's bundle records it.
    pub(crate) fn province_name(&self) -> &str {
        self.monitors
            .province
            .as_ref()
            .map_or("the province", |(_, name)| name.as_str())
    }

    /// Runs a store query on the blocking thread pool, so slow disks never stall the
    /// async workers.
    pub(crate) async fn query<R, F>(&self, query: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<R, StoreError> + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        let http = Arc::clone(&self.http);
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let mut query = Some(query);
            let mut result = None;
            pool.with_store(&mut |store| {
                if let Some(query) = query.take() {
                    result = Some(query(store));
                }
            });
            http.metrics.store_query(started.elapsed());
            result.expect("with_store runs the closure")
        })
        .await
        .map_err(|join| ApiError::Internal(join.to_string()))?
        .map_err(ApiError::from)
    }

    /// Starts `work` with a store handle on the blocking thread pool and returns at once: for a
    /// download whose rows are sent while they are read (the work ends when its reader hangs
    /// up, or when the rows do).
    pub(crate) fn spawn_with_store<F>(&self, work: F)
    where
        F: FnOnce(&dyn Store) + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        let http = Arc::clone(&self.http);
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let mut work = Some(work);
            pool.with_store(&mut |store| {
                if let Some(work) = work.take() {
                    work(store);
                }
            });
            http.metrics.store_query(started.elapsed());
        });
    }

    /// Runs `work` with a store handle on the blocking thread pool, for work that is more than
    /// one query and fails with its own error (building a release).
    pub(crate) async fn blocking<R, F>(&self, work: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&dyn Store) -> R + Send + 'static,
    {
        let pool = Arc::clone(&self.pool);
        tokio::task::spawn_blocking(move || {
            let mut work = Some(work);
            let mut result = None;
            pool.with_store(&mut |store| {
                if let Some(work) = work.take() {
                    result = Some(work(store));
                }
            });
            result.expect("with_store runs the closure")
        })
        .await
        .map_err(|join| ApiError::Internal(join.to_string()))
    }

    /// The store's import key (`Store::import_key`), which keys the response cache. From the
    /// pool's watcher where it has one (PostgreSQL: a round trip per request saved). Otherwise
    /// read on the async worker when a connection is idle: a primary-key lookup in a page
    /// SQLite has in memory takes microseconds, less than handing it to the blocking pool and
    /// back. Not timed in the store's metrics, which would cost every request a lock.
    pub(crate) async fn import_key(&self) -> Result<Option<i64>, ApiError> {
        if let Some(leefbaar_store::WatchedKey(key)) = self.pool.watched_import_key() {
            return Ok(key);
        }
        let mut result = None;
        if self
            .pool
            .try_with_store(&mut |store| result = Some(store.import_key()))
        {
            return result
                .expect("try_with_store ran the closure")
                .map_err(ApiError::from);
        }
        self.query(|store| store.import_key()).await
    }

    pub(crate) fn area(&self, code: &AreaCode) -> Option<&Area> {
        self.snapshot.areas.get(code)
    }

    pub(crate) fn indicator(&self, id: &str) -> Option<&IndicatorInfo> {
        self.snapshot
            .indicators
            .iter()
            .find(|info| info.def.id == id)
    }

    /// The areas a profile compares with: the parent chain up to the Netherlands, as
    /// `leefbaar_monitor::profile` reads it from the store, here from the area register.
    pub(crate) fn comparators(&self, code: &AreaCode) -> Vec<AreaCode> {
        leefbaar_monitor::profile::comparator_codes(code, |child| self.area(child)?.parent.clone())
    }
}

fn fresh_cache(settings: &HttpSettings) -> Option<Arc<ResponseCache>> {
    ResponseCache::new(settings.response_cache_bytes).map(Arc::new)
}

fn read_snapshot(store: &dyn Store) -> Result<Snapshot, StateError> {
    let areas = store
        .areas(&AreaFilter::default())?
        .into_iter()
        .map(|area| (area.code.clone(), area))
        .collect::<BTreeMap<_, _>>();
    let definitions = store.indicators()?;
    if definitions.is_empty() {
        return Err(StateError::Empty);
    }
    let mut indicators = Vec::with_capacity(definitions.len());
    for def in definitions {
        let observations = store.observations(&ObservationFilter {
            indicators: vec![def.id.clone()],
            ..ObservationFilter::default()
        })?;
        let mut years = BTreeSet::new();
        let mut levels = BTreeSet::new();
        for observation in observations.iter().filter(|o| o.value.value().is_some()) {
            years.insert(observation.year);
            levels.insert(observation.area.level());
        }
        indicators.push(IndicatorInfo {
            def,
            years: years.into_iter().collect(),
            levels: levels.into_iter().collect(),
        });
    }
    let sources = store
        .sources()?
        .into_iter()
        .map(|source| (source.id.clone(), source))
        .collect();
    let release_id = store
        .latest_import()?
        .as_ref()
        .map(leefbaar_release::release_id);
    Ok(Snapshot {
        areas,
        indicators,
        sources,
        boundaries: Mutex::new(HashMap::new()),
        release_id,
        release: Mutex::new(None),
    })
}

/// The bounding box (west, south, east, north) of a GeoJSON geometry's coordinates.
fn geometry_bbox(geojson: &str) -> Option<[f64; 4]> {
    fn walk(value: &serde_json::Value, bbox: &mut Option<[f64; 4]>) {
        match value {
            serde_json::Value::Array(items) => {
                if let [
                    serde_json::Value::Number(x),
                    serde_json::Value::Number(y),
                    ..,
                ] = items.as_slice()
                    && let (Some(x), Some(y)) = (x.as_f64(), y.as_f64())
                {
                    let b = bbox.get_or_insert([x, y, x, y]);
                    *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
                } else {
                    for item in items {
                        walk(item, bbox);
                    }
                }
            }
            serde_json::Value::Object(map) => {
                if let Some(coordinates) = map.get("coordinates") {
                    walk(coordinates, bbox);
                }
                if let Some(geometries) = map.get("geometries") {
                    walk(geometries, bbox);
                }
            }
            _ => {}
        }
    }
    let value: serde_json::Value = serde_json::from_str(geojson).ok()?;
    let mut bbox = None;
    walk(&value, &mut bbox);
    bbox
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bounding_box_of_a_multipolygon_spans_all_its_rings() {
        let geometry = r#"{"type":"MultiPolygon","coordinates":[[[[6.1,52.6],[6.5,52.9],[6.1,52.6]]],[[[7.0,53.1],[6.8,53.2],[7.0,53.1]]]]}"#;
        assert_eq!(super::geometry_bbox(geometry), Some([6.1, 52.6, 7.0, 53.2]));
        assert_eq!(super::geometry_bbox("not json"), None);
    }
}
