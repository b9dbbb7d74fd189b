// Leefbaar dashboard: state in the URL, controls, map, legend, table and area profile.
import 'leaflet/dist/leaflet.css';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { makeT, LANGS } from './i18n.js';
import { getJson, apiUrl, ApiError } from './api.js';
import { quantileClasses, jenksClasses, divergingClasses, deviationKind, NO_DATA_FILL } from './classify.js';
import { formatValue, formatNumber } from './format.js';
import { ChoroplethMap } from './map.js';
import { ProfilePanel } from './profile.js';
import { AreaTable } from './table.js';
import { ComparePanel, MAX_COMPARE } from './compare.js';
import { projectionScopes } from './projection.js';
import { h, clear } from './dom.js';

const LEVELS = ['municipality', 'district', 'neighbourhood'];
const DEFAULT_INDICATOR = 'share_65_plus';
const $ = (id) => document.getElementById(id);

const state = { lang: 'nl', indicator: null, year: null, level: 'municipality', area: null, mode: 'value', classes: 'quantile', compare: [], facilities: [] };
// Facility kinds of /api/v1/facilities (docs/api.md) with their marker colour (black outline) and radius.
const FACILITY_KINDS = ['primary_school', 'secondary_school', 'havo_vwo_school', 'hospital', 'ambulance_post'];
const FACILITY_STYLE = {
  primary_school: { color: '#ff7f00', radius: 5 },
  secondary_school: { color: '#984ea3', radius: 6 },
  havo_vwo_school: { color: '#f781bf', radius: 6 },
  hospital: { color: '#e41a1c', radius: 8 },
  ambulance_post: { color: '#ffffff', radius: 7 },
};
let facilityToken = 0;
let facilitiesAvailable = true;
// The closure scenario: computed on request, never stored (nothing of it is in the URL either).
const scenario = { facility: null, origin: null, result: null, meta: null, level: null, busy: false, error: null, token: 0 };
const CODE_RE = /^(NL|PV|GM|WK|BU)\d{2,8}$/;
let allAreas = []; // /api/v1/areas, for search and compare
let areasPromise = null;
let compareView;
let compareToken = 0;
let t = makeT('nl');
let indicators = [];
let mapView;
let profile;
let table;
let mapToken = 0;
let profileToken = 0;
let projectionListPromise = null; // data.areas of /api/v1/projection ([] when the server has none)
let origin = null; // where focus was when the profile opened
let areaNames = new Map(); // code -> name (boundaries seen so far)
let lastModel = null;

// ---------------------------------------------------------------- URL state
function readUrl() {
  const q = new URLSearchParams(location.search);
  state.lang = LANGS.includes(q.get('lang')) ? q.get('lang') : 'nl';
  state.indicator = q.get('indicator') || null;
  const y = Number(q.get('year'));
  state.year = Number.isInteger(y) && y > 0 ? y : null;
  state.level = LEVELS.includes(q.get('level')) ? q.get('level') : 'municipality';
  state.area = q.get('area') || null;
  state.mode = q.get('mode') === 'deviation' ? 'deviation' : 'value';
  state.classes = q.get('classes') === 'jenks' ? 'jenks' : 'quantile';
  const fac = new Set((q.get('facilities') || '').split(',').map((k) => k.trim()));
  state.facilities = FACILITY_KINDS.filter((k) => fac.has(k));
  state.compare = [...new Set((q.get('compare') || '').split(',').map((c) => c.trim()).filter((c) => CODE_RE.test(c)))].slice(0, MAX_COMPARE);
}

function queryFor(s) {
  const q = new URLSearchParams();
  if (s.lang !== 'nl') q.set('lang', s.lang);
  if (s.indicator) q.set('indicator', s.indicator);
  if (s.year) q.set('year', String(s.year));
  q.set('level', s.level);
  if (s.area) q.set('area', s.area);
  if (s.mode === 'deviation') q.set('mode', 'deviation');
  if (s.classes === 'jenks') q.set('classes', 'jenks');
  if (s.compare && s.compare.length) q.set('compare', s.compare.join(','));
  if (s.facilities && s.facilities.length) q.set('facilities', s.facilities.join(','));
  // keep lists readable in shared links: `compare=GM0114,GM0106`
  return `?${q.toString().replace(/%2C/gi, ',')}`;
}

function writeUrl(mode = 'pushState') {
  const url = queryFor(state) + location.hash;
  if (url === location.search + location.hash) return;
  history[mode]({ ...state }, '', url);
}

const currentIndicator = () => indicators.find((i) => i.id === state.indicator);
const supports = (ind, level) => !ind || !Array.isArray(ind.levels) || ind.levels.includes(level);
// Districts and neighbourhoods are those of Drenthe only in the store, so they need no `parent`.
const levelParams = (level) => (level === 'municipality' ? { level: 'municipality', parent: 'PV22' } : { level });
// /reach/scenario has no neighbourhood level: on the neighbourhood map the scenario is per district.
const scenarioLevel = () => (state.level === 'municipality' ? 'municipality' : 'district');

function normalise() {
  if (!indicators.length) return;
  if (!currentIndicator()) state.indicator = (indicators.find((i) => i.id === DEFAULT_INDICATOR) || indicators[0]).id;
  const ind = currentIndicator();
  if (!supports(ind, state.level)) state.level = LEVELS.find((l) => supports(ind, l)) || 'municipality';
  const years = (ind.years || []).slice().sort((a, b) => a - b);
  if (!years.includes(state.year)) state.year = years.length ? years[years.length - 1] : null;
}

