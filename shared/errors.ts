/**
 * A query spec or option that cannot be used. `field` names the offending
 * field (`kind`, `from`, `steps[2].event`, ...) so callers and widgets can
 * point at it.
 */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Input data that cannot be read at all (a damaged file, a malformed JSON array). */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/**
 * A user-supplied value as an error message shows it: text as it is, a
 * number as JavaScript writes it (`NaN`, `Infinity`, where JSON would say
 * `null`), a Date as its ISO time (or `Invalid Date`), anything else as JSON
 * where it has one.
 */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol' || value === undefined) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle or a BigInt inside: JSON cannot show it.
    return Object.prototype.toString.call(value);
  }
}

/** Quotes a user-supplied value for an error message, shortened so a huge value stays readable. */
export function quote(value: unknown): string {
  const text = shown(value);
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}
