/**
 * The load of the server benchmark: batches of events posted to
 * `POST /v1/events` by clients that each keep one connection alive, as the
 * tracker's pages would, each sending its next batch as soon as the last is
 * answered.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/** What `postBatches` measured. */
export interface LoadRun {
  /** From the first request sent to the last answer, in ms. */
  ms: number;
  /** Each request's time from sending to the end of its answer, in ms, in the order they ended. */
  latencies: number[];
  /** Events the server answered as accepted, and as duplicates. */
  accepted: number;
  duplicates: number;
  /** CPU time this process spent (user and system) while sending, in ms: above `ms`, the load generator would be the bottleneck. */
  clientCpuMs: number;
}

/** Options of `postBatches`. */
export interface LoadOptions {
  /** The server's `/v1/events` URL. */
  url: string;
  /** A write key of the project. */
  key: string;
  /** Request bodies, each one batch as NDJSON; each is sent once. */
  bodies: readonly Buffer[];
  /** Requests in flight at once, each on its own kept-alive connection. */
  clients: number;
  /** The `User-Agent` sent: a browser's, as the tracker's batches carry (the server derives device properties from it). */
  userAgent?: string;
}

/** A desktop Chrome's User-Agent: what most tracked pages send. */
export const BROWSER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The value at quantile `q` (0 to 1) of `values`, by the nearest-rank method; NaN when there are none. */
export function percentile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile: q must be from 0 to 1, got ${q}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** NDJSON bodies of `size` events each (the last one may hold fewer), as the tracker sends them. */
export function ndjsonBatches(events: readonly object[], size: number): Buffer[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`ndjsonBatches: size must be a whole number of at least 1, got ${size}`);
  const bodies: Buffer[] = [];
  for (let i = 0; i < events.length; i += size) {
    bodies.push(Buffer.from(`${events.slice(i, i + size).map((event) => JSON.stringify(event)).join('\n')}\n`));
  }
  return bodies;
}

/** One POST; resolves to its status, headers and body text. */
export function post(url: URL, agent: Agent, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Posts every body once, `clients` at a time over as many kept-alive
 * connections, and times each request. Any answer but a 200 whose events
 * are all accepted or duplicates stops the run with an error quoting it (a
 * 429 means the server's limits were not raised for the load).
 */
export async function postBatches(options: LoadOptions): Promise<LoadRun> {
  const { bodies, clients } = options;
  if (!Number.isInteger(clients) || clients < 1) throw new RangeError(`postBatches: clients must be a whole number of at least 1, got ${clients}`);
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const headers = {
    authorization: `Bearer ${options.key}`,
    'content-type': 'application/x-ndjson',
    'user-agent': options.userAgent ?? BROWSER_USER_AGENT,
  };
  const latencies: number[] = [];
  let accepted = 0;
  let duplicates = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const client = async (): Promise<void> => {
    try {
      await send();
    } catch (error) {
      next = bodies.length; // the other clients stop after their request in flight
      throw error;
    }
  };
  const send = async (): Promise<void> => {
    while (next < bodies.length) {
      const index = next++;
      const sent = performance.now();
      const { status, text } = await post(url, agent, headers, bodies[index]!);
      latencies.push(performance.now() - sent);
      if (status !== 200) throw new Error(`POST ${url.pathname}: batch ${index} answered ${status}: ${text.slice(0, 300)}`);
      const answer = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
      if (answer.rejected.length > 0) throw new Error(`POST ${url.pathname}: batch ${index} had events rejected: ${JSON.stringify(answer.rejected.slice(0, 3))}`);
      accepted += answer.accepted;
      duplicates += answer.duplicates;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(clients, bodies.length) }, client));
  } finally {
    agent.destroy();
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, latencies, accepted, duplicates, clientCpuMs: (used.user + used.system) / 1000 };
}
