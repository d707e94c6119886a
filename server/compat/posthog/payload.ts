import { HttpError } from '../../http/http-error.ts';
import { MAX_DECODED_BYTES } from '../../ingest/body.ts';
import { decompressLz64, Lz64Error } from './lz64.ts';

/** How a capture request says its body is encoded, besides `Content-Encoding`. */
export interface PayloadHints {
  /** The request's `Content-Type`. */
  contentType?: string;
  /** The request's query string: `compression` (`lz64`, `gzip-js`, `base64`) and, for GET-style senders, `data`. */
  query: URLSearchParams;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Text that is base64 and nothing else (PostHog's "strict" test): what old SDKs send as `data`. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function looksLikeBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

function fromBase64(text: string): string {
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  if (decoded.includes('\uFFFD')) throw new HttpError(400, 'body: base64 that is not UTF-8 JSON once decoded');
  return decoded;
}

/**
 * The JSON a PostHog capture request carries, whichever of the SDKs'
 * encodings it came in (gzip is undone before, by `readBody`):
 * - plain JSON (posthog-node, posthog-js without compression);
 * - the form `data=<payload>` (`application/x-www-form-urlencoded`, old
 *   SDKs and posthog-js's beacons), or `?data=` in the query;
 * - a payload that is base64 of the JSON (`compression=base64`, or plain
 *   base64 text: PostHog's capture decodes that on sight too);
 * - lz-string's base64 (`compression=lz64`, in the query or the form),
 *   at most MAX_DECODED_BYTES characters once decoded.
 * HttpError 400 naming what is wrong: an empty body, a damaged lz64,
 * text that is not JSON; 413 for an lz64 that decodes past the limit.
 */
export function decodeCapturePayload(body: string, hints: PayloadHints): unknown {
  const { query } = hints;
  let payload = query.get('data') ?? body;
  let compression = (query.get('compression') ?? '').toLowerCase();
  const contentType = (hints.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === FORM_TYPE && query.get('data') === null) {
    const form = new URLSearchParams(body);
    const data = form.get('data');
    if (data === null) throw new HttpError(400, "body: a form without its 'data' field (PostHog's form encoding is data=<events>)");
    // A base64 value sent unescaped has had its '+' turned into spaces by the form decoding.
    payload = /^[A-Za-z0-9+/= ]+$/.test(data) ? data.replace(/ /g, '+') : data;
    compression = compression || (form.get('compression') ?? '').toLowerCase();
  }
  payload = payload.trim();
  if (payload === '') throw new HttpError(400, 'body: empty; a PostHog capture request carries one event, an array of events or { batch }');

  if (compression === 'lz64') {
    try {
      payload = decompressLz64(payload, MAX_DECODED_BYTES);
    } catch (error) {
      if (!(error instanceof Lz64Error)) throw error;
      if (error.reason === 'too large') throw new HttpError(413, `body: ${error.message} (the limit of a decoded body); send smaller batches`);
      throw new HttpError(400, `body: not valid lz64 (compression=lz64): ${error.message.replace(/^lz64: /, '')}`);
    }
  } else if (looksLikeBase64(payload)) {
    payload = fromBase64(payload);
  }
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new HttpError(400, `body: not JSON (${(error as Error).message}); send PostHog's event JSON, plain, gzip, base64 or lz64`);
  }
}
