// The shared choropleth of the map views (Leefbaarheid, Bereikbaarheid): the indicator, year, class and
// level controls, the map with its place names, the legend, the table, the downloads and the area
// profile with its population projection. One instance drives the page's one map; the active view
// attaches its own state and settings (which indicators, whether the deviation view is offered).
import { getJson, apiUrl, ApiError } from './api.js';
import { quantileClasses, jenksClasses, divergingClasses, deviationKind, NO_DATA_FILL } from './classify.js';
import { formatValue, formatNumber } from './format.js';
import { ChoroplethMap } from './map.js';
import { ProfilePanel } from './profile.js';
import { AreaTable } from './table.js';
import { renderLegend } from './legend.js';
import { projectionScopes } from './projection.js';
import { LEVELS } from './monitor.js';
import { h, clear } from './dom.js';

const $ = (id) => document.getElementById(id);
const supports = (ind, level) => !ind || !Array.isArray(ind.levels) || ind.levels.includes(level);

/** The map state of a view from the query string (the keys the dashboard has always used). */
export function readMapParams(q, s) {
  s.indicator = q.get('indicator') || null;
  const y = Number(q.get('year'));
  s.year = Number.isInteger(y) && y > 0 ? y : null;
  s.level = LEVELS.includes(q.get('level')) ? q.get('level') : 'municipality';
  s.area = q.get('area') || null;
  s.mode = q.get('mode') === 'deviation' ? 'deviation' : 'value';
  s.classes = q.get('classes') === 'jenks' ? 'jenks' : 'quantile';
}

/** Writes the map state in the order deep links have always had. */
export function writeMapParams(q, s, { mode = true } = {}) {
  if (s.indicator) q.set('indicator', s.indicator);
  if (s.year) q.set('year', String(s.year));
  q.set('level', s.level);
  if (s.area) q.set('area', s.area);
  if (mode && s.mode === 'deviation') q.set('mode', 'deviation');
  if (s.classes === 'jenks') q.set('classes', 'jenks');
}

export class Atlas {
  /**
   * @param {object} ctx the shell: t, lang, monitor, setStatus, showError, clearError, errorMessage, writeUrl
   */
  constructor(ctx) {
    this.ctx = ctx;
    this.province = ctx.monitor.province;
    this.levels = ctx.monitor.levels;
    this.indicators = [];
    this.view = null; // {config, state}
    this.areaNames = new Map();
    this.allAreas = [];
    this.areasPromise = null;
    this.inProvince = () => false;
    this.lastModel = null;
    this.mapToken = 0;
    this.profileToken = 0;
    this.projectionListPromise = null;
    this.placesPromise = null;
    this.origin = null;
    this.mapView = new ChoroplethMap($('map'), { onActivate: (code, el) => this.openProfile(code, el) }, { bbox: this.province.bbox });
    this.mapView.setTexts(ctx.t);
    this.profile = new ProfilePanel($('profile'), { onClose: () => this.closeProfile(), onCompare: null });
    this.table = new AreaTable($('table-wrap'), { onActivate: (code, el) => this.openProfile(code, el) });
    // levels the province has no data for are not offered at all
    for (const l of LEVELS) $(`level-${l}`).closest('.radio').hidden = !this.levels.includes(l);
    this.wire();
  }

  get t() { return this.ctx.t; }
  get state() { return this.view.state; }
  get config() { return this.view.config; }

  /** The indicators of the active view. */
  list() { return this.view ? this.config.select(this.indicators) : []; }
  current() { return this.view ? this.indicators.find((i) => i.id === this.state.indicator) : null; }
  offered(level) { return this.levels.includes(level); }
  levelParams(level) {
    // Districts, neighbourhoods and postcode areas in the store are the province's only, so they need no
    // `parent` (a postcode area's parent is its municipality, a neighbourhood's its district).
    return level === 'municipality' ? { level: 'municipality', parent: this.province.code } : { level };
  }
  levelWord(level) { return this.t(`lvl_${level}`); }

  async loadIndicators() {
    if (!this.indicatorsPromise) {
      this.indicatorsPromise = getJson('/indicators').then(({ data }) => {
        this.indicators = Array.isArray(data) ? data : [];
        return this.indicators;
      }).catch((e) => { this.indicatorsPromise = null; throw e; });
    }
    return this.indicatorsPromise;
  }

