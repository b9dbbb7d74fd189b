// View "Leefbaarheid" (the default): the choropleth of any indicator of the catalogue, with the legend,
// table and area profile of the shared map, the deviation from the province, search by name, code or
// postcode, and the comparison of two to four areas.
// URL: ?[lang=en&]indicator=ID&year=Y&level=L[&area=CODE][&mode=deviation][&classes=jenks][&compare=A,B]
// (no `view`: the deep links of the dashboard before it had views keep working unchanged).
import { readMapParams, writeMapParams } from '../atlas.js';
import { getJson, ApiError } from '../api.js';
import { ComparePanel, MAX_COMPARE } from '../compare.js';
import { h, clear } from '../dom.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_INDICATOR = 'share_65_plus';
const CODE_RE = /^(NL|PV|GM|WK|BU|PC)\d{2,8}$/;
const byName = (a, b) => a.name.localeCompare(b.name, 'nl');
const fold = (text) => String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
const LEVEL_RANK = { municipality: 0, district: 1, neighbourhood: 2, postcode: 3, province: 4, country: 5 };
// A Dutch postcode: four digits, optionally two letters (`9401`, `9401 AB`, `9401ab`).
const POSTCODE_RE = /^\s*([1-9]\d{3})\s*([a-z]{2})?\s*$/i;
const SEARCH_LIMIT = 25;

