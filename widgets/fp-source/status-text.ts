/** The words of `fp-source`'s status line. */
import type { IngestReport } from '../../shared/index.ts';

/** `1.2 MB`: decimal units, one decimal from a kilobyte on. */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function countText(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** Where a rejected row was, and why: `line 12: has 3 fields, the header has 4` (or `event 3: …` in a JSON array). */
export function rowProblem(row: IngestReport['rejected'][number]): string {
  const reason = row.reason.replace(/^line \d+: /, '');
  return `${row.line !== undefined ? `line ${row.line}` : `event ${row.index + 1}`}: ${reason}`;
}
