// What the server monitors: GET /api/v1/monitor (the bundle's province with its code, name and bounding
// box, the area levels it has data for, and the monitors it offers). A server without the route (404)
// gets today's defaults: Drenthe (PV22), the levels such servers had (municipalities, districts,
// neighbourhoods; postcode areas came with the route), and the three monitors this dashboard has views for.
import { getJson } from './api.js';

// The map's levels, coarse to fine; postcode areas (PC4, under their municipality) last.
export const LEVELS = ['municipality', 'district', 'neighbourhood', 'postcode'];
const FALLBACK_LEVELS = ['municipality', 'district', 'neighbourhood'];

/** Drenthe, as the dashboard hard-coded it before the server said so. bbox: [west, south, east, north]. */
export const FALLBACK_MONITOR = Object.freeze({
  fallback: true,
  bundle: { id: 'drenthe', name: 'Drenthe', version: null },
  province: { code: 'PV22', name: 'Drenthe', bbox: [6.1, 52.6, 7.1, 53.2] },
  levels: FALLBACK_LEVELS.slice(),
  monitors: [
    { id: 'leefbaarheid', available: true },
    { id: 'bereikbaarheid', available: true },
    { id: 'burgerpanel', available: true },
  ],
});

// Facility markers are drawn within the province's box plus this margin (degrees): the facilities its
// inhabitants reach first, a few in the neighbouring provinces among them, without the whole country's
// markers (and Tab stops).
const MARGIN = { lon: 0.25, lat: 0.2 };

const validBbox = (b) => Array.isArray(b) && b.length === 4 && b.every((x) => typeof x === 'number' && Number.isFinite(x))
  && b[0] < b[2] && b[1] < b[3];

function normalise(data) {
  const fb = FALLBACK_MONITOR;
  const p = (data && data.province) || {};
  const code = typeof p.code === 'string' && p.code ? p.code : fb.province.code;
  const province = {
    code,
    name: typeof p.name === 'string' && p.name ? p.name : (code === fb.province.code ? fb.province.name : code),
    bbox: validBbox(p.bbox) ? p.bbox.slice() : fb.province.bbox.slice(),
  };
  const levels = Array.isArray(data && data.levels) ? LEVELS.filter((l) => data.levels.includes(l)) : FALLBACK_LEVELS.slice();
  const monitors = Array.isArray(data && data.monitors)
    ? data.monitors.filter((m) => m && typeof m.id === 'string')
    : fb.monitors.map((m) => ({ ...m }));
  return {
    fallback: !!(data && data.fallback),
    bundle: (data && data.bundle) || fb.bundle,
    province,
    levels: levels.length ? levels : ['municipality'],
    monitors,
  };
}

/** The monitor description; never rejects (any failure gives the fallback, which says `fallback: true`). */
export async function loadMonitor() {
  try {
    const { data } = await getJson('/monitor');
    return normalise(data);
  } catch {
    return normalise(FALLBACK_MONITOR);
  }
}

/** The monitor entry of a view id, or null. */
export function monitorEntry(monitor, id) {
  return monitor.monitors.find((m) => m.id === id) || null;
}

/** [west, south, east, north] of the box in which facility markers are drawn. */
export function markerBox(province) {
  const [w, s, e, n] = province.bbox;
  return [w - MARGIN.lon, s - MARGIN.lat, e + MARGIN.lon, n + MARGIN.lat];
}

export const inBox = (box, [lon, lat]) => lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
