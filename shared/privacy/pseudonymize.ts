import { SpecError, quote } from '../errors.ts';

/**
 * `openStore`'s `pseudonymize` option (METRICS.md section 15): user ids are
 * replaced at ingest by HMAC-SHA-256(key = salt, message = id), the UTF-8
 * bytes of both, written as 64 lower-case hex digits.
 */
export interface PseudonymizeOptions {
  /** The HMAC key: a non-empty string, kept secret (whoever has it can test guessed ids). */
  salt: string;
}

/** The salt of a `pseudonymize` option, or null when the option is absent; throws a SpecError naming `pseudonymize.salt`. */
export function readPseudonymizeSalt(option: unknown): string | null {
  if (option === undefined) return null;
  const salt = typeof option === 'object' && option !== null ? (option as { salt?: unknown }).salt : undefined;
  if (typeof salt !== 'string' || salt === '') {
    throw new SpecError('pseudonymize.salt', `must be a non-empty string (give pseudonymize: { salt: '...' }), got ${quote(salt ?? option)}`);
  }
  return salt;
}

/**
 * Hashing many ids at once would keep one pseudonym per distinct user in
 * memory for the store's lifetime; past this many the cache starts over, so a
 * store fed millions of distinct ids stays bounded (some 20 MB at 64-char
 * pseudonyms and short ids) while the usual case, every user hashed once,
 * is untouched.
 */
const MAX_CACHED = 100_000;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex(buffer: ArrayBuffer): string {
  let text = '';
  for (const byte of new Uint8Array(buffer)) text += HEX[byte]!;
  return text;
}

/**
 * Turns raw user ids into their pseudonyms with Web Crypto (in Node 20 and in
 * browsers alike; it is async, as ingest is). Each distinct id is hashed
 * once per store: 1M events of 10k users cost 10k HMACs.
 */
export class Pseudonymizer {
  private readonly cache = new Map<string, string>();
  private readonly encoder = new TextEncoder();

  private constructor(private readonly key: CryptoKey) {}

  /** Imports the salt as an HMAC key; rejects when Web Crypto is missing (browsers offer it on https and localhost pages only). */
  static async create(salt: string): Promise<Pseudonymizer> {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) {
      throw new Error('pseudonymize: needs Web Crypto (crypto.subtle), which browsers offer only on https and localhost pages');
    }
    const key = await subtle.importKey('raw', new TextEncoder().encode(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Pseudonymizer(key);
  }

  /** The pseudonym of each distinct id of `ids`. */
  async pseudonyms(ids: Iterable<string>): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      if (result.has(id)) continue;
      const known = this.cache.get(id);
      if (known === undefined) missing.push(id);
      result.set(id, known ?? '');
    }
    if (missing.length === 0) return result;
    const hashed = await Promise.all(missing.map((id) => crypto.subtle.sign('HMAC', this.key, this.encoder.encode(id))));
    if (this.cache.size + missing.length > MAX_CACHED) this.cache.clear();
    missing.forEach((id, index) => {
      const pseudonym = hex(hashed[index]!);
      result.set(id, pseudonym);
      this.cache.set(id, pseudonym);
    });
    return result;
  }

  /** The pseudonym of one id. */
  async pseudonym(id: string): Promise<string> {
    return (await this.pseudonyms([id])).get(id)!;
  }
}
