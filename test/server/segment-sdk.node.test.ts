import { Analytics } from '@segment/analytics-node';
import { expect } from 'chai';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { postQuery, request, startServer, type TestServer } from './harness.ts';

/** The real @segment/analytics-node, pointed at a Footprint server on loopback (server/compat/segment). */

const NOW = Date.UTC(2026, 11, 3, 12);

/** One POST the SDK made: its headers and its JSON body. */
interface Sent {
  headers: IncomingHttpHeaders;
  body: { batch: Record<string, any>[]; sentAt: string; writeKey: string };
}

/**
 * A proxy on loopback in front of the server that records what the SDK
 * sends and forwards it; the first `lose` answers are replaced by a 503 after
 * the server has taken the request in, as when an answer is lost on the way.
 */
async function startProxy(target: string, lose: number): Promise<{ url: string; sent: Sent[]; statuses: number[]; close(): Promise<void> }> {
  const sent: Sent[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      sent.push({ headers: incoming.headers, body: JSON.parse(body.toString('utf8')) });
      const forward = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
        const answerChunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        answer.on('end', () => {
          statuses.push(answer.statusCode!);
          if (sent.length <= lose) {
            outgoing.writeHead(503, { 'content-type': 'text/plain' }).end('the answer was lost');
          } else {
            outgoing.writeHead(answer.statusCode!, answer.headers).end(Buffer.concat(answerChunks));
          }
        });
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, sent, statuses, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('@segment/analytics-node sends to the Segment-compatible door (server/compat/segment)', () => {
  let t: TestServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeEach(async () => {
    t = await startServer({ now: () => NOW });
  });
  afterEach(async () => {
    await proxy?.close();
    await t.close();
  });

  async function stored(): Promise<{ event: string; user_id: string; timestamp: string; uuid: string | null; properties: Record<string, unknown> | null }[]> {
    const answer = await postQuery(t.url, t.keys.read, { kind: 'events', from: '2026-11-01', to: '2026-12-04', limit: 1000 });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body.events;
  }

  /**
   * The time an event is stored at: its SDK time corrected by the batch's
   * sentAt against the server's clock (NOW), as Segment corrects skew.
   */
  function corrected(sentAt: string, time: Date): string {
    return new Date(NOW - (Date.parse(sentAt) - time.getTime())).toISOString();
  }

  it('delivers track, page and screen in one batch, exactly, counts identify, group and alias without storing them, and the trend shows the events', async () => {
    proxy = await startProxy(t.url, 0);
    const analytics = new Analytics({ writeKey: t.keys.write, host: proxy.url, flushAt: 20, maxRetries: 0 });
    const time = (minutesAgo: number): Date => new Date(Date.now() - minutesAgo * 60_000);
    const times = [time(30), time(20), time(10), time(5)];
    analytics.identify({ userId: 'u1', traits: { email: 'ann@example.com', plan: 'pro' } });
    analytics.track({ userId: 'u1', event: 'Order Completed', properties: { total: 30, currency: 'EUR' }, timestamp: times[0] });
    analytics.page({ anonymousId: 'anon-7', name: 'Pricing', category: 'Docs', properties: { path: '/pricing', url: 'https://shop.example/pricing' }, timestamp: times[1] });
    analytics.screen({ userId: 'u2', name: 'Cart', timestamp: times[2], context: { ip: '203.0.113.9' } });
    analytics.group({ userId: 'u1', groupId: 'acme' });
    analytics.alias({ userId: 'u1', previousId: 'anon-7' });
    analytics.track({ userId: 'u2', event: 'Order Completed', properties: { total: 12, currency: 'EUR' }, timestamp: times[3] });
    await analytics.closeAndFlush({ timeout: 10_000 });

    // What the SDK sent: one batch to /v1/batch, with Basic auth.
    expect(proxy.sent).to.have.length(1);
    const [{ headers, body }] = proxy.sent as [Sent];
    expect(headers.authorization).to.equal(`Basic ${Buffer.from(`${t.keys.write}:`).toString('base64')}`);
    expect(body.batch.map((message) => message.type)).to.deep.equal(['identify', 'track', 'page', 'screen', 'group', 'alias', 'track']);
    expect(proxy.statuses).to.deep.equal([200]);
    const ids = body.batch.map((message) => message.messageId as string);
    expect(ids.every((id) => /^node-next-\d+-[0-9a-f-]{36}$/.test(id))).to.equal(true);

    expect(await stored()).to.deep.equal([
      { event: 'Order Completed', user_id: 'u2', session_id: null, timestamp: corrected(body.sentAt, times[3]!), uuid: ids[6], properties: { total: 12, currency: 'EUR' } },
      { event: '$pageview', user_id: 'u2', session_id: null, timestamp: corrected(body.sentAt, times[2]!), uuid: ids[3], properties: { name: 'Cart' } },
      { event: '$pageview', user_id: 'anon-7', session_id: null, timestamp: corrected(body.sentAt, times[1]!), uuid: ids[2], properties: { path: '/pricing', url: 'https://shop.example/pricing', name: 'Pricing', category: 'Docs' } },
      { event: 'Order Completed', user_id: 'u1', session_id: null, timestamp: corrected(body.sentAt, times[0]!), uuid: ids[1], properties: { total: 30, currency: 'EUR' } },
    ]);

    const trend = await postQuery(t.url, t.keys.read, { kind: 'trend', event: 'Order Completed', math: 'events', from: '2026-12-02', to: '2026-12-03' });
    expect(trend.body.series).to.deep.equal([{ label: 'all', points: [{ period: '2026-12-02', value: 0 }, { period: '2026-12-03', value: 2, incomplete: true }] }]);
    const pageviews = await postQuery(t.url, t.keys.read, { kind: 'trend', event: '$pageview', math: 'users', from: '2026-12-03', to: '2026-12-03' });
    expect(pageviews.body.series[0].points).to.deep.equal([{ period: '2026-12-03', value: 2, incomplete: true }]);

    const report = await request(`${t.url}/v1/projects/shop/ingest-report`, { headers: { authorization: `Bearer ${t.keys.admin}` } });
    expect(report.body).to.deep.equal({ project: 'shop', rejected: 0, dropped: { identify: 1, group: 1, alias: 1 }, recent: [] });
  });

  it('stores an event once when the answer to its batch was lost and the SDK retried after a 503', async () => {
    proxy = await startProxy(t.url, 1);
    const analytics = new Analytics({ writeKey: t.keys.write, host: proxy.url, flushAt: 20, maxRetries: 3 });
    const timestamp = new Date(Date.now() - 60_000);
    analytics.track({ userId: 'u1', event: 'Paid', properties: { total: 9 }, timestamp });
    await analytics.closeAndFlush({ timeout: 15_000 });

    // Sent twice, the second time as a retry of the same message; the server took both in.
    expect(proxy.sent.map((s) => s.headers['x-retry-count'] ?? null)).to.deep.equal([null, '1']);
    const [first, retry] = proxy.sent.map((s) => s.body) as [Sent['body'], Sent['body']];
    expect(retry.batch[0]!.messageId).to.equal(first.batch[0]!.messageId);
    expect(proxy.statuses).to.deep.equal([200, 200]);

    expect(await stored()).to.deep.equal([
      { event: 'Paid', user_id: 'u1', session_id: null, timestamp: corrected(first.sentAt, timestamp), uuid: first.batch[0]!.messageId, properties: { total: 9 } },
    ]);
    const trend = await postQuery(t.url, t.keys.read, { kind: 'trend', event: 'Paid', math: 'events', from: '2026-12-03', to: '2026-12-03' });
    expect(trend.body.series[0].points).to.deep.equal([{ period: '2026-12-03', value: 1, incomplete: true }]);
  });
});
