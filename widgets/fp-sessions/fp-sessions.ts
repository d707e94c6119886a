import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Interval, SessionsResult } from '../../shared/index.ts';
import { ChartSlot, chartColours, countAxis, periodAxis } from '../base/chart.ts';
import { type DataTable } from '../base/fp-element.ts';
import { SessionWidget } from '../base/session-widget.ts';
import { sessionsStyles } from './fp-sessions.styles.ts';
import { percentOneDecimal as percent } from '../base/format.ts';

const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** A duration for people: "45 s", "4.2 min", "1.2 h". */
function formatDuration(seconds: number): string {
  if (seconds < 60) return `${oneDecimal.format(seconds)} s`;
  if (seconds < 3600) return `${oneDecimal.format(seconds / 60)} min`;
  return `${oneDecimal.format(seconds / 3600)} h`;
}

/** A histogram bucket's range: "< 10 s", "10–30 s", "30 s–1 min", "≥ 1 h". */
function bucketLabel({ from, to }: SessionsResult['histogram'][number]): string {
  if (to === null) return `≥ ${formatDuration(from)}`;
  if (from === 0) return `< ${formatDuration(to)}`;
  const [low, lowUnit] = formatDuration(from).split(' ');
  const [high, highUnit] = formatDuration(to).split(' ');
  return lowUnit === highUnit ? `${low}–${high} ${highUnit}` : `${low} ${lowUnit}–${high} ${highUnit}`;
}

const sessionsText = (count: number): string => `${count.toLocaleString('en')} ${count === 1 ? 'session' : 'sessions'}`;

/**
 * Sessions at a glance: how many, by how many users, how often they bounce
 * and how long they last (median and 90th percentile), with a histogram of
 * durations. Bounces (one-event sessions) count as 0 s in every duration,
 * as METRICS.md section 3 defines, and the widget says so.
 *
 * @summary Session counts and durations.
 * @attr interval - `hour`, `day` (default), `week` or `month`: the periods `periods` counts.
 *
 * @csspart figures - the row of figures (a `dl`).
 * @csspart chart - the box around the histogram's canvas.
 * @csspart note - the note that durations include bounces.
 *
 * @example
 * <fp-sessions label="Sessions" from="2026-11-01" to="2026-11-28" gap-minutes="30"></fp-sessions>
 */
@customElement('fp-sessions')
export class FpSessions extends SessionWidget<'sessions'> {
  static override styles = [...SessionWidget.styles, sessionsStyles];
  protected readonly kind = 'sessions';

  /** Period length of the range's periods. */
  @property() interval?: Interval;

  @query('canvas') private canvas?: HTMLCanvasElement;
  private readonly chart = new ChartSlot<'bar'>(this);

  protected specFields() {
    return { interval: this.interval, ...this.sessionFields() };
  }

  protected isEmpty(result: SessionsResult): boolean {
    return result.count === 0;
  }

  private usersText(users: number | null): string {
    return users === null ? this.suppressedText : users.toLocaleString('en');
  }

  /** The figures as label and text; null users (and the ratio made from them) were suppressed. */
  private figures(result: SessionsResult): [string, string][] {
    const { duration } = result;
    return [
      ['Sessions', result.count.toLocaleString('en')],
      ['Users', this.usersText(result.users)],
      ['Sessions per user', result.perUser === null ? '–' : oneDecimal.format(result.perUser)],
      ['Bounce rate', result.bounceRate === null ? '–' : percent(result.bounceRate)],
      ['Median duration', duration.median === null ? '–' : formatDuration(duration.median)],
      ['p90 duration', duration.p90 === null ? '–' : formatDuration(duration.p90)],
    ];
  }

  protected summary(result: SessionsResult): string {
    const { duration } = result;
    const perUser = result.perUser === null ? '' : ` (${oneDecimal.format(result.perUser)} per user)`;
    const parts = [`${sessionsText(result.count)} by ${this.usersText(result.users)} ${result.users === 1 ? 'user' : 'users'}${perUser}`];
    if (result.bounceRate !== null) parts.push(`bounce rate ${percent(result.bounceRate)}`);
    if (duration.median !== null && duration.p90 !== null) parts.push(`median duration ${formatDuration(duration.median)}, p90 ${formatDuration(duration.p90)}`);
    return `${parts.join('; ')}. Durations include bounces (0 s).`;
  }

  protected dataTable(result: SessionsResult): DataTable {
    // Exact numbers (seconds, percent) rather than the rounded figures, so the CSV can be computed with.
    const { duration } = result;
    return {
      caption: this.label ?? 'Sessions and their durations',
      columns: ['Measure', 'Value'],
      rows: [
        ['Sessions', result.count],
        ['Users', result.users],
        ['Sessions per user', result.perUser ?? '–'],
        ['Bounce rate (%)', result.bounceRate === null ? '–' : result.bounceRate * 100],
        ['Median duration (s)', duration.median ?? '–'],
        ['p90 duration (s)', duration.p90 ?? '–'],
        ...result.histogram.map((bucket): [string, number] => [`Sessions lasting ${bucketLabel(bucket)}`, bucket.count]),
      ],
    };
  }

  protected renderResult(result: SessionsResult): TemplateResult {
    return html`<div class="sessions">
      <dl class="figures" part="figures">
        ${this.figures(result).map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}
      </dl>
      <div class="chart" part="chart"><canvas></canvas></div>
      <p class="note" part="note">Durations include bounces (one-event sessions, 0 s).</p>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.status === 'ready' && this.result) this.draw(this.result);
    else this.chart.destroy();
  }

  private draw(result: SessionsResult): void {
    const colours = chartColours(this);
    this.chart.draw(this.canvas, {
      type: 'bar',
      data: {
        labels: result.histogram.map(bucketLabel),
        datasets: [{ label: 'Sessions', data: result.histogram.map((bucket) => bucket.count), backgroundColor: colours.series[0], borderRadius: 2 }],
      },
      options: {
        scales: { x: periodAxis(colours, 'Session duration'), y: countAxis(colours, 'Sessions') },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => sessionsText(item.raw as number) } },
        },
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-sessions': FpSessions;
  }
}
