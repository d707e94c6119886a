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

/** Quotes a user-supplied value for an error message, shortened so a huge value stays readable. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}