  normalise() {
    const s = this.state;
    const list = this.list();
    if (!list.length) return;
    if (!list.some((i) => i.id === s.indicator)) {
      const want = this.config.defaultIndicator(list);
      s.indicator = (list.find((i) => i.id === want) || list[0]).id;
    }
    const ind = this.current();
    if (!this.offered(s.level) || !supports(ind, s.level)) {
      s.level = LEVELS.find((l) => this.offered(l) && supports(ind, l)) || this.levels[0];
    }
    if (!this.config.deviation) s.mode = 'value';
    const years = (ind.years || []).slice().sort((a, b) => a - b);
    if (!years.includes(s.year)) s.year = years.length ? years[years.length - 1] : null;
  }

  // ---------------------------------------------------------------- attach / detach a view
  /**
   * Shows the map for a view. config: {id, select(all)=>its indicators, defaultIndicator(list)=>id,
   * deviation:bool, citationQuery()=>'?…', onCompare?(code), onIndicatorChange?(), onLevelChange?(),
   * onMapDrawn?(), onAreas?()}
   */
  async attach(config, state) {
    this.view = { config, state };
    $('layout').hidden = false;
    $('table-section').hidden = false;
    $('mode-fieldset').hidden = !config.deviation;
    this.profile.onCompare = config.onCompare || null;
    this.applyLang();
    this.ctx.setStatus(this.t('loading'));
    try {
      await this.loadIndicators();
    } catch (e) {
      this.ctx.showError(e, () => this.attach(config, state));
      return false;
    }
    if (this.view.config !== config) return false;
    this.ctx.clearError();
    if (!this.list().length) { this.ctx.showError(new Error(this.t('noIndicators'))); return false; }
    this.normalise();
    this.ctx.writeUrl('replaceState');
    this.renderControls();
    const done = this.loadMap();
    this.loadPlaces();
    await done;
    if (this.view.config !== config) return false;
    if (state.area) this.openProfile(state.area, null, { push: false, focus: false });
    else if (!$('profile').hidden) this.closeProfile({ push: false, restoreFocus: false });
    return true;
  }

  detach() {
    if (!this.view) return;
    this.mapToken++;
    this.profileToken++;
    this.profile.hide();
    $('layout').classList.remove('has-profile');
    $('layout').hidden = true;
    $('table-section').hidden = true;
    this.view = null;
  }

  /** After a language switch or a history step: everything again from the state. */
  rerender() {
    if (!this.view) return;
    this.mapView.setTexts(this.t);
    this.normalise();
    this.renderControls();
    const done = this.loadMap();
    if (this.state.area) this.openProfile(this.state.area, null, { push: false, focus: false });
    else if (!$('profile').hidden) this.closeProfile({ push: false, restoreFocus: false });
    return done;
  }

  // ---------------------------------------------------------------- controls
  applyLang() {
    const t = this.t;
    $('controls-h').textContent = t('controls');
    $('indicator-label').textContent = t('indicator');
    $('year-label').textContent = t('year');
    $('level-legend').textContent = t('level');
    $('level-municipality-label').textContent = t('municipality');
    $('level-district-label').textContent = t('district');
    $('level-neighbourhood-label').textContent = t('neighbourhood');
    $('level-postcode-label').textContent = t('postcode');
    $('skip-table').textContent = t('skipToTable');
    $('map-loading-text').textContent = t('loadingMap');
    $('view-legend').textContent = t('viewLegend');
    $('classes-label').textContent = t('classesLabel');
    $('classes-quantile').textContent = t('classesQuantile');
    $('classes-jenks').textContent = t('classesJenks');
    $('mode-value-label').textContent = t('viewValue');
    $('mode-deviation-label').textContent = t('viewDeviation');
    this.mapView.setTexts(t);
  }

  levelUnavailableText(level) {
    const t = this.t;
    const others = this.list().filter((i) => supports(i, level));
    if (!others.length) return t('levelNoneYet', { levels: t(level), level: this.levelWord(level) });
    const names = others.slice(0, 2).map((i) => t.loc(i.name));
    if (others.length > 2) names.push(t('andMore', { n: others.length - 2 }));
    const list = new Intl.ListFormat(t.lang === 'en' ? 'en-GB' : 'nl-NL', { type: 'conjunction' }).format(names);
    return t('levelOnlyFor', { levels: t(level), list });
  }

