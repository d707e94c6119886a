/**
 * The ClickHouse part of the results (`--clickhouse`, bench/clickhouse.ts):
 * its tables, kept apart from bench/report.ts (as the server's are) so that
 * a test can check them without loading any engine.
 */
import type { Engine, ResultRow } from './result.ts';

/** Where and how the ClickHouse part ran: its own machine line, as it runs apart from the rest. */
export interface ClickHouseRun {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  /** The chdb package and the ClickHouse it embeds. */
  chdb: string;
  clickhouse: string;
  sqljs: string;
  betterSqlite3: string;
  duckdb: string;
  /** Events per `ingestClickHouse` call. */
  batch: number;
  /** Timed runs after the cold one, at the first size and at the larger ones. */
  warmRuns: number;
  largeWarmRuns: number;
}

/** What `--clickhouse` measured: every engine's rows, side by side in one run. */
export interface ClickHouseFigures {
  run: ClickHouseRun;
  rows: ResultRow[];
}

const ENGINES: { engine: Engine; label: string }[] = [
  { engine: 'sqljs', label: 'sql.js (Footprint)' },
  { engine: 'sqlite', label: 'SQLite native' },
  { engine: 'duckdb', label: 'DuckDB' },
  { engine: 'clickhouse', label: 'ClickHouse (chdb)' },
];

const number = (value: number): string => value.toLocaleString('en-US');

/** The tasks of the part's rows, in the order they first ran; sizes ascending. */
function tasksAndSizes(rows: readonly ResultRow[]): { tasks: string[]; sizes: number[] } {
  const storage = new Set(['file size', 'storage']);
  const tasks = [...new Set(rows.map((r) => (storage.has(r.task) ? 'storage' : r.task)))];
  return { tasks, sizes: [...new Set(rows.map((r) => r.events))].sort((a, b) => a - b) };
}

/**
 * The row of `engine` for `task` at `events`. `storage` is sql.js's
 * exported file (`file size`; native SQLite loads the same bytes) or
 * ClickHouse's parts on disk (`storage`).
 */
function find(rows: readonly ResultRow[], engine: Engine, events: number, task: string): ResultRow | undefined {
  const names = task === 'storage' ? ['file size', 'storage'] : [task];
  return rows.find((r) => r.engine === engine && r.events === events && names.includes(r.task));
}

/** A row's size in bytes (its bytes per event times its events), for `storage`. */
function bytes(row: ResultRow | undefined): number | undefined {
  return row?.bytesPerEvent === undefined ? undefined : row.bytesPerEvent * row.events;
}

function cell(row: ResultRow | undefined): string {
  if (!row) return '';
  if (row.bytesPerEvent !== undefined) return `${number(row.bytesPerEvent)} bytes/event`;
  if (row.ms === null) return 'n/a';
  const rate = row.eventsPerSecond === undefined ? '' : ` (${number(Math.round(row.eventsPerSecond / 1000))}k ev/s)`;
  return `${number(row.ms)} ms${rate}`;
}

/** `a / b` as the tables print a ratio; '' when either is missing. */
function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || b === 0) return '';
  return `${(a / b).toFixed(a / b < 10 ? 2 : 1)}x`;
}

/**
 * How each engine's cost grows from the smallest size to `events`: time at
 * `events` over time at the smallest (for ingest and each query), bytes over
 * bytes for storage; '' where either is missing.
 */
export function growth(rows: readonly ResultRow[], engine: Engine, task: string, events: number): string {
  const { sizes } = tasksAndSizes(rows);
  const small = find(rows, engine, sizes[0]!, task);
  const large = find(rows, engine, events, task);
  if (task === 'storage') return ratio(bytes(large), bytes(small));
  return ratio(large?.ms, small?.ms);
}

/** The part's tables in markdown under their own machine line; '' when there are none. */
export function clickhouseTable(figures: ClickHouseFigures | undefined): string {
  if (!figures || figures.rows.length === 0) return '';
  const { run, rows } = figures;
  const { tasks, sizes } = tasksAndSizes(rows);
  const out: string[] = ['', '### ClickHouse (`--clickhouse`)', ''];
  out.push(
    `Run ${run.date} on ${run.cpu}, ${run.cores} cores, ${run.memoryGb} GB, Node ${run.node}; chdb ${run.chdb} (ClickHouse ${run.clickhouse} in-process), ` +
      `sql.js ${run.sqljs}, better-sqlite3 ${run.betterSqlite3}, DuckDB ${run.duckdb}. ClickHouse: the server's ingest (\`ingestClickHouse\`, ${number(run.batch)} events a call) ` +
      `into the server's table, queries through \`answerClickHouse\`, each answer checked equal to native SQLite's first; ` +
      `${run.warmRuns ? `median of ${run.warmRuns} warm runs after one cold run${sizes.length > 1 ? ` (${run.largeWarmRuns} at ${sizes.slice(1).map(number).join(', ')} events)` : ''}` : 'one run each'}; ms unless noted.`,
  );
  for (const events of sizes) {
    const present = ENGINES.filter((e) => rows.some((r) => r.engine === e.engine && r.events === events));
    out.push('', `#### ${number(events)} events`, '');
    out.push(`| task | ${present.map((e) => e.label).join(' | ')} | ClickHouse / SQLite |`);
    out.push(`|---|${present.map(() => '---:').join('|')}|---:|`);
    for (const task of tasks) {
      const cells = present.map((e) => find(rows, e.engine, events, task));
      if (cells.every((c) => c === undefined)) continue;
      const chdb = find(rows, 'clickhouse', events, task);
      const native = find(rows, 'sqlite', events, task);
      out.push(`| ${task} | ${cells.map(cell).join(' | ')} | ${task === 'storage' ? '' : ratio(chdb?.ms, native?.ms)} |`);
    }
    const memory = present.map((e) => rows.find((r) => r.engine === e.engine && r.events === events && r.peakMemoryMB !== undefined)?.peakMemoryMB);
    out.push(`| peak memory (RSS growth) | ${memory.map((mb) => (mb === undefined ? '' : `${number(Math.max(0, mb))} MB`)).join(' | ')} | |`);
  }
  for (const events of sizes.slice(1)) {
    const grown = ENGINES.filter((e) => e.engine !== 'duckdb' && rows.some((r) => r.engine === e.engine && r.events === events));
    out.push('', `#### Growth from ${number(sizes[0]!)} to ${number(events)} events (${number(Math.round((10 * events) / sizes[0]!) / 10)}x the events): cost at ${number(events)} / cost at ${number(sizes[0]!)}`, '');
    out.push(`| task | ${grown.map((e) => e.label).join(' | ')} |`, `|---|${grown.map(() => '---:').join('|')}|`);
    for (const task of tasks) {
      const cells = grown.map((e) => growth(rows, e.engine, task, events));
      if (cells.some(Boolean)) out.push(`| ${task} | ${cells.join(' | ')} |`);
    }
  }
  const notes = rows.filter((r) => r.note && (r.ms === null || r.task === 'ingest' || r.task === 'storage'));
  if (notes.length) {
    out.push('', '#### Notes', '');
    const seen = new Set<string>();
    for (const r of notes) {
      const line = `- ${ENGINES.find((e) => e.engine === r.engine)?.label ?? r.engine}, ${r.task === 'ingest' || r.task === 'storage' ? `${r.task} at ${number(r.events)}` : r.task}: ${r.note}`;
      if (!seen.has(line)) out.push(line);
      seen.add(line);
    }
  }
  return out.join('\n');
}
