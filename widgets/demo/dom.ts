/** Plain DOM helpers of the demo page: elements, number formats, tables and panels. */
import type { Query } from '../../shared/index.ts';

export type Cell = string | number | null;

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** A count or value; `–` for null (suppressed or undefined). */
export const show = (value: Cell): string => (value === null ? '–' : typeof value === 'number' ? number.format(value) : value);
export const rate = (value: number | null): string => (value === null ? '–' : percent.format(value));
export const duration = (seconds: number | null): string =>
  seconds === null ? '–' : seconds < 120 ? `${number.format(seconds)} s` : seconds < 7200 ? `${number.format(seconds / 60)} min` : `${number.format(seconds / 3600)} h`;

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function table(header: string[], rows: Cell[][]): HTMLTableElement {
  const result = element('table');
  const head = result.createTHead().insertRow();
  for (const title of header) head.append(element('th', title));
  const body = result.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) tr.append(element('td', show(value)));
  }
  if (rows.length === 0) body.insertRow().append(Object.assign(element('td', 'No data in this range'), { colSpan: header.length }));
  return result;
}

/** A titled section with its content and, folded, the query behind it. */
export function panel(title: string, spec: Query | null, ...content: Node[]): HTMLElement {
  const wide = content.some((n) => n instanceof HTMLTableElement && (n.rows.length > 12 || n.rows[0]!.cells.length > 3));
  const section = element('section', undefined, wide ? 'wide' : '');
  section.append(element('h2', title), ...content);
  if (spec) {
    const details = element('details');
    details.append(element('summary', 'Query'), element('code', JSON.stringify(spec)));
    section.append(details);
  }
  return section;
}

/** A row of headline numbers. */
export function kpis(entries: [label: string, value: string][]): HTMLElement {
  const row = element('div', undefined, 'kpis');
  for (const [label, value] of entries) {
    const kpi = element('div', undefined, 'kpi');
    kpi.append(element('strong', value), element('span', label));
    row.append(kpi);
  }
  return row;
}
