// The table view: every area's value for the chosen indicator and year; sortable; rows open the profile.
import { h, clear } from './dom.js';
import { formatValue } from './format.js';
import { textOn } from './classify.js';

export class AreaTable {
  constructor(el, { onActivate }) {
    this.el = el;
    this.onActivate = onActivate;
    this.sort = { key: 'name', dir: 'asc' };
    this.last = null;
  }

  /**
   * @param {Function} t
   * @param {{rows: {code:string,name:string,parentName?:string,value:number|null,missing:string|null,cls:number}[],
   *          classes: object[], decimals:number, unit:string, level:string, caption:string, selected?:string}} model
   */
  render(t, model) {
    this.last = { t, model };
    const { rows, classes, decimals, unit, level } = model;
    const lang = t.lang;
    const cols = [
      { key: 'name', label: t('colArea') },
      ...(level === 'district' || level === 'postcode' ? [{ key: 'parentName', label: t('colMunicipality') }] : []),
      ...(level === 'neighbourhood' ? [{ key: 'parentName', label: t('colDistrict') }] : []),
      { key: 'code', label: t('colCode') },
      { key: 'value', label: t('colValue'), num: true },
      ...(model.deviation ? [{ key: 'dev', label: t('colDeviation'), num: true }] : []),
      { key: 'cls', label: t('colClass'), num: true },
    ];
    const { key, dir } = this.sort;
    const sign = dir === 'asc' ? 1 : -1;
    const sorted = rows.slice().sort((a, b) => {
      if (key === 'value' || key === 'cls' || key === 'dev') {
        const pick = (r) => (key === 'cls' ? (r.cls >= 0 ? r.cls : null) : r[key] ?? null);
        const av = pick(a);
        const bv = pick(b);
        if (av == null && bv == null) return a.name.localeCompare(b.name, 'nl');
        if (av == null) return 1; // missing values always last
        if (bv == null) return -1;
        return sign * (av - bv) || a.name.localeCompare(b.name, 'nl');
      }
      return sign * String(a[key] ?? '').localeCompare(String(b[key] ?? ''), lang === 'en' ? 'en' : 'nl') || a.name.localeCompare(b.name, 'nl');
    });

    const thead = h('thead', {}, h('tr', {}, ...cols.map((c) => {
      const active = c.key === key;
      return h('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : null },
        h('button', {
          type: 'button', class: 'sort',
          onclick: () => {
            this.sort = { key: c.key, dir: active && dir === 'asc' ? 'desc' : 'asc' };
            this.render(t, model);
            const btn = this.el.querySelector(`button[data-sort="${c.key}"]`);
            if (btn) btn.focus();
          },
          'data-sort': c.key,
        }, c.label, h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, active ? (dir === 'asc' ? ' ▲' : ' ▼') : ' ↕')));
    }), h('th', { scope: 'col' }, t('areaPageShort'))));

    const tbody = h('tbody', {}, ...sorted.map((r) => {
      const cl = r.cls >= 0 ? classes[r.cls] : null;
      return h('tr', { class: r.code === model.selected ? 'selected' : null },
        h('th', { scope: 'row' }, h('button', {
          type: 'button', class: 'linkish', 'data-code': r.code,
          'aria-label': t('openProfile', { name: r.name }),
          'aria-current': r.code === model.selected ? 'true' : null,
          onclick: (e) => this.onActivate(r.code, e.currentTarget),
        }, r.name)),
        level === 'district' || level === 'neighbourhood' || level === 'postcode' ? h('td', {}, r.parentName || '') : null,
        h('td', { class: 'code' }, r.code),
        h('td', { class: 'num' }, r.value == null
          ? h('span', { class: 'missing' }, h('span', { class: 'swatch nodata', 'aria-hidden': 'true' }), t('missingShort', { reason: t.missing(r.missing) }))
          : formatValue(r.value, lang, decimals, unit)),
        model.deviation ? h('td', { class: 'num' }, r.dev == null ? '—' : model.deviation.format(r.dev)) : null,
        h('td', { class: 'num' }, cl
          ? h('span', { class: 'cls' }, h('span', { class: 'swatch', style: `background:${cl.color};color:${textOn(cl.color)}`, 'aria-hidden': 'true' }), `${r.cls + 1}/${classes.length}`)
          : '—'),
        h('td', {}, h('a', { href: `/gebied/${encodeURIComponent(r.code)}${lang === 'en' ? '?lang=en' : ''}`, 'aria-label': t('areaPage', { name: r.name }) }, t('areaPageShort'))));
    }));

    clear(this.el);
    this.el.append(h('table', { class: 'data-table', id: 'area-table' }, h('caption', {}, model.caption), thead, tbody));
  }

  focusRow(code) {
    const b = this.el.querySelector(`button[data-code="${CSS.escape(code)}"]`);
    if (b) { b.focus(); return true; }
    return false;
  }
}