class LeefbaarheidView {
  constructor(ctx) {
    this.ctx = ctx;
    this.state = { indicator: null, year: null, level: 'municipality', area: null, mode: 'value', classes: 'quantile', compare: [] };
    this.active = false;
    this.compareView = new ComparePanel($('compare-body'));
    this.compareToken = 0;
    this.searchToken = 0;
    this.searchRoute = true; // false once the server said it has no /api/v1/search
    this.config = {
      id: 'leefbaarheid',
      select: (all) => all,
      defaultIndicator: () => DEFAULT_INDICATOR,
      deviation: true,
      citationQuery: () => this.ctx.queryFor('leefbaarheid', this.query({ area: null, compare: [] })),
      onCompare: (code) => this.addCompare(code),
      onIndicatorChange: () => this.loadCompare(),
      onAreas: () => { this.renderSearchList(); this.renderCompareControls(); },
    };
    $('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.active) this.runSearch($('search-input').value);
    });
    $('search-input').addEventListener('focus', () => { if (this.active) this.atlas.loadAreas().catch(() => {}); });
    $('compare-form').addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.active) this.addCompare($('compare-add').value);
    });
  }

  get t() { return this.ctx.t; }
  get atlas() { return this.ctx.atlas(); }

  read(q) {
    readMapParams(q, this.state);
    this.state.compare = [...new Set((q.get('compare') || '').split(',').map((c) => c.trim()).filter((c) => CODE_RE.test(c)))].slice(0, MAX_COMPARE);
  }

  /** The view's query parameters (without view and lang), with some state replaced. */
  query(over = {}) {
    const s = { ...this.state, ...over };
    const q = new URLSearchParams();
    writeMapParams(q, s);
    if (s.compare && s.compare.length) q.set('compare', s.compare.join(','));
    return q;
  }

  async activate() {
    this.active = true;
    $('search-box').hidden = false;
    $('compare-section').hidden = false;
    $('facilities-fieldset').hidden = true;
    this.applyLang();
    const ok = await this.atlas.attach(this.config, this.state);
    if (!ok || !this.active) return;
    this.atlas.loadAreas().catch(() => {});
    this.loadCompare();
  }

  deactivate() {
    this.active = false;
    this.compareToken++;
    this.searchToken++;
    $('search-box').hidden = true;
    $('compare-section').hidden = true;
    clear($('search-results'));
  }

  applyLang() {
    const t = this.t;
    $('search-label').textContent = t('searchLabel');
    $('search-hint').textContent = t('searchHint');
    $('search-button').textContent = t('searchButton');
    $('compare-h').textContent = t('compareHeading');
    $('compare-add-label').textContent = t('compareAdd');
    $('compare-add-button').textContent = t('compareAddButton');
    $('compare-selected-h').textContent = t('compareSelected');
    clear($('search-results'));
    if (this.atlas.allAreas.length) this.renderSearchList();
  }

  /** After a language switch or a history step within the view. */
  refresh() {
    this.applyLang();
    this.atlas.applyLang();
    this.atlas.rerender();
    this.loadCompare();
  }

  // ---------------------------------------------------------------- search
  renderSearchList() {
    const atlas = this.atlas;
    const seen = new Set();
    const options = [];
    // Neighbourhoods without a name of their own (only a code) are found by code, not suggested.
    for (const a of atlas.allAreas.filter((x) => (atlas.inProvince(x) || x.code === atlas.province.code) && x.name !== x.code).sort(byName)) {
      if (seen.has(a.name)) continue;
      seen.add(a.name);
      options.push(h('option', { value: a.name }));
    }
    $('search-list').replaceChildren(...options);
  }

  /** The client-side name search over /api/v1/areas: the fallback while the server has no search route. */
  localSearch(q) {
    return this.atlas.allAreas
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
  async searchAreas(query, q) {
    if (this.searchRoute) {
      try {
        const { data } = await getJson('/search', { q: query.trim().slice(0, 100), limit: SEARCH_LIMIT });
        return { hits: (Array.isArray(data) ? data : []).map((a) => ({ ...a, name: a.name || a.code })), server: true };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && /^no route/.test(e.message || '')) this.searchRoute = false;
      }
    }
    return { hits: this.localSearch(q), server: false };
  }

  async runSearch(query) {
    const t = this.t;
    const atlas = this.atlas;
    const box = $('search-results');
    clear(box);
    const token = ++this.searchToken;
    const q = fold(query);
    if (!q) { box.append(h('p', { role: 'status' }, t('searchEmpty'))); return; }
    try { await atlas.loadAreas(); } catch (e) { this.ctx.showError(e, () => this.runSearch(query)); return; }
    const postcode = POSTCODE_RE.exec(query);
    const { hits: found, server } = await this.searchAreas(query, q);
    if (token !== this.searchToken) return;
    const opensHere = (a) => atlas.opensHere(a);
    // Areas the dashboard shows first (the province's), in the server's order otherwise.
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
      const parent = a.parent && a.level !== 'province' ? `, ${atlas.nameOf(a.parent)}` : '';
      if (opensHere(a)) {
        return h('li', {}, h('button', { type: 'button', class: 'linkish', 'data-code': a.code, 'data-matched': a.matched, onclick: () => atlas.showArea(a) },
          t('searchShowOnMap', { name: a.name, level: `${level}${parent}` })));
      }
      return h('li', {}, h('a', { href: `/gebied/${encodeURIComponent(a.code)}${t.lang === 'en' ? '?lang=en' : ''}`, 'data-code': a.code, 'data-matched': a.matched },
        t('searchOpenPage', { name: a.name, level: `${level}${parent}` })));
    };
    if (pcHits.length) {
      // A postcode: its postcode area (where the bundle has one), its district (when known) and its
      // municipality; the first one on the map opens, the postcode area itself when the map has the level.
      const first = pcHits[0];
      box.append(
        h('p', { role: 'status', id: 'search-count' }, t('searchPostcodeFound', { postcode: first.postcode || postcode?.[1] || query.trim(), place: first.place || atlas.nameOf(first.parent) })),
        h('ul', { class: 'search-list', 'aria-labelledby': 'search-count' }, ...pcHits.map(item)));
      const open = pcHits.find(opensHere);
      if (open) await atlas.showArea(open);
      return;
    }
    const exact = hits.filter((a) => fold(a.name) === q || a.code.toLowerCase() === q)
      .sort((x, y) => LEVEL_RANK[x.level] - LEVEL_RANK[y.level]);
    const best = exact[0];
    if (best && opensHere(best) && exact.filter((a) => a.level === best.level).length === 1) { await atlas.showArea(best); return; }
    const shown = hits.slice(0, SEARCH_LIMIT);
    const count = server && found.length >= SEARCH_LIMIT ? t('searchResultsFirst', { n: shown.length, q: query.trim() })
      : hits.length === 1 ? t('searchResult1', { q: query.trim() }) : t('searchResults', { n: hits.length, q: query.trim() });
    const note = postcode && !server ? h('p', { class: 'hint' }, t('searchPostcodeUnavailable')) : null;
    box.append(h('p', { role: 'status', id: 'search-count' }, count), note,
      h('ul', { class: 'search-list', 'aria-labelledby': 'search-count' }, ...shown.map(item)));
  }

  // ---------------------------------------------------------------- compare
  renderCompareControls() {
    const t = this.t;
    const atlas = this.atlas;
    const ind = atlas.current();
    $('compare-intro').textContent = t('compareIntro', { indicator: ind ? t.loc(ind.name) : '' });
    const sel = $('compare-add');
    const current = sel.value;
    if (atlas.allAreas.length) {
      const of = (level) => atlas.allAreas.filter((a) => a.level === level && atlas.inProvince(a)).sort(byName);
      const groups = [
        h('optgroup', { label: t('municipality') }, ...of('municipality').map((a) => h('option', { value: a.code }, a.name))),
      ];
      if (atlas.offered('district')) {
        groups.push(h('optgroup', { label: t('district') }, ...of('district').map((a) => h('option', { value: a.code }, `${a.name} (${atlas.nameOf(a.parent)})`))));
      }
      sel.replaceChildren(...groups);
      if (current) sel.value = current;
    }
    const s = this.state;
    const full = s.compare.length >= MAX_COMPARE;
    $('compare-add-button').setAttribute('aria-disabled', full ? 'true' : 'false');
    $('compare-chips').replaceChildren(...s.compare.map((code) => h('li', { class: 'chip' },
      h('span', {}, atlas.nameOf(code)),
      h('button', { type: 'button', class: 'chip-remove', 'data-code': code, 'aria-label': t('compareRemove', { name: atlas.nameOf(code) }), onclick: () => this.removeCompare(code) },
        h('span', { 'aria-hidden': 'true' }, '×')))));
  }

  async loadCompare() {
    if (!this.active) return;
    this.renderCompareControls();
    const t = this.t;
    const ind = this.atlas.current();
    const token = ++this.compareToken;
    const status = $('compare-status');
    if (!ind) return;
    if (this.state.compare.length < 2) { this.compareView.message(t('compareNeedTwo')); status.textContent = ''; return; }
    status.textContent = t('compareLoading');
    try {
      const { data } = await getJson('/compare', { area: this.state.compare.join(','), indicator: ind.id });
      if (token !== this.compareToken) return;
      for (const a of [...(data.areas || []), ...(data.comparators || [])]) if (a.name) this.atlas.areaNames.set(a.code, a.name);
      this.renderCompareControls();
      this.compareView.render(t, data, ind);
      status.textContent = '';
    } catch (e) {
      if (token !== this.compareToken) return;
      this.compareView.message(this.ctx.errorMessage(e));
      status.textContent = '';
    }
  }

  addCompare(code) {
    const t = this.t;
    const status = $('compare-status');
    if (!code) return;
    const s = this.state;
    if (s.compare.includes(code)) { status.textContent = t('compareInList', { name: this.atlas.nameOf(code) }); return; }
    if (s.compare.length >= MAX_COMPARE) { status.textContent = t('compareMax'); return; }
    s.compare = [...s.compare, code];
    this.ctx.writeUrl('pushState');
    this.loadCompare();
  }

  removeCompare(code) {
    const s = this.state;
    const index = s.compare.indexOf(code);
    s.compare = s.compare.filter((c) => c !== code);
    this.ctx.writeUrl('pushState');
    this.loadCompare();
    const buttons = $('compare-chips').querySelectorAll('button');
    (buttons[Math.min(index, buttons.length - 1)] || $('compare-add')).focus();
  }
}

export default {
  id: 'leefbaarheid',
  name: { nl: 'Leefbaarheid', en: 'Livability' },
  map: true,
  create: (ctx) => new LeefbaarheidView(ctx),
};
