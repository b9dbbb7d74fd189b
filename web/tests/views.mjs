// The dashboard shell in headless Chromium against a running server: the navigation between the monitors'
// views and their deep links, Hartveilig (the synthetic notice, the AED layer, white spots, placement), the
// citizens' panel (bars with 95 % whiskers beside the same numbers in a table, suppressed cells, the
// synthetic notice), the desktop layout (1366×768: controls beside the map, the
// whole map in the first screen), reflow at 320 and 390 CSS px (no horizontal scrolling, WCAG 1.4.10, which
// axe does not check), place names on the map, and the province, levels and monitors of /api/v1/monitor
// (served in the browser from web/dev/fixtures when a test needs them, and answered 404 to test the
// fallback of a server from before the route).
// Usage: node tests/views.mjs http://127.0.0.1:PORT   (or: node tests/views.mjs PORT [HOST])
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, launch, runner, dashboardReady, panelReady, typologyReady } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(here, '..', 'dev', 'fixtures', name), 'utf8'));
const MONITOR = fixture('monitor.json');
const PLACES = fixture('places.json');
const base = baseUrl();
const browser = await launch();
const { check, results } = runner();
const errors = [];
const VIEW_NAMES = {
  leefbaarheid: ['Leefbaarheid', 'Livability'], bereikbaarheid: ['Bereikbaarheid', 'Accessibility'],
  hartveilig: ['Hartveilig', 'Heart-safe (AEDs)'], burgerpanel: ['Burgerpanel', "Citizens' panel"],
  zorg: ['Zorg', 'Care'],
  typologie: ['Typologie', 'Typology'],
};

const notFound = (route) => route.fulfill({
  status: 404, contentType: 'application/json',
  body: JSON.stringify({ ok: false, error: 'no route; the API index is at /api/v1', errors: [], status: 404 }),
});
const ok = (data) => (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, data, meta: {} }) });

/**
 * A fresh context and page. monitor/places: data to answer /api/v1/monitor and /api/v1/places with, or
 * 404 to answer "no route", or undefined to leave the server's own answer.
 */
async function open({ width = 1280, height = 900, monitor, places } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  if (monitor !== undefined) await ctx.route('**/api/v1/monitor', monitor === 404 ? notFound : ok(monitor));
  if (places !== undefined) await ctx.route('**/api/v1/places**', places === 404 ? notFound : ok(places));
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/status of 404/.test(m.text()) && /\/api\/v1\/(monitor|places)\b/.test(m.location().url || '')) return;
    errors.push(`console: ${m.text()} ${m.location().url || ''}`);
  });
  return { ctx, page, q: () => new URL(page.url()).searchParams };
}

const api = async (p) => (await fetch(base + p)).json();
const serverMonitor = await api('/api/v1/monitor');
// the views the navigation should list: the server's available monitors this dashboard has a view for
const expectedViews = serverMonitor.ok
  ? Object.keys(VIEW_NAMES).filter((id) => serverMonitor.data.monitors.some((m) => m.id === id && m.available !== false))
  : Object.keys(VIEW_NAMES);
const catalogue = (await api('/api/v1/indicators')).data;
const reachHospital = catalogue.find((i) => i.id === 'reach_distance_hospital');
const nl2 = (v) => v.toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });

