import { expect } from 'chai';
import LZString from 'lz-string';
import { gzipSync as nodeGzip } from 'node:zlib';
import { request, startServer, type Answer, type TestServer } from './harness.ts';

/** Gzip bytes as fetch takes them. */
const gzipSync = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(nodeGzip(text));

/** Noon of 2026-12-01 (UTC) on the server's clock. */
const NOW = Date.UTC(2026, 11, 1, 12);

/**
 * PostHog's capture endpoints over loopback HTTP, with hand-made payloads
 * in each of the SDKs' encodings; what was stored is read back whole with
 * the admin key (GET /v1/projects/shop/users/:user/events).
 */
describe('PostHog capture: POST /e, /i/v0/e, /batch, /capture, /track and /s (server/compat/posthog)', () => {
  let t: TestServer;
  beforeEach(async () => (t = await startServer({ now: () => NOW })));
  afterEach(() => t.close());

  function post(path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Answer> {
    return request(`${t.url}${path}`, { method: 'POST', headers, body });
  }

  async function stored(user: string): Promise<Record<string, unknown>[]> {
    const answer = await request(`${t.url}/v1/projects/shop/users/${encodeURIComponent(user)}/events`, { headers: { authorization: `Bearer ${t.keys.admin}` } });
    expect(answer.status).to.equal(200);
    return (answer.body.events as Record<string, unknown>[]).reverse(); // oldest first
  }

  async function dropped(): Promise<Record<string, number>> {
    return (await request(`${t.url}/v1/projects/shop/ingest-report`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).body.dropped;
  }

  const pageview = (user: string, uuid: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    event: '$pageview',
    distinct_id: user,
    uuid,
    timestamp: '2026-12-01T10:00:00.000Z',
    properties: { $pathname: '/pricing', ...extra },
  });

  it('maps one event: distinct_id, $session_id, uuid, timestamp; url and path from $current_url and $pathname; the token and person updates dropped; names like constructor kept as names', async () => {
    const event = {
      event: 'signup',
      distinct_id: 'u1',
      uuid: '0193c0de-0000-7000-8000-000000000001',
      timestamp: '2026-12-01T10:00:00.000Z',
      properties: { token: t.keys.write, $session_id: 's1', $current_url: 'https://shop.example/pricing?ref=mail', $pathname: '/pricing', $lib: 'web', $lib_version: '1.449.2', plan: 'pro', $set: { email: 'ann@example.com' }, $set_once: { first: 1 }, $ip: '203.0.113.9', $insert_id: 'x1', distinct_id: 'u1', constructor: 'kept', toString: 'kept too' },
    };
    const answer = await post('/e/?ip=1&_=1764590400000&ver=1.449.2', JSON.stringify(event));
    expect([answer.status, answer.body]).to.deep.equal([200, { status: 1, accepted: 1, duplicates: 0, rejected: [], dropped: {} }]);
    expect(await stored('u1')).to.deep.equal([
      {
        event: 'signup',
        user_id: 'u1',
        timestamp: '2026-12-01T10:00:00.000Z',
        session_id: 's1',
        uuid: '0193c0de-0000-7000-8000-000000000001',
        properties: { url: 'https://shop.example/pricing', path: '/pricing', $lib: 'web', $lib_version: '1.449.2', plan: 'pro', constructor: 'kept', toString: 'kept too' },
      },
    ]);
  });

  it('takes { api_key, batch, sent_at } on every capture path, with or without the slash, and stores a repeated uuid once', async () => {
    const paths = ['/e', '/i/v0/e/', '/batch/', '/capture', '/track/'];
    for (const [i, path] of paths.entries()) {
      const answer = await post(path, JSON.stringify({ api_key: t.keys.write, batch: [pageview('u2', `uuid-${i}`)] }));
      expect([path, answer.status, answer.body.accepted]).to.deep.equal([path, 200, 1]);
    }
    const again = await post('/batch/', JSON.stringify({ api_key: t.keys.write, batch: [pageview('u2', 'uuid-0')] }));
    expect([again.body.accepted, again.body.duplicates]).to.deep.equal([0, 1]);
    expect((await stored('u2')).map((e) => e.uuid)).to.deep.equal(['uuid-0', 'uuid-1', 'uuid-2', 'uuid-3', 'uuid-4']);
  });

  it("corrects times as PostHog does: sent_at skew, offset, $ignore_sent_at, and clamps 23 h ahead; refuses an event with no time at all", async () => {
    // The sender's clock is an hour ahead: it sent at 13:00 its time, noon the server's.
    const batch = [
      { event: 'skewed', distinct_id: 'u3', uuid: 'a', timestamp: '2026-12-01T12:59:00.000Z', properties: {} },
      { event: 'offset', distinct_id: 'u3', uuid: 'b', offset: 5000, timestamp: '2020-01-01T00:00:00.000Z', properties: {} },
      { event: 'ignored', distinct_id: 'u3', uuid: 'c', timestamp: '2026-12-01T08:00:00.000Z', properties: { $ignore_sent_at: true } },
      { event: 'untimed', distinct_id: 'u3', uuid: 'd', properties: {} },
      { event: 'own-sent-at', distinct_id: 'u3', uuid: 'e', timestamp: '2026-12-01T09:00:00.000Z', sent_at: '2026-12-01T09:30:00.000Z', properties: {} },
      { event: 'future', distinct_id: 'u3', uuid: 'f', timestamp: '2026-12-03T12:00:00.000Z', properties: { $ignore_sent_at: true } },
    ];
    const answer = await post('/batch/', JSON.stringify({ api_key: t.keys.write, sent_at: '2026-12-01T13:00:00.000Z', batch }));
    expect(answer.body.accepted).to.equal(5);
    // Never dated on arrival (METRICS.md section 1), where PostHog would.
    expect(answer.body.rejected).to.deep.equal([{ index: 3, reason: 'timestamp: missing (also accepted: ts, time); timestamps are never defaulted to now' }]);
    const times = Object.fromEntries((await stored('u3')).map((e) => [e.event, e.timestamp]));
    expect(times).to.deep.equal({
      skewed: '2026-12-01T11:59:00.000Z',
      offset: '2026-12-01T11:59:55.000Z',
      ignored: '2026-12-01T08:00:00.000Z',
      'own-sent-at': '2026-12-01T11:30:00.000Z',
      future: '2026-12-01T12:00:00.000Z',
    });
  });

  it("takes sent_at from the query (posthog-js's ?sent_at=<epoch ms>) when the body has none", async () => {
    const sentAt = Date.UTC(2026, 11, 1, 12, 30); // the sender is half an hour ahead
    await post(`/e/?sent_at=${sentAt}`, JSON.stringify([{ event: 'x', distinct_id: 'u4', timestamp: '2026-12-01T12:20:00.000Z', properties: { token: t.keys.write } }]));
    expect((await stored('u4')).map((e) => e.timestamp)).to.deep.equal(['2026-12-01T11:50:00.000Z']);
  });

  it('decodes lz64 (?compression=lz64, and in a form), gzip (Content-Encoding, ?compression=gzip-js, or just its bytes as text/plain) and the base64 data= form', async () => {
    const body = (uuid: string): string => JSON.stringify({ api_key: t.keys.write, batch: [pageview('u5', uuid, { text: 'café 🎉' })] });
    const answers = [
      await post('/e/?compression=lz64', LZString.compressToBase64(body('lz64')), { 'content-type': 'text/plain' }),
      await post('/e/', `data=${encodeURIComponent(LZString.compressToBase64(body('lz64-form')))}&compression=lz64`, { 'content-type': 'application/x-www-form-urlencoded' }),
      await post('/batch/', gzipSync(body('gzip')), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
      await post('/e/?compression=gzip-js', gzipSync(body('gzip-js')), { 'content-type': 'text/plain' }),
      // posthog-js 1.4xx: gzip as text/plain, and no word of it.
      await post('/e/?ver=1.449.2', gzipSync(body('gzip-bytes')), { 'content-type': 'text/plain' }),
      await post('/e/?compression=base64', `data=${encodeURIComponent(Buffer.from(body('base64-form')).toString('base64'))}`, { 'content-type': 'application/x-www-form-urlencoded' }),
      // A base64 value sent without escaping: its '+' arrive as spaces.
      await post('/e/', `data=${Buffer.from(body('base64-raw')).toString('base64')}`, { 'content-type': 'application/x-www-form-urlencoded' }),
    ];
    expect(answers.map((a) => [a.status, a.body.accepted])).to.deep.equal(Array(7).fill([200, 1]));
    const events = await stored('u5');
    expect(events.map((e) => e.uuid)).to.deep.equal(['lz64', 'lz64-form', 'gzip', 'gzip-js', 'gzip-bytes', 'base64-form', 'base64-raw']);
    expect(events.map((e) => e.properties)).to.deep.equal(Array(7).fill({ path: '/pricing', text: 'café 🎉' }));
  });

  it('refuses a missing or unknown token with 401, a read key with 403, and names the problem', async () => {
    const unknown = await post('/e/', JSON.stringify({ event: 'x', distinct_id: 'u', properties: { token: 'fpw_nope' } }));
    expect([unknown.status, unknown.body.error]).to.deep.equal([401, 'unknown or revoked write key']);
    const missing = await post('/batch/', JSON.stringify({ batch: [{ event: 'x', distinct_id: 'u' }] }));
    expect([missing.status, missing.body.error]).to.deep.equal([401, "missing token: PostHog's api_key (or token) must be a Footprint write key (fpw_…)"]);
    const read = await post('/batch/', JSON.stringify({ api_key: t.keys.read, batch: [] }));
    expect([read.status, read.body.error]).to.deep.equal([403, 'a read key cannot write']);
    expect(await stored('u')).to.deep.equal([]);
  });

  it('refuses malformed JSON, a damaged lz64, an empty body and two tokens in one request with 400', async () => {
    const answers = [
      await post('/e/', '{"event": "x",'),
      await post('/e/?compression=lz64', 'not*lz64', { 'content-type': 'text/plain' }),
      await post('/e/', ''),
      await post('/batch/', JSON.stringify({ api_key: t.keys.write, batch: [{ event: 'x', distinct_id: 'u', properties: { token: 'fpw_other' } }] })),
    ];
    // JSON.parse's own words differ between Node versions: only the start and end of that message are ours.
    expect(answers[0]!.body.error).to.match(/^body: not JSON \(.+\); send PostHog's event JSON, plain, gzip, base64 or lz64$/);
    answers[0]!.body.error = 'not JSON';
    expect(answers.map((a) => [a.status, a.body.error])).to.deep.equal([
      [400, 'not JSON'],
      [400, 'body: not valid lz64 (compression=lz64): character "*" at 3 is not base64'],
      [400, 'body: empty; a PostHog capture request carries one event, an array of events or { batch }'],
      [400, "body: the events name 2 different tokens; send each project's events in their own request"],
    ]);
  });

  it('counts person updates, identify merges, group updates and recordings in the ingest report, and stores none of them', async () => {
    const batch = [
      { event: '$identify', distinct_id: 'u6', properties: { $anon_distinct_id: 'anon-1' }, $set: { email: 'ann@example.com' } },
      { event: '$create_alias', distinct_id: 'u6', properties: { alias: 'ann' } },
      { event: '$set', distinct_id: 'u6', properties: { $set: { plan: 'pro' } } },
      { event: '$groupidentify', distinct_id: 'u6', properties: { $group_type: 'company', $group_key: 'acme', $group_set: {} } },
      { event: '$snapshot', distinct_id: 'u6', properties: { $snapshot_data: [] } },
      pageview('u6', 'kept'),
    ];
    const answer = await post('/batch/', JSON.stringify({ api_key: t.keys.write, batch }));
    expect(answer.body).to.deep.equal({ status: 1, accepted: 1, duplicates: 0, rejected: [], dropped: { identify: 2, 'person updates': 1, 'group updates': 1, recordings: 1 } });
    const recording = await post('/s/?compression=gzip-js', gzipSync(JSON.stringify([1, 2, 3].map((n) => ({ event: '$snapshot', distinct_id: 'u6', properties: { token: t.keys.write, $snapshot_data: [n] } })))), { 'content-type': 'text/plain' });
    expect([recording.status, recording.body]).to.deep.equal([200, { status: 1, dropped: { recordings: 3 } }]);
    expect((await stored('u6')).map((e) => e.uuid)).to.deep.equal(['kept']);
    expect(await dropped()).to.deep.equal({ identify: 2, 'person updates': 1, 'group updates': 1, recordings: 4 });
    expect((await request(`${t.url}/v1/health`)).body.dropped).to.deep.equal({ identify: 2, 'person updates': 1, 'group updates': 1, recordings: 4 });
  });

  it("reports a refused event at its place in the batch as sent, and in the ingest report via 'posthog'", async () => {
    const batch = [{ event: '$identify', distinct_id: 'u7' }, { event: 'no-user', timestamp: '2026-12-01T10:00:00.000Z' }, pageview('u7', 'ok')];
    const answer = await post('/batch/', JSON.stringify({ api_key: t.keys.write, batch }));
    expect(answer.body.rejected).to.deep.equal([{ index: 1, reason: 'user_id: missing (also accepted: distinct_id, userId, anonymousId, user)' }]);
    const report = (await request(`${t.url}/v1/projects/shop/ingest-report`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).body;
    expect(report.recent.map((r: { via: string; reason: string }) => [r.via, r.reason])).to.deep.equal([['posthog', 'user_id: missing (also accepted: distinct_id, userId, anonymousId, user)']]);
  });

  it('stores an autocapture click as a $click with the target the friction kind groups by, and an $exception as an $error', async () => {
    const chain =
      'span.icon:nth-child="1"nth-of-type="1";' +
      'button.big.primary:attr__class="primary big"attr__id="save"attr_id="save"nth-child="2"nth-of-type="1"text="Save \\"all\\"  now";' +
      'div.toolbar:nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"';
    const click = { event: '$autocapture', distinct_id: 'u8', uuid: 'click', timestamp: '2026-12-01T10:00:00.000Z', properties: { $event_type: 'click', $ce_version: 1, $elements_chain: chain, $el_text: 'Save', $pathname: '/cart' } };
    const change = { event: '$autocapture', distinct_id: 'u8', uuid: 'change', timestamp: '2026-12-01T10:00:01.000Z', properties: { $event_type: 'change', $elements: [{ tag_name: 'input', attr__id: 'qty', classes: ['n'], nth_child: 1 }] } };
    const exception = {
      event: '$exception',
      distinct_id: 'u8',
      uuid: 'error',
      timestamp: '2026-12-01T10:00:02.000Z',
      properties: { $exception_list: [{ type: 'TypeError', value: 'x is undefined', mechanism: { type: 'onuncaughtexception', handled: false }, stacktrace: { type: 'raw', frames: [] } }], $exception_level: 'error' },
    };
    const old = { event: '$exception', distinct_id: 'u8', uuid: 'old-error', timestamp: '2026-12-01T10:00:03.000Z', properties: { $exception_type: 'RangeError', $exception_message: 'too far' } };
    await post('/batch/', JSON.stringify({ api_key: t.keys.write, batch: [click, change, exception, old] }));
    expect((await stored('u8')).map(({ event, properties }) => ({ event, properties }))).to.deep.equal([
      { event: '$click', properties: { path: '/cart', target: 'button#save.big.primary', tag: 'button', id: 'save', classes: ['big', 'primary'], text: 'Save "all" now' } },
      { event: '$autocapture', properties: { target: 'input#qty.n', tag: 'input', id: 'qty', classes: ['n'], $event_type: 'change' } },
      { event: '$error', properties: { $exception_level: 'error', message: 'x is undefined', type: 'TypeError', source: 'error' } },
      { event: '$error', properties: { message: 'too far', type: 'RangeError' } },
    ]);
  });
});
