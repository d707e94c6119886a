// Scenario 1 (issue 7): first start in a fresh profile. The consent prompt
// appears; the user answers "Not now" and then runs the extension's commands:
// nothing is recorded, on disk or in "Show Recorded Events".
import assert from 'node:assert/strict';
import { COMMANDS, DELETE_QUESTION, NO_EVENTS_TEXT, PROMPT_BUTTONS, PROMPT_TEXT, STATUS, dashboardEventsTable, dashboardWidgets, showRecordedEvents, storedEvents } from './footprint.mjs';

export const title = 'first start: consent prompt, "Not now", commands run, nothing recorded';

export default async function (t) {
  const { vscode } = t;
  const itemId = await t.step('the consent prompt appears with its three answers', async () => {
    const prompt = await vscode.waitForNotification(PROMPT_TEXT);
    assert.equal(prompt.message, PROMPT_TEXT);
    assert.deepEqual(prompt.buttons, PROMPT_BUTTONS);
    const [item, ...more] = await vscode.extensionStatusBarItems(t.extension.id);
    assert.ok(item, `no status bar item of ${t.extension.id}; items: ${JSON.stringify(await vscode.statusBarItems())}`);
    assert.equal(more.length, 0, 'one status bar item');
    return item.id;
  });

  await t.step('"Not now" closes it; the status bar says it is not recording', async () => {
    await vscode.clickNotificationButton(PROMPT_TEXT, 'Not now');
    const [item] = await vscode.extensionStatusBarItems(t.extension.id);
    assert.deepEqual({ text: item.text, icons: item.icons }, { text: 'Footprint', icons: [STATUS.notConsented.icon] });
    const tooltip = await vscode.statusBarTooltip(itemId);
    assert.ok(tooltip.startsWith(STATUS.notConsented.tooltip), `tooltip: ${tooltip}`);
  });

  await t.step('the commands run: dashboard, export (cancelled), delete (cancelled)', async () => {
    await vscode.runCommand(COMMANDS.showDashboard);
    const frame = await vscode.waitForWebview('fp-dashboard');
    const widgets = await dashboardWidgets(frame);
    // With nothing recorded every widget is empty: no table, the empty message.
    assert.deepEqual(
      widgets.map((w) => [w.tag, w.status, w.message]),
      widgets.map((w) => [w.tag, 'empty', 'No data for this range.']),
    );
    assert.deepEqual(await dashboardEventsTable(frame), { note: 'No events recorded in this range.', events: [] });

    await vscode.runCommand(COMMANDS.exportData);
    const pick = await vscode.waitForQuickInput();
    assert.deepEqual(pick.items, ['NDJSON', 'CSV', 'SQLite']);
    await vscode.cancelQuickInput();

    await vscode.runCommand(COMMANDS.deleteData);
    const dialog = await vscode.waitForDialog();
    assert.equal(dialog.message, DELETE_QUESTION);
    assert.ok(dialog.buttons.includes('Delete') && dialog.buttons.includes('Cancel'), `buttons: ${dialog.buttons}`);
    await vscode.clickDialogButton('Cancel');
  });

  await t.step('"Show Recorded Events" shows that nothing was recorded', async () => {
    const text = await showRecordedEvents(vscode);
    assert.equal(text.trim(), NO_EVENTS_TEXT);
  });

  await t.step('the storage folder holds no event', async () => {
    // A compaction writes a few seconds after the last event; give one the time to happen.
    await new Promise((r) => setTimeout(r, 6000));
    const { events, files } = await storedEvents(t.storage);
    assert.deepEqual(events, [], `events found in ${t.storage} (files: ${files.join(', ')})`);
  });
}