try {
  await check('navigation: a labelled list of the monitors the server offers, the current one marked, in Dutch and English', async () => {
    const { ctx, page } = await open();
    try {
      await page.goto(`${base}/`);
      await dashboardReady(page);
      const nav = page.locator('nav#monitor-nav');
      assert.equal(await nav.getAttribute('aria-label'), 'Monitoren');
      assert.equal(await nav.locator('ul > li > a').count(), expectedViews.length);
      assert.deepEqual(await nav.locator('a').allTextContents(), expectedViews.map((id) => VIEW_NAMES[id][0]));
      assert.deepEqual(await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('aria-current'))),
        expectedViews.map((id) => (id === 'leefbaarheid' ? 'page' : null)));
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal(await nav.getAttribute('aria-label'), 'Monitors');
      assert.deepEqual(await nav.locator('a').allTextContents(), expectedViews.map((id) => VIEW_NAMES[id][1]));
    } finally { await ctx.close(); }
  });

  await check('navigation: switching views by link and keyboard, each with its own deep link; Back returns with the state', async () => {
    const { ctx, page, q } = await open();
    try {
      await page.goto(`${base}/?indicator=share_65_plus&level=district`);
      await dashboardReady(page);
      const start = new URL(page.url()).search;
      await page.click('#monitor-list a[data-view="bereikbaarheid"]');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'bereikbaarheid');
      await dashboardReady(page);
      await page.waitForFunction(() => /^reach_/.test(document.querySelector('#indicator').value));
      assert.match(q().get('indicator'), /^reach_/);
      assert.equal(await page.getAttribute('#monitor-list a[data-view="bereikbaarheid"]', 'aria-current'), 'page');
      assert.equal(await page.getAttribute('#monitor-list a[data-view="leefbaarheid"]', 'aria-current'), null);
      assert.ok(await page.isVisible('#facilities-fieldset'), 'facility layer controls');
      assert.ok(await page.isHidden('#compare-section') && await page.isHidden('#search-box') && await page.isHidden('#mode-fieldset'));
      // the other views' links carry their own last state
      assert.equal(new URL(await page.getAttribute('#monitor-list a[data-view="leefbaarheid"]', 'href'), base).search, start);
      const bereik = new URL(page.url()).search;
      await page.focus('#monitor-list a[data-view="burgerpanel"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'burgerpanel');
      await panelReady(page);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-h');
      assert.ok(await page.isHidden('#layout') && await page.isHidden('#table-section'));
      assert.ok(q().get('question') && q().has('by'), 'the panel\'s state in the URL');
      await page.goBack();
      await page.waitForFunction(() => new URL(location.href).searchParams.get('view') === 'bereikbaarheid');
      await dashboardReady(page);
      assert.equal(new URL(page.url()).search, bereik);
      await page.goBack();
      await page.waitForFunction(() => !new URL(location.href).searchParams.has('view'));
      await dashboardReady(page);
      assert.equal(new URL(page.url()).search, start);
      assert.equal(await page.inputValue('#indicator'), 'share_65_plus');
      assert.ok(await page.isChecked('#level-district'));
      assert.ok(await page.locator('#map path[data-code^="WK"]').count() > 100, 'the district map again');
    } finally { await ctx.close(); }
  });

  await check('deep links: Bereikbaarheid restores indicator, level, area and facility layer; Burgerpanel its question, grouping and answer', async () => {
    const { ctx, page, q } = await open();
    try {
      assert.ok(reachHospital, 'the catalogue has reach_distance_hospital');
      const year = Math.max(...reachHospital.years);
      const link = `/?view=bereikbaarheid&indicator=reach_distance_hospital&year=${year}&level=district&area=WK011401&facilities=hospital`;
      await page.goto(base + link);
      await dashboardReady(page);
      await page.waitForSelector('#profile table');
      await page.waitForSelector('#map path[data-kind="hospital"]', { state: 'attached' });
      assert.equal(await page.inputValue('#indicator'), 'reach_distance_hospital');
      assert.ok(await page.isChecked('#level-district') && await page.isChecked('#fac-hospital'));
      assert.equal(await page.getAttribute('#map path[data-code="WK011401"]', 'aria-current'), 'true');
      assert.equal(await page.locator('#profile-compare').count(), 0, 'no compare button outside Leefbaarheid');
      await page.reload();
      await dashboardReady(page);
      assert.equal(new URL(page.url()).search, link.slice(1));
      const panel = '/?view=burgerpanel&lang=en&question=future&by=age_group&answer=worried';
      await page.goto(base + panel);
      await panelReady(page);
      assert.equal(await page.inputValue('#panel-question'), 'future');
      assert.equal(await page.inputValue('#panel-by'), 'age_group');
      assert.equal(await page.inputValue('#panel-answer'), 'worried');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(new URL(page.url()).search, panel.slice(1));
      await page.selectOption('#panel-answer', 'sunny');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('answer') === 'sunny');
      await page.reload();
      await panelReady(page);
      assert.equal(await page.inputValue('#panel-answer'), 'sunny');
      assert.equal(q().get('view'), 'burgerpanel');
    } finally { await ctx.close(); }
  });

  await check('Hartveilig: the synthetic notice first; the choropleth follows the rule; the AED layer told apart by shape and words; white spots in a table with their CSV; a placement with its sites and curve', async () => {
    const points = (await api('/api/v1/aed/points')).data;
    const always = points.filter((p) => p.available['24_7']);
    const { ctx, page, q } = await open();
    try {
      await page.goto(`${base}/?view=hartveilig`);
      await dashboardReady(page);
      await page.waitForSelector('#view-notice:not([hidden])');
      const notice = await page.textContent('#view-notice');
      assert.match(notice, /Synthetische gegevens/);
      assert.ok(notice.includes('SYNTHETIC AED register'), 'the API\'s notice');
      assert.match(notice, /500 m hemelsbreed/);
      const [noticeTop, mapTop] = await page.evaluate(() => ['#view-notice', '#map'].map((sel) => document.querySelector(sel).getBoundingClientRect().top));
      assert.ok(noticeTop < mapTop, 'the notice comes before the map');
      assert.equal(await page.inputValue('#indicator'), 'aed_share_uncovered_24_7');
      assert.ok(await page.isChecked('#aed-rule-24_7'));
      assert.equal(await page.getAttribute('#monitor-list a[data-view="hartveilig"]', 'aria-current'), 'page');
      // the AED layer: day and night outdoors filled; the rest, not counted day and night, hollow with a dashed ring
      await page.waitForSelector('#map path[data-kind="aed_always"]', { state: 'attached' });
      assert.equal(await page.locator('#map path[data-kind="aed_always"]').count(), always.length);
      assert.equal(await page.locator('#map path[data-kind="aed_closed"]').count(), points.length - always.length);
      const closed = page.locator('#map path[data-kind="aed_closed"]').first();
      assert.ok(await closed.getAttribute('stroke-dasharray'), 'a dashed ring, not colour alone');
      assert.match(await closed.getAttribute('aria-label'), /^AED SYNTHETIC-\d+: niet beschikbaar dag en nacht/);
      assert.equal(await closed.getAttribute('role'), 'button');
      assert.match(await page.textContent('#aed-legend'), /holle stip met gestippelde rand/);
      // another rule: the indicator follows, and AEDs with opening hours open at that moment get their own marker
      await page.check('#aed-rule-evening');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('rule') === 'evening');
      await dashboardReady(page);
      assert.equal(q().get('indicator'), 'aed_share_covered_evening');
      const hours = points.filter((p) => !p.available['24_7'] && p.available.evening).length;
      await page.waitForFunction((n) => document.querySelectorAll('#map path[data-kind="aed_hours"]').length === n, hours);
      // white spots of De Wolden: markers, a table and the CSV of all of them
      await page.selectOption('#aed-place', 'GM1690');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('for') === 'GM1690');
      const spots = (await api('/api/v1/aed/white-spots?rule=evening&area=GM1690&limit=10')).data;
      await page.waitForFunction((id) => !!document.querySelector(`#aed-spots-table tbody tr[data-spot="${id}"]`), spots.spots[0].id);
      assert.equal(await page.locator('#aed-spots-table tbody tr').count(), 10);
      assert.equal(await page.locator('#map path[data-kind="spot"]').count(), 10);
      assert.equal(await page.locator('#aed-spots-table tbody tr').first().locator('td').nth(2).textContent(),
        spots.spots[0].uncovered.toLocaleString('nl-NL', { maximumFractionDigits: 0 }));
      const csvHref = await page.getAttribute('#aed-spots-csv', 'href');
      assert.match(csvHref, /^\/api\/v1\/aed\/white-spots\.csv\?rule=evening&area=GM1690$/);
      const csv = await (await fetch(base + csvHref)).text();
      assert.equal(csv.trim().split('\n').length, spots.total + 1);
      assert.match(csv.split('\n')[1], /SYNTHETIC AED register/);
      // AEDs of De Wolden only; a marker by keyboard opens its details, and back returns to it
      const woldenAeds = points.filter((p) => p.municipality === 'GM1690').length;
      await page.waitForFunction((n) => document.querySelectorAll('#map path[data-facility^="aed:"]').length === n, woldenAeds);
      const marker = page.locator('#map path[data-facility^="aed:"]').first();
      const markerId = await marker.getAttribute('data-facility');
      await marker.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#aed-detail-h');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'aed-detail-h');
      assert.match(await page.textContent('#aed-detail'), /Openingstijden/);
      await page.click('#aed-detail-close');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-facility')), markerId);
      // placement: three new AEDs, the same numbers as the API, sites on the map, the curve as SVG and table
      await page.fill('#aed-k', '3');
      await page.dispatchEvent('#aed-k', 'change');
      await page.check('#aed-relocate');
      await page.click('#aed-placement-run');
      await page.waitForSelector('#aed-sites-table tbody tr', { timeout: 30000 });
      const plan = (await api('/api/v1/aed/placement?rule=evening&k=3&relocate=true&area=GM1690')).data;
      assert.equal(await page.locator('#aed-sites-table tbody tr').count(), plan.sites.length);
      const nl0 = (v) => v.toLocaleString('nl-NL', { maximumFractionDigits: 0 });
      assert.equal(await page.locator('#aed-sites-table tbody tr').first().locator('td').nth(2).textContent(), `+${nl0(plan.sites[0].gain)}`);
      assert.equal(await page.locator('#aed-curve-table tbody tr').count(), 4);
      assert.equal(await page.getAttribute('#aed-curve', 'aria-hidden'), 'true');
      assert.equal(await page.locator('#aed-curve circle').count(), 4);
      assert.equal(await page.locator('#map path[data-kind="site"]').count(), plan.sites.length);
      // Only De Wolden's own AEDs that are closed at the moment may move (in the evening its
      // indoor ones may all be open): the table lists what the API lists.
      assert.equal(await page.locator('#aed-moves-table tbody tr').count(), Math.min(25, plan.moves.length), 'the AEDs to hang outside, as the API lists them');
      assert.match(await page.textContent('#aed-placement-status'), /^Plaatsing berekend: 3 nieuwe AED's/);
      assert.equal(q().get('k'), '3');
      assert.equal(q().get('relocate'), '1');
      // in English, the same state
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.match(await page.textContent('#view-notice'), /Synthetic data/);
      assert.match(await page.textContent('#aed-section-h'), /White spots and placement/);
    } finally { await ctx.close(); }
  });

  for (const width of [320, 390]) {
    await check(`Hartveilig reflow at ${width} CSS px: no horizontal scrolling with white spots and a placement`, async () => {
      const { ctx, page } = await open({ width, height: 800 });
      try {
        await page.goto(`${base}/?view=hartveilig&for=GM1690&k=3&relocate=1`);
        await dashboardReady(page);
        await page.waitForSelector('#aed-spots-table tbody tr');
        await page.click('#aed-placement-run');
        await page.waitForSelector('#aed-moves-table tbody tr', { timeout: 30000 });
        const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(sw <= iw, `scrollWidth ${sw} > ${iw}`);
      } finally { await ctx.close(); }
    });
  }

  await check('a link from before the views with a facility layer opens Bereikbaarheid with it', async () => {
    const { ctx, page, q } = await open();
    try {
      await page.goto(`${base}/?indicator=share_65_plus&level=municipality&facilities=hospital`);
      await dashboardReady(page);
      await page.waitForSelector('#map path[data-kind="hospital"]', { state: 'attached' });
      assert.equal(q().get('view'), 'bereikbaarheid');
      assert.equal(q().get('facilities'), 'hospital');
      assert.ok(await page.isChecked('#fac-hospital'));
    } finally { await ctx.close(); }
  });

  await check('Typologie: a national map with every municipality in its bubble, stacked shares beside a table with the same numbers, a province\'s municipalities in a table', async () => {
    const typology = (await api('/api/v1/typology')).data;
    const { ctx, page, q } = await open();
    try {
      await page.goto(`${base}/?view=typologie`);
      await typologyReady(page);
      assert.equal(await page.textContent('#typology-h'), 'Typologie: groei en krimp, stad en land');
      // every municipality on the map, coloured by a class (no inline style), with its name and bubble
      const paths = page.locator('#typology-body svg.typology-map path');
      assert.equal(await paths.count(), typology.municipalities.length);
      const emmen = typology.municipalities.find((m) => m.code === 'GM0114');
      assert.equal(await page.getAttribute('#typology-body path[data-code="GM0114"]', 'class'), `bubble-${emmen.bubble}`);
      assert.equal(await page.locator('#typology-body [style]').count(), 0, 'no style attributes');
      // one row per area with the same shares as the API
      assert.equal(await page.locator('#typology-shares tbody tr').count(), typology.areas.length);
      const nl = typology.areas[0];
      const cells = await page.locator('#typology-shares tbody tr[data-area="NL01"] td').allTextContents();
      assert.equal(cells[1], `${nl.bubbles[0].share_from_pct.toLocaleString('nl-NL', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`);
      assert.equal(await page.locator('#typology-body svg.typology-chart rect').count(), typology.areas.reduce((n, a) => n + a.bubbles.filter((b) => b.share_from_pct > 0).length, 0));
      // the monitored province's municipalities by default; another area by the select, kept in the URL
      assert.equal(await page.locator('#typology-municipalities tbody tr').count(), typology.municipalities.filter((m) => m.province === 'PV22').length);
      await page.selectOption('#typology-area', 'PV20');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('area') === 'PV20');
      assert.equal(await page.locator('#typology-municipalities tbody tr').count(), typology.municipalities.filter((m) => m.province === 'PV20').length);
      assert.equal(q().get('view'), 'typologie');
      // in English
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.querySelector('#typology-h').textContent.startsWith('Typology'));
      assert.equal(q().get('area'), 'PV20');
    } finally { await ctx.close(); }
  });

  await check('Burgerpanel: the synthetic notice first; bars with 95 % whiskers beside a table with the same numbers; suppressed cells say so, never 0', async () => {
    const est = (await api('/api/v1/survey/estimates?question=rating&by=municipality')).data;
    const rows = [...est.total, ...est.cells];
    const shown = rows.filter((c) => !c.suppressed);
    const withheld = rows.filter((c) => c.suppressed);
    assert.ok(withheld.length >= 1, 'the panel has suppressed municipalities');
    const { ctx, page } = await open();
    try {
      await page.goto(`${base}/?view=burgerpanel&question=rating&by=municipality`);
      await panelReady(page);
      const notice = await page.textContent('#panel-notice');
      assert.match(notice, /Synthetische gegevens/);
      assert.ok(notice.includes(est.notice), 'the API\'s notice');
      assert.ok(await page.isVisible('#panel-notice'));
      // the notice comes before the figures
      const [noticeTop, tableTop] = await page.evaluate(() => ['#panel-notice', '#panel-table'].map((s) => document.querySelector(s).getBoundingClientRect().top));
      assert.ok(noticeTop < tableTop);
      const svg = page.locator('#panel-body svg.ci-bars');
      assert.equal(await svg.getAttribute('aria-hidden'), 'true');
      assert.equal(await svg.locator('rect').count(), shown.length, 'one bar per published estimate');
      assert.equal(await svg.locator('line[stroke-width="1.5"]').count(), 3 * shown.length, 'a whisker with two caps per bar');
      assert.equal(await page.locator('#panel-table tbody tr').count(), rows.length);
      assert.match(await page.textContent('#panel-table caption'), /95%-betrouwbaarheidsinterval/);
      // the same numbers in the table
      const first = est.cells.find((c) => !c.suppressed);
      const row = page.locator(`#panel-table tbody tr[data-group="${first.group}"]`);
      const cells = await row.locator('td').allTextContents();
      assert.equal(cells[0], nl2(first.value));
      assert.equal(cells[1], `${nl2(first.ci_low)} – ${nl2(first.ci_high)}`);
      assert.equal(cells[2], first.n.toLocaleString('nl-NL'));
      for (const c of withheld.filter((x) => x.group !== 'all')) {
        const text = await page.locator(`#panel-table tbody tr[data-group="${c.group}"] td`).allTextContents();
        assert.ok(/^onderdrukt \(/.test(text[0]), `${c.group}: ${text[0]}`);
        assert.ok(text.slice(1).every((x) => x === '—'), `${c.group}: no interval or n (${text})`);
      }
      assert.ok(await svg.locator('text', { hasText: 'onderdrukt' }).count() >= withheld.length);
      // a share, in English
      await page.goto(`${base}/?view=burgerpanel&lang=en&question=quake_damage&by=municipality&answer=heavy`);
      await panelReady(page);
      assert.match(await page.textContent('#panel-notice'), /Synthetic data/);
      assert.match(await page.textContent('#panel-table thead'), /Share/);
      assert.ok(await page.locator('#panel-table td', { hasText: /^suppressed \(/ }).count() >= 1);
      assert.equal(await page.locator('#panel-table td', { hasText: /^0(\.0)?%?$/ }).count(), 0, 'no suppressed cell shown as 0');
    } finally { await ctx.close(); }
  });

  await check('desktop 1366×768: the controls beside the map, the whole map in the first screen (each map view, with the profile, with a note on the monitors)', async () => {
    for (const [path, monitor] of [
      ['/', undefined],
      ['/?indicator=share_65_plus&level=district&mode=deviation', undefined],
      ['/?view=bereikbaarheid&facilities=hospital', undefined],
      ['/?view=hartveilig&rule=day', undefined],
      ['/?indicator=share_65_plus&level=municipality&area=GM0114', undefined],
      ['/?lang=en&indicator=share_65_plus', MONITOR],
    ]) {
      const { ctx, page } = await open({ width: 1366, height: 768, monitor });
      try {
        await page.goto(base + path);
        await dashboardReady(page);
        if (path.includes('area=')) await page.waitForSelector('#profile table');
        await page.evaluate(() => window.scrollTo(0, 0));
        const [map, controls, vw, vh] = await page.evaluate(() => [
          document.querySelector('#map').getBoundingClientRect().toJSON(),
          document.querySelector('#controls-section').getBoundingClientRect().toJSON(),
          window.innerWidth, window.innerHeight]);
        assert.ok(map.top >= 0 && map.left >= 0 && map.bottom <= vh && map.right <= vw, `${path}: map ${JSON.stringify(map)} in ${vw}×${vh}`);
        assert.ok(map.height >= 300, `${path}: map height ${map.height}`);
        assert.ok(controls.right <= map.left && controls.top < map.bottom, `${path}: controls beside the map`);
      } finally { await ctx.close(); }
    }
  });

  await check('Zorg: the approximation notice first, the sensitive hospitals, closing two hospitals shows who crosses each threshold per municipality and on the map, reopening restores, nl and en', async () => {
    const api2 = (await api('/api/v1/care/hospitals/scenario?close=ZH72,ZH73')).data;
    const changed = api2.municipalities.filter((m) => m.thresholds.some((r) => r.difference.persons > 0));
    assert.ok(changed.length >= 1, 'closing Emmen and Stadskanaal pushes someone past a threshold');
    const { ctx, page, q } = await open();
    try {
      await page.goto(`${base}/?view=zorg`);
      await page.waitForSelector('#care-sensitive tbody tr', { timeout: 20000 });
      assert.match(await page.textContent('#care-notice'), /Benadering/);
      const [noticeTop, tableTop] = await page.evaluate(() => ['#care-notice', '#care-sensitive'].map((s) => document.querySelector(s).getBoundingClientRect().top));
      assert.ok(noticeTop < tableTop, 'the notice comes before the figures');
      const sensitive = (await api('/api/v1/care/hospitals')).data.sensitive;
      assert.equal(await page.locator('#care-sensitive tbody tr').count(), sensitive.length);
      assert.equal(await page.locator('#care-hospitals input[type="checkbox"]').count(), sensitive.length);
      await page.check('#care-close-ZH73');
      await page.waitForSelector('#care-totals tbody tr', { timeout: 20000 });
      await page.check('#care-close-ZH72');
      await page.waitForFunction(() => /ZH72/.test(new URL(location.href).searchParams.get('close') || ''));
      await page.waitForFunction((n) => document.querySelectorAll('#care-municipalities tbody tr').length === n, changed.length, { timeout: 20000 });
      assert.equal(q().get('close'), 'ZH72,ZH73');
      // the first changed municipality's row carries the API's numbers
      const first = changed[0];
      const row = page.locator('#care-municipalities tbody tr').first();
      assert.equal(await row.locator('th').textContent(), first.name);
      const cells = await row.locator('td').allTextContents();
      const r0 = first.thresholds[0];
      const int = (v) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
      assert.equal(cells[1], `${int(r0.baseline.persons)} → ${int(r0.scenario.persons)} (+${int(r0.difference.persons)}; 75+: +${int(r0.difference.persons_75_plus)})`);
      // the fallback postcode areas on the map
      assert.ok(await page.locator('#care-map path.care-fallback').count() >= 1);
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      await page.waitForFunction(() => /Approximate/.test(document.querySelector('#care-notice').textContent));
      assert.match(await page.textContent('#care-totals caption'), /before → after/);
      await page.click('#care-reset');
      await page.waitForSelector('#care-sensitive tbody tr', { timeout: 20000 });
      assert.equal(q().get('close'), null);
      assert.equal(await page.locator('#care-map path.care-fallback').count(), 0);
    } finally { await ctx.close(); }
  });

  for (const width of [320, 390]) {
    await check(`reflow at ${width} CSS px: no horizontal scrolling in Zorg with two hospitals closed (WCAG 1.4.10)`, async () => {
      const { ctx, page } = await open({ width, height: 800 });
      try {
        await page.goto(`${base}/?view=zorg&close=ZH72,ZH73`);
        await page.waitForSelector('#care-municipalities tbody tr', { timeout: 20000 });
        const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(sw <= iw, `scrollWidth ${sw} > ${iw}`);
      } finally { await ctx.close(); }
    });
  }

  const reflow = [
    ['Leefbaarheid', '/', null],
    ['Leefbaarheid, profile open and compare', '/?indicator=share_65_plus&level=municipality&area=GM0114&compare=GM0114,GM0106', '#projection-class'],
    ['Leefbaarheid, districts, deviation, profile open, en', '/?lang=en&indicator=share_65_plus&level=district&mode=deviation&area=WK011401', '#profile table'],
    ['Bereikbaarheid with facilities', '/?view=bereikbaarheid&facilities=primary_school,hospital', '#map path[data-kind="hospital"]'],
    ['Burgerpanel, municipalities', '/?view=burgerpanel&question=rating&by=municipality', null],
    ['Burgerpanel, a share, en', '/?view=burgerpanel&lang=en&question=future&by=age_group&answer=worried', null],
  ];
  for (const width of [320, 390]) {
    await check(`reflow at ${width} CSS px: no horizontal scrolling in any view (WCAG 1.4.10)`, async () => {
      // the mock's monitor (no neighbourhoods) with its panel, and its towns on the map
      const monitor = { ...MONITOR, monitors: MONITOR.monitors.map((m) => (m.id === 'burgerpanel' ? { id: m.id, available: true, synthetic: true } : m)) };
      const { ctx, page } = await open({ width, height: 800, monitor, places: PLACES });
      try {
        for (const [name, path, extra] of reflow) {
          await page.goto(base + path);
          if (path.includes('burgerpanel')) await panelReady(page); else await dashboardReady(page);
          if (extra) await page.waitForSelector(extra, { state: 'attached', timeout: 20000 });
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          const [sw, iw, wide] = await page.evaluate(() => {
            // controls the issue named: they must wrap within the viewport
            const ids = ['indicator', 'level-neighbourhood', 'level-district', 'mode-deviation', 'search-button', 'panel-question', 'panel-by'];
            const out = ids.map((id) => document.getElementById(id)).filter((el) => el && el.offsetParent)
              .filter((el) => el.getBoundingClientRect().right > window.innerWidth).map((el) => el.id);
            return [document.documentElement.scrollWidth, window.innerWidth, out];
          });
          assert.ok(sw <= iw, `${name}: scrollWidth ${sw} > ${iw}`);
          assert.deepEqual(wide, [], `${name}: controls past the right edge`);
          if (path === '/') {
            // and with a search result list and the profile opened from the table
            await page.fill('#search-input', 'oost');
            await page.click('#search-button');
            await page.waitForSelector('#search-results li');
            await page.locator('#area-table tbody button').first().click();
            await page.waitForSelector('#profile table');
            const [sw2, iw2] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            assert.ok(sw2 <= iw2, `${name}, search and profile: scrollWidth ${sw2} > ${iw2}`);
          }
        }
      } finally { await ctx.close(); }
    });
  }

  await check('place names: municipality names inside their areas; no pointer events, no focus, hidden from assistive technology; a click on a name reaches the area', async () => {
    const { ctx, page, q } = await open({ places: 404 });
    try {
      await page.goto(`${base}/?indicator=share_65_plus&level=municipality`);
      await dashboardReady(page);
      const labels = page.locator('#map .lb-label-municipality');
      await page.waitForFunction(() => document.querySelectorAll('#map .lb-label-municipality').length >= 10);
      assert.equal(await page.locator('#map .lb-label-town').count(), 0, 'no towns without /api/v1/places');
      const pane = page.locator('#map .leaflet-labels-pane');
      assert.equal(await pane.getAttribute('aria-hidden'), 'true');
      assert.equal(await pane.evaluate((el) => getComputedStyle(el).pointerEvents), 'none');
      assert.equal(await page.locator('#map .lb-label[tabindex], #map .lb-label [tabindex]').count(), 0);
      // each name lies on its own municipality: the area under the name's point is the one named
      const hits = await labels.evaluateAll((els) => els.map((el) => {
        const r = el.getBoundingClientRect();
        const under = document.elementsFromPoint(r.left, r.top).find((e) => e.matches && e.matches('path[data-code]'));
        return [el.textContent, under ? under.getAttribute('aria-label') : null];
      }));
      for (const [name, label] of hits) assert.ok(label && label.startsWith(`${name}:`), `${name} lies on ${label}`);
      // a click on the name opens the area's profile
      const emmen = labels.filter({ hasText: /^Emmen$/ });
      const box = await emmen.boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForSelector('#profile table');
      assert.equal(q().get('area'), 'GM0114');
    } finally { await ctx.close(); }
  });

  await check('place names: towns from /api/v1/places, only the larger ones when zoomed out, more when zoomed in', async () => {
    const { ctx, page } = await open({ places: PLACES });
    try {
      await page.goto(`${base}/?indicator=share_65_plus&level=municipality`);
      await dashboardReady(page);
      await page.waitForFunction(() => document.querySelectorAll('#map .lb-label-town').length > 0);
      const names = () => page.locator('#map .lb-label-town').allTextContents();
      const pop = new Map(PLACES.map((p) => [p.name, p.population]));
      const out = await names();
      assert.ok(out.every((n) => pop.get(n) >= 4000), `zoomed out only larger towns: ${out}`);
      await page.click('#map .leaflet-control-zoom-in');
      await page.click('#map .leaflet-control-zoom-in');
      await page.click('#map .leaflet-control-zoom-in');
      await page.waitForFunction((n) => document.querySelectorAll('#map .lb-label-town').length > n, out.length);
      const inner = await names();
      assert.ok(inner.some((n) => pop.get(n) < Math.min(...out.map((x) => pop.get(x)))), `zoomed in, smaller towns too: ${inner}`);
      // labels never overlap
      const boxes = await page.locator('#map .lb-label span').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]; const b = boxes[j];
        assert.ok(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top, `labels ${i} and ${j} overlap`);
      }
    } finally { await ctx.close(); }
  });

  await check('/api/v1/monitor: the province\'s name, code and box, its levels and monitors are used; a server without the route gets Drenthe', async () => {
    const hospitals = (await api('/api/v1/facilities?kind=hospital')).data.features;
    const box = [6.45, 52.95, 6.65, 53.05];
    const margin = [6.2, 52.75, 6.9, 53.25];
    const inMargin = hospitals.filter(({ geometry: { coordinates: [x, y] } }) => x >= margin[0] && x <= margin[2] && y >= margin[1] && y <= margin[3]);
    const monitor = { ...MONITOR, province: { code: 'PV22', name: 'Testland', bbox: box }, levels: ['municipality'] };
    const { ctx, page, q } = await open({ monitor });
    const requests = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/')) requests.push(r.url()); });
    try {
      await page.goto(`${base}/?indicator=share_65_plus&level=district&mode=deviation`);
      await dashboardReady(page);
      assert.equal(q().get('level'), 'municipality', 'a level the province lacks is not shown');
      assert.ok(await page.isHidden('#level-district') && await page.isHidden('#level-neighbourhood'));
      assert.match(await page.title(), /Leefbaar — Testland$/);
      assert.equal(await page.textContent('#site-title'), 'Leefbaar — Testland');
      assert.equal(await page.textContent('#mode-deviation-label'), 'Afwijking van Testland');
      assert.match(await page.textContent('#legend'), /Afwijking van Testland/);
      assert.ok(requests.some((u) => /\/observations\?.*parent=PV22/.test(u)), 'parent from the monitor');
      assert.ok(requests.some((u) => /\/observations\?.*area=PV22/.test(u)), 'the province\'s own value');
      // monitors: an unavailable one is a note, not a link; one without a view here is not listed
      assert.deepEqual(await page.locator('#monitor-list a').allTextContents(), ['Leefbaarheid', 'Bereikbaarheid']);
      assert.match(await page.textContent('#monitor-notes'), /^Burgerpanel: de ontwikkelserver heeft geen burgerpanel/);
      // facility markers: the province's box plus its margin
      await page.click('#monitor-list a[data-view="bereikbaarheid"]');
      await dashboardReady(page);
      await page.check('#fac-hospital');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('facilities') === 'hospital');
      await page.waitForFunction((n) => document.querySelectorAll('#map path[data-kind="hospital"]').length === n, inMargin.length);
      assert.ok(inMargin.length < hospitals.length);
      assert.match(await page.textContent('label[for="fac-hospital"]'), /^Ziekenhuis$/);
      // a view the server does not offer falls back to the default view
      await page.goto(`${base}/?view=burgerpanel`);
      await dashboardReady(page);
      assert.equal(q().get('view'), null);
    } finally { await ctx.close(); }
    const fallback = await open({ monitor: 404 });
    try {
      await fallback.page.goto(`${base}/?indicator=share_65_plus&mode=deviation`);
      await dashboardReady(fallback.page);
      assert.equal(await fallback.page.textContent('#site-title'), 'Leefbaar — Drenthe');
      assert.equal(await fallback.page.textContent('#mode-deviation-label'), 'Afwijking van Drenthe');
      assert.ok(await fallback.page.isVisible('#level-district') && await fallback.page.isVisible('#level-neighbourhood'));
      assert.equal(await fallback.page.locator('#monitor-list a').count(), 3);
    } finally { await fallback.ctx.close(); }
  });
} finally {
  await browser.close();
}
if (errors.length) { results.failed++; console.log(`FAIL views: no page errors: ${errors.join(' | ')}`); } else { results.passed++; console.log('ok   views: no page errors'); }
console.log(`views: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
