// View "Zorg": the hospital landscape of the north as scenarios in minutes (GET /api/v1/care/hospitals and
// /api/v1/care/hospitals/scenario). Tick one or more hospitals to close them: who would be beyond 30 and 45
// minutes by car and beyond 45 minutes from the emergency call, per municipality (table) and where (the
// postcode areas that fall back to another hospital, on the map); with nothing ticked, the sensitive
// hospitals. The times are approximate (straight line, no road network), and the page says so first.
// URL: ?view=zorg[&lang=en][&close=ZH73,ZH72]
import L from 'leaflet';
import { getJson, ApiError } from '../api.js';
import { formatNumber } from '../format.js';
import { h } from '../dom.js';

const $ = (id) => document.getElementById(id);

class ZorgView {
  constructor(ctx) {
    this.ctx = ctx;
    this.state = { close: [] };
    this.active = false;
    this.data = null;
    this.scenario = null;
    this.token = 0;
    this.built = false;
    this.map = null;
    this.layers = null;
  }

  get t() { return this.ctx.t; }

  read(q) {
    this.state.close = (q.get('close') || '').split(',').map((s) => s.trim()).filter(Boolean);
  }

  query(over = {}) {
    const s = { ...this.state, ...over };
    const q = new URLSearchParams();
    if (s.close && s.close.length) q.set('close', s.close.join(','));
    return q;
  }

  fmt(n) { return formatNumber(n, this.t.lang, 0); }

  thresholdLabel(row) {
    return this.t(row.measure === 'car' ? 'careBeyondCar' : 'careBeyondCall', { minutes: row.minutes });
  }

  // ---------------------------------------------------------------- DOM
  build() {
    $('care-view').replaceChildren(
      h('h2', { id: 'care-h', tabindex: '-1' }),
      h('div', { class: 'synthetic-notice care-notice', id: 'care-notice' }),
      h('div', { class: 'care-grid' },
        h('form', { id: 'care-form', class: 'controls-form care-form' },
          h('fieldset', { class: 'field' },
            h('legend', { id: 'care-legend' }),
            h('p', { class: 'hint', id: 'care-hint' }),
            h('div', { class: 'checks', id: 'care-hospitals' })),
          h('button', { type: 'button', class: 'btn', id: 'care-reset' })),
        h('div', { class: 'care-map-box' },
          h('div', { id: 'care-map', class: 'care-map', role: 'group' }),
          h('p', { class: 'hint', id: 'care-map-key' }))),
      h('div', { id: 'care-status', class: 'status', role: 'status', 'aria-live': 'polite' }),
      h('div', { id: 'care-body' }),
    );
    $('care-reset').addEventListener('click', () => {
      this.state.close = [];
      this.afterChange();
    });
    this.built = true;
  }

  applyLang() {
    const t = this.t;
    $('care-h').textContent = t('careHeading');
    $('care-notice').replaceChildren(
      h('p', {}, h('strong', {}, t('careApproxTitle'))),
      h('p', {}, t('careApproxText')));
    $('care-legend').textContent = t('careCloseLegend');
    $('care-hint').textContent = t('careCloseHint');
    $('care-reset').textContent = t('careReset');
    $('care-map').setAttribute('aria-label', t('careMapLabel'));
    $('care-map-key').textContent = t('careMapKey');
  }

  async activate() {
    this.active = true;
    if (!this.built) this.build();
    $('care-view').hidden = false;
    this.applyLang();
    if (!this.data) {
      try {
        const body = await getJson('/care/hospitals');
        this.data = body.data;
      } catch (e) {
        if (!this.active) return;
        if (e instanceof ApiError && e.status === 404) {
          $('care-form').hidden = true;
          $('care-body').replaceChildren(h('p', { class: 'hint' }, this.t('careNone')));
          return;
        }
        this.ctx.showError(e, () => this.activate());
        return;
      }
    }
    if (!this.active) return;
    const known = new Set(this.data.hospitals.map((x) => x.id));
    this.state.close = this.state.close.filter((id) => known.has(id));
    this.ctx.writeUrl('replaceState');
    this.renderControls();
    this.ensureMap();
    // The section was hidden while another view was shown: Leaflet measures its box again.
    this.map.invalidateSize();
    await this.load();
  }

  deactivate() {
    this.active = false;
    this.token++;
    $('care-view').hidden = true;
  }

  refresh() {
    if (!this.data) { this.activate(); return; }
    this.applyLang();
    this.renderControls();
    this.render();
  }

  afterChange() {
    this.ctx.writeUrl('pushState');
    this.renderControls();
    this.load();
  }

  /** The hospitals one can close: those nearest for someone in the north, most sensitive first. */
  renderControls() {
    const t = this.t;
    const closed = new Set(this.state.close);
    const rows = this.data.sensitive.map((s) => {
      const id = `care-close-${s.id}`;
      return h('span', { class: 'check' },
        h('input', {
          type: 'checkbox', id, value: s.id, checked: closed.has(s.id),
          onchange: (e) => {
            const set = new Set(this.state.close);
            if (e.target.checked) set.add(s.id); else set.delete(s.id);
            this.state.close = [...set].sort();
            this.afterChange();
          },
        }),
        h('label', { for: id }, s.name, s.sensitive ? ` (${t('careSensitiveShort')})` : ''));
    });
    $('care-hospitals').replaceChildren(...rows);
    $('care-reset').disabled = !this.state.close.length;
  }

  async load() {
    const token = ++this.token;
    $('care-status').textContent = this.t('careLoading');
    try {
      const body = await getJson('/care/hospitals/scenario', { close: this.state.close.join(',') });
      if (token !== this.token || !this.active) return;
      this.scenario = body.data;
    } catch (e) {
      if (token !== this.token || !this.active) return;
      $('care-status').textContent = '';
      this.ctx.showError(e, () => this.load());
      return;
    }
    this.render();
  }

