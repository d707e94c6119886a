/**
 * PostHog's `lz64` body encoding: lz-string's `compressToBase64`, which old
 * posthog-js versions send with `?compression=lz64`. Decoded here rather
 * than with lz-string's `decompressFromBase64` because that one has no
 * limit: a megabyte of lz64 can stand for gigabytes of text (each code
 * may repeat everything before it), and it builds all of it before
 * returning. This decoder stops at `maxChars`, as PostHog's capture service
 * does (`decompress_lz64_capped`).
 */

/** lz-string's base64 alphabet; `=` is padding and reads as zero bits, as lz-string reads it. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const VALUES = new Map([...ALPHABET].map((char, value) => [char, value]));

/** Why an lz64 text could not be decoded. */
export class Lz64Error extends Error {
  override readonly name = 'Lz64Error';
  constructor(readonly reason: 'damaged' | 'too large', message: string) { super(message); }
}

/** Reads the text six bits a character, lowest bit of each code first, as lz-string writes them. */
class BitReader {
  private value: number;
  private position = 32;
  index = 1;

  constructor(private readonly text: string) {
    this.value = this.valueAt(0);
  }

  private valueAt(index: number): number {
    if (index >= this.text.length) return 0; // lz-string reads past the end as zero bits
    const value = VALUES.get(this.text[index]!);
    if (value === undefined) throw new Lz64Error('damaged', `lz64: character ${JSON.stringify(this.text[index])} at ${index} is not base64`);
    return value;
  }

  read(bits: number): number {
    let result = 0;
    for (let bit = 0; bit < bits; bit++) {
      if (this.value & this.position) result += 2 ** bit;
      this.position >>= 1;
      if (this.position === 0) {
        this.position = 32;
        this.value = this.valueAt(this.index++);
      }
    }
    return result;
  }

  get ended(): boolean {
    return this.index > this.text.length;
  }
}

/**
 * The text an lz64 string stands for (`lz-string`'s `decompressFromBase64`),
 * of at most `maxChars` UTF-16 units. Throws Lz64Error `too large` past
 * that, and `damaged` for a character outside base64 or codes that end
 * before their end mark or name no entry.
 */
export function decompressLz64(text: string, maxChars: number): string {
  if (text === '') throw new Lz64Error('damaged', 'lz64: empty');
  const reader = new BitReader(text);
  const dictionary: string[] = [];
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  /** One more entry: past the widest code of `numBits` bits, codes take one bit more. */
  const grow = (): void => {
    enlargeIn--;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  };

  const first = reader.read(2);
  if (first === 2) return '';
  if (first === 3) throw new Lz64Error('damaged', 'lz64: the first code names no entry');
  let previous = String.fromCharCode(reader.read(first === 0 ? 8 : 16));
  dictionary[3] = previous;
  const parts = [previous];
  let length = previous.length;

  for (;;) {
    if (reader.ended) throw new Lz64Error('damaged', 'lz64: ends before its end mark (cut short?)');
    let code = reader.read(numBits);
    if (code === 2) return parts.join('');
    if (code === 0 || code === 1) {
      dictionary[dictSize++] = String.fromCharCode(reader.read(code === 0 ? 8 : 16));
      code = dictSize - 1;
      grow(); // a new character is an entry too: the code width grows when due
    }
    let entry = dictionary[code];
    if (entry === undefined) {
      if (code !== dictSize) throw new Lz64Error('damaged', `lz64: code ${code} names no entry`);
      entry = previous + previous.charAt(0);
    }
    length += entry.length;
    if (length > maxChars) throw new Lz64Error('too large', `lz64: decodes to more than ${maxChars.toLocaleString('en-US')} characters`);
    parts.push(entry);
    dictionary[dictSize++] = previous + entry.charAt(0);
    grow();
    previous = entry;
  }
}
