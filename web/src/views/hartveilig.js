// View "Hartveilig": AED coverage. The choropleth of the share of residents with (or without) an AED within
// 500 m that is available under a chosen rule (day and night, or a moment of the week), the AED layer (24/7
// outside, with opening hours, not available at the moment: told apart by size, a hollow dashed ring and
// words, not by colour alone), the white spots (populated places without cover: markers and a table, CSV)
// and placement (where k new AEDs would cover most residents, computed on request by /api/v1/aed/placement
// and never stored: a table of sites, the coverage curve as a small SVG chart next to its table).
// The register of the demo bundle is SYNTHETIC; the API's notice comes first.
// URL: ?view=hartveilig[&lang=en]&indicator=ID&year=Y&level=L[&area=CODE][&classes=jenks][&rule=day]
//      [&aeds=0][&spots=0][&for=GM1690][&top=25][&k=5][&relocate=1]
import { readMapParams, writeMapParams } from '../atlas.js';
import { getJson } from '../api.js';
import { formatNumber } from '../format.js';
import { monitorEntry } from '../monitor.js';
import { h, clear } from '../dom.js';

const $ = (id) => document.getElementById(id);
const SVG_NS = 'http://www.w3.org/2000/svg';
const RULES = ['24_7', 'day', 'evening', 'night', 'weekend'];
const TOPS = [10, 25, 50, 100];
const isAed = (ind) => /^aed_/.test(ind.id);
const indicatorFor = (rule) => (rule === '24_7' ? 'aed_share_uncovered_24_7' : `aed_share_covered_${rule}`);
const ruleOf = (indicator) => {
  if (indicator === 'aed_share_uncovered_24_7') return '24_7';
  const m = /^aed_share_covered_(.+)$/.exec(indicator || '');
  return m ? m[1] : null;
};
// Marker styles: size, fill, a hollow or dashed ring and the outline weight tell the kinds apart, each also
// in words in the legend, the marker's accessible name and its tooltip.
const STYLE = {
  aed_always: { color: '#1b7837', radius: 6, weight: 1.5 },
  aed_hours: { color: '#fdb863', radius: 5, weight: 1.5 },
  aed_closed: { color: '#ffffff', radius: 4, weight: 1.5, fillOpacity: 0.9, dashArray: '2 2' },
  spot: { color: '#d7191c', radius: 10, weight: 2.5, stroke: '#7f0000', fillOpacity: 0.3 },
  site: { color: '#2166ac', radius: 8, weight: 3, stroke: '#000000' },
};

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  if (text != null) el.textContent = text;
  return el;
}

/** A legend swatch: the marker as it is drawn, hidden from assistive technology (the text says it). */
function swatch(st) {
  const r = st.radius;
  const size = 2 * r + 6;
  return svg('svg', { width: size, height: size, viewBox: `0 0 ${size} ${size}`, 'aria-hidden': 'true', focusable: 'false' },
    svg('circle', { cx: size / 2, cy: size / 2, r, fill: st.color, 'fill-opacity': st.fillOpacity ?? 1, stroke: st.stroke || '#000000',
      'stroke-width': st.weight, 'stroke-dasharray': st.dashArray || null }));
}

class HartveiligView {
  constructor(ctx) {
    this.ctx = ctx;
    const entry = monitorEntry(ctx.monitor, 'hartveilig') || {};
    this.entry = entry;
    this.rules = Array.isArray(entry.rules) && entry.rules.length ? entry.rules.filter((r) => typeof r === 'string') : RULES.slice();
    this.maxK = Number.isInteger(entry.max_new_aeds) ? entry.max_new_aeds : 100;
    this.withinM = Number(entry.within_m) || 500;
    this.responderKm = (Number(entry.responder_radius_m) || 2000) / 1000;
    this.state = {
      indicator: null, year: null, level: 'municipality', area: null, mode: 'value', classes: 'quantile',
      rule: '24_7', aeds: true, spots: true, place: '', top: 10, k: 5, relocate: false,
    };
    this.active = false;
    this.points = null; // /aed/points
    this.meta = null; // meta of the last AED answer (synthetic notice, coverage rule)
    this.municipalities = [];
    this.spots = null; // {data, meta} of /aed/white-spots for the current rule and place
    this.spotsError = null;
    this.spotToken = 0;
    this.placement = { result: null, busy: false, error: null, token: 0 };
    this.detail = null; // {feature, origin}
    this.config = {
      id: 'hartveilig',
      select: (all) => {
        const aed = all.filter(isAed);
        return aed.length ? aed : all;
      },
      defaultIndicator: (list) => {
        const want = indicatorFor(this.state.rule);
        return (list.find((i) => i.id === want) || list[0]).id;
      },
      deviation: false,
      citationQuery: () => this.ctx.queryFor('hartveilig', this.query({ area: null })),
      onIndicatorChange: () => {
        const rule = ruleOf(this.state.indicator);
        if (rule && this.rules.includes(rule) && rule !== this.state.rule) this.setRule(rule, { fromIndicator: true });
      },
    };
  }

