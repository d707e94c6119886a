// The tracker's events in Chromium: the event format of ingest(), sessions
// (30 minutes of inactivity, kept across reloads in the tab), identify()
// with a pseudonymizing store, the IndexedDB sink read back after a reload,
// and the errors that name a bad input.
import { expect } from 'chai';
import { createTracker, indexedDbSink, openStore, SpecError, storeSink, type Tracker, type TrackerOptions } from '../../shared/index.ts';
import { clearStorage, deleteDatabase, ISOLATED_PREFIX, RecordingSink, TrackerPool, UUID_V4 } from './tracker-helpers.ts';

const PREFIX = `${ISOLATED_PREFIX}tracker`;
const DATABASE = `${ISOLATED_PREFIX}tracker-events`;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);

describe('tracker events', () => {
  const pool = new TrackerPool();
  let recording: RecordingSink;
  let clock: number;

  /** A granted tracker of this file, on a clock the test moves (`clock`), without autocapture. */
  function tracker(options: Partial<TrackerOptions> = {}): Tracker {
    localStorage.setItem(`${PREFIX}.consent`, 'granted');
    return pool.add(createTracker({ sinks: [recording], autocapture: false, storagePrefix: PREFIX, now: () => clock, ...options }));
  }

  beforeEach(async () => {
    clearStorage(PREFIX);
    await deleteDatabase(DATABASE);
    recording = new RecordingSink();
    clock = T0;
  });

  afterEach(async () => {
    await pool.shutdownAll();
    clearStorage(PREFIX);
    await deleteDatabase(DATABASE);
  });

  it('records events in the format of ingest(), with properties copied and scrubbed', () => {
    const target = tracker();
    const properties = { format: 'csv', sent_to: 'ann@example.com', nested: { url: 'https://x.io/r?token=abc' } };
    const event = target.track('report_exported', properties)!;
    properties.format = 'changed later';
    expect(Object.keys(event)).to.deep.equal(['event', 'user_id', 'timestamp', 'session_id', 'uuid', 'properties']);
    expect(event).to.deep.include({ event: 'report_exported', user_id: target.userId, timestamp: '2026-11-28T09:00:00.000Z' });
    expect(event.properties).to.deep.equal({ format: 'csv', sent_to: '<email>', nested: { url: 'https://x.io/r' } });
    expect(event.uuid).to.match(UUID_V4);
    expect(event.session_id).to.match(UUID_V4);
    expect(target.userId).to.match(UUID_V4);
    expect(recording.events).to.deep.equal([event]);
    expect(Object.isFrozen(event)).to.equal(true);
  });

  it('keeps properties as given with scrub: false', () => {
    const event = tracker({ scrub: false }).track('shared', { to: 'ann@example.com' })!;
    expect(event.properties).to.deep.equal({ to: 'ann@example.com' });
  });

  it('starts a new session after 30 minutes without an event, and not before', () => {
    const target = tracker();
    const first = target.track('a')!.session_id;
    clock += 30 * MINUTE; // exactly 30 minutes: still the same session
    const second = target.track('b')!.session_id;
    clock += 30 * MINUTE + 1;
    const third = target.track('c')!.session_id;
    clock += 5 * MINUTE;
    const fourth = target.track('d')!.session_id;
    expect(second).to.equal(first);
    expect(third).not.to.equal(first);
    expect(fourth).to.equal(third);
  });

  it('honours sessionTimeoutMinutes', () => {
    const target = tracker({ sessionTimeoutMinutes: 1 });
    const first = target.track('a')!.session_id;
    clock += MINUTE + 1;
    expect(target.track('b')!.session_id).not.to.equal(first);
  });

  it('continues the session across a reload of the tab, unless 30 minutes passed', async () => {
    const first = tracker();
    const before = first.track('a')!;
    await first.shutdown();
    clock += 10 * MINUTE;
    const second = tracker();
    expect(second.track('b')!.session_id).to.equal(before.session_id);
    await second.shutdown();
    clock += 31 * MINUTE;
    const third = tracker();
    const after = third.track('c')!;
    expect(after.session_id).not.to.equal(before.session_id);
    expect(after.user_id).to.equal(before.user_id);
  });

  it('replaces the anonymous id with identify(), across reloads too', async () => {
    const first = tracker();
    const anonymous = first.track('before_login')!.user_id;
    first.identify('ann@example.com');
    expect(first.track('after_login')!.user_id).to.equal('ann@example.com');
    expect(anonymous).not.to.equal('ann@example.com');
    await first.shutdown();
    expect(tracker().track('after_reload')!.user_id).to.equal('ann@example.com');
  });

  it('with a pseudonymizing store, the raw id never reaches the database, and deleteStored still finds it', async () => {
    const store = await openStore({ pseudonymize: { salt: 'tracker-test-salt' } });
    const target = tracker({ sinks: [storeSink(store)] });
    target.identify('ann@example.com');
    target.track('report_exported');
    await target.flush();
    const { events } = await store.query({ kind: 'events' });
    expect(events.length).to.equal(1);
    expect(events[0]!.user_id).to.match(/^[0-9a-f]{64}$/);
    expect(new TextDecoder().decode(await store.export())).not.to.include('ann@example.com');

    await target.setConsent('denied', { deleteStored: true });
    expect((await store.query({ kind: 'events' })).total).to.equal(0);
    await store.close();
  });

  it('keeps events in IndexedDB for a "your usage" view that survives reloads', async () => {
    const sink = indexedDbSink({ databaseName: DATABASE });
    const first = tracker({ sinks: [sink] });
    const a = first.track('report_opened')!;
    clock += 1000;
    const b = first.track('report_exported', { format: 'csv' })!;
    await first.shutdown();

    const reloaded = indexedDbSink({ databaseName: DATABASE });
    expect(await reloaded.readEvents()).to.deep.equal([a, b]);
    // What the view shows: the events ingested into a store, for the widgets.
    const store = await openStore();
    const report = await store.ingest(await reloaded.readEvents());
    expect([report.accepted, report.rejected]).to.deep.equal([2, []]);
    await store.close();
  });

  it('refuses a bad event name or properties, whatever the consent, naming the field', () => {
    const target = pool.add(createTracker({ sinks: [recording], storagePrefix: PREFIX })); // pending
    expect(() => target.track('')).to.throw(SpecError, "event: must be a name of 1 to 200 characters, got ''");
    expect(() => target.track('x'.repeat(201))).to.throw(SpecError, 'event: must be a name of 1 to 200 characters');
    expect(() => target.track('a', [1] as unknown as Record<string, unknown>)).to.throw(SpecError, 'properties: must be a plain object of JSON values, got an array');
    expect(() => target.track('a', { big: 'x'.repeat(33_000) })).to.throw(SpecError, 'properties: larger than 32 KiB serialized: record less');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => target.track('a', cyclic)).to.throw(SpecError, 'properties: circular (an object contains itself), so not JSON');
    // The event format's depth limit: 20 levels are recorded, 21 (or 5,000) refused, saying so.
    const nested = (levels: number): Record<string, unknown> => (levels === 1 ? {} : { a: nested(levels - 1) });
    expect(() => target.track('a', nested(20))).not.to.throw();
    for (const levels of [21, 5000]) {
      expect(() => target.track('a', nested(levels))).to.throw(SpecError, "properties: nested more than 20 levels deep (the event format's limit): record less");
    }
    expect(() => target.identify('')).to.throw(SpecError, "userId: must be a non-empty string (at most 200 characters) or a number, got ''");
  });

  it('refuses options it cannot use, naming them', () => {
    expect(() => createTracker({ sinks: [] })).to.throw(
      SpecError,
      'sinks: give at least one sink, e.g. sinks: [storeSink(store)], [indexedDbSink()] or [httpSink({ url })], got \'[]\'',
    );
    expect(() => createTracker({ sinks: [{} as never] })).to.throw(SpecError, 'sinks[0]: not a sink: make one with storeSink(), indexedDbSink() or httpSink()');
    expect(() => createTracker({ sinks: [recording], sessionTimeoutMinutes: 0 })).to.throw(SpecError, "sessionTimeoutMinutes: must be a number of minutes above 0, got '0'");
    expect(() => storeSink({} as never)).to.throw(TypeError, 'storeSink(store): store must have an ingest() method');
  });

  it('does nothing after shutdown', async () => {
    const target = tracker();
    await target.shutdown();
    expect(target.track('late')).to.equal(null);
    let message = '';
    await target.setConsent('denied').catch((error: Error) => (message = error.message));
    expect(message).to.equal('setConsent: this tracker was shut down; create a new one with createTracker()');
    expect(recording.calls).to.deep.equal(['start', 'flush', 'stop']);
  });

  it('reports a sink that fails, and keeps feeding the others', () => {
    const errors: string[] = [];
    const failing = new RecordingSink();
    failing.write = () => {
      throw new Error('disk on fire');
    };
    const target = tracker({ sinks: [failing, recording], onError: (error) => errors.push(error.message) });
    target.track('a');
    expect(recording.names()).to.deep.equal(['a']);
    expect(errors).to.deep.equal(['recording sink: disk on fire']);
  });
});
