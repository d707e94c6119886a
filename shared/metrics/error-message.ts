/**
 * Error messages grouped by their text with the variable parts taken out
 * (METRICS.md section 11: "digits and hex ids replaced by `#`"), so
 * `Timeout after 30000 ms loading report 8f3a9c` and `Timeout after 10000 ms
 * loading report 00b2e1` are one error. Used by the `errors` and `friction`
 * kinds.
 *
 * SQLite has no regular expressions (sql.js registers no REGEXP function), so
 * this runs in JavaScript: the SQL groups events by their raw message first,
 * and only the distinct raw messages pass through here.
 */

/** The group of `$error` events without a usable `properties.message`. */
export const NO_MESSAGE = '(no message)';

/**
 * The variable parts of a message, tried in this order at each position
 * (the first that matches wins); "alone" means not touching another ASCII
 * letter or digit on either side (`_`, `-`, `.`, spaces and other
 * punctuation separate):
 * 1. a UUID alone: 8-4-4-4-12 hex digits joined by hyphens;
 * 2. a `0x` / `0X` hex literal alone: `0x1f`;
 * 3. a hex id alone: 6 or more hex digits (`0-9a-fA-F`) with at least one
 *    decimal digit among them (`8f3a9c`, `abc123`, but not the words
 *    `deface` or `decade`);
 * 4. any run of decimal digits, wherever it is (`30000`, the `2` of `v2`).
 * Each becomes one `#`.
 */
const VARIABLE_PART = new RegExp(
  [
    '(?<![0-9A-Za-z])[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])',
    '(?<![0-9A-Za-z])0[xX][0-9A-Fa-f]+(?![0-9A-Za-z])',
    '(?<![0-9A-Za-z])(?=[A-Fa-f]*[0-9])[0-9A-Fa-f]{6,}(?![0-9A-Za-z])',
    '[0-9]+',
  ].join('|'),
  'g',
);

/**
 * A raw `properties.message` (null when absent) as it is grouped: variable
 * parts replaced by `#` (see VARIABLE_PART); no message, or one of only
 * white space, is `(no message)`.
 */
export function normalizeMessage(message: string | null): string {
  if (message === null || message.trim() === '') return NO_MESSAGE;
  return message.replace(VARIABLE_PART, '#');
}

/** Normalizes many raw messages, each distinct one once. */
export class MessageNormalizer {
  private readonly cache = new Map<string | null, string>();

  normalize(message: string | null): string {
    let normalized = this.cache.get(message);
    if (normalized === undefined) {
      normalized = normalizeMessage(message);
      this.cache.set(message, normalized);
    }
    return normalized;
  }
}
