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

/** The kinds that read the store's daily counts (shared/store/activity.ts) but still sort them more than once. */
const DAILY = 'the daily counts stand in for the events (115,731 user-days for 999,982 events)';

export const WHY_MISSED: Readonly<Record<string, string>> = {
  ingest:
    'of 10 to 11 s for 999,982 events, building the four indexes after the rows takes 4.8 s (2.4 s of it the unique index on the random 36-character uuids), the commit 0.6 s, the daily counts 0.5 s, and validating each event in JavaScript and the prepared multi-row inserts the rest; 1,000,000 events/s would leave 1 µs per event for all of it, while validation alone costs about 2 µs. Native SQLite doing the same work is within 1.4x',
  'trend wau': `${DAILY}, but each day's trailing window needs the distinct users of each day and a running count of per-user spans: three sorts of the user-days (in native SQLite too, 0.23 to 0.27 s)`,
  'trend mau': `${DAILY}, but each day's trailing window needs the distinct users of each day and a running count of per-user spans: three sorts of the user-days (in native SQLite too, 0.23 to 0.27 s)`,
  lifecycle: `${DAILY}; each active user of each period then looks up the previous period's activity and, when absent, the first event ever in the user index: about 0.5 s in sql.js and 0.3 s native`,
  retention: `${DAILY}, but 90 daily cohorts pair every member with each later active day of the same user (1,355,686 pairs), grouped by cohort and day in a sort; native SQLite takes 0.8 s`,
  adoption: "time to adopt needs each adopter's first use to the millisecond, so the uses of every feature (every event of the range but the tracker's `$` events) are read from the events, grouped per feature and user; only the per-period series reads the daily counts",
  errors: `${SESSION_KINDS}; the events and errors per day come from the daily counts`,
  sessions: SESSION_KINDS,
  paths: `${SESSION_KINDS}; the kept events are then sorted once more, in session order, and read into JavaScript, which collapses repeats and numbers the steps`,
  friction: `${SESSION_KINDS}; then clicks and every other event are sorted again per session and key to keep those with a neighbour near enough to be in a burst, and JavaScript walks the bursts: native SQLite needs 3.5 s for the same statements`,
  segments: `${SESSION_KINDS}; it runs the friction and funnel-abandonment work too (see friction), and counts events per user`,
  dashboard:
    "its 14 widgets' queries run one after another in the one store worker, so the time is their sum: friction alone is about half of it, the other session kinds (sessions, errors, paths) and adoption most of the rest; the kinds that read the daily counts take well under a second together. A second worker would share the 2 cores but need a second copy of the database in memory (about 200 MB at 1M events); within 2 s needs the session kinds an order of magnitude faster",
};
