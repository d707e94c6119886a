import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import type { AdoptionResult, FeatureAdoption, Interval } from '../../shared/index.ts';
import { ChartSlot, chartColours, countAxis, periodAxis } from '../base/chart.ts';
import { incompleteFlags, periodLine, incompleteTitle } from '../base/incomplete-periods.ts';
import { pageLocale, periodLabel } from '../base/period-labels.ts';
import { FpElement, type DataCell, type DataTable } from '../base/fp-element.ts';
import { commaListOrAll } from '../base/attributes.ts';
import { adoptionStyles } from './fp-adoption.styles.ts';
import { percent } from '../base/format.ts';
import { styleProperties } from '../base/style-properties.ts';

/** Detail of `fp-feature-click`: the feature (an event name) and its adopters (null when suppressed). */
export interface FeatureClick {
  feature: string;
  adopters: number | null;
}

/** Days with one decimal; a time above zero that would round to "0" (a first use in the first session) reads "< 0.1". */
const days = (value: number): string => (value > 0 && value < 0.05 ? '< 0.1' : value.toLocaleString('en', { maximumFractionDigits: 1 }));

/** Most adopters first, suppressed counts last (as the core ranks `'all'`); a stable sort keeps the given order on ties. */
function ranked(features: FeatureAdoption[]): FeatureAdoption[] {
  return [...features].sort((a, b) => (b.adopters ?? -1) - (a.adopters ?? -1));
}

/** "a, b and c". */
function listText(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A ranked list of features (event names) by adoption, METRICS.md section
 * 10: per feature, the share of the range's active users who used it (as a
 * bar), its adopters, the median days from a user's first event to their
 * first use, and the share of adopters who used it on two or more days.
 * Choosing a feature (click, or Enter / Space on its button) tells the page
 * and shows its adopters per period as a small line chart below the list;
 * choosing it again hides the chart.
 *
 * The visible rows are part of the figure; the keyboard reaches them
 * through a visually hidden list of buttons, one per feature, whose focus
 * rings the row.
 *
 * @summary Feature adoption, ranked.
 * @attr features - event names separated by commas (`export, share`), or `all` (default): every event name in range except `$`-prefixed ones. Either way the list is ranked by adopters, most first.
 * @attr interval - period of the adopters series: `hour`, `day` (default), `week` or `month`.
 *
 * @event fp-feature-click - a feature was chosen; detail `FeatureClick` `{ feature, adopters }`.
 *
 * @csspart list - the ranked list of features.
 * @csspart feature - one feature's row.
 * @csspart chart - the box around the chosen feature's adopters chart.
 * @csspart feature-buttons - the visually hidden list of feature buttons.
 *
 * @example
 * <fp-adoption label="Feature adoption" features="export, share, comment" periods="30"></fp-adoption>
 */
@customElement('fp-adoption')
export class FpAdoption extends FpElement<'adoption'> {
  static override styles = [...FpElement.styles, adoptionStyles];

  protected readonly kind = 'adoption';

  /** Event names, or `'all'`; default `'all'`. */
  @property({ converter: commaListOrAll }) features?: string[] | 'all';
  /** Period of the adopters series. */
  @property() interval?: Interval;

  @query('canvas') private canvas?: HTMLCanvasElement;
  private readonly chart = new ChartSlot<'line'>(this);
  // Plain fields, not reactive properties: choosing or focusing a row must re-render, not query again.
  private chosen: string | undefined;
  private focused: string | undefined;

  /** The feature whose adopters series is shown, if any. */
  get selected(): string | undefined {
    return this.chosen;
  }
  set selected(feature: string | undefined) {
    this.chosen = feature;
    this.requestUpdate();
  }

  protected specFields() {
    return { features: this.features ?? 'all', interval: this.interval };
  }

  protected isEmpty(result: AdoptionResult): boolean {
    return result.features.every((feature) => feature.adopters === 0);
  }

  private count(users: number | null, noun: string): string {
    return `${users === null ? this.suppressedText : users.toLocaleString('en')} ${users === 1 ? noun : `${noun}s`}`;
  }

  /**
   * A feature's figures as shown. A null count is suppressed (`< k`); a null
   * rate or time is suppressed too when its group may be small, else there
   * is nothing to measure ('–': no active users, no adopters, or nobody
   * first used the feature in the range).
   */
  private figures(feature: FeatureAdoption, suppressed: boolean): { rate: DataCell; median: DataCell; p75: DataCell; repeat: DataCell } {
    const { adopters, adoptionRate, timeToAdopt, repeatRate } = feature;
    const time = (value: number | null): DataCell => (value !== null ? days(value) : suppressed && adopters !== 0 ? null : '–');
    return {
      rate: adoptionRate !== null ? percent(adoptionRate) : adopters === null ? null : '–',
      median: time(timeToAdopt.medianDays),
      p75: time(timeToAdopt.p75Days),
      repeat: repeatRate !== null ? percent(repeatRate) : adopters === 0 ? '–' : null,
    };
  }

  private text(cell: DataCell): string {
    return cell === null ? this.suppressedText : String(cell);
  }

  protected summary(result: AdoptionResult): string {
    const top = ranked(result.features)
      .filter((feature) => feature.adopters !== 0)
      .slice(0, 3)
      .map((feature, i) => {
        const rate = feature.adoptionRate === null ? '' : `${percent(feature.adoptionRate)}${i === 0 ? ' of active users' : ''}, `;
        return `${feature.feature} (${rate}${this.count(feature.adopters, 'adopter')})`;
      });
    const all = result.features.length;
    return `Most adopted features: ${listText(top)}; ${all} ${all === 1 ? 'feature' : 'features'} in all.`;
  }

