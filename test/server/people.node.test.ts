import { expect } from 'chai';
import { openStore } from '../../shared/index.ts';
import { postEvents, postQuery, request, startServer, type TestServer } from './harness.ts';

/** One person's rights over HTTP: export (GDPR Art. 15) and erasure (Art. 17), with the admin key only; a project's export file. */

const NOW = Date.UTC(2026, 11, 3, 12);
const at = (hours: number): string => new Date(NOW - hours * 3_600_000).toISOString();

describe('people and exports (server/routes/people.ts)', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startServer({ now: () => NOW });
    await postEvents(t.url, t.keys.write, [
      { event: 'open', user_id: 'ann@example.com', timestamp: at(30) },
      { event: 'save', user_id: 'ann@example.com', timestamp: at(2), properties: { plan: 'pro' } },
      { event: 'open', user_id: 'bob', timestamp: at(1) },
    ]);
  });
  afterEach(() => t.close());

  const admin = (key: string): RequestInit => ({ headers: { authorization: `Bearer ${key}` } });

  it('exports everything kept about one person, and only with the admin key', async () => {
    const path = `${t.url}/v1/projects/shop/users/${encodeURIComponent('ann@example.com')}/events`;
    const answer = await request(path, admin(t.keys.admin));
    expect(answer.status).to.equal(200);
    expect(answer.body.events.map((e: { event: string; timestamp: string }) => [e.event, e.timestamp])).to.deep.equal([
      ['save', at(2)],
      ['open', at(30)],
    ]);
    expect(answer.body.events[0].properties).to.deep.equal({ plan: 'pro' });
    const read = await request(path, admin(t.keys.read));
    expect(read.status).to.equal(403);
    expect((await request(`${t.url}/v1/projects/other/users/ann/events`, admin(t.keys.admin))).status).to.equal(403);
  });

  it('erases a person: their events go from every answer', async () => {
    const path = `${t.url}/v1/projects/shop/users/${encodeURIComponent('ann@example.com')}`;
    expect((await request(path, { method: 'DELETE', ...admin(t.keys.read) })).status).to.equal(403);
    const erased = await request(path, { method: 'DELETE', ...admin(t.keys.admin) });
    expect(erased.status).to.equal(200);
    expect(erased.body.deleted).to.equal(2);
    const left = await postQuery(t.url, t.keys.read, { kind: 'events', from: '2026-12-01', to: '2026-12-03' });
    expect(left.body.events.map((e: { user_id: string }) => e.user_id)).to.deep.equal(['bob']);
  });

  it("exports the project as a SQLite file that openStore opens", async () => {
    const response = await fetch(`${t.url}/v1/projects/shop/export`, admin(t.keys.admin));
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/vnd.sqlite3');
    const store = await openStore({ data: new Uint8Array(await response.arrayBuffer()), now: () => NOW });
    const listed = await store.query({ kind: 'events', from: '2026-12-01', to: '2026-12-03' });
    expect(listed.total).to.equal(3);
    await store.close();
  });
});

describe('GET /v1/live (server/routes/live.ts)', () => {
  it('tells a listener the data changed after events arrive, with no data in it', async function () {
    this.timeout(10_000);
    const t = await startServer();
    try {
      const controller = new AbortController();
      const response = await fetch(`${t.url}/v1/live`, { headers: { authorization: `Bearer ${t.keys.read}` }, signal: controller.signal });
      expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const until = async (pattern: RegExp): Promise<void> => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
          text += decoder.decode(value);
        }
      };
      await until(/event: hello\ndata: \{"version":0\}/);
      await postEvents(t.url, t.keys.write, [{ event: 'open', user_id: 'u1', timestamp: Date.now() }]);
      await until(/event: change\ndata: \{"version":1\}/);
      controller.abort();
    } finally {
      await t.close();
    }
  });

  it("refuses a credential of another project where the page names one, as queries do", async () => {
    const t = await startServer();
    try {
      const response = await fetch(`${t.url}/v1/live?project=blog`, { headers: { authorization: `Bearer ${t.keys.read}` } });
      expect(response.status).to.equal(403);
      expect(((await response.json()) as { error: string }).error).to.equal("this key is for project 'shop', not 'blog'");
    } finally {
      await t.close();
    }
  });
});

