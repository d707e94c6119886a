import type { ClickHouseFigures } from './clickhouse-report.ts';
import type { Machine } from './machine.ts';
import { TARGETS } from './config.ts';
import type { Engine, ResultRow } from './result.ts';
import { checkServerTargets, SERVER_ENGINES, serverTable, type ServerRun } from './server-report.ts';
import { checkVscodeTargets, vscodeTable, type VscodeFigures } from './vscode-report.ts';

/** One of the issue's targets, checked against a run. */
export interface TargetCheck {
  target: string;
  met: boolean;
  /** The measured figure, as words. */
  actual: string;
  /** Why it is missed (empty when met). */
  why?: string;
}

export interface Results {
  date: string;
  machine: Machine;
  rows: ResultRow[];
  targets: TargetCheck[];
  /** Where the server's rows were measured (`--server` runs apart from the rest, on a date of its own). */
  serverRun?: ServerRun;
  /** What footprint/vscode costs an extension (`--vscode`, measured on a date of its own). */
  vscode?: VscodeFigures;
  /** The ClickHouse backend on chdb beside the other engines (`--clickhouse`, measured on a date of its own). */
  clickhouse?: ClickHouseFigures;
}

const ENGINES: { engine: Engine; label: string }[] = [
  { engine: 'sqljs', label: 'sql.js (Footprint)' },
  { engine: 'sqlite', label: 'SQLite native' },
  { engine: 'duckdb', label: 'DuckDB' },
];

const number = (value: number): string => value.toLocaleString('en-US');

function find(rows: readonly ResultRow[], engine: Engine, events: number, task: string): ResultRow | undefined {
  return rows.find((r) => r.engine === engine && r.events === events && r.task === task);
}

function cell(row: ResultRow | undefined): string {
  if (!row) return '';
  if (row.bytesPerEvent !== undefined) return `${number(row.bytesPerEvent)} bytes/event`;
  if (row.ms === null && row.peakMemoryMB !== undefined) return `${number(row.peakMemoryMB)} MB peak growth`;
  if (row.ms === null) return 'n/a';
  const rate = row.eventsPerSecond === undefined ? '' : ` (${number(Math.round(row.eventsPerSecond / 1000))}k ev/s)`;
  return `${number(row.ms)} ms${rate}`;
}

function ratio(ours: ResultRow | undefined, other: ResultRow | undefined): string {
  if (!ours || !other || ours.ms === null || other.ms === null || other.ms === 0) return '';
  return `${(ours.ms / other.ms).toFixed(ours.ms / other.ms < 10 ? 2 : 0)}x`;
}

/** The markdown tables: one per event count, engine columns and sql.js's ratios to the others. */
export function markdownTable(results: Results): string {
  const { rows, machine } = results;
  const out: string[] = [];
  out.push(`Run ${results.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}; ` +
    `sql.js ${machine.sqljs} (SQLite ${machine.sqljsSqlite}), better-sqlite3 ${machine.betterSqlite3} (SQLite ${machine.nativeSqlite}), DuckDB ${machine.duckdb}` +
    `${machine.chromium ? `, ${machine.chromium}` : ''}. Median of ${machine.warmRuns} warm runs after one cold run; ms unless noted.`);
  const engineRows = rows.filter((r) => r.engine !== 'chromium' && !SERVER_ENGINES.has(r.engine));
  const sizes = [...new Set(engineRows.map((r) => r.events))].sort((a, b) => a - b);
  for (const events of sizes) {
    out.push('', `### ${number(events)} events`, '');
    out.push(`| task | ${ENGINES.map((e) => e.label).join(' | ')} | sql.js / SQLite | sql.js / DuckDB |`);
    out.push(`|---|${ENGINES.map(() => '---:').join('|')}|---:|---:|`);
    const tasks = [...new Set(engineRows.filter((r) => r.events === events).map((r) => r.task))];
    for (const task of tasks) {
      const [ours, sqlite, duckdb] = ENGINES.map((e) => find(rows, e.engine, events, task));
      out.push(`| ${task} | ${[ours, sqlite, duckdb].map(cell).join(' | ')} | ${ratio(ours, sqlite)} | ${ratio(ours, duckdb)} |`);
    }
    const memory = ENGINES.map((e) => find(rows, e.engine, events, 'ingest')?.peakMemoryMB);
    // A negative growth means the collector freed more than the engine took: shown as 0.
    out.push(`| peak memory (RSS growth) | ${memory.map((mb) => (mb === undefined ? '' : `${number(Math.max(0, mb))} MB`)).join(' | ')} | | |`);
  }
  const browser = rows.filter((r) => r.engine === 'chromium');
  if (browser.length) {
    out.push('', '### Chromium: the demo dashboard', '');
    out.push('| events | task | ms | what |', '|---:|---|---:|---|');
    for (const r of browser) out.push(`| ${number(r.events)} | ${r.task} | ${cell(r)} | ${r.note ?? ''} |`);
  }
  const server = serverTable(rows, results.serverRun);
  if (server) out.push(server);
  const vscode = vscodeTable(results.vscode);
  if (vscode) out.push(vscode);
  const notes = rows.filter((r) => r.ms === null && r.note && r.bytesPerEvent === undefined && r.peakMemoryMB === undefined);
  if (notes.length) {
    out.push('', '### Not measured', '');
    const seen = new Set<string>();
    for (const r of notes) {
      const line = `- ${ENGINES.find((e) => e.engine === r.engine)?.label ?? r.engine}, ${r.task}: ${r.note}`;
      if (!seen.has(line)) out.push(line);
      seen.add(line);
    }
  }
  out.push('', '### Targets', '');
  for (const t of results.targets) out.push(`- ${t.met ? 'met' : '**missed**'}: ${t.target}: ${t.actual}${t.why ? `. Why: ${t.why}` : ''}`);
  return out.join('\n');
}

