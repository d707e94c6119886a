/**
 * "Export Usage Data" (NDJSON, CSV or SQLite, to a file the user picks) and
 * "Delete Usage Data" (after a modal confirmation; reports how many events
 * went).
 */
import { formatCsv } from '../../shared/ingest/csv.ts';
import type { StoredEvent } from '../../shared/metrics/events.ts';
import type { Store } from '../../shared/store/store.ts';
import type { UsageStorage } from './storage.ts';

export type ExportFormat = 'ndjson' | 'csv' | 'sqlite';

export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; extension: string; description: string }[] = [
  { format: 'ndjson', label: 'NDJSON', extension: 'ndjson', description: 'one JSON event per line' },
  { format: 'csv', label: 'CSV', extension: 'csv', description: 'one row per event, properties as JSON' },
  { format: 'sqlite', label: 'SQLite', extension: 'sqlite', description: 'the database itself (opens with openStore({ data }))' },
];

/** The whole time a store can hold (event timestamps are 1970..2100). */
const ALL_TIME = { from: '1970-01-01', to: '2100-12-31' } as const;
const PAGE = 10_000;

/** Every stored event, oldest first. */
export async function allEvents(store: Store): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.query({ kind: 'events', ...ALL_TIME, limit: PAGE, offset });
    events.push(...page.events);
    if (page.events.length < PAGE) break;
  }
  // The query lists newest first; a file reads better in the order things happened.
  return events.reverse();
}

const CSV_COLUMNS = ['event', 'user_id', 'timestamp', 'session_id', 'uuid', 'properties'] as const;

/** The store's events (or the file itself, for `sqlite`) in a format the core reads back (`ingestText`, `openStore({ data })`). */
export async function exportBytes(store: Store, format: ExportFormat): Promise<Uint8Array> {
  if (format === 'sqlite') return store.export();
  const events = await allEvents(store);
  const text =
    format === 'ndjson'
      ? events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '')
      : formatCsv([[...CSV_COLUMNS], ...events.map((e) => [e.event, e.user_id, e.timestamp, e.session_id, e.uuid, Object.keys(e.properties).length ? JSON.stringify(e.properties) : ''])]);
  return new TextEncoder().encode(text);
}

/** The window members the commands use. */
export interface ExportDeleteUi {
  showQuickPick<T extends { label: string }>(items: T[], options?: { placeHolder?: string }): PromiseLike<T | undefined>;
  showSaveDialog(options: { defaultUri?: unknown; filters?: Record<string, string[]>; saveLabel?: string; title?: string }): PromiseLike<{ fsPath: string } | undefined>;
  showWarningMessage(message: string, options: { modal: boolean; detail?: string }, ...items: string[]): PromiseLike<string | undefined>;
  showInformationMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}

/**
 * The export command. `name` is the extension's display name, which the
 * user knows it by (the library's own name means nothing to them).
 * Resolves to the file written, or undefined when the user cancelled.
 */
export async function exportCommand(ui: ExportDeleteUi, storage: UsageStorage, name: string): Promise<string | undefined> {
  const picked = await ui.showQuickPick(
    EXPORT_FORMATS.map((f) => ({ label: f.label, description: f.description, format: f })),
    { placeHolder: 'Export the recorded usage data as' },
  );
  if (!picked) return undefined;
  const target = await ui.showSaveDialog({ filters: { [picked.label]: [picked.format.extension] }, saveLabel: 'Export', title: `Export ${name} usage data` });
  if (!target) return undefined;
  const store = await storage.snapshot();
  try {
    const bytes = await exportBytes(store, picked.format.format);
    await ui.writeFile(target.fsPath, bytes);
  } finally {
    await store.close();
  }
  void ui.showInformationMessage(`${name}: usage data exported to ${target.fsPath}.`);
  return target.fsPath;
}

export const DELETE = 'Delete';

/** The delete command (`name`: the extension's display name). Resolves to how many events were deleted, or undefined when the user cancelled. */
export async function deleteCommand(ui: ExportDeleteUi, storage: UsageStorage, name: string): Promise<number | undefined> {
  const answer = await ui.showWarningMessage(
    `Delete all usage data ${name} recorded on this machine?`,
    { modal: true, detail: 'Every recorded event, in every VS Code window, is deleted. This cannot be undone. Export first to keep a copy.' },
    DELETE,
  );
  if (answer !== DELETE) return undefined;
  const count = await storage.deleteAll();
  void ui.showInformationMessage(`${name}: ${count} event${count === 1 ? '' : 's'} deleted.`);
  return count;
}
