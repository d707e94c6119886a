import { expect } from 'chai';
import { PostHog } from 'posthog-node';
import { postQuery, request, startServer, type TestServer } from './harness.ts';

const MINUTE = 60_000;

/**
 * The real posthog-node SDK pointed at a Footprint server on loopback: its
 * gzip batches to /batch/, uuids, identify and flush on shutdown.
 */
describe('posthog-node sends to a Footprint server (server/compat/posthog)', () => {
  let t: TestServer;
  before(async () => (t = await startServer()));
  after(() => t.close());

  it('captures and identifies; the events arrive once with their uuids, $identify is counted and not stored, and trend and sessions count exactly them', async () => {
    const now = Date.now();
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const client = new PostHog(t.keys.write, { host: t.url, flushAt: 50, flushInterval: 0 });
    client.capture({ distinctId: 'ann', event: 'signup', uuid: '0193c0de-0000-7000-8000-00000000000a', timestamp: new Date(now - 20 * MINUTE), properties: { plan: 'pro', $session_id: 'ann-1' } });
    client.capture({ distinctId: 'ann', event: '$pageview', uuid: '0193c0de-0000-7000-8000-00000000000b', timestamp: new Date(now - 19 * MINUTE), properties: { $current_url: 'https://shop.example/welcome?x=1', $session_id: 'ann-1' } });
    client.identify({ distinctId: 'ann', properties: { email: 'ann@example.com' } });
    client.capture({ distinctId: 'bob', event: 'signup', uuid: '0193c0de-0000-7000-8000-00000000000c', timestamp: new Date(now - 5 * MINUTE), properties: { plan: 'free' } });
    await client.shutdown();

    const events = async (user: string): Promise<Record<string, unknown>[]> =>
      (await request(`${t.url}/v1/projects/shop/users/${user}/events`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).body.events.reverse();
    const ann = await events('ann');
    expect(ann.map(({ event, uuid, session_id }) => ({ event, uuid, session_id }))).to.deep.equal([
      { event: 'signup', uuid: '0193c0de-0000-7000-8000-00000000000a', session_id: 'ann-1' },
      { event: '$pageview', uuid: '0193c0de-0000-7000-8000-00000000000b', session_id: 'ann-1' },
    ]);
    expect(ann[0]!.properties).to.deep.equal({ plan: 'pro', $lib: 'posthog-node', $lib_version: '5.74.0', $is_server: true });
    expect(ann[1]!.properties).to.deep.equal({ url: 'https://shop.example/welcome', $lib: 'posthog-node', $lib_version: '5.74.0', $is_server: true });
    // sent_at corrects for the SDK's clock: on one machine, the times move by the request's transit only.
    expect(Math.abs(Date.parse(ann[0]!.timestamp as string) - (now - 20 * MINUTE))).to.be.below(2000);
    expect((await events('bob')).map((e) => e.uuid)).to.deep.equal(['0193c0de-0000-7000-8000-00000000000c']);

    const report = (await request(`${t.url}/v1/projects/shop/ingest-report`, { headers: { authorization: `Bearer ${t.keys.admin}` } })).body;
    expect([report.dropped, report.rejected]).to.deep.equal([{ identify: 1 }, 0]);

    const range = { from: day(now - 24 * 60 * MINUTE), to: day(now + 24 * 60 * MINUTE) };
    const trend = (await postQuery(t.url, t.keys.read, { kind: 'trend', math: 'events', event: 'signup', interval: 'day', ...range })).body;
    expect(trend.series[0].points.reduce((sum: number, point: { value: number }) => sum + point.value, 0)).to.equal(2);
    const sessions = (await postQuery(t.url, t.keys.read, { kind: 'sessions', ...range })).body;
    expect([sessions.count, sessions.users]).to.deep.equal([2, 2]);
  });
});
