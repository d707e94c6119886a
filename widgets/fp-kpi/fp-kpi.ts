import { html, nothing, svg, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Interval, TrendMath, TrendPoint, TrendResult } from '../../shared/index.ts';
import { MATH_NAMES, NO_RATIO, isZeroOverZero } from '../fp-trend/fp-trend.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { kpiStyles } from './fp-kpi.styles.ts';
import { percentOneDecimal } from '../base/format.ts';
import { pageLocale, periodLabel } from '../base/period-labels.ts';

/** How the value reads: a count, or a fraction shown as a percentage. */
export type KpiFormat = 'number' | 'percent';

/** The last complete period against the one before it. */
interface KpiChange {
  direction: 'up' | 'down' | 'neutral';
  /** `+12%`, `-3%`, `0%`; `–` when either value is 0 or unknown (no meaningful ratio). */
  text: string;
  /** `up 12%`, `down 3%`, `unchanged`; undefined when there is no ratio. */
  words?: string;
}

/** The sparkline's drawing box; `preserveAspectRatio="none"` stretches it to the card. */
const SPARK_WIDTH = 100;
const SPARK_HEIGHT = 30;

/** One polyline of a sparkline; `dashed` where it reaches into a period that has not ended. */
interface SparkRun {
  points: string;
  dashed: boolean;
}

/**
 * The polylines of a sparkline: one per run of known values, so a suppressed
 * period is a gap, not a dip to 0; the stretch into the first incomplete
 * period (`incompleteFrom`) and after it is a run of its own, drawn dashed
 * like the charts' lines.
 */
function sparklineRuns(values: (number | null)[], incompleteFrom = values.length): SparkRun[] {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return [];
  const min = Math.min(...known);
  const span = Math.max(...known) - min;
  const x = (i: number): number => (values.length > 1 ? (i / (values.length - 1)) * SPARK_WIDTH : SPARK_WIDTH / 2);
  // A flat series sits in the middle; 1 unit of margin keeps the stroke inside the box.
  const y = (v: number): number => (span === 0 ? SPARK_HEIGHT / 2 : SPARK_HEIGHT - 1 - ((v - min) / span) * (SPARK_HEIGHT - 2));
  const runsOf = (first: number, last: number, dashed: boolean): SparkRun[] => {
    const runs: string[][] = [[]];
    for (let i = Math.max(0, first); i <= last; i++) {
      const v = values[i]!;
      if (v === null) runs.push([]);
      else runs[runs.length - 1]!.push(`${x(i).toFixed(2)},${y(v).toFixed(2)}`);
    }
    return runs.filter((run) => run.length > 0).map((run) => ({ points: run.length === 1 ? `${run[0]} ${run[0]}` : run.join(' '), dashed }));
  };
  if (incompleteFrom >= values.length) return runsOf(0, values.length - 1, false);
  // The dashed stretch starts at the last complete point, so the line stays joined; a lone complete point is drawn by it.
  const solid = incompleteFrom > 1 ? runsOf(0, incompleteFrom - 1, false) : [];
  return [...solid, ...runsOf(incompleteFrom - 1, values.length - 1, true)];
}

/**
 * A KPI card: the last complete period's value of a trend, its change against
 * the period before it, what the period now running holds so far, and a
 * sparkline of the whole range (dashed into the running period).
 *
 * Complete periods are compared, as PostHog does by default: a day that has
 * not ended compared with a whole yesterday reads as a fall every morning
 * ("▼ -90%" at 3 a.m.). METRICS.md section 2: never compare an incomplete
 * period with a complete one as if both were whole.
 * The sparkline is an
 * inline SVG polyline rather than a Chart.js chart: it needs no axes,
 * tooltips or clicks, and SVG draws with the theme's CSS variables directly,
 * scales with the card and holds nothing to destroy.
 *
 * @summary A key figure with its change and a sparkline.
 * @attr math - `users` (default), `events`, `wau`, `mau` or `stickiness_ratio`.
 * @attr event - only events of this name; default any event.
 * @attr interval - `hour`, `day` (default), `week` or `month`.
 * @attr periods - number of periods ending with `to`; default 14 (unless `from` is set).
 * @attr format - `number` (default) or `percent` (default for `stickiness_ratio`).
 *
 * @cssproperty --fp-positive - colour of a rise (default the theme's green, darkened or lightened for contrast).
 * @cssproperty --fp-negative - colour of a fall (default `--fp-danger`).
 * @cssproperty --fp-sparkline-height - height of the sparkline (default 32px).
 * @csspart value - the last complete period's value.
 * @csspart change - the change against the period before it.
 * @csspart compared - which periods are compared (`Nov 27 vs Nov 26`).
 * @csspart so-far - the running period's value so far, when the range reaches into it.
 * @csspart sparkline - the sparkline's `svg`.
 *
 * @example
 * <fp-kpi label="Daily active users" math="users" interval="day" periods="14"></fp-kpi>
 */
@customElement('fp-kpi')
export class FpKpi extends FpElement<'trend'> {
  static override styles = [...FpElement.styles, kpiStyles];
  protected readonly kind = 'trend';

  /** What is counted per period. */
  @property() math?: TrendMath;
  /** Only events of this name. */
  @property() event?: string;
  /** Period length. */
  @property() interval?: Interval;
  // Only changes how the value reads: no new query.
  static override displayProperties = ['format'];

  /** How the value reads; default `percent` for `stickiness_ratio`, else `number`. */
  @property() format?: KpiFormat;

  protected specFields() {
    // 14 periods by default, but never together with a `from`, which the core rejects.
    const hasFrom = this.from !== undefined || this.spec?.from !== undefined;
    return { math: this.math ?? 'users', event: this.event, interval: this.interval ?? 'day', periods: this.periods ?? (hasFrom ? undefined : 14) };
  }

