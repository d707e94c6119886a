/**
 * `npm run bench -- --server`: the Footprint server (issue 13, "Targets").
 *
 * 1. Ingest: the same sample events given to the file store in-process in
 *    batches of 50 (bench/server-in-process.ts, a process of its own), then
 *    posted to a running `footprint serve` over loopback by 32 keep-alive
 *    clients in batches of 50. HTTP's events/s over the store's own is what
 *    HTTP costs.
 * 2. The demo dashboard's queries (bench/dashboard-specs.ts) on the
 *    benchmark's data set: in-process on the file store, then over HTTP
 *    cold (the first ask after a data change: no cached answer) and warm
 *    (asked again: the cached answer). Every answer over HTTP is checked
 *    equal to the in-process one.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { KeyRing } from '../server/auth/keys.ts';
import { openFileStore } from '../server/storage/file-store.ts';
import type { Query } from '../shared/index.ts';
import type { SampleEvent } from '../shared/sample-data.ts';
import { FUNNEL_STEPS, SERVER_BATCH, SERVER_CLIENTS } from './config.ts';
import { dashboardSpecs } from './dashboard-specs.ts';
import { roundMs, type ResultRow } from './result.ts';
import { ndjsonBatches, percentile, post, postBatches } from './server-load.ts';
import { buildServerCli, startServerProcess } from './server-process.ts';
import type { ServerRun } from './server-report.ts';
import { inProcessQueries, runInProcess, type InProcessIngest } from './server-in-process.ts';
import { measure } from './timing.ts';

/** Options of `benchServer`. */
export interface ServerBenchOptions {
  /** The benchmark's data set, generated for `target` events: loaded into the dashboard's project; its first `ingestEvents` are the ingest's. */
  events: readonly SampleEvent[];
  target: number;
  ingestEvents: number;
  /** The dashboard's last day (`YYYY-MM-DD`): the data's last day. */
  to: string;
  /** Timed runs of each query after the first; 0 in the smoke run. */
  warm: number;
  /** Node options for the server process, e.g. `--cpu-prof` (BENCH_SERVER_NODE_ARGS). */
  serverNodeArgs?: readonly string[];
  log: (message: string) => void;
}

/** No limit the load could reach: the benchmark measures the server, not its rate limiter's refusals. */
const UNLIMITED = { ratePerSecond: 1e12, burst: 1e12 };

const number = (value: number): string => value.toLocaleString('en-US');

/** The better-sqlite3 version and the SQLite it runs, for the machine line. */
async function nativeVersions(): Promise<{ betterSqlite3: string; nativeSqlite: string }> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { version } = JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')) as { version: string };
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  const nativeSqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return { betterSqlite3: version, nativeSqlite };
}

