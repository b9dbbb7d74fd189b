// View "Bereikbaarheid": the reach indicators (distance to the nearest facility of a kind) on the shared
// map, the facility layer (circle markers in and around the province) and the closure scenario (choose a
// facility, "close" it: which areas' mean distance changes, computed on request and never stored).
// URL: ?view=bereikbaarheid[&lang=en]&indicator=ID&year=Y&level=L[&area=CODE][&classes=jenks][&facilities=K,K]
// (the scenario is not in the URL: nothing of it is stored).
import { readMapParams, writeMapParams } from '../atlas.js';
import { getJson, ApiError } from '../api.js';
import { formatNumber } from '../format.js';
import { monitorEntry, markerBox, inBox } from '../monitor.js';
import { h, clear } from '../dom.js';

const $ = (id) => document.getElementById(id);
// Facility kinds of /api/v1/facilities (docs/api.md), when /api/v1/monitor does not list them.
const DEFAULT_KINDS = ['primary_school', 'secondary_school', 'havo_vwo_school', 'hospital', 'ambulance_post'];
// Marker colour (black outline) and radius per kind; kinds this list lacks take the spare colours.
const FACILITY_STYLE = {
  primary_school: { color: '#ff7f00', radius: 5 },
  secondary_school: { color: '#984ea3', radius: 6 },
  havo_vwo_school: { color: '#f781bf', radius: 6 },
  hospital: { color: '#e41a1c', radius: 8 },
  ambulance_post: { color: '#ffffff', radius: 7 },
};
const SPARE = ['#4daf4a', '#ffff33', '#a65628', '#999999', '#377eb8'];
const isReach = (ind) => ind.theme === 'reach' || /^reach_/.test(ind.id);

class BereikbaarheidView {
  constructor(ctx) {
    this.ctx = ctx;
    const entry = monitorEntry(ctx.monitor, 'bereikbaarheid') || {};
    this.entry = entry;
    const listed = Array.isArray(entry.kinds) ? entry.kinds.filter((k) => k && typeof k.id === 'string') : [];
    this.kinds = listed.length ? listed.map((k) => k.id) : DEFAULT_KINDS.slice();
    this.kindNames = new Map(listed.filter((k) => k.name).map((k) => [k.id, k.name]));
    this.styles = new Map(this.kinds.map((k, i) => [k, FACILITY_STYLE[k] || { color: SPARE[i % SPARE.length], radius: 6 }]));
    this.box = markerBox(ctx.monitor.province);
    this.state = { indicator: null, year: null, level: 'municipality', area: null, mode: 'value', classes: 'quantile', facilities: [] };
    this.active = false;
    this.available = true; // false once /api/v1/facilities answered 404
    this.facilityToken = 0;
    this.scenario = { facility: null, origin: null, result: null, meta: null, level: null, busy: false, error: null, token: 0 };
    this.config = {
      id: 'bereikbaarheid',
      // the reach indicators; a catalogue without them offers the other proximity indicators
      select: (all) => {
        const reach = all.filter(isReach);
        if (reach.length) return reach;
        const near = all.filter((i) => i.theme === 'proximity');
        return near.length ? near : all;
      },
      defaultIndicator: (list) => {
        const first = this.state.facilities[0] || this.kinds[0];
        const own = list.find((i) => i.id === `reach_distance_${first}`) || list.find((i) => i.id.includes(first));
        return (own || list[0]).id;
      },
      deviation: false,
      citationQuery: () => this.ctx.queryFor('bereikbaarheid', this.query({ area: null, facilities: [] })),
      onLevelChange: () => { if (this.scenario.result) this.runScenario(); else this.renderScenario(); },
    };
  }

  get t() { return this.ctx.t; }
  get atlas() { return this.ctx.atlas(); }
  scenarioLevel() { return this.state.level === 'municipality' ? 'municipality' : 'district'; } // /reach/scenario has no neighbourhoods
  kindLabel(kind) {
    const own = this.kindNames.get(kind);
    if (own) { const name = this.t.loc(own); return name.charAt(0).toUpperCase() + name.slice(1); }
    const key = `fac_${kind}`;
    const s = this.t(key);
    return s === key ? kind.replace(/_/g, ' ') : s;
  }

  read(q) {
    readMapParams(q, this.state);
    this.state.mode = 'value';
    const fac = new Set((q.get('facilities') || '').split(',').map((k) => k.trim()));
    this.state.facilities = this.kinds.filter((k) => fac.has(k));
  }

  query(over = {}) {
    const s = { ...this.state, ...over };
    const q = new URLSearchParams();
    writeMapParams(q, s, { mode: false });
    if (s.facilities && s.facilities.length) q.set('facilities', s.facilities.join(','));
    return q;
  }

  async activate() {
    this.active = true;
    $('search-box').hidden = true;
    $('compare-section').hidden = true;
    $('facilities-fieldset').hidden = false;
    this.applyLang();
    this.renderFacilityControls();
    const ok = await this.atlas.attach(this.config, this.state);
    if (!ok || !this.active) return;
    this.loadFacilities({ announce: false });
  }

