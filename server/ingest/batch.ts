import { DataError } from '../../shared/errors.ts';
import { detectFormat, readText, type TextRecords } from '../../shared/ingest/text.ts';
import { HttpError } from '../http/http-error.ts';

/**
 * Events one request may carry. The tracker sends 50 at a time; a
 * server-side program sending a backlog is told to split it rather than
 * holding one transaction (and the answer's rejections) open for a
 * million rows.
 */
export const MAX_EVENTS_PER_REQUEST = 10_000;

/** Media types a batch may be sent as: the tracker's NDJSON, a JSON array, and sendBeacon's `text/plain`. */
export const BATCH_TYPES = ['application/x-ndjson', 'application/json', 'text/plain'] as const;

const HOW = 'send NDJSON (one JSON event object per line) or a JSON array of events';

/** The media type without parameters, lower-case; '' when absent. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `text` cut to a short printable excerpt for a message. */
function excerpt(text: string): string {
  const start = text.trimStart();
  return JSON.stringify(start.length > 40 ? `${start.slice(0, 40)}…` : start);
}

/** One JSON object sent as `application/json`, possibly over several lines: one event on line 1. Null when the text is not one. */
function singleObject(text: string): TextRecords | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { records: [parsed], lines: [1] } : null;
  } catch {
    return null; // several objects, one a line: NDJSON sent as application/json
  }
}

/**
 * Reads a request body into records, each with the line it starts on
 * (NDJSON; a JSON array's elements have no line). The first non-blank
 * character chooses: `[` a JSON array, `{` NDJSON (a line that is not JSON
 * becomes an UnreadableRecord naming its line, and the other lines are
 * kept). A single JSON object is one event, as PostHog's capture accepts a
 * single event: under `application/json` it may span several lines. The
 * reading itself is shared/ingest/text.ts's, so a body reads as the store's
 * `ingestText` would read it.
 *
 * Errors are HttpErrors: 415 for a Content-Type other than BATCH_TYPES
 * (none is read as `text/plain`), 400 for a body that is not events (empty,
 * CSV, a JSON array that does not parse), 413 over MAX_EVENTS_PER_REQUEST.
 */
export function readBatch(body: string, contentType: string | undefined): TextRecords {
  const type = mediaType(contentType);
  if (type !== '' && !(BATCH_TYPES as readonly string[]).includes(type)) {
    throw new HttpError(415, `content-type '${type}' is not accepted; ${HOW} as ${BATCH_TYPES.join(', ')}`);
  }
  if (body.trim() === '') throw new HttpError(400, `body: empty; ${HOW}`);
  const format = detectFormat(body);
  if (format === 'csv') throw new HttpError(400, `body: not events: it starts with ${excerpt(body)}, not [ or {; ${HOW}`);
  let read: TextRecords;
  try {
    read = (format === 'ndjson' && type === 'application/json' && singleObject(body)) || readText(body, format);
  } catch (error) {
    if (error instanceof DataError) throw new HttpError(400, `body: ${error.message}`);
    throw error;
  }
  if (read.records.length > MAX_EVENTS_PER_REQUEST) {
    const count = read.records.length.toLocaleString('en-US');
    throw new HttpError(413, `body: ${count} events, over ${MAX_EVENTS_PER_REQUEST.toLocaleString('en-US')} a request; send smaller batches`);
  }
  return read;
}
