// Interaction tests in headless Chromium against a running server (the real `leefbaar` server, or the
// dev mock): the map draws, a click opens the profile, deep links restore the state, the language switch
// works, downloads return the right rows, search, compare, the deviation view, and the server-rendered
// pages without JavaScript.
// Usage: node tests/smoke.mjs http://127.0.0.1:PORT   (or: node tests/smoke.mjs PORT [HOST])
import assert from 'node:assert/strict';
import { baseUrl, launch, runner, dashboardReady } from './browser.mjs';

const base = baseUrl();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
const ready = () => dashboardReady(page);
const q = () => new URL(page.url()).searchParams;
const { check, results } = runner();

/** Rows of a CSV body (header excluded); fields never contain newlines in this API. */
const csvRows = (text) => text.trim().split('\n').length - 1;
const fetchText = (href) => page.evaluate(async (u) => { const r = await fetch(u); return { status: r.status, type: r.headers.get('content-type'), text: await r.text() }; }, href);

try {
  await check('the map draws: 12 municipalities filled on the map and listed in the table', async () => {
    await page.goto(`${base}/`);
    await ready();
    assert.equal(await page.locator('#map path[data-code]').count(), 12);
    const fills = await page.locator('#map path[data-code]').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
    assert.ok(fills.every((f) => f && f !== 'none'), `fills: ${fills}`);
    assert.equal(await page.locator('#area-table tbody tr').count(), 12);
    assert.ok(q().get('indicator') && q().get('year'), 'defaults written to the URL');
    assert.equal(q().get('level'), 'municipality');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  });

  await check('map areas have accessible names with formatted values', async () => {
    const label = await page.getAttribute('#map path[data-code="GM0106"]', 'aria-label');
    assert.match(label, /^Assen: .*\d/);
  });

  await check('a click on a map area opens its profile (chart, table, link to its page)', async () => {
    await page.locator('#map path[data-code="GM0114"]').click();
    await page.waitForSelector('#profile table');
    assert.equal(q().get('area'), 'GM0114');
    assert.match(await page.textContent('#profile-h'), /Emmen/);
    assert.ok(await page.locator('#profile canvas').count() >= 1, 'chart canvas');
    assert.equal(await page.getAttribute('#profile-page-link', 'href'), '/gebied/GM0114');
  });

  await check('the CSV download of the year has one row per area in the table', async () => {
    const links = page.locator('#downloads a[type="text/csv"]');
    const href = await links.nth(1).getAttribute('href');
    assert.match(href, /format=csv/);
    assert.match(href, /year=\d{4}/);
    const { status, type, text } = await fetchText(href);
    assert.equal(status, 200);
    assert.match(type, /^text\/csv/);
    assert.equal(csvRows(text), await page.locator('#area-table tbody tr').count());
    assert.match(text.split('\n')[0], /^area,area_name,level,year,indicator,value/);
    assert.match(await page.textContent('#downloads'), /CC BY 4\.0/);
    assert.match(await page.textContent('#downloads .citation'), /Leefbaar/);
  });

  await check('the language switch changes lang, URL and texts; back restores Dutch', async () => {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(q().get('lang'), 'en');
    assert.equal(await page.textContent('#year-label'), 'Year');
    assert.equal(await page.textContent('#compare-h'), 'Compare');
    await ready();
    await page.goBack();
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    assert.equal(q().get('lang'), null);
    assert.equal(await page.textContent('#year-label'), 'Jaar');
  });

  await check('keyboard: Enter on a map area opens the profile, Escape returns focus', async () => {
    await page.goto(`${base}/?indicator=share_65_plus&level=municipality`);
    await ready();
    await page.focus('#map path[data-code="GM0106"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#profile table');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'profile-h');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-code')), 'GM0106');
    assert.equal(q().get('area'), null);
  });

  const deep = '/?lang=en&indicator=share_65_plus&year=2024&level=district&area=WK011401&mode=deviation&compare=GM0114,GM0106';
  await check('a deep link restores indicator, year, level, area, view and comparison', async () => {
    await page.goto(base + deep);
    await ready();
    await page.waitForSelector('#profile table');
    await page.waitForSelector('#compare-table');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.inputValue('#indicator'), 'share_65_plus');
    assert.equal(await page.inputValue('#year'), '2024');
    assert.ok(await page.isChecked('#level-district'));
    assert.ok(await page.isChecked('#mode-deviation'));
    assert.match(await page.textContent('#profile-h'), /\S/);
    assert.equal(await page.getAttribute('#map path[data-code="WK011401"]', 'aria-current'), 'true');
    const heads = await page.locator('#compare-table thead th').allTextContents();
    assert.deepEqual(heads.slice(1, 3), ['Emmen', 'Assen']);
    assert.ok(heads.includes('Drenthe') && heads.includes('Nederland'), heads.join(','));
    const n = await page.locator('#map path[data-code]').count();
    assert.ok(n > 100, `${n} districts`);
    const csv = await page.getAttribute('#downloads a[type="text/csv"] >> nth=1', 'href');
    const { text } = await fetchText(csv);
    assert.equal(csvRows(text), await page.locator('#area-table tbody tr').count());
    // the same URL after a reload
    await page.reload();
    await ready();
    await page.waitForSelector('#compare-table');
    assert.equal(new URL(page.url()).search, new URL(base + deep).search);
  });

  await check('the deviation view colours areas relative to Drenthe, with a legend and a table column', async () => {
    assert.match(await page.textContent('#map-h'), /deviation from Drenthe/);
    assert.match(await page.textContent('#legend'), /Drenthe/);
    assert.ok(await page.locator('#area-table th:has(button[data-sort="dev"])').count() === 1);
    assert.match(await page.getAttribute('#map path[data-code="WK011401"]', 'aria-label'), /vs Drenthe/);
    await page.click('#mode-value');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('mode'));
    await ready();
    assert.equal(await page.locator('#area-table th:has(button[data-sort="dev"])').count(), 0);
  });

  await check('natural breaks: the class choice is in the URL and the legend says so', async () => {
    await page.selectOption('#classes', 'jenks');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('classes') === 'jenks');
    await ready();
    assert.match(await page.textContent('#legend'), /Jenks/);
    await page.reload();
    await ready();
    assert.equal(await page.inputValue('#classes'), 'jenks');
  });

  await check('compare: add an area, chart and table follow, state in the URL, remove it again', async () => {
    await page.goto(`${base}/?indicator=share_65_plus&level=municipality`);
    await ready();
    await page.waitForFunction(() => document.querySelectorAll('#compare-add option').length > 12);
    await page.selectOption('#compare-add', 'GM0114');
    await page.click('#compare-add-button');
    await page.selectOption('#compare-add', 'GM0119');
    await page.click('#compare-add-button');
    await page.waitForSelector('#compare-table');
    assert.equal(q().get('compare'), 'GM0114,GM0119');
    assert.ok(await page.locator('#compare-body canvas').count() >= 1, 'chart');
    assert.ok((await page.locator('#compare-table tbody tr').count()) >= 5, 'a row per year');
    const csv = await page.getAttribute('#compare-body a[type="text/csv"]', 'href');
    const { status, text } = await fetchText(csv);
    assert.equal(status, 200);
    assert.ok(text.includes('GM0114') && text.includes('GM0119') && text.includes('PV22'));
    await page.click('#compare-chips button[data-code="GM0119"]');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('compare') === 'GM0114');
    assert.equal(await page.locator('#compare-table').count(), 0);
  });

  await check('search by name opens the area on the map (district level)', async () => {
    await page.fill('#search-input', 'Assen-Oost');
    await page.click('#search-button');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('level') === 'district');
    await page.waitForSelector('#profile table');
    assert.match(await page.textContent('#profile-h'), /Assen-Oost/);
    assert.equal(await page.isChecked('#level-district'), true);
    await page.fill('#search-input', 'exlo');
    await page.press('#search-input', 'Enter');
    await page.waitForSelector('#search-results li');
    assert.ok(await page.locator('#search-results li').count() >= 2);
  });

  await check('facility layer: checkboxes draw named, focusable circle markers above the map; state in the URL', async () => {
    await page.goto(`${base}/?indicator=share_65_plus&level=municipality`);
    await ready();
    assert.equal(await page.locator('#facility-kinds input[type="checkbox"]').count(), 5);
    assert.equal(await page.locator('#map path[data-facility]').count(), 0);
    await page.check('#fac-hospital');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('facilities') === 'hospital');
    await page.waitForSelector('#map path[data-facility][data-kind="hospital"]', { state: 'attached' });
    const hospital = page.locator('#map path[data-kind="hospital"]').first();
    assert.match(await hospital.getAttribute('aria-label'), /\S \(Ziekenhuis\)$/);
    assert.equal(await hospital.getAttribute('tabindex'), '0');
    assert.equal(await hospital.getAttribute('role'), 'button');
    await page.check('#fac-primary_school');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('facilities') === 'primary_school,hospital');
    await page.waitForFunction(() => document.querySelectorAll('#map path[data-kind="primary_school"]').length > 10);
    // markers are drawn in their own pane above the choropleth
    const z = await page.evaluate(() => [document.querySelector('#map path[data-facility]').closest('.leaflet-pane').style.zIndex,
      document.querySelector('#map path[data-code]').closest('.leaflet-pane').style.zIndex || '400'].map(Number));
    assert.ok(z[0] > z[1], `z-index ${z}`);
    await page.reload();
    await ready();
    await page.waitForSelector('#map path[data-kind="primary_school"]', { state: 'attached' });
    assert.ok(await page.isChecked('#fac-hospital') && await page.isChecked('#fac-primary_school'));
    assert.ok(!(await page.isChecked('#fac-ambulance_post')));
  });

  await check('closure scenario: choosing a hospital and closing it gives a table of changed areas; reset clears it', async () => {
    const marker = page.locator('#map path[data-kind="hospital"][aria-label*="Assen"]');
    const id = await marker.getAttribute('data-facility');
    await marker.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#scenario-close');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'scenario-h');
    assert.match(await page.textContent('#scenario'), /berekening, niet opgeslagen/);
    assert.equal(await page.textContent('#scenario-close'), 'Sluit deze voorziening (scenario)');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/reach/scenario')),
      page.click('#scenario-close'),
    ]);
    const u = new URL(res.url());
    assert.equal(u.searchParams.get('close'), id);
    assert.equal(u.searchParams.get('kind'), 'hospital');
    assert.equal(u.searchParams.get('level'), 'municipality');
    await page.waitForSelector('#scenario-table tbody tr');
    assert.ok(await page.locator('#scenario-table tbody tr').count() >= 1);
    const change = await page.textContent('#scenario-table tbody tr:first-child td:nth-of-type(3)');
    assert.match(change, /^\+\d/);
    const text = await page.textContent('#scenario');
    assert.match(text, /Rekentijd: [\d.,]+ ms/);
    assert.match(text, /× 1,3/);
    assert.match(text, /straight-line distance × 1\.3/);
    assert.ok(await page.locator('#scenario-table thead th').count() >= 5, 'persons beyond the thresholds');
    await page.click('#scenario-reset');
    assert.equal(await page.isHidden('#scenario'), true);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-facility')), id);
    // districts: the scenario follows the map's level
    await page.click('#level-district');
    await ready();
    await page.locator(`#map path[data-facility="${id}"]`).click();
    const [res2] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/reach/scenario')),
      page.click('#scenario-close'),
    ]);
    assert.equal(new URL(res2.url()).searchParams.get('level'), 'district');
    await page.waitForSelector('#scenario-table tbody tr');
    assert.match(await page.textContent('#scenario-table tbody tr:first-child th'), /\S/);
  });

  // ---- server-rendered pages, without JavaScript
  const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const plain = await nojs.newPage();
  await check('without JavaScript the dashboard links to the table page', async () => {
    await plain.goto(`${base}/`);
    await plain.click('noscript a[href="/tabel"], a[href="/tabel"] >> nth=0');
    await plain.waitForSelector('#values');
    assert.equal(await plain.locator('#values tbody tr').count(), 12);
  });
  await check('/tabel: the form switches to districts and every area links to its page', async () => {
    await plain.selectOption('#level', 'district');
    await plain.click('button[type="submit"]');
    await plain.waitForURL(/level=district/);
    const n = await plain.locator('#values tbody tr').count();
    assert.ok(n > 100, `${n} districts`);
    const csv = await plain.getAttribute('a[type="text/csv"] >> nth=0', 'href');
    const res = await plain.request.get(base + csv);
    assert.equal(csvRows(await res.text()), n);
    await plain.click('#values tbody tr:first-child th a');
    await plain.waitForURL(/\/gebied\/WK/);
    assert.equal(await plain.locator('h1').count(), 1);
  });
  await check('/gebied/GM0114: key figures next to Drenthe and the Netherlands; English with ?lang=en', async () => {
    const res = await plain.goto(`${base}/gebied/GM0114`);
    assert.equal(res.status(), 200);
    assert.equal(await plain.textContent('h1'), 'Emmen');
    assert.equal(await plain.getAttribute('html', 'lang'), 'nl');
    const heads = await plain.locator('#key-figures thead th').allTextContents();
    assert.ok(heads.includes('Drenthe') && heads.includes('Nederland'), heads.join(','));
    assert.ok((await plain.locator('#key-figures tbody tr').count()) >= 40);
    await plain.click('#lang-switch');
    await plain.waitForURL(/lang=en/);
    assert.equal(await plain.getAttribute('html', 'lang'), 'en');
    assert.equal(await plain.textContent('#key-h'), 'Key figures');
    const csv = await plain.getAttribute('a[type="text/csv"] >> nth=0', 'href');
    const api = await (await plain.request.get(`${base}/api/v1/observations?area=GM0114`)).json();
    const res2 = await plain.request.get(base + csv);
    assert.equal(csvRows(await res2.text()), api.meta.count);
    const missing = await plain.goto(`${base}/gebied/GM9999`);
    assert.equal(missing.status(), 404);
  });
  await nojs.close();
} finally {
  await browser.close();
}
if (errors.length) { results.failed++; console.log(`FAIL no page errors: ${errors.join(' | ')}`); } else { results.passed++; console.log('ok   no page errors'); }
console.log(`smoke: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
