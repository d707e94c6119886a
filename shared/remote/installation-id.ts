import { SpecError } from '../errors.ts';

/**
 * An installation of an extension that uses `footprint/vscode` is known by
 * two values:
 *
 * - its secret: 32 random bytes as base64url without padding (43
 *   characters), made once and kept in the extension's global storage, never
 *   sent anywhere but to ask for its own erasure (`POST /v1/erasure`);
 * - its id, `installationIdOf(secret)`: a SHA-256 of the secret, which every
 *   event carries as `user_id`.
 *
 * The id is a one-way hash of the secret so that reading the data never
 * gives the power to erase it. A project's events, its dashboards, read
 * keys and embed tokens show ids; the write key that may erase is public
 * (it ships in every copy of the extension). If the id itself were what the
 * erasure endpoint took, anyone who could see a dashboard (or guess an id)
 * could erase other people's data with that public key. Asking for the
 * secret instead means only the installation that holds it can erase its
 * events, and the server, which never stores the secret, can check a request
 * by deriving the id again.
 *
 * The secret is random and the id is not `vscode.env.machineId` (one value
 * for every extension on a machine) so that two authors' projects cannot be
 * joined on it.
 */

/** Characters of a secret: 32 bytes in base64url without padding. */
export const INSTALLATION_SECRET_LENGTH = 43;

/** Characters of the hash kept in an id after `inst_`: 132 bits, far past any collision among installations. */
const ID_HASH_LENGTH = 22;

/**
 * Hashed before the secret, so that the id is the hash of this use only: a
 * secret that also served elsewhere (it should not) would not give the same
 * SHA-256 there.
 */
const ID_CONTEXT = 'footprint-installation:';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * 32 bytes give 256 bits, and 43 characters hold 258: the last character
 * carries the last 4 bits and two zero bits, so it is one of these 16. Any
 * other last character is not what an encoder writes for 32 bytes.
 */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** `bytes` as base64url without padding. */
function base64url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const characters = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < characters; c++) text += BASE64URL[(chunk >> (18 - 6 * c)) & 63];
  }
  return text;
}

/**
 * What is wrong with `text` as a secret, or null when it is one. Never
 * quotes the text: it may be a secret with a typo, which is as good as the
 * secret to whoever reads the message.
 */
function secretProblem(text: unknown): string | null {
  if (text === undefined) return 'missing: give the installation secret (43 characters of base64url)';
  if (typeof text !== 'string') return `must be a string of ${INSTALLATION_SECRET_LENGTH} base64url characters, got ${text === null ? 'null' : typeof text}`;
  if (text.length !== INSTALLATION_SECRET_LENGTH) return `must be ${INSTALLATION_SECRET_LENGTH} characters (32 bytes as base64url without padding), got ${text.length}`;
  if (!SECRET_SHAPE.test(text)) return 'must be 32 bytes as base64url without padding (A-Z, a-z, 0-9, - and _), and is not';
  return null;
}

/** A new installation secret: 32 bytes of `crypto.getRandomValues`, as base64url without padding (43 characters). */
export function newInstallationSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether `text` has exactly the shape `newInstallationSecret` makes: 43 characters, the base64url of 32 bytes. */
export function isInstallationSecret(text: unknown): text is string {
  return secretProblem(text) === null;
}

/**
 * The installation id of `secret`: `'inst_'` and the first 22 characters of
 * base64url(SHA-256(UTF-8 of `'footprint-installation:' + secret`)), by
 * Web Crypto, so the same in Node, browsers and the extension host. Rejects
 * with a SpecError on field `secret` naming the problem (never the secret)
 * when `secret` is not one.
 */
export async function installationIdOf(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(installationHashInput(secret)));
  return installationIdFromDigest(new Uint8Array(digest));
}

/**
 * The text whose SHA-256 gives `secret`'s id; throws a SpecError on field
 * `secret` when it is not one. With `installationIdFromDigest`, for a caller
 * that must hash synchronously (the VS Code library, node:crypto): one
 * definition of the id, two ways to hash.
 */
export function installationHashInput(secret: string): string {
  const problem = secretProblem(secret);
  if (problem !== null) throw new SpecError('secret', problem);
  return ID_CONTEXT + secret;
}

/** The id from the SHA-256 digest of `installationHashInput(secret)`. */
export function installationIdFromDigest(digest: Uint8Array): string {
  return `inst_${base64url(digest).slice(0, ID_HASH_LENGTH)}`;
}
