// Builds the mock server's fixtures (web/dev/fixtures/*.json) from a folder of the source data the project
// was built from (the CBS tables below; the repository holds trimmed copies of some under data/drenthe/,
// not all of them).
// Usage: node dev/make-fixtures.mjs DATA_DIR   (npm run fixtures -- DATA_DIR)
// DATA_DIR must hold cbs_kwb_gemeenten_2012_2024/, cbs_wijken_2024/ and cbs_bevolkingskernen_2021_drenthe/.
// The fixtures follow docs/api.md; the values are real CBS KWB figures (municipalities 2012–2024, districts
// 2024) with a few missing values injected so the page's "no data" paths can be seen, and the towns are the
// CBS population centres (kernen) 2021 of Drenthe.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.argv[2];
const NEEDED = ['cbs_kwb_gemeenten_2012_2024', 'cbs_wijken_2024', 'cbs_bevolkingskernen_2021_drenthe'];
if (!dataDir || !NEEDED.every((d) => fs.existsSync(path.join(dataDir, d)))) {
  console.error('usage: node dev/make-fixtures.mjs DATA_DIR');
  console.error(`DATA_DIR must hold ${NEEDED.map((d) => `${d}/`).join(', ')}${dataDir ? `; ${dataDir} does not` : ''}`);
  process.exit(2);
}
const out = path.join(here, 'fixtures');
fs.mkdirSync(out, { recursive: true });

const DRENTHE = ['GM0106', 'GM0109', 'GM0114', 'GM0118', 'GM0119', 'GM1680', 'GM1681', 'GM1690',
  'GM1699', 'GM1701', 'GM1730', 'GM1731'];
const round = (v, d) => (v == null ? null : Math.round(v * 10 ** d) / 10 ** d);
const roundCoords = (c) => (typeof c[0] === 'number' ? [round(c[0], 4), round(c[1], 4)] : c.map(roundCoords));

// ---- boundaries
const gm = JSON.parse(fs.readFileSync(path.join(dataDir, 'cbs_kwb_gemeenten_2012_2024/gemeenten_2024.geojson')));
const gmFeatures = gm.features.filter((f) => DRENTHE.includes(f.properties.gemeentecode)).map((f) => ({
  type: 'Feature',
  properties: { code: f.properties.gemeentecode, name: f.properties.gemeentenaam, level: 'municipality', parent: 'PV22' },
  geometry: { type: f.geometry.type, coordinates: roundCoords(f.geometry.coordinates) },
}));
const wk = JSON.parse(fs.readFileSync(path.join(dataDir, 'cbs_wijken_2024/wijken_2024_drenthe.geojson')));
const wkFeatures = wk.features.map((f) => ({
  type: 'Feature',
  properties: { code: f.properties.wijkcode, name: f.properties.wijknaam, level: 'district', parent: f.properties.gemeentecode },
  geometry: { type: f.geometry.type, coordinates: roundCoords(f.geometry.coordinates) },
}));
fs.writeFileSync(path.join(out, 'boundaries-municipality.json'), JSON.stringify({ type: 'FeatureCollection', features: gmFeatures }));
fs.writeFileSync(path.join(out, 'boundaries-district.json'), JSON.stringify({ type: 'FeatureCollection', features: wkFeatures }));

// ---- areas
const areas = [
  { code: 'NL01', name: 'Nederland', level: 'country', parent: null, first_year: 2012, last_year: 2024 },
  { code: 'PV22', name: 'Drenthe', level: 'province', parent: 'NL01', first_year: 2012, last_year: 2024 },
  ...gmFeatures.map((f) => ({ ...f.properties, first_year: 2012, last_year: 2024 })),
  ...wkFeatures.map((f) => ({ ...f.properties, first_year: 2024, last_year: 2024 })),
];
fs.writeFileSync(path.join(out, 'areas.json'), JSON.stringify(areas));

