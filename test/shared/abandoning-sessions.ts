import { ev } from './helpers.ts';

/**
 * Users whose sessions abandon the funnels start -> finish and start ->
 * middle -> finish in November 2026 (under the default 30-minute gap each
 * day's events are one session): the segments kind's struggling rule
 * reads them (segments.test.ts), and the ClickHouse abandonments are held
 * to the SQLite store's on them.
 */
export const ABANDONING_SESSIONS = [
  // g: the first session's attempt finishes two days later, in another session; the second's does not.
  ev('g', '2026-11-20T14:00:00Z', 'start'),
  ev('g', '2026-11-22T14:00:00Z', 'finish'),
  ev('g', '2026-11-23T14:00:00Z', 'start'),
  // h: reaches middle in its first session only; h2 in both.
  ev('h', '2026-11-20T14:00:00Z', 'start'),
  ev('h', '2026-11-20T14:01:00Z', 'middle'),
  ev('h', '2026-11-21T14:00:00Z', 'start'),
  ev('h2', '2026-11-20T14:00:00Z', 'start'),
  ev('h2', '2026-11-20T14:01:00Z', 'middle'),
  ev('h2', '2026-11-21T14:00:00Z', 'start'),
  ev('h2', '2026-11-21T14:01:00Z', 'middle'),
  // i: two starts in one session, one session that abandons; i2: in two sessions.
  ev('i', '2026-11-20T14:00:00Z', 'start'),
  ev('i', '2026-11-20T14:01:00Z', 'start'),
  ev('i2', '2026-11-20T14:00:00Z', 'start'),
  ev('i2', '2026-11-21T14:00:00Z', 'start'),
];
