/**
 * Funnels by hand (METRICS.md section 8), with the readings documented in
 * shared/metrics/funnel.ts where the section leaves room:
 * - the events of `[from, to]` only; a user's event stream is all their
 *   events of the range, of any name, by timestamp then ingestion order;
 * - windows are elapsed time and inclusive (a day is 24 hours);
 * - `ordered`: among the matchings that reach the attempt's furthest step,
 *   the one whose events are earliest, step by step;
 * - `strict`: each step's event is the user's very next event;
 * - `any`: an attempt starts at any step's event and its window at that
 *   event; it reaches step k at the first event by which steps 1..k each
 *   have a distinct event of their own, and times run between those moments;
 * - exclusions: the exclusion event strictly between the events at which the
 *   attempt reached its `from` and `to` steps (or, `to` not reached, up to
 *   the end of the window) discards the attempt;
 * - per user, the valid attempt reaching the furthest step counts, the
 *   earliest on a tie; a user without one is not counted at all;
 * - mean and median seconds are rounded to the millisecond.
 * Exhaustive searches over small lists: slow, but easy to check.
 */
import type { FunnelResult, FunnelStepSpec, FunnelWindowSpec, PropertyFilter } from '../../../shared/index.ts';
import { referenceRange } from './calendar.ts';
import { byUser, calendarOf, type RefEvent, type RefOptions, type RefSpec } from './common.ts';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
const SHORT_UNITS: Record<string, string> = { m: 'minute', h: 'hour', d: 'day', w: 'week' };

/** A window's length in ms: `{ value, unit }` or `30m`, `2h`, `7d`, `2w`. */
function windowMs(window: FunnelWindowSpec): number {
  if (typeof window === 'string') return Number(window.slice(0, -1)) * UNIT_MS[SHORT_UNITS[window.slice(-1)]!]!;
  return window.value * UNIT_MS[window.unit]!;
}

/** A property as a number: a JSON number, or text holding one; else null. */
function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return Number(value);
  return null;
}

/** A property as text: strings as they are, numbers in decimal, booleans as true / false; null when absent. */
function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : String(value);
}

/** Whether the event's properties meet every condition of `where` (see PropertyFilter's JSDoc). */
function meets(properties: Record<string, unknown> | undefined, where: PropertyFilter): boolean {
  return Object.entries(where).every(([key, condition]) => {
    const { op, value } = typeof condition === 'object' ? condition : { op: '=', value: condition };
    const property = properties?.[key];
    const equal = typeof value === 'number' ? numberOf(property) === value : textOf(property) === String(value);
    switch (op) {
      case '=':
        return equal;
      case '!=':
        return !equal;
      case 'contains':
        return (textOf(property) ?? '').toLowerCase().includes(String(value).toLowerCase());
      case '>':
        return numberOf(property) !== null && numberOf(property)! > (value as number);
      case '<':
        return numberOf(property) !== null && numberOf(property)! < (value as number);
      default:
        throw new Error(`unknown operator ${op}`);
    }
  });
}

interface Step {
  event: string;
  where: PropertyFilter;
}

interface Exclusion {
  event: string;
  from: number;
  to: number;
}

/** One attempt: the positions (in the user's stream) at which it reached steps 0..K-1. */
type Attempt = number[];

