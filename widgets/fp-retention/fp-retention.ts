import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Interval, RetentionBasis, RetentionCohort, RetentionCohortRow, RetentionCriterion, RetentionResult } from '../../shared/index.ts';
import { ChartSlot, STRAIGHT_LINE, axisTitle, chartColours, periodAxis, themedScales } from '../base/chart.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { incompleteNote } from '../base/incomplete-periods.ts';
import { heatScale, type CellColours } from './heat-colours.ts';
import { retentionStyles } from './fp-retention.styles.ts';
import { percentOneDecimal as percent } from '../base/format.ts';

/** Detail of `fp-cohort-click`: which cohort and period the activated cell stands for. */
export interface RetentionCohortClick {
  /** The cohort's period name (its start). */
  start: string;
  /** The period after the cohort's, 0 = the cohort's own. */
  period: number;
  /** Members counted in that cell; null when suppressed. */
  users: number | null;
  /** Members of the cohort; null when suppressed. */
  size: number | null;
}

const UNITS: Record<Interval, string> = { hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' };
const ADJECTIVES: Record<Interval, string> = { hour: 'Hourly', day: 'Daily', week: 'Weekly', month: 'Monthly' };

/** The share of a cohort a count is: 0 whatever the size for 0, null when unknown (suppressed), undefined for an empty cohort. */
function shareOf(users: number | null, size: number | null): number | null | undefined {
  if (size === 0) return undefined;
  if (users === 0) return 0;
  return users === null || size === null ? null : users / size;
}

/** A share as a percentage number with one decimal, for the table and the CSV. */
const percentNumber = (share: number): number => Math.round(share * 1000) / 10;

/**
 * The classic retention table as a heat map: one row per cohort (users who did
 * the start event in a period), one column per period after it, each cell the
 * share of the cohort that came back, shaded by that share in the theme's
 * accent colour; an "Average" row and, above the table, the average retention
 * curve. Each cell is a button: arrow keys move across the grid (Home / End,
 * Ctrl+Home / Ctrl+End), Enter or Space tells the page which users it means.
 * A cell whose period has not ended is hatched; consecutive cohorts of 0 users
 * fold into one row (the hidden table and the CSV keep each of them).
 *
 * @summary Cohort retention.
 * @attr start-event - the event that puts a user in a cohort; default any event.
 * @attr return-event - the event that counts as coming back; default any event.
 * @attr interval - `hour`, `day` (default), `week` or `month`: the cohort period.
 * @attr cohort - `recurring` (default: a cohort per period with a start event) or `first_time` (only the first one ever).
 * @attr criterion - `on` (default: came back in that period) or `on_or_after` (in it or any later one).
 * @attr basis - `calendar` (default: calendar periods) or `rolling` (windows from each user's start event).
 * @attr minimum-occurrences - return events needed in a period for it to count; default 1.
 *
 * @event fp-cohort-click - a cell was clicked or activated with Enter / Space; detail `RetentionCohortClick` `{ start, period, users, size }`.
 *
 * @csspart heat-table - the visible cohort table.
 * @csspart incomplete-note - the note under the table when a cell's period has not ended (such cells are hatched).
 * @cssproperty --fp-chart-height - height of the curve (default 200px here).
 *
 * @example
 * <fp-retention label="Weekly retention" interval="week" periods="8" start-event="signup"></fp-retention>
 */
@customElement('fp-retention')
export class FpRetention extends FpElement<'retention'> {
  static override styles = [...FpElement.styles, retentionStyles];

  protected readonly kind = 'retention';

  @query('canvas') private canvas?: HTMLCanvasElement;
  private readonly chart = new ChartSlot<'line'>(this);
  /** The cell that takes Tab focus (roving tabindex): [cohort row, period]. A plain field: moving it must not re-run the query. */
  private active: [number, number] = [0, 0];
  /** Cell colours for the theme colours named by `heatKey`. */
  private heat?: (share: number) => CellColours;
  private heatKey = '';

  /** The event that puts a user in a cohort. */
  @property({ attribute: 'start-event' }) startEvent?: string;
  /** The event that counts as coming back. */
  @property({ attribute: 'return-event' }) returnEvent?: string;
  /** Cohort period; the core's default is `day`. */
  @property() interval?: Interval;
  /** `recurring` or `first_time`. */
  @property() cohort?: RetentionCohort;
  /** `on` or `on_or_after`. */
  @property() criterion?: RetentionCriterion;
  /** `calendar` or `rolling`. */
  @property() basis?: RetentionBasis;
  /** Return events needed in a period. */
  @property({ attribute: 'minimum-occurrences', type: Number }) minimumOccurrences?: number;

  protected specFields() {
    return {
      startEvent: this.startEvent,
      returnEvent: this.returnEvent,
      interval: this.interval,
      cohort: this.cohort,
      criterion: this.criterion,
      basis: this.basis,
      minimumOccurrences: this.minimumOccurrences,
    };
  }

  private get effectiveInterval(): Interval {
    return this.query.interval ?? 'day';
  }

  /** "week 3", "1 week", "6 weeks". */
  private periodName(k: number, counted = false): string {
    const unit = UNITS[this.effectiveInterval].toLowerCase();
    return counted ? `${k} ${unit}${k === 1 ? '' : 's'}` : `${unit} ${k}`;
  }

  protected isEmpty(result: RetentionResult): boolean {
    return result.cohorts.every((row) => row.size === 0);
  }

  protected summary(result: RetentionResult): string {
    const count = result.cohorts.length;
    const head = `${ADJECTIVES[this.effectiveInterval]} retention of ${count} cohort${count === 1 ? '' : 's'}`;
    const known = result.average.flatMap((share, k) => (k > 0 && share !== null ? [{ k, share }] : []));
    if (known.length === 0) {
      return `${head}: no average return rate yet${result.suppressed ? ' (small groups are hidden)' : ', as no later period has ended'}.`;
    }
    const first = known[0]!;
    const last = known[known.length - 1]!;
    const tail = last === first ? '' : `, ${percent(last.share)} after ${this.periodName(last.k, true)}`;
    return `${head}: on average ${percent(first.share)} came back after ${this.periodName(first.k, true)}${tail}.`;
  }

  protected dataTable(result: RetentionResult): DataTable {
    const unit = UNITS[this.effectiveInterval];
    const periods = result.cohorts.map((_, k) => k);
    // A share as a table cell: a percentage, null (suppressed), or a dash for an empty cohort.
    const shareCell = (share: number | null | undefined): string | number | null => (share === undefined ? '–' : share === null ? null : percentNumber(share));
    return {
      caption: this.label ?? `${ADJECTIVES[this.effectiveInterval]} retention by cohort`,
      columns: ['Cohort', 'Size', ...periods.flatMap((k) => [`${unit} ${k}`, `${unit} ${k} %`])],
      rows: [
        // Averages not known yet are left blank, like the cells not reached yet.
        ['Average', '', ...result.average.flatMap((share) => ['', share === null ? '' : percentNumber(share)])],
        ...result.cohorts.map((row) => [
          row.start,
          row.size,
          ...periods.flatMap((k) => (k < row.values.length ? [row.values[k]!, shareCell(shareOf(row.values[k]!, row.size))] : ['', ''])),
        ]),
      ],
    };
  }

  /**
   * Shades the cells (`data-share`) in the theme's colours as resolved now. Done after rendering, as the chart is
   * drawn: Lit renders before it reflects `theme` to the attribute the styles key on.
   */
  private paintHeat(): void {
    const style = getComputedStyle(this);
    const colours = ['--_accent', '--_bg', '--_fg'].map((name) => style.getPropertyValue(name).trim()) as [string, string, string];
    const key = colours.join('|');
    if (!this.heat || key !== this.heatKey) [this.heat, this.heatKey] = [heatScale(...colours), key];
    for (const cell of this.renderRoot.querySelectorAll<HTMLElement>('[data-share]')) {
      const { background, color } = this.heat(Number(cell.dataset['share']));
      // Only the colour: a cell whose period has not ended keeps its hatching, a background image.
      cell.style.backgroundColor = background;
      cell.style.color = color;
    }
  }

  private renderCell(row: RetentionCohortRow, i: number, k: number): TemplateResult {
    const users = row.values[k]!;
    const share = shareOf(users, row.size);
    // METRICS.md section 2: a cell whose period has not ended may still grow; it is hatched and says so.
    const notEnded = row.incompleteFrom !== undefined && k >= row.incompleteFrom;
    const where = `${this.periodName(k)}, cohort ${row.start}${notEnded ? ', period not ended' : ''}`;
    const [text, label] =
      share === undefined
        ? ['–', `no users in this cohort, ${where}`]
        : share === null
          ? [this.suppressedText, `too few users to show, ${where}`]
          : [percent(share), `${users} of ${row.size ?? this.suppressedText} users, ${where}`];
    const [activeRow, activeK] = this.active;
    return html`<td>
      <button
        class="value ${typeof share === 'number' ? '' : 'plain'} ${notEnded ? 'not-ended' : ''}"
        data-share=${typeof share === 'number' ? share : nothing}
        tabindex=${i === activeRow && k === activeK ? 0 : -1}
        data-row=${i}
        data-period=${k}
        aria-label=${`${text}: ${label}`}
        title=${`${text}: ${label}`}
      >
        ${text}
      </button>
    </td>`;
  }

  /** The average curve: what the summary (the `role="img"` label) describes. */
  protected renderResult(): TemplateResult {
    return html`<div class="chart"><canvas></canvas></div>`;
  }

  // The grid's cells are buttons: they follow the role="img" picture instead of sitting inside it.
  protected override renderDetails(result: RetentionResult): TemplateResult {
    const unit = UNITS[this.effectiveInterval];
    const periods = result.cohorts.map((_, k) => k);
    // A new result may have fewer cells, or an empty cohort where the Tab stop was: keep it on a cell that exists.
    const [row, k] = this.active;
    const cohort = result.cohorts[row];
    if (!cohort || cohort.size === 0 || k >= cohort.values.length) this.active = [this.shownRows(result)[0] ?? 0, 0];
    const notEnded = result.cohorts.some((cohort) => cohort.incompleteFrom !== undefined);
    return html`<div class="scroll">
        <table class="heat" part="heat-table" role="grid" aria-label="Retention by cohort" @keydown=${this.onKeydown} @click=${this.onClick}>
          <thead>
            <tr>
              <th scope="col">Cohort</th>
              ${periods.map((k) => html`<th scope="col">${unit} ${k}</th>`)}
            </tr>
          </thead>
          <tbody>
            <tr class="average">
              <th scope="row">Average</th>
              ${result.average.map((share) => html`<td>${share === null ? nothing : html`<span class="value" data-share=${share}>${percent(share)}</span>`}</td>`)}
            </tr>
            ${this.rowGroups(result).map((group) =>
              typeof group === 'number' ? this.renderCohort(result.cohorts[group]!, group, periods) : this.renderFolded(result, group, periods.length),
            )}
          </tbody>
        </table>
      </div>
      ${incompleteNote(notEnded ? [true] : [], 'Hatched cells')}`;
  }

  private renderCohort(cohort: RetentionCohortRow, i: number, periods: number[]): TemplateResult {
    return html`<tr>
      <th scope="row">${cohort.start} <span class="size">${cohort.size ?? this.suppressedText} ${cohort.size === 1 ? 'user' : 'users'}</span></th>
      ${periods.map((k) => (k < cohort.values.length ? this.renderCell(cohort, i, k) : html`<td></td>`))}
    </tr>`;
  }

  /** Consecutive cohorts of 0 users as one row: no row of dashes per empty period. */
  private renderFolded(result: RetentionResult, [first, last]: [number, number], columns: number): TemplateResult {
    const count = last - first + 1;
    const unit = UNITS[this.effectiveInterval].toLowerCase();
    const name = count === 1 ? result.cohorts[first]!.start : `${result.cohorts[first]!.start} to ${result.cohorts[last]!.start}`;
    return html`<tr class="folded">
      <th scope="row">${name} <span class="size">0 users</span></th>
      <td colspan=${columns}><span class="value plain">No users started in ${count === 1 ? `this ${unit}` : `these ${count} ${unit}s`}</span></td>
    </tr>`;
  }

  /** Indices of the cohorts shown as rows: all but those of 0 users (a suppressed size is not 0). */
  private shownRows(result: RetentionResult): number[] {
    return result.cohorts.flatMap((cohort, i) => (cohort.size === 0 ? [] : [i]));
  }

  /** The table's rows in order: a shown cohort's index, or a run [first, last] of empty cohorts folded into one row. */
  private rowGroups(result: RetentionResult): (number | [number, number])[] {
    const groups: (number | [number, number])[] = [];
    result.cohorts.forEach((cohort, i) => {
      const previous = groups[groups.length - 1];
      if (cohort.size !== 0) groups.push(i);
      else if (Array.isArray(previous) && previous[1] === i - 1) previous[1] = i;
      else groups.push([i, i]);
    });
    return groups;
  }

  private readonly onClick = (event: Event): void => {
    const cell = this.cellOf(event.target);
    if (!cell || !this.result) return;
    const [i, k] = cell;
    this.active = [i, k];
    this.requestUpdate();
    const row = this.result.cohorts[i]!;
    this.emit<RetentionCohortClick>('fp-cohort-click', { start: row.start, period: k, users: row.values[k] ?? null, size: row.size });
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const cell = this.cellOf(event.target);
    if (!cell || !this.result) return;
    const [i, k] = cell;
    // Row i has one cell per period left in the query: rows get shorter downwards. Folded (empty) cohorts have no cells.
    const lastOf = (row: number): number => this.result!.cohorts[row]!.values.length - 1;
    const rows = this.shownRows(this.result);
    const at = rows.indexOf(i);
    const [firstRow, lastRow] = [rows[0]!, rows[rows.length - 1]!];
    const below = rows[at + 1];
    const above = rows[at - 1];
    const control = event.ctrlKey || event.metaKey;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [i, Math.min(k + 1, lastOf(i))],
      ArrowLeft: [i, Math.max(k - 1, 0)],
      ArrowDown: below !== undefined ? [below, Math.min(k, lastOf(below))] : [i, k],
      ArrowUp: above !== undefined ? [above, k] : [i, k],
      Home: control ? [firstRow, 0] : [i, 0],
      End: control ? [lastRow, lastOf(lastRow)] : [i, lastOf(i)],
    };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    void this.focusCell(next);
  };

  private cellOf(target: EventTarget | null): [number, number] | undefined {
    const button = (target as Element | null)?.closest?.('button[data-row]');
    return button ? [Number(button.getAttribute('data-row')), Number(button.getAttribute('data-period'))] : undefined;
  }

  private async focusCell([i, k]: [number, number]): Promise<void> {
    this.active = [i, k];
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`button[data-row="${i}"][data-period="${k}"]`)?.focus();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.status === 'ready' && this.result) {
      this.paintHeat();
      this.draw(this.result);
    } else this.chart.destroy();
  }

  private draw(result: RetentionResult): void {
    const colours = chartColours(this);
    const scales = themedScales(colours);
    const colour = colours.series[0]!;
    const unit = UNITS[this.effectiveInterval];
    this.chart.draw(this.canvas, {
      type: 'line',
      data: {
        labels: result.average.map((_, k) => `${unit} ${k}`),
        datasets: [
          {
            label: 'Average retention',
            data: result.average.map((share) => (share === null ? null : share * 100)),
            borderColor: colour,
            backgroundColor: colour,
            pointRadius: 3,
            ...STRAIGHT_LINE,
            spanGaps: false,
          },
        ],
      },
      options: {
        scales: {
          x: periodAxis(colours),
          y: { ...scales.y, max: 100, ticks: { ...scales.y.ticks, callback: (value) => `${value}%` }, title: axisTitle('Came back', colours) },
        },
        plugins: {
          legend: { display: true, align: 'start', labels: { color: colours.foreground, boxHeight: 2 } },
          tooltip: { callbacks: { label: (item) => `Average: ${(item.raw as number).toFixed(1)}%` } },
        },
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-retention': FpRetention;
  }
  interface GlobalEventHandlersEventMap {
    'fp-cohort-click': CustomEvent<RetentionCohortClick>;
  }
}
