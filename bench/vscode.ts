/**
 * `npm run bench -- --vscode`: what footprint/vscode costs the extension
 * that adds it (issue 14).
 *
 * 1. Bundle: a minimal extension bundled by the README's esbuild line with
 *    and without `createUsageRecorder` (bench/vscode-bundle.ts); the
 *    difference, and whether sql.js or its wasm got inside.
 * 2. Activation: fresh Node processes (bench/vscode-child.ts) time
 *    `require` of the built library and `createUsageRecorder(context)`, and
 *    the author's two bundles' `require` and `activate`, in turn; each
 *    notes whether it read or required a sql.js file.
 * 3. Recording: µs per `usage.track`, sharing off (the journal) and on (the
 *    journal and the outbox), in processes that alternate, so that the
 *    load of other work on the machine falls on both alike.
 * 4. Compaction: a storage folder with the stored events in
 *    footprint.sqlite, then one compaction of a new journal, in a process of
 *    its own: its time and the memory it adds.
 *
 * The library is built as `npm run build` builds it (buildVscodeLibrary),
 * into the ignored .cache/bench-vscode/, not dist/.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
// @ts-expect-error: a plain .mjs build script without types; buildVscodeLibrary(outDir) builds dist/vscode/ into outDir.
import { buildVscodeLibrary } from '../esbuild.config.mjs';
import { UsageStorage } from '../extension/src/storage.ts';
import { generateSampleEvents } from '../shared/index.ts';
import { DATA_SEED, VSCODE_RUNS, VSCODE_SMOKE_RUNS } from './config.ts';
import { median } from './timing.ts';
import { bundleExtension, EXTENSION_WITH, EXTENSION_WITHOUT, SQL_JS_MARKERS } from './vscode-bundle.ts';
import type { ActivateAnswer, ChildTask, CompactAnswer, RecordAnswer } from './vscode-child.ts';
import type { Spread, VscodeFigures } from './vscode-report.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cache = join(root, '.cache', 'bench-vscode');
const run = promisify(execFile);
const DAY_MS = 86_400_000;

export interface VscodeBenchOptions {
  /** Fewer processes and events (`--smoke`). */
  smoke: boolean;
  log: (message: string) => void;
}

