import { expect } from 'chai';
import { generateSampleEvents, SAMPLE_FEATURES, type SampleEvent } from '../../shared/sample-data.ts';

const DAY_MS = 86_400_000;
const END = Date.UTC(2026, 10, 28, 12);
const SMALL = { users: 50, days: 30, end: END } as const;
const FUNNEL = ['signup', 'onboarding_completed', 'project_created', 'invite_sent'];

/** Each user's events, in output (timestamp) order. */
function byUser(events: readonly SampleEvent[]): Map<string, SampleEvent[]> {
  const users = new Map<string, SampleEvent[]>();
  for (const event of events) {
    const list = users.get(event.user_id);
    if (list) list.push(event);
    else users.set(event.user_id, [event]);
  }
  return users;
}

function distinctUsers(events: readonly SampleEvent[], name: string): number {
  return new Set(events.filter((e) => e.event === name).map((e) => e.user_id)).size;
}

/** Counts bursts of 3+ `$click` by one user on one target within one second. */
function countRageBursts(events: readonly SampleEvent[]): number {
  const clicks = new Map<string, SampleEvent[]>();
  for (const event of events) {
    if (event.event !== '$click') continue;
    const key = `${event.user_id} ${String(event.properties?.target)}`;
    const list = clicks.get(key);
    if (list) list.push(event);
    else clicks.set(key, [event]);
  }
  let bursts = 0;
  for (const list of clicks.values()) {
    for (let i = 0; i + 2 < list.length; i++) {
      if ((list[i + 2] as SampleEvent).timestamp - (list[i] as SampleEvent).timestamp <= 1000) {
        bursts++;
        i += 2;
      }
    }
  }
  return bursts;
}

