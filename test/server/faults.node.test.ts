import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../shared/index.ts';
import { KeyRing } from '../../server/auth/keys.ts';
import { spawnServer, type ServerProcess } from './process.ts';

/**
 * The server as a process, killed for real: a batch is answered only once
 * committed, so a client that retries until answered loses nothing and
 * doubles nothing, however often the server dies under it.
 */

const EVENTS = 50_000;
const BATCH = 500;
const CLIENTS = 4;

async function storedUuids(url: string, adminKey: string): Promise<string[]> {
  const response = await fetch(`${url}/v1/projects/shop/export`, { headers: { authorization: `Bearer ${adminKey}` } });
  expect(response.status).to.equal(200);
  const store = await openStore({ data: new Uint8Array(await response.arrayBuffer()) });
  const uuids: string[] = [];
  for (let offset = 0; ; offset += 10_000) {
    const page = await store.query({ kind: 'events', from: '2026-01-01', to: '2026-12-31', limit: 10_000, offset });
    uuids.push(...page.events.map((e) => e.uuid!));
    if (page.events.length < 10_000) break;
  }
  await store.close();
  return uuids;
}

describe('the server under kill -9 (server/storage/file-store.ts durability)', () => {
  let data: string;
  let keys: { write: string; admin: string };
  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'fp-faults-'));
    const ring = KeyRing.open(data);
    keys = { write: ring.create('shop', 'write').key, admin: ring.create('shop', 'admin').key };
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  it('stores each of 50,000 events exactly once when the server is killed twice while clients retry', async function () {
    this.timeout(300_000);
    const start = Date.UTC(2026, 5, 1);
    const events = Array.from({ length: EVENTS }, (_, i) => ({ event: `e${i % 7}`, user_id: `u${i % 997}`, timestamp: start + i * 1_000, uuid: randomUUID() }));
    const batches: string[] = [];
    for (let i = 0; i < EVENTS; i += BATCH) batches.push(events.slice(i, i + BATCH).map((e) => JSON.stringify(e)).join('\n'));

    let server: ServerProcess = await spawnServer(data);
    // Every restart comes back on the same port, as a restarted service does: the clients keep their URL.
    const port = Number(new URL(server.url).port);
    let acknowledged = 0;
    let failures = 0;
    let next = 0;
    const send = async (body: string): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${keys.write}`, 'content-type': 'application/x-ndjson' }, body });
          if (response.status === 200) {
            const answer = (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
            expect(answer.rejected).to.deep.equal([]);
            expect(answer.accepted + answer.duplicates).to.equal(BATCH);
            acknowledged++;
            return;
          }
          throw new Error(`status ${response.status}`);
        } catch {
          failures++;
          await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** Math.min(attempt, 4))));
        }
      }
    };
    const client = async (): Promise<void> => {
      while (next < batches.length) await send(batches[next++]!);
    };
    const clients = Promise.all(Array.from({ length: CLIENTS }, client));
    for (const after of [batches.length / 4, batches.length / 2]) {
      while (acknowledged < after) await new Promise((resolve) => setTimeout(resolve, 5));
      server.child.kill('SIGKILL');
      expect(await server.exited).to.equal('SIGKILL');
      server = await spawnServer(data, port);
    }
    await clients;
    expect(failures).to.be.above(0); // the kills did land on requests
    const uuids = await storedUuids(server.url, keys.admin);
    expect(uuids.length).to.equal(EVENTS);
    expect(new Set(uuids)).to.deep.equal(new Set(events.map((e) => e.uuid)));
    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
  });

  it('on SIGTERM finishes the request in flight, then checkpoints and exits 0', async function () {
    this.timeout(60_000);
    const server = await spawnServer(data);
    const body = JSON.stringify({ event: 'open', user_id: 'u1', timestamp: Date.UTC(2026, 10, 1) });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(`${server.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${keys.write}`, 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, text }));
      });
      request.on('error', reject);
      // Half the body now, SIGTERM, the rest later: the request is in flight when the signal lands.
      request.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => request.end(body.slice(10)), 300);
      }, 200);
    });
    const { status, text } = await answered;
    expect(status).to.equal(200);
    expect(JSON.parse(text)).to.include({ accepted: 1 });
    expect(await server.exited).to.equal(0);
    expect(server.output()).to.include('Footprint server stopped');
    const wal = join(data, 'projects', 'shop.sqlite-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0, 'the log is checkpointed into the file').to.equal(true);
  });
});
