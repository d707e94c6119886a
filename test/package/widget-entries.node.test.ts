// The widgets from npm, for an app's bundler: `footprint/widgets` (every
// element) and `footprint/widgets/fp-NAME`, one per widgets/fp-NAME/ folder,
// with their types; a page bundled by esbuild from two of them renders real
// numbers in Chromium, the store worker and the wasm found beside the bundle.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
// @ts-expect-error: plain .mjs helpers without types.
import { serveFolder } from '../../scripts/serve.mjs';
import { inputsOf, makeApp, root, type App } from './package-helpers.ts';

interface Build {
  buildWidgetModules: () => Promise<{ outDir: string; entries: string[] }>;
  buildTypes: () => void;
  elementTags: () => string[];
}

/** Three users over three days (UTC): 1, 2 and 3 active users per day. */
const EVENTS = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-28T09:00:00Z' },
  { event: 'save', user_id: 'b', timestamp: '2026-11-28T10:00:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-28T11:00:00Z' },
];

describe("package.json exports: the widgets ('footprint/widgets', 'footprint/widgets/fp-*')", function () {
  this.timeout(180_000);
  let build: Build;
  let tags: string[];
  let app: App;

  before(async () => {
    build = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as Build;
    tags = build.elementTags();
    await build.buildWidgetModules();
    app = makeApp();
  });

  after(() => app?.remove());

  it('finds the elements from the widgets/fp-NAME/ folders', () => {
    expect(tags).to.include.members(['fp-dashboard', 'fp-source', 'fp-trend']);
    expect(tags.every((tag) => /^fp-[a-z-]+$/.test(tag))).to.equal(true);
  });

  it('has one entry per element, and footprint/widgets holds every one (widgets/index.ts)', async () => {
    app.write('all.js', tags.map((tag) => `import 'footprint/widgets/${tag}';`).join('\n') + '\n');
    const each = await app.bundle('all.js');
    expect(each.errors).to.deep.equal([]);
    const inputs = inputsOf(app, each.metafile);
    expect(tags.filter((tag) => !inputs.includes(`dist/widgets/${tag}.js`))).to.deep.equal([]);
    const index = readFileSync(join(root, 'widgets/index.ts'), 'utf8');
    expect(tags.filter((tag) => !index.includes(`from './${tag}/${tag}.ts'`))).to.deep.equal([]);
    app.write('index.js', "import 'footprint/widgets';\n");
    const all = await app.bundle('index.js');
    expect(inputsOf(app, all.metafile)).to.include('dist/widgets/index.js');
  });

  it("finds every file its modules ask for with new URL('./x', import.meta.url) beside them (what Vite and webpack follow)", () => {
    const folder = join(root, 'dist/widgets');
    const modules = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    const asked = modules.flatMap((file) =>
      [...readFileSync(join(folder, file), 'utf8').matchAll(/new URL\(\s*["'](\.[^"']+)["'],\s*import\.meta\.url\s*\)/g)].map((m) => join(dirname(file), m[1]!)),
    );
    expect([...new Set(asked)].sort()).to.deep.equal(['footprint-store.js', 'sql-wasm.wasm']);
    expect(asked.filter((file) => !existsSync(join(folder, file)))).to.deep.equal([]);
  });

  it('declares their types (an element class, its tag, its properties)', () => {
    build.buildTypes();
    app.write(
      'typed.ts',
      `import 'footprint/widgets/fp-trend';
import { FpSource } from 'footprint/widgets/fp-source';
import type { FpTrend } from 'footprint/widgets/fp-trend';
import type { FpKpi } from 'footprint/widgets';
import type { Store } from 'footprint';
import { createTracker, httpSink } from 'footprint/tracker';

const trend: FpTrend = document.querySelector('fp-trend')!;
trend.math = 'users';
// @ts-expect-error: not a TrendMath
trend.math = 'visits';
const source = new FpSource();
export const ready: Promise<unknown> = source.ready();
export const kpi: FpKpi | null = document.querySelector('fp-kpi');
export const store: Store | undefined = source.store;
export const tracker = createTracker({ sinks: [httpSink({ url: '/events' })] });
`,
    );
    app.write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [] },
        files: ['typed.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app.dir], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).to.equal('');
  });

  describe('a page bundled from footprint/widgets/fp-source and fp-trend, in Chromium', () => {
    let server: Server | undefined;
    let browser: Browser | undefined;
    let url: string;
    let bundled: string[];

    before(async () => {
      app.write('page.js', "import 'footprint/widgets/fp-source';\nimport 'footprint/widgets/fp-trend';\n");
      const { metafile } = await app.bundle('page.js', { minify: true });
      bundled = inputsOf(app, metafile);
      // esbuild leaves `new URL('./x', import.meta.url)` as it is: the store worker and the wasm go beside the bundle (Vite and webpack copy them themselves).
      for (const file of ['footprint-store.js', 'sql-wasm.wasm']) copyFileSync(join(app.dir, 'node_modules/footprint/dist/widgets', file), join(app.dir, 'out', file));
      app.write('out/events.ndjson', EVENTS.map((event) => JSON.stringify(event)).join('\n') + '\n');
      app.write(
        'out/index.html',
        `<!doctype html>
<title>An app's bundle</title>
<script type="module" src="page.js"></script>
<fp-source src="events.ndjson" timezone="UTC">
  <fp-trend label="Active users" math="users" interval="day" from="2026-11-26" to="2026-11-28"></fp-trend>
</fp-source>
`,
      );
      ({ server, url } = (await serveFolder(join(app.dir, 'out'), 18230)) as { server: Server; url: string });
      browser = await puppeteer.launch({ executablePath: (findChromium() as string | undefined) ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    });

    after(async () => {
      await browser?.close();
      server?.close();
    });

    it('carries neither the store nor the other elements in the page bundle', () => {
      expect(bundled.filter((file) => /sql\.js|shared\/store|footprint\.js$/.test(file))).to.deep.equal([]);
      expect(bundled.filter((file) => /^dist\/widgets\/fp-/.test(file)).sort()).to.deep.equal(['dist/widgets/fp-source.js', 'dist/widgets/fp-trend.js']);
    });

    it('reaches ready and shows 1, 2 and 3 active users', async () => {
      const page = await browser!.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) problems.push(`${response.url()}: HTTP ${response.status()}`);
      });
      await page.goto(url);
      await page.waitForFunction(() => ['ready', 'empty', 'error'].includes(document.querySelector('fp-trend')?.getAttribute('status') ?? ''), { timeout: 60_000 });
      const outcome = await page.$eval('fp-trend', (trend) => ({
        status: trend.getAttribute('status'),
        source: document.querySelector('fp-source')!.getAttribute('status') ?? (document.querySelector('fp-source') as unknown as { status: string }).status,
        rows: [...trend.shadowRoot!.querySelectorAll('[part=data-table] tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent!.trim())),
        chart: trend.shadowRoot!.querySelector('canvas') !== null,
      }));
      expect(problems).to.deep.equal([]);
      expect(outcome.status).to.equal('ready');
      expect(outcome.source).to.equal('ready');
      expect(outcome.rows.map((row) => row.slice(-1)[0])).to.deep.equal(['1', '2', '3']);
      expect(outcome.chart).to.equal(true);
      await page.close();
    });
  });
});
