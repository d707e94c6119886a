import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Interval, LifecyclePoint, LifecycleResult } from '../../shared/index.ts';
import { ChartSlot, chartColours, countAxis, periodAxis } from '../base/chart.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { barFill, incompleteFlags, incompleteNote, incompleteTitle } from '../base/incomplete-periods.ts';
import { pageLocale, periodLabel } from '../base/period-labels.ts';
import { lifecycleStyles } from './fp-lifecycle.styles.ts';

/** Where a period's users stand: active (new, returning, resurrecting) or gone (dormant). */
export type LifecycleStatus = 'new' | 'returning' | 'resurrecting' | 'dormant';

/** Detail of `fp-lifecycle-click`: the period and status of the clicked bar segment, and its user count (null when suppressed). */
export interface LifecycleClick {
  period: string;
  status: LifecycleStatus;
  users: number | null;
}

/** Dataset order: Chart.js stacks them upwards from zero in this order; dormant alone goes below. */
const STATUSES: readonly LifecycleStatus[] = ['new', 'returning', 'resurrecting', 'dormant'];
/** The statuses as stacked on screen, bottom to top, for the Up and Down keys. */
const STACK: readonly LifecycleStatus[] = ['dormant', 'new', 'returning', 'resurrecting'];
/** Series colour of each status (1-based `--fp-series-N`): the usual green / blue / orange / red of lifecycle charts. */
const SERIES: Record<LifecycleStatus, number> = { new: 3, returning: 1, resurrecting: 2, dormant: 4 };
const TITLES: Record<LifecycleStatus, string> = { new: 'New', returning: 'Returning', resurrecting: 'Resurrecting', dormant: 'Dormant' };

/** "a, b, c and d". */
function listText(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Stacked bars of where each period's active users come from (new,
 * returning, resurrecting, above zero) and who stopped (dormant, below
 * zero), METRICS.md section 7. Dormant counts are plotted negative but
 * read positive in the axis, the tooltip and the table.
 *
 * The chart's bar segments are also a visually hidden list of buttons, one
 * per period and status: Tab reaches it once, the arrow keys move through it
 * (Left / Right: period, Up / Down: status as stacked, Home / End: first and
 * last period) and highlight the segment in the chart, Enter or Space
 * activates it like a click.
 *
 * @summary Lifecycle of active users per period.
 * @attr event - only events of this name make a user active; default any event.
 * @attr interval - `hour`, `day` (default), `week` or `month`.
 *
 * @event fp-lifecycle-click - a bar segment was clicked or activated; detail `LifecycleClick` `{ period, status, users }`.
 *
 * @csspart chart - the box around the chart's canvas.
 * @csspart segments - the visually hidden list of segment buttons.
 * @csspart incomplete-note - the note under the chart when a period has not ended (its bars are hatched).
 *
 * @example
 * <fp-lifecycle label="Where users come from" interval="week" periods="12"></fp-lifecycle>
 */
@customElement('fp-lifecycle')
export class FpLifecycle extends FpElement<'lifecycle'> {
  static override styles = [...FpElement.styles, lifecycleStyles];

  protected readonly kind = 'lifecycle';

  /** Only events of this name make a user active. */
  @property() event?: string;
  /** Period length. */
  @property() interval?: Interval;

  @query('canvas') private canvas?: HTMLCanvasElement;
  @query('.chart') private chartBox?: HTMLElement;
  private readonly chart = new ChartSlot<'bar'>(this);
  /** The segment button that Tab reaches (roving tabindex); a plain field, so moving it re-renders without querying again. */
  private cursor: { period: number; status: LifecycleStatus } | undefined;

  protected specFields() {
    return { event: this.event, interval: this.interval };
  }

  protected isEmpty(result: LifecycleResult): boolean {
    return result.points.every((point) => STATUSES.every((status) => point[status] === 0));
  }

  private format(users: number | null): string {
    return users === null ? this.suppressedText : users.toLocaleString('en');
  }

  private usersText(users: number | null): string {
    return `${this.format(users)} ${users === 1 ? 'user' : 'users'}`;
  }

  protected summary(result: LifecycleResult): string {
    const unit = this.query.interval ?? 'day';
    const first = result.points[0]!;
    const last = result.points[result.points.length - 1]!;
    const count = result.points.length;
    const range = count > 1 ? `${first.period} to ${last.period}` : first.period;
    // A suppressed period holds 1..k-1 users: counting each as 1 gives a lower bound that tells nothing new.
    const totals = STATUSES.map((status) => {
      const total = result.points.reduce((sum, point) => sum + (point[status] ?? 1), 0);
      const partial = result.points.some((point) => point[status] === null);
      return `${partial ? 'at least ' : ''}${total.toLocaleString('en')} ${status}`;
    });
    const latest = STATUSES.map((status) => `${this.format(last[status])} ${status}`);
    return `Over ${count} ${unit}${count === 1 ? '' : 's'}, ${range}: ${listText(totals)} user-${unit}s; latest ${unit}, ${last.period}: ${listText(latest)}.`;
  }

  protected dataTable(result: LifecycleResult): DataTable {
    return {
      caption: this.label ?? `Lifecycle of active users per ${this.query.interval ?? 'day'}`,
      columns: ['Period', ...STATUSES.map((status) => TITLES[status])],
      rows: result.points.map((point) => [point.period, ...STATUSES.map((status) => point[status])]),
    };
  }

  protected renderResult(result: LifecycleResult): TemplateResult {
    return html`<div class="chart" part="chart"><canvas @click=${this.onCanvasClick}></canvas></div>${incompleteNote(incompleteFlags(result.points), 'Hatched bars')}`;
  }

