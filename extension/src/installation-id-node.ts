/**
 * The installation id of shared/remote/installation-id.ts, computed
 * synchronously with node:crypto: the recorder needs the id before its first
 * event, and WebCrypto's digest is asynchronous. The format (prefix, hash,
 * length) comes from that module, so both give the same id (tested).
 */
import { createHash, randomBytes } from 'node:crypto';
import { INSTALLATION_ID_PREFIX, INSTALLATION_HASH_CONTEXT, INSTALLATION_ID_LENGTH, isInstallationSecret } from '../../shared/remote/installation-id.ts';

export { isInstallationSecret };

/** 32 random bytes, base64url: a new installation's secret. */
export function newInstallationSecretSync(): string {
  return randomBytes(32).toString('base64url');
}

/** `installationIdOf(secret)`, synchronously. */
export function installationIdFromSecretSync(secret: string): string {
  if (!isInstallationSecret(secret)) throw new Error('installation secret: expected 43 base64url characters');
  const digest = createHash('sha256').update(`${INSTALLATION_HASH_CONTEXT}${secret}`, 'utf8').digest('base64url');
  return `${INSTALLATION_ID_PREFIX}${digest.slice(0, INSTALLATION_ID_LENGTH)}`;
}
