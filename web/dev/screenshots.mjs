// Screenshots of the views for the docs (needs a running server): the first screen of a 1366×768 desktop
// for each view (Leefbaarheid's map, profile, deviation and search; Bereikbaarheid with the facility layer
// and its closure scenario; Hartveilig with a placement; Burgerpanel), compare, the population projection in the profile, the
// neighbourhood level, English, a 390 px phone, and the server-rendered /gebied and /tabel pages.
// Viewport-sized PNGs (100–360 KB each; the neighbourhood map is the largest).
// Usage: node dev/screenshots.mjs http://127.0.0.1:PORT [OUTDIR]   (default OUTDIR: ../docs/screenshots)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, launch, dashboardReady, panelReady } from '../tests/browser.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const base = baseUrl();
const out = process.argv[3] || path.join(root, '..', 'docs', 'screenshots');
fs.mkdirSync(out, { recursive: true });
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
const settle = () => page.waitForTimeout(400);
async function shot(name, locator) {
  const file = path.join(out, `${name}.png`);
  if (locator) await page.locator(locator).screenshot({ path: file });
  else await page.screenshot({ path: file });
  console.log(`${file} ${fs.statSync(file).size} B`);
}
async function dashboard(q) {
  await page.goto(`${base}/${q}`);
  await dashboardReady(page);
  await settle();
}

await dashboard('?indicator=share_65_plus&year=2024&level=municipality');
await shot('map-municipalities-nl');
await dashboard('?indicator=share_65_plus&year=2024&level=municipality&area=GM0114');
await page.waitForSelector('#profile table');
await settle();
await page.evaluate(() => window.scrollTo(0, 0));
await shot('profile-nl');
await page.waitForSelector('#projection-class');
await settle();
{
  // the projection section of the profile panel, from its heading to the pyramid
  const box = await page.locator('#profile-projection').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
  });
  const file = path.join(out, 'projection-nl.png');
  await page.screenshot({ path: file, fullPage: true, clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: Math.min(box.height + 16, 1800) } });
  console.log(`${file} ${fs.statSync(file).size} B`);
}
await dashboard('?indicator=share_65_plus&year=2024&level=municipality');
await page.fill('#search-input', '9401 AB');
await page.click('#search-button');
await page.waitForSelector('#profile table');
await dashboardReady(page);
await settle();
await page.evaluate(() => window.scrollTo(0, 0));
await shot('search-postcode-nl');
await dashboard('?indicator=share_65_plus&year=2024&level=municipality&compare=GM0114,GM0106,GM1731');
await page.waitForSelector('#compare-table');
await settle();
await page.evaluate(() => document.querySelector('#compare-section').scrollIntoView());
await shot('compare-nl');
{
  // the neighbourhood level, once the server has an indicator with neighbourhood values
  const catalogue = (await (await page.request.get(`${base}/api/v1/indicators`)).json()).data;
  const ind = catalogue.find((i) => i.levels.includes('neighbourhood'));
  if (ind) {
    await dashboard(`?indicator=${ind.id}&level=neighbourhood`);
    await shot('neighbourhoods-nl');
  }
}
await dashboard('?indicator=share_65_plus&year=2024&level=district&mode=deviation');
await shot('deviation-districts-nl');
await dashboard('?lang=en&indicator=population_density&year=2024&level=district&area=WK011401');
await page.waitForSelector('#profile table');
await settle();
await page.evaluate(() => window.scrollTo(0, 0));
await shot('dashboard-en');
// Bereikbaarheid: the facility layer, and the closure scenario of a hospital
await dashboard('?view=bereikbaarheid&indicator=reach_distance_hospital&level=municipality&facilities=hospital');
await page.waitForSelector('#map path[data-kind="hospital"]', { state: 'attached' });
await settle();
await shot('bereikbaarheid-nl');
await page.locator('#map path[data-kind="hospital"][aria-label*="Assen"]').focus();
await page.keyboard.press('Enter');
await page.click('#scenario-close');
await page.waitForSelector('#scenario-table tbody tr');
await settle();
await shot('scenario-nl', '#scenario');
// Hartveilig: the notice, coverage in the evening with the AED layer; white spots and a placement in De Wolden
await dashboard('?view=hartveilig&rule=evening&for=GM1690&k=5&relocate=1');
await page.waitForSelector('#aed-spots-table tbody tr');
await settle();
await shot('hartveilig-nl');
await page.click('#aed-placement-run');
await page.waitForSelector('#aed-curve-table tbody tr');
await settle();
await shot('hartveilig-placement-nl', '#aed-section');
// Burgerpanel
await page.goto(`${base}/?view=burgerpanel&question=rating&by=age_group`);
await panelReady(page);
await settle();
await shot('burgerpanel-nl');
// a phone: the controls, then the map under them
await page.setViewportSize({ width: 390, height: 844 });
await dashboard('?indicator=share_65_plus&year=2024&level=municipality');
await page.evaluate(() => document.querySelector('#map-section').scrollIntoView());
await settle();
await shot('phone-map-nl');
await page.goto(`${base}/?view=burgerpanel&lang=en&question=future&by=province&answer=worried`);
await panelReady(page);
await page.evaluate(() => document.querySelector('#panel-body').scrollIntoView());
await settle();
await shot('phone-burgerpanel-en');
// the server-rendered pages, at the size their screenshots have always had
await page.setViewportSize({ width: 1200, height: 820 });
await page.goto(`${base}/gebied/GM0114`);
await shot('gebied-page-nl');
await page.goto(`${base}/tabel?indicator=share_65_plus&year=2024&level=municipality&lang=en`);
await shot('tabel-page-en');
await browser.close();
