import type { SqlValue } from '../sql/executor.ts';

/** Hex digits per group of an RFC 4122 uuid's text form (8-4-4-4-12). */
const GROUPS = [8, 4, 4, 4, 12];

/**
 * A uuid in lower-case canonical form, the form `uuidText` turns stored
 * bytes back into. Only ids of this form are stored as 16 bytes: ingest
 * accepts any string as `uuid`, and an upper-case uuid or any other id is
 * stored as the text given, in the same column (SQLite keeps each value's
 * own type), so the events listing shows every id exactly as ingested and
 * two ids that differ in case stay two ids.
 */
const CANONICAL = new RegExp(`^${GROUPS.map((digits) => `[0-9a-f]{${digits}}`).join('-')}$`);

/** The same test as `CANONICAL`, as a SQLite GLOB pattern, for converting stored text in SQL with `unhex(uuid, '-')`. */
export const CANONICAL_UUID_GLOB = GROUPS.map((digits) => '[0-9a-f]'.repeat(digits)).join('-');

/** The value of a lower-case hex digit's char code. */
function hexValue(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

/** The value stored for an event id: 16 bytes for a canonical uuid (20 fewer than its text), else the text. */
export function storedUuid(uuid: string): Uint8Array | string {
  if (!CANONICAL.test(uuid)) return uuid;
  // Char codes, not slices and parseInt: this runs for every event ingested.
  const bytes = new Uint8Array(16);
  for (let i = 0, byte = 0; byte < 16; i += 2) {
    if (uuid.charCodeAt(i) === 45 /* - */) i++; // a dash only ever comes before a pair of digits
    bytes[byte++] = (hexValue(uuid.charCodeAt(i)) << 4) | hexValue(uuid.charCodeAt(i + 1));
  }
  return bytes;
}

/** The event id as ingested, from its stored value (bytes back to lower-case canonical text). */
export function uuidText(stored: SqlValue): string {
  if (!(stored instanceof Uint8Array)) return String(stored);
  let hex = '';
  for (const byte of stored) hex += byte.toString(16).padStart(2, '0');
  const groups: string[] = [];
  let at = 0;
  for (const digits of GROUPS) {
    groups.push(hex.slice(at, at + digits));
    at += digits;
  }
  return groups.join('-');
}
