import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ConsentState, ConsentTarget } from '../../shared/tracker/consent.ts';
import { themeStyles } from '../base/theme.styles.ts';
import { consentStyles } from './fp-consent.styles.ts';

// posthog-js behind this element: a page that gates posthog-js imports the element anyway, and the
// tracker's own entry (footprint/tracker) has no bytes to spare under its 8 KiB budget.
export { posthogConsent, type PostHogConsentApi } from '../../shared/tracker/posthog-consent.ts';

/** How `fp-consent` shows itself: a banner at the bottom of the page, or a switch inside a settings page. */
export type ConsentVariant = 'banner' | 'toggle';

/** One line of "What is collected?": what is recorded, and why. */
export interface ConsentDetail {
  what: string;
  why: string;
}

/** Detail of `fp-consent-change`: the choice the person made, once the tracker has recorded it. */
export interface FpConsentChangeDetail {
  state: Exclude<ConsentState, 'pending'>;
  /** True when the person also asked to delete what was recorded on this device (only when declining after allowing). */
  deleteStored: boolean;
}

/** The heading of the banner. */
export const DEFAULT_CONSENT_HEADING = 'Help us improve this app';
/** The label of the switch. */
export const DEFAULT_CONSENT_LABEL = 'Record how I use this app';
/** What is asked, in plain words. */
export const DEFAULT_CONSENT_TEXT =
  "We'd like to record how you use this app (pages you open, buttons you click, errors you meet) to improve it. The data stays in our own systems; no input values or personal details are recorded. You can change your mind at any time.";
/** The list behind "What is collected?". */
export const DEFAULT_CONSENT_DETAILS: readonly ConsentDetail[] = [
  { what: 'The pages and screens you open', why: 'to see which parts of the app are used and which are not' },
  { what: 'The buttons and links you click (their label, never what you type)', why: 'to find what is hard to reach or confusing' },
  { what: 'Errors you meet (the message and where it happened)', why: 'to find and fix them' },
  { what: 'When you use the app and for how long', why: 'to know whether a change helped' },
  { what: 'A random id for this browser (not your name, email or address)', why: 'to count people rather than clicks' },
];

/**
 * Asks a person whether their use of the app may be recorded, in plain
 * words, and drives the page's tracker (the `tracker` property, anything
 * with the `ConsentTarget` interface: `createTracker()`'s result). As a
 * banner (the default) it sits at the bottom of the page with "Allow",
 * "Decline" and "What is collected?" until the person chooses; it is a
 * landmark (`role="region"`), not a dialog, so the page stays usable and
 * Escape only closes the list of what is collected. As a toggle it is a
 * switch (`role="switch"`) for a settings page. Declining after allowing
 * offers to delete what was recorded on this device (checked by default).
 * It follows the tracker: a choice made elsewhere (another tab, the
 * tracker's own API) shows at once. Nothing is shown until `tracker` is set.
 * Put the banner early in the page (first in `<body>`): it shows at the
 * bottom, but keyboard users then reach it first.
 *
 * @summary Consent to usage recording: a banner or a switch.
 *
 * @attr variant - `banner` (default): fixed at the bottom, hidden once a choice is made; `toggle`: an inline switch with its label.
 * @attr policy-url - URL of the privacy policy, linked as "Privacy policy".
 * @attr heading - the banner's heading; default "Help us improve this app".
 * @attr label - the switch's label; default "Record how I use this app".
 * @attr text - what is asked, in plain words; default says what is recorded, why, and that the choice can be changed.
 * @attr persistent - the banner stays after a choice (showing the current one), e.g. on a privacy page.
 * @attr theme - `light` or `dark`; default follows `prefers-color-scheme` (and VS Code's theme in a webview).
 * @attr {'pending' | 'granted' | 'denied'} consent - reflects the tracker's state (`pending`, `granted`, `denied`); set by the element, absent while there is no tracker.
 *
 * @event fp-consent-change - the person chose and the tracker recorded it (after `tracker.setConsent` resolved); detail `FpConsentChangeDetail` `{ state, deleteStored }`.
 *
 * @csspart banner - the banner's box.
 * @csspart switch - the switch button of the toggle.
 * @csspart allow - the "Allow" button.
 * @csspart decline - the "Decline" button.
 *
 * @cssproperty --fp-foreground - text colour (falls back to `--vscode-foreground`).
 * @cssproperty --fp-muted - secondary text colour.
 * @cssproperty --fp-background - background colour.
 * @cssproperty --fp-border - border colour.
 * @cssproperty --fp-accent - links, the switch when on and focus rings.
 * @cssproperty --fp-danger - the message when a choice could not be saved.
 * @cssproperty --fp-font-family - font family.
 * @cssproperty --fp-consent-max-width - width of the banner's content (default 1100px).
 * @cssproperty --fp-consent-z-index - stacking of the banner (default 1000).
 *
 * @example
 * <fp-consent policy-url="/privacy"></fp-consent>
 * <script type="module">
 *   document.querySelector('fp-consent').tracker = tracker; // createTracker({ ... })
 * </script>
 */
