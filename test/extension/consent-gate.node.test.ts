import { expect } from 'chai';
import { Consent, ALLOW, NOT_NOW, WHAT_IS_RECORDED, recordPromptText } from '../../extension/src/consent.ts';
import type { JournalEvent } from '../../extension/src/journal.ts';
import { Recorder } from '../../extension/src/recorder.ts';
import { SharingSink } from '../../extension/src/sharing-sink.ts';
import { allowedBy, readTelemetryLevel, TelemetryGate, type TelemetryLevel } from '../../extension/src/telemetry-gate.ts';
import { FakeVscode } from './fake-vscode.ts';

const IDENTITY = { extensionId: 'footprint.footprint', userId: 'inst_AAAAAAAAAAAAAAAAAAAAAA', sessionId: 'window-session-1', common: { extension_version: '0.2.0', vscode_version: '1.90.0', platform: 'linux' } };

function setup(consented: boolean, level: TelemetryLevel, product = true, loggerChecksLevel = true, share = false) {
  const fake = new FakeVscode();
  fake.loggerChecksLevel = loggerChecksLevel;
  fake.settings.set('telemetry.telemetryLevel', level);
  fake.settings.set('footprint.telemetry.enabled', consented);
  fake.settings.set('footprint.telemetry.share', share);
  fake.productTelemetry = product;
  const gate = new TelemetryGate(fake.env, fake.workspace, 'footprint');
  const recorded: JournalEvent[] = [];
  const sent: JournalEvent[] = [];
  const sink = new SharingSink({ record: (e) => recorded.push(e) }, { enqueue: (e) => sent.push(e) }, () => gate.allowed);
  const recorder = new Recorder(fake.env, IDENTITY, () => gate.allowed, sink, () => Date.UTC(2026, 10, 28, 12));
  return { fake, gate, recorder, recorded, sent };
}

/** Records one command and one error; returns the names of what reached the journal. */
function recordBoth(recorder: Recorder, recorded: JournalEvent[]): string[] {
  recorder.command('footprint.showDashboard', 12, true);
  recorder.error(new Error('boom'));
  return recorded.map((e) => e.event);
}

