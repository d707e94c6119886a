// Scenario 3 (issue 7): VS Code's `telemetry.telemetryLevel` is `off` in the
// profile's settings while the extension's own setting is on. Nothing is
// recorded, whatever runs, and the status bar says why.
import assert from 'node:assert/strict';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';
import { COMMANDS, NO_EVENTS_TEXT, PROMPT_TEXT, STATUS, dashboardEventsTable, dashboardWidgets, showRecordedEvents, storedEvents } from './footprint.mjs';

export const title = 'telemetry.telemetryLevel off: nothing recorded although footprint.telemetry.enabled is on; the status bar says why';
export const settings = { 'telemetry.telemetryLevel': 'off', 'footprint.telemetry.enabled': true };

export default async function (t) {
  const { vscode } = t;
  await t.step("the status bar says nothing is recorded because VS Code's telemetry level is 'off'", async () => {
    // The extension activates once startup has finished; its item appears then.
    const item = await waitUntil(async () => (await vscode.extensionStatusBarItems(t.extension.id))[0], `the status bar item of ${t.extension.id}`);
    assert.deepEqual({ text: item.text, icons: item.icons }, { text: 'Footprint', icons: [STATUS.telemetryOff.icon] });
    const tooltip = await vscode.statusBarTooltip(item.id);
    assert.ok(tooltip.startsWith(STATUS.telemetryOff.tooltip), `tooltip: ${tooltip}`);
  });

  await t.step('no consent prompt: the setting already says yes', async () => {
    const prompts = (await vscode.notifications()).filter((n) => n.message === PROMPT_TEXT);
    assert.deepEqual(prompts, []);
  });

  await t.step('the commands run: events, export (cancelled), dashboard', async () => {
    await showRecordedEvents(vscode);
    await vscode.runCommand(COMMANDS.exportData);
    await vscode.waitForQuickInput();
    await vscode.cancelQuickInput();
    await vscode.runCommand(COMMANDS.showDashboard);
  });

  await t.step('the dashboard is empty', async () => {
    const frame = await vscode.waitForWebview('fp-dashboard');
    const widgets = await dashboardWidgets(frame);
    assert.deepEqual(
      widgets.map((w) => [w.tag, w.status]),
      widgets.map((w) => [w.tag, 'empty']),
    );
    assert.deepEqual(await dashboardEventsTable(frame), { note: 'No events recorded in this range.', events: [] });
  });

  await t.step('"Show Recorded Events" shows that nothing was recorded', async () => {
    const text = await showRecordedEvents(vscode);
    assert.equal(text.trim(), NO_EVENTS_TEXT);
  });

  await t.step('the storage folder holds no event', async () => {
    await new Promise((r) => setTimeout(r, 6000)); // a compaction would have happened by now
    const { events, files } = await storedEvents(t.storage);
    assert.deepEqual(events, [], `events found in ${t.storage} (files: ${files.join(', ')})`);
  });
}
