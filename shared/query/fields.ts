import { SpecError, quote } from '../errors.ts';

/**
 * Readers for the fields of a query spec. Each one checks a field's type and
 * range and throws a SpecError naming the field, so a bad spec fails before
 * any SQL is written.
 */
export type SpecObject = Record<string, unknown>;

export function optionalString(spec: SpecObject, field: string, maxLength = 200): string | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new SpecError(field, `must be a string of 1..${maxLength} characters, got ${quote(value)}`);
  }
  return value;
}

export function requiredString(spec: SpecObject, field: string, maxLength = 200): string {
  const value = optionalString(spec, field, maxLength);
  if (value === undefined) throw new SpecError(field, 'missing');
  return value;
}

export function optionalEnum<T extends string>(spec: SpecObject, field: string, allowed: readonly T[]): T | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SpecError(field, `must be one of ${allowed.join(', ')}, got ${quote(value)}`);
  }
  return value as T;
}

export function optionalInteger(spec: SpecObject, field: string, min: number, max: number): number | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SpecError(field, `must be a whole number from ${min} to ${max}, got ${quote(value)}`);
  }
  return value;
}

export function optionalNumber(spec: SpecObject, field: string, min: number, max: number): number | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new SpecError(field, `must be a number from ${min} to ${max}, got ${quote(value)}`);
  }
  return value;
}

export function optionalBoolean(spec: SpecObject, field: string): boolean | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new SpecError(field, `must be true or false, got ${quote(value)}`);
  return value;
}

/** Throws for fields a kind does not know, so a misspelt option is not silently ignored. */
export function rejectUnknownFields(spec: SpecObject, known: readonly string[]): void {
  for (const field of Object.keys(spec)) {
    if (!known.includes(field)) throw new SpecError(field, `unknown field for kind '${String(spec.kind)}' (known: ${known.join(', ')})`);
  }
}
