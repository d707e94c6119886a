import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-funnel/fp-funnel.ts';
import type { FpFunnel, FunnelStepClick } from '../../widgets/fp-funnel/fp-funnel.ts';
import { formatDuration } from '../../widgets/fp-funnel/funnel-format.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

// Four sign-ups; a, b and d onboard (after 5 min, 23 h and 10 min); a and d
// create a project (1 h and 2.1 days after onboarding). a views a page in
// between, which only a strict funnel minds.
const events = [
  { event: 'signup', user_id: 'a', timestamp: '2026-11-20T09:00:00Z' },
  { event: '$pageview', user_id: 'a', timestamp: '2026-11-20T09:02:00Z' },
  { event: 'onboarding_completed', user_id: 'a', timestamp: '2026-11-20T09:05:00Z' },
  { event: 'project_created', user_id: 'a', timestamp: '2026-11-20T10:05:00Z' },
  { event: 'signup', user_id: 'b', timestamp: '2026-11-21T10:00:00Z' },
  { event: 'onboarding_completed', user_id: 'b', timestamp: '2026-11-22T09:00:00Z' },
  { event: 'signup', user_id: 'c', timestamp: '2026-11-22T08:00:00Z' },
  { event: 'signup', user_id: 'd', timestamp: '2026-11-23T09:00:00Z' },
  { event: 'onboarding_completed', user_id: 'd', timestamp: '2026-11-23T09:10:00Z' },
  { event: 'project_created', user_id: 'd', timestamp: '2026-11-25T11:34:00Z' },
];

async function funnel(attributes: Partial<FpFunnel> = {}, options = {}): Promise<FpFunnel> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpFunnel>(
    html`<fp-funnel label="Onboarding" .source=${store} steps="signup, onboarding_completed,project_created" from="2026-11-20" to="2026-11-28"></fp-funnel>`,
  );
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const stepButtons = (element: FpFunnel) => [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.step')];
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const counts = (element: FpFunnel) => tableText(element).slice(1).map((row) => row.slice(0, 2));

describe('fp-funnel', () => {
  it('is defined', () => {
    expect(customElements.get('fp-funnel')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await funnel();
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and sums them up for screen readers', async () => {
    const element = await funnel();
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Step', 'Users', 'Conversion (%)', 'From previous step (%)', 'Drop-off', 'Median seconds', 'Mean seconds'],
      ['1. signup', '4', '100', '100', '0', '', ''],
      // Times 300, 82,800 and 600 s: median 600, mean 83,700 / 3.
      ['2. onboarding_completed', '3', '75', '75', '1', '600', '27,900'],
      // Times 3,600 and 181,440 s: median and mean 92,520.
      ['3. project_created', '2', '50', '66.7', '1', '92,520', '92,520'],
    ]);
    expect(imageLabel(element)).to.equal('Funnel of 3 steps: 4 users started, 50% reached project_created; the biggest drop is after onboarding_completed (33% lost).');
  });

  it('draws each step with its share, its drop-off and its median time', async () => {
    const element = await funnel();
    const [first, second, third] = stepButtons(element);
    // Its text is its accessible name, hidden words included.
    expect(text(first!)).to.equal('1. signup 4 users 100% of step 1');
    expect(text(second!)).to.equal('2. onboarding_completed 3 users 75% of step 1 ; 1 dropped off (25%) · median 10 min');
    expect(text(third!)).to.equal('3. project_created 2 users 50% of step 1 ; 1 dropped off (33%) · median 1.1 days');
    // Bars are shares of the track (step 1): kept 50%, lost since step 2 the 25% between.
    const width = (part: Element | null) => (part as HTMLElement | null)?.style.width;
    expect(width(third!.querySelector('.kept'))).to.equal('50%');
    expect(width(third!.querySelector('.lost'))).to.equal('25%');
    expect(first!.querySelector('.lost')).to.equal(null);
  });

  it('formats times as a reader says them', () => {
    expect([45, 59.7, 300, 82_800, 86_400, 181_440].map(formatDuration)).to.deep.equal(['45 s', '1 min', '5 min', '23 h', '1 day', '2.1 days']);
  });

  it('queries again when an attribute changes', async () => {
    const element = await funnel();
    // d creates the project 2 days after signing up: outside a one-day window.
    element.setAttribute('window', '1d');
    await settled(element);
    expect(counts(element)).to.deep.equal([
      ['1. signup', '4'],
      ['2. onboarding_completed', '3'],
      ['3. project_created', '1'],
    ]);
    // Strict: a's page view comes between signup and onboarding, so a stops at step 1 (and d still at 2).
    element.setAttribute('order', 'strict');
    await settled(element);
    expect(counts(element).map((row) => row[1])).to.deep.equal(['4', '2', '0']);
    element.setAttribute('steps', 'signup , project_created');
    element.removeAttribute('order');
    await settled(element);
    expect(counts(element)).to.deep.equal([
      ['1. signup', '4'],
      ['2. project_created', '1'],
    ]);
  });

  it('takes object-valued fields as properties', async () => {
    // a views a page between signup and onboarding: excluded, not even counted at step 1.
    // No more than 2 hours from onboarding to the project: d took 2.1 days.
    const element = await funnel({ stepWindows: [null, null, '2h'], exclusions: [{ event: '$pageview', from: 0, to: 1 }] });
    expect(counts(element).map((row) => row[1])).to.deep.equal(['3', '2', '0']);
  });

  it('tells the page which step was clicked or activated with the keyboard', async () => {
    const element = await funnel();
    const [, second, third] = stepButtons(element);
    const next = () => new Promise<FunnelStepClick>((resolve) => element.addEventListener('fp-step-click', (e) => resolve(e.detail), { once: true }));

    let clicked = next();
    const box = second!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    expect(await clicked).to.deep.equal({ step: 1, event: 'onboarding_completed', count: 3, dropOff: 1 });

    clicked = next();
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(third);
    await sendKeys({ press: 'Enter' });
    expect(await clicked).to.deep.equal({ step: 2, event: 'project_created', count: 2, dropOff: 1 });

    clicked = next();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ press: 'Space' });
    expect(await clicked).to.deep.equal({ step: 1, event: 'onboarding_completed', count: 3, dropOff: 1 });
  });

  it('shows the empty state for a range without sign-ups', async () => {
    const element = await funnel({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await funnel();
    element.setAttribute('window', '7 days');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("window: must be { value, unit } or a whole number and m, h, d or w (30m, 2h, 7d, 2w), got '7 days'");
    element.setAttribute('window', '7d');
    element.setAttribute('steps', 'signup');
    await settled(element);
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('steps: a funnel needs at least 2 steps, got 1');
  });

  it('shows suppressed counts as < k, and leaves what derives from them blank', async () => {
    const element = await funnel({}, { minGroupSize: 3 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['1. signup', '4', '100', '100', '0', '', ''],
      ['2. onboarding_completed', '3', '75', '75', '1', '600', '27,900'],
      ['3. project_created', '< k', '', '', '', '', ''],
    ]);
    const third = stepButtons(element)[2]!;
    expect(text(third)).to.equal('3. project_created < k users');
    expect(imageLabel(element)).to.equal('Funnel of 3 steps: 4 users started, < k users reached project_created; the biggest drop is after signup (25% lost).');
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });

  it('offers its numbers as CSV', async () => {
    const element = await funnel();
    const download = element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!;
    expect(download.textContent).to.equal('Download CSV');
  });
});
