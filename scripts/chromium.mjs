#!/usr/bin/env node
// Finds the Chromium the browser tests run in, and installs Debian's when
// there is none and we can (root with apt-get). Nothing is ever downloaded
// outside the system's package manager.
//
//   import { ensureChromium } from './chromium.mjs';  const path = ensureChromium();
//   node scripts/chromium.mjs            prints the path (installs if needed)
//   node scripts/chromium.mjs --no-install   only looks
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for headless Chromium on these machines: no sandbox (tests run as
 * root in containers), no GPU, /tmp instead of a small /dev/shm, and
 * nothing fetched in the background.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const HOW_TO_GET_IT =
  'Install Chromium (on Debian/Ubuntu as root: apt-get update && apt-get install -y chromium), ' +
  'or set CHROME_PATH to a Chrome or Chromium binary.';

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, command)));
}

/** Path of a usable Chromium, or undefined; never installs. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    console.error(`CHROME_PATH=${fromEnv} is not an executable file; looking for ${DEBIAN_CHROMIUM} instead.`);
  }
  return isExecutable(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/**
 * Path of a usable Chromium. Installs Debian's package when none is found, the
 * process runs as root and apt-get exists (`install: false` to only look);
 * otherwise throws an Error saying how to get one.
 */
export function ensureChromium({ install = true } = {}) {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (install && isRoot && onPath('apt-get')) {
    console.error(`Chromium not found at ${DEBIAN_CHROMIUM}: installing Debian's chromium package (apt-get update && apt-get install -y chromium)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [['update'], ['install', '-y', 'chromium']]) {
      const run = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
      if (run.status !== 0) {
        throw new Error(`apt-get ${args.join(' ')} failed (${run.error?.message ?? `exit code ${run.status}`}). ${HOW_TO_GET_IT}`);
      }
    }
    if (isExecutable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
    throw new Error(`apt-get installed chromium, but ${DEBIAN_CHROMIUM} is still missing. ${HOW_TO_GET_IT}`);
  }
  const where = process.env.CHROME_PATH ? `nothing usable at CHROME_PATH=${process.env.CHROME_PATH} or ${DEBIAN_CHROMIUM}` : `CHROME_PATH unset, nothing at ${DEBIAN_CHROMIUM}`;
  const why = install && !isRoot ? ' (not root, so not installing it)' : install ? ' (no apt-get, so not installing it)' : '';
  throw new Error(`No Chromium found (${where})${why}. ${HOW_TO_GET_IT}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureChromium({ install: !process.argv.includes('--no-install') }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
