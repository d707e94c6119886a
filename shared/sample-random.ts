/**
 * The seeded randomness of the sample-data generators (the product's,
 * shared/sample-data.ts, and an extension's, shared/sample-extension-data.ts):
 * a small PRNG written here, never `Math.random`, so the same seed always
 * gives the same events, in browsers and in Node alike.
 */

/** A uniform draw in [0, 1). */
export type Random = () => number;

/**
 * murmur3's 32-bit finalizer: a bijection on 32-bit integers that mixes well,
 * used to derive seeds and uuids (being a bijection keeps uuids unique).
 */
function hash32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * sfc32 ("small fast chaotic"): 128 bits of state, passes PractRand, and is
 * a handful of integer operations per draw, which matters at a million events.
 */
function sfc32(a: number, b: number, c: number, d: number): Random {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
}

/** The 32-bit form of a seed option (integers pass through modulo 2^32). */
function seedBits(seed: number): number {
  return Math.trunc(seed) >>> 0;
}

/** The random stream of one user: independent of how many users there are. */
export function userRandom(seed: number, userIndex: number): Random {
  const s = hash32(seedBits(seed) ^ 0x2545f491);
  const u = hash32(userIndex ^ s); // a bijection of the index: distinct users, distinct streams
  const random = sfc32(s, u, hash32(u + 0x9e3779b9), hash32(s ^ u ^ 0x85ebca6b));
  // The first outputs of a freshly seeded sfc32 are poorly mixed; skip them.
  for (let i = 0; i < 12; i++) random();
  return random;
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** An integer in [min, max], both included. */
export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Exponentially distributed with the given mean (memoryless waiting times). */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}

/** Log-uniform in [min, max): as many draws between 1 and 10 as between 10 and 100. */
export function logUniform(random: Random, min: number, max: number): number {
  return min * Math.exp(random() * Math.log(max / min));
}

export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Items with relative weights, prepared for repeated weighted draws. */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) cumulative.push((total += weight));
  return { items: entries.map(([item]) => item), cumulative, total };
}

export function pickWeighted<T>(random: Random, table: WeightedTable<T>): T {
  const target = random() * table.total;
  let i = 0;
  while (i < table.cumulative.length - 1 && (table.cumulative[i] as number) <= target) i++;
  return table.items[i] as T;
}

/** Character codes of the hex digits. */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
const DASH_CODE = 45;

/** Six hex digits, as in ids inside error messages. */
export function hex6(word: number): string {
  return (word >>> 8).toString(16).padStart(6, '0');
}

/**
 * Returns a function giving the uuids of successive events. The last 32 bits
 * are a bijection of (counter + seed key), so uuids are unique for up to 2^32
 * events; the other bits are hashed from them and only make it look random.
 * Version (4) and variant (10xx) bits are set like a v4 uuid.
 *
 * The 36 characters are written into one reused array of character codes and
 * turned into a string in one go: concatenating pieces would leave a tree of
 * string fragments per uuid, which costs seconds of garbage collection at a
 * million events.
 */
export function uuidFactory(seed: number): () => string {
  const key = hash32(seedBits(seed) ^ 0x5bd1e995);
  const codes: number[] = new Array<number>(36).fill(DASH_CODE);
  /** Writes the hex digits of `word`'s low `digits` nibbles at `at`. */
  const write = (word: number, at: number, digits: number): void => {
    for (let i = digits - 1; i >= 0; i--) {
      codes[at + i] = HEX_CODES[word & 0xf] as number;
      word >>>= 4;
    }
  };
  let counter = 0;
  return () => {
    const unique = hash32((counter++ + key) >>> 0);
    const w1 = hash32(unique ^ 0x1b56c4e9);
    const w2 = hash32(unique ^ 0x3c6ef372);
    // Layout: 8-4-4-4-12, dashes stay at 8, 13, 18 and 23.
    write(hash32(unique ^ 0x68e31da4), 0, 8);
    write(w1 >>> 16, 9, 4);
    write((w1 & 0x0fff) | 0x4000, 14, 4);
    write(((w2 >>> 16) & 0x3fff) | 0x8000, 19, 4);
    write(w2, 24, 4);
    write(unique, 28, 8);
    return String.fromCharCode.apply(null, codes);
  };
}

/** Throws a RangeError naming the generator, the option and its value when the value is not finite or not `valid`. */
export function checkSampleOption(generator: string, name: string, value: number, valid: boolean): void {
  if (!Number.isFinite(value) || !valid) throw new RangeError(`${generator}: invalid ${name}: ${value}`);
}
