/**
 * Attempt matching for funnels (METRICS.md section 8), over one user's
 * candidate events: the counted attempt, its furthest step and the time at
 * which it reached each step.
 */

/** How steps must follow each other: `ordered` (default), `strict` (no other event of the user in between) or `any`. */
export type FunnelOrder = 'ordered' | 'strict' | 'any';

/**
 * One user's candidate events in the user's event order (timestamp, then
 * ingestion order), as parallel arrays.
 */
export interface UserEvents {
  ts: number[];
  /** The event's ingestion order (`events.seq`). */
  seq: number[];
  /** The `seq` of the user's next event in the range, of any name, -1 if none; read by `strict` only. */
  next: number[];
  /** Bit i set: the event matches step i (its name and `where`). */
  steps: number[];
  /** Bit j set: the event is exclusion j's event. */
  exclusions: number[];
}

export interface MatchRules {
  stepCount: number;
  order: FunnelOrder;
  windowMs: number;
  /** Per step, the most milliseconds since the previous step's event; null where unbounded. */
  stepWindowsMs: readonly (number | null)[];
  exclusions: readonly { from: number; to: number }[];
}

/** First index from `start` whose timestamp is after `limit` (timestamps are sorted). */
function indexAfter(ts: readonly number[], limit: number, start: number): number {
  let low = start;
  let high = ts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ts[middle]! > limit) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The first element of an ascending list above `value`, or -1. */
function firstAbove(list: readonly number[], value: number): number {
  for (const item of list) if (item > value) return item;
  return -1;
}

/**
 * An `ordered` attempt from step-0 event `s`: the indexes of the events that
 * match steps 0..K-1, K being the furthest step reachable. Reachability is
 * exact under step windows (a later event for step k may be the one that
 * lets step k+1 follow in time); among the matchings that reach K, the one
 * with the earliest events, compared step by step, is used. Without step
 * windows that is the first matching event of each step in turn, as
 * PostHog's funnels take it.
 */
function orderedAttempt(events: UserEvents, s: number, rules: MatchRules, end: number): number[] {
  const { ts, steps } = events;
  const n = rules.stepCount;
  const bound = rules.stepWindowsMs;
  const unbounded = bound.every((b) => b === null);
  // valid[k]: events that can be step k of this attempt, in order; latest[k] the last of them so far.
  const valid: number[][] = Array.from({ length: n }, (_, k) => (k === 0 ? [s] : []));
  const latest = new Array<number>(n).fill(-1);
  latest[0] = s;
  let reached = 1;
  for (let i = s + 1; i < end && !(unbounded && reached === n); i++) {
    const mask = steps[i]!;
    if (mask === 0) continue;
    // Downwards, so that one event is never both step k-1 and step k.
    for (let k = Math.min(reached, n - 1); k >= 1; k--) {
      if (((mask >>> k) & 1) === 0) continue;
      const previous = latest[k - 1]!;
      const limit = bound[k];
      if (previous < 0 || (limit != null && ts[i]! - ts[previous]! > limit)) continue;
      valid[k]!.push(i);
      latest[k] = i;
      if (k === reached) reached++;
    }
  }
  // Keep only the events from which the later steps up to `reached` can still follow.
  const chainable: number[][] = valid.slice(0, reached);
  for (let k = reached - 2; k >= 1; k--) {
    const next = chainable[k + 1]!;
    const limit = bound[k + 1];
    let j = 0;
    chainable[k] = valid[k]!.filter((v) => {
      while (j < next.length && next[j]! <= v) j++;
      return j < next.length && (limit == null || ts[next[j]!]! - ts[v]! <= limit);
    });
  }
  const positions = [s];
  for (let k = 1; k < reached; k++) positions.push(firstAbove(chainable[k]!, positions[k - 1]!));
  return positions;
}

