// The web tracker without the store: `footprint/tracker` for bundlers, under
// its size budget, and dist/footprint-tracker.js for a script tag, recording
// into an HTTP endpoint in Chromium.
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
// @ts-expect-error: plain .mjs helpers without types.
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
// @ts-expect-error: plain .mjs helpers without types.
import { serveFolder } from '../../scripts/serve.mjs';
import { inputsOf, makeApp, root, type App } from './package-helpers.ts';

/** The budget of `footprint/tracker`, gzipped: 8 KiB (Plausible's script is under 1 KB, Umami's about 2 KB). */
const TRACKER_BUDGET = 8 * 1024;

interface Built {
  file: string;
  bytes: number;
  gzipped: number;
}
type BuildTracker = (outDir?: string) => Promise<{ module: Built; script: Built }>;

describe("package.json exports: the tracker ('footprint/tracker', footprint-tracker.js)", function () {
  this.timeout(120_000);
  let built: { module: Built; script: Built };
  let app: App;

  before(async () => {
    const { buildTracker } = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as { buildTracker: BuildTracker };
    built = await buildTracker();
    app = makeApp();
  });

  after(() => app?.remove());

  it(`is at most ${TRACKER_BUDGET} bytes gzipped, as built and as a script tag`, () => {
    expect(built.module.file).to.equal(join(root, 'dist/tracker.js'));
    expect(built.module.gzipped).to.be.within(1_000, TRACKER_BUDGET);
    expect(built.script.file).to.equal(join(root, 'dist/footprint-tracker.js'));
    expect(built.script.gzipped).to.be.within(1_000, TRACKER_BUDGET);
  });

  it('bundles into an app without the store', async () => {
    app.write('app.js', "import { createTracker, httpSink } from 'footprint/tracker';\ncreateTracker({ sinks: [httpSink({ url: '/events' })] });\n");
    const { metafile, errors } = await app.bundle('app.js', { minify: true });
    expect(errors).to.deep.equal([]);
    expect(inputsOf(app, metafile)).to.deep.equal(['dist/tracker.js', 'app.js']);
  });

  describe('as a script tag, in Chromium', () => {
    let folder: string;
    let server: Server | undefined;
    let browser: Browser | undefined;

    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'footprint-tracker-'));
      copyFileSync(built.script.file, join(folder, 'footprint-tracker.js'));
      writeFileSync(
        join(folder, 'index.html'),
        `<!doctype html>
<title>A site without a bundler</title>
<script src="footprint-tracker.js"></script>
<script>
  window.tracker = Footprint.createTracker({ sinks: [Footprint.httpSink({ url: '/events' })], autocapture: false });
</script>
`,
      );
      ({ server } = (await serveFolder(folder, 18210)) as { server: Server; url: string });
      browser = await puppeteer.launch({ executablePath: (findChromium() as string | undefined) ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    });

    after(async () => {
      await browser?.close();
      server?.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    it('exposes Footprint.createTracker, and records nothing before consent and the events after it to the HTTP endpoint', async () => {
      const page = await browser!.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(String(error)));
      const posted: string[] = [];
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        if (request.url().endsWith('/events') && request.method() === 'POST') {
          posted.push(request.postData() ?? '');
          void request.respond({ status: 204, body: '' });
        } else void request.continue();
      });
      const address = server!.address() as { port: number };
      await page.goto(`http://localhost:${address.port}/`);
      const outcome = await page.evaluate(async () => {
        const tracker = (window as unknown as { tracker: { track(name: string, props?: object): unknown; setConsent(state: string): Promise<void>; flush(): Promise<void>; consent: string } }).tracker;
        const before = tracker.track('too_early');
        await tracker.setConsent('granted');
        tracker.track('signup', { plan: 'pro' });
        tracker.track('report_exported', { format: 'csv' });
        await tracker.flush();
        return { before, consent: tracker.consent, globals: Object.keys((window as unknown as { Footprint: object }).Footprint).sort() };
      });
      expect(problems).to.deep.equal([]);
      expect(outcome.before).to.equal(null);
      expect(outcome.consent).to.equal('granted');
      expect(outcome.globals).to.deep.equal(['createTracker', 'httpSink']);
      const events = posted.flatMap((body) => body.trim().split('\n')).map((line) => JSON.parse(line) as { event: string; properties: object; user_id: string });
      expect(events.map((e) => [e.event, e.properties])).to.deep.equal([
        ['signup', { plan: 'pro' }],
        ['report_exported', { format: 'csv' }],
      ]);
      expect(events[0]!.user_id).to.equal(events[1]!.user_id);
      await page.close();
    });
  });
});
