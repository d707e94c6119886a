import { expect } from 'chai';
import { segmentWriteKey } from '../../server/compat/segment/credential.ts';
import { mapSegmentMessage } from '../../server/compat/segment/map-message.ts';
import { eventIdOf } from '../../server/compat/segment/message-id.ts';
import { readSegmentPayload } from '../../server/compat/segment/payload.ts';
import { refusal } from './harness.ts';

/** Segment messages in the store's event format, one field at a time (server/compat/segment). */

const NOW = Date.UTC(2026, 11, 3, 12);
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('mapSegmentMessage (server/compat/segment/map-message.ts)', () => {
  it('keeps a track call: event, userId, messageId, time and sentAt, properties; context is not kept', () => {
    const mapped = mapSegmentMessage(
      {
        type: 'track',
        event: 'Order Completed',
        userId: 'u1',
        anonymousId: 'a1',
        messageId: 'node-next-1764763200000-4b1a6c2e-7f0a-4a53-9d2e-2f4c8e1b9a10',
        timestamp: '2026-12-03T11:00:00.000Z',
        sentAt: '2026-12-03T11:00:05.000Z',
        properties: { total: 30, plan: 'pro' },
        context: { ip: '203.0.113.9', library: { name: 'analytics-python', version: '2.3.2' }, traits: { email: 'ann@example.com' } },
        integrations: { All: true },
        _metadata: { nodeVersion: 'v20.0.0' },
      },
      { now: NOW },
    );
    expect(mapped).to.deep.equal({
      kind: 'event',
      record: {
        event: 'Order Completed',
        user_id: 'u1',
        timestamp: '2026-12-03T11:00:00.000Z',
        sent_at: '2026-12-03T11:00:05.000Z',
        uuid: 'node-next-1764763200000-4b1a6c2e-7f0a-4a53-9d2e-2f4c8e1b9a10',
        properties: { total: 30, plan: 'pro' },
      },
    });
  });

  it('takes anonymousId without userId, originalTimestamp before timestamp, and a number as the user id', () => {
    expect(mapSegmentMessage({ event: 'Opened', anonymousId: 'anon-7', timestamp: '2026-12-03T11:00:02Z', originalTimestamp: '2026-12-03T11:00:00Z' }, { call: 'track', now: NOW })).to.deep.equal({
      kind: 'event',
      record: { event: 'Opened', user_id: 'anon-7', timestamp: '2026-12-03T11:00:00Z' },
    });
    expect(mapSegmentMessage({ event: 'Opened', userId: 42, timestamp: '2026-12-03T11:00:00Z' }, { call: 'track', now: NOW })).to.deep.equal({
      kind: 'event',
      record: { event: 'Opened', user_id: 42, timestamp: '2026-12-03T11:00:00Z' },
    });
  });

  it('leaves a message without a time without one, for the store to refuse (never dated on arrival, METRICS.md section 1)', () => {
    expect(mapSegmentMessage({ event: 'Opened', userId: 'u1' }, { call: 'track', now: NOW })).to.deep.equal({
      kind: 'event',
      record: { event: 'Opened', user_id: 'u1' },
    });
  });

  it("stores a page as a $pageview with its name and category, and fills path, url, title, referrer from context.page without query strings", () => {
    const mapped = mapSegmentMessage(
      {
        type: 'page',
        name: 'Pricing',
        category: 'Docs',
        userId: 'u1',
        timestamp: '2026-12-03T11:00:00Z',
        properties: { title: 'Pricing | Shop', plan: 'pro' },
        context: {
          page: { path: '/pricing', url: 'https://shop.example/pricing?token=abc#top', title: 'ignored: properties have one', referrer: 'https://search.example/?q=shop', search: '?token=abc' },
          userAgent: CHROME,
        },
      },
      { now: NOW },
    );
    expect(mapped).to.deep.equal({
      kind: 'event',
      record: {
        event: '$pageview',
        user_id: 'u1',
        timestamp: '2026-12-03T11:00:00Z',
        properties: {
          title: 'Pricing | Shop',
          plan: 'pro',
          name: 'Pricing',
          category: 'Docs',
          path: '/pricing',
          url: 'https://shop.example/pricing',
          referrer: 'https://search.example/',
          $browser: 'Chrome',
          $os: 'Windows',
          $device_type: 'Desktop',
        },
      },
    });
  });

  it("stores a screen as a $pageview named by the screen; a track takes only path from a batch's context.page", () => {
    expect(mapSegmentMessage({ type: 'screen', name: 'Cart', userId: 'u1', timestamp: '2026-12-03T11:00:00Z' }, { now: NOW })).to.deep.equal({
      kind: 'event',
      record: { event: '$pageview', user_id: 'u1', timestamp: '2026-12-03T11:00:00Z', properties: { name: 'Cart' } },
    });
    const batchContext = { page: { path: '/cart', url: 'https://shop.example/cart', title: 'Cart' } };
    expect(mapSegmentMessage({ type: 'track', event: 'Checkout', name: 'not a page', userId: 'u1', timestamp: '2026-12-03T11:00:00Z' }, { context: batchContext, now: NOW })).to.deep.equal({
      kind: 'event',
      record: { event: 'Checkout', user_id: 'u1', timestamp: '2026-12-03T11:00:00Z', properties: { path: '/cart' } },
    });
  });

  it('drops identify, group and alias, and what a known bot was forwarded for', () => {
    for (const type of ['identify', 'group', 'alias'] as const) {
      expect(mapSegmentMessage({ type, userId: 'u1', traits: { email: 'ann@example.com' } }, { now: NOW })).to.deep.equal({ kind: 'dropped', call: type });
    }
    expect(mapSegmentMessage({ userId: 'u1', traits: {} }, { call: 'identify', now: NOW })).to.deep.equal({ kind: 'dropped', call: 'identify' });
    const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    expect(mapSegmentMessage({ type: 'page', userId: 'u1', context: { userAgent: googlebot } }, { now: NOW })).to.deep.equal({ kind: 'bot' });
  });

  it('refuses what cannot be an event, naming the Segment field', () => {
    const reasons = [
      mapSegmentMessage('track', { now: NOW }),
      mapSegmentMessage({ event: 'x', userId: 'u1' }, { now: NOW }),
      mapSegmentMessage({ type: 'purchase', event: 'x', userId: 'u1' }, { now: NOW }),
      mapSegmentMessage({ userId: 'u1' }, { call: 'track', now: NOW }),
      mapSegmentMessage({ event: 'x' }, { call: 'track', now: NOW }),
      mapSegmentMessage({ event: 'x', userId: { id: 1 } }, { call: 'track', now: NOW }),
      mapSegmentMessage({ event: 'x', userId: 'u1', messageId: { id: 1 } }, { call: 'track', now: NOW }),
    ].map((mapped) => (mapped.kind === 'refused' ? mapped.reason : mapped.kind));
    expect(reasons).to.deep.equal([
      "message: must be a JSON object, got 'track'",
      'type: missing; each message of a batch names its call (track, page, screen, identify, group, alias)',
      "type: 'purchase' is not a Segment call (track, page, screen, identify, group, alias)",
      'event: missing; a track call names its event',
      'userId: missing, and no anonymousId; a Segment call needs one of them',
      'userId: must be a string or a number, got \'{"id":1}\'',
      'messageId: must be a string, got \'{"id":1}\'',
    ]);
  });
});