// ---------------------------------------------------------------- static texts and controls
function applyLang() {
  t = makeT(state.lang);
  document.documentElement.lang = state.lang;
  $('skip-main').textContent = t('skipToMain');
  $('site-title').textContent = t('title');
  $('tagline').textContent = t('tagline');
  const other = state.lang === 'nl' ? 'en' : 'nl';
  const sw = $('lang-switch');
  sw.textContent = t('switchLang');
  sw.setAttribute('lang', other);
  sw.setAttribute('hreflang', other);
  sw.setAttribute('href', queryFor({ ...state, lang: other }));
  $('lang-nav').setAttribute('aria-label', state.lang === 'nl' ? 'Taal' : 'Language');
  $('controls-h').textContent = t('controls');
  $('indicator-label').textContent = t('indicator');
  $('year-label').textContent = t('year');
  $('level-legend').textContent = t('level');
  $('level-municipality-label').textContent = t('municipality');
  $('level-district-label').textContent = t('district');
  $('level-neighbourhood-label').textContent = t('neighbourhood');
  $('skip-table').textContent = t('skipToTable');
  $('map-loading-text').textContent = t('loadingMap');
  $('footer-data').textContent = t('footerData');
  $('view-legend').textContent = t('viewLegend');
  $('classes-label').textContent = t('classesLabel');
  $('classes-quantile').textContent = t('classesQuantile');
  $('classes-jenks').textContent = t('classesJenks');
  $('mode-value-label').textContent = t('viewValue');
  $('mode-deviation-label').textContent = t('viewDeviation');
  $('search-label').textContent = t('searchLabel');
  $('search-hint').textContent = t('searchHint');
  $('search-button').textContent = t('searchButton');
  $('compare-h').textContent = t('compareHeading');
  $('compare-add-label').textContent = t('compareAdd');
  $('compare-add-button').textContent = t('compareAddButton');
  $('compare-selected-h').textContent = t('compareSelected');
  clear($('search-results'));
  $('api-link').textContent = t('apiLink');
  $('facilities-legend').textContent = t('facilitiesLegend');
  if (mapView) mapView.setTexts(t);
}

function levelUnavailableText(level) {
  const others = indicators.filter((i) => supports(i, level));
  if (!others.length) return t('levelNoneYet', { levels: t(level), level: levelWord(level) });
  const names = others.slice(0, 2).map((i) => t.loc(i.name));
  if (others.length > 2) names.push(t('andMore', { n: others.length - 2 }));
  const list = new Intl.ListFormat(state.lang === 'en' ? 'en-GB' : 'nl-NL', { type: 'conjunction' }).format(names);
  return t('levelOnlyFor', { levels: t(level), list });
}

function renderControls() {
  const sel = $('indicator');
  const groups = new Map();
  for (const ind of indicators) {
    const th = ind.theme || 'other';
    if (!groups.has(th)) groups.set(th, []);
    groups.get(th).push(ind);
  }
  sel.replaceChildren(...[...groups].map(([th, list]) => h('optgroup', { label: t.theme(th) },
    ...list.map((ind) => h('option', { value: ind.id, selected: ind.id === state.indicator }, t.loc(ind.name))))));
  sel.value = state.indicator || '';
  const ind = currentIndicator();
  const ysel = $('year');
  const years = ind ? (ind.years || []).slice().sort((a, b) => b - a) : [];
  ysel.replaceChildren(...years.map((y) => h('option', { value: String(y), selected: y === state.year }, String(y))));
  ysel.value = state.year ? String(state.year) : '';
  ysel.disabled = !years.length;
  for (const l of LEVELS) {
    const r = $(`level-${l}`);
    r.checked = state.level === l;
    r.disabled = !supports(ind, l);
  }
  // A level the indicator has no values for stays in the list, disabled, with the reason next to it.
  for (const l of LEVELS.slice(1)) {
    const hint = $(`level-${l}-hint`);
    const text = supports(ind, l) ? '' : levelUnavailableText(l);
    hint.hidden = !text;
    hint.textContent = text;
  }
  $('classes').value = state.classes;
  const devKind = deviationKind(ind);
  $('mode-value').checked = state.mode !== 'deviation' || !devKind;
  $('mode-deviation').checked = state.mode === 'deviation' && !!devKind;
  $('mode-deviation').disabled = !devKind;
  const mh = $('mode-hint');
  if (!devKind) { mh.hidden = false; mh.textContent = t('deviationUnavailable'); } else { mh.hidden = true; mh.textContent = ''; }
  const desc = $('indicator-desc');
  desc.textContent = ind ? [t.loc(ind.description), ind.source && ind.source.attribution].filter(Boolean).join(' — ') : '';
}

// ---------------------------------------------------------------- status and errors
function setStatus(msg) { $('status').textContent = msg || ''; }

function errorMessage(e) {
  if (e instanceof ApiError) {
    if (e.kind === 'server') return t('errorServer', { status: e.status, message: e.message });
    if (e.kind === 'network') return t('errorNetwork');
    return t('errorBadResponse', { status: e.status || '?' });
  }
  return `${t('errorTitle')}: ${e && e.message ? e.message : e}`;
}

function showError(e, retry) {
  const box = $('error');
  clear(box);
  box.append(h('div', { class: 'error-box' },
    h('p', { class: 'error-title' }, h('strong', {}, t('errorTitle'))),
    h('p', {}, errorMessage(e)),
    retry ? h('button', { type: 'button', class: 'btn', onclick: () => { clear(box); retry(); } }, t('retry')) : null));
  setStatus('');
}
const clearError = () => clear($('error'));

// ---------------------------------------------------------------- map, legend, table
function setMapBusy(busy) {
  $('map-loading').hidden = !busy;
  $('map-section').setAttribute('aria-busy', busy ? 'true' : 'false');
}

function levelWord(level) { return t(`lvl_${level}`); }

