/**
 * The demo page of `npm start`: built-in sample data in a Footprint store in
 * the page, and the numbers of every query kind as plain tables.
 */
import { openStore, type Query, type Store } from '../../shared/index.ts';
import { generateSampleEvents } from '../../shared/sample-data.ts';

type Cell = string | number | null;

const panels = document.querySelector<HTMLElement>('#panels')!;
const statusLine = document.querySelector<HTMLElement>('#status')!;
const controls = document.querySelector<HTMLFormElement>('#controls')!;

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const show = (value: Cell): string => (value === null ? '–' : typeof value === 'number' ? number.format(value) : value);
const rate = (value: number | null): string => (value === null ? '–' : percent.format(value));
const seconds = (value: number | null): string => (value === null ? '–' : value < 120 ? `${number.format(value)} s` : `${number.format(value / 60)} min`);

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function table(header: string[], rows: Cell[][]): HTMLTableElement {
  const result = element('table');
  const head = result.createTHead().insertRow();
  for (const title of header) head.append(element('th', title));
  const body = result.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const value of row) tr.append(element('td', show(value)));
  }
  return result;
}

function panel(title: string, spec: Query | null, ...content: Node[]): HTMLElement {
  const section = element('section', undefined, content.some((n) => n instanceof HTMLTableElement && n.rows.length > 12) ? 'wide' : '');
  section.append(element('h2', title), ...content);
  if (spec) {
    const details = element('details');
    details.append(element('summary', 'Query'), element('code', JSON.stringify(spec)));
    section.append(details);
  }
  return section;
}

function setStatus(text: string, isError = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
}

