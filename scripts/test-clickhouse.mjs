#!/usr/bin/env node
// `npm run test:clickhouse`: the ClickHouse suite (test/clickhouse/*.clickhouse.test.ts),
// which `npm test` leaves out. Installs what it needs on first use:
//   - chdb (ClickHouse 26.7 in-process, about 550 MB) into the tools folder
//     (scripts/tools.mjs set `chdb`; FOOTPRINT_TOOLS moves it),
//   - Debian's clickhouse-server and clickhouse-client (18.16) with apt-get
//     when missing and running as root, for the 2-shard cluster test
//     (scripts/clickhouse-cluster.sh starts and stops it).
// Then runs mocha on each file of the suite in a process of its own (chdb
// keeps one data folder per process, and each file opens its own session);
// prints `N passed, N failed` last and, when
// FOOTPRINT_COUNTS_DIR is set (.ci/run), writes clickhouse.counts there.
//
//   node scripts/test-clickhouse.mjs [mocha arguments, e.g. --grep cluster]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNpmTool, TOOLS } from './tools.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const isCI = Boolean(process.env.CI) && process.env.CI !== 'false';

/** Debian's clickhouse-server, installed when missing and allowed; throws saying how otherwise. */
function ensureClickHouseServer() {
  const found = () => spawnSync('sh', ['-c', 'command -v clickhouse-server && command -v clickhouse-client'], { stdio: 'ignore' }).status === 0;
  if (found()) return;
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('clickhouse-server is not installed: run `sudo apt-get install clickhouse-server clickhouse-client` (Debian), then npm run test:clickhouse again');
  }
  console.log('[clickhouse] installing clickhouse-server and clickhouse-client with apt-get (about 30 s)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'clickhouse-server', 'clickhouse-client'], { stdio: 'inherit', env }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    if (!install()) throw new Error('apt-get could not install clickhouse-server clickhouse-client');
  }
}

function runMocha(file, output, extra) {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules/mocha/package.json'), 'utf8'));
  const mocha = join(root, 'node_modules/mocha', typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.mocha);
  // --no-config: .mocharc.json leaves these files out of `npm test`.
  const args = [
    '--no-config',
    '--extension', 'ts',
    '--node-option', 'import=tsx',
    '--timeout', '120000',
    '--reporter', join(root, 'scripts/mocha-reporter.cjs'),
    '--reporter-option', `output=${output}`,
    ...(isCI ? ['--forbid-only'] : []),
    file,
    ...extra,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mocha, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      console.error(`could not start mocha: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

const work = mkdtempSync(join(tmpdir(), 'footprint-test-clickhouse-'));
let passed = 0;
let failed = 0;
try {
  await ensureNpmTool('chdb', TOOLS.chdb);
  ensureClickHouseServer();
  const files = readdirSync(join(root, 'test', 'clickhouse'))
    .filter((name) => name.endsWith('.clickhouse.test.ts'))
    .sort()
    .map((name) => join('test', 'clickhouse', name));
  for (const file of files) {
    const output = join(work, `${files.indexOf(file)}.json`);
    const code = await runMocha(file, output, process.argv.slice(2));
    const tally = existsSync(output) ? JSON.parse(readFileSync(output, 'utf8')) : undefined;
    const filePassed = Number(tally?.passed) || 0;
    let fileFailed = Number(tally?.failed) || 0;
    if (!tally) console.error(`mocha ended on ${file} (exit code ${code}) without reporting its tests: see its output above`);
    // A file whose tests a --grep left out passes nothing and fails nothing: that is no failure.
    if (!tally || (code !== 0 && fileFailed === 0)) fileFailed += 1;
    passed += filePassed;
    failed += fileFailed;
  }
  if (passed + failed === 0) failed += 1;
} catch (error) {
  console.error(`[clickhouse] ${error instanceof Error ? error.message : String(error)}`);
  failed += 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (process.env.FOOTPRINT_COUNTS_DIR) {
  mkdirSync(process.env.FOOTPRINT_COUNTS_DIR, { recursive: true });
  writeFileSync(join(process.env.FOOTPRINT_COUNTS_DIR, 'clickhouse.counts'), `${passed} ${failed}\n`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
