// The population projection in the area profile (GET /api/v1/projection/{code}, docs/api.md): residents
// per year for the medium variant with its 80 % band and the low and high variants (uPlot), the krimp class
// of each variant with the numbers behind it, and the population pyramid of the base year next to the
// horizon (SVG). Each chart is hidden from assistive technology; its caption says what it shows and a
// captioned table (in a disclosure, reachable by keyboard) carries every number.
import uPlot from 'uplot';
import { formatNumber } from './format.js';
import { h } from './dom.js';
import { lineSample } from './profile.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const VARIANTS = ['low', 'medium', 'high'];
// The same colours as the /gebied page's projection chart and pyramid (crates/leefbaar-server/src/pages/gebied.rs).
const MEDIUM = { stroke: '#08519c', width: 3, dash: [] };
const VARIANT = { stroke: '#595959', width: 1.5, dash: [6, 4] };
const BAND = '#c6dbef';
const MEN = '#6baed6';
const WOMEN = '#fc9272';
const INK = '#1a1a1a';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** "+2,1 %" / "−5,6 %" in the reader's notation. */
export function signedPct(value, lang) {
  if (value == null) return '—';
  const n = formatNumber(value, lang, 1);
  // a change that rounds to zero has no sign: "0,0 %", not "−0,0 %"
  if (!/[1-9]/.test(n)) return `${n.replace('\u2212', '')}\u00a0%`;
  return `${value > 0 ? '+' : ''}${n}\u00a0%`;
}

/**
 * Which projections can be shown next to an area: its own, and those of the regions and provinces it
 * belongs to (for a province: the regions within it). `list` is `data.areas` of /api/v1/projection.
 * @returns {{id:string, name:string, kind:string}[]} the area's own first; empty when it has none
 */
export function projectionScopes(list, code) {
  const own = list.find((a) => a.id === code);
  if (!own) return [];
  const members = new Set(own.members || []);
  const others = list.filter((a) => a.id !== code && (
    (a.members || []).includes(code)
    || (own.kind === 'province' && a.kind === 'region' && (a.members || []).every((m) => members.has(m)))));
  const rank = { municipality: 0, region: 1, province: 2 };
  others.sort((a, b) => (rank[a.kind] ?? 3) - (rank[b.kind] ?? 3) || a.name.localeCompare(b.name, 'nl'));
  return [own, ...others];
}

export class ProjectionView {
  constructor() {
    this.plot = null;
    this.resizeObserver = null;
  }

  destroy() {
    if (this.resizeObserver) { this.resizeObserver.disconnect(); this.resizeObserver = null; }
    if (this.plot) { this.plot.destroy(); this.plot = null; }
  }

