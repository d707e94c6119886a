/**
 * The query specs the demo dashboard sends: what `fp-dashboard`'s default
 * layout (widgets/fp-dashboard/fp-dashboard.ts) asks of its source with
 * `range="90d"`, `interval="day"` and the benchmark's funnel, as the
 * Chromium benchmark (bench/chromium.ts) lays it out. Each spec is built as
 * the widget builds it (its attributes, then its `specFields()`, undefined
 * fields left out), so the server answers here exactly what a dashboard
 * page would ask. Kept in step with the dashboard by
 * test/bench-server.node.test.ts, which reads the dashboard's template.
 */
import type { Query } from '../shared/index.ts';

/** One widget's query: the widget as the dashboard's template writes it, and its spec. */
export interface DashboardSpec {
  /** e.g. `fp-kpi users`: the element, and what tells it from its siblings. */
  widget: string;
  spec: Query;
}

/** The day `days` before `day` (both `YYYY-MM-DD`), as fp-dashboard counts its presets. */
function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The specs of every widget of the dashboard over the 90 days ending `to`,
 * in the template's order. `funnel` is the dashboard's `funnel` attribute:
 * with two steps or more, the funnel and the segments get it.
 */
export function dashboardSpecs(to: string, funnel: readonly string[]): DashboardSpec[] {
  const from = daysBefore(to, 89);
  const range = { from, to };
  const steps = [...funnel];
  // A KPI has a `to` and no `from`: it asks for the last 14 periods.
  const kpi = (math: string): DashboardSpec => ({ widget: `fp-kpi ${math}`, spec: { to, periods: 14, math, interval: 'day', kind: 'trend' } as Query });
  return [
    kpi('users'),
    kpi('wau'),
    kpi('mau'),
    kpi('stickiness_ratio'),
    { widget: 'fp-trend', spec: { ...range, math: 'users', interval: 'day', kind: 'trend' } },
    { widget: 'fp-sessions', spec: { ...range, interval: 'day', kind: 'sessions' } },
    { widget: 'fp-stickiness', spec: { ...range, interval: 'day', kind: 'stickiness' } },
    { widget: 'fp-retention', spec: { ...range, interval: 'week', kind: 'retention' } },
    { widget: 'fp-lifecycle', spec: { ...range, interval: 'day', kind: 'lifecycle' } },
    ...(steps.length >= 2 ? [{ widget: 'fp-segments', spec: { ...range, funnel: steps, kind: 'segments' } as Query }] : [{ widget: 'fp-segments', spec: { ...range, kind: 'segments' } as Query }]),
    { widget: 'fp-funnel-steps', spec: { ...range, features: 'all', kind: 'adoption' } },
    ...(steps.length >= 2 ? [{ widget: 'fp-funnel', spec: { ...range, steps, kind: 'funnel' } as Query }] : []),
    { widget: 'fp-errors', spec: { ...range, interval: 'day', kind: 'errors' } },
    { widget: 'fp-paths', spec: { ...range, kind: 'paths' } },
    { widget: 'fp-adoption', spec: { ...range, features: 'all', interval: 'day', kind: 'adoption' } },
    { widget: 'fp-friction', spec: { ...range, kind: 'friction' } },
  ];
}
