// Shared set-up of the browser tests: the server's base URL from argv, headless Chromium with the flags
// this project's CI machine needs, and a tiny check runner that prints `ok   name` / `FAIL name: why`
// lines (web/tests/run-browser-tests.sh counts them).
import { chromium } from 'playwright-core';

/** `node tests/x.mjs http://127.0.0.1:PORT/` or the older `node tests/x.mjs PORT [HOST]`. */
export function baseUrl(argv = process.argv.slice(2)) {
  const [first = '8787', host = '127.0.0.1'] = argv;
  const base = /^https?:\/\//.test(first) ? first : `http://${host}:${first}`;
  return base.replace(/\/+$/, '');
}

// Playwright adds a fresh temporary --user-data-dir to every launch() and removes it afterwards.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export function runner() {
  const results = { passed: 0, failed: 0 };
  async function check(name, fn) {
    try {
      await fn();
      results.passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      results.failed++;
      console.log(`FAIL ${name}: ${String(e && e.message ? e.message : e).split('\n').slice(0, 4).join(' | ')}`);
    }
  }
  return { check, results };
}

/** The dashboard has drawn its map and table. */
export async function dashboardReady(page) {
  await page.waitForSelector('#area-table tbody tr', { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('#map-section').getAttribute('aria-busy') === 'false', null, { timeout: 20000 });
}

/** The citizens' panel view has drawn its estimates (chart and table). */
export async function panelReady(page) {
  await page.waitForSelector('#panel-table tbody tr', { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('#panel-body').hasAttribute('aria-busy'), null, { timeout: 20000 });
}

/** The typology view has drawn its map, chart and tables. */
export async function typologyReady(page) {
  await page.waitForSelector('#typology-municipalities tbody tr', { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('#typology-body').hasAttribute('aria-busy'), null, { timeout: 20000 });
}
