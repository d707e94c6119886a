import type { Query } from '../shared/index.ts';
import { FUNNEL_STEPS } from './config.ts';

/** One benchmarked query: the task name in the results and its spec. */
export interface BenchQuery {
  task: string;
  spec: Query;
}

/**
 * Every query kind of METRICS.md with its default options over the whole
 * range of the data (`from` / `to` its first and last day, UTC); trend with
 * each of its math that reads differently (events, users, wau, mau). Only
 * what a kind requires is added: the funnel's steps (the demo dashboard's)
 * and adoption's `features: 'all'`.
 */
export function benchQueries(from: string, to: string): BenchQuery[] {
  const range = { from, to };
  return [
    { task: 'trend events', spec: { kind: 'trend', ...range } },
    { task: 'trend users', spec: { kind: 'trend', math: 'users', ...range } },
    { task: 'trend wau', spec: { kind: 'trend', math: 'wau', ...range } },
    { task: 'trend mau', spec: { kind: 'trend', math: 'mau', ...range } },
    { task: 'stickiness', spec: { kind: 'stickiness', ...range } },
    { task: 'sessions', spec: { kind: 'sessions', ...range } },
    { task: 'retention', spec: { kind: 'retention', ...range } },
    { task: 'lifecycle', spec: { kind: 'lifecycle', ...range } },
    { task: 'funnel', spec: { kind: 'funnel', steps: FUNNEL_STEPS, ...range } },
    { task: 'paths', spec: { kind: 'paths', ...range } },
    { task: 'adoption', spec: { kind: 'adoption', features: 'all', ...range } },
    { task: 'errors', spec: { kind: 'errors', ...range } },
    { task: 'friction', spec: { kind: 'friction', ...range } },
    { task: 'segments', spec: { kind: 'segments', ...range } },
    { task: 'events', spec: { kind: 'events', ...range } },
  ];
}

/** The kinds that build sessions (METRICS.md section 3). */
export const SESSION_TASKS: ReadonlySet<string> = new Set(['sessions', 'paths', 'errors', 'friction', 'segments']);

/** `YYYY-MM-DD` of an epoch-ms instant, in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
