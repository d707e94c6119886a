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

/** A line as the sink sends it: the event and the clock when it was sent. */
type SentLine = { uuid: string; timestamp: string; sent_at: string };

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
    // sent_at is a transport field: not stored, and not reported as an ignored field.
    expect([report.accepted, report.duplicates, report.ignoredFields]).to.deep.equal([3, 3, []]);
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

  it('adds sent_at, the clock when the batch is sent, to every line, and sets it again on each retry', async () => {
    const collector = await newCollector(2);
    const realFetch = window.fetch;
    const bodies: string[] = [];
    window.fetch = (input, init) => {
      if (init?.method === 'POST' && String(input) === collector.url) bodies.push(String(init.body));
      return realFetch(input, init);
    };
    let uuids: string[];
    try {
      uuids = trackEvents(tracker({ url: collector.url, batchSize: 3, flushIntervalMs: 10, initialBackoffMs: 20, maxBackoffMs: 40 }), 3);
      await waitFor('the batch acknowledged', () => queuedUuids().length === 0);
    } finally {
      window.fetch = realFetch;
    }
    const posts = bodies.map((body) => body.trim().split('\n').map((text) => JSON.parse(text) as SentLine));
    expect(posts.map((lines) => lines.map((event) => event.uuid))).to.deep.equal([uuids, uuids, uuids]); // two failures, then the answer
    const sentAts = posts.map((lines) => lines[0]!.sent_at);
    for (const lines of posts) expect(new Set(lines.map((event) => event.sent_at)).size).to.equal(1); // one clock reading a batch
    // Each retry reads the clock again: after the event times, and later on each try (the backoff is at least 10 ms).
    expect(Date.parse(sentAts[0]!)).to.be.at.least(Date.parse(posts[0]![2]!.timestamp));
    expect(Date.parse(sentAts[1]!)).to.be.above(Date.parse(sentAts[0]!));
    expect(Date.parse(sentAts[2]!)).to.be.above(Date.parse(sentAts[1]!));
    expect(sentAts[2]).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const received = (await collector.read()).lines as unknown as SentLine[];
    expect(received.map((event) => event.sent_at)).to.deep.equal([sentAts[2], sentAts[2], sentAts[2]]);
  });

  it('sends by beacon to a URL with the write key in ?key=, as text/plain (no CORS preflight), with sent_at', async () => {
    const collector = await newCollector();
    const url = `${collector.url}?key=fp_w_test`;
    const realBeacon = navigator.sendBeacon.bind(navigator);
    const beacons: { url: string; type: string }[] = [];
    navigator.sendBeacon = (target, data) => {
      beacons.push({ url: String(target), type: (data as Blob).type });
      return realBeacon(target, data);
    };
    let uuids: string[];
    try {
      const first = tracker({ url, flushIntervalMs: 60_000 });
      uuids = trackEvents(first, 2);
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      await waitFor('the beacon', async () => (await collector.read()).lines.length === 2);
      await first.shutdown({ flush: false });
    } finally {
      navigator.sendBeacon = realBeacon;
    }
    expect(beacons).to.deep.equal([{ url, type: 'text/plain;charset=utf-8' }]);
    const lines = (await collector.read()).lines as unknown as SentLine[];
    expect(lines.map((event) => event.uuid)).to.deep.equal(uuids);
    expect(lines.every((event) => Date.parse(event.sent_at) >= Date.parse(event.timestamp))).to.equal(true);

    // The next page posts what the beacon sent (never acknowledged) to the same URL, key and all.
    tracker({ url, flushIntervalMs: 60_000 });
    await waitFor('the queue acknowledged', () => queuedUuids().length === 0);
    expect((await collector.read()).lines.map((event) => event.uuid)).to.deep.equal([...uuids, ...uuids]);
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
