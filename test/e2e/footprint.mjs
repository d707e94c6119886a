// What the end-to-end scenarios (test/e2e/*.e2e.mjs) know about the Footprint
// extension as VS Code shows it, and how they read its state: from the
// storage folder on disk (journals + the SQLite file) and from the
// dashboard's widgets inside the webview (their hidden tables).
// The extension is the first user of the library footprint/vscode
// (extension/src/index.ts), so the texts below are the library's, for the
// name "Footprint", copied from extension/src (consent.ts, status-bar.ts,
// export-delete.ts, usage-recorder.ts); when the library changes them, these
// must change too, and the scenarios say which one no longer matches.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';

const require = createRequire(import.meta.url);

/** Command palette titles (package.json `category: title`). */
export const COMMANDS = {
  showDashboard: 'Footprint: Show Usage Dashboard',
  toggleRecording: 'Footprint: Toggle Usage Recording',
  showEvents: 'Footprint: Show Recorded Events',
  exportData: 'Footprint: Export Usage Data',
  deleteData: 'Footprint: Delete Usage Data',
};

/** Command ids, as recorded (each command's event is its id). */
export const COMMAND_IDS = {
  showDashboard: 'footprint.showDashboard',
  toggleRecording: 'footprint.toggleRecording',
  showEvents: 'footprint.showEvents',
  exportData: 'footprint.exportData',
  deleteData: 'footprint.deleteData',
  openServerDashboard: 'footprint.openServerDashboard',
  forgetServerKey: 'footprint.forgetServerKey',
};

/** The consent prompt (consent.ts `recordPromptText('Footprint')`). */
export const PROMPT_TEXT = "Footprint can record how you use it (its commands, its errors), kept only on this machine. VS Code's telemetry setting still applies.";
export const PROMPT_BUTTONS = ['Allow', 'Not now', 'What is recorded?'];

/** "Show Recorded Events" with an empty store (usage-recorder.ts, for the name "Footprint"). */
export const NO_EVENTS_TEXT = '// Footprint has recorded no events.';

/** The delete confirmation (export-delete.ts). */
export const DELETE_QUESTION = 'Delete all usage data Footprint recorded on this machine?';

/** The status bar item (status-bar.ts `statusView('Footprint', …)`): its codicon and the start of its tooltip, per state. */
export const STATUS = {
  notConsented: { icon: 'circle-slash', tooltip: 'Footprint is not recording your usage of this extension.' },
  recording: { icon: 'record', tooltip: 'Footprint records your usage of this extension, on this machine only.' },
  telemetryOff: { icon: 'circle-slash', tooltip: "Footprint records nothing: VS Code's telemetry level is 'off'" },
};

/** An installation id (shared/remote/installation-id.ts): every event's `user_id`, never VS Code's machine id. */
export const INSTALLATION_ID = /^inst_[A-Za-z0-9_-]{22}$/;

/** The three properties every event carries (usage-recorder.ts), for an extension's manifest, in code-server `codeServerVersion` (4.x is VS Code 1.x). */
export function commonProperties(manifest, codeServerVersion) {
  return { extension_version: manifest.version, vscode_version: codeServerVersion.replace(/^4\./, '1.'), platform: process.platform };
}

/**
 * Checks a recorded command's event: exactly its id, how long it ran and
 * whether it succeeded, and the three common properties; the installation id.
 */
export function assertCommandEvent(e, { common, success = true }) {
  const { duration_ms: duration, ...rest } = e.properties;
  assert.ok(Number.isInteger(duration) && duration >= 0 && duration < 60_000, `${e.event}: duration_ms ${duration}`);
  assert.deepEqual(rest, { command: e.event, success, ...common }, `${e.event}: properties`);
  assert.match(e.user_id, INSTALLATION_ID, `${e.event}: user_id`);
}

// ---- running commands -------------------------------------------------------

/**
 * Runs "Show Recorded Events" and waits for the document it opens (a new
 * editor tab); resolves to its text. Waiting matters: the command reads the
 * store first, so a command run right after it could finish before it.
 */
export async function showRecordedEvents(vscode, { timeoutMs = 30_000 } = {}) {
  const before = (await vscode.editorTabs()).length;
  await vscode.runCommand(COMMANDS.showEvents);
  await waitUntil(async () => (await vscode.editorTabs()).length > before, 'the document of "Show Recorded Events"', { timeoutMs });
  return vscode.waitForEditorText((text) => text.trim().length > 0, { timeoutMs });
}

// ---- the storage folder ----------------------------------------------------

