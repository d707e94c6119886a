import { quote } from '../shared/errors.ts';
import { isTimeZone } from '../shared/time/zone.ts';
import { normalizeOrigin } from './http/cors.ts';
import type { ProjectSettings } from './options.ts';
import type { IngestReport } from '../shared/store/store.ts';
import type { ProjectStorage, ProjectStore } from './storage/project-store.ts';

/** Checks a project's settings, naming the wrong field. */
export function checkSettings(settings: ProjectSettings, where: string): ProjectSettings {
  const { origins, retentionDays, timezone, weekStart, minGroupSize } = settings;
  if (origins !== undefined && origins !== '*' && !(Array.isArray(origins) && origins.every((o) => typeof o === 'string' && normalizeOrigin(o) !== null))) {
    throw new Error(`${where}.origins: must be '*' or a list of origins like "https://shop.example.com", got ${quote(origins)}`);
  }
  if (retentionDays !== undefined && !(Number.isInteger(retentionDays) && retentionDays >= 1)) {
    throw new Error(`${where}.retentionDays: must be a whole number of days, at least 1, got ${quote(retentionDays)}`);
  }
  if (timezone !== undefined && !isTimeZone(timezone)) throw new Error(`${where}.timezone: not an IANA time zone: ${quote(timezone)}`);
  if (weekStart !== undefined && weekStart !== 'monday' && weekStart !== 'sunday') throw new Error(`${where}.weekStart: must be monday or sunday, got ${quote(weekStart)}`);
  if (minGroupSize !== undefined && !(Number.isInteger(minGroupSize) && minGroupSize >= 1)) {
    throw new Error(`${where}.minGroupSize: must be a whole number of at least 1, got ${quote(minGroupSize)}`);
  }
  return settings;
}

/** Answers kept per project; past this many the oldest goes. */
const CACHED_RESULTS = 500;
/**
 * How long a cached answer may be given. Answers depend on the clock as
 * well as on the data (the default `to` is today, the last period is marked
 * incomplete until it ends), so the cache forgets them after a minute even
 * when no event arrived.
 */
const CACHE_MS = 60_000;

/**
 * Events one transaction takes at most when batches are gathered: a gathered
 * write answers each of its requests only when all of it is committed.
 */
const MAX_GATHERED_EVENTS = 5_000;

/** A batch waiting for the next write. */
interface Waiting {
  records: readonly unknown[];
  resolve(report: IngestReport): void;
  reject(error: unknown): void;
}

interface Project {
  store: Promise<ProjectStore>;
  /** Batches that arrived while a write ran: the next write takes them together. */
  waiting: Waiting[];
  writing: boolean;
  /** Bumped by every change to the project's events. */
  version: number;
  results: Map<string, { version: number; at: number; result: unknown }>;
  listeners: Set<(version: number) => void>;
}

/**
 * The projects of a storage (by default the data folder's SQLite files,
 * `<data>/projects/<name>.sqlite`): each one's store, opened on first use,
 * its data version, its cached answers and who listens for its changes.
 */
export class Projects {
  private readonly projects = new Map<string, Project>();

  constructor(
    private readonly storage: ProjectStorage,
    private readonly settingsOf: (project: string) => ProjectSettings,
    private readonly now: () => number,
  ) {}

  private project(name: string): Project {
    let project = this.projects.get(name);
    if (!project) {
      const store = this.storage.open(name, this.settingsOf(name));
      project = { store, waiting: [], writing: false, version: 0, results: new Map(), listeners: new Set() };
      this.projects.set(name, project);
      // A store that failed to open is not kept: the next request tries again and gets the error again.
      store.catch(() => this.projects.delete(name));
    }
    return project;
  }

  /** The project's store, opened (and its file created) on first use. */
  store(name: string): Promise<ProjectStore> {
    return this.project(name).store;
  }

  /**
   * Stores a batch of events and resolves to its report once committed.
   * Batches that arrive while a write runs wait and then go together in one
   * transaction (a group commit), each with its own report: one commit per
   * batch was most of the cost of taking events in.
   */
  ingest(name: string, records: readonly unknown[]): Promise<IngestReport> {
    const project = this.project(name);
    return new Promise<IngestReport>((resolve, reject) => {
      project.waiting.push({ records, resolve, reject });
      if (!project.writing) void this.write(project);
    });
  }

  private async write(project: Project): Promise<void> {
    project.writing = true;
    try {
      const store = await project.store;
      // Lets the requests already read in this turn of the event loop join the first write.
      await new Promise((resolve) => setImmediate(resolve));
      while (project.waiting.length > 0) {
        let events = 0;
        let count = 0;
        while (count < project.waiting.length && (count === 0 || events + project.waiting[count]!.records.length <= MAX_GATHERED_EVENTS)) {
          events += project.waiting[count]!.records.length;
          count++;
        }
        const batch = project.waiting.splice(0, count);
        try {
          const reports = await store.ingestGroups(batch.map((waiting) => waiting.records));
          batch.forEach((waiting, i) => waiting.resolve(reports[i]!));
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } catch (error) {
      // The store did not open: every waiting batch fails with its error.
      for (const waiting of project.waiting.splice(0)) waiting.reject(error);
    } finally {
      project.writing = false;
    }
  }

  version(name: string): number {
    return this.project(name).version;
  }

  /** Says the project's events changed: its cached answers go and its listeners hear the new version. */
  changed(name: string): void {
    const project = this.project(name);
    project.version++;
    project.results.clear();
    for (const listener of project.listeners) listener(project.version);
  }

  /**
   * The answer for `key` (a spec and the lock it ran under, as text) from
   * the cache when the data has not changed since and it is recent, or
   * from `compute`, which is then cached.
   */
  async cached(name: string, key: string, compute: () => Promise<unknown>): Promise<{ result: unknown; cached: boolean }> {
    const project = this.project(name);
    const hit = project.results.get(key);
    if (hit && hit.version === project.version && this.now() - hit.at < CACHE_MS) return { result: hit.result, cached: true };
    const version = project.version;
    const at = this.now();
    const result = await compute();
    // An answer computed while events arrived may already be stale: kept only when the version did not move.
    if (project.version === version) {
      if (project.results.size >= CACHED_RESULTS) project.results.delete(project.results.keys().next().value!);
      project.results.set(key, { version, at, result });
    }
    return { result, cached: false };
  }

  /** Calls `listener` with the new version whenever the project's events change; returns what stops it. */
  listen(name: string, listener: (version: number) => void): () => void {
    const project = this.project(name);
    project.listeners.add(listener);
    return () => project.listeners.delete(listener);
  }

  /** The projects opened so far. */
  opened(): string[] {
    return [...this.projects.keys()];
  }

  /** The projects that may hold events, whether opened yet or not (the retention purge visits them). */
  names(): Promise<string[]> {
    return this.storage.names();
  }

  /** Checkpoints and closes every store, then the storage. */
  async close(): Promise<void> {
    const stores = [...this.projects.values()].map((p) => p.store);
    this.projects.clear();
    for (const opening of stores) {
      const store = await opening.catch(() => null);
      if (!store) continue;
      await store.checkpoint?.();
      await store.close();
    }
    await this.storage.close();
  }
}
