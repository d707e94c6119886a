import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../shared/errors.ts';

/** The shortest secret accepted: 32 characters, as many as the 256 bits an HS256 key should have when it is random text. */
export const MIN_SECRET_LENGTH = 32;

/** The environment variable that supplies the secret instead of DATA_DIR/secret (several servers behind one proxy share it). */
export const SECRET_ENV = 'FOOTPRINT_SECRET';

/**
 * The server's signing secret for embed tokens: `options.secret`, else the
 * `FOOTPRINT_SECRET` environment variable, else DATA_DIR/secret, which is
 * made on first use (32 random bytes as base64url, mode 0600). Changing it
 * invalidates every embed token minted before.
 */
export function readServerSecret(dataDir: string, options: { secret?: string; env?: Record<string, string | undefined> } = {}): string {
  const given = options.secret ?? (options.env ?? process.env)[SECRET_ENV];
  if (given !== undefined) {
    const source = options.secret !== undefined ? 'the secret option' : SECRET_ENV;
    if (given.length < MIN_SECRET_LENGTH) {
      throw new Error(`${source}: must have at least ${MIN_SECRET_LENGTH} characters, got ${given.length} (make one with: openssl rand -base64 32)`);
    }
    return given;
  }
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secret');
  // Written whole to a temporary file, then linked into place: a link fails
  // when the file exists, so two processes starting at once both read the
  // first one's secret, and neither reads a half-written one.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataError(`${file}: cannot create (${(error as Error).message})`);
  } finally {
    rmSync(temporary, { force: true });
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new DataError(`${file}: damaged, the secret must have at least ${MIN_SECRET_LENGTH} characters, got ${secret.length} (delete the file to make a new one; embed tokens minted before stop working)`);
  }
  return secret;
}
