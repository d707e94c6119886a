// How <fp-source> queues its consumers' queries in front of a store in a real
// Web Worker: cheapest kind first, superseded queries never run, equal specs
// run once, results kept until the data changes. The worker spy counts what
// the worker executes and, by holding requests back, makes it look busy, so
// every test is about order and counts, never about timings.
import { expect } from 'chai';
import { fixture, html } from '@open-wc/testing';
import type { Query, Source, Store } from '../../shared/index.ts';
import '../../widgets/fp-source/fp-source.ts';
import '../../widgets/index.ts';
import type { FpDashboard } from '../../widgets/fp-dashboard/fp-dashboard.ts';
import type { FpSource } from '../../widgets/fp-source/fp-source.ts';
import type { FpTrend } from '../../widgets/fp-trend/fp-trend.ts';
import { ResultCache, specKey } from '../../widgets/fp-source/result-cache.ts';
import { rejectionOf } from '../shared/helpers.ts';
import { settled, tableText } from './widget-helpers.ts';
import { spyOnWorkers, type WorkerSpy } from './worker-spy.ts';

const EVENTS_URL = new URL('./fixtures/events.ndjson', import.meta.url).href;
const RANGE = { from: '2026-11-26', to: '2026-11-28' } as const;
const TREND = { kind: 'trend', math: 'users', interval: 'day', ...RANGE } as const;

/** A spec in a few words, to compare orders: its kind, and a trend's interval. */
function named(spec: Query): string {
  return spec.kind === 'trend' ? `trend ${spec.interval}` : spec.kind;
}

/** Polls (every 5 ms, at most 2 s) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition(), 'condition never held').to.equal(true);
}

/** The values of a one-series trend result. */
function values(result: { series: { points: { value: number | null }[] }[] }): (number | null)[] {
  return result.series[0]!.points.map((p) => p.value);
}

