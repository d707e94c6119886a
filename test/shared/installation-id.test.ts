import { expect } from 'chai';
import { SpecError } from '../../shared/errors.ts';
import { installationIdOf, isInstallationSecret, newInstallationSecret } from '../../shared/remote/installation-id.ts';

/**
 * The bytes 0..31 as base64url, and 32 bytes of 0xff. Their ids were
 * computed apart from this module, with node:crypto:
 * 'inst_' + createHash('sha256').update('footprint-installation:' + secret).digest('base64url').slice(0, 22)
 */
const COUNTING = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const COUNTING_ID = 'inst_Nfp9cQddoMaRIUFcFlX5gZ';
const ALL_ONES = '__________________________________________8';
const ALL_ONES_ID = 'inst_lc7BuJaVgpiqYzWU9DOj_G';

/** The SpecError `installationIdOf` rejects with, as [field, message]. */
async function refusalOf(secret: unknown): Promise<[string, string]> {
  try {
    await installationIdOf(secret as string);
  } catch (error) {
    if (error instanceof SpecError) return [error.field, error.message];
    throw error;
  }
  throw new Error('expected a SpecError');
}

describe('installation secret and id (shared/remote/installation-id.ts)', () => {
  it('derives a fixed id from a fixed secret', async () => {
    expect(await installationIdOf(COUNTING)).to.equal(COUNTING_ID);
    expect(await installationIdOf(ALL_ONES)).to.equal(ALL_ONES_ID);
  });

  it('gives two secrets two ids, and one secret the same id each time', async () => {
    const [a, b] = [newInstallationSecret(), newInstallationSecret()];
    const [idA, idB, idA2] = await Promise.all([installationIdOf(a), installationIdOf(b), installationIdOf(a)]);
    expect(idA).to.not.equal(idB);
    expect(idA2).to.equal(idA);
    expect(idA).to.match(/^inst_[A-Za-z0-9_-]{22}$/);
  });

  it('makes secrets of 43 base64url characters that it accepts', () => {
    const secret = newInstallationSecret();
    expect(secret).to.have.length(43);
    expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(isInstallationSecret(secret)).to.equal(true);
  });

  it('makes 1,000 fresh secrets, all distinct', () => {
    const secrets = new Set(Array.from({ length: 1_000 }, () => newInstallationSecret()));
    expect(secrets.size).to.equal(1_000);
    for (const secret of secrets) expect(isInstallationSecret(secret), secret).to.equal(true);
  });

  it('refuses what is not a secret of that shape', () => {
    expect(isInstallationSecret(COUNTING)).to.equal(true);
    for (const bad of [undefined, null, 42, {}, '', COUNTING.slice(1), `${COUNTING}A`, `${COUNTING.slice(0, 42)}=`, `${COUNTING.slice(0, 41)}+8`, `${COUNTING}=`]) {
      expect(isInstallationSecret(bad), String(bad)).to.equal(false);
    }
    // 43 characters, but the last one carries bits that 32 bytes do not have.
    expect(isInstallationSecret(`${COUNTING.slice(0, 42)}9`)).to.equal(false);
  });

  it('names the problem of a bad secret without repeating it', async () => {
    expect(await refusalOf(undefined)).to.deep.equal(['secret', 'secret: missing: give the installation secret (43 characters of base64url)']);
    expect(await refusalOf(null)).to.deep.equal(['secret', 'secret: must be a string of 43 base64url characters, got null']);
    expect(await refusalOf(42)).to.deep.equal(['secret', 'secret: must be a string of 43 base64url characters, got number']);
    expect(await refusalOf('a-secret-that-is-short')).to.deep.equal(['secret', 'secret: must be 43 characters (32 bytes as base64url without padding), got 22']);
    const typo = `${COUNTING.slice(0, 20)}/${COUNTING.slice(21)}`;
    const [field, message] = await refusalOf(typo);
    expect([field, message]).to.deep.equal(['secret', 'secret: must be 32 bytes as base64url without padding (A-Z, a-z, 0-9, - and _), and is not']);
    expect(message).to.not.include(COUNTING.slice(0, 20));
  });
});
