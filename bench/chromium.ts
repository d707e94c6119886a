import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error: a plain .mjs build script without types; buildWidgets(outDir) bundles the widgets, buildDemo(outDir) the page of `npm start`.
import { buildDemo, buildWidgets } from '../esbuild.config.mjs';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
// @ts-expect-error: plain .mjs helpers without types.
import { serveFolder } from '../scripts/serve.mjs';
import { FUNNEL_STEPS } from './config.ts';
import { roundMs, type ResultRow } from './result.ts';
import { median } from './timing.ts';

/**
 * The demo dashboard over the benchmark's data, range fixed to the data's
 * 90 days: no `src` yet, so the page measures from the moment it gives one.
 */
function page(to: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Footprint benchmark</title><link rel="icon" href="data:,">
<script type="module" src="footprint-widgets.js"></script></head>
<body><fp-source id="data" timezone="UTC"><fp-dashboard label="Benchmark" range="90d" to="${to}" funnel="${FUNNEL_STEPS.join(', ')}"></fp-dashboard></fp-source></body></html>`;
}

/**
 * One page load: ms until fp-source has the data, then until the first and
 * until every widget of the dashboard has its answer rendered; and the
 * events fp-source ingested (none when it opened a store file).
 */
interface Load {
  loadMs: number;
  firstMs: number;
  renderMs: number;
  widgets: number;
  events: number;
}

/**
 * Runs in the page: gives the first fp-source the file `src`, waits for
 * `fp-source-change`, then for every widget of the dashboard to leave
 * `loading`, checking once a frame (so times are to a frame). With `src`
 * null the page loads its own data: times then count from the start of the
 * page's navigation, where `performance.now()` starts.
 */
async function loadInPage(src: string | null): Promise<Load | string> {
  await customElements.whenDefined('fp-dashboard');
  const source = document.querySelector('fp-source') as HTMLElement & { src?: string; report?: { accepted: number } };
  const dashboard = document.querySelector('fp-dashboard') as HTMLElement & { updateComplete: Promise<unknown> };
  await dashboard.updateComplete;
  let start = 0;
  let loadedAt = 0;
  if (src !== null) {
    start = performance.now();
    const loaded = new Promise<number>((resolve, reject) => {
      source.addEventListener('fp-source-change', () => resolve(performance.now()), { once: true });
      source.addEventListener('fp-source-error', (e) => reject(new Error((e as CustomEvent<{ message: string }>).detail.message)), { once: true });
    });
    source.src = src;
    loadedAt = await loaded;
  }
  type Widget = HTMLElement & { status: string; updateComplete: Promise<unknown> };
  const widgets = [...dashboard.shadowRoot!.querySelectorAll('*')].filter((el) => el.localName.startsWith('fp-')) as Widget[];
  let firstAt: number | undefined;
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const answered = widgets.filter((w) => w.status !== 'loading').length;
    if (answered > 0) firstAt ??= performance.now();
    if (answered === widgets.length) break;
  }
  await Promise.all(widgets.map((w) => w.updateComplete));
  const failed = widgets.filter((w) => w.status === 'error').map((w) => w.localName);
  if (failed.length) return `widgets failed: ${failed.join(', ')}`;
  return { loadMs: loadedAt - start, firstMs: firstAt! - loadedAt, renderMs: performance.now() - loadedAt, widgets: widgets.length, events: source.report?.accepted ?? 0 };
}

/** Opens `url` in a new tab `1 + warm` times and runs loadInPage there; the cold load first, then the warm ones. */
async function loads(browser: Browser, url: string, src: string | null, warm: number): Promise<Load[]> {
  const all: Load[] = [];
  for (let i = 0; i <= warm; i++) {
    const tab = await browser.newPage();
    await tab.goto(url, { waitUntil: 'domcontentloaded' });
    const load = await tab.evaluate(loadInPage, src);
    await tab.close();
    if (typeof load === 'string') throw new Error(`Chromium, ${url}: ${load}`);
    all.push(load);
  }
  return all;
}

/** The median of `pick` over the warm loads (the cold one when there are none), rounded. */
function medianOf(all: readonly Load[], pick: (load: Load) => number): number {
  return roundMs(median((all.length > 1 ? all.slice(1) : all).map(pick)));
}

/**
 * The demo dashboard in Chromium on `file` (a store exported by sql.js):
 * time for fp-source to open it, then from its `fp-source-change` to the
 * first and to every widget rendered. Then the page of `npm start`, from
 * the start of its load to every widget rendered on its own sample data.
 * One cold page load of each, then `warm` more; medians.
 */
export async function benchChromium(file: Uint8Array, events: number, to: string, warm: number): Promise<{ version: string; rows: ResultRow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-bench-page-'));
  let server: Server | undefined;
  const browser = await puppeteer.launch({ executablePath: (findChromium() as string | undefined) ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    await buildWidgets(dir);
    writeFileSync(join(dir, 'index.html'), page(to));
    writeFileSync(join(dir, 'events.sqlite'), file);
    const served = (await serveFolder(dir, 8300)) as { server: Server; url: string };
    server = served.server;
    const bench = await loads(browser, served.url, 'events.sqlite', warm);
    const widgets = bench[0]!.widgets;
    await buildDemo(join(dir, 'demo'));
    const sample = await loads(browser, `${served.url}demo/`, null, warm);
    return {
      version: await browser.version(),
      rows: [
        { engine: 'chromium', events, task: 'load', ms: medianOf(bench, (l) => l.loadMs), note: `fp-source src set to the ${(file.length / 1e6).toFixed(0)} MB SQLite file until fp-source-change (download and open)` },
        { engine: 'chromium', events, task: 'first widget', ms: medianOf(bench, (l) => l.firstMs), note: `fp-source-change to the first of the ${widgets} widgets of fp-dashboard rendered` },
        { engine: 'chromium', events, task: 'dashboard', ms: medianOf(bench, (l) => l.renderMs), note: `fp-source-change to all ${widgets} widgets of fp-dashboard rendered (range 90 days, interval day)` },
        {
          engine: 'chromium',
          events: sample[0]!.events,
          task: 'npm start sample',
          ms: medianOf(sample, (l) => l.renderMs),
          note: `the page of \`npm start\` (widgets/demo/), from the start of its load to all ${sample[0]!.widgets} widgets of its fp-dashboard rendered, on the built-in sample data it generates and ingests`,
        },
      ],
    };
  } finally {
    await browser.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
