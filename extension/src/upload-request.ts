/**
 * The two requests the uploader makes to the author's Footprint server:
 * a batch of events (`POST /v1/events`) and an installation's self-erasure
 * (`POST /v1/erasure`), and what their answers mean for the queue.
 */
import type { JournalEvent } from './journal.ts';
import { retryAfterMs } from './backoff.ts';
import type { UploadTarget } from './upload-target.ts';

/** The server's answer to a batch (server/ingest/accept.ts, EventsAnswer). */
export interface BatchAnswer {
  accepted: number;
  duplicates: number;
  /** By the event's index in the batch: refused as invalid, sending it again would not help. */
  rejected: { index: number; line?: number; reason: string }[];
  /** Events counted as a bot's and not stored. */
  bots?: number;
}

/** What became of one batch. */
export type BatchOutcome =
  /** 2xx: every event is accepted, a duplicate (stored already) or rejected. */
  | { kind: 'answered'; answer: BatchAnswer }
  /** A refusal only the author can fix (a wrong key or URL, a removed project): keep the events, ask rarely. */
  | { kind: 'refused'; status: number; message: string }
  /** Worth retrying (network down, 429, 5xx); `retryAfterMs` when the server said when. */
  | { kind: 'failed'; message: string; retryAfterMs: number | null };

/** Statuses a later attempt may get past by itself: a timeout, a rate limit, a server error. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The server's message: `{ error }` as every Footprint error answer has, else the start of the text. */
async function messageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    if (typeof error === 'string') return error;
  } catch {
    // not JSON: a proxy's page
  }
  return text.trim().slice(0, 200) || response.statusText || 'no message';
}

function isBatchAnswer(value: unknown, size: number): value is BatchAnswer {
  const answer = value as BatchAnswer | null;
  return (
    typeof answer?.accepted === 'number' &&
    typeof answer.duplicates === 'number' &&
    Array.isArray(answer.rejected) &&
    answer.rejected.every((r) => Number.isInteger(r?.index) && r.index >= 0 && r.index < size && typeof r.reason === 'string')
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** How `postBatch` sends. */
export interface BatchRequestOptions {
  fetch: typeof fetch;
  /** Aborts the request at once (the uploader was stopped): `postBatch` then rejects. */
  signal: AbortSignal;
  /** A request without an answer by then counts as failed (and is retried). */
  timeoutMs: number;
  now: number;
}

/** Sends one batch as NDJSON. Rejects only when `signal` aborted it. */
export async function postBatch(target: UploadTarget, events: readonly JournalEvent[], options: BatchRequestOptions): Promise<BatchOutcome> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const lost = (error: unknown): BatchOutcome => {
    if (options.signal.aborted) throw error;
    const why = signal.aborted ? `no answer within ${options.timeoutMs} ms` : describe(error);
    return { kind: 'failed', message: `could not reach ${target.url}: ${why}`, retryAfterMs: null };
  };
  let response: Response;
  try {
    response = await options.fetch(`${target.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${target.key}` },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
      signal,
    });
  } catch (error) {
    return lost(error);
  }
  if (response.ok) {
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      if (error instanceof SyntaxError) body = undefined;
      else return lost(error);
    }
    if (isBatchAnswer(body, events.length)) return { kind: 'answered', answer: body };
    return { kind: 'failed', message: `${target.url}/v1/events answered ${response.status} without a Footprint server's answer (a proxy in between?)`, retryAfterMs: null };
  }
  const message = `${target.url}/v1/events answered ${response.status}: ${await messageOf(response)}`;
  if (retryable(response.status)) return { kind: 'failed', message, retryAfterMs: retryAfterMs(response.headers.get('retry-after'), options.now) };
  return { kind: 'refused', status: response.status, message };
}

/** What the server erased: the installation's user id and how many of its events went. */
export interface Erasure {
  user_id: string;
  deleted: number;
}

/** Asks the server to erase the events of the installation that holds `secret`; throws an Error with the server's message. */
export async function postErasure(target: UploadTarget, secret: string, fetchImpl: typeof fetch): Promise<Erasure> {
  let response: Response;
  try {
    response = await fetchImpl(`${target.url}/v1/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.key}` },
      body: JSON.stringify({ secret }),
    });
  } catch (error) {
    throw new Error(`could not reach ${target.url} to erase the events sent: ${describe(error)}`);
  }
  if (!response.ok) throw new Error(`${target.url}/v1/erasure answered ${response.status}: ${await messageOf(response)}`);
  const body = (await response.json().catch(() => undefined)) as Partial<Erasure> | undefined;
  if (typeof body?.user_id !== 'string' || typeof body.deleted !== 'number') {
    throw new Error(`${target.url}/v1/erasure answered ${response.status} without a Footprint server's answer ({ user_id, deleted })`);
  }
  return { user_id: body.user_id, deleted: body.deleted };
}
