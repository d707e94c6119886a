/**
 * The engines sql.js is compared with: DuckDB and native SQLite
 * (better-sqlite3). They are installed on first use into .cache/tools/bench
 * (scripts/tools.mjs), not by `npm install`: better-sqlite3 compiles SQLite
 * when its prebuilt binary is out of reach, and DuckDB is 70 MB, both for the
 * benchmark alone. Their types: ../duckdb-node-api.d.ts, ../better-sqlite3.d.ts.
 */
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without types.
import { ensureNpmTool, importFromTool, readJson, TOOLS } from '../../scripts/tools.mjs';

const dir = (await ensureNpmTool('bench', TOOLS.bench)) as string;

export const { default: Database } = (await importFromTool(dir, 'better-sqlite3')) as typeof import('better-sqlite3');
export const { DuckDBInstance } = (await importFromTool(dir, '@duckdb/node-api')) as typeof import('@duckdb/node-api');

/** The installed version of one of them, from its package.json. */
export const engineVersion = (pkg: 'better-sqlite3' | '@duckdb/node-api'): string => (readJson(join(dir, 'node_modules', pkg, 'package.json')) as { version: string }).version;
