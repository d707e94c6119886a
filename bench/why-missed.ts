/**
 * Why a target is missed, by task (`ingest`, `dashboard` or a query task):
 * the results file quotes it next to each missed target. The figures here
 * were measured on 999,982 sample events (bench/config.ts) by timing each
 * statement a query runs, on 29 November 2026; a task not listed here shows
 * "not analysed".
 */

/** What one sort of every event costs, the floor under every kind below. */
const SORT =
  'one sort of 1M rows (GROUP BY user and session_id over every event) takes 1.2 s in sql.js and 0.9 to 1.0 s in native SQLite';

/** The kinds that place every event of the range in a period and aggregate it in SQL. */
const PER_EVENT =
  `every event of the range is read through the time index (with a table lookup for its user and name), placed in its period and grouped by a sort; ${SORT}. Under 300 ms needs rows pre-aggregated per user and day at ingest (115,731 user-days for these 999,982 events, 8.6x fewer rows), which the store does not keep yet. The ratio to native SQLite is wasm against native code on the same statements`;

/** The kinds that build sessions from the events of the range. */
const SESSION_KINDS =
  `sessions are built in SQL from every event of the range (METRICS.md: from the range's events only, so they cannot be kept from ingest as they are: a session that starts before \`from\` is cut there), then grouped; ${SORT}`;

export const WHY_MISSED: Readonly<Record<string, string>> = {
  ingest:
    'of the 11.6 s that 999,982 events take with nothing else running, building the four indexes after the rows takes 4.8 s (2.4 s of it the unique index on the random 36-character uuids), the commit 0.6 s, and validating each event in JavaScript and the prepared multi-row inserts the rest; 1,000,000 events/s would leave 1 µs per event for all of it, while validation alone costs about 2 µs',
  'trend events': PER_EVENT,
  'trend users': PER_EVENT,
  'trend wau': `${PER_EVENT}; the trailing windows then cost one more pass over the active user-days`,
  'trend mau': `${PER_EVENT}; the trailing windows then cost one more pass over the active user-days`,
  stickiness: PER_EVENT,
  lifecycle: `${PER_EVENT}; and per active user the first event ever, read from the user index`,
  retention: `${PER_EVENT}; cohorts and returns are two such passes`,
  adoption: `${PER_EVENT}; per feature, also each adopter's first use and first event ever`,
  errors: `${SESSION_KINDS}; and the events per day for the error rate`,
  funnel: 'the step events of the range (most of them signups and invites) are read into JavaScript, where attempts are matched; moving the rows out of wasm is the cost over native SQLite',
  sessions: SESSION_KINDS,
  paths: `${SESSION_KINDS}; then the events are sorted again in session order to collapse repeats and number the steps (three sorts of 1M rows in all)`,
  friction: `${SESSION_KINDS}; then clicks and every other event are sorted again per session and key to find bursts`,
  segments: `${SESSION_KINDS}; it runs the friction and funnel-abandonment work too, and counts events per user`,
  dashboard:
    "its 14 widgets' queries run one after another in the one store worker, so the time is their sum, about half of it paths and friction (see those rows). Two workers would share the 2 cores but need two copies of the database in memory (about 200 MB each at 1M events); within 2 s needs the per-day and per-session work above done at ingest",
};
