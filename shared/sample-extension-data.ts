/**
 * Seeded, deterministic sample data of a VS Code extension's users, in the
 * format `footprint/vscode` records: a made-up extension, "Word Count",
 * installed on about 400 machines over the last 90 days. It is what the
 * extension's author sees on their Footprint server (the demo's "Extension
 * authors" view).
 *
 * Every event carries the installation's id as `user_id` (`inst_` and 22
 * base64url characters, never VS Code's machine id), a session id per window,
 * and the properties `extension_version`, `vscode_version` and `platform`,
 * nothing else identifying. Event names are the library's: each command run
 * under its command id with `{ command, duration_ms, success }`, `$error`
 * with `{ name, message, stack, command? }` (paths already scrubbed to
 * `<path>`), `session.start` when the extension activates in a window and
 * `session.end` with `duration_ms` when the window closes.
 *
 * What the data tells: version 1.1.0 broke `wordCount.countSelection` (a
 * third of its runs fail with a TypeError) until 1.2.0 fixed it; most
 * installations update within days of a release, some much later; commands
 * are found at very different rates and times; a core of daily users and
 * many who try it once.
 *
 * Like shared/sample-data.ts: the same options always give the same events
 * (seeded PRNG, no clock but the default of `end`); installation `i` is the
 * same whatever the number of installations (its own random stream); no DOM
 * or Node imports.
 */
import { chance, checkSampleOption, exponential, logUniform, pickWeighted, uuidFactory, userRandom, weightedTable, type Random } from './sample-random.ts';

/** Options of {@link generateExtensionSampleEvents}; every field is optional. */
export interface ExtensionSampleOptions {
  /** PRNG seed (an integer; reduced to 32 bits); default 14. */
  seed?: number;
  /** Number of installations; default 400. */
  installations?: number;
  /** Days of history; default 90. */
  days?: number;
  /** End of the data, epoch ms; default `Date.now()`. The data covers the `days` days ending at this instant. */
  end?: number;
}

/** The properties every event of the library carries. */
export const EXTENSION_COMMON_PROPERTIES = ['extension_version', 'vscode_version', 'platform'] as const;

/** One event as `footprint/vscode` records it, ready for the store's ingest. */
export interface ExtensionSampleEvent {
  /** A command id (`wordCount.countWords`), `session.start`, `session.end` or `$error`. */
  event: string;
  /** The installation's id: `inst_` and 22 base64url characters. */
  user_id: string;
  /** Epoch milliseconds, UTC. */
  timestamp: number;
  /** One per window the extension ran in, formatted like a v4 uuid. */
  session_id: string;
  /** Unique and deterministic, formatted like a v4 uuid. */
  uuid: string;
  /** The event's own properties and the three of {@link EXTENSION_COMMON_PROPERTIES}. */
  properties: Record<string, string | number | boolean>;
}

/** Word Count's commands, most to least adopted. */
export const WORD_COUNT_COMMANDS = ['wordCount.countWords', 'wordCount.showStatistics', 'wordCount.countSelection', 'wordCount.toggleStatusBar'] as const;

/** Word Count's versions, oldest first. */
export const WORD_COUNT_VERSIONS = ['1.0.0', '1.1.0', '1.2.0'] as const;

type Properties = Record<string, string | number | boolean>;
type Command = (typeof WORD_COUNT_COMMANDS)[number];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const DEFAULTS = { seed: 14, installations: 400, days: 90 } as const;

/** A release: a version and how many days before `end` it came out. */
interface Release {
  readonly version: string;
  readonly daysBeforeEnd: number;
}

/** 1.1.0 brings the bug, 1.2.0 fixes it. */
const EXTENSION_RELEASES: readonly Release[] = [
  { version: '1.0.0', daysBeforeEnd: Infinity },
  { version: '1.1.0', daysBeforeEnd: 58 },
  { version: '1.2.0', daysBeforeEnd: 24 },
];

/** VS Code's monthly releases, as an installation's VS Code updates through them. */
const VSCODE_RELEASES: readonly Release[] = [
  { version: '1.103.2', daysBeforeEnd: Infinity },
  { version: '1.104.3', daysBeforeEnd: 84 },
  { version: '1.105.1', daysBeforeEnd: 53 },
  { version: '1.106.3', daysBeforeEnd: 21 },
];

/** Machines whose VS Code never updates (managed, or updates turned off). */
const PINNED_VSCODE = weightedTable<string>([
  ['1.96.4', 2],
  ['1.99.3', 3],
]);

