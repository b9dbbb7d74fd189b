// Measures the dashboard against a running server in headless Chromium: time to first rendered map
// (median of N cold loads, each in a fresh browser context), bytes transferred per page (as sent, i.e.
// gzip where the server compresses) and the size of the JS bundle, for each view. Prints a Markdown table.
// Usage: node dev/measure.mjs http://127.0.0.1:PORT [RUNS]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { baseUrl, launch } from '../tests/browser.mjs';

const base = baseUrl();
const runs = Number(process.argv[3] || 5);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const browser = await launch();

async function load(url, waitFor) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let bytes = 0;
  let requests = 0;
  const pending = [];
  page.on('requestfinished', (request) => {
    requests++;
    pending.push(request.sizes().then((s) => { bytes += s.responseBodySize + s.responseHeadersSize; }).catch(() => {}));
  });
  await page.goto(url, { waitUntil: 'load' });
  let ms = null;
  if (waitFor) {
    await page.waitForFunction(waitFor, null, { polling: 'raf', timeout: 30000 });
    ms = await page.evaluate(() => performance.now());
  }
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  await context.close();
  return { ms, bytes, requests };
}

const mapDrawn = () => document.querySelectorAll('#map path[data-code]').length >= 12
  && document.querySelector('#map-section').getAttribute('aria-busy') === 'false';

const times = [];
let dashboard;
for (let i = 0; i < runs; i++) {
  const r = await load(`${base}/`, mapDrawn);
  times.push(r.ms);
  dashboard = r;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const gebied = await load(`${base}/gebied/GM0114`);
const tabel = await load(`${base}/tabel`);
const burgerpanel = await load(`${base}/burgerpanel`);
const factsheet = await load(`${base}/factsheet/GM0114`);
const factsheetDistrict = await load(`${base}/factsheet/WK010601`);
// the dashboard with Emmen's profile open: indicator series, projection list and Emmen's projection
const profile = await load(`${base}/?indicator=share_65_plus&level=municipality&area=GM0114`,
  () => !!document.querySelector('#projection-class') && document.querySelector('#map-section').getAttribute('aria-busy') === 'false');
const districts = await load(`${base}/?level=district`, () => document.querySelectorAll('#map path[data-code]').length > 100);
// the neighbourhood map, once the server has an indicator with neighbourhood values
const catalogue = await (await fetch(`${base}/api/v1/indicators`)).json();
const byNeighbourhood = catalogue.data.find((i) => i.levels.includes('neighbourhood'));
const neighbourhoods = byNeighbourhood ? await load(`${base}/?indicator=${byNeighbourhood.id}&level=neighbourhood`,
  () => document.querySelectorAll('#map path[data-code^="BU"]').length > 100 && document.querySelector('#map-section').getAttribute('aria-busy') === 'false') : null;
// the other views: Bereikbaarheid (reach indicator, hospitals) and Burgerpanel (estimates drawn)
const bereik = await load(`${base}/?view=bereikbaarheid&facilities=hospital`,
  () => document.querySelectorAll('#map path[data-kind="hospital"]').length > 0 && document.querySelector('#map-section').getAttribute('aria-busy') === 'false');
const panel = await load(`${base}/?view=burgerpanel&question=rating&by=municipality`,
  () => !!document.querySelector('#panel-table tbody tr') && !document.querySelector('#panel-body').hasAttribute('aria-busy'));
await browser.close();

const js = fs.readFileSync(path.join(root, 'dist/app.js'));
const css = fs.readFileSync(path.join(root, 'dist/app.css'));
const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`| measure | value |`);
console.log(`|---|---|`);
console.log(`| first rendered map (municipalities, cold, median of ${runs}) | ${Math.round(median)} ms (runs: ${times.map((t) => Math.round(t)).join(', ')} ms) |`);
console.log(`| first rendered map (districts, cold, 1 run) | ${Math.round(districts.ms)} ms |`);
console.log(`| transferred, dashboard \`/\` (all requests) | ${kb(dashboard.bytes)} in ${dashboard.requests} requests |`);
console.log(`| transferred, dashboard \`/?level=district\` | ${kb(districts.bytes)} in ${districts.requests} requests |`);
if (neighbourhoods) console.log(`| first rendered map and transferred, neighbourhoods (\`${byNeighbourhood.id}\`, 1 run) | ${Math.round(neighbourhoods.ms)} ms; ${kb(neighbourhoods.bytes)} in ${neighbourhoods.requests} requests |`);
console.log(`| transferred, dashboard \`/?area=GM0114\` (profile with projection) | ${kb(profile.bytes)} in ${profile.requests} requests; projection drawn at ${Math.round(profile.ms)} ms |`);
console.log(`| Bereikbaarheid with the hospitals (\`/?view=bereikbaarheid&facilities=hospital\`, 1 run) | drawn at ${Math.round(bereik.ms)} ms; ${kb(bereik.bytes)} in ${bereik.requests} requests |`);
console.log(`| Burgerpanel (\`/?view=burgerpanel&question=rating&by=municipality\`, 1 run) | drawn at ${Math.round(panel.ms)} ms; ${kb(panel.bytes)} in ${panel.requests} requests |`);
console.log(`| transferred, \`/gebied/GM0114\` (HTML + CSS + icon) | ${kb(gebied.bytes)} in ${gebied.requests} requests |`);
console.log(`| transferred, \`/tabel\` (HTML + CSS + icon) | ${kb(tabel.bytes)} in ${tabel.requests} requests |`);
console.log(`| transferred, \`/burgerpanel\` | ${kb(burgerpanel.bytes)} in ${burgerpanel.requests} requests |`);
console.log(`| transferred, \`/factsheet/GM0114\` | ${kb(factsheet.bytes)} in ${factsheet.requests} requests |`);
console.log(`| transferred, \`/factsheet/WK010601\` | ${kb(factsheetDistrict.bytes)} in ${factsheetDistrict.requests} requests |`);
console.log(`| JS bundle \`dist/app.js\` | ${kb(js.length)} raw, ${kb(gz(js))} gzip |`);
console.log(`| CSS \`dist/app.css\` | ${kb(css.length)} raw, ${kb(gz(css))} gzip |`);
