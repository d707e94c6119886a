import { SpecError, quote } from '../errors.ts';
import { optionalInteger, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type QueryRange, type RangeFields } from '../query/range.ts';
import { querySessions } from '../sessions/query-sessions.ts';
import { readSessionOptions, SESSION_FIELDS, type SessionOptions } from '../sessions/session-options.ts';
import type { Calendar } from '../time/periods.ts';

/**
 * `{ kind: 'paths' }`: the order in which events follow each other within
 * sessions (METRICS.md section 9): the query's sessions, those whose first
 * event lies in `[from, to]`, each whole (its events after `to` included,
 * section 3).
 *
 * A path is one session's event names in order (timestamp, then ingestion
 * order), after `include` / `exclude`, with consecutive repeats collapsed,
 * anchored at `start` / `end`, then cut to its first `steps` events.
 */
export interface PathsQuery extends SessionOptions, RangeFields {
  kind: 'paths';
  /** Paths begin at the session's first event of this name; sessions without one are not paths. */
  start?: string;
  /** Paths end at the session's last event of this name; sessions without one (or with it only before `start`) are not paths. */
  end?: string;
  /**
   * The longest path considered, in events (2..20); longer paths are cut
   * after their first `steps` events, with `end` too (a cut path then stops
   * before the end event; PostHog, given only an end point, keeps the last
   * steps before it instead). Default 5.
   */
  steps?: number;
  /** Only events of these names are kept (before repeats are collapsed). */
  include?: string[];
  /** Events of these names are removed (before repeats are collapsed). */
  exclude?: string[];
  /** How many transitions to report, the most frequent first; default 50. */
  limit?: number;
}

/**
 * Steps are numbered from 1, as PostHog numbers path nodes (`1_$pageview`
 * -> `2_signup`): step 1 is the first event of a path (the `start` event when
 * one is given).
 */
export interface PathTransition {
  /** The transition goes from the path's event at step `step` to the one at `step + 1`. */
  step: number;
  from: string;
  to: string;
  /** How many paths make this transition (transitions, not users: one user's sessions each count). */
  count: number;
}

export interface PathDropOff {
  /** The step of the path's last event (after the `steps` cut: a cut path stops at step `steps`). */
  step: number;
  /** The path's last event. */
  event: string;
  /** How many paths stop here; over all drop-offs these add up to the number of paths. */
  count: number;
}

/**
 * Never suppressed: no count here is a count of distinct users (transitions
 * and paths are counted, one user's sessions each add), and METRICS.md
 * section 15 suppresses only distinct-user counts; PostHog's paths do not
 * hide small edges either. So `suppressed` is never set.
 */
export interface PathsResult {
  /** The top `limit` transitions: by count (most first), then step, then from, then to (names in code point order). */
  transitions: PathTransition[];
  /** Every (step, event) where paths stop: by step, then count (most first), then event. */
  dropOffs: PathDropOff[];
  suppressed?: never;
}

/** Bounds of `steps`: PostHog's path step limit offers 2..20. */
const MIN_STEPS = 2;
const MAX_STEPS = 20;
const DEFAULT_STEPS = 5;
const DEFAULT_LIMIT = 50;
const MAX_NAMES = 1000;

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, ...SESSION_FIELDS, 'start', 'end', 'steps', 'include', 'exclude', 'limit'];

/** Reads a list of event names; a bad element is named with its index (`include[2]`). */
function optionalNameList(spec: SpecObject, field: 'include' | 'exclude'): string[] | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > MAX_NAMES) throw new SpecError(field, `must be an array of at most ${MAX_NAMES} event names, got ${quote(value)}`);
  // An empty include would keep no event at all: say so instead of answering with nothing.
  if (field === 'include' && value.length === 0) throw new SpecError(field, 'lists no event name, so it would keep no event; leave it out to keep every event');
  return value.map((name: unknown, i) => {
    if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
      throw new SpecError(`${field}[${i}]`, `must be an event name (a string of 1..200 characters), got ${quote(name)}`);
    }
    return name;
  });
}

/** Throws when an anchor can never match because the filters remove its event. */
function checkAnchor(field: 'start' | 'end', name: string | undefined, include?: string[], exclude?: string[]): void {
  if (name === undefined) return;
  if (include && !include.includes(name)) throw new SpecError(field, `${quote(name)} is not in include, so no path could contain it; add it to include`);
  if (exclude?.includes(name)) throw new SpecError(field, `${quote(name)} is in exclude, so no path could contain it; remove it from exclude`);
}

/**
 * Per (step, event, next event) the paths that make that transition, `next`
 * null where paths stop, from the kept events of each session in order
 * (`sessions`: each session's name ids). A path is the session's events from
 * its first `start` event to its last `end` event (all of them without
 * anchors), each kept where its name differs from the kept event before it
 * (repeats collapse even across an anchor), cut after `steps` events.
 * Anchors are name ids, -1 for a name never stored.
 */