  /**
   * @param {HTMLElement} el the (emptied) container, a <section> in the profile panel
   * @param {Function} t translator
   * @param {object} data `data` of /projection/{code}
   * @param {object} meta `meta` of the same answer (base_year, horizon, bootstrap_runs)
   * @param {{scopes:{id:string,name:string}[], onScope:(id:string)=>void}} opts
   */
  render(el, t, data, meta, { scopes = [], onScope } = {}) {
    this.destroy();
    el.replaceChildren();
    const lang = t.lang;
    const n0 = (v) => formatNumber(v, lang, 0);
    const series = (data.series || []).slice().sort((a, b) => a.year - b.year);
    const pyramid = data.pyramid || { rows: [] };
    const cls = data.classification || {};
    const medium = cls.medium || {};
    const from = medium.from_year ?? pyramid.from_year ?? meta.base_year ?? (series[0] && series[0].year);
    const to = medium.to_year ?? pyramid.to_year ?? meta.horizon ?? (series.length && series[series.length - 1].year);
    const name = data.name || data.id;
    const runs = meta.bootstrap_runs || 200;

    el.append(
      h('h3', { id: 'projection-h' }, t('projHeading', { from, to })),
      h('p', { class: 'note' }, h('strong', {}, t('projScenario'))),
    );
    if (scopes.length > 1) {
      el.append(h('div', { class: 'field projection-scope' },
        h('label', { for: 'projection-scope' }, t('projScope')),
        h('select', { id: 'projection-scope', onchange: (e) => onScope && onScope(e.target.value) },
          ...scopes.map((s) => h('option', { value: s.id, selected: s.id === data.id }, s.name)))));
    }

    // ---- the class and the numbers behind it
    el.append(h('p', { id: 'projection-class' },
      t('projClassLead', { name, to }), ' ', h('strong', {}, t(`projClass_${medium.class || 'stable'}`)), '. ',
      t('projClassNumbers', {
        from, to,
        pf: n0(medium.population_from), pt: n0(medium.population_to), pc: signedPct(medium.population_change_pct, lang),
        hf: n0(medium.households_from), ht: n0(medium.households_to), hc: signedPct(medium.households_change_pct, lang),
      })));
    const crit = data.criteria || {};
    const pct = (v) => formatNumber(v, lang, Number.isInteger(v) ? 0 : 1);
    el.append(h('p', { class: 'note' }, t('projCriteria', {
      kp: pct(crit.krimp_population_fall_pct ?? 12.5), kh: pct(crit.krimp_household_fall_pct ?? 5),
      af: pct(crit.anticipeer_fall_pct ?? 2.5), gr: pct(crit.growth_rise_pct ?? 2.5), to,
    })));
    const classCaption = t('projClassCaption', { name, from, to });
    el.append(h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'projection-class-caption' },
      h('table', { class: 'data-table profile-table', id: 'projection-class-table' },
        h('caption', { id: 'projection-class-caption' }, classCaption),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('projVariant')),
          h('th', { scope: 'col' }, t('projClassCol')),
          h('th', { scope: 'col', class: 'num' }, t('projResidentsYear', { year: to })),
          h('th', { scope: 'col', class: 'num' }, t('projHouseholdsYear', { year: to })))),
        h('tbody', {}, ...VARIANTS.filter((v) => cls[v]).map((v) => h('tr', { 'data-variant': v },
          h('th', { scope: 'row' }, t(`projVariant_${v}`)),
          h('td', {}, t(`projClass_${cls[v].class || 'stable'}`)),
          h('td', { class: 'num' }, `${n0(cls[v].population_to)} (${signedPct(cls[v].population_change_pct, lang)})`),
          h('td', { class: 'num' }, `${n0(cls[v].households_to)} (${signedPct(cls[v].households_change_pct, lang)})`)))))));

    // ---- residents per year: medium with the band, low and high dashed
    const last = series[series.length - 1] || {};
    const chartBox = h('div', { class: 'chart', 'aria-hidden': 'true' });
    const bandSample = h('span', { class: 'band-sample', 'aria-hidden': 'true', style: `background:${BAND}` });
    el.append(
      h('h4', { id: 'projection-chart-h' }, t('projChartHeading')),
      h('figure', { class: 'chart-figure', id: 'projection-chart' },
        chartBox,
        h('ul', { class: 'chart-legend' },
          h('li', {}, lineSample(MEDIUM), h('span', {}, t('projVariant_medium'))),
          h('li', {}, bandSample, h('span', {}, t('projBand'))),
          h('li', {}, lineSample(VARIANT), h('span', {}, t('projLowHigh')))),
        h('figcaption', {}, t('projChartCaption', {
          name, from, to, runs,
          medium: n0(last.medium), lower: n0(last.lower), upper: n0(last.upper), low: n0(last.low), high: n0(last.high),
        }))),
    );
    const seriesCaption = t('projTableCaption', { name, from, to });
    el.append(h('details', { class: 'chart-data' },
      h('summary', {}, t('projShowTable')),
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'projection-table-caption' },
        h('table', { class: 'data-table profile-table', id: 'projection-table' },
          h('caption', { id: 'projection-table-caption' }, seriesCaption),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('colYear')),
            h('th', { scope: 'col', class: 'num' }, t('projVariant_low')),
            h('th', { scope: 'col', class: 'num' }, t('projVariant_medium')),
            h('th', { scope: 'col', class: 'num' }, t('projVariant_high')),
            h('th', { scope: 'col', class: 'num' }, t('projLower')),
            h('th', { scope: 'col', class: 'num' }, t('projUpper')),
            h('th', { scope: 'col', class: 'num' }, t('projHouseholds')))),
          h('tbody', {}, ...series.map((p) => h('tr', {},
            h('th', { scope: 'row' }, String(p.year)),
            ...[p.low, p.medium, p.high, p.lower, p.upper, p.households].map((v) => h('td', { class: 'num' }, v == null ? '—' : n0(v))))))))));

    // ---- population pyramid
    const rows = pyramid.rows || [];
    const ageText = (r) => String(r.age).replace('-', '–');
    const sum = (key, pick) => rows.filter(pick).reduce((s, r) => s + (r[`male_${key}`] || 0) + (r[`female_${key}`] || 0), 0);
    const total = (key) => sum(key, () => true);
    const old = (key) => sum(key, (r) => r.from_age >= 65);
    const share = (key) => (total(key) ? formatNumber((100 * old(key)) / total(key), lang, 1) : '—');
    el.append(
      h('h4', { id: 'pyramid-h' }, t('projPyramidHeading', { from, to })),
      h('figure', { class: 'chart-figure', id: 'projection-pyramid' },
        rows.length ? this.pyramidSvg(rows, t) : null,
        h('ul', { class: 'chart-legend' },
          h('li', {}, h('span', { class: 'band-sample', 'aria-hidden': 'true', style: `background:${MEN}` }), h('span', {}, t('projMenFrom', { from }))),
          h('li', {}, h('span', { class: 'band-sample', 'aria-hidden': 'true', style: `background:${WOMEN}` }), h('span', {}, t('projWomenFrom', { from }))),
          h('li', {}, h('span', { class: 'band-sample outline', 'aria-hidden': 'true' }), h('span', {}, t('projOutlineTo', { to })))),
        h('figcaption', {}, t('projPyramidCaption', { name, from, to, s0: share('from'), s1: share('to') }))),
    );
    const pyramidCaption = t('projPyramidTableCaption', { name, from, to });
    el.append(h('details', { class: 'chart-data' },
      h('summary', {}, t('projShowPyramidTable')),
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'pyramid-table-caption' },
        h('table', { class: 'data-table profile-table', id: 'pyramid-table' },
          h('caption', { id: 'pyramid-table-caption' }, pyramidCaption),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('projAge')),
            h('th', { scope: 'col', class: 'num' }, t('projMenYear', { year: from })),
            h('th', { scope: 'col', class: 'num' }, t('projWomenYear', { year: from })),
            h('th', { scope: 'col', class: 'num' }, t('projMenYear', { year: to })),
            h('th', { scope: 'col', class: 'num' }, t('projWomenYear', { year: to })))),
          h('tbody', {}, ...rows.map((r) => h('tr', {},
            h('th', { scope: 'row' }, ageText(r)),
            ...[r.male_from, r.female_from, r.male_to, r.female_to].map((v) => h('td', { class: 'num' }, n0(v))))))))));

    el.append(h('p', { class: 'profile-links' },
      h('a', { href: `/api/v1/projection/${encodeURIComponent(data.id)}`, type: 'application/json' }, t('projJson'))));

    this.drawChart(chartBox, series, t);
  }

  drawChart(chartBox, series, t) {
    if (!series.length) return;
    const lang = t.lang;
    const xs = series.map((p) => p.year);
    const pick = (k) => series.map((p) => (p[k] == null ? null : p[k]));
    const all = series.flatMap((p) => [p.low, p.high, p.lower, p.upper, p.medium]).filter((v) => v != null);
    const min = Math.min(...all);
    const max = Math.max(...all);
    const pad = (max - min) * 0.08 || max * 0.05 || 1;
    const width = () => Math.max(200, chartBox.clientWidth || 400);
    const none = 'rgba(0,0,0,0)';
    this.plot = new uPlot({
      width: width(), height: 240,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: (u, a, b) => [a - 0.3, b + 0.3] }, y: { range: () => [min - pad, max + pad] } },
      axes: [
        { stroke: INK, grid: { stroke: '#e0e0e0' }, incrs: [1, 2, 5, 10], values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
        { stroke: INK, grid: { stroke: '#e0e0e0' }, values: (u, splits) => splits.map((v) => formatNumber(v, lang, 0)),
          size: (u, values) => (values ? Math.max(40, 16 + 8 * Math.max(...values.map((v) => String(v).length))) : 50) },
      ],
      series: [
        { label: t('colYear') },
        { label: t('projUpper'), stroke: none, width: 0, points: { show: false } },
        { label: t('projLower'), stroke: none, width: 0, points: { show: false } },
        { label: t('projVariant_low'), stroke: VARIANT.stroke, width: VARIANT.width, dash: VARIANT.dash, points: { show: false } },
        { label: t('projVariant_high'), stroke: VARIANT.stroke, width: VARIANT.width, dash: VARIANT.dash, points: { show: false } },
        { label: t('projVariant_medium'), stroke: MEDIUM.stroke, width: MEDIUM.width, points: { show: false } },
      ],
      bands: [{ series: [1, 2], fill: BAND }],
    }, [xs, pick('upper'), pick('lower'), pick('low'), pick('high'), pick('medium')], chartBox);
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => {
        const w = width();
        if (this.plot && Math.abs(w - this.plot.width) > 4) this.plot.setSize({ width: w, height: 240 });
      });
      this.resizeObserver.observe(chartBox);
    }
  }

  /** Men left, women right; filled bars for the base year, black outlines for the horizon. */
  pyramidSvg(rows, t) {
    const lang = t.lang;
    const rowH = 14;
    const width = 440;
    const top = 22;
    const bottom = 34;
    const height = top + bottom + rowH * rows.length;
    const centre = width / 2;
    const gap = 23;
    const half = centre - gap - 14;
    const max = Math.max(1, ...rows.flatMap((r) => [r.male_from, r.female_from, r.male_to, r.female_to]).filter((v) => v != null));
    const scale = (v) => (half * (v || 0)) / max;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', 'aria-hidden': 'true', focusable: 'false', class: 'pyramid',
      'font-family': 'system-ui, sans-serif', 'font-size': '11', fill: INK });
    root.append(
      svg('text', { x: centre / 2, y: 13, 'text-anchor': 'middle', 'font-size': '12', 'font-weight': 'bold' }, t('projMen')),
      svg('text', { x: centre * 1.5, y: 13, 'text-anchor': 'middle', 'font-size': '12', 'font-weight': 'bold' }, t('projWomen')),
    );
    [...rows].reverse().forEach((r, i) => {
      const y = top + rowH * i + 1.5;
      const bh = rowH - 3;
      const [mf, ff, mt, ft] = [r.male_from, r.female_from, r.male_to, r.female_to].map(scale);
      root.append(
        svg('rect', { x: (centre - gap - mf).toFixed(1), y, width: mf.toFixed(1), height: bh, fill: MEN }),
        svg('rect', { x: centre + gap, y, width: ff.toFixed(1), height: bh, fill: WOMEN }),
        svg('rect', { x: (centre - gap - mt).toFixed(1), y, width: mt.toFixed(1), height: bh, fill: 'none', stroke: INK, 'stroke-width': 1.1 }),
        svg('rect', { x: centre + gap, y, width: ft.toFixed(1), height: bh, fill: 'none', stroke: INK, 'stroke-width': 1.1 }),
        svg('text', { x: centre, y: y + bh - 1.5, 'text-anchor': 'middle' }, String(r.age).replace('-', '–')),
      );
    });
    const axisY = top + rowH * rows.length;
    const raw = max / 3;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) || 10 * mag;
    root.append(svg('line', { x1: centre - gap - half, x2: centre + gap + half, y1: axisY, y2: axisY, stroke: INK }));
    for (let v = 0; v <= max; v += step) {
      for (const x of [centre - gap - scale(v), centre + gap + scale(v)]) {
        root.append(
          svg('line', { x1: x.toFixed(1), x2: x.toFixed(1), y1: axisY, y2: axisY + 4, stroke: INK }),
          svg('text', { x: x.toFixed(1), y: axisY + 15, 'text-anchor': 'middle' }, formatNumber(v, lang, 0)),
        );
      }
    }
    root.append(svg('text', { x: centre, y: axisY + 29, 'text-anchor': 'middle' }, t('projPersonsPerGroup')));
    return root;
  }
}
