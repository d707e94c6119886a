import { LitElement, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Query, QueryKinds, Source } from '../../shared/index.ts';
import { spreadsheetCsv } from './format.ts';
import { frameStyles, themeStyles } from './theme.styles.ts';

/** Where a widget is: waiting for its data, showing it, or why not. */
export type WidgetStatus = 'loading' | 'ready' | 'empty' | 'error';

/** A cell of the data behind a widget; null is a suppressed count. */
export type DataCell = string | number | null;

/** The numbers behind a widget: its hidden table and its CSV download. */
export interface DataTable {
  caption: string;
  columns: string[];
  rows: DataCell[][];
}

/** What an `fp-source` element offers a widget, without depending on its class. */
interface SourceElement extends HTMLElement {
  ready(): Promise<Source>;
  minGroupSize?: number;
}

function isSourceElement(node: Element | null): node is SourceElement {
  return node !== null && typeof (node as Partial<SourceElement>).ready === 'function';
}

/** The nearest `fp-source` around `element`, looking through shadow roots (a widget inside `fp-dashboard`). */
function enclosingSource(element: Element): Element | null {
  let node: Element | null = element.parentElement ?? ((element.getRootNode() as ShadowRoot).host ?? null);
  while (node) {
    if (node.localName === 'fp-source') return node;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null);
  }
  return null;
}

/** A tray with an arrow into it, drawn in the text colour (`currentColor`), for the Download CSV button. */
// On one line: no text inside the button but its label.
const DOWNLOAD_ICON = svg`<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path d="M8 2v8m-3.5-3.5L8 10l3.5-3.5M2.5 11v2.5h11V11" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"></path></svg>`;

/** A bubbling, composed event, as every widget event is (built apart so the manifest lists only the named events). */
function widgetEvent<T>(name: string, detail: T): CustomEvent<T> {
  return new CustomEvent<T>(name, { detail, bubbles: true, composed: true });
}

/** Fields of the element's own that are not part of the query. */
const OWN_STATE = new Set<PropertyKey>(['status', 'result', 'error', 'label', 'theme']);

/**
 * The base of every Footprint widget: finds its data source, turns its
 * attributes into a query spec, runs it (again whenever an attribute, the
 * `spec` property or the source's data changes), and renders the loading,
 * empty, error and suppressed states, a visually hidden table with the
 * numbers, and a "Download CSV" icon button. Subclasses say which query they
 * run and how a result looks. On a plain page, widgets keep 16px apart
 * (a bottom margin); set `--fp-margin` (e.g. to `0` in a grid with a gap)
 * or the element's own `margin` to change it.
 *
 * @attr source - id of an `fp-source` element; default: the `source` property, else the nearest `fp-source` ancestor.
 * @attr label - a title shown above the widget.
 * @attr theme - `light` or `dark`; default follows `prefers-color-scheme` (and VS Code's theme in a webview).
 * @attr from - start of the range: `YYYY-MM-DD` or an ISO date-time.
 * @attr to - end of the range (inclusive); default today.
 * @attr periods - number of periods ending with `to`, instead of `from`.
 * @attr timezone - IANA time zone of the periods; default the store's.
 * @attr week-start - `monday` or `sunday`; default the store's.
 *
 * @event fp-result - the query answered; detail `{ spec, result }`.
 * @event fp-error - the query failed; detail `{ spec, error, message }`.
 *
 * @cssproperty --fp-foreground - text colour (falls back to `--vscode-foreground`).
 * @cssproperty --fp-muted - secondary text colour.
 * @cssproperty --fp-background - background colour.
 * @cssproperty --fp-border - border and grid colour.
 * @cssproperty --fp-accent - links and focus rings.
 * @cssproperty --fp-danger - error text.
 * @cssproperty --fp-series-1 - first series colour (up to `--fp-series-8`).
 * @cssproperty --fp-font-family - font family.
 * @cssproperty --fp-chart-height - height of the chart area (default 240px).
 * @cssproperty --fp-margin - the element's outer margin (default `0 0 16px`).
 */
export abstract class FpElement<K extends keyof QueryKinds> extends LitElement {
  static override styles = [themeStyles, frameStyles];
  /** Properties that change only how a result looks: setting them redraws without querying again. */
  static displayProperties: readonly PropertyKey[] = [];

  /** Id of an `fp-source` element (attribute `source`). */
  @property({ attribute: 'source' }) sourceId?: string;
  /** A Source to query (a store, a worker, a bridge), instead of an `fp-source` element. */
  @property({ attribute: false }) source?: Source;
  /** A whole query spec; its fields win over the attributes. */
  @property({ attribute: false }) spec?: Partial<QueryKinds[K]['query']>;
  /** Title shown above the widget. */
  @property() label?: string;
  /** `light` or `dark`; default follows the page. */
  @property({ reflect: true }) theme?: 'light' | 'dark';
  @property() from?: string;
  @property() to?: string;
  @property({ type: Number }) periods?: number;
  @property() timezone?: string;
  @property({ attribute: 'week-start' }) weekStart?: 'monday' | 'sunday';

