// Scenario 2 (issue 7): "Allow", run some commands, open the dashboard. The
// widgets show exactly those commands and counts (read inside the webview
// from their hidden tables), the status bar shows recording, and the disk
// holds exactly the events that happened. Screenshot: the dashboard in a
// dark theme.
import assert from 'node:assert/strict';
import { COMMANDS, COMMAND_IDS, INSTALLATION_ID, assertCommandEvent, commonProperties, dashboardShotHeight, PROMPT_TEXT, STATUS, countByName, dashboardEventsTable, dashboardWidgets, showRecordedEvents, storedEvents, trendTotals, webviewTheme } from './footprint.mjs';
import { CODE_SERVER_VERSION } from '../../scripts/e2e/tools.mjs';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';

export const title = '"Allow": commands recorded, the dashboard shows exactly them, status bar recording (dark theme)';
export const settings = { 'workbench.colorTheme': 'Dark Modern' };

/** What the scenario runs before opening the dashboard, and so what the dashboard must show. */
const EXPECTED_COMMANDS = { [COMMAND_IDS.exportData]: 1, [COMMAND_IDS.showDashboard]: 1, [COMMAND_IDS.showEvents]: 2 };
/** The widgets that report being shown (each once; usage-recorder.ts KNOWN_WIDGETS). */
const WIDGET_TAGS = ['footprint-events-table', 'fp-adoption', 'fp-errors', 'fp-retention', 'fp-sessions', 'fp-trend'];

/** Today as the dashboard's day cohorts name it (the store's time zone is UTC here unless set). */
const today = () => new Date().toISOString().slice(0, 10);