  deactivate() {
    this.active = false;
    this.facilityToken++;
    if (this.scenario.facility) this.clearScenario({ restoreFocus: false });
    this.atlas.mapView.renderFacilities([], {});
    $('facilities-fieldset').hidden = true;
    $('facility-status').textContent = '';
  }

  applyLang() {
    $('facilities-legend').textContent = this.t('facilitiesLegend');
  }

  refresh() {
    this.applyLang();
    this.atlas.applyLang();
    this.renderFacilityControls();
    this.loadFacilities({ announce: false });
    if (this.scenario.facility && this.scenario.result && this.scenario.level !== this.scenarioLevel()) this.runScenario();
    else this.renderScenario();
    this.atlas.rerender();
  }

  // ---------------------------------------------------------------- facility layer
  renderFacilityControls() {
    const t = this.t;
    $('facility-kinds').replaceChildren(...this.kinds.map((k) => h('span', { class: 'check' },
      h('input', { type: 'checkbox', id: `fac-${k}`, name: 'facilities', value: k, checked: this.state.facilities.includes(k), disabled: !this.available,
        onchange: (e) => {
          const on = new Set(this.state.facilities);
          if (e.target.checked) on.add(k); else on.delete(k);
          this.state.facilities = this.kinds.filter((x) => on.has(x));
          this.ctx.writeUrl('pushState');
          this.loadFacilities();
        } }),
      h('label', { for: `fac-${k}` }, h('span', { class: 'fac-dot', style: `background:${this.styles.get(k).color}`, 'aria-hidden': 'true' }), this.kindLabel(k)))));
    const hint = $('facilities-hint');
    hint.hidden = this.available;
    hint.textContent = this.available ? '' : t('facilitiesUnavailable');
  }

  async loadFacilities({ announce = true } = {}) {
    const t = this.t;
    const token = ++this.facilityToken;
    const kinds = this.state.facilities.slice();
    const status = $('facility-status');
    const mapView = this.atlas.mapView;
    if (!kinds.length) {
      mapView.renderFacilities([], {});
      if (this.scenario.facility) this.clearScenario({ restoreFocus: false });
      status.textContent = announce ? t('facilitiesNone') : '';
      return;
    }
    status.textContent = t('facilitiesLoading');
    try {
      const answers = await Promise.all(kinds.map((kind) => getJson('/facilities', { kind })));
      if (token !== this.facilityToken) return;
      const features = answers.flatMap((a) => (a.data && Array.isArray(a.data.features) ? a.data.features : []))
        .filter((f) => f.geometry && Array.isArray(f.geometry.coordinates) && inBox(this.box, f.geometry.coordinates))
        .sort((x, y) => String(x.properties.name).localeCompare(String(y.properties.name), 'nl'));
      if (this.scenario.facility && !kinds.includes(this.scenario.facility.properties.kind)) this.clearScenario({ restoreFocus: false });
      mapView.renderFacilities(features, {
        styleOf: (kind) => this.styles.get(kind) || { color: '#ffffff', radius: 6 },
        labelOf: (f) => t('facilityLabel', { name: f.properties.name, kind: this.kindLabel(f.properties.kind) }),
        tooltipOf: (f) => {
          const tip = document.createElement('div');
          tip.append(h('strong', {}, f.properties.name), h('br'), this.kindLabel(f.properties.kind));
          return tip;
        },
        onActivate: (f, el) => this.selectFacility(f, el),
        selected: this.scenario.facility ? this.scenario.facility.properties.id : null,
      });
      status.textContent = announce ? t('facilitiesShown', { n: features.length, kinds: kinds.map((k) => this.kindLabel(k)).join(', ') }) : '';
    } catch (e) {
      if (token !== this.facilityToken) return;
      if (e instanceof ApiError && e.status === 404) {
        this.available = false;
        this.state.facilities = [];
        this.ctx.writeUrl('replaceState');
        this.renderFacilityControls();
        status.textContent = '';
        return;
      }
      status.textContent = this.ctx.errorMessage(e);
    }
  }

  // ---------------------------------------------------------------- closure scenario
  selectFacility(f, el) {
    const sc = this.scenario;
    sc.token++;
    Object.assign(sc, { facility: f, origin: el || null, result: null, meta: null, error: null, busy: false });
    this.atlas.mapView.markFacility(f.properties.id);
    this.renderScenario();
    const head = $('scenario-h');
    if (head) head.focus();
  }

  clearScenario({ restoreFocus = true } = {}) {
    const sc = this.scenario;
    const id = sc.facility && sc.facility.properties.id;
    const origin = sc.origin;
    sc.token++;
    Object.assign(sc, { facility: null, origin: null, result: null, meta: null, level: null, busy: false, error: null });
    this.atlas.mapView.markFacility(null);
    this.renderScenario();
    if (!restoreFocus) return;
    const target = (origin && document.contains(origin) && origin) || (id && this.atlas.mapView.facilityElement(id)) || $(`fac-${this.state.facilities[0] || this.kinds[0]}`);
    if (target) target.focus();
  }

