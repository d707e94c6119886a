import { HttpError } from '../../http/http-error.ts';

/** The events of a capture request, with the token that sends them and the sender's clock. */
export interface CaptureBatch {
  /** The project token (a Footprint write key): the batch's `api_key` or `token`, else the events' `properties.token`; null when none names one. */
  token: string | null;
  /** The events as sent, in order (anything that is not an event object is kept, for the store to refuse by index). */
  events: unknown[];
  /** The sender's clock when it sent: the body's `sent_at`, else `?sent_at=` (epoch milliseconds); null when not said. */
  sentAt: string | number | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The token an event or a batch names (`api_key`, `token`, then `properties.token`, as PostHog's capture reads them). */
function tokenOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  for (const candidate of [value.api_key, value.token, isObject(value.properties) ? value.properties.token : undefined]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return null;
}

function sentAtOf(payload: unknown, query: URLSearchParams): string | number | null {
  const given = isObject(payload) ? payload.sent_at : undefined;
  if (typeof given === 'string' || typeof given === 'number') return given;
  const fromQuery = query.get('sent_at');
  if (fromQuery === null || fromQuery === '') return null;
  // posthog-js puts Date.now() there: a number as text.
  return /^\d+$/.test(fromQuery) ? Number(fromQuery) : fromQuery;
}

/**
 * The events of a decoded capture payload: PostHog's three shapes, one
 * event object, an array of events, or `{ api_key, batch, sent_at }`.
 * HttpError 400 for anything else, and when the batch and its events
 * name different tokens (a request is one project's, as in PostHog).
 */
export function readCaptureBatch(payload: unknown, query: URLSearchParams): CaptureBatch {
  let events: unknown[];
  if (Array.isArray(payload)) events = payload;
  else if (isObject(payload) && Array.isArray(payload.batch)) events = payload.batch;
  else if (isObject(payload) && payload.batch === undefined) events = [payload];
  else throw new HttpError(400, 'body: expected a PostHog event, an array of events or { api_key, batch: [...] }');

  const tokens = new Set<string>();
  const batchToken = Array.isArray(payload) ? null : tokenOf(payload);
  if (batchToken !== null) tokens.add(batchToken);
  for (const event of events) {
    const token = tokenOf(event);
    if (token !== null) tokens.add(token);
  }
  if (tokens.size > 1) throw new HttpError(400, `body: the events name ${tokens.size} different tokens; send each project's events in their own request`);
  return { token: tokens.size === 1 ? [...tokens][0]! : null, events, sentAt: sentAtOf(payload, query) };
}