const PLATFORMS = weightedTable<string>([
  ['win32', 46],
  ['darwin', 34],
  ['linux', 20],
]);

/** Hours from UTC of the installations' machines. */
const UTC_OFFSETS = weightedTable<number>([
  [-8, 10],
  [-5, 14],
  [-3, 4],
  [0, 8],
  [1, 22],
  [2, 8],
  [5.5, 12],
  [8, 12],
  [9, 6],
]);

/** Relative chance of a window opening per local hour: a developer's working day, some evenings. */
const OPEN_HOURS = weightedTable<number>(
  [0.05, 0.02, 0.02, 0.02, 0.02, 0.05, 0.15, 0.4, 0.8, 1, 1, 0.9, 0.6, 0.8, 1, 1, 0.9, 0.7, 0.5, 0.45, 0.45, 0.4, 0.25, 0.1].map(
    (weight, hour) => [hour, weight] as const,
  ),
);

/** Chance of using the editor on a local weekday, Sunday first, relative to a working day. */
const WEEKDAY_FACTOR: readonly number[] = [0.35, 1, 1, 1, 1, 0.9, 0.35];

/** How an installation's owner uses the extension. */
interface Habit {
  /** Days from installation until it stops being used (uninstalled, or left alone). */
  readonly lifetimeDays: (random: Random) => number;
  /** Chance of a day with the extension active, on a working day. */
  readonly dayChance: number;
  /** Mean commands run per window. */
  readonly commandsPerWindow: number;
}

/** A core of daily users, occasional ones, and many who try it for a few days. */
const HABITS = weightedTable<Habit>([
  [{ lifetimeDays: (random) => 30 + exponential(random, 400), dayChance: 0.75, commandsPerWindow: 3 }, 0.3],
  [{ lifetimeDays: (random) => 5 + exponential(random, 35), dayChance: 0.4, commandsPerWindow: 2 }, 0.35],
  [{ lifetimeDays: (random) => exponential(random, 3), dayChance: 0.5, commandsPerWindow: 1.5 }, 0.35],
]);

/** A command: how many installations ever find it, how soon, how often they run it then, and how long it takes. */
interface CommandSpec {
  readonly id: Command;
  readonly adoption: number;
  /** Mean days from installation to finding it. */
  readonly findDays: number;
  readonly frequency: number;
  readonly durationMs: readonly [number, number];
}

const COMMAND_SPECS: readonly CommandSpec[] = [
  { id: 'wordCount.countWords', adoption: 0.8, findDays: 0.3, frequency: 5, durationMs: [2, 80] },
  { id: 'wordCount.showStatistics', adoption: 0.48, findDays: 5, frequency: 2, durationMs: [20, 450] },
  { id: 'wordCount.countSelection', adoption: 0.36, findDays: 9, frequency: 3, durationMs: [1, 20] },
  { id: 'wordCount.toggleStatusBar', adoption: 0.14, findDays: 14, frequency: 0.6, durationMs: [1, 4] },
];

/** An error as the library records it (message and stack scrubbed: paths are `<path>`). */
interface ErrorSpec {
  readonly name: string;
  readonly message: string;
  /** Stack frames below the first line. */
  readonly frames: readonly string[];
}

const SELECTION_BUG: ErrorSpec = {
  name: 'TypeError',
  message: "Cannot read properties of undefined (reading 'text')",
  frames: ['countSelection (<path>:2:14501)', 'Array.map (<anonymous>)', 'Object.run (<path>:2:14377)'],
};

/** Rare failures, in any version. */
const RARE_ERRORS: Readonly<Record<Command, ErrorSpec>> = {
  'wordCount.countWords': { name: 'RangeError', message: 'Invalid string length', frames: ['splitWords (<path>:2:9112)', 'Object.run (<path>:2:10240)'] },
  'wordCount.showStatistics': { name: 'Error', message: 'Webview is disposed', frames: ['StatisticsPanel.update (<path>:2:20318)', 'Object.run (<path>:2:19873)'] },
  'wordCount.countSelection': { name: 'Error', message: 'No active text editor', frames: ['Object.run (<path>:2:14377)'] },
  'wordCount.toggleStatusBar': {
    name: 'Error',
    message: "Unable to write to User Settings because wordCount.statusBar is not a registered configuration",
    frames: ['Object.run (<path>:2:3307)'],
  },
};