  get t() { return this.ctx.t; }
  get atlas() { return this.ctx.atlas(); }
  ruleLabel(rule) { return this.t(`aedRule_${rule}`); }
  ruleMoment(rule) { return this.t(`aedRuleMoment_${rule}`); }
  fmt(v, d = 0) { return v == null || Number.isNaN(Number(v)) ? '—' : formatNumber(Number(v), this.t.lang, d); }
  municipalityName(code) {
    const m = this.municipalities.find((x) => x.code === code);
    return m ? m.name : (code || '—');
  }

  read(q) {
    readMapParams(q, this.state);
    this.state.mode = 'value';
    const s = this.state;
    const rule = q.get('rule');
    s.rule = rule && this.rules.includes(rule) ? rule : (ruleOf(s.indicator) && this.rules.includes(ruleOf(s.indicator)) ? ruleOf(s.indicator) : '24_7');
    s.aeds = q.get('aeds') !== '0';
    s.spots = q.get('spots') !== '0';
    s.place = /^GM\d{4}$/.test(q.get('for') || '') ? q.get('for') : '';
    const top = Number(q.get('top'));
    s.top = TOPS.includes(top) ? top : 10;
    const k = Number(q.get('k'));
    s.k = Number.isInteger(k) && k >= 1 && k <= this.maxK ? k : 5;
    s.relocate = q.get('relocate') === '1';
  }

  query(over = {}) {
    const s = { ...this.state, ...over };
    const q = new URLSearchParams();
    writeMapParams(q, s, { mode: false });
    if (s.rule !== '24_7') q.set('rule', s.rule);
    if (!s.aeds) q.set('aeds', '0');
    if (!s.spots) q.set('spots', '0');
    if (s.place) q.set('for', s.place);
    if (s.top !== 10) q.set('top', String(s.top));
    if (s.k !== 5) q.set('k', String(s.k));
    if (s.relocate) q.set('relocate', '1');
    return q;
  }

  async activate() {
    this.active = true;
    $('search-box').hidden = true;
    $('compare-section').hidden = true;
    $('facilities-fieldset').hidden = true;
    $('aed-controls').hidden = false;
    $('aed-legend').hidden = false;
    $('aed-section').hidden = false;
    this.renderNotice();
    this.renderControls();
    this.renderSection();
    const ok = await this.atlas.attach(this.config, this.state);
    if (!ok || !this.active) return;
    await Promise.all([this.loadPoints(), this.loadMunicipalities()]);
    if (!this.active) return;
    this.renderSection();
    this.loadSpots();
  }

  deactivate() {
    this.active = false;
    this.spotToken++;
    this.placement.token++;
    this.detail = null;
    this.atlas.mapView.renderFacilities([], {});
    for (const id of ['aed-controls', 'aed-legend', 'aed-detail', 'aed-section', 'view-notice']) {
      $(id).hidden = true;
      clear($(id));
    }
    $('facility-status').textContent = '';
  }

  refresh() {
    this.renderNotice();
    this.renderControls();
    this.atlas.applyLang();
    this.renderSection();
    this.atlas.rerender();
    this.loadSpots({ announce: false });
  }

  // ---------------------------------------------------------------- notice and controls
  renderNotice() {
    const t = this.t;
    const el = $('view-notice');
    const notice = (this.meta && this.meta.synthetic_notice) || this.entry.synthetic_notice;
    const synthetic = this.meta ? this.meta.synthetic !== false : this.entry.synthetic !== false;
    el.hidden = !synthetic;
    if (!synthetic) { clear(el); return; }
    el.replaceChildren(h('p', {},
      h('strong', { class: 'synthetic-title' }, t('aedSyntheticTitle')), ' ',
      t('aedSyntheticText', { m: this.fmt(this.withinM) }),
      notice ? ' ' : null, notice ? (t.lang === 'en' ? notice : h('span', { lang: 'en' }, notice)) : null));
  }

