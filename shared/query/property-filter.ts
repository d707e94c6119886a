import { SpecError, quote } from '../errors.ts';
import type { Dialect } from '../sql/dialect.ts';
import type { SqlParams } from '../sql/executor.ts';

/** A comparison of one event property (METRICS.md section 8, a funnel step's `where`). */
export type PropertyOperator = '=' | '!=' | 'contains' | '>' | '<';
export const PROPERTY_OPERATORS: readonly PropertyOperator[] = ['=', '!=', 'contains', '>', '<'];

/** A value compared with a property: text, a number or a boolean. */
export type PropertyValue = string | number | boolean;

/**
 * Conditions on event properties, all of which must hold: a property name
 * maps to a value (the property equals it) or to `{ op, value }`.
 *
 * - `=` / `!=` with a number compare numerically, and a property holding a
 *   number as text (`"10"`) counts as that number; with text or a boolean
 *   they compare the property's text form (numbers in decimal, booleans
 *   `true` / `false`), so `'5'` matches the number 5. PostHog compares the
 *   same way (its `exact` filter reads properties as text, its numeric
 *   filters cast text to numbers).
 * - `!=` also matches events without the property, as PostHog's `is_not` does.
 * - `contains` is a case-insensitive substring test (ASCII letters), as
 *   PostHog's `icontains`, which its UI calls "contains"; the value is text.
 * - `>` / `<` take a number and match only properties that are numbers (or
 *   text holding one); anything else, and missing properties, never match.
 */
export type PropertyFilter = Record<string, PropertyValue | { op: PropertyOperator; value: PropertyValue }>;

/** One checked condition. */
export interface PropertyCondition {
  key: string;
  op: PropertyOperator;
  value: PropertyValue;
}

export const MAX_PROPERTY_CONDITIONS = 20;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPropertyValue(value: unknown): value is PropertyValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Checks one condition; `field` names it in errors (`steps[1].where.plan`). */
function readCondition(key: string, raw: unknown, field: string): PropertyCondition {
  if (isPropertyValue(raw)) return { key, op: '=', value: raw };
  if (!isPlainObject(raw)) throw new SpecError(field, `must be a value (text, number, true / false) or { op, value }, got ${quote(raw)}`);
  for (const member of Object.keys(raw)) {
    if (member !== 'op' && member !== 'value') throw new SpecError(`${field}.${member}`, 'unknown field of a condition (known: op, value)');
  }
  const op = raw.op;
  if (typeof op !== 'string' || !(PROPERTY_OPERATORS as readonly string[]).includes(op)) {
    throw new SpecError(`${field}.op`, `must be one of ${PROPERTY_OPERATORS.join(', ')}, got ${quote(op)}`);
  }
  const value = raw.value;
  if (op === '>' || op === '<') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new SpecError(`${field}.value`, `must be a number for '${op}', got ${quote(value)}`);
  } else if (op === 'contains') {
    if (typeof value !== 'string' || value.length === 0) throw new SpecError(`${field}.value`, `must be non-empty text for 'contains', got ${quote(value)}`);
  } else if (!isPropertyValue(value)) {
    throw new SpecError(`${field}.value`, `must be text, a number or true / false, got ${quote(value)}`);
  }
  return { key, op: op as PropertyOperator, value };
}

/** Reads a `where` object; `field` names it in errors. Undefined or null means no condition. */
export function readPropertyFilter(raw: unknown, field: string): PropertyCondition[] {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw)) throw new SpecError(field, `must be an object mapping property names to conditions, got ${quote(raw)}`);
  const keys = Object.keys(raw);
  if (keys.length > MAX_PROPERTY_CONDITIONS) throw new SpecError(field, `at most ${MAX_PROPERTY_CONDITIONS} conditions, got ${keys.length}`);
  return keys.map((key) => {
    if (key.length === 0 || key.length > 200) throw new SpecError(field, `property names have 1..200 characters, got ${quote(key)}`);
    return readCondition(key, raw[key], `${field}.${key}`);
  });
}

/**
 * The property's value as a number when it is one (a JSON number, or text
 * holding a JSON number), else NULL. SQLite JSON1: this belongs in the
 * Dialect once a second engine needs it.
 */
function numberOf(text: string): string {
  return `(CASE WHEN json_valid(${text}) THEN CASE WHEN json_type(${text}) IN ('integer', 'real') THEN CAST(${text} AS REAL) END END)`;
}

/**
 * A SQL condition, true (1) or false (0) and never NULL, that the JSON
 * properties `column` meet every condition. Values and paths are added to
 * `params` under names starting with `prefix`; nothing is spliced in.
 */
export function propertyFilterSql(conditions: readonly PropertyCondition[], column: string, dialect: Dialect, params: SqlParams, prefix: string): string {
  if (conditions.length === 0) return '1';
  const parts = conditions.map((condition, i) => {
    const path = `${prefix}p${i}`;
    const value = `${prefix}v${i}`;
    const text = dialect.propertyText(column, condition.key, params, path);
    const numeric = typeof condition.value === 'number';
    params[value] = typeof condition.value === 'number' ? condition.value : String(condition.value);
    const equals = numeric ? `${numberOf(text)} = ${value}` : `${text} = ${value}`;
    switch (condition.op) {
      case '=':
        return equals;
      case '!=':
        return `NOT COALESCE(${equals}, 0)`;
      case 'contains':
        return `instr(lower(${text}), lower(${value})) > 0`;
      case '>':
      case '<':
        return `${numberOf(text)} ${condition.op} ${value}`;
    }
  });
  return `COALESCE(${parts.map((part) => `(${part})`).join(' AND ')}, 0)`;
}
