// View "Typologie": the bubbles of issue 15 (GET /api/v1/typology) — every municipality of the Netherlands
// by projected change 2024–2040 × degree of urbanisation, on a national map (an SVG of the stored 2024
// municipality boundaries, GET /api/v1/boundaries), and the share of residents per bubble for the
// Netherlands, each province and the monitored one as stacked bars beside a table with the same numbers.
// Every municipality's bubble is in a table too, so nothing is only in colour. Colours are CSS classes
// (`bubble-<change>-<degree>`): the Content-Security-Policy allows no inline styles.
// URL: ?view=typologie[&lang=en][&area=PV22]
import { getJson, ApiError } from '../api.js';
import { formatNumber } from '../format.js';
import { h } from '../dom.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children) if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** An SVG path of a GeoJSON (Multi)Polygon, in a plane where a degree of longitude is cos(52.2°) of one of latitude. */
function pathOf(geometry, project) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  let d = '';
  for (const polygon of polygons) {
    for (const ring of polygon) {
      ring.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        d += `${i ? 'L' : 'M'}${x.toFixed(2)} ${y.toFixed(2)}`;
      });
      d += 'Z';
    }
  }
  return d;
}

class TypologieView {
  constructor(ctx) {
    this.ctx = ctx;
    this.active = false;
    this.built = false;
    this.data = null;
    this.meta = null;
    this.boundaries = null;
    this.area = null; // the area whose municipalities the table lists
  }

  get t() { return this.ctx.t; }

  read(q) { this.area = q.get('area') || null; }

  query() {
    const q = new URLSearchParams();
    if (this.area) q.set('area', this.area);
    return q;
  }

  build() {
    $('typology-view').replaceChildren(
      h('h2', { id: 'typology-h', tabindex: '-1' }),
      h('p', { id: 'typology-intro' }),
      h('div', { id: 'typology-status', class: 'status', role: 'status' }),
      h('div', { id: 'typology-body' }),
    );
    this.built = true;
  }

  async activate() {
    this.active = true;
    if (!this.built) this.build();
    $('typology-view').hidden = false;
    this.applyLang();
    try {
      await this.load();
    } catch (e) {
      if (!this.active) return;
      if (e instanceof ApiError && e.status === 404) {
        $('typology-body').replaceChildren(h('p', { class: 'hint' }, this.t('typologyNone')));
        return;
      }
      this.ctx.showError(e, () => this.activate());
      return;
    }
    if (!this.active) return;
    this.render();
  }

  deactivate() {
    this.active = false;
    $('typology-view').hidden = true;
  }

  refresh() {
    this.applyLang();
    if (this.data) this.render();
  }

  async load() {
    if (this.data) return;
    $('typology-body').setAttribute('aria-busy', 'true');
    $('typology-status').textContent = this.t('loading');
    const [typology, boundaries] = await Promise.all([
      getJson('/typology'),
      getJson(`/boundaries?level=municipality&year=${2024}`).catch(() => null),
    ]);
    this.data = typology.data;
    this.meta = typology.meta;
    this.boundaries = boundaries && boundaries.data;
    $('typology-status').textContent = '';
  }

  applyLang() {
    const t = this.t;
    $('typology-h').textContent = t('typologyHeading');
    $('typology-intro').textContent = t('typologyIntro');
    document.title = `${t('typologyHeading')} — ${t('title')}`;
  }

  bubbleName(b) {
    const t = this.t;
    const degree = this.data.degrees.find((d) => d.id === b.degree);
    const degreeName = degree ? (t.lang === 'en' ? degree.name_en : degree.name_nl) : b.degree;
    return `${t(`typologyChange_${b.change}`)} · ${degreeName}`;
  }

