// The change stream of a Footprint server, read over fetch (shared/remote/event-stream.ts, live-subscription.ts): runs in Node and in Chromium.
import { expect } from 'chai';
import { connectServer, type LiveChange } from '../../shared/index.ts';
import { EventStreamParser, type StreamEvent } from '../../shared/remote/event-stream.ts';
import { eventStream, fakeFetch, json, until } from './fake-server.ts';

const ENDPOINT = 'https://analytics.example.com/v1';
const FAST = { backoff: { firstMs: 10, longestMs: 40 } };

describe('EventStreamParser', () => {
  function parse(chunks: string[]): { events: StreamEvent[]; retries: number[] } {
    const events: StreamEvent[] = [];
    const retries: number[] = [];
    const parser = new EventStreamParser({ onEvent: (event) => events.push(event), onRetry: (ms) => retries.push(ms) });
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    return { events, retries };
  }

  it('reads events, data lines, retry and comments, in chunks cut anywhere', () => {
    const text = 'retry: 2000\n\nevent: hello\ndata: {"version":1}\n\n: keep-alive\n\nevent: change\r\ndata: {"version":2}\r\n\r\ndata: a\ndata:b\nid: 7\n\n';
    const whole = parse([text]);
    expect(whole.retries).to.deep.equal([2000]);
    expect(whole.events).to.deep.equal([
      { event: 'hello', data: '{"version":1}' },
      { event: 'change', data: '{"version":2}' },
      { event: 'message', data: 'a\nb', id: '7' },
    ]);
    // Byte by byte, a CRLF split between chunks included: the same events.
    expect(parse([...text])).to.deep.equal(whole);
  });

  it('drops an event the stream ends before its blank line, and fields it does not know', () => {
    const { events } = parse(['event: change\nfoo: bar\ndata: {"version":3}\n\nevent: change\ndata: {"version":4}\n']);
    expect(events).to.deep.equal([{ event: 'change', data: '{"version":3}' }]);
  });
});

describe('ServerSource.subscribe', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  it('opens GET {endpoint}/live with the token in the header and calls onChange on each change, not on hello', async () => {
    const streams: ReturnType<typeof eventStream>[] = [];
    const server = fakeFetch((call) => {
      const stream = eventStream(call.signal);
      streams.push(stream);
      return stream.response;
    });
    const changes: LiveChange[] = [];
    const source = connectServer({ endpoint: ENDPOINT, token: 'tok', project: 'shop', fetch: server.fetch });
    stops.push(source.subscribe((change) => changes.push(change)));
    await until(() => streams.length === 1);
    expect(server.calls[0]).to.include({ url: `${ENDPOINT}/live?project=shop`, method: 'GET', authorization: 'Bearer tok' });
    streams[0]!.send('retry: 2000\nevent: hello\ndata: {"version":5}\n\n: keep-alive\n\n');
    streams[0]!.send('event: change\ndata: {"version":6}\n\n');
    await until(() => changes.length === 1);
    streams[0]!.send('event: change\ndata: {"version":7}\n\n');
    await until(() => changes.length === 2);
    expect(changes).to.deep.equal([{ version: 6 }, { version: 7 }]);
  });

  it('reconnects after a failure and a break, and a hello with another version counts as a change', async () => {
    const streams: ReturnType<typeof eventStream>[] = [];
    const server = fakeFetch((call, index) => {
      if (index === 0) return json(503, { error: 'shutting down' }, { 'retry-after': '0' });
      const stream = eventStream(call.signal);
      streams.push(stream);
      return stream.response;
    });
    const changes: LiveChange[] = [];
    const errors: [string, boolean][] = [];
    const source = connectServer({ endpoint: ENDPOINT, token: 'tok', fetch: server.fetch });
    stops.push(source.subscribe((change) => changes.push(change), { ...FAST, onError: (error, willRetry) => errors.push([error.message, willRetry]) }));
    await until(() => streams.length === 1);
    expect(errors).to.deep.equal([['shutting down', true]]);
    streams[0]!.send('retry: 10\nevent: hello\ndata: {"version":1}\n\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    streams[0]!.close(); // the server went away; it said to come back after 10 ms
    await until(() => streams.length === 2);
    streams[1]!.send('event: hello\ndata: {"version":1}\n\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(changes).to.deep.equal([]);
    streams[1]!.close();
    await until(() => streams.length === 3);
    streams[2]!.send('event: hello\ndata: {"version":4}\n\n');
    await until(() => changes.length === 1);
    expect(changes).to.deep.equal([{ version: 4 }]);
  });

  it('a 401 gets a fresh token from getToken and reconnects with it', async () => {
    let asked = 0;
    const streams: ReturnType<typeof eventStream>[] = [];
    const server = fakeFetch((call) => {
      if (call.authorization !== 'Bearer t2') return json(401, { error: 'embed token expired at 2026-12-04T10:00:00.000Z' });
      const stream = eventStream(call.signal);
      streams.push(stream);
      return stream.response;
    });
    const source = connectServer({ endpoint: ENDPOINT, getToken: () => `t${++asked}`, fetch: server.fetch });
    stops.push(source.subscribe(() => undefined, FAST));
    await until(() => streams.length === 1);
    expect(server.calls.map((call) => call.authorization)).to.deep.equal(['Bearer t1', 'Bearer t2']);
  });

  it('stops for good on a 403 or on a 401 it cannot mend, saying why', async () => {
    for (const [status, message, options] of [
      [403, 'wrong project: this token is for shop', { token: 't' }],
      [401, 'unknown key', { token: 't' }],
    ] as const) {
      const server = fakeFetch(() => json(status, { error: message }));
      const errors: [string, boolean][] = [];
      const source = connectServer({ endpoint: ENDPOINT, ...options, fetch: server.fetch });
      stops.push(source.subscribe(() => undefined, { ...FAST, onError: (error, willRetry) => errors.push([error.message, willRetry]) }));
      await until(() => errors.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(errors, String(status)).to.deep.equal([[message, false]]);
      expect(server.calls, String(status)).to.have.length(1);
    }
  });

  it('a silent connection is dropped and opened again', async () => {
    const streams: ReturnType<typeof eventStream>[] = [];
    const server = fakeFetch((call) => {
      const stream = eventStream(call.signal);
      streams.push(stream);
      return stream.response;
    });
    const errors: string[] = [];
    const source = connectServer({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });
    stops.push(source.subscribe(() => undefined, { ...FAST, silenceMs: 50, onError: (error) => errors.push(error.message) }));
    await until(() => streams.length === 2);
    expect(errors[0]).to.equal('the change stream was silent for 0.05 s');
  });

  it('unsubscribing aborts the open request and opens no other', async () => {
    const server = fakeFetch((call) => eventStream(call.signal).response);
    const source = connectServer({ endpoint: ENDPOINT, token: 't', fetch: server.fetch });
    const stop = source.subscribe(() => undefined, FAST);
    await until(() => server.calls.length === 1);
    stop();
    expect(server.calls[0]!.signal?.aborted).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(server.calls).to.have.length(1);
  });
});
