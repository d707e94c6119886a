import type { SegmentLabel, SegmentRules } from '../../shared/index.ts';
import { DEFAULT_SEGMENT_RULES } from '../../shared/metrics/segment-rules.ts';

/** What a friction signal is, as the friction kind finds them (METRICS.md section 12). */
const FRICTION_SIGNAL = 'a friction signal (a rage click, a repeated error or thrashing)';

/** "2+ sessions", "a session": at least `n` of a noun. */
function atLeast(n: number, noun: string): string {
  return n === 1 ? `a ${noun}` : `${n.toLocaleString('en')}+ ${noun}s`;
}

/** "the last 28 days", "the last day". */
function last(n: number, noun: string): string {
  return n === 1 ? `the last ${noun}` : `the last ${n.toLocaleString('en')} ${noun}s`;
}

/**
 * Each label's rule in plain words, from the thresholds in force: those
 * `rules` sets, the defaults of METRICS.md section 12 for the rest, and the
 * funnel abandonment clause when the query has `funnel` steps. The words
 * say what the query counts, so they change when its rules do.
 */
export function segmentRuleWords(rules: SegmentRules | undefined, funnel: readonly string[] | undefined): Record<SegmentLabel, string> {
  const power = { ...DEFAULT_SEGMENT_RULES.power, ...rules?.power };
  const struggling = { ...DEFAULT_SEGMENT_RULES.struggling, ...rules?.struggling };
  const exploring = { ...DEFAULT_SEGMENT_RULES.exploring, ...rules?.exploring };
  const days = power.days === 1 ? `any of ${last(power.of, 'day')}` : `${power.days.toLocaleString('en')}+ of ${last(power.of, 'day')}`;
  const abandoned = funnel?.length
    ? `, or ${atLeast(struggling.abandonments, 'session')} that left the funnel ${funnel.join(' → ')} at the same step`
    : '';
  const first = exploring.sessions === 1 ? 'their first session' : `their first ${exploring.sessions.toLocaleString('en')} sessions`;
  return {
    power: `active on ${power.of === 1 ? 'the last day' : days}`,
    struggling: `${atLeast(struggling.sessions, 'session')} with ${FRICTION_SIGNAL}${abandoned}`,
    exploring: `${exploring.events === 1 ? 'an event' : `${exploring.events.toLocaleString('en')}+ different events`} in ${first}, with no friction`,
    casual: 'everyone else',
  };
}
