import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Interval, StickinessResult } from '../../shared/index.ts';
import { ChartSlot, chartColours, countAxis, periodAxis } from '../base/chart.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { stickinessStyles } from './fp-stickiness.styles.ts';

/** Detail of `fp-bucket-click`: the bucket's number of periods and its users (null when suppressed). */
export interface StickinessBucketClick {
  n: number;
  users: number | null;
}

type Bucket = StickinessResult['buckets'][number];

const UNITS: Record<Interval, [one: string, many: string]> = {
  hour: ['hour', 'hours'],
  day: ['day', 'days'],
  week: ['week', 'weeks'],
  month: ['month', 'months'],
};

/**
 * A bar chart of stickiness: how many users were active in exactly n
 * periods of the range (or, `cumulative`, in at least n), for n = 1..N.
 * Each bar is also a visually hidden button, so a keyboard can reach it.
 *
 * @summary How many periods users come back in.
 * @attr event - only events of this name; default any event.
 * @attr interval - `hour`, `day` (default), `week` or `month`.
 * @attr cumulative - count users active in at least n periods instead of exactly n.
 *
 * @event fp-bucket-click - a bar was clicked or its button pressed; detail `StickinessBucketClick` `{ n, users }`.
 *
 * @csspart chart - the box around the canvas.
 * @csspart buckets - the visually hidden list of bar buttons.
 *
 * @example
 * <fp-stickiness label="Days active" interval="day" periods="30"></fp-stickiness>
 */
@customElement('fp-stickiness')
export class FpStickiness extends FpElement<'stickiness'> {
  static override styles = [...FpElement.styles, stickinessStyles];
  protected readonly kind = 'stickiness';

  /** Only events of this name. */
  @property() event?: string;
  /** Period length. */
  @property() interval?: Interval;
  /** Count users active in at least n periods. */
  @property({ type: Boolean }) cumulative?: boolean;

  @query('canvas') private canvas?: HTMLCanvasElement;
  @query('.chart') private chartBox?: HTMLElement;
  private readonly chart = new ChartSlot<'bar'>(this);

  protected specFields() {
    return { event: this.event, interval: this.interval, cumulative: this.cumulative };
  }

  protected isEmpty(result: StickinessResult): boolean {
    // Null is a suppressed count: there were users, too few to show.
    return result.buckets.every((bucket) => bucket.users === 0);
  }

  private get isCumulative(): boolean {
    return this.query.cumulative ?? false;
  }

  /** "1 day", "3 days"; cumulative "3+ days". */
  private bucketLabel(n: number): string {
    const [one, many] = UNITS[this.query.interval ?? 'day'];
    return this.isCumulative ? `${n}+ ${many}` : `${n} ${n === 1 ? one : many}`;
  }

  private usersText(users: number | null): string {
    return users === null ? `${this.suppressedText} users` : `${users.toLocaleString('en')} ${users === 1 ? 'user' : 'users'}`;
  }

  protected summary(result: StickinessResult): string {
    const buckets = result.buckets;
    const last = buckets[buckets.length - 1];
    if (!last) return 'No periods.';
    const many = UNITS[this.query.interval ?? 'day'][1];
    const onAll = `${this.usersText(last.users)} on all ${last.n} ${many}`;
    if (this.isCumulative) return `Users active on at least n of ${last.n} ${many}: ${this.usersText(buckets[0]!.users)} on ${this.bucketLabel(1)}; ${onAll}.`;
    const known = buckets.filter((b) => b.users !== null);
    const peak = known.reduce<Bucket | undefined>((best, b) => (!best || b.users! > best.users! ? b : best), undefined);
    // A suppressed bucket makes the total unknown.
    const total = known.length === buckets.length ? `${this.usersText(known.reduce((sum, b) => sum + b.users!, 0))} in all; ` : '';
    const most = peak ? `most on ${this.bucketLabel(peak.n)} (${this.usersText(peak.users)}); ` : '';
    return `Users by number of ${many} active, of ${last.n}: ${total}${most}${onAll}.`;
  }

