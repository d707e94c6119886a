/**
 * Seeded, deterministic sample data: product usage events shaped like what a
 * real analytics demo would show (sign-up cohorts, an onboarding funnel,
 * decaying retention, daily and weekly rhythms, sessions (about a fifth of
 * them bounces: a lone page view), features with very different adoption,
 * errors and rage clicks).
 *
 * The demo page, the tests and the benchmark all use it, so the same options
 * must always give exactly the same events: every random draw comes from a
 * small seeded PRNG (shared/sample-random.ts, never `Math.random`), and nothing reads the clock
 * except the default of `end`. The module has no dependencies beyond it and no DOM or
 * Node imports, so it runs in browsers and in Node alike.
 *
 * Each user is simulated on a random stream of its own (derived from the seed
 * and the user's index) and users are generated one after the other, so user
 * `u0007` is the same whatever the number of users: the events of `{ users: 50 }`
 * are exactly those of users u0001..u0050 in `{ users: 2000 }`, uuids included.
 */

import { chance, checkSampleOption, exponential, hex6, intBetween, logUniform, pickOne, pickWeighted, uuidFactory, userRandom, weightedTable, type Random } from './sample-random.ts';

/** Options of {@link generateSampleEvents}; every field is optional. */
export interface SampleDataOptions {
  /** PRNG seed (an integer; reduced to 32 bits); default 42. */
  seed?: number;
  /** Number of users; default 2000. */
  users?: number;
  /**
   * Approximate number of events wanted; when given it overrides `users`
   * (users are added until the total lands within about 10% of this, in
   * practice within one user's events).
   */
  events?: number;
  /** Days of history; default 90. */
  days?: number;
  /**
   * End of the data, epoch ms; default `Date.now()`. The data covers the
   * `days` days ending at this instant, nothing after it.
   */
  end?: number;
}

/** One usage event, as the store ingests it. */
export interface SampleEvent {
  /** Event name: `signup`, a funnel step, a feature name, `$pageview`, `$click` or `$error`. */
  event: string;
  /** User id, e.g. `'u0001'` (1-based, zero-padded to at least four digits). */
  user_id: string;
  /** Epoch milliseconds, UTC (whole milliseconds). */
  timestamp: number;
  /** `<user_id>-s<n>`, e.g. `'u0001-s3'`: the user's n-th visit, counted from 1. */
  session_id: string;
  /** Unique and deterministic: derived from the seed and a counter, formatted like a v4 UUID. */
  uuid: string;
  /** Event properties; absent on events that have none. */
  properties?: Record<string, string | number | boolean>;
}

type Properties = Record<string, string | number | boolean>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A user's visits start at least this long after the previous one ended, so
 * the usual 30-minute inactivity rule splits sessions exactly where the
 * session ids do.
 */
const MIN_VISIT_GAP_MS = 35 * MINUTE_MS;

/**
 * Events of one visit are 2 s to 4 min apart (log-uniform: mostly quick,
 * sometimes a pause to read), far below the 30-minute inactivity rule.
 */
const MIN_EVENT_GAP_MS = 2_000;
const MAX_EVENT_GAP_MS = 4 * MINUTE_MS;

const DEFAULTS = { seed: 42, users: 2000, days: 90 } as const;

// ---------------------------------------------------------------------------
// The product being simulated
// ---------------------------------------------------------------------------

/** A product feature: how many users ever use it, and how often they do then. */
interface FeatureSpec {
  readonly name: string;
  /** Share of users who ever discover it (before the archetype's scaling). */
  readonly adoption: number;
  /** Relative weight among a user's known features when picking what they do. */
  readonly frequency: number;
  readonly properties?: (random: Random) => Properties;
}

const durationMs = (min: number, max: number) => (random: Random): Properties => ({
  duration_ms: Math.round(logUniform(random, min, max)),
});

/**
 * The features, most to least adopted. Adoption spans 0.92 to 0.015 so that
 * adoption charts show a real spread; frequency is independent of adoption
 * (keyboard shortcuts are rare to discover but used a lot once known).
 */
