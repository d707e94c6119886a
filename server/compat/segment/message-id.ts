import { createHash } from 'node:crypto';
import { quote } from '../../../shared/errors.ts';

/** The longest event id the store takes (METRICS.md section 1: ids are 1..200 characters). */
const MAX_ID_LENGTH = 200;

/** A UTF-16 surrogate outside a pair: SQLite would store it as U+FFFD, so the store refuses it. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The event id (`uuid`) of a Segment `messageId`. Segment's ids are not
 * always uuids (analytics-node's are `node-next-<ms>-<uuid>`, iOS's
 * upper-case uuids) and the store takes any text as an event id, so a
 * messageId is kept as given and a library's retry is a duplicate by it.
 * A number is its decimal text. One the store would refuse (over 200
 * characters, or with a lone surrogate) becomes `sha256:` and its
 * digest: still the same id on every retry, so still deduplicated, rather
 * than the event refused. Undefined when there is none (nothing to
 * deduplicate by); `{ reason }` for a value that is no id.
 */
export function eventIdOf(messageId: unknown): string | undefined | { reason: string } {
  if (messageId === undefined || messageId === null || messageId === '') return undefined;
  if (typeof messageId === 'number' && Number.isFinite(messageId)) return String(messageId);
  if (typeof messageId !== 'string') return { reason: `messageId: must be a string, got ${quote(messageId)}` };
  if (messageId.length <= MAX_ID_LENGTH && !LONE_SURROGATE.test(messageId)) return messageId;
  return `sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}
