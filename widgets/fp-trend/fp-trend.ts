import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Interval, TrendMath, TrendPoint, TrendResult } from '../../shared/index.ts';
import { NONE_LABEL } from '../../shared/metrics/trend.ts';
import { ChartSlot, axisTitle, chartColours, countAxis, periodAxis, themedScales } from '../base/chart.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { percent, percentOneDecimal } from '../base/format.ts';
import { incompleteFlags, periodLine, incompleteNote, incompleteTitle } from '../base/incomplete-periods.ts';
import { pageLocale, periodLabel } from '../base/period-labels.ts';

/** How a DAU / MAU of 0 / 0 reads: there is no ratio, and nothing was hidden. */
export const NO_RATIO = '–';

/**
 * Whether a point is a DAU / MAU of 0 / 0 (no monthly users, METRICS.md section 4): null, with nothing suppressed
 * in it. It reads `NO_RATIO`, and `< k` stays the mark of a hidden small group (a point marked `suppressed`).
 */
export function isZeroOverZero(math: TrendMath | undefined, point: Pick<TrendPoint, 'value' | 'suppressed'>): boolean {
  return point.value === null && math === 'stickiness_ratio' && !point.suppressed;
}

/** Detail of `fp-point-click`: the series and period of the clicked point. */
export interface TrendPointClick {
  label: string;
  period: string;
  value: number | null;
}

/** What each trend math counts, in words. */
export const MATH_NAMES: Record<TrendMath, string> = {
  events: 'Events',
  users: 'Users',
  wau: 'Weekly active users',
  mau: 'Monthly active users',
  stickiness_ratio: 'DAU / MAU',
};

/** The value axis' title: what one unit of each math is. */
const AXIS_TITLES: Record<TrendMath, string> = {
  events: 'Events',
  users: 'Users',
  wau: 'Users',
  mau: 'Users',
  stickiness_ratio: 'DAU / MAU',
};

/**
 * A line chart of a trend: events, users, WAU, MAU or DAU/MAU per period,
 * optionally one line per value of a property.
 *
 * @summary Trend over time.
 * @attr event - only events of this name; default any event.
 * @attr math - `events` (default), `users`, `wau`, `mau` or `stickiness_ratio`.
 * @attr interval - `hour`, `day` (default), `week` or `month`.
 * @attr breakdown - a property: one line per value (top 10, the rest as `other`).
 * @attr known-only - with `breakdown`, leave out the `(none)` line of events without the property (e.g. only events that name a command).
 *
 * @event fp-point-click - a point was clicked; detail `TrendPointClick` `{ label, period, value }`.
 *
 * @csspart incomplete-note - the note under the chart when a period has not ended (its line is dashed).
 *
 * @example
 * <fp-trend label="Daily active users" math="users" interval="day" periods="30"></fp-trend>
 */
@customElement('fp-trend')
export class FpTrend extends FpElement<'trend'> {
  protected readonly kind = 'trend';

  /** Only events of this name. */
  @property() event?: string;
  /** What is counted per period. */
  @property() math?: TrendMath;
  /** Period length. */
  @property() interval?: Interval;
  /** A property to split the series by. */
  @property() breakdown?: string;
  /** With a breakdown, leave out the `(none)` series of events without the property. */
  @property({ type: Boolean, attribute: 'known-only' }) knownOnly = false;

  // Only changes which series are shown: no new query.
  static override displayProperties = ['knownOnly'];

  @query('canvas') private canvas?: HTMLCanvasElement;
  private readonly chart = new ChartSlot<'line'>(this);

  protected specFields() {
    return { event: this.event, math: this.math, interval: this.interval, breakdown: this.breakdown };
  }

  /** The series shown: all, or without `(none)` when `known-only`. */
  private shown(result: TrendResult): TrendResult {
    return this.knownOnly ? { ...result, series: result.series.filter((series) => series.label !== NONE_LABEL) } : result;
  }

  protected isEmpty(result: TrendResult): boolean {
    result = this.shown(result);
    // Only zeros are empty: a suppressed (null) count is data a person may not see, not an absence of data.
    return result.series.every((series) => series.points.every((point) => point.value === 0));
  }

  private get isRatio(): boolean {
    return (this.query.math ?? 'events') === 'stickiness_ratio';
  }

