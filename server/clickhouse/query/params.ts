import type { ClickHouseParams } from './executor.ts';

/**
 * Collects a statement's bound values and writes their placeholders: each
 * value gets a fresh name, so fragments built by separate helpers never
 * collide, and nothing but a name and a type is spliced into the SQL.
 */
export class Bindings {
  readonly values: ClickHouseParams = {};
  private next = 0;

  /** The placeholder `{pN:type}` of `value`, bound now. */
  bind(value: unknown, type: string): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }
}

/** A database name as a quoted identifier (backquotes doubled), the one place a name, not a value, enters the SQL. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.length > 200 || name.includes('\u0000')) throw new Error(`database: not a usable ClickHouse database name: ${JSON.stringify(name)}`);
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}
