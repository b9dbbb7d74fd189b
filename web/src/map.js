// The choropleth: Leaflet drawing our own GeoJSON on a plain background (no tiles).
import L from 'leaflet';
import { NO_DATA_FILL } from './classify.js';
import { LabelLayer, labelPoint } from './labels.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export class ChoroplethMap {
  /**
   * @param {HTMLElement} el
   * @param {{onActivate:(code:string, el:Element)=>void}} handlers
   * @param {{bbox?:number[]}} opts the province's [west, south, east, north], for the first view
   */
  constructor(el, handlers, opts = {}) {
    this.el = el;
    this.handlers = handlers;
    this.map = L.map(el, {
      zoomControl: false, attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.1, zoomDelta: 0.5,
      minZoom: 6, maxZoom: 14, keyboard: true, preferCanvas: false,
    });
    this.map.createPane('outlines').style.zIndex = 420;
    this.map.createPane('highlight').style.zIndex = 430;
    this.map.getPane('outlines').style.pointerEvents = 'none';
    this.map.getPane('highlight').style.pointerEvents = 'none';
    // Place names above the areas and their outlines; they let every pointer event through and are
    // hidden from assistive technology (the areas carry their names).
    const labels = this.map.createPane('labels');
    labels.style.zIndex = 440;
    labels.style.pointerEvents = 'none';
    labels.setAttribute('aria-hidden', 'true');
    // Facility markers sit above the choropleth, its outlines, its highlight and the names.
    this.map.createPane('facilities').style.zIndex = 450;
    this.facilities = null;
    this.facilityById = new Map();
    this.facilitySelected = null;
    const [w, s, e, n] = opts.bbox || [6.1, 52.6, 7.1, 53.2];
    this.map.setView([(s + n) / 2, (w + e) / 2], 9);
    this.labels = new LabelLayer({ pane: 'labels' }).addTo(this.map);
    this.labelPoints = new Map(); // municipality code -> [lon, lat]
    this.layer = null;
    this.outline = null;
    this.highlight = null;
    this.fitted = null;
    this.byCode = new Map();
    // Refit to Drenthe when the container changes size (profile panel, scrollbar, rotation) unless the
    // user has zoomed or panned since the last fit.
    this.userMoved = false;
    this.fitting = false;
    this.map.on('movestart zoomstart', () => { if (!this.fitting) this.userMoved = true; });
    if (typeof ResizeObserver !== 'undefined') {
      let last = '';
      new ResizeObserver(() => {
        const key = `${el.clientWidth}x${el.clientHeight}`;
        if (key === last) return;
        last = key;
        this.invalidate();
      }).observe(el);
    }
  }

  setTexts(t) {
    if (this.zoom) this.zoom.remove();
    this.zoom = L.control.zoom({ zoomInTitle: t('zoomIn'), zoomOutTitle: t('zoomOut'), zoomInText: '+', zoomOutText: '\u2212' }).addTo(this.map);
    if (this.attr) this.attr.remove();
    this.attr = L.control.attribution({ prefix: false }).addAttribution(t('mapAttribution')).addTo(this.map);
  }

  ensureDefs() {
    const svg = this.map.getPane('overlayPane').querySelector('svg');
    if (!svg || svg.querySelector('#lb-hatch')) return;
    const defs = document.createElementNS(SVG_NS, 'defs');
    const pattern = document.createElementNS(SVG_NS, 'pattern');
    pattern.setAttribute('id', 'lb-hatch');
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '7');
    pattern.setAttribute('height', '7');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    const rect = document.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('width', '7'); rect.setAttribute('height', '7'); rect.setAttribute('fill', '#e4e4e4');
    const line = document.createElementNS(SVG_NS, 'line');
    line.setAttribute('x1', '0'); line.setAttribute('y1', '0'); line.setAttribute('x2', '0'); line.setAttribute('y2', '7');
    line.setAttribute('stroke', '#767676'); line.setAttribute('stroke-width', '2.5');
    pattern.append(rect, line);
    defs.append(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  /**
   * @param {object} fc GeoJSON FeatureCollection
   * @param {Map<string, {fill:string, label:string, tooltip:string}>} styleOf by area code
   * @param {{level:string, outlineFc?:object, selected?:string}} opts
   */
  render(fc, styleOf, opts) {
    if (this.layer) this.layer.remove();
    if (this.outline) { this.outline.remove(); this.outline = null; }
    this.clearHighlight();
    this.byCode.clear();
    const district = opts.level !== 'municipality'; // districts and neighbourhoods: thin lines, municipal outlines on top
    // Alphabetical drawing order = keyboard (Tab) order, matching the table's default order.
    const features = [...fc.features].sort((a, b) => String(a.properties.name).localeCompare(String(b.properties.name), 'nl'));
    this.layer = L.geoJSON({ type: 'FeatureCollection', features }, {
      style: (f) => {
        const s = styleOf.get(f.properties.code);
        return { fillColor: s ? s.fill : NO_DATA_FILL, fillOpacity: 1, color: '#3d3d3d', weight: district ? 0.6 : 1.2, opacity: 1 };
      },
      onEachFeature: (f, layer) => {
        const s = styleOf.get(f.properties.code);
        layer.bindTooltip(s ? s.tooltip : f.properties.name, { sticky: true, direction: 'top', className: 'lb-tooltip', opacity: 1 });
        layer.on('click', () => this.handlers.onActivate(f.properties.code, layer.getElement()));
        layer.on('mouseover', () => this.showHighlight(f));
        layer.on('mouseout', () => this.clearHighlight());
        this.byCode.set(f.properties.code, layer);
      },
    }).addTo(this.map);
    this.ensureDefs();
    this.layer.eachLayer((layer) => {
      const el = layer.getElement();
      const f = layer.feature;
      const s = styleOf.get(f.properties.code);
      if (!el) return;
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', s ? s.label : f.properties.name);
      el.setAttribute('data-code', f.properties.code);
      if (opts.selected === f.properties.code) el.setAttribute('aria-current', 'true');
      el.addEventListener('focus', () => {
        this.showHighlight(f);
        layer.openTooltip(layer.getBounds().getCenter());
      });
      el.addEventListener('blur', () => { this.clearHighlight(); layer.closeTooltip(); });
      el.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') { layer.closeTooltip(); return; }
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          this.handlers.onActivate(f.properties.code, el);
        }
      });
    });
    if (district && opts.outlineFc) {
      this.outline = L.geoJSON(opts.outlineFc, {
        pane: 'outlines', interactive: false, style: { fill: false, color: '#1a1a1a', weight: 2, opacity: 1 },
      }).addTo(this.map);
    }
    if (opts.selected) this.markSelected(opts.selected);
    const key = opts.level;
    if (this.fitted !== key) {
      this.userMoved = false;
      this.fit();
      this.fitted = key;
    }
  }

  /** Municipality names at a point inside each polygon of a municipal boundary FeatureCollection. */
  setMunicipalityLabels(fc) {
    const list = [];
    for (const f of (fc && fc.features) || []) {
      const code = f.properties && f.properties.code;
      if (!code) continue;
      if (!this.labelPoints.has(code)) this.labelPoints.set(code, labelPoint(f.geometry));
      const p = this.labelPoints.get(code);
      if (p) list.push({ code, name: f.properties.name || code, lon: p[0], lat: p[1] });
    }
    this.labels.setMunicipalities(list);
  }

  /** Town names: [{name, lon, lat, population}] (biggest first when space is short). */
  setTowns(places) {
    this.labels.setTowns(places);
  }

  clear() {
    if (this.layer) { this.layer.remove(); this.layer = null; }
    if (this.outline) { this.outline.remove(); this.outline = null; }
    if (this.selected) { this.selected.remove(); this.selected = null; }
    this.clearHighlight();
    this.byCode.clear();
  }

  fit() {
    if (!this.layer) return;
    const b = this.layer.getBounds();
    if (!b.isValid()) return;
    this.fitting = true;
    try { this.map.fitBounds(b, { padding: [8, 8], animate: false }); } finally { this.fitting = false; }
  }

  invalidate() {
    this.fitting = true;
    try { this.map.invalidateSize({ pan: false }); } finally { this.fitting = false; }
    if (!this.userMoved) this.fit();
  }

  showHighlight(feature) {
    this.clearHighlight();
    this.highlight = L.geoJSON(feature, {
      pane: 'highlight', interactive: false, style: { fill: false, color: '#000000', weight: 3.5, opacity: 1 },
    }).addTo(this.map);
  }

  clearHighlight() {
    if (this.highlight) { this.highlight.remove(); this.highlight = null; }
  }

  markSelected(code) {
    if (this.selected) { this.selected.remove(); this.selected = null; }
    this.el.querySelectorAll('[data-code][aria-current]').forEach((e) => e.removeAttribute('aria-current'));
    const layer = code && this.byCode.get(code);
    if (!layer) return;
    const el = layer.getElement();
    if (el) el.setAttribute('aria-current', 'true');
    this.selected = L.geoJSON(layer.feature, {
      pane: 'highlight', interactive: false, style: { fill: false, color: '#c51b8a', weight: 3, opacity: 1, dashArray: '6 3' },
    }).addTo(this.map);
  }

  /**
   * Facility points as circle markers (SVG, no images), one per feature, keyboard-reachable.
   * @param {object[]} features GeoJSON point features with properties id, name, kind
   * @param {{styleOf:(kind:string)=>{color:string, radius:number}, labelOf:(f:object)=>string,
   *          tooltipOf:(f:object)=>Node|string, onActivate:(f:object, el:Element)=>void, selected?:string}} opts
   */
  renderFacilities(features, opts) {
    if (this.facilities) { this.facilities.remove(); this.facilities = null; }
    this.facilityById.clear();
    if (!features.length) return;
    const group = L.featureGroup();
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      const st = opts.styleOf(f.properties.kind);
      // `stroke`, `weight`, `dashArray` and `fillOpacity` are optional: the AED layer tells its kinds apart by
      // size, a hollow or dashed ring as well as by colour.
      const m = L.circleMarker([lat, lon], {
        pane: 'facilities', radius: st.radius, color: st.stroke || '#000000', weight: st.weight || 1.5, opacity: 1,
        fillColor: st.color, fillOpacity: st.fillOpacity ?? 1, dashArray: st.dashArray || null,
      });
      m.options.baseWeight = st.weight || 1.5;
      m.feature = f;
      m.bindTooltip(opts.tooltipOf(f), { direction: 'top', className: 'lb-tooltip', opacity: 1, offset: [0, -4] });
      m.on('click', () => opts.onActivate(f, m.getElement()));
      group.addLayer(m);
      this.facilityById.set(String(f.properties.id), m);
    }
    this.facilities = group.addTo(this.map);
    group.eachLayer((m) => {
      const el = m.getElement();
      const f = m.feature;
      if (!el) return;
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', opts.labelOf(f));
      el.setAttribute('data-facility', String(f.properties.id));
      el.setAttribute('data-kind', f.properties.kind);
      el.classList.add('lb-facility');
      el.addEventListener('focus', () => {
        // markers around Drenthe may lie outside the view: bring a focused one into it
        if (!this.map.getBounds().contains(m.getLatLng())) this.map.panTo(m.getLatLng(), { animate: false });
        m.openTooltip();
      });
      el.addEventListener('blur', () => m.closeTooltip());
      el.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') { m.closeTooltip(); return; }
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          opts.onActivate(f, el);
        }
      });
    });
    this.markFacility(opts.selected || null);
  }

  markFacility(id) {
    if (this.facilitySelected) {
      const old = this.facilitySelected;
      old.setStyle({ weight: old.options.baseWeight || 1.5 });
      old.setRadius(old.options.baseRadius || old.getRadius());
      const el = old.getElement();
      if (el) el.removeAttribute('aria-current');
      this.facilitySelected = null;
    }
    const m = id && this.facilityById.get(String(id));
    if (!m) return;
    m.options.baseRadius = m.options.baseRadius || m.getRadius();
    m.setStyle({ weight: (m.options.baseWeight || 1.5) + 2 });
    m.setRadius(m.options.baseRadius + 3);
    const el = m.getElement();
    if (el) el.setAttribute('aria-current', 'true');
    this.facilitySelected = m;
  }

  facilityElement(id) {
    const m = this.facilityById.get(String(id));
    return m ? m.getElement() : null;
  }

  elementFor(code) {
    const layer = this.byCode.get(code);
    return layer ? layer.getElement() : null;
  }
}
