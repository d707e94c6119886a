/**
 * The core's error-message normalisation (shared/metrics/error-message.ts:
 * UUIDs, `0x` literals and hex ids "alone", then any run of digits, each
 * becoming `#`) as ClickHouse SQL, for the kinds that group `$error` events
 * by message.
 *
 * The core's regular expression needs look-behind and look-ahead ("not
 * touching another ASCII letter or digit"), which RE2 has not. So the
 * message is cut into its maximal runs of ASCII letters and digits and the
 * runs of everything else (`extractAll`), and each rule is applied to whole
 * runs, which is what "alone" means:
 * - a UUID is 9 runs: 8, 4, 4, 4 and 12 hex digits joined by single `-`
 *   (two UUIDs cannot overlap: each starts with the only 8-digit run of its
 *   9, so the core's left-to-right scan and this agree);
 * - a `0x` literal or a hex id is one whole run;
 * - otherwise every run of digits inside a run becomes `#`, as the core's
 *   last alternative does wherever the first three did not match.
 */

/** The whitespace that JavaScript's `String.prototype.trim` removes, as an RE2 class. */
const JS_WHITESPACE = '[\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';

/** A regular expression as a ClickHouse string literal (backslashes and quotes escaped); only this module's constants go through it. */
function literal(pattern: string): string {
  return `'${pattern.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const hexRun = (n: number) => literal(`^[0-9A-Fa-f]{${n}}$`);

/**
 * The grouped message of the `$error` event whose JSON properties are the
 * SQL expression `json`: its `message` read as the core reads it (a string
 * as it is, another value as its JSON text), normalised as
 * `normalizeMessage` does; `(no message)` when absent, null or blank.
 */
export function normalizedMessageSql(json: string): string {
  const message = `multiIf(JSONType(${json}, 'message') = 'Null', NULL, JSONType(${json}, 'message') = 'String', JSONExtractString(${json}, 'message'), JSONExtractRaw(${json}, 'message'))`;
  const runs = `extractAll(m, ${literal('[0-9A-Za-z]+|[^0-9A-Za-z]+')})`;
  // uuid[i]: a UUID starts at run i.
  const uuidAt = `arrayMap(i -> match(r[i], ${hexRun(8)}) AND r[i + 1] = '-' AND match(r[i + 2], ${hexRun(4)}) AND r[i + 3] = '-' AND match(r[i + 4], ${hexRun(4)})
      AND r[i + 5] = '-' AND match(r[i + 6], ${hexRun(4)}) AND r[i + 7] = '-' AND match(r[i + 8], ${hexRun(12)}), arrayEnumerate(r))`;
  const hexId = `(match(x, ${literal('^0[xX][0-9A-Fa-f]+$')}) OR (match(x, ${literal('^[0-9A-Fa-f]{6,}$')}) AND match(x, '[0-9]')))`;
  const normalized = `arrayStringConcat(arrayMap(i -> multiIf(
      uuid[i], '#',
      arrayExists(d -> i > d AND uuid[i - d], range(1, 9)), '',
      arrayMap(x -> ${hexId}, [r[i]])[1], '#',
      replaceRegexpAll(r[i], '[0-9]+', '#')), arrayEnumerate(r)))`;
  // ClickHouse calls a lambda only inside a higher-order function: arrayMap over one element names a value.
  const named = (name: string, value: string, body: string) => `arrayMap(${name} -> ${body}, [${value}])[1]`;
  const text = named('r', runs, named('uuid', uuidAt, normalized));
  return named('m', `coalesce(${message}, '')`, `if(match(m, ${literal(`^${JS_WHITESPACE}*$`)}), '(no message)', ${text})`);
}
