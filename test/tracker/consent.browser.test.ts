// The tracker's consent in Chromium: nothing captured, stored or sent before
// consent (checked in localStorage, sessionStorage, the IndexedDB database
// list and at the endpoint); granting starts recording, revoking stops it and
// drops what was not sent; the choice survives a reload; browser privacy
// signals mean denied. These tests use the tracker's default storage names
// (see tracker-helpers.ts for why the other tracker files use others).
import { expect } from 'chai';
import { createTracker, httpSink, indexedDbSink, openStore, SpecError, storeSink, type IndexedDbSink, type Store, type Tracker, type TrackerOptions } from '../../shared/index.ts';
import {
  clearStorage,
  consentLog,
  databaseNames,
  deleteDatabase,
  localKeys,
  newCollector,
  pause,
  RecordingSink,
  requestsTo,
  sessionKeys,
  stubNavigator,
  TrackerPool,
  waitFor,
  type Collected,
} from './tracker-helpers.ts';

/** Every sink the tracker has, for one test. */
interface Setup {
  store: Store;
  idb: IndexedDbSink;
  recording: RecordingSink;
  collector: { url: string; read(): Promise<Collected> };
  make(options?: Partial<TrackerOptions> & { flushIntervalMs?: number }): Tracker;
}

/** Names of the events in the store, oldest first. */
async function storedNames(store: Store): Promise<string[]> {
  const { events } = await store.query({ kind: 'events' });
  return events.map((event) => event.event).reverse();
}

/** Does what a person would do on the page: click a button, move to another route. */
async function actOnPage(): Promise<void> {
  const button = document.createElement('button');
  button.id = 'consent-test-button';
  button.textContent = 'Save';
  document.body.append(button);
  const original = location.href;
  try {
    button.click();
    history.pushState(null, '', '/consent-test-route');
    await pause(20); // autocapture checks the route a task later
  } finally {
    history.replaceState(null, '', original);
    button.remove();
  }
}

