import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

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

describe('npm start: the built core and the demo page', function () {
  this.timeout(180_000);
  let demo: { child: ChildProcess; url: string };
  let browser: Browser | undefined;

  before(async () => {
    demo = await startDemo();
  });

  after(async () => {
    await browser?.close();
    demo?.child.kill();
  });

  it('builds dist/footprint.js, which runs in plain Node with no options', async () => {
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

  it('shows the sample data in Chromium and answers a change of range', async () => {
    browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROME_ARGS });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(demo.url);
    await page.waitForFunction(() => /Queries answered|failed|Could not/.test(document.querySelector('#status')?.textContent ?? ''), { timeout: 120_000 });
    const status = await page.$eval('#status', (el) => el.textContent ?? '');
    expect(status).to.match(/^Sample data: [\d,]+ events from 2,000 users over 90 days/);
    expect(errors).to.deep.equal([]);
    const kpis = await page.$$eval('section:first-of-type .kpi', (nodes) => nodes.map((n) => [n.querySelector('span')!.textContent, Number(n.querySelector('strong')!.textContent!.replace(/[,%]/g, ''))]));
    expect(kpis.map(([label]) => label)).to.deep.equal(['Active users', 'Events', 'Sessions', 'WAU today', 'MAU today', 'DAU / MAU today', 'Error-free sessions']);
    for (const [label, value] of kpis) expect(value, String(label)).to.be.greaterThan(0);
    // Every kind answered: a panel per kind, each with rows.
    const titles = await page.$$eval('section h2', (nodes) => nodes.map((n) => n.textContent));
    for (const title of ['Weekly retention (recurring, last 8 weeks)', 'Activation funnel (7-day window)', 'Feature adoption', 'Paths from a page view', 'Errors', 'Friction', 'Segments']) {
      expect(titles).to.include(title);
    }
    expect(await page.$$eval('section', (sections) => sections.filter((s) => s.querySelector('tbody tr td')?.textContent === 'No data in this range').length)).to.equal(0);
    // The default range is 30 days: one activity row per day.
    expect(await page.$$eval('section:nth-of-type(2) tbody tr', (rows) => rows.length)).to.equal(30);
    await page.select('select[name=days]', '7');
    await page.waitForFunction(() => document.querySelectorAll('section:nth-of-type(2) tbody tr').length === 7, { timeout: 60_000 });
  });
});
