// What the end-to-end scenarios of the Word Count example (test/e2e/*word*.e2e.mjs,
// `export const extension = 'example'`) know about it as VS Code shows it, and
// how they read its state: the example's storage folder on disk (journals,
// outbox, sent log), a Footprint server started on loopback for the scenario
// (what arrived there), and the dashboard's "Sent to the author" table inside
// the webview.
// The texts below are copied from the library (extension/src/consent.ts,
// usage-recorder.ts) and the example (examples/vscode-word-count); when they
// change, these must change too, and the scenarios say which one no longer
// matches (`waitForText`).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { buildServer } from '../../esbuild.config.mjs';
import { CODE_SERVER_VERSION } from '../../scripts/e2e/tools.mjs';
import { waitUntil } from '../../scripts/e2e/vscode.mjs';

import { assertCommandEvent as assertFootprintCommandEvent, commonProperties as footprintCommonProperties, storedEvents } from './footprint.mjs';

export { INSTALLATION_ID, countByName, dashboardShotHeight, storedEvents, webviewTheme } from './footprint.mjs';

/** Command palette titles (examples/vscode-word-count/package.json `category: title`). */
export const COMMANDS = {
  countWords: 'Word Count: Count Words',
  countSelection: 'Word Count: Count Words in Selection',
  showDashboard: 'Word Count: Show Usage Dashboard',
  toggleRecording: 'Word Count: Toggle Usage Recording',
  toggleSharing: 'Word Count: Toggle Sharing Usage with the Author',
  whatIsRecorded: 'Word Count: What Usage Is Recorded?',
  showEvents: 'Word Count: Show Recorded Events',
  deleteData: 'Word Count: Delete Usage Data',
};

/** Command ids, as recorded (each command's event is its id). */
export const COMMAND_IDS = {
  countWords: 'wordCount.countWords',
  showDashboard: 'wordCount.usage.showDashboard',
};

/** The Footprint server's project the example sends to (its write key), and its name in the keys. */
export const PROJECT = 'word-count';

/** The record prompt: consent.ts `recordPromptText('Word Count')`. */
export const RECORD_PROMPT = "Word Count can record how you use it (its commands, its errors), kept only on this machine. VS Code's telemetry setting still applies.";
/** The share prompt: consent.ts `sharePromptText('Word Count', origin)`, `origin` the server's (`http://127.0.0.1:PORT`). */
export const sharePrompt = (origin) => `Also share your usage of Word Count with its author (${origin})? The same events, with no file or workspace names; you can see each one sent and withdraw at any time.`;
/** The buttons of both prompts (consent.ts ALLOW, NOT_NOW, WHAT_IS_RECORDED). */
export const PROMPT_BUTTONS = ['Allow', 'Not now', 'What is recorded?'];
/** The offer to erase after sharing was withdrawn (usage-recorder.ts withdrawSharing), and its buttons. */
export const eraseOffer = (origin, count) => `Word Count stopped sharing. Ask ${origin} to erase the ${count} event${count === 1 ? '' : 's'} this installation sent?`;
export const ERASE_BUTTONS = ['Erase', 'Keep'];
/** What the server's answer to the erasure is shown as (usage-recorder.ts eraseShared). */
export const erased = (origin, count) => `${origin} erased ${count} event${count === 1 ? '' : 's'} of this installation.`;
/** The delete confirmation (export-delete.ts `deleteCommand`, in the extension's name). */
export const DELETE_QUESTION = 'Delete all usage data Word Count recorded on this machine?';
/** What Count Words shows (the example's extension.ts). */
export const wordsMessage = (count) => `${count} word${count === 1 ? '' : 's'}`;
/** The sent table's notes (extension/webview/sent-table.ts). */
export const SENT_NOTES = {
  none: 'No event has been sent.',
  count: (n) => `${n} event${n === 1 ? '' : 's'} sent.`,
  sharing: (origin) => `Sharing is on: the events recorded from now on are sent to ${origin}.`,
  notSharing: (origin) => `Sharing is off: nothing is sent to ${origin}.`,
};

