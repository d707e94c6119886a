import type { IncomingMessage } from 'node:http';
import type { ServerContext } from '../http/context.ts';
import { HttpError } from '../http/http-error.ts';
import { clientKey } from '../http/rate-limit.ts';
import { isBotAgent } from './bots.ts';
import { enrichRecord } from './enrich.ts';
import { deviceProperties } from './user-agent.ts';

/** What a batch came to: every event given is accepted, a duplicate or rejected; a bot's are counted. */
export interface EventsAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; line?: number; reason: string }[];
  /** Present when the sender is a known bot: its events were counted and not stored. */
  bots?: number;
}

/** Events that arrived for a project, read from a request by one of the server's doors. */
export interface Arrival {
  project: string;
  /** The write key's id: the per-key rate limit's bucket. */
  keyId?: string;
  request: IncomingMessage;
  /** Records in the store's event format (an SDK's door maps its own format first). */
  records: readonly unknown[];
  /** Each record's line in the body, where the body has lines. */
  lines?: readonly (number | undefined)[];
  /**
   * Each record's place in the request, where the door left some of the
   * request's items out (an SDK's person updates): refusals are reported by
   * it, in the answer and in the ingest report alike. Default: the record's own.
   */
  positions?: readonly number[];
  /** The sender's clock when it sent the request (a batch's `sent_at`), when it says. */
  sentAt?: unknown;
  /** The door, for the ingest report: `events`, `posthog`, `segment`. */
  via: string;
}

/**
 * Charges `cost` to the sender's two rate-limit buckets, the write key's
 * (the project's when no key is known) and the client's, or throws
 * HttpError 429 with a Retry-After naming `what` was too much. Ingest
 * charges one per event; an erasure by secret, which the same public key
 * sends, one per request from the same buckets, so it cannot be used to
 * get around them.
 */
export function chargeSender(server: ServerContext, sender: Pick<Arrival, 'project' | 'keyId' | 'request'>, cost: number, what: string): void {
  for (const [limiter, key] of [[server.limits.perKey, sender.keyId ?? sender.project], [server.limits.perClient, clientKey(sender.request, server.trustProxy)]] as const) {
    const taken = limiter.take(key, cost);
    if (!taken.ok) throw new HttpError(429, `too many ${what}: slow down and retry after ${taken.retryAfterSeconds} s`, { 'retry-after': String(taken.retryAfterSeconds) });
  }
}

/**
 * Takes in a request's events, the same way whatever door they came
 * through: the rate limits (charged per event, so a batch of 50 costs what
 * 50 single posts cost), bots dropped and counted, device properties from
 * the User-Agent and neither it nor an address kept, clock skew corrected,
 * then validation, scrubbing and uuid dedupe by the store, in one
 * transaction. Resolves once the valid events are committed; refusals are
 * noted in the ingest report and logged by field, never by value.
 */
export async function acceptEvents(server: ServerContext, arrival: Arrival): Promise<EventsAnswer> {
  const { project, request, records, via } = arrival;
  chargeSender(server, arrival, Math.max(1, records.length), 'events');
  const userAgent = request.headers['user-agent'];
  if (isBotAgent(userAgent)) {
    server.ingestLog.droppedOnPurpose(project, 'bots', records.length);
    return { accepted: 0, duplicates: 0, rejected: [], bots: records.length };
  }
  const device = deviceProperties(userAgent);
  const now = server.now();
  // A timestamp without an offset is read in the project's zone, as its store reads one.
  const timeZone = server.settingsOf(project).timezone ?? 'UTC';
  const enriched = records.map((record) => enrichRecord(record, { device, now, timeZone, sentAt: arrival.sentAt }));
  const report = await server.projects.ingest(project, enriched);
  if (report.accepted > 0) server.projects.changed(project);
  const lines = arrival.lines ?? [];
  const place = (index: number): number => arrival.positions?.[index] ?? index;
  const rejected = report.rejected.map(({ index, reason }) => (lines[index] === undefined ? { index: place(index), reason } : { index: place(index), line: lines[index]!, reason }));
  if (rejected.length > 0) {
    server.ingestLog.rejected(project, via, now, rejected);
    // The field each reason names, not the reason: a reason may quote the refused value.
    const fields = [...new Set(rejected.map((r) => r.reason.split(':')[0]))];
    server.log({ level: 'warn', message: 'events rejected', project, via, rejected: rejected.length, fields });
  }
  return { accepted: report.accepted, duplicates: report.duplicates, rejected };
}
