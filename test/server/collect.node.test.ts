import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { KeyRing } from '../../server/auth/keys.ts';
import { postEvents, postQuery, request, startServer, type TestServer } from './harness.ts';

/** POST /v1/events over real HTTP on loopback: what is kept, what is refused and why. */

const NOW = Date.UTC(2026, 11, 3, 12);
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const at = (minutes: number): string => new Date(NOW - minutes * 60_000).toISOString();

describe('POST /v1/events (server/routes/events.ts)', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startServer({ now: () => NOW, projects: { shop: { origins: ['https://shop.example'] } } });
  });
  afterEach(() => t.close());

  async function stored(): Promise<{ event: string; user_id: string; timestamp: string; uuid: string | null; properties: Record<string, unknown> }[]> {
    const answer = await postQuery(t.url, t.keys.read, { kind: 'events', from: '2026-11-01', to: '2026-12-04', limit: 1000 });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.events;
  }

  it('keeps the valid lines and names each malformed one by its line number', async () => {
    const answer = await postEvents(t.url, t.keys.write, [
      { event: 'open', user_id: 'u1', timestamp: at(3) },
      '{"event": "broken", ',
      { event: 'save', user_id: 'u1', timestamp: at(2) },
      { user_id: 'u2', timestamp: at(1) },
    ]);
    expect(answer.status).to.equal(200);
    expect(answer.body.accepted).to.equal(2);
    expect(answer.body.duplicates).to.equal(0);
    expect(answer.body.rejected.map((r: { index: number; line: number }) => [r.index, r.line])).to.deep.equal([
      [1, 2],
      [3, 4],
    ]);
    expect(answer.body.rejected[1].reason).to.match(/event/);
    expect((await stored()).map((e) => e.event)).to.deep.equal(['save', 'open']);
  });

  it('takes a JSON array, a key in ?key= (sendBeacon cannot set headers) and a gzip body', async () => {
    const array = await request(`${t.url}/v1/events?key=${t.keys.write}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify([{ event: 'a', user_id: 'u1', timestamp: at(5) }]),
    });
    expect(array.status).to.equal(200);
    expect(array.body.accepted).to.equal(1);
    const gzip = await request(`${t.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ event: 'b', user_id: 'u1', timestamp: at(4) })),
    });
    expect(gzip.body.accepted).to.equal(1);
    expect((await stored()).map((e) => e.event)).to.deep.equal(['b', 'a']);
  });

  it('counts a uuid sent twice, in one batch or in two, as one event', async () => {
    const uuid = '0190f1d2-3c4b-7a89-8b01-23456789abcd';
    const event = { event: 'pay', user_id: 'u1', timestamp: at(1), uuid };
    expect((await postEvents(t.url, t.keys.write, [event, event])).body).to.include({ accepted: 1, duplicates: 1 });
    expect((await postEvents(t.url, t.keys.write, [event])).body).to.include({ accepted: 0, duplicates: 1 });
    expect((await stored()).map((e) => e.uuid)).to.deep.equal([uuid]);
  });

  it("corrects a client clock that runs an hour ahead by the batch's sent_at", async () => {
    const clientNow = NOW + 3_600_000;
    const answer = await postEvents(t.url, t.keys.write, [
      { event: 'late', user_id: 'u1', timestamp: new Date(clientNow - 5_000).toISOString(), sent_at: new Date(clientNow).toISOString() },
    ]);
    expect(answer.body.accepted).to.equal(1);
    expect((await stored())[0]!.timestamp).to.equal(new Date(NOW - 5_000).toISOString());
  });

  it('derives $browser, $os and $device_type from the User-Agent and stores neither it nor an address', async () => {
    await postEvents(t.url, t.keys.write, [{ event: 'open', user_id: 'u1', timestamp: at(1), properties: { $ip: '203.0.113.9', $user_agent: CHROME, plan: 'pro' } }], { 'user-agent': CHROME });
    const [event] = await stored();
    expect(event!.properties).to.deep.equal({ plan: 'pro', $browser: 'Chrome', $os: 'Windows', $device_type: 'Desktop' });
    expect(JSON.stringify(t.logs)).not.to.include('203.0.113.9');
    expect(JSON.stringify(t.logs)).not.to.include('Chrome/131');
  });

  it('answers a known bot 200, stores nothing and counts its events', async () => {
    const bot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    const answer = await postEvents(t.url, t.keys.write, [{ event: 'open', user_id: 'crawler', timestamp: at(1) }, { event: 'open', user_id: 'crawler', timestamp: at(1) }], { 'user-agent': bot });
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ accepted: 0, duplicates: 0, rejected: [], bots: 2 });
    expect(await stored()).to.deep.equal([]);
    expect((await request(`${t.url}/v1/health`)).body.dropped).to.deep.equal({ bots: 2 });
  });

  it('refuses a missing, unknown or read key with 401 or 403, and stores nothing', async () => {
    const event = [{ event: 'x', user_id: 'u', timestamp: at(1) }];
    const none = await postEvents(t.url, null, event);
    expect(none.status).to.equal(401);
    expect(none.body.error).to.match(/missing key/i);
    const unknown = await postEvents(t.url, 'fpw_not-a-key-of-this-server', event);
    expect(unknown.status).to.equal(401);
    const read = await postEvents(t.url, t.keys.read, event);
    expect(read.status).to.equal(403);
    expect(read.body.error).to.match(/read key cannot write/i);
    expect(await stored()).to.deep.equal([]);
  });

  it("refuses a page of an origin the project does not list, and answers an allowed origin's preflight for a day", async () => {
    const evil = await postEvents(t.url, t.keys.write, [{ event: 'x', user_id: 'u', timestamp: at(1) }], { origin: 'https://evil.example' });
    expect(evil.status).to.equal(403);
    expect(evil.body.error).to.include('https://evil.example');
    const preflight = await fetch(`${t.url}/v1/events`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
    expect(preflight.headers.get('access-control-max-age')).to.equal('86400');
    const ok = await postEvents(t.url, t.keys.write, [{ event: 'x', user_id: 'u', timestamp: at(1) }], { origin: 'https://shop.example' });
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
    expect(await stored()).to.have.length(1);
  });

  it('refuses a body over 1 MB with 413, and a gzip bomb by its decoded size', async () => {
    const big = await request(`${t.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${t.keys.write}` }, body: 'x'.repeat(1_000_001) });
    expect(big.status).to.equal(413);
    const bomb = gzipSync(Buffer.alloc(200_000_000, 0x20));
    expect(bomb.length).to.be.below(1_000_000);
    const answer = await request(`${t.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${t.keys.write}`, 'content-encoding': 'gzip' }, body: bomb });
    expect(answer.status).to.equal(413);
    expect(answer.body.error).to.match(/decoded|decompressed/i);
  });

  it("answers 429 with Retry-After past a write key's rate, and keeps nothing of the refused batch", async () => {
    const limited = await startServer({ now: () => NOW, limits: { perKey: { ratePerSecond: 10, burst: 20 } } });
    try {
      const batch = (n: number, name: string): object[] => Array.from({ length: n }, (_, i) => ({ event: name, user_id: `u${i}`, timestamp: at(1) }));
      expect((await postEvents(limited.url, limited.keys.write, batch(15, 'first'))).status).to.equal(200);
      const refused = await postEvents(limited.url, limited.keys.write, batch(10, 'second'));
      expect(refused.status).to.equal(429);
      // 5 tokens left, 10 needed: 5 more at 10 a second come in half a second, said in whole seconds.
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect(refused.body.error).to.match(/retry after 1 s/);
      const kept = await postQuery(limited.url, limited.keys.read, { kind: 'events', from: '2026-12-01', to: '2026-12-03', limit: 100 });
      expect(kept.body.total).to.equal(15);
    } finally {
      await limited.close();
    }
  });

  it('takes a key created by another process while it runs, and refuses it once revoked, without a restart', async () => {
    const ring = KeyRing.open(t.data);
    const { id, key } = ring.create('shop', 'write', 'made while running');
    const event = [{ event: 'late_key', user_id: 'u1', timestamp: at(1) }];
    const deadline = Date.now() + 3_000;
    let answer = await postEvents(t.url, key, event);
    while (answer.status !== 200 && Date.now() < deadline) answer = await postEvents(t.url, key, event);
    expect(answer.status).to.equal(200);
    ring.revoke(id);
    answer = await postEvents(t.url, key, event);
    while (answer.status !== 401 && Date.now() < deadline + 3_000) answer = await postEvents(t.url, key, event);
    expect(answer.status).to.equal(401);
  });

  it('keeps what senders got refused, and what bots sent, in the admin-only ingest report', async () => {
    await postEvents(t.url, t.keys.write, [{ event: 'ok', user_id: 'u1', timestamp: at(1) }, { event: 'no user', timestamp: at(1) }]);
    await postEvents(t.url, t.keys.write, [{ event: 'x', user_id: 'bot', timestamp: at(1) }], { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    const path = `${t.url}/v1/projects/shop/ingest-report`;
    expect((await request(path, { headers: { authorization: `Bearer ${t.keys.read}` } })).status).to.equal(403);
    const report = await request(path, { headers: { authorization: `Bearer ${t.keys.admin}` } });
    expect(report.status).to.equal(200);
    expect(report.body).to.deep.equal({
      project: 'shop',
      rejected: 1,
      dropped: { bots: 1 },
      recent: [{ time: new Date(NOW).toISOString(), via: 'events', index: 1, line: 2, reason: 'user_id: missing (also accepted: distinct_id, userId, anonymousId, user)' }],
    });
    // The log names the field, not the value.
    expect(t.logs.filter((line) => line.message === 'events rejected')).to.deep.equal([
      { time: new Date(NOW).toISOString(), level: 'warn', message: 'events rejected', project: 'shop', via: 'events', rejected: 1, fields: ['user_id'] },
    ]);
  });
});

