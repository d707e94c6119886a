import { SpecError, quote } from '../errors.ts';
import type { SpecObject } from './fields.ts';

/**
 * Reads an optional options object nested in a spec (`rageClicks: { pixels:
 * 20 }`) and returns its fields keyed by their full path
 * (`'rageClicks.pixels'`), so the ordinary readers of `fields.ts` check them
 * and their errors name the nested field. Unknown nested fields are rejected
 * like unknown top-level ones.
 */
export function nestedFields(spec: SpecObject, path: string, known: readonly string[]): SpecObject {
  const value = spec[path];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecError(path, `must be an object with fields ${known.join(', ')}, got ${quote(value)}`);
  }
  const fields: SpecObject = {};
  for (const [key, inner] of Object.entries(value as SpecObject)) {
    if (!known.includes(key)) throw new SpecError(`${path}.${key}`, `unknown field (known: ${known.join(', ')})`);
    fields[`${path}.${key}`] = inner;
  }
  return fields;
}
