import { expect } from 'chai';
import { createEmbedToken } from '../../server/auth/embed-token.ts';
import { readServerSecret } from '../../server/auth/secret.ts';
import { postEvents, postQuery, request, startServer, type TestServer } from './harness.ts';

/** POST /v1/query over real HTTP: keys, embed tokens, the locked where, errors and the cache. */

const NOW = Date.UTC(2026, 11, 3, 12);
const day = (d: number, h = 10): string => new Date(Date.UTC(2026, 11, d, h)).toISOString();

/** Two tenants of one product: acme (3 events of 2 users on Dec 1, 1 on Dec 2), globex (2 events of 1 user on Dec 2). */
const EVENTS = [
  { event: 'open', user_id: 'a1', timestamp: day(1), properties: { tenant: 'acme' } },
  { event: 'save', user_id: 'a1', timestamp: day(1, 11), properties: { tenant: 'acme' } },
  { event: 'open', user_id: 'a2', timestamp: day(1), properties: { tenant: 'acme' } },
  { event: 'open', user_id: 'a1', timestamp: day(2), properties: { tenant: 'acme' } },
  { event: 'open', user_id: 'g1', timestamp: day(2), properties: { tenant: 'globex' } },
  { event: 'save', user_id: 'g1', timestamp: day(2, 11), properties: { tenant: 'globex' } },
];
const TREND = { kind: 'trend', from: '2026-12-01', to: '2026-12-02' };

describe('POST /v1/query (server/routes/query.ts)', () => {
  let t: TestServer;
  let secret: string;
  before(async () => {
    t = await startServer({ now: () => NOW });
    secret = readServerSecret(t.data);
    expect((await postEvents(t.url, t.keys.write, EVENTS)).body.accepted).to.equal(6);
  });
  after(() => t.close());

  const token = (claims: { project?: string; ttlSeconds?: number; kinds?: string[]; where?: Record<string, unknown> } = {}): Promise<string> =>
    createEmbedToken({ secret, project: 'shop', ttlSeconds: 600, ...claims } as never);

  it('answers a spec with a read key exactly as the store computes it', async () => {
    const answer = await postQuery(t.url, t.keys.read, TREND);
    expect(answer.status).to.equal(200);
    expect(answer.body.series[0].points.map((p: { value: number }) => p.value)).to.deep.equal([3, 3]);
  });

  it('refuses a write key (403) and no key (401)', async () => {
    const write = await postQuery(t.url, t.keys.write, TREND);
    expect(write.status).to.equal(403);
    expect(write.body.error).to.match(/write key cannot read/i);
    expect((await postQuery(t.url, null, TREND)).status).to.equal(401);
  });

  it("answers 400 naming the spec's field", async () => {
    const answer = await postQuery(t.url, t.keys.read, { kind: 'trend', from: '2026-12-01', to: '2026-12-02', interval: 'fortnight' });
    expect(answer.status).to.equal(400);
    expect(answer.body.field).to.equal('interval');
    expect(answer.body.error).to.match(/^interval: /);
    const notJson = await request(`${t.url}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${t.keys.read}` }, body: '{kind' });
    expect(notJson.status).to.equal(400);
    expect(notJson.body.error).to.match(/not JSON/);
  });

  it("an embed token's locked where is ANDed onto every spec: a tenant sees only its events and cannot widen it", async () => {
    const acme = await token({ where: { tenant: 'acme' } });
    const own = await postQuery(t.url, acme, TREND);
    expect(own.body.series[0].points.map((p: { value: number }) => p.value)).to.deep.equal([3, 1]);
    // Naming the same property cannot replace the lock: both conditions hold, so nothing matches.
    const other = await postQuery(t.url, acme, { ...TREND, where: { tenant: 'globex' } });
    expect(other.body.series[0].points.map((p: { value: number }) => p.value)).to.deep.equal([0, 0]);
    const notAcme = await postQuery(t.url, acme, { ...TREND, where: { tenant: { op: '!=', value: 'acme' } } });
    expect(notAcme.body.series[0].points.map((p: { value: number }) => p.value)).to.deep.equal([0, 0]);
    const users = await postQuery(t.url, acme, { kind: 'events', from: '2026-12-01', to: '2026-12-02', limit: 100 });
    expect(new Set(users.body.events.map((e: { user_id: string }) => e.user_id))).to.deep.equal(new Set(['a1', 'a2']));
  });

  it('refuses an expired, tampered, foreign or out-of-kind token, naming what is wrong', async () => {
    const expired = await createEmbedToken({ secret, project: 'shop', ttlSeconds: 1 } as never);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await postQuery(t.url, expired, TREND);
    expect(late.status).to.equal(401);
    expect(late.body.error).to.match(/expired/);

    const good = await token({ where: { tenant: 'acme' } });
    const [header, payload, signature] = good.split('.');
    const widened = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    delete widened.fp_where;
    const tampered = await postQuery(t.url, `${header}.${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${signature}`, TREND);
    expect(tampered.status).to.equal(401);
    expect(tampered.body.error).to.match(/signature/);

    const foreign = await createEmbedToken({ secret: 'another-server-secret-of-at-least-32-chars', project: 'shop', ttlSeconds: 600 } as never);
    expect((await postQuery(t.url, foreign, TREND)).status).to.equal(401);

    const trendOnly = await token({ kinds: ['trend'] });
    const paths = await postQuery(t.url, trendOnly, { kind: 'paths', from: '2026-12-01', to: '2026-12-02' });
    expect(paths.status).to.equal(403);
    expect(paths.body.error).to.match(/kind 'paths' is not allowed/);
    expect((await postQuery(t.url, trendOnly, TREND)).status).to.equal(200);
  });

  it('a token of another project is refused where the page names this one, and reads only its own otherwise', async () => {
    const blog = await createEmbedToken({ secret, project: 'blog', ttlSeconds: 600 } as never);
    const named = await request(`${t.url}/v1/query?project=shop`, { method: 'POST', headers: { authorization: `Bearer ${blog}` }, body: JSON.stringify(TREND) });
    expect(named.status).to.equal(403);
    expect(named.body.error).to.equal("this token is for project 'blog', not 'shop'");
    // Without a name, the token selects its own project, which holds no events.
    const own = await postQuery(t.url, blog, TREND);
    expect(own.body.series[0].points.map((p: { value: number }) => p.value)).to.deep.equal([0, 0]);
  });

  it('answers a spec asked again from the cache, until new events arrive', async () => {
    const spec = { kind: 'sessions', from: '2026-12-01', to: '2026-12-02' };
    const first = await postQuery(t.url, t.keys.read, spec);
    const second = await postQuery(t.url, t.keys.read, spec);
    expect([first.headers.get('x-footprint-cache'), second.headers.get('x-footprint-cache')]).to.deep.equal(['miss', 'hit']);
    expect(second.body).to.deep.equal(first.body);
    await postEvents(t.url, t.keys.write, [{ event: 'open', user_id: 'z9', timestamp: day(2, 15), properties: { tenant: 'zeta' } }]);
    const third = await postQuery(t.url, t.keys.read, spec);
    expect(third.headers.get('x-footprint-cache')).to.equal('miss');
    expect(third.body.count).to.equal(first.body.count + 1);
  });

  it('publishes the specs as JSON Schema, and its health, without a key', async () => {
    const schema = await request(`${t.url}/v1/schema`);
    expect(schema.status).to.equal(200);
    expect(schema.headers.get('content-type')).to.match(/schema\+json/);
    const health = await request(`${t.url}/v1/health`);
    expect(health.body.status).to.equal('ok');
  });
});
