import { expect } from 'chai';
import { openStore } from '../../shared/index.ts';
import {
  EXTENSION_COMMON_PROPERTIES,
  generateExtensionSampleEvents,
  WORD_COUNT_COMMANDS,
  WORD_COUNT_VERSIONS,
  type ExtensionSampleEvent,
} from '../../shared/sample-extension-data.ts';

const DAY_MS = 86_400_000;
const END = Date.UTC(2026, 10, 28, 12);
const SMALL = { installations: 20, days: 30, end: END } as const;

/** The properties each event name may carry besides the three common ones (the library's design). */
const OWN_PROPERTIES: Record<string, { required: string[]; optional?: string[] }> = {
  'session.start': { required: [] },
  'session.end': { required: ['duration_ms'] },
  $error: { required: ['name', 'message', 'stack'], optional: ['command'] },
  ...Object.fromEntries(WORD_COUNT_COMMANDS.map((command) => [command, { required: ['command', 'duration_ms', 'success'] }])),
};

function countBy(events: readonly ExtensionSampleEvent[], key: (event: ExtensionSampleEvent) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[key(event)] = (counts[key(event)] ?? 0) + 1;
  return counts;
}

function adopters(events: readonly ExtensionSampleEvent[], command: string): number {
  return new Set(events.filter((e) => e.event === command).map((e) => e.user_id)).size;
}