/** An error outside any command: the status bar's count on a document that closed under it. */
const STATUS_BAR_ERROR: ErrorSpec = {
  name: 'Error',
  message: 'TextDocument is closed',
  frames: ['StatusBarCounter.refresh (<path>:2:4410)', 'Timeout._onTimeout (<path>:2:4102)'],
};

/** Chance that a command fails: 1.1.0's bug in countSelection, rare failures everywhere. */
function failureChance(command: Command, version: string): number {
  if (version === '1.1.0' && command === 'wordCount.countSelection') return 0.34;
  if (version === '1.1.0' && command === 'wordCount.showStatistics') return 0.03;
  return 0.006;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `inst_` and 22 base64url characters (132 bits), as `installationIdOf` gives. */
function installationId(random: Random): string {
  let id = 'inst_';
  for (let i = 0; i < 22; i++) id += BASE64URL[Math.floor(random() * 64)];
  return id;
}

/** A random v4-formatted uuid from the stream: a window's session id. */
function sessionUuid(random: Random): string {
  const hex = (digits: number): string => {
    let out = '';
    for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}

/** When an installation moves to each release: `at[k]` for release k (0 for the first, Infinity never). */
function upgradeTimes(random: Random, releases: readonly Release[], end: number, installedAt: number, meanDelayDays: number): number[] {
  return releases.map((release, k) => {
    if (k === 0) return -Infinity;
    const out = end - release.daysBeforeEnd * DAY_MS;
    return installedAt >= out ? installedAt : out + exponential(random, meanDelayDays) * DAY_MS;
  });
}

/** The version in use at `time`: the newest release whose upgrade time has passed. */
function versionAt(releases: readonly Release[], upgrades: readonly number[], time: number): string {
  let k = 0;
  for (let i = 0; i < upgrades.length; i++) if ((upgrades[i] as number) <= time) k = i;
  return (releases[k] as Release).version;
}

/** What all installations of one generation share. */
interface Generation {
  readonly start: number;
  readonly end: number;
  readonly out: ExtensionSampleEvent[];
  readonly nextUuid: () => string;
}

/** One installation's whole history in the range. */
function simulateInstallation(generation: Generation, random: Random): void {
  const { start, end } = generation;
  const span = end - start;
  const userId = installationId(random);
  const platform = pickWeighted(random, PLATFORMS);
  const offsetMs = pickWeighted(random, UTC_OFFSETS) * HOUR_MS;
  const habit = pickWeighted(random, HABITS);
  // A quarter was installed before the range and is still used at its start; the rest arrive at a growing rate.
  const before = chance(random, 0.25);
  const installedAt = before ? start - random() * 120 * DAY_MS : start + Math.sqrt(random()) * span;
  const lastUse = (before ? start : installedAt) + habit.lifetimeDays(random) * DAY_MS;
  const autoUpdates = chance(random, 0.88);
  const extensionUpgrades = upgradeTimes(random, EXTENSION_RELEASES, end, installedAt, autoUpdates ? 1.5 : 35);
  const pinned = chance(random, 0.07) ? pickWeighted(random, PINNED_VSCODE) : undefined;
  const vscodeUpgrades = upgradeTimes(random, VSCODE_RELEASES, end, installedAt, 5);
  const found = COMMAND_SPECS.map((spec) => (chance(random, spec.adoption) ? installedAt + exponential(random, spec.findDays) * DAY_MS : Infinity));

  const emit = (event: string, time: number, sessionId: string, properties: Properties): void => {
    generation.out.push({
      event,
      user_id: userId,
      timestamp: Math.floor(time),
      session_id: sessionId,
      uuid: generation.nextUuid(),
      properties: {
        ...properties,
        extension_version: versionAt(EXTENSION_RELEASES, extensionUpgrades, time),
        vscode_version: pinned ?? versionAt(VSCODE_RELEASES, vscodeUpgrades, time),
        platform,
      },
    });
  };
  const emitError = (time: number, sessionId: string, error: ErrorSpec, command?: Command): void => {
    const stack = [`${error.name}: ${error.message}`, ...error.frames.map((frame) => `    at ${frame}`)].join('\n');
    emit('$error', time, sessionId, command ? { name: error.name, message: error.message, stack, command } : { name: error.name, message: error.message, stack });
  };
  /** Commands found by `time` and not yet run, which the next window runs first. */
  const unused = new Set<number>();
  const known: number[] = [];

  const firstDay = Math.floor((Math.max(start, installedAt) + offsetMs) / DAY_MS);
  const lastDay = Math.floor((Math.min(end, lastUse) + offsetMs) / DAY_MS);
  for (let day = firstDay; day <= lastDay; day++) {
    const dayStart = day * DAY_MS - offsetMs;
    const isInstallDay = installedAt >= dayStart && installedAt < dayStart + DAY_MS;
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (!isInstallDay && !chance(random, habit.dayChance * (WEEKDAY_FACTOR[weekday] as number))) continue;
    const windows = chance(random, 0.3) ? (chance(random, 0.25) ? 3 : 2) : 1;
    const opens: number[] = [];
    for (let w = 0; w < windows; w++) {
      opens.push(isInstallDay && w === 0 ? installedAt : dayStart + pickWeighted(random, OPEN_HOURS) * HOUR_MS + random() * HOUR_MS);
    }
    opens.sort((a, b) => a - b);
    for (const open of opens) {
      if (open < start || open > end || open < installedAt) continue;
      const sessionId = sessionUuid(random);
      const close = open + logUniform(random, 4 * MINUTE_MS, 7 * HOUR_MS);
      emit('session.start', open, sessionId, {});
      found.forEach((at, i) => {
        if (at <= open && !known.includes(i)) {
          known.push(i);
          unused.add(i);
        }
      });
      const runs = known.length === 0 ? 0 : Math.max(unused.size, Math.round(exponential(random, habit.commandsPerWindow)));
      const times = Array.from({ length: runs }, () => open + 2_000 + random() * (close - open - 4_000)).sort((a, b) => a - b);
      for (const time of times) {
        if (time > end) break;
        const index = unused.size > 0 ? (unused.values().next().value as number) : pickKnown(random, known);
        unused.delete(index);
        const spec = COMMAND_SPECS[index] as CommandSpec;
        const failed = chance(random, failureChance(spec.id, versionAt(EXTENSION_RELEASES, extensionUpgrades, time)));
        const duration = Math.round(logUniform(random, spec.durationMs[0], spec.durationMs[1]) * (failed ? 0.5 : 1));
        emit(spec.id, time, sessionId, { command: spec.id, duration_ms: duration, success: !failed });
        if (failed && time + 1 <= end) {
          const bug = spec.id === 'wordCount.countSelection' && versionAt(EXTENSION_RELEASES, extensionUpgrades, time) === '1.1.0';
          emitError(time + 1, sessionId, bug ? SELECTION_BUG : RARE_ERRORS[spec.id], spec.id);
        }
      }
      if (chance(random, 0.01)) {
        const at = open + random() * (close - open);
        if (at <= end) emitError(at, sessionId, STATUS_BAR_ERROR);
      }
      // A window still open at the end of the data has not ended yet.
      if (close <= end) emit('session.end', close, sessionId, { duration_ms: Math.round(close - open) });
    }
  }
}

/** A known command, by its frequency. */
function pickKnown(random: Random, known: readonly number[]): number {
  const total = known.reduce((sum, i) => sum + (COMMAND_SPECS[i] as CommandSpec).frequency, 0);
  let target = random() * total;
  for (const i of known) {
    target -= (COMMAND_SPECS[i] as CommandSpec).frequency;
    if (target < 0) return i;
  }
  return known[known.length - 1] as number;
}

const checkOption = (name: string, value: number, valid: boolean): void => checkSampleOption('generateExtensionSampleEvents', name, value, valid);

/**
 * Generates the events of "Word Count"'s installations over `days` days
 * ending at `end`, sorted by timestamp. The defaults (400 installations,
 * 90 days) give some tens of thousands of events.
 *
 * @throws RangeError on a non-finite option, negative `installations`, or non-positive `days`.
 */
export function generateExtensionSampleEvents(options: ExtensionSampleOptions = {}): ExtensionSampleEvent[] {
  const seed = options.seed ?? DEFAULTS.seed;
  const installations = options.installations ?? DEFAULTS.installations;
  const days = options.days ?? DEFAULTS.days;
  const end = Math.floor(options.end ?? Date.now());
  checkOption('seed', seed, true);
  checkOption('installations', installations, installations >= 0);
  checkOption('days', days, days > 0);
  checkOption('end', end, true);
  const generation: Generation = { start: end - Math.floor(days * DAY_MS), end, out: [], nextUuid: uuidFactory(seed ^ 0x77c0) };
  for (let i = 0; i < Math.floor(installations); i++) simulateInstallation(generation, userRandom(seed ^ 0x77c0, i));
  // Array.prototype.sort is stable, so equal timestamps keep generation order.
  return generation.out.sort((a, b) => a.timestamp - b.timestamp);
}
