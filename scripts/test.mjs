#!/usr/bin/env node
// `npm test`: type check, Node suite (mocha + tsx), browser suite
// (@web/test-runner in Chromium), each printed live, then a summary whose last
// line is exactly `N passed, N failed` (the type check counts as one test).
//
//   node scripts/test.mjs                  all three
//   node scripts/test.mjs node browser     a subset: types | node | browser
//
// Counting: mocha runs with scripts/mocha-reporter.cjs (spec output plus a JSON
// tally), web-test-runner with the counting reporter of
// web-test-runner.config.mjs (JSON tally in WTR_SUMMARY_FILE). A suite that
// ends without its tally, exits non-zero with no failed test, or runs no test
// at all counts one failure more, and says why.
//
// When FOOTPRINT_COUNTS_DIR is set (by .ci/run), each suite also writes
// `<dir>/<suite>.counts` holding one line `PASSED FAILED`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const ORDER = ['types', 'node', 'browser'];
const isCI = Boolean(process.env.CI) && process.env.CI !== 'false';

function bin(pkg, name) {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
  if (!rel) throw new Error(`${pkg} has no "${name}" executable: run npm ci`);
  return join(root, 'node_modules', pkg, rel);
}

/** Runs a Node CLI with inherited stdio; resolves to its exit code (signals count as 1). */
function runNode(script, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.on('error', (error) => {
      console.error(`could not start ${script}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

function readTally(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Turns a runner's exit code and JSON tally into a suite result. */
function fromTally(tool, code, tally) {
  const result = { passed: 0, failed: 0, skipped: 0, failures: [], notes: [] };
  if (!tally) {
    result.failed = 1;
    result.notes.push(`${tool} ended (exit code ${code}) without reporting its tests: see its output above`);
    return result;
  }
  result.passed = Number(tally.passed) || 0;
  result.failed = Number(tally.failed) || 0;
  result.skipped = Number(tally.skipped) || 0;
  result.failures = Array.isArray(tally.failures) ? tally.failures : [];
  if (code !== 0 && result.failed === 0) {
    result.failed += 1;
    result.notes.push(`${tool} exited with code ${code} although no test failed: see its output above`);
  }
  if (result.passed + result.failed === 0) {
    result.failed += 1;
    result.notes.push(`no test ran${result.skipped ? ` (${result.skipped} skipped)` : ''}`);
  }
  return result;
}

const suites = {
  async types() {
    // The product, then the benchmark (its own tsconfig: Node-only, with the comparison engines' types).
    const code = (await runNode(bin('typescript', 'tsc'), ['--noEmit', '-p', 'tsconfig.json'])) || (await runNode(bin('typescript', 'tsc'), ['--noEmit', '-p', 'bench']));
    return code === 0
      ? { passed: 1, failed: 0, skipped: 0, failures: [], notes: [] }
      : { passed: 0, failed: 1, skipped: 0, failures: [`tsc --noEmit: type errors (exit code ${code})`], notes: [] };
  },

  async node(work) {
    const output = join(work, 'mocha.json');
    const args = ['test/**/*.test.ts', '--reporter', join(root, 'scripts/mocha-reporter.cjs'), '--reporter-option', `output=${output}`];
    if (isCI) args.push('--forbid-only');
    // The demo test drives Chromium from Node; without one it fails and says why.
    let env = {};
    try {
      env = { CHROME_PATH: ensureChromium() };
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
    }
    const code = await runNode(bin('mocha', 'mocha'), args, env);
    return fromTally('mocha', code, readTally(output));
  },

  async browser(work) {
    let chrome;
    try {
      chrome = ensureChromium();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(message);
      return { passed: 0, failed: 1, skipped: 0, failures: [], notes: [`no browser: ${message}`] };
    }
    console.log(`Chromium: ${chrome}`);
    const output = join(work, 'wtr.json');
    const code = await runNode(bin('@web/test-runner', 'web-test-runner'), ['--config', join(root, 'web-test-runner.config.mjs')], {
      CHROME_PATH: chrome,
      WTR_SUMMARY_FILE: output,
    });
    return fromTally('web-test-runner', code, readTally(output));
  },
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !ORDER.includes(name));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; usage: node scripts/test.mjs [${ORDER.join('] [')}]`);
  process.exit(2);
}
const selected = requested.length ? ORDER.filter((name) => requested.includes(name)) : ORDER;
const countsDir = process.env.FOOTPRINT_COUNTS_DIR;
const work = mkdtempSync(join(tmpdir(), 'footprint-test-'));
const results = {};

try {
  for (const name of selected) {
    console.log(`\n=== ${name} ${'='.repeat(Math.max(3, 66 - name.length))}\n`);
    try {
      results[name] = await suites[name](work);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(message);
      results[name] = { passed: 0, failed: 1, skipped: 0, failures: [], notes: [`could not run: ${message}`] };
    }
    if (countsDir) {
      mkdirSync(countsDir, { recursive: true });
      writeFileSync(join(countsDir, `${name}.counts`), `${results[name].passed} ${results[name].failed}\n`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

let passed = 0;
let failed = 0;
console.log(`\n=== summary ${'='.repeat(59)}`);
for (const name of selected) {
  const r = results[name];
  passed += r.passed;
  failed += r.failed;
  const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
  console.log(`${r.failed ? 'FAIL' : 'ok  '} ${name.padEnd(8)} ${r.passed} passed, ${r.failed} failed${skipped}`);
  const shown = r.failures.slice(0, 20);
  for (const failure of shown) console.log(`       - ${failure.split('\n')[0]}`);
  if (r.failures.length > shown.length) console.log(`       ... and ${r.failures.length - shown.length} more`);
  for (const note of r.notes) console.log(`       ! ${note}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
