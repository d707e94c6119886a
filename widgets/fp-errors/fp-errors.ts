import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { ErrorsResult, Interval } from '../../shared/index.ts';
import { ChartSlot, axisTitle, chartColours, countAxis, periodAxis, themedScales } from '../base/chart.ts';
import { barFill, incompleteFlags, periodLine, incompleteNote, incompleteTitle } from '../base/incomplete-periods.ts';
import { pageLocale, periodLabel } from '../base/period-labels.ts';
import { type DataTable } from '../base/fp-element.ts';
import { SessionWidget } from '../base/session-widget.ts';
import { errorsStyles } from './fp-errors.styles.ts';
import { rankedList } from './ranked-list.ts';
import { rankedListStyles } from './ranked-list.styles.ts';
import { percentOneDecimal as percent } from '../base/format.ts';

/** Detail of `fp-error-click`: the error group of the chosen row (users null when suppressed). */
export interface ErrorClick {
  message: string;
  count: number;
  users: number | null;
}

/** `1 error`, `2 errors`. */
const plural = (n: number, word: string): string => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/**
 * Errors: how many `$error` events, users and sessions, the share of sessions
 * without one, a bar chart of errors per period with the errors per 1,000
 * events as a line on a second axis, and the most frequent errors (messages
 * with digits and hex ids replaced by `#`).
 *
 * A range with events but no error is not empty: it shows 0 errors and its
 * error-free rate. Only a range without any event shows the empty state.
 *
 * @summary Errors and the most frequent messages.
 * @attr interval - `hour`, `day` (default), `week` or `month`: the period of the chart.
 *
 * @event fp-error-click - a top-error row was chosen (click, Enter or Space); detail `ErrorClick` `{ message, count, users }`.
 *
 * @csspart figures - the totals above the chart.
 * @csspart chart - the chart's box.
 * @csspart list - the list of top errors.
 * @csspart row - one top-error row (a button).
 * @csspart incomplete-note - the note under the chart when a period has not ended (its bar hatched, its line dashed).
 *
 * @example
 * <fp-errors label="Errors" interval="week" periods="12"></fp-errors>
 */
@customElement('fp-errors')
export class FpErrors extends SessionWidget<'errors'> {
  static override styles = [...SessionWidget.styles, rankedListStyles, errorsStyles];

  protected readonly kind = 'errors';

  @query('canvas') private canvas?: HTMLCanvasElement;
  private readonly chart = new ChartSlot<'bar' | 'line'>(this);

  /** Period of the chart. */
  @property() interval?: Interval;

  protected specFields() {
    return {
      interval: this.interval,
      ...this.sessionFields(),
    };
  }

  protected isEmpty(result: ErrorsResult): boolean {
    return result.total === 0 && result.series.every((point) => point.perThousandEvents === null);
  }

  private users(users: number | null): string {
    return users === null ? this.suppressedText : users.toLocaleString('en');
  }

  protected summary(result: ErrorsResult): string {
    const parts = [
      result.total === 0
        ? 'No errors'
        : `${plural(result.total, 'error')} from ${result.users === null ? `${this.suppressedText} users` : plural(result.users, 'user')} in ${plural(result.sessions, 'session')}`,
    ];
    if (result.errorFreeSessionRate !== null) parts.push(`${percent(result.errorFreeSessionRate)} of sessions error-free`);
    if (result.top[0]) parts.push(`most frequent: ${result.top[0].message}`);
    return `${parts.join('; ')}.`;
  }

  protected dataTable(result: ErrorsResult): DataTable {
    // One table for the CSV: the totals, then the chart's periods, then the top errors; '' where a column does not apply.
    return {
      caption: this.label ?? `Errors per ${this.query.interval ?? 'day'} and the most frequent errors`,
      columns: ['Period or message', 'Errors', 'Users', 'Sessions', 'Errors per 1,000 events'],
      rows: [
        ['All errors', result.total, result.users, result.sessions, ''],
        ...result.series.map((p) => [p.period, p.errors, '', '', p.perThousandEvents ?? '']),
        ...result.top.map((group) => [group.message, group.count, group.users, '', '']),
      ],
    };
  }

  protected renderResult(result: ErrorsResult): TemplateResult {
    const figures: [string, string][] = [
      ['Errors', result.total.toLocaleString('en')],
      ['Users affected', this.users(result.users)],
      ['Sessions affected', result.sessions.toLocaleString('en')],
      ['Error-free sessions', result.errorFreeSessionRate === null ? '–' : percent(result.errorFreeSessionRate)],
    ];
    return html`<dl class="figures" part="figures">
        ${figures.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}
      </dl>
      <div class="chart" part="chart"><canvas></canvas></div>
      ${incompleteNote(incompleteFlags(result.series), 'Hatched bar and dashed line')}`;
  }

  protected override renderDetails(result: ErrorsResult): TemplateResult {
    return html`<section class="top" part="list">
      <h3>Top errors</h3>
      ${rankedList({
        headings: ['Message', 'Errors', 'Users'],
        rows: result.top.map(({ message, count, users }) => ({ name: message, count, users })),
        noun: 'error',
        suppressedText: this.suppressedText,
        empty: 'No errors in this range',
        pick: (i) => {
          const { message, count, users } = result.top[i]!;
          this.emit<ErrorClick>('fp-error-click', { message, count, users });
        },
      })}
    </section>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.status === 'ready' && this.result) this.draw(this.result);
    else this.chart.destroy();
  }

  private draw(result: ErrorsResult): void {
    const colours = chartColours(this);
    const [bars, line] = colours.series as [string, string];
    const flags = incompleteFlags(result.series);
    const interval = this.query.interval ?? 'day';
    const locale = pageLocale(this);
    const rate = themedScales(colours).y;
    this.chart.draw(this.canvas, {
      type: 'bar',
      data: {
        labels: result.series.map((p) => periodLabel(p.period, interval, locale)),
        datasets: [
          { type: 'bar', label: 'Errors', data: result.series.map((p) => p.errors), backgroundColor: barFill(flags, bars), yAxisID: 'y', order: 2 },
          {
            type: 'line',
            label: 'Errors per 1,000 events',
            data: result.series.map((p) => p.perThousandEvents),
            ...periodLine(flags, line, colours.background),
            yAxisID: 'perThousand',
            order: 1,
          },
        ],
      },
      options: {
        scales: {
          x: periodAxis(colours),
          y: countAxis(colours, 'Errors'),
          // The rate has its own scale on the right, with decimals; its grid would clash with the counts'.
          perThousand: { ...rate, position: 'right', grid: { drawOnChartArea: false }, title: axisTitle('Per 1,000 events', colours) },
        },
        plugins: {
          // Datasets' `order` draws the line over the bars; the legend keeps the datasets' own order.
          legend: { labels: { color: colours.foreground, boxWidth: 12, sort: (a, b) => a.datasetIndex! - b.datasetIndex! } },
          tooltip: {
            callbacks: {
              title: incompleteTitle(flags),
              label: (item) =>
                item.datasetIndex === 0
                  ? `Errors: ${(item.raw as number).toLocaleString('en')}`
                  : `Per 1,000 events: ${item.raw === null ? 'no events' : (item.raw as number).toFixed(1)}`,
            },
          },
        },
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-errors': FpErrors;
  }
  interface GlobalEventHandlersEventMap {
    'fp-error-click': CustomEvent<ErrorClick>;
  }
}
