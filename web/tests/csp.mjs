// The server's Content-Security-Policy (no inline scripts or styles) against what the pages really do in
// Chromium: every page and each dashboard view is opened and used, and any `securitypolicyviolation`
// event or CSP console message fails the check. A violation would otherwise break a chart or the map
// silently (the browser drops the blocked style or script and carries on).
// Usage: node tests/csp.mjs http://127.0.0.1:PORT
import assert from 'node:assert/strict';
import { baseUrl, launch, runner, dashboardReady, panelReady, typologyReady } from './browser.mjs';

const base = baseUrl();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const violations = [];
// Survives navigations: the listener is installed again in every document the context opens.
await context.exposeFunction('__reportCspViolation', (text) => violations.push(text));
await context.addInitScript(() => {
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
  });
});
const page = await context.newPage();
page.on('console', (m) => {
  if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
});
const { check, results } = runner();

async function open(path) {
  const response = await page.goto(`${base}${path}`);
  const policy = response.headers()['content-security-policy'] || '';
  assert.match(policy, /script-src 'self'/, `${path}: no CSP header`);
  assert.doesNotMatch(policy, /unsafe-inline/, `${path}: ${policy}`);
}

function noViolations(where) {
  const found = violations.splice(0);
  assert.deepEqual(found, [], `${where}: ${found.join(' | ')}`);
}

try {
  await check('csp: the dashboard with map, table and profile chart draws without a violation', async () => {
    await open('/?area=GM0114');
    await dashboardReady(page);
    await page.waitForSelector('#profile table', { timeout: 20000 });
    assert.ok(await page.locator('#map path[data-code]').count() > 0, 'the map has areas');
    assert.ok(await page.locator('#profile canvas').count() >= 1, 'the chart has a canvas');
    noViolations('dashboard');
  });

  await check('csp: the reach, Hartveilig and panel views draw without a violation', async () => {
    await open('/?view=bereikbaarheid&facilities=hospital');
    await dashboardReady(page);
    await open('/?view=hartveilig&for=GM1690&k=2');
    await dashboardReady(page);
    await page.waitForSelector('#aed-spots-table tbody tr', { timeout: 20000 });
    await page.click('#aed-placement-run');
    await page.waitForSelector('#aed-curve circle', { state: 'attached', timeout: 30000 });
    await open('/?view=burgerpanel');
    await panelReady(page);
    await open('/?view=typologie');
    await typologyReady(page);
    await open('/?view=zorg&close=ZH72,ZH73');
    await page.waitForSelector('#care-municipalities tbody tr', { timeout: 20000 });
    noViolations('views');
  });

  for (const path of ['/gebied/GM0114', '/gebied/GM0114?lang=en', '/tabel', '/factsheet/GM0114', '/burgerpanel']) {
    await check(`csp: ${path} renders without a violation`, async () => {
      await open(path);
      await page.waitForLoadState('load');
      noViolations(path);
    });
  }

  await check('csp: the served fact sheet is styled by its linked stylesheet', async () => {
    await open('/factsheet/GM0114');
    // The sheet's CSS sets a grid on the key figures; unstyled they would be a plain list.
    const display = await page.locator('.tiles').first().evaluate((el) => getComputedStyle(el).display);
    assert.equal(display, 'grid');
    noViolations('fact sheet');
  });
} finally {
  await browser.close();
}
console.log(`csp: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
