// The area profile: a uPlot line chart of the area's series next to its comparators, with the same
// numbers in a table (the chart's text alternative), method, source and licence.
import uPlot from 'uplot';
import { formatNumber } from './format.js';
import { h, clear } from './dom.js';
import { ProjectionView } from './projection.js';

// Colour-blind-safe, distinguishable in greyscale, and each with its own dash pattern.
export const STYLES = [
  { stroke: '#0b3d91', width: 3, dash: [] },
  { stroke: '#b34700', width: 2, dash: [8, 4] },
  { stroke: '#3b3b3b', width: 2, dash: [2, 3] },
  { stroke: '#6a3d9a', width: 2, dash: [10, 3, 2, 3] },
  { stroke: '#00735c', width: 2, dash: [4, 2] },
  { stroke: '#a50f15', width: 2, dash: [1, 2, 6, 2] },
];

function yearRanges(years) {
  const ys = [...years].sort((a, b) => a - b);
  return ys.join(', ');
}

export function lineSample(style) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', '36'); svg.setAttribute('height', '12'); svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
  line.setAttribute('x1', '2'); line.setAttribute('y1', '6'); line.setAttribute('x2', '34'); line.setAttribute('y2', '6');
  line.setAttribute('stroke', style.stroke); line.setAttribute('stroke-width', String(style.width));
  if (style.dash.length) line.setAttribute('stroke-dasharray', style.dash.join(' '));
  svg.append(line);
  return svg;
}