describe('generateExtensionSampleEvents', () => {
  describe('determinism', () => {
    it('gives deep-equal output for the same options', () => {
      expect(generateExtensionSampleEvents({ seed: 3, ...SMALL })).to.deep.equal(generateExtensionSampleEvents({ seed: 3, ...SMALL }));
    });

    it('uses seed 14 by default, and another seed gives other installations', () => {
      const byDefault = generateExtensionSampleEvents(SMALL);
      expect(byDefault).to.deep.equal(generateExtensionSampleEvents({ ...SMALL, seed: 14 }));
      expect(generateExtensionSampleEvents({ ...SMALL, seed: 15 })[0]!.user_id).to.not.equal(byDefault[0]!.user_id);
    });

    it("keeps an installation's events whatever the number of installations", () => {
      const few = generateExtensionSampleEvents({ ...SMALL, installations: 5 });
      const ids = new Set(few.map((e) => e.user_id));
      const many = generateExtensionSampleEvents(SMALL).filter((e) => ids.has(e.user_id));
      expect(many.map((e) => [e.event, e.user_id, e.timestamp, e.properties])).to.deep.equal(few.map((e) => [e.event, e.user_id, e.timestamp, e.properties]));
    });
  });

  describe('20 installations over 30 days (seed 14)', () => {
    const events = generateExtensionSampleEvents(SMALL);

    it('has these events, by name', () => {
      expect(events.length).to.equal(615);
      expect(countBy(events, (e) => e.event)).to.deep.equal({
        $error: 11,
        'session.end': 143,
        'session.start': 143,
        'wordCount.countSelection': 44,
        'wordCount.countWords': 143,
        'wordCount.showStatistics': 127,
        'wordCount.toggleStatusBar': 4,
      });
    });

    it('has 20 installations, each identified by inst_ and 22 base64url characters', () => {
      const ids = new Set(events.map((e) => e.user_id));
      expect(ids.size).to.equal(20);
      for (const id of ids) expect(id).to.match(/^inst_[A-Za-z0-9_-]{22}$/);
    });

    it('has these adopters of each command, and these failed runs', () => {
      expect(WORD_COUNT_COMMANDS.map((command) => adopters(events, command))).to.deep.equal([12, 5, 3, 1]);
      const failed = events.filter((e) => e.event.startsWith('wordCount.') && e.properties.success === false);
      expect(countBy(failed, (e) => e.event)).to.deep.equal({ 'wordCount.countWords': 1, 'wordCount.showStatistics': 1, 'wordCount.countSelection': 7 });
    });

    it('carries the versions of the time: 1.1.0 and 1.2.0 (1.0.0 was replaced before the range), on these platforms', () => {
      expect(countBy(events, (e) => String(e.properties.extension_version))).to.deep.equal({ '1.1.0': 129, '1.2.0': 486 });
      expect(countBy(events, (e) => String(e.properties.platform))).to.deep.equal({ darwin: 114, linux: 113, win32: 388 });
    });

    it('gives each event name only the properties the library records, and every event the three common ones', () => {
      for (const event of events) {
        const spec = OWN_PROPERTIES[event.event];
        expect(spec, event.event).to.not.equal(undefined);
        const keys = Object.keys(event.properties).filter((key) => !(EXTENSION_COMMON_PROPERTIES as readonly string[]).includes(key));
        expect(keys.filter((key) => !spec!.required.includes(key) && !spec!.optional?.includes(key)), event.event).to.deep.equal([]);
        expect(spec!.required.filter((key) => !keys.includes(key)), event.event).to.deep.equal([]);
        expect(WORD_COUNT_VERSIONS).to.include(event.properties.extension_version);
        expect(event.properties.vscode_version).to.match(/^1\.(9\d|1\d\d)\.\d+$/);
        expect(['linux', 'darwin', 'win32']).to.include(event.properties.platform);
      }
    });

    it('gives commands their own id as `command`, a whole duration and a success flag', () => {
      for (const event of events.filter((e) => e.event.startsWith('wordCount.'))) {
        expect(event.properties.command).to.equal(event.event);
        expect(Number.isInteger(event.properties.duration_ms) && (event.properties.duration_ms as number) >= 0).to.equal(true);
        expect(event.properties.success).to.be.a('boolean');
      }
    });

    it('scrubs paths from errors: a stack names places in the code as <path>:line:column', () => {
      const errors = events.filter((e) => e.event === '$error');
      expect(countBy(errors, (e) => `${e.properties.extension_version} ${e.properties.name}`)).to.deep.equal({
        '1.1.0 TypeError': 6,
        '1.1.0 RangeError': 1,
        '1.1.0 Error': 1,
        '1.2.0 Error': 3,
      });
      for (const error of errors) {
        expect(String(error.properties.stack)).to.not.match(/[/\\]/);
        expect(String(error.properties.stack).split('\n')[0]).to.equal(`${error.properties.name}: ${error.properties.message}`);
      }
    });

    it('ends each session with its length: session.end comes duration_ms after session.start', () => {
      const starts = new Map(events.filter((e) => e.event === 'session.start').map((e) => [e.session_id, e.timestamp]));
      for (const end of events.filter((e) => e.event === 'session.end')) {
        expect(end.timestamp - starts.get(end.session_id)!).to.be.within((end.properties.duration_ms as number) - 1, (end.properties.duration_ms as number) + 1);
      }
    });

    it('keeps every event in [end - days, end], sorted, with unique v4-shaped uuids', () => {
      expect(events.filter((e) => !(e.timestamp >= END - 30 * DAY_MS && e.timestamp <= END))).to.deep.equal([]);
      for (let i = 1; i < events.length; i++) expect(events[i]!.timestamp).to.be.at.least(events[i - 1]!.timestamp);
      expect(new Set(events.map((e) => e.uuid)).size).to.equal(events.length);
      for (const e of events) expect(e.uuid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('is taken whole by the store', async () => {
      const store = await openStore({ now: () => END });
      const report = await store.ingest(events);
      expect(report).to.deep.equal({ accepted: 615, duplicates: 0, rejected: [], ignoredFields: [] });
      const adoption = await store.query({ kind: 'adoption', features: [...WORD_COUNT_COMMANDS], periods: 30, to: '2026-11-28' });
      expect(adoption.features.map((f) => [f.feature, f.adopters])).to.deep.equal([
        ['wordCount.countWords', 12],
        ['wordCount.showStatistics', 5],
        ['wordCount.countSelection', 3],
        ['wordCount.toggleStatusBar', 1],
      ]);
    });
  });

  describe('with the default options', () => {
    const events = generateExtensionSampleEvents({ end: END });

    it('has about 400 installations and tens of thousands of events', () => {
      expect(new Set(events.map((e) => e.user_id)).size).to.be.within(360, 400);
      expect(events.length).to.be.within(20_000, 50_000);
    });

    it('has clearly more failures in 1.1.0 than in the versions around it', () => {
      const failureRate = (version: string): number => {
        const runs = events.filter((e) => e.properties.extension_version === version && e.event.startsWith('wordCount.'));
        return runs.filter((e) => e.properties.success === false).length / runs.length;
      };
      expect(failureRate('1.1.0')).to.be.above(4 * failureRate('1.0.0'));
      expect(failureRate('1.1.0')).to.be.above(4 * failureRate('1.2.0'));
    });

    it('moves most installations to a release within days of it: 1.2.0 carries most of the last week', () => {
      const lastWeek = events.filter((e) => e.timestamp > END - 7 * DAY_MS);
      const share = lastWeek.filter((e) => e.properties.extension_version === '1.2.0').length / lastWeek.length;
      expect(share).to.be.within(0.8, 0.99);
    });
  });

  it('rejects invalid options, naming them', () => {
    expect(() => generateExtensionSampleEvents({ days: 0 })).to.throw(RangeError, 'invalid days: 0');
    expect(() => generateExtensionSampleEvents({ installations: -1 })).to.throw(RangeError, 'invalid installations: -1');
    expect(() => generateExtensionSampleEvents({ end: Number.NaN })).to.throw(RangeError, 'invalid end: NaN');
  });
});
