//! The response cache: the whole answer (headers and body bytes, compressed as the client
//! asked) of every successful read, kept in memory under a byte budget, so that asking again
//! costs a lookup and a copy instead of a store query and a serialisation.
//!
//! Data change once a year, with an import. Every entry belongs to the import the store named
//! (`Store::import_key`, read on every request) when its request arrived; a request that finds
//! a newer key empties the cache, so no answer from before an import is served after it. The
//! key is read before the handler runs, so an entry never holds data older than its key.
//!
//! Only what the route layer `conditional` marks [`Cacheable`] is kept: `200` answers of
//! `GET`/`HEAD` on the data routes and pages, whose bodies depend on nothing but the path, the
//! query and the negotiated compression. Everything that depends on the client (the rate
//! limit's refusals, CORS and the security headers) is added by layers outside this one.
//! Eviction is CLOCK (a second-chance approximation of least-recently-used): a hit only sets a
//! flag, so lookups share a read lock.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use http_body::Frame;

use super::validators::{Cacheable, RELEASE_HEADER, not_modified};
use crate::AppState;
use crate::observability::{CacheStats, RouteTemplate};

/// Bytes an entry is charged beyond its key, headers and body: the map slot, the `Arc`, the
/// header map's own allocations. An estimate; it keeps many tiny answers from looking free.
const ENTRY_OVERHEAD: usize = 256;

/// One kept answer.
#[derive(Debug)]
pub(crate) struct Entry {
    headers: HeaderMap,
    body: Bytes,
    route: Option<RouteTemplate>,
    cacheable: Cacheable,
}

impl Entry {
    fn response(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.headers_mut() = self.headers.clone();
        if let Some(route) = &self.route {
            response.extensions_mut().insert(route.clone());
        }
        response
    }
}

struct Slot {
    key: Box<str>,
    entry: Arc<Entry>,
    cost: usize,
    /// Set by every hit, cleared when the clock hand passes: a slot is evicted only when the
    /// hand finds it unused for a whole turn.
    referenced: AtomicBool,
}

#[derive(Default)]
struct Entries {
    /// The import every entry belongs to; `None` for a store without a recorded import.
    import_key: Option<i64>,
    index: HashMap<Box<str>, usize>,
    slots: Vec<Option<Slot>>,
    free: Vec<usize>,
    hand: usize,
    bytes: usize,
}

impl Entries {
    fn clear(&mut self, import_key: Option<i64>) {
        *self = Entries {
            import_key,
            ..Entries::default()
        };
    }

    fn remove(&mut self, index: usize) -> Option<Slot> {
        let slot = self.slots.get_mut(index)?.take()?;
        self.index.remove(&slot.key);
        self.bytes -= slot.cost;
        self.free.push(index);
        Some(slot)
    }

    /// Advances the clock hand until it evicts one slot; `false` when there is none.
    fn evict_one(&mut self) -> bool {
        if self.index.is_empty() {
            return false;
        }
        // Two turns at most: the first clears every flag it passes.
        for _ in 0..2 * self.slots.len() {
            let at = self.hand;
            self.hand = (self.hand + 1) % self.slots.len();
            let Some(slot) = &self.slots[at] else {
                continue;
            };
            if slot.referenced.swap(false, Ordering::Relaxed) {
                continue;
            }
            self.remove(at);
            return true;
        }
        false
    }
}

