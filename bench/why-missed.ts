/**
 * Why a target is missed, by task (`ingest`, `dashboard` or a query task):
 * the results file quotes it next to each missed target. The figures here
 * were measured on 999,982 sample events (bench/config.ts) by timing each
 * statement a query runs, on 29 November 2026; a task not listed here shows
 * "not analysed".
 */

/** What one sort of every event costs, the floor under the session kinds. */
const SORT = 'one sort of 1M rows (GROUP BY user and session_id over every event) takes 1.2 s in sql.js and 0.9 to 1.0 s in native SQLite';

/** The kinds that build sessions from the events of the range. */
const SESSION_KINDS = `sessions are built in SQL from every event of the range (METRICS.md section 3: from the range's events only, so they cannot be kept from ingest as they are: a session that starts before \`from\` is cut there), then grouped; ${SORT}`;

/** The kinds that read the store's daily counts (shared/store/activity.ts). */
const DAILY = 'the daily counts stand in for the events (115,731 user-days for 999,982 events)';

export const WHY_MISSED: Readonly<Record<string, string>> = {
  ingest:
    'of 10 to 11 s for 999,982 events, building the four indexes after the rows takes 4.8 s (2.4 s of it the unique index on the random 36-character uuids), the commit 0.6 s, the daily counts 0.5 s, and validating each event in JavaScript and the prepared multi-row inserts the rest; 1,000,000 events/s would leave 1 µs per event for all of it, while validation alone costs about 2 µs. Native SQLite doing the same work is within 1.4x',
  'trend events': `${DAILY}; under 300 ms, but the ratio to native SQLite sits near 2x (1.9x to 2.1x across runs): wasm against native code on the same statements`,
  'trend users': `${DAILY}; under 300 ms, but the ratio to native SQLite sits near 2x (1.9x to 2.1x across runs): wasm against native code on the same statements`,
  events: 'under 300 ms, but the ratio to native SQLite sits near 2x (1.9x to 2.0x across runs): wasm against native code on the same statements',
  'trend wau': `${DAILY}; the distinct active user-days are sorted once, and the trailing windows laid out from them in JavaScript`,
  'trend mau': `${DAILY}; the distinct active user-days are sorted once, and the trailing windows laid out from them in JavaScript`,
  lifecycle: `${DAILY}; the distinct active user-periods are sorted once, and the first event ever is looked up in the user index for each user who may be new`,
  retention: `${DAILY}; each user's cohort and return periods are paired in JavaScript (1,355,686 pairs for 90 daily cohorts)`,
  adoption: "time to adopt needs each adopter's first use to the millisecond, so the uses of every feature (every event of the range but the tracker's `$` events) are read from the events, grouped per feature and user; only the per-period series reads the daily counts",
  errors: `${SESSION_KINDS}; the events and errors per day come from the daily counts`,
  sessions: SESSION_KINDS,
  paths: `${SESSION_KINDS}; the kept events are then sorted once more, in session order, and read into JavaScript, which collapses repeats and numbers the steps`,
  friction: `${SESSION_KINDS}; then clicks and every other event are sorted again per session and key to keep those with a neighbour near enough to be in a burst, and JavaScript walks the bursts: native SQLite needs 3.5 s for the same statements`,
  segments: `${SESSION_KINDS}; it runs the friction and funnel-abandonment work too (see friction), and counts events per user`,
  dashboard:
    "its 14 widgets' queries run one after another in the one store worker, so the time is their sum: friction (about 6 s) and the other session kinds (sessions, errors and paths, about 6 s together) make most of it, adoption about a second; the kinds that read the daily counts take under a second together. A second worker would share the 2 cores but need a second copy of the database in memory (about 200 MB at 1M events); within 2 s needs the session kinds an order of magnitude faster",
};
