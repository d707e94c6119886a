// `import ... from 'footprint'` in an app: package.json's conditional exports
// give browser bundlers the core without its Node-only path, and Node the
// build that reads the wasm from disk.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inputsOf, makeApp, NODE_IMPORT, root, type App } from './package-helpers.ts';

describe("package.json exports: the core ('footprint')", function () {
  this.timeout(120_000);
  let app: App;

  before(async () => {
    const { buildCore } = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as { buildCore: () => Promise<void> };
    await buildCore();
    app = makeApp();
  });

  after(() => app?.remove());

  it('bundles for the browser with esbuild, reaching no Node built-in', async () => {
    app.write('app.js', "import { createTracker, openStore } from 'footprint';\nconsole.log(createTracker, openStore);\n");
    const { metafile, errors } = await app.bundle('app.js');
    expect(errors).to.deep.equal([]);
    expect(inputsOf(app, metafile)).to.include('dist/footprint.browser.js').and.not.include('dist/footprint.js');
    const code = readFileSync(join(app.dir, 'out/app.js'), 'utf8');
    expect(NODE_IMPORT.test(code)).to.equal(false);
  });

  it('has no import of a Node built-in in its browser build, while the Node build keeps its file reading', () => {
    expect(NODE_IMPORT.test(readFileSync(join(root, 'dist/footprint.browser.js'), 'utf8'))).to.equal(false);
    expect(readFileSync(join(root, 'dist/footprint.js'), 'utf8')).to.match(/import\("node:fs\/promises"\)/);
  });

  it('resolves to the Node build in Node, which opens a store and answers a query', () => {
    app.write(
      'node-app.mjs',
      `import { openStore } from 'footprint';
const store = await openStore({ now: () => Date.UTC(2026, 10, 28, 12) });
await store.ingest([
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-28T09:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-28T10:00:00Z' },
]);
const trend = await store.query({ kind: 'trend', math: 'users', periods: 2, to: '2026-11-28' });
console.log(JSON.stringify({ resolved: import.meta.resolve('footprint'), users: trend.series[0].points.map((p) => p.value) }));
`,
    );
    const output = JSON.parse(execFileSync(process.execPath, [join(app.dir, 'node-app.mjs')], { cwd: app.dir, encoding: 'utf8' })) as { resolved: string; users: number[] };
    expect(output.resolved).to.equal(pathToFileURL(join(root, 'dist/footprint.js')).href);
    expect(output.users).to.deep.equal([1, 2]);
  });
});