  async runScenario() {
    const sc = this.scenario;
    const f = sc.facility;
    if (!f) return;
    const t = this.t;
    const token = ++sc.token;
    const level = this.scenarioLevel();
    sc.busy = true;
    sc.error = null;
    this.renderScenario();
    this.ctx.setStatus(t('scenarioComputing'));
    try {
      const { data, meta } = await getJson('/reach/scenario', { kind: f.properties.kind, close: f.properties.id, level }, { cacheable: false });
      if (token !== sc.token) return;
      Object.assign(sc, { result: data, meta, level, busy: false });
      this.renderScenario();
      this.ctx.setStatus(t('scenarioDone', { n: changedAreas(data).length }));
    } catch (e) {
      if (token !== sc.token) return;
      Object.assign(sc, { result: null, meta: null, busy: false, error: this.ctx.errorMessage(e) });
      this.renderScenario();
      this.ctx.setStatus('');
    }
  }

  renderScenario() {
    const t = this.t;
    const sc = this.scenario;
    const el = $('scenario');
    const f = sc.facility;
    if (!f) { el.hidden = true; clear(el); return; }
    el.hidden = false;
    const lang = t.lang;
    const name = f.properties.name;
    const kind = this.kindLabel(f.properties.kind);
    const km = (v, signed = false) => {
      const n = formatNumber(v, lang, 2);
      return signed && v > 0 ? `+${n}` : n;
    };
    const parts = [
      h('h2', { id: 'scenario-h', tabindex: '-1' }, t('scenarioHeading', { name })),
      h('p', {}, t('scenarioIntro', { kind, kindLower: kind.toLowerCase(), level: this.atlas.levelWord(this.scenarioLevel()) })),
      h('p', { class: 'note unsaved' }, t('scenarioUnsaved')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', id: 'scenario-close', 'aria-disabled': sc.busy ? 'true' : 'false',
          onclick: () => { if (!sc.busy) this.runScenario(); } }, t('scenarioClose')),
        h('button', { type: 'button', class: 'btn', id: 'scenario-reset', onclick: () => this.clearScenario() }, t('scenarioReset'))),
    ];
    const res = h('div', { id: 'scenario-result' });
    if (sc.busy) res.append(h('p', { class: 'loading' }, t('scenarioComputing')));
    else if (sc.error) res.append(h('p', { class: 'error-box' }, sc.error));
    else if (sc.result) {
      const data = sc.result;
      const meta = sc.meta || {};
      const note = meta.note || data.note || '';
      const changed = changedAreas(data);
      const thresholds = [...new Set(changed.flatMap((a) => (a.persons_newly_beyond || []).map((p) => p.km)))].sort((a, b) => a - b);
      res.append(
        h('p', { class: 'note' }, t('scenarioTime', { ms: formatNumber(Number(data.computation_ms) || 0, lang, 1) })),
        (meta.approximate ?? data.approximate) ? h('p', { class: 'note' }, t('scenarioApprox')) : null,
        note ? h('p', { class: 'note' }, t('scenarioMethod', { note: '' }), lang === 'en' ? note : h('span', { lang: 'en' }, note)) : null,
      );
      if (!changed.length) res.append(h('p', {}, t('scenarioNoChange')));
      else {
        const beyondOf = (a, k) => { const p = (a.persons_newly_beyond || []).find((x) => x.km === k); return p ? formatNumber(p.value, lang, 0) : '—'; };
        res.append(h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', id: 'scenario-table' },
          h('caption', {}, t('scenarioCaption', { kindLower: kind.toLowerCase(), name, n: changed.length })),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('colArea')),
            h('th', { scope: 'col', class: 'num' }, t('colBefore')),
            h('th', { scope: 'col', class: 'num' }, t('colAfter')),
            h('th', { scope: 'col', class: 'num' }, t('colChange')),
            ...thresholds.map((k) => h('th', { scope: 'col', class: 'num' }, t('colBeyond', { km: formatNumber(k, lang, 0) }))))),
          h('tbody', {}, ...changed.map((a) => h('tr', { 'data-code': a.area },
            h('th', { scope: 'row' }, a.name || a.area),
            h('td', { class: 'num' }, km(a.mean_distance_before_km)),
            h('td', { class: 'num' }, km(a.mean_distance_after_km)),
            h('td', { class: 'num' }, km(a.change_km, true)),
            ...thresholds.map((k) => h('td', { class: 'num' }, beyondOf(a, k)))))))));
      }
    }
    const keepFocus = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : null;
    el.replaceChildren(...parts.filter(Boolean), res);
    if (keepFocus && $(keepFocus)) $(keepFocus).focus();
  }
}

const changedAreas = (data) => (data && Array.isArray(data.areas) ? data.areas : [])
  .filter((a) => a.change_km != null && Math.abs(a.change_km) > 1e-9)
  .sort((a, b) => b.change_km - a.change_km || String(a.name || a.area).localeCompare(String(b.name || b.area), 'nl'));

export default {
  id: 'bereikbaarheid',
  name: { nl: 'Bereikbaarheid', en: 'Accessibility' },
  map: true,
  create: (ctx) => new BereikbaarheidView(ctx),
};
