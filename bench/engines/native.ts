/**
 * The engines sql.js is compared with: DuckDB, installed on first use into
 * .cache/tools/bench (scripts/tools.mjs), not by `npm install` (70 MB, for the
 * benchmark alone; its types: ../duckdb-node-api.d.ts), and native SQLite,
 * the server's better-sqlite3.
 */
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without types.
import { ensureNpmTool, importFromTool, readJson, TOOLS } from '../../scripts/tools.mjs';

const dir = (await ensureNpmTool('bench', TOOLS.bench)) as string;

export { Database };
export const { DuckDBInstance } = (await importFromTool(dir, '@duckdb/node-api')) as typeof import('@duckdb/node-api');

/** The installed version of one of them, from its package.json. */
export const engineVersion = (pkg: 'better-sqlite3' | '@duckdb/node-api'): string =>
  (readJson(pkg === 'better-sqlite3' ? createRequire(import.meta.url).resolve('better-sqlite3/package.json') : join(dir, 'node_modules', pkg, 'package.json')) as { version: string }).version;
