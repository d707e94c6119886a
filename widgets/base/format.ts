/** Number and CSV formats shared by the widgets. */
import { formatCsv } from '../../shared/ingest/csv.ts';

/** A fraction as a percentage: one decimal below 10% (so small shares do not all read "0%"), whole above. */
export function percent(fraction: number): string {
  const value = fraction * 100;
  return `${value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 1 : 0 })}%`;
}

/** A fraction as a percentage with one decimal: `12.5%`. */
export const percentOneDecimal = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

/** What makes a spreadsheet read a text cell as a formula when it comes first (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A data table as CSV for a spreadsheet: RFC 4180 quoting (`formatCsv`),
 * and a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a leading `'`, so that an event name such as
 * `=HYPERLINK(...)` reads as text instead of running as a formula (the
 * OWASP rule). Numbers are written as they are: -5 stays a number, while
 * the text "-5" becomes `'-5`. Unlike `formatCsv`, whose files are read
 * back by `ingestText`, this text is for people, not for a round trip.
 */
export function spreadsheetCsv(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return formatCsv(rows.map((row) => row.map((cell) => (typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell))));
}
