import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-consent/fp-consent.ts';
import { DEFAULT_CONSENT_TEXT, type FpConsent, type FpConsentChangeDetail } from '../../widgets/fp-consent/fp-consent.ts';
import type { ConsentChangeOptions, ConsentState, ConsentTarget } from '../../shared/tracker/consent.ts';

type Choice = Exclude<ConsentState, 'pending'>;

/**
 * A hand-written ConsentTarget (the interface fp-consent is built against):
 * keeps the state in memory, notifies its listeners, and records each call
 * of setConsent with its arguments as given.
 */
class MemoryConsent implements ConsentTarget {
  consent: ConsentState;
  readonly calls: unknown[][] = [];
  readonly listeners = new Set<(state: ConsentState) => void>();
  /** When set, setConsent rejects with this error (a storage that failed). */
  failWith: Error | undefined;
  /** When set, setConsent waits for this promise (a slow storage). */
  hold: Promise<void> | undefined;

  constructor(initial: ConsentState = 'pending') {
    this.consent = initial;
  }

  async setConsent(...args: [Choice, ConsentChangeOptions?]): Promise<void> {
    this.calls.push(args);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await this.hold;
    if (this.failWith) throw this.failWith;
    this.change(args[0]);
  }

  onConsentChange(listener: (state: ConsentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A change from elsewhere (another tab, the tracker's own API). */
  change(state: ConsentState): void {
    this.consent = state;
    for (const listener of this.listeners) listener(state);
  }
}

async function consent(target: ConsentTarget | undefined, attributes: Partial<FpConsent> = {}): Promise<FpConsent> {
  const element = await fixture<FpConsent>(html`<fp-consent .tracker=${target}></fp-consent>`);
  Object.assign(element, attributes);
  await element.updateComplete;
  return element;
}

const inner = <T extends Element = HTMLElement>(element: FpConsent, selector: string): T | null => element.shadowRoot!.querySelector<T>(selector);
const shown = (element: Element): boolean => getComputedStyle(element).display !== 'none';
const button = (element: FpConsent, text: string): HTMLButtonElement =>
  [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === text) ?? (() => { throw new Error(`no button "${text}"`); })();
const deleteBox = (element: FpConsent): HTMLInputElement | null => inner<HTMLInputElement>(element, 'input[type="checkbox"]');
/** The element's shadow-root focus, as a text: the button's text or the input's type. */
const focusedText = (element: FpConsent): string | undefined => {
  const active = element.shadowRoot!.activeElement as HTMLElement | null;
  return active ? (active.localName === 'input' ? `input:${(active as HTMLInputElement).type}` : active.textContent!.trim()) : undefined;
};

async function click(target: Element): Promise<void> {
  const box = target.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
}

/** Collects fp-consent-change events heard on the document (so they bubble out of the page's tree), with the tracker's state when each was sent. */
function listen(target: MemoryConsent): { details: FpConsentChangeDetail[]; consentAtEvent: ConsentState[]; composed: boolean[]; stop: () => void } {
  const details: FpConsentChangeDetail[] = [];
  const consentAtEvent: ConsentState[] = [];
  const composed: boolean[] = [];
  const onChange = (event: CustomEvent<FpConsentChangeDetail>): void => {
    details.push(event.detail);
    consentAtEvent.push(target.consent);
    composed.push(event.composed);
  };
  document.addEventListener('fp-consent-change', onChange);
  return { details, consentAtEvent, composed, stop: () => document.removeEventListener('fp-consent-change', onChange) };
}

/** Waits until `test` holds (an async choice settles a few ticks later). */
async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('fp-consent', () => {
  let stopListening: (() => void) | undefined;
  afterEach(() => {
    stopListening?.();
    stopListening = undefined;
  });

  it('is defined', () => {
    expect(customElements.get('fp-consent')).to.not.equal(undefined);
  });

  it('is accessible as a banner (asking, and after allowing with the list open), light and dark', async () => {
    const asking = await consent(new MemoryConsent('pending'), { policyUrl: '/privacy' });
    await wcExpect(asking).to.be.accessible();
    const granted = await consent(new MemoryConsent('granted'), { persistent: true, theme: 'dark', policyUrl: '/privacy' });
    button(granted, 'What is collected?').click();
    await granted.updateComplete;
    expect(deleteBox(granted)).to.not.equal(null);
    await wcExpect(granted).to.be.accessible();
  });

  it('is accessible as a toggle, off and on', async () => {
    const off = await consent(new MemoryConsent('denied'), { variant: 'toggle' });
    await wcExpect(off).to.be.accessible();
    const on = await consent(new MemoryConsent('granted'), { variant: 'toggle', theme: 'dark', policyUrl: '/privacy' });
    await wcExpect(on).to.be.accessible();
  });

  it('asks in plain words, in a region named by its heading, while consent is pending', async () => {
    const element = await consent(new MemoryConsent('pending'), { policyUrl: '/privacy' });
    expect(element.getAttribute('consent')).to.equal('pending');
    expect(element.consent).to.equal('pending');
    expect(shown(element)).to.equal(true);
    const region = inner(element, '[role="region"]')!;
    expect(region.getAttribute('aria-labelledby')).to.equal('heading');
    expect(inner(element, '#heading')!.textContent).to.equal('Help us improve this app');
    expect(inner(element, '#text')!.textContent).to.equal(DEFAULT_CONSENT_TEXT);
    expect(DEFAULT_CONSENT_TEXT).to.equal(
      "We'd like to record how you use this app (pages you open, buttons you click, errors you meet) to improve it. The data stays in our own systems; no input values or personal details are recorded. You can change your mind at any time.",
    );
    expect([...element.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['What is collected?', 'Allow', 'Decline']);
    const policy = inner<HTMLAnchorElement>(element, 'a')!;
    expect([policy.textContent, policy.getAttribute('href')]).to.deep.equal(['Privacy policy', '/privacy']);
    // Nothing was recorded yet: nothing to delete.
    expect(deleteBox(element)).to.equal(null);
    expect(getComputedStyle(element).position).to.equal('fixed');
  });

  it('shows nothing without a tracker', async () => {
    const element = await consent(undefined);
    expect(element.hasAttribute('consent')).to.equal(false);
    expect(element.consent).to.equal(undefined);
    expect(shown(element)).to.equal(false);
    expect(element.shadowRoot!.querySelector('button')).to.equal(null);
  });

  it('is hidden once consent is granted or denied, unless persistent, which shows the choice', async () => {
    const granted = await consent(new MemoryConsent('granted'));
    expect([granted.getAttribute('consent'), shown(granted)]).to.deep.equal(['granted', false]);
    const denied = await consent(new MemoryConsent('denied'));
    expect([denied.getAttribute('consent'), shown(denied)]).to.deep.equal(['denied', false]);

    const keptGranted = await consent(new MemoryConsent('granted'), { persistent: true });
    expect(shown(keptGranted)).to.equal(true);
    expect(inner(keptGranted, '.current')!.textContent).to.equal('You allowed recording.');
    expect(deleteBox(keptGranted)!.checked).to.equal(true);
    expect(deleteBox(keptGranted)!.closest('label')!.textContent!.trim()).to.equal('Also delete what was recorded on this device');
    const keptDenied = await consent(new MemoryConsent('denied'), { persistent: true });
    expect(inner(keptDenied, '.current')!.textContent).to.equal('You declined recording.');
    expect(deleteBox(keptDenied)).to.equal(null);
  });

  it('follows changes made elsewhere: hides on a choice, shows again when consent is pending again', async () => {
    const target = new MemoryConsent('pending');
    const element = await consent(target);
    target.change('denied');
    await element.updateComplete;
    expect([element.getAttribute('consent'), shown(element)]).to.deep.equal(['denied', false]);
    target.change('pending');
    await element.updateComplete;
    expect([element.getAttribute('consent'), shown(element)]).to.deep.equal(['pending', true]);
  });

  it('allows by keyboard: Tab to "Allow", Enter; calls setConsent("granted"), then emits fp-consent-change and hides', async () => {
    const target = new MemoryConsent('pending');
    const element = await consent(target, { policyUrl: '/privacy' });
    const events = listen(target);
    stopListening = events.stop;
    button(element, 'What is collected?').focus();
    await sendKeys({ press: 'Tab' });
    expect(focusedText(element)).to.equal('Privacy policy');
    await sendKeys({ press: 'Tab' });
    expect(focusedText(element)).to.equal('Allow');
    await sendKeys({ press: 'Enter' });
    await until(() => events.details.length > 0, 'fp-consent-change');
    expect(target.calls).to.deep.equal([['granted']]);
    expect(events.details).to.deep.equal([{ state: 'granted', deleteStored: false }]);
    // The event follows the tracker's own change, not the click.
    expect(events.consentAtEvent).to.deep.equal(['granted']);
    expect(events.composed).to.deep.equal([true]);
    await element.updateComplete;
    expect([element.getAttribute('consent'), shown(element)]).to.deep.equal(['granted', false]);
  });

  it('declines with a click while pending: setConsent("denied") with nothing to delete, then hides', async () => {
    const target = new MemoryConsent('pending');
    const element = await consent(target);
    const events = listen(target);
    stopListening = events.stop;
    await click(button(element, 'Decline'));
    await until(() => events.details.length > 0, 'fp-consent-change');
    expect(target.calls).to.deep.equal([['denied']]);
    expect(events.details).to.deep.equal([{ state: 'denied', deleteStored: false }]);
    await element.updateComplete;
    expect(shown(element)).to.equal(false);
  });

  it('declining after allowing deletes what was recorded unless the box is unchecked', async () => {
    const target = new MemoryConsent('granted');
    const element = await consent(target, { persistent: true });
    const events = listen(target);
    stopListening = events.stop;
    await click(button(element, 'Decline'));
    await until(() => events.details.length === 1, 'the first fp-consent-change');
    expect(target.calls).to.deep.equal([['denied', { deleteStored: true }]]);
    expect(events.details).to.deep.equal([{ state: 'denied', deleteStored: true }]);

    // Allowed again, then declined keeping the data: the box is unchecked with the keyboard.
    target.change('granted');
    await element.updateComplete;
    deleteBox(element)!.focus();
    await sendKeys({ press: 'Space' });
    await element.updateComplete;
    expect(deleteBox(element)!.checked).to.equal(false);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(focusedText(element)).to.equal('Decline');
    await sendKeys({ press: 'Enter' });
    await until(() => events.details.length === 2, 'the second fp-consent-change');
    expect(target.calls).to.deep.equal([
      ['denied', { deleteStored: true }],
      ['denied', { deleteStored: false }],
    ]);
    expect(events.details[1]).to.deep.equal({ state: 'denied', deleteStored: false });
    await element.updateComplete;
    expect(inner(element, '.current')!.textContent).to.equal('You declined recording.');
    expect(deleteBox(element)).to.equal(null);
  });

  it('lists what is collected and why behind a disclosure; Escape folds it away and chooses nothing', async () => {
    const target = new MemoryConsent('pending');
    const element = await consent(target, { details: [{ what: 'Pages you open', why: 'to see what is used' }, { what: 'Errors', why: 'to fix them' }] });
    const disclosure = button(element, 'What is collected?');
    expect(disclosure.getAttribute('aria-expanded')).to.equal('false');
    expect(disclosure.getAttribute('aria-controls')).to.equal('details');
    expect(shown(inner(element, '#details')!)).to.equal(false);
    disclosure.focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(disclosure.getAttribute('aria-expanded')).to.equal('true');
    expect(shown(inner(element, '#details')!)).to.equal(true);
    expect([...element.shadowRoot!.querySelectorAll('#details li')].map((li) => li.textContent)).to.deep.equal(['Pages you open: to see what is used', 'Errors: to fix them']);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    expect(disclosure.getAttribute('aria-expanded')).to.equal('false');
    expect(focusedText(element)).to.equal('What is collected?');
    await sendKeys({ press: 'Escape' });
    expect(target.calls).to.deep.equal([]);
    expect(shown(element)).to.equal(true);
  });

  it('takes its texts from attributes', async () => {
    const element = await fixture<FpConsent>(html`<fp-consent .tracker=${new MemoryConsent()} heading="Usage data" text="We count clicks."></fp-consent>`);
    expect(inner(element, '#heading')!.textContent).to.equal('Usage data');
    expect(inner(element, '#text')!.textContent).to.equal('We count clicks.');
  });

  it('as a toggle: aria-checked follows the tracker, and Space switches it through setConsent', async () => {
    const target = new MemoryConsent('pending');
    const element = await consent(target, { variant: 'toggle' });
    const events = listen(target);
    stopListening = events.stop;
    const toggle = inner<HTMLButtonElement>(element, '[role="switch"]')!;
    expect(shown(element)).to.equal(true);
    expect(toggle.getAttribute('aria-checked')).to.equal('false');
    expect(inner(element, 'label[for="switch"]')!.textContent).to.equal('Record how I use this app');
    expect(toggle.getAttribute('aria-describedby')).to.equal('text');
    expect(inner(element, '.state-word')!.textContent).to.equal('Off (not chosen yet)');

    target.change('granted');
    await element.updateComplete;
    expect(toggle.getAttribute('aria-checked')).to.equal('true');
    expect(shown(element)).to.equal(true);
    target.change('denied');
    await element.updateComplete;
    expect(toggle.getAttribute('aria-checked')).to.equal('false');
    expect(inner(element, '.state-word')!.textContent).to.equal('Off');

    toggle.focus();
    await sendKeys({ press: 'Space' });
    await until(() => events.details.length === 1, 'fp-consent-change on');
    await element.updateComplete;
    expect(toggle.getAttribute('aria-checked')).to.equal('true');
    expect(deleteBox(element)!.checked).to.equal(true);
    // The focus stays on the switch while the choice is recorded.
    expect(element.shadowRoot!.activeElement === toggle).to.equal(true);
    await sendKeys({ press: 'Space' });
    await until(() => events.details.length === 2, 'fp-consent-change off');
    await element.updateComplete;
    expect(toggle.getAttribute('aria-checked')).to.equal('false');
    expect(target.calls).to.deep.equal([['granted'], ['denied', { deleteStored: true }]]);
    expect(events.details).to.deep.equal([
      { state: 'granted', deleteStored: false },
      { state: 'denied', deleteStored: true },
    ]);
  });

  it('as a toggle: a click on its label switches it', async () => {
    const target = new MemoryConsent('denied');
    const element = await consent(target, { variant: 'toggle' });
    await click(inner(element, 'label[for="switch"]')!);
    await until(() => target.consent === 'granted', 'the tracker to be granted');
    await element.updateComplete;
    expect(target.calls).to.deep.equal([['granted']]);
    expect(inner(element, '[role="switch"]')!.getAttribute('aria-checked')).to.equal('true');
  });

  it('says when a choice could not be saved, emits nothing and stays', async () => {
    const target = new MemoryConsent('pending');
    target.failWith = new Error('IndexedDB is not available');
    const element = await consent(target);
    const events = listen(target);
    stopListening = events.stop;
    await click(button(element, 'Allow'));
    await until(() => inner(element, '[role="alert"]') !== null, 'the alert');
    expect(inner(element, '[role="alert"]')!.textContent).to.equal('Could not save your choice: IndexedDB is not available. Please try again.');
    expect(events.details).to.deep.equal([]);
    expect([element.getAttribute('consent'), shown(element)]).to.deep.equal(['pending', true]);
    expect(button(element, 'Allow').getAttribute('aria-disabled')).to.equal('false');
  });

  it('ignores more choices while one is being recorded, and keeps the focus', async () => {
    const target = new MemoryConsent('pending');
    let release = (): void => undefined;
    target.hold = new Promise<void>((resolve) => (release = resolve));
    const element = await consent(target, { persistent: true });
    const events = listen(target);
    stopListening = events.stop;
    button(element, 'Allow').focus();
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(button(element, 'Allow').getAttribute('aria-disabled')).to.equal('true');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect(focusedText(element)).to.equal('Decline');
    release();
    await until(() => events.details.length === 1, 'fp-consent-change');
    await element.updateComplete;
    expect(target.calls).to.deep.equal([['granted']]);
    expect(button(element, 'Decline').getAttribute('aria-disabled')).to.equal('false');
  });

  it('listens to the tracker it has: a new one replaces the old, leaving the page stops listening', async () => {
    const first = new MemoryConsent('pending');
    const second = new MemoryConsent('granted');
    const element = await consent(first);
    expect(first.listeners.size).to.equal(1);
    element.tracker = second;
    await element.updateComplete;
    expect([first.listeners.size, second.listeners.size]).to.deep.equal([0, 1]);
    expect(element.getAttribute('consent')).to.equal('granted');
    first.change('denied');
    await element.updateComplete;
    expect(element.getAttribute('consent')).to.equal('granted');
    element.remove();
    expect(second.listeners.size).to.equal(0);
    document.body.append(element);
    await element.updateComplete;
    expect(second.listeners.size).to.equal(1);
    element.remove();
  });
});
