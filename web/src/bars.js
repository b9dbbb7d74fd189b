// Horizontal bars with their 95 % confidence intervals as whiskers, drawn as inline SVG at the width of
// their container (redrawn when it changes). The chart is hidden from assistive technology: its numbers
// are in the table next to it. A withheld (suppressed) estimate gets its reason in words, never a bar.

const SVG_NS = 'http://www.w3.org/2000/svg';
const FILL = '#6baed6';
const FILL_TOTAL = '#2171b5';
const INK = '#1a1a1a';
const MUTED = '#4a4a4a';

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  if (text != null) el.textContent = text;
  return el;
}

/** About 5 round tick values from lo to hi. */
export function ticks(lo, hi, n = 5) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

export class CiBars {
  /**
   * @param {HTMLElement} el the (empty) figure body the SVG goes in
   */
  constructor(el) {
    this.el = el;
    this.model = null;
    this.width = 0;
    if (typeof ResizeObserver !== 'undefined') {
      this.ro = new ResizeObserver(() => {
        const w = this.el.clientWidth;
        if (this.model && Math.abs(w - this.width) > 4) this.draw();
      });
      this.ro.observe(el);
    }
  }

  /**
   * @param {{rows: {label:string, value:number|null, low?:number, high?:number, note?:string, total?:boolean}[],
   *          min:number, max:number, format:(v:number)=>string, tickFormat:(v:number)=>string}} model
   */
  render(model) {
    this.model = model;
    this.draw();
  }

  draw() {
    const m = this.model;
    const width = Math.max(200, this.el.clientWidth || 480);
    this.width = width;
    const rowH = 24;
    const barH = 14;
    const top = 6;
    const axisH = 26;
    const labelChars = Math.max(...m.rows.map((r) => r.label.length), 4);
    const labelW = Math.min(Math.round(width * 0.38), 7 * labelChars + 10);
    const valueW = 44; // room for the value after the whisker
    const x0 = labelW;
    const x1 = width - valueW;
    const span = m.max - m.min || 1;
    const x = (v) => x0 + ((Math.min(Math.max(v, m.min), m.max) - m.min) / span) * (x1 - x0);
    const height = top + m.rows.length * rowH + axisH;
    const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false', class: 'ci-bars' });
    // grid and axis
    const axisY = top + m.rows.length * rowH + 2;
    const tv = ticks(m.min, m.max, width < 360 ? 3 : 5);
    // the bars' base (a scale's minimum, such as 1 of a 1–10 mark) is labelled too
    if (tv.length > 1 && tv[0] - m.min > 0.4 * (tv[1] - tv[0])) tv.unshift(m.min);
    for (const v of tv) {
      root.append(svg('line', { x1: x(v), x2: x(v), y1: top, y2: axisY, stroke: '#d9d9d9', 'stroke-width': 1 }));
      root.append(svg('text', { x: x(v), y: axisY + 15, 'text-anchor': 'middle', 'font-size': 12, fill: MUTED }, m.tickFormat(v)));
    }
    root.append(svg('line', { x1: x0, x2: x1, y1: axisY, y2: axisY, stroke: INK, 'stroke-width': 1 }));
    m.rows.forEach((r, i) => {
      const yc = top + i * rowH + rowH / 2;
      const maxChars = Math.max(3, Math.floor((labelW - 8) / 6.6));
      const label = r.label.length > maxChars ? `${r.label.slice(0, maxChars - 1)}…` : r.label;
      root.append(svg('text', { x: 0, y: yc + 4, 'font-size': 12, fill: INK, 'font-weight': r.total ? 700 : 400 }, label));
      if (r.value == null) {
        root.append(svg('text', { x: x0 + 4, y: yc + 4, 'font-size': 12, fill: MUTED, 'font-style': 'italic' }, r.note || ''));
        return;
      }
      root.append(svg('rect', { x: x0, y: yc - barH / 2, width: Math.max(1, x(r.value) - x0), height: barH, fill: r.total ? FILL_TOTAL : FILL }));
      let end = x(r.value);
      if (r.low != null && r.high != null) {
        const lo = x(r.low);
        const hi = x(r.high);
        root.append(svg('line', { x1: lo, x2: hi, y1: yc, y2: yc, stroke: INK, 'stroke-width': 1.5 }));
        root.append(svg('line', { x1: lo, x2: lo, y1: yc - 5, y2: yc + 5, stroke: INK, 'stroke-width': 1.5 }));
        root.append(svg('line', { x1: hi, x2: hi, y1: yc - 5, y2: yc + 5, stroke: INK, 'stroke-width': 1.5 }));
        end = Math.max(end, hi);
      }
      root.append(svg('text', { x: end + 4, y: yc + 4, 'font-size': 12, fill: INK }, m.format(r.value)));
    });
    this.el.replaceChildren(root);
  }

  destroy() {
    if (this.ro) this.ro.disconnect();
    this.model = null;
  }
}