async function loadMap() {
  const token = ++mapToken;
  const ind = currentIndicator();
  if (!ind) { showError(new Error(t('noIndicators'))); return; }
  const lang = state.lang;
  const indName = t.loc(ind.name);
  const unit = t.loc(ind.unit_symbol);
  const devKind = state.mode === 'deviation' ? deviationKind(ind) : null;
  const heading = t(devKind ? 'mapHeadingDev' : 'mapHeading', { indicator: indName, level: levelWord(state.level), year: state.year });
  $('map-h').textContent = heading;
  $('table-h').textContent = t('tableHeading', { indicator: indName, level: levelWord(state.level), year: state.year });
  document.title = `${heading} — ${t('title')}`;
  $('map').setAttribute('aria-label', t('mapLabel', { indicator: indName, level: levelWord(state.level), year: state.year }));
  renderDownloads(ind);
  setMapBusy(true);
  setStatus(t('loadingMap'));
  try {
    const [bnd, obs, outline, , prov] = await Promise.all([
      getJson('/boundaries', levelParams(state.level)),
      getJson('/observations', { indicator: ind.id, ...levelParams(state.level), year: state.year }),
      state.level !== 'municipality' ? getJson('/boundaries', levelParams('municipality')) : Promise.resolve(null),
      // a neighbourhood's parent is a district: its name comes from the area list
      state.level === 'neighbourhood' ? loadAreas().catch(() => null) : Promise.resolve(null),
      devKind ? getJson('/observations', { indicator: ind.id, area: 'PV22', year: state.year }) : Promise.resolve(null),
    ]);
    if (token !== mapToken) return;
    clearError();
    const fc = bnd.data && Array.isArray(bnd.data.features) ? bnd.data : { type: 'FeatureCollection', features: [] };
    for (const f of fc.features) areaNames.set(f.properties.code, f.properties.name);
    if (outline) for (const f of outline.data.features) areaNames.set(f.properties.code, f.properties.name);
    const byArea = new Map();
    for (const o of obs.data || []) if (o.indicator === ind.id && o.year === state.year) byArea.set(o.area, o);
    const rows = fc.features.map((f) => {
      const o = byArea.get(f.properties.code);
      return {
        code: f.properties.code, name: f.properties.name || f.properties.code,
        parent: f.properties.parent, parentName: areaNames.get(f.properties.parent) || f.properties.parent || '',
        value: o && o.value != null ? o.value : null,
        missing: o ? (o.value == null ? o.missing || 'unknown' : null) : 'no_observation',
      };
    });
    // observations for areas that have no boundary still belong in the table
    const known = new Set(rows.map((r) => r.code));
    for (const o of byArea.values()) if (!known.has(o.area)) rows.push({ code: o.area, name: o.area_name || o.area, parentName: '', value: o.value, missing: o.value == null ? o.missing || 'unknown' : null });
    const decimals = Number.isInteger(ind.decimals) ? ind.decimals : 1;
    const drentheObs = prov && (prov.data || []).find((o) => o.area === 'PV22' && o.year === state.year);
    const drenthe = drentheObs && drentheObs.value != null ? drentheObs.value : null;
    let deviation = null;
    if (devKind && drenthe != null && (devKind === 'diff' || drenthe !== 0)) {
      const center = devKind === 'diff' ? 0 : 100;
      const devUnit = devKind === 'diff' ? (unit === '%' ? t('pointsUnit') : unit) : '';
      const devDecimals = devKind === 'diff' ? decimals : 0;
      const format = (d) => {
        const n = formatNumber(d, lang, devDecimals);
        const signed = d - center > 0 && devKind === 'diff' ? `+${n}` : n;
        return devUnit ? `${signed} ${devUnit}` : signed;
      };
      deviation = {
        kind: devKind, center, drenthe, format,
        how: t(devKind === 'diff' ? 'deviationDiff' : 'deviationIndex', { drenthe: formatValue(drenthe, lang, decimals, unit), unit: devUnit }),
      };
      for (const r of rows) r.dev = r.value == null ? null : (devKind === 'diff' ? r.value - drenthe : (100 * r.value) / drenthe);
    }
    const { classes, classOf } = deviation
      ? divergingClasses(rows.map((r) => r.dev).filter((v) => v != null), deviation.center)
      : (state.classes === 'jenks' ? jenksClasses : quantileClasses)(rows.map((r) => r.value).filter((v) => v != null));
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
    lastModel = { rows, classes, decimals, unit, level: state.level, indName, deviation };
    mapView.render(fc, styleOf, { level: state.level, outlineFc: outline && outline.data, selected: state.area });
    renderLegend(ind, lastModel);
    renderTable();
    setStatus(t('ready', { indicator: indName, level: levelWord(state.level), year: state.year, n: rows.length }));
  } catch (e) {
    if (token !== mapToken) return;
    // never leave the previous selection's colours under the new heading
    mapView.clear();
    clear($('legend'));
    clear($('table-wrap'));
    lastModel = null;
    showError(e, loadMap);
  } finally {
    if (token === mapToken) setMapBusy(false);
  }
}

function renderLegend(ind, model) {
  const el = $('legend');
  clear(el);
  const { classes, decimals, unit, rows, deviation } = model;
  const fmt = deviation ? deviation.format : (v) => formatValue(v, state.lang, decimals, unit);
  // "21,0 – 22,0%": the unit once, after the upper bound
  const rangeText = deviation ? (a, b) => {
    if (a === -Infinity) return `< ${fmt(b)}`;
    if (b === Infinity) return `> ${fmt(a)}`;
    return `${fmt(a)} – ${fmt(b)}`;
  } : (a, b) => (unit && !unit.startsWith('×')
    ? `${formatNumber(a, state.lang, decimals)} – ${fmt(b)}` : `${fmt(a)} – ${fmt(b)}`);
  const count = (n) => (n === 1 ? t('areaCount1') : t('areasCount', { n }));
  const missing = rows.filter((r) => r.value == null);
  el.append(h('h3', {}, `${t('legend')}: ${t.loc(ind.name)}${unit ? ` (${unit})` : ''}`));
  if (classes.length && deviation) el.append(h('p', { class: 'legend-note' }, t(deviation.kind === 'diff' ? 'deviationLegend' : 'deviationLegendIndex', { how: deviation.how })));
  else if (classes.length) el.append(h('p', { class: 'legend-note' }, t(state.classes === 'jenks' ? 'legendJenks' : 'legendClasses', { n: classes.length })));
  else el.append(h('p', { class: 'legend-note' }, t('noValues')));
  const items = classes.filter((c) => !deviation || c.count > 0).map((c) => h('li', {},
    h('span', { class: 'swatch', style: `background:${c.color}`, 'aria-hidden': 'true' }),
    h('span', { class: 'legend-range' }, `${classes.indexOf(c) + 1}. ${c.min === c.max ? fmt(c.min) : rangeText(c.min, c.max)}`),
    h('span', { class: 'legend-count' }, ` (${count(c.count)})`)));
  if (missing.length) {
    const reasons = [...new Set(missing.map((r) => t.missing(r.missing)))].join('; ');
    items.push(h('li', {}, h('span', { class: 'swatch nodata', 'aria-hidden': 'true' }),
      h('span', { class: 'legend-range' }, `${t('noData')}: ${reasons}`),
      h('span', { class: 'legend-count' }, ` (${count(missing.length)})`)));
  }
  el.append(h('ul', { class: 'legend-list' }, ...items));
}

