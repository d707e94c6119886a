/**
 * The installation id of shared/remote/installation-id.ts, hashed
 * synchronously with node:crypto: the recorder needs the id before its first
 * event, and Web Crypto's digest is asynchronous. What is hashed and how the
 * digest becomes an id come from that module, so both give the same id
 * (test/extension/installation.node.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { installationHashInput, installationIdFromDigest, isInstallationSecret } from '../../shared/remote/installation-id.ts';

export { isInstallationSecret };

/** 32 random bytes, base64url: a new installation's secret. */
export function newInstallationSecretSync(): string {
  return randomBytes(32).toString('base64url');
}

/** `installationIdOf(secret)`, synchronously; throws naming the problem (never the secret) when it is not one. */
export function installationIdFromSecretSync(secret: string): string {
  return installationIdFromDigest(createHash('sha256').update(installationHashInput(secret), 'utf8').digest());
}
