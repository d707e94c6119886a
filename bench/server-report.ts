/**
 * The server's part of the results (`--server`, bench/server.ts): its
 * tables and its targets. Kept apart from bench/report.ts so that a test
 * can check them without loading the comparison engines.
 */
import { SERVER_TARGETS } from './config.ts';
import type { ResultRow } from './result.ts';

/** Where and how the server's part ran: its own machine line, as it may run apart from the rest. */
export interface ServerRun {
  date: string;
  cpu: string;
  cores: number;
  node: string;
  betterSqlite3: string;
  nativeSqlite: string;
  /** Keep-alive clients posting at once, and events per request. */
  clients: number;
  batch: number;
  warmRuns: number;
}

/** A target of the server, checked (the shape of report.ts's TargetCheck). */
export interface ServerTargetCheck {
  target: string;
  met: boolean;
  actual: string;
  why?: string;
}

/** The engines of the server's rows. */
export const SERVER_ENGINES: ReadonlySet<string> = new Set(['server', 'file-store']);

const number = (value: number): string => value.toLocaleString('en-US');
const ms = (value: number | null | undefined): string => (value == null ? '' : `${number(value)} ms`);

function ingestRows(rows: readonly ResultRow[]): { http?: ResultRow; local?: ResultRow } {
  return { http: rows.find((r) => r.engine === 'server' && r.task === 'ingest'), local: rows.find((r) => r.engine === 'file-store' && r.task === 'ingest') };
}

interface QueryLine {
  task: string;
  events: number;
  inProcess?: number;
  cold?: number;
  warm?: number;
}

/** Each dashboard query's three times, in the order they ran. */
function queryLines(rows: readonly ResultRow[]): QueryLine[] {
  const lines = new Map<string, QueryLine>();
  for (const r of rows) {
    if (!SERVER_ENGINES.has(r.engine) || r.task === 'ingest' || r.ms === null) continue;
    const line = lines.get(r.task) ?? { task: r.task, events: r.events };
    if (r.engine === 'file-store') line.inProcess = r.ms;
    else if (r.cache === 'cold') line.cold = r.ms;
    else if (r.cache === 'warm') line.warm = r.ms;
    lines.set(r.task, line);
  }
  return [...lines.values()];
}

/** `a / b` as the tables print a ratio; '' when either is missing. */
function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b === 0) return '';
  return `${(a / b).toFixed(2)}x`;
}

/** The server's tables in markdown, under their own machine line; '' when the rows hold none of the server's. */
export function serverTable(rows: readonly ResultRow[], run: ServerRun | undefined): string {
  const { http, local } = ingestRows(rows);
  const queries = queryLines(rows);
  if (!http && !local && queries.length === 0) return '';
  const out: string[] = ['', '### Server (`--server`)', ''];
  if (run) {
    out.push(`Run ${run.date} on ${run.cpu}, ${run.cores} cores, Node ${run.node}, better-sqlite3 ${run.betterSqlite3} (SQLite ${run.nativeSqlite}); ` +
      `\`footprint serve\` built (dist/server/cli.js, as \`npm run build\` makes it) in a process of its own, its log to a file; ` +
      `${run.clients} keep-alive clients on loopback, ${run.batch} events a request. Queries: ${run.warmRuns ? `median of ${run.warmRuns} runs after one more` : 'one run each'}; ms unless noted.`, '');
  }
  if (http || local) {
    out.push('| ingest | events | events/s | ms | p50 request | p99 request | what |', '|---|---:|---:|---:|---:|---:|---|');
    if (local) out.push(`| file store in-process | ${number(local.events)} | ${number(local.eventsPerSecond ?? 0)} | ${ms(local.ms)} | | | ${local.note ?? ''} |`);
    if (http) out.push(`| over HTTP | ${number(http.events)} | ${number(http.eventsPerSecond ?? 0)} | ${ms(http.ms)} | ${ms(http.p50Ms)} | ${ms(http.p99Ms)} | ${http.note ?? ''} |`);
    if (http?.eventsPerSecond && local?.eventsPerSecond) out.push(`| HTTP / in-process | | ${ratio(http.eventsPerSecond, local.eventsPerSecond)} | | | | events/s over HTTP as a share of the store's own |`);
  }
  if (queries.length) {
    out.push('', `| the demo dashboard's queries, ${number(queries[0]!.events)} events | in-process | HTTP cold | cold / in-process | HTTP warm |`, '|---|---:|---:|---:|---:|');
    for (const q of queries) out.push(`| ${q.task} | ${ms(q.inProcess)} | ${ms(q.cold)} | ${ratio(q.cold, q.inProcess)} | ${ms(q.warm)} |`);
    const sum = (pick: (q: QueryLine) => number | undefined): number | undefined => (queries.every((q) => pick(q) !== undefined) ? Math.round(queries.reduce((s, q) => s + pick(q)!, 0)) : undefined);
    out.push(`| all ${queries.length}, one after another | ${ms(sum((q) => q.inProcess))} | ${ms(sum((q) => q.cold))} | ${ratio(sum((q) => q.cold), sum((q) => q.inProcess))} | ${ms(sum((q) => q.warm))} |`);
  }
  return out.join('\n');
}