function renderTable() {
  if (!lastModel) return;
  const m = lastModel;
  table.render(t, {
    ...m,
    caption: t('tableCaption', { indicator: m.indName, unit: m.unit || '—', level: levelWord(m.level), year: state.year }),
    selected: state.area,
  });
}

function renderDownloads(ind) {
  const el = $('downloads');
  clear(el);
  const base = { indicator: ind.id, ...levelParams(state.level), format: 'csv' };
  const src = ind.source || {};
  const pageUrl = `${location.origin}/${queryFor({ ...state, area: null, compare: [], facilities: [] })}`;
  el.append(
    h('p', {},
      h('a', { href: apiUrl('/observations', base), type: 'text/csv', download: `${ind.id}_${state.level}.csv` }, t('downloadCsvAll')),
      ' · ',
      h('a', { href: apiUrl('/observations', { ...base, year: state.year }), type: 'text/csv', download: `${ind.id}_${state.level}_${state.year}.csv` }, t('downloadCsvYear', { year: state.year })),
      ' · ',
      h('a', { href: apiUrl('/observations', { indicator: ind.id, ...levelParams(state.level), year: state.year }), type: 'application/json' }, t('downloadJsonYear', { year: state.year })),
      ' · ',
      h('a', { href: apiUrl('/observations', { indicator: ind.id, format: 'csv' }), type: 'text/csv', download: `${ind.id}.csv` }, t('downloadCsvFull'))),
    h('p', { class: 'licence' }, t('sourceLine', { attribution: src.attribution || 'CBS', table: src.table || src.id || '', licence: src.licence || 'CC BY 4.0' })),
    h('p', { class: 'citation' }, h('span', { class: 'citation-label' }, `${t('citeAs')}: `),
      h('q', {}, t('citation', { indicator: t.loc(ind.name), level: levelWord(state.level), year: state.year, table: src.table || src.id || '', licence: src.licence || 'CC BY 4.0', url: pageUrl }))),
  );
}

// ---------------------------------------------------------------- profile
async function openProfile(code, fromEl, { push = true, focus = true } = {}) {
  const ind = currentIndicator();
  if (!ind || !code) return;
  if (fromEl) origin = { el: fromEl, code, kind: fromEl.closest && fromEl.closest('#map') ? 'map' : 'table' };
  state.area = code;
  if (push) writeUrl('pushState');
  $('layout').classList.add('has-profile');
  mapView.markSelected(code);
  mapView.invalidate();
  renderTable();
  const token = ++profileToken;
  const name = areaNames.get(code) || code;
  profile.showLoading(t, name);
  setStatus(t('loadingProfile'));
  try {
    const { data } = await getJson(`/areas/${encodeURIComponent(code)}/profile`, { indicator: ind.id, lang: state.lang });
    if (token !== profileToken) return;
    profile.render(t, data, ind);
    setStatus('');
    showProjection(code, token);
  } catch (e) {
    if (token !== profileToken) return;
    profile.showError(t, name, errorMessage(e), () => openProfile(code, null, { push: false }));
    setStatus('');
  }
  mapView.invalidate();
  if (focus) {
    profile.focusHeading();
    if (window.matchMedia && window.matchMedia('(max-width: 899px)').matches) $('profile').scrollIntoView({ block: 'start' });
  }
}

// ---------------------------------------------------------------- population projection in the profile
function loadProjectionList() {
  if (!projectionListPromise) {
    projectionListPromise = getJson('/projection')
      .then(({ data }) => (data && Array.isArray(data.areas) ? data.areas : []))
      .catch((e) => {
        // 404: this server has no projection; anything else may pass, so ask again next time
        if (!(e instanceof ApiError && e.status === 404)) projectionListPromise = null;
        return [];
      });
  }
  return projectionListPromise;
}

/**
 * Fills the profile's projection section for `code` with the projection of `scopeId` (the area itself, or
 * a region or province it belongs to). Areas without a projection show nothing extra.
 */
async function showProjection(code, token, scopeId = code, { focusScope = false } = {}) {
  const list = await loadProjectionList();
  const slot = profile.projectionSlot();
  if (token !== profileToken || !slot) return;
  const scopes = projectionScopes(list, code);
  if (!scopes.length) { slot.hidden = true; return; }
  if (!slot.childElementCount) {
    slot.hidden = false;
    slot.setAttribute('aria-busy', 'true');
    slot.replaceChildren(h('h3', { id: 'projection-h' }, t('projHeadingShort')), h('p', { class: 'loading' }, t('projLoading')));
  }
  try {
    const { data, meta } = await getJson(`/projection/${encodeURIComponent(scopeId)}`);
    if (token !== profileToken) return;
    slot.hidden = false;
    profile.projection.render(slot, t, data, meta, {
      scopes,
      onScope: (id) => {
        setStatus(t('projLoading'));
        showProjection(code, token, id, { focusScope: true });
      },
    });
    if (focusScope) {
      const sel = $('projection-scope');
      if (sel) sel.focus();
      setStatus(t('projShown', { name: data.name || scopeId }));
    }
  } catch (e) {
    if (token !== profileToken) return;
    if (e instanceof ApiError && e.status === 404) { slot.hidden = true; slot.replaceChildren(); return; }
    slot.hidden = false;
    slot.replaceChildren(h('h3', { id: 'projection-h' }, t('projHeadingShort')),
      h('div', { class: 'error-box' }, h('p', {}, errorMessage(e)),
        h('button', { type: 'button', class: 'btn', onclick: () => showProjection(code, token, scopeId) }, t('retry'))));
  } finally {
    if (token === profileToken) slot.removeAttribute('aria-busy');
  }
}

