import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { generateExtensionSampleEvents, WORD_COUNT_COMMANDS, type ExtensionSampleEvent } from '../shared/sample-extension-data.ts';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS } from '../scripts/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where the demo's screenshots are written, for a person to look at. */
const SCREENSHOTS = join(root, 'dist', 'screenshots');

/** Runs `npm start`'s script and resolves to the URL it prints. */
function startDemo(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], { cwd: root, env: { ...process.env, PORT: '18080' } });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /http:\/\/localhost:\d+\//.exec(output)?.[0];
      if (url) resolve({ child, url });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** The status of every widget the dashboard laid out, once none is loading. */
async function widgetStates(page: Page): Promise<string[]> {
  await page.waitForFunction(
    () => {
      const widgets = [...document.querySelector('fp-dashboard')!.shadowRoot!.querySelectorAll('[status]')];
      return widgets.length > 0 && widgets.every((w) => w.getAttribute('status') !== 'loading');
    },
    { timeout: 120_000 },
  );
  return page.$eval('fp-dashboard', (d) => [...d.shadowRoot!.querySelectorAll('[status]')].map((w) => `${w.localName}:${w.getAttribute('status')}`));
}

/** "Your own usage": the visitor's last events as listed, newest first, as [event, what it was about]. */
function ownEvents(page: Page): Promise<string[][]> {
  return page.$$eval('#own-events li', (items) => items.map((li) => [li.querySelector('code')!.textContent!, li.querySelector('.what')!.textContent!]));
}

/** The funnel's first two columns (step and users), from its hidden table. */
function funnelRows(page: Page): Promise<string[][]> {
  return page.evaluate(() =>
    [...document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel')!.shadowRoot!.querySelectorAll('table.visually-hidden tbody tr')].map((row) =>
      [...row.querySelectorAll('th, td')].slice(0, 2).map((cell) => cell.textContent!.trim()),
    ),
  );
}

/** The "Extension authors" view's widgets, once none is loading: `label: status`. */
async function authorWidgetStates(page: Page): Promise<string[]> {
  const selector = '#author-dashboard [status]';
  await page.waitForFunction((s) => [...document.querySelectorAll(s)].every((w) => w.getAttribute('status') !== 'loading'), { timeout: 120_000 }, selector);
  return page.$$eval(selector, (widgets) => widgets.map((w) => `${w.getAttribute('label')}: ${w.getAttribute('status')}`));
}

/** A widget's data table (the hidden table screen readers and the CSV read), as rows of cell texts, header first. */
function dataTable(page: Page, selector: string): Promise<string[][]> {
  return page.$eval(selector, (widget) =>
    [...widget.shadowRoot!.querySelectorAll('table.visually-hidden tr')].map((row) => [...row.children].map((cell) => cell.textContent!.trim())),
  );
}

/** A column of a data table, by its header, keyed by each row's first cell. */
function column(table: string[][], header: string): Record<string, string> {
  const index = table[0]!.indexOf(header);
  if (index < 0) throw new Error(`no column "${header}" in ${JSON.stringify(table[0])}`);
  return Object.fromEntries(table.slice(1).map((row) => [row[0]!, row[index]!]));
}

/** `YYYY-MM-DD` of an instant in this machine's time zone, the panel's and the demo server's. */
function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Distinct installations per local day among `events`. */
function usersPerDay(events: readonly ExtensionSampleEvent[]): Map<string, number> {
  const days = new Map<string, Set<string>>();
  for (const event of events) {
    const day = localDate(event.timestamp);
    if (!days.has(day)) days.set(day, new Set());
    days.get(day)!.add(event.user_id);
  }
  return new Map([...days].map(([day, users]) => [day, users.size]));
}

/** A button inside an element's shadow root, by its text. */
async function shadowButton(page: Page, host: string, text: string): Promise<ElementHandle<HTMLButtonElement>> {
  const handle = await page.evaluateHandle(
    (selector, label) => [...document.querySelector(selector)!.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === label) ?? null,
    host,
    text,
  );
  const button = handle.asElement() as ElementHandle<HTMLButtonElement> | null;
  if (!button) throw new Error(`no button "${text}" in ${host}`);
  return button;
}