  /** Where the widget is; reflected so pages and tests can wait for `ready`. */
  @property({ reflect: true }) status: WidgetStatus = 'loading';
  @state() protected result?: QueryKinds[K]['result'];
  @state() protected error?: Error;

  /** The query kind this widget runs. */
  protected abstract readonly kind: K;
  /** The spec fields from this element's own attributes (undefined fields are left out). */
  protected abstract specFields(): Partial<QueryKinds[K]['query']>;
  /** True when a result has nothing to show. */
  protected abstract isEmpty(result: QueryKinds[K]['result']): boolean;
  /** The chart or figures of a result: a picture, labelled by `summary()` for screen readers (`role="img"`), so nothing in it is interactive. */
  protected abstract renderResult(result: QueryKinds[K]['result']): TemplateResult;
  /** What follows the picture and can be operated (lists of rows, cells to click); nothing by default. */
  protected renderDetails(_result: QueryKinds[K]['result']): TemplateResult | typeof nothing {
    return nothing;
  }
  /** What the empty state says; a widget whose empty result is itself a finding says what was not found. */
  protected emptyText(): string {
    return 'No data for this range.';
  }
  /** The numbers behind the chart, for the hidden table and the CSV. */
  protected abstract dataTable(result: QueryKinds[K]['result']): DataTable;
  /** One sentence summing the result up, for screen readers (`role="img"` label). */
  protected abstract summary(result: QueryKinds[K]['result']): string;

  private runId = 0;
  /** Aborted when a newer run (or leaving the page) makes the running query's answer irrelevant, so a queued query is dropped. */
  private runAbort: AbortController | undefined;
  private sourceElement: SourceElement | undefined;
  private readonly colourScheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  /** New data, or (`refresh`) the same data changed: then the numbers on screen stay until the new ones arrive. */
  private readonly onSourceChange = (event: Event): void => void this.run((event as CustomEvent<{ refresh?: boolean } | null>).detail?.refresh === true);
  /** The source's data is being replaced: show nothing of the old result; the run waits for the new data (`ready()`). */
  private readonly onSourceLoading = (): void => {
    this.result = undefined;
    void this.run();
  };
  private readonly onSchemeChange = (): void => this.requestUpdate();

  /** The query spec this widget runs now. */
  get query(): QueryKinds[K]['query'] {
    const fields = {
      from: this.from,
      to: this.to,
      periods: this.periods,
      timezone: this.timezone,
      weekStart: this.weekStart,
      ...this.specFields(),
      ...this.spec,
      kind: this.kind,
    } as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
    return fields as unknown as QueryKinds[K]['query'];
  }

  /** How a suppressed count reads: `< k`, with k from the source when it says. */
  protected get suppressedText(): string {
    const k = this.sourceElement?.minGroupSize;
    return k && k > 1 ? `< ${k}` : '< k';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.colourScheme?.addEventListener('change', this.onSchemeChange);
    // Moved to another place in the page: its source may be another one.
    if (this.hasUpdated) void this.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.colourScheme?.removeEventListener('change', this.onSchemeChange);
    this.watchSource(undefined);
    this.runId++;
    this.runAbort?.abort();
    this.releaseResources();
  }

  /** Frees what the widget holds outside the DOM (a ChartSlot frees its chart itself); called when it leaves the page. */
  protected releaseResources(): void {}