  renderControls() {
    const t = this.t;
    const s = this.state;
    const sel = $('indicator');
    const groups = new Map();
    for (const ind of this.list()) {
      const th = ind.theme || 'other';
      if (!groups.has(th)) groups.set(th, []);
      groups.get(th).push(ind);
    }
    const option = (ind) => h('option', { value: ind.id, selected: ind.id === s.indicator }, t.loc(ind.name));
    sel.replaceChildren(...(groups.size === 1 ? [...groups.values()][0].map(option)
      : [...groups].map(([th, list]) => h('optgroup', { label: t.theme(th) }, ...list.map(option)))));
    sel.value = s.indicator || '';
    const ind = this.current();
    const ysel = $('year');
    const years = ind ? (ind.years || []).slice().sort((a, b) => b - a) : [];
    ysel.replaceChildren(...years.map((y) => h('option', { value: String(y), selected: y === s.year }, String(y))));
    ysel.value = s.year ? String(s.year) : '';
    ysel.disabled = !years.length;
    for (const l of LEVELS) {
      const r = $(`level-${l}`);
      r.checked = s.level === l;
      r.disabled = !supports(ind, l);
    }
    // A level the indicator has no values for stays in the list, disabled, with the reason next to it.
    for (const l of LEVELS.slice(1)) {
      const hint = $(`level-${l}-hint`);
      const text = !this.offered(l) || supports(ind, l) ? '' : this.levelUnavailableText(l);
      hint.hidden = !text;
      hint.textContent = text;
    }
    $('classes').value = s.classes;
    const devKind = deviationKind(ind);
    $('mode-value').checked = s.mode !== 'deviation' || !devKind;
    $('mode-deviation').checked = s.mode === 'deviation' && !!devKind;
    $('mode-deviation').disabled = !devKind;
    const mh = $('mode-hint');
    mh.hidden = !!devKind;
    mh.textContent = devKind ? '' : t(ind && ind.kind === 'published' ? 'deviationUnavailablePublished' : 'deviationUnavailable');
    $('indicator-desc').textContent = ind ? [t.loc(ind.description), ind.source && ind.source.attribution].filter(Boolean).join(' — ') : '';
  }

  wire() {
    const active = () => !!this.view;
    $('indicator').addEventListener('change', (e) => {
      if (!active()) return;
      const s = this.state;
      s.indicator = e.target.value;
      const ind = this.current();
      let note = '';
      if (!supports(ind, s.level)) {
        const shown = LEVELS.find((l) => this.offered(l) && supports(ind, l)) || 'municipality';
        note = this.t('levelSwitched', { indicator: this.t.loc(ind.name), level: this.levelWord(s.level), shown: this.t(`plural_${shown}`) });
        s.level = shown;
        s.area = null;
        this.closeProfile({ push: false, restoreFocus: false });
      }
      const years = ind.years || [];
      if (!years.includes(s.year)) s.year = years.length ? Math.max(...years) : null;
      this.ctx.writeUrl('pushState');
      this.renderControls();
      this.loadMap().then(() => { if (note) this.ctx.setStatus(note); });
      if (s.area) this.openProfile(s.area, null, { push: false, focus: false });
      if (this.config.onIndicatorChange) this.config.onIndicatorChange();
    });
    for (const m of ['value', 'deviation']) {
      $(`mode-${m}`).addEventListener('change', (e) => {
        if (!active() || !e.target.checked) return;
        this.state.mode = m;
        this.ctx.writeUrl('pushState');
        this.loadMap();
      });
    }
    $('classes').addEventListener('change', (e) => {
      if (!active()) return;
      this.state.classes = e.target.value === 'jenks' ? 'jenks' : 'quantile';
      this.ctx.writeUrl('pushState');
      this.loadMap();
    });
    $('year').addEventListener('change', (e) => {
      if (!active()) return;
      this.state.year = Number(e.target.value);
      this.ctx.writeUrl('pushState');
      this.loadMap();
    });
    for (const l of LEVELS) {
      $(`level-${l}`).addEventListener('change', (e) => {
        if (!active() || !e.target.checked) return;
        this.state.level = l;
        if (this.state.area) this.closeProfile({ push: false, restoreFocus: false });
        this.ctx.writeUrl('pushState');
        this.loadMap();
        if (this.config.onLevelChange) this.config.onLevelChange();
      });
    }
  }

