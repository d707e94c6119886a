import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FunnelExclusion, FunnelOrder, FunnelResult, FunnelStepResult, FunnelStepSpec, FunnelWindowSpec } from '../../shared/index.ts';
import { FpElement, type DataCell, type DataTable } from '../base/fp-element.ts';
import { commaList } from '../base/attributes.ts';
import { funnelStyles } from './fp-funnel.styles.ts';
import { percent } from '../base/format.ts';
import { formatDuration } from './funnel-format.ts';
import { styleProperties } from '../base/style-properties.ts';

/** Detail of `fp-step-click`: the step (0-based) and how many users reached it and were lost just before it. */
export interface FunnelStepClick {
  step: number;
  event: string;
  count: number | null;
  dropOff: number | null;
}

/**
 * A funnel: one bar per step, as wide as the share of step 1's users who
 * reached it, with the share lost since the previous step as a lighter,
 * striped segment, and the median time from the previous step. Each step is
 * a button.
 *
 * @summary Conversion through a series of steps.
 * @attr steps - the steps' event names, separated by commas: `signup, onboarding_completed, project_created`.
 * @attr window - how long after step 1 the later steps may happen: `30m`, `2h`, `7d`, `2w`; default 14 days.
 * @attr order - `ordered` (default: other events in between allowed), `strict` (no other event in between) or `any`.
 *
 * @event fp-step-click - a step was activated (click, Enter or Space); detail `FunnelStepClick` `{ step, event, count, dropOff }`, `step` 0-based.
 *
 * @csspart steps - the list of steps.
 * @csspart step - one step's button.
 * @csspart bar - one step's bar.
 * @cssproperty --fp-funnel-bar-height - height of a bar (default 20px).
 *
 * @example
 * <fp-funnel label="Onboarding" steps="signup, onboarding_completed, project_created" window="7d"></fp-funnel>
 */
@customElement('fp-funnel')
export class FpFunnel extends FpElement<'funnel'> {
  static override styles = [...FpElement.styles, funnelStyles];

  protected readonly kind = 'funnel';

  /** The steps: event names, or `{ event, where }` objects set as a property. */
  @property({ converter: commaList }) steps?: FunnelStepSpec[];
  /** The conversion window from step 1's event. */
  @property() window?: FunnelWindowSpec;
  /** How the steps must follow each other. */
  @property() order?: FunnelOrder;
  /** Attempts with one of these events between two given steps are discarded. */
  @property({ attribute: false }) exclusions?: FunnelExclusion[];
  /** Per step (aligned with `steps`, null where unset): the longest time from the previous step. */
  @property({ attribute: false }) stepWindows?: (FunnelWindowSpec | null)[];

  protected specFields() {
    return { steps: this.steps, window: this.window, order: this.order, exclusions: this.exclusions, stepWindows: this.stepWindows };
  }

  protected isEmpty(result: FunnelResult): boolean {
    return result.steps[0]?.count === 0;
  }

  private count(value: number | null): string {
    return value === null ? this.suppressedText : value.toLocaleString('en');
  }

  protected summary(result: FunnelResult): string {
    const steps = result.steps;
    const last = steps[steps.length - 1]!;
    const reached = last.conversion === null ? `${this.count(last.count)} users` : percent(last.conversion);
    let sentence = `Funnel of ${steps.length} steps: ${this.count(steps[0]!.count)} users started, ${reached} reached ${last.event}`;
    // The biggest drop is the step that keeps the smallest share of the one before it.
    const worst = steps.slice(1).reduce<{ k: number; kept: number } | undefined>((best, step, i) => {
      const kept = step.stepConversion;
      return kept !== null && (!best || kept < best.kept) ? { k: i + 1, kept } : best;
    }, undefined);
    if (worst && worst.kept < 1) sentence += `; the biggest drop is after ${steps[worst.k - 1]!.event} (${percent(1 - worst.kept)} lost)`;
    else if (worst) sentence += '; no one dropped off';
    return `${sentence}.`;
  }

  protected dataTable(result: FunnelResult): DataTable {
    // Null stays for suppressed counts (shown as `< k`); numbers that do not apply, or derive from a suppressed count, are left blank.
    const blank = (value: number | null): DataCell => value ?? '';
    const share = (value: number | null): DataCell => (value === null ? '' : Math.round(value * 1000) / 10);
    return {
      caption: this.label ?? 'Funnel',
      columns: ['Step', 'Users', 'Conversion (%)', 'From previous step (%)', 'Drop-off', 'Median seconds', 'Mean seconds'],
      rows: result.steps.map((step, k) => [
        `${k + 1}. ${step.event}`,
        step.count,
        share(step.conversion),
        share(step.stepConversion),
        blank(step.dropOff),
        blank(step.medianSeconds),
        blank(step.meanSeconds),
      ]),
    };
  }

  private activate(step: FunnelStepResult, k: number): void {
    this.emit<FunnelStepClick>('fp-step-click', { step: k, event: step.event, count: step.count, dropOff: step.dropOff });
  }

  /** What was lost just before a step, and how long the others took: ["600 dropped off (31%)", "median 5 min"]. */
  private meta(step: FunnelStepResult, k: number): string[] {
    if (k === 0) return [];
    const parts: string[] = [];
    if (step.dropOff !== null && step.stepConversion !== null) parts.push(`${step.dropOff.toLocaleString('en')} dropped off (${percent(1 - step.stepConversion)})`);
    if (step.medianSeconds !== null) parts.push(`median ${formatDuration(step.medianSeconds)}`);
    return parts;
  }

  private renderStep(step: FunnelStepResult, k: number, previous: FunnelStepResult | undefined): TemplateResult {
    const kept = step.conversion ?? 0;
    const lost = previous?.conversion != null && step.conversion !== null ? previous.conversion - step.conversion : 0;
    const meta = this.meta(step, k);
    const rate = step.conversion === null ? '' : percent(step.conversion);
    // The button's name is its text: hidden words turn the figures into a sentence for screen readers.
    return html`<li>
      <button class="step" part="step" @click=${() => this.activate(step, k)}>
        <span class="head">
          <span class="index">${k + 1}.</span>
          <span class="event" title=${step.event}>${step.event}</span>
          <span class="numbers"
            >${this.count(step.count)}<span class="visually-hidden"> users</span>
            ${rate ? html`<span class="rate">${rate}</span><span class="visually-hidden"> of step 1</span>` : nothing}</span
          >
        </span>
        <span class="bar" part="bar">
          <span class="kept" ${styleProperties({ width: `${kept * 100}%` })}></span>
          ${lost > 0 ? html`<span class="lost" ${styleProperties({ width: `${lost * 100}%` })}></span>` : nothing}
        </span>
        ${meta.length
          ? html`<span class="meta"
              ><span class="visually-hidden">; </span>${meta.map((part, i) => html`${i ? ' · ' : ''}<span class="part">${part}</span>`)}</span
            >`
          : nothing}
      </button>
    </li>`;
  }

  // The steps are operable, so they follow the role="img" summary instead of being inside it.
  protected renderResult(): TemplateResult {
    return html``;
  }

  protected override renderDetails(result: FunnelResult): TemplateResult {
    return html`<ol part="steps">${result.steps.map((step, k) => this.renderStep(step, k, result.steps[k - 1]))}</ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-funnel': FpFunnel;
  }
  interface GlobalEventHandlersEventMap {
    'fp-step-click': CustomEvent<FunnelStepClick>;
  }
}
