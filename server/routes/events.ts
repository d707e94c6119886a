import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import type { Handler } from '../http/context.ts';
import { HttpError } from '../http/http-error.ts';
import { sendJson } from '../http/respond.ts';
import { readBatch } from '../ingest/batch.ts';
import { readBody } from '../ingest/body.ts';
import { isBotAgent } from '../ingest/bots.ts';
import { enrichRecord } from '../ingest/enrich.ts';
import { deviceProperties } from '../ingest/user-agent.ts';
import { forProject } from './project-access.ts';
import { clientKey } from '../http/rate-limit.ts';

/** What `POST /v1/events` answers: every event given is accepted, a duplicate or rejected, and bots are counted. */
export interface EventsAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; line?: number; reason: string }[];
  /** Present when the sender is a known bot: its events were counted and not stored. */
  bots?: number;
}

/**
 * `POST /v1/events`: the tracker's NDJSON (or a JSON array, or one event)
 * with a write key. Answered only once the valid events are committed to
 * the project's file.
 */
export const postEvents: Handler = async (ctx) => {
  const { request, server } = ctx;
  const principal = await authenticate(credentialOf(request.headers, request.url ?? '/', true), server);
  requireAccess(principal, 'write');
  const project = principal.project;
  forProject(ctx, project);
  const body = await readBody(request);
  const { records, lines } = readBatch(body, request.headers['content-type']);
  // Charged per event, so that a batch of 50 costs what 50 single posts cost.
  for (const [limiter, key] of [[server.limits.perKey, principal.keyId ?? project], [server.limits.perClient, clientKey(request, server.trustProxy)]] as const) {
    const taken = limiter.take(key, Math.max(1, records.length));
    if (!taken.ok) throw new HttpError(429, `too many events: slow down and retry after ${taken.retryAfterSeconds} s`, { 'retry-after': String(taken.retryAfterSeconds) });
  }
  const userAgent = request.headers['user-agent'];
  if (isBotAgent(userAgent)) {
    const dropped = server.dropped.get(project) ?? {};
    dropped.bots = (dropped.bots ?? 0) + records.length;
    server.dropped.set(project, dropped);
    const answer: EventsAnswer = { accepted: 0, duplicates: 0, rejected: [], bots: records.length };
    sendJson(ctx.response, 200, answer);
    return;
  }
  const device = deviceProperties(userAgent);
  const now = server.now();
  // A timestamp without an offset is read in the project's zone, as its store reads one.
  const timeZone = server.settingsOf(project).timezone ?? 'UTC';
  const enriched = records.map((record) => enrichRecord(record, { device, now, timeZone }));
  const store = await server.projects.store(project);
  const report = await store.ingest(enriched);
  if (report.accepted > 0) server.projects.changed(project);
  const answer: EventsAnswer = {
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected: report.rejected.map(({ index, reason }) => (lines[index] === undefined ? { index, reason } : { index, line: lines[index], reason })),
  };
  sendJson(ctx.response, 200, answer);
};
