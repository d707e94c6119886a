import { readPropertyFilter, type PropertyCondition, type PropertyFilter } from '../../../shared/query/property-filter.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { Bindings } from './params.ts';

/**
 * The text of the top-level property bound as `key` of the JSON `column`, as
 * the core's `Dialect.propertyText` gives it: strings as they are, other
 * values as their JSON text (numbers in decimal, `true` / `false`), NULL when
 * absent or null. The key is a bound value, so any key works (quotes, dots,
 * NUL). One difference from SQLite: a number is its JSON text as stored
 * (`1e21`), where SQLite prints its own form of a real (`1.0e+21`).
 */
export function propertyText(column: string, key: string, bind: Bindings): string {
  const k = bind.bind(key, 'String');
  return `multiIf(JSONType(${column}, ${k}) = 'Null', NULL, JSONType(${column}, ${k}) = 'String', JSONExtractString(${column}, ${k}), JSONExtractRaw(${column}, ${k}))`;
}

/** A text's value when it is a JSON number (as the core's SQLite `numberOf` reads it: `"50"` counts as 50), else NULL. */
function numberOf(text: string): string {
  return `if(isValidJSON(${text}) AND JSONType(${text}) IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(${text}), NULL)`;
}

/** One condition of a `where`, with the core's semantics (shared/query/property-filter.ts), as ClickHouse SQL. */
function conditionSql(condition: PropertyCondition, column: string, bind: Bindings): string {
  const text = propertyText(column, condition.key, bind);
  const numeric = typeof condition.value === 'number';
  const value = numeric ? bind.bind(condition.value, 'Float64') : bind.bind(String(condition.value), 'String');
  const equals = numeric ? `${numberOf(text)} = ${value}` : `${text} = ${value}`;
  switch (condition.op) {
    case '=':
      return equals;
    case '!=':
      return `NOT coalesce(${equals}, 0)`;
    case 'contains':
      // lower() is ASCII-only, as SQLite's is.
      return `position(lower(${text}), lower(${value})) > 0`;
    case '>':
    case '<':
      return `${numberOf(text)} ${condition.op} ${value}`;
  }
}

/** A condition, never NULL, that the JSON properties `column` meet every condition; `1` for none. */
export function propertyFilterSql(conditions: readonly PropertyCondition[], column: string, bind: Bindings): string {
  if (conditions.length === 0) return '1';
  return `coalesce(${conditions.map((c) => `(${conditionSql(c, column, bind)})`).join(' AND ')}, 0)`;
}

/** The conditions of a query: the caller's locked ones, then the spec's `where`, all of which must hold (as the core's `whereContext`). */
export function queryConditions(spec: SpecObject, lockedWhere: PropertyFilter | null | undefined): PropertyCondition[] {
  return [...readPropertyFilter(lockedWhere, 'lockedWhere'), ...readPropertyFilter(spec.where, 'where')];
}
