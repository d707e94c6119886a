/**
 * The server the benchmark loads: `footprint serve` as users run it, the
 * built dist/server/cli.js (esbuild's bundle, no TypeScript loader), in a
 * process of its own so that the load generator never shares its event loop.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs build script without types; buildServer(outDir) bundles server/index.ts and server/cli/main.ts.
import { buildServer } from '../esbuild.config.mjs';
import type { ServerOptions } from '../server/options.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Builds the `footprint` command as `npm run build` does, into the ignored
 * .cache/bench-server/ (not dist/, which a build of the package owns);
 * inside the repository, so that its imports of better-sqlite3, jose, bowser
 * and isbot resolve from node_modules. Resolves to the path of cli.js.
 */
export async function buildServerCli(): Promise<string> {
  const dir = (await buildServer(join(root, '.cache', 'bench-server'))) as string;
  return join(dir, 'cli.js');
}

/** A running `footprint serve`. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Stops it with SIGTERM, as a service manager would, and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of `startServerProcess`. */
export interface ServerProcessOptions {
  /** Path of cli.js (buildServerCli). */
  cli: string;
  /** Written as the `--config` file: data folder, limits and the rest of ServerOptions that a config file holds. */
  config: Omit<ServerOptions, 'log' | 'now'>;
  /** Where the config file goes. */
  configFile: string;
  /** The server's stdout: its "listening" line, then one JSON log line per request. */
  logFile: string;
  /** Node options before the script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
}

/**
 * Starts `node cli.js serve --config FILE --port 0` with its stdout going
 * to `logFile` (a file, as a service's logs go: the benchmark's process
 * reads none of it, so logging costs only the server), and resolves once
 * the file holds the "listening" line. Rejects with the server's output if
 * it exits first or does not listen within 30 s.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  writeFileSync(options.configFile, `${JSON.stringify(options.config, null, 2)}\n`);
  const out = openSync(options.logFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.cli, 'serve', '--config', options.configFile, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let gone: number | string | undefined;
  void exited.then((code) => (gone = code));
  const started = Date.now();
  let url: string | undefined;
  while (url === undefined) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    url = /Footprint server listening on (http:\/\/\S+)/.exec(readFileSync(options.logFile, 'utf8').slice(0, 4096))?.[1];
    if (url === undefined && (gone !== undefined || Date.now() - started > 30_000)) {
      if (gone === undefined) child.kill('SIGKILL');
      throw new Error(`footprint serve (${options.cli}) ${gone === undefined ? 'did not listen within 30 s' : `exited (${gone}) before listening`}:\n${errors}${readFileSync(options.logFile, 'utf8').slice(0, 2000)}`);
    }
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (gone === undefined) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`footprint serve ended with ${code} after SIGTERM:\n${errors}`);
    },
  };
}
