/**
 * A Footprint server's error answers as Errors: the server's own message
 * (it names what is wrong: "embed token expired at …", "kind 'paths' is not
 * allowed by this token"), with the HTTP status and, for a 429, when to try
 * again.
 */
import { SpecError } from '../errors.ts';

/** What every error of an answer carries, whichever class it is. */
export interface ServerAnswerError extends Error {
  /** The HTTP status: 401, 403, 413, 429, 5xx, or 400 for a spec without a named field. */
  readonly status: number;
  /** The field of the spec a 400 names, when it names one. */
  readonly field?: string;
  /** Seconds to wait before asking again (a 429's or 503's `Retry-After`). */
  readonly retryAfter?: number;
}

/** An answer other than 2xx from a Footprint server (a 400 that names a spec field is a `ServerSpecError`). */
export class ServerError extends Error implements ServerAnswerError {
  override readonly name = 'ServerError';
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/**
 * A 400 naming a field of the spec: a `SpecError`, as the same spec sent to
 * a store in the page would throw, so widgets and callers that point at the
 * field handle both alike.
 */
export class ServerSpecError extends SpecError implements ServerAnswerError {
  readonly status = 400;
  constructor(field: string, problem: string) {
    super(field, problem);
  }
}

/**
 * `Retry-After` in seconds: the header is either seconds or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** `{ error, field? }`, the body of every error answer, or undefined when the body is something else (a proxy's HTML page). */
function errorBody(text: string): { error: string; field?: string } | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return undefined;
    const { error, field } = body as { error?: unknown; field?: unknown };
    if (typeof error !== 'string' || error === '') return undefined;
    return typeof field === 'string' && field !== '' ? { error, field } : { error };
  } catch {
    return undefined;
  }
}

/**
 * The Error for an answer that is not 2xx: the server's message as it is, or
 * `HTTP 502 Bad Gateway` when the body has none (a proxy answered); a 429
 * says when to retry (the server's message may not).
 */
export async function errorFromResponse(response: Response): Promise<ServerSpecError | ServerError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body broke off: the status alone still says what happened.
  }
  const body = errorBody(text);
  const status = response.status;
  if (status === 400 && body?.field !== undefined) {
    // The server's message is a SpecError's own (`field: problem`): keep it as it reads.
    const prefix = `${body.field}: `;
    return new ServerSpecError(body.field, body.error.startsWith(prefix) ? body.error.slice(prefix.length) : body.error);
  }
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  let message = body?.error ?? `the Footprint server answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (status === 429 && retryAfter !== undefined && !/retry/i.test(message)) message += ` (retry in ${retryAfter} s)`;
  return new ServerError(status, message, retryAfter);
}