/** A `strict` attempt: each step's event is the user's very next event after the previous step's. */
function strictAttempt(events: UserEvents, s: number, rules: MatchRules, end: number): number[] {
  const { ts, seq, next, steps } = events;
  const positions = [s];
  for (let k = 1; k < rules.stepCount; k++) {
    const previous = positions[k - 1]!;
    const i = previous + 1;
    const limit = rules.stepWindowsMs[k];
    if (i >= end || seq[i] !== next[previous] || ((steps[i]! >>> k) & 1) === 0) break;
    if (limit != null && ts[i]! - ts[previous]! > limit) break;
    positions.push(i);
  }
  return positions;
}

/**
 * Assigns steps to distinct events, for `any` order. Events with the same
 * step mask are interchangeable, so it matches steps to masks with a
 * capacity each (augmenting paths, as in bipartite matching).
 */
class StepMatcher {
  private readonly capacity = new Map<number, number>();
  private readonly assigned: number[] = [];

  add(mask: number): void {
    this.capacity.set(mask, (this.capacity.get(mask) ?? 0) + 1);
  }

  /** Matches `step` too, moving earlier steps to other events if needed; false when impossible. */
  match(step: number): boolean {
    return this.augment(step, new Set());
  }

  private augment(step: number, visited: Set<number>): boolean {
    for (const [mask, capacity] of this.capacity) {
      if (((mask >>> step) & 1) === 0 || visited.has(mask)) continue;
      visited.add(mask);
      const holders: number[] = [];
      this.assigned.forEach((held, other) => {
        if (held === mask) holders.push(other);
      });
      if (holders.length < capacity || holders.some((other) => this.augment(other, visited))) {
        this.assigned[step] = mask;
        return true;
      }
    }
    return false;
  }
}

/**
 * An `any`-order attempt from event `s`: steps 0..k are reached at the first
 * event by which each of them has a distinct event of its own, all inside
 * the window that starts at `s`. Returns, per step reached, the index of
 * that event.
 */
function anyOrderAttempt(events: UserEvents, s: number, rules: MatchRules, end: number): number[] {
  const matcher = new StepMatcher();
  const positions: number[] = [];
  for (let i = s; i < end && positions.length < rules.stepCount; i++) {
    const mask = events.steps[i]!;
    if (mask === 0) continue;
    matcher.add(mask);
    while (positions.length < rules.stepCount && matcher.match(positions.length)) positions.push(i);
  }
  return positions;
}

/**
 * True when an exclusion event happens after the attempt reached the
 * exclusion's `from` step and before it reached its `to` step or, when it
 * never did, before the window ends (`end`, exclusive).
 */
function isExcluded(events: UserEvents, positions: readonly number[], rules: MatchRules, end: number): boolean {
  return rules.exclusions.some((exclusion, j) => {
    if (exclusion.from >= positions.length) return false;
    const stop = exclusion.to < positions.length ? positions[exclusion.to]! : end;
    for (let i = positions[exclusion.from]! + 1; i < stop; i++) if (((events.exclusions[i]! >>> j) & 1) === 1) return true;
    return false;
  });
}

/**
 * The counted attempt of one user: the valid attempt reaching the furthest
 * step, the earliest on a tie. Returns the timestamp at which it reached
 * each step (one per step reached), or null when the user has no valid
 * attempt (and so is not counted at all).
 */
export function countedAttempt(events: UserEvents, rules: MatchRules): number[] | null {
  const { ts, steps } = events;
  let best: number[] | null = null;
  for (let s = 0; s < ts.length && (best === null || best.length < rules.stepCount); s++) {
    if ((rules.order === 'any' ? steps[s]! : steps[s]! & 1) === 0) continue;
    const end = indexAfter(ts, ts[s]! + rules.windowMs, s + 1);
    const positions =
      rules.order === 'any' ? anyOrderAttempt(events, s, rules, end)
      : rules.order === 'strict' ? strictAttempt(events, s, rules, end)
      : orderedAttempt(events, s, rules, end);
    if (positions.length === 0 || (best !== null && positions.length <= best.length)) continue;
    if (!isExcluded(events, positions, rules, end)) best = positions;
  }
  return best === null ? null : best.map((i) => ts[i]!);
}
