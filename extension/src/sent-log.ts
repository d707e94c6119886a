/**
 * What was sent, where and when, for the user to see (issue 14: "the user
 * sees every event that was sent"): `<storage>/sent.ndjson`, one line per
 * event the author's server took, appended after its answer.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEvent } from './journal.ts';

export const SENT_FILE = 'sent.ndjson';

/** One event the server took. */
export interface SentRecord {
  uuid: string;
  event: string;
  /** When it happened, epoch ms. */
  timestamp: number;
  /** When the server confirmed it, epoch ms. */
  sent_at: number;
  /** The server's base URL (never the key). */
  url: string;
}

/** Appends one line per event, in one write. */
export function appendSent(storage: string, events: readonly JournalEvent[], sentAt: number, url: string): void {
  if (events.length === 0) return;
  const lines = events.map((e) => JSON.stringify({ uuid: e.uuid, event: e.event, timestamp: e.timestamp, sent_at: sentAt, url } satisfies SentRecord));
  appendFileSync(join(storage, SENT_FILE), `${lines.join('\n')}\n`);
}

/**
 * The sent log, oldest first, each uuid once: an event is listed twice when
 * its answer was lost and it went again, or a crash came between the log
 * and the outbox. A line cut short by a crash is skipped.
 */
export function readSent(storage: string): SentRecord[] {
  let text: string;
  try {
    text = readFileSync(join(storage, SENT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const seen = new Set<string>();
  const records: SentRecord[] = [];
  for (const line of text.split('\n')) {
    let record: SentRecord;
    try {
      record = JSON.parse(line) as SentRecord;
    } catch {
      continue;
    }
    if (typeof record?.uuid !== 'string' || seen.has(record.uuid)) continue;
    seen.add(record.uuid);
    records.push(record);
  }
  return records;
}

export function forgetSent(storage: string): void {
  rmSync(join(storage, SENT_FILE), { force: true });
}
