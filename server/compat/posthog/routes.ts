import { authenticate, credentialOf, requireAccess, type Principal } from '../../auth/principal.ts';
import type { Handler, RequestContext } from '../../http/context.ts';
import { HttpError } from '../../http/http-error.ts';
import { sendJson } from '../../http/respond.ts';
import { acceptEvents } from '../../ingest/accept.ts';
import { readBody } from '../../ingest/body.ts';
import { forProject } from '../../routes/project-access.ts';
import { readCaptureBatch, type CaptureBatch } from './batch.ts';
import { mapCaptureEvent, type DropReason } from './event-map.ts';
import { decodeCapturePayload } from './payload.ts';
import { REMOTE_CONFIG, remoteConfigScript } from './remote-config.ts';

const MISSING_TOKEN = "missing token: PostHog's api_key (or token) must be a Footprint write key (fpw_…)";

/**
 * The request's events, decoded whatever the SDK's encoding: gzip by
 * header, by `?compression=gzip-js` (older posthog-js) or by its bytes
 * alone (posthog-js 1.4xx sends gzip as text/plain and says nothing).
 */
async function readCapture(ctx: RequestContext): Promise<CaptureBatch> {
  const compression = (ctx.url.searchParams.get('compression') ?? '').toLowerCase();
  const text = await readBody(ctx.request, { gzip: compression === 'gzip' || compression === 'gzip-js' ? true : 'sniff' });
  return readCaptureBatch(decodeCapturePayload(text, { contentType: ctx.request.headers['content-type'], query: ctx.url.searchParams }), ctx.url.searchParams);
}

/** The write key that sends: the body's token, else a Bearer key or `?key=`; 401 when none, or not a known write key's. */
async function writer(ctx: RequestContext, token: string | null): Promise<Principal> {
  const credential = token ?? credentialOf(ctx.request.headers, ctx.request.url ?? '/', true);
  if (credential === null || credential === '') throw new HttpError(401, MISSING_TOKEN);
  const principal = await authenticate(credential, ctx.server);
  requireAccess(principal, 'write');
  forProject(ctx, principal.project);
  return principal;
}

/**
 * `POST /e`, `/i/v0/e`, `/batch`, `/capture`, `/track`: PostHog's capture.
 * The events are mapped (event-map.ts) and taken in by `acceptEvents`, the
 * one door of every event (limits, bots, device, skew, validation,
 * scrubbing, dedupe); person updates, identify merges and recordings are
 * counted in the ingest report and not stored. Answered once committed,
 * with `{ status: 1 }` (what PostHog's SDKs expect) and the counts:
 * `rejected[].index` is the event's place in the batch as sent.
 */
export const postCapture: Handler = async (ctx) => {
  const batch = await readCapture(ctx);
  const principal = await writer(ctx, batch.token);
  const context = { now: ctx.server.now(), sentAt: batch.sentAt };
  const records: unknown[] = [];
  const positions: number[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  batch.events.forEach((event, index) => {
    const mapped = mapCaptureEvent(event, context);
    if ('dropped' in mapped) {
      dropped[mapped.dropped] = (dropped[mapped.dropped] ?? 0) + 1;
      return;
    }
    records.push(mapped.record);
    positions.push(index);
  });
  // Through the door even with nothing to store, so that the rate limits count the request.
  const answer = await acceptEvents(ctx.server, { project: principal.project, keyId: principal.keyId, request: ctx.request, records, positions, via: 'posthog' });
  for (const [reason, count] of Object.entries(dropped)) ctx.server.ingestLog.droppedOnPurpose(principal.project, reason, count);
  sendJson(ctx.response, 200, { status: 1, ...answer, dropped });
};

/** `POST /s`: posthog-js's session recordings. Nothing of them is stored: the snapshots are counted (`recordings`) and answered 200. */
export const postRecordings: Handler = async (ctx) => {
  const batch = await readCapture(ctx);
  const principal = await writer(ctx, batch.token);
  ctx.server.ingestLog.droppedOnPurpose(principal.project, 'recordings', batch.events.length);
  sendJson(ctx.response, 200, { status: 1, dropped: { recordings: batch.events.length } });
};

/** The token of a configuration or flags call: `?token=` / `?api_key=`, else the body's (JSON, form, base64 or gzip, as capture reads it). */
async function configToken(ctx: RequestContext): Promise<string | null> {
  const fromQuery = ctx.url.searchParams.get('token') ?? ctx.url.searchParams.get('api_key');
  if (fromQuery) return fromQuery;
  if (ctx.request.method !== 'POST') return null;
  return (await readCapture(ctx)).token;
}

/**
 * `GET|POST /decide` and `/flags` (any `?v=`): the SDKs' remote
 * configuration and feature flags, answered with REMOTE_CONFIG (no flags,
 * no recordings, no surveys) for a project's write key.
 */
export const getRemoteConfig: Handler = async (ctx) => {
  await writer(ctx, await configToken(ctx));
  sendJson(ctx.response, 200, REMOTE_CONFIG);
};

/** `GET /array/:token/config`: posthog-js's remote configuration, as JSON. */
export const getArrayConfig: Handler = async (ctx) => {
  await writer(ctx, ctx.params.token ?? null);
  sendJson(ctx.response, 200, REMOTE_CONFIG);
};

/** `GET /array/:token/config.js`: the same configuration as the script the default posthog-js build loads. */
export const getArrayConfigScript: Handler = async (ctx) => {
  await writer(ctx, ctx.params.token ?? null);
  const script = remoteConfigScript(ctx.params.token!);
  ctx.response.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(script) });
  ctx.response.end(script);
};
