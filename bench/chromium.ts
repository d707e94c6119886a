import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
// @ts-expect-error: a plain .mjs build script without types; buildWidgets(outDir) bundles the widgets.
import { buildWidgets } from '../esbuild.config.mjs';
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

/** One page load: ms until fp-source has the data, then until every widget of the dashboard has its answer rendered. */
interface Load {
  loadMs: number;
  renderMs: number;
  widgets: number;
}

/** Runs in the page: gives fp-source the file, waits for `fp-source-change`, then for every widget to leave `loading`. */
async function loadInPage(src: string): Promise<Load | string> {
  await customElements.whenDefined('fp-dashboard');
  const source = document.querySelector('fp-source') as HTMLElement & { src?: string };
  const dashboard = document.querySelector('fp-dashboard') as HTMLElement & { updateComplete: Promise<unknown> };
  await dashboard.updateComplete;
  const start = performance.now();
  const loaded = new Promise<number>((resolve, reject) => {
    source.addEventListener('fp-source-change', () => resolve(performance.now()), { once: true });
    source.addEventListener('fp-source-error', (e) => reject(new Error((e as CustomEvent<{ message: string }>).detail.message)), { once: true });
  });
  source.src = src;
  const loadedAt = await loaded;
  type Widget = HTMLElement & { status: string; updateComplete: Promise<unknown> };
  const widgets = [...dashboard.shadowRoot!.querySelectorAll('*')].filter((el) => el.localName.startsWith('fp-')) as Widget[];
  // Widgets answer from the source asynchronously; check once a frame until none is still loading.
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    if (widgets.every((w) => w.status !== 'loading')) break;
  }
  await Promise.all(widgets.map((w) => w.updateComplete));
  const failed = widgets.filter((w) => w.status === 'error').map((w) => w.localName);
  if (failed.length) return `widgets failed: ${failed.join(', ')}`;
  return { loadMs: loadedAt - start, renderMs: performance.now() - loadedAt, widgets: widgets.length };
}

/**
 * The demo dashboard in Chromium on `file` (a store exported by sql.js):
 * time for fp-source to open it, then from its `fp-source-change` to every
 * widget rendered. One cold page load, then `warm` more; medians.
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
    const loads: Load[] = [];
    for (let i = 0; i <= warm; i++) {
      const tab = await browser.newPage();
      await tab.goto(served.url, { waitUntil: 'load' });
      const load = await tab.evaluate(loadInPage, 'events.sqlite');
      await tab.close();
      if (typeof load === 'string') throw new Error(`Chromium dashboard: ${load}`);
      loads.push(load);
    }
    const timed = loads.length > 1 ? loads.slice(1) : loads;
    const widgets = loads[0]!.widgets;
    return {
      version: await browser.version(),
      rows: [
        { engine: 'chromium', events, task: 'load', ms: roundMs(median(timed.map((l) => l.loadMs))), note: `fp-source src set to the ${(file.length / 1e6).toFixed(0)} MB SQLite file until fp-source-change (download and open)` },
        { engine: 'chromium', events, task: 'dashboard', ms: roundMs(median(timed.map((l) => l.renderMs))), note: `fp-source-change to all ${widgets} widgets of fp-dashboard rendered (range 90 days, interval day)` },
      ],
    };
  } finally {
    await browser.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
