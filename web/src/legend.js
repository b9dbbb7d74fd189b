// The map's legend: every class as a colour swatch with its range and count in text, and "no data" with
// its reasons, so colour never carries the values alone.
import { h, clear } from './dom.js';
import { formatValue, formatNumber } from './format.js';

/**
 * @param {HTMLElement} el the legend container
 * @param {Function} t translator
 * @param {object} ind catalogue entry (name)
 * @param {{classes:object[], decimals:number, unit:string, rows:object[], deviation:object|null, classes_mode?:string}} model
 * @param {'quantile'|'jenks'} classesMode how the classes were made (ignored for the deviation view)
 */
export function renderLegend(el, t, ind, model, classesMode) {
  clear(el);
  const lang = t.lang;
  const { classes, decimals, unit, rows, deviation } = model;
  const fmt = deviation ? deviation.format : (v) => formatValue(v, lang, decimals, unit);
  // "21,0 – 22,0%": the unit once, after the upper bound
  const rangeText = deviation ? (a, b) => {
    if (a === -Infinity) return `< ${fmt(b)}`;
    if (b === Infinity) return `> ${fmt(a)}`;
    return `${fmt(a)} – ${fmt(b)}`;
  } : (a, b) => (unit && !unit.startsWith('×')
    ? `${formatNumber(a, lang, decimals)} – ${fmt(b)}` : `${fmt(a)} – ${fmt(b)}`);
  const count = (n) => (n === 1 ? t('areaCount1') : t('areasCount', { n }));
  const missing = rows.filter((r) => r.value == null);
  el.append(h('h3', {}, `${t('legend')}: ${t.loc(ind.name)}${unit ? ` (${unit})` : ''}`));
  if (classes.length && deviation) el.append(h('p', { class: 'legend-note' }, t(deviation.kind === 'diff' ? 'deviationLegend' : 'deviationLegendIndex', { how: deviation.how })));
  else if (classes.length) el.append(h('p', { class: 'legend-note' }, t(classesMode === 'jenks' ? 'legendJenks' : 'legendClasses', { n: classes.length })));
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