/**
 * The text file the scenarios count (written into the workspace before
 * code-server starts) and its words: 9.
 */
export const NOTES = { name: 'notes.txt', text: 'The quick brown fox jumps over the lazy dog.\n', words: 9 };

/** How long after an event the uploader sends it (upload.ts `delayMs`, 2 s), and what leftovers wait at start (3 s): a scenario waits well past both before it says nothing went. */
export const PAST_UPLOAD_DELAY_MS = 8_000;

/** The properties every event carries (the library's three common ones), in this profile. */
export function commonProperties(manifest) {
  return footprintCommonProperties(manifest, CODE_SERVER_VERSION);
}

/**
 * Waits for a notification saying exactly `text`. When none comes, the
 * error says which copied text (`what`, e.g. "consent.ts recordPromptText")
 * no longer matches and lists the notifications shown instead.
 */
export async function waitForText(vscode, text, what, { timeoutMs = 30_000 } = {}) {
  try {
    const found = await waitUntil(async () => (await vscode.notifications()).find((n) => n.message === text), `a notification saying ${JSON.stringify(text)}`, { timeoutMs });
    return found;
  } catch {
    const shown = (await vscode.notifications().catch(() => [])).map((n) => n.message);
    throw new Error(`no notification says the text copied from ${what} into test/e2e/word-count.mjs:\n  ${JSON.stringify(text)}\nshown instead: ${JSON.stringify(shown)}\n(if the library changed this text on purpose, copy the new one into word-count.mjs)`);
  }
}

/** Runs Count Words on the open notes file and waits for its answer ("9 words"), then closes that toast. */
export async function countWords(vscode) {
  await vscode.runCommand(COMMANDS.countWords);
  const message = wordsMessage(NOTES.words);
  await waitForText(vscode, message, "the example's extension.ts (Count Words' message)");
  await closeToast(vscode, message);
}

/**
 * Closes the toasts saying `text` with their close buttons (shown on
 * hover), so they neither cover the next screenshot nor hide other toasts.
 */
export async function closeToast(vscode, text) {
  const { page } = vscode;
  const items = page.locator('.notification-toast .notification-list-item').filter({ hasText: text });
  await waitUntil(async () => {
    const item = items.first();
    if ((await items.count()) === 0) return true;
    await item.hover({ timeout: 1000 }).catch(() => undefined);
    await item.locator('.codicon-notifications-clear').first().click({ timeout: 1000 }).catch(() => undefined);
    return false;
  }, `the toast saying ${text} to close`, { timeoutMs: 15_000, intervalMs: 300 });
  await page.mouse.move(0, 0);
}

/**
 * The `before` of every Word Count scenario: a Footprint server on loopback
 * (`t.footprint`, see startFootprintServer) and the notes file in the
 * workspace; the example gets the server's URL and write key through
 * code-server's environment.
 */
export async function prepareExample(t) {
  t.footprint = await startFootprintServer(t);
  writeFileSync(join(t.profile.workspace, NOTES.name), NOTES.text);
  return { env: t.footprint.env };
}

/**
 * Answers the record prompt, checking its text and buttons, and with
 * "Allow" waits until recording has begun (session.start on disk).
 */
export async function answerRecordPrompt(t, button) {
  const prompt = await waitForText(t.vscode, RECORD_PROMPT, 'extension/src/consent.ts recordPromptText');
  assert.deepEqual(prompt.buttons, PROMPT_BUTTONS, 'the record prompt\'s buttons (consent.ts)');
  await t.vscode.clickNotificationButton(RECORD_PROMPT, button);
  if (button === 'Allow') await waitUntil(async () => (await storedEvents(t.storage)).events.some((e) => e.event === 'session.start'), 'session.start on disk once recording is allowed');
}

