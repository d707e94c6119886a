import type { IncomingMessage } from 'node:http';
import { createGunzip, type Gunzip } from 'node:zlib';
import { HttpError } from '../http/http-error.ts';

/** Bytes a request body may have as sent (compressed or not): issue 13's "a body over 1 MB gets 413". */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * Bytes a gzip body may have once decoded. Event NDJSON compresses about
 * 5 to 10 times, so a 1 MB gzip of real events decodes to well under
 * 10 MB; and 10 MB holds more tracker events (a few hundred bytes each)
 * than a request may carry (MAX_EVENTS_PER_REQUEST). Anything that
 * inflates further is not a batch of events but a gzip bomb, and is
 * refused before more than this is ever held in memory.
 */
export const MAX_DECODED_BYTES = 10_000_000;

/** The size limits of `readBody`, in bytes. */
export interface BodyLimits {
  /** The body as sent; default MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** The body after gzip decoding; default MAX_DECODED_BYTES. */
  maxDecodedBytes: number;
}

/** How `readBody` reads a body, besides its limits. */
export interface BodyOptions extends Partial<BodyLimits> {
  /**
   * Decode the body as gzip even without `Content-Encoding: gzip`: `true`
   * when the caller knows it is (an old posthog-js says so in its URL,
   * `?compression=gzip-js`); `'sniff'` when the body is gzip if it starts
   * with gzip's magic bytes (posthog-js 1.4xx sends its gzip as
   * `text/plain` with no sign of it at all, as a page's beacon cannot set
   * the header; PostHog's capture looks at the bytes too). UTF-8 text
   * never starts with those bytes (0x8b cannot follow 0x1f).
   */
  gzip?: boolean | 'sniff';
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBodyBytes: MAX_BODY_BYTES, maxDecodedBytes: MAX_DECODED_BYTES };

/**
 * The connection is closed after a refused body: the rest of it is never
 * read, so the socket cannot serve a next request.
 */
const CLOSE = { connection: 'close' };

function bytes(count: number): string {
  return `${count.toLocaleString('en-US')} bytes`;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `body over ${bytes(limit)} (the limit of a request body as sent); send smaller batches`, CLOSE);
}

function tooLargeDecoded(limit: number): HttpError {
  return new HttpError(413, `body over ${bytes(limit)} once gzip is decoded (the limit of a decoded body); send smaller batches`, CLOSE);
}

/** The body's encoding, lower-case: '' when none. Throws 415 for one this server cannot decode. */
function encodingOf(request: IncomingMessage): 'gzip' | '' {
  const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return '';
  // RFC 9110 section 8.4.1.3: x-gzip is to be read as gzip.
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  throw new HttpError(415, `content-encoding '${encoding}' is not supported; send the body as it is or with gzip`, CLOSE);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text; 400 when they are not UTF-8. */
function decodeText(chunks: Buffer[]): string {
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, 'body: not UTF-8 text; send events as UTF-8 NDJSON or JSON');
  }
}

/**
 * Reads a request's body as UTF-8 text, refusing it as soon as it is too
 * large: a `Content-Length` over the limit before reading a byte, a body
 * that streams past it (chunked) at the chunk that passes it, a gzip body
 * at the decoded byte that passes the decoded limit (so a gzip bomb never
 * takes more memory than that limit). Reading stops there and the rest is
 * not buffered; the error asks for the connection to be closed.
 *
 * Errors are HttpErrors: 413 over a limit, 415 for a content encoding
 * other than gzip or identity, 400 for a damaged gzip, text that is not
 * UTF-8 or a request that ends before its body does.
 */
export async function readBody(request: IncomingMessage, options: BodyOptions = {}): Promise<string> {
  const { maxBodyBytes, maxDecodedBytes } = { ...DEFAULT_BODY_LIMITS, ...options };
  const gzip = encodingOf(request) === 'gzip' || options.gzip === true;
  let sniffing = !gzip && options.gzip === 'sniff';
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) throw tooLarge(maxBodyBytes);

  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let settled = false;
    let ended = false;
    let gunzip: Gunzip | null = null;

    const stop = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAborted);
      request.off('close', onAborted);
      request.pause();
      if (gunzip) {
        gunzip.removeAllListeners('data');
        gunzip.on('error', () => undefined); // destroyed mid-stream: nothing more to report
        gunzip.destroy();
      }
    };
    const fail = (error: HttpError): void => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      stop();
      reject(error);
    };
    const succeed = (): void => {
      if (settled) return;
      settled = true;
      stop();
      try {
        resolve(decodeText(chunks));
      } catch (error) {
        reject(error as HttpError);
      }
    };

    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received > maxBodyBytes) return fail(tooLarge(maxBodyBytes));
      let decoder = gunzip;
      if (sniffing) {
        chunks.push(chunk);
        const head = chunks.length === 1 ? chunk : Buffer.concat(chunks);
        if (head.length < 2) return;
        sniffing = false;
        if (head[0] !== 0x1f || head[1] !== 0x8b) return; // plain text: read on as it is
        chunks.length = 0;
        decoder = startGunzip();
        chunk = head;
      } else if (!decoder) {
        chunks.push(chunk);
        return;
      }
      // Backpressure: the raw stream waits while the decoder has not taken what it was given.
      if (!decoder.write(chunk)) {
        request.pause();
        decoder.once('drain', () => {
          if (!settled) request.resume();
        });
      }
    }
    function onEnd(): void {
      ended = true;
      if (gunzip) gunzip.end();
      else succeed();
    }
    function onAborted(): void {
      if (ended) return; // 'close' after 'end' while the decoder finishes: the body is whole
      fail(new HttpError(400, 'body: the request ended before its body was complete'));
    }

    function startGunzip(): Gunzip {
      // Output in small pieces, so that the count is checked before much is held.
      const decoder = createGunzip({ chunkSize: 16 * 1024 });
      decoder.on('data', (piece: Buffer) => {
        decoded += piece.length;
        if (decoded > maxDecodedBytes) return fail(tooLargeDecoded(maxDecodedBytes));
        chunks.push(piece);
      });
      decoder.on('end', succeed);
      decoder.on('error', (error) => fail(new HttpError(400, `body: not valid gzip (${error.message})`, CLOSE)));
      gunzip = decoder;
      return decoder;
    }
    if (gzip) startGunzip();
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAborted);
    request.on('close', onAborted);
  });
}
