import { expect } from 'chai';
import { SpecError } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

describe('events (raw event listing)', () => {
  const table = [
    ev('alice', '2026-11-20T10:00:00Z', 'open', { session_id: 's1', uuid: 'e1', properties: { plan: 'pro' } }),
    ev('bob', '2026-11-20T10:00:00Z', 'open'), // same instant as e1, ingested later
    ev('alice', '2026-11-21T08:00:00Z', 'save', { properties: { size: 3, draft: false } }),
    ev('bob', '2026-11-27T23:59:59.999Z', 'save'),
    ev('carol', '2026-10-01T12:00:00Z', 'open'), // before the default range
  ];

  it('lists the events of the range newest first, ties in reverse ingestion order', async () => {
    const store = await storeWith(table);
    const result = await store.query({ kind: 'events' });
    expect(result).to.deep.equal({
      total: 4,
      events: [
        { event: 'save', user_id: 'bob', timestamp: '2026-11-27T23:59:59.999Z', session_id: null, uuid: null, properties: {} },
        { event: 'save', user_id: 'alice', timestamp: '2026-11-21T08:00:00.000Z', session_id: null, uuid: null, properties: { size: 3, draft: false } },
        { event: 'open', user_id: 'bob', timestamp: '2026-11-20T10:00:00.000Z', session_id: null, uuid: null, properties: {} },
        { event: 'open', user_id: 'alice', timestamp: '2026-11-20T10:00:00.000Z', session_id: 's1', uuid: 'e1', properties: { plan: 'pro' } },
      ],
    });
  });

  it('filters by event name, user and an exact range, and pages with limit and offset', async () => {
    const store = await storeWith(table);
    const saves = await store.query({ kind: 'events', event: 'save' });
    expect(saves.events.map((e) => e.user_id)).to.deep.equal(['bob', 'alice']);
    const alice = await store.query({ kind: 'events', user: 'alice', from: '2026-09-01' });
    expect([alice.total, alice.events.map((e) => e.event)]).to.deep.equal([2, ['save', 'open']]);
    const exact = await store.query({ kind: 'events', from: '2026-11-20T10:00:00Z', to: '2026-11-27T23:59:59.998Z' });
    expect(exact.total).to.equal(3);
    const page = await store.query({ kind: 'events', from: '2026-09-01', limit: 2, offset: 2 });
    expect([page.total, page.events.map((e) => `${e.user_id}:${e.event}`)]).to.deep.equal([5, ['bob:open', 'alice:open']]);
    const nobody = await store.query({ kind: 'events', user: 'dave' });
    expect(nobody).to.deep.equal({ total: 0, events: [] });
  });

  it('rejects a bad limit and an interval, naming the field', async () => {
    const store = await storeWith([]);
    for (const [spec, field] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 10_001 }, 'limit'],
      [{ offset: -1 }, 'offset'],
      [{ interval: 'day' }, 'interval'],
      [{ periods: 3 }, 'periods'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'events', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, JSON.stringify(spec)).to.equal(field);
    }
  });
});