export function referenceFunnel(events: readonly RefEvent[], spec: RefSpec, options: RefOptions): FunnelResult {
  const steps: Step[] = (spec.steps as FunnelStepSpec[]).map((s) => (typeof s === 'string' ? { event: s, where: {} } : { event: s.event, where: s.where ?? {} }));
  const order = (spec.order as string | undefined) ?? 'ordered';
  const window = windowMs((spec.window as FunnelWindowSpec | undefined) ?? { value: 14, unit: 'day' });
  const stepWindows = steps.map((_, i) => {
    const entry = (spec.stepWindows as (FunnelWindowSpec | null)[] | undefined)?.[i];
    return entry === undefined || entry === null ? null : windowMs(entry);
  });
  const exclusions = (spec.exclusions as Exclusion[] | undefined) ?? [];
  const range = referenceRange(spec, calendarOf(spec, options), options.now);
  const n = steps.length;

  const isStep = (e: RefEvent, k: number): boolean => e.event === steps[k]!.event && meets(e.properties, steps[k]!.where);

  const counts = steps.map(() => 0);
  const gaps: number[][] = steps.map(() => []);
  const inRange = events.filter((e) => e.ts >= range.from && e.ts <= range.to);

  for (const stream of byUser(inRange).values()) {
    /** One past the last position within the window from position s (inclusive). */
    const windowEnd = (s: number): number => {
      let end = s;
      while (end < stream.length && stream[end]!.ts - stream[s]!.ts <= window) end++;
      return end;
    };
    /** Step k at position i may follow step k-1 at position p. */
    const follows = (k: number, p: number, i: number): boolean =>
      isStep(stream[i]!, k) && (stepWindows[k] === null || stream[i]!.ts - stream[p]!.ts <= stepWindows[k]!);

    /** Ordered: the earliest positions for steps k..target-1 after position p, within [.., end); null if none. */
    const chain = (k: number, p: number, target: number, end: number, dead: Set<string>): number[] | null => {
      if (k === target) return [];
      if (dead.has(`${k},${p}`)) return null;
      for (let i = p + 1; i < end; i++) {
        if (!follows(k, p, i)) continue;
        const rest = chain(k + 1, i, target, end, dead);
        if (rest) return [i, ...rest];
      }
      dead.add(`${k},${p}`);
      return null;
    };
    const ordered = (s: number, end: number): Attempt => {
      for (let target = n; target > 1; target--) {
        const rest = chain(1, s, target, end, new Set());
        if (rest) return [s, ...rest];
      }
      return [s];
    };

    const strict = (s: number, end: number): Attempt => {
      const positions = [s];
      for (let k = 1; k < n; k++) {
        const p = positions[k - 1]!;
        if (p + 1 >= end || !follows(k, p, p + 1)) break;
        positions.push(p + 1);
      }
      return positions;
    };

    /** Whether steps 0..k-1 can each be given a distinct event among `positions` (augmenting paths). */
    const canAssign = (k: number, positions: number[]): boolean => {
      const holder = new Map<number, number>(); // position -> step
      const place = (step: number, seen: Set<number>): boolean => {
        for (const i of positions) {
          if (seen.has(i) || !isStep(stream[i]!, step)) continue;
          seen.add(i);
          if (!holder.has(i) || place(holder.get(i)!, seen)) {
            holder.set(i, step);
            return true;
          }
        }
        return false;
      };
      for (let step = 0; step < k; step++) if (!place(step, new Set())) return false;
      return true;
    };
    const anyOrder = (s: number, end: number): Attempt => {
      const reachedAt: number[] = [];
      const seen: number[] = [];
      for (let i = s; i < end; i++) {
        seen.push(i);
        while (reachedAt.length < n && canAssign(reachedAt.length + 1, seen)) reachedAt.push(i);
      }
      return reachedAt;
    };

    const excluded = (attempt: Attempt, end: number): boolean =>
      exclusions.some((x) => {
        if (x.from >= attempt.length) return false;
        const stop = x.to < attempt.length ? attempt[x.to]! : end;
        for (let i = attempt[x.from]! + 1; i < stop; i++) if (stream[i]!.event === x.event) return true;
        return false;
      });

    let counted: Attempt | null = null;
    for (let s = 0; s < stream.length; s++) {
      const starts = order === 'any' ? steps.some((_, k) => isStep(stream[s]!, k)) : isStep(stream[s]!, 0);
      if (!starts) continue;
      const end = windowEnd(s);
      const attempt = order === 'any' ? anyOrder(s, end) : order === 'strict' ? strict(s, end) : ordered(s, end);
      if (attempt.length === 0 || excluded(attempt, end)) continue;
      if (counted === null || attempt.length > counted.length) counted = attempt;
    }
    if (counted === null) continue;
    const positions = counted;
    positions.forEach((position, k) => {
      counts[k]!++;
      if (k > 0) gaps[k]!.push(stream[position]!.ts - stream[positions[k - 1]!]!.ts);
    });
  }

  const seconds = (ms: number | null): number | null => (ms === null ? null : Math.round(ms) / 1000);
  return {
    steps: steps.map((step, k) => {
      const count = counts[k]!;
      const previous = k === 0 ? count : counts[k - 1]!;
      const times = [...gaps[k]!].sort((a, b) => a - b);
      const middle = Math.floor(times.length / 2);
      const median = times.length === 0 ? null : times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
      return {
        event: step.event,
        count,
        conversion: counts[0] === 0 ? null : count / counts[0]!,
        stepConversion: previous === 0 ? null : count / previous,
        dropOff: k === 0 ? 0 : previous - count,
        meanSeconds: times.length === 0 ? null : seconds(times.reduce((a, b) => a + b, 0) / times.length),
        medianSeconds: seconds(median),
      };
    }),
  };
}
