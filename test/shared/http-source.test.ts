// The HTTP Source (shared/remote/http-source.ts) against a fetch playing the server: runs in Node and in Chromium.
import { expect } from 'chai';
import { connectServer, ServerError, ServerSpecError, SpecError } from '../../shared/index.ts';
import { retryAfterSeconds } from '../../shared/remote/server-error.ts';
import { fakeFetch, json } from './fake-server.ts';
import { rejectionOf } from './helpers.ts';

const ENDPOINT = 'https://analytics.example.com/v1';
const TREND = { kind: 'trend', math: 'users', interval: 'day', from: '2026-11-26', to: '2026-11-28' } as const;
const RESULT = { interval: 'day', points: [{ period: '2026-11-26', value: 3 }] };

describe('connectServer: queries', () => {
  it('posts the spec to {endpoint}/query with the token as Bearer and the project as a parameter, and returns the JSON', async () => {
    const server = fakeFetch(() => json(200, RESULT, { 'x-footprint-cache': 'miss' }));
    const source = connectServer({ endpoint: `${ENDPOINT}/`, token: 'fpr_abc', project: 'shop', fetch: server.fetch });
    expect(source.endpoint).to.equal(ENDPOINT);
    const result = await source.query(TREND);
    expect(result).to.deep.equal(RESULT);
    expect(server.calls).to.have.length(1);
    const call = server.calls[0]!;
    expect(call).to.include({ url: `${ENDPOINT}/query?project=shop`, method: 'POST', authorization: 'Bearer fpr_abc', contentType: 'application/json' });
    expect(call.body).to.deep.equal(TREND);
  });

  it('a 401 without getToken rejects with the server message and status, asked once', async () => {
    const server = fakeFetch(() => json(401, { error: 'embed token expired at 2026-12-04T10:00:00.000Z' }));
    const source = connectServer({ endpoint: ENDPOINT, token: 'old', fetch: server.fetch });
    const error = await rejectionOf(source.query(TREND));
    expect(error).to.be.instanceOf(ServerError);
    expect(error.message).to.equal('embed token expired at 2026-12-04T10:00:00.000Z');
    expect((error as ServerError).status).to.equal(401);
    expect(server.calls).to.have.length(1);
  });

  it('getToken gives the first token, and a fresh one after a 401, with which the query is sent once more', async () => {
    const tokens = ['t1', 't2', 't3'];
    let asked = 0;
    const server = fakeFetch((call) => (call.authorization === 'Bearer t2' ? json(200, RESULT) : json(401, { error: 'embed token expired at 2026-12-04T10:00:00.000Z' })));
    const source = connectServer({ endpoint: ENDPOINT, getToken: async () => tokens[asked++]!, fetch: server.fetch });
    expect(await source.query(TREND)).to.deep.equal(RESULT);
    expect(server.calls.map((call) => call.authorization)).to.deep.equal(['Bearer t1', 'Bearer t2']);
    expect(asked).to.equal(2);
    // The refreshed token stays in use.
    await source.query({ ...TREND, math: 'events' });
    expect(server.calls.map((call) => call.authorization)).to.deep.equal(['Bearer t1', 'Bearer t2', 'Bearer t2']);
    expect(asked).to.equal(2);
  });

  it('a 401 after the refreshed token is the answer: no third try', async () => {
    let asked = 0;
    const server = fakeFetch(() => json(401, { error: 'embed token signature does not verify' }));
    const source = connectServer({ endpoint: ENDPOINT, getToken: () => `t${++asked}`, fetch: server.fetch });
    const error = await rejectionOf(source.query(TREND));
    expect(error.message).to.equal('embed token signature does not verify');
    expect(server.calls.map((call) => call.authorization)).to.deep.equal(['Bearer t1', 'Bearer t2']);
  });

  it('queries turned down together share one refresh', async () => {
    let asked = 0;
    const server = fakeFetch((call) => (call.authorization === 'Bearer t2' ? json(200, RESULT) : json(401, { error: 'expired' })));
    const source = connectServer({ endpoint: ENDPOINT, getToken: async () => `t${++asked}`, fetch: server.fetch });
    await Promise.all([source.query(TREND), source.query({ ...TREND, math: 'events' }), source.query({ ...TREND, interval: 'week' })]);
    expect(asked).to.equal(2);
    expect(server.calls.map((call) => call.authorization).sort()).to.deep.equal(['Bearer t1', 'Bearer t1', 'Bearer t1', 'Bearer t2', 'Bearer t2', 'Bearer t2']);
  });

  it('a 400 naming a field is a SpecError on that field, its message not doubled', async () => {
    const server = fakeFetch(() => json(400, { error: "math: must be one of events, users, wau, mau, stickiness_ratio, got 'people'", field: 'math' }));
    const source = connectServer({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });
    const error = await rejectionOf(source.query(TREND));
    expect(error).to.be.instanceOf(ServerSpecError).and.instanceOf(SpecError);
    expect(error.message).to.equal("math: must be one of events, users, wau, mau, stickiness_ratio, got 'people'");
    expect((error as ServerSpecError).field).to.equal('math');
    expect((error as ServerSpecError).status).to.equal(400);
  });

  it("a 403 carries the server's message", async () => {
    const server = fakeFetch(() => json(403, { error: "kind 'paths' is not allowed by this token" }));
    const error = await rejectionOf(connectServer({ endpoint: ENDPOINT, token: 't', fetch: server.fetch }).query({ kind: 'paths' }));
    expect(error).to.be.instanceOf(ServerError);
    expect(error.message).to.equal("kind 'paths' is not allowed by this token");
    expect((error as ServerError).status).to.equal(403);
  });

  it('a 429 says when to retry, from Retry-After', async () => {
    const server = fakeFetch(() => json(429, { error: 'too many queries for this token' }, { 'retry-after': '12' }));
    const error = (await rejectionOf(connectServer({ endpoint: ENDPOINT, token: 't', fetch: server.fetch }).query(TREND))) as ServerError;
    expect(error.status).to.equal(429);
    expect(error.retryAfter).to.equal(12);
    expect(error.message).to.equal('too many queries for this token (retry in 12 s)');
  });

  it('an answer without a JSON error (a proxy page) names the HTTP status', async () => {
    const server = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }));
    const error = (await rejectionOf(connectServer({ endpoint: ENDPOINT, token: 't', fetch: server.fetch }).query(TREND))) as ServerError;
    expect(error.status).to.equal(502);
    expect(error.message).to.equal('the Footprint server answered HTTP 502 Bad Gateway');
  });

  it('a server that cannot be reached is named, with the likely causes', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await rejectionOf(connectServer({ endpoint: ENDPOINT, token: 't', fetch: failing }).query(TREND));
    expect(error.message).to.equal(`Could not reach the Footprint server at ${ENDPOINT} (Failed to fetch): is it running, and does it allow this page's origin (CORS)?`);
  });

  it("an abort rejects with the signal's reason and aborts the request", async () => {
    let seen: AbortSignal | undefined;
    const hanging = ((_url: string, init: RequestInit) => {
      seen = init.signal ?? undefined;
      return new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }) as unknown as typeof fetch;
    const abort = new AbortController();
    const query = connectServer({ endpoint: ENDPOINT, token: 't', fetch: hanging }).query(TREND, { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 0));
    abort.abort();
    const error = await rejectionOf(query);
    expect(error.name).to.equal('AbortError');
    expect(seen?.aborted).to.equal(true);
  });

  it('options that cannot be used are SpecErrors naming the option', () => {
    const cases: [Parameters<typeof connectServer>[0], string, RegExp][] = [
      [{ endpoint: 'ftp://example.com/v1', token: 't' }, 'endpoint', /^endpoint: must be an http or https URL, got 'ftp:\/\/example.com\/v1'$/],
      [{ endpoint: '', token: 't' }, 'endpoint', /^endpoint: must be the server's API URL/],
      [{ endpoint: ENDPOINT, token: 't', project: 'Shop' }, 'project', /^project: must be lower-case letters.*got 'Shop'$/],
      [{ endpoint: ENDPOINT }, 'token', /^token: give a read key or embed token, or a getToken callback/],
      [{ endpoint: ENDPOINT, token: '  ' }, 'token', /^token: /],
    ];
    for (const [options, field, message] of cases) {
      let caught: unknown;
      try {
        connectServer(options);
      } catch (error) {
        caught = error;
      }
      expect(caught, field).to.be.instanceOf(SpecError);
      expect((caught as SpecError).field).to.equal(field);
      expect((caught as SpecError).message).to.match(message);
    }
  });

  it('getToken giving no string is named', async () => {
    const server = fakeFetch(() => json(200, RESULT));
    const error = await rejectionOf(connectServer({ endpoint: ENDPOINT, getToken: () => undefined as unknown as string, fetch: server.fetch }).query(TREND));
    expect(error.message).to.equal("getToken: must give a token (a non-empty string), gave 'undefined'");
    expect(server.calls).to.have.length(0);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 11, 4, 10, 0, 0);
    expect(retryAfterSeconds('30', now)).to.equal(30);
    expect(retryAfterSeconds('Fri, 04 Dec 2026 10:00:42 GMT', now)).to.equal(42);
    expect(retryAfterSeconds('Fri, 04 Dec 2026 09:00:00 GMT', now)).to.equal(0);
    expect(retryAfterSeconds(null, now)).to.equal(undefined);
    expect(retryAfterSeconds('soon', now)).to.equal(undefined);
  });
});