  protected dataTable(result: StickinessResult): DataTable {
    const unit = UNITS[this.query.interval ?? 'day'][1];
    return {
      caption: this.label ?? (this.isCumulative ? `Users active on at least n ${unit}` : `Users by number of ${unit} active`),
      columns: [this.isCumulative ? `At least (${unit})` : `Active ${unit}`, 'Users'],
      rows: result.buckets.map((bucket) => [this.bucketLabel(bucket.n), bucket.users]),
    };
  }

  protected renderResult(): TemplateResult {
    return html`<div class="chart" part="chart"><canvas @click=${this.onCanvasClick}></canvas></div>`;
  }

  // The buttons sit outside the role="img" picture, whose children assistive technologies do not expose.
  protected override renderDetails(result: StickinessResult): TemplateResult {
    return html`<ul class="visually-hidden" part="buckets" aria-label=${this.label ? `${this.label}: bars` : 'Stickiness bars'}>
      ${result.buckets.map(
        (bucket, i) =>
          html`<li>
            <button @click=${() => this.select(bucket)} @focus=${() => this.highlight(i)} @blur=${() => this.highlight(undefined)}>
              ${this.bucketLabel(bucket.n)}: ${this.usersText(bucket.users)}
            </button>
          </li>`,
      )}
    </ul>`;
  }

  private select(bucket: Bucket): void {
    this.emit<StickinessBucketClick>('fp-bucket-click', { n: bucket.n, users: bucket.users });
  }

  /** Shows which bar a focused (invisible) button stands for: a ring round the chart and the bar's tooltip. */
  private highlight(index: number | undefined): void {
    this.chartBox?.classList.toggle('focused', index !== undefined);
    const chart = this.chart.instance;
    if (!chart) return;
    const known = index !== undefined && this.result?.buckets[index]?.users != null;
    const active = known ? [{ datasetIndex: 0, index: index! }] : [];
    chart.setActiveElements(active);
    chart.tooltip?.setActiveElements(active, { x: 0, y: 0 });
    chart.update();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.status === 'ready' && this.result) this.draw(this.result);
    else this.chart.destroy();
  }

  /** The x axis' title: what n counts. */
  private axisTitle(): string {
    const many = UNITS[this.query.interval ?? 'day'][1];
    return this.isCumulative ? `Active on at least n ${many}` : `${many[0]!.toUpperCase()}${many.slice(1)} active`;
  }

  /**
   * Bars labelled by n alone under an axis title that names the unit, so 90 days read as a few numbers that fit
   * level, not 90 crowded "n days"; the tooltip names the bucket whole.
   */
  private draw(result: StickinessResult): void {
    const colours = chartColours(this);
    const buckets = result.buckets;
    this.chart.draw(this.canvas, {
      type: 'bar',
      data: {
        labels: buckets.map((bucket) => String(bucket.n)),
        datasets: [
          {
            label: 'Users',
            data: buckets.map((bucket) => bucket.users),
            backgroundColor: colours.series[0],
            // Thin bars need no rounding, and a gap between them keeps 90 of them apart.
            borderRadius: buckets.length > 30 ? 0 : 2,
            categoryPercentage: buckets.length > 30 ? 0.9 : 0.8,
            barPercentage: buckets.length > 30 ? 0.8 : 0.9,
          },
        ],
      },
      options: {
        scales: { x: periodAxis(colours, this.axisTitle()), y: countAxis(colours, 'Users') },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => this.bucketLabel(buckets[items[0]?.dataIndex ?? 0]?.n ?? 1), label: (item) => this.usersText(item.raw as number | null) } },
        },
      },
    });
  }

  private readonly onCanvasClick = (event: MouseEvent): void => {
    const hit = this.chart.hitAt(event);
    const bucket = hit && this.result?.buckets[hit.index];
    if (bucket) this.select(bucket);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-stickiness': FpStickiness;
  }
  interface GlobalEventHandlersEventMap {
    'fp-bucket-click': CustomEvent<StickinessBucketClick>;
  }
}