describe('npm start: the demo admin panel', function () {
  this.timeout(240_000);
  let demo: { child: ChildProcess; url: string };
  let browser: Browser | undefined;

  before(async () => {
    demo = await startDemo();
    browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    demo?.child.kill();
  });

  it('builds dist/footprint.js, which runs in plain Node with no options', async () => {
    const { buildCore } = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as { buildCore: () => Promise<void> };
    await buildCore();
    const { openStore } = (await import(pathToFileURL(join(root, 'dist/footprint.js')).href)) as typeof import('../shared/index.ts');
    const store = await openStore({ now: () => Date.UTC(2026, 10, 28, 12) });
    const report = await store.ingest([
      { event: 'open', user_id: 'a', timestamp: '2026-11-28T09:00:00Z' },
      { event: 'open', user_id: 'b', timestamp: '2026-11-27T09:00:00Z' },
    ]);
    expect(report).to.deep.equal({ accepted: 2, duplicates: 0, rejected: [], ignoredFields: [] });
    const trend = await store.query({ kind: 'trend', math: 'users', periods: 2, to: '2026-11-28' });
    expect(trend.series[0]!.points.map((p) => p.value)).to.deep.equal([1, 1]);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`shows every widget on the sample data from the demo's Footprint server, ${theme} theme (screenshot in dist/screenshots)`, async () => {
      const page = await browser!.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(demo.url);
      const states = await widgetStates(page);
      expect(states).to.deep.equal([
        'fp-kpi:ready', 'fp-kpi:ready', 'fp-kpi:ready', 'fp-kpi:ready', 'fp-trend:ready', 'fp-sessions:ready', 'fp-stickiness:ready',
        'fp-retention:ready', 'fp-lifecycle:ready', 'fp-segments:ready', 'fp-funnel-steps:ready', 'fp-funnel:ready', 'fp-errors:ready', 'fp-paths:ready',
        'fp-adoption:ready', 'fp-friction:ready',
      ]);
      expect(errors).to.deep.equal([]);
      // The widgets ask the server: no data file and no store worker (only "Your own usage" runs sql.js in the page).
      expect(await page.$eval('fp-source', (s) => s.getAttribute('endpoint'))).to.equal(`${demo.url}v1`);
      expect(await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((name) => /footprint-store|\.ndjson|\.sqlite/.test(name)))).to.deep.equal([]);
      // A first visit: the consent banner asks (the screenshot shows it at the bottom).
      await page.waitForFunction(() => document.querySelector('#consent-banner')?.getAttribute('consent') === 'pending', { timeout: 60_000 });
      expect(await page.$eval('#consent-banner', (b) => getComputedStyle(b).display)).to.equal('block');
      await page.screenshot({ path: join(SCREENSHOTS, `demo-${theme}.png`) });
      await page.close();
    });
  }

  it("asks for consent, then lists the visitor's own clicks in \"Your own usage\", across a reload, until they switch it off", async () => {
    // A fresh profile: no choice stored by the other tests.
    const context = await browser!.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(demo.url);
    await widgetStates(page);
    await page.waitForFunction(() => document.querySelector('#consent-banner')?.getAttribute('consent') === 'pending', { timeout: 60_000 });
    expect(await page.$eval('#own-status', (s) => s.textContent)).to.equal('Nothing is recorded until you allow it in the banner at the bottom of the page.');
    expect(await ownEvents(page)).to.deep.equal([]);

    await (await shadowButton(page, '#consent-banner', 'Allow')).click();
    await page.waitForFunction(() => document.querySelector('#consent-banner')!.getAttribute('consent') === 'granted');
    expect(await page.$eval('#consent-banner', (b) => getComputedStyle(b).display)).to.equal('none');
    await (await shadowButton(page, 'fp-dashboard', '7 days')).click();
    await page.waitForFunction(() => document.querySelectorAll('#own-events li').length === 2, { timeout: 30_000 });
    // Recording starts with a page view; the click on Allow itself came before consent and is not recorded.
    expect(await ownEvents(page)).to.deep.equal([
      ['$click', 'button "7 days"'],
      ['$pageview', 'Acme Reports · usage (Footprint demo)'],
    ]);
    await page.waitForFunction(() => document.querySelector('#own-trend')!.getAttribute('status') === 'ready', { timeout: 30_000 });

    // Kept in IndexedDB: a reload reads them back, and records its own page view.
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('#own-events li').length === 3, { timeout: 60_000 });
    expect(await ownEvents(page)).to.deep.equal([
      ['$pageview', 'Acme Reports · usage (Footprint demo)'],
      ['$click', 'button "7 days"'],
      ['$pageview', 'Acme Reports · usage (Footprint demo)'],
    ]);
    expect(await page.$eval('#consent-banner', (b) => getComputedStyle(b).display)).to.equal('none');

    // Off with the panel's switch, "Also delete what was recorded on this device" checked by default.
    const toggle = await page.evaluateHandle(() => document.querySelector('#own-consent')!.shadowRoot!.querySelector('[role="switch"]')!);
    await (toggle.asElement() as ElementHandle<HTMLButtonElement>).click();
    await page.waitForFunction(() => document.querySelectorAll('#own-events li').length === 0 && document.querySelector('#own-consent')!.getAttribute('consent') === 'denied', { timeout: 30_000 });
    expect(await page.$eval('#own-status', (s) => s.textContent)).to.equal('Recording is off: nothing is recorded about you.');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#own-consent')?.getAttribute('consent') === 'denied', { timeout: 60_000 });
    expect(await ownEvents(page)).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it("sends nothing from the shop before consent; after Allow, its clicks show in the admin panel within 5 s, exactly", async () => {
    const admin = await browser!.newPage();
    await admin.goto(demo.url);
    await widgetStates(admin);
    await admin.waitForFunction(() => document.querySelector('#shop-trend')!.getAttribute('status') === 'empty', { timeout: 30_000 });
    /** Every event the server keeps, counted with a token from the demo's backend, as the panel gets one. */
    const stored = (): Promise<number> =>
      admin.evaluate(async () => {
        const { token } = (await (await fetch('./demo/token')).json()) as { token: string };
        const answer = await fetch('./v1/query', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ kind: 'events', from: '1970-01-01', to: '2999-12-31', limit: 1 }) });
        return ((await answer.json()) as { total: number }).total;
      });
    const before = await stored();

    const visitor = await browser!.createBrowserContext();
    const shop = await visitor.newPage();
    // A person's browser: the server drops what headless Chromium's User-Agent sends, as a bot's.
    await shop.setUserAgent((await browser!.userAgent()).replace('HeadlessChrome', 'Chrome'));
    await shop.goto(`${demo.url}shop.html`);
    await shop.waitForFunction(() => document.querySelector('#consent')?.getAttribute('consent') === 'pending', { timeout: 30_000 });
    await shop.click('button[data-plan="team"]');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await stored()).to.equal(before);
    expect(await shop.$eval('#status', (s) => s.textContent)).to.equal('Not recorded: recording is off until you allow it.');

    await (await shadowButton(shop, '#consent', 'Allow')).click();
    await shop.waitForFunction(() => document.querySelector('#consent')!.getAttribute('consent') === 'granted');
    const clicked = Date.now();
    for (const plan of ['pro', 'team', 'pro']) await shop.click(`button[data-plan="${plan}"]`);
    await admin.waitForFunction(
      () => {
        const rows = [...document.querySelector('#shop-trend')!.shadowRoot!.querySelectorAll('table.visually-hidden tr')].map((row) => [...row.children].map((cell) => cell.textContent!.trim()));
        const [header, ...periods] = rows;
        // No named functions in here: tsx would wrap them in a helper the page does not have.
        const [pro, team] = ['pro', 'team'].map((series) => periods.reduce((sum, row) => sum + Number(row[header!.indexOf(series)] ?? 0), 0));
        return header !== undefined && header.includes('pro') && header.includes('team') && pro === 2 && team === 1;
      },
      { timeout: 15_000 },
    );
    expect(Date.now() - clicked, 'milliseconds from the clicks to the admin panel').to.be.below(5_000);
    // Exactly what the visitor did after allowing: a page view, three clicks and three plan_selected events.
    expect(await stored()).to.equal(before + 7);
    await visitor.close();
    await admin.close();
  });

  it('shows an extension author\'s view (#extension) of the word-count project, every widget with the numbers the generator gives', async () => {
    const page = await browser!.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${demo.url}#extension`);
    expect(await authorWidgetStates(page)).to.deep.equal([
      'Daily users: ready',
      'Commands: adoption and time to adopt: ready',
      'Sessions by platform (windows the extension ran in): ready',
      'Weekly retention of new installations: ready',
      'Users by extension version: ready',
      'Errors by extension version: ready',
      'Errors: the most frequent: ready',
      'Sessions: how long a window stays open: ready',
    ]);
    expect(await page.$eval('#tab-extension', (tab) => tab.getAttribute('aria-selected'))).to.equal('true');
    expect(await page.$eval('#view-shop', (panel) => (panel as HTMLElement).hidden)).to.equal(true);
    expect(await page.$eval('#author-source', (s) => [s.getAttribute('endpoint'), s.getAttribute('project')])).to.deep.equal([`${demo.url}v1`, 'word-count']);

    // The demo's backend mints tokens for its two projects only.
    const refused = await fetch(`${demo.url}demo/token?project=other`);
    expect([refused.status, ((await refused.json()) as { error: string }).error]).to.deep.equal([400, "project: must be 'demo' or 'word-count', got 'other'"]);

    // The same events as the server's, generated again here; the panel's range is its 90 days, up to now.
    const { sampleEnd } = (await (await fetch(`${demo.url}demo/config`)).json()) as { sampleEnd: number };
    const { from, to } = await page.$eval('#author-dashboard', (d) => (d as Element & { dates: { from: string; to: string } }).dates);
    const [y, m, d] = from.split('-').map(Number) as [number, number, number];
    const start = new Date(y, m - 1, d).getTime();
    const all = generateExtensionSampleEvents({ end: sampleEnd });
    const inRange = all.filter((e) => e.timestamp >= start);
    const count = (test: (e: ExtensionSampleEvent) => boolean): number => inRange.filter(test).length;

    // Daily users: every day of the range.
    const daily = column(await dataTable(page, '#author-dashboard fp-trend[label="Daily users"]'), 'all');
    expect(Object.keys(daily)).to.have.length(90);
    expect(Object.keys(daily)[89]).to.equal(to);
    const perDay = usersPerDay(inRange);
    expect(daily).to.deep.equal(Object.fromEntries(Object.keys(daily).map((day) => [day, String(perDay.get(day) ?? 0)])));

    // Each command's adopters: the installations that ran it in the range.
    const adopters = column(await dataTable(page, '#author-dashboard fp-adoption'), 'Adopters');
    expect(adopters).to.deep.equal(
      Object.fromEntries(WORD_COUNT_COMMANDS.map((command) => [command, new Set(inRange.filter((e) => e.event === command).map((e) => e.user_id)).size.toLocaleString('en-US')])),
    );

    // Sessions on Windows: each window's session.start.
    const platforms = await dataTable(page, '#author-dashboard fp-trend[breakdown="platform"]');
    const windows = Object.values(column(platforms, 'win32')).reduce((sum, value) => sum + Number(value), 0);
    expect(windows).to.equal(count((e) => e.event === 'session.start' && e.properties.platform === 'win32'));

    // Retention: the second cohort (the first whole week of the range) is the installations first seen that week.
    const retention = await dataTable(page, '#author-retention');
    const cohort = retention[2]![0]!;
    const [cy, cm, cd] = cohort.split('-').map(Number) as [number, number, number];
    const firstSeen = new Map<string, number>();
    for (const e of all) if (!firstSeen.has(e.user_id)) firstSeen.set(e.user_id, e.timestamp);
    const weekStart = new Date(cy, cm - 1, cd).getTime();
    const weekEnd = new Date(cy, cm - 1, cd + 7).getTime();
    expect(Number(column(retention, 'Size')[cohort])).to.equal([...firstSeen.values()].filter((t) => t >= weekStart && t < weekEnd).length);

    // Users by extension version, yesterday; errors of 1.1.0, the buggy one, over the range.
    const yesterday = Object.keys(daily)[88]!;
    const versions = await dataTable(page, '#author-dashboard fp-trend[label="Users by extension version"]');
    const ofYesterday = inRange.filter((e) => localDate(e.timestamp) === yesterday);
    for (const version of ['1.1.0', '1.2.0']) {
      expect(column(versions, version)[yesterday], version).to.equal(String(new Set(ofYesterday.filter((e) => e.properties.extension_version === version).map((e) => e.user_id)).size));
    }
    const errorsByVersion = await dataTable(page, '#author-dashboard fp-trend[label="Errors by extension version"]');
    const buggy = Object.values(column(errorsByVersion, '1.1.0')).reduce((sum, value) => sum + Number(value), 0);
    expect(buggy).to.equal(count((e) => e.event === '$error' && e.properties.extension_version === '1.1.0'));
    expect(buggy).to.be.above(count((e) => e.event === '$error') / 2);

    // The errors and sessions widgets' totals.
    expect(column(await dataTable(page, '#author-dashboard fp-errors'), 'Errors')['All errors']).to.equal(count((e) => e.event === '$error').toLocaleString('en-US'));
    const sessions = new Map<string, number>();
    for (const e of all) if (!sessions.has(e.session_id)) sessions.set(e.session_id, e.timestamp);
    const begun = [...sessions.values()].filter((t) => t >= start).length;
    expect(column(await dataTable(page, '#author-dashboard fp-sessions'), 'Value')['Sessions']).to.equal(begun.toLocaleString('en-US'));

    expect(errors).to.deep.equal([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'demo-extension-authors.png'), fullPage: true });

    // The tabs: arrow keys move between the views, and the URL follows.
    await page.focus('#tab-extension');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => location.hash === '#shop' && !document.querySelector<HTMLElement>('#view-shop')!.hidden && document.querySelector<HTMLElement>('#view-extension')!.hidden);
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('tab-shop');
    await page.goBack();
    await page.waitForFunction(() => location.hash === '#extension' && !document.querySelector<HTMLElement>('#view-extension')!.hidden);
    await page.close();
  });

  it('follows the range bar: 7 days give the trend 7 points', async () => {
    const page = await browser!.newPage();
    await page.goto(demo.url);
    await widgetStates(page);
    await page.evaluate(() => {
      const bar = document.querySelector('fp-dashboard')!.shadowRoot!;
      [...bar.querySelectorAll('button')].find((b) => b.textContent === '7 days')!.click();
    });
    await page.waitForFunction(() => {
      const trend = document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-trend')!;
      return trend.getAttribute('status') === 'ready' && trend.shadowRoot!.querySelectorAll('table.visually-hidden tbody tr').length === 7;
    }, { timeout: 60_000 });
    await page.close();
  });

  it("shows a visitor's own file instead of the sample data, with a funnel of steps picked from its events", async () => {
    const page = await browser!.newPage();
    await page.goto(demo.url);
    await widgetStates(page);
    // The fixture's events are of 26..28 November 2026: a range that holds them whatever the day.
    await page.$eval('fp-dashboard', (d) => d.setAttribute('to', '2026-11-28'));
    const input = (await page.$('#file')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(join(root, 'test/widgets/fixtures/events.ndjson'));
    // The fixture holds 5 events; the file is read in the page from a Blob URL, never uploaded.
    await page.waitForFunction(
      () => document.querySelector('fp-source')!.getAttribute('src')?.startsWith('blob:') && document.querySelector('fp-source')!.shadowRoot!.textContent!.trim() === 'Loaded 5 events',
      { timeout: 60_000 },
    );
    expect(await page.$eval('fp-dashboard', (d) => d.getAttribute('range'))).to.equal('90d');

    // The sample's steps are not in the file: no funnel until the visitor picks its steps from the file's events.
    await page.waitForFunction(() => document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel-steps')?.value.length === 0 && document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel-steps')!.status === 'ready', { timeout: 60_000 });
    expect(await page.evaluate(() => document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel'))).to.equal(null);
    const add = async (): Promise<ElementHandle<HTMLSelectElement>> =>
      (await page.evaluateHandle(() => document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel-steps')!.shadowRoot!.querySelector('select')!)).asElement() as ElementHandle<HTMLSelectElement>;
    expect(await (await add()).evaluate((select) => [...select.options].map((option) => option.textContent!.trim()))).to.deep.equal(['First step…', 'open (3 users)', 'save (1 user)']);
    await (await add()).select('open');
    await (await add()).select('save');
    await page.waitForFunction(() => document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel')?.getAttribute('status') === 'ready', { timeout: 60_000 });
    // c opened after saving: only a step in order counts.
    expect(await funnelRows(page)).to.deep.equal([['1. open', '3'], ['2. save', '0']]);

    // Back to the sample data: its own steps again.
    await page.select('#data', 'sample');
    await page.waitForFunction(() => document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel-steps')?.value.length === 4, { timeout: 60_000 });
    expect(await page.evaluate(() => document.querySelector('fp-dashboard')!.shadowRoot!.querySelector('fp-funnel-steps')!.value)).to.deep.equal(['signup', 'onboarding_completed', 'project_created', 'invite_sent']);
    await page.close();
  });
});