@customElement('fp-consent')
export class FpConsent extends LitElement {
  static override styles = [themeStyles, consentStyles];

  /** The tracker whose recording follows the person's choice. */
  @property({ attribute: false }) tracker?: ConsentTarget;
  /** `banner` (default): fixed at the bottom, hidden once a choice is made; `toggle`: an inline switch with its label. Reflected. */
  @property({ reflect: true }) variant: ConsentVariant = 'banner';
  /** URL of the privacy policy, linked as "Privacy policy". */
  @property({ attribute: 'policy-url' }) policyUrl?: string;
  /** The banner's heading; default "Help us improve this app". */
  @property() heading: string = DEFAULT_CONSENT_HEADING;
  /** The switch's label; default "Record how I use this app". */
  @property() label: string = DEFAULT_CONSENT_LABEL;
  /** What is asked, in plain words; the default says what is recorded, why, and that the choice can be changed. */
  @property() text: string = DEFAULT_CONSENT_TEXT;
  /** What is collected and why, listed behind "What is collected?". */
  @property({ attribute: false }) details: readonly ConsentDetail[] = DEFAULT_CONSENT_DETAILS;
  /** Keeps the banner after a choice, showing the current one (e.g. on a privacy page). */
  @property({ type: Boolean, reflect: true }) persistent = false;
  /** `light` or `dark`; default follows the page. */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  /** The tracker's state as last heard. */
  @state() private current: ConsentState | undefined;
  @state() private detailsOpen = false;
  /** The "Also delete what was recorded on this device" checkbox. */
  @state() private deleteStored = true;
  /** A choice is being recorded: the controls wait for it. */
  @state() private busy = false;
  /** Why the last choice could not be recorded. */
  @state() private failure: string | undefined;

  private unsubscribe: (() => void) | undefined;
  private subscribedTo: ConsentTarget | undefined;

