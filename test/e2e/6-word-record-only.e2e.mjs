// Word Count scenario 2 (issue 14): "record" only. The user allows recording
// and answers "Not now" to sharing: the commands' events are on the machine,
// each with its command, duration and success and the three common
// properties, under a random installation id; none reaches the author's
// Footprint server, however long it waits.
import assert from 'node:assert/strict';
import { COMMAND_IDS, COMMANDS, DELETE_QUESTION, INSTALLATION_ID, NOTES, PAST_UPLOAD_DELAY_MS, answerRecordPrompt, answerSharePrompt, assertCommandEvent, commonProperties, countByName, countWords, outboxEvents, prepareExample, sentLog, storedEvents } from './word-count.mjs';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';

export const title = 'Word Count, "record" only: the commands\' events are on the machine, none at the server';
export const extension = 'example';
export const before = prepareExample;

export default async function (t) {
  const { vscode } = t;
  await t.step('"Allow" to the record prompt, then "Not now" to the share prompt', async () => {
    await answerRecordPrompt(t, 'Allow');
    await answerSharePrompt(t, 'Not now');
  });

  await t.step(`open ${NOTES.name} and run "${COMMANDS.countWords}" twice`, async () => {
    await vscode.openFile(NOTES.name);
    await countWords(vscode);
    await countWords(vscode);
  });

  await t.check('the machine holds exactly session.start and the two commands, with their properties', async () => {
    const { events } = await waitUntil(async () => {
      const stored = await storedEvents(t.storage);
      return stored.events.length >= 3 ? stored : undefined;
    }, 'three events on disk');
    assert.deepEqual(countByName(events), { 'session.start': 1, [COMMAND_IDS.countWords]: 2 });
    const common = commonProperties(t.extension.manifest);
    const userId = events[0].user_id;
    assert.match(userId, INSTALLATION_ID, 'user_id is the installation id (inst_…), not VS Code\'s machine id');
    for (const e of events.filter((e) => e.event === COMMAND_IDS.countWords)) assertCommandEvent(e, { id: COMMAND_IDS.countWords, common, userId });
    const start = events.find((e) => e.event === 'session.start');
    assert.deepEqual(start.properties, common, 'session.start carries the three common properties only');
    assert.equal(start.user_id, userId);
  });

  await t.check('well past the upload delay: nothing in the outbox, nothing sent, none at the server', async () => {
    await new Promise((r) => setTimeout(r, PAST_UPLOAD_DELAY_MS));
    assert.deepEqual(outboxEvents(t.storage), []);
    assert.deepEqual(sentLog(t.storage), []);
    assert.deepEqual(await t.footprint.events(), []);
  });

  await t.check(`"${COMMANDS.deleteData}" asks in the extension's name; "Cancel" keeps the events`, async () => {
    await vscode.runCommand(COMMANDS.deleteData);
    const dialog = await vscode.waitForDialog();
    assert.equal(dialog.message, DELETE_QUESTION, 'the delete question, copied from export-delete.ts deleteCommand');
    await vscode.clickDialogButton('Cancel');
    assert.equal((await storedEvents(t.storage)).events.length, 3);
  });
}
