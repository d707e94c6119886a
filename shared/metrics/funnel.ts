/**
 * Funnels (METRICS.md section 8). Where the handbook leaves a choice open:
 *
 * - `strict`: "the user's event stream" is every event of the user in the
 *   range, of any name (PostHog's strict funnels: no other event in between).
 * - `any`: an attempt starts at any step's event; it reaches step k when
 *   steps 1..k each have a distinct event of their own within the window
 *   from that first event, at the moment the last of them happens, and times
 *   run between those moments. PostHog's unordered funnels count "any k of
 *   the steps" instead; section 14 names each step by its own event and says
 *   each step is matched by a distinct event, so step k here means steps 1..k.
 * - Within an attempt each step is matched by the earliest event that still
 *   lets the attempt reach its furthest step: without `stepWindows` that is
 *   the first matching event after the previous step, as PostHog matches
 *   (and as Mixpanel picks "the first instance of the step"). Times and
 *   exclusions use that matching.
 * - Exclusions: the exclusion event counts when it comes strictly between
 *   the two steps' events in the user's event order. As PostHog does, an
 *   exclusion may not be the event of a step it spans (`readExclusions`).
 * - Windows are elapsed time (a day is 24 hours), as PostHog's conversion
 *   window, which it counts in seconds.
 * - Mean and median times of a suppressed step are suppressed with its count
 *   (section 15: averages derived from a suppressed count).
 *
 * Where this runs: SQL picks the candidate events and computes their step
 * and exclusion flags (`funnel-candidates.ts`); the attempt matching runs in
 * JavaScript over them (`funnel-match.ts`). Measured on 200,000 sample
 * events (best of 5, same counts): the simplest case alone (ordered, no step
 * windows, no exclusions) written in SQL, the first match of each step by a
 * correlated MIN subquery over the numbered candidates, took 3,425 ms for
 * `$pageview, $click, dashboard_viewed, search_used` and 128 ms for
 * `signup, onboarding_completed, project_created, invite_sent`, against
 * 644 ms and 50 ms for this module, and exact step windows, exclusions and
 * any-order matching would only add to the SQL.
 */
import { SpecError } from '../errors.ts';
import { optionalEnum, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type QueryRange, type RangeFields } from '../query/range.ts';
import { Suppressor, ratio } from '../privacy/suppress.ts';
import { percentile } from '../stats.ts';
import { funnelCandidates } from './funnel-candidates.ts';
import { countedAttempt, type FunnelOrder, type MatchRules } from './funnel-match.ts';
import { readExclusions, readStepWindows, readSteps, type FunnelExclusion, type FunnelStep, type FunnelStepSpec } from './funnel-steps.ts';
import { DEFAULT_WINDOW, readWindow, windowMs, type FunnelWindowSpec } from './funnel-window.ts';

export type { FunnelOrder } from './funnel-match.ts';
export type { FunnelExclusion, FunnelStepSpec } from './funnel-steps.ts';
export type { FunnelWindow, FunnelWindowSpec, WindowUnit } from './funnel-window.ts';
export type { PropertyFilter, PropertyOperator, PropertyValue } from '../query/property-filter.ts';

export const FUNNEL_ORDERS: readonly FunnelOrder[] = ['ordered', 'strict', 'any'];

/**
 * `{ kind: 'funnel' }`: how many users go through a series of steps
 * (METRICS.md section 8). Counts the events of `[from, to]` exactly; there
 * is no interval.
 */
export interface FunnelQuery extends RangeFields {
  kind: 'funnel';
  /** 2 to 20 steps: event names, or `{ event, where }` with property conditions (see `PropertyFilter`). */
  steps: FunnelStepSpec[];
  /** How long after an attempt's first event its later steps may happen (inclusive); default 14 days. */
  window?: FunnelWindowSpec;
  /**
   * `ordered` (default): each step after the previous one, other events in
   * between allowed. `strict`: each step's event is the user's very next
   * event, of any name (as in PostHog's strict funnels). `any`: steps in any
   * order, each by a distinct event, all within one window from the earliest.
   */
  order?: FunnelOrder;
  /** Attempts in which `event` happens between steps `from` and `to` (0-based) are discarded. */
  exclusions?: FunnelExclusion[];
  /**
   * Aligned with `steps`: entry i (i >= 1), where set, bounds the time from
   * step i-1's event to step i's. Entry 0 stays null. Not for order `any`.
   */
  stepWindows?: (FunnelWindowSpec | null)[];
}

