import { expect } from 'chai';
import fc from 'fast-check';
import LZString from 'lz-string';
import { decompressLz64, Lz64Error } from '../../server/compat/posthog/lz64.ts';

function failure(run: () => unknown): [string, string] {
  try {
    run();
  } catch (error) {
    if (error instanceof Lz64Error) return [error.reason, error.message];
    throw error;
  }
  throw new Error('expected an Lz64Error');
}

describe('decompressLz64 reads lz-string base64 within a limit (server/compat/posthog/lz64.ts)', () => {
  it('gives back what lz-string compressed: any text, astral characters and long repeats included', () => {
    for (const text of ['a', '[{"event":"$pageview","properties":{"token":"fpw_x"}}]', 'café 🎉 ĀāĂ', 'A'.repeat(100_000), ''.padEnd(5000, 'abcabdabe')]) {
      expect(decompressLz64(LZString.compressToBase64(text), 1e7)).to.equal(text);
    }
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => decompressLz64(LZString.compressToBase64(text), 1e7) === text), { seed: 20261204, numRuns: 500 });
  });

  it('stops past maxChars, as a bomb would inflate: 200,000 A in under a kilobyte', () => {
    const bomb = LZString.compressToBase64('A'.repeat(200_000));
    expect(bomb.length).to.be.below(1000);
    expect(failure(() => decompressLz64(bomb, 10_000))).to.deep.equal(['too large', 'lz64: decodes to more than 10,000 characters']);
    expect(decompressLz64(LZString.compressToBase64('A'.repeat(10_000)), 10_000)).to.have.length(10_000);
  });

  it('refuses a character outside base64, a text cut short and an empty text', () => {
    const whole = LZString.compressToBase64('{"event":"x","distinct_id":"ann","properties":{"plan":"pro"}}');
    expect(failure(() => decompressLz64('N4Ig*', 100))).to.deep.equal(['damaged', 'lz64: character "*" at 4 is not base64']);
    expect(failure(() => decompressLz64(whole.slice(0, 10), 1000))).to.deep.equal(['damaged', 'lz64: ends before its end mark (cut short?)']);
    expect(failure(() => decompressLz64('', 100))).to.deep.equal(['damaged', 'lz64: empty']);
  });
});
