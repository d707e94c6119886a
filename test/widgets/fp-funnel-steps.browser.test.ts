import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import '../../widgets/fp-funnel-steps/fp-funnel-steps.ts';
import type { FpFunnelSteps } from '../../widgets/fp-funnel-steps/fp-funnel-steps.ts';
import { fixtureStore, settled } from './widget-helpers.ts';

const at = (user: string, event: string, day = 27) => ({ event, user_id: user, timestamp: `2026-11-${day}T09:00:00Z` });

/** signup by 3 users, open by 2, save by 1, and a $click (the tracker's, not offered). */
const sample = [at('a', 'signup'), at('b', 'signup'), at('c', 'signup'), at('a', 'open'), at('b', 'open'), at('a', 'save'), at('a', '$click')];
/** A visitor's own file: other names (view by 2 users, buy by 1), on the 20th. */
const own = [at('x', 'view', 20), at('y', 'view', 20), at('x', 'buy', 20)];

async function picker(steps: string, events = sample) {
  const store = await fixtureStore(events);
  const changes: string[][] = [];
  const element = await fixture<FpFunnelSteps>(
    html`<fp-funnel-steps .source=${store} steps=${steps} from="2026-11-01" to="2026-11-28" @fp-steps-change=${(e: CustomEvent<{ steps: string[] }>) => changes.push(e.detail.steps)}></fp-funnel-steps>`,
  );
  await settled(element);
  return { element, changes };
}

const lists = (element: FpFunnelSteps) => [...element.shadowRoot!.querySelectorAll('select')];
const options = (select: HTMLSelectElement) => [...select.options].map((option) => option.textContent!.trim());

async function pick(element: FpFunnelSteps, list: number, name: string): Promise<void> {
  const select = lists(element)[list]!;
  select.value = name;
  select.dispatchEvent(new Event('change'));
  await element.updateComplete;
}

describe('fp-funnel-steps', () => {
  it('is accessible', async () => {
    const { element } = await picker('signup, open');
    await wcExpect(element).to.be.accessible();
  });

  it('offers the data\'s event names, most users first, without the tracker\'s $ events', async () => {
    const { element, changes } = await picker('signup, open');
    expect(element.value).to.deep.equal(['signup', 'open']);
    // The given steps are all in the data: nothing changed.
    expect(changes).to.deep.equal([]);
    expect(lists(element).map((select) => select.getAttribute('aria-label'))).to.deep.equal(['Step 1', 'Step 2', 'Add a step']);
    expect(lists(element).map((select) => select.value)).to.deep.equal(['signup', 'open', '']);
    expect(options(lists(element)[2]!)).to.deep.equal(['Add a step…', 'signup (3 users)', 'open (2 users)', 'save (1 user)']);
  });

  it('adds, changes and removes steps, up to five, and tells the page', async () => {
    const { element, changes } = await picker('signup, open');
    await pick(element, 2, 'save');
    await pick(element, 0, 'open');
    await pick(element, 1, '');
    expect(changes).to.deep.equal([
      ['signup', 'open', 'save'],
      ['open', 'open', 'save'],
      ['open', 'save'],
    ]);
    for (const name of ['signup', 'open', 'save']) await pick(element, lists(element).length - 1, name);
    expect(element.value).to.deep.equal(['open', 'save', 'signup', 'open', 'save']);
    expect(lists(element).length).to.equal(5);
  });

  it("drops the steps another file lacks, and picks the given ones again when the data has them", async () => {
    const { element, changes } = await picker('signup, open, paid');
    // No paid event: signup and open remain.
    expect(element.value).to.deep.equal(['signup', 'open']);
    element.source = await fixtureStore(own);
    await settled(element);
    expect(element.value).to.deep.equal([]);
    expect(element.shadowRoot!.textContent).to.contain('Pick two or more steps to see the funnel.');
    expect(options(lists(element)[0]!)).to.deep.equal(['First step…', 'view (2 users)', 'buy (1 user)']);
    await pick(element, 0, 'view');
    await pick(element, 1, 'buy');
    element.source = await fixtureStore(sample);
    await settled(element);
    expect(changes).to.deep.equal([['signup', 'open'], [], ['view'], ['view', 'buy'], ['signup', 'open']]);
  });

  it('says when its data is loading, missing or failing', async () => {
    const waiting = await fixture<FpFunnelSteps>(html`<fp-funnel-steps .source=${{ query: () => new Promise(() => {}) } as never}></fp-funnel-steps>`);
    expect(waiting.shadowRoot!.textContent).to.contain('Loading event names…');
    const { element } = await picker('signup, open', own);
    element.from = '2026-11-25';
    await settled(element);
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No events in this range to build a funnel from.');
    element.from = 'soon';
    await settled(element);
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('Could not list the event names: from:');
  });
});