  // ---------------------------------------------------------------- map, legend, table
  setMapBusy(busy) {
    $('map-loading').hidden = !busy;
    $('map-section').setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  async loadMap() {
    const token = ++this.mapToken;
    const t = this.t;
    const s = this.state;
    const ind = this.current();
    if (!ind) { this.ctx.showError(new Error(t('noIndicators'))); return; }
    const lang = t.lang;
    const code = this.province.code;
    const indName = t.loc(ind.name);
    const unit = t.loc(ind.unit_symbol);
    const devKind = this.config.deviation && s.mode === 'deviation' ? deviationKind(ind) : null;
    const words = { indicator: indName, level: this.levelWord(s.level), year: s.year };
    const heading = t(devKind ? 'mapHeadingDev' : 'mapHeading', words);
    $('map-h').textContent = heading;
    $('table-h').textContent = t('tableHeading', words);
    document.title = `${heading} — ${t('title')}`;
    $('map').setAttribute('aria-label', t('mapLabel', words));
    this.renderDownloads(ind);
    this.setMapBusy(true);
    this.ctx.setStatus(t('loadingMap'));
    try {
      const [bnd, obs, outline, , prov] = await Promise.all([
        getJson('/boundaries', this.levelParams(s.level)),
        getJson('/observations', { indicator: ind.id, ...this.levelParams(s.level), year: s.year }),
        s.level !== 'municipality' ? getJson('/boundaries', this.levelParams('municipality')) : Promise.resolve(null),
        // a neighbourhood's parent is a district: its name comes from the area list
        s.level === 'neighbourhood' ? this.loadAreas().catch(() => null) : Promise.resolve(null),
        devKind ? getJson('/observations', { indicator: ind.id, area: code, year: s.year }) : Promise.resolve(null),
      ]);
      if (token !== this.mapToken) return;
      this.ctx.clearError();
      const fc = bnd.data && Array.isArray(bnd.data.features) ? bnd.data : { type: 'FeatureCollection', features: [] };
      for (const f of fc.features) this.areaNames.set(f.properties.code, f.properties.name);
      if (outline) for (const f of outline.data.features) this.areaNames.set(f.properties.code, f.properties.name);
      const byArea = new Map();
      for (const o of obs.data || []) if (o.indicator === ind.id && o.year === s.year) byArea.set(o.area, o);
      const rows = fc.features.map((f) => {
        const o = byArea.get(f.properties.code);
        return {
          code: f.properties.code, name: f.properties.name || f.properties.code,
          parent: f.properties.parent, parentName: this.areaNames.get(f.properties.parent) || f.properties.parent || '',
          value: o && o.value != null ? o.value : null,
          missing: o ? (o.value == null ? o.missing || 'unknown' : null) : 'no_observation',
        };
      });
      // observations for areas that have no boundary still belong in the table
      const known = new Set(rows.map((r) => r.code));
      for (const o of byArea.values()) if (!known.has(o.area)) rows.push({ code: o.area, name: o.area_name || o.area, parentName: '', value: o.value, missing: o.value == null ? o.missing || 'unknown' : null });
      const decimals = Number.isInteger(ind.decimals) ? ind.decimals : 1;
      const provObs = prov && (prov.data || []).find((o) => o.area === code && o.year === s.year);
      const provValue = provObs && provObs.value != null ? provObs.value : null;
      let deviation = null;
      if (devKind && provValue != null && (devKind === 'diff' || provValue !== 0)) {
        const center = devKind === 'diff' ? 0 : 100;
        const devUnit = devKind === 'diff' ? (unit === '%' ? t('pointsUnit') : unit) : '';
        const devDecimals = devKind === 'diff' ? decimals : 0;
        const format = (d) => {
          const n = formatNumber(d, lang, devDecimals);
          const signed = d - center > 0 && devKind === 'diff' ? `+${n}` : n;
          return devUnit ? `${signed} ${devUnit}` : signed;
        };
        deviation = {
          kind: devKind, center, drenthe: provValue, format,
          how: t(devKind === 'diff' ? 'deviationDiff' : 'deviationIndex', { drenthe: formatValue(provValue, lang, decimals, unit), unit: devUnit }),
        };
        for (const r of rows) r.dev = r.value == null ? null : (devKind === 'diff' ? r.value - provValue : (100 * r.value) / provValue);
      }
      const { classes, classOf } = deviation
        ? divergingClasses(rows.map((r) => r.dev).filter((v) => v != null), deviation.center)
        : (s.classes === 'jenks' ? jenksClasses : quantileClasses)(rows.map((r) => r.value).filter((v) => v != null));
      for (const r of rows) {
        const v = deviation ? r.dev : r.value;
        r.cls = v == null ? -1 : classOf(v);
      }
      const styleOf = new Map();
      for (const r of rows) {
        let valueText = r.value == null ? t('missingShort', { reason: t.missing(r.missing) }) : formatValue(r.value, lang, decimals, unit);
        if (deviation && r.dev != null) valueText += ` (${t('vsDrenthe', { dev: deviation.format(r.dev) })})`;
        const clsText = r.cls >= 0 ? ` (${t('classN', { n: r.cls + 1, total: classes.length })})` : '';
        const tip = document.createElement('div');
        tip.append(h('strong', {}, r.name), h('br'), valueText);
        styleOf.set(r.code, { fill: r.cls >= 0 ? classes[r.cls].color : NO_DATA_FILL, label: `${r.name}: ${valueText}${clsText}`, tooltip: tip });
      }
      this.lastModel = { rows, classes, decimals, unit, level: s.level, indName, deviation };
      this.mapView.render(fc, styleOf, { level: s.level, outlineFc: outline && outline.data, selected: s.area });
      this.mapView.setMunicipalityLabels(outline ? outline.data : fc);
      renderLegend($('legend'), t, ind, this.lastModel, s.classes);
      this.renderTable();
      this.ctx.setStatus(t('ready', { ...words, n: rows.length }));
      if (this.config.onMapDrawn) this.config.onMapDrawn();
    } catch (e) {
      if (token !== this.mapToken) return;
      // never leave the previous selection's colours under the new heading
      this.mapView.clear();
      clear($('legend'));
      clear($('table-wrap'));
      this.lastModel = null;
      this.ctx.showError(e, () => this.loadMap());
    } finally {
      if (token === this.mapToken) this.setMapBusy(false);
    }
  }

  /** Town names from /api/v1/places (once); a server without the route gets municipality names only. */
  loadPlaces() {
    if (!this.placesPromise) {
      this.placesPromise = getJson('/places', { parent: this.province.code })
        .then(({ data }) => (Array.isArray(data) ? data : []).filter((p) => p && p.name && Number.isFinite(p.lon) && Number.isFinite(p.lat)))
        .catch((e) => {
          if (!(e instanceof ApiError && e.status === 404)) this.placesPromise = null;
          return [];
        });
    }
    return this.placesPromise.then((places) => { this.mapView.setTowns(places); return places; });
  }

  renderTable() {
    if (!this.lastModel) return;
    const m = this.lastModel;
    this.table.render(this.t, {
      ...m,
      caption: this.t('tableCaption', { indicator: m.indName, unit: m.unit || '—', level: this.levelWord(m.level), year: this.state.year }),
      selected: this.state.area,
    });
  }

  renderDownloads(ind) {
    const t = this.t;
    const s = this.state;
    const el = $('downloads');
    clear(el);
    const base = { indicator: ind.id, ...this.levelParams(s.level), format: 'csv' };
    const src = ind.source || {};
    const pageUrl = `${location.origin}/${this.config.citationQuery()}`;
    el.append(
      h('p', {},
        h('a', { href: apiUrl('/observations', base), type: 'text/csv', download: `${ind.id}_${s.level}.csv` }, t('downloadCsvAll')),
        ' · ',
        h('a', { href: apiUrl('/observations', { ...base, year: s.year }), type: 'text/csv', download: `${ind.id}_${s.level}_${s.year}.csv` }, t('downloadCsvYear', { year: s.year })),
        ' · ',
        h('a', { href: apiUrl('/observations', { indicator: ind.id, ...this.levelParams(s.level), year: s.year }), type: 'application/json' }, t('downloadJsonYear', { year: s.year })),
        ' · ',
        h('a', { href: apiUrl('/observations', { indicator: ind.id, format: 'csv' }), type: 'text/csv', download: `${ind.id}.csv` }, t('downloadCsvFull'))),
      h('p', { class: 'licence' }, t('sourceLine', { attribution: src.attribution || 'CBS', table: src.table || src.id || '', licence: src.licence || 'CC BY 4.0' })),
      h('p', { class: 'citation' }, h('span', { class: 'citation-label' }, `${t('citeAs')}: `),
        h('q', {}, t('citation', { indicator: t.loc(ind.name), level: this.levelWord(s.level), year: s.year, table: src.table || src.id || '', licence: src.licence || 'CC BY 4.0', url: pageUrl }))),
    );
  }

  // ---------------------------------------------------------------- profile
  async openProfile(code, fromEl, { push = true, focus = true } = {}) {
    const ind = this.current();
    if (!ind || !code) return;
    const t = this.t;
    if (fromEl) this.origin = { el: fromEl, code, kind: fromEl.closest && fromEl.closest('#map') ? 'map' : 'table' };
    this.state.area = code;
    if (push) this.ctx.writeUrl('pushState');
    $('layout').classList.add('has-profile');
    this.mapView.markSelected(code);
    this.mapView.invalidate();
    this.renderTable();
    const token = ++this.profileToken;
    const name = this.areaNames.get(code) || code;
    this.profile.showLoading(t, name);
    this.ctx.setStatus(t('loadingProfile'));
    try {
      const { data } = await getJson(`/areas/${encodeURIComponent(code)}/profile`, { indicator: ind.id, lang: t.lang });
      if (token !== this.profileToken) return;
      this.profile.render(t, data, ind);
      this.ctx.setStatus('');
      this.showProjection(code, token);
    } catch (e) {
      if (token !== this.profileToken) return;
      this.profile.showError(t, name, this.ctx.errorMessage(e), () => this.openProfile(code, null, { push: false }));
      this.ctx.setStatus('');
    }
    this.mapView.invalidate();
    if (focus) {
      this.profile.focusHeading();
      if (window.matchMedia && window.matchMedia('(max-width: 1279px)').matches) $('profile').scrollIntoView({ block: 'start' });
    }
  }

  loadProjectionList() {
    if (!this.projectionListPromise) {
      this.projectionListPromise = getJson('/projection')
        .then(({ data }) => (data && Array.isArray(data.areas) ? data.areas : []))
        .catch((e) => {
          // 404: this server has no projection; anything else may pass, so ask again next time
          if (!(e instanceof ApiError && e.status === 404)) this.projectionListPromise = null;
          return [];
        });
    }
    return this.projectionListPromise;
  }

  /**
   * Fills the profile's projection section for `code` with the projection of `scopeId` (the area itself,
   * or a region or province it belongs to). Areas without a projection show nothing extra.
   */
  async showProjection(code, token, scopeId = code, { focusScope = false } = {}) {
    const t = this.t;
    const list = await this.loadProjectionList();
    const slot = this.profile.projectionSlot();
    if (token !== this.profileToken || !slot) return;
    const scopes = projectionScopes(list, code);
    if (!scopes.length) { slot.hidden = true; return; }
    if (!slot.childElementCount) {
      slot.hidden = false;
      slot.setAttribute('aria-busy', 'true');
      slot.replaceChildren(h('h3', { id: 'projection-h' }, t('projHeadingShort')), h('p', { class: 'loading' }, t('projLoading')));
    }
    try {
      const { data, meta } = await getJson(`/projection/${encodeURIComponent(scopeId)}`);
      if (token !== this.profileToken) return;
      slot.hidden = false;
      this.profile.projection.render(slot, t, data, meta, {
        scopes,
        onScope: (id) => {
          this.ctx.setStatus(t('projLoading'));
          this.showProjection(code, token, id, { focusScope: true });
        },
      });
      if (focusScope) {
        const sel = $('projection-scope');
        if (sel) sel.focus();
        this.ctx.setStatus(t('projShown', { name: data.name || scopeId }));
      }
    } catch (e) {
      if (token !== this.profileToken) return;
      if (e instanceof ApiError && e.status === 404) { slot.hidden = true; slot.replaceChildren(); return; }
      slot.hidden = false;
      slot.replaceChildren(h('h3', { id: 'projection-h' }, t('projHeadingShort')),
        h('div', { class: 'error-box' }, h('p', {}, this.ctx.errorMessage(e)),
          h('button', { type: 'button', class: 'btn', onclick: () => this.showProjection(code, token, scopeId) }, t('retry'))));
    } finally {
      if (token === this.profileToken) slot.removeAttribute('aria-busy');
    }
  }

  closeProfile({ push = true, restoreFocus = true } = {}) {
    if (!this.view) return;
    const code = this.state.area;
    this.profileToken++;
    this.state.area = null;
    if (push) this.ctx.writeUrl('pushState');
    this.profile.hide();
    $('layout').classList.remove('has-profile');
    this.mapView.markSelected(null);
    this.mapView.invalidate();
    this.renderTable();
    if (!restoreFocus) return;
    const o = this.origin;
    this.origin = null;
    if (o && o.el && document.contains(o.el)) { o.el.focus(); return; }
    const target = (o && o.kind === 'map' && this.mapView.elementFor(o.code)) || null;
    if (target) { target.focus(); return; }
    if (code && this.table.focusRow(code)) return;
    $('map-h').setAttribute('tabindex', '-1');
    $('map-h').focus();
  }

  // ---------------------------------------------------------------- areas (search, compare)
  /** /api/v1/areas, once; marks which areas lie in the province (those are on the map). */
  loadAreas() {
    if (!this.areasPromise) {
      const pv = this.province.code;
      this.areasPromise = getJson('/areas').then(({ data }) => {
        this.allAreas = Array.isArray(data) ? data : [];
        const munis = new Set(this.allAreas.filter((a) => a.level === 'municipality' && a.parent === pv).map((a) => a.code));
        const dists = new Set(this.allAreas.filter((a) => a.level === 'district' && munis.has(a.parent)).map((a) => a.code));
        this.inProvince = (a) => (a.level === 'municipality' && a.parent === pv)
          || ((a.level === 'district' || a.level === 'postcode') && munis.has(a.parent))
          || (a.level === 'neighbourhood' && dists.has(a.parent));
        for (const a of this.allAreas) if (!this.areaNames.has(a.code)) this.areaNames.set(a.code, a.name);
        if (this.view && this.config.onAreas) this.config.onAreas();
        return this.allAreas;
      }).catch((e) => { this.areasPromise = null; throw e; });
    }
    return this.areasPromise;
  }

  nameOf(code) { return this.areaNames.get(code) || code; }

  /**
   * Whether the map view opens the profile of an area here: the province itself (its profile carries the
   * population projection) and its areas at a level the province and some indicator of the view have.
   */
  opensHere(a) {
    if (a.code === this.province.code) return true;
    return this.inProvince(a) && LEVELS.includes(a.level) && this.offered(a.level) && this.list().some((i) => supports(i, a.level));
  }

  /** Shows an area found by search: switches level (and indicator, if it lacks the level), opens its profile. */
  async showArea(area) {
    const s = this.state;
    const before = s.indicator;
    if (LEVELS.includes(area.level)) {
      if (!supports(this.current(), area.level)) {
        const list = this.list();
        const fit = [list.find((i) => i.id === this.config.defaultIndicator(list)), ...list].find((i) => i && supports(i, area.level));
        if (fit) s.indicator = fit.id;
      }
      this.normalise();
      if (s.level !== area.level || s.indicator !== before) {
        s.level = area.level;
        this.renderControls();
        await this.loadMap();
      }
    }
    if (s.indicator !== before && this.config.onIndicatorChange) this.config.onIndicatorChange();
    await this.openProfile(area.code, null, { push: true, focus: true });
    this.ctx.setStatus(this.t('searchOpened', { name: area.name }));
  }
}