  renderControls() {
    const t = this.t;
    const s = this.state;
    const radios = this.rules.map((r) => h('span', { class: 'radio' },
      h('input', { type: 'radio', id: `aed-rule-${r}`, name: 'aed-rule', value: r, checked: s.rule === r,
        onchange: () => this.setRule(r) }),
      h('label', { for: `aed-rule-${r}` }, this.ruleLabel(r))));
    const check = (id, key, label) => h('span', { class: 'check' },
      h('input', { type: 'checkbox', id, checked: s[key], onchange: (e) => {
        s[key] = e.target.checked;
        this.ctx.writeUrl('pushState');
        this.drawLayer({ announce: true });
      } }),
      h('label', { for: id }, label));
    $('aed-controls').replaceChildren(
      h('fieldset', { class: 'field level', id: 'aed-rule-fieldset' },
        h('legend', { id: 'aed-rule-legend' }, t('aedRuleLegend')),
        h('div', { class: 'radios' }, ...radios)),
      h('fieldset', { class: 'field facilities', id: 'aed-layers-fieldset' },
        h('legend', {}, t('aedLayersLegend')),
        h('div', { class: 'checks' },
          check('aed-layer-aeds', 'aeds', t('aedLayerAeds')),
          check('aed-layer-spots', 'spots', t('aedLayerSpots')))),
    );
  }

  setRule(rule, { fromIndicator = false } = {}) {
    const s = this.state;
    s.rule = rule;
    const want = indicatorFor(rule);
    if (!fromIndicator && this.atlas.list().some((i) => i.id === want)) s.indicator = want;
    const input = $(`aed-rule-${rule}`);
    if (input) input.checked = true;
    this.placement.token++;
    Object.assign(this.placement, { result: null, busy: false, error: null });
    this.ctx.writeUrl('pushState');
    if (!fromIndicator) this.atlas.rerender();
    this.renderSection();
    this.loadSpots();
  }

  // ---------------------------------------------------------------- data
  async loadPoints() {
    if (this.points) return;
    try {
      const { data, meta } = await getJson('/aed/points');
      this.points = Array.isArray(data) ? data : [];
      this.meta = meta;
      this.renderNotice();
    } catch (e) {
      this.points = [];
      $('facility-status').textContent = this.ctx.errorMessage(e);
    }
  }

