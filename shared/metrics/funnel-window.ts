import { SpecError, quote } from '../errors.ts';

export type WindowUnit = 'minute' | 'hour' | 'day' | 'week';
export const WINDOW_UNITS: readonly WindowUnit[] = ['minute', 'hour', 'day', 'week'];

/** A length of time: `{ value: 14, unit: 'day' }`. */
export interface FunnelWindow {
  value: number;
  unit: WindowUnit;
}

/**
 * How a window may be written: `{ value, unit }`, or the widgets' shorthand
 * `30m`, `2h`, `7d`, `2w` (a whole number and the unit's initial).
 */
export type FunnelWindowSpec = FunnelWindow | `${number}${'m' | 'h' | 'd' | 'w'}`;

/** The default conversion window, 14 days (PostHog's default too). */
export const DEFAULT_WINDOW: Readonly<FunnelWindow> = Object.freeze({ value: 14, unit: 'day' });

/** Fixed lengths: a window counts elapsed time, so a "day" is 24 hours even across a DST change. */
const UNIT_MS: Record<WindowUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
const SHORTHAND: Record<string, WindowUnit> = { m: 'minute', h: 'hour', d: 'day', w: 'week' };
/** Longest window in any unit: ten years, far beyond any funnel yet small enough to add to a timestamp safely. */
const MAX_WINDOW_MS = 3653 * UNIT_MS.day;

/** A window's length in milliseconds. */
export function windowMs(window: FunnelWindow): number {
  return window.value * UNIT_MS[window.unit];
}

/** Reads a window written either way; `field` names it in errors (`window`, `stepWindows[2]`). */
export function readWindow(raw: unknown, field: string): FunnelWindow {
  let window: FunnelWindow;
  if (typeof raw === 'string') {
    const match = /^(\d{1,9})([mhdw])$/.exec(raw);
    if (!match) throw new SpecError(field, `must be { value, unit } or a whole number and m, h, d or w (30m, 2h, 7d, 2w), got ${quote(raw)}`);
    window = { value: Number(match[1]), unit: SHORTHAND[match[2]!]! };
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const object = raw as Record<string, unknown>;
    for (const member of Object.keys(object)) {
      if (member !== 'value' && member !== 'unit') throw new SpecError(`${field}.${member}`, 'unknown field of a window (known: value, unit)');
    }
    const unit = object.unit;
    if (typeof unit !== 'string' || !(WINDOW_UNITS as readonly string[]).includes(unit)) {
      throw new SpecError(`${field}.unit`, `must be one of ${WINDOW_UNITS.join(', ')}, got ${quote(unit)}`);
    }
    if (typeof object.value !== 'number' || !Number.isInteger(object.value)) {
      throw new SpecError(`${field}.value`, `must be a whole number, got ${quote(object.value)}`);
    }
    window = { value: object.value, unit: unit as WindowUnit };
  } else {
    throw new SpecError(field, `must be { value, unit } or a shorthand such as 7d, got ${quote(raw)}`);
  }
  const [valueField, given] = typeof raw === 'string' ? [field, raw] : [`${field}.value`, window.value];
  if (window.value < 1) throw new SpecError(valueField, `must be at least 1, got ${quote(given)}`);
  if (windowMs(window) > MAX_WINDOW_MS) throw new SpecError(valueField, `must be at most 10 years, got ${quote(given)}`);
  return window;
}