let sqlJs;
async function sql() {
  sqlJs ??= await require('sql.js')({ wasmBinary: readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')) });
  return sqlJs;
}

/**
 * Every event the extension has put on disk in its storage folder: the
 * lines of its journals (active and sealed) and the rows of
 * footprint.sqlite, as `{ event, uuid, properties, user_id, timestamp, where }`
 * (`timestamp`: epoch ms); an event in
 * both places (compacted while we read) is listed once. Also says which
 * files exist, for messages.
 */
export async function storedEvents(storage) {
  const events = new Map();
  const files = [];
  const journal = join(storage, 'journal');
  if (existsSync(journal)) {
    for (const name of readdirSync(journal).sort()) {
      files.push(`journal/${name}`);
      if (!/\.(ndjson|sealed)$/.test(name)) continue;
      for (const line of readFileSync(join(journal, name), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const event = JSON.parse(line);
        events.set(event.uuid, { event: event.event, uuid: event.uuid, properties: event.properties ?? {}, user_id: event.user_id, timestamp: event.timestamp, where: `journal/${name}` });
      }
    }
  }
  const database = join(storage, 'footprint.sqlite');
  if (existsSync(database)) {
    files.push('footprint.sqlite');
    const SQL = await sql();
    const db = new SQL.Database(readFileSync(database));
    try {
      // Schema version 2 (shared/store/schema.ts): a canonical uuid is stored as its 16 bytes, properties as JSONB.
      const [result] = db.exec(`WITH x AS (SELECT e.ts, e.seq, e.name_id, e.user_id, e.uuid, hex(e.uuid) AS h, json(e.properties) AS properties FROM events e)
SELECT n.name,
       CASE WHEN typeof(x.uuid) = 'blob'
            THEN lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21))
            ELSE x.uuid END,
       x.properties, u.external_id, x.ts
FROM x JOIN event_names n ON n.id = x.name_id JOIN users u ON u.id = x.user_id ORDER BY x.ts, x.seq`);
      for (const [name, uuid, properties, userId, ts] of result?.values ?? []) {
        if (!events.has(uuid)) events.set(uuid, { event: name, uuid, properties: properties ? JSON.parse(properties) : {}, user_id: userId, timestamp: Number(ts), where: 'footprint.sqlite' });
      }
    } finally {
      db.close();
    }
  }
  return { events: [...events.values()], files, exists: existsSync(storage) };
}

/** How many stored events have each name: `{ name: count }`, names sorted. */
export function countByName(events) {
  const counts = {};
  for (const e of [...events].sort((a, b) => a.event.localeCompare(b.event))) counts[e.event] = (counts[e.event] ?? 0) + 1;
  return counts;
}

// ---- the dashboard webview -----------------------------------------------

/**
 * The dashboard's widgets as the webview shows them, once none is loading:
 * `[{ tag, label, shownTitle, status, message, table: { caption, columns, rows } | null }]`
 * (`shownTitle`: the heading's text when it is visible, else null), read
 * from each widget's hidden table (`table.visually-hidden` in its shadow
 * root), the numbers a screen reader gets.
 */
export async function dashboardWidgets(frame, { timeoutMs = 30_000 } = {}) {
  return waitUntil(
    () =>
      frame.evaluate(() => {
        const dashboard = document.querySelector('footprint-usage-dashboard fp-dashboard') ?? document.querySelector('fp-dashboard');
        if (!dashboard) return undefined;
        const widgets = [...dashboard.children].filter((el) => el.localName.startsWith('fp-'));
        if (widgets.length === 0 || widgets.some((w) => w.getAttribute('status') === 'loading' || !w.shadowRoot)) return undefined;
        const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
        return widgets.map((w) => {
          const table = w.shadowRoot.querySelector('table.visually-hidden');
          const heading = w.shadowRoot.querySelector('h2');
          const box = heading?.getBoundingClientRect();
          return {
            tag: w.localName,
            label: w.getAttribute('label'),
            // The title as a sighted user gets it: the heading, when it takes room on screen.
            shownTitle: heading && box && box.width > 0 && box.height > 0 && getComputedStyle(heading).visibility !== 'hidden' ? text(heading) : null,
            status: w.getAttribute('status'),
            message: text(w.shadowRoot.querySelector('.state') ?? { textContent: '' }),
            table: table && {
              caption: text(table.querySelector('caption') ?? { textContent: '' }),
              columns: [...table.querySelectorAll('thead th')].map(text),
              rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map(text)),
            },
          };
        });
      }),
    'the dashboard widgets to finish loading',
    { timeoutMs },
  );
}

/** The rows of the events table under the dashboard: `{ total, events: [name...] }` (newest first). */
export async function dashboardEventsTable(frame, { timeoutMs = 30_000 } = {}) {
  return waitUntil(
    () =>
      frame.evaluate(() => {
        const table = document.querySelector('footprint-events-table');
        const root = table?.shadowRoot;
        if (!root || root.querySelector('[role="status"]')?.textContent?.includes('Loading')) return undefined;
        const note = root.querySelector('.note')?.textContent?.trim() ?? '';
        return { note, events: [...root.querySelectorAll('tbody tr')].map((tr) => tr.children[1]?.textContent?.trim() ?? '') };
      }),
    'the recorded-events table of the dashboard',
    { timeoutMs },
  );
}

/**
 * Per-command totals of the "Commands used" trend table: its columns are
 * `Period` and one per series (a command id), its rows one per day; the
 * totals sum each series over the days. Zero totals are left out.
 */
export function trendTotals(table) {
  const totals = {};
  table.columns.slice(1).forEach((series, i) => {
    const sum = table.rows.reduce((acc, row) => acc + Number(String(row[i + 1]).replace(/,/g, '')), 0);
    if (sum !== 0) totals[series] = sum;
  });
  return Object.fromEntries(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)));
}

/** The dashboard's webview body class: `vscode-dark`, `vscode-light`, or a high-contrast one. */
export function webviewTheme(frame) {
  return frame.evaluate(() => [...document.body.classList].find((c) => c.startsWith('vscode-')) ?? '');
}

/**
 * A window height that shows the whole dashboard: the webview's top in the
 * window, plus its content's full height, plus room for the status bar.
 */
export async function dashboardShotHeight(frame) {
  const box = await (await frame.frameElement()).boundingBox();
  const content = await frame.evaluate(() => document.documentElement.scrollHeight);
  return Math.min(8000, Math.ceil((box?.y ?? 0) + content + 40));
}
