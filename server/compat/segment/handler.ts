import { UnreadableRecord } from '../../../shared/ingest/text.ts';
import { authenticate, requireAccess, type Principal } from '../../auth/principal.ts';
import type { Handler, ServerContext } from '../../http/context.ts';
import { HttpError } from '../../http/http-error.ts';
import { sendJson } from '../../http/respond.ts';
import { acceptEvents, type EventsAnswer } from '../../ingest/accept.ts';
import { readBody } from '../../ingest/body.ts';
import { forProject } from '../../routes/project-access.ts';
import type { DroppedCall, SegmentCall } from './calls.ts';
import { segmentWriteKey } from './credential.ts';
import { mapSegmentMessage } from './map-message.ts';
import { readSegmentPayload } from './payload.ts';

/**
 * The answer to a Segment call: Segment's `success`, which its libraries
 * do not read (they look at the status only), and what `POST /v1/events`
 * answers, with each refusal's `index` its message's place in the batch.
 * `dropped` counts the messages taken in and not stored on purpose
 * (`identify`, `group`, `alias`, `bots`), when there are any.
 */
export interface SegmentAnswer extends EventsAnswer {
  success: true;
  dropped?: Partial<Record<DroppedCall | 'bots', number>>;
}

const MISSING = 'missing write key: send Authorization: Basic base64(<write key>:), as Segment libraries do, or "writeKey" in the body';

/** Who a write key is: 401 when missing or unknown, 403 for a key that is not a write key. */
async function writer(key: string | null, server: ServerContext): Promise<Principal> {
  if (key === null) throw new HttpError(401, MISSING, { 'WWW-Authenticate': 'Basic realm="footprint"' });
  const principal = await authenticate(key, server);
  requireAccess(principal, 'write');
  return principal;
}

/**
 * The handler of one Segment HTTP Tracking API path: `call` for
 * `/v1/track`, `/v1/page`, `/v1/screen`, `/v1/identify`, `/v1/group` and
 * `/v1/alias`, `'batch'` for `/v1/batch`. It checks the write key, reads
 * the messages (mapSegmentMessage), counts those not stored in the ingest
 * report, and hands the events to acceptEvents (limits, bots, skew by the
 * batch's `sentAt`, validation, scrubbing, uuid dedupe), answering 200
 * once they are committed.
 */
export function segmentHandler(call: SegmentCall | 'batch'): Handler {
  return async (ctx) => {
    const { request, server } = ctx;
    // A key in the header is checked before the body is read; one in the body, once it is read.
    const headerKey = segmentWriteKey(request.headers, undefined);
    const fromHeader = headerKey === null ? null : await writer(headerKey, server);
    const payload = readSegmentPayload(await readBody(request), call);
    const principal = fromHeader ?? (await writer(segmentWriteKey({}, payload.writeKey), server));
    forProject(ctx, principal.project);

    const now = server.now();
    const records: unknown[] = [];
    /** Each record's message: its place in the batch. */
    const positions: number[] = [];
    const dropped: Partial<Record<DroppedCall | 'bots', number>> = {};
    payload.messages.forEach((message, index) => {
      const mapped = mapSegmentMessage(message, { call: call === 'batch' ? undefined : call, context: payload.context, now });
      if (mapped.kind === 'dropped' || mapped.kind === 'bot') {
        const reason = mapped.kind === 'bot' ? 'bots' : mapped.call;
        dropped[reason] = (dropped[reason] ?? 0) + 1;
        return;
      }
      // A refused message goes to the store as an unreadable record, so that it is counted and reported as every refusal is.
      records.push(mapped.kind === 'event' ? mapped.record : new UnreadableRecord(mapped.reason));
      positions.push(index);
    });
    for (const [reason, count] of Object.entries(dropped)) server.ingestLog.droppedOnPurpose(principal.project, reason, count);

    const answer = await acceptEvents(server, { project: principal.project, keyId: principal.keyId, request, records, positions, sentAt: payload.sentAt, via: 'segment' });
    sendJson(ctx.response, 200, { success: true, ...answer, ...(Object.keys(dropped).length > 0 ? { dropped } : {}) } satisfies SegmentAnswer);
  };
}
