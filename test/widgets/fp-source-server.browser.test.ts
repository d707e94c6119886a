// fp-source with an endpoint, against a real Footprint server the test runner starts (web-test-runner.config.mjs).
// Imports nothing that loads the store: the page must fetch no sql.js for these widgets.
import { expect } from 'chai';
import { fixture, html } from '@open-wc/testing';
import '../../widgets/index.ts';
import type { FpSource } from '../../widgets/fp-source/fp-source.ts';
import { spyOnWorkers, type WorkerSpy } from './worker-spy.ts';

interface TestProject {
  endpoint: string;
  project: string;
  readKey: string;
}

async function testServer<T>(path: 'project' | 'events' | 'token', body: unknown = {}): Promise<T> {
  const response = await fetch(`/__fp-test-server/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const answer = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`test server: ${answer.error}`);
  return answer;
}

async function post(project: string, events: Record<string, unknown>[]): Promise<void> {
  const { status, body } = await testServer<{ status: number; body: { accepted: number } }>('events', { project, events });
  expect(status, JSON.stringify(body)).to.equal(200);
  expect(body.accepted).to.equal(events.length);
}

async function token(project: string, options: { ttlSeconds?: number; kinds?: string[]; expiredSecondsAgo?: number } = {}): Promise<string> {
  return (await testServer<{ token: string }>('token', { project, ttlSeconds: 600, ...options })).token;
}

const DAY = 86_400_000;
/** A moment a second ago and the UTC days around it: the server's store keeps UTC days. */
const NOW = Date.now() - 1000;
const day = (offset: number): string => new Date(NOW + offset * DAY).toISOString().slice(0, 10);
const at = (offset: number): string => (offset === 0 ? new Date(NOW).toISOString() : `${day(offset)}T12:00:00.000Z`);

/** Six events: 2 two days ago, 3 yesterday (a user twice), 1 today; user a's are on plan pro. */
const PRO = { plan: 'pro' };
const EVENTS = [
  { event: 'open', user_id: 'a', timestamp: at(-2), properties: PRO },
  { event: 'open', user_id: 'b', timestamp: at(-2) },
  { event: 'open', user_id: 'a', timestamp: at(-1), properties: PRO },
  { event: 'save', user_id: 'a', timestamp: at(-1), properties: PRO },
  { event: 'open', user_id: 'c', timestamp: at(-1) },
  { event: 'open', user_id: 'b', timestamp: at(0) },
];

async function settled(element: HTMLElement): Promise<string> {
  const widget = element as unknown as { updateComplete: Promise<unknown>; status: string };
  for (let i = 0; i < 1000; i++) {
    await widget.updateComplete;
    if (widget.status !== 'loading') return widget.status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${element.tagName} still loading`);
}

function tableText(element: HTMLElement): string[][] {
  const rows = element.shadowRoot!.querySelectorAll('table.visually-hidden tr');
  return [...rows].map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.trim()));
}

