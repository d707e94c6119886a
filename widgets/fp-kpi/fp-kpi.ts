import { html, nothing, svg, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Interval, TrendMath, TrendPoint, TrendResult } from '../../shared/index.ts';
import { MATH_NAMES } from '../fp-trend/fp-trend.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { kpiStyles } from './fp-kpi.styles.ts';
import { percentOneDecimal } from '../base/format.ts';

/** How the value reads: a count, or a fraction shown as a percentage. */
export type KpiFormat = 'number' | 'percent';

/** The latest period against the one before it. */
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

/** The polylines of a sparkline: one per run of known values, so a suppressed period is a gap, not a dip to 0. */
function sparklineRuns(values: (number | null)[]): string[] {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return [];
  const min = Math.min(...known);
  const span = Math.max(...known) - min;
  const x = (i: number): number => (values.length > 1 ? (i / (values.length - 1)) * SPARK_WIDTH : SPARK_WIDTH / 2);
  // A flat series sits in the middle; 1 unit of margin keeps the stroke inside the box.
  const y = (v: number): number => (span === 0 ? SPARK_HEIGHT / 2 : SPARK_HEIGHT - 1 - ((v - min) / span) * (SPARK_HEIGHT - 2));
  const runs: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) runs.push([]);
    else runs[runs.length - 1]!.push(`${x(i).toFixed(2)},${y(v).toFixed(2)}`);
  });
  return runs.filter((run) => run.length > 0).map((run) => (run.length === 1 ? `${run[0]} ${run[0]}` : run.join(' ')));
}

/**
 * A KPI card: the latest period's value of a trend, its change against the
 * previous period and a sparkline of the whole range. The sparkline is an
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
 * @csspart value - the latest value.
 * @csspart change - the change against the previous period.
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

  private formatValue(value: number | null): string {
    if (value === null) return this.suppressedText;
    return this.resolvedFormat === 'percent' ? percentOneDecimal(value) : value.toLocaleString('en');
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

  private lastTwo(result: TrendResult): [TrendPoint | undefined, TrendPoint | undefined] {
    const points = result.series[0]?.points ?? [];
    return [points[points.length - 1], points[points.length - 2]];
  }

  protected summary(result: TrendResult): string {
    const [latest, previous] = this.lastTwo(result);
    if (!latest) return `${this.name}: no periods.`;
    const now = `${this.name}: ${this.formatValue(latest.value)} ${this.when(latest.period)}`;
    if (!previous) return `${now}.`;
    const before = `${this.formatValue(previous.value)} ${this.when(previous.period)}`;
    const { words } = this.change(latest.value, previous.value);
    return words ? `${now}, ${words} from ${before}.` : `${now}, against ${before}.`;
  }

  protected dataTable(result: TrendResult): DataTable {
    const points = result.series[0]?.points ?? [];
    return { caption: this.name, columns: ['Period', MATH_NAMES[this.query.math ?? 'users']], rows: points.map((p) => [p.period, p.value]) };
  }

  protected renderResult(result: TrendResult): TemplateResult {
    const [latest, previous] = this.lastTwo(result);
    const change = this.change(latest?.value ?? null, previous?.value ?? null);
    const arrow = { up: '▲', down: '▼', neutral: '' }[change.direction];
    const values = (result.series[0]?.points ?? []).map((p) => p.value);
    return html`<div class="kpi">
      <div>
        <div class="value" part="value">${this.formatValue(latest?.value ?? null)}</div>
        <div class="meta">
          ${previous
            ? html`<span class="change ${change.direction}" part="change" title="Previous: ${this.formatValue(previous.value)} ${this.when(previous.period)}"
                >${arrow ? html`<span aria-hidden="true">${arrow}</span> ` : nothing}${change.text}</span
              >`
            : nothing}
          <span>${latest ? this.when(latest.period) : nothing}</span>
        </div>
      </div>
      <svg part="sparkline" viewBox="0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}" preserveAspectRatio="none" aria-hidden="true">
        ${sparklineRuns(values).map((points) => svg`<polyline points=${points}></polyline>`)}
      </svg>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-kpi': FpKpi;
  }
}
