/**
 * How long to wait before sending again after a failure: doubling from
 * `firstMs` up to `maxMs`, with jitter so that many installations that
 * failed together (a server restart) do not come back together.
 */

/** The pauses between attempts, in ms. */
export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
}

/** 1 s doubling to 5 min. */
export const DEFAULT_BACKOFF: BackoffOptions = { firstMs: 1_000, maxMs: 300_000 };

export class Backoff {
  private failures = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {
    const { firstMs, maxMs } = options;
    if (!(Number.isFinite(firstMs) && firstMs > 0 && Number.isFinite(maxMs) && maxMs >= firstMs)) {
      throw new Error(`backoff: needs 0 < firstMs <= maxMs (both finite), got ${JSON.stringify(options)}`);
    }
  }

  /** The pause after one more failure: the doubled pause, from half of it to all of it. */
  next(): number {
    const full = Math.min(this.options.maxMs, this.options.firstMs * 2 ** Math.min(this.failures, 40));
    this.failures++;
    return Math.round(full / 2 + (this.random() * full) / 2);
  }

  /** The longest pause: after a refusal that only the author can fix (a wrong key), asking often would not help. */
  longest(): number {
    this.failures++;
    return this.options.maxMs;
  }

  /** A success: the next failure starts from `firstMs` again. */
  reset(): void {
    this.failures = 0;
  }
}

/**
 * A `Retry-After` header's pause in ms (RFC 9110 section 10.2.3: seconds, or
 * an HTTP date), or null when there is none or it cannot be read.
 */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
