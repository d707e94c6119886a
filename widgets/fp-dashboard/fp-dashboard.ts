import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, queryAssignedElements, state } from 'lit/decorators.js';
import { controlStyles } from '../base/controls.styles.ts';
import { themeStyles } from '../base/theme.styles.ts';
import { dashboardStyles } from './fp-dashboard.styles.ts';
import { funnelCellStyles } from './funnel-cell.styles.ts';

/** The range presets of the bar, in days. */
export type DashboardRange = '7d' | '30d' | '90d' | 'custom';
export type DashboardInterval = 'day' | 'week' | 'month';

/** Detail of `fp-range-change`. */
export interface DashboardRangeChange {
  range: DashboardRange;
  from: string;
  to: string;
  interval: DashboardInterval;
}

const PRESETS: { range: Exclude<DashboardRange, 'custom'>; label: string; days: number }[] = [
  { range: '7d', label: '7 days', days: 7 },
  { range: '30d', label: '30 days', days: 30 },
  { range: '90d', label: '90 days', days: 90 },
];

/** A local calendar date, `YYYY-MM-DD`. */
function localDate(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function daysBefore(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return localDate(new Date(y, m - 1, d - days));
}

/**
 * A dashboard: a bar to pick the range (7, 30 or 90 days, or custom dates)
 * and the interval, over the Footprint widgets, which it keeps in step. With
 * no children it lays out every widget on its source; with children, it
 * passes the range and interval to each `fp-*` child instead.
 *
 * In its own layout the funnel's steps are picked from the data's event
 * names (`fp-funnel-steps` above the funnel), starting from `funnel`; the
 * funnel picked also counts for the segments' `struggling` rule.
 *
 * @summary Range bar plus widgets.
 * @attr source - id of an `fp-source`; default the nearest `fp-source` ancestor.
 * @attr label - the dashboard's title.
 * @attr range - `7d`, `30d` (default), `90d` or `custom` (then `from` and `to`).
 * @attr from - first day of a custom range, `YYYY-MM-DD`.
 * @attr to - last day of the range; default today.
 * @attr interval - `day` (default), `week` or `month`.
 * @attr funnel - event names of the funnel to show first, comma separated; the visitor picks others, or these when the data lacks them.
 * @attr theme - `light` or `dark`; passed to every widget.
 *
 * @event fp-range-change - the range or interval changed; detail `DashboardRangeChange`.
 *
 * @slot - widgets to keep in step instead of the default layout.
 * @csspart bar - the range and interval bar.
 *
 * @example
 * <fp-source src="events.ndjson"><fp-dashboard label="Usage" funnel="signup, activated, paid"></fp-dashboard></fp-source>
 */
@customElement('fp-dashboard')
export class FpDashboard extends LitElement {
  static override styles = [themeStyles, controlStyles, dashboardStyles, funnelCellStyles];

  @property({ attribute: 'source' }) sourceId?: string;
  @property() label?: string;
  @property({ reflect: true }) range: DashboardRange = '30d';
  @property() from?: string;
  @property() to?: string;
  @property({ reflect: true }) interval: DashboardInterval = 'day';
  @property() funnel?: string;
  @property({ reflect: true }) theme?: 'light' | 'dark';

  @queryAssignedElements() private slotted!: HTMLElement[];
  /** The funnel's steps as picked; `funnel` until the picker says otherwise. */
  @state() private pickedSteps?: string[];
  private shownSteps?: string[];

  /**
   * The funnel's steps in force, when there are two or more. An array, not
   * a comma-separated attribute (an event name may hold a comma), and the
   * same array until the steps change, or each render would query again.
   */
  private get funnelSteps(): string[] | undefined {
    const steps = this.pickedSteps ?? this.funnel?.split(',').map((step) => step.trim()).filter(Boolean) ?? [];
    if (steps.join('\n') !== this.shownSteps?.join('\n')) this.shownSteps = steps;
    return this.shownSteps!.length >= 2 ? this.shownSteps : undefined;
  }

  /** The range in force: `from` and `to` as dates. */
  get dates(): { from: string; to: string } {
    const to = this.to ?? localDate(new Date());
    const preset = PRESETS.find((p) => p.range === this.range);
    return { from: preset ? daysBefore(to, preset.days - 1) : (this.from ?? daysBefore(to, 29)), to };
  }

  protected override updated(changed: PropertyValues): void {
    if (['range', 'from', 'to', 'interval', 'theme'].some((key) => changed.has(key))) this.syncChildren();
  }

  /** Hands range, interval and theme to slotted widgets (the default layout binds them in its template). */
  private syncChildren(): void {
    const { from, to } = this.dates;
    for (const child of this.slotted.filter((el) => el.localName.startsWith('fp-'))) {
      child.setAttribute('from', from);
      child.setAttribute('to', to);
      if (child.localName !== 'fp-kpi') child.setAttribute('interval', this.interval);
      if (this.theme) child.setAttribute('theme', this.theme);
    }
  }

  private change(update: Partial<Pick<FpDashboard, 'range' | 'from' | 'to' | 'interval'>>): void {
    Object.assign(this, update);
    const { from, to } = this.dates;
    this.dispatchEvent(
      new CustomEvent<DashboardRangeChange>('fp-range-change', { detail: { range: this.range, from, to, interval: this.interval }, bubbles: true, composed: true }),
    );
  }

  private renderBar(): TemplateResult {
    const { from, to } = this.dates;
    return html`<div class="bar" part="bar" role="toolbar" aria-label="Range and interval">
      ${this.label ? html`<h2>${this.label}</h2>` : nothing}
      <div class="segmented" role="group" aria-label="Range">
        ${PRESETS.map((p) => html`<button type="button" aria-pressed=${this.range === p.range} @click=${() => this.change({ range: p.range })}>${p.label}</button>`)}
        <button type="button" aria-pressed=${this.range === 'custom'} @click=${() => this.change({ range: 'custom', from, to })}>Custom</button>
      </div>
      ${this.range === 'custom'
        ? html`<label>From <input type="date" .value=${from} max=${to} @change=${(e: Event) => this.change({ from: (e.target as HTMLInputElement).value })} /></label>
            <label>To <input type="date" .value=${to} min=${from} @change=${(e: Event) => this.change({ to: (e.target as HTMLInputElement).value })} /></label>`
        : nothing}
      <label
        >Interval
        <select .value=${this.interval} @change=${(e: Event) => this.change({ interval: (e.target as HTMLSelectElement).value as DashboardInterval })}>
          <option value="day">Day</option>
          <option value="week">Week</option>
          <option value="month">Month</option>
        </select>
      </label>
    </div>`;
  }

  /** Every widget, in the order an admin reads them: headline numbers, activity, retention, behaviour, problems. */
  private renderDefaultLayout(): TemplateResult {
    const { from, to } = this.dates;
    const source = this.sourceId;
    const theme = this.theme;
    const funnel = this.funnelSteps;
    return html`<div class="grid">
      <div class="kpis">
        <fp-kpi source=${source ?? nothing} theme=${theme ?? nothing} label="Daily active users" math="users" to=${to}></fp-kpi>
        <fp-kpi source=${source ?? nothing} theme=${theme ?? nothing} label="Weekly active users" math="wau" to=${to}></fp-kpi>
        <fp-kpi source=${source ?? nothing} theme=${theme ?? nothing} label="Monthly active users" math="mau" to=${to}></fp-kpi>
        <fp-kpi source=${source ?? nothing} theme=${theme ?? nothing} label="Stickiness (DAU / MAU)" math="stickiness_ratio" to=${to}></fp-kpi>
      </div>
      <fp-trend class="wide" source=${source ?? nothing} theme=${theme ?? nothing} label="Active users" math="users" interval=${this.interval} from=${from} to=${to}></fp-trend>
      <fp-sessions source=${source ?? nothing} theme=${theme ?? nothing} label="Sessions" interval=${this.interval} from=${from} to=${to}></fp-sessions>
      <fp-stickiness source=${source ?? nothing} theme=${theme ?? nothing} label="Stickiness" interval=${this.interval} from=${from} to=${to}></fp-stickiness>
      <fp-retention class="wide" source=${source ?? nothing} theme=${theme ?? nothing} label="Retention" interval="week" from=${from} to=${to}></fp-retention>
      <fp-lifecycle class="wide" source=${source ?? nothing} theme=${theme ?? nothing} label="Lifecycle" interval=${this.interval} from=${from} to=${to}></fp-lifecycle>
      <fp-segments class="wide" source=${source ?? nothing} theme=${theme ?? nothing} label="Segments" .funnel=${funnel} from=${from} to=${to}></fp-segments>
      <div class="funnel-cell">
        <fp-funnel-steps source=${source ?? nothing} theme=${theme ?? nothing} steps=${this.funnel ?? nothing} from=${from} to=${to}
          @fp-steps-change=${(e: CustomEvent<{ steps: string[] }>) => (this.pickedSteps = e.detail.steps)}></fp-funnel-steps>
        ${funnel
          ? html`<fp-funnel source=${source ?? nothing} theme=${theme ?? nothing} label="Funnel" .steps=${funnel} from=${from} to=${to}></fp-funnel>`
          : html`<div class="funnel-placeholder"><h2>Funnel</h2><p>No funnel yet: pick its steps from your events above.</p></div>`}
      </div>
      <fp-errors source=${source ?? nothing} theme=${theme ?? nothing} label="Errors" interval=${this.interval} from=${from} to=${to}></fp-errors>
      <fp-paths class="wide" source=${source ?? nothing} theme=${theme ?? nothing} label="Paths" from=${from} to=${to}></fp-paths>
      <fp-adoption source=${source ?? nothing} theme=${theme ?? nothing} label="Feature adoption" interval=${this.interval} from=${from} to=${to}></fp-adoption>
      <fp-friction source=${source ?? nothing} theme=${theme ?? nothing} label="Friction" from=${from} to=${to}></fp-friction>
    </div>`;
  }

  override render(): TemplateResult {
    return html`${this.renderBar()}<slot @slotchange=${() => { this.syncChildren(); this.requestUpdate(); }}></slot>${this.childElementCount === 0 ? this.renderDefaultLayout() : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-dashboard': FpDashboard;
  }
  interface GlobalEventHandlersEventMap {
    'fp-range-change': CustomEvent<DashboardRangeChange>;
  }
}
