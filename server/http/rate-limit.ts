import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A token bucket's shape: it refills at `ratePerSecond` tokens and holds at most `burst`. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

/**
 * Events a second per write key, by default: generous, as one key serves
 * every visitor of a site (5,000 events/s is 100 tracker batches a
 * second), with a burst of ten seconds' worth for a backlog resent at once.
 */
export const WRITE_KEY_LIMIT: RateLimit = { ratePerSecond: 5_000, burst: 50_000 };

/** Events a second per client (one address), by default: a single browser or program sends far less; a burst holds one full request. */
export const CLIENT_LIMIT: RateLimit = { ratePerSecond: 1_000, burst: 10_000 };

/** Buckets a limiter keeps at most; past it the least recently used is forgotten (its key starts again with a full bucket). */
export const MAX_BUCKETS = 100_000;

/** What `take` answers: go ahead, or wait this many whole seconds. */
export type Taken = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Options of a RateLimiter. */
export interface RateLimiterOptions extends RateLimit {
  /** The clock, in milliseconds; default Date.now (tests pass their own). */
  now?: () => number;
  /** Default MAX_BUCKETS. */
  maxBuckets?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`RateLimiter({ ${name} }): must be a number above 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A token bucket per key, charged per event: a batch of 50 costs 50, as
 * its 50 events sent one by one would, so batching neither helps nor hurts
 * a sender. A bucket starts full. A request that costs more than the
 * burst goes through when its bucket is full and leaves it in debt, so a
 * large batch is slowed, never refused forever.
 *
 * Memory stays bounded: a bucket that has refilled is the same as no
 * bucket, so full buckets are forgotten (swept at most once per refill
 * time), and past `maxBuckets` the least recently used is forgotten too.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly maxBuckets: number;
  /** How long an empty bucket takes to fill: the sweep's period. */
  private readonly refillMs: number;
  private lastSweep: number;

  constructor(options: RateLimiterOptions) {
    this.ratePerSecond = positive('ratePerSecond', options?.ratePerSecond);
    this.burst = positive('burst', options.burst);
    this.maxBuckets = Math.floor(positive('maxBuckets', options.maxBuckets ?? MAX_BUCKETS));
    this.now = options.now ?? Date.now;
    this.refillMs = (this.burst / this.ratePerSecond) * 1000;
    this.lastSweep = this.now();
  }

  /** Buckets kept now (the full ones not yet swept included). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes `cost` tokens (default 1) from `key`'s bucket, or says how many whole seconds (at least 1) until they are there. */
  take(key: string, cost = 1): Taken {
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) throw new TypeError(`RateLimiter.take: cost must be a number of 0 or more, got ${JSON.stringify(cost)}`);
    const now = this.now();
    this.sweep(now);
    const tokens = this.tokensAt(this.buckets.get(key), now);
    const needed = Math.min(cost, this.burst);
    // Moved to the end: the map's order is least recently used first.
    this.buckets.delete(key);
    if (tokens < needed) {
      this.buckets.set(key, { tokens, at: now });
      this.evict();
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((needed - tokens) / this.ratePerSecond)) };
    }
    this.buckets.set(key, { tokens: tokens - cost, at: now });
    this.evict();
    return { ok: true };
  }

  private tokensAt(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.burst;
    return Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) * this.ratePerSecond) / 1000);
  }

  /** Forgets the buckets that are full again, once per refill time. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.refillMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) >= this.burst) this.buckets.delete(key);
    }
  }

  private evict(): void {
    while (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

/** Per process: the same address gives the same key until a restart, and the keys cannot be matched with another process's or turned back into addresses. */
const CLIENT_SALT = randomBytes(32);

/**
 * The per-client rate-limit key of a request: its address, hashed in
 * memory with a random salt made when the process starts (HMAC-SHA-256),
 * so that no IP address is kept, even in the limiter's memory, and a key
 * never names one in a log or a heap dump. With `trustProxy` (the server
 * is behind a reverse proxy), the address is the last one of
 * `X-Forwarded-For`, the one the proxy added; earlier ones are the
 * client's to forge.
 */
export function clientKey(request: IncomingMessage, trustProxy = false): string {
  let address = request.socket.remoteAddress ?? '';
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').pop()?.trim();
    if (last) address = last;
  }
  return createHmac('sha256', CLIENT_SALT).update(address).digest('base64url');
}
