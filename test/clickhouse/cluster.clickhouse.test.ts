// The Footprint server over a real 2-shard ClickHouse cluster (Debian's
// clickhouse-server 18.16, started by scripts/clickhouse-cluster.sh on
// loopback): events sent over HTTP land on the shard of their user, a
// retried batch is not doubled, a racing retry is counted once by the
// deduplicated (FINAL) read, and the shards add up to what was sent. 18.16
// has no query parameters: only ingest and counting statements run here
// (the query kinds are checked on chdb).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postEvents, postQuery, startServer, type TestServer } from '../server/harness.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/clickhouse-cluster.sh', import.meta.url));
/** Ports of their own (HTTP 18321 and 18322, ...), away from a cluster started by hand with the defaults. */
const PORT_BASE = '200';
const SHARDS = ['http://127.0.0.1:18321', 'http://127.0.0.1:18322'];
const HOUR = 3_600_000;

function cluster(command: 'start' | 'schema' | 'stop', dir: string): string {
  const run = spawnSync('bash', [SCRIPT, command, dir, 'footprint'], { encoding: 'utf8', env: { ...process.env, FOOTPRINT_CH_PORT_BASE: PORT_BASE } });
  if (run.status !== 0) throw new Error(`clickhouse-cluster.sh ${command} failed (${run.status}): ${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** Runs a counting statement on one shard (no values in it: 18.16 binds none); the rows as objects. */
async function sql<Row>(shard: string, statement: string): Promise<Row[]> {
  const response = await fetch(shard, { method: 'POST', body: `${statement} FORMAT JSONEachRow` });
  const text = await response.text();
  if (!response.ok) throw new Error(`${shard}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Row);
}

const total = async (final: boolean): Promise<number> => Number((await sql<{ n: string }>(SHARDS[0]!, `SELECT count() AS n FROM footprint.events${final ? ' FINAL' : ''}`))[0]!.n);

/** Events of `users` users, `each` apiece, an hour apart, with uuids that say whose and which. */
function events(users: number, each: number, tag: string, at: number): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < each; i++) list.push({ uuid: `${tag}-${u}-${i}`, event: i === 0 ? 'signup' : 'open', user_id: `user-${u}`, timestamp: at - (each - i) * HOUR });
  }
  return list;
}

describe('the server on a 2-shard ClickHouse cluster (18.16)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'footprint-cluster-'));
  const stop = (): void => void spawnSync('bash', [SCRIPT, 'stop', dir], { env: { ...process.env, FOOTPRINT_CH_PORT_BASE: PORT_BASE } });
  let first: TestServer;
  let second: TestServer;
  const now = Date.now();
  const sent = events(40, 5, 'e', now);

  before(async () => {
    // Stopped whatever happens: by `after`, and by the process's exit should mocha be interrupted.
    process.once('exit', stop);
    cluster('start', dir);
    cluster('schema', dir);
    const clickhouse = { url: SHARDS[0]!, database: 'footprint', cluster: 'footprint' };
    const limits = { perKey: { ratePerSecond: 1e6, burst: 1e6 }, perClient: { ratePerSecond: 1e6, burst: 1e6 } };
    first = await startServer({ clickhouse, limits });
    // A second server on the same data folder (its keys) and the same cluster: two machines behind one address.
    second = await startServer({ clickhouse, limits, data: first.data });
  });

  after(async () => {
    await second?.server.close();
    await first?.close();
    stop();
    process.off('exit', stop);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the batches sent over HTTP, each user on exactly one shard, the shards adding up to what was sent', async () => {
    for (let from = 0; from < sent.length; from += 50) {
      const answer = await postEvents(first.url, first.keys.write, sent.slice(from, from + 50));
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.equal({ accepted: 50, duplicates: 0, rejected: [] });
    }
    const perShard = await Promise.all(SHARDS.map((shard) => sql<{ user_id: string; n: string }>(shard, 'SELECT user_id, count() AS n FROM footprint.events_local GROUP BY user_id')));
    const users = perShard.map((rows) => rows.map((row) => row.user_id));
    // Both shards hold some users, none holds a user the other holds, together they hold all 40.
    expect(users.map((list) => list.length > 0)).to.deep.equal([true, true]);
    expect(users[0]!.filter((user) => users[1]!.includes(user))).to.deep.equal([]);
    expect([...users[0]!, ...users[1]!].sort()).to.deep.equal(Array.from({ length: 40 }, (_, u) => `user-${u}`).sort());
    // Every user's 5 events on the one shard that holds them.
    expect(perShard.flat().every((row) => Number(row.n) === 5)).to.equal(true);
    const totals = await Promise.all(SHARDS.map(async (shard) => Number((await sql<{ n: string }>(shard, 'SELECT count() AS n FROM footprint.events_local'))[0]!.n)));
    expect(totals[0]! + totals[1]!).to.equal(200);
    expect(await total(false)).to.equal(200);
  });

  it('answers a retried batch with its duplicates and stores none of it again', async () => {
    const answer = await postEvents(first.url, first.keys.write, sent.slice(0, 50));
    expect(answer.body).to.deep.equal({ accepted: 0, duplicates: 50, rejected: [] });
    // Through the other server too: the lookup asks ClickHouse, not a memory of this process.
    const again = await postEvents(second.url, second.keys.write, [...sent.slice(50, 60), ...events(1, 2, 'new', now)]);
    expect(again.body).to.deep.equal({ accepted: 2, duplicates: 10, rejected: [] });
    expect(await total(false)).to.equal(202);
    expect(await total(true)).to.equal(202);
  });

  it('counts once a batch whose retry races it on another server, and a copy a missed lookup let in', async () => {
    const racing = events(10, 1, 'race', now);
    const answers = await Promise.all([postEvents(first.url, first.keys.write, racing), postEvents(second.url, second.keys.write, racing)]);
    // Each answer accounts for all 10; whether the lookups saw each other depends on timing.
    expect(answers.map((a) => a.body.accepted + a.body.duplicates)).to.deep.equal([10, 10]);
    expect(await total(true)).to.equal(212);
    // The copy a lookup that missed would insert, made for certain: straight into the Distributed table.
    const copy = { project: 'shop', uuid: 'e-0-0', event: 'signup', user_id: 'user-0', ts: now - 5 * HOUR, properties: '' };
    const insert = await fetch(`${SHARDS[1]}/?insert_distributed_sync=1`, { method: 'POST', body: `INSERT INTO footprint.events (project, uuid, event, user_id, ts, properties) FORMAT JSONEachRow ${JSON.stringify(copy)}` });
    expect(insert.status, await insert.text()).to.equal(200);
    expect(await total(false)).to.be.greaterThan(212);
    expect(await total(true)).to.equal(212);
  });

  it('answers a kind that is not one 400, naming the field', async () => {
    const count = await postQuery(first.url, first.keys.read, { kind: 'count', event: 'open' });
    expect(count.status).to.equal(400);
    expect(count.body.field).to.equal('kind');
  });
});