export default async function (t) {
  const { vscode } = t;
  await t.step('"Allow" in the consent prompt; the status bar shows recording', async () => {
    await vscode.waitForNotification(PROMPT_TEXT);
    await vscode.clickNotificationButton(PROMPT_TEXT, 'Allow');
    const item = await waitUntil(async () => {
      const [found] = await vscode.extensionStatusBarItems(t.extension.id);
      return found?.icons[0] === STATUS.recording.icon ? found : undefined;
    }, `the status bar item to show $(${STATUS.recording.icon})`);
    assert.deepEqual({ text: item.text, icons: item.icons }, { text: 'Footprint', icons: [STATUS.recording.icon] });
    const tooltip = await vscode.statusBarTooltip(item.id);
    assert.ok(tooltip.startsWith(STATUS.recording.tooltip), `tooltip: ${tooltip}`);
  });

  await t.step('run: Show Recorded Events twice, Export (cancelled), Show Usage Dashboard', async () => {
    await showRecordedEvents(vscode);
    await showRecordedEvents(vscode);
    await vscode.runCommand(COMMANDS.exportData);
    await vscode.waitForQuickInput();
    await vscode.cancelQuickInput();
    await vscode.runCommand(COMMANDS.showDashboard);
  });

  const frame = await t.step('the dashboard opens in a webview', () => vscode.waitForWebview('fp-dashboard'));

  await t.check('the "Commands used" widget shows exactly those commands and counts', async () => {
    const widgets = await dashboardWidgets(frame);
    const trend = widgets.find((w) => w.tag === 'fp-trend');
    assert.equal(trend?.status, 'ready', `fp-trend: ${JSON.stringify(trend)}`);
    assert.equal(trend.label, 'Commands used');
    assert.equal(trend.table.columns[0], 'Period');
    // Every series is a command that ran, with its count: no other event is counted as a command.
    assert.deepEqual(trendTotals(trend.table), EXPECTED_COMMANDS);
    assert.deepEqual([...trend.table.columns.slice(1)].sort(), Object.keys(EXPECTED_COMMANDS));
  });

  await t.check('every widget shows its title', async () => {
    const widgets = await dashboardWidgets(frame);
    assert.deepEqual(
      widgets.map((w) => [w.tag, w.shownTitle]),
      widgets.map((w) => [w.tag, w.label]),
    );
  });

  await t.check('the other widgets agree: adoption, sessions, retention, errors, the events table', async () => {
    const widgets = await dashboardWidgets(frame);
    const byTag = Object.fromEntries(widgets.map((w) => [w.tag, w]));
    // Adoption: one adopter (this machine) of each command that ran; none of the others. The
    // commands that are never recorded (toggle recording, what is recorded, delete) are not features.
    const adoption = byTag['fp-adoption'];
    assert.equal(adoption?.status, 'ready', `fp-adoption: ${JSON.stringify(adoption)}`);
    assert.deepEqual(adoption.table.columns.slice(0, 2), ['Feature', 'Adopters']);
    const adopters = Object.fromEntries(adoption.table.rows.map((row) => [row[0], row[1]]));
    assert.deepEqual(adopters, {
      [COMMAND_IDS.showDashboard]: '1',
      [COMMAND_IDS.showEvents]: '1',
      [COMMAND_IDS.exportData]: '1',
      [COMMAND_IDS.openServerDashboard]: '0',
      [COMMAND_IDS.forgetServerKey]: '0',
    });
    // Sessions: this one window, one user.
    const sessions = byTag['fp-sessions'];
    assert.equal(sessions?.status, 'ready', `fp-sessions: ${JSON.stringify(sessions)}`);
    const measures = Object.fromEntries(sessions.table.rows.map((row) => [row[0], row[1]]));
    assert.deepEqual([measures.Sessions, measures.Users], ['1', '1']);
    // Retention: one day per cohort; one cohort (today, this machine) has a user, every other day none.
    const retention = byTag['fp-retention'];
    assert.equal(retention?.status, 'ready', `fp-retention: ${JSON.stringify(retention)}`);
    const cohorts = retention.table.rows.filter((row) => row[0] !== 'Average' && row[1] !== '0');
    assert.deepEqual(cohorts.map((row) => [row[0], row[1]]), [[today(), '1']]);
    // No error happened: the errors widget counts none, in total and on every day.
    const errors = byTag['fp-errors'];
    assert.equal(errors?.status, 'ready', `fp-errors: ${JSON.stringify(errors)}`);
    assert.deepEqual(errors.table.rows[0], ['All errors', '0', '0', '0', '']);
    assert.deepEqual(errors.table.rows.slice(1).filter((row) => row[1] !== '0'), []);
    // The raw events, newest first, as of the dashboard's snapshot. A command is recorded when it
    // finishes, so "Show Usage Dashboard" comes after the dashboard.open its run recorded.
    const table = await dashboardEventsTable(frame);
    assert.deepEqual(table, {
      note: '6 events in this range.',
      events: [COMMAND_IDS.showDashboard, 'dashboard.open', COMMAND_IDS.exportData, COMMAND_IDS.showEvents, COMMAND_IDS.showEvents, 'session.start'],
    });
  });

  await t.check('the storage folder holds exactly what happened', async () => {
    // Each widget reports once that it was shown (dashboard.widget); wait for all six.
    const { events } = await waitUntil(async () => {
      const stored = await storedEvents(t.storage);
      return stored.events.filter((e) => e.event === 'dashboard.widget').length >= WIDGET_TAGS.length ? stored : undefined;
    }, 'the six dashboard.widget events on disk');
    assert.deepEqual(countByName(events), {
      'dashboard.open': 1,
      'dashboard.widget': WIDGET_TAGS.length,
      ...EXPECTED_COMMANDS,
      'session.start': 1,
    });
    assert.deepEqual(events.filter((e) => e.event === 'dashboard.widget').map((e) => e.properties.widget).sort(), WIDGET_TAGS);
    // Every event: the three common properties and the installation's id; a command also its duration and success.
    const common = commonProperties(t.extension.manifest, CODE_SERVER_VERSION);
    assert.equal(new Set(events.map((e) => e.user_id)).size, 1, 'one user id');
    assert.match(events[0].user_id, INSTALLATION_ID);
    for (const e of events.filter((e) => e.event.startsWith('footprint.'))) assertCommandEvent(e, { common });
    for (const e of events.filter((e) => e.event === 'dashboard.widget')) assert.deepEqual(e.properties, { widget: e.properties.widget, ...common });
    assert.deepEqual(events.find((e) => e.event === 'dashboard.open').properties, { restored: false, ...common });
    assert.deepEqual(events.find((e) => e.event === 'session.start').properties, common);
  });

  await t.step('screenshot of the dashboard in a dark theme', async () => {
    assert.equal(await webviewTheme(frame), 'vscode-dark');
    const [item] = await vscode.extensionStatusBarItems(t.extension.id);
    assert.deepEqual(item.icons, [STATUS.recording.icon]);
    await t.screenshot('dashboard-dark', { height: await dashboardShotHeight(frame) });
  });
}
