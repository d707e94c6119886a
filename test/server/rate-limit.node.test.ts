import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import { clientKey, CLIENT_LIMIT, RateLimiter, WRITE_KEY_LIMIT } from '../../server/http/rate-limit.ts';

describe('RateLimiter: a token bucket per key (server/http/rate-limit.ts)', () => {
  let clock: number;
  /** 10 tokens a second, 20 at most, on a clock the test moves. */
  const limiter = (maxBuckets?: number): RateLimiter => new RateLimiter({ ratePerSecond: 10, burst: 20, now: () => clock, ...(maxBuckets ? { maxBuckets } : {}) });

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('starts full, refills at its rate, and says how many whole seconds until the cost is there', () => {
    const bucket = limiter();
    expect(bucket.take('a', 20)).to.deep.equal({ ok: true });
    expect(bucket.take('a')).to.deep.equal({ ok: false, retryAfterSeconds: 1 }); // 0.1 s, rounded up to 1
    clock += 100; // one token back
    expect(bucket.take('a')).to.deep.equal({ ok: true });
    expect(bucket.take('a', 15)).to.deep.equal({ ok: false, retryAfterSeconds: 2 }); // 15 tokens: 1.5 s
    clock += 1_400;
    expect(bucket.take('a', 15)).to.deep.equal({ ok: false, retryAfterSeconds: 1 }); // 14 there
    clock += 100;
    expect(bucket.take('a', 15)).to.deep.equal({ ok: true });
    expect(bucket.take('b', 20)).to.deep.equal({ ok: true }); // each key its own bucket
  });

  it('never holds more than the burst, however long it waited', () => {
    const bucket = limiter();
    clock += 3_600_000;
    expect(bucket.take('a', 20)).to.deep.equal({ ok: true });
    expect(bucket.take('a', 1)).to.deep.equal({ ok: false, retryAfterSeconds: 1 });
  });

  it('lets a cost over the burst through from a full bucket, in debt', () => {
    const bucket = limiter();
    expect(bucket.take('c', 50)).to.deep.equal({ ok: true }); // 20 - 50 = -30
    expect(bucket.take('c', 1)).to.deep.equal({ ok: false, retryAfterSeconds: 4 }); // 31 tokens: 3.1 s
    expect(bucket.take('c', 50)).to.deep.equal({ ok: false, retryAfterSeconds: 5 }); // a full bucket: 50 tokens
  });

  it('forgets buckets that are full again, at most once per refill time (2 s here)', () => {
    const bucket = limiter();
    bucket.take('x', 5);
    bucket.take('y', 20);
    clock += 1_999;
    bucket.take('z', 1);
    expect(bucket.size).to.equal(3);
    clock += 1; // x and y are full again; z is one token short
    bucket.take('w', 1);
    expect(bucket.size).to.equal(2);
    expect(bucket.take('y', 20)).to.deep.equal({ ok: true }); // forgotten is full
  });

  it('keeps at most maxBuckets, forgetting the least recently used', () => {
    const bucket = limiter(3);
    for (const key of ['a', 'b', 'c']) bucket.take(key, 20);
    bucket.take('a', 0); // a is used again: b is now the oldest
    bucket.take('d', 20);
    expect(bucket.size).to.equal(3);
    expect(bucket.take('a', 1)).to.deep.equal({ ok: false, retryAfterSeconds: 1 });
    expect(bucket.take('b', 20)).to.deep.equal({ ok: true }); // forgotten, so full again
  });

  it('names the defaults, and refuses options it cannot use', () => {
    expect([WRITE_KEY_LIMIT, CLIENT_LIMIT]).to.deep.equal([
      { ratePerSecond: 5_000, burst: 50_000 },
      { ratePerSecond: 1_000, burst: 10_000 },
    ]);
    expect(() => new RateLimiter({ ratePerSecond: 0, burst: 1 })).to.throw(TypeError, 'RateLimiter({ ratePerSecond }): must be a number above 0, got 0');
    expect(() => new RateLimiter({ ratePerSecond: 1, burst: Number.NaN })).to.throw(TypeError, 'RateLimiter({ burst }): must be a number above 0, got null');
    expect(() => limiter().take('a', -1)).to.throw(TypeError, 'RateLimiter.take: cost must be a number of 0 or more, got -1');
  });
});

describe('clientKey: a per-client key that holds no IP address', () => {
  const request = (remoteAddress: string, forwarded?: string): IncomingMessage =>
    ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

  it('is the same for one address, differs between addresses, and does not contain the address', () => {
    const key = clientKey(request('203.0.113.9'));
    expect(clientKey(request('203.0.113.9'))).to.equal(key);
    expect(clientKey(request('203.0.113.10'))).to.not.equal(key);
    expect(key).to.match(/^[\w-]{43}$/);
    expect(key).to.not.contain('203');
  });

  it('takes the address the proxy added to X-Forwarded-For only when the proxy is trusted', () => {
    const behindProxy = request('10.0.0.1', '198.51.100.7, 203.0.113.9');
    expect(clientKey(behindProxy, true)).to.equal(clientKey(request('203.0.113.9')));
    expect(clientKey(behindProxy)).to.equal(clientKey(request('10.0.0.1')));
    expect(clientKey(request('10.0.0.1', ''), true)).to.equal(clientKey(request('10.0.0.1')));
  });
});
