// axe-core (WCAG 2.0/2.1 A + AA, and best practices) in headless Chromium against a running server, on
// every page type: each view of the dashboard in Dutch and English — Leefbaarheid in several states
// (districts, neighbourhoods, profile with the population projection and its tables open, compare,
// deviation, sorted table, search results by name and by postcode), Bereikbaarheid with the facility layer
// and the closure scenario, Hartveilig with the AED layer, white spots, an AED's details and a placement
// (with its curve and relocation tables), Burgerpanel with suppressed cells and a share — with town names on the map and a
// note on the monitors (/api/v1/monitor and /api/v1/places served from web/dev/fixtures in the browser), on
// a 390 px phone; the server-rendered /gebied, /tabel, /burgerpanel and /factsheet pages and an error page.
// One check per state; also the keyboard path into and out of the profile panel.
// Usage: node tests/axe.mjs http://127.0.0.1:PORT   (or: node tests/axe.mjs PORT [HOST])
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, launch, runner, dashboardReady, panelReady, typologyReady } from './browser.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const base = baseUrl();
const browser = await launch();
// axe-core is injected as an inline script, which the server's Content-Security-Policy (script-src
// 'self') rightly blocks; this test's own instrumentation bypasses it. Whether the pages themselves
// obey the policy is checked, without a bypass, by tests/csp.mjs, smoke.mjs and views.mjs.
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
// The error page answers 404 on purpose; Chromium logs that as a console error.
page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) consoleErrors.push(`console: ${m.text()} ${m.location().url || ''}`); });
const { check, results } = runner();
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dev', 'fixtures', name), 'utf8'));

async function audit() {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  const lines = [];
  for (const x of result.violations) {
    lines.push(`[${x.impact}] ${x.id}: ${x.help}`);
    for (const n of x.nodes.slice(0, 3)) lines.push(`  ${n.target.join(' ')}  ${n.failureSummary.replace(/\n/g, ' | ')}`);
  }
  if (lines.length) {
    console.log(lines.map((l) => `     ${l}`).join('\n'));
    throw new Error(`${result.violations.length} violation(s): ${result.violations.map((v) => v.id).join(', ')}`);
  }
}

const dashboard = [
  ['municipalities, nl', '/?indicator=share_65_plus&level=municipality', null],
  ['municipalities, en', '/?lang=en&indicator=share_65_plus&level=municipality', null],
  ['districts, nl', '/?indicator=share_65_plus&level=district', null],
  ['profile open with projection (municipality), nl', '/?indicator=share_65_plus&level=municipality&area=GM0114', '#projection-class'],
  ['profile of Drenthe with projection, en', '/?lang=en&indicator=share_65_plus&level=municipality&area=PV22', '#projection-class'],
  ['profile open (district), en', '/?lang=en&indicator=inhabitants&level=district&area=WK011401', '#profile table'],
  ['compare and deviation view, nl', '/?indicator=share_65_plus&level=municipality&mode=deviation&compare=GM0114,GM0106,GM0119', '#compare-table'],
  ['compare, en', '/?lang=en&indicator=household_size&level=municipality&compare=GM0114,WK010603', '#compare-table'],
];
const pages = [
  ['/gebied page, nl', '/gebied/GM0114'],
  ['/gebied page, en', '/gebied/GM0114?lang=en'],
  ['/gebied page (district), en', '/gebied/WK011401?lang=en'],
  ['/gebied page (province), nl', '/gebied/PV22'],
  ['/gebied page (country), en', '/gebied/NL01?lang=en'],
  ['/tabel page, nl', '/tabel'],
  ['/tabel page (districts), en', '/tabel?indicator=inhabitants&level=district&lang=en'],
  ['/burgerpanel page, nl', '/burgerpanel'],
  ['/burgerpanel page, en', '/burgerpanel?lang=en'],
  ['/factsheet page, nl', '/factsheet/GM0114'],
  ['/factsheet page, en', '/factsheet/GM0114?lang=en'],
  ['/factsheet page (district), nl', '/factsheet/WK010601'],
  ['error page (unknown area)', '/gebied/GM9999'],
];

