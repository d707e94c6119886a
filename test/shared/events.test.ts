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

  it('finds a numeric user id as ingest stored it (42 is the user 42), pseudonymized or not', async () => {
    const numeric = [ev(42 as unknown as string, '2026-11-20T10:00:00Z', 'open'), ev('42', '2026-11-21T10:00:00Z', 'save'), ev('4.5', '2026-11-22T10:00:00Z')];
    for (const options of [{}, { pseudonymize: { salt: 'salt-1' } }]) {
      const store = await storeWith(numeric, options);
      const byNumber = await store.query({ kind: 'events', user: 42 });
      expect(byNumber.events.map((e) => e.event), JSON.stringify(options)).to.deep.equal(['save', 'open']);
      expect((await store.query({ kind: 'events', user: 4.5 })).total).to.equal(1);
      expect(await store.deleteUser(42)).to.equal(2);
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '', true]) {
        const error = await rejectionOf(store.query({ kind: 'events', user: bad } as never));
        expect(error).to.be.instanceOf(SpecError);
        expect(error.message).to.equal(`user: must be a user id as ingested: a string of 1..200 characters or a number, got '${String(bad)}'`);
      }
      expect((await rejectionOf(store.deleteUser(Number.NaN))).message).to.equal("userId: must be a non-empty string or a number, got 'NaN'");
    }
  });

  it('takes Date objects as from and to, and says which one is an invalid Date', async () => {
    const store = await storeWith(table);
    const range = await store.query({ kind: 'events', from: new Date('2026-11-20T10:00:00Z'), to: new Date('2026-11-21T08:00:00Z') });
    expect(range.events.map((e) => `${e.user_id}:${e.event}`)).to.deep.equal(['alice:save', 'bob:open', 'alice:open']);
    for (const field of ['from', 'to']) {
      const error = await rejectionOf(store.query({ kind: 'events', [field]: new Date('soon') }));
      expect(error.message).to.equal(`${field}: not a date: an invalid Date`);
    }
  });

  it('shows a bad limit as given, NaN and Infinity included', async () => {
    const store = await storeWith([]);
    const messages = await Promise.all([Number.NaN, Number.POSITIVE_INFINITY, 1.5].map(async (limit) => (await rejectionOf(store.query({ kind: 'events', limit }))).message));
    expect(messages).to.deep.equal([
      "limit: must be a whole number from 1 to 10000, got 'NaN'",
      "limit: must be a whole number from 1 to 10000, got 'Infinity'",
      "limit: must be a whole number from 1 to 10000, got '1.5'",
    ]);
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
