// The store over a message port (shared/remote/): runs in Node and in Chromium.
import { expect } from 'chai';
import { connectStore, DataError, generateSampleEvents, openStore, serveStore, SpecError, type RemoteStore, type Store, type StoreOptions } from '../../shared/index.ts';
import { rejectionOf } from './helpers.ts';

const NOW = Date.UTC(2026, 10, 28, 12);
const EVENTS = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'save', user_id: 'c', timestamp: '2026-11-28T08:00:00Z' },
];
const TREND = { kind: 'trend', math: 'users', interval: 'day', from: '2026-11-26', to: '2026-11-28' } as const;

describe('remote store over a MessageChannel', () => {
  let channel: MessageChannel;
  const opened: Store[] = [];
  const openFixed = async (options: StoreOptions): Promise<Store> => {
    const store = await openStore({ ...options, now: () => NOW });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    channel = new MessageChannel();
  });

  afterEach(async () => {
    channel.port1.close();
    channel.port2.close();
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function connected(options: Parameters<RemoteStore['open']>[0] = {}): Promise<RemoteStore> {
    serveStore(channel.port2, openFixed);
    const remote = connectStore(channel.port1);
    await remote.open(options);
    return remote;
  }

  it('ingests and answers queries with the numbers of the store', async () => {
    const remote = await connected();
    expect(await remote.ingest(EVENTS)).to.deep.equal({ accepted: 4, duplicates: 0, rejected: [], ignoredFields: [] });
    const trend = await remote.query(TREND);
    expect(trend.series[0]!.points.map((p) => [p.period, p.value])).to.deep.equal([
      ['2026-11-26', 1],
      ['2026-11-27', 2],
      ['2026-11-28', 1],
    ]);
    const events = await remote.query({ kind: 'events', from: '2026-11-01', to: '2026-11-30', event: 'open' });
    expect(events.total).to.equal(3);
  });

  it('passes the open options (time zone, week start) to the store', async () => {
    const remote = await connected({ timezone: 'America/New_York', weekStart: 'sunday' });
    await remote.ingest([{ event: 'open', user_id: 'a', timestamp: '2026-11-28T03:00:00Z' }]);
    // 03:00 UTC is the evening before in New York.
    const trend = await remote.query({ kind: 'trend', math: 'events', interval: 'day', from: '2026-11-27', to: '2026-11-28' });
    expect(trend.series[0]!.points.map((p) => p.value)).to.deep.equal([1, 0]);
    const weeks = await remote.query({ kind: 'trend', math: 'events', interval: 'week', from: '2026-11-22', to: '2026-11-28' });
    expect(weeks.series[0]!.points.map((p) => p.period)).to.deep.equal(['2026-11-22']);
  });

  it('runs requests in the order they were sent, awaited or not', async () => {
    const remote = await connected();
    const ingesting = remote.ingestText(EVENTS.map((e) => JSON.stringify(e)).join('\n'));
    const total = remote.query({ kind: 'events', from: '2026-11-01', to: '2026-11-30' });
    const removed = remote.deleteUser('a');
    const after = remote.query({ kind: 'events', from: '2026-11-01', to: '2026-11-30' });
    expect((await ingesting).accepted).to.equal(4);
    expect((await total).total).to.equal(4);
    expect(await removed).to.equal(2);
    expect((await after).total).to.equal(2);
    expect(await remote.purgeBefore('2026-11-28')).to.equal(1);
  });

  it('a server given no sample generator refuses loadSample, naming why', async () => {
    const remote = await connected();
    let message = '';
    await remote.loadSample({ users: 3, days: 7, end: NOW }).catch((error: Error) => (message = error.message));
    expect(message).to.contain('this store serves no sample data');
  });

  it('reports progress: the number of events about to be ingested', async () => {
    serveStore(channel.port2, openFixed, { generateSample: generateSampleEvents });
    const progress: unknown[] = [];
    const remote = connectStore(channel.port1, { onProgress: (p, method) => progress.push([method, p]) });
    await remote.open();
    const csv = 'event,user_id,timestamp\nopen,a,2026-11-27T09:00:00Z\n\nopen,b,2026-11-27T10:00:00Z\nsave,a,2026-11-28T08:00:00Z\n';
    expect((await remote.ingestText(csv)).accepted).to.equal(3);
    await remote.ingest(EVENTS.slice(0, 2));
    expect((await remote.loadSample({ users: 3, days: 7, end: NOW })).accepted).to.equal(generateSampleEvents({ users: 3, days: 7, end: NOW }).length);
    const sampleSize = generateSampleEvents({ users: 3, days: 7, end: NOW }).length;
    expect(progress).to.deep.equal([
      ['ingestText', { phase: 'ingest', events: 3 }],
      ['ingest', { phase: 'ingest', events: 2 }],
      ['loadSample', { phase: 'ingest', events: sampleSize }],
    ]);
  });

  it('checks rejections with a rejectionOf that fails when nothing rejects', async () => {
    // Its own "expected a rejection" error must reach the test, not be taken for the rejection.
    let failure: unknown;
    await rejectionOf(Promise.resolve({ total: 1 })).catch((error: unknown) => (failure = error));
    expect((failure as Error | undefined)?.message).to.equal('expected a rejection, got {"total":1}');
  });

  it('re-creates a SpecError with its field and message', async () => {
    const remote = await connected();
    const error = await rejectionOf(remote.query({ kind: 'trend', math: 'users', from: '2026-02-30', to: '2026-03-02' }));
    expect(error).to.be.instanceOf(SpecError);
    expect(error.name).to.equal('SpecError');
    expect((error as SpecError).field).to.equal('from');
    expect(error.message).to.equal("from: not a calendar date: '2026-02-30'");
    const unknownKind = await rejectionOf(remote.query({ kind: 'nope' } as never));
    expect((unknownKind as SpecError).field).to.equal('kind');
  });

  it('re-creates a DataError; a failed open leaves no store', async () => {
    const remote = await connected();
    const data = await rejectionOf(remote.ingestText('[{"event": ', 'json'));
    expect(data).to.be.instanceOf(DataError);
    expect(data.message).to.match(/^json: not valid JSON \(.+\); nothing was ingested$/);
    const options = await rejectionOf(remote.open({ timezone: 'Mars/Olympus' }));
    expect(options).to.be.instanceOf(SpecError);
    expect((options as SpecError).field).to.equal('timezone');
    // A failed open leaves no store open.
    const notOpen = await rejectionOf(remote.query(TREND));
    expect(notOpen).to.not.be.instanceOf(SpecError);
    expect(notOpen.message).to.equal('the store is not open (send open first)');
  });

  it('keeps the name and message of other errors', async () => {
    const failing = { query: () => Promise.reject(new RangeError('out of range: 7')), close: () => Promise.resolve() } as unknown as Store;
    serveStore(channel.port2, () => Promise.resolve(failing));
    const remote = connectStore(channel.port1);
    await remote.open();
    const error = await rejectionOf(remote.query(TREND));
    expect([error.constructor, error.name, error.message]).to.deep.equal([Error, 'RangeError', 'out of range: 7']);
  });

  it('rejects requests sent before open', async () => {
    serveStore(channel.port2, openFixed);
    const remote = connectStore(channel.port1);
    expect((await rejectionOf(remote.ingest(EVENTS))).message).to.equal('the store is not open (send open first)');
  });

  it('rejects a request whose arguments cannot cross the port, and keeps working', async () => {
    const remote = await connected();
    const error = await rejectionOf(remote.query({ kind: 'trend', math: (() => 'users') as never }));
    expect(error.message).to.match(/^query: could not be sent to the remote store \(.*could not be cloned.*\)$/);
    expect((await remote.ingest(EVENTS)).accepted).to.equal(4);
  });

  it('exports a SQLite file that a new remote store opens from data', async () => {
    const remote = await connected();
    await remote.ingest(EVENTS);
    const file = await remote.export();
    expect(file).to.be.instanceOf(Uint8Array);
    expect(new TextDecoder().decode(file.subarray(0, 15))).to.equal('SQLite format 3');
    const bytes = file.buffer as ArrayBuffer;
    await remote.open({ data: bytes }, [bytes]);
    expect(bytes.byteLength).to.equal(0); // transferred, not copied
    const trend = await remote.query(TREND);
    expect(trend.series[0]!.points.map((p) => p.value)).to.deep.equal([1, 2, 1]);
  });

  it('lets two clients share one port, each getting its own answers', async () => {
    serveStore(channel.port2, openFixed);
    const first = connectStore(channel.port1);
    const second = connectStore(channel.port1);
    await first.open();
    await first.ingest(EVENTS);
    const [a, b] = await Promise.all([first.query(TREND), second.query({ kind: 'events', from: '2026-11-01', to: '2026-11-30', limit: 1 })]);
    expect(a.series[0]!.points.map((p) => p.value)).to.deep.equal([1, 2, 1]);
    expect(b.total).to.equal(4);
    expect(b.events.length).to.equal(1);
  });

  it('ignores messages that are not part of the protocol', async () => {
    const remote = await connected();
    // Both would answer the next request (id 2) if messages were matched by id alone.
    channel.port2.postMessage({ type: 'response', id: 2, ok: true, result: 'not ours' });
    channel.port2.postMessage({ fp: 1, type: 'response', client: 'someone-else', id: 2, ok: true, result: 'not ours' });
    channel.port2.postMessage('hello');
    expect((await remote.ingest(EVENTS)).accepted).to.equal(4);
  });

  it('close() closes the store: later calls reject saying so', async () => {
    const remote = await connected();
    await remote.ingest(EVENTS);
    await remote.close();
    expect(remote.closedReason).to.equal('the store is closed');
    expect((await rejectionOf(remote.query(TREND))).message).to.equal('the store is closed: cannot query');
    expect(opened.length).to.equal(1);
    // The store on the other side was closed too.
    expect((await rejectionOf(opened[0]!.query(TREND))).message).to.equal('store is closed');
    opened.length = 0;
  });

  describe('pending requests', () => {
    /** A store whose queries never answer, as a busy or stuck worker. */
    const stuck = (): Promise<Store> =>
      Promise.resolve({ query: () => new Promise<never>(() => undefined), close: () => Promise.resolve() } as unknown as Store);

    it('reject on disconnect (a terminated worker) with a clear message', async () => {
      serveStore(channel.port2, stuck);
      const remote = connectStore(channel.port1, { name: 'the store worker' });
      await remote.open();
      const first = remote.query(TREND);
      const second = remote.export();
      remote.disconnect('the store worker was terminated');
      expect((await rejectionOf(first)).message).to.equal('the store worker was terminated: query got no answer');
      expect((await rejectionOf(second)).message).to.equal('the store worker was terminated: export got no answer');
      expect((await rejectionOf(remote.query(TREND))).message).to.equal('the store worker was terminated: cannot query');
    });

    it('reject when a worker fails before it started (its script did not load)', async () => {
      // Nothing serves port2, as when a worker's script is missing; a Worker then fires `error`.
      const remote = connectStore(channel.port1, { name: 'the store worker' });
      const opening = remote.open();
      channel.port1.dispatchEvent(new Event('error'));
      expect((await rejectionOf(opening)).message).to.equal('the store worker failed to start: open got no answer');
      expect((await rejectionOf(remote.query(TREND))).message).to.equal('the store worker failed to start: cannot query');
    });

    it('survive an error event once the worker runs (an uncaught error there does not stop it)', async () => {
      const remote = await connected();
      channel.port1.dispatchEvent(new Event('error'));
      expect(remote.closedReason).to.equal(undefined);
      expect((await remote.ingest(EVENTS)).accepted).to.equal(4);
    });

    // Node's MessagePort fires `close` when the other end closes; Chromium's does not (yet), so there a
    // closed port is only noticed through disconnect() (above) or a Worker's error event.
    const portsSignalClose = typeof MessagePort !== 'undefined' && 'onclose' in MessagePort.prototype || typeof (globalThis as { process?: unknown }).process !== 'undefined';
    (portsSignalClose ? it : it.skip)('reject when the other end of the port closes', async () => {
      serveStore(channel.port2, stuck);
      const remote = connectStore(channel.port1, { name: 'the store worker' });
      await remote.open();
      const pending = remote.query(TREND);
      channel.port2.close();
      expect((await rejectionOf(pending)).message).to.equal('the store worker was closed: query got no answer');
      expect(remote.closedReason).to.equal('the store worker was closed');
    });
  });
});
