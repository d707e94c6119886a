// Word Count scenario 1 (issue 14): the example extension, installed from its
// .vsix in a fresh profile, with a Footprint server on loopback as its
// author's. Before the user answers the record prompt, commands run and
// nothing is recorded on the machine or sent to the server.
import assert from 'node:assert/strict';
import { COMMANDS, NOTES, PAST_UPLOAD_DELAY_MS, RECORD_PROMPT, PROMPT_BUTTONS, assertNothingKept, countWords, prepareExample, waitForText } from './word-count.mjs';

export const title = 'Word Count, before consent: the record prompt shows, Count Words runs twice, nothing recorded, nothing at the server';
export const extension = 'example';
export const before = prepareExample;

export default async function (t) {
  const { vscode } = t;
  await t.step('the record prompt appears with its three answers, and no share prompt', async () => {
    const prompt = await waitForText(vscode, RECORD_PROMPT, 'extension/src/consent.ts recordPromptText');
    assert.deepEqual(prompt.buttons, PROMPT_BUTTONS);
    const others = (await vscode.notifications()).filter((n) => n.message.startsWith('Also share'));
    assert.deepEqual(others, [], 'no share prompt before recording is allowed');
  });

  await t.step(`open ${NOTES.name} and run "${COMMANDS.countWords}" twice, the prompt unanswered`, async () => {
    await vscode.openFile(NOTES.name);
    await countWords(vscode);
    await countWords(vscode);
  });

  await t.step('well past the upload delay: no event on disk, in the outbox or the sent log', async () => {
    await new Promise((r) => setTimeout(r, PAST_UPLOAD_DELAY_MS));
    await assertNothingKept(t.storage);
  });

  await t.step('the Footprint server holds no event', async () => {
    assert.deepEqual(await t.footprint.events(), []);
  });
}
