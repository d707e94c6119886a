import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as vscode from 'vscode';
import { createUsageRecorderWith } from '../extension/src/usage-recorder.ts';
import { sqlJsInside } from '../bench/vscode-bundle.ts';
import { checkVscodeTargets, vscodeTable, type VscodeFigures } from '../bench/vscode-report.ts';
import { standInContext, standInVscode } from '../bench/vscode-stand-in.ts';

// The benchmark's VS Code part (bench/vscode.ts) runs whole, small, with
// `npm run bench -- --vscode --smoke`; these check its pieces on hand-made data.

function figures(change: (f: VscodeFigures) => void = () => undefined): VscodeFigures {
  const f: VscodeFigures = {
    run: { date: '2026-12-04T00:00:00.000Z', cpu: 'CPU', cores: 2, node: '20.20.2', esbuild: '0.28.2', loadAverage: 1.5 },
    bundle: { withoutBytes: 900, withBytes: 134_900, withoutGzipped: 500, withGzipped: 46_500, sqlJsInside: [] },
    activation: { runs: 7, library: { median: 8.25, max: 12 }, withLibrary: { median: 7.5, max: 9 }, without: { median: 0.5, max: 0.75 }, sqlJsLoaded: [] },
    recording: { events: 20_000, journalUs: [30, 20, 25], sharingUs: [40, 35, 45] },
    compaction: { storedEvents: 100_000, journalEvents: 1_000, storeBytes: 17_300_000, ms: 812.4, secondMs: 401, rssAddedMb: 120.4, heapAddedMb: 30.6, retainedMb: 60.2 },
  };
  change(f);
  return f;
}

describe('bench --vscode: the report (bench/vscode-report.ts)', () => {
  it('checks the four targets on the figures: bundle added, sql.js, the activation median, both recording medians', () => {
    expect(checkVscodeTargets(figures(), {}).map((t) => [t.met, t.actual])).to.deep.equal([
      [true, '134.0 KB, 46.0 KB gzipped'],
      [true, 'neither'],
      [true, '8.3 ms (slowest 12.0)'],
      [true, '25.0 µs (the journal), 40.0 µs (the journal and the outbox)'],
    ]);
    expect(checkVscodeTargets(undefined, {})).to.deep.equal([]);
  });

  it('misses each at its edge, with the reason given by key', () => {
    const missed = figures((f) => {
      f.bundle.withBytes = 150_901;
      f.bundle.sqlJsInside = ['sql.js'];
      f.activation.sqlJsLoaded = ['/media/sql-wasm.js'];
      f.activation.library.median = 10;
      f.recording.sharingUs = [50, 50, 60];
    });
    const checks = checkVscodeTargets(missed, { 'vscode activation': 'compiling the library' });
    expect(checks.map((t) => [t.met, t.why])).to.deep.equal([
      [false, 'not analysed'],
      [false, 'not analysed'],
      [false, 'compiling the library'],
      [false, 'not analysed'],
    ]);
    expect(checks[1]!.actual).to.equal('sql.js in the bundle; /media/sql-wasm.js loaded at activation');
    expect(checkVscodeTargets(figures((f) => (f.bundle.withBytes = 150_900)), {})[0]!.met).to.equal(true);
  });

  it('prints one table row per figure, with the added bundle, the medians and the compaction', () => {
    const table = vscodeTable(figures());
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    expect(rows.map((row) => row.split(' | ').slice(0, 2).join(' | '))).to.deep.equal([
      '| what it costs | figure',
      '| bundle | 134.0 KB (46.0 KB gzipped)',
      '| activation | 8.3 ms (slowest 12.0)',
      "| activation, the author's bundle | 7.0 ms added",
      '| recording | 25.0 µs an event',
      '| recording, sharing | 40.0 µs an event',
      '| compaction | 812 ms',
      '| compaction memory | 120 MB resident, 31 MB heap',
    ]);
    expect(table).to.contain('1,000 new events into 100,000 stored (footprint.sqlite, 17.3 MB)');
    expect(vscodeTable(undefined)).to.equal('');
  });
});

describe('bench --vscode: sql.js in a bundle (bench/vscode-bundle.ts)', () => {
  it('finds sql.js by its script and the wasm by its base64 start, and nothing in plain code', () => {
    const script = readFileSync(new URL('../node_modules/sql.js/dist/sql-wasm.js', import.meta.url), 'utf8');
    const wasm = readFileSync(new URL('../node_modules/sql.js/dist/sql-wasm.wasm', import.meta.url)).toString('base64');
    expect(sqlJsInside(`const a = 1;\n${script}`)).to.deep.equal(['sql.js']);
    expect(sqlJsInside(`const wasm = "${wasm}";`)).to.deep.equal(['the wasm']);
    expect(sqlJsInside("require(join(media, 'sql-wasm.js')); readFileSync(join(media, 'sql-wasm.wasm'));")).to.deep.equal([]);
  });
});

describe('bench --vscode: the stand-in vscode (bench/vscode-stand-in.ts)', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'footprint-bench-vscode-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('answers everything createUsageRecorder touches: with both consents, a tracked event goes to the journal and the outbox at once', async () => {
    const shown: string[] = [];
    const api = standInVscode({ 'wordCount.telemetry.enabled': true, 'wordCount.telemetry.share': true }, shown) as unknown as typeof vscode;
    const context = standInContext(folder, '/nonexistent') as unknown as vscode.ExtensionContext;
    // From source, sql.js's wasm is node_modules' (the built library's media folder holds a copy).
    const media = fileURLToPath(new URL('../node_modules/sql.js/dist', import.meta.url));
    const usage = createUsageRecorderWith(api, context, { upload: { url: 'http://127.0.0.1:9', key: 'fpw_test' }, media });
    expect(usage.allowed).to.deep.equal({ usage: true, errors: true, share: true });
    expect(usage.track('selection.counted', { selections: 2 })).to.equal(true);
    const lines = (sub: string) => readdirSync(join(folder, sub)).flatMap((f) => readFileSync(join(folder, sub, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; properties: object }));
    for (const sub of ['journal', 'outbox']) {
      expect(lines(sub).map((e) => [e.event, e.properties])).to.deep.equal([
        ['session.start', { extension_version: '1.0.0', vscode_version: '1.99.0', platform: process.platform }],
        ['selection.counted', { selections: 2, extension_version: '1.0.0', vscode_version: '1.99.0', platform: process.platform }],
      ]);
    }
    expect(shown).to.deep.equal([]);
    await usage.dispose();
  });
});
