// Interaction smoke test in headless Chromium against a running server (mock or real):
// URL state, language switch, back button, table sorting, map keyboard activation, profile focus return.
// Usage: node tests/smoke.mjs PORT [HOST]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = `http://${process.argv[3] || '127.0.0.1'}:${process.argv[2] || '8787'}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const ready = async () => {
  await page.waitForSelector('#area-table tbody tr', { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('#map-section').getAttribute('aria-busy') === 'false');
};
const q = () => new URL(page.url()).searchParams;
let failures = 0;
async function check(name, fn) {
  try { await fn(); console.log(`ok   ${name}`); } catch (e) { failures++; console.log(`FAIL ${name}: ${e.message}`); }
}

try {
  await page.goto(`${base}/`); await ready();
  await check('defaults written to the URL', async () => {
    assert.ok(q().get('indicator')); assert.ok(q().get('year')); assert.equal(q().get('level'), 'municipality');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  });
  await check('12 municipalities on the map and in the table', async () => {
    assert.equal(await page.locator('#map path[data-code]').count(), 12);
    assert.equal(await page.locator('#area-table tbody tr').count(), 12);
  });
  await check('map areas have accessible names with formatted values', async () => {
    const label = await page.getAttribute('#map path[data-code="GM0106"]', 'aria-label');
    assert.match(label, /^Assen: .*\d/);
  });
  await check('language switch to English updates lang, URL and texts', async () => {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(q().get('lang'), 'en');
    assert.equal(await page.textContent('#year-label'), 'Year');
    await ready();
  });
  await check('back button restores Dutch', async () => {
    await page.goBack();
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    assert.equal(q().get('lang'), null);
  });
  await check('year change is pushed to the URL', async () => {
    const years = await page.locator('#year option').allTextContents();
    await page.selectOption('#year', years[years.length - 1]);
    await page.waitForFunction((y) => new URL(location.href).searchParams.get('year') === y, years[years.length - 1]);
    await ready();
  });
  await check('sorting by value (descending) puts missing values last', async () => {
    await page.click('button[data-sort="value"]');
    await page.click('button[data-sort="value"]');
    assert.equal(await page.getAttribute('#area-table th:has(button[data-sort="value"])', 'aria-sort'), 'descending');
  });
  await check('keyboard: Enter on a map area opens the profile, Escape returns focus', async () => {
    await page.focus('#map path[data-code="GM0114"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#profile table');
    assert.equal(q().get('area'), 'GM0114');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'profile-h');
    await page.click('#profile button.close');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-code')), 'GM0114');
    assert.equal(q().get('area'), null);
  });
  await check('reload with area restores the profile', async () => {
    await page.goto(`${base}/?lang=en&indicator=share_65_plus&year=2024&level=municipality&area=GM0114`); await ready();
    await page.waitForSelector('#profile table');
    assert.match(await page.textContent('#profile-h'), /Emmen/);
    assert.ok(await page.locator('#profile .u-wrap canvas, #profile canvas').count() >= 1, 'chart canvas');
  });
  await check('district level shows 189 districts and comparators', async () => {
    await page.goto(`${base}/?indicator=share_65_plus&level=district&year=2024&area=WK010600`); await ready();
    assert.equal(await page.locator('#map path[data-code]').count(), 189);
    await page.waitForSelector('#profile table');
    assert.ok((await page.locator('#profile thead th').count()) >= 5, 'area + 3 comparators + year + method');
  });
  await check('CSV link follows the API', async () => {
    const href = await page.getAttribute('#downloads a', 'href');
    assert.match(href, /^\/api\/v1\/observations\?indicator=share_65_plus&level=district&format=csv$/);
  });
} finally {
  await browser.close();
}
if (errors.length) { failures++; console.log('page errors:', errors); }
console.log(failures ? `${failures} failure(s)` : 'all ok');
process.exit(failures ? 1 : 0);
