import { createClient, type ClickHouseClient, type ErrorLogParams, type Logger, type LogParams, type WarnLogParams } from '@clickhouse/client';
import type { ClickHouseCallOptions, ClickHouseExecutor, ClickHouseParams } from './executor.ts';

/** Where a ClickHouse server is and who logs in (the server's `clickhouse` option). */
export interface ClickHouseConnection {
  /** The server's HTTP interface, e.g. `http://localhost:8123`. */
  url: string;
  username?: string;
  password?: string;
}

/**
 * Whether the server binds `{name:Type}` parameters. Servers before 19.x
 * refuse the `param_` settings ("Unknown setting param_..."): known by
 * their version, so that no refused probe fills the client's error log;
 * later ones are asked once with a parameter of its own.
 */
async function bindsParams(client: ClickHouseClient): Promise<boolean> {
  const version = await (await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' })).json<{ version: string }>();
  if (Number.parseInt(version[0]?.version ?? '0', 10) < 19) return false;
  try {
    const result = await client.query({ query: 'SELECT {probe:UInt8} AS probe', query_params: { probe: 1 }, format: 'JSONEachRow' });
    const rows = await result.json<{ probe: number }>();
    return rows[0]?.probe === 1;
  } catch {
    return false;
  }
}

/** A structured log line's writer: the server's `log`. */
export type LogEntryWriter = (entry: Record<string, unknown>) => void;

/**
 * The client's own warnings and errors as the server's structured log
 * lines (the client writes to the console otherwise). Its arguments are
 * left out: they may hold a statement's parameters.
 */
function loggerClass(log: LogEntryWriter): new () => Logger {
  const line = (level: string, { module, message }: LogParams, err?: Error): void =>
    log({ level, message: `clickhouse client: ${message}${err ? ` (${err.message})` : ''}`, module });
  return class implements Logger {
    trace(): void {}
    debug(): void {}
    info(): void {}
    warn(params: WarnLogParams): void {
      line('warn', params, params.err);
    }
    error(params: ErrorLogParams): void {
      line('error', params, params.err);
    }
  };
}

/**
 * An executor over a ClickHouse server's HTTP interface, through the
 * official @clickhouse/client. Resolves once the server answered (its
 * `/ping`); rejects naming the URL when it does not. The client's warnings
 * go to `log`.
 */
export async function openHttpExecutor(connection: ClickHouseConnection, log: LogEntryWriter = () => undefined): Promise<ClickHouseExecutor> {
  let url: URL;
  try {
    url = new URL(connection.url);
  } catch {
    throw new Error(`clickhouse.url: not a URL: '${connection.url}' (give the server's HTTP interface, e.g. http://localhost:8123)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`clickhouse.url: must start with http:// or https://, got '${connection.url}'`);
  const client = createClient({
    url,
    username: connection.username ?? 'default',
    password: connection.password ?? '',
    // Rows of a batch are small: compression costs more than it saves on loopback and in a data centre alike.
    compression: { request: false, response: false },
    log: { LoggerClass: loggerClass(log) },
  });
  const ping = await client.ping();
  if (!ping.success) {
    await client.close();
    throw new Error(`clickhouse.url: no ClickHouse server answers at ${url.origin} (${(ping as { error?: Error }).error?.message ?? 'no answer'})`);
  }
  const boundParams = await bindsParams(client);
  const call = (params: ClickHouseParams | undefined, options: ClickHouseCallOptions | undefined) => ({
    ...(params && Object.keys(params).length > 0 ? { query_params: params } : {}),
    ...(options?.settings ? { clickhouse_settings: options.settings } : {}),
    ...(options?.session ? { session_id: options.session } : {}),
  });
  return {
    boundParams,
    async query<Row>(sql: string, params?: ClickHouseParams, options?: ClickHouseCallOptions): Promise<Row[]> {
      const result = await client.query({ query: sql, format: 'JSONEachRow', ...call(params, options) });
      return result.json<Row>();
    },
    async rows(sql: string, params?: ClickHouseParams): Promise<unknown[][]> {
      const result = await client.query({ query: sql, format: 'JSONCompactEachRow', ...call(params, undefined) });
      return result.json<unknown[]>();
    },
    async command(sql: string, params?: ClickHouseParams, options?: ClickHouseCallOptions): Promise<void> {
      await client.command({ query: sql, ...call(params, options) });
    },
    async insert(table: string, rows: readonly Record<string, unknown>[], options?: ClickHouseCallOptions): Promise<void> {
      if (rows.length === 0) return;
      await client.insert({ table, values: rows as Record<string, unknown>[], format: 'JSONEachRow', ...call(undefined, options) });
    },
    close: () => client.close(),
  };
}
