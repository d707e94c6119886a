// Word Count scenario 5 (issue 14): withdrawing sharing stops sending at
// once. With both consents, the commands reach the author's server; the user
// turns sharing off and at once runs Count Words three times: those runs are
// recorded on the machine, none reaches the server. The offer to erase what
// was sent comes; "Erase" leaves the server with no event of this
// installation, and the dashboard's sent table empty.
import assert from 'node:assert/strict';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';
import {
  COMMAND_IDS,
  COMMANDS,
  ERASE_BUTTONS,
  NOTES,
  PAST_UPLOAD_DELAY_MS,
  answerRecordPrompt,
  answerSharePrompt,
  assertNothingSent,
  clickNotification,
  countByName,
  countWords,
  eraseOffer,
  erased,
  outboxEvents,
  prepareExample,
  sentLog,
  sharedEventsArrived,
  storedEvents,
  waitForText,
} from './word-count.mjs';

export const title = 'Word Count, withdrawing sharing: commands run at once after it stay on the machine; "Erase" empties the server and the sent table';
export const extension = 'example';
export const before = prepareExample;

export default async function (t) {
  const { vscode } = t;
  const notShared = await t.step('"Allow" to both prompts', async () => {
    await answerRecordPrompt(t, 'Allow');
    const notShared = new Set((await storedEvents(t.storage)).events.map((e) => e.uuid));
    await answerSharePrompt(t, 'Allow');
    return notShared;
  });

  const sent = await t.step(`open ${NOTES.name}, run "${COMMANDS.countWords}" twice: both arrive at the server`, async () => {
    await vscode.openFile(NOTES.name);
    await countWords(vscode);
    await countWords(vscode);
    const arrived = await sharedEventsArrived(t, notShared);
    assert.deepEqual(countByName(arrived), { [COMMAND_IDS.countWords]: 2 });
    return arrived;
  });

  await t.step(`"${COMMANDS.toggleSharing}" (sharing off), then at once "${COMMANDS.countWords}" three times`, async () => {
    await vscode.runCommand(COMMANDS.toggleSharing);
    for (let i = 0; i < 3; i++) await countWords(vscode);
  });

  await t.check('the three runs are recorded on the machine; well past the upload delay, none is at the server or waits in the outbox', async () => {
    const { events } = await waitUntil(async () => {
      const stored = await storedEvents(t.storage);
      return stored.events.filter((e) => e.event === COMMAND_IDS.countWords).length >= 5 ? stored : undefined;
    }, 'five Count Words events on disk');
    assert.deepEqual(countByName(events), { 'session.start': 1, [COMMAND_IDS.countWords]: 5 });
    await new Promise((r) => setTimeout(r, PAST_UPLOAD_DELAY_MS));
    assert.deepEqual((await t.footprint.events()).map((e) => e.uuid).sort(), sent.map((e) => e.uuid).sort(), 'the server holds only the two sent before');
    assert.deepEqual(outboxEvents(t.storage), []);
    assert.deepEqual([...new Set(sentLog(t.storage).map((r) => r.uuid))].sort(), sent.map((e) => e.uuid).sort(), 'the sent log: the two sent before');
  });

  await t.step('the offer to erase what was sent appears: "Erase"', async () => {
    const offer = eraseOffer(t.footprint.origin, sent.length);
    // It may have left its toast for the notification center while the commands ran.
    const shown = await waitForText(vscode, offer, 'extension/src/usage-recorder.ts withdrawSharing', { timeoutMs: 2000 }).catch(async (error) => {
      await vscode.runCommand('Notifications: Show Notifications');
      const center = await vscode.page.locator('.notifications-center .notification-list-item-message').allTextContents();
      if (!center.some((m) => m.trim() === offer)) throw error;
      return undefined;
    });
    if (shown) assert.deepEqual(shown.buttons, ERASE_BUTTONS);
    await clickNotification(vscode, offer, 'Erase');
    await waitForText(vscode, erased(t.footprint.origin, sent.length), 'extension/src/usage-recorder.ts eraseShared');
  });

  await t.check('the server holds no event of this installation, nor any other', async () => {
    const userId = sent[0].user_id;
    assert.deepEqual(await t.footprint.events({ user: userId }), []);
    assert.deepEqual(await t.footprint.events(), []);
    assert.deepEqual(sentLog(t.storage), []);
  });

  await t.check('the dashboard\'s sent table is empty, sharing off', async () => {
    await vscode.runCommand(COMMANDS.showDashboard);
    const frame = await vscode.waitForWebview('footprint-sent-table');
    await assertNothingSent(frame, t.footprint.origin);
  });

  await t.check('the machine keeps its own record: still no event at the server after the dashboard\'s', async () => {
    await new Promise((r) => setTimeout(r, PAST_UPLOAD_DELAY_MS));
    assert.deepEqual(await t.footprint.events(), []);
  });
}