/**
 * The server's targets on its rows. `why` gives, by key (`server ingest`,
 * `server p99`, `server http cost`, `server cold`, `server warm`), why a
 * missed one is missed (bench/why-missed.ts).
 */
export function checkServerTargets(rows: readonly ResultRow[], why: Readonly<Record<string, string>>): ServerTargetCheck[] {
  const checks: ServerTargetCheck[] = [];
  const check = (key: string, target: string, met: boolean, actual: string): void => {
    checks.push({ target, met, actual, ...(met ? {} : { why: why[key] ?? 'not analysed' }) });
  };
  const { http, local } = ingestRows(rows);
  if (http?.eventsPerSecond !== undefined) {
    check('server ingest', `ingest over HTTP at least ${number(SERVER_TARGETS.ingestEventsPerSecond)} events/s (32 keep-alive clients, batches of 50)`,
      http.eventsPerSecond >= SERVER_TARGETS.ingestEventsPerSecond, `${number(http.eventsPerSecond)} events/s over ${number(http.events)} events`);
  }
  if (http?.p99Ms !== undefined) {
    check('server p99', `ingest request latency p99 under ${SERVER_TARGETS.ingestP99Ms} ms`, http.p99Ms < SERVER_TARGETS.ingestP99Ms, `p99 ${number(http.p99Ms)} ms, p50 ${number(http.p50Ms ?? 0)} ms`);
  }
  if (http?.eventsPerSecond !== undefined && local?.eventsPerSecond) {
    const share = http.eventsPerSecond / local.eventsPerSecond;
    check('server http cost', `HTTP costs under ${Math.round((1 - SERVER_TARGETS.ingestShareOfInProcess) * 100)}% of ingest: over HTTP at least ${SERVER_TARGETS.ingestShareOfInProcess}x the file store's own events/s`,
      share >= SERVER_TARGETS.ingestShareOfInProcess, `${share.toFixed(2)}x (${number(http.eventsPerSecond)} over HTTP, ${number(local.eventsPerSecond)} in-process)`);
  }
  const queries = queryLines(rows);
  const timed = queries.filter((q) => q.cold !== undefined && q.inProcess !== undefined);
  if (timed.length) {
    const slow = timed.filter((q) => q.cold! > q.inProcess! * SERVER_TARGETS.coldShareOfInProcess);
    const worst = [...timed].sort((a, b) => b.cold! / b.inProcess! - a.cold! / a.inProcess!)[0]!;
    check('server cold', `each of the dashboard's ${timed.length} queries over HTTP, cold, no slower than in-process + ${Math.round((SERVER_TARGETS.coldShareOfInProcess - 1) * 100)}%`, slow.length === 0,
      `${timed.length - slow.length} of ${timed.length} within it; ${slow.length ? `over it: ${slow.map((q) => `${q.task} ${ratio(q.cold, q.inProcess)}`).join(', ')}` : `the slowest ${worst.task} ${ratio(worst.cold, worst.inProcess)}`} on ${number(worst.events)} events`);
  }
  const warm = queries.filter((q) => q.warm !== undefined);
  if (warm.length) {
    const slowest = [...warm].sort((a, b) => b.warm! - a.warm!)[0]!;
    check('server warm', `each of the dashboard's ${warm.length} queries over HTTP, warm (cached), under ${SERVER_TARGETS.warmMs} ms`, slowest.warm! < SERVER_TARGETS.warmMs,
      `the slowest ${slowest.task} ${number(slowest.warm!)} ms on ${number(slowest.events)} events`);
  }
  return checks;
}
