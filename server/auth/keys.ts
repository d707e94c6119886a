import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, SpecError, quote } from '../../shared/errors.ts';
import { checkProjectName } from './project-name.ts';

/**
 * What a key may do. `write` is public (it sits in every tracked page) and
 * only sends events; `read` is secret and runs queries server to server;
 * `admin` is secret and also erases or exports a person and reads the
 * ingest report (server/auth/principal.ts holds the whole matrix).
 */
export type KeyRole = 'write' | 'read' | 'admin';
export const KEY_ROLES: readonly KeyRole[] = ['write', 'read', 'admin'];

/**
 * Each role's key starts with its own prefix, so a key pasted in the wrong
 * place (a secret read key in a web page) is recognisable at a glance and
 * by secret scanners.
 */
export const KEY_PREFIXES: Readonly<Record<KeyRole, string>> = { write: 'fpw_', read: 'fpr_', admin: 'fpa_' };

/** A key as listed: everything but the key and its hash. */
export interface KeyInfo {
  id: string;
  project: string;
  role: KeyRole;
  label?: string;
  /** ISO 8601 time it was created. */
  created: string;
  /** ISO 8601 time it was revoked; absent while it is valid. */
  revoked?: string;
}

/** Who a valid key belongs to. */
export interface KeyOwner {
  id: string;
  project: string;
  role: KeyRole;
}

/** A key as keys.json keeps it. */
interface StoredKey extends KeyInfo {
  /** SHA-256 hex of the key. */
  hash: string;
}

/** How often `find` looks at keys.json for changes made by another process (the CLI). */
const RELOAD_INTERVAL_MS = 200;
const FILE_VERSION = 1;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Keys are 256-bit random, so one pass of SHA-256 is enough to store them:
 * nobody can guess a key from its hash, and no slow password hash (scrypt,
 * argon2) is needed, since those only help against guessable inputs; a
 * fast hash keeps every request's key check cheap.
 */
function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function isRole(value: unknown): value is KeyRole {
  return typeof value === 'string' && (KEY_ROLES as readonly string[]).includes(value);
}

/**
 * A project's keys, kept hashed in DATA_DIR/keys.json (mode 0600, written
 * to a temporary file and renamed over it, so a reader never sees half a
 * file). Several processes may hold one: the server finds keys the CLI
 * created or revoked without a restart.
 */
export class KeyRing {
  private keys: StoredKey[] = [];
  /** Valid (unrevoked) keys by hash. */
  private byHash = new Map<string, StoredKey>();
  /** Inode, mtime and size of the file last read ('' when it was absent). */
  private seen = '';
  private checkedAt = -Infinity;

  private constructor(
    /** DATA_DIR/keys.json. */
    readonly file: string,
    private readonly now: () => number,
  ) {}

  /** Opens the key ring of `dataDir` (creating the folder if needed); `now` is the clock for the reload interval. */
  static open(dataDir: string, options: { now?: () => number } = {}): KeyRing {
    mkdirSync(dataDir, { recursive: true });
    const ring = new KeyRing(join(dataDir, 'keys.json'), options.now ?? Date.now);
    ring.reload();
    return ring;
  }

  /** Makes a key for `project`; the key itself is returned only here and never stored. */
  create(project: string, role: KeyRole, label?: string): { id: string; key: string } {
    checkProjectName(project);
    if (!isRole(role)) throw new SpecError('role', `must be one of ${KEY_ROLES.join(', ')}, got ${quote(role)}`);
    if (label !== undefined && (typeof label !== 'string' || label.length > 200 || /[\u0000-\u001f]/.test(label))) {
      throw new SpecError('label', `must be text of at most 200 characters without control characters, got ${quote(label)}`);
    }
    const key = KEY_PREFIXES[role] + randomBytes(32).toString('base64url');
    const id = randomBytes(6).toString('hex');
    const stored: StoredKey = { id, project, role, ...(label ? { label } : {}), created: new Date(this.now()).toISOString(), hash: hashOf(key) };
    this.update((keys) => [...keys, stored]);
    return { id, key };
  }

  /** The keys of `project` (every project's when absent), oldest first; never a key or its hash. */
  list(project?: string): KeyInfo[] {
    this.reload();
    return this.keys.filter((k) => project === undefined || k.project === project).map(infoOf);
  }

