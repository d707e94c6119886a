import { parseArgs } from 'node:util';
import { readConfigFile, type ServerOptions } from '../options.ts';
import { createServer } from '../server.ts';

/**
 * `footprint serve --data DIR [--port N] [--host H] [--config FILE]`: runs
 * the server until SIGTERM or SIGINT, then stops as `close()` does (requests
 * in flight finish, files are checkpointed). Options given on the command
 * line win over the config file's.
 */
export async function serveCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  const options: Partial<ServerOptions> = values.config ? readConfigFile(values.config) : {};
  if (values.data !== undefined) options.data = values.data;
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port)) throw new Error(`--port: must be a port number, got '${values.port}'`);
    options.port = Number(values.port);
  }
  if (options.data === undefined) throw new Error('--data: give the folder that holds the projects (or "data" in --config)');
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
