import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { AdoptionResult } from '../../shared/index.ts';
import { commaList } from '../base/attributes.ts';
import { controlStyles } from '../base/controls.styles.ts';
import { FpElement, type DataTable } from '../base/fp-element.ts';
import { funnelStepsStyles } from './fp-funnel-steps.styles.ts';

/** Detail of `fp-steps-change`: the steps chosen now, in order (fewer than 2: no funnel). */
export interface FunnelStepsChange {
  steps: string[];
}

/** The most steps the picker offers: a funnel longer than this is hard to read. */
export const MAX_PICKED_STEPS = 5;

/**
 * A funnel's steps, picked from the event names in the data: the chosen
 * steps in order, each with a button to remove it, and a list to add one
 * more, up to five (the names with the most users first, from the
 * `adoption` query over the range, so the tracker's `$` events are left
 * out). It tells the page with `fp-steps-change`; `fp-dashboard` puts it
 * above its funnel.
 *
 * The `steps` attribute gives the steps to start with. When the data
 * changes (another file, another range), picked steps the data no longer
 * has are dropped; when fewer than two are left, the `steps` the data has
 * are picked again, so sample data keeps its funnel and a visitor's own
 * file starts with an empty one.
 *
 * It is a control, not a figure: it shows the lists, or why not (loading,
 * no events, an error), without a frame, a table or a CSV download.
 *
 * @summary Pick a funnel's steps from the data's event names.
 * @attr steps - event names to start with, separated by commas.
 *
 * @event fp-steps-change - the steps changed; detail `FunnelStepsChange` `{ steps }`.
 *
 * @csspart picker - the row of steps.
 * @csspart step - one chosen step, with its remove button.
 *
 * @example
 * <fp-funnel-steps steps="signup, project_created" from="2026-11-01" to="2026-11-30"></fp-funnel-steps>
 * <fp-funnel steps="signup, project_created" from="2026-11-01" to="2026-11-30"></fp-funnel>
 * <script>
 *   document.querySelector('fp-funnel-steps').addEventListener('fp-steps-change', (e) => {
 *     document.querySelector('fp-funnel').steps = e.detail.steps;
 *   });
 * </script>
 */
@customElement('fp-funnel-steps')
export class FpFunnelSteps extends FpElement<'adoption'> {
  static override styles = [...FpElement.styles, controlStyles, funnelStepsStyles];
  static override displayProperties: readonly PropertyKey[] = ['steps'];

  protected readonly kind = 'adoption';

  /** The steps to start with, and to pick again when the data lacks the chosen ones. */
  @property({ converter: commaList }) steps?: string[];

  private picked: string[] | undefined;

  /** The steps chosen now, in order. */
  get value(): string[] {
    return [...(this.picked ?? this.steps ?? [])];
  }

  protected specFields() {
    return { features: 'all' as const };
  }

  protected isEmpty(result: AdoptionResult): boolean {
    return result.features.length === 0;
  }

  // What a widget shows of a result; this control shows its lists instead (render() below).
  protected summary(): string {
    return '';
  }

  protected dataTable(): DataTable {
    return { caption: '', columns: [], rows: [] };
  }

  protected renderResult(): TemplateResult {
    return html``;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // New steps from the page start over from them.
    if (changed.has('steps') && this.hasUpdated) this.picked = undefined;
    // New data: keep what it still has (see the class comment).
    if (changed.has('result') && this.result) {
      const names = new Set(this.result.features.map((feature) => feature.feature));
      let steps = this.value.filter((step) => names.has(step));
      if (steps.length < 2) steps = (this.steps ?? []).filter((step) => names.has(step)).slice(0, MAX_PICKED_STEPS);
      this.choose(steps);
    }
  }

  private choose(steps: string[]): void {
    const before = this.value;
    this.picked = steps;
    if (steps.length !== before.length || steps.some((step, i) => step !== before[i])) this.emit<FunnelStepsChange>('fp-steps-change', { steps: this.value });
    this.requestUpdate();
  }

  private addStep(name: string): void {
    if (name !== '') this.choose([...this.value, name]);
  }

  private removeStep(i: number): void {
    const steps = this.value;
    steps.splice(i, 1);
    this.choose(steps);
  }

  // Chips for the chosen steps and one list to add a step: a list per step would be as wide as the longest name, a row each.
  private renderPicker(result: AdoptionResult): TemplateResult {
    const steps = this.value;
    const users = (n: number | null) => `${n === null ? this.suppressedText : n.toLocaleString('en')} ${n === 1 ? 'user' : 'users'}`;
    return html`${steps.map(
        (step, i) => html`<span class="step">${i > 0 ? html`<span class="then" aria-hidden="true">→</span>` : nothing}<span class="chip" part="step"
              ><span class="name" title=${step}>${step}</span
              ><button type="button" aria-label=${`Remove step ${i + 1}, ${step}`} @click=${() => this.removeStep(i)}>×</button></span
            ></span>`,
      )}
      ${steps.length < MAX_PICKED_STEPS
        ? html`<span class="step">${steps.length > 0 ? html`<span class="then" aria-hidden="true">→</span>` : nothing}<select
              aria-label="Add a step" .value=${live('')} @change=${(e: Event) => this.addStep((e.target as HTMLSelectElement).value)}>
              <option value="" selected>${steps.length === 0 ? 'First step…' : 'Add a step…'}</option>
              ${result.features.map((feature) => html`<option value=${feature.feature}>${feature.feature} (${users(feature.adopters)})</option>`)}
            </select></span>`
        : nothing}
      ${steps.length < 2 ? html`<span class="hint">Pick ${steps.length === 0 ? 'two or more steps' : 'one more step'} to see the funnel.</span>` : nothing}`;
  }

  override render(): TemplateResult {
    const label = this.label ?? 'Funnel steps';
    let body: TemplateResult;
    if (this.status === 'ready') body = this.renderPicker(this.result!);
    else if (this.status === 'error') body = html`<span class="error" role="alert">Could not list the event names: ${this.error?.message}</span>`;
    else if (this.status === 'empty') body = html`<span class="hint" role="status">No events in this range to build a funnel from.</span>`;
    else body = html`<span class="hint" role="status">Loading event names…</span>`;
    return html`<div class="picker" part="picker" role="group" aria-label=${label}><span class="title">${label}</span>${body}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-funnel-steps': FpFunnelSteps;
  }
  interface GlobalEventHandlersEventMap {
    'fp-steps-change': CustomEvent<FunnelStepsChange>;
  }
}