describe('tracker consent', () => {
  const pool = new TrackerPool();
  const undo: (() => void)[] = [];
  let setup: Setup;

  beforeEach(async () => {
    clearStorage('footprint');
    await deleteDatabase('footprint-events');
    const store = await openStore();
    const idb = indexedDbSink();
    const recording = new RecordingSink();
    const collector = await newCollector();
    setup = {
      store,
      idb,
      recording,
      collector,
      make: ({ flushIntervalMs = 10, ...options } = {}) =>
        pool.add(createTracker({ sinks: [storeSink(store), idb, httpSink({ url: collector.url, flushIntervalMs }), recording], ...options })),
    };
  });

  afterEach(async () => {
    await pool.shutdownAll();
    for (const restore of undo.splice(0)) restore();
    await setup.store.close();
    clearStorage('footprint');
    await deleteDatabase('footprint-events');
  });

  /** Checks that nothing was recorded anywhere: no sink called, no storage written but `expectedKeys`, no request. */
  async function expectNothingRecorded(expectedKeys: string[]): Promise<void> {
    await pause(50); // longer than the HTTP sink's 10 ms batch wait: a send would have happened
    expect(setup.recording.calls).to.deep.equal([]);
    expect(await storedNames(setup.store)).to.deep.equal([]);
    expect(localKeys()).to.deep.equal(expectedKeys);
    expect(sessionKeys()).to.deep.equal([]);
    expect(await databaseNames()).to.deep.equal([]);
    expect(await setup.idb.readEvents()).to.deep.equal([]);
    expect(await databaseNames()).to.deep.equal([]); // reading created nothing either
    expect((await setup.collector.read()).posts).to.equal(0);
    expect(requestsTo(setup.collector.url)).to.equal(0);
  }

  it('is pending by default, and then captures, stores and sends nothing', async () => {
    const tracker = setup.make();
    expect(tracker.consent).to.equal('pending');
    expect(tracker.userId).to.equal(null);
    expect(tracker.privacySignal).to.equal(null);
    expect(tracker.track('report_exported', { format: 'csv' })).to.equal(null);
    expect(tracker.page()).to.equal(null);
    tracker.identify('ann');
    await actOnPage();
    await tracker.flush();
    await expectNothingRecorded([]);
  });

  it('records nothing while denied: only the choice itself is stored', async () => {
    const tracker = setup.make();
    const states = consentLog(tracker);
    await tracker.setConsent('denied');
    expect(tracker.consent).to.equal('denied');
    expect(states).to.deep.equal(['denied']);
    expect(tracker.track('report_exported')).to.equal(null);
    await actOnPage();
    await tracker.flush();
    await expectNothingRecorded(['footprint.consent']);
    expect(localStorage.getItem('footprint.consent')).to.equal('denied');
  });

  it('starts recording when granted: events reach the store, IndexedDB and the endpoint', async () => {
    const tracker = setup.make();
    const states = consentLog(tracker);
    await tracker.setConsent('granted');
    expect(tracker.consent).to.equal('granted');
    expect(states).to.deep.equal(['granted']);
    expect(setup.recording.calls).to.deep.equal(['start', 'write $pageview']);
    const exported = tracker.track('report_exported', { format: 'csv' });
    expect(exported?.event).to.equal('report_exported');
    await tracker.flush();

    const userId = tracker.userId;
    expect(userId).to.be.a('string');
    const { events } = await setup.store.query({ kind: 'events' });
    expect(events.map((e) => [e.event, e.user_id, e.uuid])).to.deep.equal([
      ['report_exported', userId, exported!.uuid],
      ['$pageview', userId, setup.recording.events[0]!.uuid],
    ]);
    expect((await setup.idb.readEvents()).map((e) => e.event)).to.deep.equal(['$pageview', 'report_exported']);
    const collected = await setup.collector.read();
    expect(collected.lines.map((e) => e.uuid)).to.deep.equal([setup.recording.events[0]!.uuid, exported!.uuid]);
    // The acknowledged queue is gone; what stays is the choice, the user id, the session and the database.
    expect(localKeys()).to.deep.equal(['footprint.consent', 'footprint.user-id']);
    expect(localStorage.getItem('footprint.user-id')).to.equal(userId);
    expect(sessionKeys()).to.deep.equal(['footprint.session']);
    expect(await databaseNames()).to.deep.equal(['footprint-events']);
  });

  it('stops at once when revoked and drops what was not yet sent or written', async () => {
    const tracker = setup.make({ flushIntervalMs: 60_000 });
    await tracker.setConsent('granted');
    await waitFor('the page view in the store', async () => (await storedNames(setup.store)).length === 1);
    tracker.track('first_unsent');
    tracker.track('second_unsent');
    const queued = localKeys().filter((key) => key.startsWith('footprint.queue.http.'));
    expect(queued.length).to.equal(3); // the page view and both events wait for their batch
    const states = consentLog(tracker);

    await tracker.setConsent('denied');
    expect(states).to.deep.equal(['denied']);
    expect(tracker.track('after_revoke')).to.equal(null);
    await actOnPage();
    await tracker.flush();
    await pause(50);
    expect(setup.recording.calls).to.deep.equal(['start', 'write $pageview', 'write first_unsent', 'write second_unsent', 'stop dropUnsent']);
    expect(await storedNames(setup.store)).to.deep.equal(['$pageview']);
    expect((await setup.idb.readEvents()).map((e) => e.event)).to.deep.equal(['$pageview']);
    expect(localKeys()).to.deep.equal(['footprint.consent', 'footprint.user-id']);
    expect(localStorage.getItem('footprint.consent')).to.equal('denied');
    expect((await setup.collector.read()).posts).to.equal(0);
  });

  it('deletes what was stored on this device when revoked with deleteStored', async () => {
    const tracker = setup.make();
    await tracker.setConsent('granted');
    tracker.track('report_exported');
    await tracker.flush();
    const userId = tracker.userId!;
    expect(await storedNames(setup.store)).to.deep.equal(['$pageview', 'report_exported']);

    await tracker.setConsent('denied', { deleteStored: true });
    expect(localKeys()).to.deep.equal(['footprint.consent']);
    expect(sessionKeys()).to.deep.equal([]);
    expect(await databaseNames()).to.deep.equal([]);
    expect(await storedNames(setup.store)).to.deep.equal([]);
    expect(setup.recording.calls.slice(-2)).to.deep.equal(['stop dropUnsent', `deleteStored ${userId}`]);
  });

  it('keeps the choice across a reload: a new tracker starts granted, with the same user and session', async () => {
    const first = setup.make();
    await first.setConsent('granted');
    const before = first.track('before_reload')!;
    await first.shutdown();

    const recording = new RecordingSink();
    const second = pool.add(createTracker({ sinks: [recording] }));
    expect(second.consent).to.equal('granted');
    expect(second.userId).to.equal(before.user_id);
    const after = second.track('after_reload')!;
    expect(recording.names()).to.deep.equal(['$pageview', 'after_reload']);
    expect([after.user_id, after.session_id]).to.deep.equal([before.user_id, before.session_id]);
  });

  it('keeps a refusal across a reload: a new tracker starts denied and records nothing', async () => {
    const first = setup.make();
    await first.setConsent('denied');
    await first.shutdown();
    const second = setup.make();
    expect(second.consent).to.equal('denied');
    second.track('after_reload');
    await expectNothingRecorded(['footprint.consent']);
  });

  it('is denied under Global Privacy Control, even over an earlier grant, and cannot be granted', async () => {
    undo.push(stubNavigator('globalPrivacyControl', true));
    const tracker = setup.make();
    expect(tracker.consent).to.equal('denied');
    expect(tracker.privacySignal).to.equal('gpc');
    let message = '';
    await tracker.setConsent('granted').catch((error: Error) => (message = error.message));
    expect(message).to.equal(
      'this browser sends Global Privacy Control, which keeps recording off (turn it off in the browser, or create the tracker with respectPrivacySignals: false where that is lawful)',
    );
    expect(tracker.consent).to.equal('denied');
    tracker.track('report_exported');
    await actOnPage();
    await expectNothingRecorded([]);

    localStorage.setItem('footprint.consent', 'granted'); // a grant from before the signal was turned on
    const later = setup.make();
    expect(later.consent).to.equal('denied');
    await expectNothingRecorded(['footprint.consent']);
  });

  it('is denied under Do Not Track', async () => {
    undo.push(stubNavigator('doNotTrack', '1'));
    const tracker = setup.make();
    expect([tracker.consent, tracker.privacySignal]).to.deep.equal(['denied', 'dnt']);
    await expectNothingRecorded([]);
  });

  it("counts each browser's way of sending Do Not Track: '1' or 'yes' on navigator, window.doNotTrack, navigator.msDoNotTrack", async () => {
    const signalWith = (stub: () => () => void): [string, string | null] => {
      const restore = stub();
      try {
        const tracker = setup.make();
        return [tracker.consent, tracker.privacySignal];
      } finally {
        restore();
      }
    };
    const onWindow = (value: string) => () => {
      Object.defineProperty(window, 'doNotTrack', { value, configurable: true });
      return () => void delete (window as unknown as Record<string, unknown>).doNotTrack;
    };
    const denied = ['denied', 'dnt'];
    expect(signalWith(() => stubNavigator('doNotTrack', 'yes'))).to.deep.equal(denied); // Firefox before version 9
    expect(signalWith(() => stubNavigator('msDoNotTrack', '1'))).to.deep.equal(denied); // Internet Explorer 9 and 10
    expect(signalWith(onWindow('1'))).to.deep.equal(denied); // Internet Explorer 11, Safari before 12.1
    for (const off of ['0', 'no', 'unspecified']) {
      expect(signalWith(() => stubNavigator('doNotTrack', off)), off).to.deep.equal(['pending', null]);
    }
    await expectNothingRecorded([]);
  });

  it('lets the person decide despite the signals with respectPrivacySignals: false', async () => {
    undo.push(stubNavigator('globalPrivacyControl', true));
    const tracker = setup.make({ respectPrivacySignals: false });
    expect([tracker.consent, tracker.privacySignal]).to.deep.equal(['pending', null]);
    await tracker.setConsent('granted');
    expect(tracker.consent).to.equal('granted');
    expect(setup.recording.names()).to.deep.equal(['$pageview']);
  });

  it('follows a choice made in another tab', async () => {
    const tracker = setup.make();
    await tracker.setConsent('granted');
    const states = consentLog(tracker);
    // What another tab's setConsent('denied') leaves: the stored choice, and a storage event in this tab.
    localStorage.setItem('footprint.consent', 'denied');
    window.dispatchEvent(new StorageEvent('storage', { key: 'footprint.consent', oldValue: 'granted', newValue: 'denied', storageArea: localStorage }));
    expect(tracker.consent).to.equal('denied');
    expect(states).to.deep.equal(['denied']);
    expect(tracker.track('after_revoke')).to.equal(null);
    await pause(0);
    expect(setup.recording.calls).to.deep.equal(['start', 'write $pageview', 'stop dropUnsent']);
  });

  it("follows another tab's localStorage.clear(): the choice is gone, so consent is pending and nothing is recorded", async () => {
    const tracker = setup.make();
    await tracker.setConsent('granted');
    const states = consentLog(tracker);
    // What localStorage.clear() in another tab leaves: no stored keys, and a storage event whose key is null.
    // Only this origin's footprint keys are removed here, as other test files share the origin's storage.
    for (const key of localKeys()) if (key.startsWith('footprint')) localStorage.removeItem(key);
    window.dispatchEvent(new StorageEvent('storage', { key: null, oldValue: null, newValue: null, storageArea: localStorage }));
    expect(tracker.consent).to.equal('pending');
    expect(states).to.deep.equal(['pending']);
    expect(tracker.track('after_clear')).to.equal(null);
    await pause(0);
    expect(setup.recording.names()).to.deep.equal(['$pageview']);
  });

  it('keeps an id given to identify() before consent in memory only, and uses it once granted', async () => {
    const tracker = setup.make();
    tracker.identify('ann');
    expect(localKeys()).to.deep.equal([]);
    await tracker.setConsent('granted');
    expect(tracker.userId).to.equal('ann');
    expect(tracker.track('report_exported')?.user_id).to.equal('ann');
    expect(localStorage.getItem('footprint.user-id')).to.equal('ann');
  });

  it('calls each consent listener on every change until it unsubscribes', async () => {
    const tracker = setup.make();
    const states = consentLog(tracker);
    const other: string[] = [];
    const unsubscribe = tracker.onConsentChange((state) => other.push(state));
    await tracker.setConsent('granted');
    await tracker.setConsent('granted'); // no change, no call
    unsubscribe();
    await tracker.setConsent('denied');
    expect(states).to.deep.equal(['granted', 'denied']);
    expect(other).to.deep.equal(['granted']);
  });

  it('rejects a state that is not a choice, naming it', async () => {
    const tracker = setup.make();
    let error: unknown;
    await tracker.setConsent('pending' as 'granted').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(SpecError);
    expect((error as Error).message).to.equal("state: must be 'granted' or 'denied', got 'pending'");
    expect(tracker.consent).to.equal('pending');
    await expectNothingRecorded([]);
  });
});
