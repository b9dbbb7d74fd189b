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

export async function getJson(path, params = {}, { signal, cacheable = true } = {}) {
  const url = apiUrl(path, params);
  if (cacheable && cache.has(url)) return cache.get(url);
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
  const result = { data: body.data, meta: body.meta || {} };
  if (cacheable) cache.set(url, result);
  return result;
}
