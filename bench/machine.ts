import { readFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { loadSqlJs } from '../shared/store/sqljs.ts';
import { Database, engineVersion } from './engines/native.ts';

/** Where a run ran, as the results and the README quote it. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  sqljs: string;
  sqljsSqlite: string;
  betterSqlite3: string;
  nativeSqlite: string;
  duckdb: string;
  /** Filled in by the Chromium step, when it runs. */
  chromium?: string;
  warmRuns: number;
}

/** An installed package's version, from its package.json (some packages do not export that file). */
const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

export async function describeMachine(warmRuns: number, duckdbVersion: string): Promise<Machine> {
  const SQL = await loadSqlJs();
  const wasm = new SQL.Database();
  const sqljsSqlite = String(wasm.exec('SELECT sqlite_version()')[0]?.values[0]?.[0]);
  wasm.close();
  const native = new Database(':memory:');
  const nativeSqlite = String((native.prepare('SELECT sqlite_version()').raw(true).all()[0] as unknown[])[0]);
  native.close();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.versions.node,
    sqljs: versionOf('sql.js'),
    sqljsSqlite,
    betterSqlite3: engineVersion('better-sqlite3'),
    nativeSqlite,
    duckdb: duckdbVersion,
    warmRuns,
  };
}
