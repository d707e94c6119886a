import type { MatchRules } from '../../../shared/metrics/funnel-match.ts';
import type { Bindings } from './params.ts';

/**
 * Funnel attempt matching in ClickHouse SQL, the core's matcher
 * (shared/metrics/funnel-match.ts) written with array functions over one
 * user's events, so that only counts and times leave ClickHouse. Shared by
 * the `funnel` kind and the `segments` kind's funnel abandonments.
 *
 * An attempt travels through the stages as a tuple `(s, e, work)`: `s` the
 * 1-based index of the event it starts at, `e` the index of the first event
 * past its window (exclusive), `work` what the stage computed (in the end,
 * the indexes of the events that reached each step).
 */

/** One user's events in event order (timestamp, then ingestion order), as names of array expressions. */
export interface FunnelArrays {
  /** Timestamps, Array(Int64), ascending. */
  t: string;
  /** Step masks, Array(UInt64): bit i set when the event is step i (its name and `where`). */
  m: string;
  /** Exclusion masks, Array(UInt64): bit j set when the event is exclusion j's event; '' for none. */
  x: string;
}

/** What an attempt may start at, besides the order's own rule, and what `any` order needs. */
export interface AttemptOptions {
  /** A further condition on the start index `s` (a lambda's body), e.g. "in this session". */
  startsWhere?: (s: string) => string;
  /**
   * For order `any`: step bit sets whose Hall conditions decide whether
   * steps 0..p have distinct events (`anyOrderSets`).
   */
  anySets?: readonly number[];
}

/** The stage of one attempt: `(s, e, work)` to `(s, e, work')`. */
type Stage = (s: string, e: string, work: string) => string;

/**
 * `ordered` without step windows: each step's event is the first matching
 * event after the previous step's, one event for one step, as the core's
 * matcher then does (its later passes change nothing without bounds).
 */
function greedyOrdered(a: FunnelArrays, n: string): Stage[] {
  return [(s, e) => `arrayFold((p, i) -> if(length(p) < ${n} AND bitTest(${a.m}[i], length(p)), arrayPushBack(p, i), p), range(${s} + 1, ${e}), [${s}])`];
}

/**
 * `ordered` with step windows, the core's three passes. Forward: event i is
 * valid for step k when it matches k and the latest valid event of step k-1
 * before it is within step k's bound; the state holds the latest valid event
 * of each step and each event's valid steps. Backward: a valid event of step
 * k is chainable when the earliest chainable event of step k+1 after it is
 * within that step's bound (the last reached step's valid events all are).
 * Then each step takes its first chainable event after the previous step's.
 */
function boundedOrdered(a: FunnelArrays, n: string, bounds: string): Stage[] {
  // Step k (1-based k + 1 in the arrays) can take event i after latest events `latest` (1-based by step).
  const valid = (latest: string, i: string, k: string) =>
    `bitTest(${a.m}[${i}], ${k}) AND ${latest}[${k}] > 0 AND (${bounds}[${k} + 1] < 0 OR ${a.t}[${i}] - ${a.t}[${latest}[${k}]] <= ${bounds}[${k} + 1])`;
  const forward: Stage = (s, e) => {
    const mask = `arraySum(arrayMap(k -> if(${valid('f.1', 'i', 'k')}, bitShiftLeft(toUInt64(1), k), toUInt64(0)), range(1, ${n})))`;
    const latest = `arrayMap((l, j) -> if(j > 1 AND ${valid('f.1', 'i', 'toUInt64(j - 1)')}, i, l), f.1, arrayEnumerate(f.1))`;
    return `arrayFold((f, i) -> (${latest}, arrayPushBack(f.2, (i, ${mask}))), range(${s} + 1, ${e}),
      (arrayMap(j -> if(j = 1, ${s}, toUInt64(0)), range(1, ${n} + 1)), CAST([], 'Array(Tuple(UInt64, UInt64))')))`;
  };
  // work: (latest, [(i, valid mask)]) to (reached, [(i, chainable mask)]).
  const backward: Stage = (_s, _e, w) => {
    const reached = `arrayCount(l -> l > 0, ${w}.1)`;
    const chainable = (k: string) =>
      `bitTest(v.2, ${k}) AND (${k} + 1 = ${reached} OR (b.1[${k} + 2] > 0 AND (${bounds}[${k} + 2] < 0 OR ${a.t}[b.1[${k} + 2]] - ${a.t}[v.1] <= ${bounds}[${k} + 2])))`;
    const mask = `arraySum(arrayMap(k -> if(${chainable('k')}, bitShiftLeft(toUInt64(1), k), toUInt64(0)), range(1, ${reached})))`;
    const earliest = `arrayMap((c, j) -> if(j > 1 AND toUInt64(j - 1) < ${reached} AND ${chainable('toUInt64(j - 1)')}, v.1, c), b.1, arrayEnumerate(b.1))`;
    return `(${reached}, arrayReverse(arrayFold((b, v) -> (${earliest}, arrayPushBack(b.2, (v.1, ${mask}))), arrayReverse(${w}.2),
      (arrayMap(j -> toUInt64(0), range(1, ${n} + 1)), CAST([], 'Array(Tuple(UInt64, UInt64))'))).2))`;
  };
  const positions: Stage = (s, _e, w) =>
    `arrayFold((p, k) -> arrayPushBack(p, arrayFirst(c -> bitTest(c.2, k) AND c.1 > p[-1], ${w}.2).1), range(1, ${w}.1), [${s}])`;
  return [forward, backward, positions];
}

