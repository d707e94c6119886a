/**
 * chdb (ClickHouse 26.7 in-process) for the ClickHouse suite and the
 * benchmark: installed on first use into the tools folder
 * (scripts/tools.mjs, set `chdb`), never a dependency of the package.
 *
 *   const chdb = await openChdb();            // a session with a data folder of its own
 *   await chdb.query('SELECT {n:UInt8} AS n', { n: 1 });   // [{ n: 1 }]
 *   await chdb.close();                       // and its folder is removed
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without types.
import { ensureNpmTool, importFromTool, TOOLS } from '../../scripts/tools.mjs';
import type { ClickHouseCallOptions, ClickHouseExecutor, ClickHouseParams } from '../../server/clickhouse/executor.ts';

/** The part of chdb's `Session` used here (chdb's own types come with the tool, not with the project). */
interface ChdbSession {
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
  const { Session } = (await importFromTool(dir, 'chdb')) as { Session: new (path: string) => ChdbSession };
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
