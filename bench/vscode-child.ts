/**
 * One process of `--vscode` (bench/vscode.ts), bundled by esbuild into
 * .cache/bench-vscode/child.cjs and run by plain Node, so that no
 * TypeScript loader sits between `require` and the library. Its one
 * argument is a JSON `ChildTask`; it prints one JSON line, the task's
 * answer.
 *
 * Before anything is timed, `require('vscode')` is answered by the
 * stand-in (bench/vscode-stand-in.ts), the Node modules the library uses
 * are loaded (the extension host has them), and every `require` and
 * `fs.readFileSync` of a sql.js file (`sql-wasm.cjs`, `sql-wasm.wasm`) or of the library's SQLite side (`store.cjs`) is
 * noted: activation must load neither.
 */
import fs from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { standInContext, standInVscode } from './vscode-stand-in.ts';

/** What a process does. */
export type ChildTask =
  /** Times `require(module)` and `module[call](context)`: the library's createUsageRecorder, or an extension bundle's activate. */
  | { kind: 'activate'; module: string; call: 'createUsageRecorder' | 'activate'; folder: string }
  /** Times `usage.track` `events` times after 1,000 untimed, with sharing on or off. */
  | { kind: 'record'; module: string; folder: string; events: number; share: boolean }
  /** Records `events` into a journal, then times and watches the memory of one compaction, then of a second. */
  | { kind: 'compact'; module: string; folder: string; events: number };

export interface ActivateAnswer {
  requireMs: number;
  callMs: number;
  sqlJs: string[];
  shown: string[];
}
export interface RecordAnswer {
  us: number;
  /** Lines in the journals and in the outbox after the run (what was really recorded). */
  journalLines: number;
  outboxLines: number;
  shown: string[];
}
export interface CompactAnswer {
  ms: number;
  secondMs: number;
  rssAddedMb: number;
  heapAddedMb: number;
  retainedMb: number;
  /** Journals still waiting after the compaction (0 when it stored them). */
  journalsLeft: number;
  sqlJs: string[];
  shown: string[];
}

interface UsageLike {
  track(name: string, properties?: Record<string, string | number | boolean>): boolean;
  flush(): Promise<void>;
}

/** sql.js's files, and the library's SQLite side that loads them. */
const SQL_JS_FILE = /(sql-wasm\.(cjs|wasm)|store\.cjs)$/;
/** Where the stand-in context says the extension lives (telemetry.json is looked for there, and not found). */
const EXTENSION_PATH = '/nonexistent/word-count';
/** Properties of the tracked event: as the Word Count example's own `selection.counted`. */
const PROPERTIES = { selections: 2 };
/** Sharing goes to a closed loopback port: nothing is sent while the events are timed (sends wait 2 s after the last one). */
const UPLOAD = { url: 'http://127.0.0.1:9', key: 'fpw_bench' };

const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask;
const sqlJs: string[] = [];
const shown: string[] = [];
const vscode = standInVscode({ 'wordCount.telemetry.enabled': true, 'wordCount.telemetry.share': task.kind === 'record' && task.share }, shown);

const moduleInternals = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = moduleInternals._load;
moduleInternals._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  if (SQL_JS_FILE.test(request)) sqlJs.push(request);
  return load.call(this, request, parent, isMain);
};
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path: fs.PathOrFileDescriptor, options?: unknown) {
  if (typeof path === 'string' && SQL_JS_FILE.test(path)) sqlJs.push(path);
  return (readFileSync as (p: fs.PathOrFileDescriptor, o?: unknown) => unknown)(path, options);
} as typeof fs.readFileSync;

const requireModule = Module.createRequire(__filename);

// VS Code's extension host has loaded these Node modules before any extension activates (it uses them itself): their first load is not the library's cost.
for (const builtin of ['node:crypto', 'node:fs', 'node:fs/promises', 'node:path', 'node:url']) requireModule(builtin);

function linesIn(folder: string): number {
  if (!fs.existsSync(folder)) return 0;
  return fs.readdirSync(folder).reduce((sum, name) => sum + fs.readFileSync(join(folder, name), 'utf8').split('\n').filter(Boolean).length, 0);
}

function answer(value: ActivateAnswer | RecordAnswer | CompactAnswer): void {
  process.stdout.write(`${JSON.stringify(value)}\n`, () => process.exit(0));
}

function activate(t: Extract<ChildTask, { kind: 'activate' }>): void {
  const context = standInContext(t.folder, EXTENSION_PATH);
  const started = performance.now();
  const loaded = requireModule(t.module) as Record<string, (context: unknown) => unknown>;
  const required = performance.now();
  loaded[t.call]!(context);
  const called = performance.now();
  answer({ requireMs: required - started, callMs: called - required, sqlJs, shown });
}

function record(t: Extract<ChildTask, { kind: 'record' }>): void {
  const { createUsageRecorder } = requireModule(t.module) as { createUsageRecorder(context: unknown, options: unknown): UsageLike };
  const usage = createUsageRecorder(standInContext(t.folder, EXTENSION_PATH), { upload: UPLOAD });
  for (let i = 0; i < 1_000; i++) usage.track('selection.counted', PROPERTIES);
  const started = performance.now();
  for (let i = 0; i < t.events; i++) usage.track('selection.counted', PROPERTIES);
  const us = ((performance.now() - started) * 1000) / t.events;
  answer({ us, journalLines: linesIn(join(t.folder, 'journal')), outboxLines: linesIn(join(t.folder, 'outbox')), shown });
}

async function compact(t: Extract<ChildTask, { kind: 'compact' }>): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('bench/vscode-child.ts: the compaction task needs node --expose-gc');
  const { createUsageRecorder } = requireModule(t.module) as { createUsageRecorder(context: unknown): UsageLike };
  const usage = createUsageRecorder(standInContext(t.folder, EXTENSION_PATH));
  for (let i = 0; i < t.events; i++) usage.track('selection.counted', PROPERTIES);
  gc();
  const baseline = process.memoryUsage();
  // Linux resets the high-water mark that maxRSS reads to the current resident size when 5 is written here (as bench/ingest-memory.ts).
  fs.writeFileSync('/proc/self/clear_refs', '5');
  let heapPeak = baseline.heapUsed;
  // Compaction awaits its lock, the store and the file: the heap is sampled at each turn of the event loop it gives back.
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 1);
  const started = performance.now();
  await usage.flush();
  const ms = performance.now() - started;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const journalsLeft = fs.readdirSync(join(t.folder, 'journal')).filter((name) => name.endsWith('.sealed')).length;
  gc();
  const retained = process.memoryUsage().rss - baseline.rss;
  for (let i = 0; i < t.events; i++) usage.track('selection.counted', PROPERTIES);
  const second = performance.now();
  await usage.flush();
  const secondMs = performance.now() - second;
  answer({ ms, secondMs, rssAddedMb: (peakRss - baseline.rss) / 1e6, heapAddedMb: (heapPeak - baseline.heapUsed) / 1e6, retainedMb: retained / 1e6, journalsLeft, sqlJs, shown });
}

if (task.kind === 'activate') activate(task);
else if (task.kind === 'record') record(task);
else if (task.kind === 'compact') {
  compact(task).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
else throw new Error(`bench/vscode-child.ts: unknown task ${process.argv[2]}`);