/** One step of the result. Counts are distinct users; null where suppressed (or derived from a suppressed count). */
export interface FunnelStepResult {
  /** The step's event name. */
  event: string;
  /** Users whose counted attempt reached this step. */
  count: number | null;
  /** count / step 1's count; 1 for step 1; null when step 1's count is 0. */
  conversion: number | null;
  /** count / the previous step's count; 1 for step 1; null when that count is 0. */
  stepConversion: number | null;
  /** The previous step's count minus this one's; 0 for step 1. */
  dropOff: number | null;
  /** Seconds from the previous step to this one over the users who reached it; null for step 1 and when no one did. */
  meanSeconds: number | null;
  medianSeconds: number | null;
}

export interface FunnelResult {
  steps: FunnelStepResult[];
  suppressed?: true;
}

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'steps', 'window', 'order', 'exclusions', 'stepWindows'];

/** Seconds rounded to the millisecond, the precision of event timestamps (and no floating-point tails). */
function toMillisecond(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1000) / 1000;
}

/** A checked funnel spec: its steps and matching rules, and the range it counts. */
export interface FunnelPlan {
  steps: FunnelStep[];
  /** The exclusions as written (their events), which `rules` holds as step indexes only. */
  exclusions: FunnelExclusion[];
  rules: MatchRules;
  range: QueryRange;
}

/** Checks a funnel spec (a bad one throws a SpecError naming the field) and resolves its range; shared by both engines. */
export function readFunnelSpec(spec: SpecObject, ctx: Pick<QueryContext, 'calendar' | 'now'>): FunnelPlan {
  rejectUnknownFields(spec, FIELDS);
  const steps = readSteps(spec);
  const order = optionalEnum(spec, 'order', FUNNEL_ORDERS) ?? 'ordered';
  const window = spec.window === undefined || spec.window === null ? DEFAULT_WINDOW : readWindow(spec.window, 'window');
  const exclusions = readExclusions(spec, steps);
  const stepWindowsMs = readStepWindows(spec, steps);
  if (order === 'any' && stepWindowsMs.some((ms) => ms !== null)) {
    throw new SpecError('stepWindows', "bounds the time from one step to the next, which order 'any' does not have; leave it out");
  }
  const range = resolveRange(spec, ctx.calendar, ctx.now);
  return { steps, exclusions, rules: { stepCount: steps.length, order, windowMs: windowMs(window), stepWindowsMs, exclusions }, range };
}

/**
 * Per step, what the counted attempts give: `count` users reached it, and
 * (from step 2 on) the mean and median seconds from the previous step over
 * them, unrounded; null where no one did.
 */
export interface FunnelStepTally {
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
}

/** The result from the tallies of each step: conversions, drop-offs, times to the millisecond, suppression. */
export function funnelResult(steps: readonly FunnelStep[], tallies: readonly FunnelStepTally[], minGroupSize: number): FunnelResult {
  const suppressor = new Suppressor(minGroupSize);
  const reported = tallies.map((tally) => suppressor.users(tally.count));
  const first = reported[0]!;
  return suppressor.finish({
    steps: steps.map((step, k) => {
      const count = reported[k]!;
      const previous = k === 0 ? count : reported[k - 1]!;
      // Times over a suppressed group are derived from its count, so they go too (METRICS.md section 15).
      const timed = k > 0 && count !== null;
      return {
        event: step.event,
        count,
        conversion: ratio(count, first),
        stepConversion: ratio(count, previous),
        dropOff: k === 0 ? 0 : count === null || previous === null ? null : previous - count,
        meanSeconds: timed ? toMillisecond(tallies[k]!.meanSeconds) : null,
        medianSeconds: timed ? toMillisecond(tallies[k]!.medianSeconds) : null,
      };
    }),
  });
}

/** Runs a funnel spec: checks it, reads the candidate events, matches each user's attempts and counts the steps. */
export function funnelQuery(spec: SpecObject, ctx: QueryContext): FunnelResult {
  const { steps, exclusions, rules, range } = readFunnelSpec(spec, ctx);
  const counts = steps.map(() => 0);
  const seconds: number[][] = steps.map(() => []);
  for (const events of funnelCandidates(ctx, steps, exclusions, rules.order, range)) {
    const reachedAt = countedAttempt(events, rules);
    if (reachedAt === null) continue;
    reachedAt.forEach((time, k) => {
      counts[k]!++;
      if (k > 0) seconds[k]!.push((time - reachedAt[k - 1]!) / 1000);
    });
  }
  return funnelResult(
    steps,
    steps.map((_, k) => ({
      count: counts[k]!,
      meanSeconds: seconds[k]!.length === 0 ? null : seconds[k]!.reduce((sum, s) => sum + s, 0) / seconds[k]!.length,
      medianSeconds: percentile(seconds[k]!, 0.5),
    })),
    ctx.minGroupSize,
  );
}
