/**
 * The demo page of `npm start`: built-in sample data in a Footprint store in
 * the page, and the numbers of every query kind as plain tables.
 */
import { generateSampleEvents, openStore, type Store } from '../../shared/index.ts';
import { duration, kpis, panel, rate, show, table } from './dom.ts';

const panels = document.querySelector<HTMLElement>('#panels')!;
const statusLine = document.querySelector<HTMLElement>('#status')!;
const controls = document.querySelector<HTMLFormElement>('#controls')!;

const FUNNEL = ['signup', 'onboarding_completed', 'project_created', 'invite_sent'];

function setStatus(text: string, isError = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', isError);
}

const sum = (values: (number | null)[]): number => values.reduce<number>((total, value) => total + (value ?? 0), 0);
const last = <T>(items: T[]): T | undefined => items[items.length - 1];

async function render(store: Store): Promise<void> {
  const form = new FormData(controls);
  const days = Number(form.get('days'));
  const interval = String(form.get('interval')) as 'day' | 'week' | 'month';
  const timezone = String(form.get('timezone') || 'UTC');
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const range = { from, to: today, timezone };

  const specs = {
    users: { kind: 'trend', math: 'users', interval, ...range },
    events: { kind: 'trend', math: 'events', interval, ...range },
    ratio: { kind: 'trend', math: 'stickiness_ratio', interval: 'day', ...range },
    wau: { kind: 'trend', math: 'wau', interval: 'day', ...range },
    mau: { kind: 'trend', math: 'mau', interval: 'day', ...range },
    plans: { kind: 'trend', math: 'users', event: 'signup', breakdown: 'plan', interval, ...range },
    sessions: { kind: 'sessions', interval, ...range },
    stickiness: { kind: 'stickiness', interval, ...range },
    retention: { kind: 'retention', interval: 'week', periods: 8, to: today, timezone },
    lifecycle: { kind: 'lifecycle', interval, ...range },
    funnel: { kind: 'funnel', steps: FUNNEL, window: '7d', ...range },
    paths: { kind: 'paths', start: '$pageview', limit: 12, ...range },
    adoption: { kind: 'adoption', features: 'all', interval, ...range },
    errors: { kind: 'errors', interval, ...range },
    friction: { kind: 'friction', ...range },
    segments: { kind: 'segments', funnel: FUNNEL.slice(0, 3), ...range },
    latest: { kind: 'events', limit: 15, ...range },
  } as const;

  const [users, events, ratio, wau, mau, plans, sessions, stickiness, retention, lifecycle, funnel, paths, adoption, errors, friction, segments, latest] =
    await Promise.all([
      store.query(specs.users),
      store.query(specs.events),
      store.query(specs.ratio),
      store.query(specs.wau),
      store.query(specs.mau),
      store.query(specs.plans),
      store.query(specs.sessions),
      store.query(specs.stickiness),
      store.query(specs.retention),
      store.query(specs.lifecycle),
      store.query(specs.funnel),
      store.query(specs.paths),
      store.query(specs.adoption),
      store.query(specs.errors),
      store.query(specs.friction),
      store.query(specs.segments),
      store.query(specs.latest),
    ]);

  const userPoints = users.series[0]!.points;
  const eventPoints = events.series[0]!.points;
  const overview = kpis([
    ['Active users', show(sum(stickiness.buckets.map((b) => b.users)))],
    ['Events', show(sum(eventPoints.map((p) => p.value)))],
    ['Sessions', show(sessions.count)],
    ['WAU today', show(last(wau.series[0]!.points)?.value ?? null)],
    ['MAU today', show(last(mau.series[0]!.points)?.value ?? null)],
    ['DAU / MAU today', rate(last(ratio.series[0]!.points)?.value ?? null)],
    ['Error-free sessions', rate(errors.errorFreeSessionRate)],
  ]);
  const activity = table(
    ['Period', 'Users', 'Events', 'Sessions', 'Median session', 'New', 'Returning', 'Resurrecting', 'Dormant'],
    userPoints.map((p, i) => {
      const life = lifecycle.points[i]!;
      return [p.period, p.value, eventPoints[i]!.value, sessions.series[i]!.sessions, duration(sessions.series[i]!.medianDuration), life.new, life.returning, life.resurrecting, life.dormant];
    }),
  );
  const trailing = table(
    ['Day', 'WAU', 'MAU', 'DAU / MAU'],
    wau.series[0]!.points.slice(-14).map((p, i, shown) => {
      const offset = wau.series[0]!.points.length - shown.length + i;
      return [p.period, p.value, mau.series[0]!.points[offset]!.value, rate(ratio.series[0]!.points[offset]!.value)];
    }),
  );
  const sessionSummary = table(['Sessions', 'Value'], [
    ['Sessions', sessions.count],
    ['Users', sessions.users],
    ['Sessions per user', sessions.perUser],
    ['Bounce rate', rate(sessions.bounceRate)],
    ['Mean duration (bounces included)', duration(sessions.duration.mean)],
    ['Median duration', duration(sessions.duration.median)],
    ['p90 duration', duration(sessions.duration.p90)],
    ['p95 duration', duration(sessions.duration.p95)],
    ['Longest', duration(sessions.duration.max)],
  ]);
  const durations = table(['Duration', 'Sessions'], sessions.histogram.map((b) => [b.to === null ? `${duration(b.from)} or more` : `${duration(b.from)} – ${duration(b.to)}`, b.count]));
  const frequency = table([`Active ${interval}s`, 'Users'], stickiness.buckets.map((b) => [String(b.n), b.users]));
  const planTable = table(['Period', ...plans.series.map((s) => s.label)], plans.series[0]?.points.map((p, i) => [p.period, ...plans.series.map((s) => s.points[i]!.value)]) ?? []);
  const weeks = retention.cohorts.length;
  const cohorts = table(
    ['Cohort (week)', 'Users', ...Array.from({ length: weeks - 1 }, (_, k) => `Week ${k + 1}`)],
    [
      ...retention.cohorts.map((c) => [c.start, c.size, ...c.values.slice(1).map((v) => (v === null || !c.size ? '–' : rate(v / c.size)))]),
      ['Average', null, ...retention.average.slice(1).map(rate)],
    ],
  );
  const funnelTable = table(
    ['Step', 'Users', 'Conversion', 'From previous', 'Dropped', 'Median time'],
    funnel.steps.map((s) => [s.event, s.count, rate(s.conversion), rate(s.stepConversion), s.dropOff, duration(s.medianSeconds)]),
  );
  const pathTable = table(['Step', 'From', 'To', 'Transitions'], paths.transitions.map((t) => [t.step, t.from, t.to, t.count]));
  const adoptionTable = table(
    ['Feature', 'Adopters', 'Adoption', 'Median days to adopt', 'Repeat rate'],
    adoption.features.slice(0, 15).map((f) => [f.feature, f.adopters, rate(f.adoptionRate), f.timeToAdopt.medianDays, rate(f.repeatRate)]),
  );
  const errorTable = table(['Message', 'Errors', 'Users'], errors.top.map((e) => [e.message, e.count, e.users]));
  const errorTotals = kpis([
    ['Errors', show(errors.total)],
    ['Users affected', show(errors.users)],
    ['Sessions affected', show(errors.sessions)],
  ]);
  const frictionTable = table(['Signal', 'Where', 'Count', 'Users'], [
    ...friction.rageClicks.map((r): (string | number | null)[] => ['Rage clicks', r.target, r.count, r.users]),
    ...friction.repeatedErrors.map((r) => ['Repeated error', r.message, r.count, r.users]),
    ...friction.thrashing.map((r) => ['Thrashing', r.event, r.count, r.users]),
  ]);
  const segmentTable = table(['Segment', 'Users', 'Top events'], segments.segments.map((s) => [s.label, s.users, s.topEvents.map((e) => e.event).join(', ')]));
  const latestTable = table(
    ['Time (UTC)', 'Event', 'User', 'Session', 'Properties'],
    latest.events.map((e) => [e.timestamp.replace('T', ' ').slice(0, 19), e.event, e.user_id, e.session_id, JSON.stringify(e.properties)]),
  );

  panels.replaceChildren(
    panel(`Overview, ${from} to ${today}`, null, overview),
    panel(`Activity and lifecycle per ${interval}`, specs.lifecycle, activity),
    panel('Trailing active users (last 14 days)', specs.wau, trailing),
    panel('Sessions', specs.sessions, sessionSummary),
    panel('Session durations', specs.sessions, durations),
    panel('Weekly retention (recurring, last 8 weeks)', specs.retention, cohorts),
    panel('Activation funnel (7-day window)', specs.funnel, funnelTable),
    panel(`Stickiness: users by active ${interval}s`, specs.stickiness, frequency),
    panel('Feature adoption', specs.adoption, adoptionTable),
    panel('Paths from a page view', specs.paths, pathTable),
    panel('Errors', specs.errors, errorTotals, errorTable),
    panel('Friction', specs.friction, frictionTable),
    panel('Segments', specs.segments, segmentTable),
    panel(`Sign-ups by plan per ${interval}`, specs.plans, planTable),
    panel(`Latest events (${show(latest.total)} in range)`, specs.latest, latestTable),
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
  const summary = `Sample data: ${show(report.accepted)} events from ${show(users)} users over 90 days (generated in ${Math.round(generated - started)} ms, ingested in ${Math.round(ingested - generated)} ms).`;
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
