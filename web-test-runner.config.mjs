// Browser suite: every test/**/*.test.ts except *.node.test.ts and the ClickHouse suite's *.clickhouse.test.ts, in headless
// Chromium (Debian's, or CHROME_PATH), served unbundled from source.
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS } from './scripts/chromium.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const sqlWasm = resolve(root, 'node_modules/sql.js/dist/sql-wasm.wasm');
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * sql.js ships UMD/CommonJS builds only: hand them to the browser as ES
 * modules (esbuild turns `module.exports = initSqlJs` into a default export).
 */
function sqlJsAsEsm() {
  return {
    name: 'footprint-sqljs-esm',
    async transform(context) {
      if (!/\/sql\.js\/dist\/sql-wasm[^/]*\.js$/.test(context.path)) return undefined;
      const { code } = await transform(String(context.body), {
        format: 'esm',
        target: 'es2022',
        sourcefile: context.path,
      });
      return { body: code };
    },
  };
}

/**
 * The core's loader asks for `sql-wasm.wasm` beside its own module
 * (`/shared/store/sql-wasm.wasm` from source): answer any such path with the
 * installed sql.js binary, as the built bundle has it next to it.
 */
async function serveSqlWasm(context, next) {
  if (context.path.endsWith('/sql-wasm.wasm')) {
    context.status = 200;
    context.type = 'application/wasm';
    context.body = createReadStream(sqlWasm);
    return;
  }
  await next();
}

/**
 * A test endpoint for the tracker's HTTP sink (test/tracker/), answering only
 * under /__fp-test-collector/<id>, where <id> names one test's collector:
 *   POST <id>/reset?fail=N  forgets what <id> received; its next N posts get 503
 *   POST <id>               an NDJSON batch: 503 while failures remain, else
 *                           each non-empty line is parsed and kept, 204
 *   GET  <id>               JSON { posts, failed, lines }: every POST, those
 *                           answered 503, and the parsed lines kept, in order
 * Kept in memory for the run; nothing is de-duplicated, so tests see exactly
 * what arrived.
 */
const collectors = new Map();
async function testCollector(context, next) {
  const match = /^\/__fp-test-collector\/([\w-]+)(\/reset)?$/.exec(context.path);
  if (!match) return next();
  const [, id, reset] = match;
  if (reset && context.method === 'POST') {
    collectors.set(id, { failuresLeft: Number(context.query.fail ?? 0), posts: 0, failed: 0, lines: [] });
    context.status = 204;
    return;
  }
  const collector = collectors.get(id) ?? { failuresLeft: 0, posts: 0, failed: 0, lines: [] };
  collectors.set(id, collector);
  if (context.method === 'GET') {
    const { posts, failed, lines } = collector;
    context.type = 'application/json';
    context.body = JSON.stringify({ posts, failed, lines });
    return;
  }
  if (context.method !== 'POST') {
    context.status = 405;
    return;
  }
  const chunks = [];
  for await (const chunk of context.req) chunks.push(chunk);
  collector.posts += 1;
  if (collector.failuresLeft > 0) {
    collector.failuresLeft -= 1;
    collector.failed += 1;
    context.status = 503;
    context.body = 'failing on purpose (test collector)';
    return;
  }
  const body = Buffer.concat(chunks).toString('utf8');
  for (const line of body.split('\n')) if (line.trim() !== '') collector.lines.push(JSON.parse(line));
  context.status = 204;
}

/**
 * A real Footprint server for the browser tests that read one
 * (test/widgets/*server*.browser.test.ts), started on first use, on a free
 * loopback port, with a data folder of its own, and stopped with the run.
 * Its projects allow this test server's origin (CORS), as a site's config
 * would. The page asks under /__fp-test-server/:
 *   POST project  {}                                     -> { endpoint, project, readKey }: a new project, keys made
 *   POST events   { project, events }                    -> the server's answer to POST /v1/events (the write key stays here)
 *   POST token    { project, ttlSeconds, kinds?, where?, expiredSecondsAgo? } -> { token }: an embed token,
 *                 minted as an admin's backend would (createEmbedToken), already expired when asked
 */
