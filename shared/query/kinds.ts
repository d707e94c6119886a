import { SpecError, quote } from '../errors.ts';
import { adoptionQuery, type AdoptionQuery, type AdoptionResult } from '../metrics/adoption.ts';
import { errorsQuery, type ErrorsQuery, type ErrorsResult } from '../metrics/errors.ts';
import { eventsQuery, type EventsQuery, type EventsResult } from '../metrics/events.ts';
import { frictionQuery, type FrictionQuery, type FrictionResult } from '../metrics/friction.ts';
import { funnelQuery, type FunnelQuery, type FunnelResult } from '../metrics/funnel.ts';
import { lifecycleQuery, type LifecycleQuery, type LifecycleResult } from '../metrics/lifecycle.ts';
import { pathsQuery, type PathsQuery, type PathsResult } from '../metrics/paths.ts';
import { retentionQuery, type RetentionQuery, type RetentionResult } from '../metrics/retention.ts';
import { segmentsQuery, type SegmentsQuery, type SegmentsResult } from '../metrics/segments.ts';
import { sessionsQuery, type SessionsQuery, type SessionsResult } from '../metrics/sessions.ts';
import { stickinessQuery, type StickinessQuery, type StickinessResult } from '../metrics/stickiness.ts';
import { trendQuery, type TrendQuery, type TrendResult } from '../metrics/trend.ts';
import { whereContext, type QueryContext } from './context.ts';
import type { SpecObject } from './fields.ts';

/** Every query kind with its spec and result types. */
export interface QueryKinds {
  events: { query: EventsQuery; result: EventsResult };
  trend: { query: TrendQuery; result: TrendResult };
  stickiness: { query: StickinessQuery; result: StickinessResult };
  sessions: { query: SessionsQuery; result: SessionsResult };
  retention: { query: RetentionQuery; result: RetentionResult };
  lifecycle: { query: LifecycleQuery; result: LifecycleResult };
  funnel: { query: FunnelQuery; result: FunnelResult };
  paths: { query: PathsQuery; result: PathsResult };
  adoption: { query: AdoptionQuery; result: AdoptionResult };
  errors: { query: ErrorsQuery; result: ErrorsResult };
  friction: { query: FrictionQuery; result: FrictionResult };
  segments: { query: SegmentsQuery; result: SegmentsResult };
}

export type QueryKind = keyof QueryKinds;
/** Any query spec: a plain JSON object with a `kind`. */
export type Query = QueryKinds[QueryKind]['query'];
/** The result type of a query spec type. */
export type ResultOf<Q extends Query> = QueryKinds[Q['kind']]['result'];

const RUNNERS: { [K in QueryKind]: (spec: SpecObject, ctx: QueryContext) => QueryKinds[K]['result'] } = {
  events: eventsQuery,
  trend: trendQuery,
  stickiness: stickinessQuery,
  sessions: sessionsQuery,
  retention: retentionQuery,
  lifecycle: lifecycleQuery,
  funnel: funnelQuery,
  paths: pathsQuery,
  adoption: adoptionQuery,
  errors: errorsQuery,
  friction: frictionQuery,
  segments: segmentsQuery,
};

export const QUERY_KINDS = Object.keys(RUNNERS) as QueryKind[];

/** The spec as an object and its kind, checked: a SpecError naming `spec` or `kind` otherwise. Every engine reads a spec's kind so. */
export function readKind(spec: unknown): { object: SpecObject; kind: QueryKind } {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new SpecError('spec', `must be an object with a kind, got ${quote(spec)}`);
  const kind = (spec as SpecObject).kind;
  if (kind === undefined) throw new SpecError('kind', `missing (one of ${QUERY_KINDS.join(', ')})`);
  if (typeof kind !== 'string' || !Object.hasOwn(RUNNERS, kind)) {
    throw new SpecError('kind', `unknown kind ${quote(kind)} (known: ${QUERY_KINDS.join(', ')})`);
  }
  return { object: spec as SpecObject, kind: kind as QueryKind };
}

/** Checks the spec's shape and kind, then runs its metric over the events its `where` and `ctx.lockedWhere` select. */
export function runQuery(spec: unknown, ctx: QueryContext): unknown {
  const { object, kind } = readKind(spec);
  return RUNNERS[kind](object, whereContext(object, ctx));
}
