/**
 * The outbox: events to send to the author's server, kept as journals
 * (journal.ts) in `<storage>/outbox/`, one active file per window and
 * sealed files waiting to be sent. Only the uploader holding `upload.lock`
 * reads, rewrites or deletes sealed outbox files.
 */
import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './atomic-file.ts';
import { listJournalFiles, readJournal, type JournalEvent } from './journal.ts';

export const OUTBOX_SUBFOLDER = 'outbox';

/** A sealed outbox file's events, and how many of its lines were not events (cut short by a crash). */
export function readOutbox(path: string): { events: JournalEvent[]; unreadable: number } {
  const { events, unreadable } = readJournal(path);
  return { events: events as JournalEvent[], unreadable: unreadable.length };
}

/**
 * Leaves in a sealed file only the events still to send, atomically (a
 * crash keeps the old content or the new, and the server counts an event
 * sent twice once); deletes it when none are left.
 */
export function rewriteOutbox(path: string, left: readonly JournalEvent[]): void {
  if (left.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  writeFileAtomic(path, new TextEncoder().encode(left.map((e) => `${JSON.stringify(e)}\n`).join('')));
}

/** How many events a file holds (its non-empty lines), without parsing them. */
export function countLines(path: string): number {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** Deletes every outbox file of every window, active or sealed; returns how many events they held. */
export function discardOutboxes(storage: string): number {
  let dropped = 0;
  for (const path of listJournalFiles(storage, OUTBOX_SUBFOLDER)) {
    dropped += countLines(path);
    rmSync(path, { force: true });
  }
  return dropped;
}
