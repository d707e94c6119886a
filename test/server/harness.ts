import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '../../server/auth/keys.ts';
import type { ServerOptions } from '../../server/options.ts';
import { createServer, type FootprintServer } from '../../server/server.ts';

/** A server on loopback over a new data folder, with a write, a read and an admin key of project `shop`. */
export interface TestServer {
  url: string;
  server: FootprintServer;
  data: string;
  keys: { write: string; read: string; admin: string };
  /** Log lines the server wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const data = options.data ?? mkdtempSync(join(tmpdir(), 'fp-server-'));
  const ring = KeyRing.open(data);
  const keys = {
    write: ring.create('shop', 'write').key,
    read: ring.create('shop', 'read').key,
    admin: ring.create('shop', 'admin').key,
  };
  const logs: Record<string, unknown>[] = [];
  const server = createServer({ port: 0, log: (line) => logs.push(JSON.parse(line) as Record<string, unknown>), ...options, data });
  const url = await server.listen();
  return {
    url,
    server,
    data,
    keys,
    logs,
    close: async () => {
      await server.close();
      if (options.data === undefined) rmSync(data, { recursive: true, force: true });
    },
  };
}

/** An answer: its status, headers and body (parsed when JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

/** POSTs events as NDJSON with a key. */
export function postEvents(base: string, key: string | null, lines: readonly unknown[], headers: Record<string, string> = {}): Promise<Answer> {
  return request(`${base}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'),
  });
}

/** POSTs a query spec with a key or token. */
export function postQuery(base: string, credential: string | null, spec: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return request(`${base}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers },
    body: JSON.stringify(spec),
  });
}
