// The compare view: 2–4 areas side by side for the current indicator (GET /api/v1/compare), with
// Drenthe and the Netherlands; a uPlot chart (hidden from assistive tech) and the same numbers in a table.
import uPlot from 'uplot';
import { formatNumber } from './format.js';
import { h, clear } from './dom.js';
import { STYLES, lineSample } from './profile.js';
import { apiUrl } from './api.js';

export const MAX_COMPARE = 4;

export class ComparePanel {
  /**
   * @param {HTMLElement} el the #compare-body container
   */
  constructor(el) {
    this.el = el;
    this.plot = null;
    this.ro = null;
  }

  destroy() {
    if (this.ro) { this.ro.disconnect(); this.ro = null; }
    if (this.plot) { this.plot.destroy(); this.plot = null; }
  }

  message(text) {
    this.destroy();
    clear(this.el);
    this.el.append(h('p', { class: 'hint' }, text));
  }

  /**
   * @param {Function} t translator
   * @param {object} data `data` of /compare
   * @param {object} ind catalogue entry
   */
  render(t, data, ind) {
    this.destroy();
    clear(this.el);
    const lang = t.lang;
    const all = [...(data.areas || []), ...(data.comparators || [])];
    const names = all.map((a) => a.name || a.code);
    const indName = t.loc(ind.name);
    const unit = t.loc(ind.unit_symbol) || '';
    const decimals = Number.isInteger(ind.decimals) ? ind.decimals : 1;
    const years = [...new Set(all.flatMap((a) => (a.series || []).map((s) => s.year)))].sort((a, b) => a - b);
    const byArea = all.map((a) => new Map((a.series || []).map((s) => [s.year, s])));
    const nameList = new Intl.ListFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { type: 'conjunction' }).format(names);

    const chartBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
    const legend = h('ul', { class: 'chart-legend' }, ...names.map((n, i) => h('li', {}, lineSample(STYLES[i % STYLES.length]), h('span', {}, n))));
    this.el.append(h('figure', { class: 'chart-figure' }, chartBox, legend,
      h('figcaption', {}, t('compareChartCaption', { indicator: indName, names: nameList }))));

    const caption = t('compareTableCaption', { indicator: indName, unit: unit || '—', names: nameList });
    const table = h('table', { class: 'data-table', id: 'compare-table' },
      h('caption', { id: 'compare-caption' }, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colYear')), ...names.map((n) => h('th', { scope: 'col', class: 'num' }, n)))),
      h('tbody', {}, ...years.map((y) => h('tr', {},
        h('th', { scope: 'row' }, String(y)),
        ...byArea.map((m) => {
          const s = m.get(y);
          if (!s) return h('td', { class: 'num' }, '—');
          return h('td', { class: 'num' }, s.value == null ? h('span', { class: 'missing' }, t.missing(s.missing)) : formatNumber(s.value, lang, decimals));
        })))));
    this.el.append(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'compare-caption' }, table));

    const codes = all.map((a) => a.code).join(',');
    const own = (data.areas || []).map((a) => a.code).join(',');
    const src = ind.source || {};
    this.el.append(h('p', { class: 'downloads' },
      h('a', { href: apiUrl('/observations', { indicator: ind.id, area: codes, format: 'csv' }), type: 'text/csv', download: `${ind.id}_${own.replace(/,/g, '_')}.csv` }, t('compareDownloadCsv')),
      ' · ',
      h('a', { href: apiUrl('/compare', { area: own, indicator: ind.id }), type: 'application/json' }, t('compareDownloadJson'))),
    h('p', { class: 'licence' }, t('sourceLine', { attribution: src.attribution || 'CBS', table: src.table || src.id || '', licence: src.licence || 'CC BY 4.0' })));

    if (!years.length) return;
    const ys = byArea.map((m) => years.map((y) => (m.get(y) ? m.get(y).value : null)));
    const width = Math.max(200, chartBox.clientWidth || this.el.clientWidth - 32 || 600);
    const fmtAxis = (splits) => {
      const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
      const d = step >= 1 ? 0 : Math.min(4, Math.ceil(-Math.log10(step)));
      return splits.map((v) => formatNumber(v, lang, d));
    };
    const flat = ys.flat().filter((v) => v != null);
    const logScale = flat.length && flat.every((v) => v > 0) && Math.max(...flat) / Math.min(...flat) > 20;
    this.plot = new uPlot({
      width, height: 260,
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
        { stroke: '#1a1a1a', grid: { stroke: '#e0e0e0' }, values: (u, splits) => (logScale ? splits.map((v) => formatNumber(v, lang, 0)) : fmtAxis(splits)),
          size: (u, values) => (values ? Math.max(40, 16 + 8 * Math.max(...values.map((v) => String(v).length))) : 50) },
      ],
      series: [{ label: t('colYear') }, ...names.map((n, i) => {
        const st = STYLES[i % STYLES.length];
        return { label: n, stroke: st.stroke, width: st.width, dash: st.dash, spanGaps: false, points: { show: true, size: 6, fill: st.stroke, stroke: st.stroke } };
      })],
    }, [years, ...ys], chartBox);
    if (typeof ResizeObserver !== 'undefined') {
      this.ro = new ResizeObserver(() => {
        const w = Math.max(200, chartBox.clientWidth);
        if (this.plot && Math.abs(w - this.plot.width) > 4) this.plot.setSize({ width: w, height: 260 });
      });
      this.ro.observe(chartBox);
    }
  }
}
