/**
 * The server benchmark's in-process side, run by bench/server.ts in a
 * process of its own, as the server runs in its own: the benchmark's
 * process holds the whole data set (1M sample events, about 700 MB of
 * heap), and the collector's passes over it would be counted against the
 * store and not against the server.
 *
 *   node --import tsx bench/server-in-process.ts ingest TARGET COUNT BATCH FILE
 *     the first COUNT of the sample events generated for TARGET, into a new
 *     file store at FILE, in batches of BATCH; prints one JSON line
 *     { ms, accepted, uuids }
 *
 * `inProcessQueries` forks it (`serve-queries FILE TO WARM`) over the file
 * store at FILE to time the dashboard's specs ending on TO one widget at a
 * time, on request (once, then WARM timed times), so that each query is
 * timed in-process right before it is timed over HTTP: on a machine shared
 * with other work, the two are then measured under the same load.
 */
import { execFile, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openFileStore } from '../server/storage/file-store.ts';
import { generateSampleEvents } from '../shared/index.ts';
import { DATA_DAYS, DATA_END, DATA_SEED, FUNNEL_STEPS } from './config.ts';
import { dashboardSpecs } from './dashboard-specs.ts';
import { measure } from './timing.ts';

/** Runs this script with `args` in a new Node process; resolves to what it printed, parsed. */
export async function runInProcess<T>(args: readonly string[]): Promise<T> {
  const script = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { maxBuffer: 1 << 28 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** What the `ingest` mode prints: its time, the events stored, and the first and last uuid (the caller checks they are its events). */
export interface InProcessIngest {
  ms: number;
  accepted: number;
  uuids: [string, string];
}

/** A process holding the file store open that times one widget's query at a time. */
export interface InProcessQueryRunner {
  /** Times `widget`'s spec: once, then `warm` timed times; the median and the answer. */
  ask(widget: string): Promise<{ ms: number; answer: unknown }>;
  close(): Promise<void>;
}

/** Starts this script over the file store at `file`, answering the dashboard's specs ending on `to` when asked. */
export async function inProcessQueries(file: string, to: string, warm: number): Promise<InProcessQueryRunner> {
  const child = fork(fileURLToPath(import.meta.url), ['serve-queries', file, to, String(warm)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let waiting: { resolve: (value: { ms: number; answer: unknown }) => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then(() => reject(new Error(`bench/server-in-process.ts exited before opening ${file}`)));
  });
  await ready;
  child.on('message', (message: { ms: number; answer: unknown } | { error: string }) => {
    const pending = waiting;
    waiting = undefined;
    if ('error' in message) pending?.reject(new Error(`bench/server-in-process.ts: ${message.error}`));
    else pending?.resolve(message);
  });
  void exited.then(() => waiting?.reject(new Error('bench/server-in-process.ts exited while answering')));
  return {
    ask: (widget) => new Promise((resolve, reject) => {
      waiting = { resolve, reject };
      child.send(widget);
    }),
    close: async () => {
      child.disconnect();
      await exited;
    },
  };
}

async function ingest(target: number, count: number, batch: number, file: string): Promise<InProcessIngest> {
  const events = generateSampleEvents({ events: target, seed: DATA_SEED, days: DATA_DAYS, end: DATA_END }).slice(0, count);
  const store = await openFileStore(file);
  try {
    let accepted = 0;
    const start = performance.now();
    for (let i = 0; i < events.length; i += batch) accepted += (await store.ingest(events.slice(i, i + batch))).accepted;
    return { ms: performance.now() - start, accepted, uuids: [events[0]!.uuid, events[events.length - 1]!.uuid] };
  } finally {
    await store.close();
  }
}

/** The `serve-queries` mode: says it is ready, then answers each widget name it is sent with its timing and answer, until disconnected. */
async function serveQueries(file: string, to: string, warm: number): Promise<void> {
  const store = await openFileStore(file);
  const specs = new Map(dashboardSpecs(to, FUNNEL_STEPS).map(({ widget, spec }) => [widget, spec]));
  process.on('message', (widget: string) => {
    void (async () => {
      const spec = specs.get(widget);
      if (!spec) return process.send!({ error: `no widget ${JSON.stringify(widget)} on the dashboard` });
      let answer: unknown;
      const timing = await measure(warm, async () => (answer = await store.query(spec)));
      process.send!({ ms: timing.median, answer });
    })().catch((error: Error) => process.send!({ error: error.message }));
  });
  process.once('disconnect', () => void store.close());
  process.send!('ready');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, ...args] = process.argv.slice(2);
  const whole = (text: string | undefined, name: string): number => {
    if (!/^\d+$/.test(text ?? '')) throw new Error(`bench/server-in-process.ts: ${name} must be a whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  let result: unknown;
  if (mode === 'ingest') result = await ingest(whole(args[0], 'TARGET'), whole(args[1], 'COUNT'), whole(args[2], 'BATCH'), args[3]!);
  else if (mode === 'serve-queries') await serveQueries(args[0]!, args[1]!, whole(args[2], 'WARM'));
  else throw new Error(`bench/server-in-process.ts: the mode must be ingest or serve-queries, got ${JSON.stringify(mode)}`);
  if (result !== undefined) process.stdout.write(`${JSON.stringify(result)}\n`);
}