  /**
   * Revokes a key, given its id or the key itself; revoking a revoked key
   * changes nothing. Running servers stop accepting it within
   * RELOAD_INTERVAL_MS.
   */
  revoke(idOrKey: string): KeyInfo {
    let revoked: StoredKey | undefined;
    this.update((keys) => {
      const hash = hashOf(idOrKey);
      const found = keys.find((k) => k.id === idOrKey || k.hash === hash);
      // A whole key is never echoed: error messages end up in terminals and logs.
      const given = looksLikeKey(idOrKey) ? `the given ${idOrKey.slice(0, 4)} key` : `id ${quote(idOrKey)}`;
      if (!found) throw new SpecError('id', `no key with ${given} in ${this.file}`);
      revoked = found.revoked ? found : { ...found, revoked: new Date(this.now()).toISOString() };
      return keys.map((k) => (k === found ? revoked! : k));
    });
    return infoOf(revoked!);
  }

  /**
   * Who `key` belongs to, or null when it is unknown or revoked. Rereads
   * keys.json when it changed, checking at most every RELOAD_INTERVAL_MS.
   *
   * The key's hash is looked up in a Map, not compared with each stored
   * hash: what the lookup's timing could leak is where SHA-256 of the
   * presented key falls, which says nothing about any stored key (finding
   * a key with a chosen hash prefix is a preimage search), so no
   * constant-time comparison is needed.
   */
  find(key: string): KeyOwner | null {
    if (this.now() - this.checkedAt >= RELOAD_INTERVAL_MS) this.reload();
    const found = this.byHash.get(hashOf(key));
    return found ? { id: found.id, project: found.project, role: found.role } : null;
  }

  /** Reads keys.json again when its inode, mtime or size changed (a rename gives a new inode). */
  private reload(): void {
    this.checkedAt = this.now();
    let stamp = '';
    try {
      const stat = statSync(this.file);
      stamp = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataError(`${this.file}: cannot read (${(error as Error).message})`);
    }
    if (stamp === this.seen) return;
    this.use(stamp === '' ? [] : this.readFile(), stamp);
  }

  private use(keys: StoredKey[], stamp: string): void {
    this.keys = keys;
    this.byHash = new Map(keys.filter((k) => !k.revoked).map((k) => [k.hash, k]));
    this.seen = stamp;
  }

  /** The file's keys, checked; a DataError naming the file and the problem when it is damaged. */
  private readFile(): StoredKey[] {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new DataError(`${this.file}: damaged, not readable JSON (${(error as Error).message})`);
    }
    const problem = (what: string): DataError => new DataError(`${this.file}: damaged, ${what}`);
    if (typeof data !== 'object' || data === null || !Array.isArray((data as { keys?: unknown }).keys)) throw problem('expected { "version": 1, "keys": [...] }');
    if ((data as { version?: unknown }).version !== FILE_VERSION) throw problem(`unknown version ${quote((data as { version?: unknown }).version)} (this server reads ${FILE_VERSION})`);
    return ((data as { keys: unknown[] }).keys).map((raw, i) => {
      const k = raw as Partial<StoredKey> | null;
      const at = `keys[${i}]`;
      if (typeof k !== 'object' || k === null) throw problem(`${at} is not an object`);
      if (typeof k.id !== 'string' || k.id === '') throw problem(`${at}.id is missing`);
      if (typeof k.project !== 'string') throw problem(`${at}.project is missing`);
      if (!isRole(k.role)) throw problem(`${at}.role must be one of ${KEY_ROLES.join(', ')}, got ${quote(k.role)}`);
      if (typeof k.hash !== 'string' || !HEX_SHA256.test(k.hash)) throw problem(`${at}.hash must be SHA-256 hex`);
      if (typeof k.created !== 'string') throw problem(`${at}.created is missing`);
      if (k.revoked !== undefined && typeof k.revoked !== 'string') throw problem(`${at}.revoked must be an ISO time`);
      if (k.label !== undefined && typeof k.label !== 'string') throw problem(`${at}.label must be text`);
      return k as StoredKey;
    });
  }

  /**
   * Applies `change` to the keys as they are on disk now (another process
   * may have written since this one read), then writes them atomically.
   */
  private update(change: (keys: StoredKey[]) => StoredKey[]): void {
    this.seen = '\0'; // force a read even within the reload interval
    this.reload();
    const keys = change(this.keys);
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify({ version: FILE_VERSION, keys }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      renameSync(temporary, this.file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw new DataError(`${this.file}: cannot write (${(error as Error).message})`);
    }
    const stat = statSync(this.file);
    this.use(keys, `${stat.ino}:${stat.mtimeMs}:${stat.size}`);
  }
}

function looksLikeKey(text: string): boolean {
  return Object.values(KEY_PREFIXES).some((prefix) => text.startsWith(prefix));
}

function infoOf(key: StoredKey): KeyInfo {
  const { hash: _hash, ...info } = key;
  return info;
}