  /** The tracker's consent as the element shows it; undefined while there is no tracker. */
  get consent(): ConsentState | undefined {
    return this.current;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.follow(this.tracker);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.follow(undefined);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('tracker') && this.isConnected) this.follow(this.tracker);
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('current')) return;
    if (this.current === undefined) this.removeAttribute('consent');
    else this.setAttribute('consent', this.current);
  }

  /** Shows `tracker`'s state and listens to its changes (and no longer to the previous tracker's). */
  private follow(tracker: ConsentTarget | undefined): void {
    this.current = tracker?.consent;
    if (tracker === this.subscribedTo) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribedTo = tracker;
    if (!tracker) return;
    this.unsubscribe = tracker.onConsentChange((state) => {
      this.current = state;
      this.failure = undefined;
      // A fresh grant offers deletion (checked) again the next time.
      if (state === 'granted') this.deleteStored = true;
    });
  }

  /** Records `state` with the tracker, then announces it with `fp-consent-change`. */
  private async choose(state: Exclude<ConsentState, 'pending'>): Promise<void> {
    const tracker = this.tracker;
    // While a choice is being recorded the controls stay focusable (aria-disabled, not disabled, which would drop the focus) but do nothing.
    // Without a tracker nothing is rendered, so there is nothing to click.
    if (this.busy || !tracker) return;
    // Deleting is offered only when something may have been recorded, i.e. after allowing.
    const deleteStored = state === 'denied' && tracker.consent === 'granted' && this.deleteStored;
    this.busy = true;
    this.failure = undefined;
    try {
      if (state === 'denied' && tracker.consent === 'granted') await tracker.setConsent('denied', { deleteStored });
      else await tracker.setConsent(state);
    } catch (error) {
      this.failure = `Could not save your choice: ${error instanceof Error ? error.message : String(error)}. Please try again.`;
      return;
    } finally {
      this.busy = false;
    }
    this.current = tracker.consent;
    this.dispatchEvent(new CustomEvent<FpConsentChangeDetail>('fp-consent-change', { detail: { state, deleteStored }, bubbles: true, composed: true }));
  }

  private onKeydown(event: KeyboardEvent): void {
    // Not a dialog: Escape only folds the list away, it never chooses for the person.
    if (event.key !== 'Escape' || !this.detailsOpen) return;
    this.detailsOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#details-button')?.focus());
  }

  private renderDetails(): TemplateResult {
    return html`<ul class="details" id="details" ?hidden=${!this.detailsOpen}>
      ${this.details.map((item) => html`<li>${item.what}: <span class="why">${item.why}</span></li>`)}
    </ul>`;
  }

  private renderLinks(): TemplateResult {
    return html`<div class="links">
      <button id="details-button" class="link" aria-expanded=${this.detailsOpen ? 'true' : 'false'} aria-controls="details" @click=${() => (this.detailsOpen = !this.detailsOpen)}>What is collected?</button>
      ${this.policyUrl ? html`<a href=${this.policyUrl}>Privacy policy</a>` : nothing}
    </div>`;
  }

  private renderDeleteOption(): TemplateResult | typeof nothing {
    if (this.current !== 'granted') return nothing;
    return html`<label class="delete">
      <input type="checkbox" .checked=${this.deleteStored} @change=${(event: Event) => (this.deleteStored = (event.target as HTMLInputElement).checked)} />
      Also delete what was recorded on this device
    </label>`;
  }

  private renderFailure(): TemplateResult | typeof nothing {
    return this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing;
  }

  private renderBanner(): TemplateResult {
    const chosen = this.current === 'granted' ? 'You allowed recording.' : this.current === 'denied' ? 'You declined recording.' : '';
    return html`<section class="banner" part="banner" role="region" aria-labelledby="heading" @keydown=${this.onKeydown}>
      <div class="banner-inner">
        <div class="message">
          <h2 id="heading">${this.heading}</h2>
          <p id="text">${this.text}</p>
          ${this.renderLinks()} ${this.renderDetails()} ${this.renderFailure()}
        </div>
        <div class="actions">
          ${chosen ? html`<p class="current">${chosen}</p>` : nothing}
          ${this.renderDeleteOption()}
          <div class="buttons">
            <button class="choice" part="allow" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.choose('granted')}>Allow</button>
            <button class="choice" part="decline" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.choose('denied')}>Decline</button>
          </div>
        </div>
      </div>
    </section>`;
  }

  private renderToggle(): TemplateResult {
    const on = this.current === 'granted';
    const word = on ? 'On' : this.current === 'denied' ? 'Off' : 'Off (not chosen yet)';
    return html`<div class="toggle" @keydown=${this.onKeydown}>
      <div class="toggle-row">
        <button id="switch" part="switch" role="switch" aria-checked=${on ? 'true' : 'false'} aria-describedby="text" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.choose(on ? 'denied' : 'granted')}>
          <span class="thumb"></span>
        </button>
        <label for="switch">${this.label}</label>
        <span class="state-word" aria-hidden="true">${word}</span>
      </div>
      <p class="text" id="text">${this.text}</p>
      ${this.renderDeleteOption()} ${this.renderLinks()} ${this.renderDetails()} ${this.renderFailure()}
    </div>`;
  }

  override render(): TemplateResult | typeof nothing {
    if (this.current === undefined) return nothing;
    return this.variant === 'toggle' ? this.renderToggle() : this.renderBanner();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-consent': FpConsent;
  }
  interface GlobalEventHandlersEventMap {
    'fp-consent-change': CustomEvent<FpConsentChangeDetail>;
  }
}
