// The built widgets bundle in Chromium: a page holding only the script tag and
// <fp-source sample> reaches `ready` and answers queries through the store
// worker, footprint-store.js beside the bundle.
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGE = '<!doctype html>\n<script type="module" src="footprint-widgets.js"></script>\n<fp-source sample></fp-source>\n';

type BuildWidgets = (outDir?: string) => Promise<{ file: string; storeFile: string; bytes: number; gzipped: number }>;
type ServeFolder = (folder: string, port?: number) => Promise<{ server: Server; url: string }>;

describe('dist/footprint-widgets.js: one script tag', function () {
  this.timeout(180_000);
  let folder: string;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let url: string;

  before(async () => {
    // Built into a folder of its own (as `node esbuild.config.mjs` builds dist/), so parallel builds of dist/ do not interfere.
    folder = mkdtempSync(join(tmpdir(), 'footprint-widgets-'));
    const { buildWidgets } = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as { buildWidgets: BuildWidgets };
    const { serveFolder } = (await import(pathToFileURL(join(root, 'scripts/serve.mjs')).href)) as { serveFolder: ServeFolder };
    const built = await buildWidgets(folder);
    expect(built.file).to.equal(join(folder, 'footprint-widgets.js'));
    expect(built.gzipped).to.be.greaterThan(0).and.lessThan(built.bytes);
    // The size budget of a script tag: 110 KB gzipped, the store and the wasm beside it not counted. Sixteen
    // elements with their charts; Chart.js's core (tree-shaken to the controllers the widgets register) is over
    // half of it. A page that wants less imports single elements from footprint/widgets/fp-* with a bundler.
    expect(built.gzipped).to.be.lessThan(110_000);
    writeFileSync(join(folder, 'index.html'), PAGE);
    ({ server, url } = await serveFolder(folder, 18180));
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('has the store and sql-wasm.wasm beside it', () => {
    expect(existsSync(join(folder, 'sql-wasm.wasm'))).to.equal(true);
    expect(existsSync(join(folder, 'footprint-store.js'))).to.equal(true);
  });

  it('loads the sample data in the store worker and answers queries', async () => {
    browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (message) => {
      // Failed requests are reported with their URL below.
      if ((message.type() === 'error' || message.type() === 'warn') && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      // The browser asks for a favicon by itself; the page has none.
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.url()}: HTTP ${response.status()}`);
    });
    // Records the workers the page starts.
    await page.evaluateOnNewDocument(() => {
      const RealWorker = window.Worker;
      const urls: string[] = [];
      (window as unknown as { workerUrls: string[] }).workerUrls = urls;
      window.Worker = class extends RealWorker {
        constructor(scriptUrl: string | URL, options?: WorkerOptions) {
          super(scriptUrl, options);
          urls.push(String(scriptUrl));
        }
      };
    });
    await page.goto(url);
    await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('fp-source')?.status ?? ''), { timeout: 150_000, polling: 250 });
    const outcome = await page.evaluate(async () => {
      const el = document.querySelector('fp-source')!;
      const source = await el.ready();
      // (No named functions in here: tsx would wrap them in a helper the page does not have.)
      const now = Date.now();
      const from = new Date(now - 91 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(now).toISOString().slice(0, 10);
      // The sample covers the 90 days ending now; every one of its 2,000 users is active in them.
      const stickiness = (await source.query({ kind: 'stickiness', interval: 'day', from, to })) as { buckets: { users: number | null }[] };
      const all = (await source.query({ kind: 'events', from: '2000-01-01', to: '2100-12-31', limit: 1 })) as { total: number };
      let specError: unknown;
      try {
        await source.query({ kind: 'trend', from: '2026-02-30' } as never);
      } catch (error) {
        specError = { name: (error as Error).name, field: (error as { field?: string }).field, message: (error as Error).message };
      }
      await el.updateComplete;
      return {
        status: el.status,
        users: stickiness.buckets.reduce((sum, bucket) => sum + (bucket.users ?? 0), 0),
        total: all.total,
        report: el.report,
        statusLine: el.shadowRoot!.querySelector('[part=status]')!.textContent!.trim(),
        workers: (window as unknown as { workerUrls: string[] }).workerUrls,
        specError,
      };
    });
    expect(problems).to.deep.equal([]);
    expect(outcome.status).to.equal('ready');
    expect(outcome.users).to.equal(2000);
    const accepted = outcome.report!.accepted;
    expect(outcome.report).to.deep.equal({ accepted, duplicates: 0, rejected: [], ignoredFields: [] });
    expect(outcome.total).to.equal(accepted);
    expect(outcome.statusLine).to.equal(`Loaded ${accepted.toLocaleString('en-US')} events`);
    expect(outcome.workers.length).to.equal(1);
    expect(outcome.workers[0]).to.match(/^http:\/\/localhost:\d+\/footprint-store\.js$/);
    expect(outcome.specError).to.deep.equal({ name: 'SpecError', field: 'from', message: "from: not a calendar date: '2026-02-30'" });
  });

  it('renders examples/index.html, a page of nothing but the script tag and elements, from a plain file server', async () => {
    copyFileSync(join(root, 'examples/index.html'), join(folder, 'example.html'));
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${url}example.html`);
    await page.waitForFunction(() => {
      const widgets = [...document.querySelectorAll('[status]')];
      return widgets.length === 6 && widgets.every((w) => w.getAttribute('status') !== 'loading');
    }, { timeout: 120_000 });
    const states = await page.$$eval('[status]', (widgets) => widgets.map((w) => `${w.localName}:${w.getAttribute('status')}`));
    expect(states).to.deep.equal(['fp-kpi:ready', 'fp-kpi:ready', 'fp-kpi:ready', 'fp-trend:ready', 'fp-funnel:ready', 'fp-retention:ready']);
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