const FEATURE_SPECS: readonly FeatureSpec[] = [
  { name: 'dashboard_viewed', adoption: 0.92, frequency: 10, properties: durationMs(150, 2500) },
  {
    name: 'search_used',
    adoption: 0.74,
    frequency: 6,
    properties: (random) => ({ query_length: intBetween(random, 2, 40) }),
  },
  {
    name: 'filter_applied',
    adoption: 0.66,
    frequency: 6,
    properties: (random) => ({ filter: pickOne(random, ['date_range', 'country', 'browser', 'plan', 'event']) }),
  },
  {
    name: 'chart_created',
    adoption: 0.52,
    frequency: 3,
    properties: (random) => ({ chart_type: pickOne(random, ['line', 'line', 'bar', 'bar', 'pie', 'table']) }),
  },
  { name: 'notification_opened', adoption: 0.47, frequency: 3 },
  { name: 'comment_added', adoption: 0.41, frequency: 3 },
  {
    name: 'settings_changed',
    adoption: 0.36,
    frequency: 1,
    properties: (random) => ({ setting: pickOne(random, ['timezone', 'language', 'email_digest', 'date_format']) }),
  },
  { name: 'report_exported', adoption: 0.31, frequency: 2, properties: durationMs(800, 15_000) },
  { name: 'file_uploaded', adoption: 0.27, frequency: 2, properties: durationMs(300, 8_000) },
  { name: 'share_link_created', adoption: 0.23, frequency: 1.5 },
  {
    name: 'template_used',
    adoption: 0.2,
    frequency: 1.5,
    properties: (random) => ({ template: pickOne(random, ['weekly_kpis', 'funnel', 'retention', 'churn']) }),
  },
  { name: 'keyboard_shortcut_used', adoption: 0.17, frequency: 4 },
  { name: 'export_csv', adoption: 0.14, frequency: 1.5, properties: durationMs(200, 4_000) },
  {
    name: 'dark_mode_toggled',
    adoption: 0.12,
    frequency: 0.3,
    properties: (random) => ({ enabled: chance(random, 0.8) }),
  },
  { name: 'alert_created', adoption: 0.1, frequency: 1 },
  { name: 'team_member_invited', adoption: 0.085, frequency: 0.6 },
  { name: 'billing_viewed', adoption: 0.07, frequency: 0.4 },
  {
    name: 'integration_connected',
    adoption: 0.055,
    frequency: 0.3,
    properties: (random) => ({ integration: pickOne(random, ['slack', 'github', 'jira', 'zapier']) }),
  },
  { name: 'annotation_added', adoption: 0.045, frequency: 1 },
  { name: 'api_key_created', adoption: 0.035, frequency: 0.3 },
  { name: 'webhook_configured', adoption: 0.025, frequency: 0.3 },
  { name: 'sso_enabled', adoption: 0.015, frequency: 0.2 },
];

/** The feature names the generator uses, most to least adopted. */
export const SAMPLE_FEATURES: readonly string[] = Object.freeze(FEATURE_SPECS.map((feature) => feature.name));

/** The funnel after `signup`, in order. */
const FUNNEL_STEPS = ['onboarding_completed', 'project_created', 'invite_sent'] as const;

const PAGE_PATHS = weightedTable<string>([
  ['/dashboard', 30],
  ['/reports', 15],
  ['/projects', 14],
  ['/insights', 9],
  ['/settings', 6],
  ['/alerts', 5],
  ['/team', 4],
  ['/integrations', 3],
  ['/docs', 3],
  ['/billing', 2],
]);

/** Where visits start: mostly the dashboard, sometimes a bookmarked page. */
const LANDING_PATHS = weightedTable<string>([
  ['/dashboard', 70],
  ['/reports', 15],
  ['/projects', 15],
]);

interface Device {
  readonly browser: string;
  readonly os: string;
}

/** Realistic pairs only (no Safari on Windows). */
const DEVICES = weightedTable<Device>([
  [{ browser: 'Chrome', os: 'Windows' }, 28],
  [{ browser: 'Chrome', os: 'macOS' }, 16],
  [{ browser: 'Safari', os: 'macOS' }, 12],
  [{ browser: 'Edge', os: 'Windows' }, 9],
  [{ browser: 'Safari', os: 'iOS' }, 10],
  [{ browser: 'Chrome', os: 'Android' }, 10],
  [{ browser: 'Firefox', os: 'Windows' }, 4],
  [{ browser: 'Firefox', os: 'macOS' }, 4],
  [{ browser: 'Chrome', os: 'Linux' }, 4],
  [{ browser: 'Firefox', os: 'Linux' }, 3],
]);

