import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { EventsResult } from '../../shared/metrics/events.ts';
import type { Source } from '../../shared/source.ts';

/**
 * The raw events the extension recorded, newest first: what a person sees
 * of what is kept about them. Runs `{ kind: 'events' }` on its source.
 *
 * @summary Table of recorded events.
 * @attr from - first day, `YYYY-MM-DD`.
 * @attr to - last day, `YYYY-MM-DD`.
 * @attr limit - rows shown; default 100.
 * @event fp-result - the query answered; detail `{ spec, result }`.
 */
@customElement('footprint-events-table')
export class FootprintEventsTable extends LitElement {
  static override styles = css`
    :host { display: block; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); }
    h2 { font-size: 1.1em; margin: 0 0 8px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
    td.props { font-family: var(--vscode-editor-font-family, monospace); word-break: break-all; }
    .note { color: var(--vscode-descriptionForeground); }
    .error { color: var(--vscode-errorForeground); }
  `;

  @property({ attribute: false }) source?: Source;
  @property() from?: string;
  @property() to?: string;
  @property({ type: Number }) limit = 100;
  @state() private result?: EventsResult;
  @state() private error?: string;
  private runId = 0;

  protected override willUpdate(changed: PropertyValues): void {
    if (['source', 'from', 'to', 'limit'].some((key) => changed.has(key))) void this.run();
  }

  private async run(): Promise<void> {
    const id = ++this.runId;
    if (!this.source) return;
    const spec = { kind: 'events' as const, limit: this.limit, ...(this.from ? { from: this.from } : {}), ...(this.to ? { to: this.to } : {}) };
    try {
      const result = await this.source.query(spec);
      if (id !== this.runId) return;
      this.result = result;
      this.error = undefined;
      this.dispatchEvent(new CustomEvent('fp-result', { detail: { spec, result }, bubbles: true, composed: true }));
    } catch (error) {
      if (id !== this.runId) return;
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  override render(): TemplateResult {
    const result = this.result;
    return html`<h2>Recorded events</h2>
      ${this.error ? html`<p class="error" role="alert">Could not list the events: ${this.error}</p>` : nothing}
      ${!result
        ? html`<p class="note" role="status">Loading…</p>`
        : result.total === 0
          ? html`<p class="note" role="status">No events recorded in this range.</p>`
          : html`<p class="note">${result.total} event${result.total === 1 ? '' : 's'} in this range${result.total > result.events.length ? `, the newest ${result.events.length} shown` : ''}.</p>
              <table>
                <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">Session</th><th scope="col">Properties</th></tr></thead>
                <tbody>
                  ${result.events.map(
                    (e) => html`<tr><td>${e.timestamp.replace('T', ' ').replace(/\.\d+Z$/, '')}</td><td>${e.event}</td><td>${e.session_id ?? ''}</td><td class="props">${Object.keys(e.properties).length ? JSON.stringify(e.properties) : ''}</td></tr>`,
                  )}
                </tbody>
              </table>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'footprint-events-table': FootprintEventsTable;
  }
}