function footprintTestServer() {
  let origins = [];
  let started;
  let child;
  let dataDir;
  let projects = 0;
  const writeKeys = new Map();

  async function start() {
    dataDir = mkdtempSync(join(tmpdir(), 'fp-wtr-server-'));
    const config = join(dataDir, 'config.json');
    writeFileSync(config, JSON.stringify({ data: join(dataDir, 'data'), defaults: { origins } }));
    child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'serve', '--config', config, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    process.once('exit', () => child.kill());
    const endpoint = await new Promise((resolveUrl, reject) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => {
        if (out === null) return; // its log lines after it listens are not needed
        out += chunk;
        const match = /Footprint server listening on (\S+)/.exec(out);
        if (!match) return;
        out = null;
        resolveUrl(`${match[1].replace(/\/$/, '')}/v1`);
      });
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('exit', (code) => reject(new Error(`the Footprint server exited (${code}) before listening: ${err.trim() || (out ?? '').trim()}`)));
    });
    const { tsImport } = await import('tsx/esm/api');
    const { KeyRing } = await tsImport('./server/auth/keys.ts', import.meta.url);
    const { readServerSecret } = await tsImport('./server/auth/secret.ts', import.meta.url);
    const { createEmbedToken } = await tsImport('./server/auth/embed-token.ts', import.meta.url);
    const data = join(dataDir, 'data');
    return { endpoint, keys: KeyRing.open(data), secret: readServerSecret(data), createEmbedToken };
  }

  async function body(context) {
    const chunks = [];
    for await (const chunk of context.req) chunks.push(chunk);
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  }

  const plugin = {
    name: 'footprint-test-server',
    serverStart({ config }) {
      origins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`, `http://${config.hostname}:${config.port}`];
    },
    async serverStop() {
      if (child && child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };

  async function middleware(context, next) {
    const match = /^\/__fp-test-server\/(project|events|token)$/.exec(context.path);
    if (!match || context.method !== 'POST') return next();
    try {
      started ??= start();
      const server = await started;
      const input = await body(context);
      let answer;
      if (match[1] === 'project') {
        const project = `p${++projects}`;
        writeKeys.set(project, server.keys.create(project, 'write').key);
        answer = { endpoint: server.endpoint, project, readKey: server.keys.create(project, 'read').key };
      } else if (match[1] === 'events') {
        const response = await fetch(`${server.endpoint}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${writeKeys.get(input.project)}`, 'content-type': 'application/json' },
          body: JSON.stringify(input.events),
        });
        answer = { status: response.status, body: await response.json() };
      } else {
        const now = Date.now() - (input.expiredSecondsAgo === undefined ? 0 : (input.ttlSeconds + input.expiredSecondsAgo) * 1000);
        const options = { secret: server.secret, project: input.project, ttlSeconds: input.ttlSeconds, now };
        if (input.kinds) options.kinds = input.kinds;
        if (input.where) options.where = input.where;
        answer = { token: await server.createEmbedToken(options) };
      }
      context.type = 'application/json';
      context.body = JSON.stringify(answer);
    } catch (error) {
      context.status = 500;
      context.type = 'application/json';
      context.body = JSON.stringify({ error: error.message });
    }
  }

  return { plugin, middleware };
}
const testServer = footprintTestServer();

/**
 * Tallies passed / failed / skipped tests across all sessions and writes them
 * as JSON to WTR_SUMMARY_FILE (read by scripts/test.mjs). A session that did
 * not pass without any failed test (file failed to load, uncaught error,
 * browser crash) counts as one failure.
 */
function countsReporter(outputFile = process.env.WTR_SUMMARY_FILE) {
  return {
    onTestRunFinished({ sessions }) {
      if (!outputFile) return;
      const tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        const file = session.testFile.startsWith(root) ? session.testFile.slice(root.length + 1) : session.testFile;
        const before = tally.failed;
        const walk = (suite, prefix) => {
          if (!suite) return;
          for (const test of suite.tests ?? []) {
            const title = [...prefix, test.name].join(' ');
            if (test.skipped) tally.skipped += 1;
            else if (test.passed) tally.passed += 1;
            else {
              tally.failed += 1;
              tally.failures.push(`${file}: ${title}: ${test.error?.message ?? session.errors?.[0]?.message ?? 'failed'}`);
            }
          }
          for (const child of suite.suites ?? []) walk(child, [...prefix, child.name]);
        };
        walk(session.testResults, []);
        if (!session.passed && tally.failed === before) {
          tally.failed += 1;
          const why = session.errors?.map((e) => e.message).join('; ') || `session ${session.status}`;
          tally.failures.push(`${file}: did not pass: ${why}`);
        }
      }
      mkdirSync(dirname(resolve(outputFile)), { recursive: true });
      writeFileSync(outputFile, JSON.stringify(tally, null, 2) + '\n');
    },
  };
}

export default {
  rootDir: root,
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts', '!test/**/*.clickhouse.test.ts'],
  nodeResolve: { browser: true },
  concurrency: 2,
  concurrentBrowsers: 1,
  browserStartTimeout: 120000,
  testsStartTimeout: 120000,
  testsFinishTimeout: 300000,
  testFramework: { config: { ui: 'bdd', timeout: 20000 } },
  middleware: [serveSqlWasm, testCollector, testServer.middleware],
  plugins: [testServer.plugin, sqlJsAsEsm(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: resolve(root, 'tsconfig.json') })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countsReporter()],
};