/** Answers the share prompt (it comes after "Allow" to the record prompt), checking its text and buttons. */
export async function answerSharePrompt(t, button) {
  const text = sharePrompt(t.footprint.origin);
  const prompt = await waitForText(t.vscode, text, 'extension/src/consent.ts sharePromptText');
  assert.deepEqual(prompt.buttons, PROMPT_BUTTONS, 'the share prompt\'s buttons (consent.ts)');
  await t.vscode.clickNotificationButton(text, button);
}

/**
 * Clicks a button of a notification saying exactly `text`: in its toast,
 * or, when the toast has hidden itself meanwhile, in the notification center.
 */
export async function clickNotification(vscode, text, button) {
  const { page } = vscode;
  const toast = page.locator('.notification-toast .notification-list-item').filter({ hasText: text }).first();
  if ((await toast.count()) === 0) {
    await vscode.runCommand('Notifications: Show Notifications');
    await page.locator('.notifications-center').waitFor({ state: 'visible' });
  }
  const item = page.locator('.notification-toast .notification-list-item, .notifications-center .notification-list-item').filter({ hasText: text }).first();
  await item.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
  await item.waitFor({ state: 'detached', timeout: 30_000 });
}

// ---- the example's storage folder -------------------------------------------

/** Lines of the files of a folder (`*.ndjson`, `*.sealed`), parsed, oldest file first. */
function ndjsonLines(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /\.(ndjson|sealed)$/.test(name))
    .sort()
    .flatMap((name) => readFileSync(join(folder, name), 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)));
}

/** The events waiting in the outbox (every window's, active and sealed). */
export function outboxEvents(storage) {
  return ndjsonLines(join(storage, 'outbox'));
}

/** The sent log (sent-log.ts): `[{ uuid, event, timestamp, sent_at, url }]`, as written. */
export function sentLog(storage) {
  const path = join(storage, 'sent.ndjson');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)) : [];
}

/** Nothing of the example's on this machine: no event on disk (journals, database), in the outbox, or in the sent log. */
export async function assertNothingKept(storage) {
  const { events, files } = await storedEvents(storage);
  assert.deepEqual(events, [], `events found in ${storage} (files: ${files.join(', ')})`);
  assert.deepEqual(outboxEvents(storage), []);
  assert.deepEqual(sentLog(storage), []);
}

/** The dashboard's sent table says sharing is off and lists nothing. */
export async function assertNothingSent(frame, origin) {
  const table = await sentTable(frame);
  assert.deepEqual(table.notes, [SENT_NOTES.notSharing(origin), SENT_NOTES.none]);
  assert.deepEqual(table.rows, []);
}

/** Checks one recorded command event: its properties are exactly command, duration_ms, success and the common three; its user is `userId`. */
export function assertCommandEvent(e, { id, success = true, common, userId }) {
  assert.equal(e.event, id);
  assertFootprintCommandEvent(e, { common, success });
  assert.equal(e.user_id, userId, `${id}: user_id`);
}

/** An event as compared between the machine and the server: `{ uuid, event, user_id, timestamp (ms), properties }`. */
const comparable = (e) => ({ uuid: e.uuid, event: e.event, user_id: e.user_id, timestamp: typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : e.timestamp, properties: e.properties });
const byUuid = (a, b) => a.uuid.localeCompare(b.uuid);

/**
 * Waits until the server holds exactly the events on the machine that were
 * recorded while sharing (those whose uuid is not in `notShared`), each
 * once, and the outbox is empty; then checks it stays so past the upload
 * delay (nothing more on its way). Resolves to those events, sorted by uuid.
 * When it does not happen, fails with the difference.
 */
