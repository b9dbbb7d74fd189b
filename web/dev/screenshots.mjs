// Dev helper: screenshots of the dashboard in several states (needs a running server).
// Usage: node dev/screenshots.mjs PORT OUTDIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const port = process.argv[2] || '8787';
const out = process.argv[3] || '/tmp/leefbaar-shots';
fs.mkdirSync(out, { recursive: true });
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const ready = async () => {
  await page.waitForSelector('#area-table tbody tr', { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('#map-section').getAttribute('aria-busy') === 'false');
  await page.waitForTimeout(400);
};
const shot = async (name, full = false) => { await page.screenshot({ path: `${out}/${name}.png`, fullPage: full }); console.log(`${out}/${name}.png`); };

await page.goto(`${base}/?indicator=share_65_plus&level=municipality&year=2024`); await ready();
await shot('01-municipalities-nl', true);
await page.hover('path[data-code="GM0114"]'); await page.waitForTimeout(200);
await shot('02-hover-tooltip');
await page.goto(`${base}/?indicator=share_65_plus&level=municipality&area=GM0114`); await ready();
await page.waitForSelector('#profile table'); await page.waitForTimeout(300);
await shot('03-profile-nl', true);
await page.goto(`${base}/?lang=en&indicator=household_size&level=district&year=2024`); await ready();
await shot('04-districts-en', true);
await page.locator('path[data-code="WK011401"]').focus(); await page.waitForTimeout(200);
await shot('05-keyboard-focus-en');
await page.keyboard.press('Enter'); await page.waitForSelector('#profile table'); await page.waitForTimeout(300);
await shot('06-district-profile-en', true);
await page.locator('#profile').screenshot({ path: `${out}/06b-district-profile-panel-en.png` }); console.log(`${out}/06b-district-profile-panel-en.png`);
await page.goto(`${base}/?indicator=distance_gp&level=municipality&year=2023`); await ready();
await shot('07-no-data-nl');
await page.goto(`${base}/?indicator=share_65_plus&level=municipality&year=1800`); await ready();
await page.route('**/api/v1/observations**', (r) => r.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ ok: false, error: 'parameter `year` must be a year between 1900 and 2200, found `1800`', errors: [], status: 400 }) }));
await page.selectOption('#year', '2019'); await page.waitForSelector('.error-box'); await page.waitForTimeout(200);
await shot('08-error-nl');
await browser.close();
