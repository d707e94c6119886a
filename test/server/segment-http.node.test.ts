import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { postQuery, request, startServer, type Answer, type TestServer } from './harness.ts';

/** Segment's HTTP Tracking API over real HTTP on loopback, as curl or a library without an SDK sends it (server/compat/segment/handler.ts). */

const NOW = Date.UTC(2026, 11, 3, 12);
const at = (minutes: number): string => new Date(NOW - minutes * 60_000).toISOString();
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('Segment HTTP Tracking API: /v1/track, /v1/page, /v1/screen, /v1/batch, ... (server/compat/segment)', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startServer({ now: () => NOW });
  });
  afterEach(() => t.close());

  function post(path: string, body: unknown, headers: Record<string, string> = { authorization: basic(t.keys.write) }): Promise<Answer> {
    return request(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  async function stored(): Promise<{ event: string; user_id: string; timestamp: string; uuid: string | null; properties: Record<string, unknown> | null }[]> {
    const answer = await postQuery(t.url, t.keys.read, { kind: 'events', from: '2026-11-01', to: '2026-12-04', limit: 1000 });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.events;
  }

  async function report(): Promise<Answer['body']> {
    return (await request(`${t.url}/v1/projects/shop/ingest-report`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).body;
  }

  it('stores a track, a page and a screen sent one by one, with Basic auth or the body\'s writeKey', async () => {
    const track = await post('/v1/track', { userId: 'u1', event: 'Signed Up', properties: { plan: 'pro' }, timestamp: at(30), messageId: 'm-1' });
    expect(track.status).to.equal(200);
    expect(track.body).to.deep.equal({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const page = await post('/v1/page/', { anonymousId: 'a1', name: 'Pricing', properties: { path: '/pricing' }, timestamp: at(20), writeKey: t.keys.write }, {});
    expect(page.body).to.deep.equal({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    const screen = await post('/v1/screen', { userId: 'u2', name: 'Cart', timestamp: at(10), sentAt: at(8) }, { authorization: basic(t.keys.write), 'content-type': 'text/plain' });
    expect(screen.body.accepted).to.equal(1);
    expect(await stored()).to.deep.equal([
      { event: '$pageview', user_id: 'u2', session_id: null, timestamp: at(2), uuid: null, properties: { name: 'Cart' } },
      { event: '$pageview', user_id: 'a1', session_id: null, timestamp: at(20), uuid: null, properties: { path: '/pricing', name: 'Pricing' } },
      { event: 'Signed Up', user_id: 'u1', session_id: null, timestamp: at(30), uuid: 'm-1', properties: { plan: 'pro' } },
    ]);
  });

  it("takes analytics.js's one-letter paths, text/plain with the writeKey in the body, and /v1/b batches", async () => {
    const plain = { 'content-type': 'text/plain' };
    expect((await post('/v1/t', { type: 'track', event: 'Clicked', userId: 'u1', timestamp: at(4), writeKey: t.keys.write }, plain)).body.accepted).to.equal(1);
    expect((await post('/v1/p', { type: 'page', userId: 'u1', timestamp: at(3), writeKey: t.keys.write, context: { page: { path: '/home' } } }, plain)).body.accepted).to.equal(1);
    expect((await post('/v1/i', { type: 'identify', userId: 'u1', writeKey: t.keys.write }, plain)).body.dropped).to.deep.equal({ identify: 1 });
    const batch = await post('/v1/b', { writeKey: t.keys.write, sentAt: at(1), batch: [{ type: 'screen', name: 'Home', userId: 'u2', timestamp: at(2) }] }, plain);
    expect(batch.body.accepted).to.equal(1);
    expect((await stored()).map((e) => [e.event, e.user_id, e.timestamp, e.properties])).to.deep.equal([
      ['$pageview', 'u2', at(1), { name: 'Home' }],
      ['$pageview', 'u1', at(3), { path: '/home' }],
      ['Clicked', 'u1', at(4), {}],
    ]);
  });

  it('answers identify, group and alias, sent alone or in a batch, with 200, counting them in the ingest report and storing nothing', async () => {
    expect((await post('/v1/identify', { userId: 'u1', traits: { email: 'ann@example.com' } })).body).to.deep.equal({ success: true, accepted: 0, duplicates: 0, rejected: [], dropped: { identify: 1 } });
    expect((await post('/v1/group', { userId: 'u1', groupId: 'g1' })).status).to.equal(200);
    expect((await post('/v1/alias', { userId: 'u1', previousId: 'a1' })).status).to.equal(200);
    const batch = await post('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
        { type: 'track', userId: 'u1', event: 'Paid', timestamp: at(5) },
        { type: 'alias', userId: 'u1', previousId: 'a2' },
        { type: 'identify', userId: 'u2' },
      ],
    });
    expect(batch.body).to.deep.equal({ success: true, accepted: 1, duplicates: 0, rejected: [], dropped: { identify: 2, alias: 1 } });
    expect((await stored()).map((e) => e.event)).to.deep.equal(['Paid']);
    expect((await report()).dropped).to.deep.equal({ identify: 3, group: 1, alias: 2 });
    expect((await request(`${t.url}/v1/health`)).body.dropped).to.deep.equal({ identify: 3, group: 1, alias: 2 });
  });

  it("keeps a batch's valid messages, names each refused one by its place in the batch, and notes it in the ingest report", async () => {
    const answer = await post('/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u1' },
        { type: 'track', event: 'Opened', userId: 'u1', timestamp: at(3) },
        { type: 'track', userId: 'u1', timestamp: at(2) },
        { type: 'track', event: 'Late', userId: 'u1', timestamp: 'yesterday' },
        { event: 'Untyped', userId: 'u1' },
      ],
    });
    expect(answer.body).to.deep.equal({
      success: true,
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 2, reason: 'event: missing; a track call names its event' },
        { index: 3, reason: "timestamp: not a date: 'yesterday' (give ISO 8601 or epoch milliseconds)" },
        { index: 4, reason: 'type: missing; each message of a batch names its call (track, page, screen, identify, group, alias)' },
      ],
      dropped: { identify: 1 },
    });
    const { rejected, recent } = await report();
    expect(rejected).to.equal(3);
    // The report places each refusal in the batch as sent, as the answer does (the identify before them counts).
    expect(recent.map((r: { via: string; index: number; reason: string }) => [r.via, r.index, r.reason.split(':')[0]])).to.deep.equal([
      ['segment', 4, 'type'],
      ['segment', 3, 'timestamp'],
      ['segment', 2, 'event'],
    ]);
  });

  it("corrects the times by the batch's sentAt, and a message's own sentAt before it", async () => {
    // The sender's clock is 2 hours ahead of the server's.
    const ahead = (minutes: number): string => new Date(NOW + 120 * 60_000 - minutes * 60_000).toISOString();
    await post('/v1/batch', {
      sentAt: ahead(0),
      batch: [
        { type: 'track', event: 'A', userId: 'u1', timestamp: ahead(5) },
        { type: 'track', event: 'B', userId: 'u1', timestamp: ahead(4), sentAt: ahead(1) },
      ],
    });
    expect((await stored()).map((e) => [e.event, e.timestamp])).to.deep.equal([
      ['B', at(3)],
      ['A', at(5)],
    ]);
  });

  it('stores a retried messageId once, whatever its form', async () => {
    const long = `ajs-${'x'.repeat(250)}`;
    const batch = { batch: [
      { type: 'track', event: 'A', userId: 'u1', timestamp: at(3), messageId: long },
      { type: 'track', event: 'B', userId: 'u1', timestamp: at(2), messageId: '4B1A6C2E-7F0A-4A53-9D2E-2F4C8E1B9A10' },
      { type: 'track', event: 'C', userId: 'u1', timestamp: at(1), messageId: '4b1a6c2e-7f0a-4a53-9d2e-2f4c8e1b9a10' },
    ] };
    expect((await post('/v1/batch', batch)).body).to.deep.equal({ success: true, accepted: 3, duplicates: 0, rejected: [] });
    expect((await post('/v1/batch', batch)).body).to.deep.equal({ success: true, accepted: 0, duplicates: 3, rejected: [] });
    expect((await stored()).map((e) => [e.event, e.uuid])).to.deep.equal([
      ['C', '4b1a6c2e-7f0a-4a53-9d2e-2f4c8e1b9a10'],
      ['B', '4B1A6C2E-7F0A-4A53-9D2E-2F4C8E1B9A10'],
      ['A', 'sha256:87be3195bf79239bff7ad92df0794eb703b2659a38e1a56437ffd48cd515595a'],
    ]);
  });

  it('never stores context.ip or context.userAgent: the agent gives device properties, and a bot\'s is counted, not stored', async () => {
    const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    const answer = await post('/v1/batch', {
      context: { ip: '203.0.113.9' },
      batch: [
        { type: 'page', userId: 'u1', timestamp: at(2), context: { userAgent: chrome, page: { path: '/a', url: 'https://shop.example/a?email=ann@example.com' } } },
        { type: 'page', userId: 'crawler', timestamp: at(1), context: { userAgent: googlebot, page: { path: '/b' } } },
      ],
    });
    expect(answer.body).to.deep.equal({ success: true, accepted: 1, duplicates: 0, rejected: [], dropped: { bots: 1 } });
    const events = await stored();
    expect(events.map((e) => e.properties)).to.deep.equal([{ path: '/a', url: 'https://shop.example/a', $browser: 'Chrome', $os: 'Windows', $device_type: 'Desktop' }]);
    expect(JSON.stringify(events)).not.to.match(/203\.0\.113|Mozilla/);
  });

  it('decodes a gzip body', async () => {
    const answer = await request(`${t.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basic(t.keys.write), 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ batch: [{ type: 'track', event: 'Zipped', userId: 'u1', timestamp: at(1) }] })),
    });
    expect(answer.body).to.deep.equal({ success: true, accepted: 1, duplicates: 0, rejected: [] });
    expect((await stored()).map((e) => e.event)).to.deep.equal(['Zipped']);
  });

  it('answers 401 without a key or with an unknown one, 403 for a read key, 400 for malformed JSON, and stores nothing', async () => {
    const event = { userId: 'u1', event: 'x', timestamp: at(1) };
    const missing = await post('/v1/track', event, {});
    expect([missing.status, missing.body]).to.deep.equal([401, { error: 'missing write key: send Authorization: Basic base64(<write key>:), as Segment libraries do, or "writeKey" in the body' }]);
    const unknown = await post('/v1/track', event, { authorization: basic('fpw_0000000000000000000000000000') });
    expect([unknown.status, unknown.body]).to.deep.equal([401, { error: 'unknown or revoked write key' }]);
    const segmentKey = await post('/v1/track', { ...event, writeKey: 'Zx9segmentKey' }, {});
    expect([segmentKey.status, segmentKey.body]).to.deep.equal([401, { error: 'not a Footprint key (fpw_, fpr_, fpa_) or embed token' }]);
    const read = await post('/v1/batch', { batch: [event] }, { authorization: basic(t.keys.read) });
    expect([read.status, read.body]).to.deep.equal([403, { error: 'a read key cannot write' }]);
    const malformed = await post('/v1/batch', '{"batch": [', { authorization: basic(t.keys.write) });
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error).to.match(/^body: not valid JSON \(/);
    expect(await stored()).to.deep.equal([]);
  });
});
