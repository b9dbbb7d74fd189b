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
  return fromThresholds(v, thresholds);
}

/** Classes from sorted values and strictly increasing inclusive upper bounds of all classes but the last. */
function fromThresholds(v, thresholds) {
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

// Diverging palette for deviations from Drenthe: ColorBrewer PuOr (colour-blind safe), orange = lower,
// purple = higher, light grey = about equal.
export const DIVERGING = ['#b35806', '#f1a340', '#fee0b6', '#f7f7f7', '#d8daeb', '#998ec3', '#542788'];

/** A "nice" upper bound ≥ x (1, 2, 2.5, 5 × 10^k). */
function niceCeil(x) {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * Seven classes of equal width, symmetric around `center` (0 for differences, 100 for indices), so the
 * middle class means "about equal to Drenthe" and the colours mean the same on both sides.
 * @param {number[]} values non-null deviations
 */
export function divergingClasses(values, center = 0) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return { classes: [], classOf: () => -1 };
  // The scale spans the 90th percentile of the distance from the centre, so one outlier does not push
  // every other area into the middle class; the two outer classes are open ("≤ …", "≥ …").
  const dist = v.map((x) => Math.abs(x - center)).sort((a, b) => a - b);
  const p90 = dist[Math.min(dist.length - 1, Math.floor(0.9 * dist.length))];
  const k = DIVERGING.length;
  // a "nice" class width, so the boundaries read as ±w/2, ±3w/2, ±5w/2
  const w = niceCeil((2 * (p90 || dist[dist.length - 1] || 1)) / (k - 2));
  const m = (w * k) / 2;
  const classOf = (x) => Math.max(0, Math.min(k - 1, Math.floor((x - center + m) / w)));
  const classes = DIVERGING.map((color, i) => ({
    min: i === 0 ? -Infinity : center - m + i * w, max: i === k - 1 ? Infinity : center - m + (i + 1) * w, count: 0, color,
  }));
  for (const x of v) classes[classOf(x)].count++;
  return { classes, classOf };
}

/**
 * How an indicator deviates from Drenthe: a difference for percentages and indices, an index
 * (Drenthe = 100) for means and rates, nothing for counts and sums (a municipality's count is not
 * comparable with the province's total).
 */
export function deviationKind(ind) {
  // Counts differ by size; a published score or class has no value for the province to deviate from.
  if (!ind || ind.kind === 'count' || ind.kind === 'sum' || ind.kind === 'published') return null;
  if (ind.unit === 'percent' || ind.unit === 'percentage_points' || ind.kind === 'index') return 'diff';
  return 'index';
}

/**
 * Natural breaks (Fisher–Jenks: classes that minimise the squared deviations within them), at most k.
 * Exact dynamic programme, O(k·n²): instant for Drenthe's 12 municipalities or 189 districts.
 */
export function jenksClasses(values, k = 5) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  const n = v.length;
  if (!n) return { classes: [], classOf: () => -1 };
  k = Math.max(1, Math.min(k, new Set(v).size));
  const lower = Array.from({ length: n + 1 }, () => new Array(k + 1).fill(0));
  const cost = Array.from({ length: n + 1 }, () => new Array(k + 1).fill(Infinity));
  for (let j = 1; j <= k; j++) { lower[1][j] = 1; cost[1][j] = 0; }
  for (let l = 2; l <= n; l++) {
    let s1 = 0; let s2 = 0; let w = 0; let variance = 0;
    for (let m = 1; m <= l; m++) {
      const i3 = l - m + 1;
      const val = v[i3 - 1];
      s1 += val; s2 += val * val; w++;
      variance = s2 - (s1 * s1) / w;
      const i4 = i3 - 1;
      if (i4 !== 0) {
        for (let j = 2; j <= k; j++) {
          if (cost[l][j] >= variance + cost[i4][j - 1]) { lower[l][j] = i3; cost[l][j] = variance + cost[i4][j - 1]; }
        }
      }
    }
    lower[l][1] = 1; cost[l][1] = variance;
  }
  const uppers = [];
  let end = n;
  for (let j = k; j >= 2; j--) {
    const start = lower[end][j];
    uppers.unshift(v[start - 2]);
    end = start - 1;
  }
  const thresholds = [];
  for (const t of uppers) if (t < v[n - 1] && (!thresholds.length || t > thresholds[thresholds.length - 1])) thresholds.push(t);
  return fromThresholds(v, thresholds);
}
