import { html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FrictionResult, RageClickRule, RepeatedErrorRule, ThrashingRule } from '../../shared/index.ts';
import { type DataTable } from '../base/fp-element.ts';
import { SessionWidget } from '../base/session-widget.ts';
import { rankedList, type RankedRow } from '../fp-errors/ranked-list.ts';
import { rankedListStyles } from '../fp-errors/ranked-list.styles.ts';
import { frictionStyles } from './fp-friction.styles.ts';

/** The three friction signals, as `fp-friction-click` names them. */
export type FrictionSignalName = 'rageClick' | 'repeatedError' | 'thrashing';

/** Detail of `fp-friction-click`: the chosen row's signal and key (a target, a message or an event name). */
export interface FrictionClick {
  signal: FrictionSignalName;
  key: string;
  count: number;
  /** Null when suppressed. */
  users: number | null;
}

/** How each signal is shown and spoken; `noun` is what its count counts. */
const SIGNALS: Record<FrictionSignalName, { title: string; headings: readonly [string, string, string]; noun: string; none: string }> = {
  rageClick: { title: 'Rage clicks', headings: ['Target', 'Bursts', 'Users'], noun: 'burst', none: 'No rage clicks in this range' },
  repeatedError: { title: 'Repeated errors', headings: ['Message', 'Sessions', 'Users'], noun: 'session', none: 'No repeated errors in this range' },
  thrashing: { title: 'Thrashing', headings: ['Event', 'Bursts', 'Users'], noun: 'burst', none: 'No thrashing in this range' },
};

const plural = (n: number, word: string): string => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
const sum = (rows: readonly RankedRow[]): number => rows.reduce((total, row) => total + row.count, 0);

/** The result as three lists of rows, keyed by signal. */
function lists(result: FrictionResult): Record<FrictionSignalName, RankedRow[]> {
  return {
    rageClick: result.rageClicks.map(({ target, count, users }) => ({ name: target, count, users })),
    repeatedError: result.repeatedErrors.map(({ message, count, users }) => ({ name: message, count, users })),
    thrashing: result.thrashing.map(({ event, count, users }) => ({ name: event, count, users })),
  };
}

/**
 * Friction: where users struggle, as three ranked lists: rage clicks by
 * target, errors repeated within a session by message, and thrashing (one
 * event repeated in a burst) by event name, each with its count and users.
 * The thresholds are properties; each defaults as METRICS.md section 12 says.
 *
 * @summary Rage clicks, repeated errors and thrashing.
 *
 * @event fp-friction-click - a row was chosen (click, Enter or Space); detail `FrictionClick` `{ signal, key, count, users }`.
 *
 * @csspart signal - the box of one signal's list.
 * @csspart list - one signal's ranked list.
 * @csspart row - one row (a button).
 *
 * @example
 * <fp-friction label="Friction" periods="4"></fp-friction>
 * <script>document.querySelector('fp-friction').rageClicks = { clicks: 4, seconds: 2 };</script>
 */
@customElement('fp-friction')
export class FpFriction extends SessionWidget<'friction'> {
  static override styles = [...SessionWidget.styles, rankedListStyles, frictionStyles];

  protected readonly kind = 'friction';

  /** Rage-click thresholds: `{ clicks?: 3, seconds?: 1, pixels?: 30 }`. */
  @property({ attribute: false }) rageClicks?: RageClickRule;
  /** Repeated-error threshold: `{ count?: 3 }` occurrences of one message in a session. */
  @property({ attribute: false }) repeatedErrors?: RepeatedErrorRule;
  /** Thrashing thresholds: `{ count?: 5, seconds?: 60 }`. */
  @property({ attribute: false }) thrashing?: ThrashingRule;

  protected specFields() {
    return {
      rageClicks: this.rageClicks,
      repeatedErrors: this.repeatedErrors,
      thrashing: this.thrashing,
      ...this.sessionFields(),
    };
  }

  protected isEmpty(result: FrictionResult): boolean {
    return !result.rageClicks.length && !result.repeatedErrors.length && !result.thrashing.length;
  }

  // No signal at all is good news about the range, not missing data.
  protected override emptyText(): string {
    return 'No rage clicks, repeated errors or thrashing in this range.';
  }

  protected summary(result: FrictionResult): string {
    const { rageClick, repeatedError, thrashing } = lists(result);
    // "N things on K keys, most on X", or "on X" when there is one key.
    const phrase = (rows: RankedRow[], counted: string, keys: string, most: string): string =>
      rows.length === 1 ? `${counted} ${rows[0]!.name}` : `${counted} ${plural(rows.length, keys)}, ${most} ${rows[0]!.name}`;
    const sentence = [
      rageClick.length ? phrase(rageClick, `${plural(sum(rageClick), 'rage-click burst')} on`, 'target', 'most on') : 'no rage clicks',
      repeatedError.length
        ? phrase(repeatedError, `${plural(sum(repeatedError), 'session')} repeated`, 'error message', 'most often')
        : 'no repeated errors',
      thrashing.length ? phrase(thrashing, `${plural(sum(thrashing), 'thrashing burst')} of`, 'event', 'most of') : 'no thrashing',
    ].join('; ');
    return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
  }

  protected dataTable(result: FrictionResult): DataTable {
    const byList = lists(result);
    return {
      caption: this.label ?? 'Friction signals',
      columns: ['Signal', 'Target, message or event', 'Count', 'Users'],
      rows: (Object.keys(SIGNALS) as FrictionSignalName[]).flatMap((signal) =>
        byList[signal].map((row) => [SIGNALS[signal].title, row.name, row.count, row.users]),
      ),
    };
  }

  protected renderResult(result: FrictionResult): TemplateResult {
    const byList = lists(result);
    const total = (signal: FrictionSignalName): number => byList[signal].reduce((sum, row) => sum + row.count, 0);
    return html`<dl class="figures" part="figures">
      ${(Object.keys(SIGNALS) as FrictionSignalName[]).map((signal) => html`<div><dt>${SIGNALS[signal].title}</dt><dd>${total(signal).toLocaleString('en')}</dd></div>`)}
    </dl>`;
  }

  protected override renderDetails(result: FrictionResult): TemplateResult {
    const byList = lists(result);
    return html`<div class="signals">
      ${(Object.keys(SIGNALS) as FrictionSignalName[]).map((signal) => {
        const { title, headings, noun, none } = SIGNALS[signal];
        const rows = byList[signal];
        return html`<section part="signal">
          <h3>${title}</h3>
          ${rankedList({
            headings,
            rows,
            noun,
            suppressedText: this.suppressedText,
            empty: none,
            pick: (i) => {
              const { name, count, users } = rows[i]!;
              this.emit<FrictionClick>('fp-friction-click', { signal, key: name, count, users });
            },
          })}
        </section>`;
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-friction': FpFriction;
  }
  interface GlobalEventHandlersEventMap {
    'fp-friction-click': CustomEvent<FrictionClick>;
  }
}
