/**
 * chdb (ClickHouse 26.7 in-process) for the ClickHouse suite and the
 * benchmark: installed on first use into the tools folder
 * (scripts/tools.mjs, set `chdb`), never a dependency of the package.
 *
 *   const chdb = await openChdb();            // a session with a data folder of its own
 *   await chdb.query('SELECT {n:UInt8} AS n', { n: 1 });   // [{ n: 1 }]
 *   await chdb.close();                       // and its folder is removed
 *
 * The query side's differential suite takes a bare session instead
 * (`openChdbSession`, `chdbExecutor`, `createSchema`), with the one-node
 * schema of a view over the local table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error: a plain .mjs script without types.
import { ensureNpmTool, importFromTool, TOOLS } from '../../scripts/tools.mjs';
import type { ClickHouseCallOptions, ClickHouseExecutor, ClickHouseParams } from '../../server/clickhouse/executor.ts';
import type { ClickHouseExecutor as QueryExecutor } from '../../server/clickhouse/query/executor.ts';
import { EVENT_COLUMNS, EVENT_ENGINE } from '../../server/clickhouse/schema.ts';

/** The part of chdb's `Session` used here (chdb's own types come with the tool, not with the project). */
interface ExecutorSession {
  queryAsync(sql: string, options?: { format?: string }): Promise<{ text(): string }>;
  queryBindAsync(sql: string, params: object, options?: { format?: string }): Promise<{ text(): string }>;
  close(): void;
}

/** A chdb session as an executor, with the folder it keeps its data in. */
export interface Chdb extends ClickHouseExecutor {
  readonly path: string;
}

/**
 * The settings of a call, as the statement's own SETTINGS clause (chdb takes
 * no settings beside a statement). The callers' settings are numbers of
 * their own (`mutations_sync`), never values from input: a string is
 * refused rather than quoted.
 */
function withSettings(sql: string, options?: ClickHouseCallOptions): string {
  const settings = Object.entries(options?.settings ?? {});
  if (settings.length === 0) return sql;
  for (const [name, value] of settings) {
    if (!/^[a-z_]+$/.test(name) || typeof value !== 'number') throw new Error(`chdb: setting ${name} must be a number, got ${JSON.stringify(value)}`);
  }
  return `${sql} SETTINGS ${settings.map(([name, value]) => `${name} = ${value}`).join(', ')}`;
}

/**
 * Opens a chdb session in a fresh folder (removed by `close`). Values go
 * through chdb's own server-side binding (`queryBindAsync`, the same
 * `{name:Type}` placeholders as a server's), so no value is ever written
 * into a statement; inserted rows go as JSONEachRow data after `FORMAT`.
 */
export async function openChdb(): Promise<Chdb> {
  const dir = (await ensureNpmTool('chdb', TOOLS.chdb)) as string;
  const { Session } = (await importFromTool(dir, 'chdb')) as { Session: new (path: string) => ExecutorSession };
  const path = mkdtempSync(join(tmpdir(), 'footprint-chdb-'));
  const session = new Session(path);
  const run = async (sql: string, params?: ClickHouseParams, format = 'JSONEachRow'): Promise<string> => {
    const result = params && Object.keys(params).length > 0 ? await session.queryBindAsync(sql, params, { format }) : await session.queryAsync(sql, { format });
    return result.text();
  };
  const lines = (text: string): unknown[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown);
  return {
    path,
    boundParams: true,
    async query<Row>(sql: string, params?: ClickHouseParams, options?: ClickHouseCallOptions): Promise<Row[]> {
      return lines(await run(withSettings(sql, options), params)) as Row[];
    },
    async rows(sql: string, params?: ClickHouseParams): Promise<unknown[][]> {
      return lines(await run(sql, params, 'JSONCompactEachRow')) as unknown[][];
    },
    async command(sql: string, params?: ClickHouseParams, options?: ClickHouseCallOptions): Promise<void> {
      await run(withSettings(sql, options), params);
    },
    async insert(table: string, rows: readonly Record<string, unknown>[], options?: ClickHouseCallOptions): Promise<void> {
      if (rows.length === 0) return;
      // The rows are data after FORMAT, parsed by ClickHouse as JSON: no value is part of the statement's SQL.
      const settings = withSettings('', options);
      await run(`INSERT INTO ${table}${settings} FORMAT JSONEachRow\n${rows.map((row) => JSON.stringify(row)).join('\n')}`);
    },
    async close(): Promise<void> {
      session.close();
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** The part of chdb's Session the suite uses. */
export interface ChdbSession {
  queryBind(query: string, args: object, format?: string): string;
  queryBindAsync(query: string, params: object, opts?: { format?: string }): Promise<{ text(): string }>;
  insert(params: { table: string; values: ReadonlyArray<Record<string, unknown>> }): Promise<unknown>;
  cleanup(): void;
}

interface ToolsModule {
  ensureNpmTool(name: string, packages: string[]): Promise<string>;
  importFromTool(dir: string, name: string): Promise<{ Session: new (path?: string) => ChdbSession }>;
  TOOLS: Record<string, string[]>;
}

/** A new chdb session in a temporary folder, installing chdb first if needed (about 20 s, 550 MB). */
export async function openChdbSession(): Promise<ChdbSession> {
  const tools = (await import(pathToFileURL(resolve(import.meta.dirname, '../../scripts/tools.mjs')).href)) as ToolsModule;
  const dir = await tools.ensureNpmTool('chdb', tools.TOOLS.chdb!);
  const { Session } = await tools.importFromTool(dir, 'chdb');
  return new Session();
}

/**
 * An executor over a chdb session. chdb binds `{name:Type}` parameters
 * itself (queryBind), as a server does `query_params`: no value is spliced
 * into the SQL here either.
 */
export function chdbExecutor(session: ChdbSession): QueryExecutor {
  return {
    async rows(sql, params) {
      const text = (await session.queryBindAsync(sql, params ?? {}, { format: 'JSONCompactEachRow' })).text();
      return text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as unknown[]);
    },
  };
}

/**
 * The one-node schema of the design: `events_local` holds every project's
 * events, deduplicated by ReplacingMergeTree, and `events`, what queries
 * read, is a view of it (on a cluster, a Distributed table).
 */
export function createSchema(session: ChdbSession, database: string): void {
  const db = '`' + database + '`';
  session.queryBind(`CREATE DATABASE IF NOT EXISTS ${db}`, {});
  session.queryBind(
    `CREATE TABLE IF NOT EXISTS ${db}.events_local ${EVENT_COLUMNS} ${EVENT_ENGINE}`,
    {},
  );
  session.queryBind(`CREATE VIEW IF NOT EXISTS ${db}.events AS SELECT * FROM ${db}.events_local`, {});
}

