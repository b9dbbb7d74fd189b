// Leefbaar dashboard shell: the views (one per monitor), the navigation between them, the language, the
// URL state and the boot. The views live in ./views/; the map, legend, table and profile they share are
// driven by ./atlas.js.
import 'leaflet/dist/leaflet.css';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { makeT, LANGS } from './i18n.js';
import { ApiError, getJson } from './api.js';
import { loadMonitor, monitorEntry } from './monitor.js';
import { Atlas } from './atlas.js';
import { h, clear } from './dom.js';
import leefbaarheid from './views/leefbaarheid.js';
import bereikbaarheid from './views/bereikbaarheid.js';
import hartveilig from './views/hartveilig.js';
import burgerpanel from './views/burgerpanel.js';
import zorg from './views/zorg.js';
import typologie from './views/typologie.js';

// Every view this dashboard has, in navigation order. A monitor the server lists gets a navigation link
// as soon as a module here has its id; the default view needs no `view` in the URL.
const VIEWS = [leefbaarheid, bereikbaarheid, hartveilig, burgerpanel, zorg, typologie];
const DEFAULT_VIEW = 'leefbaarheid';
const $ = (id) => document.getElementById(id);

let lang = 'nl';
let t = makeT('nl');
let monitor = null;
let available = []; // view definitions the server offers
const instances = new Map(); // view id -> view instance
let current = null; // {def, view}
let atlas = null;

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

// ---------------------------------------------------------------- URL state
/** `?view=…&lang=…&<the view's own parameters>`; the default view and Dutch are left out. */
function queryFor(viewId, params, language = lang) {
  const q = new URLSearchParams();
  if (viewId !== DEFAULT_VIEW) q.set('view', viewId);
  if (language !== 'nl') q.set('lang', language);
  for (const [k, v] of params) q.set(k, v);
  // keep lists readable in shared links: `compare=GM0114,GM0106`
  return `?${q.toString().replace(/%2C/gi, ',')}`;
}

function currentQuery(language = lang) {
  return queryFor(current.def.id, current.view.query(), language);
}

function writeUrl(mode = 'pushState') {
  if (!current) return;
  const url = currentQuery() + location.hash;
  if (url === location.search + location.hash) return;
  history[mode](null, '', url);
  updateLinks();
}

/** The view a URL asks for; links from before the views with a facility layer open Bereikbaarheid. */
function viewFromUrl(q) {
  let id = q.get('view');
  if (!id && q.get('facilities')) id = 'bereikbaarheid';
  return available.find((d) => d.id === id) || available.find((d) => d.id === DEFAULT_VIEW) || available[0];
}

const ctx = {
  get t() { return t; },
  get lang() { return lang; },
  get monitor() { return monitor; },
  atlas: () => {
    if (!atlas) atlas = new Atlas(ctx);
    return atlas;
  },
  setStatus, showError, clearError, errorMessage, writeUrl,
  queryFor: (viewId, params) => queryFor(viewId, params),
};

function instance(def) {
  if (!instances.has(def.id)) instances.set(def.id, def.create(ctx));
  return instances.get(def.id);
}

// ---------------------------------------------------------------- navigation and language
function renderNav() {
  const nav = $('monitor-nav');
  nav.setAttribute('aria-label', t('monitorNav'));
  $('monitor-list').replaceChildren(...available.map((def) => {
    const here = current && current.def.id === def.id;
    return h('li', {}, h('a', {
      href: '#', 'data-view': def.id, 'aria-current': here ? 'page' : null,
      onclick: (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button === 1) return;
        e.preventDefault();
        if (!here) switchTo(def, { push: true, focus: true });
      },
    }, t.loc(def.name)));
  }));
  nav.hidden = available.length < 2;
  // monitors this province lacks, with the server's reason (only those this dashboard has a view for)
  const notes = monitor.monitors.filter((m) => m.available === false && VIEWS.some((d) => d.id === m.id))
    .map((m) => `${t.loc(VIEWS.find((d) => d.id === m.id).name)}: ${t.loc(m.reason) || t('monitorUnavailable')}`);
  $('monitor-notes').hidden = !notes.length;
  $('monitor-notes').textContent = notes.join(' · ');
  updateLinks();
}

