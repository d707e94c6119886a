import { SpecError, quote } from '../errors.ts';
import type { SpecObject } from '../query/fields.ts';
import { readPropertyFilter, type PropertyCondition, type PropertyFilter } from '../query/property-filter.ts';
import { readWindow, windowMs } from './funnel-window.ts';

/** A funnel step as written: an event name, or an event name with property conditions. */
export type FunnelStepSpec = string | { event: string; where?: PropertyFilter };

/** A checked step. */
export interface FunnelStep {
  event: string;
  where: PropertyCondition[];
}

/**
 * An exclusion: an attempt in which `event` happens after step `from` and
 * before step `to` (0-based step indexes) is discarded.
 */
export interface FunnelExclusion {
  event: string;
  from: number;
  to: number;
}

/** Step and exclusion flags travel as bit masks, so both stay well inside 31 bits. */
export const MAX_STEPS = 20;
export const MAX_EXCLUSIONS = 20;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readEventName(raw: unknown, field: string): string {
  if (raw === undefined || raw === null) throw new SpecError(field, 'missing (an event name)');
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 200) throw new SpecError(field, `must be an event name of 1..200 characters, got ${quote(raw)}`);
  return raw;
}

function readStep(raw: unknown, i: number): FunnelStep {
  const field = `steps[${i}]`;
  if (typeof raw === 'string') return { event: readEventName(raw, `${field}.event`), where: [] };
  if (!isPlainObject(raw)) throw new SpecError(field, `must be an event name or { event, where }, got ${quote(raw)}`);
  for (const member of Object.keys(raw)) {
    if (member !== 'event' && member !== 'where') throw new SpecError(`${field}.${member}`, 'unknown field of a step (known: event, where)');
  }
  return { event: readEventName(raw.event, `${field}.event`), where: readPropertyFilter(raw.where, `${field}.where`) };
}

/** Reads `steps`: 2 to 20 steps. */
export function readSteps(spec: SpecObject): FunnelStep[] {
  const raw = spec.steps;
  if (raw === undefined || raw === null) throw new SpecError('steps', 'missing (at least 2 event names or { event, where } steps)');
  if (!Array.isArray(raw)) throw new SpecError('steps', `must be an array of at least 2 steps, got ${quote(raw)}`);
  if (raw.length < 2) throw new SpecError('steps', `a funnel needs at least 2 steps, got ${raw.length}`);
  if (raw.length > MAX_STEPS) throw new SpecError('steps', `at most ${MAX_STEPS} steps, got ${raw.length}`);
  return raw.map(readStep);
}

/**
 * Reads `exclusions`. As PostHog does, an exclusion event may not be the
 * event of a step it spans (from `from` to `to`, both included): those
 * steps' own events would exclude the attempt that they make.
 */
export function readExclusions(spec: SpecObject, steps: readonly FunnelStep[]): FunnelExclusion[] {
  const raw = spec.exclusions;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new SpecError('exclusions', `must be an array of { event, from, to }, got ${quote(raw)}`);
  if (raw.length > MAX_EXCLUSIONS) throw new SpecError('exclusions', `at most ${MAX_EXCLUSIONS} exclusions, got ${raw.length}`);
  const last = steps.length - 1;
  return raw.map((item: unknown, i) => {
    const field = `exclusions[${i}]`;
    if (!isPlainObject(item)) throw new SpecError(field, `must be { event, from, to }, got ${quote(item)}`);
    for (const member of Object.keys(item)) {
      if (member !== 'event' && member !== 'from' && member !== 'to') throw new SpecError(`${field}.${member}`, 'unknown field of an exclusion (known: event, from, to)');
    }
    const event = readEventName(item.event, `${field}.event`);
    const index = (key: 'from' | 'to', min: number, max: number): number => {
      const value = item[key];
      if (value === undefined || value === null) throw new SpecError(`${field}.${key}`, `missing (a 0-based step index from ${min} to ${max})`);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw new SpecError(`${field}.${key}`, `must be a 0-based step index from ${min} to ${max}, got ${quote(value)}`);
      }
      return value;
    };
    const from = index('from', 0, last - 1);
    const to = index('to', from + 1, last);
    const clash = steps.slice(from, to + 1).findIndex((step) => step.event === event);
    if (clash >= 0) throw new SpecError(`${field}.event`, `${quote(event)} is the event of step ${from + clash}, which this exclusion spans`);
    return { event, from, to };
  });
}

/**
 * Reads `stepWindows`: an array aligned with `steps`, each entry a window or
 * null. Entry i (i >= 1) bounds the time from step i-1's event to step i's;
 * entry 0 must be empty (step 0 has no previous step). Returns milliseconds,
 * null where unset.
 */
export function readStepWindows(spec: SpecObject, steps: readonly FunnelStep[]): (number | null)[] {
  const raw = spec.stepWindows;
  const none = steps.map(() => null);
  if (raw === undefined || raw === null) return none;
  if (!Array.isArray(raw)) throw new SpecError('stepWindows', `must be an array aligned with steps (null where unset), got ${quote(raw)}`);
  if (raw.length > steps.length) throw new SpecError('stepWindows', `has ${raw.length} entries for ${steps.length} steps`);
  return steps.map((_, i) => {
    const entry: unknown = raw[i];
    if (entry === undefined || entry === null) return null;
    if (i === 0) throw new SpecError('stepWindows[0]', 'the first step has no previous step; leave this entry null');
    return windowMs(readWindow(entry, `stepWindows[${i}]`));
  });
}