  // The buttons sit outside the frame's role="img", whose children are presentational (axe: nested-interactive).
  // Buttons follow the role="img" picture rather than sitting inside it.
  protected override renderDetails(result: LifecycleResult): TemplateResult {
    const cursor = this.cursorIn(result);
    return html`<ul class="visually-hidden" part="segments" aria-label=${`${this.label ?? 'Lifecycle'}: bar segments; arrow keys move between periods and statuses`}
      @keydown=${this.onSegmentKey} @focusin=${this.onSegmentFocus} @focusout=${() => this.highlight(undefined)}>
      ${result.points.map(
        (point, p) => html`<li>
          ${STATUSES.map(
            (status) => html`<button tabindex=${p === cursor.period && status === cursor.status ? 0 : -1} data-period=${p} data-status=${status}
              @click=${() => this.activate(point, status)}>${point.period}, ${status}: ${this.usersText(point[status])}</button>`,
          )}
        </li>`,
      )}
    </ul>`;
  }

  /** The cursor, kept inside the result's periods; the latest period by default. */
  private cursorIn(result: LifecycleResult): { period: number; status: LifecycleStatus } {
    const last = result.points.length - 1;
    this.cursor = { period: Math.min(this.cursor?.period ?? last, last), status: this.cursor?.status ?? 'new' };
    return this.cursor;
  }

  private activate(point: LifecyclePoint, status: LifecycleStatus): void {
    this.emit<LifecycleClick>('fp-lifecycle-click', { period: point.period, status, users: point[status] });
  }

  private readonly onCanvasClick = (event: MouseEvent): void => {
    const hit = this.chart.hitAt(event);
    const point = hit && this.result?.points[hit.index];
    if (point) this.activate(point, STATUSES[hit.datasetIndex]!);
  };

  private buttonAt(period: number, status: LifecycleStatus): HTMLButtonElement | null | undefined {
    return this.renderRoot.querySelector<HTMLButtonElement>(`button[data-period="${period}"][data-status="${status}"]`);
  }

  private readonly onSegmentKey = async (event: KeyboardEvent): Promise<void> => {
    const count = this.result?.points.length ?? 0;
    if (!this.cursor || !count) return;
    let { period, status } = this.cursor;
    const level = STACK.indexOf(status);
    switch (event.key) {
      case 'ArrowLeft': period = Math.max(0, period - 1); break;
      case 'ArrowRight': period = Math.min(count - 1, period + 1); break;
      case 'ArrowUp': status = STACK[Math.min(STACK.length - 1, level + 1)]!; break;
      case 'ArrowDown': status = STACK[Math.max(0, level - 1)]!; break;
      case 'Home': period = 0; break;
      case 'End': period = count - 1; break;
      default: return;
    }
    event.preventDefault();
    this.cursor = { period, status };
    this.requestUpdate();
    await this.updateComplete;
    this.buttonAt(period, status)?.focus();
  };

  private readonly onSegmentFocus = (event: FocusEvent): void => {
    const button = event.target as HTMLElement;
    const period = Number(button.dataset.period);
    const status = button.dataset.status as LifecycleStatus;
    this.cursor = { period, status };
    this.highlight({ period, status });
  };

  /** Shows a segment as hovered, with its tooltip, so the keyboard focus is visible in the chart. */
  private highlight(segment: { period: number; status: LifecycleStatus } | undefined): void {
    this.chartBox?.classList.toggle('focused', segment !== undefined);
    const chart = this.chart.instance;
    if (!chart) return;
    const datasetIndex = segment ? STATUSES.indexOf(segment.status) : -1;
    const bar = segment && this.result?.points[segment.period]?.[segment.status] !== null ? chart.getDatasetMeta(datasetIndex).data[segment.period] : undefined;
    const active = bar ? [{ datasetIndex, index: segment!.period }] : [];
    chart.setActiveElements(active);
    chart.tooltip?.setActiveElements(active, { x: bar?.x ?? 0, y: bar?.y ?? 0 });
    chart.update();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.status === 'ready' && this.result) this.draw(this.result);
    else this.chart.destroy();
  }

  private draw(result: LifecycleResult): void {
    const colours = chartColours(this);
    const flags = incompleteFlags(result.points);
    const interval = this.query.interval ?? 'day';
    const locale = pageLocale(this);
    const users = countAxis(colours, 'Users');
    this.chart.draw(this.canvas, {
      type: 'bar',
      data: {
        labels: result.points.map((point) => periodLabel(point.period, interval, locale)),
        datasets: STATUSES.map((status) => {
          const colour = colours.series[SERIES[status] - 1]!;
          const sign = status === 'dormant' ? -1 : 1;
          return {
            label: TITLES[status],
            data: result.points.map((point) => (point[status] === null ? null : sign * point[status]!)),
            backgroundColor: barFill(flags, colour),
            borderColor: colour,
          };
        }),
      },
      options: {
        interaction: { mode: 'nearest', intersect: true },
        scales: {
          x: { ...periodAxis(colours), stacked: true },
          y: {
            ...users,
            stacked: true,
            // Dormant users are counted below zero, but they are still a number of users.
            ticks: { ...users.ticks, callback: (value) => Math.abs(Number(value)).toLocaleString('en') },
            grid: { color: (context) => (context.tick?.value === 0 ? colours.muted : colours.border) },
          },
        },
        plugins: {
          legend: { labels: { color: colours.foreground, boxWidth: 12 } },
          tooltip: {
            callbacks: {
              title: incompleteTitle(flags),
              label: (item) => `${item.dataset.label}: ${this.format(result.points[item.dataIndex]![STATUSES[item.datasetIndex]!])}`,
            },
          },
        },
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-lifecycle': FpLifecycle;
  }
  interface GlobalEventHandlersEventMap {
    'fp-lifecycle-click': CustomEvent<LifecycleClick>;
  }
}