export function countPaths(sessions: readonly (readonly number[])[], anchors: { start: number | null; end: number | null }, steps: number): [number, number, number | null, number][] {
  const counts = new Map<string, [number, number, number | null, number]>();
  const add = (step: number, name: number, next: number | null): void => {
    const key = `${step},${name},${next}`;
    const entry = counts.get(key);
    if (entry) entry[3]++;
    else counts.set(key, [step, name, next, 1]);
  };
  for (const names of sessions) {
    const from = anchors.start === null ? 0 : names.indexOf(anchors.start);
    const to = anchors.end === null ? names.length - 1 : names.lastIndexOf(anchors.end);
    if (names.length === 0 || from < 0 || to < from) continue;
    const path: number[] = [];
    for (let i = from; i <= to && path.length < steps; i++) if (i === 0 || names[i] !== names[i - 1]) path.push(names[i]!);
    path.forEach((name, k) => add(k + 1, name, path[k + 1] ?? null));
  }
  return [...counts.values()];
}

/** A checked paths spec: its anchors, cut, limit, name filters, session options and range. */
export interface PathsPlan {
  start: string | undefined;
  end: string | undefined;
  steps: number;
  limit: number;
  include: string[] | undefined;
  exclude: string[] | undefined;
  options: Required<SessionOptions>;
  range: QueryRange;
}

/** Checks a paths spec and resolves its range in `calendar` at `now`; throws a SpecError naming the field. */
export function readPathsSpec(spec: SpecObject, calendar: Calendar, now: number): PathsPlan {
  rejectUnknownFields(spec, FIELDS);
  const start = optionalString(spec, 'start');
  const end = optionalString(spec, 'end');
  const steps = optionalInteger(spec, 'steps', MIN_STEPS, MAX_STEPS) ?? DEFAULT_STEPS;
  const limit = optionalInteger(spec, 'limit', 1, 10_000) ?? DEFAULT_LIMIT;
  const include = optionalNameList(spec, 'include');
  const exclude = optionalNameList(spec, 'exclude');
  for (const name of exclude ?? []) {
    if (include?.includes(name)) throw new SpecError('exclude', `${quote(name)} is also in include; list it in one of them`);
  }
  checkAnchor('start', start, include, exclude);
  checkAnchor('end', end, include, exclude);
  const options = readSessionOptions(spec);
  const range = resolveRange(spec, calendar, now);
  return { start, end, steps, limit, include, exclude, options, range };
}

export function pathsQuery(spec: SpecObject, ctx: QueryContext): PathsResult {
  const { start, end, steps, limit, include, exclude, options, range } = readPathsSpec(spec, ctx.calendar, ctx.now);

  const ids = new Map<string, number>();
  const asked = [...new Set([start, end, ...(include ?? []), ...(exclude ?? [])].filter((name) => name !== undefined))];
  if (asked.length > 0) {
    for (const [name, id] of ctx.sql.rows(`SELECT name, id FROM event_names WHERE name IN ${ctx.dialect.valuesTable('$names')}`, { $names: JSON.stringify(asked) })) {
      ids.set(String(name), Number(id));
    }
  }
  // A name never stored matches nothing: an anchor that no session has leaves no paths.
  const idOf = (name: string | undefined): number | null => (name === undefined ? null : (ids.get(name) ?? -1));
  const anchors = { start: idOf(start), end: idOf(end) };
  const included = include ? new Set(include.map(idOf)) : null;
  const excluded = new Set((exclude ?? []).map(idOf));
  const kept = (id: number): boolean => (included === null || included.has(id)) && !excluded.has(id);

  // The query's sessions (section 3), and only then include / exclude, so a
  // path lives in the same sessions the sessions kind counts. (PostHog drops
  // excluded events before it splits sessions; we keep one definition of a
  // session for every kind.) Collapsing, anchoring and cutting each session's
  // names is one pass in JavaScript; naming and ranking stay in SQL, which
  // orders names by code point.
  const sessions = querySessions(ctx, options, range.from, range.to, { names: true });
  const paths = sessions.map((session) => (included === null && excluded.size === 0 ? session.names : session.names.filter(kept)));
  const counted = JSON.stringify(countPaths(paths, anchors, steps));
  const rows = ctx.sql.rows(
    `WITH counted AS MATERIALIZED ${ctx.dialect.rowsTable('$counted', ['step', 'name_id', 'next_id', 'n'])},
named AS (
  SELECT c.step AS step, f.name AS from_name, t.name AS to_name, c.n AS n
  FROM counted AS c JOIN event_names AS f ON f.id = c.name_id LEFT JOIN event_names AS t ON t.id = c.next_id
),
ranked AS (
  SELECT 0 AS part, ROW_NUMBER() OVER (ORDER BY n DESC, step, from_name, to_name) AS rank, step, from_name, to_name, n
  FROM named WHERE to_name IS NOT NULL
  UNION ALL
  SELECT 1, ROW_NUMBER() OVER (ORDER BY step, n DESC, from_name), step, from_name, NULL, n
  FROM named WHERE to_name IS NULL
)
SELECT part, step, from_name, to_name, n FROM ranked
WHERE part = 1 OR rank <= $limit
ORDER BY part, rank`,
    { $counted: counted, $limit: limit },
  );

  const result: PathsResult = { transitions: [], dropOffs: [] };
  for (const [part, step, name, toName, count] of rows as [number, number, string, string | null, number][]) {
    if (part === 0) result.transitions.push({ step, from: name, to: toName!, count });
    else result.dropOffs.push({ step, event: name, count });
  }
  return result;
}
