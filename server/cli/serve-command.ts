import { readConfigFile, type ServerOptions } from '../options.ts';
import { createServer } from '../server.ts';
import { readOptions } from './command-options.ts';

const COMMAND = 'serve';
const USAGE = '--data DIR [--port 8787] [--host 127.0.0.1] [--config FILE] [--clickhouse URL [--database footprint]]';

/**
 * `footprint serve --data DIR [--port N] [--host H] [--config FILE]
 * [--clickhouse URL [--database NAME]]`: runs the server until SIGTERM or
 * SIGINT, then stops as `close()` does (requests in flight finish, files are
 * checkpointed). `--clickhouse` keeps the events in that ClickHouse server
 * (the config file's `clickhouse` says more: cluster, user, password).
 * Options given on the command line win over the config file's.
 */
export async function serveCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const values = readOptions(COMMAND, USAGE, argv, {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    config: { type: 'string' },
    clickhouse: { type: 'string' },
    database: { type: 'string' },
  });
  const options: Partial<ServerOptions> = values.config ? readConfigFile(values.config) : {};
  if (values.data !== undefined) options.data = values.data;
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port)) throw new Error(`${COMMAND}: --port must be a port number, got '${values.port}'`);
    options.port = Number(values.port);
  }
  if (values.clickhouse !== undefined) options.clickhouse = { ...options.clickhouse, url: values.clickhouse };
  if (values.database !== undefined) {
    if (options.clickhouse === undefined) throw new Error(`${COMMAND}: --database names a ClickHouse database: give --clickhouse URL too (or "clickhouse" in --config)`);
    options.clickhouse = { ...options.clickhouse, database: values.database };
  }
  if (options.data === undefined) throw new Error(`${COMMAND}: --data is required (the folder that holds the projects), or "data" in --config`);
  const server = createServer(options as ServerOptions);
  const url = await server.listen();
  print(`Footprint server listening on ${url}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      print(`Footprint server stopping (${signal}): finishing requests in flight`);
      void server.close().then(resolve);
    };
    const onTerm = (): void => stop('SIGTERM');
    const onInt = (): void => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  print('Footprint server stopped');
}