function closeProfile({ push = true, restoreFocus = true } = {}) {
  const code = state.area;
  profileToken++;
  state.area = null;
  if (push) writeUrl('pushState');
  profile.hide();
  $('layout').classList.remove('has-profile');
  mapView.markSelected(null);
  mapView.invalidate();
  renderTable();
  if (!restoreFocus) return;
  const o = origin;
  origin = null;
  if (o && o.el && document.contains(o.el)) { o.el.focus(); return; }
  const target = (o && o.kind === 'map' && mapView.elementFor(o.code)) || null;
  if (target) { target.focus(); return; }
  if (code && table.focusRow(code)) return;
  $('map-h').setAttribute('tabindex', '-1');
  $('map-h').focus();
}

// ---------------------------------------------------------------- areas: search and compare
const byName = (a, b) => a.name.localeCompare(b.name, 'nl');
let drentheMunicipalities = new Set();
let drentheDistricts = new Set();
// Only Drenthe's municipalities, districts and neighbourhoods are on the map; other areas have their own page.
const inDrenthe = (a) => (a.level === 'municipality' && a.parent === 'PV22')
  || (a.level === 'district' && drentheMunicipalities.has(a.parent))
  || (a.level === 'neighbourhood' && drentheDistricts.has(a.parent));
// The dashboard opens the profile of an area on the map at a level some indicator has, and of Drenthe
// itself (its profile panel carries the province's population projection); others link to /gebied.
const levelOffered = (level) => indicators.some((i) => supports(i, level));
const opensHere = (a) => a.code === 'PV22' || (inDrenthe(a) && LEVELS.includes(a.level) && levelOffered(a.level));
const nameOf = (code) => areaNames.get(code) || code;

function loadAreas() {
  if (!areasPromise) {
    areasPromise = getJson('/areas').then(({ data }) => {
      allAreas = Array.isArray(data) ? data : [];
      drentheMunicipalities = new Set(allAreas.filter((a) => a.level === 'municipality' && a.parent === 'PV22').map((a) => a.code));
      drentheDistricts = new Set(allAreas.filter((a) => a.level === 'district' && drentheMunicipalities.has(a.parent)).map((a) => a.code));
      for (const a of allAreas) if (!areaNames.has(a.code)) areaNames.set(a.code, a.name);
      renderSearchList();
      renderCompareControls();
      return allAreas;
    }).catch((e) => { areasPromise = null; throw e; });
  }
  return areasPromise;
}

function renderSearchList() {
  const seen = new Set();
  const options = [];
  // Neighbourhoods without a name of their own (only a code) are found by code, not suggested.
  for (const a of allAreas.filter((x) => (inDrenthe(x) || x.code === 'PV22') && x.name !== x.code).sort(byName)) {
    if (seen.has(a.name)) continue;
    seen.add(a.name);
    options.push(h('option', { value: a.name }));
  }
  $('search-list').replaceChildren(...options);
}

const fold = (text) => String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
const LEVEL_RANK = { municipality: 0, district: 1, neighbourhood: 2, province: 3, country: 4 };
// A Dutch postcode: four digits, optionally two letters (`9401`, `9401 AB`, `9401ab`).
const POSTCODE_RE = /^\s*([1-9]\d{3})\s*([a-z]{2})?\s*$/i;
const SEARCH_LIMIT = 25;
let searchToken = 0;
let searchRoute = true; // false once the server said it has no /api/v1/search

async function showArea(area) {
  const before = state.indicator;
  if (LEVELS.includes(area.level)) {
    if (!supports(currentIndicator(), area.level)) {
      const fit = [indicators.find((i) => i.id === DEFAULT_INDICATOR), ...indicators].find((i) => i && supports(i, area.level));
      if (fit) state.indicator = fit.id;
    }
    normalise();
    if (state.level !== area.level || state.indicator !== before) {
      state.level = area.level;
      renderControls();
      await loadMap();
    }
  }
  if (state.indicator !== before) loadCompare();
  await openProfile(area.code, null, { push: true, focus: true });
  setStatus(t('searchOpened', { name: area.name }));
}

/** The client-side name search over /api/v1/areas: the fallback while the server has no search route. */
function localSearch(q) {
  return allAreas
    .map((a) => ({ a, n: fold(a.name) }))
    .filter((x) => x.n.includes(q) || x.a.code.toLowerCase() === q)
    .map((x) => ({ ...x, score: x.n === q || x.a.code.toLowerCase() === q ? 0 : x.n.startsWith(q) ? 1 : 2 }))
    .sort((x, y) => x.score - y.score || LEVEL_RANK[x.a.level] - LEVEL_RANK[y.a.level] || byName(x.a, y.a))
    .map((x) => ({ ...x.a, matched: x.a.code.toLowerCase() === q ? 'code' : 'name', postcode: null, place: null }));
}

/**
 * `/api/v1/search?q=…` (names, codes and postcodes, best first); when the route is missing (404) or
 * fails, the client-side name search. Returns `{hits, server}`.
 */