describe('extension: consent x telemetry level', () => {
  const cases: [consented: boolean, level: TelemetryLevel, product: boolean, expected: string[]][] = [
    [false, 'all', true, []],
    [false, 'error', true, []],
    [false, 'crash', true, []],
    [false, 'off', true, []],
    [false, 'all', false, []],
    [true, 'all', true, ['footprint.showDashboard', '$error']],
    [true, 'error', true, ['$error']],
    [true, 'crash', true, []],
    [true, 'off', true, []],
    // Telemetry off by a policy or flag: isTelemetryEnabled is false although the level says all.
    [true, 'all', false, []],
  ];
  for (const [consented, level, product, expected] of cases) {
    // Twice: with a logger that checks the level as VS Code's does, and with one that does not, so the extension's own gate is what is tested.
    for (const loggerChecks of [true, false]) {
      it(`setting ${consented}, level ${level}${product ? '' : ', telemetry disabled by policy'}${loggerChecks ? '' : ' (logger checks nothing)'}: records ${expected.join(' + ') || 'nothing'}`, () => {
        const { recorder, recorded } = setup(consented, level, product, loggerChecks);
        expect(recordBoth(recorder, recorded)).to.deep.equal(expected);
      });
    }
  }

  it('allowedBy is the table of telemetry-gate.ts', () => {
    expect(allowedBy(true, 'all', true)).to.deep.equal({ usage: true, errors: true, share: false });
    expect(allowedBy(true, 'error', false)).to.deep.equal({ usage: false, errors: true, share: false });
    expect(allowedBy(true, 'crash', false)).to.deep.equal({ usage: false, errors: false, share: false });
    expect(allowedBy(false, 'all', true)).to.deep.equal({ usage: false, errors: false, share: false });
    expect(allowedBy(true, 'all', true, true)).to.deep.equal({ usage: true, errors: true, share: true });
    expect(allowedBy(true, 'error', true, true)).to.deep.equal({ usage: false, errors: true, share: true });
    expect(allowedBy(false, 'all', true, true)).to.deep.equal({ usage: false, errors: false, share: false });
    expect(allowedBy(true, 'off', false, true)).to.deep.equal({ usage: false, errors: false, share: false });
  });

  it("readTelemetryLevel reads the four levels as they are, a missing one as VS Code's default all, and anything else as off", () => {
    const fake = new FakeVscode();
    const read = (value: unknown): TelemetryLevel => {
      if (value === undefined) fake.settings.delete('telemetry.telemetryLevel');
      else fake.settings.set('telemetry.telemetryLevel', value);
      return readTelemetryLevel(fake.workspace);
    };
    expect(['all', 'error', 'crash', 'off'].map(read)).to.deep.equal(['all', 'error', 'crash', 'off']);
    expect(read(undefined)).to.equal('all');
    expect(['bogus', 'ALL', 'on', '', 1, true].map(read)).to.deep.equal(['off', 'off', 'off', 'off', 'off', 'off']);
  });

  it('an unknown level records nothing', () => {
    const { recorder, recorded } = setup(true, 'bogus' as TelemetryLevel);
    expect(recordBoth(recorder, recorded)).to.deep.equal([]);
  });

  it("the event carries the installation id (not VS Code's machine id), the window's own session id (not VS Code's), a uuid, the time, its own properties and the three common ones", () => {
    const { recorder, recorded } = setup(true, 'all');
    recorder.command('footprint.exportData', 41.6, false);
    expect(recorded).to.have.length(1);
    const [event] = recorded;
    expect(event).to.deep.include({
      event: 'footprint.exportData',
      user_id: 'inst_AAAAAAAAAAAAAAAAAAAAAA',
      session_id: 'window-session-1',
      timestamp: Date.UTC(2026, 10, 28, 12),
      properties: { command: 'footprint.exportData', duration_ms: 42, success: false, extension_version: '0.2.0', vscode_version: '1.90.0', platform: 'linux' },
    });
    expect(event!.uuid).to.match(/^[\da-f-]{36}$/);
  });

  it('an error of a command names the command; the author cannot override the common properties', () => {
    const { recorder, recorded } = setup(true, 'all');
    recorder.error(new TypeError('x is undefined'), 'wordCount.countWords');
    recorder.usage('my.event', { platform: 'spoofed', words: 3 });
    expect(recorded.map((e) => e.properties)).to.deep.equal([
      { name: 'TypeError', message: 'x is undefined', stack: recorded[0]!.properties!.stack, command: 'wordCount.countWords', extension_version: '0.2.0', vscode_version: '1.90.0', platform: 'linux' },
      { words: 3, extension_version: '0.2.0', vscode_version: '1.90.0', platform: 'linux' },
    ]);
  });

  it('an error is recorded as $error with its stack and message scrubbed of paths', () => {
    const { recorder, recorded } = setup(true, 'all');
    const error = new Error('cannot read /home/ann/secret-project/notes.md');
    error.stack = 'Error: cannot read /home/ann/secret-project/notes.md\n    at open (/home/ann/.vscode/extensions/footprint/dist/extension.js:12:5)\n    at C:\\Users\\Ann\\x.js:1:2';
    recorder.error(error);
    expect(recorded[0]!.event).to.equal('$error');
    expect(recorded[0]!.properties).to.deep.equal({
      name: 'Error',
      message: 'cannot read <path>',
      stack: 'Error: cannot read <path>\n    at open (<path>:12:5)\n    at <path>:1:2',
      ...IDENTITY.common,
    });
  });
});

describe('extension: record consent x share consent x telemetry level', () => {
  // [record, share, level, product telemetry, recorded on this machine, sent to the author]
  const both = ['footprint.showDashboard', '$error'];
  const cases: [boolean, boolean, TelemetryLevel, boolean, string[], string[]][] = [];
  for (const level of ['all', 'error', 'crash', 'off'] as TelemetryLevel[]) {
    for (const record of [false, true]) {
      for (const share of [false, true]) {
        const recorded = !record ? [] : level === 'all' ? both : level === 'error' ? ['$error'] : [];
        cases.push([record, share, level, true, recorded, share ? recorded : []]);
      }
    }
  }
  // Telemetry off by a policy or flag while the level says all.
  cases.push([true, true, 'all', false, [], []]);
  it('has all 17 cases', () => expect(cases).to.have.length(17));
  for (const [record, share, level, product, recorded, sent] of cases) {
    it(`record ${record}, share ${share}, level ${level}${product ? '' : ', telemetry disabled by policy'}: records ${recorded.join(' + ') || 'nothing'}, sends ${sent.join(' + ') || 'nothing'}`, () => {
      const setupResult = setup(record, level, product, false, share);
      expect(recordBoth(setupResult.recorder, setupResult.recorded)).to.deep.equal(recorded);
      expect(setupResult.sent.map((e) => e.event)).to.deep.equal(sent);
      // What is sent is what is recorded, the same events (same uuids).
      expect(setupResult.sent.map((e) => e.uuid)).to.deep.equal(setupResult.recorded.filter((e) => sent.includes(e.event)).map((e) => e.uuid));
    });
  }

  it('withdrawing sharing stops sending before the next event, recording goes on', () => {
    const { fake, recorder, recorded, sent } = setup(true, 'all', true, true, true);
    recorder.usage('a');
    fake.set('footprint.telemetry.share', false);
    recorder.usage('b');
    fake.set('footprint.telemetry.share', true);
    fake.set('footprint.telemetry.enabled', false);
    recorder.usage('c');
    expect(recorded.map((e) => e.event)).to.deep.equal(['a', 'b']);
    expect(sent.map((e) => e.event)).to.deep.equal(['a']);
  });
});

