/**
 * The append-only journal of one VS Code window. Every window (each its own
 * extension host process) appends the events it records to its own file, one
 * JSON line per event, written with one synchronous append, so windows never
 * write to the same file and an event is on disk the moment `append`
 * returns. Compaction (compaction.ts) moves journals into the SQLite file.
 *
 *   <storage>/journal/<pid>-<id>.ndjson              the window's active journal
 *   <storage>/journal/<pid>-<id>-<time>-<n>.sealed   closed for writing, waiting for compaction
 *
 * Only the owner seals its active journal (renames it), between two of its
 * own appends, so no append can land in a file being compacted. A journal
 * whose owner process no longer runs (a crashed window) is sealed by whoever
 * compacts next.
 *
 * The same files, in another subfolder, make other per-window queues: the
 * upload outbox (upload.ts) is `<storage>/outbox/`, with the same names.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** An event as the journal holds it: the store's input format (METRICS.md section 1). */
export interface JournalEvent {
  event: string;
  user_id: string;
  /** Epoch milliseconds. */
  timestamp: number;
  session_id?: string;
  /** Unique per event: what keeps compaction from counting an event twice. */
  uuid: string;
  properties?: Record<string, unknown>;
}

const ACTIVE = /^(\d+)-([\w-]+)\.ndjson$/;
const SEALED = /\.sealed$/;

/** The subfolder of the local journals, which compaction reads. */
export const JOURNAL_SUBFOLDER = 'journal';

export function journalFolder(storage: string, subfolder = JOURNAL_SUBFOLDER): string {
  return join(storage, subfolder);
}

/** One window's journal. */
export class Journal {
  /** `<pid>-<random>`: unique per window, and tells others whether its owner still runs. */
  readonly windowId: string;
  private sealCount = 0;

  /**
   * @param subfolder the journal's folder inside `storage`: `journal` (the
   *   local journals, compacted) or another queue's, such as `outbox`.
   */
  constructor(
    readonly storage: string,
    windowId?: string,
    readonly subfolder = JOURNAL_SUBFOLDER,
  ) {
    this.windowId = windowId ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
    if (!ACTIVE.test(`${this.windowId}.ndjson`)) throw new Error(`windowId: must be <pid>-<letters or digits>, got ${JSON.stringify(windowId)}`);
    mkdirSync(this.folder, { recursive: true });
  }

  /** The folder of this kind of journal, every window's. */
  get folder(): string {
    return journalFolder(this.storage, this.subfolder);
  }

  /** The active journal's path. */
  get path(): string {
    return join(this.folder, `${this.windowId}.ndjson`);
  }

  /**
   * Appends one event: one `write` of one line with O_APPEND, which puts the
   * whole line at the end of the file even while other files are written.
   */
  append(event: JournalEvent): void {
    appendFileSync(this.path, `${JSON.stringify(event)}\n`);
  }

  /** Closes the active journal for compaction (a rename); the next append starts a new one. Returns the sealed path, or null when there was nothing. */
  seal(): string | null {
    const sealed = join(this.folder, `${this.windowId}-${Date.now()}-${this.sealCount++}.sealed`);
    try {
      renameSync(this.path, sealed);
      return sealed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Which journals `sealOrphans` looks at, and how it tells a running window. */
export interface OrphanOptions {
  /** Default `journal`. */
  subfolder?: string;
  /** Whether a window's process runs; default: asks the system. */
  alive?: (pid: number) => boolean;
}

/**
 * Whether a window other than `windowId` has an active journal and its
 * process runs: then it is not the last window, and compaction can wait.
 */
export function otherWindowsOpen(storage: string, windowId: string, alive: (pid: number) => boolean = processAlive): boolean {
  return safeList(journalFolder(storage)).some((name) => {
    const match = ACTIVE.exec(name);
    return match !== null && name !== `${windowId}.ndjson` && alive(Number(match[1]));
  });
}

/**
 * Seals the active journals of windows whose process no longer runs (a
 * crash, a killed extension host): their events were written but never
 * compacted (or sent). Returns the sealed paths.
 */
export function sealOrphans(storage: string, options: OrphanOptions = {}): string[] {
  const folder = journalFolder(storage, options.subfolder);
  const alive = options.alive ?? processAlive;
  const sealed: string[] = [];
  for (const name of safeList(folder)) {
    const match = ACTIVE.exec(name);
    if (!match || alive(Number(match[1]))) continue;
    const to = join(folder, `${name.slice(0, -'.ndjson'.length)}-${Date.now()}-orphan.sealed`);
    try {
      renameSync(join(folder, name), to);
      sealed.push(to);
    } catch {
      // another window sealed it first
    }
  }
  return sealed;
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}

/** Every journal file in the subfolder, active or sealed, of every window. */
export function listJournalFiles(storage: string, subfolder = JOURNAL_SUBFOLDER): string[] {
  const folder = journalFolder(storage, subfolder);
  return safeList(folder)
    .filter((name) => ACTIVE.test(name) || SEALED.test(name))
    .map((name) => join(folder, name));
}

/** Sealed journals waiting for compaction (or sending), oldest first. */
export function listSealed(storage: string, subfolder = JOURNAL_SUBFOLDER): string[] {
  const folder = journalFolder(storage, subfolder);
  return safeList(folder)
    .filter((name) => SEALED.test(name))
    .map((name) => join(folder, name))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b));
}

/** What a journal file holds: its events, and the lines that are not events (a line cut short by a crash). */
export interface JournalContents {
  events: unknown[];
  unreadable: { line: number; text: string }[];
}

export function readJournal(path: string): JournalContents {
  const text = readFileSync(path, 'utf8');
  const events: unknown[] = [];
  const unreadable: JournalContents['unreadable'] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch {
      unreadable.push({ line: index + 1, text: line });
    }
  });
  return { events, unreadable };
}
