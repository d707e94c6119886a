// <fp-source> in Chromium: loading from `src` in a Web Worker (and in the
// page), the store / source properties, sample data, errors that say what
// failed and where, progress, and sharing one source between consumers.
import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { DataError, openStore, SpecError, type Query, type Source } from '../../shared/index.ts';
import '../../widgets/fp-source/fp-source.ts';
import '../../widgets/fp-kpi/fp-kpi.ts';
import { settled as widgetSettled, tableText } from './widget-helpers.ts';
import type { FpSource, LoadProgress } from '../../widgets/fp-source/fp-source.ts';
import { rejectionOf } from '../shared/helpers.ts';
import { spyOnWorkers, type WorkerSpy } from './worker-spy.ts';

const fixtureUrl = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).href;

const NDJSON_TREND = { kind: 'trend', math: 'users', interval: 'day', from: '2026-11-26', to: '2026-11-28' } as const;
const CSV_TREND = { kind: 'trend', math: 'events', interval: 'day', from: '2026-11-20', to: '2026-11-22' } as const;

/** The values of a one-series trend. */
async function trendValues(source: Source, spec: Query & { kind: 'trend' }): Promise<(number | null)[]> {
  const result = await source.query(spec);
  expect(result.series.length).to.equal(1);
  return result.series[0]!.points.map((p) => p.value);
}

function statusText(el: FpSource): string {
  return el.shadowRoot!.querySelector('[part=status]')!.textContent!.trim();
}

/** Waits until the element has loaded or failed, and has rendered that. */
async function settled(el: FpSource): Promise<void> {
  await el.ready().catch(() => undefined);
  await el.updateComplete;
}

