#!/usr/bin/env node
// Tools that only some commands need, installed from npm on first use into
// the ignored folder .cache/tools and reused afterwards, so `npm install`
// stays small: the benchmark's engines (`npm run bench`), the extension's
// packager (`npm run package`), the VS Code suite's tools (`npm run
// test:e2e`: scripts/e2e/tools.mjs builds Node 24 and code-server on these)
// and chdb, ClickHouse in-process (`npm run test:clickhouse`).
//
//   import { ensureNpmTool, importFromTool, TOOLS } from './tools.mjs';
//   const dir = await ensureNpmTool('bench', TOOLS.bench);
//   const duckdb = await importFromTool(dir, '@duckdb/node-api');
//   node scripts/tools.mjs bench vsce     installs those sets now, prints their folders
//
// A folder counts as installed only once its marker file, listing the
// packages it holds, is written at the end of a successful install; a
// half-finished one, or one holding other versions, is removed and redone.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the tools live; FOOTPRINT_TOOLS (or, as before, FOOTPRINT_E2E_TOOLS) overrides, e.g. a shared cache. */
export const TOOLS_DIR = resolve(process.env.FOOTPRINT_TOOLS ?? process.env.FOOTPRINT_E2E_TOOLS ?? join(root, '.cache', 'tools'));
export const MARKER = '.footprint-installed.json';

/**
 * The sets installed on first use, pinned as package-lock.json pinned them
 * when they were dev dependencies. (better-sqlite3, the server's SQLite, is
 * a dependency of the package: the benchmark takes it from there.)
 */
export const TOOLS = {
  /** `npm run bench`: DuckDB, an engine sql.js is compared with (native SQLite is the server's better-sqlite3). */
  bench: ['@duckdb/node-api@1.5.6-r.1'],
  /** `npm run package`: packs extension/ into a .vsix. */
  vsce: ['@vscode/vsce@3.9.2'],
  /** `npm run test:e2e`: drives Chromium in the VS Code suite. */
  playwright: ['playwright-core@1.65.1'],
  /** `npm run test:clickhouse` and the benchmark's ClickHouse: ClickHouse 26.7 in-process (about 550 MB, its .so from npm). */
  chdb: ['chdb@3.4.0'],
};

export const log = (message) => console.log(`[tools] ${message}`);
export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

export function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs a command with inherited output; rejects with the command line and exit code. */
export function run(command, args, { cwd, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => reject(new Error(`could not start ${command} ${args.join(' ')}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ? `signal ${signal}` : `exit code ${code}`}) in ${cwd ?? process.cwd()}`));
    });
  });
}

/**
 * `npm install packages` into TOOLS_DIR/name, from scratch. `verify(dir)`
 * (optional) checks the result and returns more fields for the marker; it
 * throws to fail the install. Resolves to the folder.
 */
export async function installNpmTool(name, packages, { env, verify, why } = {}) {
  const dir = join(TOOLS_DIR, name);
  const since = Date.now();
  log(`installing ${packages.join(', ')} into ${dir}${why ? `: ${why}` : ''}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `footprint-tools-${name}`, private: true }, null, 2) + '\n');
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], { cwd: dir, env });
  const extra = (await verify?.(dir)) ?? {};
  writeFileSync(join(dir, MARKER), JSON.stringify({ packages, ...extra, installedAt: new Date().toISOString() }) + '\n');
  log(`${packages.join(', ')} installed in ${seconds(since)}`);
  return dir;
}

/** TOOLS_DIR/name when it holds exactly `packages`, else undefined. */
export function npmToolReady(name, packages) {
  const dir = join(TOOLS_DIR, name);
  const marker = readJson(join(dir, MARKER));
  return JSON.stringify(marker?.packages) === JSON.stringify(packages) ? dir : undefined;
}

/** The folder holding `packages`, installed first when missing (see installNpmTool for the options). */
export async function ensureNpmTool(name, packages, options = {}) {
  return npmToolReady(name, packages) ?? installNpmTool(name, packages, options);
}

/** Imports package `name` as installed in a tool folder: its ES module entry when it has one (exports `import`), else its main. */
export async function importFromTool(dir, name) {
  const folder = join(dir, 'node_modules', name);
  const manifest = readJson(join(folder, 'package.json'));
  if (!manifest) throw new Error(`${name} is not installed in ${dir}: remove that folder and retry`);
  const esm = manifest.exports?.['.']?.import;
  const path = typeof esm === 'string' ? join(folder, esm) : createRequire(join(dir, 'package.json')).resolve(name);
  return import(pathToFileURL(path).href);
}

/** The path of a package's executable in a tool folder (`vsce`). */
export function binOfTool(dir, pkg, bin) {
  const manifest = readJson(join(dir, 'node_modules', pkg, 'package.json'));
  const rel = typeof manifest?.bin === 'string' ? manifest.bin : manifest?.bin?.[bin];
  if (!rel) throw new Error(`${pkg} in ${dir} has no "${bin}" executable: remove that folder and retry`);
  return join(dir, 'node_modules', pkg, rel);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !(name in TOOLS));
  if (names.length === 0 || unknown.length) {
    console.error(`usage: node scripts/tools.mjs ${Object.keys(TOOLS).join(' | ')} ...${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    process.exit(2);
  }
  try {
    for (const name of names) console.log(`${name}: ${await ensureNpmTool(name, TOOLS[name])}`);
  } catch (error) {
    console.error(`[tools] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