/// Whole answers by request, for one import at a time, within a byte budget.
pub(crate) struct ResponseCache {
    budget: usize,
    entries: RwLock<Entries>,
    hits: AtomicU64,
    misses: AtomicU64,
    evictions: AtomicU64,
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl ResponseCache {
    /// A cache that holds at most `budget` bytes; `None` for a budget of 0 (no cache).
    pub(crate) fn new(budget: usize) -> Option<ResponseCache> {
        (budget > 0).then(|| ResponseCache {
            budget,
            entries: RwLock::new(Entries::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
        })
    }

    /// The largest answer kept: a quarter of the budget, so one large download cannot push
    /// out everything the dashboard asks for.
    fn max_entry(&self) -> usize {
        self.budget / 4
    }

    /// The entry for `key` if it belongs to `import_key`. A lookup that finds a newer import
    /// leaves the old entries for the next insert to drop (a read lock cannot).
    pub(crate) fn get(&self, import_key: Option<i64>, key: &str) -> Option<Arc<Entry>> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let found = (entries.import_key == import_key)
            .then(|| entries.index.get(key))
            .flatten()
            .and_then(|&index| entries.slots[index].as_ref())
            .map(|slot| {
                slot.referenced.store(true, Ordering::Relaxed);
                Arc::clone(&slot.entry)
            });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `entry` under `key` for `import_key`, evicting the least recently used entries
    /// to stay within the budget. An answer for an older import than the cache holds (a slow
    /// request that started before an import) is dropped; one for a newer import first
    /// empties the cache.
    fn insert(&self, import_key: Option<i64>, key: &str, entry: Entry) {
        let cost = ENTRY_OVERHEAD
            + key.len()
            + entry.body.len()
            + entry
                .headers
                .iter()
                .map(|(name, value)| name.as_str().len() + value.len())
                .sum::<usize>();
        if cost > self.max_entry() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        // Keys grow with every import (`Store::import_key`), and `None` (no import yet) is
        // older than any.
        if import_key < entries.import_key {
            return;
        }
        if import_key > entries.import_key {
            entries.clear(import_key);
        }
        if let Some(&index) = entries.index.get(key) {
            entries.remove(index);
        }
        while entries.bytes + cost > self.budget && entries.evict_one() {
            self.evictions.fetch_add(1, Ordering::Relaxed);
        }
        let key: Box<str> = key.into();
        let slot = Slot {
            key: key.clone(),
            entry: Arc::new(entry),
            cost,
            referenced: AtomicBool::new(false),
        };
        let index = if let Some(index) = entries.free.pop() {
            entries.slots[index] = Some(slot);
            index
        } else {
            entries.slots.push(Some(slot));
            entries.slots.len() - 1
        };
        entries.index.insert(key, index);
        entries.bytes += cost;
    }

    pub(crate) fn stats(&self) -> CacheStats {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            entries: entries.index.len(),
            bytes: entries.bytes,
            budget: self.budget,
        }
    }
}

/// The request as the cache knows it: method, path, the query with its parameters in name
/// order, and the `Accept-Encoding` the compression layer answers. Parameter order does not
/// change an answer (a name given twice is a `400`, which is not kept), so `?a=1&b=2` and
/// `?b=2&a=1` share an entry; values are kept as sent.
fn request_key(request: &Request) -> String {
    let uri = request.uri();
    let mut parameters: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|parameter| !parameter.is_empty())
        .collect();
    parameters.sort_by_key(|parameter| parameter.split('=').next().unwrap_or(""));
    let encoding = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .map_or(&b""[..], |value| value.as_bytes());
    let mut key = String::with_capacity(uri.path().len() + 64);
    key.push_str(request.method().as_str());
    key.push(' ');
    key.push_str(uri.path());
    key.push('?');
    key.push_str(&parameters.join("&"));
    key.push('\n');
    key.push_str(&String::from_utf8_lossy(encoding));
    key
}

/// Paths that never reach the store through the cache: the probes must answer whatever the
/// store does, the metrics are live, the assets are embedded bytes with their own validators.
fn bypassed(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics") || path.starts_with("/assets/")
}