describe('fp-source', () => {
  const RealWorker = globalThis.Worker;
  const realFetch = globalThis.fetch;
  let spy: WorkerSpy;

  beforeEach(() => {
    spy = spyOnWorkers();
  });

  afterEach(() => {
    spy.restore();
    globalThis.fetch = realFetch;
  });

  describe('loading src in a Web Worker', () => {
    it('loads NDJSON and answers a query with exact numbers', async () => {
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')}></fp-source>`);
      const source = await el.ready();
      expect(el.status).to.equal('ready');
      expect(await trendValues(source, NDJSON_TREND)).to.deep.equal([1, 2, 1]);
      expect(el.report).to.deep.equal({ accepted: 5, duplicates: 0, rejected: [], ignoredFields: [] });
      expect(spy.urls.length).to.equal(1);
      expect(spy.urls[0]).to.match(/\/widgets\/fp-source\/store-worker\.ts$/);
      expect(spy.methods).to.deep.equal(['open', 'ingestText', 'query']);
      await el.updateComplete;
      expect(statusText(el)).to.equal('Loaded 5 events');
    });

    it('loads CSV (extra columns become properties)', async () => {
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.csv')}></fp-source>`);
      const source = await el.ready();
      expect(await trendValues(source, CSV_TREND)).to.deep.equal([1, 3, 0]);
      const plans = await source.query({ kind: 'trend', math: 'events', event: 'signup', breakdown: 'plan', interval: 'month', from: '2026-11-01', to: '2026-11-30' });
      expect(plans.series.map((s) => [s.label, s.points.map((p) => p.value)])).to.deep.equal([
        ['pro', [2]],
        ['free', [1]],
      ]);
      expect(el.report!.accepted).to.equal(4);
      expect(spy.methods).to.deep.equal(['open', 'ingestText', 'query', 'query']);
    });

    it('loads a JSON array', async () => {
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.json')}></fp-source>`);
      const source = await el.ready();
      expect(await trendValues(source, { kind: 'trend', math: 'users', interval: 'day', from: '2026-11-10', to: '2026-11-12' })).to.deep.equal([2, 0, 1]);
      expect(el.report!.accepted).to.equal(3);
    });

    it('loads a SQLite file saved by export(), found by its header, with its saved time zone', async () => {
      const store = await openStore({ timezone: 'America/New_York' });
      await store.ingest([
        { event: 'open', user_id: 'a', timestamp: '2026-11-27T03:00:00Z' }, // Nov 26 in New York
        { event: 'open', user_id: 'b', timestamp: '2026-11-27T15:00:00Z' },
        { event: 'open', user_id: 'c', timestamp: '2026-11-28T15:00:00Z' },
        { event: 'save', user_id: 'c', timestamp: '2026-11-28T16:00:00Z' },
      ]);
      const file = await store.export();
      await store.close();
      // No extension and no type: the `SQLite format 3` header tells.
      const url = URL.createObjectURL(new Blob([file as BlobPart]));
      try {
        const el = await fixture<FpSource>(html`<fp-source src=${url}></fp-source>`);
        const source = await el.ready();
        expect(await trendValues(source, { kind: 'trend', math: 'events', interval: 'day', from: '2026-11-26', to: '2026-11-28' })).to.deep.equal([1, 1, 2]);
        expect(el.report).to.equal(undefined);
        expect(spy.methods).to.deep.equal(['open', 'query', 'query']);
        await el.updateComplete;
        expect(statusText(el)).to.equal('Loaded 4 events');
      } finally {
        URL.revokeObjectURL(url);
      }
    });

    it('sniffs NDJSON from the content when neither the URL nor the type tells', async () => {
      const text = ['{"event":"open","user_id":"a","timestamp":"2026-11-26T09:00:00Z"}', '{"event":"open","user_id":"b","timestamp":"2026-11-26T10:00:00Z"}'].join('\n');
      const url = URL.createObjectURL(new Blob([text]));
      try {
        const el = await fixture<FpSource>(html`<fp-source src=${url}></fp-source>`);
        const source = await el.ready();
        expect(await trendValues(source, { kind: 'trend', math: 'users', interval: 'day', from: '2026-11-26', to: '2026-11-26' })).to.deep.equal([2]);
      } finally {
        URL.revokeObjectURL(url);
      }
    });

    it('passes timezone, week-start and min-group-size to the store', async () => {
      const el = await fixture<FpSource>(
        html`<fp-source src=${fixtureUrl('events.ndjson')} timezone="Pacific/Kiritimati" week-start="sunday" min-group-size="2"></fp-source>`,
      );
      const source = await el.ready();
      // Weeks start on Sunday 2026-11-22 (a Monday start would split the range in two weeks).
      expect(await trendValues(source, { kind: 'trend', math: 'users', interval: 'week', from: '2026-11-22', to: '2026-11-28' })).to.deep.equal([3]);
      // At UTC+14, b's 2026-11-27T10:00Z is Nov 28 (users per day: a; a; b and c), and single users are
      // below the group size of 2, so suppressed. (In UTC it would be [null, 2, null].)
      expect(await trendValues(source, NDJSON_TREND)).to.deep.equal([null, null, 2]);
      expect(el.minGroupSize).to.equal(2);
    });
  });

  it('worker="off" runs the store in the page', async () => {
    const el = await fixture<FpSource>(html`<fp-source worker="off" src=${fixtureUrl('events.ndjson')}></fp-source>`);
    const source = await el.ready();
    expect(await trendValues(source, NDJSON_TREND)).to.deep.equal([1, 2, 1]);
    expect(spy.urls).to.deep.equal([]);
    expect(el.report!.accepted).to.equal(5);
  });

  describe('store and source properties', () => {
    it('uses a store given as a property, loading nothing', async () => {
      const store = await openStore();
      await store.ingest([{ event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' }]);
      const changes: Source[] = [];
      const el = await fixture<FpSource>(html`<fp-source .store=${store} @fp-source-change=${(e: CustomEvent<{ source: Source }>) => changes.push(e.detail.source)}></fp-source>`);
      // What ready() gives is the element's queue in front of the store: it answers from the store.
      const source = await el.ready();
      expect(el.status).to.equal('ready');
      expect(changes).to.deep.equal([source]);
      expect(changes[0]).to.equal(source);
      expect(spy.urls).to.deep.equal([]);
      expect(await trendValues(source, NDJSON_TREND)).to.deep.equal([0, 1, 0]);
      await store.close();
    });

    it('uses any Source given as a property, over a store and src', async () => {
      const store = await openStore();
      const answers: unknown[] = [];
      const fake: Source = {
        query: (spec) => {
          answers.push(spec.kind);
          return Promise.resolve({ series: [{ points: [{ period: '2026-11-28', value: 42 }] }] } as never);
        },
      };
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')} .store=${store} .source=${fake}></fp-source>`);
      expect(await trendValues(await el.ready(), NDJSON_TREND)).to.deep.equal([42]);
      expect(answers).to.deep.equal(['trend']);
      expect(spy.urls).to.deep.equal([]);
      // Without the source, the (empty) store is used; without both, src is loaded.
      el.source = undefined;
      expect(await trendValues(await el.ready(), NDJSON_TREND)).to.deep.equal([0, 0, 0]);
      expect(answers).to.deep.equal(['trend']);
      el.store = undefined;
      const loaded = await el.ready();
      expect(await trendValues(loaded, NDJSON_TREND)).to.deep.equal([1, 2, 1]);
      expect(spy.urls.length).to.equal(1);
      await store.close();
    });
  });

  it('loads the built-in sample data in the worker (sample-events for a size)', async () => {
    const progress: LoadProgress[] = [];
    const el = await fixture<FpSource>(html`<fp-source sample-events="2000" @fp-load-progress=${(e: CustomEvent<LoadProgress>) => progress.push(e.detail)}></fp-source>`);
    const source = await el.ready();
    const accepted = el.report!.accepted;
    // generateSampleEvents({ events: 2000 }) lands within about 10% of the target.
    expect(accepted).to.be.within(1800, 2200);
    expect(el.report).to.deep.equal({ accepted, duplicates: 0, rejected: [], ignoredFields: [] });
    const all = await source.query({ kind: 'events', from: '2000-01-01', to: '2100-12-31', limit: 1 });
    expect(all.total).to.equal(accepted);
    expect(progress).to.deep.equal([
      { phase: 'ingest', bytes: 0 },
      { phase: 'ingest', bytes: 0, events: accepted },
    ]);
    expect(spy.methods).to.deep.equal(['open', 'loadSample', 'query']);
    await el.updateComplete;
    expect(statusText(el)).to.equal(`Loaded ${accepted.toLocaleString('en-US')} events`);
  });

  describe('errors say what failed and where', () => {
    let errors: { error: Error; message: string }[];
    const onError = (e: Event): void => void errors.push((e as CustomEvent<{ error: Error; message: string }>).detail);
    beforeEach(() => {
      errors = [];
      document.addEventListener('fp-source-error', onError);
    });
    afterEach(() => document.removeEventListener('fp-source-error', onError));

    it('a missing file: the URL and the HTTP status', async () => {
      const url = fixtureUrl('missing.ndjson');
      const el = await fixture<FpSource>(html`<fp-source src=${url}></fp-source>`);
      const error = await rejectionOf(el.ready());
      const message = `Could not load missing.ndjson: HTTP 404 Not Found (${url})`;
      expect(error.message).to.equal(message);
      expect(el.status).to.equal('error');
      expect(el.error).to.equal(error);
      expect(errors).to.deep.equal([{ error, message }]);
      await el.updateComplete;
      expect(statusText(el)).to.equal(message);
      // The worker started for it is stopped.
      expect(spy.terminated).to.equal(1);
    });

    it('a network failure: the URL', async () => {
      const el = await fixture<FpSource>(html`<fp-source src="http://127.0.0.1:1/events.ndjson"></fp-source>`);
      const error = await rejectionOf(el.ready());
      expect(error.message).to.equal('Could not load events.ndjson: network error (Failed to fetch) (http://127.0.0.1:1/events.ndjson)');
    });

    it('a file of which every row is malformed: the file and the line', async () => {
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('bad.csv')}></fp-source>`);
      const error = await rejectionOf(el.ready());
      expect(error).to.be.instanceOf(DataError);
      expect(error.message).to.equal('bad.csv line 2: has 3 fields, the header has 4 (all 2 rows were rejected)');
      expect(el.report!.rejected.map((r) => r.line)).to.deep.equal([2, 3]);
      expect(errors.map((e) => e.message)).to.deep.equal([error.message]);
    });

    it('a file that cannot be read at all: the file and the line', async () => {
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('broken.csv')}></fp-source>`);
      const error = await rejectionOf(el.ready());
      expect(error).to.be.instanceOf(DataError);
      expect(error.message).to.equal('broken.csv line 3: a quoted field is never closed; nothing was ingested');
    });

    it('a wasm-url that does not load: the URL and the attribute', async () => {
      const el = await fixture<FpSource>(html`<fp-source wasm-url="/nowhere/engine.wasm" src=${fixtureUrl('events.ndjson')}></fp-source>`);
      const error = await rejectionOf(el.ready());
      expect(error.message).to.match(/^Could not start the store: sql-wasm\.wasm did not load from http:\/\/localhost:\d+\/nowhere\/engine\.wasm \(.+\); set wasm-url to where it is$/);
    });

    it('a worker whose script does not load: says so, and how to do without', async () => {
      const missing = new URL('./fixtures/missing-worker.js', import.meta.url);
      globalThis.Worker = class extends RealWorker {
        constructor(_url: string | URL, options?: WorkerOptions) {
          super(missing, options);
        }
      };
      const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')}></fp-source>`);
      const error = await rejectionOf(el.ready());
      expect(error.message).to.match(/^Could not load events\.ndjson: the store worker failed to start( \(.*\))?: open got no answer \(set worker="off" to run the store in the page\)$/);
    });

    it('a bad attribute: its name', async () => {
      const format = await fixture<FpSource>(html`<fp-source format="xml" src=${fixtureUrl('events.ndjson')}></fp-source>`);
      const formatError = await rejectionOf(format.ready());
      expect(formatError).to.be.instanceOf(SpecError);
      expect(formatError.message).to.equal("format: must be one of ndjson, json, csv, sqlite, got 'xml'");
      const zone = await fixture<FpSource>(html`<fp-source timezone="Mars/Olympus" src=${fixtureUrl('events.ndjson')}></fp-source>`);
      const zoneError = await rejectionOf(zone.ready());
      expect(zoneError).to.be.instanceOf(SpecError);
      expect((zoneError as SpecError).field).to.equal('timezone');
      expect(zoneError.message).to.equal("timezone: not an IANA time zone: 'Mars/Olympus'");
    });
  });

  it('is ready when only some rows are bad: they are in report.rejected and the status line', async () => {
    const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('partial.csv')}></fp-source>`);
    const source = await el.ready();
    expect(el.status).to.equal('ready');
    expect(el.report!.accepted).to.equal(5);
    expect(el.report!.rejected.map((r) => [r.index, r.line])).to.deep.equal([
      [4, 6],
      [6, 8],
    ]);
    expect(el.report!.rejected[0]!.reason).to.equal('line 6: has 3 fields, the header has 4');
    expect(await trendValues(source, CSV_TREND)).to.deep.equal([2, 2, 1]);
    await el.updateComplete;
    expect(statusText(el)).to.equal('Loaded 5 events; 2 rows rejected (first: line 6: has 3 fields, the header has 4)');
  });

  it('notes a single rejected row too, in the singular', async () => {
    const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('one-rejected.csv')}></fp-source>`);
    const source = await el.ready();
    expect([el.status, el.report!.accepted, el.report!.rejected.map((r) => [r.index, r.line])]).to.deep.equal(['ready', 2, [[1, 3]]]);
    expect(await trendValues(source, CSV_TREND)).to.deep.equal([1, 0, 1]);
    await el.updateComplete;
    expect(statusText(el)).to.equal('Loaded 2 events; 1 row rejected (line 3: has 3 fields, the header has 4)');
  });

  it('fires fp-source-change when src changes, and the new data answers', async () => {
    const changes: Source[] = [];
    const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')} @fp-source-change=${(e: CustomEvent<{ source: Source }>) => changes.push(e.detail.source)}></fp-source>`);
    const first = await el.ready();
    expect(changes).to.deep.equal([first]);
    el.src = fixtureUrl('events.csv');
    // ready() right after the change waits for the new data.
    const second = await el.ready();
    expect(second).to.not.equal(first);
    expect(changes).to.deep.equal([first, second]);
    expect(await trendValues(second, CSV_TREND)).to.deep.equal([1, 3, 0]);
    // The first worker was stopped; a consumer still holding its source is told so.
    expect(spy.urls.length).to.equal(2);
    expect(spy.terminated).to.equal(1);
    const stale = await rejectionOf(first.query(NDJSON_TREND));
    expect(stale.message).to.equal('the store worker was stopped (other data replaced it): cannot query');
  });

  it('guesses the format again when the format attribute is removed (a page going back to sample data)', async () => {
    const el = await fixture<FpSource>(html`<fp-source format="ndjson" src=${fixtureUrl('events.ndjson')}></fp-source>`);
    await el.ready();
    el.removeAttribute('format');
    el.removeAttribute('src');
    el.setAttribute('sample', '');
    await settled(el);
    expect(statusText(el)).to.match(/^Loaded [\d,]+ events$/);
  });

  it('fires fp-load-progress with the bytes downloaded, then the events ingested', async () => {
    const first = '{"event":"open","user_id":"a","timestamp":"2026-11-26T09:00:00Z"}\n';
    const last = '\n{"event":"open","user_id":"b","timestamp":"2026-11-27T09:00:00Z"}\n';
    const encoder = new TextEncoder();
    let body!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (body = controller) });
    const requested: string[] = [];
    globalThis.fetch = (input: RequestInfo | URL) => {
      requested.push(String(input));
      return Promise.resolve(new Response(stream, { headers: { 'content-length': '3400000', 'content-type': 'application/x-ndjson' } }));
    };
    const progress: LoadProgress[] = [];
    const texts: string[] = [];
    const el = await fixture<FpSource>(html`<fp-source
      src="https://example.test/data/slow.ndjson"
      @fp-load-progress=${(e: CustomEvent<LoadProgress>) => {
        progress.push(e.detail);
        void (e.target as FpSource).updateComplete.then(() => texts.push(statusText(e.target as FpSource)));
      }}
    ></fp-source>`);
    const waitForBytes = async (bytes: number): Promise<void> => {
      for (let i = 0; i < 200 && !progress.some((p) => p.bytes === bytes); i++) await new Promise((r) => setTimeout(r, 10));
      await el.updateComplete;
    };
    await waitForBytes(0);
    body.enqueue(encoder.encode(first + ' '.repeat(1_200_000 - first.length)));
    await waitForBytes(1_200_000);
    expect(statusText(el)).to.equal('Loading slow.ndjson: 1.2 MB of 3.4 MB');
    body.enqueue(encoder.encode(' '.repeat(2_200_000 - last.length) + last));
    body.close();
    const source = await el.ready();
    expect(requested).to.deep.equal(['https://example.test/data/slow.ndjson']);
    expect(progress).to.deep.equal([
      { phase: 'download', bytes: 0, totalBytes: 3_400_000 },
      { phase: 'download', bytes: 1_200_000, totalBytes: 3_400_000 },
      { phase: 'download', bytes: 3_400_000, totalBytes: 3_400_000 },
      { phase: 'ingest', bytes: 3_400_000, totalBytes: 3_400_000 },
      { phase: 'ingest', bytes: 3_400_000, totalBytes: 3_400_000, events: 2 },
    ]);
    expect(el.progress).to.deep.equal(progress[4]);
    expect(texts).to.include('Ingesting 2 events');
    expect(await trendValues(source, NDJSON_TREND)).to.deep.equal([1, 1, 0]);
    await el.updateComplete;
    expect(statusText(el)).to.equal('Loaded 2 events');
  });

  it('shares one source between consumers', async () => {
    // (A fixture whose root is a plain element waits for an animation frame, which a background page never gets.)
    await fixture<FpSource>(html`<fp-source id="usage" src=${fixtureUrl('events.ndjson')}></fp-source>`);
    const consumer = async (spec: Query & { kind: 'trend' }): Promise<{ source: Source; values: (number | null)[] }> => {
      const source = await document.querySelector<FpSource>('fp-source#usage')!.ready();
      return { source, values: await trendValues(source, spec) };
    };
    const [users, events] = await Promise.all([consumer(NDJSON_TREND), consumer({ ...NDJSON_TREND, math: 'events' })]);
    expect(users.values).to.deep.equal([1, 2, 1]);
    expect(events.values).to.deep.equal([1, 2, 2]);
    expect(users.source).to.equal(events.source);
    expect(spy.urls.length).to.equal(1);
    expect(spy.methods).to.deep.equal(['open', 'ingestText', 'query', 'query']);
  });

  it('gets one query from a widget that waited for the data (not a second one on fp-source-change)', async () => {
    const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')}><fp-kpi math="users" to="2026-11-28" periods="3"></fp-kpi></fp-source>`);
    await el.ready();
    const kpi = el.querySelector('fp-kpi')!;
    expect(await widgetSettled(kpi)).to.equal('ready');
    expect(tableText(kpi).slice(1)).to.deep.equal([['2026-11-26', '1'], ['2026-11-27', '2'], ['2026-11-28', '1']]);
    expect(spy.methods).to.deep.equal(['open', 'ingestText', 'query']);
  });

  it('passes a query error from the worker on as a SpecError with its field', async () => {
    const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')}></fp-source>`);
    const source = await el.ready();
    const error = await rejectionOf(source.query({ kind: 'trend', math: 'users', from: '2026-02-30', to: '2026-03-02' }));
    expect(error).to.be.instanceOf(SpecError);
    expect((error as SpecError).field).to.equal('from');
    expect(error.message).to.equal("from: not a calendar date: '2026-02-30'");
  });

  it('stops its worker when it leaves the page, and loads again when it comes back', async () => {
    const el = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('events.ndjson')}></fp-source>`);
    await el.ready();
    const parent = el.parentElement!;
    // Moved: keeps its data.
    parent.append(el);
    await new Promise((r) => setTimeout(r, 20));
    expect(spy.terminated).to.equal(0);
    el.remove();
    await new Promise((r) => setTimeout(r, 20));
    expect(spy.terminated).to.equal(1);
    expect(el.status).to.equal('idle');
    parent.append(el);
    expect(await trendValues(await el.ready(), NDJSON_TREND)).to.deep.equal([1, 2, 1]);
    expect(spy.urls.length).to.equal(2);
  });

  it('hides the status line with quiet', async () => {
    const el = await fixture<FpSource>(html`<fp-source quiet src=${fixtureUrl('events.ndjson')}><p>child</p></fp-source>`);
    await settled(el);
    expect(statusText(el)).to.equal('Loaded 5 events');
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part=status]')!).display).to.equal('none');
    expect(el.querySelector('p')!.offsetHeight).to.be.greaterThan(0);
    el.quiet = false;
    await el.updateComplete;
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part=status]')!).display).to.equal('block');
  });

  it('is accessible, loaded and failed', async () => {
    const ready = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('partial.csv')}><p>widgets</p></fp-source>`);
    await settled(ready);
    expect(ready.shadowRoot!.querySelector('[part=status]')!.getAttribute('role')).to.equal('status');
    await wcExpect(ready).to.be.accessible();
    const failed = await fixture<FpSource>(html`<fp-source src=${fixtureUrl('missing.csv')}></fp-source>`);
    await settled(failed);
    expect(failed.status).to.equal('error');
    await wcExpect(failed).to.be.accessible();
  });
});
