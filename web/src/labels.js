// Place names on the map (there is no base map): municipality names at a point inside each municipality
// (the pole of inaccessibility of its largest polygon) and town names from /api/v1/places. The labels are
// decoration for sighted users: their pane is aria-hidden and lets every pointer event through, and no
// label can take focus. They thin out when zoomed out (towns by population) and never overlap.
import L from 'leaflet';

// ---------------------------------------------------------------- pole of inaccessibility
// The point inside a polygon farthest from its edges (the "polylabel" algorithm of Mapbox, ISC licence,
// re-implemented): a grid of cells refined best-first until no cell can improve by more than `precision`.
// Coordinates are [x, y]; callers scale longitude by cos(latitude) so distances are about isotropic.

function pointToSegmentDist2(px, py, a, b) {
  let [x, y] = a;
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) { [x, y] = b; } else if (t > 0) { x += dx * t; y += dy * t; }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/** Signed distance from (x, y) to the polygon's outline: positive inside, negative outside. */
function signedDist(x, y, rings) {
  let inside = false;
  let min = Infinity;
  for (const ring of rings) {
    for (let i = 0, len = ring.length, j = len - 1; i < len; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if ((a[1] > y) !== (b[1] > y) && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
      min = Math.min(min, pointToSegmentDist2(x, y, a, b));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(min);
}

function cell(x, y, h, rings) {
  const d = signedDist(x, y, rings);
  return { x, y, h, d, max: d + h * Math.SQRT2 };
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[i][1] + ring[j][1]);
  return Math.abs(a) / 2;
}

function centroidCell(rings) {
  const ring = rings[0];
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    const f = a[0] * b[1] - b[0] * a[1];
    x += (a[0] + b[0]) * f;
    y += (a[1] + b[1]) * f;
    area += f * 3;
  }
  return area === 0 ? cell(ring[0][0], ring[0][1], 0, rings) : cell(x / area, y / area, 0, rings);
}

/** A max-heap of cells by `max` (the best distance a cell could still hold). */
class CellQueue {
  constructor() { this.a = []; }
  get length() { return this.a.length; }
  push(c) {
    const a = this.a;
    a.push(c);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p].max >= a[i].max) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].max > a[m].max) m = l;
        if (r < a.length && a[r].max > a[m].max) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * The pole of inaccessibility of a polygon given as rings of [x, y] (first ring outer), to within
 * `precision` (default: 1 % of the polygon's smaller extent, plenty for placing a name).
 */
export function polylabel(rings, precision) {
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (const [x, y] of rings[0]) {
    if (x < minX) minX = x; if (y < minY) minY = y; if (x > maxX) maxX = x; if (y > maxY) maxY = y;
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const size = Math.min(width, height);
  if (size === 0) return [minX, minY];
  const eps = precision ?? size / 100;
  let h = size / 2;
  const queue = new CellQueue();
  for (let x = minX; x < maxX; x += size) for (let y = minY; y < maxY; y += size) queue.push(cell(x + h, y + h, h, rings));
  let best = centroidCell(rings);
  const boxCell = cell(minX + width / 2, minY + height / 2, 0, rings);
  if (boxCell.d > best.d) best = boxCell;
  let guard = 0;
  while (queue.length && guard++ < 20000) {
    // best-first: the cell that could hold the farthest point
    const c = queue.pop();
    if (c.d > best.d) best = c;
    if (c.max - best.d <= eps) continue;
    h = c.h / 2;
    queue.push(cell(c.x - h, c.y - h, h, rings), cell(c.x + h, c.y - h, h, rings), cell(c.x - h, c.y + h, h, rings), cell(c.x + h, c.y + h, h, rings));
  }
  return [best.x, best.y];
}

/**
 * A label point [lon, lat] for a GeoJSON Polygon or MultiPolygon: the pole of inaccessibility of its
 * largest polygon, so the name sits well inside the area (not at the centre of its bounding box, which
 * may lie outside it), or null for other geometries.
 */
export function labelPoint(geometry) {
  if (!geometry) return null;
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let best = null;
  let bestArea = -1;
  for (const rings of polys) {
    if (!rings.length || rings[0].length < 3) continue;
    const a = ringArea(rings[0]);
    if (a > bestArea) { bestArea = a; best = rings; }
  }
  if (!best) return null;
  const lat0 = best[0].reduce((s, p) => s + p[1], 0) / best[0].length;
  const k = Math.cos((lat0 * Math.PI) / 180) || 1;
  const scaled = best.map((ring) => ring.map(([x, y]) => [x * k, y]));
  const [x, y] = polylabel(scaled);
  return [x / k, y];
}

// ---------------------------------------------------------------- the label layer
// Towns shown at a zoom level: only the larger ones when zoomed out.
export function minPopulation(zoom) {
  if (zoom < 8.6) return 40000;
  if (zoom < 9.4) return 10000;
  if (zoom < 10.2) return 4000;
  if (zoom < 11) return 1500;
  return 0;
}

const FONT_PX = 12;
const CHAR_EM = 0.58; // a rough mean glyph width of the UI font, in ems

/**
 * Leaflet layer drawing municipality and town names in the `labels` pane. Call `setMunicipalities` and
 * `setTowns` with {name, lon, lat[, population]} lists; it redraws on zoom, pan and resize.
 */
export const LabelLayer = L.Layer.extend({
  initialize(options) {
    L.setOptions(this, options);
    this.municipalities = [];
    this.towns = [];
  },

  onAdd(map) {
    this.box = L.DomUtil.create('div', 'lb-labels');
    this.box.setAttribute('aria-hidden', 'true');
    this.getPane().appendChild(this.box);
    this.update();
  },

  onRemove() {
    L.DomUtil.remove(this.box);
    this.box = null;
  },

  getEvents() {
    return {
      zoomstart: () => { if (this.box) this.box.style.visibility = 'hidden'; },
      zoomend: () => this.update(),
      moveend: () => this.update(),
      viewreset: () => this.update(),
      resize: () => this.update(),
    };
  },

  setMunicipalities(list) { this.municipalities = list || []; this.update(); },
  setTowns(list) { this.towns = (list || []).slice().sort((a, b) => (b.population || 0) - (a.population || 0)); this.update(); },

  /** The names drawn now (for tests and screenshots): [{name, kind}]. */
  shown() { return this.placed || []; },

  update() {
    const map = this._map;
    if (!map || !this.box) return;
    this.box.style.visibility = '';
    this.box.replaceChildren();
    const size = map.getSize();
    const zoom = map.getZoom();
    const taken = [];
    const overlaps = (r) => taken.some((o) => r.x0 < o.x1 && r.x1 > o.x0 && r.y0 < o.y1 && r.y1 > o.y0);
    const minPop = minPopulation(zoom);
    const candidates = [
      ...this.municipalities.map((m) => ({ ...m, kind: 'municipality' })),
      ...this.towns.filter((p) => (p.population || 0) >= minPop).map((p) => ({ ...p, kind: 'town' })),
    ];
    this.placed = [];
    for (const c of candidates) {
      const pt = map.latLngToContainerPoint([c.lat, c.lon]);
      if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) continue;
      const text = c.kind === 'municipality' ? c.name.toUpperCase() : c.name;
      const w = text.length * FONT_PX * (c.kind === 'municipality' ? CHAR_EM + 0.08 : CHAR_EM) + 6;
      const hgt = FONT_PX + 6;
      // municipalities centred on their point; towns to the right of their dot
      const r = c.kind === 'municipality'
        ? { x0: pt.x - w / 2, x1: pt.x + w / 2, y0: pt.y - hgt / 2, y1: pt.y + hgt / 2 }
        : { x0: pt.x - 4, x1: pt.x + 6 + w, y0: pt.y - hgt / 2, y1: pt.y + hgt / 2 };
      if (r.x0 < 0 || r.x1 > size.x || r.y0 < 0 || r.y1 > size.y || overlaps(r)) continue;
      taken.push(r);
      const el = L.DomUtil.create('div', `lb-label lb-label-${c.kind}`, this.box);
      L.DomUtil.create('span', '', el).textContent = c.name;
      L.DomUtil.setPosition(el, map.containerPointToLayerPoint(pt));
      this.placed.push({ name: c.name, kind: c.kind });
    }
    this.box.dataset.count = String(this.placed.length);
  },
});