describe('extension: changes take effect at once', () => {
  it('turning the level to off, then error, then all changes what the next events record', () => {
    const { fake, recorder, recorded } = setup(true, 'all');
    expect(recordBoth(recorder, recorded)).to.deep.equal(['footprint.showDashboard', '$error']);
    fake.set('telemetry.telemetryLevel', 'off');
    expect(recordBoth(recorder, recorded)).to.have.length(2);
    fake.set('telemetry.telemetryLevel', 'error');
    expect(recordBoth(recorder, recorded).slice(2)).to.deep.equal(['$error']);
    fake.set('telemetry.telemetryLevel', 'all');
    expect(recordBoth(recorder, recorded).slice(3)).to.deep.equal(['footprint.showDashboard', '$error']);
  });

  it('the gate tells its listeners on the configuration and telemetry events', () => {
    const { fake, gate } = setup(false, 'all');
    const seen: string[] = [];
    gate.onDidChange((allowed) => seen.push(`${allowed.usage}/${allowed.errors}/${allowed.share}`));
    fake.set('footprint.telemetry.enabled', true);
    fake.setProductTelemetry(false);
    fake.setProductTelemetry(true);
    fake.set('footprint.telemetry.share', true);
    fake.set('telemetry.telemetryLevel', 'error');
    fake.set('footprint.telemetry.enabled', false);
    expect(seen).to.deep.equal(['true/true/false', 'false/false/false', 'true/true/false', 'true/true/true', 'false/true/true', 'false/false/false']);
  });

  it('withdrawing consent stops recording before the next event', () => {
    const { fake, recorder, recorded } = setup(true, 'all');
    recorder.command('footprint.showDashboard', 1, true);
    fake.set('footprint.telemetry.enabled', false);
    recorder.command('footprint.showDashboard', 1, true);
    expect(recorded).to.have.length(1);
  });
});

describe('extension: the consent prompt', () => {
  function consentOf(fake: FakeVscode, shown: string[] = []) {
    return new Consent({
      section: 'footprint',
      key: 'telemetry.enabled',
      promptedKey: 'footprint.footprint.recordPrompted',
      promptText: recordPromptText('Footprint'),
      workspace: fake.workspace,
      window: fake.window,
      globalState: fake.globalState,
      showWhatIsRecorded: () => void shown.push('telemetry.json'),
    });
  }

  it('is pending until asked; Allow turns the setting on', async () => {
    const fake = new FakeVscode();
    const consent = consentOf(fake);
    expect(consent.consent).to.equal('pending');
    fake.answers.push(ALLOW);
    expect(await consent.promptOnce()).to.equal(ALLOW);
    expect(fake.settings.get('footprint.telemetry.enabled')).to.equal(true);
    expect(consent.consent).to.equal('granted');
    expect(fake.messages.map((m) => m.items)).to.deep.equal([[ALLOW, NOT_NOW, WHAT_IS_RECORDED]]);
  });

  it('"What is recorded?" shows the description and asks again; "Not now" leaves recording off; never asked twice', async () => {
    const fake = new FakeVscode();
    const shown: string[] = [];
    const consent = consentOf(fake, shown);
    fake.answers.push(WHAT_IS_RECORDED, NOT_NOW);
    expect(await consent.promptOnce()).to.equal(NOT_NOW);
    expect(shown).to.deep.equal(['telemetry.json']);
    expect(fake.messages).to.have.length(2);
    expect(fake.settings.get('footprint.telemetry.enabled')).to.equal(undefined);
    expect(consent.consent).to.equal('denied');
    expect(fake.state.get('footprint.footprint.recordPrompted')).to.equal(true);
    expect(await consent.promptOnce()).to.equal(undefined);
    expect(fake.messages).to.have.length(2);
  });

  it('a dismissed prompt counts as asked and records nothing', async () => {
    const fake = new FakeVscode();
    const consent = consentOf(fake);
    fake.answers.push(undefined);
    expect(await consent.promptOnce()).to.equal(undefined);
    expect(consent.consent).to.equal('denied');
  });

  it('toggle flips the setting and tells listeners', async () => {
    const fake = new FakeVscode();
    const consent = consentOf(fake);
    const states: string[] = [];
    consent.onConsentChange((s) => states.push(s));
    await consent.toggle();
    await consent.toggle();
    expect(states).to.deep.equal(['granted', 'denied']);
    expect(fake.settings.get('footprint.telemetry.enabled')).to.equal(false);
  });
});