// ---- indicators
const SRC = { id: 'kwb_gemeenten_2012_2024', table: 'CBS Kerncijfers wijken en buurten 2012–2024', licence: 'CC BY 4.0', attribution: 'Bron: CBS' };
const indicators = [
  { id: 'inhabitants', name: { nl: 'Inwoners', en: 'Inhabitants' }, description: { nl: 'Aantal inwoners op 1 januari.', en: 'Number of inhabitants on 1 January.' },
    theme: 'population', unit: 'persons', unit_symbol: { nl: 'inw.', en: 'inh.' }, kind: 'count', formula: 'Σ inhabitants', decimals: 0,
    col: 'aantal_inwoners', wk: 'aantal_inwoners', agg: 'sum' },
  { id: 'share_65_plus', name: { nl: 'Aandeel 65+', en: 'Share aged 65+' }, description: { nl: 'Inwoners van 65 jaar en ouder als percentage van alle inwoners.', en: 'Inhabitants aged 65 and over as a percentage of all inhabitants.' },
    theme: 'population', unit: 'percent', unit_symbol: { nl: '%', en: '%' }, kind: 'share', formula: '100 × Σ inhabitants_65_plus / Σ inhabitants', decimals: 1,
    col: '65plus', wk: '65plus', agg: 'wmean', w: 'aantal_inwoners' },
  { id: 'population_density', name: { nl: 'Bevolkingsdichtheid', en: 'Population density' }, description: { nl: 'Inwoners per km² land.', en: 'Inhabitants per km² of land.' },
    theme: 'population', unit: 'per_km2', unit_symbol: { nl: 'inw./km²', en: 'inh./km²' }, kind: 'rate', formula: 'Σ inhabitants / Σ land area', decimals: 0,
    col: 'bevolkingsdichtheid', wk: 'bevolkingsdichtheid', agg: 'density' },
  { id: 'household_size', name: { nl: 'Gemiddelde huishoudensgrootte', en: 'Mean household size' }, description: { nl: 'Personen in particuliere huishoudens per huishouden.', en: 'Persons in private households per household.' },
    theme: 'households', unit: 'persons_per_household', unit_symbol: { nl: 'pers.', en: 'pers.' }, kind: 'mean', formula: 'Σ persons_in_households / Σ households', decimals: 2,
    col: 'gem_huishouden_grootte', wk: 'gem_huishouden_grootte', agg: 'hh' },
  { id: 'mean_woz_value', name: { nl: 'Gemiddelde WOZ-waarde woningen', en: 'Mean WOZ value of dwellings' }, description: { nl: 'Gemiddelde WOZ-waarde van woningen, × € 1.000.', en: 'Mean assessed (WOZ) value of dwellings, × € 1,000.' },
    theme: 'housing', unit: 'thousand_euro', unit_symbol: { nl: '× € 1.000', en: '× € 1,000' }, kind: 'mean', formula: 'Σ woz / Σ dwellings', decimals: 0,
    col: 'gem_woz_waarde', agg: 'wmean', w: 'woningvoorraad' },
  { id: 'distance_gp', name: { nl: 'Afstand tot huisartsenpraktijk', en: 'Distance to GP practice' }, description: { nl: 'Gemiddelde afstand over de weg van inwoners tot de dichtstbijzijnde huisartsenpraktijk.', en: 'Mean road distance from inhabitants to the nearest GP practice.' },
    theme: 'proximity', unit: 'km', unit_symbol: { nl: 'km', en: 'km' }, kind: 'mean', formula: 'person-weighted mean distance', decimals: 1,
    col: 'afstand_huisarts', agg: 'wmean', w: 'aantal_inwoners' },
];