async function searchAreas(query, q) {
  if (searchRoute) {
    try {
      const { data } = await getJson('/search', { q: query.trim().slice(0, 100), limit: SEARCH_LIMIT });
      return { hits: (Array.isArray(data) ? data : []).map((a) => ({ ...a, name: a.name || a.code })), server: true };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && /^no route/.test(e.message || '')) searchRoute = false;
    }
  }
  return { hits: localSearch(q), server: false };
}

async function runSearch(query) {
  const box = $('search-results');
  clear(box);
  const token = ++searchToken;
  const q = fold(query);
  if (!q) { box.append(h('p', { role: 'status' }, t('searchEmpty'))); return; }
  try { await loadAreas(); } catch (e) { showError(e, () => runSearch(query)); return; }
  const postcode = POSTCODE_RE.exec(query);
  const { hits: found, server } = await searchAreas(query, q);
  if (token !== searchToken) return;
  // Areas the dashboard shows first (Drenthe's), in the server's order otherwise.
  const hits = [...found.filter(opensHere), ...found.filter((a) => !opensHere(a))];
  const pcHits = hits.filter((a) => a.matched === 'postcode');
  if (!hits.length) {
    let msg = t('searchNone', { q: query.trim() });
    if (postcode) msg = server ? t('searchPostcodeNone', { postcode: postcode[1] }) : t('searchPostcodeUnavailable');
    box.append(h('p', { role: 'status' }, msg));
    return;
  }
  const item = (a) => {
    const level = t(`lvl_${a.level}`);
    const parent = a.parent && a.level !== 'province' ? `, ${nameOf(a.parent)}` : '';
    if (opensHere(a)) {
      return h('li', {}, h('button', { type: 'button', class: 'linkish', 'data-code': a.code, 'data-matched': a.matched, onclick: () => showArea(a) },
        t('searchShowOnMap', { name: a.name, level: `${level}${parent}` })));
    }
    return h('li', {}, h('a', { href: `/gebied/${encodeURIComponent(a.code)}${state.lang === 'en' ? '?lang=en' : ''}`, 'data-code': a.code, 'data-matched': a.matched },
      t('searchOpenPage', { name: a.name, level: `${level}${parent}` })));
  };
  if (pcHits.length) {
    // A postcode: its district (when known) and its municipality; the first one on the map opens.
    const first = pcHits[0];
    box.append(
      h('p', { role: 'status', id: 'search-count' }, t('searchPostcodeFound', { postcode: first.postcode || postcode?.[1] || query.trim(), place: first.place || nameOf(first.parent) })),
      h('ul', { class: 'search-list', 'aria-labelledby': 'search-count' }, ...pcHits.map(item)));
    const open = pcHits.find(opensHere);
    if (open) await showArea(open);
    return;
  }
  const exact = hits.filter((a) => fold(a.name) === q || a.code.toLowerCase() === q)
    .sort((x, y) => LEVEL_RANK[x.level] - LEVEL_RANK[y.level]);
  const best = exact[0];
  if (best && opensHere(best) && exact.filter((a) => a.level === best.level).length === 1) { await showArea(best); return; }
  const shown = hits.slice(0, SEARCH_LIMIT);
  const count = server && found.length >= SEARCH_LIMIT ? t('searchResultsFirst', { n: shown.length, q: query.trim() })
    : hits.length === 1 ? t('searchResult1', { q: query.trim() }) : t('searchResults', { n: hits.length, q: query.trim() });
  const note = postcode && !server ? h('p', { class: 'hint' }, t('searchPostcodeUnavailable')) : null;
  box.append(h('p', { role: 'status', id: 'search-count' }, count), note,
    h('ul', { class: 'search-list', 'aria-labelledby': 'search-count' }, ...shown.map(item)));
}

function renderCompareControls() {
  const ind = currentIndicator();
  $('compare-intro').textContent = t('compareIntro', { indicator: ind ? t.loc(ind.name) : '' });
  const sel = $('compare-add');
  const current = sel.value;
  if (allAreas.length) {
    const muni = allAreas.filter((a) => a.level === 'municipality' && inDrenthe(a)).sort(byName);
    const dist = allAreas.filter((a) => a.level === 'district' && inDrenthe(a)).sort(byName);
    sel.replaceChildren(
      h('optgroup', { label: t('municipality') }, ...muni.map((a) => h('option', { value: a.code }, a.name))),
      h('optgroup', { label: t('district') }, ...dist.map((a) => h('option', { value: a.code }, `${a.name} (${nameOf(a.parent)})`))),
    );
    if (current) sel.value = current;
  }
  const full = state.compare.length >= MAX_COMPARE;
  $('compare-add-button').setAttribute('aria-disabled', full ? 'true' : 'false');
  $('compare-chips').replaceChildren(...state.compare.map((code) => h('li', { class: 'chip' },
    h('span', {}, nameOf(code)),
    h('button', { type: 'button', class: 'chip-remove', 'data-code': code, 'aria-label': t('compareRemove', { name: nameOf(code) }), onclick: () => removeCompare(code) },
      h('span', { 'aria-hidden': 'true' }, '×')))));
}

async function loadCompare() {
  renderCompareControls();
  const ind = currentIndicator();
  const token = ++compareToken;
  const status = $('compare-status');
  if (!ind) return;
  if (state.compare.length < 2) { compareView.message(t('compareNeedTwo')); status.textContent = ''; return; }
  status.textContent = t('compareLoading');
  try {
    const { data } = await getJson('/compare', { area: state.compare.join(','), indicator: ind.id });
    if (token !== compareToken) return;
    for (const a of [...(data.areas || []), ...(data.comparators || [])]) if (a.name) areaNames.set(a.code, a.name);
    renderCompareControls();
    compareView.render(t, data, ind);
    status.textContent = '';
  } catch (e) {
    if (token !== compareToken) return;
    compareView.message(errorMessage(e));
    status.textContent = '';
  }
}

