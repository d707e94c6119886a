import { html, type TemplateResult } from 'lit';
import { styleProperties } from '../base/style-properties.ts';

/** One row of a ranked list: a name, how many times, and how many users (null when suppressed). */
export interface RankedRow {
  name: string;
  count: number;
  users: number | null;
}

export interface RankedList {
  /** Column headings: name, count, users. */
  headings: readonly [string, string, string];
  rows: readonly RankedRow[];
  /** What the count counts, singular (`error`, `burst`, `session`): read after the number by screen readers. */
  noun: string;
  /** How a suppressed users count reads (`< k`). */
  suppressedText: string;
  /** Shown instead of the rows when there are none. */
  empty: string;
  /** Called with the index of the row chosen by click, Enter or Space (rows are buttons). */
  pick: (index: number) => void;
}

const counted = (n: number | null, noun: string): string => (n === 1 ? noun : `${noun}s`);

/**
 * A ranked list (styled by `rankedListStyles`); each row's bar is its
 * count's share of the largest. The numbers carry visually hidden nouns, so a
 * row's accessible name is its visible text in words: "button#save, 3 bursts, 2 users".
 */
export function rankedList({ headings, rows, noun, suppressedText, empty, pick }: RankedList): TemplateResult {
  if (rows.length === 0) return html`<p class="ranked-empty">${empty}</p>`;
  const largest = Math.max(...rows.map((row) => row.count), 1);
  return html`<div class="ranked-head" aria-hidden="true">
      <span>${headings[0]}</span><span class="num">${headings[1]}</span><span class="num">${headings[2]}</span>
    </div>
    <ol class="ranked" part="list">
      ${rows.map(
        (row, i) =>
          html`<li>
            <button part="row" ${styleProperties({ '--share': String(row.count / largest) })} @click=${() => pick(i)}>
              <span class="name">${row.name}<span class="visually-hidden">,</span></span>
              <span class="num">${row.count.toLocaleString('en')}<span class="visually-hidden"> ${counted(row.count, noun)},</span></span>
              <span class="num">${row.users === null ? suppressedText : row.users.toLocaleString('en')}<span class="visually-hidden"> ${counted(row.users, 'user')}</span></span>
            </button>
          </li>`,
      )}
    </ol>`;
}
