// Same-origin API client for /api/v1 (docs/api.md). Every JSON answer is an envelope:
// {"ok": true, "data": ..., "meta": {...}} or {"ok": false, "error": "...", "status": 400}.
export class ApiError extends Error {
  constructor(kind, status, message) {
    super(message || kind);
    this.kind = kind; // 'server' | 'network' | 'response' | 'abort'
    this.status = status;
  }
}

const cache = new Map();

export function apiUrl(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/**
 * GET an API route; resolves to `{data, meta}` or rejects with an `ApiError`. Cacheable answers are kept
 * for the page's lifetime, and a request already under way is shared rather than sent twice.
 */
export function getJson(path, params = {}, { signal, cacheable = true } = {}) {
  const url = apiUrl(path, params);
  if (!cacheable) return fetchJson(url, signal);
  if (!cache.has(url)) {
    const p = fetchJson(url, signal);
    cache.set(url, p);
    p.catch(() => { if (cache.get(url) === p) cache.delete(url); });
  }
  return cache.get(url);
}

async function fetchJson(url, signal) {
  let res;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if (e && e.name === 'AbortError') throw new ApiError('abort', 0);
    throw new ApiError('network', 0, String(e && e.message));
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (body && body.ok === false) throw new ApiError('server', body.status || res.status, body.error || (body.errors || []).join('; '));
  if (!res.ok || !body || body.ok !== true) throw new ApiError('response', res.status);
  return { data: body.data, meta: body.meta || {} };
}