function addCompare(code) {
  const status = $('compare-status');
  if (!code) return;
  if (state.compare.includes(code)) { status.textContent = t('compareInList', { name: nameOf(code) }); return; }
  if (state.compare.length >= MAX_COMPARE) { status.textContent = t('compareMax'); return; }
  state.compare = [...state.compare, code];
  writeUrl('pushState');
  loadCompare();
}

function removeCompare(code) {
  const index = state.compare.indexOf(code);
  state.compare = state.compare.filter((c) => c !== code);
  writeUrl('pushState');
  loadCompare();
  const buttons = $('compare-chips').querySelectorAll('button');
  (buttons[Math.min(index, buttons.length - 1)] || $('compare-add')).focus();
}

// ---------------------------------------------------------------- facilities and the closure scenario
const kindLabel = (kind) => t(`fac_${kind}`);
// The API lists facilities of the whole country; the map shows those in and around Drenthe (the ones
// its inhabitants reach first), which keeps the number of markers (and Tab stops) down.
const NEAR_DRENTHE = { west: 5.85, east: 7.3, south: 52.4, north: 53.35 };
const nearDrenthe = ([lon, lat]) => lon >= NEAR_DRENTHE.west && lon <= NEAR_DRENTHE.east && lat >= NEAR_DRENTHE.south && lat <= NEAR_DRENTHE.north;

function renderFacilityControls() {
  const box = $('facility-kinds');
  box.replaceChildren(...FACILITY_KINDS.map((k) => h('span', { class: 'check' },
    h('input', { type: 'checkbox', id: `fac-${k}`, name: 'facilities', value: k, checked: state.facilities.includes(k), disabled: !facilitiesAvailable,
      onchange: (e) => {
        const on = new Set(state.facilities);
        if (e.target.checked) on.add(k); else on.delete(k);
        state.facilities = FACILITY_KINDS.filter((x) => on.has(x));
        writeUrl('pushState');
        loadFacilities();
      } }),
    h('label', { for: `fac-${k}` }, h('span', { class: 'fac-dot', style: `background:${FACILITY_STYLE[k].color}`, 'aria-hidden': 'true' }), kindLabel(k)))));
  const hint = $('facilities-hint');
  hint.hidden = facilitiesAvailable;
  hint.textContent = facilitiesAvailable ? '' : t('facilitiesUnavailable');
}

async function loadFacilities({ announce = true } = {}) {
  const token = ++facilityToken;
  const kinds = state.facilities.slice();
  const status = $('facility-status');
  if (!kinds.length) {
    mapView.renderFacilities([], {});
    if (scenario.facility) clearScenario({ restoreFocus: false });
    status.textContent = announce ? t('facilitiesNone') : '';
    return;
  }
  status.textContent = t('facilitiesLoading');
  try {
    const answers = await Promise.all(kinds.map((kind) => getJson('/facilities', { kind })));
    if (token !== facilityToken) return;
    const features = answers.flatMap((a) => (a.data && Array.isArray(a.data.features) ? a.data.features : []))
      .filter((f) => f.geometry && Array.isArray(f.geometry.coordinates) && nearDrenthe(f.geometry.coordinates))
      .sort((x, y) => String(x.properties.name).localeCompare(String(y.properties.name), 'nl'));
    if (scenario.facility && !kinds.includes(scenario.facility.properties.kind)) clearScenario({ restoreFocus: false });
    mapView.renderFacilities(features, {
      styleOf: (kind) => FACILITY_STYLE[kind] || { color: '#ffffff', radius: 6 },
      labelOf: (f) => t('facilityLabel', { name: f.properties.name, kind: kindLabel(f.properties.kind) }),
      tooltipOf: (f) => {
        const tip = document.createElement('div');
        tip.append(h('strong', {}, f.properties.name), h('br'), kindLabel(f.properties.kind));
        return tip;
      },
      onActivate: (f, el) => selectFacility(f, el),
      selected: scenario.facility ? scenario.facility.properties.id : null,
    });
    status.textContent = announce ? t('facilitiesShown', { n: features.length, kinds: kinds.map(kindLabel).join(', ') }) : '';
  } catch (e) {
    if (token !== facilityToken) return;
    if (e instanceof ApiError && e.status === 404) {
      facilitiesAvailable = false;
      state.facilities = [];
      writeUrl('replaceState');
      renderFacilityControls();
      status.textContent = '';
      return;
    }
    status.textContent = errorMessage(e);
  }
}

function selectFacility(f, el) {
  scenario.token++;
  scenario.facility = f;
  scenario.origin = el || null;
  scenario.result = null;
  scenario.meta = null;
  scenario.error = null;
  scenario.busy = false;
  mapView.markFacility(f.properties.id);
  renderScenario();
  const head = $('scenario-h');
  if (head) head.focus();
}

function clearScenario({ restoreFocus = true } = {}) {
  const id = scenario.facility && scenario.facility.properties.id;
  const origin = scenario.origin;
  scenario.token++;
  Object.assign(scenario, { facility: null, origin: null, result: null, meta: null, level: null, busy: false, error: null });
  mapView.markFacility(null);
  renderScenario();
  if (!restoreFocus) return;
  const target = (origin && document.contains(origin) && origin) || (id && mapView.facilityElement(id)) || $(`fac-${state.facilities[0] || FACILITY_KINDS[0]}`);
  if (target) target.focus();
}

async function runScenario() {
  const f = scenario.facility;
  if (!f) return;
  const token = ++scenario.token;
  const level = scenarioLevel();
  scenario.busy = true;
  scenario.error = null;
  renderScenario();
  setStatus(t('scenarioComputing'));
  try {
    const { data, meta } = await getJson('/reach/scenario', { kind: f.properties.kind, close: f.properties.id, level }, { cacheable: false });
    if (token !== scenario.token) return;
    Object.assign(scenario, { result: data, meta, level, busy: false });
    renderScenario();
    setStatus(t('scenarioDone', { n: changedAreas(data).length }));
  } catch (e) {
    if (token !== scenario.token) return;
    Object.assign(scenario, { result: null, meta: null, busy: false, error: errorMessage(e) });
    renderScenario();
    setStatus('');
  }
}

