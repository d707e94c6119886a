import { HttpError } from '../../http/http-error.ts';
import { MAX_EVENTS_PER_REQUEST } from '../../ingest/batch.ts';
import type { SegmentCall } from './calls.ts';

/** A Segment request's body, read: its messages and what the request says of all of them. */
export interface SegmentPayload {
  /** The messages, in order: the body itself for a single call, `batch`'s elements for `/v1/batch`. */
  messages: unknown[];
  /** The body's `writeKey`, the key when the request has no Authorization header. */
  writeKey?: unknown;
  /** A batch's `sentAt`: the sender's clock when it sent the batch. */
  sentAt?: unknown;
  /** A batch's `context`, which Segment applies to each message under the message's own. */
  context?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the body of a Segment call: one JSON object, the message, for
 * `/v1/track` and its siblings; `{ batch: [...], sentAt?, context?,
 * writeKey? }` for `/v1/batch`. The Content-Type is not checked, as
 * Segment does not check it (analytics.js sends `text/plain` to spare a
 * CORS preflight). A message that is not a usable object stays in the
 * list, for the mapping to refuse by its index.
 *
 * Errors are HttpErrors: 400 for text that is not JSON, a body that is not
 * an object or a batch without its array; 413 for a batch over
 * MAX_EVENTS_PER_REQUEST messages.
 */
export function readSegmentPayload(text: string, call: SegmentCall | 'batch'): SegmentPayload {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `body: not valid JSON (${(error as Error).message}); send one JSON object, as Segment's HTTP Tracking API takes`);
  }
  if (!isObject(body)) throw new HttpError(400, `body: must be a JSON object, got ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}`);
  if (call !== 'batch') return { messages: [body], writeKey: body.writeKey };
  const { batch } = body;
  if (!Array.isArray(batch)) throw new HttpError(400, 'batch: missing or not an array; /v1/batch takes { "batch": [messages] }');
  if (batch.length > MAX_EVENTS_PER_REQUEST) {
    throw new HttpError(413, `batch: ${batch.length.toLocaleString('en-US')} messages, over ${MAX_EVENTS_PER_REQUEST.toLocaleString('en-US')} a request; send smaller batches`);
  }
  return { messages: batch, writeKey: body.writeKey, sentAt: body.sentAt, context: body.context };
}