export async function sharedEventsArrived(t, notShared, { timeoutMs = 30_000 } = {}) {
  const read = async () => ({
    local: (await storedEvents(t.storage)).events.filter((e) => !notShared.has(e.uuid)).map(comparable).sort(byUuid),
    remote: (await t.footprint.events()).map(comparable).sort(byUuid),
    outbox: outboxEvents(t.storage).length,
  });
  const same = ({ local, remote, outbox }) => outbox === 0 && local.length > 0 && isDeepStrictEqual(local, remote);
  // A timeout here is reported by the assertions below, with the difference.
  const settle = () => waitUntil(async () => same(await read()), 'the server to hold exactly the events recorded while sharing', { timeoutMs }).catch(() => undefined);
  await settle();
  // Past one upload delay: an event recorded a moment ago would be at the server, or on its way, by now.
  await new Promise((r) => setTimeout(r, PAST_UPLOAD_DELAY_MS / 2));
  await settle();
  const { local, remote, outbox } = await read();
  assert.equal(new Set(remote.map((e) => e.uuid)).size, remote.length, 'each event at the server once');
  assert.deepEqual(remote, local, 'the server\'s events (actual) and those recorded on the machine while sharing (expected)');
  assert.equal(outbox, 0, 'events left in the outbox');
  return remote;
}

// ---- a Footprint server on loopback -------------------------------------------

let serverModule;
/** dist/server/index.js, built once per run (esbuild.config.mjs buildServer). */
function serverCode() {
  serverModule ??= buildServer().then((outDir) => import(pathToFileURL(join(outDir, 'index.js')).href));
  return serverModule;
}

/**
 * Starts a Footprint server on 127.0.0.1 (a free port) with a data folder in
 * the scenario's profile, a write key and a read key of the project
 * `word-count`, and has the runner stop it after the scenario whatever
 * happens. Resolves to `{ url, origin, writeKey, env, events(), count() }`:
 * `env` is what the example reads (WORD_COUNT_FOOTPRINT_URL / _KEY), for
 * `before` to return; `events()` lists what the server holds.
 */
export async function startFootprintServer(t) {
  const { createServer, KeyRing } = await serverCode();
  const data = join(t.profile.root, 'footprint-server');
  mkdirSync(data, { recursive: true });
  const keys = KeyRing.open(data);
  const writeKey = keys.create(PROJECT, 'write', 'the Word Count example').key;
  const readKey = keys.create(PROJECT, 'read', 'the e2e scenario').key;
  const server = createServer({ data, port: 0, host: '127.0.0.1', projects: { [PROJECT]: {} }, log: false });
  const url = await server.listen();
  t.defer(() => server.close());
  const base = url.replace(/\/$/, '');
  /** Every event the server holds (newest first), or only `user`'s. */
  async function events({ user } = {}) {
    const response = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'events', limit: 10_000, ...(user ? { user } : {}) }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`POST ${base}/v1/query answered ${response.status}: ${JSON.stringify(body)}`);
    return body.events;
  }
  return { url: base, origin: new URL(base).origin, writeKey, env: { WORD_COUNT_FOOTPRINT_URL: base, WORD_COUNT_FOOTPRINT_KEY: writeKey }, events };
}

// ---- the dashboard's "Sent to the author" table ---------------------------------

/**
 * The sent table as the webview shows it, once it has the host's answer:
 * `{ notes: [text...], rows: [{ sent, event, recorded, to }] }` (newest first;
 * times as shown, `YYYY-MM-DD HH:MM:SS` UTC).
 */
export async function sentTable(frame, { timeoutMs = 30_000 } = {}) {
  return waitUntil(
    () =>
      frame.evaluate(() => {
        const root = document.querySelector('footprint-sent-table')?.shadowRoot;
        if (!root || root.querySelector('[role="status"]')?.textContent?.includes('Loading')) return undefined;
        const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();
        return {
          heading: text(root.querySelector('h2') ?? { textContent: '' }),
          notes: [...root.querySelectorAll('.note')].map(text),
          rows: [...root.querySelectorAll('tbody tr')].map((tr) => {
            const [sent, event, recorded, to] = [...tr.children].map(text);
            return { sent, event, recorded, to };
          }),
        };
      }),
    'the "Sent to the author" table of the dashboard',
    { timeoutMs },
  );
}

/** An epoch-ms time as the sent table shows it (UTC, to the second). */
export const shownTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');

/** Clicks the dashboard toolbar's Refresh button (the sent table asks the host again). */
export async function refreshDashboard(frame) {
  await frame.locator('vscode-button[data-run="refresh"]').click();
}
