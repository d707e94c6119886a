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

const addList = (element: FpFunnelSteps) => element.shadowRoot!.querySelector('select');
const options = (select: HTMLSelectElement | null) => [...select!.options].map((option) => option.textContent!.trim());
/** The chosen steps as shown, and their remove buttons' names. */
const chips = (element: FpFunnelSteps) =>
  [...element.shadowRoot!.querySelectorAll('[part="step"]')].map((chip) => `${chip.querySelector('.name')!.textContent} (${chip.querySelector('button')!.getAttribute('aria-label')})`);

async function add(element: FpFunnelSteps, name: string): Promise<void> {
  const select = addList(element)!;
  select.value = name;
  select.dispatchEvent(new Event('change'));
  await element.updateComplete;
}

async function remove(element: FpFunnelSteps, i: number): Promise<void> {
  element.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="step"] button')[i]!.click();
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
    expect(chips(element)).to.deep.equal(['signup (Remove step 1, signup)', 'open (Remove step 2, open)']);
    expect(addList(element)!.getAttribute('aria-label')).to.equal('Add a step');
    expect(options(addList(element))).to.deep.equal(['Add a step…', 'signup (3 users)', 'open (2 users)', 'save (1 user)']);
  });

  it('adds and removes steps, up to five, and tells the page', async () => {
    const { element, changes } = await picker('signup, open');
    await add(element, 'save');
    await remove(element, 0);
    expect(changes).to.deep.equal([
      ['signup', 'open', 'save'],
      ['open', 'save'],
    ]);
    // The list is back to "Add a step…" after each pick.
    expect(addList(element)!.value).to.equal('');
    for (const name of ['signup', 'open', 'save']) await add(element, name);
    expect(element.value).to.deep.equal(['open', 'save', 'signup', 'open', 'save']);
    expect(addList(element)).to.equal(null);
  });

  it("drops the steps another file lacks, and picks the given ones again when the data has them", async () => {
    const { element, changes } = await picker('signup, open, paid');
    // No paid event: signup and open remain.
    expect(element.value).to.deep.equal(['signup', 'open']);
    element.source = await fixtureStore(own);
    await settled(element);
    expect(element.value).to.deep.equal([]);
    expect(element.shadowRoot!.textContent).to.contain('Pick two or more steps to see the funnel.');
    expect(options(addList(element))).to.deep.equal(['First step…', 'view (2 users)', 'buy (1 user)']);
    await add(element, 'view');
    await add(element, 'buy');
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
