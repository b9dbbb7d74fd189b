// Quantile classification into (at most) 5 classes and the colour-blind-safe palette.
// Palette: ColorBrewer YlGnBu (sequential, colour-blind safe, prints in greyscale).
export const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];
export const NO_DATA_FILL = 'url(#lb-hatch)';

/**
 * @param {number[]} values non-null values
 * @returns {{classes: {min:number,max:number,count:number,color:string}[], classOf: (v:number)=>number}}
 */
export function quantileClasses(values, k = 5) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  const n = v.length;
  if (!n) return { classes: [], classOf: () => -1 };
  // upper bounds (inclusive) of classes 1..k-1, taken at rank positions; ties stay in one class
  const thresholds = [];
  for (let i = 1; i < k; i++) {
    const t = v[Math.max(0, Math.round((i * n) / k) - 1)];
    if (t < v[n - 1] && (thresholds.length === 0 || t > thresholds[thresholds.length - 1])) thresholds.push(t);
  }
  const classOf = (x) => {
    let c = 0;
    while (c < thresholds.length && x > thresholds[c]) c++;
    return c;
  };
  const total = thresholds.length + 1;
  const colors = total === 1 ? [PALETTE[2]] : Array.from({ length: total }, (_, i) => PALETTE[Math.round((i * (PALETTE.length - 1)) / (total - 1))]);
  const classes = colors.map((color) => ({ min: Infinity, max: -Infinity, count: 0, color }));
  for (const x of v) {
    const c = classes[classOf(x)];
    c.min = Math.min(c.min, x); c.max = Math.max(c.max, x); c.count++;
  }
  return { classes, classOf };
}

/** Black or white text for a background colour (WCAG relative luminance). */
export function textOn(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const L = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return L > 0.179 ? '#000000' : '#ffffff';
}
