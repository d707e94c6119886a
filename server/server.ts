import { mkdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyRing } from './auth/keys.ts';
import { readServerSecret } from './auth/secret.ts';
import { createApp } from './http/app.ts';
import { IngestLog } from './ingest/ingest-log.ts';
import type { ServerContext } from './http/context.ts';
import { normalizeOrigin } from './http/cors.ts';
import { CLIENT_LIMIT, RateLimiter, WRITE_KEY_LIMIT } from './http/rate-limit.ts';
import { checkProjectName } from './auth/project-name.ts';
import { checkSettings, Projects } from './projects.ts';
import type { ProjectSettings, ServerOptions } from './options.ts';
import { ROUTES } from './routes/index.ts';
import { clickHouseStorage } from './clickhouse/clickhouse-storage.ts';
import { sqliteStorage } from './storage/sqlite-storage.ts';

/** A Footprint server: an HTTP request handler over a data folder, and what starts and stops it. */
export interface FootprintServer {
  /** The request handler, to mount in another Node server (the demo serves its pages beside it). */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Starts listening on the options' port and host; resolves to the URL it answers on. */
  listen(): Promise<string>;
  /** The URL it answers on, once listening. */
  readonly url: string | null;
  /**
   * Stops: takes no new request, lets the ones in flight finish (live
   * streams end), then checkpoints and closes every project's file.
   */
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The package's version, from its package.json: one folder up from server/, two from dist/server/. */
function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'footprint' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not there: try the next folder up.
    }
  }
  return 'unknown';
}

/**
 * Creates a Footprint server over a data folder (see ServerOptions). Nothing
 * listens until `listen()`; `handle` can be mounted elsewhere instead.
 */
export function createServer(options: ServerOptions): FootprintServer {
  if (typeof options.data !== 'string' || options.data === '') throw new Error('data: give the folder that holds the projects (e.g. ./footprint-data)');
  const port = options.port ?? 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`port: must be a whole number from 0 to 65535, got ${String(port)}`);
  const host = options.host ?? '127.0.0.1';
  const defaults = checkSettings(options.defaults ?? {}, 'defaults');
  const own = new Map<string, ProjectSettings>();
  for (const [name, settings] of Object.entries(options.projects ?? {})) {
    checkProjectName(name, 'projects');
    own.set(name, checkSettings(settings, `projects.${name}`));
  }
  const settingsOf = (project: string): ProjectSettings => ({ ...defaults, ...own.get(project) });
  const allowedOrigins = new Set<string>();
  let anyOrigin = defaults.origins === '*';
  for (const settings of [defaults, ...own.values()]) {
    if (settings.origins === '*') anyOrigin = true;
    else for (const origin of settings.origins ?? []) allowedOrigins.add(normalizeOrigin(origin)!);
  }
  mkdirSync(options.data, { recursive: true });
  const now = options.now ?? Date.now;
  const write = options.log === false ? null : (options.log ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const stopping = new AbortController();
  const log = (entry: Record<string, unknown>): void => write?.(JSON.stringify({ time: new Date(now()).toISOString(), ...entry }));
  const storage = options.clickhouse === undefined ? sqliteStorage(options.data, now) : clickHouseStorage(options.clickhouse, { now, log });
  const context: ServerContext = {
    projects: new Projects(storage, settingsOf, now),
    keys: KeyRing.open(options.data),
    secret: readServerSecret(options.data, { secret: options.secret }),
    settingsOf,
    anyProjectAllows: (origin) => anyOrigin || allowedOrigins.has(normalizeOrigin(origin) ?? ''),
    limits: {
      perKey: new RateLimiter({ ...WRITE_KEY_LIMIT, ...options.limits?.perKey, now }),
      perClient: new RateLimiter({ ...CLIENT_LIMIT, ...options.limits?.perClient, now }),
    },
    trustProxy: options.trustProxy ?? false,
    ingestLog: new IngestLog(),
    log,
    now,
    stopping: stopping.signal,
    version: packageVersion(),
  };
  const handle = createApp(ROUTES, context);

  /** Purges the events older than each project's retention, in every project of the storage. */
  const purge = async (): Promise<void> => {
    // Nothing to purge: the storage is not even asked for its projects (on ClickHouse, a read of every row's project).
    if (defaults.retentionDays === undefined && ![...own.values()].some((settings) => settings.retentionDays !== undefined)) return;
    let names: string[];
    try {
      names = await context.projects.names();
    } catch (error) {
      context.log({ level: 'error', message: `retention purge failed: ${(error as Error).message}` });
      return;
    }
    for (const project of names) {
      const days = settingsOf(project).retentionDays;
      if (days === undefined) continue;
      try {
        const removed = await (await context.projects.store(project)).purgeBefore(now() - days * DAY);
        if (removed > 0) {
          context.projects.changed(project);
          context.log({ level: 'info', message: 'retention purge', project, removed, retentionDays: days });
        }
      } catch (error) {
        context.log({ level: 'error', message: `retention purge failed: ${(error as Error).message}`, project });
      }
    }
  };

  let http: Server | null = null;
  let url: string | null = null;
  let purgeTimer: NodeJS.Timeout | undefined;
  return {
    handle,
    get url() {
      return url;
    },
    async listen() {
      if (http) throw new Error('the server is listening already');
      // ClickHouse is reached and its schema made (or checked) before the port opens: a wrong URL fails `listen` itself.
      await storage.start?.();
      const server = createHttpServer(handle);
      // Keep-alive connections of clients that post every few seconds stay open between batches.
      server.keepAliveTimeout = 65_000;
      http = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      await purge();
      purgeTimer = setInterval(() => void purge(), HOUR);
      purgeTimer.unref();
      return url;
    },
    async close() {
      clearInterval(purgeTimer);
      stopping.abort();
      if (http) {
        const server = http;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // A keep-alive connection that finishes its request while the server stops goes idle: closed then,
          // rather than held open until its client leaves (answers in the meantime say `connection: close`).
          const idle = setInterval(() => server.closeIdleConnections(), 50);
          server.once('close', () => clearInterval(idle));
        });
      }
      await context.projects.close();
    },
  };
}
