// Runs axe-core (WCAG 2.0/2.1 A+AA and best practices) in headless Chromium against a running server
// (the dev mock or the real leefbaar server) in several page states; prints violations and exits 1 on any.
// Usage: node tests/axe.mjs PORT [HOST]    env CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const port = process.argv[2] || '8787';
const host = process.argv[3] || '127.0.0.1';
const base = `http://${host}:${port}`;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()} ${m.location().url || ''}`); });

async function ready() {
  await page.waitForSelector('#area-table tbody tr', { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('#map-section').getAttribute('aria-busy') === 'false', null, { timeout: 15000 });
}

async function audit(name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  const v = result.violations;
  console.log(`\n== ${name}: ${v.length ? `${v.length} violation(s)` : 'no violations'}`);
  for (const x of v) {
    console.log(`- [${x.impact}] ${x.id}: ${x.help} (${x.helpUrl})`);
    for (const n of x.nodes.slice(0, 5)) console.log(`    ${n.target.join(' ')}  ${n.failureSummary.replace(/\n/g, ' | ')}`);
    if (x.nodes.length > 5) console.log(`    … and ${x.nodes.length - 5} more`);
  }
  return v.length;
}

let total = 0;
const states = [
  ['municipalities, nl', '/?indicator=share_65_plus&level=municipality'],
  ['municipalities, en', '/?lang=en&indicator=share_65_plus&level=municipality'],
  ['districts, nl', '/?indicator=share_65_plus&level=district'],
  ['profile open (municipality), nl', '/?indicator=share_65_plus&level=municipality&area=GM0114'],
  ['profile open (district), en', '/?lang=en&indicator=inhabitants&level=district&area=WK011401'],
];
try {
  for (const [name, path] of states) {
    try {
      await page.goto(base + path, { waitUntil: 'load' });
      await ready();
      if (path.includes('area=')) await page.waitForSelector('#profile table', { timeout: 15000 });
    } catch (e) {
      console.log(`\n== ${name}: page did not finish loading (${e.message.split('\n')[0]})`);
      total++;
      continue;
    }
    total += await audit(name);
  }
  // keyboard path: open a profile from the table, check focus moves into the panel and back on close
  await page.goto(`${base}/?indicator=share_65_plus&level=municipality`, { waitUntil: 'load' });
  await ready();
  const btn = page.locator('#area-table tbody button').first();
  const code = await btn.getAttribute('data-code');
  await btn.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#profile table');
  const inPanel = await page.evaluate(() => document.activeElement && document.activeElement.id === 'profile-h');
  total += await audit('profile opened from the table');
  await page.keyboard.press('Escape');
  const back = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-code'));
  console.log(`\nfocus: into panel ${inPanel ? 'ok' : 'FAILED'}; back to ${back} after close ${back === code ? 'ok' : 'FAILED'}`);
  if (!inPanel || back !== code) total++;
} finally {
  await browser.close();
}
if (consoleErrors.length) { console.log('\nbrowser errors:'); for (const e of consoleErrors) console.log(`  ${e}`); }
console.log(`\naxe: ${total ? `${total} problem(s)` : 'no violations'}`);
process.exit(total || consoleErrors.length ? 1 : 0);