async function render(store: Store): Promise<void> {
  const form = new FormData(controls);
  const days = Number(form.get('days'));
  const interval = String(form.get('interval')) as 'day' | 'week' | 'month';
  const timezone = String(form.get('timezone') || 'UTC');
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const range = { from, to: today, timezone };

  const usersSpec = { kind: 'trend', math: 'users', interval, ...range } as const;
  const eventsSpec = { kind: 'trend', math: 'events', interval, ...range } as const;
  const ratioSpec = { kind: 'trend', math: 'stickiness_ratio', interval: 'day', ...range } as const;
  const wauSpec = { kind: 'trend', math: 'wau', interval: 'day', ...range } as const;
  const mauSpec = { kind: 'trend', math: 'mau', interval: 'day', ...range } as const;
  const planSpec = { kind: 'trend', math: 'users', event: 'signup', breakdown: 'plan', interval, ...range } as const;
  const sessionsSpec = { kind: 'sessions', interval, ...range } as const;
  const stickinessSpec = { kind: 'stickiness', interval, ...range } as const;
  const latestSpec = { kind: 'events', limit: 15, ...range } as const;

  const [users, events, ratio, wau, mau, plans, sessions, stickiness, latest] = await Promise.all([
    store.query(usersSpec),
    store.query(eventsSpec),
    store.query(ratioSpec),
    store.query(wauSpec),
    store.query(mauSpec),
    store.query(planSpec),
    store.query(sessionsSpec),
    store.query(stickinessSpec),
    store.query(latestSpec),
  ]);

  const activeUsers = stickiness.buckets.reduce((sum, b) => sum + (b.users ?? 0), 0);
  const kpis = element('div', undefined, 'kpis');
  const lastPoint = <T>(points: T[]): T | undefined => points[points.length - 1];
  for (const [label, value] of [
    ['Active users', show(activeUsers)],
    ['Events', show(events.series[0]!.points.reduce((sum, p) => sum + (p.value ?? 0), 0))],
    ['Sessions', show(sessions.count)],
    ['WAU today', show(lastPoint(wau.series[0]!.points)?.value ?? null)],
    ['MAU today', show(lastPoint(mau.series[0]!.points)?.value ?? null)],
    ['DAU / MAU today', rate(lastPoint(ratio.series[0]!.points)?.value ?? null)],
  ] as const) {
    const kpi = element('div', undefined, 'kpi');
    kpi.append(element('strong', value), element('span', label));
    kpis.append(kpi);
  }

  const activity = table(
    ['Period', 'Users', 'Events', 'Sessions', 'Median session'],
    users.series[0]!.points.map((p, i) => [p.period, p.value, events.series[0]!.points[i]!.value, sessions.series[i]!.sessions, seconds(sessions.series[i]!.medianDuration)]),
  );
  const trailing = table(
    ['Day', 'WAU', 'MAU', 'DAU / MAU'],
    wau.series[0]!.points.slice(-14).map((p, i, all) => {
      const offset = wau.series[0]!.points.length - all.length + i;
      return [p.period, p.value, mau.series[0]!.points[offset]!.value, rate(ratio.series[0]!.points[offset]!.value)];
    }),
  );
  const sessionSummary = table(['Sessions', 'Value'], [
    ['Sessions', sessions.count],
    ['Users', sessions.users],
    ['Sessions per user', sessions.perUser],
    ['Bounce rate', rate(sessions.bounceRate)],
    ['Mean duration (bounces included)', seconds(sessions.duration.mean)],
    ['Median duration', seconds(sessions.duration.median)],
    ['p90 duration', seconds(sessions.duration.p90)],
    ['p95 duration', seconds(sessions.duration.p95)],
    ['Longest', seconds(sessions.duration.max)],
  ]);
  const durations = table(['Duration', 'Sessions'], sessions.histogram.map((b) => [b.to === null ? `${seconds(b.from)} or more` : `${seconds(b.from)} – ${seconds(b.to)}`, b.count]));
  const frequency = table([`Active ${interval}s`, 'Users'], stickiness.buckets.map((b) => [String(b.n), b.users]));
  const planTable = table(['Period', ...plans.series.map((s) => s.label)], plans.series[0]?.points.map((p, i) => [p.period, ...plans.series.map((s) => s.points[i]!.value)]) ?? []);
  const latestTable = table(['Time (UTC)', 'Event', 'User', 'Session', 'Properties'], latest.events.map((e) => [e.timestamp.replace('T', ' ').slice(0, 19), e.event, e.user_id, e.session_id, JSON.stringify(e.properties)]));

  panels.replaceChildren(
    panel(`Overview, ${from} to ${today}`, null, kpis),
    panel(`Activity per ${interval}`, usersSpec, activity),
    panel('Trailing active users (last 14 days)', wauSpec, trailing),
    panel('Sessions', sessionsSpec, sessionSummary),
    panel('Session durations', sessionsSpec, durations),
    panel(`Stickiness: users by active ${interval}s`, stickinessSpec, frequency),
    panel(`Sign-ups by plan per ${interval}`, planSpec, planTable),
    panel(`Latest events (${show(latest.total)} in range)`, latestSpec, latestTable),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const sample = generateSampleEvents();
  const generated = performance.now();
  const store = await openStore();
  const report = await store.ingest(sample);
  const ingested = performance.now();
  const users = new Set(sample.map((e) => e.user_id)).size;
  const summary = `Sample data: ${number.format(report.accepted)} events from ${number.format(users)} users over 90 days (generated in ${Math.round(generated - started)} ms, ingested in ${Math.round(ingested - generated)} ms).`;
  const refresh = async (): Promise<void> => {
    setStatus(`${summary} Querying…`);
    try {
      const t0 = performance.now();
      await render(store);
      setStatus(`${summary} Queries answered in ${Math.round(performance.now() - t0)} ms.`);
    } catch (error) {
      setStatus(`Query failed: ${(error as Error).message}`, true);
    }
  };
  controls.addEventListener('change', () => void refresh());
  await refresh();
}

main().catch((error: unknown) => setStatus(`Could not load the demo: ${(error as Error).message}`, true));
