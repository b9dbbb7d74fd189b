// Dev mock of the Leefbaar API (docs/api.md) plus the static routes of the real server:
//   /            -> web/dist/index.html
//   /assets/<f>  -> web/dist/<f>
//   /api/v1/...  -> answers from web/dev/fixtures/*.json (built by dev/make-fixtures.mjs), among them
//                   /api/v1/monitor (Drenthe; no neighbourhood level, no citizens' panel) and /api/v1/places
//                   (Drenthe's population centres); MOCK_NO_MONITOR=1 answers 404 to both, like a server
//                   from before these routes
// Usage: node dev/mock-server.mjs [PORT]   (default 8787; only node built-ins are used)
// Set MOCK_DELAY_MS to slow the API down and see the loading states; MOCK_FAIL=<regex> makes API paths
// matching it answer 500 (e.g. MOCK_FAIL=observations); any API request with ?fail=500 also gets a 500.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');
const fx = (name) => JSON.parse(fs.readFileSync(path.join(here, 'fixtures', name), 'utf8'));
const indicators = fx('indicators.json');
const observations = fx('observations.json');
const areas = fx('areas.json');
const boundaries = { municipality: fx('boundaries-municipality.json'), district: fx('boundaries-district.json') };
const monitor = fx('monitor.json');
const places = fx('places.json');
const noMonitor = process.env.MOCK_NO_MONITOR === '1';
const port = Number(process.argv[2] || process.env.PORT || 8787);
const delay = Number(process.env.MOCK_DELAY_MS || 0);
const failRe = process.env.MOCK_FAIL ? new RegExp(process.env.MOCK_FAIL) : null;
const META = { licence: 'CC BY 4.0', attribution: 'Bron: CBS; kaart: Kadaster / CBS, 2024' };
const LEVELS = ['country', 'province', 'municipality', 'district', 'neighbourhood'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json' };

class ApiError extends Error { constructor(status, msg) { super(msg); this.status = status; } }
const list = (v) => (v == null || v === '' ? null : v.split(',').map((s) => s.trim()).filter(Boolean));
function year(q, name) {
  const v = q.get(name);
  if (v == null) return null;
  if (!/^\d{4}$/.test(v) || +v < 1900 || +v > 2200) throw new ApiError(400, `parameter \`${name}\` must be a year between 1900 and 2200, found \`${v}\``);
  return +v;
}
function level(q, required) {
  const v = q.get('level');
  if (v == null) { if (required) throw new ApiError(400, `parameter \`level\` is required; one of ${LEVELS.join(', ')}`); return null; }
  if (!LEVELS.includes(v)) throw new ApiError(400, `parameter \`level\` must be one of ${LEVELS.join(', ')}, found \`${v}\``);
  return v;
}
const areaOf = (code) => areas.find((a) => a.code === code);
const parentOf = (code) => { const a = areaOf(code); return a && a.parent; };
function inParent(code, parent) { for (let p = parentOf(code); p; p = parentOf(p)) if (p === parent) return true; return false; }

function ok(res, data, extra = {}) {
  const body = JSON.stringify({ ok: true, data, meta: { ...META, count: Array.isArray(data) ? data.length : (data.features ? data.features.length : 1), ...extra } });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

function observationsFor(q) {
  const ids = list(q.get('indicator'));
  if (ids) for (const id of ids) if (!indicators.some((i) => i.id === id)) throw new ApiError(404, `unknown indicator \`${id}\``);
  const codes = list(q.get('area'));
  const lv = level(q, false);
  const parent = q.get('parent');
  const y = year(q, 'year'); const yf = year(q, 'year_from'); const yt = year(q, 'year_to');
  const limit = q.get('limit') ? Number(q.get('limit')) : 100000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100000) throw new ApiError(400, `parameter \`limit\` must be an integer 1..100000, found \`${q.get('limit')}\``);
  const fmt = q.get('format') || 'json';
  if (!['json', 'csv'].includes(fmt)) throw new ApiError(400, `parameter \`format\` must be one of json, csv, found \`${fmt}\``);
  const rows = observations.filter((o) => (!ids || ids.includes(o.indicator)) && (!codes || codes.includes(o.area))
    && (!lv || o.level === lv) && (!parent || inParent(o.area, parent))
    && (y == null || o.year === y) && (yf == null || o.year >= yf) && (yt == null || o.year <= yt)).slice(0, limit);
  return { rows, fmt };
}

function csvOf(rows) {
  const cols = ['area', 'area_name', 'level', 'year', 'indicator', 'value', 'missing', 'method', 'note', 'source_rows', 'parts'];
  const esc = (v) => { if (v == null) return ''; const s = String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  const line = (o) => cols.map((c) => esc(c === 'source_rows' ? o.source_rows.map((s) => `${s.source}:${s.line}`).join(';') : o[c])).join(',');
  return [cols.join(','), ...rows.map(line)].join('\n') + '\n';
}

function profile(code, q) {
  const area = areaOf(code);
  if (!area) throw new ApiError(404, `unknown area \`${code}\``);
  const ids = list(q.get('indicator')) || indicators.map((i) => i.id);
  for (const id of ids) if (!indicators.some((i) => i.id === id)) throw new ApiError(404, `unknown indicator \`${id}\``);
  const lang = q.get('lang');
  if (lang != null && !['nl', 'en'].includes(lang)) throw new ApiError(400, `parameter \`lang\` must be one of nl, en, found \`${lang}\``);
  const comps = [];
  if (area.level === 'district' || area.level === 'neighbourhood') comps.push(area.parent);
  if (area.level !== 'province' && area.level !== 'country') comps.push('PV22');
  if (area.level !== 'country') comps.push('NL01');
  const comparators = comps.map((c) => ({ code: c, name: areaOf(c).name }));
  const out = ids.map((id) => {
    const ind = indicators.find((i) => i.id === id);
    const mine = observations.filter((o) => o.indicator === id && o.area === code);
    const yrs = [...new Set([...ind.years, ...mine.map((o) => o.year)])].sort();
    const series = yrs.map((yr) => {
      const o = mine.find((x) => x.year === yr);
      const cv = {};
      for (const c of comps) { const x = observations.find((p) => p.indicator === id && p.area === c && p.year === yr); cv[c] = x ? x.value : null; }
      return { year: yr, value: o ? o.value : null, missing: o ? o.missing : 'not_collected', method: o ? o.method : null, comparators: cv };
    });
    return { id, name: ind.name, unit: ind.unit, decimals: ind.decimals, series };
  });
  return { area: { ...area }, comparators, indicators: out };
}

function api(res, url, method) {
  const q = url.searchParams;
  const p = url.pathname.replace(/\/+$/, '');
  if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, `method ${method} not allowed; use GET or HEAD`);
  if (q.get('fail') === '500' || (failRe && failRe.test(p))) throw new ApiError(500, 'internal server error');
  if (p === '/api/v1') return ok(res, { routes: ['/api/v1/areas', '/api/v1/boundaries', '/api/v1/indicators', '/api/v1/observations', '/api/v1/areas/{code}/profile', ...(noMonitor ? [] : ['/api/v1/monitor', '/api/v1/places'])] });
  if (!noMonitor && p === '/api/v1/monitor') return ok(res, monitor, { count: undefined });
  if (!noMonitor && p === '/api/v1/places') {
    const parent = q.get('parent');
    if (parent != null && !areaOf(parent)) throw new ApiError(404, `unknown area \`${parent}\``);
    // every place lies in one of the fixture's municipalities, all of them in PV22
    return ok(res, places.filter((x) => !parent || x.municipality === parent || inParent(x.municipality, parent)));
  }
  if (p === '/api/v1/indicators') { const th = q.get('theme'); return ok(res, indicators.filter((i) => !th || i.theme === th)); }
  let m = p.match(/^\/api\/v1\/indicators\/([^/]+)$/);
  if (m) { const i = indicators.find((x) => x.id === m[1]); if (!i) throw new ApiError(404, `unknown indicator \`${m[1]}\``); return ok(res, i); }
  if (p === '/api/v1/boundaries') {
    const lv = level(q, true); year(q, 'year');
    const fc = boundaries[lv] || { type: 'FeatureCollection', features: [] };
    const parent = q.get('parent');
    return ok(res, { type: 'FeatureCollection', features: fc.features.filter((f) => !parent || inParent(f.properties.code, parent)) });
  }
  if (p === '/api/v1/areas') {
    const lv = level(q, false); const parent = q.get('parent'); const codes = list(q.get('code')); year(q, 'year');
    return ok(res, areas.filter((a) => (!lv || a.level === lv) && (!parent || inParent(a.code, parent)) && (!codes || codes.includes(a.code))));
  }
  m = p.match(/^\/api\/v1\/areas\/([^/]+)\/profile$/);
  if (m) return ok(res, profile(decodeURIComponent(m[1]), q));
  m = p.match(/^\/api\/v1\/areas\/([^/]+)$/);
  if (m) {
    const a = areaOf(decodeURIComponent(m[1])); if (!a) throw new ApiError(404, `unknown area \`${m[1]}\``);
    const chain = []; for (let c = a.parent; c; c = parentOf(c)) chain.push(areaOf(c));
    return ok(res, { ...a, parents: chain, children: areas.filter((x) => x.parent === a.code).length });
  }
  if (p === '/api/v1/observations') {
    const { rows, fmt } = observationsFor(q);
    if (fmt === 'csv') {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="observations.csv"' });
      return res.end(csvOf(rows));
    }
    return ok(res, rows);
  }
  throw new ApiError(404, `no route ${p}`);
}

function serveFile(res, file, method) {
  const rel = path.normalize(file).replace(/^(\.\.[/\\])+/, '');
  const full = path.join(dist, rel);
  if (!full.startsWith(dist) || !fs.existsSync(full) || !fs.statSync(full).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }); return res.end('not found');
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(full)] || 'application/octet-stream', 'cache-control': 'no-cache' });
  if (method === 'HEAD') return res.end();
  fs.createReadStream(full).pipe(res);
}

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const done = () => {
    try {
      if (url.pathname === '/api/v1' || url.pathname.startsWith('/api/v1/')) return api(res, url, req.method);
      if (url.pathname === '/') return serveFile(res, 'index.html', req.method);
      if (url.pathname.startsWith('/assets/')) return serveFile(res, url.pathname.slice('/assets/'.length), req.method);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }); res.end('not found');
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 500;
      if (!(e instanceof ApiError)) console.error(e);
      const msg = e instanceof ApiError ? e.message : 'internal server error';
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: false, error: msg, errors: [msg], status }));
    }
  };
  if (delay && url.pathname.startsWith('/api/')) setTimeout(done, delay); else done();
}).listen(port, '127.0.0.1', () => console.log(`mock Leefbaar API on http://127.0.0.1:${port}/`));
