// Interaction tests in headless Chromium against a running server (the real `leefbaar` server, or the
// dev mock): the map draws, a click opens the profile, deep links restore the state, the language switch
// works, downloads return the right rows, search by name and by postcode (opening the postcode area; and
// its fallback without the search route), the population projection in the profile, the neighbourhood and
// postcode levels, compare, the deviation view, and the server-rendered pages without JavaScript.
// Usage: node tests/smoke.mjs http://127.0.0.1:PORT   (or: node tests/smoke.mjs PORT [HOST])
import assert from 'node:assert/strict';
import { baseUrl, launch, runner, dashboardReady } from './browser.mjs';

const base = baseUrl();
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// The real server has /api/v1/monitor and /api/v1/places; a 404 there is an error (the fallback for
// a server without them is tested with mocked routes in tests/views.mjs).
page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} ${m.location().url || ''}`); });
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

  await check('the profile links to the fact sheet, and the PDF is one', async () => {
    const links = page.locator('#profile-factsheet a');
    assert.equal(await links.nth(0).getAttribute('href'), '/factsheet/GM0114');
    const pdf = await links.nth(1).getAttribute('href');
    assert.equal(pdf, '/factsheet/GM0114.pdf');
    const { status, type, text } = await fetchText(pdf);
    assert.equal(status, 200);
    assert.match(type, /^application\/pdf/);
    assert.ok(text.startsWith('%PDF-'), 'a PDF file');
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

  await check('postcode search: "9401 AB" opens its postcode area on the postcode map; its district and municipality results open theirs', async () => {
    // Needs the server's /api/v1/search; the page itself falls back to the name search without it.
    const api = await (await page.request.get(`${base}/api/v1/search?q=${encodeURIComponent('9401 AB')}`)).json();
    assert.equal(api.ok, true, 'GET /api/v1/search answers');
    const [own, district, municipality] = api.data;
    assert.deepEqual([own.code, own.level, own.name, own.matched], ['PC9401', 'postcode', '9401 Assen', 'postcode']);
    assert.equal(district.level, 'district');
    assert.equal(municipality.level, 'municipality');
    await page.goto(`${base}/?indicator=share_65_plus&level=municipality`);
    await ready();
    await page.fill('#search-input', '9401 AB');
    await page.press('#search-input', 'Enter');
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('area') === code, own.code);
    await page.waitForSelector('#profile table');
    assert.equal(q().get('level'), 'postcode');
    assert.ok(await page.isChecked('#level-postcode'));
    assert.match(await page.textContent('#profile-h'), /9401 Assen/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'profile-h');
    assert.match(await page.textContent('#search-count'), /Postcode 9401 \(Assen\)/);
    assert.deepEqual(await page.locator('#search-results li [data-code]').evaluateAll((els) => els.map((e) => e.dataset.code)),
      [own.code, district.code, municipality.code]);
    // the map and the table show every postcode area of the province, each with its municipality
    const rows = await page.locator('#area-table tbody tr').count();
    assert.equal(rows, 260, `${rows} postcode areas in the table`);
    assert.match(await page.textContent('#area-table thead'), /Gemeente/);
    // the district of the same postcode, by keyboard
    await page.focus(`#search-results button[data-code="${district.code}"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('area') === code, district.code);
    await page.waitForSelector('#profile table');
    assert.equal(q().get('level'), 'district');
    // and its municipality
    await page.focus(`#search-results button[data-code="${municipality.code}"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('area') === code, municipality.code);
    await page.waitForSelector('#profile table');
    assert.equal(q().get('level'), 'municipality');
    assert.match(await page.textContent('#profile-h'), new RegExp(municipality.name));
    // the other spellings of a postcode find the same postcode area
    await page.fill('#search-input', '9401ab');
    await page.click('#search-button');
    await page.waitForFunction((code) => new URL(location.href).searchParams.get('area') === code, own.code);
    await page.fill('#search-input', '1234');
    await page.click('#search-button');
    await page.waitForSelector('#search-results p');
    assert.match(await page.textContent('#search-results'), /Postcode 1234 is niet bekend/);
  });

  await check('postcode level: offered from /api/v1/monitor, drawn with municipal outlines, disabled with its reason for an indicator without postcode values', async () => {
    const monitor = (await (await page.request.get(`${base}/api/v1/monitor`)).json()).data;
    assert.ok(monitor.levels.includes('postcode'), JSON.stringify(monitor.levels));
    const catalogue = (await (await page.request.get(`${base}/api/v1/indicators`)).json()).data;
    const benefits = catalogue.find((i) => i.id === 'share_benefit_recipients');
    assert.deepEqual(benefits.levels, ['postcode']);
    await page.goto(`${base}/?indicator=share_benefit_recipients&year=2024&level=postcode`);
    await ready();
    assert.equal(await page.isVisible('#level-postcode'), true);
    assert.equal(await page.textContent('#level-postcode-label'), 'Postcodegebieden');
    assert.match(await page.textContent('#map-h'), /per postcodegebied, 2024/);
    assert.equal(await page.locator('#area-table tbody tr').count(), 260);
    // an indicator with municipal values only keeps the postcode level listed, disabled, with the reason
    const municipalOnly = catalogue.find((i) => i.id === 'lbm_class');
    assert.ok(!municipalOnly.levels.includes('postcode'));
    await page.goto(`${base}/?indicator=lbm_class&level=municipality`);
    await ready();
    assert.equal(await page.isDisabled('#level-postcode'), true);
    assert.equal(await page.getAttribute('#level-postcode', 'aria-describedby'), 'level-postcode-hint');
    assert.match(await page.textContent('#level-postcode-hint'), /^Postcodegebieden: niet voor deze indicator; wel voor /);
    // the Leefbaarometer class is published per municipality and not formed for Drenthe: no deviation view
    assert.equal(await page.isDisabled('#mode-deviation'), true);
    assert.match(await page.textContent('#mode-hint'), /per gebied gepubliceerd en niet voor Drenthe berekend/);
    const drenthe = (await (await page.request.get(`${base}/api/v1/observations?indicator=lbm_class&area=PV22&year=2016`)).json()).data[0];
    assert.equal(drenthe.missing, 'not_applicable');
    assert.equal(await page.locator('#area-table tbody tr').count(), 12);
  });

  await check('search without the server route (404): names still found, a postcode says it cannot be searched', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.route('**/api/v1/search?**', (route) => route.fulfill({
      status: 404, contentType: 'application/json',
      body: JSON.stringify({ ok: false, error: 'no route `/api/v1/search`; the API index is at /api/v1', errors: [], status: 404 }),
    }));
    const p = await ctx.newPage();
    const pageErrors = [];
    p.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await p.goto(`${base}/?lang=en&indicator=share_65_plus&level=municipality`);
      await dashboardReady(p);
      await p.fill('#search-input', '9401');
      await p.click('#search-button');
      await p.waitForSelector('#search-results p');
      assert.match(await p.textContent('#search-results'), /cannot search by postcode/);
      await p.fill('#search-input', 'Assen-Oost');
      await p.click('#search-button');
      await p.waitForSelector('#profile table');
      assert.match(await p.textContent('#profile-h'), /Assen-Oost/);
      assert.equal(new URL(p.url()).searchParams.get('level'), 'district');
      assert.deepEqual(pageErrors, []);
    } finally {
      await ctx.close();
    }
  });

  await check('projection: the profile of Emmen shows class, chart with band, pyramid and their tables; the scope switches to Oost-Drenthe', async () => {
    const api = (await (await page.request.get(`${base}/api/v1/projection/GM0114`)).json()).data;
    await page.goto(`${base}/?indicator=share_65_plus&level=municipality&area=GM0114`);
    await ready();
    await page.waitForSelector('#projection-table', { state: 'attached' });
    const cls = await page.textContent('#projection-class');
    const classWord = { krimp: 'krimpgebied', anticipeer: 'anticipeergebied', growth: 'groei', stable: 'stabiel' }[api.classification.medium.class];
    assert.match(cls, new RegExp(`Klasse van Emmen in 2040 \\(middenvariant\\): ${classWord}`));
    const nl0 = (v) => Math.round(v).toLocaleString('nl-NL').replace(/\u00a0/g, '.');
    assert.ok(cls.includes(nl0(api.classification.medium.population_to)), `${cls} has ${api.classification.medium.population_to}`);
    assert.equal(await page.locator('#projection-class-table tbody tr').count(), 3);
    assert.ok(await page.locator('#projection-chart canvas').count() >= 1, 'chart canvas');
    assert.equal(await page.getAttribute('#projection-chart .chart', 'aria-hidden'), 'true');
    assert.match(await page.textContent('#projection-chart figcaption'), /80%-interval/);
    assert.equal(await page.locator('#projection-pyramid svg rect').count(), 4 * api.pyramid.rows.length);
    // the tables sit in disclosures: reachable and opened by keyboard
    const summary = page.locator('#profile-projection details summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.ok(await page.isVisible('#projection-table'));
    assert.equal(await page.locator('#projection-table tbody tr').count(), api.series.length);
    assert.equal(await page.getAttribute('#projection-table >> xpath=..', 'tabindex'), '0');
    await page.locator('#profile-projection details summary').nth(1).focus();
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#pyramid-table tbody tr').count(), api.pyramid.rows.length);
    assert.deepEqual(await page.locator('#projection-scope option').evaluateAll((os) => os.map((o) => o.value)), ['GM0114', 'oost-drenthe', 'PV22']);
    await page.selectOption('#projection-scope', 'oost-drenthe');
    await page.waitForFunction(() => /Oost-Drenthe/.test(document.querySelector('#projection-class').textContent));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'projection-scope');
    assert.equal(q().get('area'), 'GM0114');
  });

  await check('projection: Drenthe opens from the search with its projection; a district shows none', async () => {
    await page.fill('#search-input', 'Drenthe');
    await page.click('#search-button');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('area') === 'PV22');
    await page.waitForSelector('#projection-class');
    assert.match(await page.textContent('#profile-h'), /^Drenthe$/);
    assert.match(await page.textContent('#projection-class'), /Klasse van Drenthe in 2040/);
    assert.deepEqual(await page.locator('#projection-scope option').evaluateAll((os) => os.map((o) => o.value)), ['PV22', 'oost-drenthe']);
    assert.equal(q().get('level'), 'municipality', 'the map keeps its level');
    await page.goto(`${base}/?indicator=share_65_plus&level=district&area=WK011401`);
    await ready();
    await page.waitForSelector('#profile table');
    await page.waitForLoadState('networkidle');
    assert.equal(await page.isHidden('#profile-projection'), true);
    assert.equal(await page.locator('#profile-projection *').count(), 0);
  });

  await check('neighbourhood level: offered, and disabled with the reason, for indicators without neighbourhood values', async () => {
    const catalogue = (await (await page.request.get(`${base}/api/v1/indicators`)).json()).data;
    const without = catalogue.find((i) => !i.levels.includes('neighbourhood'));
    const withIt = catalogue.filter((i) => i.levels.includes('neighbourhood'));
    // a deep link to an unavailable level falls back to one the indicator has
    await page.goto(`${base}/?indicator=${without.id}&level=neighbourhood`);
    await ready();
    assert.equal(q().get('level'), 'municipality');
    assert.equal(await page.isDisabled('#level-neighbourhood'), true);
    assert.equal(await page.textContent('#level-neighbourhood-label'), 'Buurten');
    assert.equal(await page.getAttribute('#level-neighbourhood', 'aria-describedby'), 'level-neighbourhood-hint');
    assert.ok(await page.isVisible('#level-neighbourhood-hint'));
    const hint = await page.textContent('#level-neighbourhood-hint');
    if (withIt.length) assert.match(hint, /^Buurten: niet voor deze indicator; wel voor /);
    else assert.equal(hint, 'Buurten: nog voor geen enkele indicator zijn er cijfers per buurt.');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.textContent('#level-neighbourhood-hint'), /^Neighbourhoods: /);
  });

  await check('neighbourhood level: choosing it draws every neighbourhood when the indicator has values there', async () => {
    // Until the server has neighbourhood values, the catalogue and the neighbourhood observations are
    // patched in this browser context (boundaries, map and table are the real ones).
    const catalogue = (await (await page.request.get(`${base}/api/v1/indicators`)).json()).data;
    const real = catalogue.find((i) => i.levels.includes('neighbourhood'));
    const ind = real || catalogue.find((i) => i.id === 'share_65_plus');
    const boundaries = (await (await page.request.get(`${base}/api/v1/boundaries?level=neighbourhood`)).json()).data.features;
    assert.ok(boundaries.length > 100, `${boundaries.length} neighbourhood boundaries`);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (!real) {
      await ctx.route('**/api/v1/indicators', async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        for (const i of body.data) if (i.id === ind.id) i.levels = [...i.levels, 'neighbourhood'];
        await route.fulfill({ response: res, json: body });
      });
      await ctx.route('**/api/v1/observations?**', async (route) => {
        const u = new URL(route.request().url());
        if (u.searchParams.get('level') !== 'neighbourhood') return route.continue();
        const year = Number(u.searchParams.get('year'));
        const data = boundaries.map((f, k) => ({ area: f.properties.code, area_name: f.properties.name, level: 'neighbourhood', year, indicator: ind.id,
          value: k % 7 === 0 ? null : 10 + (k % 23), missing: k % 7 === 0 ? 'secret' : null, method: 'recomputed', note: '', source_rows: [], parts: 0 }));
        await route.fulfill({ json: { ok: true, data, meta: { count: data.length, licence: 'CC BY 4.0', attribution: 'test' } } });
      });
    }
    const p = await ctx.newPage();
    const pageErrors = [];
    p.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await p.goto(`${base}/?indicator=${ind.id}&level=municipality`);
      await dashboardReady(p);
      assert.equal(await p.isDisabled('#level-neighbourhood'), false);
      assert.equal(await p.isHidden('#level-neighbourhood-hint'), true);
      // by keyboard: the level radios are one group; arrow keys move through it
      await p.focus('#level-district');
      await p.keyboard.press('ArrowRight');
      await p.waitForFunction(() => new URL(location.href).searchParams.get('level') === 'neighbourhood');
      await dashboardReady(p);
      await p.waitForFunction((n) => document.querySelectorAll('#map path[data-code^="BU"]').length === n, boundaries.length);
      assert.equal(await p.locator('#area-table tbody tr').count(), boundaries.length);
      assert.ok(await p.locator('#area-table thead button[data-sort="parentName"]').count() === 1, 'a district column');
      assert.match(await p.textContent('#map-h'), /per buurt/);
      assert.ok((await p.locator('#legend li').count()) >= 2, 'legend classes');
      const code = boundaries[1].properties.code;
      assert.match(await p.getAttribute(`#map path[data-code="${code}"]`, 'aria-label'), /\d/);
      await p.reload();
      await dashboardReady(p);
      assert.ok(await p.isChecked('#level-neighbourhood'));
      assert.deepEqual(pageErrors, []);
    } finally {
      await ctx.close();
    }
  });

  await check('facility layer (Bereikbaarheid): checkboxes draw named, focusable circle markers above the map; state in the URL', async () => {
    await page.goto(`${base}/?view=bereikbaarheid&level=municipality`);
    await ready();
    assert.match(q().get('indicator'), /^reach_/, 'a reach indicator on the map');
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
  for (const [path, lang, h1] of [
    ['/burgerpanel', 'nl', /Leefbaarheid/], ['/burgerpanel?lang=en', 'en', /Livability/],
    ['/factsheet/GM0114', 'nl', /^Emmen/], ['/factsheet/GM0114?lang=en', 'en', /^Emmen/], ['/factsheet/WK010601', 'nl', /\S/],
  ]) {
    await check(`${path}: renders without JavaScript (one h1, lang ${lang}, a table)`, async () => {
      const res = await plain.goto(base + path);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/html/);
      assert.equal(await plain.getAttribute('html', 'lang'), lang);
      assert.equal(await plain.locator('h1').count(), 1);
      assert.match(await plain.textContent('h1'), h1);
      assert.ok(await plain.locator('table caption').count() >= 1, 'captioned tables');
    });
  }
  await nojs.close();
} finally {
  await browser.close();
}
if (errors.length) { results.failed++; console.log(`FAIL no page errors: ${errors.join(' | ')}`); } else { results.passed++; console.log('ok   no page errors'); }
console.log(`smoke: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
