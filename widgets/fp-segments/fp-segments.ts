import { html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FunnelWindowSpec, RageClickRule, RepeatedErrorRule, Segment, SegmentLabel, SegmentRules, SegmentsResult, ThrashingRule } from '../../shared/index.ts';
import { commaList } from '../base/attributes.ts';
import { type DataCell, type DataTable } from '../base/fp-element.ts';
import { percent } from '../base/format.ts';
import { SessionWidget } from '../base/session-widget.ts';
import { styleProperties } from '../base/style-properties.ts';
import { segmentRuleWords } from './segment-rules-text.ts';
import { segmentsStyles } from './fp-segments.styles.ts';

/** A label as a title: `Power`. */
const title = (label: SegmentLabel): string => `${label[0]!.toUpperCase()}${label.slice(1)}`;

const plural = (n: number, word: string): string => `${word}${n === 1 ? '' : 's'}`;

/**
 * Each label's share of the active users, as text; null for a suppressed
 * label. When a label is suppressed the active users are not known
 * exactly, so the others' shares are of the users shown, marked "≈".
 */
function shares(segments: readonly Segment[]): (string | null)[] {
  const shown = segments.reduce((total, segment) => total + (segment.users ?? 0), 0);
  const approximate = segments.some((segment) => segment.users === null);
  return segments.map(({ users }) => {
    if (users === null) return null;
    if (shown === 0) return '–';
    return `${approximate ? '≈ ' : ''}${percent(users / shown)}`;
  });
}

/**
 * Intent segments (METRICS.md section 12): who the range's active users
 * are, each labelled by the first rule they match: `power`, `struggling`,
 * `exploring` or `casual`. A stacked bar shows each label's share of the
 * active users; below it, per label, its users and share, its rule in plain
 * words (from the thresholds in force, so custom `rules` change the words),
 * and its five most frequent events.
 *
 * @summary Power, struggling, exploring and casual users.
 * @attr funnel - event names of a funnel, separated by commas: users who abandon it at one same step in 2+ sessions struggle too.
 * @attr funnel-window - the funnel's window (`7d`, `2h`); default 14 days.
 *
 * @csspart bar - the stacked bar of the labels' shares.
 * @csspart segment - one label's box: users, share, rule and top events.
 * @csspart rule - a label's rule in words.
 * @csspart top-events - a label's list of top events.
 * @cssproperty --fp-segment-power - colour of `power` (default `--fp-series-1`); likewise `--fp-segment-struggling` (`--fp-series-2`), `--fp-segment-exploring` (`--fp-series-7`) and `--fp-segment-casual` (a grey).
 *
 * @example
 * <fp-segments label="Who your users are" from="2026-11-01" to="2026-11-28"></fp-segments>
 * <script>document.querySelector('fp-segments').rules = { power: { days: 8 } };</script>
 */
@customElement('fp-segments')
export class FpSegments extends SessionWidget<'segments'> {
  static override styles = [...SessionWidget.styles, segmentsStyles];

  protected readonly kind = 'segments';

  /** The labels' thresholds: `{ power?: { days, of }, struggling?: { sessions, abandonments }, exploring?: { events, sessions } }`; each defaults as METRICS.md section 12 says. */
  @property({ attribute: false }) rules?: SegmentRules;
  /** A funnel whose abandonment at one same step in 2+ sessions also makes a user struggle. */
  @property({ converter: commaList }) funnel?: string[];
  /** The funnel's window; default 14 days. */
  @property({ attribute: 'funnel-window' }) funnelWindow?: FunnelWindowSpec;
  /** Rage-click thresholds of the friction signal: `{ clicks?: 3, seconds?: 1, pixels?: 30 }`. */
  @property({ attribute: false }) rageClicks?: RageClickRule;
  /** Repeated-error threshold of the friction signal: `{ count?: 3 }`. */
  @property({ attribute: false }) repeatedErrors?: RepeatedErrorRule;
  /** Thrashing thresholds of the friction signal: `{ count?: 5, seconds?: 60 }`. */
  @property({ attribute: false }) thrashing?: ThrashingRule;

  protected specFields() {
    return {
      rules: this.rules,
      funnel: this.funnel?.length ? this.funnel : undefined,
      funnelWindow: this.funnelWindow,
      rageClicks: this.rageClicks,
      repeatedErrors: this.repeatedErrors,
      thrashing: this.thrashing,
      ...this.sessionFields(),
    };
  }

  /** The rules of the query run, in words (the `spec` property may set them too). */
  private get ruleWords(): Record<SegmentLabel, string> {
    const { rules, funnel } = this.query;
    return segmentRuleWords(rules, funnel);
  }

  protected isEmpty(result: SegmentsResult): boolean {
    return result.segments.every((segment) => segment.users === 0);
  }

  private usersText(users: number | null): string {
    return users === null ? this.suppressedText : users.toLocaleString('en');
  }

  protected summary(result: SegmentsResult): string {
    const share = shares(result.segments);
    const parts = result.segments.map((segment, i) => `${segment.label} ${this.usersText(segment.users)}${share[i] === null ? '' : ` (${share[i]})`}`);
    return `Active users by segment: ${parts.join(', ')}.`;
  }

  protected dataTable(result: SegmentsResult): DataTable {
    const share = shares(result.segments);
    const words = this.ruleWords;
    return {
      caption: this.label ?? 'Segments',
      columns: ['Segment', 'Users', 'Share of active users', 'Rule', 'Top events'],
      rows: result.segments.map((segment, i): DataCell[] => [
        segment.label,
        segment.users,
        share[i] ?? '–',
        words[segment.label],
        segment.topEvents.map((top) => `${top.event}: ${top.count.toLocaleString('en')}`).join('; '),
      ]),
    };
  }

  protected renderResult(result: SegmentsResult): TemplateResult {
    // Labels without users are left out (the gaps would show); suppressed ones too: their size is unknown but small.
    return html`<div class="bar" part="bar">
      ${result.segments.filter((segment) => (segment.users ?? 0) > 0).map((segment) => html`<span class=${segment.label} ${styleProperties({ '--users': String(segment.users ?? 0) })}></span>`)}
    </div>`;
  }

  protected override renderDetails(result: SegmentsResult): TemplateResult {
    const share = shares(result.segments);
    const words = this.ruleWords;
    return html`<div class="segments">
      ${result.segments.map(
        (segment, i) => html`<section class=${segment.label} part="segment">
          <h3><span class="swatch" aria-hidden="true"></span>${title(segment.label)}</h3>
          <p class="figure">
            <strong>${this.usersText(segment.users)}</strong> ${plural(segment.users ?? 2, 'user')}${share[i] === null ? '' : html` <span class="share">${share[i]}</span>`}
          </p>
          <p class="rule" part="rule">${words[segment.label]}</p>
          ${this.renderTopEvents(segment)}
        </section>`,
      )}
    </div>`;
  }

  private renderTopEvents(segment: Segment): TemplateResult {
    if (segment.users === null) return html`<p class="none">Top events hidden: too few users to show.</p>`;
    if (segment.topEvents.length === 0) return html`<p class="none">No users in this range.</p>`;
    return html`<h4>Top events</h4>
      <ol class="top-events" part="top-events">
        ${segment.topEvents.map((top) => html`<li><span class="event" title=${top.event}>${top.event}</span> <span class="count">${top.count.toLocaleString('en')}</span></li>`)}
      </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-segments': FpSegments;
  }
}
