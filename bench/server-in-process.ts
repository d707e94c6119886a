/**
 * The server benchmark's in-process side, run by bench/server.ts in a
 * process of its own, as the server runs in its own: the benchmark's
 * process holds the whole data set (1M sample events, about 700 MB of
 * heap), and the collector's passes over it would be counted against the
 * store and not against the server. Prints one JSON line.
 *
 *   node --import tsx bench/server-in-process.ts ingest TARGET COUNT BATCH FILE
 *     the first COUNT of the sample events generated for TARGET, into a new
 *     file store at FILE, in batches of BATCH: { ms, accepted, uuids }
 *   node --import tsx bench/server-in-process.ts queries FILE TO WARM
 *     the dashboard's specs ending on TO on the file store at FILE, each
 *     once and then WARM timed times: { widget: { ms, answer } }
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openFileStore } from '../server/storage/file-store.ts';
import { generateSampleEvents } from '../shared/index.ts';
import { DATA_DAYS, DATA_END, DATA_SEED, FUNNEL_STEPS } from './config.ts';
import { dashboardSpecs } from './dashboard-specs.ts';
import { measure } from './timing.ts';

/** What the `queries` mode prints, by widget: the median ms and the answer. */
export type InProcessQueries = Record<string, { ms: number; answer: unknown }>;

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

async function queries(file: string, to: string, warm: number): Promise<InProcessQueries> {
  const store = await openFileStore(file);
  try {
    const out: InProcessQueries = {};
    for (const { widget, spec } of dashboardSpecs(to, FUNNEL_STEPS)) {
      let answer: unknown;
      const timing = await measure(warm, async () => (answer = await store.query(spec)));
      out[widget] = { ms: timing.median, answer };
    }
    return out;
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, ...args] = process.argv.slice(2);
  const whole = (text: string | undefined, name: string): number => {
    if (!/^\d+$/.test(text ?? '')) throw new Error(`bench/server-in-process.ts: ${name} must be a whole number, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  let result: unknown;
  if (mode === 'ingest') result = await ingest(whole(args[0], 'TARGET'), whole(args[1], 'COUNT'), whole(args[2], 'BATCH'), args[3]!);
  else if (mode === 'queries') result = await queries(args[0]!, args[1]!, whole(args[2], 'WARM'));
  else throw new Error(`bench/server-in-process.ts: the mode must be ingest or queries, got ${JSON.stringify(mode)}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
