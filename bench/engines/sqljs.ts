import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openStore, type Store } from '../../shared/index.ts';
import type { SampleEvent } from '../../shared/sample-data.ts';
import { DATA_END, WARM_RUNS } from '../config.ts';
import type { BenchQuery } from '../queries.ts';
import { roundMs, type ResultRow } from '../result.ts';
import { measure, rssGrowthMb, startPeak } from '../timing.ts';

/** What the sql.js engine leaves for the others: the filled store's file and each query's answer. */
export interface SqlJsRun {
  rows: ResultRow[];
  /** `export()` of the store holding every event: the data the other engines load. */
  file: Uint8Array;
  /** Each query's result, by task: what the other engines must answer. */
  answers: Map<string, unknown>;
  /** The result of each of the `checks` queries, by task. */
  checkAnswers: Map<string, unknown>;
}

const options = { now: () => DATA_END };

/**
 * Footprint's own engine, through its public API: `ingest` into a fresh
 * store, each query, `export()` and reopening the exported file. `checks`
 * are only answered, for the other engines to compare with.
 */
export async function benchSqlJs(events: readonly SampleEvent[], queries: readonly BenchQuery[], checks: readonly BenchQuery[], warm = WARM_RUNS): Promise<SqlJsRun> {
  const n = events.length;
  const rows: ResultRow[] = [];
  const baseline = startPeak();

  const ingest = await measure<Store>(
    warm,
    async (store) => {
      const report = await store.ingest(events);
      if (report.accepted !== n) throw new Error(`sql.js ingest stored ${report.accepted} of ${n} events (${JSON.stringify(report.rejected.slice(0, 3))})`);
    },
    () => openStore(options),
    (store) => store.close(),
  );
  rows.push({ engine: 'sqljs', events: n, task: 'ingest', ms: roundMs(ingest.median), eventsPerSecond: Math.round(n / (ingest.median / 1000)) });

  const store = await openStore(options);
  await store.ingest(events);
  const answers = new Map<string, unknown>();
  for (const { task, spec } of queries) {
    answers.set(task, await store.query(spec));
    const timing = await measure(warm, () => store.query(spec));
    rows.push({ engine: 'sqljs', events: n, task, ms: roundMs(timing.median) });
  }
  const checkAnswers = new Map<string, unknown>();
  for (const { task, spec } of checks) checkAnswers.set(task, await store.query(spec));

  let file: Uint8Array = new Uint8Array();
  const exported = await measure(warm, async () => {
    file = await store.export();
  });
  rows.push({ engine: 'sqljs', events: n, task: 'export', ms: roundMs(exported.median), note: `${(file.length / 1e6).toFixed(1)} MB file` });
  rows.push({ engine: 'sqljs', events: n, task: 'file size', ms: null, bytesPerEvent: Math.round((file.length / n) * 10) / 10 });
  const reopen = await measure(warm, async () => (await openStore({ ...options, data: file })).close());
  rows.push({ engine: 'sqljs', events: n, task: 'reopen', ms: roundMs(reopen.median) });
  await store.close();
  const ingestRow = rows[0]!;
  ingestRow.peakMemoryMB = rssGrowthMb(baseline);
  return { rows, file, answers, checkAnswers };
}

/**
 * The `ingest memory` row: the peak memory growth of sql.js ingesting the
 * sample events generated for `target` (`events` of them), measured in a
 * process of its own (bench/ingest-memory.ts says how and why).
 */
export async function sqlJsIngestMemory(target: number, events: number): Promise<ResultRow> {
  const script = fileURLToPath(new URL('../ingest-memory.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script, String(target)], { maxBuffer: 1 << 20 });
  const measured = JSON.parse(stdout.trim().split('\n').pop()!) as { events: number; peakMemoryMB: number; note?: string };
  if (measured.events !== events) throw new Error(`bench/ingest-memory.ts ingested ${measured.events} events, not the ${events} of this size`);
  return { engine: 'sqljs', events, task: 'ingest memory', ms: null, peakMemoryMB: measured.peakMemoryMB, ...(measured.note ? { note: measured.note } : {}) };
}

/**
 * Whether our sessions follow METRICS.md section 3 as changed in 2026-12
 * (built from every event of the store, a query's being those whose first
 * event is in its range) rather than cut at `from` and `to`: a session from
 * 23:50 to 00:10 is none of the second day's sessions, or, cut, one of them.
 */
export async function sqlJsKeepsWholeSessions(): Promise<boolean> {
  const store = await openStore(options);
  await store.ingest(['2024-06-01T23:50:00Z', '2024-06-02T00:10:00Z'].map((timestamp) => ({ event: 'visit', user_id: 'u1', timestamp })));
  const { count } = await store.query({ kind: 'sessions', from: '2024-06-02', to: '2024-06-02' });
  await store.close();
  return count === 0;
}