/** Runs both parts; resolves to their rows and a description of the run. */
export async function benchServer(options: ServerBenchOptions): Promise<{ rows: ResultRow[]; run: ServerRun }> {
  const { events, warm, log } = options;
  const n = events.length;
  const ingestEvents = events.slice(0, options.ingestEvents);
  const rows: ResultRow[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'footprint-bench-server-'));
  try {
    log('server: building dist/server/cli.js into .cache/bench-server');
    const cli = await buildServerCli();
    const data = join(tmp, 'data');
    mkdirSync(join(data, 'projects'), { recursive: true });
    const ring = KeyRing.open(data);
    const keys = { ingest: ring.create('ingest', 'write').key, dashboardWrite: ring.create('dashboard', 'write').key, dashboardRead: ring.create('dashboard', 'read').key };

    // 1a. The store's own ingest, before the server runs: nothing else on the CPU.
    log(`server: file store ingest of ${number(ingestEvents.length)} events in batches of ${SERVER_BATCH}, in a process of its own`);
    const local = await runInProcess<InProcessIngest>(['ingest', String(options.target), String(ingestEvents.length), String(SERVER_BATCH), join(tmp, 'in-process.sqlite')]);
    if (local.accepted !== ingestEvents.length || local.uuids[0] !== ingestEvents[0]?.uuid || local.uuids[1] !== ingestEvents.at(-1)?.uuid) {
      throw new Error(`bench/server-in-process.ts ingested ${local.accepted} events from ${local.uuids.join(' to ')}, not the ${ingestEvents.length} sent over HTTP`);
    }
    rows.push({ engine: 'file-store', events: ingestEvents.length, task: 'ingest', ms: roundMs(local.ms), eventsPerSecond: Math.round(ingestEvents.length / (local.ms / 1000)), note: `store.ingest of batches of ${SERVER_BATCH} on a new file, in a process of its own` });

    // 2a. The dashboard's project, loaded through the file store in one ingest (not over HTTP, to save time).
    const specs = dashboardSpecs(options.to, FUNNEL_STEPS);
    log(`server: loading ${number(n)} events into the dashboard's project`);
    const dashboardFile = join(data, 'projects', 'dashboard.sqlite');
    const loading = await openFileStore(dashboardFile);
    try {
      const report = await loading.ingest(events);
      if (report.accepted !== n) throw new Error(`file store stored ${report.accepted} of ${n} events for the dashboard`);
      await loading.checkpoint();
    } finally {
      await loading.close();
    }
    const logFile = join(tmp, 'server.log');
    const server = await startServerProcess({
      cli,
      config: { data, limits: { perKey: UNLIMITED, perClient: UNLIMITED } },
      configFile: join(tmp, 'footprint.json'),
      logFile,
      nodeArgs: options.serverNodeArgs,
    });
    try {
      // 1b. Ingest over HTTP.
      log(`server: ${number(ingestEvents.length)} events over HTTP, ${SERVER_CLIENTS} keep-alive clients, batches of ${SERVER_BATCH}`);
      const bodies = ndjsonBatches(ingestEvents, SERVER_BATCH);
      const load = await postBatches({ url: `${server.url}/v1/events`, key: keys.ingest, bodies, clients: SERVER_CLIENTS });
      if (load.accepted !== ingestEvents.length || load.duplicates !== 0) {
        throw new Error(`the server accepted ${load.accepted} and saw ${load.duplicates} duplicates of ${ingestEvents.length} new events`);
      }
      const logged = readFileSync(logFile, 'utf8').split('\n').length - 2;
      rows.push({
        engine: 'server',
        events: ingestEvents.length,
        task: 'ingest',
        ms: roundMs(load.ms),
        eventsPerSecond: Math.round(ingestEvents.length / (load.ms / 1000)),
        p50Ms: roundMs(percentile(load.latencies, 0.5)),
        p99Ms: roundMs(percentile(load.latencies, 0.99)),
        note: `${number(bodies.length)} requests; the load generator (in the benchmark's process) used ${Math.round((100 * load.clientCpuMs) / load.ms)}% of a core; the server logged ${number(logged)} lines (${(statSync(logFile).size / 1e6).toFixed(1)} MB) to a file`,
      });

      // 2b. The dashboard's queries, each in-process (in a process of its own, as the server's, on the checkpointed file), then over HTTP cold and warm.
      log(`server: the dashboard's ${specs.length} queries, each in-process, then over HTTP cold and warm`);
      const local = await inProcessQueries(dashboardFile, options.to, warm);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const query = new URL(`${server.url}/v1/query`);
      const eventsUrl = new URL(`${server.url}/v1/events`);
      const ask = async (spec: Query, expect: 'hit' | 'miss'): Promise<string> => {
        const { status, headers, text } = await post(query, agent, { authorization: `Bearer ${keys.dashboardRead}`, 'content-type': 'application/json' }, Buffer.from(JSON.stringify(spec)));
        if (status !== 200) throw new Error(`POST /v1/query ${JSON.stringify(spec)} answered ${status}: ${text.slice(0, 300)}`);
        if (headers['x-footprint-cache'] !== expect) throw new Error(`POST /v1/query ${JSON.stringify(spec)}: x-footprint-cache ${String(headers['x-footprint-cache'])}, expected ${expect}`);
        return text;
      };
      // A data change the dashboard's answers do not see (an event of another user, years before the range) empties the cache.
      const change = async (): Promise<void> => {
        const event = { event: '$pageview', user_id: 'bench-cache-change', timestamp: '2000-01-01T00:00:00Z', uuid: randomUUID() };
        const { status, text } = await post(eventsUrl, agent, { authorization: `Bearer ${keys.dashboardWrite}`, 'content-type': 'application/x-ndjson' }, Buffer.from(JSON.stringify(event)));
        if (status !== 200 || (JSON.parse(text) as { accepted: number }).accepted !== 1) throw new Error(`POST /v1/events of the cache-emptying event answered ${status}: ${text.slice(0, 300)}`);
      };
      try {
        for (const { widget, spec } of specs) {
          const inProcess = await local.ask(widget);
          rows.push({ engine: 'file-store', events: n, task: widget, ms: roundMs(inProcess.ms) });
          let answer = '';
          const cold = await measure(warm, async () => (answer = await ask(spec, 'miss')), change);
          if (!isDeepStrictEqual(JSON.parse(answer), inProcess.answer)) {
            throw new Error(`the server answers ${widget} differently from the file store in-process:\n${answer.slice(0, 400)}\nvs\n${JSON.stringify(inProcess.answer).slice(0, 400)}`);
          }
          const cached = await measure(warm, () => ask(spec, 'hit'));
          rows.push({ engine: 'server', events: n, task: widget, ms: roundMs(cold.median), cache: 'cold' });
          rows.push({ engine: 'server', events: n, task: widget, ms: roundMs(cached.median), cache: 'warm' });
        }
      } finally {
        agent.destroy();
        await local.close();
      }
    } finally {
      await server.stop();
    }
    return {
      rows,
      run: {
        date: new Date().toISOString(),
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        cores: cpus().length,
        node: process.versions.node,
        ...(await nativeVersions()),
        clients: SERVER_CLIENTS,
        batch: SERVER_BATCH,
        warmRuns: warm,
      },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