/// Answers from the cache, or lets the request through and keeps what `conditional` marks
/// cacheable as it streams to the client.
pub(crate) async fn cache(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(cache) = state.cache.clone() else {
        return next.run(request).await;
    };
    if !matches!(*request.method(), Method::GET | Method::HEAD) || bypassed(request.uri().path()) {
        return next.run(request).await;
    }
    // A store that cannot say which import it holds cannot key the cache: the request goes
    // through uncached, and the handler reports the store's failure if it has one.
    let Ok(import_key) = state.import_key().await else {
        return next.run(request).await;
    };
    let key = request_key(&request);
    if let Some(entry) = cache.get(import_key, &key) {
        if let Some(validators) = &entry.cacheable.validators
            && validators.matches(request.headers())
        {
            let mut response = not_modified(validators, entry.cacheable.cache_control);
            if let Some(route) = &entry.route {
                response.extensions_mut().insert(route.clone());
            }
            // A 304 names the release its client's copy belongs to, as the API's own 304s do
            // (the layer that adds it sits inside this one).
            if let Some(release) = entry.headers.get(RELEASE_HEADER) {
                response
                    .headers_mut()
                    .insert(RELEASE_HEADER, release.clone());
            }
            return response;
        }
        return entry.response();
    }
    let response = next.run(request).await;
    let Some(cacheable) = response.extensions().get::<Cacheable>().cloned() else {
        return response;
    };
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let pending = Pending {
        cache,
        import_key,
        key,
        headers: parts.headers.clone(),
        route: parts.extensions.get::<RouteTemplate>().cloned(),
        cacheable,
        chunks: Vec::new(),
        length: 0,
    };
    Response::from_parts(
        parts,
        Body::new(TeeBody {
            inner: body,
            pending: Some(pending),
        }),
    )
}

/// An answer on its way to the client, copied as it goes, kept when its body has ended.
struct Pending {
    cache: Arc<ResponseCache>,
    import_key: Option<i64>,
    key: String,
    headers: HeaderMap,
    route: Option<RouteTemplate>,
    cacheable: Cacheable,
    chunks: Vec<Bytes>,
    length: usize,
}

impl Pending {
    fn finish(self) {
        let body = if self.chunks.len() == 1 {
            self.chunks.into_iter().next().unwrap_or_default()
        } else {
            let mut joined = Vec::with_capacity(self.length);
            for chunk in &self.chunks {
                joined.extend_from_slice(chunk);
            }
            Bytes::from(joined)
        };
        let entry = Entry {
            headers: self.headers,
            body,
            route: self.route,
            cacheable: self.cacheable,
        };
        self.cache.insert(self.import_key, &self.key, entry);
    }
}

/// The body as it streams to the client, with a copy of its chunks (reference-counted, not
/// duplicated) until it ends, when the copy is kept; a body past the largest entry, a failed
/// body or one with trailers is not kept, and a client that hangs up keeps nothing.
struct TeeBody {
    inner: Body,
    pending: Option<Pending>,
}

