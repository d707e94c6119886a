// The tracker's HTTP sink in Chromium, against the test collector of
// web-test-runner.config.mjs (which can fail the first N posts with 503):
// every event arrives exactly once through failures and retries, unsent
// events wait in localStorage until acknowledged, and a page that closes
// mid-batch loses nothing that was queued.
import { expect } from 'chai';
import { createTracker, httpSink, openStore, type HttpSinkOptions, type Tracker } from '../../shared/index.ts';
import { clearStorage, ISOLATED_PREFIX, newCollector, TrackerPool, waitFor } from './tracker-helpers.ts';

const PREFIX = `${ISOLATED_PREFIX}http`;
const QUEUE = `${PREFIX}.queue.http.`;

/** The uuids of the events waiting in localStorage, sorted. */
function queuedUuids(): string[] {
  return Object.keys(localStorage)
    .filter((key) => key.startsWith(QUEUE))
    .map((key) => key.slice(QUEUE.length))
    .sort();
}

describe('tracker HTTP sink', () => {
  const pool = new TrackerPool();
  let errors: string[];

  /** A tracker of this file: only the HTTP sink, no autocapture, consent already given on this "device". */
  function tracker(options: HttpSinkOptions): Tracker {
    localStorage.setItem(`${PREFIX}.consent`, 'granted');
    return pool.add(
      createTracker({ sinks: [httpSink(options)], autocapture: false, storagePrefix: PREFIX, onError: (error) => errors.push(error.message) }),
    );
  }

  /** Tracks `count` events named e0, e1, ...; returns their uuids in order. */
  function trackEvents(target: Tracker, count: number, from = 0): string[] {
    return Array.from({ length: count }, (_, index) => target.track(`e${from + index}`)!.uuid);
  }

  beforeEach(() => {
    clearStorage(PREFIX);
    errors = [];
  });

  afterEach(async () => {
    await pool.shutdownAll();
    clearStorage(PREFIX);
  });

  it('retries a failing endpoint with backoff until it answers: every event arrives exactly once', async () => {
    const collector = await newCollector(3);
    const sink = { url: collector.url, batchSize: 4, flushIntervalMs: 10, initialBackoffMs: 20, maxBackoffMs: 80 };
    const uuids = trackEvents(tracker(sink), 10);
    await waitFor('all 10 events acknowledged', () => queuedUuids().length === 0);

    const collected = await collector.read();
    // The first batch fails 3 times, then three batches of 4, 4 and 2 go through.
    expect([collected.posts, collected.failed]).to.deep.equal([6, 3]);
    expect(collected.lines.map((event) => event.event)).to.deep.equal(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    expect(collected.lines.map((event) => event.uuid)).to.deep.equal(uuids);
    expect(errors).to.deep.equal([
      `http sink: POST ${collector.url} answered 503 Service Unavailable; its 4 events stay queued and are retried with backoff (up to every 80 ms), further failures in a row are not reported`,
    ]);
  });

  it('keeps events in localStorage, keyed by uuid, while the endpoint is down, and sends them once it is back', async () => {
    const collector = await newCollector(1_000);
    const target = tracker({ url: collector.url, flushIntervalMs: 10, initialBackoffMs: 20, maxBackoffMs: 40 });
    const uuids = trackEvents(target, 5);
    await waitFor('three failed posts', async () => (await collector.read()).failed >= 3);
    expect(queuedUuids()).to.deep.equal([...uuids].sort());
    expect(JSON.parse(localStorage.getItem(QUEUE + uuids[0])!).event).to.include({ event: 'e0', uuid: uuids[0] });
    expect((await collector.read()).lines).to.deep.equal([]);

    await fetch(`${collector.url}/reset?fail=0`, { method: 'POST' }); // the server is back
    await target.flush();
    const collected = await collector.read();
    expect(collected.lines.map((event) => event.uuid)).to.deep.equal(uuids);
    expect(queuedUuids()).to.deep.equal([]);
  });

  it('retries after exponentially longer waits, up to maxBackoffMs', async () => {
    const collector = await newCollector(1_000);
    const realFetch = window.fetch;
    const posts: number[] = [];
    window.fetch = (input, init) => {
      if (init?.method === 'POST' && String(input) === collector.url) posts.push(performance.now());
      return realFetch(input, init);
    };
    try {
      tracker({ url: collector.url, flushIntervalMs: 1, initialBackoffMs: 100, maxBackoffMs: 150 }).track('e0');
      await waitFor('five posts', () => posts.length >= 5);
    } finally {
      window.fetch = realFetch;
    }
    const gaps = posts.slice(1, 5).map((time, index) => time - posts[index]!);
    // Each wait is drawn between half and all of min(150, 100 * 2^n): 50-100, then 75-150 three times.
    // Timers never fire early; late by a loaded machine, but far from the 200, 400, 800 of an uncapped doubling.
    expect(gaps[0]).to.be.within(50, 100 + 250);
    for (const gap of gaps.slice(1)) expect(gap).to.be.within(75, 150 + 220);
  });

  it('loses nothing when the page closes before a batch is sent: the next page sends the queue, once', async () => {
    const collector = await newCollector();
    const first = tracker({ url: collector.url, flushIntervalMs: 60_000 });
    const uuids = trackEvents(first, 5);
    await first.shutdown({ flush: false }); // the tab closes with the batch still waiting
    expect(queuedUuids()).to.deep.equal([...uuids].sort());
    expect((await collector.read()).posts).to.equal(0);

    tracker({ url: collector.url, flushIntervalMs: 60_000 }); // the reloaded page: it sends what it finds at once
    await waitFor('the queue acknowledged', () => queuedUuids().length === 0);
    const collected = await collector.read();
    expect(collected.posts).to.equal(1);
    expect(collected.lines.map((event) => event.uuid)).to.deep.equal(uuids);
  });

  it('sends the queue by beacon on pagehide; resent by the next page, each event still counts once', async () => {
    const collector = await newCollector();
    const first = tracker({ url: collector.url, flushIntervalMs: 60_000 });
    const uuids = trackEvents(first, 3);
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await waitFor('the beacon', async () => (await collector.read()).lines.length === 3);
    // A beacon is never acknowledged: the events stay queued.
    expect(queuedUuids()).to.deep.equal([...uuids].sort());
    await first.shutdown({ flush: false });

    tracker({ url: collector.url, flushIntervalMs: 60_000 });
    await waitFor('the queue acknowledged', () => queuedUuids().length === 0);
    const { lines } = await collector.read();
    expect(lines.map((event) => event.uuid)).to.deep.equal([...uuids, ...uuids]);
    // The receiving store keeps one of each: the uuid makes the resend harmless.
    const store = await openStore();
    const report = await store.ingestText(lines.map((event) => JSON.stringify(event)).join('\n'), 'ndjson');
    expect([report.accepted, report.duplicates]).to.deep.equal([3, 3]);
    expect((await store.query({ kind: 'events' })).total).to.equal(3);
    await store.close();
  });

  it('loses nothing when the beacon fails as the page closes: the next page sends the queue', async () => {
    const collector = await newCollector(1);
    const first = tracker({ url: collector.url, flushIntervalMs: 60_000 });
    const uuids = trackEvents(first, 3);
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    await waitFor('the failed beacon', async () => (await collector.read()).failed === 1);
    await first.shutdown({ flush: false });

    tracker({ url: collector.url, flushIntervalMs: 60_000 });
    await waitFor('the queue acknowledged', () => queuedUuids().length === 0);
    const collected = await collector.read();
    expect([collected.posts, collected.failed]).to.deep.equal([2, 1]);
    expect(collected.lines.map((event) => event.uuid)).to.deep.equal(uuids);
  });

  it('drops the oldest unsent events past maxQueue, and says so', async () => {
    const collector = await newCollector(1_000);
    const target = tracker({ url: collector.url, flushIntervalMs: 60_000, maxQueue: 3 });
    const uuids = trackEvents(target, 5);
    expect(queuedUuids()).to.deep.equal(uuids.slice(2).sort());
    const dropped = `http sink: 1 unsent events dropped, the oldest: more than maxQueue (3) were waiting for ${collector.url}`;
    expect(errors).to.deep.equal([dropped, dropped]);
  });

  it('refuses options it cannot use, naming them', () => {
    expect(() => httpSink({ url: '' })).to.throw(TypeError, `httpSink({ url }): url must be the endpoint's URL, got ""`);
    expect(() => httpSink({ url: '/e', batchSize: 0 })).to.throw(TypeError, 'httpSink({ batchSize }): must be a number above 0, got 0');
  });
});