  ensureMap() {
    if (this.map) return;
    this.map = L.map($('care-map'), {
      zoomControl: true, attributionControl: false, scrollWheelZoom: false, keyboard: true,
      minZoom: 6, maxZoom: 12, zoomSnap: 0.25,
    });
    // The north's population points give the box; the hospitals around it stay in view.
    this.map.fitBounds([[52.1, 4.8], [53.6, 7.3]]);
    this.layers = L.layerGroup().addTo(this.map);
  }

  renderMap() {
    if (!this.map) return;
    this.layers.clearLayers();
    const closed = new Set(this.state.close);
    const relevant = new Set(this.data.sensitive.map((s) => s.id));
    for (const f of this.scenario ? this.scenario.fallbacks : []) {
      const call = f.call_min_after == null || f.call_min_after > 45;
      L.circleMarker([f.lat, f.lon], {
        radius: Math.max(3, Math.min(12, Math.sqrt(f.persons) / 12)),
        color: '#333333', weight: 1, fillColor: call ? '#b2182b' : '#f4a582', fillOpacity: 0.8,
        className: 'care-fallback', interactive: false,
      }).addTo(this.layers);
    }
    for (const x of this.data.hospitals.filter((x) => relevant.has(x.id))) {
      const isClosed = closed.has(x.id);
      L.circleMarker([x.lat, x.lon], {
        radius: 8, color: '#000000', weight: 2,
        fillColor: isClosed ? '#bdbdbd' : '#2166ac', fillOpacity: 1, interactive: false,
      }).addTo(this.layers);
    }
  }

  /** A table of areas: persons and, per threshold, baseline → scenario (+ newly beyond) with 75+. */
  areaTable(caption, areas, id) {
    const t = this.t;
    const thresholds = areas.length ? areas[0].thresholds : [];
    const head = h('tr', {},
      h('th', { scope: 'col' }, t('careArea')),
      h('th', { scope: 'col', class: 'num' }, t('carePersons')),
      ...thresholds.map((row) => h('th', { scope: 'col', class: 'num' }, this.thresholdLabel(row))));
    const body = areas.map((a) => h('tr', {},
      h('th', { scope: 'row' }, a.code ? a.name : t('careTotal')),
      h('td', { class: 'num' }, this.fmt(a.persons)),
      ...a.thresholds.map((row) => h('td', { class: 'num' },
        t('careCell', {
          before: this.fmt(row.baseline.persons), after: this.fmt(row.scenario.persons),
          diff: this.fmt(row.difference.persons), old: this.fmt(row.difference.persons_75_plus),
        })))));
    return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': `${id}-caption` },
      h('table', { class: 'data-table', id },
        h('caption', { id: `${id}-caption` }, caption), h('thead', {}, head), h('tbody', {}, ...body)));
  }

  sensitiveTable() {
    const t = this.t;
    const rows = this.data.sensitive;
    const extras = rows.length ? rows[0].extra : [];
    return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'care-sensitive-caption' },
      h('table', { class: 'data-table', id: 'care-sensitive' },
        h('caption', { id: 'care-sensitive-caption' }, t('careSensitiveCaption')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('careHospital')),
          h('th', { scope: 'col', class: 'num' }, t('careCatchment')),
          ...extras.map((e) => h('th', { scope: 'col', class: 'num' }, t('careExtra', { what: this.thresholdLabel(e) }))),
          h('th', { scope: 'col' }, t('careSensitive')))),
        h('tbody', {}, ...rows.map((r) => h('tr', {},
          h('th', { scope: 'row' }, r.name),
          h('td', { class: 'num' }, this.fmt(r.catchment.persons)),
          ...r.extra.map((e) => h('td', { class: 'num' }, t('careExtraCell', { n: this.fmt(e.persons), old: this.fmt(e.persons_75_plus) }))),
          h('td', {}, r.sensitive ? t('yes') : t('no')))))));
  }

  render() {
    if (!this.scenario || !this.data) return;
    const t = this.t;
    const s = this.scenario;
    const names = new Map(this.data.hospitals.map((x) => [x.id, x.name]));
    const changed = s.municipalities.filter((m) => m.thresholds.some((row) => row.difference.persons > 0));
    const parts = [];
    if (!s.closed.length) {
      parts.push(h('p', {}, t('careNothingClosed')), this.sensitiveTable());
    } else {
      parts.push(h('p', {}, t('careClosed', { list: s.closed.map((id) => names.get(id) || id).join(', ') })));
      parts.push(this.areaTable(t('careTotalsCaption'), [s.total, ...s.provinces], 'care-totals'));
      parts.push(changed.length
        ? this.areaTable(t('careMunicipalitiesCaption', { n: changed.length }), changed, 'care-municipalities')
        : h('p', {}, t('careNoChange')));
      parts.push(h('p', { class: 'hint' }, t('careFallbacks', {
        n: this.fmt(s.fallbacks.length),
        persons: this.fmt(s.fallbacks.reduce((sum, f) => sum + f.persons, 0)),
      })));
    }
    parts.push(h('p', { class: 'hint' }, t('careMethod', {
      dispatch: this.data.parameters.dispatch_min, scene: this.data.parameters.on_scene_min,
    })));
    $('care-body').replaceChildren(...parts);
    $('care-status').textContent = s.closed.length
      ? t('careShown', { n: s.closed.length, m: changed.length })
      : t('careShownNone');
    this.renderMap();
  }
}

export default {
  id: 'zorg',
  name: { nl: 'Zorg', en: 'Care' },
  map: false,
  heading: 'care-h',
  create: (ctx) => new ZorgView(ctx),
};
