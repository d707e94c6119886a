import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backoff, retryAfterMs } from '../../extension/src/backoff.ts';
import type { JournalEvent } from '../../extension/src/journal.ts';
import { countLines, OUTBOX_SUBFOLDER } from '../../extension/src/outbox.ts';
import { Uploader, type UploaderOptions } from '../../extension/src/upload.ts';
import { checkUploadTarget } from '../../extension/src/upload-target.ts';
import { postQuery, startServer, type TestServer } from '../server/harness.ts';

/** The upload queue against a real Footprint server on loopback, with a small proxy in front of it to fail on purpose. */

const DAY = 86_400_000;
const SENT_AT = Date.UTC(2026, 11, 4, 9);
const SMALL_BACKOFF = { firstMs: 40, maxMs: 160 };

/** `count` events, uuids `<group>0000000-0000-4000-8000-<n>`, one second apart until now. */
function events(group: number, count: number, name = 'wordCount.countWords'): JournalEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    event: name,
    user_id: 'installation-1',
    timestamp: now - (count - i) * 1000,
    uuid: `${group}0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    properties: { command: name, duration_ms: 3, success: true, extension_version: '1.0.0', vscode_version: '1.95.0', platform: 'linux' },
  }));
}

const uuidsOf = (list: readonly { uuid: string | null }[]): string[] => list.map((e) => e.uuid!).sort();

/** A pid no process has: a child that ran and exited (a window that crashed). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the proxy does with the n-th request (1-based): pass it on, answer it itself, lose the answer, or never answer. */
type Act = 'forward' | 'lose-ack' | 'hold' | { status: number; body: unknown; headers?: Record<string, string> };

interface Proxy {
  url: string;
  /** Per request: when it came, how many events its body held, and whether the client went away before an answer. */
  requests: { at: number; events: number; abandoned: boolean }[];
  close(): Promise<void>;
}

/** A `node:http` server in front of the real one that acts on each request as `act` says. */
async function proxy(target: string, act: (n: number) => Act): Promise<Proxy> {
  const requests: Proxy['requests'] = [];
  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const record = { at: Date.now(), events: body.split('\n').filter(Boolean).length, abandoned: false };
    requests.push(record);
    response.on('close', () => {
      if (!response.writableFinished) record.abandoned = true;
    });
    const what = act(requests.length);
    if (what === 'hold') return;
    if (typeof what === 'object') {
      response.writeHead(what.status, { 'content-type': 'application/json', ...what.headers });
      response.end(JSON.stringify(what.body));
      return;
    }
    const answer = await fetch(`${target}${request.url}`, { method: request.method, headers: { 'content-type': request.headers['content-type']!, authorization: request.headers.authorization! }, body });
    const text = await answer.text();
    if (what === 'lose-ack') {
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('upload queue (extension/src/upload.ts) against a Footprint server', function () {
  this.timeout(60_000);
  let t: TestServer;
  let folder: string;
  let warnings: string[];
  const uploaders: Uploader[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    t = await startServer();
    folder = mkdtempSync(join(tmpdir(), 'footprint-upload-'));
    warnings = [];
  });
  afterEach(async () => {
    for (const uploader of uploaders.splice(0)) uploader.stop();
    for (const close of closers.splice(0)) await close();
    await t.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function uploader(options: Partial<UploaderOptions> = {}): Uploader {
    const made = new Uploader({ folder, target: { url: t.url, key: t.keys.write }, may: () => true, warn: (m) => warnings.push(m), delayMs: 60_000, backoff: SMALL_BACKOFF, now: () => SENT_AT, ...options });
    uploaders.push(made);
    return made;
  }

  async function viaProxy(act: (n: number) => Act): Promise<Proxy> {
    const made = await proxy(t.url, act);
    closers.push(made.close);
    return made;
  }

  /** The events the server stored, as its query answers. */
  async function stored(server = t): Promise<string[]> {
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const answer = await postQuery(server.url, server.keys.read, { kind: 'events', from: day(Date.now() - DAY), to: day(Date.now() + DAY), limit: 10_000 });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body.total).to.equal(answer.body.events.length);
    return uuidsOf(answer.body.events);
  }

  const outboxFiles = (): string[] => (existsSync(join(folder, OUTBOX_SUBFOLDER)) ? readdirSync(join(folder, OUTBOX_SUBFOLDER)) : []);

  it('120 events in batches of 50: three requests, each event stored once and listed in the sent log', async () => {
    const front = await viaProxy(() => 'forward');
    const queue = uploader({ target: { url: front.url, key: t.keys.write }, batchSize: 50 });
    const given = events(1, 120);
    for (const event of given) queue.enqueue(event);
    expect(countLines(queue.outbox.path)).to.equal(120);
    expect(await queue.flush()).to.deep.equal({ sent: 120, duplicates: 0, rejected: 0, kept: 0 });
    expect(front.requests.map((r) => r.events)).to.deep.equal([50, 50, 20]);
    expect(await stored()).to.deep.equal(uuidsOf(given));
    const sent = await queue.sent();
    expect(sent.map((r) => r.uuid)).to.deep.equal(given.map((e) => e.uuid));
    expect(sent[0]).to.deep.equal({ uuid: given[0]!.uuid, event: 'wordCount.countWords', timestamp: given[0]!.timestamp, sent_at: SENT_AT, url: front.url });
    expect(new Set(sent.map((r) => `${r.sent_at} ${r.url}`))).to.deep.equal(new Set([`${SENT_AT} ${front.url}`]));
    expect(outboxFiles()).to.deep.equal([]);
    // The local journals are another folder: the outbox never touches them.
    expect(existsSync(join(folder, 'journal'))).to.equal(false);
    await queue.forgetSent();
    expect(await queue.sent()).to.deep.equal([]);
  });

  it('a server that is down at first: the events arrive once, after the backoff, when it comes up on that port', async () => {
    // The author's server, its keys made, then down: the queue is given its address and write key.
    const data = mkdtempSync(join(tmpdir(), 'fp-server-'));
    closers.push(async () => rmSync(data, { recursive: true, force: true }));
    const before = await startServer({ data });
    await before.close();
    const queue = uploader({ target: { url: before.url, key: before.keys.write } });
    const given = events(2, 10);
    for (const event of given) queue.enqueue(event);
    const first = await queue.flush();
    expect(first).to.deep.include({ sent: 0, kept: 10 });
    expect(first.error).to.match(new RegExp(`^could not reach ${before.url.replace(/\./g, '\\.')}: fetch failed`));
    expect(first.retryInMs).to.be.within(SMALL_BACKOFF.firstMs / 2, SMALL_BACKOFF.firstMs);
    await t.close();
    t = await startServer({ data, port: Number(new URL(before.url).port) });
    expect(t.url).to.equal(before.url);
    await until('the 10 events to be sent', async () => (await queue.sent()).length === 10);
    expect(await stored()).to.deep.equal(uuidsOf(given));
    expect(warnings).to.deep.equal([]);
  });

  it('500s, then a 429 with Retry-After: retried by itself, Retry-After honoured, each event stored once', async () => {
    const front = await viaProxy((n) => (n <= 2 ? { status: 500, body: { error: 'internal error' } } : n === 3 ? { status: 429, body: { error: 'too many events' }, headers: { 'retry-after': '1' } } : 'forward'));
    const queue = uploader({ target: { url: front.url, key: t.keys.write } });
    const given = events(3, 30);
    for (const event of given) queue.enqueue(event);
    const first = await queue.flush();
    expect(first.error).to.equal(`${front.url}/v1/events answered 500: internal error`);
    await until('the 30 events to be sent', async () => (await queue.sent()).length === 30);
    expect(front.requests.map((r) => r.events)).to.deep.equal([30, 30, 30, 30]);
    const pauses = front.requests.slice(1).map((r, i) => r.at - front.requests[i]!.at);
    expect(pauses[0]).to.be.below(500); // the backoff: at most 160 ms
    expect(pauses[2]).to.be.at.least(950); // Retry-After: 1
    expect(await stored()).to.deep.equal(uuidsOf(given));
    expect(warnings).to.deep.equal([]);
  });

  it('an answer lost on the way back: the retry counts as duplicates, each event is stored and listed once', async () => {
    const front = await viaProxy((n) => (n === 1 ? 'lose-ack' : 'forward'));
    const queue = uploader({ target: { url: front.url, key: t.keys.write } });
    const given = events(4, 20);
    for (const event of given) queue.enqueue(event);
    const lost = await queue.flush();
    expect(lost).to.deep.include({ sent: 0, kept: 20 });
    expect(lost.error).to.match(/could not reach .*: fetch failed/);
    // The server stored them all the same.
    expect(await stored()).to.deep.equal(uuidsOf(given));
    expect(await queue.flush()).to.deep.equal({ sent: 20, duplicates: 20, rejected: 0, kept: 0 });
    expect(await stored()).to.deep.equal(uuidsOf(given));
    expect((await queue.sent()).map((r) => r.uuid)).to.deep.equal(given.map((e) => e.uuid));
    expect(front.requests.length).to.equal(2);
  });

  it('a crash after the sent log was written but before the outbox was: the events go again and count once', async () => {
    const queue = uploader();
    const given = events(7, 3);
    for (const event of given) queue.enqueue(event);
    const sealed = queue.outbox.seal()!;
    const copy = readFileSync(sealed);
    expect(await queue.flush()).to.deep.equal({ sent: 3, duplicates: 0, rejected: 0, kept: 0 });
    // Put the outbox file back, as if the process died before rewriting it.
    writeFileSync(sealed, copy);
    expect(await queue.flush()).to.deep.equal({ sent: 3, duplicates: 3, rejected: 0, kept: 0 });
    expect((await queue.sent()).map((r) => r.uuid)).to.deep.equal(given.map((e) => e.uuid));
    expect(await stored()).to.deep.equal(uuidsOf(given));
  });

  it('a restart: what closed and crashed windows left in their outboxes is sent by the next window', async () => {
    const closed = uploader({ windowId: `${deadPid()}-closed` });
    const closedEvents = events(5, 5);
    for (const event of closedEvents) closed.enqueue(event);
    closed.dispose();
    const crashed = uploader({ windowId: `${deadPid()}-crashed` });
    const crashedEvents = events(6, 7);
    for (const event of crashedEvents) crashed.enqueue(event);
    crashed.stop(); // killed: its outbox is never sealed by itself
    expect(outboxFiles().map((name) => name.replace(/^\d+/, 'pid').replace(/-\d+-0\.sealed$/, '-time-0.sealed')).sort()).to.deep.equal(['pid-closed-time-0.sealed', 'pid-crashed.ndjson']);
    const next = uploader();
    expect(await next.flush()).to.deep.equal({ sent: 12, duplicates: 0, rejected: 0, kept: 0 });
    expect(await stored()).to.deep.equal(uuidsOf([...closedEvents, ...crashedEvents]));
    expect(outboxFiles()).to.deep.equal([]);
  });

  it('two windows enqueueing 200 events each while both send: 400 stored, none sent twice', async () => {
    const windows = [uploader({ batchSize: 30 }), uploader({ batchSize: 30 })];
    const given = [events(7, 200), events(8, 200)];
    const reports: Promise<{ sent: number; duplicates: number }>[] = [];
    for (let i = 0; i < 200; i++) {
      windows.forEach((window, w) => window.enqueue(given[w]![i]!));
      if (i % 40 === 39) for (const window of windows) reports.push(window.flush());
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const window of windows) reports.push(window.flush());
    const done = await Promise.all(reports);
    expect(done.reduce((sum, r) => sum + r.sent, 0)).to.equal(400);
    expect(done.reduce((sum, r) => sum + r.duplicates, 0)).to.equal(0);
    expect(await stored()).to.deep.equal(uuidsOf([...given[0]!, ...given[1]!]));
    expect((await windows[0]!.sent()).length).to.equal(400);
    expect(outboxFiles()).to.deep.equal([]);
  });

  it('events `may` refuses at send time stay in the outbox, and go once it allows them', async () => {
    let levelAllowsUsage = false;
    const queue = uploader({ may: (event) => event.event === '$error' || levelAllowsUsage });
    const usage = events(9, 4);
    const errors = events(1, 3, '$error').map((e) => ({ ...e, uuid: e.uuid.replace(/^1/, 'a') }));
    for (const event of [...usage, ...errors]) queue.enqueue(event);
    expect(await queue.flush()).to.deep.equal({ sent: 3, duplicates: 0, rejected: 0, kept: 4 });
    expect(await stored()).to.deep.equal(uuidsOf(errors));
    levelAllowsUsage = true;
    expect(await queue.flush()).to.deep.equal({ sent: 4, duplicates: 0, rejected: 0, kept: 0 });
    expect(await stored()).to.deep.equal(uuidsOf([...usage, ...errors]));
    expect(outboxFiles()).to.deep.equal([]);
  });

  it('stop() aborts the request in flight and nothing more is sent; discard() empties every window\'s outbox', async () => {
    const front = await viaProxy(() => 'hold');
    const queue = uploader({ target: { url: front.url, key: t.keys.write }, delayMs: 0 });
    const other = uploader({ target: { url: front.url, key: t.keys.write } });
    for (const event of events(2, 10)) queue.enqueue(event);
    for (const event of events(3, 4)) other.enqueue(event);
    await until('the request to reach the proxy', () => front.requests.length === 1);
    const stoppedAt = Date.now();
    queue.stop();
    await until('the request to be abandoned', () => front.requests[0]!.abandoned, 2_000);
    expect(Date.now() - stoppedAt).to.be.below(500);
    expect(await queue.flush()).to.deep.equal({ sent: 0, duplicates: 0, rejected: 0, kept: 0, error: 'stopped: nothing is sent until start()' });
    queue.enqueue(events(4, 1)[0]!);
    await sleep(4 * SMALL_BACKOFF.maxMs);
    expect(front.requests.length).to.equal(1);
    expect(await queue.discard()).to.equal(15);
    expect(outboxFiles()).to.deep.equal([]);
    expect(await queue.sent()).to.deep.equal([]);
    expect(await stored()).to.deep.equal([]);
  });

  it('a wrong key (401): warned once with the server\'s message, the events kept, asked again only after the longest pause', async () => {
    const queue = uploader({ target: { url: t.url, key: 'fpw_wrong' } });
    for (const event of events(5, 5)) queue.enqueue(event);
    const first = await queue.flush();
    expect(first).to.deep.include({ sent: 0, kept: 5, retryInMs: SMALL_BACKOFF.maxMs });
    expect(first.error).to.match(new RegExp(`^${t.url}/v1/events answered 401: .+`));
    expect(await queue.flush()).to.deep.include({ sent: 0, kept: 5 });
    expect(warnings).to.deep.equal([`the usage server refused the events (${first.error}); they are kept and sent again later.`]);
    expect(outboxFiles().reduce((sum, name) => sum + countLines(join(folder, OUTBOX_SUBFOLDER, name)), 0)).to.equal(5);
    expect(await stored()).to.deep.equal([]);
  });

  it('an event the server rejects as invalid is warned about by name, not retried, not in the sent log', async () => {
    const queue = uploader();
    const [good, bad] = events(6, 2);
    queue.enqueue(good!);
    queue.enqueue({ ...bad!, event: '' });
    expect(await queue.flush()).to.deep.equal({ sent: 1, duplicates: 0, rejected: 1, kept: 0 });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^the usage server refused 1 event\(s\) as invalid; they are not sent again:  \(event: .+\)\.$/);
    expect((await queue.sent()).map((r) => r.uuid)).to.deep.equal([good!.uuid]);
    expect(outboxFiles()).to.deep.equal([]);
    expect(await stored()).to.deep.equal([good!.uuid]);
  });
});

describe('upload queue: erasure request (POST /v1/erasure)', () => {
  // The server's endpoint is built on another branch: a stand-in answers as it is specified.
  let standIn: Server;
  let url: string;
  const seen: { authorization?: string; body: string }[] = [];
  before(async () => {
    standIn = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += String(chunk);
      seen.push({ authorization: request.headers.authorization, body });
      const { secret } = JSON.parse(body) as { secret: string };
      const [status, answer] = secret === 'short' ? [400, { error: 'secret: must be 43 base64url characters' }] : [200, { user_id: 'id-of-secret', deleted: 3 }];
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => standIn.close(resolve)));

  it('posts the secret with the write key and resolves to the server\'s answer; a refusal throws its message', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'footprint-upload-'));
    try {
      const queue = new Uploader({ folder, target: { url: `${url}/`, key: 'fpw_key' }, may: () => true, warn: () => undefined });
      expect(await queue.erase('x'.repeat(43))).to.deep.equal({ user_id: 'id-of-secret', deleted: 3 });
      expect(seen[0]).to.deep.equal({ authorization: 'Bearer fpw_key', body: JSON.stringify({ secret: 'x'.repeat(43) }) });
      let thrown: unknown;
      await queue.erase('short').catch((error: unknown) => (thrown = error));
      expect((thrown as Error).message).to.equal(`${url}/v1/erasure answered 400: secret: must be 43 base64url characters`);
      queue.dispose();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('upload queue: target and backoff', () => {
  it('checks the target, naming upload.url or upload.key', () => {
    expect(checkUploadTarget({ url: 'https://fp.example.com/base/', key: ' fpw_1 ' })).to.deep.equal({ url: 'https://fp.example.com/base', key: 'fpw_1' });
    expect(() => checkUploadTarget({ url: 'ftp://fp.example.com', key: 'k' })).to.throw('upload.url: must start with http:// or https://, got "ftp://fp.example.com"');
    expect(() => checkUploadTarget({ url: 'fp.example.com', key: 'k' })).to.throw(/^upload\.url: must be the Footprint server's address/);
    expect(() => checkUploadTarget({ url: 'https://fp.example.com?key=k', key: 'k' })).to.throw(/^upload\.url: must be the server's base address/);
    expect(() => checkUploadTarget({ url: 'https://fp.example.com', key: '  ' })).to.throw(/^upload\.key: must be the project's write key/);
  });

  it('doubles from firstMs to maxMs, jittered between half and all of it, and starts over after a success', () => {
    let random = 0;
    const backoff = new Backoff({ firstMs: 100, maxMs: 1000 }, () => random);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).to.deep.equal([50, 100, 200, 400, 500]);
    random = 1;
    expect(backoff.next()).to.equal(1000);
    expect(backoff.longest()).to.equal(1000);
    backoff.reset();
    expect(backoff.next()).to.equal(100);
    expect(() => new Backoff({ firstMs: 0, maxMs: 10 })).to.throw(/^backoff: needs 0 < firstMs <= maxMs/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 11, 4, 9);
    expect(retryAfterMs('120', now)).to.equal(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).to.equal(30_000);
    expect(retryAfterMs(null, now)).to.equal(null);
    expect(retryAfterMs('soon', now)).to.equal(null);
  });
});
