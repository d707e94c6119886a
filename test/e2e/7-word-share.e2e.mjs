// Word Count scenario 3 (issue 14): "record" and "share". Each event recorded
// while sharing arrives at the author's Footprint server exactly once (the
// server's uuids are the machine's), the dashboard's "Sent to the author"
// table lists exactly those events, and so it stays across a restart of
// VS Code. Screenshots: the dashboard in Dark Modern, then, after the
// restart, in Light Modern.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';
import { dashboardWidgets } from './footprint.mjs';
import {
  COMMAND_IDS,
  COMMANDS,
  NOTES,
  SENT_NOTES,
  answerRecordPrompt,
  answerSharePrompt,
  countByName,
  countWords,
  dashboardShotHeight,
  prepareExample,
  refreshDashboard,
  sentLog,
  sentTable,
  sharedEventsArrived,
  shownTime,
  storedEvents,
  webviewTheme,
} from './word-count.mjs';

export const title = 'Word Count, "record" and "share": each event at the server exactly once, the sent table lists them (Dark Modern, then Light Modern after a restart)';
export const extension = 'example';
export const settings = { 'workbench.colorTheme': 'Dark Modern' };
export const before = prepareExample;
export const timeoutMs = 360_000;

/** Opens the dashboard and waits until its widgets loaded (their use is not recorded: the example leaves `dashboardEvents` off). */
async function openDashboard(t) {
  await t.vscode.runCommand(COMMANDS.showDashboard);
  const frame = await t.vscode.waitForWebview('footprint-sent-table');
  await dashboardWidgets(frame);
  return frame;
}

/**
 * Refreshes the dashboard and checks that its sent table lists exactly
 * `events` (as the server holds them): the same names and recording times,
 * newest first, each sent to the server, with the count in its note.
 */
async function assertSentTable(t, frame, events) {
  await refreshDashboard(frame);
  const table = await waitUntil(async () => {
    const shown = await sentTable(frame);
    return shown.rows.length === events.length ? shown : undefined;
  }, `the sent table to list ${events.length} events`).catch(async () => sentTable(frame));
  assert.equal(table.heading, 'Sent to the author');
  assert.deepEqual(table.notes.slice(0, 1), [`${SENT_NOTES.sharing(t.footprint.origin)} Stop sharing…`]);
  assert.ok(table.notes.includes(SENT_NOTES.count(events.length)), `notes: ${JSON.stringify(table.notes)}`);
  const rows = (list) => list.map((r) => `${r.recorded} ${r.event} -> ${r.to}`).sort();
  assert.deepEqual(rows(table.rows), rows(events.map((e) => ({ recorded: shownTime(e.timestamp), event: e.event, to: t.footprint.url }))));
  // Newest first: each row sent no earlier than the one below it.
  assert.deepEqual(table.rows.map((r) => r.sent), [...table.rows.map((r) => r.sent)].sort().reverse());
  // The sent log behind it (the table shows no uuids): exactly the server's uuids.
  assert.deepEqual([...new Set(sentLog(t.storage).map((r) => r.uuid))].sort(), events.map((e) => e.uuid).sort());
}

export default async function (t) {
  const notShared = await t.step('"Allow" to the record prompt (session.start recorded, not shared)', async () => {
    await answerRecordPrompt(t, 'Allow');
    const { events } = await storedEvents(t.storage);
    assert.deepEqual(countByName(events), { 'session.start': 1 });
    return new Set(events.map((e) => e.uuid));
  });

  await t.step('"Allow" to the share prompt', () => answerSharePrompt(t, 'Allow'));

  await t.step(`open ${NOTES.name} and run "${COMMANDS.countWords}" three times`, async () => {
    await t.vscode.openFile(NOTES.name);
    for (let i = 0; i < 3; i++) await countWords(t.vscode);
  });

  await t.check('each command recorded arrives at the server exactly once', async () => {
    const arrived = await sharedEventsArrived(t, notShared);
    assert.deepEqual(countByName(arrived), { [COMMAND_IDS.countWords]: 3 });
  });

  const frame = await t.step(`"${COMMANDS.showDashboard}": it opens`, () => openDashboard(t));

  await t.check('the dashboard command arrives too (not its page\'s use), and its sent table lists exactly the events at the server', async () => {
    // The command is recorded when it finishes: once the page is written, before its widgets load.
    const arrived = await sharedEventsArrived(t, notShared);
    assert.deepEqual(countByName(arrived), { [COMMAND_IDS.countWords]: 3, [COMMAND_IDS.showDashboard]: 1 });
    await assertSentTable(t, frame, arrived);
  });

  await t.step('screenshot of the dashboard in Dark Modern', async () => {
    assert.equal(await webviewTheme(frame), 'vscode-dark');
    await t.screenshot('word-count-dashboard-dark', { height: await dashboardShotHeight(frame) });
  });

  await t.step('restart VS Code in Light Modern (the consents kept in the settings)', async () => {
    const path = join(t.profile.userData, 'User', 'settings.json');
    const current = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(current['wordCount.telemetry.enabled'], true);
    assert.equal(current['wordCount.telemetry.share'], true);
    await t.restart({ settings: { ...current, 'workbench.colorTheme': 'Light Modern' } });
  });

  const light = await t.step(`"${COMMANDS.showDashboard}" again`, () => openDashboard(t));

  await t.check('after the restart: the new session\'s events arrive, nothing twice, the sent table lists exactly the server\'s events', async () => {
    const arrived = await sharedEventsArrived(t, notShared);
    const counts = countByName(arrived);
    assert.equal(counts['session.start'], 1, 'the new session\'s start, shared');
    assert.equal(counts[COMMAND_IDS.countWords], 3);
    await assertSentTable(t, light, arrived);
  });

  await t.step('screenshot of the dashboard in Light Modern', async () => {
    assert.equal(await webviewTheme(light), 'vscode-light');
    await t.screenshot('word-count-dashboard-light', { height: await dashboardShotHeight(light) });
  });
}
