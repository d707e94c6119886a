/**
 * The extension's local storage, in its global storage folder: this
 * window's journal, compaction into the shared SQLite file, and the stores
 * the dashboard and the export read.
 *
 * Recording is an append to the journal and nothing else: the SQLite side
 * (compaction, the store, sql.js and its wasm) is loaded when a compaction
 * runs or the dashboard opens (store-side-loader.ts), never at activation.
 */
import { join } from 'node:path';
import type { Store } from '../../shared/store/store.ts';
import { writeFileAtomic } from './atomic-file.ts';
import type { CompactionReport, StorageOptions } from './compaction.ts';
import { loadStoreSide } from './store-side-loader.ts';
import { Journal, otherWindowsOpen, sealOrphans, type JournalEvent } from './journal.ts';
import { Serial } from './serial.ts';

export interface UsageStorageOptions extends StorageOptions {
  /** This window's journal id (`<pid>-<id>`); default a fresh one. */
  windowId?: string;
  /**
   * Compact at most once in this many ms: the first event after a compaction
   * schedules the next one this long after it; default 60,000. 0 leaves
   * compaction to the caller.
   */
  compactAfterMs?: number;
}

export class UsageStorage {
  readonly journal: Journal;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly queue = new Serial();

  constructor(private readonly options: UsageStorageOptions) {
    this.journal = new Journal(options.folder, options.windowId);
  }

  get folder(): string {
    return this.options.folder;
  }

  set retentionDays(days: number) {
    this.options.retentionDays = days;
  }

  /** Puts an event in this window's journal (on disk when this returns), and schedules a compaction unless one is scheduled. */
  record(event: JournalEvent): void {
    this.journal.append(event);
    const delay = this.options.compactAfterMs ?? 60_000;
    if (delay <= 0 || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.compact().catch((error: unknown) => this.options.warn(`compaction failed (${error instanceof Error ? error.message : String(error)}); the events stay in the journal.`));
    }, delay);
    // A pending compaction must not keep a process (a test, a closing host) alive.
    (this.timer as { unref?: () => void }).unref?.();
  }


  /** Seals this window's journal and those of crashed windows, then compacts every sealed journal. */
  compact(apply?: (store: Store) => Promise<void>): Promise<CompactionReport> {
    return this.queue.run(async () => {
      this.journal.seal();
      sealOrphans(this.folder);
      return (await loadStoreSide()).compact(this.options, apply);
    });
  }

  /** A store with everything recorded so far (compacted first), for the dashboard and exports; the caller closes it. */
  async snapshot(): Promise<Store> {
    await this.compact();
    return (await (await loadStoreSide()).loadDatabase(this.options)).store;
  }

  /**
   * Deletes every event recorded until now, in every window: the stored
   * ones, those still in journals, and (through the deleted-before mark)
   * those another window journaled before now and compacts later. Resolves
   * to how many events went.
   */
  async deleteAll(): Promise<number> {
    const before = (this.options.now ?? Date.now)() + 1;
    const { DELETED_BEFORE_FILE } = await loadStoreSide();
    let deleted = 0;
    const report = await this.compact(async (store) => {
      deleted = await store.purgeBefore(before);
      writeFileAtomic(join(this.folder, DELETED_BEFORE_FILE), new TextEncoder().encode(JSON.stringify({ before })));
    });
    return deleted + report.purged;
  }

  /**
   * The window closes: its journal is sealed, and when it is the last window
   * open, everything is compacted; otherwise a remaining window compacts it
   * within a minute of its next event, or when it closes.
   */
  async dispose(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (otherWindowsOpen(this.folder, this.journal.windowId)) {
      await this.queue.run(async () => void this.journal.seal());
      return;
    }
    await this.compact();
  }
}
