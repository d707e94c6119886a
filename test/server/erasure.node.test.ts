import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '../../server/auth/keys.ts';
import { postEvents, postQuery, request, startServer, type Answer, type TestServer } from './harness.ts';

/**
 * POST /v1/erasure over real HTTP on loopback: an installation erases its
 * own events with the project's write key and its secret, and nothing else.
 */

const NOW = Date.UTC(2026, 11, 3, 12);
const at = (hours: number): string => new Date(NOW - hours * 3_600_000).toISOString();

/** Two installations' secrets and their ids, computed apart with node:crypto (see test/shared/installation-id.test.ts). */
const ANN = { secret: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8', id: 'inst_Nfp9cQddoMaRIUFcFlX5gZ' };
const BOB = { secret: '__________________________________________8', id: 'inst_lc7BuJaVgpiqYzWU9DOj_G' };
/** A user of the project that is no installation. */
const CAROL = 'carol';

const EVENTS_SPEC = { kind: 'events', from: '2026-11-01', to: '2026-12-04', limit: 1000 };

describe('POST /v1/erasure (server/routes/erasure.ts)', () => {
  let t: TestServer;
  let data: string;
  /** Keys of a second project on the same server. */
  let other: { write: string; read: string };

  beforeEach(async () => {
    data = mkdtempSync(join(tmpdir(), 'fp-erasure-'));
    const ring = KeyRing.open(data);
    other = { write: ring.create('other', 'write').key, read: ring.create('other', 'read').key };
    t = await startServer({ data, now: () => NOW, projects: { shop: { origins: ['https://shop.example'] } } });
    const sent = await postEvents(t.url, t.keys.write, [
      { event: 'session.start', user_id: ANN.id, timestamp: at(5) },
      { event: 'wordCount.countWords', user_id: ANN.id, timestamp: at(4), properties: { duration_ms: 12, success: true } },
      { event: 'session.end', user_id: ANN.id, timestamp: at(3), properties: { duration_ms: 7_200_000 } },
      { event: 'session.start', user_id: BOB.id, timestamp: at(2) },
      { event: 'wordCount.countWords', user_id: BOB.id, timestamp: at(1) },
      { event: 'signup', user_id: CAROL, timestamp: at(1) },
    ]);
    expect(sent.body.accepted).to.equal(6);
  });
  afterEach(async () => {
    await t.close();
    rmSync(data, { recursive: true, force: true });
  });

  function erase(key: string | null, body: unknown, headers: Record<string, string> = {}, query = ''): Promise<Answer> {
    return request(`${t.url}/v1/erasure${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }

  /** Events per user of a project, as its read key sees them (the same spec each time, so a stale cached answer would show). */
  async function countsPerUser(readKey = t.keys.read): Promise<{ counts: Record<string, number>; cache: string | null }> {
    const answer = await postQuery(t.url, readKey, EVENTS_SPEC);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    const counts: Record<string, number> = {};
    for (const { user_id } of answer.body.events as { user_id: string }[]) counts[user_id] = (counts[user_id] ?? 0) + 1;
    return { counts, cache: answer.headers.get('x-footprint-cache') };
  }

  it("erases one installation's events with the write key and its secret, and no one else's", async () => {
    expect((await countsPerUser()).counts).to.deep.equal({ [ANN.id]: 3, [BOB.id]: 2, [CAROL]: 1 });
    const erased = await erase(t.keys.write, { secret: ANN.secret });
    expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
    expect(erased.body).to.deep.equal({ user_id: ANN.id, deleted: 3 });
    // The same spec as before: the cached answer went with the events.
    expect(await countsPerUser()).to.deep.equal({ counts: { [BOB.id]: 2, [CAROL]: 1 }, cache: 'miss' });
  });

  it('answers deleted 0 when asked again, so a retry is harmless', async () => {
    expect((await erase(t.keys.write, { secret: BOB.secret })).body).to.deep.equal({ user_id: BOB.id, deleted: 2 });
    const again = await erase(t.keys.write, { secret: BOB.secret });
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.equal({ user_id: BOB.id, deleted: 0 });
    expect((await countsPerUser()).counts).to.deep.equal({ [ANN.id]: 3, [CAROL]: 1 });
  });

  it('logs one line with the id and the count, and never the secret', async () => {
    await erase(t.keys.write, { secret: ANN.secret });
    await erase(t.keys.write, { secret: 'x'.repeat(43) });
    expect(t.logs.filter((line) => line.message === 'installation erased')).to.deep.equal([
      { level: 'info', message: 'installation erased', project: 'shop', user_id: ANN.id, deleted: 3, time: new Date(NOW).toISOString() },
    ]);
    expect(JSON.stringify(t.logs)).to.not.include(ANN.secret);
    expect(JSON.stringify(t.logs)).to.not.include('x'.repeat(43));
  });

  it('takes the write key as POST /v1/events does: Bearer or ?key=, from an allowed origin', async () => {
    const byQuery = await erase(null, { secret: ANN.secret }, {}, `?key=${encodeURIComponent(t.keys.write)}`);
    expect(byQuery.body).to.deep.equal({ user_id: ANN.id, deleted: 3 });
    const evil = await erase(t.keys.write, { secret: BOB.secret }, { origin: 'https://evil.example' });
    expect([evil.status, evil.body.error]).to.deep.equal([403, "origin 'https://evil.example' is not allowed for project 'shop'"]);
    const preflight = await fetch(`${t.url}/v1/erasure`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-methods')).to.include('POST');
    const page = await erase(t.keys.write, { secret: BOB.secret }, { origin: 'https://shop.example' });
    expect(page.status).to.equal(200);
    expect(page.headers.get('access-control-allow-origin')).to.equal('https://shop.example');
    expect((await countsPerUser()).counts).to.deep.equal({ [CAROL]: 1 });
  });

  it('refuses a read key and an admin key as POST /v1/events does (403), and an unknown or missing key (401)', async () => {
    const events = await postEvents(t.url, t.keys.read, [{ event: 'x', user_id: 'u', timestamp: at(1) }]);
    expect([events.status, events.body.error]).to.deep.equal([403, 'a read key cannot write']);
    const read = await erase(t.keys.read, { secret: ANN.secret });
    expect([read.status, read.body.error]).to.deep.equal([403, 'a read key cannot erase an installation by its secret (the write key is needed)']);
    const admin = await erase(t.keys.admin, { secret: ANN.secret });
    expect([admin.status, admin.body.error]).to.deep.equal([403, 'an admin key cannot erase an installation by its secret (the write key is needed)']);
    const unknown = await erase('fpw_not-a-key-of-this-server', { secret: ANN.secret });
    expect([unknown.status, unknown.body.error]).to.deep.equal([401, 'unknown or revoked write key']);
    const missing = await erase(null, { secret: ANN.secret });
    expect([missing.status, missing.body.error]).to.deep.equal([401, 'missing key: send Authorization: Bearer <key>']);
    expect((await countsPerUser()).counts).to.deep.equal({ [ANN.id]: 3, [BOB.id]: 2, [CAROL]: 1 });
  });

  it('refuses a missing body or a bad secret with 400 naming secret, without repeating what was sent', async () => {
    const refusals: [number, string, string][] = [];
    // A typo in the secret (a '+' for a '-'), sent as it should be and inside a body that is not JSON.
    const typo = `${ANN.secret.slice(0, 10)}+${ANN.secret.slice(11)}`;
    for (const body of [undefined, '', 'secret=x', '[]', {}, { secret: null }, { secret: 'short' }, { secret: typo }, `{"secret": "${ANN.secret}"`]) {
      const answer = await erase(t.keys.write, body);
      refusals.push([answer.status, answer.body.field, answer.body.error]);
      expect(answer.body.error).to.not.include(ANN.secret.slice(0, 10));
    }
    expect(refusals).to.deep.equal([
      [400, 'secret', 'the body is not JSON: send {"secret": "<the installation secret>"}'],
      [400, 'secret', 'the body is not JSON: send {"secret": "<the installation secret>"}'],
      [400, 'secret', 'the body is not JSON: send {"secret": "<the installation secret>"}'],
      [400, 'secret', 'the body must be a JSON object: send {"secret": "<the installation secret>"}'],
      [400, 'secret', 'secret: missing: give the installation secret (43 characters of base64url)'],
      [400, 'secret', 'secret: must be a string of 43 base64url characters, got null'],
      [400, 'secret', 'secret: must be 43 characters (32 bytes as base64url without padding), got 5'],
      [400, 'secret', 'secret: must be 32 bytes as base64url without padding (A-Z, a-z, 0-9, - and _), and is not'],
      [400, 'secret', 'the body is not JSON: send {"secret": "<the installation secret>"}'],
    ]);
    expect((await countsPerUser()).counts).to.deep.equal({ [ANN.id]: 3, [BOB.id]: 2, [CAROL]: 1 });
  });

  it("leaves the installation's events in another project alone: a key erases in its own project only", async () => {
    const sent = await postEvents(t.url, other.write, [
      { event: 'session.start', user_id: ANN.id, timestamp: at(2) },
      { event: 'session.end', user_id: ANN.id, timestamp: at(1) },
    ]);
    expect(sent.body.accepted).to.equal(2);
    expect((await erase(t.keys.write, { secret: ANN.secret })).body).to.deep.equal({ user_id: ANN.id, deleted: 3 });
    expect((await countsPerUser(other.read)).counts).to.deep.equal({ [ANN.id]: 2 });
    expect((await erase(other.write, { secret: ANN.secret })).body).to.deep.equal({ user_id: ANN.id, deleted: 2 });
    expect((await countsPerUser(other.read)).counts).to.deep.equal({});
    expect((await countsPerUser()).counts).to.deep.equal({ [BOB.id]: 2, [CAROL]: 1 });
  });

  it('takes an erased event sent again (same uuid): the dedupe knows only the uuids of events still stored', async () => {
    const event = { event: 'wordCount.countWords', user_id: ANN.id, timestamp: at(1), uuid: '0190b8a2-7c3e-7000-8000-00000000a11e' };
    expect((await postEvents(t.url, t.keys.write, [event])).body).to.include({ accepted: 1, duplicates: 0 });
    expect((await postEvents(t.url, t.keys.write, [event])).body).to.include({ accepted: 0, duplicates: 1 });
    expect((await erase(t.keys.write, { secret: ANN.secret })).body).to.deep.equal({ user_id: ANN.id, deleted: 4 });
    expect((await postEvents(t.url, t.keys.write, [event])).body).to.include({ accepted: 1, duplicates: 0 });
    expect((await countsPerUser()).counts).to.deep.equal({ [ANN.id]: 1, [BOB.id]: 2, [CAROL]: 1 });
  });
});

describe('POST /v1/erasure: rate limits', () => {
  it("draws from the write key's ingest bucket: past it, 429 with Retry-After", async () => {
    const t = await startServer({ now: () => NOW, limits: { perKey: { ratePerSecond: 1, burst: 3 } } });
    try {
      const sent = await postEvents(t.url, t.keys.write, [1, 2].map((n) => ({ event: 'x', user_id: `u${n}`, timestamp: at(1) })));
      expect(sent.body.accepted).to.equal(2);
      const erase = (): Promise<Answer> => request(`${t.url}/v1/erasure`, { method: 'POST', headers: { authorization: `Bearer ${t.keys.write}` }, body: JSON.stringify({ secret: ANN.secret }) });
      expect((await erase()).status).to.equal(200);
      const refused = await erase();
      expect([refused.status, refused.body.error, refused.headers.get('retry-after')]).to.deep.equal([429, 'too many erasure requests: slow down and retry after 1 s', '1']);
    } finally {
      await t.close();
    }
  });
});