function alertText(element: HTMLElement): string {
  return element.shadowRoot!.querySelector('[role="alert"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** Resolves once `check()` is true, polling; fails after `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('fp-source endpoint: widgets read a Footprint server', function () {
  // The first test starts the server (tsx compiles it): allow it time.
  this.timeout(60_000);
  let shop: TestProject;
  let workers: WorkerSpy;
  const realFetch = globalThis.fetch;
  let fetched: string[];

  before(async () => {
    shop = await testServer<TestProject>('project');
    await post(shop.project, EVENTS);
  });

  beforeEach(() => {
    workers = spyOnWorkers();
    fetched = [];
    globalThis.fetch = (input, init) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
  });

  afterEach(() => {
    workers.restore();
    globalThis.fetch = realFetch;
  });

  it('fp-trend and fp-kpi show exactly the events posted, and the page fetches no sql.js, no store and no data', async () => {
    const tokenText = await token(shop.project, { kinds: ['trend'] });
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${tokenText} project=${shop.project}>
      <fp-trend label="Events" math="events" interval="day" from=${day(-2)} to=${day(0)}></fp-trend>
      <fp-kpi label="Users" math="users" interval="day" from=${day(-2)} to=${day(0)}></fp-kpi>
    </fp-source>`);
    const trend = source.querySelector<HTMLElement>('fp-trend')!;
    const kpi = source.querySelector<HTMLElement>('fp-kpi')!;
    expect(await settled(trend), alertText(trend)).to.equal('ready');
    expect(await settled(kpi), alertText(kpi)).to.equal('ready');
    expect(tableText(trend)).to.deep.equal([
      ['Period', 'all'],
      [day(-2), '2'],
      [day(-1), '3'],
      [day(0), '1'],
    ]);
    expect(tableText(kpi)).to.deep.equal([
      ['Period', 'Users'],
      [day(-2), '2'],
      [day(-1), '2'],
      [day(0), '1'],
    ]);
    // Both queries went to the server's query endpoint, with the project named.
    expect(fetched.filter((url) => url.startsWith(`${shop.endpoint}/query`))).to.deep.equal([`${shop.endpoint}/query?project=${shop.project}`, `${shop.endpoint}/query?project=${shop.project}`]);
    expect(workers.urls).to.deep.equal([]);
    const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(loaded.filter((name) => /sql-wasm|sql\.js|footprint-store|store-worker|\/shared\/store\//.test(name))).to.deep.equal([]);
    expect(source.status).to.equal('ready');
  });

  it("an expired token shows the server's message in the widget's error state", async () => {
    const expired = await token(shop.project, { ttlSeconds: 60, expiredSecondsAgo: 30 });
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${expired} live="off">
      <fp-trend label="Events" math="events" from=${day(-2)} to=${day(0)}></fp-trend>
    </fp-source>`);
    const trend = source.querySelector<HTMLElement>('fp-trend')!;
    expect(await settled(trend)).to.equal('error');
    expect(alertText(trend)).to.match(/^Could not show Events: embed token expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a token refreshed through getToken recovers from the expired one', async () => {
    const expired = await token(shop.project, { ttlSeconds: 60, expiredSecondsAgo: 30 });
    let asked = 0;
    const source = await fixture<FpSource>(html`<fp-source
      endpoint=${shop.endpoint}
      token=${expired}
      live="off"
      .getToken=${() => {
        asked++;
        return token(shop.project);
      }}
      ><fp-trend label="Events" math="events" interval="day" from=${day(-2)} to=${day(0)}></fp-trend
    ></fp-source>`);
    const trend = source.querySelector<HTMLElement>('fp-trend')!;
    expect(await settled(trend), alertText(trend)).to.equal('ready');
    expect(tableText(trend).slice(1).map((row) => row[1])).to.deep.equal(['2', '3', '1']);
    expect(asked).to.equal(1);
  });

  it('a kind the token does not allow shows the 403 message', async () => {
    const trendOnly = await token(shop.project, { kinds: ['trend'] });
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${trendOnly} live="off">
      <fp-paths label="Paths" from=${day(-2)} to=${day(0)}></fp-paths>
    </fp-source>`);
    const paths = source.querySelector<HTMLElement>('fp-paths')!;
    expect(await settled(paths)).to.equal('error');
    expect(alertText(paths)).to.equal("Could not show Paths: kind 'paths' is not allowed by this token (allowed: trend)");
  });

  it('a token of another project is refused with the 403 message', async () => {
    const other = await testServer<TestProject>('project');
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${await token(other.project)} project=${shop.project} live="off">
      <fp-kpi label="Users" from=${day(-2)} to=${day(0)}></fp-kpi>
    </fp-source>`);
    const kpi = source.querySelector<HTMLElement>('fp-kpi')!;
    expect(await settled(kpi)).to.equal('error');
    expect(alertText(kpi)).to.equal(`Could not show Users: this token is for project '${other.project}', not '${shop.project}'`);
  });

  it('live: an event posted to the server shows in fp-trend within seconds, without the widget going back to loading', async () => {
    const live = await testServer<TestProject>('project');
    await post(live.project, EVENTS);
    const source = await fixture<FpSource>(html`<fp-source endpoint=${live.endpoint} token=${await token(live.project)}>
      <fp-trend label="Events" math="events" interval="day" from=${day(-2)} to=${day(0)}></fp-trend>
    </fp-source>`);
    const trend = source.querySelector<HTMLElement>('fp-trend')!;
    expect(await settled(trend)).to.equal('ready');
    expect(tableText(trend).at(-1)).to.deep.equal([day(0), '1']);
    // Wait until the change stream is open (its request is the one to /live), then watch every status the widget takes.
    await until(() => fetched.some((url) => url.startsWith(`${live.endpoint}/live`)), 5000, 'the change stream was opened');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const statuses: string[] = [];
    const observer = new MutationObserver(() => statuses.push(trend.getAttribute('status')!));
    observer.observe(trend, { attributes: true, attributeFilter: ['status'] });
    const posted = Date.now();
    await post(live.project, [{ event: 'open', user_id: 'd', timestamp: new Date().toISOString() }]);
    await until(() => tableText(trend).at(-1)?.[1] === '2', 5000, "today's count became 2");
    observer.disconnect();
    expect(Date.now() - posted).to.be.lessThan(5000);
    expect(tableText(trend).slice(1).map((row) => row[1])).to.deep.equal(['2', '3', '2']);
    expect(statuses).to.deep.equal([]);
  });

  it('a new token given to the token property refreshes the widgets without a loading state', async () => {
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${await token(shop.project)} live="off">
      <fp-trend label="Events" math="events" interval="day" from=${day(-2)} to=${day(0)}></fp-trend>
    </fp-source>`);
    const trend = source.querySelector<HTMLElement>('fp-trend')!;
    expect(await settled(trend)).to.equal('ready');
    const statuses: string[] = [];
    const observer = new MutationObserver(() => statuses.push(trend.getAttribute('status')!));
    observer.observe(trend, { attributes: true, attributeFilter: ['status'] });
    const queries = (): number => fetched.filter((url) => url.startsWith(`${shop.endpoint}/query`)).length;
    const queriesBefore = queries();
    // A token locked to plan pro: the same widget, narrower numbers.
    source.token = (await testServer<{ token: string }>('token', { project: shop.project, ttlSeconds: 600, where: PRO })).token;
    await until(() => tableText(trend).slice(1).map((row) => row[1]).join() === '1,2,0', 5000, `plan pro's events 1, 2, 0, not ${JSON.stringify(tableText(trend))}`);
    observer.disconnect();
    expect(queries() - queriesBefore).to.equal(1);
    expect(statuses).to.deep.equal([]);
  });

  it('live updates that the server refuses for good say why on the status line', async () => {
    const expired = await token(shop.project, { ttlSeconds: 60, expiredSecondsAgo: 30 });
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${expired}></fp-source>`);
    const status = source.shadowRoot!.querySelector('[part="status"]')!;
    await until(() => status.textContent !== '', 5000, 'the status line says something');
    expect(status.textContent).to.match(/^Live updates stopped: embed token expired at \d{4}-\d\d-\d\dT[\d:.]+Z$/);
  });

  it('live="off" opens no change stream', async () => {
    const source = await fixture<FpSource>(html`<fp-source endpoint=${shop.endpoint} token=${await token(shop.project)} live="off">
      <fp-kpi label="Users" from=${day(-2)} to=${day(0)}></fp-kpi>
    </fp-source>`);
    expect(await settled(source.querySelector<HTMLElement>('fp-kpi')!)).to.equal('ready');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fetched.filter((url) => url.includes('/live'))).to.deep.equal([]);
  });
});