  render() {
    const t = this.t;
    const lang = t.lang;
    const d = this.data;
    const pct = (v) => `${formatNumber(v, lang, 1)}%`;
    const body = $('typology-body');

    // ------------------------------------------------ legend (shared by map and chart)
    const legend = h('ul', { class: 'bubble-legend', id: 'typology-legend', 'aria-label': t('typologyLegend') },
      ...d.bubbles.map((b) => h('li', {}, h('span', { class: `swatch bubble-${b.id}`, 'aria-hidden': 'true' }), this.bubbleName(b))));

    // ------------------------------------------------ map
    const byCode = new Map(d.municipalities.map((m) => [m.code, m]));
    let map = h('p', { class: 'hint' }, t('typologyNoMap'));
    if (this.boundaries && Array.isArray(this.boundaries.features) && this.boundaries.features.length) {
      // The box of every ring, so the map fits whatever country or province the bundle has.
      const bounds = [Infinity, Infinity, -Infinity, -Infinity];
      const visit = (c) => {
        if (typeof c[0] === 'number') {
          bounds[0] = Math.min(bounds[0], c[0]); bounds[1] = Math.min(bounds[1], c[1]);
          bounds[2] = Math.max(bounds[2], c[0]); bounds[3] = Math.max(bounds[3], c[1]);
        } else c.forEach(visit);
      };
      for (const f of this.boundaries.features) if (f.geometry) visit(f.geometry.coordinates);
      const k = Math.cos((((bounds[1] + bounds[3]) / 2) * Math.PI) / 180);
      const project = (lon, lat) => [(lon - bounds[0]) * k * 100, (bounds[3] - lat) * 100];
      const [width, height] = project(bounds[2], bounds[1]);
      const svg = s('svg', { viewBox: `0 0 ${width.toFixed(1)} ${height.toFixed(1)}`, class: 'typology-map', role: 'img', 'aria-labelledby': 'typology-map-title' },
        s('title', { id: 'typology-map-title' }, t('typologyMapTitle')));
      let drawn = 0;
      for (const f of this.boundaries.features) {
        const code = f.properties && (f.properties.code || f.id);
        const m = byCode.get(code);
        if (!m || !f.geometry) continue;
        drawn++;
        svg.append(s('path', { d: pathOf(f.geometry, project), class: `bubble-${m.bubble}`, 'data-code': code },
          s('title', {}, `${m.name}: ${this.bubbleName(m)}`)));
      }
      svg.setAttribute('data-municipalities', String(drawn));
      map = h('figure', { class: 'typology-figure' }, svg,
        h('figcaption', {}, t('typologyMapCaption', { n: formatNumber(drawn, lang, 0) })));
    }

    // ------------------------------------------------ chart: stacked bars of the shares per area
    const areas = d.areas;
    const rowH = 22;
    const labelW = 150;
    const chart = s('svg', { viewBox: `0 0 600 ${areas.length * rowH + 4}`, class: 'typology-chart', role: 'img', 'aria-labelledby': 'typology-chart-title' },
      s('title', { id: 'typology-chart-title' }, t('typologyChartTitle')));
    areas.forEach((a, i) => {
      const y = i * rowH + 2;
      chart.append(s('text', { x: labelW - 6, y: y + rowH * 0.65, class: a.monitored ? 'bar-label monitored' : 'bar-label', 'text-anchor': 'end' },
        a.monitored ? `${a.name} *` : a.name));
      let x = labelW;
      for (const b of a.bubbles) {
        const w = (b.share_from_pct / 100) * (600 - labelW - 4);
        if (w > 0) {
          chart.append(s('rect', { x: x.toFixed(2), y, width: w.toFixed(2), height: rowH - 6, class: `bubble-${b.bubble}` },
            s('title', {}, `${a.name}, ${this.bubbleName(b)}: ${pct(b.share_from_pct)}`)));
        }
        x += w;
      }
    });
    const caption = t('typologySharesCaption', { from: d.from_year, to: d.to_year });
    const shares = h('table', { class: 'data-table typology-shares', id: 'typology-shares' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('typologyArea')),
        h('th', { scope: 'col', class: 'num' }, t('typologyResidents', { year: d.from_year })),
        ...d.bubbles.map((b) => h('th', { scope: 'col', class: 'num' }, this.bubbleName(b))))),
      h('tbody', {}, ...areas.map((a) => h('tr', { 'data-area': a.code, class: a.monitored ? 'monitored' : null },
        h('th', { scope: 'row' }, a.monitored ? `${a.name} (${t('typologyMonitored')})` : a.name),
        h('td', { class: 'num' }, formatNumber(a.population_from, lang, 0)),
        ...a.bubbles.map((b) => h('td', { class: 'num' }, pct(b.share_from_pct)))))));

    // ------------------------------------------------ municipalities of one area
    const known = areas.some((a) => a.code === this.area);
    const chosen = known ? this.area : (areas.find((a) => a.monitored) || areas[0]).code;
    const select = h('select', { id: 'typology-area', name: 'area' },
      ...areas.map((a) => h('option', { value: a.code, selected: a.code === chosen }, a.name)));
    select.addEventListener('change', (e) => {
      this.area = e.target.value;
      this.ctx.writeUrl('pushState');
      this.render();
    });
    const members = d.municipalities.filter((m) => chosen === 'NL01' || m.province === chosen);
    const chosenName = (areas.find((a) => a.code === chosen) || {}).name || chosen;
    const listCaption = t('typologyMunicipalitiesCaption', { area: chosenName, from: d.from_year, to: d.to_year });
    const list = h('table', { class: 'data-table', id: 'typology-municipalities' },
      h('caption', {}, listCaption),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('typologyMunicipality')),
        h('th', { scope: 'col' }, t('typologyBubble')),
        h('th', { scope: 'col', class: 'num' }, t('typologyResidents', { year: d.from_year })),
        h('th', { scope: 'col', class: 'num' }, t('typologyResidents', { year: d.to_year })),
        h('th', { scope: 'col', class: 'num' }, t('typologyChange')),
        h('th', { scope: 'col' }, t('typologyLowHigh')))),
      h('tbody', {}, ...members.map((m) => h('tr', { 'data-code': m.code },
        h('th', { scope: 'row' }, h('a', { href: `/gebied/${m.code}${lang === 'en' ? '?lang=en' : ''}` }, m.name)),
        h('td', {}, h('span', { class: `swatch bubble-${m.bubble}`, 'aria-hidden': 'true' }), this.bubbleName(m)),
        h('td', { class: 'num' }, formatNumber(m.population_from, lang, 0)),
        h('td', { class: 'num' }, formatNumber(m.population_to, lang, 0)),
        h('td', { class: 'num' }, `${m.population_change_pct > 0 ? '+' : ''}${formatNumber(m.population_change_pct, lang, 1)}%`),
        h('td', {}, `${t(`typologyChange_${m.change_low}`)} / ${t(`typologyChange_${m.change_high}`)}`)))));

    body.replaceChildren(
      legend,
      h('div', { class: 'panel-grid' },
        h('section', { 'aria-labelledby': 'typology-map-h' }, h('h3', { id: 'typology-map-h' }, t('typologyMapHeading')), map),
        h('section', { 'aria-labelledby': 'typology-chart-h' }, h('h3', { id: 'typology-chart-h' }, t('typologyChartHeading')),
          h('figure', { class: 'typology-figure' }, chart, h('figcaption', {}, t('typologyChartCaption'))),
          h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, shares))),
      h('section', { 'aria-labelledby': 'typology-list-h' },
        h('h3', { id: 'typology-list-h' }, t('typologyListHeading')),
        h('form', { class: 'controls-form panel-form' },
          h('div', { class: 'field' }, h('label', { for: 'typology-area' }, t('typologyChooseArea')), select)),
        h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': listCaption }, list)),
      h('p', { class: 'hint' }, t('typologyMethod')),
      h('p', { class: 'licence' }, t('typologySource', { attribution: (this.meta && this.meta.attribution) || '', licence: (this.meta && this.meta.licence) || '' })),
    );
    body.removeAttribute('aria-busy');
  }
}

export default {
  id: 'typologie',
  name: { nl: 'Typologie', en: 'Typology' },
  map: false,
  heading: 'typology-h',
  create: (ctx) => new TypologieView(ctx),
};
