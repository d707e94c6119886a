import { expect } from 'chai';
import { openStore } from '../../shared/index.ts';
import { UnreadableRecord } from '../../shared/ingest/text.ts';
import { enrichRecord, MAX_FUTURE_MS } from '../../server/ingest/enrich.ts';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0); // the server's clock: 2026-12-04T12:00:00Z
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A plain copy of an enriched record (they have no prototype), for deep comparison. */
function plain(record: unknown): unknown {
  return JSON.parse(JSON.stringify(record));
}

function enrich(record: unknown, options: Partial<Parameters<typeof enrichRecord>[1]> = {}): unknown {
  return plain(enrichRecord(record, { now: NOW, ...options }));
}

describe('enrichRecord prepares a record for the store (server/ingest/enrich.ts)', () => {
  describe('clock skew, by sent_at, as PostHog corrects it', () => {
    it('a client clock 1 hour ahead, an event 5 s before sending: stored at server now - 5 s, in epoch ms', () => {
      const record = { event: 'open', user_id: 'u', timestamp: iso(NOW + HOUR - 5_000), sent_at: iso(NOW + HOUR) };
      expect(enrich(record)).to.deep.equal({ event: 'open', user_id: 'u', timestamp: NOW - 5_000 });
      expect(NOW - 5_000).to.equal(Date.parse('2026-12-04T11:59:55Z'));
    });

    it('reads epoch milliseconds too, and a clock behind as well as ahead', () => {
      const record = { event: 'open', user_id: 'u', timestamp: NOW - 2 * HOUR - 750, sent_at: NOW - 2 * HOUR };
      expect(enrich(record)).to.deep.equal({ event: 'open', user_id: 'u', timestamp: NOW - 750 });
    });

    it("takes the request's sent_at for a record without one; the record's own wins", () => {
      const record = { event: 'open', user_id: 'u', ts: iso(NOW + HOUR - 5_000) };
      expect(enrich(record, { sentAt: iso(NOW + HOUR) })).to.deep.equal({ event: 'open', user_id: 'u', ts: NOW - 5_000 });
      expect(enrich({ ...record, sent_at: iso(NOW + HOUR - 1_000) }, { sentAt: iso(NOW + HOUR) })).to.deep.equal({ event: 'open', user_id: 'u', ts: NOW - 4_000 });
    });

    it('leaves the timestamp as given when sent_at is garbage, absent or the time unreadable; sent_at is removed', () => {
      const timestamp = '2026-12-04T10:00:00+01:00';
      for (const sentAt of ['yesterday', 12, '', null, { at: 1 }, undefined]) {
        expect(enrich({ event: 'open', user_id: 'u', timestamp, sent_at: sentAt }), JSON.stringify(sentAt)).to.deep.equal({ event: 'open', user_id: 'u', timestamp });
      }
      expect(enrich({ event: 'open', user_id: 'u', timestamp: 'soon', sent_at: iso(NOW) })).to.deep.equal({ event: 'open', user_id: 'u', timestamp: 'soon' });
    });

    it('reads an offset-less time in the store time zone, as the store does', () => {
      // 13:59:55 in Berlin (UTC+1) is 5 s before a sent_at of 13:00:00Z.
      const record = { event: 'open', user_id: 'u', timestamp: '2026-12-04 13:59:55', sent_at: '2026-12-04T13:00:00Z' };
      expect(enrich(record, { timeZone: 'Europe/Berlin' })).to.deep.equal({ event: 'open', user_id: 'u', timestamp: NOW - 5_000 });
      expect(enrich(record)).to.deep.equal({ event: 'open', user_id: 'u', timestamp: NOW + 59 * 60_000 + 55_000 });
    });

    it('sets a time more than 23 h ahead of now to now, with or without sent_at', () => {
      expect(MAX_FUTURE_MS).to.equal(23 * HOUR);
      expect(enrich({ event: 'e', user_id: 'u', timestamp: iso(NOW + 23 * HOUR + 1) })).to.deep.equal({ event: 'e', user_id: 'u', timestamp: NOW });
      expect(enrich({ event: 'e', user_id: 'u', timestamp: iso(NOW + 23 * HOUR) })).to.deep.equal({ event: 'e', user_id: 'u', timestamp: iso(NOW + 23 * HOUR) });
      // Recorded 30 h after it was sent, by the sender's own clock: an instrumentation bug.
      const sent = { event: 'e', user_id: 'u', timestamp: iso(NOW + 30 * HOUR), sent_at: iso(NOW) };
      expect(enrich(sent)).to.deep.equal({ event: 'e', user_id: 'u', timestamp: NOW });
    });
  });

  describe('private properties and device properties', () => {
    it('removes $ip, $user_agent, $useragent and $raw_user_agent, whatever their case, at the top and in properties', () => {
      const record = {
        event: 'open',
        user_id: 'u',
        timestamp: '2026-12-04T10:00:00Z',
        $ip: '203.0.113.9',
        properties: { $IP: '203.0.113.9', $user_agent: 'Mozilla/5.0 (X11)', $UserAgent: 'x', $raw_user_agent: 'y', plan: 'pro', $browser: 'Firefox' },
      };
      expect(enrich(record)).to.deep.equal({ event: 'open', user_id: 'u', timestamp: '2026-12-04T10:00:00Z', properties: { plan: 'pro', $browser: 'Firefox' } });
    });

    it('adds the device properties the event does not have already', () => {
      const device = { $browser: 'Chrome', $os: 'Windows', $device_type: 'Desktop' } as const;
      const base = { event: 'open', user_id: 'u', timestamp: '2026-12-04T10:00:00Z' };
      expect(enrich({ ...base, properties: { $browser: 'Custom', n: 1 } }, { device })).to.deep.equal({
        ...base,
        properties: { $browser: 'Custom', n: 1, $os: 'Windows', $device_type: 'Desktop' },
      });
      expect(enrich(base, { device })).to.deep.equal({ ...base, properties: device });
      expect(enrich({ ...base, properties: null }, { device: {} })).to.deep.equal({ ...base, properties: null });
      expect(enrich(base, { device: {} })).to.deep.equal(base);
      // Not an object: left for the store to reject, saying so.
      expect(enrich({ ...base, properties: 'x' }, { device })).to.deep.equal({ ...base, properties: 'x' });
    });

    it('keeps __proto__ a plain key, and never changes the record given', () => {
      const record = JSON.parse('{"event":"e","user_id":"u","timestamp":"2026-12-04T10:00:00Z","properties":{"__proto__":{"x":1},"$ip":"1.2.3.4"}}');
      const before = JSON.stringify(record);
      const enriched = enrichRecord(record, { now: NOW, device: { $os: 'Linux' } }) as { properties: Record<string, unknown> };
      expect(Object.keys(enriched.properties)).to.deep.equal(['__proto__', '$os']);
      expect(JSON.stringify(record)).to.equal(before);
    });

    it('returns what is not an event object as it is, for the store to reject', () => {
      const unreadable = new UnreadableRecord('line 2: not valid JSON');
      for (const record of [unreadable, [1], 'x', 42, null]) expect(enrichRecord(record, { now: NOW })).to.equal(record);
    });
  });

  it('gives the store events it stores at the corrected time, with no sent_at reported as ignored', async () => {
    const store = await openStore();
    const lines = [
      { event: 'open', user_id: 'u', uuid: 'a', timestamp: iso(NOW + HOUR - 5_000), sent_at: iso(NOW + HOUR), properties: { $ip: '203.0.113.9' } },
      { event: 'save', user_id: 'u', uuid: 'b', timestamp: iso(NOW + HOUR - 1_000), sent_at: 'garbage' },
    ];
    const report = await store.ingest(lines.map((line) => enrichRecord(line, { now: NOW, device: { $os: 'iOS' } })));
    expect(report).to.deep.equal({ accepted: 2, duplicates: 0, rejected: [], ignoredFields: [] });
    const { events } = await store.query({ kind: 'events' });
    expect(events.map((e) => [e.event, e.timestamp, e.properties])).to.deep.equal([
      ['save', '2026-12-04T12:59:59.000Z', { $os: 'iOS' }],
      ['open', '2026-12-04T11:59:55.000Z', { $os: 'iOS' }],
    ]);
    await store.close();
  });
});
