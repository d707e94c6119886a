import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SentEvent } from '../src/bridge.ts';

/** `2026-12-04T10:11:12.345Z` as `2026-12-04 10:11:12`. */
function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** Newest shown first, at most this many rows. */
const SHOWN = 200;

/**
 * Every event this installation sent to the extension's author, newest
 * first: what it was, when it was recorded, when it was sent and where. The
 * host answers the page's `footprint.sent.request` with the list.
 *
 * @summary Table of the events sent to the author.
 * @attr target - the server events go to (an origin).
 * @attr toggle - the command that turns sharing off (its button is shown while sharing).
 */
@customElement('footprint-sent-table')
export class FootprintSentTable extends LitElement {
  static override styles = css`
    :host { display: block; margin-top: 16px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size, 13px); }
    h2 { font-size: 1.1em; margin: 0 0 8px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
    .note { color: var(--vscode-descriptionForeground); }
    button { font: inherit; color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 2px 10px; cursor: pointer; }
    button:hover { background: var(--vscode-button-secondaryHoverBackground); }
    button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
  `;

  @property() target = '';
  @property() toggle = '';
  /** The sent events, oldest first; undefined until the host answers. */
  @property({ attribute: false }) events?: SentEvent[];
  @property({ type: Boolean }) sharing = false;

  override render(): TemplateResult {
    const events = this.events;
    const newest = events ? [...events].reverse().slice(0, SHOWN) : [];
    return html`<h2>Sent to the author</h2>
      <p class="note">
        ${this.sharing ? html`Sharing is on: the events recorded from now on are sent to ${this.target}.` : html`Sharing is off: nothing is sent to ${this.target}.`}
        ${this.sharing && this.toggle ? html`<button data-run=${this.toggle}>Stop sharing…</button>` : nothing}
      </p>
      ${!events
        ? html`<p class="note" role="status">Loading…</p>`
        : events.length === 0
          ? html`<p class="note" role="status">No event has been sent.</p>`
          : html`<p class="note">${events.length} event${events.length === 1 ? '' : 's'} sent${events.length > SHOWN ? `, the newest ${SHOWN} shown` : ''}.</p>
              <table>
                <thead><tr><th scope="col">Sent (UTC)</th><th scope="col">Event</th><th scope="col">Recorded (UTC)</th><th scope="col">To</th></tr></thead>
                <tbody>
                  ${newest.map((e) => html`<tr><td>${utc(e.sent_at)}</td><td>${e.event}</td><td>${utc(e.timestamp)}</td><td>${e.url}</td></tr>`)}
                </tbody>
              </table>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'footprint-sent-table': FootprintSentTable;
  }
}