  async loadMunicipalities() {
    if (this.municipalities.length) return;
    try {
      const { data } = await getJson('/areas', { level: 'municipality', parent: this.ctx.monitor.province.code });
      this.municipalities = (Array.isArray(data) ? data : [])
        .map((a) => ({ code: a.code, name: a.name }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name), 'nl'));
    } catch { this.municipalities = []; }
    if (this.state.place && !this.municipalities.some((m) => m.code === this.state.place)) this.state.place = '';
  }

  async loadSpots({ announce = true } = {}) {
    if (!this.active) return;
    const s = this.state;
    const token = ++this.spotToken;
    this.spotsError = null;
    const params = { rule: s.rule, area: s.place || undefined, limit: s.top };
    $('aed-spots-status').textContent = this.t('aedSpotsLoading');
    try {
      const answer = await getJson('/aed/white-spots', params);
      if (token !== this.spotToken || !this.active) return;
      this.spots = answer;
      this.meta = answer.meta;
    } catch (e) {
      if (token !== this.spotToken) return;
      this.spots = null;
      this.spotsError = this.ctx.errorMessage(e);
    }
    this.renderSpots({ announce });
    this.drawLayer({ announce });
  }

  // ---------------------------------------------------------------- the map layer
  aedKind(p) {
    const s = this.state;
    const a = p.available || {};
    if (a['24_7']) return 'aed_always';
    return a[s.rule] ? 'aed_hours' : 'aed_closed';
  }

  aedStatusText(p) {
    const t = this.t;
    const kind = this.aedKind(p);
    const where = t(`aedPlacement_${p.placement}`) || p.placement;
    const hours = p.opening_hours && p.opening_hours !== '24/7' ? p.opening_hours : '';
    if (kind === 'aed_always') return t('aedStatusAlways', { where });
    if (kind === 'aed_hours') return t('aedStatusHours', { where, hours: hours || t('aedHoursUnstated'), moment: this.ruleMoment(this.state.rule) });
    return t('aedStatusClosed', { where, hours: hours || t('aedHoursUnstated'), moment: this.ruleMoment(this.state.rule) });
  }

  spotPlace(sp) {
    const pc = sp.postcode ? sp.postcode.replace(/^PC/, '') : '';
    // Some neighbourhoods are named by their code in the store: then the postcode says more.
    const hood = sp.neighbourhood_name && sp.neighbourhood_name !== sp.neighbourhood ? sp.neighbourhood_name : null;
    const parts = [hood, pc ? `${this.t('aedPostcode')} ${pc}` : null, sp.municipality_name].filter(Boolean);
    return parts.length ? parts.join(', ') : sp.id;
  }

  features() {
    const s = this.state;
    const t = this.t;
    const out = [];
    const point = (lon, lat) => ({ type: 'Point', coordinates: [lon, lat] });
    if (s.spots && this.spots && this.spots.data && Array.isArray(this.spots.data.spots)) {
      this.spots.data.spots.forEach((sp, i) => out.push({ type: 'Feature', geometry: point(sp.lon, sp.lat),
        properties: { id: `spot:${sp.id}`, kind: 'spot', rank: i + 1, spot: sp,
          name: t('aedSpotLabel', { rank: i + 1, place: this.spotPlace(sp), uncovered: this.fmt(sp.uncovered), persons: this.fmt(sp.persons), m: this.fmt(this.withinM) }) } }));
    }
    if (s.aeds && Array.isArray(this.points)) {
      for (const p of this.points) {
        if (s.place && p.municipality !== s.place) continue;
        out.push({ type: 'Feature', geometry: point(p.lon, p.lat),
          properties: { id: `aed:${p.id}`, kind: this.aedKind(p), aed: p, name: t('aedLabel', { id: p.id, status: this.aedStatusText(p) }) } });
      }
    }
    const result = this.placement.result;
    if (result && Array.isArray(result.sites)) {
      for (const site of result.sites) {
        out.push({ type: 'Feature', geometry: point(site.lon, site.lat),
          properties: { id: `site:${site.rank}`, kind: 'site', site,
            name: t('aedSiteLabel', { rank: site.rank, gain: this.fmt(site.gain), where: this.municipalityName(site.municipality) }) } });
      }
    }
    return out;
  }

  drawLayer({ announce = false } = {}) {
    if (!this.active) return;
    const t = this.t;
    const features = this.features();
    const counts = {};
    for (const f of features) counts[f.properties.kind] = (counts[f.properties.kind] || 0) + 1;
    this.atlas.mapView.renderFacilities(features, {
      styleOf: (kind) => STYLE[kind] || STYLE.aed_hours,
      labelOf: (f) => f.properties.name,
      tooltipOf: (f) => {
        const tip = document.createElement('div');
        tip.append(h('strong', {}, f.properties.name));
        return tip;
      },
      onActivate: (f, el) => this.showDetail(f, el),
      selected: this.detail ? this.detail.feature.properties.id : null,
    });
    this.renderLegend(counts);
    if (announce) {
      $('facility-status').textContent = features.length
        ? t('aedLayerShown', { aeds: this.fmt((counts.aed_always || 0) + (counts.aed_hours || 0) + (counts.aed_closed || 0)), spots: this.fmt(counts.spot || 0), sites: this.fmt(counts.site || 0) })
        : t('aedLayerNone');
    }
  }

  renderLegend(counts) {
    const t = this.t;
    const moment = this.ruleMoment(this.state.rule);
    const item = (kind, text) => h('li', { 'data-kind': kind }, swatch(STYLE[kind]), h('span', {}, `${text} (${this.fmt(counts[kind] || 0)})`));
    const items = [];
    if (this.state.aeds) {
      items.push(item('aed_always', t('aedLegendAlways')));
      if (this.state.rule !== '24_7') items.push(item('aed_hours', t('aedLegendHours', { moment })));
      items.push(item('aed_closed', t('aedLegendClosed', { moment })));
    }
    if (this.state.spots) items.push(item('spot', t('aedLegendSpot')));
    if (this.placement.result) items.push(item('site', t('aedLegendSite')));
    $('aed-legend').replaceChildren(
      h('p', { class: 'note', id: 'aed-legend-title' }, h('strong', {}, t('aedLegendTitle')), ' ', t('aedLegendHint')),
      items.length ? h('ul', { 'aria-labelledby': 'aed-legend-title' }, ...items) : null,
      h('p', { class: 'note' }, t('aedCoverageNote', { m: this.fmt(this.withinM) })),
    );
  }

  showDetail(f, el) {
    this.detail = { feature: f, origin: el || null };
    this.atlas.mapView.markFacility(f.properties.id);
    this.renderDetail();
    const head = $('aed-detail-h');
    if (head) head.focus();
  }

  closeDetail() {
    const d = this.detail;
    this.detail = null;
    this.atlas.mapView.markFacility(null);
    this.renderDetail();
    if (!d) return;
    const target = (d.origin && document.contains(d.origin) && d.origin) || this.atlas.mapView.facilityElement(d.feature.properties.id);
    if (target) target.focus();
  }

  renderDetail() {
    const t = this.t;
    const el = $('aed-detail');
    if (!this.detail) { el.hidden = true; clear(el); return; }
    const p = this.detail.feature.properties;
    const rows = [];
    const row = (k, v) => rows.push(h('dt', {}, k), h('dd', {}, v));
    let heading;
    if (p.aed) {
      const a = p.aed;
      heading = t('aedDetailAed', { id: a.id });
      row(t('aedDetailStatus'), this.aedStatusText(a));
      row(t('aedDetailHours'), a.opening_hours || t('aedHoursUnstated'));
      row(t('aedDetailAvailable'), this.rules.filter((r) => a.available && a.available[r]).map((r) => this.ruleLabel(r)).join(', ') || t('aedDetailNever'));
      row(t('aedDetailPublic'), a.public ? t('yes') : t('no'));
      if (a.responders_near != null) row(t('aedDetailResponders', { km: this.fmt(this.responderKm, 1) }), this.fmt(a.responders_near));
      row(t('colMunicipality'), this.municipalityName(a.municipality));
    } else if (p.spot) {
      const sp = p.spot;
      heading = t('aedDetailSpot', { rank: p.rank });
      row(t('aedColPlace'), this.spotPlace(sp));
      row(t('aedColPersons'), this.fmt(sp.persons));
      row(t('aedColUncovered'), `${this.fmt(sp.uncovered)} (${this.fmt(sp.share_uncovered, 1)} %)`);
      row(t('aedColNearest'), sp.nearest_aed_m == null ? t('aedNoneWithin10km') : `${this.fmt(sp.nearest_aed_m)} m`);
    } else {
      const site = p.site;
      heading = t('aedDetailSite', { rank: site.rank });
      row(t('aedColGain'), this.fmt(site.gain));
      row(t('aedColLoss'), this.fmt(site.loss_if_removed));
      row(t('colMunicipality'), this.municipalityName(site.municipality));
      row(t('aedColWhere'), `${this.fmt(site.lat, 5)}, ${this.fmt(site.lon, 5)}`);
    }
    el.hidden = false;
    el.replaceChildren(
      h('h2', { id: 'aed-detail-h', tabindex: '-1' }, heading),
      h('dl', {}, ...rows),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', id: 'aed-detail-close', onclick: () => this.closeDetail() }, t('aedDetailBack'))),
    );
  }

  // ---------------------------------------------------------------- white spots and placement
  renderSection() {
    const t = this.t;
    const s = this.state;
    const el = $('aed-section');
    const keepFocus = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : null;
    const placeOptions = [h('option', { value: '' }, t('aedWholeProvince')),
      ...this.municipalities.map((m) => h('option', { value: m.code, selected: s.place === m.code }, m.name))];
    const placeSelect = h('select', { id: 'aed-place', name: 'for', onchange: (e) => {
      s.place = e.target.value;
      this.placement.token++;
      Object.assign(this.placement, { result: null, busy: false, error: null });
      this.ctx.writeUrl('pushState');
      this.renderSection();
      this.loadSpots();
    } }, ...placeOptions);
    const topSelect = h('select', { id: 'aed-top', name: 'top', onchange: (e) => {
      s.top = Number(e.target.value);
      this.ctx.writeUrl('pushState');
      this.loadSpots();
    } }, ...TOPS.map((n) => h('option', { value: String(n), selected: s.top === n }, String(n))));
    const csvParams = new URLSearchParams({ rule: s.rule });
    if (s.place) csvParams.set('area', s.place);
    const csvName = `aed-witte-vlekken-${s.rule}${s.place ? `-${s.place}` : ''}.csv`;
    el.replaceChildren(
      h('h2', { id: 'aed-section-h' }, t('aedSectionHeading')),
      h('p', {}, t('aedSectionIntro', { m: this.fmt(this.withinM) })),
      h('form', { class: 'controls-form', id: 'aed-place-form', onsubmit: (e) => e.preventDefault() },
        h('div', { class: 'field' }, h('label', { for: 'aed-place' }, t('aedPlaceLabel')), placeSelect)),
      h('div', { class: 'aed-grid' },
        h('section', { 'aria-labelledby': 'aed-spots-h', id: 'aed-spots' },
          h('h3', { id: 'aed-spots-h' }, t('aedSpotsHeading', { moment: this.ruleMoment(s.rule) })),
          h('p', { class: 'note' }, t('aedSpotsIntro', { m: this.fmt(this.withinM), moment: this.ruleMoment(s.rule) })),
          h('form', { class: 'controls-form', onsubmit: (e) => e.preventDefault() },
            h('div', { class: 'field' }, h('label', { for: 'aed-top' }, t('aedTopLabel')), topSelect)),
          h('p', { class: 'downloads' }, h('a', { href: `/api/v1/aed/white-spots.csv?${csvParams}`, type: 'text/csv', download: csvName, id: 'aed-spots-csv' }, t('aedSpotsCsv'))),
          h('div', { id: 'aed-spots-status', class: 'visually-hidden', role: 'status' }),
          h('div', { id: 'aed-spots-body' })),
        h('section', { 'aria-labelledby': 'aed-placement-h', id: 'aed-placement' },
          h('h3', { id: 'aed-placement-h' }, t('aedPlacementHeading')),
          h('p', { class: 'note' }, t('aedPlacementIntro', { m: this.fmt(this.withinM), moment: this.ruleMoment(s.rule) })),
          h('form', { class: 'controls-form', id: 'aed-placement-form', onsubmit: (e) => { e.preventDefault(); this.runPlacement(); } },
            h('div', { class: 'field' },
              h('label', { for: 'aed-k' }, t('aedKLabel', { max: this.maxK })),
              h('input', { type: 'number', id: 'aed-k', name: 'k', min: '1', max: String(this.maxK), step: '1', value: String(s.k), inputmode: 'numeric',
                onchange: (e) => {
                  const k = Math.round(Number(e.target.value));
                  s.k = Number.isFinite(k) ? Math.min(this.maxK, Math.max(1, k)) : 5;
                  e.target.value = String(s.k);
                  this.ctx.writeUrl('replaceState');
                } })),
            h('span', { class: 'check' },
              h('input', { type: 'checkbox', id: 'aed-relocate', name: 'relocate', checked: s.relocate, 'aria-describedby': 'aed-relocate-hint',
                onchange: (e) => { s.relocate = e.target.checked; this.ctx.writeUrl('replaceState'); } }),
              h('label', { for: 'aed-relocate' }, t('aedRelocateLabel'))),
            h('div', { class: 'field' }, h('button', { type: 'submit', class: 'btn', id: 'aed-placement-run' }, t('aedPlacementRun')))),
          h('p', { class: 'note', id: 'aed-relocate-hint' }, t('aedRelocateHint')),
          h('p', { class: 'note unsaved' }, t('aedPlacementUnsaved')),
          h('div', { id: 'aed-placement-status', class: 'status', role: 'status' }),
          h('div', { id: 'aed-placement-result' }))),
    );
    this.renderSpots({ announce: false });
    this.renderPlacement();
    if (keepFocus && $(keepFocus)) $(keepFocus).focus();
  }

  renderSpots({ announce = true } = {}) {
    const t = this.t;
    const body = $('aed-spots-body');
    if (!body) return;
    const status = $('aed-spots-status');
    if (this.spotsError) { body.replaceChildren(h('p', { class: 'error-box' }, this.spotsError)); status.textContent = ''; return; }
    if (!this.spots) { clear(body); return; }
    const d = this.spots.data || {};
    const spots = Array.isArray(d.spots) ? d.spots : [];
    const where = this.state.place ? this.municipalityName(this.state.place) : this.ctx.monitor.province.name;
    const summary = t('aedSpotsSummary', { total: this.fmt(d.total), uncovered: this.fmt(d.uncovered), where, n: this.fmt(spots.length), m: this.fmt(this.withinM) });
    if (announce) status.textContent = summary;
    else status.textContent = '';
    if (!spots.length) { body.replaceChildren(h('p', {}, t('aedSpotsNone', { where }))); return; }
    const caption = t('aedSpotsCaption', { n: spots.length, where, moment: this.ruleMoment(this.state.rule) });
    body.replaceChildren(
      h('p', {}, summary),
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'aed-spots-caption' },
        h('table', { class: 'data-table', id: 'aed-spots-table' },
          h('caption', { id: 'aed-spots-caption' }, caption),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', class: 'num' }, '#'),
            h('th', { scope: 'col' }, t('aedColPlace')),
            h('th', { scope: 'col', class: 'num' }, t('aedColPersons')),
            h('th', { scope: 'col', class: 'num' }, t('aedColUncovered')),
            h('th', { scope: 'col', class: 'num' }, t('aedColShare')),
            h('th', { scope: 'col', class: 'num' }, t('aedColNearest')))),
          h('tbody', {}, ...spots.map((sp, i) => h('tr', { 'data-spot': sp.id },
            h('td', { class: 'num' }, String(i + 1)),
            h('th', { scope: 'row' }, this.state.spots
              ? h('button', { type: 'button', class: 'link-button', 'aria-label': t('aedShowOnMap', { place: this.spotPlace(sp) }),
                onclick: () => { const m = this.atlas.mapView.facilityElement(`spot:${sp.id}`); if (m) m.focus(); } }, this.spotPlace(sp))
              : this.spotPlace(sp)),
            h('td', { class: 'num' }, this.fmt(sp.persons)),
            h('td', { class: 'num' }, this.fmt(sp.uncovered)),
            h('td', { class: 'num' }, `${this.fmt(sp.share_uncovered, 1)} %`),
            h('td', { class: 'num' }, sp.nearest_aed_m == null ? '> 10 km' : this.fmt(sp.nearest_aed_m))))))),
    );
  }

  async runPlacement() {
    const s = this.state;
    const t = this.t;
    const pl = this.placement;
    const token = ++pl.token;
    Object.assign(pl, { busy: true, error: null });
    this.renderPlacement();
    $('aed-placement-status').textContent = t('aedPlacementComputing');
    try {
      const params = { rule: s.rule, k: s.k, relocate: s.relocate ? 'true' : 'false', area: s.place || undefined };
      const { data, meta } = await getJson('/aed/placement', params, { cacheable: false });
      if (token !== pl.token || !this.active) return;
      Object.assign(pl, { result: data, busy: false });
      this.meta = meta;
      this.renderPlacement();
      this.drawLayer();
      $('aed-placement-status').textContent = t('aedPlacementDone', { n: this.fmt(data.sites.length), gain: this.fmt(data.covered_after - data.covered_now) });
    } catch (e) {
      if (token !== pl.token) return;
      Object.assign(pl, { result: null, busy: false, error: this.ctx.errorMessage(e) });
      this.renderPlacement();
      $('aed-placement-status').textContent = '';
    }
  }

  renderPlacement() {
    const t = this.t;
    const el = $('aed-placement-result');
    if (!el) return;
    const pl = this.placement;
    const button = $('aed-placement-run');
    if (button) button.setAttribute('aria-disabled', pl.busy ? 'true' : 'false');
    if (pl.busy) { el.replaceChildren(h('p', { class: 'loading' }, t('aedPlacementComputing'))); return; }
    if (pl.error) { el.replaceChildren(h('p', { class: 'error-box' }, pl.error)); return; }
    const r = pl.result;
    if (!r) { clear(el); return; }
    const pct = (v) => `${this.fmt(v, 1)} %`;
    const where = r.area ? this.municipalityName(r.area) : this.ctx.monitor.province.name;
    const moment = this.ruleMoment(r.rule);
    const parts = [
      h('p', {}, t(r.relocate ? 'aedPlacementSummaryRelocate' : 'aedPlacementSummary', { where, persons: this.fmt(r.persons), now: this.fmt(r.covered_now), nowPct: pct(r.share_covered_now),
        k: this.fmt(r.k), after: this.fmt(r.covered_after), afterPct: pct(r.share_covered_after), moment, m: this.fmt(this.withinM) })),
    ];
    if (r.relocate && r.covered_outside_in_place != null) {
      const moved = (r.moves || []).filter((m) => !m.stays).length;
      parts.push(h('p', {}, t('aedRelocateSummary', { n: this.fmt((r.moves || []).length), outside: this.fmt(r.covered_outside_in_place), moved: this.fmt(moved) })));
    }
    if (r.sites.length) {
      parts.push(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'aed-sites-caption' },
        h('table', { class: 'data-table', id: 'aed-sites-table' },
          h('caption', { id: 'aed-sites-caption' }, t('aedSitesCaption', { n: r.sites.length, where })),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col', class: 'num' }, t('aedColRank')),
            h('th', { scope: 'col' }, t('colMunicipality')),
            h('th', { scope: 'col' }, t('aedColWhere')),
            h('th', { scope: 'col', class: 'num' }, t('aedColGain')),
            h('th', { scope: 'col', class: 'num' }, t('aedColLoss')))),
          h('tbody', {}, ...r.sites.map((site) => h('tr', { 'data-rank': String(site.rank) },
            h('th', { scope: 'row', class: 'num' }, String(site.rank)),
            h('td', {}, this.municipalityName(site.municipality)),
            h('td', {}, h('button', { type: 'button', class: 'link-button',
              'aria-label': t('aedShowSite', { rank: site.rank, where: `${this.fmt(site.lat, 4)}, ${this.fmt(site.lon, 4)}` }),
              onclick: () => { const m = this.atlas.mapView.facilityElement(`site:${site.rank}`); if (m) m.focus(); } },
            `${this.fmt(site.lat, 4)}, ${this.fmt(site.lon, 4)}`)),
            h('td', { class: 'num' }, `+${this.fmt(site.gain)}`),
            h('td', { class: 'num' }, this.fmt(site.loss_if_removed))))))));
    } else {
      parts.push(h('p', {}, t('aedPlacementNoSites')));
    }
    parts.push(this.curveFigure(r));
    if (r.relocate && r.moves && r.moves.length) {
      const shown = r.moves.slice(0, 25);
      parts.push(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'aed-moves-caption' },
        h('table', { class: 'data-table', id: 'aed-moves-table' },
          h('caption', { id: 'aed-moves-caption' }, t('aedMovesCaption', { n: shown.length, total: r.moves.length })),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'AED'), h('th', { scope: 'col' }, t('aedColMove')))),
          h('tbody', {}, ...shown.map((m) => h('tr', {},
            h('th', { scope: 'row' }, m.id),
            h('td', {}, m.stays ? t('aedMoveStays') : t('aedMoveTo', { lat: this.fmt(m.to[1], 4), lon: this.fmt(m.to[0], 4) }))))))));
    }
    el.replaceChildren(...parts);
  }

  /** The coverage curve: a small line chart (hidden from assistive technology) and its numbers in a table. */
  curveFigure(r) {
    const t = this.t;
    const curve = r.curve || [];
    const W = 420;
    const H = 200;
    const pad = { l: 56, r: 12, t: 12, b: 36 };
    const ys = curve.map((c) => c.share_covered ?? 0);
    const lo = Math.max(0, Math.floor(Math.min(...ys, 100) - 1));
    const hi = Math.min(100, Math.ceil(Math.max(...ys, 0) + 1));
    const n = Math.max(1, curve.length - 1);
    const x = (i) => pad.l + (i / n) * (W - pad.l - pad.r);
    const y = (v) => pad.t + (1 - (v - lo) / Math.max(1e-9, hi - lo)) * (H - pad.t - pad.b);
    const chart = svg('svg', { class: 'aed-curve', viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true', focusable: 'false', id: 'aed-curve' });
    chart.append(svg('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, stroke: '#4a4a4a' }));
    chart.append(svg('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, stroke: '#4a4a4a' }));
    for (const v of [lo, (lo + hi) / 2, hi]) {
      chart.append(svg('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#1a1a1a' }, `${this.fmt(v, 0)} %`));
    }
    const step = Math.max(1, Math.ceil(curve.length / 8));
    curve.forEach((c, i) => {
      if (i % step === 0 || i === curve.length - 1) chart.append(svg('text', { x: x(i), y: H - pad.b + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#1a1a1a' }, String(c.new_aeds)));
    });
    chart.append(svg('text', { x: (pad.l + W - pad.r) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 11, fill: '#1a1a1a' }, t('aedCurveAxis')));
    chart.append(svg('polyline', { points: curve.map((c, i) => `${x(i).toFixed(1)},${y(c.share_covered ?? 0).toFixed(1)}`).join(' '), fill: 'none', stroke: '#2166ac', 'stroke-width': 2.5 }));
    curve.forEach((c, i) => chart.append(svg('circle', { cx: x(i), cy: y(c.share_covered ?? 0), r: 3, fill: '#2166ac', stroke: '#000000', 'stroke-width': 1 })));
    const table = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'aed-curve-caption' },
      h('table', { class: 'data-table', id: 'aed-curve-table' },
        h('caption', { id: 'aed-curve-caption' }, t('aedCurveCaption', { m: this.fmt(this.withinM), moment: this.ruleMoment(r.rule) })),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'num' }, t('aedColNew')),
          h('th', { scope: 'col', class: 'num' }, t('aedColCovered')),
          h('th', { scope: 'col', class: 'num' }, t('aedColShareCovered')))),
        h('tbody', {}, ...curve.map((c) => h('tr', {},
          h('th', { scope: 'row', class: 'num' }, String(c.new_aeds)),
          h('td', { class: 'num' }, this.fmt(c.covered)),
          h('td', { class: 'num' }, `${this.fmt(c.share_covered, 1)} %`))))));
    return h('div', {},
      h('figure', {}, chart, h('figcaption', {}, t('aedCurveFigcaption', { k: curve.length - 1 }))),
      table);
  }
}

export default {
  id: 'hartveilig',
  name: { nl: 'Hartveilig', en: 'Heart-safe (AEDs)' },
  map: true,
  create: (ctx) => new HartveiligView(ctx),
};
