import { expect } from 'chai';
import { UnreadableRecord } from '../../shared/ingest/text.ts';
import { HttpError } from '../../server/http/http-error.ts';
import { MAX_EVENTS_PER_REQUEST, readBatch } from '../../server/ingest/batch.ts';

/** The HttpError `run` throws, as [status, message]. */
function refusal(run: () => unknown): [number, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return [error.status, error.message];
    throw error;
  }
  throw new Error('expected an HttpError');
}

/** Records as plain values: an unreadable one as its reason. */
function shown(records: unknown[]): unknown[] {
  return records.map((record) => (record instanceof UnreadableRecord ? { unreadable: record.reason } : record));
}

describe('readBatch reads a body into records with their lines (server/ingest/batch.ts)', () => {
  it("reads NDJSON with each record's line, blank lines skipped, a malformed line kept as a rejection", () => {
    const body = '{"event":"a"}\n\n{"event":\n{"event":"c"}\r\n';
    for (const type of ['application/x-ndjson', 'text/plain;charset=UTF-8', undefined, 'application/json']) {
      const { records, lines } = readBatch(body, type);
      expect(lines, String(type)).to.deep.equal([1, 3, 4]);
      expect(shown(records)).to.deep.equal([
        { event: 'a' },
        { unreadable: `line 3: not valid JSON (Unexpected end of JSON input)` },
        { event: 'c' },
      ]);
    }
  });

  it('reads a JSON array; its elements have no line', () => {
    expect(readBatch(' [{"event":"a"},{"event":"b"}]', 'application/json')).to.deep.equal({ records: [{ event: 'a' }, { event: 'b' }], lines: [] });
    expect(readBatch('[{"event":"a"}]', 'text/plain')).to.deep.equal({ records: [{ event: 'a' }], lines: [] });
  });

  it('takes a single JSON object as one event, over several lines under application/json', () => {
    expect(readBatch('{\n  "event": "a",\n  "user_id": "u"\n}\n', 'application/json')).to.deep.equal({ records: [{ event: 'a', user_id: 'u' }], lines: [1] });
    expect(readBatch('{"event":"a"}', 'application/x-ndjson')).to.deep.equal({ records: [{ event: 'a' }], lines: [1] });
  });

  it('refuses a body that is not events with 400, naming what it is', () => {
    expect(refusal(() => readBatch('', 'application/x-ndjson'))).to.deep.equal([400, 'body: empty; send NDJSON (one JSON event object per line) or a JSON array of events']);
    expect(refusal(() => readBatch(' \n ', undefined))[1]).to.equal('body: empty; send NDJSON (one JSON event object per line) or a JSON array of events');
    expect(refusal(() => readBatch('event,user_id\na,u\n', 'text/plain'))).to.deep.equal([
      400,
      'body: not events: it starts with "event,user_id\\na,u\\n", not [ or {; send NDJSON (one JSON event object per line) or a JSON array of events',
    ]);
    expect(refusal(() => readBatch('42', 'application/json'))[1]).to.equal(
      'body: not events: it starts with "42", not [ or {; send NDJSON (one JSON event object per line) or a JSON array of events',
    );
    expect(refusal(() => readBatch('[{"event":"a"},', 'application/json'))[0]).to.equal(400);
    expect(refusal(() => readBatch('[{"event":"a"},', 'application/json'))[1]).to.match(/^body: json: not valid JSON \(.+\); nothing was ingested$/);
  });

  it('refuses a Content-Type that is not a batch with 415, naming it', () => {
    expect(refusal(() => readBatch('{"event":"a"}', 'application/x-www-form-urlencoded'))).to.deep.equal([
      415,
      "content-type 'application/x-www-form-urlencoded' is not accepted; send NDJSON (one JSON event object per line) or a JSON array of events as application/x-ndjson, application/json, text/plain",
    ]);
  });

  it(`takes ${MAX_EVENTS_PER_REQUEST} events a request and refuses one more with 413`, () => {
    const line = '{"event":"a"}\n';
    expect(readBatch(line.repeat(10_000), 'application/x-ndjson').records).to.have.length(10_000);
    expect(refusal(() => readBatch(line.repeat(10_001), 'application/x-ndjson'))).to.deep.equal([413, 'body: 10,001 events, over 10,000 a request; send smaller batches']);
    expect(refusal(() => readBatch(`[${'{},'.repeat(10_000)}{}]`, 'application/json'))[1]).to.equal('body: 10,001 events, over 10,000 a request; send smaller batches');
  });
});