// ---- observations
const csv = fs.readFileSync(path.join(dataDir, 'cbs_kwb_gemeenten_2012_2024/kwb_gemeenten_2012_2024.csv'), 'utf8').trim().split('\n');
const head = csv[0].split(',');
function splitCsv(line) {
  const out = []; let cur = ''; let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) { if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
    else if (c === '"') q = true; else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
const rows = csv.slice(1).map((line, i) => {
  const cells = splitCsv(line);
  const r = { _line: i + 2 };
  head.forEach((h, j) => { const x = cells[j] === '' || cells[j] === undefined ? null : (j > 2 ? Number(cells[j]) : cells[j]); r[h] = typeof x === 'number' && !Number.isFinite(x) ? null : x; });
  return r;
}).filter((r) => r.gemeentecode !== 'GM0998');
const years = [...new Set(rows.map((r) => Number(r.jaar)))].sort();

function aggregate(ind, rs) {
  const ok = rs.filter((r) => r[ind.col] != null && r.aantal_inwoners != null);
  if (!ok.length || ok.length < rs.length * 0.9) return null;
  const sum = (f) => ok.reduce((a, r) => a + f(r), 0);
  if (ind.agg === 'sum') return sum((r) => r[ind.col]);
  if (ind.agg === 'wmean') { const w = sum((r) => r[ind.w] ?? 0); return w ? sum((r) => r[ind.col] * (r[ind.w] ?? 0)) / w : null; }
  if (ind.agg === 'density') { const area = sum((r) => r.aantal_inwoners / r[ind.col]); return sum((r) => r.aantal_inwoners) / area; }
  if (ind.agg === 'hh') { const hh = sum((r) => r.huishoudens ?? 0); return sum((r) => r[ind.col] * (r.huishoudens ?? 0)) / hh; }
  return null;
}

const obs = [];
const push = (area, name, level, year, ind, value, missing, method, line, parts = 0) => obs.push({
  area, area_name: name, level, year, indicator: ind.id,
  value: missing ? null : round(value, ind.decimals), missing: missing || null,
  method: missing ? null : method, note: method === 'published' ? null : ind.formula,
  source_rows: line ? [{ source: SRC.id, line }] : [], parts,
});
for (const ind of indicators) {
  ind.years = years.filter((y) => rows.some((r) => Number(r.jaar) === y && DRENTHE.includes(r.gemeentecode) && r[ind.col] != null));
  for (const y of years) {
    const yr = rows.filter((r) => Number(r.jaar) === y);
    for (const code of DRENTHE) {
      const r = yr.find((x) => x.gemeentecode === code);
      const name = gmFeatures.find((f) => f.properties.code === code).properties.name;
      if (!ind.years.includes(y)) continue;
      if (!r) { push(code, name, 'municipality', y, ind, null, 'not_collected', null, null); continue; }
      // 2012 figures of today's merged municipalities are "reconstructed" in the real system; label a few
      const method = y === 2012 && ['GM1690', 'GM1699', 'GM1701', 'GM1730', 'GM1731', 'GM1680', 'GM1681'].includes(code) && ind.kind === 'count' ? 'reconstructed'
        : ind.kind === 'share' ? 'recomputed' : 'published';
      push(code, name, 'municipality', y, ind, r[ind.col], r[ind.col] == null ? 'not_collected' : null, method, r._line);
    }
    if (!ind.years.includes(y)) continue;
    const pv = aggregate(ind, yr.filter((r) => DRENTHE.includes(r.gemeentecode)));
    push('PV22', 'Drenthe', 'province', y, ind, pv, pv == null ? 'incomplete_parts' : null, 'recomputed', null, 12);
    const nl = aggregate(ind, yr);
    push('NL01', 'Nederland', 'country', y, ind, nl, nl == null ? 'incomplete_parts' : null, 'recomputed', null, yr.length);
  }
  if (ind.wk) {
    ind.levels = ['country', 'province', 'municipality', 'district'];
    wk.features.forEach((f, i) => {
      const p = f.properties;
      let missing = p[ind.wk] == null ? 'not_collected' : null;
      // inject disclosure control on a few small districts so the "no data" rendering shows up
      if (!missing && p.aantal_inwoners < 60 && ind.id !== 'inhabitants') missing = 'suppressed';
      if (!missing && i % 47 === 5 && ind.id === 'household_size') missing = 'secret';
      push(p.wijkcode, p.wijknaam, 'district', 2024, ind, p[ind.wk], missing, ind.kind === 'share' ? 'recomputed' : 'published', null);
    });
  } else {
    ind.levels = ['country', 'province', 'municipality'];
  }
  // a municipality with a suppressed value, for the map's hatched class
  const sup = obs.find((o) => o.indicator === ind.id && o.area === 'GM1731' && o.year === ind.years.at(-1));
  if (ind.id === 'distance_gp' && sup) { sup.value = null; sup.missing = 'suppressed'; sup.method = null; }
}
// ---- places (GET /api/v1/places): the CBS population centres (kernen) 2021, biggest first
const codeOf = new Map(gmFeatures.map((f) => [f.properties.name, f.properties.code]));
const towns = JSON.parse(fs.readFileSync(path.join(dataDir, 'cbs_bevolkingskernen_2021_drenthe/towns_drenthe.geojson')));
const places = towns.features.map((f) => ({
  name: f.properties.name,
  lon: round(f.geometry.coordinates[0], 4),
  lat: round(f.geometry.coordinates[1], 4),
  population: f.properties.population,
  municipality: codeOf.get(f.properties.municipality) || null,
})).sort((a, b) => b.population - a.population || a.name.localeCompare(b.name, 'nl'));
fs.writeFileSync(path.join(out, 'places.json'), JSON.stringify(places, null, 1));

// ---- monitor (GET /api/v1/monitor): Drenthe with the box of its municipalities; the mock has no
// neighbourhood boundaries and no citizens' panel, and says so
const box = [Infinity, Infinity, -Infinity, -Infinity];
const walk = (c) => { if (typeof c[0] === 'number') { box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]); box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]); } else c.forEach(walk); };
for (const f of gmFeatures) walk(f.geometry.coordinates);
const KINDS = [
  ['primary_school', 'basisschool', 'primary school'], ['secondary_school', 'middelbare school', 'secondary school'],
  ['havo_vwo_school', 'havo/vwo-school', 'havo/vwo school'], ['hospital', 'ziekenhuis', 'hospital'], ['ambulance_post', 'ambulancepost', 'ambulance post'],
];
const monitor = {
  bundle: { id: 'drenthe', name: 'Drenthe', version: 'mock' },
  province: { code: 'PV22', name: 'Drenthe', bbox: box.map((v) => round(v, 3)) },
  levels: ['municipality', 'district'],
  monitors: [
    { id: 'leefbaarheid', available: true },
    { id: 'bereikbaarheid', available: true, approximate: true,
      kinds: KINDS.map(([id, nl, en]) => ({ id, name: { nl, en }, thresholds_m: [1000, 3000, 5000] })) },
    { id: 'burgerpanel', available: false, synthetic: true,
      reason: { nl: 'de ontwikkelserver heeft geen burgerpanel', en: 'the development mock has no citizens\' panel' } },
    { id: 'bevolkingsprognose', available: true },
  ],
};
fs.writeFileSync(path.join(out, 'monitor.json'), JSON.stringify(monitor, null, 1));

const catalogue = indicators.map(({ col, wk: _wk, agg, w, ...rest }) => ({ ...rest, source: SRC }));
fs.writeFileSync(path.join(out, 'indicators.json'), JSON.stringify(catalogue, null, 1));
fs.writeFileSync(path.join(out, 'observations.json'), JSON.stringify(obs));
console.log(`fixtures: ${gmFeatures.length} municipalities, ${wkFeatures.length} districts, ${catalogue.length} indicators, ${obs.length} observations, ${places.length} places`);