impl http_body::Body for TeeBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(context);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => match frame.data_ref() {
                Some(data) => {
                    if let Some(pending) = &mut this.pending {
                        pending.length += data.len();
                        if pending.length > pending.cache.max_entry() {
                            this.pending = None;
                        } else {
                            pending.chunks.push(data.clone());
                        }
                    }
                    // hyper stops polling a body of known length once it reports its end, so
                    // the answer is complete when its last bytes pass, not at `Ready(None)`.
                    if this.inner.is_end_stream()
                        && let Some(pending) = this.pending.take()
                    {
                        pending.finish();
                    }
                }
                None => this.pending = None,
            },
            Poll::Ready(Some(Err(_))) => this.pending = None,
            Poll::Ready(None) => {
                if let Some(pending) = this.pending.take() {
                    pending.finish();
                }
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body_bytes: usize) -> Entry {
        Entry {
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; body_bytes]),
            route: None,
            cacheable: Cacheable {
                validators: None,
                cache_control: "public",
            },
        }
    }

    #[test]
    fn the_cache_stays_within_its_budget_and_evicts_what_was_not_used_since() {
        let cache = ResponseCache::new(10_000).unwrap();
        for key in ["a", "b", "c", "d"] {
            cache.insert(Some(1), key, entry(2_000));
        }
        // Each costs 2,000 bytes and the overhead: four fit, a fifth does not.
        assert_eq!(cache.stats().entries, 4);
        assert!(cache.get(Some(1), "a").is_some());
        cache.insert(Some(1), "e", entry(2_000));
        let stats = cache.stats();
        assert!(stats.bytes <= 10_000, "{stats:?}");
        assert_eq!(stats.evictions, 1);
        // `a` was used since it was kept, so the hand passed it and took `b`.
        assert!(cache.get(Some(1), "a").is_some());
        assert!(cache.get(Some(1), "b").is_none());
        assert!(cache.get(Some(1), "e").is_some());
    }

    #[test]
    fn an_answer_larger_than_a_quarter_of_the_budget_is_not_kept() {
        let cache = ResponseCache::new(10_000).unwrap();
        cache.insert(Some(1), "large", entry(2_600));
        assert!(cache.get(Some(1), "large").is_none());
        assert_eq!(cache.stats().bytes, 0);
    }

    #[test]
    fn a_newer_import_empties_the_cache_and_an_older_one_is_not_kept() {
        let cache = ResponseCache::new(100_000).unwrap();
        cache.insert(Some(1), "a", entry(10));
        cache.insert(Some(2), "b", entry(10));
        assert!(cache.get(Some(1), "a").is_none());
        assert!(cache.get(Some(2), "a").is_none());
        assert_eq!(cache.stats().entries, 1);
        // A slow request that began before the import finishes after it.
        cache.insert(Some(1), "a", entry(10));
        assert!(cache.get(Some(2), "a").is_none());
        assert_eq!(cache.stats().entries, 1);
        // A first import after none at all.
        let cache = ResponseCache::new(100_000).unwrap();
        cache.insert(None, "a", entry(10));
        assert!(cache.get(None, "a").is_some());
        cache.insert(Some(1), "b", entry(10));
        assert!(cache.get(None, "a").is_none());
    }

    /// hyper writes a body of known length until `is_end_stream`, and never polls it for its
    /// end: the answer must be kept when its last bytes pass. (In process, `collect` polls to
    /// the end, so the router's tests could not see this; over a socket nothing was kept.)
    #[tokio::test]
    async fn an_answer_is_kept_when_its_last_bytes_pass_as_hyper_polls_it() {
        use http_body_util::BodyExt as _;
        let cache = Arc::new(ResponseCache::new(100_000).unwrap());
        let mut body = TeeBody {
            inner: Body::from(Bytes::from_static(b"{\"ok\": true}")),
            pending: Some(Pending {
                cache: Arc::clone(&cache),
                import_key: Some(7),
                key: "GET /api/v1?\n".to_owned(),
                headers: HeaderMap::new(),
                route: None,
                cacheable: Cacheable {
                    validators: None,
                    cache_control: "public",
                },
                chunks: Vec::new(),
                length: 0,
            }),
        };
        let frame = body.frame().await.unwrap().unwrap();
        assert_eq!(frame.data_ref().unwrap().as_ref(), b"{\"ok\": true}");
        assert!(http_body::Body::is_end_stream(&body));
        let kept = cache.get(Some(7), "GET /api/v1?\n").expect("kept");
        assert_eq!(kept.body.as_ref(), b"{\"ok\": true}");
    }

    #[test]
    fn a_budget_of_zero_is_no_cache() {
        assert!(ResponseCache::new(0).is_none());
    }

    #[test]
    fn the_key_orders_parameters_by_name_and_keeps_the_encoding_apart() {
        let key = |uri: &str, encoding: Option<&str>| {
            let mut request = Request::builder().uri(uri);
            if let Some(encoding) = encoding {
                request = request.header("accept-encoding", encoding);
            }
            request_key(&request.body(Body::empty()).unwrap())
        };
        assert_eq!(
            key("/api/v1/observations?level=district&indicator=x", None),
            key("/api/v1/observations?indicator=x&level=district&", None)
        );
        assert_ne!(
            key("/api/v1/observations?indicator=x", None),
            key("/api/v1/observations?indicator=y", None)
        );
        assert_ne!(
            key("/api/v1/observations?indicator=x", Some("gzip")),
            key("/api/v1/observations?indicator=x", None)
        );
        assert_eq!(key("/tabel", None), "GET /tabel?\n");
    }
}
