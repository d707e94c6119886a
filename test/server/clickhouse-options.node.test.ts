// The ClickHouse backend's options, checked without ClickHouse: a wrong one
// fails naming itself, before anything is stored (the backend itself is
// tested by npm run test:clickhouse).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveCommand } from '../../server/cli/serve-command.ts';
import { readConfigFile } from '../../server/options.ts';
import { createServer } from '../../server/server.ts';

describe('the clickhouse option of the server (server/clickhouse/clickhouse-storage.ts)', () => {
  let data: string;
  beforeEach(() => (data = mkdtempSync(join(tmpdir(), 'fp-clickhouse-options-'))));
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  it('refuses a database or cluster name that is no identifier, and a missing URL, naming the field', () => {
    expect(() => createServer({ data, log: false, clickhouse: { url: 'http://127.0.0.1:8123', database: 'my-db' } })).to.throw(
      'clickhouse.database: must be letters, digits and _ (not starting with a digit), got "my-db"',
    );
    expect(() => createServer({ data, log: false, clickhouse: { url: 'http://127.0.0.1:8123', cluster: 'a`b' } })).to.throw(/^clickhouse\.cluster: must be letters/);
    expect(() => createServer({ data, log: false, clickhouse: { url: '' } })).to.throw(/^clickhouse\.url: give the HTTP interface/);
  });

  it('fails listen() naming the URL when no ClickHouse answers there', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const server = createServer({ data, port: 0, log: false, clickhouse: { url: `http://127.0.0.1:${port}` } });
    await server.listen().then(
      () => expect.fail('listen() must fail'),
      (error: Error) => expect(error.message).to.match(new RegExp(`^clickhouse\\.url: no ClickHouse server answers at http://127\\.0\\.0\\.1:${port}`)),
    );
    await server.close();
    const bad = createServer({ data, port: 0, log: false, clickhouse: { url: 'ftp://example.com' } });
    await bad.listen().then(
      () => expect.fail('listen() must fail'),
      (error: Error) => expect(error.message).to.equal("clickhouse.url: must start with http:// or https://, got 'ftp://example.com'"),
    );
    await bad.close();
  });

  it('reads clickhouse from the config file, and --database only beside a ClickHouse URL', async () => {
    const file = join(data, 'footprint.json');
    writeFileSync(file, JSON.stringify({ data: '.', clickhouse: { url: 'http://ch:8123', database: 'analytics', cluster: 'main' } }));
    expect(readConfigFile(file).clickhouse).to.deep.equal({ url: 'http://ch:8123', database: 'analytics', cluster: 'main' });
    await serveCommand(['--data', data, '--database', 'analytics'], () => undefined).then(
      () => expect.fail('serve must refuse --database alone'),
      (error: Error) => expect(error.message).to.equal('serve: --database names a ClickHouse database: give --clickhouse URL too (or "clickhouse" in --config)'),
    );
    await serveCommand(['--data', data, '--clickhouse', 'http://ch:8123', '--database', 'no-dashes'], () => undefined).then(
      () => expect.fail('serve must refuse the name'),
      (error: Error) => expect(error.message).to.match(/^clickhouse\.database: must be letters/),
    );
  });
});