/** The child script, bundled for plain Node. */
async function buildChild(): Promise<string> {
  const outfile = join(cache, 'child.cjs');
  await esbuild.build({ entryPoints: [join(root, 'bench', 'vscode-child.ts')], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' });
  return outfile;
}

/** Runs one task in a fresh Node process; resolves to its answer. */
async function inChild<A>(child: string, task: ChildTask, nodeArgs: readonly string[] = []): Promise<A> {
  const { stdout } = await run(process.execPath, [...nodeArgs, child, JSON.stringify(task)], { maxBuffer: 1 << 20 });
  const answer = JSON.parse(stdout.trim().split('\n').at(-1)!) as A & { shown: string[] };
  if (answer.shown.length) throw new Error(`bench --vscode: the library showed ${JSON.stringify(answer.shown)} during a ${task.kind} task`);
  return answer;
}

const spreadOf = (ms: readonly number[]): Spread => ({ median: median(ms), max: Math.max(...ms) });

export async function benchVscode({ smoke, log }: VscodeBenchOptions): Promise<VscodeFigures> {
  const runs = smoke ? VSCODE_SMOKE_RUNS : VSCODE_RUNS;
  const loadAverage = loadavg()[0]!;
  const temp = mkdtempSync(join(tmpdir(), 'footprint-bench-vscode-'));
  const freshFolder = (): string => mkdtempSync(join(temp, 'storage-'));
  try {
    log('vscode: building the library (dist/vscode/) into .cache/bench-vscode');
    mkdirSync(cache, { recursive: true });
    const library = join((await buildVscodeLibrary(join(cache, 'vscode'))) as string, 'index.cjs');
    const child = await buildChild();

    log("vscode: the author's bundle, without and with createUsageRecorder");
    const sqlJsScript = readFileSync(join(dirname(library), 'footprint-media', 'sql-wasm.cjs'), 'latin1');
    // The check must be able to fail: sql.js's own script holds its marker.
    if (!sqlJsScript.includes(SQL_JS_MARKERS[0]!.text)) throw new Error(`bench --vscode: sql.js's script no longer holds ${SQL_JS_MARKERS[0]!.text}; pick another marker in bench/vscode-bundle.ts`);
    const without = await bundleExtension(EXTENSION_WITHOUT, 'without', join(cache, 'author'), library);
    const withLibrary = await bundleExtension(EXTENSION_WITH, 'with', join(cache, 'author'), library);

    log(`vscode: activation, ${runs.activations} fresh processes of each kind after one untimed`);
    const times = { library: [] as number[], withLibrary: [] as number[], without: [] as number[] };
    const sqlJsLoaded = new Set<string>();
    for (let i = 0; i <= runs.activations; i++) {
      const kinds = [
        ['library', { kind: 'activate', module: library, call: 'createUsageRecorder', folder: freshFolder() }],
        ['withLibrary', { kind: 'activate', module: withLibrary.file, call: 'activate', folder: freshFolder() }],
        ['without', { kind: 'activate', module: without.file, call: 'activate', folder: freshFolder() }],
      ] as const;
      for (const [name, task] of kinds) {
        const answer = await inChild<ActivateAnswer>(child, task);
        for (const file of answer.sqlJs) sqlJsLoaded.add(file);
        if (i > 0) times[name].push(answer.requireMs + answer.callMs);
      }
    }

    log(`vscode: recording, ${runs.recordRounds} processes each with sharing off and on, ${runs.recordEvents.toLocaleString('en-US')} events`);
    const journalUs: number[] = [];
    const sharingUs: number[] = [];
    for (let i = 0; i < runs.recordRounds; i++) {
      for (const share of [false, true]) {
        const answer = await inChild<RecordAnswer>(child, { kind: 'record', module: library, folder: freshFolder(), events: runs.recordEvents, share });
        // session.start, 1,000 untimed, the timed ones: all of them recorded, and shared when sharing.
        const recorded = runs.recordEvents + 1_001;
        if (answer.journalLines !== recorded || answer.outboxLines !== (share ? recorded : 0)) {
          throw new Error(`bench --vscode: expected ${recorded} events in the journal and ${share ? recorded : 0} in the outbox, found ${answer.journalLines} and ${answer.outboxLines}`);
        }
        (share ? sharingUs : journalUs).push(answer.us);
      }
    }

    log(`vscode: compaction of ${runs.journalEvents.toLocaleString('en-US')} new events into ${runs.storedEvents.toLocaleString('en-US')} stored`);
    const storage = freshFolder();
    const storeBytes = await storeEvents(storage, runs.storedEvents);
    const compaction = await inChild<CompactAnswer>(child, { kind: 'compact', module: library, folder: storage, events: runs.journalEvents }, ['--expose-gc']);
    if (compaction.journalsLeft !== 0) throw new Error(`bench --vscode: the compaction left ${compaction.journalsLeft} journals`);
    // The watch on sql.js must be able to see it: compaction loads it.
    if (compaction.sqlJs.length === 0) throw new Error('bench --vscode: the compaction loaded no sql.js file that the watch saw; the activation check would not see one either');

    return {
      run: { date: new Date().toISOString(), cpu: cpus()[0]?.model.trim() ?? 'unknown CPU', cores: cpus().length, node: process.versions.node, esbuild: esbuild.version, loadAverage: Math.round(loadAverage * 10) / 10 },
      bundle: { withoutBytes: without.bytes, withBytes: withLibrary.bytes, withoutGzipped: without.gzipped, withGzipped: withLibrary.gzipped, sqlJsInside: withLibrary.sqlJsInside },
      activation: { runs: runs.activations, library: spreadOf(times.library), withLibrary: spreadOf(times.withLibrary), without: spreadOf(times.without), sqlJsLoaded: [...sqlJsLoaded] },
      recording: { events: runs.recordEvents, journalUs, sharingUs },
      compaction: {
        storedEvents: runs.storedEvents,
        journalEvents: runs.journalEvents,
        storeBytes,
        ms: compaction.ms,
        secondMs: compaction.secondMs,
        rssAddedMb: compaction.rssAddedMb,
        heapAddedMb: compaction.heapAddedMb,
        retainedMb: compaction.retainedMb,
      },
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Stores about `count` of the benchmark's sample events in `folder`'s
 * footprint.sqlite (one journal, compacted), the last 60 days up to now so
 * that the default 90 days of retention keep them all; resolves to the
 * file's size.
 */
async function storeEvents(folder: string, count: number): Promise<number> {
  const events = generateSampleEvents({ events: count, seed: DATA_SEED, days: 60, end: Date.now() - DAY_MS });
  const storage = new UsageStorage({ folder, warn: (message) => { throw new Error(`bench --vscode: storing the sample events: ${message}`); }, compactAfterMs: 0 });
  writeFileSync(storage.journal.path, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  const report = await storage.compact();
  if (report.ingested !== events.length) throw new Error(`bench --vscode: stored ${report.ingested} of ${events.length} sample events`);
  return statSync(join(folder, 'footprint.sqlite')).size;
}