  protected isEmpty(result: TrendResult): boolean {
    // Null is a suppressed count: there was data, too little to show.
    return (result.series[0]?.points ?? []).every((point) => point.value === 0);
  }

  private get resolvedFormat(): KpiFormat {
    return this.format ?? (this.query.math === 'stickiness_ratio' ? 'percent' : 'number');
  }

  /** A point's value as text: `< k` when suppressed, `–` for a DAU / MAU of 0 / 0. */
  private formatValue(point: TrendPoint | undefined): string {
    if (!point || point.value === null) return point && isZeroOverZero(this.query.math, point) ? NO_RATIO : this.suppressedText;
    return this.resolvedFormat === 'percent' ? percentOneDecimal(point.value) : point.value.toLocaleString('en');
  }

  private get name(): string {
    return this.label ?? `${MATH_NAMES[this.query.math ?? 'users']} per ${this.query.interval ?? 'day'}`;
  }

  /** "on 2026-11-28", "in the week of 2026-11-23", "in 2026-11", "at 2026-11-28T09:00+00:00". */
  private when(period: string): string {
    switch (this.query.interval ?? 'day') {
      case 'hour':
        return `at ${period}`;
      case 'week':
        return `in the week of ${period}`;
      case 'month':
        return `in ${period.slice(0, 7)}`;
      default:
        return `on ${period}`;
    }
  }

  private change(latest: number | null, previous: number | null): KpiChange {
    if (!latest || !previous) return { direction: 'neutral', text: '–' };
    const ratio = (latest - previous) / previous;
    const percent = Math.round(Math.abs(ratio) * 100);
    if (ratio === 0) return { direction: 'neutral', text: '0%', words: 'unchanged' };
    const amount = percent === 0 ? '<1%' : `${percent}%`;
    return ratio > 0 ? { direction: 'up', text: `+${amount}`, words: `up ${amount}` } : { direction: 'down', text: `-${amount}`, words: `down ${amount}` };
  }

  /**
   * The periods the card reads: the last complete one, the one before it, and
   * the running (incomplete) one after them, when the range reaches into it.
   * When no period of the range has ended, the running one is shown alone.
   */
  private periodsOf(result: TrendResult): { current?: TrendPoint; previous?: TrendPoint; running?: TrendPoint } {
    const points = result.series[0]?.points ?? [];
    const last = points.length - 1;
    const complete = points.findLastIndex((point) => !point.incomplete);
    if (complete === -1) return { running: points[last] };
    return { current: points[complete], previous: points[complete - 1], running: complete < last ? points[last] : undefined };
  }

  /** A period as the card names it: `Nov 27`, `week of Nov 23`, `Sep 2026`, `Sat 09:00`. */
  private short(period: string): string {
    const interval = this.query.interval ?? 'day';
    const label = periodLabel(period, interval, pageLocale(this));
    return interval === 'week' ? `week of ${label}` : label;
  }

  protected summary(result: TrendResult): string {
    const { current, previous, running } = this.periodsOf(result);
    const soFar = running ? `${this.formatValue(running)} so far ${this.when(running.period)}, which has not ended` : '';
    if (!current) return running ? `${this.name}: ${soFar}.` : `${this.name}: no periods.`;
    const now = `${this.name}: ${this.formatValue(current)} ${this.when(current.period)}`;
    const tail = soFar ? `; ${soFar}.` : '.';
    if (!previous) return `${now}${tail}`;
    const before = `${this.formatValue(previous)} ${this.when(previous.period)}`;
    const { words } = this.change(current.value, previous.value);
    return words ? `${now}, ${words} from ${before}${tail}` : `${now}, against ${before}${tail}`;
  }

  protected dataTable(result: TrendResult): DataTable {
    const points = result.series[0]?.points ?? [];
    return {
      caption: this.name,
      columns: ['Period', MATH_NAMES[this.query.math ?? 'users']],
      rows: points.map((p) => [p.period, isZeroOverZero(this.query.math, p) ? NO_RATIO : p.value]),
    };
  }

  protected renderResult(result: TrendResult): TemplateResult {
    const { current, previous, running } = this.periodsOf(result);
    const change = this.change(current?.value ?? null, previous?.value ?? null);
    const arrow = { up: '▲', down: '▼', neutral: '' }[change.direction];
    const points = result.series[0]?.points ?? [];
    const incompleteFrom = points.findIndex((point) => point.incomplete);
    const shown = current ?? running;
    return html`<div class="kpi">
      <div>
        <div class="value" part="value">${this.formatValue(shown)}</div>
        <div class="meta">
          ${current && previous
            ? html`<span class="change ${change.direction}" part="change" title="Previous: ${this.formatValue(previous)} ${this.when(previous.period)}"
                >${arrow ? html`<span aria-hidden="true">${arrow}</span> ` : nothing}${change.text}</span
              >`
            : nothing}
          <span part="compared">${current ? (previous ? `${this.short(current.period)} vs ${this.short(previous.period)}` : this.short(current.period)) : running ? `${this.short(running.period)} so far` : nothing}</span>
        </div>
        ${current && running ? html`<div class="meta" part="so-far">${this.short(running.period)} so far: ${this.formatValue(running)}</div>` : nothing}
      </div>
      <svg part="sparkline" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" preserveAspectRatio="none" aria-hidden="true">
        ${sparklineRuns(
          points.map((p) => p.value),
          incompleteFrom === -1 ? undefined : incompleteFrom,
        ).map((run) => (run.dashed ? svg`<polyline points=${run.points} stroke-dasharray="4 3"></polyline>` : svg`<polyline points=${run.points}></polyline>`))}
      </svg>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-kpi': FpKpi;
  }
}