describe('fp-source queues queries', () => {
  let spy: WorkerSpy;

  beforeEach(() => {
    spy = spyOnWorkers();
  });

  afterEach(() => {
    spy.release();
    spy.restore();
  });

  async function loaded(): Promise<{ element: FpSource; source: Source }> {
    const element = await fixture<FpSource>(html`<fp-source src=${EVENTS_URL}></fp-source>`);
    return { element, source: await element.ready() };
  }

  it('runs the cheapest queued query first, after the one running', async () => {
    const { source } = await loaded();
    const answered: string[] = [];
    const ask = (spec: Query): Promise<unknown> => source.query(spec).then(() => void answered.push(named(spec)));
    spy.hold();
    const asked = [ask({ kind: 'segments', ...RANGE })];
    await until(() => spy.held === 1);
    // The worker is busy with segments: these wait, and the cheapest go next, in the order they came.
    asked.push(ask({ kind: 'adoption', ...RANGE, features: 'all' }), ask({ kind: 'paths', ...RANGE }), ask({ kind: 'sessions', ...RANGE }), ask(TREND));
    spy.release();
    await Promise.all(asked);
    expect(answered).to.deep.equal(['segments', 'sessions', 'trend day', 'paths', 'adoption']);
    expect(spy.queries.map(named)).to.deep.equal(answered);
  });

  it('orders the queries asked in one task before the first starts', async () => {
    const { source } = await loaded();
    const answered: string[] = [];
    const ask = (spec: Query): Promise<unknown> => source.query(spec).then(() => void answered.push(named(spec)));
    await Promise.all([ask({ kind: 'segments', ...RANGE }), ask({ kind: 'errors', ...RANGE }), ask(TREND)]);
    expect(answered).to.deep.equal(['trend day', 'errors', 'segments']);
  });

  it('never runs a widget spec that a newer one replaced while it waited, and shows no error for it', async () => {
    const element = await fixture<FpSource>(html`<fp-source src=${EVENTS_URL}><fp-trend math="users" interval="day" to="2026-11-28" periods="3"></fp-trend></fp-source>`);
    const trend = element.querySelector<FpTrend>('fp-trend')!;
    expect(await settled(trend)).to.equal('ready');
    const source = await element.ready();
    // Record what the widget asks the source, to know its specs were queued.
    const asked: string[] = [];
    const query = source.query.bind(source);
    source.query = (spec, options) => {
      asked.push(named(spec));
      return query(spec, options);
    };
    const errors: Event[] = [];
    trend.addEventListener('fp-error', (event) => errors.push(event));
    spy.hold();
    const busy = source.query({ kind: 'friction', ...RANGE });
    await until(() => spy.held === 1);
    trend.interval = 'week';
    await until(() => asked.includes('trend week'));
    trend.interval = 'month';
    await until(() => asked.includes('trend month'));
    spy.release();
    await busy;
    expect(await settled(trend)).to.equal('ready');
    expect(spy.queries.map(named)).to.deep.equal(['trend day', 'friction', 'trend month']);
    expect(errors).to.deep.equal([]);
    expect(tableText(trend).slice(1)).to.deep.equal([['2026-09-01', '0'], ['2026-10-01', '0'], ['2026-11-01', '3']]);
  });

  it('drops a queued query when its caller aborts: the caller gets the abort reason', async () => {
    const { source } = await loaded();
    spy.hold();
    const busy = source.query({ kind: 'friction', ...RANGE });
    await until(() => spy.held === 1);
    const abort = new AbortController();
    const dropped = source.query({ ...TREND, interval: 'week' }, { signal: abort.signal });
    abort.abort();
    const kept = source.query(TREND);
    spy.release();
    expect((await rejectionOf(dropped)).name).to.equal('AbortError');
    expect(values(await kept)).to.deep.equal([1, 2, 1]);
    await busy;
    expect(spy.queries.map(named)).to.deep.equal(['friction', 'trend day']);
  });

  it('runs equal specs asked at once only once, whatever the order of their fields', async () => {
    const { source } = await loaded();
    spy.hold();
    const first = source.query(TREND);
    const reordered = source.query({ to: '2026-11-28', from: '2026-11-26', interval: 'day', math: 'users', kind: 'trend' });
    await until(() => spy.held === 1);
    // Asked while the first runs: joins it.
    const during = source.query({ ...TREND });
    spy.release();
    const results = await Promise.all([first, reordered, during]);
    expect(results.map(values)).to.deep.equal([[1, 2, 1], [1, 2, 1], [1, 2, 1]]);
    expect(spy.queries.map(named)).to.deep.equal(['trend day']);
  });

  it('answers a repeated spec from what it kept, until data is ingested through it', async () => {
    const { source } = await loaded();
    expect(values(await source.query(TREND))).to.deep.equal([1, 2, 1]);
    expect(values(await source.query({ ...TREND }))).to.deep.equal([1, 2, 1]);
    expect(spy.queries.length).to.equal(1);
    await (source as Store).ingest([{ event: 'open', user_id: 'd', timestamp: '2026-11-28T10:00:00Z' }]);
    expect(values(await source.query(TREND))).to.deep.equal([1, 2, 2]);
    expect(spy.queries.length).to.equal(2);
  });

  it('keeps nothing from the data before a new src', async () => {
    const { element, source: first } = await loaded();
    expect(values(await first.query(TREND))).to.deep.equal([1, 2, 1]);
    element.src = new URL('./fixtures/events.csv', import.meta.url).href;
    const second = await element.ready();
    // events.csv ends on 2026-11-21.
    expect(values(await second.query(TREND))).to.deep.equal([0, 0, 0]);
    // The first data's worker is stopped: its source says so instead of answering from what it kept.
    expect((await rejectionOf(first.query(TREND))).message).to.equal('the store worker was stopped (other data replaced it): cannot query');
    expect(spy.queries.map(named)).to.deep.equal(['trend day', 'trend day']);
  });

  it('runs none of the queries of a dashboard range replaced before they started, cheap ones first', async () => {
    const element = await fixture<FpSource>(html`<fp-source src=${EVENTS_URL}><fp-dashboard to="2026-11-28" funnel="open, save"></fp-dashboard></fp-source>`);
    const dashboard = element.querySelector<FpDashboard>('fp-dashboard')!;
    await dashboard.updateComplete;
    const widgets = [...dashboard.shadowRoot!.querySelectorAll<HTMLElement>('[status]')];
    await Promise.all(widgets.map((widget) => settled(widget)));
    const before = spy.queries.length;
    spy.hold();
    dashboard.range = '7d';
    // The first query of the 7 days (the cheapest) holds the worker; the other eleven wait.
    await until(() => spy.held === 1);
    dashboard.range = '90d';
    await dashboard.updateComplete;
    spy.release();
    expect(await Promise.all(widgets.map((widget) => settled(widget)))).to.deep.equal([
      'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'empty',
    ]);
    // The KPIs' specs (the last periods up to `to`) did not change: they ask nothing.
    expect(spy.queries.slice(before).map((spec) => `${spec.kind} ${spec.from}`)).to.deep.equal([
      'trend 2026-11-22',
      'trend 2026-08-31', 'sessions 2026-08-31', 'stickiness 2026-08-31', 'lifecycle 2026-08-31', 'funnel 2026-08-31', 'friction 2026-08-31',
      'retention 2026-08-31', 'errors 2026-08-31', 'paths 2026-08-31',
      // Segments, the funnel's step picker (its event names), adoption.
      'segments 2026-08-31', 'adoption 2026-08-31', 'adoption 2026-08-31',
    ]);
  });

  it('shows a widget the interval it had before without asking the worker', async () => {
    const element = await fixture<FpSource>(html`<fp-source src=${EVENTS_URL}><fp-trend math="users" interval="day" to="2026-11-28" periods="3"></fp-trend></fp-source>`);
    const trend = element.querySelector<FpTrend>('fp-trend')!;
    expect(await settled(trend)).to.equal('ready');
    const days = tableText(trend);
    trend.interval = 'week';
    expect(await settled(trend)).to.equal('ready');
    trend.interval = 'day';
    expect(await settled(trend)).to.equal('ready');
    expect(tableText(trend)).to.deep.equal(days);
    expect(spy.queries.map(named)).to.deep.equal(['trend day', 'trend week']);
  });
});

describe('ResultCache', () => {
  it('forgets the least recently used result beyond its capacity', () => {
    const cache = new ResultCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).to.equal(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).to.deep.equal([1, undefined, 3, 2]);
  });

  it('keys a spec by its JSON with sorted fields, nested ones too', () => {
    expect(specKey({ kind: 'funnel', steps: ['b', 'a'], window: { unit: 'day', value: 7 } })).to.equal(specKey({ window: { value: 7, unit: 'day' }, steps: ['b', 'a'], kind: 'funnel' }));
    expect(specKey({ kind: 'funnel', steps: ['a', 'b'] })).to.not.equal(specKey({ kind: 'funnel', steps: ['b', 'a'] }));
  });
});