  // Starting the query here, before rendering, lets its 'loading' state join this update instead of scheduling another.
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const display = (this.constructor as typeof FpElement).displayProperties;
    if (!this.hasUpdated || [...changed.keys()].some((key) => !OWN_STATE.has(key) && !display.includes(key))) void this.run();
  }

  /** Finds the Source: the property, the element named by `source`, or the nearest `fp-source` ancestor. */
  private async resolveSource(): Promise<Source> {
    if (this.source) {
      this.watchSource(undefined);
      return this.source;
    }
    let element: Element | null;
    if (this.sourceId) {
      const root = this.getRootNode() as Document | ShadowRoot;
      element = root.getElementById?.(this.sourceId) ?? document.getElementById(this.sourceId);
      if (!isSourceElement(element)) throw new Error(`source: no fp-source element with id '${this.sourceId}' on the page`);
    } else {
      element = enclosingSource(this);
      if (!isSourceElement(element)) throw new Error('source: set the source attribute to the id of an fp-source element, put the widget inside one, or set the source property');
    }
    this.watchSource(element);
    return element.ready();
  }

  private watchSource(element: SourceElement | undefined): void {
    if (this.sourceElement === element) return;
    this.sourceElement?.removeEventListener('fp-source-change', this.onSourceChange);
    this.sourceElement?.removeEventListener('fp-source-loading', this.onSourceLoading);
    this.sourceElement = element;
    element?.addEventListener('fp-source-change', this.onSourceChange);
    element?.addEventListener('fp-source-loading', this.onSourceLoading);
  }

  /**
   * Runs the query; a newer run makes an older one's answer irrelevant.
   * `keepShowing`: the data was refreshed, not replaced, so a result on
   * screen stays there (no loading state) until the new one replaces it; a
   * live dashboard does not blink every few seconds.
   */
  protected async run(keepShowing = false): Promise<void> {
    const id = ++this.runId;
    this.runAbort?.abort();
    const abort = new AbortController();
    this.runAbort = abort;
    if (!this.isConnected) return;
    if (!(keepShowing && (this.status === 'ready' || this.status === 'empty'))) this.status = 'loading';
    const spec = this.query;
    try {
      const source = await this.resolveSource();
      // A run that waited for the data is overtaken by the one fp-source-change starts when it arrives:
      // only the newest sends its query, so the worker does not answer every widget twice.
      if (id !== this.runId) return;
      const result = (await source.query(spec as Query, { signal: abort.signal })) as QueryKinds[K]['result'];
      if (id !== this.runId) return;
      this.result = result;
      this.error = undefined;
      this.status = this.isEmpty(result) ? 'empty' : 'ready';
      this.emit('fp-result', { spec, result });
    } catch (error) {
      // An aborted query (superseded) rejects too: only the newest run shows anything.
      if (id !== this.runId) return;
      this.error = error instanceof Error ? error : new Error(String(error));
      this.result = undefined;
      this.status = 'error';
      this.emit('fp-error', { spec, error: this.error, message: this.error.message });
    }
  }

  /** Dispatches a bubbling, composed `CustomEvent`. */
  protected emit<T>(name: string, detail: T): boolean {
    return this.dispatchEvent(widgetEvent(name, detail));
  }

  /** A cell as text: numbers formatted, suppressed counts as `< k`. */
  protected cellText(value: DataCell): string {
    if (value === null) return this.suppressedText;
    return typeof value === 'number' ? value.toLocaleString('en', { maximumFractionDigits: 3 }) : value;
  }

  /** Saves the data table as a CSV file, safe to open in a spreadsheet (see `spreadsheetCsv`). */
  downloadCsv(): void {
    if (!this.result) return;
    const table = this.dataTable(this.result);
    const csv = spreadsheetCsv([table.columns, ...table.rows.map((row) => row.map((cell) => (cell === null ? this.suppressedText : cell)))]);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = `${(this.label ?? `footprint-${this.kind}`).replace(/[^\w-]+/g, '-').toLowerCase()}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  private renderTable(table: DataTable): TemplateResult {
    return html`<table class="visually-hidden" part="data-table">
      <caption>${table.caption}</caption>
      <thead><tr>${table.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${table.rows.map((row) => html`<tr>${row.map((cell, i) => (i === 0 ? html`<th scope="row">${this.cellText(cell)}</th>` : html`<td>${this.cellText(cell)}</td>`))}</tr>`)}</tbody>
    </table>`;
  }

  private renderBody(): TemplateResult {
    switch (this.status) {
      case 'loading':
        return html`<div class="state" role="status" aria-live="polite">Loading…</div>`;
      case 'error':
        return html`<div class="state error" role="alert">Could not show ${this.label ?? this.kind}: ${this.error?.message}</div>`;
      case 'empty':
        return html`<div class="state" role="status">${this.emptyText()}</div>`;
      case 'ready': {
        const result = this.result!;
        const suppressed = (result as { suppressed?: boolean }).suppressed;
        return html`<div role="img" aria-label=${this.summary(result)}>${this.renderResult(result)}</div>
          ${this.renderDetails(result)}
          ${suppressed ? html`<p class="note">Groups smaller than the privacy threshold are shown as ${this.suppressedText}.</p>` : nothing}
          ${this.renderTable(this.dataTable(result))}`;
      }
    }
  }

  override render(): TemplateResult {
    return html`<div class="frame" part="frame" aria-busy=${this.status === 'loading' ? 'true' : 'false'}>
      <div class="head">
        ${this.label ? html`<h2 title=${this.label}>${this.label}</h2>` : html`<span></span>`}
        ${this.status === 'ready'
          ? html`<button class="icon-button" part="download" title="Download CSV" aria-label="Download CSV" @click=${() => this.downloadCsv()}
              >${DOWNLOAD_ICON}<span class="visually-hidden">Download CSV</span></button
            >`
          : nothing}
      </div>
      ${this.renderBody()}
    </div>`;
  }
}
