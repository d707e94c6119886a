// Word Count scenario 4 (issue 14): VS Code's `telemetry.telemetryLevel` is
// `off` while both of the example's consents are on in the settings. Nothing
// is recorded and nothing is sent, whatever runs, and the dashboard says so.
import assert from 'node:assert/strict';
import { COMMANDS, NOTES, PAST_UPLOAD_DELAY_MS, RECORD_PROMPT, assertNothingKept, assertNothingSent, countWords, prepareExample } from './word-count.mjs';

export const title = 'Word Count, telemetry.telemetryLevel off with both consents on: nothing recorded, nothing sent';
export const extension = 'example';
export const settings = { 'telemetry.telemetryLevel': 'off', 'wordCount.telemetry.enabled': true, 'wordCount.telemetry.share': true };
export const before = prepareExample;

export default async function (t) {
  const { vscode } = t;
  await t.step(`open ${NOTES.name}, run "${COMMANDS.countWords}" twice and open the dashboard`, async () => {
    await vscode.openFile(NOTES.name);
    await countWords(vscode);
    await countWords(vscode);
    await vscode.runCommand(COMMANDS.showDashboard);
  });

  await t.check('no prompt: the settings already say yes', async () => {
    const prompts = (await vscode.notifications()).filter((n) => n.message === RECORD_PROMPT || n.message.startsWith('Also share'));
    assert.deepEqual(prompts, []);
  });

  await t.check('the dashboard\'s sent table: sharing is off, nothing was sent', async () => {
    const frame = await vscode.waitForWebview('footprint-sent-table');
    await assertNothingSent(frame, t.footprint.origin);
  });

  await t.check('well past the upload delay: no event on disk, in the outbox or the sent log; none at the server', async () => {
    await new Promise((r) => setTimeout(r, PAST_UPLOAD_DELAY_MS));
    await assertNothingKept(t.storage);
    assert.deepEqual(await t.footprint.events(), []);
  });
}
