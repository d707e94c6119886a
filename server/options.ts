import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { quote } from '../shared/errors.ts';
import type { WeekStart } from '../shared/time/periods.ts';

/** What a project may set; every field is optional. */
export interface ProjectSettings {
  /**
   * The web origins (`https://shop.example.com`) whose pages may send events
   * and query from a browser; `'*'` allows any. Default: none, so only
   * requests without an `Origin` (servers, SDKs, curl) are served until the
   * project names its sites.
   */
  origins?: readonly string[] | '*';
  /** Days events are kept; older ones are purged every hour. Default: kept for ever. */
  retentionDays?: number;
  /** The project store's time zone for periods (default UTC). */
  timezone?: string;
  weekStart?: WeekStart;
  /** Distinct-user counts above 0 and below this are answered as null (default 1, off). */
  minGroupSize?: number;
}

/** Token-bucket limits on `POST /v1/events`, in events; `POST /v1/erasure` draws one from the same buckets per request. */
export interface RateLimits {
  perKey?: { ratePerSecond: number; burst: number };
  perClient?: { ratePerSecond: number; burst: number };
}

/**
 * A ClickHouse server that holds every project's events instead of SQLite
 * files (README "Scaling out with ClickHouse"). The data folder still holds
 * the keys and the signing secret.
 */
export interface ClickHouseOptions {
  /** Its HTTP interface, e.g. `http://localhost:8123`. */
  url: string;
  /** The database that holds the events of every project; default `footprint`. Created when missing (one node). */
  database?: string;
  /**
   * The `remote_servers` cluster of a sharded deployment: `events` is then a
   * Distributed table over each shard's `events_local`, made beforehand
   * (README), or here `ON CLUSTER` with `createOnCluster` (needs Keeper).
   */
  cluster?: string;
  /** Create the cluster's tables `ON CLUSTER` when missing; default false (they must exist). */
  createOnCluster?: boolean;
  username?: string;
  password?: string;
}

/** Options of `createServer` and `footprint serve` (its config file holds the same fields). */
export interface ServerOptions {
  /** The folder that holds the project files, the keys and the signing secret. Created when missing. */
  data: string;
  /** Port `listen()` uses; default 8787. 0 picks a free one. */
  port?: number;
  /** Address `listen()` binds; default 127.0.0.1 (put a reverse proxy with TLS in front, README "Deploying"). */
  host?: string;
  /** Settings by project name; a project without an entry gets the defaults. */
  projects?: Record<string, ProjectSettings>;
  /** Settings every project starts from (its own entry overrides them field by field). */
  defaults?: ProjectSettings;
  /** Signs embed tokens; default: the secret in `<data>/secret`, created on first use. At least 32 characters. */
  secret?: string;
  /**
   * Events a second each write key, and each client (a browser or a
   * server, told apart by a salted hash of its address kept in memory only),
   * may send, with the bursts they may send at once; past them, 429 with
   * `Retry-After`. Defaults: server/http/rate-limit.ts.
   */
  limits?: RateLimits;
  /**
   * Behind a reverse proxy, every request comes from the proxy's address: set
   * this so that the per-client limit tells clients apart by the address the
   * proxy adds to `X-Forwarded-For` (never stored or logged either). Only
   * when a proxy you run sets that header: otherwise clients could pick any
   * address to dodge the limit. Default false.
   */
  trustProxy?: boolean;
  /** Keep the events in ClickHouse rather than in one SQLite file per project. */
  clickhouse?: ClickHouseOptions;
  /** Writes one JSON object per line (structured logs); default to stdout. `false` logs nothing. */
  log?: ((line: string) => void) | false;
  /** The clock, epoch ms (tests fix it). */
  now?: () => number;
}

const CONFIG_FIELDS = new Set(['data', 'port', 'host', 'projects', 'defaults', 'secret', 'limits', 'trustProxy', 'clickhouse']);

/**
 * Reads a config file (JSON with the fields of ServerOptions but `log` and
 * `now`); a relative `data` is read from the file's folder.
 */
export function readConfigFile(path: string): Partial<ServerOptions> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`${path}: must hold a JSON object`);
  for (const key of Object.keys(config)) {
    if (!CONFIG_FIELDS.has(key)) throw new Error(`${path}: unknown field ${quote(key)} (known: ${[...CONFIG_FIELDS].join(', ')})`);
  }
  const options = config as Partial<ServerOptions>;
  if (typeof options.data === 'string') options.data = resolve(path, '..', options.data);
  return options;
}
