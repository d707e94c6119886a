// What the server sends a ClickHouse server over HTTP (through
// @clickhouse/client), checked against a stand-in that records requests:
// values only as bound parameters, never in a statement's text.
import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openHttpExecutor } from '../../server/clickhouse/http-executor.ts';
import { ingestClickHouse } from '../../server/clickhouse/ingest.ts';
import { clickHouseLayout } from '../../server/clickhouse/schema.ts';

interface Recorded {
  method: string;
  url: URL;
  body: string;
}

/** A stand-in ClickHouse: answers ping, version() (as `version`), the parameter probe, one row for `{p0:Int64}`, and nothing for the rest. */
async function standIn(version: string): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const read = async (request: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const body = await read(request);
    requests.push({ method: request.method ?? '', url, body });
    if (url.pathname === '/ping') return void response.end('Ok.\n');
    const sql = url.searchParams.get('query') ?? body;
    response.setHeader('content-type', 'text/plain');
    if (sql.includes('version()')) return void response.end(`${JSON.stringify({ version })}\n`);
    if (sql.includes('{probe:UInt8}')) return void response.end('{"probe":1}\n');
    if (sql.includes('{p0:Int64}')) return void response.end('[1,"a"]\n');
    response.end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const EVENTS = [
  { uuid: 'secret-uuid-1', event: 'open', user_id: 'ann@example.com', timestamp: Date.UTC(2026, 0, 1) },
  { uuid: 'secret-uuid-2', event: 'save', user_id: 'bob', timestamp: Date.UTC(2026, 0, 2), properties: { plan: 'pro' } },
];

describe('the ClickHouse executor over HTTP (server/clickhouse/http-executor.ts)', () => {
  it('answers the query side its rows as arrays (JSONCompactEachRow), every value a query parameter', async () => {
    const clickhouse = await standIn('24.8.1');
    try {
      const executor = await openHttpExecutor({ url: clickhouse.url });
      clickhouse.requests.length = 0;
      expect(await executor.rows('SELECT {p0:Int64}', { p0: 5 })).to.deep.equal([[1, 'a']]);
      await executor.close();
      const [request] = clickhouse.requests;
      expect(request!.body).to.equal('SELECT {p0:Int64} \nFORMAT JSONCompactEachRow');
      expect(request!.url.searchParams.get('param_p0')).to.equal('5');
    } finally {
      await clickhouse.close();
    }
  });

  it('on a current server, binds the lookup values as parameters and inserts the rows as JSONEachRow data, synchronously on a cluster', async () => {
    const clickhouse = await standIn('24.8.4.13');
    try {
      const executor = await openHttpExecutor({ url: clickhouse.url });
      expect(executor.boundParams).to.equal(true);
      clickhouse.requests.length = 0;
      const before = Date.now();
      await ingestClickHouse(executor, clickHouseLayout('footprint', 'main'), 'shop', [EVENTS], 'UTC');
      await executor.close();
      const [lookup, insert] = clickhouse.requests;
      expect(lookup!.body).to.equal(
        'SELECT DISTINCT user_id, ts, uuid FROM `footprint`.events WHERE project = {project:String} AND (user_id, ts, uuid) IN arrayZip({users:Array(String)}, {times:Array(Int64)}, {uuids:Array(String)}) \nFORMAT JSONEachRow',
      );
      expect(lookup!.url.searchParams.get('param_project')).to.equal('shop');
      expect(lookup!.url.searchParams.get('param_users')).to.equal("['ann@example.com','bob']");
      expect(lookup!.url.searchParams.get('param_times')).to.equal(`[${Date.UTC(2026, 0, 1)},${Date.UTC(2026, 0, 2)}]`);
      expect(lookup!.url.searchParams.get('param_uuids')).to.equal("['secret-uuid-1','secret-uuid-2']");
      expect(insert!.url.searchParams.get('query')).to.equal('INSERT INTO `footprint`.events FORMAT JSONEachRow');
      expect(insert!.url.searchParams.get('insert_distributed_sync')).to.equal('1');
      const inserted = insert!.body.trim().split('\n').map((line) => JSON.parse(line) as { seq: number });
      // seq numbers the events in the order they came, above any number an earlier process gave (microseconds since the epoch).
      expect(inserted[0]!.seq).to.be.at.least(before * 1000);
      expect(inserted[1]!.seq).to.be.greaterThan(inserted[0]!.seq);
      expect(inserted.map(({ seq: _, ...row }) => row)).to.deep.equal([
        { project: 'shop', uuid: 'secret-uuid-1', event: 'open', user_id: 'ann@example.com', session_id: '', ts: Date.UTC(2026, 0, 1), properties: '' },
        { project: 'shop', uuid: 'secret-uuid-2', event: 'save', user_id: 'bob', session_id: '', ts: Date.UTC(2026, 0, 2), properties: '{"plan":"pro"}' },
      ]);
      expect(clickhouse.requests).to.have.length(2);
    } finally {
      await clickhouse.close();
    }
  });

  it("on a server without parameters (before 19), looks the events' keys up through a temporary table of a session of its own, with no value in any statement", async () => {
    const clickhouse = await standIn('18.16.1');
    try {
      const executor = await openHttpExecutor({ url: clickhouse.url });
      expect(executor.boundParams).to.equal(false);
      clickhouse.requests.length = 0;
      await ingestClickHouse(executor, clickHouseLayout('footprint'), 'shop', [EVENTS], 'UTC');
      await executor.close();
      const statements = clickhouse.requests.map((r) => r.url.searchParams.get('query') ?? r.body);
      for (const value of ['shop', 'ann@example.com', 'secret-uuid']) expect(statements.filter((sql) => sql.includes(value))).to.deep.equal([]);
      const sessions = new Set(clickhouse.requests.slice(0, 4).map((r) => r.url.searchParams.get('session_id')));
      expect(sessions.size).to.equal(1);
      expect([...sessions][0]).to.match(/^footprint-ingest-[0-9a-f-]{36}$/);
      expect(statements.map((sql) => sql.split(/\s+/).slice(0, 3).join(' '))).to.deep.equal([
        'CREATE TEMPORARY TABLE',
        'INSERT INTO footprint_batch_keys',
        'SELECT DISTINCT user_id,',
        'DROP TEMPORARY TABLE',
        'INSERT INTO `footprint`.events',
      ]);
      // The same condition on the sort key as with parameters, over the temporary table's columns.
      expect(statements[0]).to.equal('CREATE TEMPORARY TABLE footprint_batch_keys (project String, user_id String, ts Int64, uuid String)');
      expect(statements[2]).to.equal(
        'SELECT DISTINCT user_id, ts, uuid FROM `footprint`.events WHERE (project, user_id, ts, uuid) GLOBAL IN (SELECT project, user_id, ts, uuid FROM footprint_batch_keys) \nFORMAT JSONEachRow',
      );
      expect(clickhouse.requests[4]!.url.searchParams.has('session_id')).to.equal(false);
    } finally {
      await clickhouse.close();
    }
  });
});