/** `strict`: step k's event is the event right after step k-1's (the arrays hold every event of the user), in the window and bound. */
function strict(a: FunnelArrays, n: string, bounds: string): Stage[] {
  const next = '(q.1[-1] + 1)';
  return [
    (s, e) => {
      const follows = `q.2 AND ${next} < ${e} AND bitTest(${a.m}[${next}], k) AND (${bounds}[k + 1] < 0 OR ${a.t}[${next}] - ${a.t}[q.1[-1]] <= ${bounds}[k + 1])`;
      return `arrayFold((q, k) -> if(${follows}, (arrayPushBack(q.1, ${next}), true), (q.1, false)), range(1, ${n}), ([${s}], true)).1`;
    },
  ];
}

/**
 * `any`: steps 0..q are reached at the first event by which each has a
 * distinct event of its own since the start, inside the window. By Hall's
 * theorem that is the first index by which, for every set T of `anySets`
 * cut to steps 0..q, |T| events matching a step of T have happened: the
 * latest over T of the |T|-th such event (the window's end when there is
 * none). Reaching steps 0..q+1 implies reaching 0..q, so those indexes do
 * not decrease, and the steps reached are those whose index is in the window.
 */
function anyOrder(a: FunnelArrays, n: string, sets: string): Stage[] {
  const upTo = 'bitAnd(T, bitShiftLeft(toUInt64(1), q + 1) - 1)';
  return [
    (s, e) => {
      const nth = `if(${upTo} = 0, ${s}, arrayFilter(i -> i >= ${s} AND i < ${e} AND bitAnd(${a.m}[i], ${upTo}) != 0, arrayEnumerate(${a.m}))[bitCount(${upTo})])`;
      const reachedAt = `arrayMax(arrayMap(v -> if(v = 0, ${e}, toUInt64(v)), arrayMap(T -> ${nth}, ${sets})))`;
      return `arrayFilter(v -> v < ${e}, arrayMap(q -> ${reachedAt}, range(0, ${n})))`;
    },
  ];
}

/**
 * True when an exclusion event happens after the attempt reached the
 * exclusion's `from` step and before it reached its `to` step or, when it
 * never did, before the window ends: the core's `isExcluded`.
 */
function excluded(a: FunnelArrays, rules: MatchRules, p: string, e: string, bind: Bindings): string {
  if (rules.exclusions.length === 0) return 'false';
  const from = bind.bind(rules.exclusions.map((x) => x.from), 'Array(UInt64)');
  const to = bind.bind(rules.exclusions.map((x) => x.to), 'Array(UInt64)');
  return `arrayExists(j -> ${from}[j] < length(${p}) AND arrayExists(i -> i > ${p}[${from}[j] + 1] AND i < if(${to}[j] < length(${p}), ${p}[${to}[j] + 1], ${e}) AND bitTest(${a.x}[i], j - 1), arrayEnumerate(${a.x})), arrayEnumerate(${from}))`;
}

/**
 * The counted attempt of one user, as the core's `countedAttempt` picks it:
 * of the attempts that are not excluded, the one reaching the furthest
 * step, the earliest start on a tie. An expression of type Array(UInt64):
 * the index (1-based, into `arrays`) of the event that reached each step
 * reached; empty when the user has no valid attempt. For `strict`, the
 * arrays must hold every event of the user in the range, for the others the
 * candidate events suffice.
 */
export function countedAttemptSql(arrays: FunnelArrays, rules: MatchRules, options: AttemptOptions, bind: Bindings): string {
  const n = bind.bind(rules.stepCount, 'UInt64');
  const bounds = bind.bind(rules.stepWindowsMs.map((ms) => ms ?? -1), 'Array(Int64)');
  const windowMs = bind.bind(rules.windowMs, 'Int64');
  const stages =
    rules.order === 'any' ? anyOrder(arrays, n, bind.bind(options.anySets ?? [], 'Array(UInt64)'))
    : rules.order === 'strict' ? strict(arrays, n, bounds)
    : rules.stepWindowsMs.every((ms) => ms === null) ? greedyOrdered(arrays, n)
    : boundedOrdered(arrays, n, bounds);
  const first = rules.order === 'any' ? `${arrays.m}[s] != 0` : `bitTest(${arrays.m}[s], 0)`;
  const also = options.startsWhere ? ` AND ${options.startsWhere('s')}` : '';
  // (s, e, work): e from the sorted timestamps, the events at most `window` after the start's.
  let attempts = `arrayMap(s -> (s, toUInt64(arrayCount(v -> v <= ${arrays.t}[s] + ${windowMs}, ${arrays.t}) + 1), CAST([], 'Array(UInt64)')),
    arrayFilter(s -> ${first}${also}, arrayMap(i -> toUInt64(i), arrayEnumerate(${arrays.t}))))`;
  for (const stage of stages) attempts = `arrayMap(a -> (a.1, a.2, ${stage('a.1', 'a.2', 'a.3')}), ${attempts})`;
  const valid = `arrayFilter(a -> length(a.3) > 0 AND NOT ${excluded(arrays, rules, 'a.3', 'a.2', bind)}, ${attempts})`;
  return `arraySort(a -> (-toInt64(length(a.3)), a.1), ${valid})[1].3`;
}