  /** A point's value as text: `< k` when suppressed, `–` for a DAU / MAU of 0 / 0. */
  private format(point: Pick<TrendPoint, 'value' | 'suppressed'>): string {
    if (point.value === null) return isZeroOverZero(this.query.math, point) ? NO_RATIO : this.suppressedText;
    return this.isRatio ? percentOneDecimal(point.value) : point.value.toLocaleString('en');
  }

  protected summary(result: TrendResult): string {
    result = this.shown(result);
    const name = MATH_NAMES[this.query.math ?? 'events'];
    const points = result.series[0]?.points ?? [];
    const range = points.length ? `${points[0]!.period} to ${points[points.length - 1]!.period}` : '';
    return result.series
      .map((series) => {
        const known = series.points.filter((p) => p.value !== null);
        const peak = known.reduce<(typeof known)[number] | undefined>((best, p) => (!best || p.value! > best.value! ? p : best), undefined);
        const last = series.points[series.points.length - 1];
        const label = series.label === 'all' ? name : `${name}, ${series.label}`;
        return `${label} per ${this.query.interval ?? 'day'}, ${range}: latest ${last ? this.format(last) : ''}${peak ? `, highest ${this.format(peak)} on ${peak.period}` : ''}.`;
      })
      .join(' ');
  }

  protected dataTable(result: TrendResult): DataTable {
    result = this.shown(result);
    const periods = result.series[0]?.points.map((p) => p.period) ?? [];
    return {
      caption: this.label ?? `${MATH_NAMES[this.query.math ?? 'events']} per ${this.query.interval ?? 'day'}`,
      columns: ['Period', ...result.series.map((s) => s.label)],
      rows: periods.map((period, i) => [period, ...result.series.map((s) => this.cell(s.points[i]!))]),
    };
  }

  /** A table cell: null stays null (suppressed, `< k`) unless it is a DAU / MAU of 0 / 0. */
  private cell(point: TrendPoint): number | string | null {
    return isZeroOverZero(this.query.math, point) ? NO_RATIO : point.value;
  }

  protected renderResult(result: TrendResult): TemplateResult {
    const flags = incompleteFlags(this.shown(result).series[0]?.points ?? []);
    return html`<div class="chart"><canvas @click=${this.onCanvasClick}></canvas></div>${incompleteNote(flags, 'Dashed line')}`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.status === 'ready' && this.result) this.draw(this.result);
    else this.chart.destroy();
  }

  private draw(result: TrendResult): void {
    result = this.shown(result);
    const colours = chartColours(this);
    const interval = this.query.interval ?? 'day';
    const locale = pageLocale(this);
    const points = result.series[0]?.points ?? [];
    const flags = incompleteFlags(points);
    const math = this.query.math ?? 'events';
    const valueAxis = this.isRatio
      ? { ...themedScales(colours).y, ticks: { color: colours.muted, callback: (value: number | string) => percent(Number(value)) }, title: axisTitle(AXIS_TITLES[math], colours) }
      : countAxis(colours, AXIS_TITLES[math]);
    this.chart.draw(this.canvas, {
      type: 'line',
      data: {
        labels: points.map((p) => periodLabel(p.period, interval, locale)),
        datasets: result.series.map((series, i) => {
          const colour = colours.series[i % colours.series.length]!;
          return {
            label: series.label,
            data: series.points.map((p) => p.value),
            ...periodLine(flags, colour, colours.background),
            pointHoverRadius: 4,
            pointHitRadius: 6,
          };
        }),
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { x: periodAxis(colours), y: valueAxis },
        plugins: {
          legend: { display: result.series.length > 1, labels: { color: colours.foreground, boxHeight: 2 } },
          tooltip: { callbacks: { title: incompleteTitle(flags), label: (item) => `${item.dataset.label}: ${this.format(result.series[item.datasetIndex]!.points[item.dataIndex]!)}` } },
        },
      },
    });
  }

  private readonly onCanvasClick = (event: MouseEvent): void => {
    const hit = this.chart.hitAt(event);
    const series = hit && this.result && this.shown(this.result).series[hit.datasetIndex];
    const point = series?.points[hit!.index];
    if (series && point) this.emit<TrendPointClick>('fp-point-click', { label: series.label, period: point.period, value: point.value });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-trend': FpTrend;
  }
  interface GlobalEventHandlersEventMap {
    'fp-point-click': CustomEvent<TrendPointClick>;
  }
}
