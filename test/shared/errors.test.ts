import { expect } from 'chai';
import { SpecError } from '../../shared/index.ts';
import { normalizeMessage } from '../../shared/metrics/error-message.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/** An `$error` event with a message (or none, for `undefined`). */
function error(user: string, timestamp: string, message?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return ev(user, timestamp, '$error', { properties: message === undefined ? { type: 'Error' } : { message, type: 'Error' }, ...extra });
}

describe('errors (METRICS.md section 11)', () => {
  describe('message normalization', () => {
    it('replaces runs of digits and hex ids by #', () => {
      expect(normalizeMessage('Timeout after 30000 ms loading report 8f3a9c')).to.equal('Timeout after # ms loading report #');
      expect(normalizeMessage('Request failed with status 502')).to.equal('Request failed with status #');
      // Digits inside words and numbers with a point: each run is one #.
      expect(normalizeMessage('user42 on v2 took 1.5 s')).to.equal('user# on v# took #.# s');
    });

    it('takes a hex id only with 6+ hex digits, a decimal digit among them, standing alone', () => {
      // 6 hex digits with a digit: an id; 5 are not, so only the digit run goes.
      expect(normalizeMessage('key abc123 and abc12')).to.equal('key # and abc#');
      // Hex-letter words without a digit are words.
      expect(normalizeMessage('deface the decade')).to.equal('deface the decade');
      // Touching another letter: not an id, only its digits go.
      expect(normalizeMessage('8f3a9cz')).to.equal('#f#a#cz');
      // Underscores, hyphens and dots separate.
      expect(normalizeMessage('report_8f3a9c1.json')).to.equal('report_#.json');
    });

    it('makes a UUID and a 0x literal one # each', () => {
      expect(normalizeMessage('row 550e8400-e29b-41d4-a716-446655440000 not found')).to.equal('row # not found');
      expect(normalizeMessage('segfault at 0x7ffe and 0X1F')).to.equal('segfault at # and #');
    });

    it('groups a missing or blank message as (no message)', () => {
      expect(normalizeMessage(null)).to.equal('(no message)');
      expect(normalizeMessage('')).to.equal('(no message)');
      expect(normalizeMessage('   ')).to.equal('(no message)');
    });
  });

  /**
   * 26 and 27 November, sessions by the 30-minute gap rule:
   * a: [10:00 10:05e 10:10e] [11:00 11:20] (50 minutes apart): 2 sessions, 1 with errors;
   * b: [12:00 12:30 12:45e] (exactly 30 minutes stays in): 1 session, with an error;
   * c (27th): [09:00] [09:31e] (31 minutes apart) [15:00]: 3 sessions, 1 with an error;
   * d: an error on the 25th, outside the range.
   */
  const events = [
    ev('a', '2026-11-26T10:00:00Z', '$pageview'),
    error('a', '2026-11-26T10:05:00Z', 'Timeout after 30000 ms loading report 8f3a9c'),
    error('a', '2026-11-26T10:10:00Z', 'Timeout after 10000 ms loading report 00b2e1'),
    ev('a', '2026-11-26T11:00:00Z', '$pageview'),
    ev('a', '2026-11-26T11:20:00Z', '$click'),
    ev('b', '2026-11-26T12:00:00Z', '$pageview'),
    ev('b', '2026-11-26T12:30:00Z', '$pageview'),
    error('b', '2026-11-26T12:45:00Z'),
    ev('c', '2026-11-27T09:00:00Z', '$pageview'),
    error('c', '2026-11-27T09:31:00Z', 'Request failed with status 502'),
    ev('c', '2026-11-27T15:00:00Z', '$click'),
    error('d', '2026-11-25T23:59:59Z', 'Request failed with status 500'),
  ];
  const range = { from: '2026-11-26', to: '2026-11-27' };

  it('counts errors, users, sessions with an error and the error-free session rate', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'errors', ...range })).to.deep.equal({
      total: 4,
      users: 3,
      sessions: 3,
      // 6 sessions, 3 of them with an error.
      errorFreeSessionRate: 0.5,
      series: [
        // 26th: 3 errors among 8 events; 27th: 1 among 3.
        { period: '2026-11-26', errors: 3, perThousandEvents: 375 },
        { period: '2026-11-27', errors: 1, perThousandEvents: 1000 / 3 },
      ],
      // The two timeouts are one error; '(' sorts before 'R' on a tie.
      top: [
        { message: 'Timeout after # ms loading report #', count: 2, users: 1 },
        { message: '(no message)', count: 1, users: 1 },
        { message: 'Request failed with status #', count: 1, users: 1 },
      ],
    });
  });

  it('builds sessions with the query session options', async () => {
    const store = await storeWith(events);
    // 60-minute gap: a, b and c's morning are one session each, c's 15:00 another: 3 of 4 sessions have errors.
    const result = await store.query({ kind: 'errors', ...range, gapMinutes: 60 });
    expect([result.sessions, result.errorFreeSessionRate]).to.deep.equal([3, 0.25]);
    // By session_id only: events without one belong to no session, so there are none.
    const byProperty = await store.query({ kind: 'errors', ...range, sessionSource: 'property' });
    expect([byProperty.total, byProperty.sessions, byProperty.errorFreeSessionRate]).to.deep.equal([4, 0, null]);
  });

  it('counts affected sessions among the sessions whose first event is in the range, each whole (METRICS.md section 3)', async () => {
    const day = '2026-11-27';
    const store = await storeWith([
      // a: a session from before `from` with an error inside the range: the error counts, the session does not.
      ev('a', '2026-11-26T23:50:00Z', 'open'),
      error('a', `${day}T00:05:00Z`, 'Boom'),
      // b: a session from the range whose error comes 10 minutes after `to`: affected.
      ev('b', `${day}T23:55:00Z`, 'open'),
      error('b', '2026-11-28T00:05:00Z', 'Late boom'),
      // c: a clean session in the range.
      ev('c', `${day}T12:00:00Z`, 'open'),
    ]);
    const result = await store.query({ kind: 'errors', from: day, to: day });
    expect([result.total, result.users, result.sessions, result.errorFreeSessionRate]).to.deep.equal([1, 1, 1, 1 / 2]);
    expect(result.top).to.deep.equal([{ message: 'Boom', count: 1, users: 1 }]);
  });

  it('counts whole periods in the series but exactly [from, to] in the totals', async () => {
    const store = await storeWith(events);
    // The week of Monday 23 November counts whole (d's error on the 25th is in), the totals start on the 26th.
    const result = await store.query({ kind: 'errors', interval: 'week', from: '2026-11-26', to: '2026-11-27' });
    // 12 events in the week, 5 errors.
    // The week of 23 November holds the store's clock (28 November, 12:00): not ended.
    expect(result.series).to.deep.equal([{ period: '2026-11-23', incomplete: true, errors: 5, perThousandEvents: (5 * 1000) / 12 }]);
    expect([result.total, result.users]).to.deep.equal([4, 3]);
  });

  it('counts an `$error` exactly at an ISO `to` (both ends inclusive) and none a millisecond after it', async () => {
    const store = await storeWith([
      ev('a', '2026-11-26T11:00:00Z', '$pageview'),
      error('b', '2026-11-26T12:00:00Z', 'Boom'), // exactly `to`
      error('c', '2026-11-26T12:00:00.001Z', 'Boom'), // after `to`: neither counted nor a query session
    ]);
    const result = await store.query({ kind: 'errors', interval: 'day', from: '2026-11-26', to: '2026-11-26T12:00:00Z' });
    expect(result).to.deep.equal({
      total: 1,
      users: 1,
      // a's session and b's (begun at `to`), b's affected.
      sessions: 1,
      errorFreeSessionRate: 1 / 2,
      // The day is cut at `to`: a's page view and b's error.
      series: [{ period: '2026-11-26', errors: 1, perThousandEvents: 500 }],
      top: [{ message: 'Boom', count: 1, users: 1 }],
    });
  });

  it('lists the 10 largest error groups, most events first, then by message', async () => {
    const names = ['kilo', 'juliet', 'india', 'hotel', 'golf', 'foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'alpha'];
    const store = await storeWith([
      ...names.map((name, i) => error('a', `2026-11-26T10:${String(i).padStart(2, '0')}:00Z`, `lost ${name}`)),
      error('b', '2026-11-26T11:00:00Z', 'lost zulu 1'),
      error('c', '2026-11-26T11:00:00Z', 'lost zulu 2'),
    ]);
    const result = await store.query({ kind: 'errors', from: '2026-11-26', to: '2026-11-26' });
    expect(result.top).to.deep.equal([
      { message: 'lost zulu #', count: 2, users: 2 },
      ...['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india'].map((name) => ({ message: `lost ${name}`, count: 1, users: 1 })),
    ]);
    expect(result.total).to.equal(13);
    // Ties sort by the normalized message ('#' before '('), not the raw one ('(' before '9').
    const tied = await storeWith([error('a', '2026-11-26T10:00:00Z', 'Disk (sda) full'), error('a', '2026-11-26T10:01:00Z', 'Disk 9 full')]);
    expect((await tied.query({ kind: 'errors', from: '2026-11-26', to: '2026-11-26' })).top.map((group) => group.message)).to.deep.equal([
      'Disk # full',
      'Disk (sda) full',
    ]);
  });

  it('answers an empty range with zeros and nulls, and a range without errors with a rate of 1', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'errors', from: '2026-12-01', to: '2026-12-02' })).to.deep.equal({
      total: 0,
      users: 0,
      sessions: 0,
      errorFreeSessionRate: null,
      series: [
        // Days after the store's clock have not ended.
        { period: '2026-12-01', incomplete: true, errors: 0, perThousandEvents: null },
        { period: '2026-12-02', incomplete: true, errors: 0, perThousandEvents: null },
      ],
      top: [],
    });
    const clean = await storeWith([ev('a', '2026-11-26T10:00:00Z', '$pageview'), ev('a', '2026-11-26T12:00:00Z', '$pageview')]);
    expect(await clean.query({ kind: 'errors', from: '2026-11-26', to: '2026-11-26' })).to.deep.equal({
      total: 0,
      users: 0,
      sessions: 0,
      errorFreeSessionRate: 1,
      series: [{ period: '2026-11-26', errors: 0, perThousandEvents: 0 }],
      top: [],
    });
  });

  it('suppresses user counts below minGroupSize; event and session counts stay', async () => {
    const store = await storeWith(events, { minGroupSize: 3 });
    const result = await store.query({ kind: 'errors', ...range });
    expect(result).to.deep.equal({
      total: 4,
      users: 3,
      sessions: 3,
      errorFreeSessionRate: 0.5,
      series: [
        { period: '2026-11-26', errors: 3, perThousandEvents: 375 },
        { period: '2026-11-27', errors: 1, perThousandEvents: 1000 / 3 },
      ],
      top: [
        { message: 'Timeout after # ms loading report #', count: 2, users: null },
        { message: '(no message)', count: 1, users: null },
        { message: 'Request failed with status #', count: 1, users: null },
      ],
      suppressed: true,
    });
    const two = await store.query({ kind: 'errors', from: '2026-11-26', to: '2026-11-26' });
    expect([two.total, two.users, two.suppressed]).to.deep.equal([3, null, true]);
    // 0 is not suppressed.
    const none = await store.query({ kind: 'errors', from: '2026-12-01', to: '2026-12-01' });
    expect([none.users, none.suppressed]).to.deep.equal([0, undefined]);
  });

  it('rejects bad specs, naming the field', async () => {
    const store = await storeWith([]);
    for (const [spec, field] of [
      [{ message: 'Timeout' }, 'message'],
      [{ interval: 'fortnight' }, 'interval'],
      [{ gapMinutes: 0 }, 'gapMinutes'],
      [{ from: '2026-11-01', periods: 3 }, 'periods'],
      [{ to: 'yesterday' }, 'to'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'errors', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, field).to.equal(field);
    }
  });
});
