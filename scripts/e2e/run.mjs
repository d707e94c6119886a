#!/usr/bin/env node
// `npm run test:e2e`: the Footprint extension and the Word Count example in a real VS Code (code-server), driven
// by playwright-core in Chromium. Steps:
//   1. tools (tools.mjs): Node 24 + code-server in .cache/tools, installed on first use;
//   2. the extensions the chosen scenarios test, packaged once each:
//      `npm run package` -> footprint-<version>.vsix (or FOOTPRINT_VSIX=path to skip),
//      `npm run package:example` -> the Word Count example's word-count-<version>.vsix
//      (or FOOTPRINT_EXAMPLE_VSIX=path to skip);
//   3. every scenario test/e2e/*.e2e.mjs, each in a fresh profile (its own
//      user data, extensions folder and workspace, its extension's .vsix
//      installed there), its own code-server on a free loopback port, a new
//      browser context;
//   4. a summary whose last line is `N passed, N failed`, and with
//      FOOTPRINT_COUNTS_DIR set (.ci/run) the file e2e.counts (`PASSED FAILED`).
// Exits 1 when anything failed. Screenshots go to dist/e2e/.
//
//   node scripts/e2e/run.mjs                 all scenarios
//   node scripts/e2e/run.mjs consent export  only scenarios whose file name contains a word
// Environment: FOOTPRINT_VSIX, FOOTPRINT_EXAMPLE_VSIX (a .vsix to test instead of packaging),
// FOOTPRINT_E2E_KEEP=1 (keep every profile folder; failed ones are always kept),
// CHROME_PATH (the browser), FOOTPRINT_E2E_TOOLS (where the tools live).
//
// A scenario module exports `title`, optionally `settings` (user settings
// written before code-server starts), `timeoutMs`, `extension` (which
// extension it tests: 'footprint', the default, or 'example', the Word
// Count example of examples/vscode-word-count) and `before(t)` (run after
// the profile is made and before code-server starts, e.g. to start a
// Footprint server or write files into the workspace; it may resolve to
// `{ env }`, variables code-server and so the extension host get), and a
// default `async function (t)`; `t` is described at `makeContext` below.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureTools } from './tools.mjs';
import { createProfile, globalStorage, installExtension, keepProfile, launchBrowser, openWorkbench, removeProfile, startCodeServer, writeSettings } from './vscode.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCENARIO_DIR = join(root, 'test', 'e2e');
export const SCREENSHOT_DIR = join(root, 'dist', 'e2e');
const DEFAULT_TIMEOUT_MS = 240_000;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[e2e] ${message}`);

function writeCounts(passed, failed) {
  const dir = process.env.FOOTPRINT_COUNTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'e2e.counts'), `${passed} ${failed}\n`);
}

/** Stops the run before any scenario: one failure, said plainly. */
function failEarly(message) {
  console.error(`\n[e2e] ${message}`);
  writeCounts(0, 1);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

function npmRun(script) {
  return new Promise((resolvePromise) => {
    const child = spawn('npm', ['run', script], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolvePromise(1));
    child.on('exit', (code, signal) => resolvePromise(signal ? 1 : (code ?? 1)));
  });
}

/**
 * The extensions a scenario can test: where its manifest is (its
 * publisher.name is the extension id), the npm script that packages it,
 * the environment variable that names a .vsix instead, and where the
 * script writes the .vsix and what it is called.
 */
const EXTENSIONS = {
  footprint: { folder: 'extension', script: 'package', vsixVariable: 'FOOTPRINT_VSIX', vsixFolders: [root, join(root, 'extension'), join(root, 'dist')] },
  example: { folder: join('examples', 'vscode-word-count'), script: 'package:example', vsixVariable: 'FOOTPRINT_EXAMPLE_VSIX', vsixFolders: [join(root, 'examples', 'vscode-word-count')] },
};

/** An extension's manifest (package.json). */
function extensionManifest(kind) {
  const path = join(root, EXTENSIONS[kind].folder, 'package.json');
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Packages an extension (`kind`: a key of EXTENSIONS) with its npm script and returns the .vsix it made. */
async function packageExtension(kind) {
  const { script, vsixVariable, vsixFolders } = EXTENSIONS[kind];
  if (process.env[vsixVariable]) {
    const vsix = resolve(process.env[vsixVariable]);
    if (!existsSync(vsix)) failEarly(`${vsixVariable}=${process.env[vsixVariable]}: no such file`);
    log(`testing ${relative(root, vsix) || vsix} (${vsixVariable}; not packaging)`);
    return vsix;
  }
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  if (kind === 'example' && !scripts[script]) failEarly(`The root package.json has no "${script}" script, so the example extension cannot be packaged. To test a .vsix built another way, set ${vsixVariable}=path/to/it.vsix.`);
  if (kind === 'footprint' && !scripts.package) {
    failEarly(
      'The root package.json has no "package" script, so there is no extension to test. ' +
        '`npm run package` must build the extension (extension/) into footprint-<version>.vsix (issue 6). ' +
        'To test a .vsix built another way, set FOOTPRINT_VSIX=path/to/it.vsix.',
    );
  }
  const since = Date.now();
  const manifest = extensionManifest(kind) ?? {};
  const name = manifest.name ?? 'footprint';
  log(`packaging ${manifest.displayName ?? name}: npm run ${script}`);
  const code = await npmRun(script);
  if (code !== 0) failEarly(`npm run ${script} failed (exit code ${code}): see its output above`);
  // The newest <name>-*.vsix written by this packaging, wherever the script puts it.
  const candidates = vsixFolders
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).filter((file) => file.startsWith(`${name}-`) && file.endsWith('.vsix')).map((file) => join(dir, file)))
    .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
    .filter((file) => file.mtime >= since - 1000)
    .sort((a, b) => b.mtime - a.mtime);
  const exact = candidates.find((file) => manifest.version && basename(file.path) === `${name}-${manifest.version}.vsix`);
  const vsix = (exact ?? candidates[0])?.path;
  if (!vsix) failEarly(`npm run ${script} succeeded but wrote no ${name}-*.vsix in ${vsixFolders.map((dir) => relative(root, dir) || '.').join(', ')}`);
  log(`packaged ${relative(root, vsix)} in ${seconds(Date.now() - since)}`);
  return vsix;
}

function findScenarios(filters) {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR)
    .filter((name) => name.endsWith('.e2e.mjs'))
    .filter((name) => filters.length === 0 || filters.some((word) => name.includes(word)))
    .sort()
    .map((name) => join(SCENARIO_DIR, name));
}

/**
 * What a scenario gets:
 *   t.vscode     the Workbench (vscode.mjs) of the page; replaced by restart()
 *   t.page       its Playwright page
 *   t.profile    { root, userData, extensions, workspace }
 *   t.storage    the extension's global storage folder
 *   t.extension  { kind, id, manifest } (kind: 'footprint' or 'example')
 *   t.env        variables code-server starts with, besides the tools' (what `before(t)` gave)
 *   t.defer(fn)  runs `fn` after the scenario, whatever happens (last deferred first), e.g. to stop a server it started
 *   t.step(name, fn)       runs and prints one step; a failure ends the scenario
 *   t.check(name, fn)      the same, but the scenario goes on and fails at its end
 *   t.screenshot(name, { height })  dist/e2e/<name>.png (window `height` px tall); resolves to the path
 *   t.restart({ settings }) stops code-server, rewrites settings when given, starts it and reopens the page
 */
function makeContext({ tools, browser, profile, extension, name }) {
  const t = {
    profile,
    extension,
    storage: globalStorage(profile, extension.id),
    server: undefined,
    context: undefined,
    vscode: undefined,
    page: undefined,
    screenshots: [],
    env: {},
    deferred: [],
    defer(fn) {
      t.deferred.push(fn);
    },
    async open() {
      t.server = await startCodeServer(tools, profile, { env: t.env });
      t.vscode = await openWorkbench(browser, t.server);
      t.page = t.vscode.page;
      t.context = t.page.context();
    },
    async close() {
      await t.context?.close().catch(() => undefined);
      t.context = undefined;
      await t.server?.stop();
      t.server = undefined;
    },
    async restart({ settings } = {}) {
      await t.close();
      if (settings) writeSettings(profile, settings);
      await t.open();
    },
    async step(title, fn) {
      const since = Date.now();
      try {
        const value = await fn();
        console.log(`    ✓ ${title} (${seconds(Date.now() - since)})`);
        return value;
      } catch (error) {
        console.log(`    ✗ ${title} (${seconds(Date.now() - since)})`);
        throw error;
      }
    },
    /** A check whose failure fails the scenario at its end but lets the next steps run (to report everything that is wrong at once). */
    async check(title, fn) {
      try {
        return await t.step(title, fn);
      } catch (error) {
        t.failedChecks.push({ title, error });
        console.log(indent(`${error instanceof Error ? error.message : String(error)}`, 6));
        return undefined;
      }
    },
    failedChecks: [],
    async screenshot(shot, options) {
      const path = await t.vscode.screenshot(join(SCREENSHOT_DIR, `${shot}.png`), options);
      t.screenshots.push(path);
      return path;
    },
    name,
  };
  return t;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds(ms)}`)), ms);
    }),
  ]);
}

