/**
 * How long a query kind takes, as a rank, so that a source answers the
 * cheap queries of a page first and a KPI card never waits behind a
 * friction report. Only the order matters: the ranks follow the sql.js
 * timings of bench/results.md at a million events.
 */
import type { Query, QueryKind } from '../../shared/index.ts';

/** 0 cheap, 1 medium, 2 expensive; lower ranks run first. */
export type QueryCost = 0 | 1 | 2;

export const QUERY_COST: Readonly<Record<QueryKind, QueryCost>> = {
  // One grouped pass over the events of the range: about 0.05 to 0.3 s.
  events: 0,
  trend: 0,
  stickiness: 0,
  retention: 0,
  lifecycle: 0,
  funnel: 0,
  // Every user's events cut into sessions (window functions over all of them): about 1.3 to 2.5 s.
  sessions: 1,
  adoption: 1,
  errors: 1,
  paths: 1,
  // Sessions, then signals or rules over each of them: about 7 to 12 s.
  friction: 2,
  segments: 2,
};

/** The rank of a spec; a kind the core does not know ranks last (the store rejects it anyway). */
export function queryCost(spec: Query): QueryCost {
  return Object.hasOwn(QUERY_COST, spec.kind) ? QUERY_COST[spec.kind] : 2;
}
