// Scenario 4 (issue 7): with recording allowed, "Export Usage Data" writes a
// file holding exactly the recorded events, and "Delete Usage Data" empties
// the store. Screenshot: the dashboard with data in a light theme.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';
import { COMMANDS, COMMAND_IDS, INSTALLATION_ID, dashboardShotHeight, DELETE_QUESTION, NO_EVENTS_TEXT, PROMPT_TEXT, countByName, dashboardEventsTable, dashboardWidgets, showRecordedEvents, storedEvents, webviewTheme } from './footprint.mjs';

export const title = 'Export writes the recorded events to a file, Delete empties the store (light theme)';
export const settings = { 'workbench.colorTheme': 'Light Modern' };

/** Widgets that report being shown, each once (usage-recorder.ts KNOWN_WIDGETS). */
const WIDGETS = 6;

export default async function (t) {
  const { vscode } = t;
  await t.step('"Allow", then run Show Recorded Events and Show Usage Dashboard', async () => {
    await vscode.waitForNotification(PROMPT_TEXT);
    await vscode.clickNotificationButton(PROMPT_TEXT, 'Allow');
    // Recording starts when the setting has changed; the session's first event says so.
    await waitUntil(async () => (await storedEvents(t.storage)).events.some((e) => e.event === 'session.start'), 'session.start on disk');
    await showRecordedEvents(vscode);
    await vscode.runCommand(COMMANDS.showDashboard);
  });

  const frame = await t.step('the dashboard shows the events, in a light theme (screenshot)', async () => {
    const frame = await vscode.waitForWebview('fp-dashboard');
    await dashboardWidgets(frame);
    const table = await dashboardEventsTable(frame);
    // A command is recorded when it finishes: "Show Usage Dashboard" after the dashboard.open of its run.
    assert.deepEqual(table.events, [COMMAND_IDS.showDashboard, 'dashboard.open', COMMAND_IDS.showEvents, 'session.start']);
    assert.equal(await webviewTheme(frame), 'vscode-light');
    await t.screenshot('dashboard-light', { height: await dashboardShotHeight(frame) });
    return frame;
  });

  // Every widget reports once that it was shown; wait for them so the counts below are fixed.
  const before = await t.step('the storage folder holds the recorded events', async () => {
    const { events } = await waitUntil(async () => {
      const stored = await storedEvents(t.storage);
      return stored.events.filter((e) => e.event === 'dashboard.widget').length >= WIDGETS ? stored : undefined;
    }, 'the dashboard.widget events on disk');
    assert.deepEqual(countByName(events), { 'dashboard.open': 1, 'dashboard.widget': WIDGETS, [COMMAND_IDS.showDashboard]: 1, [COMMAND_IDS.showEvents]: 1, 'session.start': 1 });
    return events;
  });

  const target = join(t.profile.root, 'usage-export.ndjson');
  await t.step('Export Usage Data as NDJSON to a file', async () => {
    await vscode.runCommand(COMMANDS.exportData);
    const formats = await vscode.waitForQuickInput();
    assert.deepEqual(formats.items, ['NDJSON', 'CSV', 'SQLite']);
    await vscode.pick('NDJSON');
    // In a browser VS Code asks for the path in its own simple file dialog (a quick input).
    const dialog = await vscode.waitForQuickInput();
    assert.equal(dialog.title, 'Export Footprint usage data');
    await vscode.saveAs(target);
    await vscode.waitForNotification(`Footprint: usage data exported to ${target}.`);
  });

  await t.step('the file holds exactly the events recorded before the export; the export itself is recorded once it finished', async () => {
    assert.ok(existsSync(target), `no file at ${target}`);
    const lines = readFileSync(target, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    const exported = lines.map((e) => ({ event: e.event, uuid: e.uuid, properties: e.properties }));
    // A command is recorded when it finishes, so the export is not in what it exported, and is on disk after it.
    const { events: after } = await waitUntil(async () => {
      const stored = await storedEvents(t.storage);
      return stored.events.some((e) => e.event === COMMAND_IDS.exportData) ? stored : undefined;
    }, 'the export command\'s event on disk');
    const stored = after.filter((e) => e.event !== COMMAND_IDS.exportData).map(({ event, uuid, properties }) => ({ event, uuid, properties }));
    const byUuid = (a, b) => a.uuid.localeCompare(b.uuid);
    assert.deepEqual([...exported].sort(byUuid), [...stored].sort(byUuid));
    assert.deepEqual(countByName(exported), countByName(before));
    assert.deepEqual(countByName(after), { ...countByName(before), [COMMAND_IDS.exportData]: 1 });
    for (const e of lines) assert.deepEqual(Object.keys(e).sort(), ['event', 'properties', 'session_id', 'timestamp', 'user_id', 'uuid']);
    for (const e of lines) assert.match(e.user_id, INSTALLATION_ID);
  });

  await t.step('Delete Usage Data: confirm, N events deleted, the store is empty', async () => {
    // Deleting is never recorded: the count is what was stored.
    const count = (await storedEvents(t.storage)).events.length;
    await vscode.runCommand(COMMANDS.deleteData);
    const dialog = await vscode.waitForDialog();
    assert.equal(dialog.message, DELETE_QUESTION);
    await vscode.clickDialogButton('Delete');
    await vscode.waitForNotification(`Footprint: ${count} events deleted.`);
    const { events, files } = await storedEvents(t.storage);
    assert.deepEqual(events, [], `events left in ${t.storage} (files: ${files.join(', ')})`);
  });

  await t.step('the open dashboard refreshes to empty', async () => {
    const table = await waitUntil(async () => {
      const shown = await dashboardEventsTable(frame);
      return shown.events.length === 0 ? shown : undefined;
    }, 'the dashboard to show no event');
    assert.deepEqual(table, { note: 'No events recorded in this range.', events: [] });
  });

  await t.step('"Show Recorded Events" shows nothing recorded, then its own run is recorded', async () => {
    const text = await showRecordedEvents(vscode);
    assert.equal(text.trim(), NO_EVENTS_TEXT);
    const { events } = await waitUntil(async () => {
      const stored = await storedEvents(t.storage);
      return stored.events.length > 0 ? stored : undefined;
    }, 'the command\'s event on disk');
    assert.deepEqual(countByName(events), { [COMMAND_IDS.showEvents]: 1 });
  });
}
