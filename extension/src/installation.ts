/**
 * The installation's identity: a random secret kept in the extension's
 * global storage (shared by every window, never sent except to ask the
 * author's server to erase what it holds) and the user id derived from it,
 * which every event carries. Not `vscode.env.machineId`: that one is the same
 * for every extension, so two authors could join their data on it; this one
 * is per extension and means nothing elsewhere. The id is a one-way hash of
 * the secret (shared/remote/installation-id.ts), so whoever reads the events
 * sees the id and still cannot ask the server to erase them: only this
 * installation can.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installationIdFromSecretSync, isInstallationSecret, newInstallationSecretSync } from './installation-id-node.ts';

export const INSTALLATION_FILE = 'installation.json';

export interface Installation {
  /** The secret: proves to the author's server that erasure is asked by this installation. */
  secret: string;
  /** `inst_…`: every event's `user_id`. */
  id: string;
}

function read(path: string): Installation | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = (() => {
    try {
      return (JSON.parse(text) as { secret?: unknown }).secret;
    } catch {
      return undefined;
    }
  })();
  if (!isInstallationSecret(secret)) throw new Error(`${path}: not an installation file (no valid "secret"); delete it to start a new installation id`);
  return { secret, id: installationIdFromSecretSync(secret) };
}

/**
 * Reads the installation of `folder`, or makes one. Two windows starting at
 * once agree: the file is written whole under another name, then linked into
 * place, which fails when it exists, so the window that loses the race reads
 * the winner's, never a half-written file.
 */
export function loadInstallation(folder: string): Installation {
  const path = join(folder, INSTALLATION_FILE);
  const existing = read(path);
  if (existing) return existing;
  const secret = newInstallationSecretSync();
  const temporary = `${path}.${process.pid}-${Date.now()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ secret })}\n`, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read(path) ?? loadInstallation(folder);
    throw error;
  } finally {
    unlinkSync(temporary);
  }
  return { secret, id: installationIdFromSecretSync(secret) };
}