try {
  for (const [name, path, extra] of dashboard) {
    await check(`axe: dashboard ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await dashboardReady(page);
      if (extra) await page.waitForSelector(extra, { timeout: 20000 });
      // charts' data tables sit in disclosures: audit them open
      await page.evaluate(() => document.querySelectorAll('#profile details').forEach((d) => { d.open = true; }));
      await audit();
    });
  }
  await check('axe: dashboard with search results', async () => {
    await page.goto(`${base}/?indicator=share_65_plus`, { waitUntil: 'load' });
    await dashboardReady(page);
    await page.fill('#search-input', 'oost');
    await page.click('#search-button');
    await page.waitForSelector('#search-results li', { timeout: 20000 });
    await audit();
  });
  await check('axe: dashboard with postcode search results (the postcode area\'s profile open at postcode level), en', async () => {
    await page.goto(`${base}/?lang=en&indicator=share_65_plus`, { waitUntil: 'load' });
    await dashboardReady(page);
    await page.fill('#search-input', '7811');
    await page.click('#search-button');
    await page.waitForSelector('#search-results li', { timeout: 20000 });
    await page.waitForSelector('#profile table', { timeout: 20000 });
    await dashboardReady(page);
    await audit();
  });
  await check('axe: dashboard table view sorted by value, keyboard', async () => {
    await page.goto(`${base}/?indicator=share_65_plus&level=district`, { waitUntil: 'load' });
    await dashboardReady(page);
    await page.focus('#area-table button[data-sort="value"]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#area-table th[aria-sort="descending"]');
    await audit();
  });
  await check('axe: dashboard at neighbourhood level (catalogue patched in the browser when the server has no neighbourhood values)', async () => {
    const context = page.context();
    const catalogue = (await (await page.request.get(`${base}/api/v1/indicators`)).json()).data;
    const real = catalogue.find((i) => i.levels.includes('neighbourhood'));
    const id = real ? real.id : 'share_65_plus';
    if (!real) {
      await context.route('**/api/v1/indicators', async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        for (const i of body.data) if (i.id === id) i.levels = [...i.levels, 'neighbourhood'];
        await route.fulfill({ response: res, json: body });
      });
    }
    try {
      await page.goto(`${base}/?indicator=${id}&level=neighbourhood`, { waitUntil: 'load' });
      await dashboardReady(page);
      await page.waitForSelector('#map path[data-code^="BU"]', { state: 'attached', timeout: 20000 });
      await audit();
    } finally {
      if (!real) await context.unroute('**/api/v1/indicators');
    }
  });
  for (const [name, path] of [
    ['Bereikbaarheid: facility layer and closure scenario, nl', '/?view=bereikbaarheid&level=municipality&facilities=primary_school,hospital'],
    ['Bereikbaarheid: facility layer and closure scenario (districts), en', '/?view=bereikbaarheid&lang=en&level=district&facilities=hospital,ambulance_post'],
  ]) {
    await check(`axe: dashboard ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await dashboardReady(page);
      await page.waitForSelector('#map path[data-kind="hospital"]', { state: 'attached', timeout: 20000 });
      await page.locator('#map path[data-kind="hospital"][aria-label*="Assen"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#scenario-close', { timeout: 20000 });
      await page.click('#scenario-close');
      await page.waitForSelector('#scenario-table tbody tr', { timeout: 20000 });
      await audit();
    });
  }
  for (const [name, path] of [
    ['Hartveilig: notice, AED layer, white spots, the details of an AED and a placement with relocation, nl', '/?view=hartveilig&rule=evening&for=GM1690&k=3&relocate=1'],
    ['Hartveilig: the same by district, day and night, en', '/?view=hartveilig&lang=en&level=district&for=GM0114&k=2'],
  ]) {
    await check(`axe: dashboard ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await dashboardReady(page);
      await page.waitForSelector('#view-notice:not([hidden])', { timeout: 20000 });
      await page.waitForSelector('#aed-spots-table tbody tr', { timeout: 20000 });
      await page.waitForSelector('#map path[data-facility^="aed:"]', { state: 'attached', timeout: 20000 });
      await page.click('#aed-placement-run');
      await page.waitForSelector('#aed-curve-table tbody tr', { timeout: 30000 });
      await page.locator('#map path[data-facility^="aed:"]').first().focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#aed-detail-h', { timeout: 20000 });
      await audit();
    });
  }
  for (const [name, path, ready] of [
    ['Zorg: the sensitive hospitals, nl', '/?view=zorg', '#care-sensitive tbody tr'],
    ['Zorg: two hospitals closed, en', '/?view=zorg&lang=en&close=ZH72,ZH73', '#care-municipalities tbody tr'],
  ]) {
    await check(`axe: dashboard ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await page.waitForSelector(ready, { timeout: 20000 });
      await audit();
    });
  }
  for (const [name, path] of [
    ['Burgerpanel: mean by municipality (suppressed cells), nl', '/?view=burgerpanel&question=rating&by=municipality'],
    ['Burgerpanel: mean by municipality (suppressed cells), en', '/?view=burgerpanel&lang=en&question=rating&by=municipality'],
    ['Burgerpanel: a share by age group, en', '/?view=burgerpanel&lang=en&question=future&by=age_group&answer=worried'],
    ['Burgerpanel: a share, whole panel only, nl', '/?view=burgerpanel&question=declined&by='],
  ]) {
    await check(`axe: dashboard ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await panelReady(page);
      await audit();
    });
  }
  for (const [name, path] of [
    ['Typologie: the national map, shares and Drenthe\'s municipalities, nl', '/?view=typologie'],
    ['Typologie: Groningen\'s municipalities, en', '/?view=typologie&lang=en&area=PV20'],
  ]) {
    await check(`axe: dashboard ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await typologyReady(page);
      await audit();
    });
  }
  {
    // the monitor and towns of the mock: town names on the map, a note on the monitor it lacks
    const context = page.context();
    await context.route('**/api/v1/monitor', (route) => route.fulfill({ json: { ok: true, data: fixture('monitor.json'), meta: {} } }));
    await context.route('**/api/v1/places**', (route) => route.fulfill({ json: { ok: true, data: fixture('places.json'), meta: {} } }));
    try {
      for (const [name, path] of [
        ['with town names and a note on the monitors, nl', '/?indicator=share_65_plus&level=district'],
        ['with town names and a note on the monitors, Bereikbaarheid, en', '/?view=bereikbaarheid&lang=en&facilities=hospital'],
      ]) {
        await check(`axe: dashboard ${name}`, async () => {
          await page.goto(base + path, { waitUntil: 'load' });
          await dashboardReady(page);
          await page.waitForSelector('#map .lb-label-town', { state: 'attached', timeout: 20000 });
          await audit();
        });
      }
    } finally {
      await context.unroute('**/api/v1/monitor');
      await context.unroute('**/api/v1/places**');
    }
  }
  await check('axe: dashboard on a 390 px phone: profile open, nl; Burgerpanel, en; Hartveilig with a placement, nl', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/?indicator=share_65_plus&level=municipality&area=GM0114`, { waitUntil: 'load' });
      await dashboardReady(page);
      await page.waitForSelector('#projection-class', { timeout: 20000 });
      await audit();
      await page.goto(`${base}/?view=burgerpanel&lang=en&question=rating&by=province`, { waitUntil: 'load' });
      await panelReady(page);
      await audit();
      await page.goto(`${base}/?view=hartveilig&for=GM1690&k=2`, { waitUntil: 'load' });
      await dashboardReady(page);
      await page.waitForSelector('#aed-spots-table tbody tr', { timeout: 20000 });
      await page.click('#aed-placement-run');
      await page.waitForSelector('#aed-curve-table tbody tr', { timeout: 30000 });
      await audit();
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
  for (const [name, path] of pages) {
    await check(`axe: ${name}`, async () => {
      await page.goto(base + path, { waitUntil: 'load' });
      await audit();
    });
  }
  await check('keyboard: a table row opens the profile, focus moves in, Escape returns it', async () => {
    await page.goto(`${base}/?indicator=share_65_plus&level=municipality`, { waitUntil: 'load' });
    await dashboardReady(page);
    const btn = page.locator('#area-table tbody button').first();
    const code = await btn.getAttribute('data-code');
    await btn.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#profile table');
    const inPanel = await page.evaluate(() => document.activeElement && document.activeElement.id === 'profile-h');
    await audit();
    await page.keyboard.press('Escape');
    const back = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-code'));
    if (!inPanel) throw new Error('focus did not move into the profile');
    if (back !== code) throw new Error(`focus went to ${back}, not ${code}`);
  });
} finally {
  await browser.close();
}
if (consoleErrors.length) {
  results.failed++;
  console.log(`FAIL axe: no browser errors: ${consoleErrors.join(' | ')}`);
} else {
  results.passed++;
  console.log('ok   axe: no browser errors');
}
console.log(`axe: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