const changedAreas = (data) => (data && Array.isArray(data.areas) ? data.areas : [])
  .filter((a) => a.change_km != null && Math.abs(a.change_km) > 1e-9)
  .sort((a, b) => b.change_km - a.change_km || String(a.name || a.area).localeCompare(String(b.name || b.area), 'nl'));

function renderScenario() {
  const el = $('scenario');
  const f = scenario.facility;
  if (!f) { el.hidden = true; clear(el); return; }
  el.hidden = false;
  const lang = state.lang;
  const name = f.properties.name;
  const kind = kindLabel(f.properties.kind);
  const km = (v, signed = false) => {
    const n = formatNumber(v, lang, 2);
    return signed && v > 0 ? `+${n}` : n;
  };
  const parts = [
    h('h2', { id: 'scenario-h', tabindex: '-1' }, t('scenarioHeading', { name })),
    h('p', {}, t('scenarioIntro', { kind, kindLower: kind.toLowerCase(), level: levelWord(scenarioLevel()) })),
    h('p', { class: 'note unsaved' }, t('scenarioUnsaved')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn', id: 'scenario-close', 'aria-disabled': scenario.busy ? 'true' : 'false',
        onclick: () => { if (!scenario.busy) runScenario(); } }, t('scenarioClose')),
      h('button', { type: 'button', class: 'btn', id: 'scenario-reset', onclick: () => clearScenario() }, t('scenarioReset'))),
  ];
  const res = h('div', { id: 'scenario-result' });
  if (scenario.busy) res.append(h('p', { class: 'loading' }, t('scenarioComputing')));
  else if (scenario.error) res.append(h('p', { class: 'error-box' }, scenario.error));
  else if (scenario.result) {
    const data = scenario.result;
    const meta = scenario.meta || {};
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

// ---------------------------------------------------------------- events
function wire() {
  $('indicator').addEventListener('change', (e) => {
    state.indicator = e.target.value;
    const ind = currentIndicator();
    let note = '';
    if (!supports(ind, state.level)) {
      const shown = LEVELS.find((l) => supports(ind, l)) || 'municipality';
      note = t('levelSwitched', { indicator: t.loc(ind.name), level: levelWord(state.level), shown: t(`plural_${shown}`) });
      state.level = shown;
      state.area = null;
      closeProfile({ push: false, restoreFocus: false });
    }
    const years = ind.years || [];
    if (!years.includes(state.year)) state.year = years.length ? Math.max(...years) : null;
    writeUrl('pushState');
    renderControls();
    loadMap().then(() => { if (note) setStatus(note); });
    if (state.area) openProfile(state.area, null, { push: false, focus: false });
    loadCompare();
  });
  for (const m of ['value', 'deviation']) {
    $(`mode-${m}`).addEventListener('change', (e) => {
      if (!e.target.checked) return;
      state.mode = m;
      writeUrl('pushState');
      loadMap();
    });
  }
  $('classes').addEventListener('change', (e) => {
    state.classes = e.target.value === 'jenks' ? 'jenks' : 'quantile';
    writeUrl('pushState');
    loadMap();
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runSearch($('search-input').value);
  });
  $('search-input').addEventListener('focus', () => { loadAreas().catch(() => {}); }, { once: true });
  $('compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    addCompare($('compare-add').value);
  });
  $('year').addEventListener('change', (e) => {
    state.year = Number(e.target.value);
    writeUrl('pushState');
    loadMap();
  });
  for (const l of LEVELS) {
    $(`level-${l}`).addEventListener('change', (e) => {
      if (!e.target.checked) return;
      state.level = l;
      if (state.area) closeProfile({ push: false, restoreFocus: false });
      writeUrl('pushState');
      loadMap();
      if (scenario.result) runScenario(); else renderScenario();
    });
  }
  $('lang-switch').addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1) return;
    e.preventDefault();
    state.lang = state.lang === 'nl' ? 'en' : 'nl';
    writeUrl('pushState');
    rerenderAll();
    $('lang-switch').focus();
  });
  window.addEventListener('popstate', () => {
    readUrl();
    normalise();
    rerenderAll();
  });
}

function rerenderAll() {
  applyLang();
  renderControls();
  renderFacilityControls();
  loadFacilities({ announce: false });
  if (scenario.facility && scenario.result && scenario.level !== scenarioLevel()) runScenario();
  else renderScenario();
  loadMap();
  if (state.area) openProfile(state.area, null, { push: false, focus: false });
  else if (!$('profile').hidden) closeProfile({ push: false, restoreFocus: false });
  loadCompare();
}

async function boot() {
  setStatus(t('loading'));
  try {
    const { data } = await getJson('/indicators');
    indicators = Array.isArray(data) ? data : [];
  } catch (e) {
    showError(e, boot);
    return;
  }
  clearError();
  if (!indicators.length) { showError(new Error(t('noIndicators'))); return; }
  normalise();
  writeUrl('replaceState');
  applyLang();
  renderControls();
  const mapDone = loadMap();
  renderFacilityControls();
  if (state.facilities.length) mapDone.then(() => loadFacilities({ announce: false }));
  loadAreas().catch(() => {});
  loadCompare();
  await mapDone;
  if (state.area) openProfile(state.area, null, { push: false, focus: false });
}

function start() {
  readUrl();
  applyLang();
  mapView = new ChoroplethMap($('map'), { onActivate: (code, el) => openProfile(code, el) });
  mapView.setTexts(t);
  profile = new ProfilePanel($('profile'), { onClose: () => closeProfile(), onCompare: (code) => addCompare(code) });
  compareView = new ComparePanel($('compare-body'));
  table = new AreaTable($('table-wrap'), { onActivate: (code, el) => openProfile(code, el) });
  wire();
  boot();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