  protected dataTable(result: AdoptionResult): DataTable {
    const suppressed = result.suppressed === true;
    return {
      caption: this.label ?? 'Feature adoption',
      columns: ['Feature', 'Adopters', 'Adoption rate', 'Median days to adopt', '75th percentile days to adopt', 'Repeat rate'],
      rows: ranked(result.features).map((feature) => {
        const { rate, median, p75, repeat } = this.figures(feature, suppressed);
        return [feature.feature, feature.adopters, rate, median, p75, repeat];
      }),
    };
  }

  protected renderResult(result: AdoptionResult): TemplateResult {
    const suppressed = result.suppressed === true;
    const chosen = result.features.find((feature) => feature.feature === this.chosen);
    // The hidden table and buttons carry these numbers for assistive technologies.
    // Names get the room of the longest (about 1ch a character, and one more for the weight), the styles cap it at 40%.
    const longest = Math.max(...result.features.map((feature) => feature.feature.length));
    return html`<div class="adoption" ${styleProperties({ '--_name-width': `${longest + 1}ch` })}>
      <div class="columns" aria-hidden="true">
        <span>Feature</span><span class="wide">Adoption rate</span><span class="num">Adopters</span><span class="num">Median days to adopt</span><span class="num">Repeat use</span>
      </div>
      <ol class="features" part="list" aria-hidden="true">
        ${ranked(result.features).map((feature) => {
          const { rate, median, repeat } = this.figures(feature, suppressed);
          const classes = { feature: true, selected: feature.feature === this.chosen, focused: feature.feature === this.focused };
          return html`<li class=${classMap(classes)} part="feature" @click=${() => this.choose(feature)}>
            <span class="name" title=${feature.feature}>${feature.feature}</span>
            <span class="bar"><span ${styleProperties({ '--rate': String(feature.adoptionRate ?? 0) })}></span></span>
            <span class="rate">${this.text(rate)}</span>
            <span class="figures">
              <span class="adopters">${feature.adopters === null ? this.suppressedText : feature.adopters.toLocaleString('en')}<span class="unit"> ${feature.adopters === 1 ? 'adopter' : 'adopters'}</span></span>
              <span class="repeat">${this.text(repeat)}<span class="unit"> repeat</span></span>
              <span class="days"><span class="unit">median </span>${this.text(median)}<span class="unit"> days to adopt</span></span>
            </span>
          </li>`;
        })}
      </ol>
      ${chosen
        ? html`<p class="series-title">${chosen.feature}: adopters per ${this.query.interval ?? 'day'}</p>
            <div class="chart series" part="chart"><canvas></canvas></div>`
        : nothing}
    </div>`;
  }

  // The buttons sit outside the frame's role="img", whose children are presentational (axe: nested-interactive).
  // Buttons follow the role="img" picture rather than sitting inside it.
  protected override renderDetails(result: AdoptionResult): TemplateResult {
    const suppressed = result.suppressed === true;
    return html`<ul class="visually-hidden" part="feature-buttons" aria-label=${`${this.label ?? 'Feature adoption'}: features`}>
      ${ranked(result.features).map((feature) => {
        const { rate, median, repeat } = this.figures(feature, suppressed);
        return html`<li>
          <button aria-pressed=${feature.feature === this.chosen ? 'true' : 'false'} @click=${() => this.choose(feature)}
            @focus=${() => this.ring(feature.feature)} @blur=${() => this.ring(undefined)}>
            ${feature.feature}: ${this.text(rate)} of active users, ${this.count(feature.adopters, 'adopter')}, median ${this.text(median)} days to adopt, ${this.text(repeat)} repeat use
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private choose(feature: FeatureAdoption): void {
    this.selected = this.chosen === feature.feature ? undefined : feature.feature;
    this.emit<FeatureClick>('fp-feature-click', { feature: feature.feature, adopters: feature.adopters });
  }

  private ring(feature: string | undefined): void {
    this.focused = feature;
    this.requestUpdate();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const chosen = this.status === 'ready' ? this.result?.features.find((feature) => feature.feature === this.chosen) : undefined;
    if (chosen) this.draw(chosen);
    else this.chart.destroy();
  }

  private draw(feature: FeatureAdoption): void {
    const colours = chartColours(this);
    const colour = colours.series[0]!;
    const flags = incompleteFlags(feature.series);
    const interval = this.query.interval ?? 'day';
    const locale = pageLocale(this);
    this.chart.draw(this.canvas, {
      type: 'line',
      data: {
        labels: feature.series.map((point) => periodLabel(point.period, interval, locale)),
        datasets: [
          {
            label: feature.feature,
            data: feature.series.map((point) => point.adopters),
            ...periodLine(flags, colour, colours.background),
          },
        ],
      },
      options: {
        scales: { x: periodAxis(colours), y: countAxis(colours, 'Adopters') },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: incompleteTitle(flags), label: (item) => this.count(item.raw as number | null, 'adopter') } },
        },
      },
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-adoption': FpAdoption;
  }
  interface GlobalEventHandlersEventMap {
    'fp-feature-click': CustomEvent<FeatureClick>;
  }
}