export class ProfilePanel {
  constructor(el, { onClose, onCompare }) {
    this.el = el;
    this.onClose = onClose;
    this.onCompare = onCompare;
    this.plot = null;
    this.resizeObserver = null;
    this.projection = new ProjectionView();
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); this.onClose(); }
    });
  }

  destroyPlot() {
    this.projection.destroy();
    if (this.resizeObserver) { this.resizeObserver.disconnect(); this.resizeObserver = null; }
    if (this.plot) { this.plot.destroy(); this.plot = null; }
  }

  shell(t, title) {
    this.destroyPlot();
    clear(this.el);
    const heading = h('h2', { id: 'profile-h', tabindex: '-1' }, title);
    const close = h('button', { type: 'button', class: 'btn close', 'aria-label': t('closeProfile'), onclick: () => this.onClose() },
      h('span', { 'aria-hidden': 'true' }, '×'), h('span', { class: 'close-text' }, t('close')));
    const head = h('div', { class: 'profile-head' }, heading, close);
    this.el.append(head);
    this.el.hidden = false;
    return { heading };
  }

  showLoading(t, name) {
    this.shell(t, name || t('loadingProfile'));
    this.el.setAttribute('aria-busy', 'true');
    this.el.append(h('p', { class: 'loading' }, t('loadingProfile')));
  }

  showError(t, name, message, retry) {
    this.shell(t, name || t('errorTitle'));
    this.el.removeAttribute('aria-busy');
    this.el.append(h('div', { class: 'error-box', role: 'alert' }, h('p', {}, message),
      h('button', { type: 'button', class: 'btn', onclick: retry }, t('retry'))));
  }

  focusHeading() {
    const hd = this.el.querySelector('#profile-h');
    if (hd) hd.focus({ preventScroll: false });
  }

  /**
   * @param {Function} t translator
   * @param {object} data `data` of /areas/{code}/profile
   * @param {object} ind the catalogue entry of the indicator (unit_symbol, source)
   */
  render(t, data, ind) {
    const lang = t.lang;
    const area = data.area || {};
    const comps = data.comparators || [];
    const pi = (data.indicators || []).find((x) => x.id === ind.id) || (data.indicators || [])[0];
    const { heading } = this.shell(t, t('profileHeading', { name: area.name || area.code }));
    void heading;
    this.el.removeAttribute('aria-busy');
    const indName = t.loc((pi && pi.name) || ind.name);
    const unit = t.loc(ind.unit_symbol) || ind.unit || '';
    const decimals = (pi && Number.isInteger(pi.decimals)) ? pi.decimals : (ind.decimals ?? 1);
    this.el.append(h('p', { class: 'profile-sub' }, t('profileSub', { indicator: indName, level: t(`lvl_${area.level}`).startsWith('lvl_') ? (area.level || '') : t(`lvl_${area.level}`), code: area.code })));

    const series = ((pi && pi.series) || []).slice().sort((a, b) => a.year - b.year);
    const names = [area.name || area.code, ...comps.map((c) => c.name || c.code)];
    const compList = new Intl.ListFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { type: 'conjunction' }).format(comps.map((c) => c.name || c.code));

    // ---- chart (hidden from assistive tech; the table below carries the same numbers)
    const chartBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
    const legend = h('ul', { class: 'chart-legend' }, ...names.map((n, i) => h('li', {}, lineSample(STYLES[i % STYLES.length]), h('span', {}, n))));
    const figure = h('figure', { class: 'chart-figure' },
      chartBox, legend,
      h('figcaption', {}, t('chartCaption', { indicator: indName, name: area.name || area.code, comparators: compList || '—' })));
    this.el.append(figure);

    // ---- table
    const table = h('table', { class: 'data-table profile-table' },
      h('caption', {}, t('profileTableCaption', { indicator: indName, unit: unit || '—' })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('colYear')),
        ...names.map((n) => h('th', { scope: 'col', class: 'num' }, n)),
        h('th', { scope: 'col' }, t('method')))),
      h('tbody', {}, ...series.map((s) => h('tr', {},
        h('th', { scope: 'row' }, String(s.year)),
        h('td', { class: 'num' }, s.value == null ? h('span', { class: 'missing' }, t.missing(s.missing)) : formatNumber(s.value, lang, decimals)),
        ...comps.map((c) => {
          const v = s.comparators ? s.comparators[c.code] : null;
          return h('td', { class: 'num' }, v == null ? h('span', { class: 'missing' }, t('noData')) : formatNumber(v, lang, decimals));
        }),
        h('td', {}, s.value == null ? '—' : t.methodShort(s.method))))));
    this.el.append(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('profileTableCaption', { indicator: indName, unit: unit || '—' }) }, table));

    // ---- method, source, licence
    const byMethod = new Map();
    for (const s of series) if (s.value != null) {
      const m = s.method || 'unknown';
      if (!byMethod.has(m)) byMethod.set(m, []);
      byMethod.get(m).push(s.year);
    }
    const src = ind.source || {};
    const meta = h('dl', { class: 'provenance' },
      h('dt', {}, t('method')),
      h('dd', {}, byMethod.size ? [...byMethod].map(([m, ys]) => t('yearsWithMethod', { method: t.method(m === 'unknown' ? null : m), years: yearRanges(ys) })).join('; ') : '—'),
      ind.formula ? h('dt', {}, t('formula')) : null,
      ind.formula ? h('dd', {}, ind.formula) : null,
      h('dt', {}, t('source')),
      h('dd', {}, [src.attribution, src.table].filter(Boolean).join(' — ') || src.id || '—'),
      h('dt', {}, t('licence')),
      h('dd', {}, src.licence || '—'));
    this.el.append(meta);

    // ---- the area's own page (works without JavaScript) and "compare"
    const areaName = area.name || area.code;
    const pageHref = `/gebied/${encodeURIComponent(area.code)}${lang === 'en' ? '?lang=en' : ''}`;
    this.el.append(h('p', { class: 'profile-links' },
      h('a', { href: pageHref, id: 'profile-page-link' }, t('areaPage', { name: areaName })),
      // "compare" only in a view that has the compare section
      this.onCompare ? ' ' : null,
      this.onCompare ? h('button', {
        type: 'button', class: 'btn', id: 'profile-compare',
        'aria-label': t('compareThisLabel', { name: areaName }),
        onclick: (e) => { if (this.onCompare) this.onCompare(area.code, e.currentTarget); },
      }, t('compareThis')) : null));
    // Fact sheets exist for municipalities and districts.
    if (area.level === 'municipality' || area.level === 'district') {
      const sheet = `/factsheet/${encodeURIComponent(area.code)}`;
      const langQuery = lang === 'en' ? '?lang=en' : '';
      this.el.append(h('p', { class: 'profile-links', id: 'profile-factsheet' },
        h('a', { href: `${sheet}${langQuery}` }, t('factsheetHtml', { name: areaName })),
        ' · ',
        h('a', { href: `${sheet}.pdf${langQuery}`, type: 'application/pdf' }, t('factsheetPdf'))));
    }

    // ---- the population projection, filled in by the caller when the area has one
    this.el.append(h('section', { id: 'profile-projection', class: 'projection', 'aria-labelledby': 'projection-h', hidden: true }));

    // ---- draw
    const xs = series.map((s) => s.year);
    const ys = [series.map((s) => s.value), ...comps.map((c) => series.map((s) => (s.comparators ? s.comparators[c.code] ?? null : null)))];
    if (!xs.length) return;
    // Counts of a district next to the whole country differ by orders of magnitude: use a log scale then.
    const all = ys.flat().filter((v) => v != null);
    const positive = all.length && all.every((v) => v > 0);
    const logScale = positive && Math.max(...all) / Math.min(...all) > 20;
    if (logScale) figure.querySelector('figcaption').append(' ', t('logScale'));
    const fmtAxis = (splits) => {
      const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
      const d = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
      return splits.map((v) => formatNumber(v, lang, d));
    };
    const width = Math.max(200, chartBox.clientWidth || this.el.clientWidth - 32 || 400);
    const opts = {
      width, height: 240,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: (u, min, max) => (min === max ? [min - 1, max + 1] : [min - 0.3, max + 0.3]) },
        y: logScale ? { distr: 3, log: 10 } : { range: (u, min, max) => {
          if (min == null || max == null) return [0, 1];
          const pad = (max - min) * 0.1 || Math.abs(max) * 0.1 || 1;
          return [min - pad, max + pad];
        } },
      },
      axes: [
        { stroke: '#1a1a1a', grid: { stroke: '#e0e0e0' }, incrs: [1, 2, 5, 10], values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
        {
          stroke: '#1a1a1a', grid: { stroke: '#e0e0e0' },
          values: (u, splits) => (logScale ? splits.map((v) => formatNumber(v, lang, 0)) : fmtAxis(splits)),
          size: (u, values) => (values ? Math.max(40, 16 + 8 * Math.max(...values.map((v) => String(v).length))) : 50),
        },
      ],
      series: [
        { label: t('colYear') },
        ...names.map((n, i) => {
          const st = STYLES[i % STYLES.length];
          return { label: n, stroke: st.stroke, width: st.width, dash: st.dash, spanGaps: false, points: { show: true, size: i === 0 ? 8 : 6, fill: st.stroke, stroke: st.stroke } };
        }),
      ],
    };
    this.plot = new uPlot(opts, [xs, ...ys], chartBox);
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => {
        const w = Math.max(200, chartBox.clientWidth);
        if (this.plot && Math.abs(w - this.plot.width) > 4) this.plot.setSize({ width: w, height: 240 });
      });
      this.resizeObserver.observe(chartBox);
    }
  }

  /** The (hidden, empty) section for the population projection, or null before `render`. */
  projectionSlot() {
    return this.el.querySelector('#profile-projection');
  }

  hide() {
    this.destroyPlot();
    clear(this.el);
    this.el.hidden = true;
  }
}