const PLANS = weightedTable<string>([
  ['free', 70],
  ['pro', 22],
  ['team', 8],
]);

/** Click targets sit at fixed places on the page, so clicks on one target cluster. */
interface ClickTarget {
  readonly target: string;
  readonly x: number;
  readonly y: number;
}

const CLICK_TARGETS: readonly ClickTarget[] = [
  { target: 'a.nav-link', x: 120, y: 64 },
  { target: 'button.primary', x: 1180, y: 96 },
  { target: 'input#search', x: 640, y: 40 },
  { target: 'button#apply-filter', x: 980, y: 180 },
  { target: 'div.chart-canvas', x: 700, y: 420 },
  { target: 'li.menu-item', x: 90, y: 300 },
  { target: 'button#save-report', x: 1240, y: 140 },
  { target: 'button#export-csv', x: 1120, y: 140 },
];

/** The controls users rage-click on: the slow or unresponsive ones. */
const RAGE_TARGETS: readonly ClickTarget[] = CLICK_TARGETS.filter((t) =>
  ['button#save-report', 'button#apply-filter', 'div.chart-canvas', 'button#export-csv'].includes(t.target),
);

/** A handful of error messages; some carry varying numbers or ids, as real ones do. */
const ERROR_KINDS: readonly ((random: Random) => Properties)[] = [
  (random) => ({
    type: 'NetworkError',
    message: `Request failed with status ${pickOne(random, [500, 502, 502, 503, 504])}`,
  }),
  (random) => ({
    type: 'TimeoutError',
    message: `Timeout after ${pickOne(random, [10_000, 30_000])} ms loading report ${hex6(Math.floor(random() * 4_294_967_296))}`,
  }),
  () => ({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'map')" }),
  (random) => ({ type: 'RenderError', message: `Chart render failed: too many series (${intBetween(random, 51, 400)})` }),
  () => ({ type: 'NetworkError', message: 'WebSocket connection closed (code 1006)' }),
];

// ---------------------------------------------------------------------------
// Time of day and week
// ---------------------------------------------------------------------------

/** Relative activity per local hour: working hours, a lunch dip, a quieter evening. */
const HOUR_WEIGHTS = weightedTable<number>(
  [
    0.05, 0.03, 0.02, 0.02, 0.03, 0.06, 0.15, 0.35, 0.7, 0.95, 1, 1, 0.8, 0.9, 1, 1, 0.9, 0.7, 0.5, 0.4, 0.35, 0.3,
    0.2, 0.1,
  ].map((weight, hour) => [hour, weight] as const),
);

/** Relative activity per local weekday, Sunday first: weekends clearly quieter. */
const WEEKDAY_WEIGHTS: readonly number[] = [0.3, 1, 1, 1, 1, 0.95, 0.35];

/** The user's local calendar day (days since 1970-01-01 in their time zone). */
function localDay(timestamp: number, utcOffsetMs: number): number {
  return Math.floor((timestamp + utcOffsetMs) / DAY_MS);
}

/** The UTC instant at which a local day starts. */
function localDayStart(day: number, utcOffsetMs: number): number {
  return day * DAY_MS - utcOffsetMs;
}

/** 0 = Sunday; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function weekdayWeight(day: number): number {
  return WEEKDAY_WEIGHTS[weekdayOf(day)] as number;
}

/** Milliseconds into the local day, following the daily rhythm. */
function pickTimeOfDay(random: Random): number {
  return pickWeighted(random, HOUR_WEIGHTS) * HOUR_MS + Math.floor(random() * HOUR_MS);
}

// ---------------------------------------------------------------------------
// Kinds of users
// ---------------------------------------------------------------------------

type Archetype = 'core' | 'casual' | 'driveBy';

/** How a kind of user behaves; the shares give the retention curve its shape. */
interface ArchetypeSpec {
  readonly share: number;
  /** Days from sign-up until the user churns. */
  readonly lifetimeDays: (random: Random) => number;
  /** Chance of a visit on a weekday while active, before decay. */
  readonly visitChance: (random: Random) => number;
  /** Visits get rarer with age, with this time constant in days. */
  readonly decayDays: number;
  /** Chance of a second visit on a day with a visit. */
  readonly secondVisitChance: number;
  /**
   * Chance that a visit after the sign-up one is a bounce: a single page view
   * and nothing else (a glance at the dashboard, a link opened by mistake).
   */
  readonly bounceChance: number;
  /** Mean number of events per visit beyond the minimum. */
  readonly sessionMean: number;
  readonly sessionMin: number;
  /** Scales feature adoption: engaged users discover more. */
  readonly adoptionScale: number;
  /** Chance of each funnel step, given the previous one. */
  readonly funnel: readonly [number, number, number];
  /** Chance of coming back for a while after churning. */
  readonly resurrectChance: number;
}

const ARCHETYPES: Readonly<Record<Archetype, ArchetypeSpec>> = {
  // The core keeps coming back for weeks, most of them until the end of the data.
  core: {
    share: 0.22,
    lifetimeDays: (random) => 21 + exponential(random, 150),
    visitChance: (random) => 0.4 + 0.4 * random(),
    decayDays: Infinity,
    secondVisitChance: 0.2,
    bounceChance: 0.2,
    sessionMean: 6,
    sessionMin: 4,
    adoptionScale: 1.35,
    funnel: [0.95, 0.88, 0.62],
    resurrectChance: 0,
  },
  // Comes back a few times over a couple of weeks, then churns.
  casual: {
    share: 0.43,
    lifetimeDays: (random) => 2 + exponential(random, 12),
    visitChance: (random) => 0.3 + 0.3 * random(),
    decayDays: 15,
    secondVisitChance: 0.08,
    bounceChance: 0.3,
    sessionMean: 5,
    sessionMin: 3,
    adoptionScale: 0.8,
    funnel: [0.75, 0.72, 0.35],
    resurrectChance: 0.12,
  },
  // Signs up, looks around once or twice, leaves.
  driveBy: {
    share: 0.35,
    lifetimeDays: (random) => exponential(random, 2.5),
    visitChance: () => 0.3,
    decayDays: 5,
    secondVisitChance: 0.03,
    bounceChance: 0.4,
    sessionMean: 4,
    sessionMin: 2,
    adoptionScale: 0.45,
    funnel: [0.5, 0.55, 0.2],
    resurrectChance: 0.1,
  },
};

const ARCHETYPE_TABLE = weightedTable<Archetype>(
  (Object.keys(ARCHETYPES) as Archetype[]).map((name) => [name, ARCHETYPES[name].share] as const),
);

/** Users who hit bugs far more than others: errors concentrate on them. */
const ERROR_PRONE_SHARE = 0.08;

// ---------------------------------------------------------------------------
// Simulation of one user
// ---------------------------------------------------------------------------

/** What all users of one generation share. */
interface GenerationContext {
  readonly start: number;
  readonly end: number;
  readonly seed: number;
  readonly out: SampleEvent[];
  readonly nextUuid: () => string;
}

/** A feature the user will discover at a given time. */
interface Discovery {
  readonly feature: FeatureSpec;
  readonly at: number;
}

/**
 * Picks the sign-up instant: a launch bump (a third of users arrive in the
 * first three weeks) over a steady trickle across the whole range, at a
 * working hour of a (mostly) week day in the user's time zone.
 */
function pickSignupTime(random: Random, start: number, end: number, utcOffsetMs: number): number {
  const span = end - start;
  for (let attempt = 0; attempt < 100; attempt++) {
    const around = chance(random, 0.35)
      ? start + random() * Math.min(21 * DAY_MS, span / 4)
      : start + random() * span;
    const day = localDay(around, utcOffsetMs);
    if (!chance(random, weekdayWeight(day))) continue;
    const at = localDayStart(day, utcOffsetMs) + pickTimeOfDay(random);
    if (at >= start && at <= end) return at;
  }
  return start + Math.floor(random() * span); // very short ranges: anywhere will do
}

/**
 * One user's whole history: a sign-up visit, then day by day a chance of
 * visiting that decays with age until the user churns (or never, for the
 * core), sometimes followed by a short comeback.
 */
class UserSimulation {
  private readonly random: Random;
  private readonly userId: string;
  private readonly spec: ArchetypeSpec;
  private readonly utcOffsetMs: number;
  private readonly device: Device;
  private readonly plan: string;
  private readonly signupAt: number;
  private readonly errorRate: number;
  private readonly rageChance: number;
  private readonly baseVisitChance: number;
  private readonly lifetimeDays: number;
  private readonly comeback: { readonly fromDay: number; readonly toDay: number } | undefined;

  /** Features not discovered yet, soonest first. */
  private readonly discoveries: Discovery[];
  private nextDiscovery = 0;
  /** Features the user knows, with cumulative frequencies for weighted picks. */
  private readonly known: FeatureSpec[] = [];
  private readonly knownCumulative: number[] = [];

  /** How many funnel steps the user will take, and where they stand. */
  private readonly funnelReach: number;
  private funnelDone = 0;
  /** The session number from which the next funnel step may happen. */
  private funnelDueSession = 1;

  private sessionNumber = 0;
  private sessionId = '';
  private lastSessionEnd = -Infinity;
  private currentPath = '/dashboard';
  /** Set once an event would fall after `end`: the user's history stops there. */
  private reachedEnd = false;

  constructor(
    private readonly context: GenerationContext,
    userIndex: number,
  ) {
    const random = (this.random = userRandom(context.seed, userIndex));
    this.userId = `u${String(userIndex + 1).padStart(4, '0')}`;
    this.spec = ARCHETYPES[pickWeighted(random, ARCHETYPE_TABLE)];
    this.utcOffsetMs = intBetween(random, -8, 9) * HOUR_MS;
    this.device = pickWeighted(random, DEVICES);
    this.plan = pickWeighted(random, PLANS);
    this.signupAt = pickSignupTime(random, context.start, context.end, this.utcOffsetMs);

    const errorProne = chance(random, ERROR_PRONE_SHARE);
    this.errorRate = errorProne ? 0.05 : 0.003;
    // Frustrated users (the ones hitting errors) rage-click more.
    this.rageChance = errorProne ? 0.03 : 0.004;

    this.baseVisitChance = this.spec.visitChance(random);
    this.lifetimeDays = this.spec.lifetimeDays(random);
    this.comeback = this.pickComeback();
    this.funnelReach = this.pickFunnelReach();
    this.discoveries = this.pickDiscoveries();
  }

  /** Simulates the user, appending their events to the context's output. */
  run(): void {
    this.runSession(this.signupAt, true);
    const firstDay = localDay(this.signupAt, this.utcOffsetMs);
    const lastDay = Math.min(localDay(this.context.end, this.utcOffsetMs), firstDay + this.lastActiveAge());
    for (let day = firstDay; day <= lastDay && !this.reachedEnd; day++) {
      const visitChance = this.visitChance(day - firstDay) * weekdayWeight(day);
      if (!chance(this.random, visitChance)) continue;
      this.tryVisit(day);
      if (chance(this.random, this.spec.secondVisitChance)) this.tryVisit(day);
    }
  }

  /** A comeback (resurrection) after churning, for some non-core users. */
  private pickComeback(): { fromDay: number; toDay: number } | undefined {
    if (!chance(this.random, this.spec.resurrectChance)) return undefined;
    const fromDay = Math.ceil(this.lifetimeDays + 12 + this.random() * 30);
    return { fromDay, toDay: fromDay + Math.ceil(1 + exponential(this.random, 6)) };
  }

  private pickFunnelReach(): number {
    let reach = 0;
    while (reach < FUNNEL_STEPS.length && chance(this.random, this.spec.funnel[reach] as number)) reach++;
    return reach;
  }

  /**
   * Which features this user will ever use, and when they find each one: the
   * most common ones right away, the others some days into their life.
   */
  private pickDiscoveries(): Discovery[] {
    const discoveries: Discovery[] = [];
    for (const feature of FEATURE_SPECS) {
      const adoption = Math.min(0.98, feature.adoption * this.spec.adoptionScale);
      if (!chance(this.random, adoption)) continue;
      const delay = feature.adoption >= 0.6 ? 0 : exponential(this.random, 4 * DAY_MS);
      discoveries.push({ feature, at: this.signupAt + delay });
    }
    return discoveries.sort((a, b) => a.at - b.at);
  }

  /** The last day of age on which a visit can happen. */
  private lastActiveAge(): number {
    return this.comeback ? this.comeback.toDay : this.lifetimeDays;
  }

  /** Chance of visiting on a weekday `age` days after sign-up. */
  private visitChance(age: number): number {
    if (age <= this.lifetimeDays) {
      // Curiosity right after sign-up, then a slow fade (none for the core).
      const novelty = 1 + 0.6 * Math.exp(-age / 4);
      return Math.min(0.95, this.baseVisitChance * novelty * Math.exp(-age / this.spec.decayDays));
    }
    if (this.comeback && age >= this.comeback.fromDay && age <= this.comeback.toDay) return 0.4;
    return 0;
  }

  /** A visit on a local day, unless it would come too soon after the previous one. */
  private tryVisit(day: number): void {
    const start = localDayStart(day, this.utcOffsetMs) + pickTimeOfDay(this.random);
    if (start < this.lastSessionEnd + MIN_VISIT_GAP_MS || start > this.context.end) return;
    this.runSession(start, false);
  }

  /**
   * One visit: a first event carrying browser and OS (the sign-up itself on the
   * first visit, else a page view), then a few events seconds to minutes apart,
   * unless the visit is a bounce (that page view alone; never the sign-up visit).
   */
  private runSession(start: number, isSignup: boolean): void {
    const random = this.random;
    this.sessionNumber++;
    this.sessionId = `${this.userId}-s${this.sessionNumber}`;
    const device = { browser: this.device.browser, os: this.device.os };
    if (isSignup) {
      this.currentPath = '/welcome';
      this.emit('signup', start, { plan: this.plan, ...device });
    } else {
      this.currentPath = pickWeighted(random, LANDING_PATHS);
      this.emit('$pageview', start, { path: this.currentPath, ...device });
      if (chance(random, this.spec.bounceChance)) {
        this.lastSessionEnd = start;
        return;
      }
    }

    // The sign-up visit is longer: the onboarding tour.
    const length =
      this.spec.sessionMin + Math.floor(exponential(random, this.spec.sessionMean)) + (isSignup ? 4 : 0);
    const rageSlot = chance(random, this.rageChance) ? intBetween(random, 1, Math.max(1, length - 1)) : -1;
    let time = start;
    for (let slot = 1; slot < length; slot++) {
      time += Math.round(logUniform(random, MIN_EVENT_GAP_MS, MAX_EVENT_GAP_MS));
      if (time > this.context.end) {
        this.reachedEnd = true;
        break;
      }
      time = slot === rageSlot ? this.emitRageClicks(time) : this.emitSlot(time);
    }
    this.lastSessionEnd = time;
  }

  /**
   * What happens at one moment of a visit: a due funnel step or newly found
   * feature first (spread over the visit rather than all at once), else an
   * error, a page view, a known feature or a click. Returns the time of the
   * last event emitted.
   */
  private emitSlot(time: number): number {
    const random = this.random;
    if (this.funnelDone < this.funnelReach && this.sessionNumber >= this.funnelDueSession && chance(random, 0.45)) {
      this.emitFunnelStep(time);
      return time;
    }
    const discovery = this.discoveries[this.nextDiscovery];
    if (discovery && discovery.at <= time && chance(random, 0.4)) {
      this.nextDiscovery++;
      this.learn(discovery.feature);
      this.emitFeature(discovery.feature, time);
      return time;
    }
    const roll = random();
    if (roll < this.errorRate) {
      this.emitError(time);
    } else if (roll < 0.3 || (roll < 0.75 && this.known.length === 0)) {
      this.currentPath = pickWeighted(random, PAGE_PATHS);
      this.emit('$pageview', time, { path: this.currentPath });
    } else if (roll < 0.75) {
      this.emitFeature(this.pickKnownFeature(), time);
    } else {
      this.emitClick(time);
    }
    return time;
  }

  /**
   * Takes the next funnel step and schedules the one after: the same visit
   * about half the time (minutes later), else a later visit (hours to days).
   */
  private emitFunnelStep(time: number): void {
    const step = FUNNEL_STEPS[this.funnelDone] as string;
    const properties = step === 'invite_sent' ? { invitees: intBetween(this.random, 1, 4) } : undefined;
    this.emit(step, time, properties);
    this.funnelDone++;
    this.funnelDueSession = chance(this.random, 0.5)
      ? this.sessionNumber
      : this.sessionNumber + 1 + Math.floor(exponential(this.random, 1));
  }

  private learn(feature: FeatureSpec): void {
    const previous = this.knownCumulative[this.knownCumulative.length - 1] ?? 0;
    this.known.push(feature);
    this.knownCumulative.push(previous + feature.frequency);
  }

  private pickKnownFeature(): FeatureSpec {
    const cumulative = this.knownCumulative;
    const target = this.random() * (cumulative[cumulative.length - 1] as number);
    let i = 0;
    while (i < cumulative.length - 1 && (cumulative[i] as number) <= target) i++;
    return this.known[i] as FeatureSpec;
  }

  private emitFeature(feature: FeatureSpec, time: number): void {
    this.emit(feature.name, time, feature.properties?.(this.random));
  }

  private emitError(time: number): void {
    const properties = (ERROR_KINDS[Math.floor(this.random() * ERROR_KINDS.length)] as (r: Random) => Properties)(
      this.random,
    );
    properties.path = this.currentPath;
    this.emit('$error', time, properties);
  }

  /** An ordinary click near the target's place on the page. */
  private emitClick(time: number): void {
    const { target, x, y } = pickOne(this.random, CLICK_TARGETS);
    this.emit('$click', time, {
      target,
      x: x + intBetween(this.random, -20, 20),
      y: y + intBetween(this.random, -8, 8),
    });
  }

  /**
   * A rage-click burst: 3 to 6 clicks on one target within one second, a few
   * pixels apart. Returns the time of the last click.
   */
  private emitRageClicks(time: number): number {
    const random = this.random;
    const { target, x, y } = pickOne(random, RAGE_TARGETS);
    const clicks = intBetween(random, 3, 6);
    for (let i = 0; i < clicks; i++) {
      // At most 5 gaps of at most 190 ms: the whole burst fits in 950 ms.
      if (i > 0) time += intBetween(random, 60, 190);
      if (time > this.context.end) {
        this.reachedEnd = true;
        return time;
      }
      this.emit('$click', time, { target, x: x + intBetween(random, -3, 3), y: y + intBetween(random, -3, 3) });
    }
    return time;
  }

  private emit(event: string, time: number, properties?: Properties): void {
    const user_id = this.userId;
    const timestamp = Math.floor(time);
    const session_id = this.sessionId;
    const uuid = this.context.nextUuid();
    // Literal objects with one fixed key order keep V8's object shapes few.
    this.context.out.push(
      properties
        ? { event, user_id, timestamp, session_id, uuid, properties }
        : { event, user_id, timestamp, session_id, uuid },
    );
  }
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

const checkOption = (name: string, value: number, valid: boolean): void => checkSampleOption('generateSampleEvents', name, value, valid);

/**
 * Generates sample usage events, sorted by timestamp (ties keep generation
 * order). The same options always give exactly the same events; give `end`
 * explicitly for output that does not depend on the clock.
 *
 * Defaults (2000 users, 90 days) give about 135,000 events; all lie in
 * `[end - days * 86_400_000, end]`, and every user's first event is `signup`.
 *
 * @throws RangeError on a non-finite option, negative `users` or `events`, or non-positive `days`.
 */
export function generateSampleEvents(options: SampleDataOptions = {}): SampleEvent[] {
  const seed = options.seed ?? DEFAULTS.seed;
  const users = options.users ?? DEFAULTS.users;
  const days = options.days ?? DEFAULTS.days;
  const end = Math.floor(options.end ?? Date.now());
  checkOption('seed', seed, true);
  checkOption('users', users, users >= 0);
  checkOption('days', days, days > 0);
  checkOption('end', end, true);
  if (options.events !== undefined) checkOption('events', options.events, options.events >= 0);

  const context: GenerationContext = {
    start: end - Math.floor(days * DAY_MS),
    end,
    seed,
    out: [],
    nextUuid: uuidFactory(seed),
  };

  if (options.events !== undefined) {
    // Users' event counts vary a lot (a core user makes dozens of drive-bys'
    // worth), so rather than guess a user count, add users until the next one
    // would probably overshoot more than stopping undershoots.
    const target = options.events;
    for (let i = 0; ; i++) {
      const averagePerUser = i === 0 ? 0 : context.out.length / i;
      if (context.out.length + averagePerUser / 2 >= target) break;
      new UserSimulation(context, i).run();
    }
  } else {
    for (let i = 0; i < Math.floor(users); i++) new UserSimulation(context, i).run();
  }

  // Array.prototype.sort is stable, so equal timestamps keep generation order.
  return context.out.sort((a, b) => a.timestamp - b.timestamp);
}