describe('eventIdOf: a messageId as the event id (server/compat/segment/message-id.ts)', () => {
  it('keeps any id the store takes as it is, and a longer one as its digest, the same on every retry', () => {
    expect(eventIdOf('node-next-1764763200000-4b1a6c2e-7f0a-4a53-9d2e-2f4c8e1b9a10')).to.equal('node-next-1764763200000-4b1a6c2e-7f0a-4a53-9d2e-2f4c8e1b9a10');
    expect(eventIdOf('4B1A6C2E-7F0A-4A53-9D2E-2F4C8E1B9A10')).to.equal('4B1A6C2E-7F0A-4A53-9D2E-2F4C8E1B9A10');
    expect(eventIdOf(17)).to.equal('17');
    expect(eventIdOf(undefined)).to.equal(undefined);
    expect(eventIdOf('')).to.equal(undefined);
    const long = 'm'.repeat(201);
    expect(eventIdOf(long)).to.equal('sha256:91c7bc42a3b0d4b9d7da55555744653dce2cc5aeacd44a046889306964a558ff');
    expect(eventIdOf('m'.repeat(200))).to.equal('m'.repeat(200));
    expect(eventIdOf('id-\ud800')).to.match(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('segmentWriteKey and readSegmentPayload (server/compat/segment)', () => {
  it("reads the key from Basic's user name, Bearer, or the body's writeKey, the header first", () => {
    const basic = (text: string) => ({ authorization: `Basic ${Buffer.from(text).toString('base64')}` });
    expect(segmentWriteKey(basic('fpw_abc:'), undefined)).to.equal('fpw_abc');
    expect(segmentWriteKey(basic('fpw_abc'), undefined)).to.equal('fpw_abc');
    expect(segmentWriteKey(basic('fpw_abc:'), 'fpw_body')).to.equal('fpw_abc');
    expect(segmentWriteKey({ authorization: 'Bearer fpw_abc' }, undefined)).to.equal('fpw_abc');
    expect(segmentWriteKey({}, 'fpw_body')).to.equal('fpw_body');
    expect(segmentWriteKey({}, undefined)).to.equal(null);
    expect(segmentWriteKey(basic(':'), undefined)).to.equal(null);
    expect(refusal(() => segmentWriteKey({ authorization: 'Token fpw_abc' }, undefined))).to.deep.equal([
      401,
      'Authorization must be "Basic base64(<write key>:)" as Segment libraries send it, or "Bearer <write key>"',
    ]);
  });

  it('reads one message or a batch, and refuses a body that is not one', () => {
    expect(readSegmentPayload('{"event":"x","writeKey":"k"}', 'track')).to.deep.equal({ messages: [{ event: 'x', writeKey: 'k' }], writeKey: 'k' });
    expect(readSegmentPayload('{"batch":[{"type":"track"}],"sentAt":"2026-12-03T11:00:00Z","context":{"a":1}}', 'batch')).to.deep.equal({
      messages: [{ type: 'track' }],
      writeKey: undefined,
      sentAt: '2026-12-03T11:00:00Z',
      context: { a: 1 },
    });
    expect(refusal(() => readSegmentPayload('{"event":', 'track'))[0]).to.equal(400);
    expect(refusal(() => readSegmentPayload('{"event":', 'track'))[1]).to.match(/^body: not valid JSON \(.+\); send one JSON object, as Segment's HTTP Tracking API takes$/);
    expect(refusal(() => readSegmentPayload('[1]', 'track'))).to.deep.equal([400, 'body: must be a JSON object, got an array']);
    expect(refusal(() => readSegmentPayload('{"events":[]}', 'batch'))).to.deep.equal([400, 'batch: missing or not an array; /v1/batch takes { "batch": [messages] }']);
    expect(refusal(() => readSegmentPayload(JSON.stringify({ batch: new Array(10_001).fill({}) }), 'batch'))).to.deep.equal([413, 'batch: 10,001 messages, over 10,000 a request; send smaller batches']);
  });
});