describe('generateSampleEvents', () => {
  describe('determinism', () => {
    it('gives deep-equal output for the same seed and end', () => {
      const options = { seed: 7, users: 100, days: 45, end: END };
      expect(generateSampleEvents(options)).to.deep.equal(generateSampleEvents(options));
    });

    it('uses seed 42 by default', () => {
      expect(generateSampleEvents(SMALL)).to.deep.equal(generateSampleEvents({ ...SMALL, seed: 42 }));
    });

    it('gives different output for a different seed', () => {
      const a = generateSampleEvents({ ...SMALL, seed: 1 });
      const b = generateSampleEvents({ ...SMALL, seed: 2 });
      expect(a).to.not.deep.equal(b);
      expect((a[0] as SampleEvent).uuid).to.not.equal((b[0] as SampleEvent).uuid);
    });
  });

  describe('with small options', () => {
    const events = generateSampleEvents(SMALL);
    const users = byUser(events);

    it('has the requested users, each identified like u0001', () => {
      expect(users.size).to.equal(50);
      expect([...users.keys()].sort()[0]).to.equal('u0001');
      expect([...users.keys()].sort()[49]).to.equal('u0050');
    });

    it('keeps every event within [end - days, end]', () => {
      const start = END - 30 * DAY_MS;
      const outside = events.filter((e) => !(e.timestamp >= start && e.timestamp <= END));
      expect(outside).to.deep.equal([]);
      expect(events.every((e) => Number.isInteger(e.timestamp))).to.equal(true);
    });

    it('sorts events by timestamp', () => {
      for (let i = 1; i < events.length; i++) {
        expect((events[i] as SampleEvent).timestamp).to.be.at.least((events[i - 1] as SampleEvent).timestamp);
      }
    });

    it('gives unique uuids formatted like v4 uuids', () => {
      expect(new Set(events.map((e) => e.uuid)).size).to.equal(events.length);
      for (const event of events) {
        expect(event.uuid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
    });

    it('starts every user with a signup carrying a plan', () => {
      for (const list of users.values()) {
        const first = list[0] as SampleEvent;
        expect(first.event).to.equal('signup');
        expect(['free', 'pro', 'team']).to.include(first.properties?.plan);
        expect(list.filter((e) => e.event === 'signup')).to.have.length(1);
      }
    });

    it('has funnel counts that decrease along the steps', () => {
      const counts = FUNNEL.map((step) => distinctUsers(events, step));
      expect(counts[0]).to.equal(50);
      for (let i = 1; i < counts.length; i++) {
        expect(counts[i]).to.be.above(0);
        expect(counts[i]).to.be.below(counts[i - 1] as number);
      }
    });

    it('takes funnel steps in order, each once', () => {
      for (const list of users.values()) {
        const steps = list.filter((e) => FUNNEL.includes(e.event)).map((e) => e.event);
        expect(steps).to.deep.equal(FUNNEL.slice(0, steps.length));
      }
    });

    it('sets session ids that agree with a 30-minute inactivity rule', () => {
      for (const [user, list] of users) {
        for (let i = 1; i < list.length; i++) {
          const previous = list[i - 1] as SampleEvent;
          const event = list[i] as SampleEvent;
          expect(event.session_id.startsWith(`${user}-s`)).to.equal(true);
          const gap = event.timestamp - previous.timestamp;
          if (event.session_id === previous.session_id) expect(gap).to.be.below(30 * 60_000);
          else expect(gap).to.be.at.least(35 * 60_000);
        }
      }
    });

    it('puts browser and os on the first event of each session', () => {
      const seen = new Set<string>();
      for (const event of events) {
        if (seen.has(event.session_id)) continue;
        seen.add(event.session_id);
        expect(event.properties?.browser).to.be.a('string');
        expect(event.properties?.os).to.be.a('string');
      }
    });
  });

  describe('with the default options', () => {
    let events: SampleEvent[] = [];
    before(function () {
      this.timeout(30_000);
      events = generateSampleEvents({ end: END });
    });

    it('has 2000 users and between 100,000 and 250,000 events', () => {
      expect(byUser(events).size).to.equal(2000);
      expect(events.length).to.be.within(100_000, 250_000);
    });

    it('covers 90 days ending at end', () => {
      expect((events[0] as SampleEvent).timestamp).to.be.at.least(END - 90 * DAY_MS);
      expect((events[events.length - 1] as SampleEvent).timestamp).to.be.at.most(END);
    });

    it('uses at least 20 distinct features, all from SAMPLE_FEATURES', () => {
      expect(SAMPLE_FEATURES.length).to.be.at.least(20);
      expect(new Set(SAMPLE_FEATURES).size).to.equal(SAMPLE_FEATURES.length);
      const used = SAMPLE_FEATURES.filter((name) => events.some((e) => e.event === name));
      expect(used).to.have.length.of.at.least(20);
    });

    it('has clearly different adoption, most to least adopted in SAMPLE_FEATURES order', () => {
      const most = distinctUsers(events, SAMPLE_FEATURES[0] as string);
      const least = distinctUsers(events, SAMPLE_FEATURES[SAMPLE_FEATURES.length - 1] as string);
      expect(most).to.be.above(1000);
      expect(least).to.be.above(0);
      expect(least).to.be.below(100);
    });

    it('has funnel drop-off in realistic ranges', () => {
      const [signup, onboarded, created, invited] = FUNNEL.map((step) => distinctUsers(events, step)) as [
        number,
        number,
        number,
        number,
      ];
      expect(onboarded / signup).to.be.within(0.6, 0.75);
      expect(created / signup).to.be.within(0.38, 0.52);
      expect(invited / signup).to.be.within(0.13, 0.25);
    });

    it('has a realistic bounce rate: 12-30% of sessions are a single event', () => {
      const perSession = new Map<string, number>();
      for (const event of events) perSession.set(event.session_id, (perSession.get(event.session_id) ?? 0) + 1);
      const single = [...perSession.values()].filter((count) => count === 1).length;
      expect(single / perSession.size).to.be.within(0.12, 0.3);
    });

    it('gives $pageview events a path', () => {
      const pageviews = events.filter((e) => e.event === '$pageview');
      expect(pageviews.length).to.be.above(1000);
      expect(pageviews.filter((e) => !/^\//.test(String(e.properties?.path)))).to.deep.equal([]);
    });

    it('gives $error events a message and a type, concentrated on some users', () => {
      const errors = events.filter((e) => e.event === '$error');
      expect(errors.length).to.be.above(100);
      for (const event of errors) {
        expect(event.properties?.message).to.be.a('string').and.not.equal('');
        expect(event.properties?.type).to.be.a('string');
      }
      const perUser = [...byUser(errors).values()].map((list) => list.length).sort((a, b) => b - a);
      expect(perUser.length).to.be.below(1000);
      expect(perUser[0]).to.be.at.least(10);
    });

    it('has at least one rage-click burst (3+ clicks on one target within 1 s)', () => {
      expect(countRageBursts(events)).to.be.at.least(1);
    });

    it('has quieter weekends', () => {
      const perWeekday = [0, 0, 0, 0, 0, 0, 0];
      for (const event of events) {
        const day = new Date(event.timestamp).getUTCDay();
        perWeekday[day] = (perWeekday[day] as number) + 1;
      }
      const weekend = ((perWeekday[0] as number) + (perWeekday[6] as number)) / 2;
      const weekdays = perWeekday.slice(1, 6).reduce((a, b) => a + b, 0) / 5;
      expect(weekend).to.be.below(weekdays * 0.6);
    });
  });

  describe('the events option', () => {
    it('lands within 10% of the target for 20,000', function () {
      this.timeout(30_000);
      const events = generateSampleEvents({ events: 20_000, end: END });
      expect(events.length).to.be.within(18_000, 22_000);
    });

    it('gives no events for a target of 0', () => {
      expect(generateSampleEvents({ events: 0, end: END })).to.deep.equal([]);
    });
  });

  it('rejects invalid options', () => {
    expect(() => generateSampleEvents({ days: 0 })).to.throw(RangeError);
    expect(() => generateSampleEvents({ users: -1 })).to.throw(RangeError);
    expect(() => generateSampleEvents({ end: Number.NaN })).to.throw(RangeError);
  });
});
