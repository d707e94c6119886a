/**
 * createUsageRecorder's whole wiring in Node, with a Footprint server on
 * loopback: the prompts, commands recorded as they run, what stays on the
 * machine, what reaches the server (exactly once), and withdrawal with
 * erasure. The real VS Code suite (test/e2e) checks the same from the
 * Command Palette.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openStore } from '../../shared/store/store.ts';
import { createUsageRecorderWith, type UsageRecorder } from '../../extension/src/usage-recorder.ts';
import { DATABASE_FILE } from '../../extension/src/compaction.ts';
import { readFileSync } from 'node:fs';
import { ALLOW, NOT_NOW } from '../../extension/src/consent.ts';
import { startServer, type TestServer } from '../server/harness.ts';
import { FakeVscodeApi } from './fake-vscode-api.ts';

const require = createRequire(import.meta.url);
/** sql.js's wasm, where the library's media folder would hold it. */
const MEDIA = dirname(require.resolve('sql.js/dist/sql-wasm.wasm'));
const WORD_COUNT = {
  name: 'word-count',
  publisher: 'footprint-examples',
  displayName: 'Word Count',
  version: '1.0.0',
  commands: ['wordCount.countWords', 'wordCount.usage.showDashboard', 'wordCount.usage.toggleRecording', 'wordCount.usage.deleteData'],
};

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('footprint/vscode: createUsageRecorder, wired', () => {
  let folder: string;
  let server: TestServer;
  let fake: FakeVscodeApi;
  let usage: UsageRecorder | undefined;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'fp-usage-'));
    server = await startServer();
    fake = new FakeVscodeApi();
    fake.extensionId = 'footprint-examples.word-count';
  });
  afterEach(async () => {
    await usage?.dispose();
    usage = undefined;
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function start(answers: (string | undefined)[]) {
    fake.answers.push(...answers);
    usage = createUsageRecorderWith(fake.api as never, fake.context(folder, WORD_COUNT), { upload: { url: server.url, key: server.keys.write }, media: MEDIA });
    fake.api.commands.registerCommand('wordCount.countWords', (text: unknown) => String(text).split(/\s+/).length);
    fake.api.commands.registerCommand('wordCount.broken', () => {
      throw new TypeError('cannot read /home/ann/notes.md');
    });
    return usage;
  }

  /** The events the server holds for project shop, by name (read key). */
  async function atServer(): Promise<{ event: string; user_id: string; uuid: string; properties: Record<string, unknown> }[]> {
    const answer = await fetch(`${server.url}/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.read}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'events', from: '2020-01-01', to: '2100-12-31', limit: 1000 }),
    });
    return ((await answer.json()) as { events: never[] }).events;
  }

  /** The events stored on the machine (after a flush). */
  async function onMachine() {
    const store = await openStore({ data: readFileSync(join(folder, DATABASE_FILE)) });
    try {
      return (await store.query({ kind: 'events', from: '2020-01-01', to: '2100-12-31', limit: 1000 })).events;
    } finally {
      await store.close();
    }
  }

  it('asks twice (record, then share); commands are recorded as they run, with the installation id and the three common properties, and each arrives at the server once', async () => {
    const recorder = start([ALLOW, ALLOW]);
    await until(() => fake.settings.get('wordCount.telemetry.share') === true, 'the share consent');
    expect(fake.messages.map((m) => m.text)).to.deep.equal([
      "Word Count can record how you use it (its commands, its errors), kept only on this machine. VS Code's telemetry setting still applies.",
      `Also share your usage of Word Count with its author (${new URL(server.url).origin})? The same events, with no file or workspace names; you can see each one sent and withdraw at any time.`,
    ]);
    expect(await fake.run('wordCount.countWords', 'one two three')).to.equal(3);
    expect(() => fake.run('wordCount.broken')).to.throw(TypeError);
    expect(recorder.track('selection.counted', { selections: 2 })).to.equal(true);
    await recorder.flush();

    const local = await onMachine();
    expect(local.map((e) => e.event).sort()).to.deep.equal(['$error', 'selection.counted', 'session.start', 'wordCount.broken', 'wordCount.countWords']);
    const count = local.find((e) => e.event === 'wordCount.countWords')!;
    expect(count.user_id).to.equal(recorder.installationId);
    expect(count.user_id).to.match(/^inst_[\w-]{22}$/);
    expect(Object.keys(count.properties).sort()).to.deep.equal(['command', 'duration_ms', 'extension_version', 'platform', 'success', 'vscode_version']);
    expect(count.properties).to.include({ command: 'wordCount.countWords', success: true, extension_version: '1.0.0', vscode_version: '1.139.1', platform: process.platform });
    expect(local.find((e) => e.event === 'wordCount.broken')!.properties).to.include({ success: false });
    expect(local.find((e) => e.event === '$error')!.properties).to.include({ name: 'TypeError', message: 'cannot read <path>', command: 'wordCount.broken' });

    // The server holds exactly the events recorded while sharing, each once: all but session.start, recorded at the first consent, before the second.
    const remote = await atServer();
    const whileSharing = local.filter((e) => e.event !== 'session.start');
    expect(remote.map((e) => e.uuid).sort()).to.deep.equal(whileSharing.map((e) => e.uuid).sort());
    expect(new Set(remote.map((e) => e.user_id))).to.deep.equal(new Set([recorder.installationId]));
    // Sending again sends nothing more.
    await recorder.flush();
    expect(await atServer()).to.have.length(whileSharing.length);
  });

  it('record only: events on the machine, none at the server', async () => {
    const recorder = start([ALLOW, NOT_NOW]);
    await until(() => fake.messages.length === 2, 'the share prompt');
    await fake.run('wordCount.countWords', 'a b');
    await recorder.flush();
    expect((await onMachine()).map((e) => e.event).sort()).to.deep.equal(['session.start', 'wordCount.countWords']);
    expect(await atServer()).to.deep.equal([]);
    // "Not now" leaves the setting as it was (off by default), and the question is not asked again.
    expect(fake.settings.get('wordCount.telemetry.share')).to.equal(undefined);
  });

  it('nothing is recorded or sent before consent (the prompt dismissed)', async () => {
    const recorder = start([undefined]);
    await until(() => fake.messages.length === 1, 'the record prompt');
    await fake.run('wordCount.countWords', 'a b');
    expect(recorder.track('x')).to.equal(false);
    await recorder.flush();
    expect(await onMachine()).to.deep.equal([]);
    expect(await atServer()).to.deep.equal([]);
  });

  it("the library's own privacy commands are not recorded; the dashboard command is, its page's use is not (dashboardEvents off)", async () => {
    const recorder = start([ALLOW, NOT_NOW]);
    await until(() => fake.messages.length === 2, 'the prompts');
    await fake.run('wordCount.usage.toggleRecording');
    await fake.run('wordCount.usage.toggleRecording');
    await fake.run('wordCount.usage.showDashboard');
    await recorder.flush();
    expect((await onMachine()).map((e) => e.event).sort()).to.deep.equal(['session.start', 'wordCount.usage.showDashboard']);
    expect(fake.panels.map((p) => [p.viewType, p.title])).to.deep.equal([['wordCount.usage.dashboard', 'Word Count: Usage']]);
  });

  it('withdrawing sharing stops sending at once, and Erase asks the server to erase what this installation sent', async () => {
    const recorder = start([ALLOW, ALLOW]);
    await until(() => fake.settings.get('wordCount.telemetry.share') === true, 'the share consent');
    await fake.run('wordCount.countWords', 'a');
    await recorder.flush();
    const sent = await atServer();
    expect(sent.map((e) => e.event)).to.deep.equal(['wordCount.countWords']);

    fake.answers.push('Erase');
    fake.set('wordCount.telemetry.share', false);
    await fake.run('wordCount.countWords', 'b c');
    await fake.run('wordCount.countWords', 'd e f');
    await until(() => fake.messages.find((m) => m.text.includes('erased')), 'the erasure to be confirmed');
    expect(fake.messages.map((m) => m.text).slice(2)).to.deep.equal([
      `Word Count stopped sharing. Ask ${new URL(server.url).origin} to erase the 1 event this installation sent?`,
      `${new URL(server.url).origin} erased 1 event of this installation.`,
    ]);
    await recorder.flush();
    expect(await atServer()).to.deep.equal([]);
    // Recording goes on: three commands on the machine.
    expect((await onMachine()).filter((e) => e.event === 'wordCount.countWords')).to.have.length(3);
  });

  it('an erasure the server cannot answer says why and offers to try again; the sent list is kept', async () => {
    const recorder = start([ALLOW, ALLOW]);
    await until(() => fake.settings.get('wordCount.telemetry.share') === true, 'the share consent');
    await fake.run('wordCount.countWords', 'a');
    await recorder.flush();
    await server.close();
    fake.answers.push('Erase', undefined);
    fake.set('wordCount.telemetry.enabled', false);
    const failed = await until(() => fake.errors[0], 'the error message');
    expect(failed).to.match(new RegExp(`^Word Count: could not ask ${new URL(server.url).origin.replace(/[.]/g, '\\.')} to erase the shared events \\(.+\\)\\.$`));
    expect(fake.messages.at(-1)!.items).to.deep.equal(['Try again']);
    server = await startServer();
  });

  it('at telemetry level off, nothing is recorded or sent, whatever both settings say', async () => {
    fake.settings.set('telemetry.telemetryLevel', 'off');
    fake.settings.set('wordCount.telemetry.enabled', true);
    fake.settings.set('wordCount.telemetry.share', true);
    const recorder = start([]);
    await fake.run('wordCount.countWords', 'a');
    expect(() => fake.run('wordCount.broken')).to.throw(TypeError);
    await recorder.flush();
    expect(await onMachine()).to.deep.equal([]);
    expect(await atServer()).to.deep.equal([]);
    expect(fake.messages).to.deep.equal([]);
  });
});
