/**
 * How long a query kind takes, as a rank, so that a source answers the
 * cheap queries of a page first and a KPI card never waits behind a
 * segments report. Only the order matters: the ranks follow the sql.js
 * timings of bench/results.md at a million events.
 */
import type { Query, QueryKind } from '../../shared/index.ts';

/** 0 cheap, 1 medium, 2 expensive; lower ranks run first. */
export type QueryCost = 0 | 1 | 2;

export const QUERY_COST: Readonly<Record<QueryKind, QueryCost>> = {
  // The daily counts or the kept sessions, read once: under 0.2 s each.
  events: 0,
  trend: 0,
  stickiness: 0,
  lifecycle: 0,
  funnel: 0,
  sessions: 0,
  friction: 0,
  // More pairing after the read (cohorts, error messages, path steps): 0.25 to 0.3 s.
  retention: 1,
  errors: 1,
  paths: 1,
  // Several passes (first uses and repeat days; users, sessions and top events): 0.7 to 0.9 s.
  adoption: 2,
  segments: 2,
};

/** The rank of a spec; a kind the core does not know ranks last (the store rejects it anyway). */
export function queryCost(spec: Query): QueryCost {
  return Object.hasOwn(QUERY_COST, spec.kind) ? QUERY_COST[spec.kind] : 2;
}
