// Number formatting: nl uses a decimal comma and a thousands dot, en the reverse.
const cache = new Map();
function nf(lang, decimals) {
  const key = `${lang}:${decimals}`;
  if (!cache.has(key)) {
    cache.set(key, new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true,
    }));
  }
  return cache.get(key);
}

export function formatNumber(value, lang, decimals = 0) {
  if (value == null || Number.isNaN(value)) return '';
  const d = Number.isInteger(decimals) && decimals >= 0 && decimals <= 6 ? decimals : 1;
  let s = nf(lang, d).format(value);
  // Intl leaves 4-digit numbers ungrouped for some locales; make grouping explicit and consistent.
  const sep = lang === 'en' ? ',' : '.';
  const dec = lang === 'en' ? '.' : ',';
  const [int, frac] = s.split(dec);
  const neg = int.startsWith('-') || int.startsWith('\u2212');
  const digits = int.replace(/[^0-9]/g, '');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  s = (neg ? '\u2212' : '') + grouped + (frac !== undefined ? dec + frac : '');
  return s;
}

/** Value with its unit symbol: "21,3%" / "1.234 inw." */
export function formatValue(value, lang, decimals, symbol) {
  const n = formatNumber(value, lang, decimals);
  if (n === '') return '';
  if (!symbol) return n;
  if (symbol === '%') return `${n}%`;
  if (symbol.startsWith('×')) return `${n} (${symbol})`;
  return `${n} ${symbol}`;
}