/** Navigation links carry each view's own last state; the language link the current state. */
function updateLinks() {
  for (const a of document.querySelectorAll('#monitor-list a[data-view]')) {
    const def = available.find((d) => d.id === a.dataset.view);
    if (def) a.setAttribute('href', current && current.def === def ? currentQuery() : queryFor(def.id, instances.has(def.id) ? instance(def).query() : []));
  }
  const other = lang === 'nl' ? 'en' : 'nl';
  if (current) $('lang-switch').setAttribute('href', currentQuery(other));
}

function applyLang() {
  t = makeT(lang, { province: monitor ? monitor.province.name : 'Drenthe' });
  document.documentElement.lang = lang;
  $('skip-main').textContent = t('skipToMain');
  $('site-title').textContent = t('title');
  $('tagline').textContent = t('tagline');
  const other = lang === 'nl' ? 'en' : 'nl';
  const sw = $('lang-switch');
  sw.textContent = t('switchLang');
  sw.setAttribute('lang', other);
  sw.setAttribute('hreflang', other);
  $('lang-nav').setAttribute('aria-label', lang === 'nl' ? 'Taal' : 'Language');
  $('footer-data').textContent = t('footerData');
  $('api-link').textContent = t('apiLink');
  if (monitor) renderNav();
}

// ---------------------------------------------------------------- views
async function switchTo(def, { push = false, focus = false, q = null } = {}) {
  const view = instance(def);
  if (q) view.read(q);
  if (current && current.def !== def) {
    current.view.deactivate();
    if (!def.map && atlas) atlas.detach();
  }
  current = { def, view };
  clearError();
  setStatus('');
  if (push) writeUrl('pushState');
  renderNav();
  if (!def.map) document.title = `${t.loc(def.name)} — ${t('title')}`;
  const done = view.activate();
  if (focus) {
    // the new view's first heading, so a screen reader user lands in it
    const target = $(def.map ? 'map-h' : (def.heading || 'panel-h'));
    if (target) { target.setAttribute('tabindex', '-1'); target.focus({ preventScroll: false }); }
  }
  await done;
  updateLinks();
}

function wire() {
  $('lang-switch').addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1) return;
    e.preventDefault();
    lang = lang === 'nl' ? 'en' : 'nl';
    writeUrl('pushState');
    applyLang();
    if (current) current.view.refresh();
    if (current && !current.def.map) document.title = `${t.loc(current.def.name)} — ${t('title')}`;
    $('lang-switch').focus();
  });
  window.addEventListener('popstate', () => {
    const q = new URLSearchParams(location.search);
    const newLang = LANGS.includes(q.get('lang')) ? q.get('lang') : 'nl';
    const langChanged = newLang !== lang;
    lang = newLang;
    if (langChanged) applyLang();
    const def = viewFromUrl(q);
    if (current && current.def === def) {
      current.view.read(q);
      current.view.refresh();
      renderNav();
    } else {
      switchTo(def, { q });
    }
  });
}

async function boot() {
  const q = new URLSearchParams(location.search);
  lang = LANGS.includes(q.get('lang')) ? q.get('lang') : 'nl';
  applyLang();
  setStatus(t('loading'));
  // the map views need the catalogue: ask for it while the monitor is on its way
  if (!['burgerpanel', 'typologie'].includes(q.get('view'))) getJson('/indicators').catch(() => {});
  monitor = await loadMonitor();
  available = VIEWS.filter((d) => {
    const m = monitorEntry(monitor, d.id);
    return d.id === DEFAULT_VIEW ? !m || m.available !== false : m && m.available !== false;
  });
  if (!available.length) available = [leefbaarheid];
  applyLang();
  wire();
  const def = viewFromUrl(q);
  // a `view` the server does not offer falls back to the default view
  await switchTo(def, { q });
  writeUrl('replaceState');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
