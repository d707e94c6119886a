/**
 * Compaction: the sealed journals of every window go into the one SQLite
 * file, under the lock (lock.ts), so two windows never write it at once.
 *
 * Safe at every step: the file is replaced atomically (a temporary file,
 * then a rename), and sealed journals are deleted only after that rename.
 * A crash before the rename leaves the old file and the journals; a crash
 * after it leaves journals whose events are stored already, and the store
 * refuses an event whose `uuid` it holds (IngestReport.duplicates), so the
 * next compaction counts nothing twice.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../shared/store/store.ts';
import type { WasmOptions } from '../../shared/store/wasm-options.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { acquireLock } from './lock.ts';
import { listSealed, readJournal } from './journal.ts';

export const DATABASE_FILE = 'footprint.sqlite';
export const LOCK_FILE = 'compaction.lock';
/** Journal lines that were not events, kept for inspection rather than dropped. */
export const UNREADABLE_FILE = 'unreadable-journal-lines.ndjson';
/** Written by "Delete Usage Data": events recorded before this instant are never stored again. */
export const DELETED_BEFORE_FILE = 'deleted-before.json';

const DAY_MS = 86_400_000;

export interface StorageOptions {
  /** The storage folder (the extension's global storage). */
  folder: string;
  /** Shown to the user, after the extension's name (the library prefixes it): a damaged file moved aside, unreadable journal lines. */
  warn(message: string): void;
  /** Where sql.js's wasm comes from (the extension passes the file it ships), or a function that says so when a store first opens. */
  wasm?: WasmOptions | (() => WasmOptions);
  /** Events older than this many days are purged; default 90. */
  retentionDays?: number;
  now?: () => number;
  lockTimeoutMs?: number;
}

/** What one compaction did. */
export interface CompactionReport {
  journals: number;
  ingested: number;
  /** Events already stored (a journal compacted twice after a crash). */
  duplicates: number;
  /** Events refused by validation, or recorded before the last deletion. */
  rejected: number;
  purged: number;
  /** Where a damaged database was moved, when it was. */
  movedAside?: string;
}

/**
 * Opens the database file (an empty store when there is none). A file that
 * is not a Footprint database (damaged, truncated, overwritten) is moved
 * aside, never deleted or replaced in place, and `warn` says where it went;
 * recording continues in a new, empty store.
 */
export async function loadDatabase(options: StorageOptions): Promise<{ store: Store; movedAside?: string }> {
  const path = join(options.folder, DATABASE_FILE);
  const wasm = typeof options.wasm === 'function' ? options.wasm() : options.wasm;
  const base = { ...wasm, ...(options.now ? { now: options.now } : {}) };
  if (!existsSync(path)) return { store: await openStore(base) };
  try {
    return { store: await openStore({ ...base, data: readFileSync(path) }) };
  } catch (error) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = `${path}.damaged-${stamp}`;
    renameSync(path, aside);
    const why = error instanceof Error ? error.message : String(error);
    options.warn(`the usage database could not be read (${why}). It was moved to ${aside}; recording continues in a new database.`);
    return { store: await openStore(base), movedAside: aside };
  }
}

/** The instant before which events were deleted by the user, or 0. */
export function readDeletedBefore(folder: string): number {
  try {
    const value = (JSON.parse(readFileSync(join(folder, DELETED_BEFORE_FILE), 'utf8')) as { before?: unknown }).before;
    return typeof value === 'number' ? value : 0;
  } catch {
    return 0;
  }
}

function timestampOf(event: unknown): number | null {
  const value = (event as { timestamp?: unknown } | null)?.timestamp;
  return typeof value === 'number' ? value : null;
}

/**
 * Compacts every sealed journal into the database, purges events older than
 * `retentionDays`, and writes the file atomically; all under the lock.
 * `apply` (optional) runs on the store before it is saved, under the same
 * lock (the delete command uses it).
 */
export async function compact(options: StorageOptions, apply?: (store: Store) => Promise<void>): Promise<CompactionReport> {
  const release = await acquireLock(join(options.folder, LOCK_FILE), options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs });
  try {
    const { store, movedAside } = await loadDatabase(options);
    try {
      const report: CompactionReport = { journals: 0, ingested: 0, duplicates: 0, rejected: 0, purged: 0 };
      if (movedAside) report.movedAside = movedAside;
      const journals = listSealed(options.folder);
      const deletedBefore = readDeletedBefore(options.folder);
      for (const path of journals) {
        const { events, unreadable } = readJournal(path);
        const kept = events.filter((event) => (timestampOf(event) ?? Infinity) >= deletedBefore);
        report.rejected += events.length - kept.length;
        const ingested = await store.ingest(kept);
        report.ingested += ingested.accepted;
        report.duplicates += ingested.duplicates;
        report.rejected += ingested.rejected.length;
        const problems = [...unreadable.map((u) => ({ file: path, line: u.line, text: u.text, reason: 'not JSON (cut short?)' })), ...ingested.rejected.map((r) => ({ file: path, index: r.index, reason: r.reason }))];
        if (problems.length > 0) {
          const keptIn = join(options.folder, UNREADABLE_FILE);
          appendFileSync(keptIn, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
          options.warn(`${problems.length} line(s) of ${path} were not events and were not stored; they are kept in ${keptIn}.`);
          report.rejected += unreadable.length;
        }
      }
      report.journals = journals.length;
      const retentionDays = options.retentionDays ?? 90;
      const now = (options.now ?? Date.now)();
      report.purged = await store.purgeBefore(now - retentionDays * DAY_MS);
      if (apply) await apply(store);
      const path = join(options.folder, DATABASE_FILE);
      if (report.ingested > 0 || report.purged > 0 || movedAside || apply || !existsSync(path)) writeFileAtomic(path, await store.export());
      // Only now, with the file in place, may the journals go.
      for (const journal of journals) unlinkSync(journal);
      return report;
    } finally {
      await store.close();
    }
  } finally {
    release();
  }
}
