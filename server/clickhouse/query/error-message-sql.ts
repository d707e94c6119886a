import { NO_MESSAGE } from '../../../shared/metrics/error-message.ts';
import type { Bindings } from './params.ts';

// The core's normalizeMessage (shared/metrics/error-message.ts) in ClickHouse
// SQL. Its JavaScript pattern looks around each part ("alone": no ASCII
// letter or digit on either side), and RE2 has no lookaround, so the same
// replacements are made in two stages that give the same text:
// 1. UUIDs, each with the character before and after it captured instead of
//    looked at: `\1#\2`. A captured character is not there for the next
//    UUID to start after, so the replacement runs twice (UUIDs next to each
//    other, `U-U-U`, are then all found). A UUID begins where an ASCII run of
//    letters and digits begins, and the core tries it first there, so taking
//    every UUID out first leaves the other parts as they were.
// 2. What is left is cut into maximal runs of ASCII letters and digits and
//    runs of anything else (`extractAll`); each letter-and-digit run is then
//    whole: a `0x` literal or a hex id (6+ hex digits, one of them a decimal
//    digit) when the whole run is one (that is what "alone" means), else its
//    digit runs each become `#`; runs of other characters stay as they are.

const ALNUM = '0-9A-Za-z';
const HEX = '[0-9A-Fa-f]';
const UUID = `(^|[^${ALNUM}])${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}([^${ALNUM}]|$)`;

/**
 * JavaScript's `trim()` white space (WhiteSpace and LineTerminator of
 * ECMA-262: ASCII white space, U+00A0, U+1680, U+2000..U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000, U+FEFF): a message of only these is no
 * message, as in the core.
 */
const ONLY_WHITE_SPACE = '^[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]*$';

/**
 * The SQL expression of the normalized message in column `m` (a
 * Nullable(String): the raw `properties.message` as `propertyText` reads it),
 * equal to the core's normalizeMessage: `(no message)` for NULL or white
 * space only, else UUIDs, `0x` literals and hex ids alone, and runs of
 * digits, each replaced by `#`. The patterns are bound values.
 */
export function normalizedMessageSql(m: string, bind: Bindings): string {
  const uuid = bind.bind(UUID, 'String');
  const noUuids = `replaceRegexpAll(replaceRegexpAll(${m}, ${uuid}, '\\\\1#\\\\2'), ${uuid}, '\\\\1#\\\\2')`;
  const whole = bind.bind(`^(0[xX]${HEX}+|${HEX}{6,})$`, 'String');
  const run = `if(match(t, ${whole}) AND (lower(substring(t, 2, 1)) = 'x' OR match(t, '[0-9]')), '#', replaceRegexpAll(t, '[0-9]+', '#'))`;
  const parts = `arrayStringConcat(arrayMap(t -> if(match(t, '^[${ALNUM}]'), ${run}, t), extractAll(${noUuids}, '[${ALNUM}]+|[^${ALNUM}]+')))`;
  return `if(${m} IS NULL OR match(${m}, ${bind.bind(ONLY_WHITE_SPACE, 'String')}), ${bind.bind(NO_MESSAGE, 'String')}, ${parts})`;
}