/** Runs what a scenario deferred, last first; a failure is reported and the others still run. */
async function runDeferred(t) {
  for (const fn of t.deferred.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      console.log(`    (cleaning up after the scenario failed: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

async function runScenario({ file, module, kind }, { tools, browser, vsixes, extensions }) {
  const name = basename(file, '.e2e.mjs');
  const title = module.title ?? name;
  console.log(`\n  ${name}: ${title}`);
  if (typeof module.default !== 'function') return { name, title, ok: false, ms: 0, error: new Error(`${relative(root, file)} has no default export function(t)`) };
  const since = Date.now();
  const profile = createProfile({ settings: module.settings ?? {}, name });
  const vsix = vsixes[kind];
  const t = makeContext({ tools, browser, profile, extension: extensions[kind], name });
  let error;
  try {
    await withTimeout(
      (async () => {
        await t.step(`install ${basename(vsix)} into a fresh profile`, () => installExtension(tools, profile, vsix));
        if (typeof module.before === 'function') {
          const prepared = await t.step('prepare the scenario (its before)', () => module.before(t));
          t.env = { ...(prepared?.env ?? {}) };
        }
        await t.step('start code-server and open the workbench', () => t.open());
        await module.default(t);
        if (t.failedChecks.length > 0) {
          throw new Error(`${t.failedChecks.length} check(s) failed (details above): ${t.failedChecks.map((c) => c.title).join('; ')}`);
        }
      })(),
      module.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      `scenario ${name}`,
    );
  } catch (caught) {
    error = caught;
    if (t.vscode) await t.screenshot(`${name}-failure`).catch(() => undefined);
  } finally {
    await t.close().catch(() => undefined);
    await runDeferred(t);
  }
  const ms = Date.now() - since;
  if (error) {
    console.log(`  ✗ ${name} (${seconds(ms)})\n${indent(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    if (t.vscode?.consoleErrors.length) {
      // First lines only: the workbench logs stacks, and some noise of its own (no network here).
      const lines = t.vscode.consoleErrors.map((e) => e.split('\n')[0]).slice(-12);
      console.log(`    errors the page logged (last ${lines.length}, first lines):\n${indent(lines.join('\n'), 6)}`);
    }
    keepProfile(profile);
    console.log(`    profile kept for inspection: ${profile.root} (code-server.log, user-data/logs, user-data/User/globalStorage)`);
  } else {
    console.log(`  ✓ ${name} (${seconds(ms)})`);
    if (!process.env.FOOTPRINT_E2E_KEEP) removeProfile(profile);
    else {
      keepProfile(profile);
      console.log(`    profile kept (FOOTPRINT_E2E_KEEP): ${profile.root}`);
    }
  }
  return { name, title, ok: !error, ms, error, screenshots: t.screenshots };
}

const indent = (text, n = 4) => text.split('\n').map((line) => ' '.repeat(n) + line).join('\n');

async function main() {
  const started = Date.now();
  const filters = process.argv.slice(2);
  const files = findScenarios(filters);
  if (files.length === 0) failEarly(`no scenario test/e2e/*.e2e.mjs${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  const scenarios = [];
  for (const file of files) {
    const module = await import(pathToFileURL(file).href);
    const kind = module.extension ?? 'footprint';
    if (!(kind in EXTENSIONS)) failEarly(`${relative(root, file)}: extension ${JSON.stringify(kind)} is none of ${Object.keys(EXTENSIONS).join(', ')}`);
    scenarios.push({ file, module, kind });
  }

  let tools;
  try {
    tools = await ensureTools();
  } catch (error) {
    failEarly(`could not get the e2e tools: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Each extension the chosen scenarios test, packaged once.
  const vsixes = {};
  const extensions = {};
  for (const kind of new Set(scenarios.map((s) => s.kind))) {
    vsixes[kind] = await packageExtension(kind);
    const manifest = extensionManifest(kind) ?? {};
    extensions[kind] = { kind, id: `${manifest.publisher ?? 'footprint'}.${manifest.name ?? 'footprint'}`, manifest };
  }

  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    failEarly(`could not start Chromium: ${error instanceof Error ? error.message : String(error)}`);
  }
  const results = [];
  try {
    for (const scenario of scenarios) results.push(await runScenario(scenario, { tools, browser, vsixes, extensions }));
  } finally {
    await browser.close().catch(() => undefined);
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\n[e2e] summary (${seconds(Date.now() - started)} in all)`);
  for (const r of results) console.log(`${r.ok ? 'ok   ' : 'FAIL '} ${r.name.padEnd(24)} ${seconds(r.ms).padStart(8)}  ${r.title}${r.ok ? '' : `: ${String(r.error?.message ?? r.error).split('\n')[0]}`}`);
  const shots = results.flatMap((r) => r.screenshots ?? []);
  if (shots.length) console.log(`screenshots: ${shots.map((p) => relative(root, p)).join(', ')}`);
  writeCounts(passed, failed);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  failEarly(`stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
});