/**
 * Checks the issue's targets on the largest run that has each figure (the
 * query and memory targets at most at `queryTargetEvents`), then the VS Code
 * library's on `vscode` when given. `why` gives, by task, the reason a
 * missed target is missed (bench/why-missed.ts).
 */
export function checkTargets(rows: readonly ResultRow[], why: Readonly<Record<string, string>>, vscode?: VscodeFigures): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const check = (key: string, target: string, met: boolean, actual: string): void => {
    checks.push({ target, met, actual, ...(met ? {} : { why: why[key] ?? 'not analysed' }) });
  };
  const largest = (task: string): ResultRow | undefined => rows.filter((r) => r.engine === 'sqljs' && r.task === task).sort((a, b) => b.events - a.events)[0];
  const ingest = largest('ingest');
  if (ingest?.eventsPerSecond !== undefined) {
    const duck = find(rows, 'duckdb', ingest.events, 'ingest')?.eventsPerSecond;
    check('ingest', `ingest at least as many events/s as DuckDB's in the same run (long-range goal: ${number(TARGETS.ingestEventsPerSecond)} events/s)`,
      duck !== undefined && ingest.eventsPerSecond >= duck, `${number(ingest.eventsPerSecond)} events/s, DuckDB ${duck === undefined ? '?' : number(duck)} events/s, on ${number(ingest.events)} events`);
  }
  const size = largest('file size');
  if (size?.bytesPerEvent !== undefined) {
    check('file size', `exported file at most ${TARGETS.bytesPerEvent} bytes per event`, size.bytesPerEvent <= TARGETS.bytesPerEvent, `${number(size.bytesPerEvent)} bytes per event on ${number(size.events)} events`);
  }
  const queryEvents = Math.max(...rows.filter((r) => r.engine === 'sqljs').map((r) => r.events), 0);
  const atTarget = Math.min(queryEvents, TARGETS.queryTargetEvents);
  const memory = find(rows, 'sqljs', atTarget, 'ingest memory');
  if (memory?.peakMemoryMB !== undefined) {
    check('ingest memory', `peak memory growth of ingest at most ${TARGETS.ingestMemoryMb} MB, over ${number(atTarget)} events`, memory.peakMemoryMB <= TARGETS.ingestMemoryMb, `${number(memory.peakMemoryMB)} MB`);
  }
  for (const ours of rows.filter((r) => r.engine === 'sqljs' && r.events === atTarget && r.ms !== null && !['ingest', 'export', 'reopen'].includes(r.task))) {
    const duck = find(rows, 'duckdb', atTarget, ours.task);
    const native = find(rows, 'sqlite', atTarget, ours.task);
    check(ours.task, `${ours.task} over ${number(atTarget)} events under ${TARGETS.queryMs} ms and no slower than DuckDB`,
      ours.ms! < TARGETS.queryMs && duck?.ms != null && ours.ms! <= duck.ms,
      `${number(ours.ms!)} ms, ${ratio(ours, duck) || '?'} DuckDB (${duck?.ms ?? '?'} ms), ${ratio(ours, native) || '?'} native SQLite (${native?.ms ?? '?'} ms)`);
  }
  const chromium = (task: string, key: string, ms: number, target: string): void => {
    const row = rows.find((r) => r.engine === 'chromium' && r.task === task);
    if (row?.ms != null) check(key, target, row.ms <= ms, `${number(row.ms)} ms on ${number(row.events)} events`);
  };
  chromium('dashboard', 'dashboard', TARGETS.dashboardMs, `every widget of the demo dashboard rendered within ${number(TARGETS.dashboardMs)} ms of the data being loaded`);
  chromium('first widget', 'first widget', TARGETS.firstWidgetMs, `the first widget of the demo dashboard rendered within ${number(TARGETS.firstWidgetMs)} ms of the data being loaded`);
  checks.push(...checkServerTargets(rows, why));
  checks.push(...checkVscodeTargets(vscode, why));
  return checks;
}
